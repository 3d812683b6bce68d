// The staff counter app in the real desktop app (release build, staff role, Xvfb, tauri-driver +
// WebKitWebDriver): log in through the terminal (the session token stays in Rust), then find the
// resident by the My Number card — the virtual card (TEST DOUBLE) carries a real demo resident's 基本4情報
// and is read through the real pcscd — and go on with 本人確認 set to マイナンバーカード. On the way, the
// camera opens in the webview (WebKit's mock camera, a TEST DOUBLE: Xvfb has no camera) and plays.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  APP, enroll, saveArtefact, startCard, startDisplay, startDriver, startServer, stopAll, terminalConfig,
} from './harness.mjs';

after(stopAll);

async function api(server, path, token, body) {
  const res = await fetch(`${server}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return res.json();
}

test('staff log in on the terminal and find the resident with the My Number card', async () => {
  const display = await startDisplay();
  const server = await startServer();
  // A resident of the demo city with an address shown (no 支援措置), put on the virtual card.
  const { token } = await api(server, '/api/v1/auth/login', null,
    { tenant: 'demo', user: 'demo', password: 'sakurano-madoguchi', counter: 'shimin-1' });
  const found = await api(server, `/api/v1/residents?q=${encodeURIComponent('タナカ')}&limit=20`, token);
  const resident = found.results.find((r) => r.address && r.birth_date && r.name.includes('\u3000'));
  assert.ok(resident, 'a demo resident to put on the card');
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-card-'));
  const profile = join(dir, 'card.json');
  writeFileSync(profile, JSON.stringify({
    name: resident.name,
    address: resident.address.full,
    birth: resident.birth_date.replaceAll('-', ''),
    sex: resident.sex_label === '女' ? '2' : '1',
    my_number: '123456789018',
    text_pin: '1234',
    auth_pin: '5678',
  }));
  await startCard(profile);

  const config = terminalConfig(server, 'staff');
  await enroll(server, config, ['shimin-1']);
  const wd = await startDriver(display, config.file, { MADOGUCHI_MOCK_CAMERA: '1' });
  await wd.start({ 'tauri:options': { application: APP } });
  await wd.waitFor((ids) => ids.includes('login-form'), 'the login screen', 30000);
  await wd.type('input[name="user"]', 'demo');
  await wd.type('input[name="password"]', 'sakurano-madoguchi');
  saveArtefact('staff-01-login.png', await wd.screenshot());
  await wd.click('[data-testid="login-form"] button[type="submit"]');
  await wd.waitFor((ids) => ids.includes('staff-card-read'), 'the visit with the card button', 30000);
  const strip = await wd.execute('return document.body.innerText');
  assert.doesNotMatch(strip, /オフライン：/, 'online');
  saveArtefact('staff-02-search.png', await wd.screenshot());

  // 「カメラで読み取る」: WebKitGTK grants the camera to the app's own page, and its picture plays.
  await wd.click('[data-testid="camera-scan"]');
  let camera = null;
  for (let i = 0; i < 100 && camera?.phase !== 'scanning'; i++) {
    camera = await wd.execute(`
      const status = document.querySelector('[data-testid="camera-status"]');
      const problem = document.querySelector('[data-testid="camera-problem"]');
      const video = document.querySelector('[data-testid="camera-video"]');
      return { phase: status?.dataset.phase ?? null, problem: problem?.textContent ?? null, width: video?.videoWidth ?? 0 };`);
    assert.equal(camera.problem, null, `the camera opened (${camera.problem})`);
    if (camera.phase !== 'scanning') await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(camera.phase, 'scanning', 'the camera is reading');
  assert.ok(camera.width > 0, 'the camera\'s picture plays');
  saveArtefact('staff-02b-camera.png', await wd.screenshot());
  await wd.click('[data-testid="camera-close"]');

  await wd.click('[data-testid="staff-card-read"]');
  await wd.waitFor((ids) => ids.includes('staff-pin-key-1'), 'the PIN pad (card ready)', 20000);
  for (const d of '1234') await wd.click(`[data-testid="staff-pin-key-${d}"]`);
  saveArtefact('staff-03-pin.png', await wd.screenshot());
  await wd.click('[data-testid="staff-pin-ok"]');
  await wd.waitFor((ids) => ids.includes('id-document-card'), 'the resident chosen by the card', 20000);
  const page = await wd.execute('return document.body.innerText');
  assert.ok(page.includes(resident.name), `the card's resident ${resident.name} is the visitor`);
  saveArtefact('staff-04-identity.png', await wd.screenshot());
  await wd.quit();
});
