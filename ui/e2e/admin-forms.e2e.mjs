// The form template editor end to end: real server, real browser, a small demo city. An administrator
// opens 帳票テンプレート, edits the 受付票 (a label changed: the live preview's PDF shows it), adds a box
// too small for its value (the overflow is reported beside the preview), fixes it and publishes the
// edit as a new version from tomorrow, which the list then shows.
// Run by `cargo xtask test` (see ../README.md).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ARTEFACTS, launchBrowser, screenshot, startServer } from './harness.mjs';

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

async function login(page) {
  await page.goto(`${server.base}/#/login`);
  await page.getByLabel('窓口').selectOption({ label: '管理端末' });
  await page.getByLabel('ユーザーID').fill('demo');
  await page.getByLabel('パスワード').fill(PASSWORD);
  await page.getByRole('button', { name: 'ログイン' }).click();
  await page.getByTestId('session-user').waitFor();
}

/** Runs `action` and returns the next preview the server answers (its JSON, and the PDF's text). */
async function nextPreview(page, name, action) {
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/admin/form-templates/preview'), { timeout: 30_000 });
  await action();
  const response = await answered;
  assert.equal(response.status(), 200);
  const view = await response.json();
  let text = '';
  if (view.pdf_base64) {
    mkdirSync(ARTEFACTS, { recursive: true });
    const path = join(ARTEFACTS, `${name}.pdf`);
    writeFileSync(path, Buffer.from(view.pdf_base64, 'base64'));
    text = execFileSync('pdftotext', ['-raw', path, '-']).toString('utf8');
  }
  return { view, text };
}

function tomorrow() {
  const d = new Date(Date.now() + 9 * 3600_000 + 24 * 3600_000); // Japan
  return d.toISOString().slice(0, 10);
}

test('an administrator edits a form template with its live preview and publishes it from tomorrow', async () => {
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1500, height: 1000 } });
  const page = await context.newPage();
  await login(page);
  await page.getByTestId('nav-admin').click();
  await page.getByTestId('admin-menu-forms').click();
  const row = page.getByTestId('form-row-uketsukehyo@2026-04');
  await row.waitFor();
  assert.match(await row.textContent(), /受付票.*2026-04-01.*標準.*施行中/s);
  await screenshot(page, 'admin-forms-1-list');

  // Opening a version renders it with the sample data: no problems.
  const first = await nextPreview(page, 'admin-forms-preview-1', () => page.getByTestId('form-edit-uketsukehyo@2026-04').click());
  assert.deepEqual(first.view.problems, []);
  assert.match(first.text, /受付番号/);
  await page.getByTestId('form-problems-none').waitFor();
  await page.getByTestId('form-preview').waitFor();
  await screenshot(page, 'admin-forms-2-editor');

  // A changed label: the preview's PDF shows it.
  const source = page.getByTestId('form-source');
  const original = await source.inputValue();
  const relabelled = original.replace('text = "受付番号"', 'text = "受付の番号"');
  const second = await nextPreview(page, 'admin-forms-preview-2', () => source.fill(relabelled));
  assert.match(second.text, /受付の番号/);
  assert.doesNotMatch(second.text, /受付番号/);

  // A box too small for its value: the overflow is reported (and framed in red on the PDF).
  const narrow = `${relabelled}\n[[elements]]\nkind = "text"\nx = 4\ny = 110\nw = 8\nh = 3\nmin_size = 6\nbind = "case.counter_guide"\n`;
  const third = await nextPreview(page, 'admin-forms-preview-3', () => source.fill(narrow));
  assert.deepEqual(third.view.problems.map((p) => p.kind), ['overflow']);
  const problem = page.getByTestId('form-problem');
  await problem.waitFor();
  assert.match(await problem.textContent(), /枠に収まらない.*1ページ目.*case\.counter_guide/s);
  await screenshot(page, 'admin-forms-3-overflow');

  // A bind the data never has: an error naming the element and the bind; 公開 is refused.
  const typo = await nextPreview(page, 'admin-forms-preview-4', () => source.fill(relabelled.replace('bind = "case.reception_no"', 'bind = "case.reception_num"')));
  assert.deepEqual(typo.view.problems.map((p) => p.kind), ['unknown_bind']);
  await page.locator('[data-testid="form-problem"][data-kind="unknown_bind"]').waitFor();
  assert.match(await page.getByTestId('form-problem').textContent(), /データにない項目.*番目の要素.*case\.reception_num/s);
  assert.equal(await page.getByTestId('form-publish-button').isDisabled(), true);
  await screenshot(page, 'admin-forms-4-unknown-bind');

  // Fixed, published from tomorrow; the list shows the new version and the old one ending.
  await nextPreview(page, 'admin-forms-preview-5', () => source.fill(relabelled));
  await page.getByTestId('form-problems-none').waitFor();
  const from = tomorrow();
  await page.getByTestId('form-publish-from').fill(from);
  assert.equal(await page.getByTestId('form-publish-version').inputValue(), from);
  await screenshot(page, 'admin-forms-5-publish');
  await page.getByTestId('form-publish-button').click();
  await page.locator('[data-testid="forms-done"], [data-testid="form-publish-error"]').first().waitFor();
  assert.equal(await page.getByTestId('form-publish-error').count(), 0, await page.getByTestId('form-publish-error').textContent().catch(() => ''));
  assert.match(await page.getByTestId('forms-done').textContent(), new RegExp(`${from} から公開しました`));
  const added = page.getByTestId(`form-row-uketsukehyo@${from}`);
  await added.waitFor();
  assert.match(await added.textContent(), /市独自.*施行前/s);
  assert.match(await row.textContent(), new RegExp(`2026-04-01${from}`));
  await screenshot(page, 'admin-forms-6-published');
  await context.close();
});
