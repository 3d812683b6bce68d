// The desktop terminal app for real: the release binary (UI embedded, tauri:// protocol) in the kiosk
// role under Xvfb, driven by tauri-driver + WebKitWebDriver. A resident moves in (転入) with the virtual
// My Number card (TEST DOUBLE on vsmartcard-vpcd through the real pcscd): touch questions, card + PIN on
// the on-screen keypad, new address, pen signature, submit — and the 申請内容票 and 手続き案内書 come out of
// the (mock) document printer as a PDF, which is kept with the screenshots in tests/desktop/results/.
// Also measured: cold start to the interactive kiosk screen, and memory after the flow.
// Then a resident's 事前申請 (issue 21 point 3): the QR symbols the phone app shows, read by the kiosk's
// serial QR scanner — here a FIFO, the software double of the serial port — fill the kiosk's steps.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  APP, RESULTS, cleanResults, files, newestPid, saveArtefact, startCard, startDisplay, startDriver,
  enroll, postMaintenance, startServer, stopAll, terminalConfig, treePss,
} from './harness.mjs';

after(stopAll);

const report = {};

let shared;
/** The display, the virtual card and the server, started once for this file's tests. */
function environment() {
  shared ??= (async () => {
    const display = await startDisplay();
    await startCard();
    const server = await startServer();
    return { display, server };
  })();
  return shared;
}

