// The resident's phone app end to end (docs/pre-application.md §4): a phone's viewport, no login, the
// demo city. A family's 転入 is entered with the 和暦 date fields and the city's 町字 found by postcode;
// 手続きナビ's questions are answered; the signed QR code is shown, read back from the screen as a
// scanner would, and resolved by the server; the app opens again offline with the entries kept.
// Accessibility: axe-core (WCAG 2.1 AA) on every step, and no sideways scrolling at 200 % zoom.
// Run by `cargo xtask test` (see ../README.md).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { qrCodeOfPng } from '../../tests/support/qr.mjs';
import { api } from '../../tests/support/station.mjs';
import { axeViolations, launchBrowser, screenshot, startServer } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ residents: 200 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const PHONE = { locale: 'ja-JP', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, bypassCSP: true }; // bypassCSP: axe-core is injected

/** No element wider than the screen: the page reads without sideways scrolling. */
async function fitsWidth(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1);
}

async function checkStep(page, name) {
  assert.deepEqual(await axeViolations(page), [], `WCAG 2.1 AA (axe-core): ${name}`);
  assert.ok(await fitsWidth(page), `${name} fits the phone's width`);
}

async function pickDate(page, testId, { era, year, month, day }) {
  await page.getByTestId(`${testId}-era`).selectOption({ label: era });
  await page.getByTestId(`${testId}-year`).selectOption(String(year));
  await page.getByTestId(`${testId}-month`).selectOption(String(month));
  await page.getByTestId(`${testId}-day`).selectOption(String(day));
}

/** Fills a family of two moving in, up to the procedures. */
async function enterFamily(page) {
  await page.getByTestId('apply-start-button').click();
  await page.getByTestId('apply-event-転入').click();
  await checkStep(page, 'event');
  await page.getByTestId('apply-next').click();
  await page.getByTestId('apply-name').fill('桜野 太郎');
  await page.getByTestId('apply-kana').fill('サクラノ タロウ');
  await pickDate(page, 'apply-birth-0', { era: '昭和', year: 60, month: 4, day: 2 });
  assert.equal(await page.getByTestId('apply-birth-0-other').textContent(), '西暦 1985/04/02');
  await page.getByTestId('apply-add').click();
  await page.getByTestId('apply-name').nth(1).fill('桜野 花子');
  await pickDate(page, 'apply-birth-1', { era: '平成', year: 30, month: 7, day: 7 });
  await page.getByTestId('apply-relation').selectOption('子');
  await checkStep(page, 'people');
  await screenshot(page, 'apply-1-people');
  await page.getByTestId('apply-next').click();
  await page.getByTestId('apply-old-address').fill('東京都新宿区西新宿二丁目8番1号');
  const first = page.getByTestId('apply-town-label').first();
  await first.waitFor();
  const label = await first.textContent();
  const postcode = label.match(/〒(\d{3}-\d{4})/)?.[1];
  assert.ok(postcode, `the demo towns have postcodes: ${label}`);
  await page.getByTestId('apply-town-search').fill(postcode.replace('-', ''));
  await page.getByTestId('apply-town-option').first().check();
  await page.getByTestId('apply-banchi').fill('1-2-3');
  await checkStep(page, 'address');
  await screenshot(page, 'apply-2-address');
  await page.getByTestId('apply-next').click();
  await page.getByTestId('guide-procedure').first().waitFor();
}

