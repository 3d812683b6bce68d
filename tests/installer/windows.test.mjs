// The terminal's MSI (cargo xtask dist windows/msi), inspected with msitools and installed for real with
// Wine's Windows Installer engine in a private, headless Wine prefix: refused without WebView2, silent
// install with the configuration from public properties, kiosk start at logon, major upgrade that keeps
// the configuration and the role, downgrade refused, uninstall that keeps the local data, and uninstall
// with REMOVE_LOCAL_DATA=1 that removes it.
//
// TEST DOUBLES here: the WebView2 runtime is "installed" by writing its registry version value (no
// browser runs), and Wine 8.0 gets a bcryptprimitives.dll shim (wine-shim/) that Windows 10/11 have.
//
// MADOGUCHI_MSI: the package; MADOGUCHI_MSI_UPGRADE: the same payload with a higher version.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, copyFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const MSI = process.env.MADOGUCHI_MSI;
const MSI_UPGRADE = process.env.MADOGUCHI_MSI_UPGRADE;
const VERSION = process.env.MADOGUCHI_MSI_VERSION;
const UPGRADE_VERSION = process.env.MADOGUCHI_MSI_UPGRADE_VERSION;
assert.ok(MSI && MSI_UPGRADE && VERSION && UPGRADE_VERSION, 'run through cargo xtask test (MADOGUCHI_MSI…)');

const WEBVIEW2_KEY =
  'HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\EdgeUpdate\\Clients\\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}';
const RUN_KEY = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run';
const UNINSTALL_KEY = 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall';

// ---- msitools -------------------------------------------------------------------------------------

/** A table of the MSI as rows of named columns. */
function table(msi, name) {
  const text = execFileSync('msiinfo', ['export', msi, name]).toString('utf8');
  const lines = text.split('\r\n').filter((l) => l !== '');
  const columns = lines[0].split('\t');
  return lines.slice(3).map((l) => Object.fromEntries(l.split('\t').map((v, i) => [columns[i], v])));
}

const row = (rows, key, value) => rows.find((r) => r[key] === value);