test('a resident moves in at the kiosk with the My Number card and gets the printed guide sheet', async () => {
  cleanResults();
  const { display, server } = await environment();
  const config = terminalConfig(server, 'kiosk');
  await enroll(server, config, ['kiosk']);
  // The city announced a planned stop (issue 20 point 6): the kiosk shows it in the resident's language.
  await postMaintenance(server, 'システム更新のため、窓口の端末を停止します。', 'The kiosk is stopped for a system update.');
  const wd = await startDriver(display, config.file);

  const t0 = performance.now();
  await wd.start({ 'tauri:options': { application: APP } });
  await wd.waitFor((ids) => ids.includes('kiosk-start'), 'the kiosk start screen', 30000);
  report.cold_start_ms = Math.round(performance.now() - t0);
  await wd.waitFor((ids) => ids.includes('maintenance-notice'), 'the maintenance notice', 15000);
  assert.match(await wd.execute('return document.body.innerText'), /システム更新のため、窓口の端末を停止します。/);
  saveArtefact('01-start.png', await wd.screenshot());

  // English is offered; back to Japanese for the flow.
  await wd.click('[data-testid="lang-en"]');
  // Each language is its own chunk (loaded at start on a kiosk): wait for the switch.
  let english = '';
  for (let i = 0; i < 50 && !/Welcome|welcome/.test(english); i++) {
    english = await wd.execute('return document.body.innerText');
    if (!/Welcome|welcome/.test(english)) await new Promise((r) => setTimeout(r, 100));
  }
  assert.match(english, /Start|start|Welcome|welcome/);
  assert.match(english, /The kiosk is stopped for a system update\./);
  saveArtefact('02-start-en.png', await wd.screenshot());
  await wd.click('[data-testid="lang-ja"]');

  await wd.click('[data-testid="kiosk-start"]');
  await wd.waitFor((ids) => ids.includes('event-転入'), 'life events');
  saveArtefact('03-events.png', await wd.screenshot());
  await wd.click('[data-testid="event-転入"]');

  const done = new Set();
  let lastNote = 0;
  let answered = 0;
  let shots = 4;
  const shot = async (name) => {
    const t = performance.now();
    saveArtefact(`${String(shots++).padStart(2, '0')}-${name}.png`, await wd.screenshot());
    const ms = performance.now() - t;
    if (ms > 2000) console.log(`screenshot ${name} took ${Math.round(ms)} ms`);
  };
  for (let step = 0; step < 80; step++) {
    const ids = await wd.waitFor((i) => i.length > 0, 'a screen');
    if (ids.includes('receipt-no') || ids.includes('kiosk-done')) break;
    if (ids.includes('answer-no') && !ids.includes('questions-done')) {
      if (answered === 0) await shot('question');
      await wd.click('[data-testid="answer-no"]');
      answered++;
    } else if (ids.includes('answer-option-0') && !ids.includes('questions-done')) {
      if (answered === 0) await shot('question');
      await wd.click('[data-testid="answer-option-0"]');
      answered++;
    } else if (ids.includes('questions-done')) {
      await shot('procedures');
      await wd.click('[data-testid="questions-done"]');
    } else if (ids.includes('id-card') && !done.has('card')) {
      await shot('identity');
      await wd.click('[data-testid="id-card"]');
      done.add('card');
    } else if (ids.includes('pin-key-1') && !done.has('pin')) {
      await wd.waitFor((i) => i.includes('pin-key-1'), 'the PIN pad');
      for (const d of '1234') await wd.click(`[data-testid="pin-key-${d}"]`);
      await shot('pin');
      await wd.click('[data-testid="pin-ok"]');
      await wd.waitFor((i) => i.includes('card-person'), 'the card holder read from the card', 20000);
      // Filled from the card: the resident typed nothing but the PIN.
      const person = await wd.text('[data-testid="card-person"]');
      assert.match(person, /山田/);
      assert.match(person, /昭和55年/);
      assert.match(person, /千代田/);
      await shot('card-read');
      done.add('pin');
    } else if (ids.includes('card-next')) {
      await wd.click('[data-testid="card-next"]');
    } else if (ids.includes('household-next')) {
      assert.match(await wd.text('[data-testid="kiosk-people"]'), /山田/);
      await shot('household');
      await wd.click('[data-testid="household-next"]');
    } else if (ids.some((i) => i.startsWith('town-')) && !done.has('town')) {
      const town = ids.find((i) => /^town-\d/.test(i));
      await wd.click(`[data-testid="${town}"]`);
      done.add('town');
    } else if (ids.includes('banchi-key-1') && !done.has('banchi')) {
      for (const k of ['1', 'dash', '2', 'dash', '3']) await wd.click(`[data-testid="banchi-key-${k}"]`);
      done.add('banchi');
    } else if (ids.includes('address-next')) {
      await shot('address');
      await wd.click('[data-testid="address-next"]');
    } else if (ids.includes('signature-pad') && !done.has('signature')) {
      await wd.stroke('[data-testid="signature-pad"]', [[-150, 10], [-100, -20], [-50, 25], [0, -15], [60, 20], [120, -10]]);
      await wd.stroke('[data-testid="signature-pad"]', [[-80, 40], [80, 35]]);
      await shot('signature');
      done.add('signature');
    } else if (ids.includes('signature-next')) {
      await wd.click('[data-testid="signature-next"]');
    } else if (ids.includes('submit')) {
      await shot('confirm');
      const summary = await wd.execute('return document.body.innerText');
      assert.match(summary, /山田/);
      await wd.click('[data-testid="submit"]');
      await wd.waitFor((i) => i.includes('receipt-no') || i.includes('kiosk-done'), 'the receipt', 30000);
    } else {
      const now = Date.now();
      if (now - lastNote > 2000) {
        console.log(`waiting; on screen: ${ids.join(' ')}`);
        lastNote = now;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const receiptNo = (await wd.text('[data-testid="receipt-no"]')).trim();
  assert.match(receiptNo, /kiosk-e2e-1-\d{4}/);
  await shot('done');
  assert.ok(answered > 0, 'touch questions were answered');

  // The (mock) document printer got one PDF: 申請内容票 and 手続き案内書 for 山田 太郎.
  const pdfs = files(config.printed, '.pdf');
  assert.equal(pdfs.length, 1, 'one print job');
  copyFileSync(pdfs[0], join(RESULTS, 'printed-guide.pdf'));
  const text = execFileSync('pdftotext', ['-layout', pdfs[0], '-']).toString();
  assert.match(text, /山田/);
  assert.match(text, /手続き/);
  assert.match(text, /申請内容/);

  // Memory after the flow: the app and its WebKit processes.
  const pid = newestPid('madoguchi-terminal');
  const mem = treePss(pid);
  report.pss_after_flow_kb = mem.pss;
  report.processes = mem.parts;

  // Staff can find the application on the server, opened by the kiosk's account.
  const login = await fetch(`${server}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: 'demo', user: 'demo', password: 'sakurano-madoguchi', counter: 'shimin-1' }),
  }).then((r) => r.json());
  const today = new Date(Date.now() + 9 * 3600e3).toISOString().slice(0, 10);
  const cases = await fetch(`${server}/api/v1/cases?from=${today}&staff=kiosk-01`, {
    headers: { authorization: `Bearer ${login.token}` },
  }).then((r) => r.json());
  assert.equal(cases.length, 1, JSON.stringify(cases));
  assert.match(cases[0].title, /転入/);
  // The case holds what the card filled in and the resident's two pen strokes.
  const kase = await fetch(`${server}/api/v1/cases/${cases[0].id}`, {
    headers: { authorization: `Bearer ${login.token}` },
  }).then((r) => r.json());
  assert.equal(kase.status, 'open');
  assert.match(kase.document.visitor.name, /山田/);
  assert.equal(kase.document.signature.strokes.length, 2);
  assert.ok(kase.document.memo.includes(receiptNo), 'the receipt number is in the case');

  await wd.quit();
  saveArtefact('report.json', JSON.stringify(report, null, 2));
  console.log(JSON.stringify({ cold_start_ms: report.cold_start_ms, pss_after_flow_kb: report.pss_after_flow_kb }));
});

/** What a resident entered on the phone app (ui/src/apply): a 転入 with their wife and child, signed by
 * the public route into QR symbols (`POST /api/v1/pre-applications/sign`, no login). */
async function signedPreApplication(server) {
  const towns = await fetch(`${server}/api/v1/guide/towns?tenant=demo`).then((r) => r.json());
  const town = towns[0];
  const entries = {
    event: '転入',
    detail: '国内',
    language: 'vi',
    answers: {},
    members: [
      { name: 'グエン ヴァン アン', kana: 'グエン ヴァン アン', romaji: 'NGUYEN VAN AN', birth: '1990-05-01', sex: '男', relation: '本人', mover: true },
      { name: 'グエン ティ ビン', kana: 'グエン ティ ビン', romaji: 'NGUYEN THI BINH', birth: '1992-07-07', sex: '女', relation: '妻', mover: true },
      { name: 'グエン ヴァン ミン', kana: 'グエン ヴァン ミン', romaji: 'NGUYEN VAN MINH', birth: '2019-02-03', sex: '男', relation: '子', mover: true },
    ],
    old_address: '大阪府大阪市北区梅田1-1-1',
    new_address: { town: town.town, town_code: town.town_code, postal_code: town.postal_code, banchi: '3-4-5', katagaki: '' },
  };
  const res = await fetch(`${server}/api/v1/pre-applications/sign?tenant=demo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ entries }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return { symbols: (await res.json()).symbols, town };
}

test('a resident’s 事前申請 QR code, read by the serial scanner, fills the kiosk', async () => {
  const { display, server } = await environment();
  const config = terminalConfig(server, 'kiosk');
  // The serial QR scanner's software double: a FIFO the runtime reads line by line (devices.rs), as it
  // reads /dev/ttyACM0; a write of one line is one scan.
  const scanner = join(config.dir, 'qr-scanner.fifo');
  execFileSync('mkfifo', [scanner]);
  const toml = readFileSync(config.file, 'utf8').replace('terminal_id = "kiosk-e2e-1"', 'terminal_id = "kiosk-e2e-2"');
  writeFileSync(config.file, toml);
  appendFileSync(config.file, `qr_scanner = "${scanner}"\n`);
  await enroll(server, config, ['kiosk']);
  const { symbols, town } = await signedPreApplication(server);
  assert.ok(symbols.length > 1, `a code in several symbols (${symbols.length})`);
  const wd = await startDriver(display, config.file);
  await wd.start({ 'tauri:options': { application: APP } });
  await wd.waitFor((ids) => ids.includes('pre-by-number'), 'the start screen’s 事前申請 invitation', 30000);
  assert.match(await wd.text('[data-testid="kiosk-pre"]'), /スマートフォンで事前申請をした方は、QRコードを読み取り機にかざしてください/);
  // The window is smaller than a kiosk's screen: the invitation is scrolled into view for the pictures.
  const showInvitation = () =>
    wd.execute(`document.querySelector('[data-testid="kiosk-pre"]').scrollIntoView({ block: 'center' })`);
  await showInvitation();
  saveArtefact('pre-application-kiosk-1-start.png', await wd.screenshot());

  // The first symbol: the kiosk counts what is read and what remains.
  // (Opening the FIFO for writing waits until the runtime has it open for reading.)
  writeFileSync(scanner, `${symbols[0]}\n`);
  await wd.waitFor((ids) => ids.includes('pre-progress'), 'the parts read so far', 20000);
  assert.match(await wd.text('[data-testid="pre-progress"]'), new RegExp(`QRコード${symbols.length}枚のうち1枚を読み取りました`));
  await showInvitation();
  saveArtefact('pre-application-kiosk-2-progress.png', await wd.screenshot());
  for (const symbol of symbols.slice(1)) writeFileSync(scanner, `${symbol}\n`);
  await wd.waitFor((ids) => ids.includes('pre-loaded'), 'the 事前申請 loaded', 30000);
  assert.match(await wd.text('[data-testid="pre-loaded"]'), /事前申請の内容を読み込みました/);
  // The banner sits above the screen, never beside it (beside, it pushed the keypads out of the window).
  const above = await wd.execute(`const b = document.querySelector('[data-testid="pre-loaded"]').getBoundingClientRect();
    const s = document.querySelector('.kiosk-screen').getBoundingClientRect();
    return b.bottom <= s.top && Math.abs(b.left - s.left) < 2;`);
  assert.ok(above, 'the banner above the screen');
  saveArtefact('pre-application-kiosk-3-loaded.png', await wd.screenshot());

  // Through the usual steps: 手続きナビ, then the card (identity is still the card's).
  for (let step = 0; step < 60; step++) {
    const ids = await wd.waitFor((i) => i.length > 0, 'a screen');
    if (ids.includes('household-next')) break;
    if (ids.includes('answer-no') && !ids.includes('questions-done')) await wd.click('[data-testid="answer-no"]');
    else if (ids.includes('answer-option-0') && !ids.includes('questions-done')) await wd.click('[data-testid="answer-option-0"]');
    else if (ids.includes('questions-done')) await wd.click('[data-testid="questions-done"]');
    else if (ids.includes('id-card')) await wd.click('[data-testid="id-card"]');
    else if (ids.includes('pin-key-1') && !ids.includes('card-person')) {
      for (const d of '1234') await wd.click(`[data-testid="pin-key-${d}"]`);
      await wd.waitFor((i) => i.includes('pin-ok'), 'the PIN entered (OK enabled)');
      await wd.click('[data-testid="pin-ok"]');
      await wd.waitFor((i) => i.includes('card-person'), 'the card holder read from the card', 20000);
    } else if (ids.includes('card-next')) await wd.click('[data-testid="card-next"]');
    else await new Promise((r) => setTimeout(r, 100));
  }
  const people = await wd.text('[data-testid="kiosk-people"]');
  assert.match(people, /山田/, 'the applicant is the card holder');
  assert.match(people, /グエン ティ ビン/);
  assert.match(people, /グエン ヴァン ミン/);
  assert.doesNotMatch(people, /グエン ヴァン アン/, 'the phone’s own entry of the applicant is not taken');
  saveArtefact('pre-application-kiosk-4-household.png', await wd.screenshot());

  await wd.click('[data-testid="household-next"]');
  await wd.waitFor((ids) => ids.includes('address-next'), 'the new address');
  const preview = await wd.text('[data-testid="address-preview"]');
  assert.ok(preview.includes(town.full), `${preview} names ${town.full}`);
  assert.match(preview, /3番5号|3-4-5|三丁目4番5号/);
  saveArtefact('pre-application-kiosk-5-address.png', await wd.screenshot());
  await wd.quit();
});
