// The certificate issuance station for real: the release app in the `issuance` role under Xvfb, driven
// by tauri-driver + WebKitWebDriver, the virtual My Number card (TEST DOUBLE on vsmartcard-vpcd through
// the real pcscd) holding a TEST JPKI user certificate that the server trusts. The card's serial reaches
// the server the way a city's does: a `cards` file from the core system through the linkage job. A
// resident asks for a 住民票の写し (本人のみ) with the 利用者証明用 PIN and gets a 受付番号 on the (mock)
// receipt printer. Beside it runs the staff app on a back-office terminal with the mock document printer
// and the mock signal tower (TEST DOUBLES): its 発行端末の受付 is alerted (banner and tower), holds the
// request while the station prints by hand, and — once the administrator sets the station to automatic
// printing — prints the resident's 印鑑登録証明書 by itself; staff call and hand over on screen. The
// station also offers the 所得・課税証明書 (opted in on 発行端末の設定): the resident picks a 課税年度
// among those the demo city's `tax` data holds for them, and it prints by itself. The printed PDFs'
// text is checked with pdftotext.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  APP, cleanResults, enroll, files, saveArtefact, startCard, startDisplay, startDriver, startServer, stopAll,
  terminalConfig,
} from './harness.mjs';
import { qrCodesOfPdf } from '../support/qr.mjs';
import { api, deliverCardSerial, deliverSeal, stationServerEnv, testPki } from '../support/station.mjs';

after(stopAll);

/** A TEST serial of the card's user certificate, outside the demo city's (`4d…`). */
const SERIAL = '5e0001';
const PASSWORD = 'sakurano-madoguchi';

async function login(server, counter) {
  const r = await api(server, '/api/v1/auth/login', null, { tenant: 'demo', user: 'demo', password: PASSWORD, counter });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json.token;
}

/** The staff app on a back-office terminal (document printer and signal tower: mock), logged in on
 * 発行端末の受付 with automatic printing turned on for this terminal. */
async function backOffice(server, display) {
  const config = terminalConfig(server, 'staff');
  const tower = join(config.dir, 'tower');
  appendFileSync(config.file, `signal_tower = "mock:${tower}"\n`);
  await enroll(server, config, ['shimin-1']);
  const wd = await startDriver(display, config.file);
  await wd.start({ 'tauri:options': { application: APP } });
  await wd.waitFor((ids) => ids.includes('login-form'), 'the staff login screen', 30000);
  await wd.type('input[name="user"]', 'demo');
  await wd.type('input[name="password"]', PASSWORD);
  await wd.click('[data-testid="login-form"] button[type="submit"]');
  await wd.waitFor((ids) => ids.includes('nav-station-queue'), 'the staff app', 30000);
  await wd.click('[data-testid="nav-station-queue"]');
  await wd.waitFor((ids) => ids.includes('queue-auto'), 'the queue with automatic printing offered', 20000);
  // The choice is remembered by the terminal (its webview's storage outlives a run): turn it on, not over.
  const on = await wd.execute('return document.querySelector(\'[data-testid="queue-auto"]\').checked');
  if (!on) await wd.click('[data-testid="queue-auto"]');
  return { wd, config, tower };
}

/** The resident's way through the station for `item`, with the card and its PIN; answers the number,
 * the touches it took (the PIN is not counted) and, for a 所得・課税証明書, the 課税年度 tile touched (the
 * newest). `beforeSubmit(touch, year)` runs on the confirmation screen. */
