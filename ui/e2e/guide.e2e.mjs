// The public 手続きガイド end to end (docs/pre-application.md §3): no login, a phone's viewport, the demo
// city. A family moving in is described by ages, the questions are answered, the procedures are listed
// with what to bring; the page's URL, opened elsewhere, shows the same answer. Nothing is stored.
// Run by `cargo xtask test` (see ../README.md).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
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

async function codes(page) {
  await page.getByTestId('guide-procedure').first().waitFor();
  return page.getByTestId('guide-procedure').evaluateAll((els) => els.map((e) => e.dataset.code));
}

test('a resident finds the procedures of a move on a phone, without logging in, and shares them', async () => {
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, bypassCSP: true }); // bypassCSP: axe-core is injected
  const page = await context.newPage();
  await page.goto(`${server.base}/#/guide?tenant=demo`);
  await page.getByTestId('guide-choose').waitFor();
  assert.deepEqual(await axeViolations(page), [], 'WCAG 2.1 AA (axe-core) before any answer');
  await page.getByTestId('guide-event-転入').click();
  await page.getByTestId('guide-add').click();
  await page.getByTestId('guide-kokuho').first().check();
  await page.getByTestId('guide-age').first().fill('41');
  await page.getByTestId('guide-add').click();
  await page.getByTestId('guide-age').nth(1).fill('8');
  assert.equal(await page.getByTestId('guide-relation').nth(1).inputValue(), '子');
  const first = await codes(page);
  assert.ok(first.includes('JUKI-TENNYU'), first.join(' '));
  await screenshot(page, 'guide-1-household');

  // Every question answered はい, until none is left.
  for (let i = 0; i < 12 && (await page.getByTestId('guide-yes').count()) > 0; i++) {
    const before = await page.getByTestId('guide-question').count();
    await page.getByTestId('guide-yes').first().click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="guide-question"]').length !== n || document.querySelectorAll('[data-testid="guide-answers"] li').length > 0, before);
    await page.waitForTimeout(200);
  }
  const all = await codes(page);
  assert.ok(all.length >= first.length, `${all.length} procedures after the answers`);
  assert.ok(all.some((c) => c.startsWith('JIDOU')), `a child's procedure: ${all.join(' ')}`);
  const text = await page.getByTestId('guide-result').textContent();
  assert.match(text, /持ち物：/);
  assert.doesNotMatch(text, /根拠|guidance/);
  await screenshot(page, 'guide-2-procedures');
  assert.deepEqual(await axeViolations(page), [], 'WCAG 2.1 AA (axe-core)');

  // The URL holds the answers: another browser sees the same list.
  const url = await page.getByTestId('guide-url').inputValue();
  assert.match(url, /#\/guide\?tenant=demo&e=/);
  const other = await (await browser.newContext({ locale: 'ja-JP' })).newPage();
  await other.goto(url);
  assert.deepEqual(await codes(other), all);
  await other.context().close();
  await context.close();
});
