// 事前申請 at the counter end to end (issue 21 point 3): a resident's entries signed into QR codes by
// the public sign route (as the phone app does), the codes decoded from a screenshot of the SVGs the
// server drew, typed into the visit's search field as a keyboard-wedge scanner types them; 事前申請の
// 読み取り shows the household matched with the 住民記録, the mistyped カナ highlighted, and the visit
// opens pre-filled. Then the same with a 受付番号 sent through the public send route. Screenshots
// `pre-application-counter-N-…` (the manual, docs/pre-application.md §5). Last, the staff PC's camera
// (a TEST DOUBLE: Chromium's fake camera playing the phone's QR codes as a video) reads a code of
// several symbols through the real getUserMedia and the page's decoder.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fakeCameraArgs, writeY4m } from '../../tests/support/fakeCamera.mjs';
import { launchBrowser, screenshot, startServer } from './harness.mjs';

const require = createRequire(import.meta.url);
const jsQR = require('jsqr');
const { PNG } = require('pngjs');

const PASSWORD = 'sakurano-madoguchi';
let server;
let browser;

before(async () => {
  server = await startServer({ residents: 2000 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function api(path, token, body, method = body ? 'POST' : 'GET') {
  const res = await fetch(`${server.base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

/** A resident of the demo city (not under 支援措置) with a household of two or more. */
async function demoHousehold() {
  const login = await api('/api/v1/auth/login', null, { tenant: 'demo', user: 'demo', password: PASSWORD, counter: 'shimin-1' });
  assert.equal(login.status, 200, JSON.stringify(login.json));
  const token = login.json.token;
  const found = await api(`/api/v1/residents?q=${encodeURIComponent('スズキ')}&limit=50`, token);
  for (const r of found.json.results) {
    if (r.address_masked || !r.birth_date || r.relation !== '世帯主') continue;
    const h = await api(`/api/v1/households/${r.household_no}`, token);
    if (h.status === 200 && h.json.members.length >= 2) return h.json.members;
  }
  throw new Error('no demo household found');
}

/** The entries a resident types: their household as recorded, the head's カナ mistyped. */
function entriesOf(members) {
  const typed = members.slice(0, 2).map((m, i) => ({
    name: m.name,
    kana: i === 0 ? `${m.kana}ー` : (m.kana ?? ''),
    birth: m.birth_date,
    sex: m.sex_label.startsWith('女') ? '女' : '男',
    relation: m.relation,
    mover: true,
  }));
  return {
    event: '転居',
    language: 'vi',
    answers: {},
    members: typed,
    old_address: members[0].address?.full ?? '',
    new_address: { town: '本町二丁目', banchi: '3-4', katagaki: '' },
    phone: '090-0000-0000',
  };
}

/** Each SVG drawn on a page, screenshotted and decoded as a camera would read it. */
async function decodeSvgs(page, svgs) {
  const texts = [];
  for (const [i, svg] of svgs.entries()) {
    await page.setContent(`<body style="margin:0;background:#fff"><div id="qr" style="width:480px;height:480px">${svg}</div></body>`);
    await page.locator('#qr svg').evaluate((el) => {
      el.setAttribute('width', '480');
      el.setAttribute('height', '480');
    });
    const png = PNG.sync.read(await page.locator('#qr').screenshot());
    if (i === 0) await screenshot(page, 'pre-application-counter-1-phone-qr');
    const code = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
    assert.ok(code, `QR code ${i + 1} decoded from the screenshot`);
    texts.push(code.data);
  }
  return texts;
}

async function login(page) {
  await page.goto(`${server.base}/#/login`);
  await page.getByLabel('窓口').selectOption({ label: '市民課 1番窓口' });
  await page.getByLabel('ユーザーID').fill('demo');
  await page.getByLabel('パスワード').fill(PASSWORD);
  await page.getByLabel('パスワード').press('Enter');
  await page.getByTestId('visit-search-input').waitFor();
}

async function expectPrefilledVisit(page, members) {
  await page.getByTestId('step-panel-notification').waitFor();
  const panel = await page.getByTestId('step-panel-notification').innerText();
  assert.match(panel, new RegExp(members[0].name.split(/\s|\u3000/)[0]));
}

test('a signed 事前申請 QR code, scanned at the counter, opens a matched and pre-filled visit', async () => {
  const members = await demoHousehold();
  const entries = entriesOf(members);
  const signed = await api('/api/v1/pre-applications/sign?tenant=demo', null, { entries });
  assert.equal(signed.status, 200, JSON.stringify(signed.json));
  assert.equal(signed.json.symbols.length, signed.json.svgs.length);

  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1366, height: 900 } });
  const phone = await context.newPage();
  const symbols = await decodeSvgs(phone, signed.json.svgs);
  assert.deepEqual(symbols, signed.json.symbols, 'the screenshots read back as the signed symbols');

  const page = await context.newPage();
  await login(page);
  // The keyboard wedge types each symbol and Enter into the focused search field.
  for (const s of symbols) {
    await page.getByTestId('visit-search-input').fill('');
    await page.keyboard.type(s);
    await page.keyboard.press('Enter');
  }
  await page.getByTestId('pre-application-page').waitFor();
  await page.getByTestId('pre-summary').getByText('QRコードから読み取りました').waitFor();
  const head = page.getByTestId('pre-member-0');
  await head.getByTestId(`pre-candidate-${members[0].atena_no}`).waitFor();
  // The mistyped カナ stands out; the record's is shown.
  const diff = head.getByTestId('pre-diff-kana');
  await diff.waitFor();
  assert.equal(await diff.innerText(), members[0].kana);
  await head.getByText('入力と違う項目: カナ').waitFor();
  await screenshot(page, 'pre-application-counter-2-matched');
  await page.getByTestId('pre-start').click();
  await expectPrefilledVisit(page, members);
  await screenshot(page, 'pre-application-counter-3-visit');
  await context.close();
});

test('a 事前申請 sent under a 受付番号 is read by typing the number', async () => {
  const members = await demoHousehold();
  const entries = entriesOf(members);
  const sent = await api('/api/v1/pre-applications/send?tenant=demo', null, { write_id: 'e2e-phone-1', entries });
  assert.equal(sent.status, 200, JSON.stringify(sent.json));
  const again = await api('/api/v1/pre-applications/send?tenant=demo', null, { write_id: 'e2e-phone-1', entries });
  assert.equal(again.json.number, sent.json.number, 'a retried sending keeps its number');
  const number = sent.json.number;

  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await login(page);
  await page.getByTestId('nav-pre-application').click();
  // A mistyped number is caught by its check digit before anything is read.
  const wrong = `${number.slice(0, 7)}${(Number(number[7]) + 1) % 10}`;
  await page.getByTestId('pre-number-input').fill(wrong);
  await page.getByTestId('pre-number-submit').click();
  await page.getByTestId('pre-error').getByText('受付番号が正しくありません').waitFor();
  await screenshot(page, 'pre-application-counter-4-typo');
  await page.getByTestId('pre-number-input').fill(`${number.slice(0, 4)}-${number.slice(4)}`);
  await page.getByTestId('pre-number-submit').click();
  await page.getByTestId('pre-summary').getByText(`受付番号 ${number.slice(0, 4)}-${number.slice(4)} から読み込みました`).waitFor();
  await page.getByTestId('pre-member-0').getByTestId('pre-diff-kana').waitFor();
  await screenshot(page, 'pre-application-counter-5-number');
  await page.getByTestId('pre-start').click();
  await expectPrefilledVisit(page, members);
  await context.close();

  // The resident deletes it with the applicant's birth date; the number then finds nothing.
  const wrongBirth = await api(`/api/v1/pre-applications/${number}/delete?tenant=demo`, null, { birth: '1900-01-01' });
  assert.equal(wrongBirth.status, 404);
  const deleted = await api(`/api/v1/pre-applications/${number}/delete?tenant=demo`, null, { birth: entries.members[0].birth });
  assert.equal(deleted.status, 204);
});

/** Each SVG drawn on a 640×480 white picture (a phone held up to the camera), as pngjs pictures. */
async function cameraPictures(page, svgs) {
  await page.setViewportSize({ width: 640, height: 480 });
  const pictures = [];
  for (const svg of svgs) {
    await page.setContent(
      `<body style="margin:0;background:#fff;display:flex;align-items:center;justify-content:center;height:480px">` +
        `<div id="qr" style="width:360px;height:360px">${svg}</div></body>`,
    );
    await page.locator('#qr svg').evaluate((el) => {
      el.setAttribute('width', '360');
      el.setAttribute('height', '360');
    });
    pictures.push(PNG.sync.read(await page.screenshot()));
  }
  return pictures;
}

test('the staff PC\'s camera reads a 事前申請 of several QR codes and opens it', async () => {
  const members = await demoHousehold();
  const entries = entriesOf(members);
  // A long entry (a note on every person's 続柄 would do): enough text for more than one symbol.
  entries.members = [...entries.members, ...Array.from({ length: 3 }, (_, i) => ({ ...entries.members[1], name: `${entries.members[1].name}${i}`, kana: `${entries.members[1].kana}${'ア'.repeat(i + 1)}` }))];
  const signed = await api('/api/v1/pre-applications/sign?tenant=demo', null, { entries });
  assert.equal(signed.status, 200, JSON.stringify(signed.json));
  assert.ok(signed.json.svgs.length >= 2, `a code of several symbols (${signed.json.svgs.length})`);

  const drawing = await browser.newPage();
  const video = join(mkdtempSync(join(tmpdir(), 'madoguchi-camera-')), 'phone.y4m');
  writeY4m(video, await cameraPictures(drawing, signed.json.svgs), 15);
  await drawing.close();

  const cameraBrowser = await launchBrowser(fakeCameraArgs(video));
  try {
    const context = await cameraBrowser.newContext({ locale: 'ja-JP', viewport: { width: 1366, height: 900 } });
    await context.grantPermissions(['camera'], { origin: server.base });
    const page = await context.newPage();
    await login(page);
    await page.getByTestId('camera-scan').click();
    await page.getByTestId('camera-dialog').waitFor();
    await page.locator('[data-testid="camera-status"][data-phase="scanning"]').waitFor();
    // The first symbol read asks for the rest while the "phone" shows the next one.
    await page.getByTestId('camera-feedback').getByText(/QRコードは\d枚に分かれています/).waitFor({ timeout: 20000 });
    await screenshot(page, 'pre-application-counter-6-camera');
    await page.getByTestId('pre-application-page').waitFor({ timeout: 30000 });
    assert.equal(await page.getByTestId('camera-dialog').count(), 0, 'the camera closes once the code is complete');
    await page.getByTestId('pre-summary').getByText('QRコードから読み取りました').waitFor();
    // Everyone typed on the phone came through the symbols.
    await page.getByTestId(`pre-member-${entries.members.length - 1}`).waitFor();
    assert.equal(await page.locator('[data-testid^="pre-member-"]').count(), entries.members.length);
    await context.close();
  } finally {
    await cameraBrowser.close();
  }
});
