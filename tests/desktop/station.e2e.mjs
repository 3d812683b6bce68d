// The certificate issuance station for real: the release app in the `issuance` role under Xvfb, driven
// by tauri-driver + WebKitWebDriver, the virtual My Number card (TEST DOUBLE on vsmartcard-vpcd through
// the real pcscd) holding a TEST JPKI user certificate that the server trusts. The card's serial reaches
// the server the way a city's does: a `cards` file from the core system through the linkage job. A
// resident asks for a 住民票の写し (本人のみ) with the 利用者証明用 PIN and gets a 受付番号 on the (mock)
// receipt printer; staff print the certificate (its text checked with pdftotext), call and hand it over.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  APP, cleanResults, enroll, files, saveArtefact, startCard, startDisplay, startDriver, startServer, stopAll,
  terminalConfig,
} from './harness.mjs';
import { api, deliverCardSerial, stationServerEnv, testPki } from '../support/station.mjs';

after(stopAll);

/** A TEST serial of the card's user certificate, outside the demo city's (`4d…`). */
const SERIAL = '5e0001';
const PASSWORD = 'sakurano-madoguchi';

async function login(server, counter) {
  const r = await api(server, '/api/v1/auth/login', null, { tenant: 'demo', user: 'demo', password: PASSWORD, counter });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json.token;
}

