// The Linux package (cargo xtask dist deb): installed with dpkg into this machine, configured with the
// same keys as the MSI's properties (`madoguchi-terminal configure`), started from /usr/bin under Xvfb
// with tauri-driver + WebKitWebDriver in the configured role (kiosk) against the real server, then
// removed again. MADOGUCHI_DEB: the package.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_PIN, saveArtefact, startDisplay, startDriver, startServer, stopAll } from './harness.mjs';

const DEB = process.env.MADOGUCHI_DEB;
assert.ok(DEB && existsSync(DEB), 'run through cargo xtask test (MADOGUCHI_DEB)');
const BIN = '/usr/bin/madoguchi-terminal';

after(async () => {
  await stopAll();
  spawnSync('dpkg', ['--remove', 'madoguchi-terminal'], { stdio: 'inherit' });
});

test('the .deb installs with dpkg and the installed app starts in the configured role', async () => {
  const info = execFileSync('dpkg-deb', ['--field', DEB, 'Package', 'Version', 'Depends']).toString();
  assert.match(info, /Package: madoguchi-terminal/);
  assert.match(info, /Depends: .*libwebkit2gtk-4\.1-0/, 'dependencies from the linked libraries');
  assert.match(info, /libpcsclite1/);

  execFileSync('dpkg', ['--install', DEB], { stdio: 'inherit' });
  const status = execFileSync('dpkg-query', ['-W', '-f=${Status} ${Version}', 'madoguchi-terminal']).toString();
  assert.match(status, /^install ok installed /);
  assert.ok(statSync(BIN).mode & 0o111, 'executable');
  assert.match(readFileSync('/usr/share/applications/madoguchi-terminal.desktop', 'utf8'), /Name\[ja\]=窓口端末/);
  const data = statSync('/var/lib/madoguchi');
  assert.equal(data.mode & 0o7777, 0o2770, 'the local store folder is closed to other users');
  assert.match(execFileSync('getent', ['group', 'madoguchi']).toString(), /^madoguchi:/);

  // The configuration, as on Windows from the MSI's properties.
  const server = await startServer();
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-deb-'));
  const config = join(dir, 'terminal.toml');
  const hash = execFileSync(BIN, ['hash-pin'], { input: `${ADMIN_PIN}\n` }).toString().trim().split('"')[1];
  const out = execFileSync(BIN, ['configure', '--config', config, '--server-url', server, '--tenant', 'demo',
    '--terminal-id', 'deb-kiosk-1', '--role', 'kiosk', '--counter', 'kiosk', '--printer', `mock:${join(dir, 'printed')}`,
    '--data-dir', join(dir, 'data'), '--kiosk-login', 'kiosk-01', '--kiosk-password', 'sakurano-kiosk-terminal',
    '--admin-pin-hash', hash]).toString();
  assert.match(out, /設定を書き込みました/);
  const written = readFileSync(config, 'utf8');
  assert.equal(statSync(config).mode & 0o777, 0o640, 'the kiosk password is for root and the madoguchi group');
  assert.equal(statSync(config).gid, Number(execFileSync('getent', ['group', 'madoguchi']).toString().split(':')[2]));
  assert.match(written, /role = "kiosk"/);
  assert.match(written, /terminal_id = "deb-kiosk-1"/);
  // The enrollment code IT gives the administrator: the device key is made in the data folder, for
  // the service account only.
  const enrollment = execFileSync(BIN, ['enrollment-code'], {
    env: { ...process.env, MADOGUCHI_TERMINAL_CONFIG: config },
  }).toString();
  assert.match(enrollment, /端末ID: deb-kiosk-1\n登録コード: ([A-Z2-7]{4} ){13}[A-Z2-7]\n/);
  assert.equal(statSync(join(dir, 'data', 'device-key.p8')).mode & 0o777, 0o600);
  // A wrong role is refused in Japanese and changes nothing.
  const bad = spawnSync(BIN, ['configure', '--config', config, '--role', 'kiosks'], { encoding: 'utf8' });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /TERMINAL_ROLE の値が正しくありません/);
  assert.equal(readFileSync(config, 'utf8'), written);

  // The start at logon (--autostart) opens nothing on a terminal that is not a kiosk.
  const staff = join(dir, 'staff.toml');
  execFileSync(BIN, ['configure', '--config', staff, '--server-url', server, '--tenant', 'demo',
    '--terminal-id', 'deb-staff-1', '--role', 'staff', '--data-dir', join(dir, 'staff-data')]);
  const autostart = spawnSync(BIN, ['--autostart'], {
    env: { ...process.env, MADOGUCHI_TERMINAL_CONFIG: staff, DISPLAY: '' }, timeout: 30000, encoding: 'utf8',
  });
  assert.equal(autostart.status, 0, autostart.stderr);
  assert.match(autostart.stderr, /not a kiosk/);

  const display = await startDisplay();
  const wd = await startDriver(display, config);
  await wd.start({ 'tauri:options': { application: BIN } });
  await wd.waitFor((ids) => ids.includes('kiosk-start'), 'the kiosk start screen of the installed app', 30000);
  const text = await wd.execute('return document.body.innerText');
  assert.match(text, /English/, 'the kiosk offers its languages');
  saveArtefact('deb-kiosk-start.png', await wd.screenshot());
  assert.ok(existsSync(join(dir, 'data', 'terminal.db')), 'the installed app opened its local store');
  assert.ok(existsSync(join(dir, 'data', 'logs', 'terminal.log')), 'and writes its log file');
  await wd.quit();

  // A configuration the app cannot use: the window says why (in Japanese, without the file's path or
  // the kiosk password on the broken line) instead of the app vanishing.
  const broken = join(dir, 'broken.toml');
  writeFileSync(broken, written.replace('password = "sakurano-kiosk-terminal"', 'password = "sakurano-kiosk-terminal'));
  const wd2 = await startDriver(display, broken);
  await wd2.start({ 'tauri:options': { application: BIN } });
  await wd2.waitFor((ids) => ids.includes('terminal-info-error'), 'the configuration error', 30000);
  const error = await wd2.text('[data-testid="terminal-info-error"]');
  assert.match(error, /端末の設定ファイル（terminal\.toml）が正しくありません: \d+行目/);
  assert.doesNotMatch(error, /sakurano-kiosk-terminal/);
  assert.ok(!error.includes(dir), 'no file path on the screen');
  saveArtefact('deb-config-error.png', await wd2.screenshot());
  await wd2.quit();
});
