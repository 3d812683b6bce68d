// The admin console's accounts end to end: real server, real browser, a small demo city. An
// administrator creates a group and a counter on screen, registers a new member of staff from a
// Shift_JIS CSV (a bad row first: refused as a whole, shown as a table), and the new member logs in
// with the initial password and must choose their own before anything else.
// Run by `cargo xtask test` (see ../README.md).
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, screenshot, startServer } from './harness.mjs';

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
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1366, height: 900 } });
  return context.newPage();
}

async function login(page, counterName, user, password) {
  await page.goto(`${server.base}/#/login`);
  await page.getByLabel('窓口').selectOption({ label: counterName });
  await page.getByLabel('ユーザーID').fill(user);
  await page.getByLabel('パスワード').fill(password);
  await page.getByRole('button', { name: 'ログイン' }).click();
  await page.getByTestId('session-user').waitFor();
}

/** The staff CSV as Excel saves it (Shift_JIS): 鈴木 花子 in group `shinjin`, and 佐藤 次郎 in `group`. */
function staffCsv(group) {
  const head =
    '8386815b8355815b49442c8e8196bc2c834f838b815b83762c974c8cf88afa8cc02c8f898afa83708358838f815b83680d0a' + // header
    '73757a756b692c97e996d82089d48e712c7368696e6a696e2c52392e332e33312c737072696e672d67617264656e2d323032360d0a'; // suzuki
  const sato = Buffer.concat([
    Buffer.from('7361746f2c8db293a1208e9f98592c', 'hex'), // sato,佐藤 次郎,
    Buffer.from(`${group},,spring-garden-2027\r\n`, 'ascii'),
  ]);
  return Buffer.concat([Buffer.from(head, 'hex'), sato]);
}

test('an administrator sets up a group, a counter and staff by CSV; the new member changes the initial password', async () => {
  const page = await newPage();
  await login(page, '管理端末', 'demo', PASSWORD);
  await page.getByTestId('nav-admin').click();
  await page.getByTestId('admin-menu').waitFor();
  await screenshot(page, 'admin-accounts-1-menu');

  // A group with its permissions, ticked by their Japanese names.
  await page.getByTestId('admin-menu-groups').click();
  await page.getByTestId('groups-new').click();
  await page.getByLabel('コード').fill('shinjin');
  await page.getByLabel('名称').fill('新人研修');
  for (const name of ['住民検索・照会', '届出の受付', '申請書の印刷']) {
    await page.getByRole('checkbox', { name }).check();
  }
  await screenshot(page, 'admin-accounts-2-group');
  await page.getByTestId('holder-save').click();
  await page.getByTestId('groups-done').waitFor();
  assert.match(await page.getByTestId('groups-row-shinjin').textContent(), /住民検索・照会、届出の受付、申請書の印刷/);

  // A counter where they may log in from a browser and only search.
  await page.goto(`${server.base}/#/staff/admin/counters`);
  await page.getByTestId('counters-new').click();
  await page.getByLabel('コード').fill('kensyu');
  await page.getByLabel('名称').fill('研修用窓口');
  await page.getByRole('checkbox', { name: '住民検索・照会' }).check();
  await page.getByTestId('holder-browser').check();
  await page.getByTestId('holder-save').click();
  await page.getByTestId('counters-done').waitFor();

  // The CSV: a bad row refuses the whole file, with the line and column.
  await page.goto(`${server.base}/#/staff/admin/users`);
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-staff-'));
  const bad = join(dir, 'staff-bad.csv');
  writeFileSync(bad, staffCsv('nosuchgroup'));
  await page.getByTestId('staff-csv-file').setInputFiles(bad);
  await page.getByLabel('文字コード').selectOption('cp932');
  await page.getByTestId('staff-csv-upload').click();
  const refused = page.getByTestId('staff-csv-refused');
  await refused.waitFor();
  assert.match(await refused.textContent(), /何も変更していません/);
  assert.match(await refused.locator('tbody tr').first().textContent(), /^3グループ.*nosuchgroup/);
  await screenshot(page, 'admin-accounts-3-csv-refused');
  assert.equal(await page.getByTestId('user-suzuki').count(), 0);

  const good = join(dir, 'staff.csv');
  writeFileSync(good, staffCsv('shinjin'));
  await page.getByTestId('staff-csv-file').setInputFiles(good);
  await page.getByTestId('staff-csv-upload').click();
  assert.match(await page.getByTestId('staff-csv-written').textContent(), /追加 2件/);
  const row = page.getByTestId('user-suzuki');
  await row.waitFor();
  assert.match(await row.textContent(), /鈴木 花子.*新人研修.*令和9年3月31日.*パスワード変更待ち/);
  await screenshot(page, 'admin-accounts-4-users');

  // The download is the same layout, with the new accounts.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('staff-csv-download').click(),
  ]);
  const csv = await (await import('node:fs/promises')).readFile(await download.path(), 'utf8');
  assert.ok(csv.startsWith('\ufeffユーザーID,氏名,グループ,有効期限,初期パスワード'), csv.slice(0, 60));
  assert.ok(csv.includes('suzuki,鈴木 花子,shinjin,2027-03-31,'), csv);
  await page.getByTestId('logout').click();

  // The new member: the initial password works once, to choose their own.
  await login(page, '研修用窓口', 'suzuki', 'spring-garden-2026');
  await page.getByTestId('password-change').waitFor();
  await screenshot(page, 'admin-accounts-5-password-change');
  await page.getByLabel('現在のパスワード').fill('spring-garden-2026');
  await page.getByLabel('新しいパスワード', { exact: true }).fill('hanako-own-choice-7');
  await page.getByLabel('新しいパスワード（確認）').fill('hanako-own-choice-7');
  await page.getByTestId('password-submit').click();
  await page.getByTestId('password-to-login').click();
  await login(page, '研修用窓口', 'suzuki', 'hanako-own-choice-7');
  await page.getByTestId('visit-search-input').waitFor();
  // At this counter only what both allow: search, no 管理.
  assert.equal(await page.getByTestId('nav-admin').count(), 0);
  const me = await page.evaluate(async () => {
    const token = sessionStorage.getItem('madoguchi.session-token');
    const res = await fetch('/api/v1/auth/me', { headers: { Authorization: `Bearer ${token}` } });
    return res.json();
  });
  assert.deepEqual(me.permissions, ['search']);
  assert.equal(me.must_change_password, false);
});
