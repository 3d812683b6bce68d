// 統計 end to end (docs/admin.md §4): cases saved at the counters through the API, the administrator
// opens 統計 from the admin menu, the charts are drawn (SVG) with totals equal to the API's own case
// list, downloads the statistics CSV and exports the 対応履歴 of the period.
// Run: see ../README.md (`cargo xtask test`), or
//   MADOGUCHI_SERVER_BIN=… node --test e2e/admin-statistics.e2e.mjs
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { launchBrowser, screenshot, startServer } from './harness.mjs';
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

async function token(counter) {
  const r = await api(server.base, '/api/v1/auth/login', null, { tenant: 'demo', user: 'demo', password: PASSWORD, counter });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json.token;
}

/** A 転居 of `resident` with the two procedures 手続きナビ lists for it. */
function document(resident) {
  return {
    visitor: { kind: '本人', atena_no: resident.atena_no, name: resident.name, id_document: 'マイナンバーカード' },
    notifications: [],
    procedures: [
      { code: 'JUKI-TENKYO', name: '転居届', counter: '市民課', on_the_spot: true, state: 'pending', reasons: ['市内で引っ越したため'], forms: [] },
    ],
  };
}

function todayJst() {
  return new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
}

test('the administrator sees the statistics of the cases, downloads them and exports the 対応履歴', async () => {
  const staff = await token('shimin-1');
  const found = await api(server.base, `/api/v1/residents?q=${encodeURIComponent('スズキ')}&limit=10`, staff);
  assert.equal(found.status, 200, JSON.stringify(found.json));
  const residents = found.json.results.slice(0, 7);
  assert.equal(residents.length, 7, 'seven demo residents');
  for (const [i, r] of residents.entries()) {
    const body = { write_id: `stat-e2e-w${i}`, revision: null, status: 'open', document: document(r) };
    const saved = await api(server.base, `/api/v1/cases/stat-e2e-${String(i).padStart(4, '0')}`, staff, body, 'PUT');
    assert.equal(saved.status, 200, JSON.stringify(saved.json));
  }
  // Counted independently: the API's case list of today.
  const today = todayJst();
  const listed = await api(server.base, `/api/v1/cases?from=${today}&to=${today}`, staff);
  assert.equal(listed.status, 200, JSON.stringify(listed.json));
  const expected = listed.json.length;
  assert.ok(expected >= 7, `${expected} cases listed`);

  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1366, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${server.base}/#/login`);
  await page.getByLabel('窓口').selectOption({ label: '管理端末' });
  await page.getByLabel('ユーザーID').fill('demo');
  await page.getByLabel('パスワード').fill(PASSWORD);
  await page.getByLabel('パスワード').press('Enter');
  await page.getByTestId('visit-search-input').waitFor();
  await page.goto(`${server.base}/#/staff/admin`);
  await page.getByTestId('admin-menu-statistics').click();
  await page.getByTestId('statistics-total').waitFor();
  assert.equal(await page.getByTestId('statistics-total').innerText(), String(expected));
  const day = page.getByTestId('statistics-chart-day');
  assert.ok((await day.locator('svg').count()) > 0, 'the chart is drawn');
  const todayRow = day.locator('tr', { hasText: `${Number(today.slice(5, 7))}月${Number(today.slice(8))}日` });
  assert.equal(await todayRow.locator('td').innerText(), `${expected}件`);
  const procedure = page.getByTestId('statistics-chart-procedure').locator('tr', { hasText: '転居届' });
  assert.equal(await procedure.locator('td').innerText(), '7件');
  await screenshot(page, 'admin-statistics-1-charts');

  const [csvFile] = await Promise.all([page.waitForEvent('download'), page.getByTestId('statistics-csv').click()]);
  const csv = readFileSync(await csvFile.path(), 'utf8');
  assert.ok(csv.startsWith('\ufeff区分,キー,項目,件数\r\n'), csv.slice(0, 80));
  assert.ok(csv.includes(`合計,${today.slice(0, 8)}01..${today},案件数,${expected}\r\n`), 'this month so far: ' + csv);
  assert.ok(csv.includes(`日別,${today},`), csv);
  assert.ok(csv.includes('手続別,JUKI-TENKYO,転居届,7\r\n'), csv);

  const [historyFile] = await Promise.all([page.waitForEvent('download'), page.getByTestId('statistics-history-csv').click()]);
  const history = readFileSync(await historyFile.path(), 'utf8');
  const lines = history.trimEnd().split('\r\n');
  assert.equal(lines[0], '\ufeff日時,案件ID,窓口,窓口名,端末,職員,宛名番号,内容');
  assert.equal(lines.length - 1, expected, 'one creation per case');
  for (const r of residents) {
    assert.ok(history.includes(r.atena_no), `宛名番号 ${r.atena_no}`);
    assert.ok(!history.includes(r.name), 'never a name');
  }
  await page.getByTestId('statistics-message').waitFor();
  await screenshot(page, 'admin-statistics-2-exported');
  await context.close();
});