test('a family prepares its 転入 on a phone and gets a signed QR code the counter can read', async () => {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(`${server.base}/apply/?tenant=demo`);
  await checkStep(page, 'start');
  await enterFamily(page);
  for (let i = 0; i < 12 && (await page.getByTestId('guide-no').count()) > 0; i++) {
    const before = await page.getByTestId('guide-question').count();
    await page.getByTestId('guide-no').first().click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="guide-question"]').length !== n, before);
  }
  const codes = await page.getByTestId('guide-procedure').evaluateAll((els) => els.map((e) => e.dataset.code));
  assert.ok(codes.includes('JUKI-TENNYU'), codes.join(' '));
  await checkStep(page, 'procedures');
  await screenshot(page, 'apply-3-procedures');
  await page.getByTestId('apply-next').click();
  await page.getByTestId('apply-qr-image').waitFor();
  await checkStep(page, 'qr');
  await screenshot(page, 'apply-4-qr');

  // Read every symbol off the screen as the counter's camera would, and let the server check them.
  const parts = await page.getByTestId('apply-qr-part').count() > 0
    ? Number((await page.getByTestId('apply-qr-part').textContent()).match(/(\d+)枚あります/)[1])
    : 1;
  const symbols = [];
  for (let i = 0; i < parts; i++) {
    const text = qrCodeOfPng(await page.getByTestId('apply-qr-image').screenshot());
    assert.match(text ?? '', /^MDG1\./, `symbol ${i + 1} of ${parts} reads`);
    symbols.push(text);
    if (i < parts - 1) await page.getByTestId('apply-qr-next').click();
  }
  const login = await api(server.base, '/api/v1/auth/login', null, { tenant: 'demo', user: 'demo', password: 'sakurano-madoguchi', counter: 'shimin-1' });
  assert.equal(login.status, 200, JSON.stringify(login.json));
  const resolved = await api(server.base, '/api/v1/qr/resolve', login.json.token, { symbols });
  assert.equal(resolved.status, 200, JSON.stringify(resolved.json));
  assert.equal(resolved.json.kind, 'pre_application');
  const body = JSON.parse(resolved.json.body);
  assert.equal(body.tenant, 'demo');
  assert.deepEqual(body.entries.members.map((m) => [m.name, m.birth, m.relation]), [
    ['桜野 太郎', '1985-04-02', '本人'],
    ['桜野 花子', '2018-07-07', '子'],
  ]);
  assert.equal(body.entries.new_address.banchi, '1-2-3');

  // Sent for a 受付番号, then deleted by the resident with the number and the birth date.
  await page.getByTestId('apply-send-button').click();
  const number = (await page.getByTestId('apply-number').textContent()).trim();
  assert.match(number, /^\d+$/);
  await screenshot(page, 'apply-5-sent');
  await page.getByTestId('apply-delete').locator('summary').click();
  await page.getByTestId('apply-delete-button').click();
  assert.match(await page.getByTestId('apply-send-message').textContent(), /削除しました/);
  await context.close();
});

test('once opened, the app opens again offline with the entries kept, and says what needs a network', async () => {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(`${server.base}/apply/?tenant=demo`);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await enterFamily(page);
  await context.setOffline(true);
  await page.reload();
  await page.getByTestId('apply-offline').waitFor();
  await page.getByTestId('apply-start-button').click();
  assert.equal(await page.getByTestId('apply-event-転入').getAttribute('aria-checked'), 'true');
  await page.getByTestId('apply-next').click();
  assert.equal(await page.getByTestId('apply-name').first().inputValue(), '桜野 太郎');
  await page.getByTestId('apply-next').click();
  await page.getByTestId('apply-next').click();
  // The same entries: the procedures fetched before are shown from the phone, and said to be so.
  await page.getByTestId('apply-offline-copy').waitFor();
  assert.ok((await page.getByTestId('guide-procedure').count()) > 0);
  await page.getByTestId('apply-next').click();
  assert.match(await page.getByTestId('apply-qr-error').textContent(), /電波がないため/);
  await screenshot(page, 'apply-6-offline');
  await context.setOffline(false);
  await context.close();
});

test('at 200 % zoom the steps still fit the phone without sideways scrolling', async () => {
  // 200 % zoom on a 390 px phone lays the page out in 195 CSS pixels.
  const context = await browser.newContext({ ...PHONE, viewport: { width: 195, height: 422 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  await page.goto(`${server.base}/apply/?tenant=demo`);
  await page.getByTestId('apply-start-button').click();
  assert.ok(await fitsWidth(page), 'event step');
  await page.getByTestId('apply-event-転居').click();
  await page.getByTestId('apply-next').click();
  assert.ok(await fitsWidth(page), 'people step');
  await context.close();
});