async function requestAtStation(wd, item, name, beforeSubmit = async () => {}) {
  let touches = 0;
  const touch = async (id) => {
    touches++;
    await wd.click(`[data-testid="${id}"]`);
  };
  await wd.waitFor((ids) => ids.includes(`station-item-${item}`), `the ${item} tile`, 20000);
  await touch(`station-item-${item}`);
  await wd.waitFor((ids) => ids.includes('pin-key-1'), 'the PIN pad (card ready)', 20000);
  for (const d of '5678') await wd.click(`[data-testid="pin-key-${d}"]`); // the PIN: not a touch
  await wd.click('[data-testid="pin-ok"]');
  await wd.waitFor(
    (ids) => ids.includes('who-person') || ids.includes('copies-next') || ids.includes('station-year'),
    'the card holder authenticated',
    30000,
  );
  const who = await wd.text('[data-testid="station-who"]').catch(() => '');
  if (item === 'JUMINHYO') {
    assert.ok(who.includes(name), `the holder's own name: ${who}`);
    // The whole screen fits the smallest station window: a resident never has to scroll.
    const fits = await wd.execute('return [document.scrollingElement.scrollHeight, innerHeight]');

    assert.ok(fits[0] <= fits[1], `the 「だれの証明書」 screen fits its window: ${fits}`);
    await touch('who-person'); // 本人のみ (a household with a member under 支援措置 is refused at a station)
  }
  let year = null;
  if (item === 'SHOTOKU-SHOMEI') {
    // The years loaded for the holder, newest first: the first tile.
    const ids = await wd.waitFor((i) => i.some((id) => id.startsWith('year-')), 'the 課税年度 tiles');
    const tile = ids.find((id) => id.startsWith('year-'));
    year = { id: tile, text: (await wd.text(`[data-testid="${tile}"]`)).trim() };
    assert.ok((await wd.text('[data-testid="station-year"]')).includes(name), 'the holder greeted on the year step');
    saveArtefact('station-11-year.png', await wd.screenshot());
    await touch(tile);
  }
  await wd.waitFor((i) => i.includes('copies-next'), 'the copies').catch(async (e) => {
    saveArtefact('station-who-timeout.png', await wd.screenshot());
    throw e;
  });
  await touch('copies-next');
  await wd.waitFor((i) => i.includes('station-submit'), 'the confirmation');
  await beforeSubmit(touch, year);
  await touch('station-submit');
  await wd.waitFor((i) => i.includes('reception-no'), 'the 受付番号', 30000);
  const number = (await wd.text('[data-testid="reception-no"]')).trim();
  return { number, touches, touch, year };
}

/** The text of a PDF the mock printer received. */
function pdfText(file) {
  return execFileSync('pdftotext', ['-layout', file, '-']).toString();
}

