// The resident's phone app end to end (docs/pre-application.md §4): a phone's viewport, no login, the
// demo city. A family's 転入 is entered in Vietnamese (the phone's language) with the 和暦 date fields
// and the city's 町字 found by postcode; 手続きナビ's questions are answered in Vietnamese; the signed QR
// code is shown, read back from the phone's screen as a camera would, typed into the staff app's visit
// search as a keyboard-wedge scanner types it, and the visit opens pre-filled. The app opens again
// offline with the entries kept.
// Accessibility: axe-core (WCAG 2.1 AA) on every step, and no sideways scrolling at 200 % zoom.
// Run by `cargo xtask test` (see ../README.md).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { qrCodeOfPng } from '../../tests/support/qr.mjs';
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
  await page.getByTestId(`${testId}-era`).selectOption(era);
  await page.getByTestId(`${testId}-year`).selectOption(String(year));
  await page.getByTestId(`${testId}-month`).selectOption(String(month));
  await page.getByTestId(`${testId}-day`).selectOption(String(day));
}

/** Fills a family of two moving in, up to the procedures (`shot`: screenshot name prefix, or none). */
async function enterFamily(page, shot = null) {
  await page.getByTestId('apply-start-button').click();
  await page.getByTestId('apply-event-転入').click();
  await checkStep(page, 'event');
  await page.getByTestId('apply-next').click();
  await page.getByTestId('apply-name').fill('桜野 太郎');
  await page.getByTestId('apply-kana').fill('サクラノ タロウ');
  await pickDate(page, 'apply-birth-0', { era: 'era.showa', year: 60, month: 4, day: 2 });
  assert.match(await page.getByTestId('apply-birth-0-other').textContent(), /1985\/04\/02/);
  await page.getByTestId('apply-add').click();
  await page.getByTestId('apply-name').nth(1).fill('桜野 花子');
  await pickDate(page, 'apply-birth-1', { era: 'era.heisei', year: 30, month: 7, day: 7 });
  await page.getByTestId('apply-relation').selectOption('子');
  await checkStep(page, 'people');
  if (shot) await screenshot(page, `${shot}-1-people`);
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
  if (shot) await screenshot(page, `${shot}-2-address`);
  await page.getByTestId('apply-next').click();
  await page.getByTestId('guide-procedure').first().waitFor();
}

test('a family prepares its 転入 in Vietnamese; the counter scans the QR code off the phone and the visit opens pre-filled', async () => {
  const context = await browser.newContext({ ...PHONE, locale: 'vi-VN' });
  const page = await context.newPage();
  await page.goto(`${server.base}/apply/?tenant=demo`);
  await page.locator('[data-testid="apply-app"][data-lang="vi"]').waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
  assert.notEqual(await page.getByTestId('apply-start-button').textContent(), 'はじめる', 'the start button speaks Vietnamese');
  await checkStep(page, 'start');
  await enterFamily(page, 'apply');
  // 手続きナビ in Vietnamese: the procedures' names are not the Japanese ones; every question answered "no".
  const name = await page.getByTestId('guide-procedure').first().locator('strong').first().textContent();
  assert.match(name, /^[^\u3000-\u9fff]*[a-zà-ỹ]/i, `a procedure name in Vietnamese first: ${name}`);
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
  const image = page.getByTestId('apply-qr-image');
  await image.waitFor();
  await checkStep(page, 'qr');
  await screenshot(page, 'apply-4-qr');

  // Every symbol read off the phone's screen, as the counter's camera would.
  const parts = Number(await image.getAttribute('data-parts'));
  const symbols = [];
  for (let i = 0; i < parts; i++) {
    const text = qrCodeOfPng(await image.screenshot());
    assert.match(text ?? '', /^MDG1\./, `symbol ${i + 1} of ${parts} reads`);
    symbols.push(text);
    if (i < parts - 1) await page.getByTestId('apply-qr-next').click();
  }

  // The counter: the keyboard wedge types each symbol and Enter into the visit's search field.
  const counter = await (await browser.newContext({ locale: 'ja-JP', viewport: { width: 1366, height: 900 } })).newPage();
  await counter.goto(`${server.base}/#/login`);
  await counter.getByLabel('窓口').selectOption({ label: '市民課 1番窓口' });
  await counter.getByLabel('ユーザーID').fill('demo');
  await counter.getByLabel('パスワード').fill('sakurano-madoguchi');
  await counter.getByLabel('パスワード').press('Enter');
  await counter.getByTestId('visit-search-input').waitFor();
  for (const s of symbols) {
    await counter.getByTestId('visit-search-input').fill('');
    await counter.keyboard.type(s);
    await counter.keyboard.press('Enter');
  }
  await counter.getByTestId('pre-application-page').waitFor();
  const summary = await counter.getByTestId('pre-summary').innerText();
  assert.match(summary, /QRコードから読み取りました/);
  assert.match(summary, /ベトナム語|Tiếng Việt|vi/, `the staff see the resident's language: ${summary}`);
  await screenshot(counter, 'apply-5-counter-scan');
  await counter.getByTestId('pre-start').click();
  await counter.getByTestId('step-panel-notification').waitFor();
  const panel = await counter.getByTestId('step-panel-notification').innerText();
  assert.match(panel, /桜野/, 'the household as the resident typed it');
  assert.match(panel, /転入/);
  await screenshot(counter, 'apply-6-counter-visit');
  await counter.context().close();

  // Sent for a 受付番号, then deleted by the resident with the number and the birth date.
  await page.getByTestId('apply-send-button').click();
  assert.match((await page.getByTestId('apply-number').textContent()).trim(), /^\d{4}-\d{4}$/);
  await screenshot(page, 'apply-7-sent');
  await page.getByTestId('apply-delete').locator('summary').click();
  await page.getByTestId('apply-delete-button').click();
  await page.getByTestId('apply-send-message').waitFor();
  assert.equal(await page.getByTestId('apply-number').count(), 0, 'the number is gone once deleted');
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
  await screenshot(page, 'apply-8-offline');
  await context.setOffline(false);
  await context.close();
});

test('at 200 % zoom the steps still fit the phone without sideways scrolling', async () => {
  // 200 % zoom on a 390 px phone lays the page out in 195 CSS pixels.
  const context = await browser.newContext({ ...PHONE, viewport: { width: 195, height: 422 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  await page.goto(`${server.base}/apply/?tenant=demo`);
  assert.ok(await fitsWidth(page), 'start step');
  await page.getByTestId('apply-start-button').click();
  assert.ok(await fitsWidth(page), 'event step');
  await page.getByTestId('apply-event-転居').click();
  await page.getByTestId('apply-next').click();
  assert.ok(await fitsWidth(page), 'people step');
  await context.close();
});
