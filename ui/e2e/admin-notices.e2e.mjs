// The admin console's お知らせ end to end (issue 20 point 6): the admin posts a notice to all staff and
// a maintenance notice; a staff login shows the unread notice and the bell's count, marking it read
// clears it; the public status page shows the maintenance notice; during the maintenance window an
// API call gets the Japanese 503, and the admin ends the stop early during it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, screenshot, startServer } from './harness.mjs';

const PASSWORD = 'sakurano-madoguchi';
const NOTICE = '本日17時から窓口の朝礼を行います。';
const MAINTENANCE = 'システム更新のため、12月20日9時から12時まで停止します。';
const MAINTENANCE_EN = 'The system is stopped for an update on December 20, 9:00-12:00.';
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

/** `minutes` from now as a `datetime-local` value in Japan time. */
function jst(minutes) {
  return new Date(Date.now() + 9 * 3_600_000 + minutes * 60_000).toISOString().slice(0, 16);
}

async function newPage() {
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1366, height: 900 } });
  return context.newPage();
}

async function login(page, counterName) {
  await page.goto(`${server.base}/#/login`);
  await page.getByLabel('窓口').selectOption({ label: counterName });
  await page.getByLabel('ユーザーID').fill('demo');
  await page.getByLabel('パスワード').fill(PASSWORD);
  await page.getByLabel('パスワード').press('Enter');
  await page.getByTestId('visit-search-input').waitFor();
}

/** Waits for the save's answer: the done line, or fails with the form's error. */
async function saved(page) {
  await page.getByTestId('notices-done').or(page.getByTestId('notice-form-error')).first().waitFor();
  const error = page.getByTestId('notice-form-error');
  if (await error.count()) assert.fail(`the save was refused: ${await error.textContent()}`);
}

/** A staff session over the API (the demo user at 市民課 1番窓口); its token. */
async function apiToken() {
  const res = await fetch(`${server.base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: 'demo', user: 'demo', password: PASSWORD, counter: 'shimin-1' }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()).token;
}

async function towns(token) {
  const res = await fetch(`${server.base}/api/v1/towns`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

async function post(page, { maintenance }) {
  await page.getByTestId('notice-new').click();
  if (maintenance) {
    await page.getByTestId('notice-kind').selectOption('maintenance');
    await page.getByTestId('notice-text-ja').fill(MAINTENANCE);
    await page.getByTestId('notice-text-en').fill(MAINTENANCE_EN);
    await page.getByTestId('notice-ends').fill(jst(14 * 24 * 60));
    await page.getByTestId('notice-window-start').fill(jst(13 * 24 * 60));
    await page.getByTestId('notice-window-end').fill(jst(13 * 24 * 60 + 180));
  } else {
    await page.getByTestId('notice-text-ja').fill(NOTICE);
  }
  await page.getByTestId('notice-save').click();
  await saved(page);
}

test('notices and maintenance notices, from the admin to staff, the status page and the API', async () => {
  const admin = await newPage();
  await login(admin, '管理端末');
  await admin.goto(`${server.base}/#/staff/admin`);
  await admin.getByRole('link', { name: 'お知らせ' }).click();
  await admin.getByTestId('notices-none').waitFor();
  await screenshot(admin, 'admin-notices-1-empty');

  await post(admin, { maintenance: false });
  await admin.getByTestId('notice-new').click();
  await admin.getByTestId('notice-kind').selectOption('maintenance');
  await screenshot(admin, 'admin-notices-2-maintenance-form');
  await admin.getByRole('button', { name: 'やめる' }).click();
  await post(admin, { maintenance: true });
  assert.equal(await admin.getByTestId('notice-row').count(), 2);
  await screenshot(admin, 'admin-notices-3-list');

  // An end before the start is refused with the server's Japanese message.
  await admin.getByTestId('notice-new').click();
  await admin.getByTestId('notice-text-ja').fill('逆の期間');
  await admin.getByTestId('notice-starts').fill(jst(60));
  await admin.getByTestId('notice-ends').fill(jst(0));
  await admin.getByTestId('notice-save').click();
  const refusal = await admin.getByTestId('notice-form-error').textContent();
  assert.match(refusal, /掲示の終了日時が開始日時より前/);
  await screenshot(admin, 'admin-notices-4-end-before-start');
  await admin.getByRole('button', { name: 'やめる' }).click();

  // A staff login: the panel opens with the unread notices, the bell counts them.
  const staff = await newPage();
  await login(staff, '市民課 1番窓口');
  const panel = staff.getByTestId('notice-panel');
  await panel.getByText(NOTICE).waitFor();
  assert.equal(await staff.getByTestId('notice-count').textContent(), '2');
  await screenshot(staff, 'admin-notices-5-staff-bell');
  await panel.getByTestId('notice-item').filter({ hasText: NOTICE }).getByTestId('notice-mark-read').click();
  await staff.waitForFunction(() => document.querySelector('[data-testid=notice-count]')?.textContent === '1');
  await panel.getByTestId('notice-item').filter({ hasText: MAINTENANCE }).getByTestId('notice-mark-read').click();
  await staff.getByTestId('notice-count').waitFor({ state: 'detached' });
  await panel.getByRole('button', { name: '閉じる' }).click();

  // The public status page, no login: the maintenance notice in Japanese, then English.
  const visitor = await newPage();
  await visitor.goto(`${server.base}/#/status?tenant=demo`);
  await visitor.getByText(MAINTENANCE).waitFor();
  const shown = await visitor.getByTestId('status-page').textContent();
  assert.ok(!shown.includes(NOTICE), 'a notice to staff is not public');
  await screenshot(visitor, 'admin-notices-6-status-page');
  await visitor.getByTestId('status-en').click();
  await visitor.getByText(MAINTENANCE_EN).waitFor();

  // The stop starts now: the API answers 503 with the Japanese message (staff's screens show it).
  const token = await apiToken();
  assert.equal((await towns(token)).status, 200);
  await admin.getByTestId('notice-row').filter({ hasText: MAINTENANCE }).getByTestId('notice-edit').click();
  await admin.getByTestId('notice-window-start').fill(jst(-1));
  await admin.getByTestId('notice-window-end').fill(jst(60));
  await admin.getByTestId('notice-save').click();
  await saved(admin);
  const during = await towns(token);
  assert.equal(during.status, 503);
  assert.equal(during.body.error.code, 'maintenance');
  assert.match(during.body.error.message, /システムの保守作業のため、ただいま停止しています。/);
  await staff.goto(`${server.base}/#/staff/cases`);
  await staff.getByText('システムの保守作業のため').first().waitFor();
  await screenshot(staff, 'admin-notices-7-during-maintenance');
  await visitor.reload();
  await visitor.getByText('ただいまシステムを停止しています。').waitFor();

  // The admin ends it early, during the stop: the API answers again.
  await admin.getByTestId('notice-row').filter({ hasText: MAINTENANCE }).getByTestId('notice-end').click();
  await admin.getByTestId('notices-done').waitFor();
  await screenshot(admin, 'admin-notices-8-ended-early');
  assert.equal((await towns(token)).status, 200);
});