/** Waits until `check()` holds (polling the file system or the server). */
async function until(check, what, timeoutMs = 20000) {
  const started = Date.now();
  for (;;) {
    if (await check()) return;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('a resident requests certificates at the issuance station; the back office is alerted, prints by hand, then automatically, and hands them over', async () => {
  cleanResults();
  const display = await startDisplay();
  const pki = testPki(SERIAL);
  const exchange = mkdtempSync(join(tmpdir(), 'madoguchi-exchange-'));
  const server = await startServer(stationServerEnv(pki, exchange));
  // The city's administrator loads the CA's revocation list (without one no card is accepted).
  const admin = await login(server, 'kanri');
  const crl = await api(server, '/api/v1/admin/jpki-crl', admin, pki.crl, 'PUT');
  assert.equal(crl.status, 204, JSON.stringify(crl.json));
  // A resident of the demo city with a household of several (no 支援措置), whose card this is and whose
  // seal the core system registers.
  const staff = await login(server, 'shimin-1');
  const found = await api(server, `/api/v1/residents?q=${encodeURIComponent('タナカ')}&limit=50`, staff);
  // (an adult: no 印鑑登録証明書 under 15)
  const resident = found.json.results.find(
    (r) => r.address && r.status_label === '住民' && r.kind === 'japanese' && r.name.includes('\u3000') && r.birth_date < '2000-01-01',
  );
  assert.ok(resident, 'a demo resident for the card');
  await deliverCardSerial(exchange, resident.atena_no, SERIAL);
  await deliverSeal(exchange, resident.atena_no);
  await startCard(pki.card);

  const back = await backOffice(server, display);
  saveArtefact('station-00-queue.png', await back.wd.screenshot());
  const config = terminalConfig(server, 'issuance');
  const station = await enroll(server, config, ['station']);
  const wd = await startDriver(display, config.file);
  await wd.start({ 'tauri:options': { application: APP } });
  await wd.waitFor((ids) => ids.includes('station-item-JUMINHYO'), 'the station start screen', 30000);
  saveArtefact('station-01-start.png', await wd.screenshot());

  // 1. 住民票の写し, the station set to print by hand (the default).
  const first = await requestAtStation(wd, 'JUMINHYO', resident.name, async () => {
    saveArtefact('station-05-confirm.png', await wd.screenshot());
    // The receipt printer is out of paper: the station says so and takes nothing.
    mkdirSync(config.receipts, { recursive: true });
    writeFileSync(join(config.receipts, 'paper-out'), '');
    await wd.click('[data-testid="station-submit"]');
    await wd.waitFor((i) => i.includes('station-problem'), 'the paper-out message', 20000);
    assert.match(await wd.text('[data-testid="station-problem"]'), /用紙がありません/);
    saveArtefact('station-05b-no-paper.png', await wd.screenshot());
    rmSync(join(config.receipts, 'paper-out'));
  });
  assert.equal(first.number, '0001', 'the refused attempt took no number');
  saveArtefact('station-06-done.png', await wd.screenshot());
  await first.touch('station-finish');
  await wd.waitFor((i) => i.includes('station-item-JUMINHYO'), 'back at the start');
  const start = await wd.execute('return document.body.innerText');
  assert.ok(!start.includes(resident.name), 'nothing about the resident stays on screen');
  assert.ok(first.touches <= 8, `${first.touches} touches plus the PIN`);

  // The 受付票 on the (mock) receipt printer: the number, no name.
  const receipts = files(config.receipts, '.escpos');
  assert.equal(receipts.length, 1, 'one 受付票');
  const receipt = new TextDecoder('shift_jis').decode(readFileSync(receipts[0]));
  assert.match(receipt, /受付票/);
  assert.match(receipt, /0001/);
  assert.match(receipt, /MDG1\./, 'the signed QR that opens the request for staff');
  assert.ok(!receipt.includes(resident.name.split('\u3000')[0]), 'no name on the 受付票');

  // The back office: the banner, and nothing printed by itself for a station printing by hand.
  await back.wd.waitFor((ids) => ids.includes('queue-alert'), 'the new-request banner', 20000);
  assert.match(await back.wd.text('[data-testid="queue-alert"]'), /0001/);
  saveArtefact('station-08-queue-alert.png', await back.wd.screenshot());
  await new Promise((r) => setTimeout(r, 4000)); // more than one poll of the queue
  assert.equal(files(back.config.printed, '.pdf').length, 0, 'held until staff print it');
  assert.match(await back.wd.text('[data-testid="queue-state-0001"]'), /受付/);
  await back.wd.click('[data-testid="queue-print-0001"]');
  await until(() => files(back.config.printed, '.pdf').length === 1, 'the 住民票 on the back office printer');
  await back.wd.waitFor((ids) => ids.includes('queue-message'), 'the printed message');
  const issued = /発行番号 (R\d\d-\d{6})/.exec(await back.wd.text('[data-testid="queue-message"]'))?.[1];
  assert.ok(issued, 'the 発行番号 shown');
  const juminhyo = pdfText(files(back.config.printed, '.pdf')[0]);
  saveArtefact('station-certificate.pdf', readFileSync(files(back.config.printed, '.pdf')[0]));
  assert.match(juminhyo, /住民票/);
  assert.ok(juminhyo.includes(resident.name.split('\u3000')[0]), 'the resident on the certificate');
  assert.ok(juminhyo.includes(issued), 'its 発行番号');
  assert.match(juminhyo, /令和\s*\d+\s*年/);
  const recorded = await api(server, `/api/v1/certificates?issue_no=${issued}`, staff);
  assert.equal(recorded.json.length, 1, 'recorded in the history');
  // Its verification QR, read off the printed page as a scanner would, verifies against the server.
  const codes = qrCodesOfPdf(files(back.config.printed, '.pdf')[0], 1);
  assert.ok(codes.length >= 1, 'a QR code on the certificate');
  const check = await api(server, '/api/v1/certificates/verify', staff, { symbols: [codes[0]] });
  assert.equal(check.json.state, 'valid', JSON.stringify(check.json));

  // 2. The administrator sets the station to print automatically and to light the signal tower.
  // (It also opts in the 所得・課税証明書, requested in 4; the station shows it from its next resident.)
  const setup = { offers: ['JUMINHYO', 'INKAN-SHOMEI', 'SHOTOKU-SHOMEI'], auto_print: true, tower: true, show_fees: true };
  const put = await api(server, `/api/v1/admin/stations/${station.id}`, admin, setup, 'PUT');
  assert.equal(put.status, 200, JSON.stringify(put.json));
  // What the administrator's 発行端末の設定 shows of the station's devices: its runtime reported them,
  // the mock receipt printer named as the test double it is.
  const stations = await api(server, '/api/v1/admin/stations', admin);
  const reported = stations.json.stations.find((s) => s.terminal === station.id)?.devices;
  assert.equal(reported?.receipt_printer?.kind, 'mock', JSON.stringify(stations.json));
  assert.equal(reported?.receipt_paper_out, false);
  const second = await requestAtStation(wd, 'INKAN-SHOMEI', resident.name);
  assert.equal(second.number, '0002');
  await second.touch('station-finish');
  await until(() => files(back.config.printed, '.pdf').length === 2, 'the 印鑑登録証明書 printed by itself', 30000).catch(async (e) => {
    const queue = await api(server, '/api/v1/issuance/requests', staff);
    saveArtefact('station-09-queue-timeout.png', await back.wd.screenshot());
    throw new Error(`${e.message}; the queue: ${JSON.stringify(queue.json)}`);
  });
  const inkan = pdfText(files(back.config.printed, '.pdf')[1]);
  assert.match(inkan, /印鑑登録証明書/);
  assert.ok(inkan.includes(resident.name.split('\u3000')[0]), 'the resident on the certificate');
  await until(async () => /印刷済/.test(await back.wd.text('[data-testid="queue-state-0002"]')), 'shown as printed');
  // The tower lit for the automatic station's request (amber blinking, buzzer): PNS operation control.
  await until(() => files(back.tower, '.pns').length >= 1, 'the signal tower lit');
  const lit = readFileSync(files(back.tower, '.pns')[0]);
  assert.deepEqual([...lit.subarray(0, 3)], [0x41, 0x42, 0x53], 'AB S');
  assert.equal(lit[7], 0x02, 'amber blinks');
  saveArtefact('station-09-queue-auto.png', await back.wd.screenshot());
  await back.wd.click('[data-testid="queue-alert-ok"]');
  await until(() => files(back.tower, '.pns').length >= 2, 'the signal tower cleared');
  assert.deepEqual([...readFileSync(files(back.tower, '.pns').at(-1)).subarray(6)], [0, 0, 0, 0, 0, 0]);

  // 3. Staff call 0002 and hand it over with cash, on screen.
  await back.wd.click('[data-testid="queue-call-0002"]');
  await until(async () => /呼出済/.test(await back.wd.text('[data-testid="queue-state-0002"]')), 'called');
  await back.wd.click('[data-testid="queue-hand-over-0002"]');
  await back.wd.type('[data-testid="pay-received"]', '1000');
  await back.wd.click('[data-testid="hand-over-done"]');
  await until(async () => /交付済/.test(await back.wd.text('[data-testid="queue-state-0002"]')), 'handed over');
  saveArtefact('station-10-handed-over.png', await back.wd.screenshot());
  const queue = await api(server, '/api/v1/issuance/requests', staff);
  assert.deepEqual(queue.json.map((r) => r.state), ['printed', 'handed_over'], JSON.stringify(queue.json));

  // 4. A 所得・課税証明書 for the newest 課税年度 the demo city's `tax` data holds for the resident (their
  // own: no household step), printed by itself on the back office printer.
  const third = await requestAtStation(wd, 'SHOTOKU-SHOMEI', resident.name, async (_touch, year) => {
    const summary = await wd.text('[data-testid="station-summary"]');
    assert.ok(summary.includes(year.text), `the year confirmed: ${summary}`);
  });
  assert.equal(third.number, '0003');
  assert.ok(third.touches <= 8, `${third.touches} touches plus the PIN`);
  const [, era, n] = /^(令和|平成)(\d+|元)年度（/.exec(third.year.text) ?? [];
  assert.ok(era, `a 課税年度 tile in 和暦 with its income year: ${third.year.text}`);
  await third.touch('station-finish');
  await until(() => files(back.config.printed, '.pdf').length === 3, 'the 所得・課税証明書 printed by itself', 30000);
  const shotoku = pdfText(files(back.config.printed, '.pdf')[2]);
  saveArtefact('station-certificate-tax.pdf', readFileSync(files(back.config.printed, '.pdf')[2]));
  assert.match(shotoku, /所得・課税証明書/);
  assert.match(shotoku, new RegExp(`${era}\\s*${n}\\s*年度`), 'the 課税年度 asked for');
  assert.ok(shotoku.includes(resident.name.split('\u3000')[0]), 'the resident on the certificate');
  const requests = await api(server, '/api/v1/issuance/requests', staff);
  assert.match(requests.json[2].lines[0].name, /^所得・課税証明書（/, JSON.stringify(requests.json[2]));
  await wd.quit();
  await back.wd.quit();
});
