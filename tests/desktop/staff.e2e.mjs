// The staff counter app in the real desktop app (release build, staff role, Xvfb, tauri-driver +
// WebKitWebDriver): log in through the terminal (the session token stays in Rust), then find the
// resident by the My Number card — the virtual card (TEST DOUBLE) carries a real demo resident's 基本4情報
// and is read through the real pcscd — and go on with 本人確認 set to マイナンバーカード.

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
  const wd = await startDriver(display, config.file);
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
