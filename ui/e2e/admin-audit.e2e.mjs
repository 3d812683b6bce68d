// The admin console's 監査ログ end to end: real server, real browser, the demo city. An admin searches
// the audit log for their own login, opens the record, exports the search as CSV and verifies the chain;
// a staff member without `view_audit` has no such menu entry; a 支援措置 address shown from the resident
// view (宛名検索 → 世帯) appears in the disclosures list.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { demoAtena, launchBrowser, screenshot, startServer } from './harness.mjs';

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

async function newPage() {
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1366, height: 900 }, acceptDownloads: true });
  return context.newPage();
}

/** Logs in as the demo user at `counterName`. */
async function login(page, counterName) {
  await page.goto(`${server.base}/#/login`);
  await page.getByLabel('窓口').selectOption({ label: counterName });
  await page.getByLabel('ユーザーID').fill('demo');
  await page.getByLabel('パスワード').fill(PASSWORD);
  await page.getByLabel('パスワード').press('Enter');
  await page.getByTestId('visit-search-input').waitFor();
}

/** Opens 監査ログ from the admin menu. */
async function openAudit(page) {
  await page.goto(`${server.base}/#/staff/admin`);
  await page.getByTestId('admin-menu-audit').click();
  await page.getByTestId('audit-page').waitFor();
}

test('an admin searches the audit log for their own login, opens it, exports CSV and verifies the chain', async () => {
  const page = await newPage();
  await login(page, '管理端末');
  await openAudit(page);
  await page.getByTestId('audit-user').fill('demo');
  await page.getByTestId('audit-action').selectOption('login');
  await page.getByTestId('audit-show').click();
  const row = page.getByTestId('audit-row').first();
  await row.waitFor();
  assert.equal(await row.getAttribute('data-action'), 'login');
  assert.match(await row.innerText(), /ログイン/);
  assert.match(await row.innerText(), /demo/);
  await screenshot(page, 'admin-audit-1-search');

  await row.getByTestId('audit-open').click();
  const record = page.getByTestId('audit-record');
  await record.waitFor();
  assert.equal(await page.getByTestId('audit-field-user').innerText(), 'demo');
  assert.match(await page.getByTestId('audit-field-action').innerText(), /ログイン（login）/);
  assert.match(await page.getByTestId('audit-field-hash').innerText(), /^[0-9a-f]{64}$/);
  await screenshot(page, 'admin-audit-2-record');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-csv').click()]);
  const csv = readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, '');
  const lines = csv.trim().split('\n');
  assert.equal(lines[0], '記録番号,日時,ユーザー,窓口,端末,操作,対象,結果,理由,ハッシュ');
  assert.ok(lines.length >= 2, csv);
  assert.ok(lines.slice(1).every((l) => l.includes(',demo,') && l.includes(',login,')), csv);
  await page.getByTestId('audit-message').waitFor();

  await page.getByTestId('audit-verify').click();
  await page.getByTestId('audit-chain-intact').waitFor();
  assert.match(await page.getByTestId('audit-chain-intact').innerText(), /改ざんは見つかりませんでした/);
  await screenshot(page, 'admin-audit-3-chain');
  await page.context().close();
});

test('a staff member without view_audit has no 監査ログ in the admin menu', async () => {
  const page = await newPage();
  await login(page, '市民課 1番窓口');
  await page.goto(`${server.base}/#/staff/admin`);
  await page.locator('#admin-menu-heading').waitFor();
  assert.equal(await page.getByTestId('admin-menu-audit').count(), 0);
  await page.goto(`${server.base}/#/staff/admin/audit`);
  await page.getByTestId('audit-no-permission').waitFor();
  await page.context().close();
});

test('a 支援措置 address shown from the resident view appears in the disclosures list', async () => {
  const atena = demoAtena(150);
  const reason = '本人からの申出による住所確認（e2e）';
  const staff = await newPage();
  await login(staff, '市民課 1番窓口');
  await staff.goto(`${staff.url().split('#')[0]}#/staff/search`);
  await staff.getByTestId('resident-search-input').fill(atena);
  const result = staff.getByTestId('resident-result').first();
  await result.getByTestId('support-measure-warning').waitFor();
  await result.click();
  const panel = staff.getByTestId('household-panel');
  await panel.getByTestId('resident-disclose-address').click();
  await panel.getByTestId('resident-disclosure-reason').fill(reason);
  await panel.getByTestId('resident-disclosure-submit').click();
  await panel.getByTestId('resident-disclosed-address').waitFor();
  assert.match(await panel.getByTestId('resident-disclosed-address').innerText(), /さくら野市/);
  await screenshot(staff, 'admin-audit-4-resident-disclosure');
  await staff.context().close();

  const admin = await newPage();
  await login(admin, '管理端末');
  await openAudit(admin);
  await admin.getByTestId('audit-tab-records').press('ArrowRight');
  await admin.getByTestId('disclosures-panel').waitFor();
  const row = admin.getByTestId('disclosure-row').filter({ hasText: reason });
  await row.waitFor();
  assert.equal(await row.getByTestId('disclosure-subject').innerText(), atena);
  assert.match(await row.innerText(), /demo/);
  await screenshot(admin, 'admin-audit-5-disclosures');
  await admin.context().close();
});
