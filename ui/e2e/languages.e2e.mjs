// The public 手続きガイド in the resident's language (docs/pre-application.md §6): Vietnamese from the
// language menu, kept in the page's URL; procedure names, a question and its answers in Vietnamese; the
// city's own procedure (no translation) shown in Japanese, marked 「日本語」 with lang="ja"; the page's
// lang attribute follows; axe-core AA clean. Run by `cargo xtask test` (see ../README.md).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { axeViolations, launchBrowser, screenshot, startServer } from './harness.mjs';

const PASSWORD = 'sakurano-madoguchi';

/** The city's own procedure, published by the administrator: it has no translation. */
const LOCAL = `
[[procedures]]
code = "LOCAL-GOMI-BUKURO"
name = "指定ごみ袋の配布"
department = "環境課"
counter = "環境課 窓口"
on_the_spot = true
guidance = "転入世帯に指定ごみ袋を1セット渡す。"
legal_basis = "さくら野市要綱"
explanation = "転入された世帯に指定ごみ袋をお渡しします。"
permission = "accept_notification"
valid_from = "2000-04-01"
[[procedures.rules]]
when = 'event.kind == "転入"'
reason = "転入された世帯のため"
`;

let server;
let browser;

before(async () => {
  server = await startServer({ residents: 200 });
  browser = await launchBrowser();
  const login = await fetch(`${server.base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: 'demo', user: 'demo', password: PASSWORD, counter: 'kanri' }),
  });
  assert.equal(login.status, 200, await login.clone().text());
  const { token } = await login.json();
  const put = await fetch(`${server.base}/api/v1/admin/navigation-rules`, {
    method: 'PUT',
    headers: { 'content-type': 'text/plain', authorization: `Bearer ${token}` },
    body: LOCAL,
  });
  assert.equal(put.status, 204, await put.text());
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const procedure = (page, code) => page.locator(`[data-testid="guide-procedure"][data-code="${code}"]`);

test('a resident reads the guide in Vietnamese, with the untranslated procedure marked as Japanese', async () => {
  const context = await browser.newContext({ locale: 'vi-VN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, bypassCSP: true }); // bypassCSP: axe-core is injected
  const page = await context.newPage();
  await page.goto(`${server.base}/#/guide?tenant=demo`);
  await page.getByTestId('guide-choose').waitFor();
  await page.getByTestId('guide-lang').selectOption('vi');
  await page.getByRole('heading', { name: 'Hướng dẫn thủ tục' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'vi');
  assert.match(page.url(), /lang=vi/);
  await screenshot(page, 'languages-1-menu');

  await page.getByTestId('guide-event-転入').click();
  await page.getByTestId('guide-add').click();
  await page.getByTestId('guide-age').first().fill('34');
  await procedure(page, 'JUKI-TENNYU').waitFor();
  // A standard procedure: in Vietnamese, nothing marked in its name.
  const tennyu = procedure(page, 'JUKI-TENNYU');
  const name = await tennyu.locator('strong').textContent();
  assert.match(name, /chuyển đến/i, name); // (with the Japanese name in brackets, as the counter says it)
  assert.equal(await tennyu.locator('strong [data-testid="i18n-fallback"]').count(), 0);
  // The city's own procedure: Japanese, marked, pronounced as Japanese.
  const local = procedure(page, 'LOCAL-GOMI-BUKURO').locator('strong [data-testid="i18n-fallback"]');
  assert.equal(await local.getAttribute('lang'), 'ja');
  assert.equal(await local.textContent(), '指定ごみ袋の配布日本語');
  // A question in Vietnamese, answered with はい's Vietnamese label.
  const question = page.getByTestId('guide-question').first();
  await question.waitFor();
  const legend = await question.locator('legend').textContent();
  assert.match(legend, /[ạảấầẩậắằẳặẹẻẽếềểễệịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđơư]/i, `a Vietnamese question: ${legend}`);
  assert.equal(await question.locator('[data-testid="i18n-fallback"]').count(), 0);
  assert.equal(await question.getByTestId('guide-yes').textContent(), 'Có');
  await screenshot(page, 'languages-2-vietnamese');
  assert.deepEqual(await axeViolations(page), [], 'WCAG 2.1 AA (axe-core) in Vietnamese');
  await question.getByTestId('guide-yes').click();
  await page.getByTestId('guide-answers').waitFor();
  assert.match(await page.getByTestId('guide-answers').textContent(), /Trả lời: Có/);
  await screenshot(page, 'languages-3-answered');

  // The shared URL opens in Vietnamese.
  const url = await page.getByTestId('guide-url').inputValue();
  assert.match(url, /lang=vi/);
  const other = await (await browser.newContext({ locale: 'ja-JP' })).newPage();
  await other.goto(url);
  await other.getByRole('heading', { name: 'Hướng dẫn thủ tục' }).waitFor();
  await other.locator('[data-testid="guide-procedure"][data-code="JUKI-TENNYU"]').waitFor();
  await other.context().close();

  // やさしい日本語: the page is Japanese for screen readers, nothing marked.
  await page.getByTestId('guide-lang').selectOption('easy');
  await page.getByRole('heading', { name: '手続きの 案内' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ja');
  assert.equal(await page.locator('[data-testid="i18n-fallback"]').count(), 0);
  assert.deepEqual(await axeViolations(page), [], 'WCAG 2.1 AA (axe-core) in やさしい日本語');
  await context.close();
});
