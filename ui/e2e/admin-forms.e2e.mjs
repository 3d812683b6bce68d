// The form template editor end to end: real server, real browser, a small demo city. An administrator
// opens 帳票テンプレート, edits the 受付票 (a label changed: the live preview's PDF shows it), adds a box
// too small for its value (the overflow is reported beside the preview), fixes it and publishes the
// edit as a new version from tomorrow, which the list then shows. Then the city's official form: a PDF
// uploaded as a background, placed under the 受付票 and previewed with the millimetre grid; and the
// 住民異動届 previewed with a saved case's data.
// Run by `cargo xtask test` (see ../README.md).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ARTEFACTS, launchBrowser, screenshot, startServer } from './harness.mjs';
import { api } from '../../tests/support/station.mjs';

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

async function apiToken(counter) {
  const r = await api(server.base, '/api/v1/auth/login', null, { tenant: 'demo', user: 'demo', password: PASSWORD, counter });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json.token;
}

async function openEditor(page, key) {
  await login(page);
  await page.getByTestId('nav-admin').click();
  await page.getByTestId('admin-menu-forms').click();
  return nextPreview(page, `admin-forms-open-${key}`, () => page.getByTestId(`form-edit-${key}`).click());
}

test('the city\'s official form is uploaded as a background, placed and previewed with the grid', async () => {
  // The "official form": the standard 住民異動届 as the server renders it, standing in for the city's PDF.
  const admin = await apiToken('kanri');
  const ido = await api(server.base, '/api/v1/admin/form-templates/ido-todoke/2026-04', admin);
  const rendered = await api(server.base, '/api/v1/admin/form-templates/preview', admin, { source: ido.json.source });
  assert.equal(rendered.status, 200, JSON.stringify(rendered.json));
  mkdirSync(ARTEFACTS, { recursive: true });
  const official = join(ARTEFACTS, 'sakurano-ido-official.pdf');
  writeFileSync(official, Buffer.from(rendered.json.pdf_base64, 'base64'));

  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1500, height: 1400 } });
  const page = await context.newPage();
  await openEditor(page, 'uketsukehyo@2026-04');
  await page.getByTestId('form-background-none').waitFor();
  await page.getByTestId('form-background-file').setInputFiles(official);
  assert.equal(await page.getByTestId('form-background-name').inputValue(), 'sakurano-ido-official.pdf');
  const onBackground = await nextPreview(page, 'admin-forms-background-1', () => page.getByTestId('form-background-upload').click());
  assert.deepEqual(onBackground.view.problems, []);
  assert.match(onBackground.text, /住民異動届/, 'the background is drawn');
  assert.match(onBackground.text, /受付番号/, 'under the template\'s own text');
  assert.match(await page.getByTestId('form-source').inputValue(), /background = \{ file = "sakurano-ido-official\.pdf", page = 1 \}/);
  await page.getByTestId('form-background-in-use').waitFor();

  // Placed on the right half of the 80 mm slip, with the grid to read the positions.
  for (const [k, v] of [['x', '40'], ['y', '0'], ['w', '40'], ['h', '56.5']]) await page.getByTestId(`form-background-${k}`).fill(v);
  const placed = await nextPreview(page, 'admin-forms-background-2', () => page.getByTestId('form-background-apply').click());
  assert.deepEqual(placed.view.problems, []);
  const gridded = await nextPreview(page, 'admin-forms-background-3', () => page.getByTestId('form-preview-grid').check());
  assert.match(gridded.text, /110/, 'the grid\'s figures');
  assert.match(await page.getByTestId('form-source').inputValue(), /x = 40, y = 0, w = 40, h = 56\.5/);
  await page.getByTestId('form-problems-none').waitFor();
  await page.waitForTimeout(3_000); // the PDF viewer draws the page (for the manual's screenshot only)
  await screenshot(page, 'admin-forms-7-background');

  // A name is never reused: the second upload is refused with the reason.
  await page.getByTestId('form-background-file').setInputFiles(official);
  await page.getByTestId('form-background-upload').click();
  assert.match(await page.getByTestId('form-background-error').textContent(), /もう登録されています/);
  await context.close();
});

test('the 住民異動届 is previewed with a saved case\'s data', async () => {
  const staff = await apiToken('shimin-1');
  const found = await api(server.base, `/api/v1/residents?q=${encodeURIComponent('スズキ')}&limit=5`, staff);
  const resident = found.json.results.find((r) => !r.address_masked) ?? found.json.results[0];
  const doc = {
    visitor: { kind: '本人', atena_no: resident.atena_no, name: resident.name, id_document: 'マイナンバーカード' },
    notifications: [{
      kind: '転居', event_date: '2026-12-01', old_address: '群馬県さくら野市本町一丁目1番1号', head_name: resident.name,
      new_address: { town: '本町二丁目', banchi: '3番4号', full: '群馬県さくら野市本町二丁目3番4号' },
      members: [{ atena_no: resident.atena_no, name: resident.name, kana: resident.kana,
        facts: { birth: resident.birth_date, sex: resident.sex_label, relation: '世帯主', mover: true, kokuho: false } }],
    }],
    procedures: [{ code: 'JUKI-TENKYO', name: '転居届', counter: '市民課', on_the_spot: true, state: 'pending', reasons: ['市内で引っ越したため'], forms: ['ido-todoke'] }],
  };
  const saved = await api(server.base, '/api/v1/cases/forms-e2e-0001', staff, { write_id: 'forms-e2e-w1', revision: null, status: 'open', document: doc }, 'PUT');
  assert.equal(saved.status, 200, JSON.stringify(saved.json));

  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1500, height: 1200 } });
  const page = await context.newPage();
  const sample = await openEditor(page, 'ido-todoke@2026-04');
  assert.equal(sample.view.sample, 'ido-todoke');
  await page.getByTestId('form-preview-case').fill('forms-e2e-0001');
  const withCase = await nextPreview(page, 'admin-forms-case', () => page.getByTestId('form-preview-use-case').click());
  assert.equal(withCase.view.case_id, 'forms-e2e-0001');
  assert.match(withCase.text.replace(/\s/g, ''), /本町二丁目3番4号/);
  assert.match(await page.getByTestId('form-preview-info').textContent(), /案件 forms-e2e-0001 のデータ/);
  await page.waitForTimeout(3_000); // the PDF viewer draws the page (for the manual's screenshot only)
  await screenshot(page, 'admin-forms-8-case');
  await context.close();
});