test('the MSI holds what the deployment guide promises', () => {
  const tables = execFileSync('msiinfo', ['tables', MSI]).toString().split('\n');
  for (const t of ['File', 'Component', 'Registry', 'Shortcut', 'Property', 'Upgrade', 'CustomAction', 'LaunchCondition']) {
    assert.ok(tables.includes(t), `table ${t}`);
  }
  const property = table(MSI, 'Property');
  const prop = (p) => row(property, 'Property', p)?.Value;
  assert.equal(prop('ProductName'), '窓口端末');
  assert.equal(prop('ProductLanguage'), '1041');
  assert.equal(prop('ProductVersion'), VERSION);
  assert.equal(prop('UpgradeCode'), '{71FF9693-F368-4A64-BF75-5B9104713AEE}', 'the UpgradeCode never changes');
  assert.equal(prop('ALLUSERS'), '1', 'per-machine');
  const hidden = prop('MsiHiddenProperties').split(';');
  for (const p of ['KIOSK_PASSWORD', 'ADMIN_PIN_HASH']) {
    assert.ok(hidden.includes(p), `${p} is never written to the msiexec log`);
  }
  const secure = prop('SecureCustomProperties').split(';');
  for (const p of ['SERVER_URL', 'TENANT', 'TERMINAL_ID', 'TERMINAL_ROLE', 'PRINTER', 'RECEIPT_PRINTER', 'CARD_READER', 'REMOVE_LOCAL_DATA']) {
    assert.ok(secure.includes(p), `${p} reaches the system part of the installation`);
  }
  const summary = execFileSync('msiinfo', ['suminfo', MSI]).toString();
  assert.match(summary, /Template: x64;1041/, 'x64 package, Japanese');

  const files = table(MSI, 'File');
  assert.deepEqual(files.map((f) => f.FileName).sort(), ['WebView2Loader.dll', 'madoguchi-terminal.exe']);
  const components = table(MSI, 'Component');
  const dirs = table(MSI, 'Directory');
  assert.equal(row(dirs, 'Directory', 'INSTALLDIR').Directory_Parent, 'ProgramFiles64Folder');
  assert.equal(row(components, 'Component', 'App').Directory_, 'INSTALLDIR');
  assert.ok(Number(row(components, 'Component', 'App').Attributes) & 256, '64-bit component');

  const shortcut = row(table(MSI, 'Shortcut'), 'Shortcut', 'TerminalShortcut');
  assert.equal(shortcut.Name, 'MADOTERM|窓口端末');
  assert.equal(shortcut.Target, '[INSTALLDIR]madoguchi-terminal.exe');
  const shortcutDir = row(dirs, 'Directory', shortcut.Directory_);
  assert.equal(shortcutDir.Directory_Parent, 'ProgramMenuFolder');
  assert.equal(shortcutDir.DefaultDir, 'MADOTERM|窓口端末');

  const registry = table(MSI, 'Registry');
  const run = row(registry, 'Name', 'MadoguchiTerminal');
  assert.equal(run.Key, 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run');
  assert.equal(run.Root, '2', 'HKLM');
  const kioskOnly = row(table(MSI, 'FeatureComponents'), 'Component_', run.Component_);
  assert.equal(kioskOnly.Feature_, 'KioskStart', 'the autostart entry is the kiosk feature');

  const actions = table(MSI, 'CustomAction');
  const configure = row(actions, 'Action', 'Configure');
  assert.equal(
    Number(configure.Type),
    18 + 1024 + 2048 + 8192,
    'the installed exe, deferred, as the system account, its command line (password, PIN hash) not logged',
  );
  for (const p of ['KIOSK_PASSWORD', 'ADMIN_PIN_HASH']) {
    assert.ok(configure.Target.includes(`"[${p}]"`), `configure receives ${p}`);
  }
  for (const p of ['SERVER_URL', 'TENANT', 'TERMINAL_ID', 'PRINTER', 'RECEIPT_PRINTER', 'CARD_READER']) {
    assert.ok(configure.Target.includes(`"[${p}]"`), `configure receives ${p}`);
  }
  assert.equal(row(actions, 'Action', 'PurgeLocalData').Target, 'purge-local-data');
  assert.equal(row(actions, 'Action', 'PurgeLocalDataDiscardingUnsent').Target, 'purge-local-data --discard-unsent');
  assert.ok(configure.Target.includes('--role "[CONFIG_ROLE]"'), 'the role only from the command line');
  const sequence = table(MSI, 'InstallExecuteSequence');
  const at = (a) => Number(row(sequence, 'Action', a).Sequence);
  assert.ok(at('RemoveExistingProducts') > at('InstallFinalize'), 'the old version goes only after the new one is in');
  assert.ok(at('Configure') > at('InstallFiles') && at('PurgeLocalData') < at('RemoveFiles'));
  const upgrade = table(MSI, 'Upgrade');
  assert.ok(upgrade.some((u) => u.ActionProperty === 'WIX_UPGRADE_DETECTED' && u.VersionMax === VERSION), 'older versions are upgraded');
  assert.ok(upgrade.some((u) => u.ActionProperty === 'WIX_DOWNGRADE_DETECTED'), 'newer versions are detected');
  const conditions = table(MSI, 'LaunchCondition');
  assert.ok(conditions.some((c) => c.Condition.includes('WEBVIEW2_MACHINE') && c.Description.includes('WebView2 ランタイムが見つかりません')));
  assert.ok(conditions.some((c) => c.Condition === 'NOT WIX_DOWNGRADE_DETECTED' && c.Description.includes('より新しいバージョン')));
  const search = table(MSI, 'RegLocator');
  assert.ok(search.some((r) => r.Key.includes('{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}') && r.Name === 'pv'));
});

test('the exe inside is a 64-bit Windows GUI program with the current UI embedded', () => {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-msiextract-'));
  try {
    execFileSync('msiextract', ['-C', dir, MSI]);
    const exe = readFileSync(join(dir, 'Madoguchi Terminal', 'madoguchi-terminal.exe'));
    assert.equal(exe.toString('latin1', 0, 2), 'MZ');
    const pe = exe.readUInt32LE(0x3c);
    assert.equal(exe.toString('latin1', pe, pe + 4), 'PE\0\0');
    assert.equal(exe.readUInt16LE(pe + 4), 0x8664, 'x86-64');
    const optional = pe + 24;
    assert.equal(exe.readUInt16LE(optional), 0x20b, 'PE32+');
    assert.equal(exe.readUInt16LE(optional + 68), 2, 'Windows GUI subsystem: no console window');
    assert.ok(exe.includes(Buffer.from('WebView2Loader.dll')), 'links the WebView2 loader');
    // Tauri embeds the built UI (compressed) under its asset paths: the hashed file names of this build.
    const assets = readdirSync(join(ROOT, 'ui/dist/assets'));
    assert.ok(assets.length >= 2);
    for (const a of assets) assert.ok(exe.includes(Buffer.from(`/assets/${a}`)), `${a} embedded`);
    assert.ok(!exe.includes(Buffer.from('localhost:5173')), 'no dev server URL');
    assert.ok(existsSync(join(dir, 'Madoguchi Terminal', 'WebView2Loader.dll')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---- Wine ------------------------------------------------------------------------------------------

const prefix = mkdtempSync(join(tmpdir(), 'madoguchi-wine-'));
const env = {
  ...process.env,
  WINEPREFIX: prefix,
  WINEDEBUG: '-all',
  // No Mono or Gecko download prompts.
  WINEDLLOVERRIDES: 'mscoree,mshtml=',
  DISPLAY: '',
};
const driveC = join(prefix, 'drive_c');
const installDir = join(driveC, 'Program Files', 'Madoguchi Terminal');
const dataRoot = join(driveC, 'ProgramData', 'Madoguchi');
const configFile = join(dataRoot, 'terminal.toml');

function wine(args) {
  return spawnSync('wine', args, { env, encoding: 'utf8', timeout: 180000 });
}

/** msiexec with a verbose log; returns the exit status and the log. */
function msiexec(args, name) {
  const log = join(prefix, `${name}.log`);
  const r = wine(['msiexec', ...args, '/qn', '/l*v', `Z:${log.replaceAll('/', '\\')}`]);
  const text = existsSync(log) ? readFileSync(log, 'latin1') : '';
  return { status: r.status, log: text };
}

/** A registry key exported by Wine's reg.exe (UTF-16 .reg text), or '' when absent. */
function reg(key) {
  const out = join(prefix, 'export.reg');
  rmSync(out, { force: true });
  const r = wine(['reg', 'export', key, `Z:${out.replaceAll('/', '\\')}`, '/y']);
  if (r.status !== 0 || !existsSync(out)) return '';
  return readFileSync(out).toString('utf16le');
}

function installedProducts() {
  return reg(UNINSTALL_KEY)
    .split(/\r?\n\r?\n/)
    .filter((block) => block.includes('"DisplayName"="窓口端末"'));
}

function shortcuts() {
  // Wine puts "all users" shortcuts of a per-machine package in the user's Start menu.
  const found = [];
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.lnk') && p.includes('窓口端末')) found.push(p);
    }
  };
  walk(join(driveC, 'ProgramData', 'Microsoft', 'Windows', 'Start Menu'));
  walk(join(driveC, 'users'));
  return found;
}

before(() => {
  const boot = wine(['wineboot', '-i']);
  assert.equal(boot.status, 0, `wineboot: ${boot.stderr}`);
  const dll = join(driveC, 'windows', 'system32', 'bcryptprimitives.dll');
  execFileSync('x86_64-w64-mingw32-gcc', ['-shared', '-O2', '-o', dll,
    join(ROOT, 'tests/installer/wine-shim/bcryptprimitives.c'),
    join(ROOT, 'tests/installer/wine-shim/bcryptprimitives.def'), '-ladvapi32']);
});

after(() => {
  spawnSync('wineserver', ['-k'], { env });
  rmSync(prefix, { recursive: true, force: true });
});

const KIOSK = [
  'SERVER_URL=https://madoguchi.example.lg.jp',
  'TENANT=sakurano',
  'TERMINAL_ID=kiosk-01',
  'TERMINAL_ROLE=kiosk',
  'COUNTER=kiosk',
  'PRINTER=Canon LBP 221',
  'RECEIPT_PRINTER=tcp://192.0.2.10:9100',
  'CARD_READER=SONY FeliCa',
  'KIOSK_LOGIN=kiosk-01',
  'KIOSK_PASSWORD=kiosk-pass-123',
];

test('Wine: without the WebView2 runtime the installation is refused and installs nothing', () => {
  const r = msiexec(['/i', MSI, ...KIOSK], 'no-webview2');
  assert.notEqual(r.status, 0);
  assert.match(r.log, /LaunchConditions/);
  assert.ok(!existsSync(installDir), 'no program files');
  assert.ok(!existsSync(configFile), 'no configuration');
  assert.equal(installedProducts().length, 0);
});

test('Wine: an invalid property fails the installation, with the reason in install.log', () => {
  // On a machine without the terminal: Wine 8's rollback of a failed upgrade also removes the old
  // version's files (Windows keeps them by the components' reference counts), so that case is left to
  // Windows; the configuration step writes nothing before all values passed (Rust tests).
  const added = wine(['reg', 'add', WEBVIEW2_KEY, '/v', 'pv', '/t', 'REG_SZ', '/d', '131.0.2903.70', '/f']);
  assert.equal(added.status, 0);
  const r = msiexec(['/i', MSI, ...KIOSK.filter((p) => !p.startsWith('TERMINAL_ROLE=')), 'TERMINAL_ROLE=kiosks'], 'invalid');
  assert.notEqual(r.status, 0);
  assert.match(readFileSync(join(dataRoot, 'install.log'), 'utf8'), /TERMINAL_ROLE の値が正しくありません/);
  assert.ok(!existsSync(configFile), 'no configuration written');
  assert.ok(!existsSync(join(installDir, 'madoguchi-terminal.exe')), 'rolled back');
  assert.equal(installedProducts().length, 0);
});

test('Wine: silent kiosk install writes the configuration, the shortcut and the start at logon', () => {
  const r = msiexec(['/i', MSI, ...KIOSK], 'install');
  assert.equal(r.status, 0, r.log.slice(-3000));
  assert.ok(statSync(join(installDir, 'madoguchi-terminal.exe')).size > 1_000_000);
  assert.ok(existsSync(join(installDir, 'WebView2Loader.dll')));
  const config = readFileSync(configFile, 'utf8');
  for (const line of [
    'server_url = "https://madoguchi.example.lg.jp"',
    'tenant = "sakurano"',
    'terminal_id = "kiosk-01"',
    'role = "kiosk"',
    'counter = "kiosk"',
    'printer = "Canon LBP 221"',
    'receipt_printer = "tcp://192.0.2.10:9100"',
    'card_reader = "SONY FeliCa"',
    'login = "kiosk-01"',
    'password = "kiosk-pass-123"',
  ]) {
    assert.ok(config.includes(line), `${line} in\n${config}`);
  }
  assert.match(readFileSync(join(dataRoot, 'install.log'), 'utf8'), /設定を書き込みました/);
  assert.doesNotMatch(readFileSync(join(dataRoot, 'install.log'), 'utf8'), /kiosk-pass-123/);
  assert.match(reg(RUN_KEY), /"MadoguchiTerminal"="\\"C:\\\\Program Files\\\\Madoguchi Terminal\\\\madoguchi-terminal.exe\\" --autostart"/);
  assert.equal(shortcuts().length, 1, 'Start menu: 窓口端末');
  const products = installedProducts();
  assert.equal(products.length, 1);
  assert.match(products[0], new RegExp(`"DisplayVersion"="${VERSION.replaceAll('.', '\\.')}"`));
});

test('Wine: a major upgrade replaces the program, keeps the configuration and the kiosk start, changes what it is given', () => {
  // Local data the terminal wrote meanwhile (its log; the store is covered by the purge test in Rust).
  mkdirSync(join(dataRoot, 'data', 'logs'), { recursive: true });
  writeFileSync(join(dataRoot, 'data', 'logs', 'terminal.log'), 'started\n');
  const r = msiexec(['/i', MSI_UPGRADE, 'PRINTER=Brother HL'], 'upgrade');
  assert.equal(r.status, 0, r.log.slice(-3000));
  const products = installedProducts();
  assert.equal(products.length, 1, 'the old version is gone');
  assert.match(products[0], new RegExp(`"DisplayVersion"="${UPGRADE_VERSION.replaceAll('.', '\\.')}"`));
  const config = readFileSync(configFile, 'utf8');
  assert.ok(config.includes('printer = "Brother HL"'));
  assert.ok(config.includes('tenant = "sakurano"') && config.includes('role = "kiosk"'));
  assert.ok(config.includes('password = "kiosk-pass-123"'));
  assert.match(reg(RUN_KEY), /MadoguchiTerminal/, 'still starts at logon without TERMINAL_ROLE on the command line');
  assert.ok(existsSync(join(installDir, 'madoguchi-terminal.exe')));
  assert.equal(shortcuts().length, 1);
  assert.ok(existsSync(join(dataRoot, 'data', 'logs', 'terminal.log')));
});

test('Wine: uninstall removes the program and keeps the terminal data; REMOVE_LOCAL_DATA=1 removes it too', () => {
  let r = msiexec(['/x', MSI_UPGRADE], 'uninstall');
  assert.equal(r.status, 0, r.log.slice(-3000));
  assert.ok(!existsSync(join(installDir, 'madoguchi-terminal.exe')));
  assert.equal(shortcuts().length, 0);
  assert.doesNotMatch(reg(RUN_KEY), /MadoguchiTerminal/);
  assert.equal(installedProducts().length, 0);
  assert.ok(existsSync(configFile), 'configuration kept');
  assert.ok(existsSync(join(dataRoot, 'data', 'logs', 'terminal.log')), 'local data kept');

  // Reinstalled as a staff terminal: the kept configuration gets the new role, no start at logon.
  r = msiexec(['/i', MSI_UPGRADE, 'TERMINAL_ROLE=staff', 'COUNTER=shimin-1'], 'staff');
  assert.equal(r.status, 0, r.log.slice(-3000));
  assert.match(readFileSync(configFile, 'utf8'), /role = "staff"/);
  assert.doesNotMatch(reg(RUN_KEY), /MadoguchiTerminal/, 'staff terminals do not start at logon');

  // The older version is refused over the newer one. (Checked on this fresh installation: Wine 8's
  // removal of the old version in an upgrade also drops the new one's UpgradeCode registration, which
  // Windows keeps.)
  r = msiexec(['/i', MSI], 'downgrade');
  assert.notEqual(r.status, 0);
  assert.match(r.log, /WIX_DOWNGRADE_DETECTED = \{/);
  const products = installedProducts();
  assert.equal(products.length, 1);
  assert.match(products[0], new RegExp(`"DisplayVersion"="${UPGRADE_VERSION.replaceAll('.', '\\.')}"`));

  r = msiexec(['/x', MSI_UPGRADE, 'REMOVE_LOCAL_DATA=1'], 'purge');
  assert.equal(r.status, 0, r.log.slice(-3000));
  assert.ok(!existsSync(installDir) || readdirSync(installDir).length === 0);
  assert.ok(!existsSync(dataRoot), 'configuration and local data removed on request');
  assert.equal(installedProducts().length, 0);
});