test('a resident requests a 住民票の写し at the issuance station with the My Number card; staff print and hand it over', async () => {
  cleanResults();
  const display = await startDisplay();
  const pki = testPki(SERIAL);
  const exchange = mkdtempSync(join(tmpdir(), 'madoguchi-exchange-'));
  const server = await startServer(stationServerEnv(pki, exchange));
  // The city's administrator loads the CA's revocation list (without one no card is accepted).
  const admin = await login(server, 'kanri');
  const crl = await api(server, '/api/v1/admin/jpki-crl', admin, pki.crl, 'PUT');
  assert.equal(crl.status, 204, JSON.stringify(crl.json));
  // A resident of the demo city with a household of several (no 支援措置), whose card this is.
  const staff = await login(server, 'shimin-1');
  const found = await api(server, `/api/v1/residents?q=${encodeURIComponent('タナカ')}&limit=50`, staff);
  const resident = found.json.results.find(
    (r) => r.address && r.status_label === '住民' && r.kind === 'japanese' && r.name.includes('\u3000'),
  );
  assert.ok(resident, 'a demo resident for the card');
  await deliverCardSerial(exchange, resident.atena_no, SERIAL);
  await startCard(pki.card);

  const config = terminalConfig(server, 'issuance');
  await enroll(server, config, ['station']);
  const wd = await startDriver(display, config.file);
  await wd.start({ 'tauri:options': { application: APP } });
  await wd.waitFor((ids) => ids.includes('station-item-JUMINHYO'), 'the station start screen', 30000);
  saveArtefact('station-01-start.png', await wd.screenshot());

  let touches = 0;
  const touch = async (id) => {
    touches++;
    await wd.click(`[data-testid="${id}"]`);
  };
  await touch('station-item-JUMINHYO');
  await wd.waitFor((ids) => ids.includes('pin-key-1'), 'the PIN pad (card ready)', 20000);
  for (const d of '5678') await wd.click(`[data-testid="pin-key-${d}"]`); // the PIN: not a touch
  saveArtefact('station-02-pin.png', await wd.screenshot());
  await wd.click('[data-testid="pin-ok"]');
  await wd.waitFor((ids) => ids.includes('who-person'), 'the card holder authenticated', 30000);
  const who = await wd.text('[data-testid="station-who"]');
  assert.ok(who.includes(resident.name), `the holder's own name: ${who}`);
  saveArtefact('station-03-who.png', await wd.screenshot());
  await touch('who-person'); // 本人のみ (a household with a member under 支援措置 is refused at a station)
  await wd.waitFor((i) => i.includes('copies-next'), 'the copies');
  saveArtefact('station-04-copies.png', await wd.screenshot());
  await touch('copies-next');
  await wd.waitFor((i) => i.includes('station-submit'), 'the confirmation');
  saveArtefact('station-05-confirm.png', await wd.screenshot());
  // The receipt printer is out of paper: the station says so and takes nothing.
  mkdirSync(config.receipts, { recursive: true });
  writeFileSync(join(config.receipts, 'paper-out'), '');
  await wd.click('[data-testid="station-submit"]');
  await wd.waitFor((i) => i.includes('station-problem'), 'the paper-out message', 20000);
  assert.match(await wd.text('[data-testid="station-problem"]'), /用紙がありません/);
  saveArtefact('station-05b-no-paper.png', await wd.screenshot());
  rmSync(join(config.receipts, 'paper-out'));
  await touch('station-submit');
  await wd.waitFor((i) => i.includes('reception-no'), 'the 受付番号', 30000);
  const number = (await wd.text('[data-testid="reception-no"]')).trim();
  assert.equal(number, '0001', 'the refused attempt took no number');
  saveArtefact('station-06-done.png', await wd.screenshot());
  await touch('station-finish');
  await wd.waitFor((i) => i.includes('station-item-JUMINHYO'), 'back at the start');
  const start = await wd.execute('return document.body.innerText');
  assert.ok(!start.includes(resident.name), 'nothing about the resident stays on screen');
  saveArtefact('station-07-done.png', await wd.screenshot());
  assert.ok(touches <= 8, `${touches} touches plus the PIN`);

  // The 受付票 on the (mock) receipt printer: the number, no name.
  const receipts = files(config.receipts, '.escpos');
  assert.equal(receipts.length, 1, 'one 受付票');
  const receipt = new TextDecoder('shift_jis').decode(readFileSync(receipts[0]));
  assert.match(receipt, /受付票/);
  assert.match(receipt, /0001/);
  assert.match(receipt, /MDG1\./, 'the signed QR that opens the request for staff');
  assert.ok(!receipt.includes(resident.name.split('\u3000')[0]), 'no name on the 受付票');

  // Staff: the request in the queue, printed (the certificate's text), called and handed over.
  const queue = await api(server, '/api/v1/issuance/requests', staff);
  assert.equal(queue.json.length, 1, JSON.stringify(queue.json));
  const request = queue.json[0];
  assert.equal(request.name, resident.name);
  assert.equal(request.state, 'queued');
  const printed = await api(server, `/api/v1/cases/${request.request_id}/certificates`, staff, { write_id: `p-${request.request_id}` });
  assert.equal(printed.status, 200);
  const numbers = printed.headers.get('x-madoguchi-issue-numbers');
  assert.match(numbers, /^R\d\d-\d{6}/);
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-station-pdf-'));
  const pdfPath = join(dir, 'certificate.pdf');
  // (the body was read as text above: print again — the same write id answers the same bytes)
  const again = await fetch(`${server}/api/v1/cases/${request.request_id}/certificates`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${staff}` },
    body: JSON.stringify({ write_id: `p-${request.request_id}` }),
  });
  writeFileSync(pdfPath, Buffer.from(await again.arrayBuffer()));
  saveArtefact('station-certificate.pdf', readFileSync(pdfPath));
  const text = execFileSync('pdftotext', ['-layout', pdfPath, '-']).toString();
  assert.match(text, /住民票/);
  assert.ok(text.includes(resident.name.split('\u3000')[0]), 'the resident on the certificate');
  assert.ok(text.includes(numbers.split(',')[0]), 'its 発行番号');
  assert.match(text, /令和\s*\d+\s*年/);
  const call = await api(server, `/api/v1/issuance/requests/${request.request_id}/actions`, staff, { write_id: 'a-station-e2e-1', action: 'call' });
  assert.equal(call.json.state, 'called');
  const handed = await api(server, `/api/v1/issuance/requests/${request.request_id}/actions`, staff, {
    write_id: 'a-station-e2e-2', action: 'hand_over', payment: { method: 'cash', yen: 0, received: 1000 },
  });
  assert.equal(handed.json.state, 'handed_over', JSON.stringify(handed.json));
  await wd.quit();
});
