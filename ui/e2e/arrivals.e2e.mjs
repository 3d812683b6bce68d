// 転入予約 end to end (issue 21 point 5): a `tenshutsu` file (転出証明書情報 with 来庁予定日) dropped into
// the exchange folder, the linkage job imports it, the 来庁予定者 screen lists tomorrow's households,
// 「この日の予定者をすべて準備する」 prepares them, the prepared case opens at the counter pre-filled, and
// the counter's name search leads to it. Screenshots `arrivals-1…` (the manual, docs/pre-application.md §2).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, screenshot, startServer } from './harness.mjs';

const PASSWORD = 'sakurano-madoguchi';
const exchange = mkdtempSync(join(tmpdir(), 'madoguchi-e2e-exchange-'));
let server;
let browser;

/** Tomorrow in Japan, `YYYY-MM-DD`. */
function tomorrowJst() {
  return new Date(Date.now() + 9 * 3600 * 1000 + 24 * 3600 * 1000).toISOString().slice(0, 10);
}

before(async () => {
  server = await startServer({
    residents: 2000,
    env: {
      MADOGUCHI_OBJECTS_URL: `file://${exchange}`,
      MADOGUCHI_LINKAGE_TENANTS: 'demo',
      MADOGUCHI_LINKAGE_INTERVAL_SECS: '1',
      // The evening job stays out of the way: the test prepares with the button.
      MADOGUCHI_ARRIVALS_PREPARE_AT: '23:59',
    },
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The 住記 system's file: the 佐藤 household of three, expected tomorrow. */
async function deliverFeed() {
  const inbound = join(exchange, 'demo/inbound/tenshutsu');
  mkdirSync(inbound, { recursive: true });
  const visit = tomorrowJst();
  const head = '通知番号,転出元住所,転出予定日,転入予定地,来庁予定日,世帯主,氏名,フリガナ,生年月日,性別,続柄,国保,国民年金';
  const row = (name, kana, birth, sex, relation, pension) =>
    `T-E2E-0001,神奈川県横浜市中区本町一丁目2番3号,2026-11-30,さくら野市本町二丁目3番地,${visit},佐藤　一郎,${name},${kana},${birth},${sex},${relation},1,${pension}`;
  const text = [
    head,
    row('佐藤　一郎', 'サトウ　イチロウ', '1985-05-01', '男', '世帯主', '1号'),
    row('佐藤　美穂', 'サトウ　ミホ', '1987-08-15', '女', '妻', '3号'),
    row('佐藤　陽向', 'サトウ　ヒナタ', '2017-04-10', '男', '子', ''),
  ].join('\n');
  writeFileSync(join(inbound, 'full_000001.csv'), `${text}\n`);
  writeFileSync(join(inbound, 'full_000001.csv.end'), '');
  const started = Date.now();
  while (!existsSync(join(exchange, 'demo/processed/tenshutsu/full_000001.csv'))) {
    if (existsSync(join(exchange, 'demo/error/tenshutsu/full_000001.csv'))) throw new Error('the tenshutsu file was refused');
    if (Date.now() - started > 60_000) throw new Error('the linkage job did not apply the tenshutsu file');
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function login(page) {
  await page.goto(`${server.base}/#/login`);
  await page.getByLabel('窓口').selectOption({ label: '市民課 1番窓口' });
  await page.getByLabel('ユーザーID').fill('demo');
  await page.getByLabel('パスワード').fill(PASSWORD);
  await page.getByLabel('パスワード').press('Enter');
  await page.getByTestId('visit-search-input').waitFor();
}

test('a tenshutsu file becomes tomorrow’s arrivals, prepared the day before and opened at the counter', async () => {
  await deliverFeed();
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await login(page);

  // 来庁予定者: tomorrow by default, the feed's household beside the demo ones.
  await page.getByTestId('nav-arrivals').click();
  await page.getByTestId('arrival-row').first().waitFor();
  assert.equal(await page.getByTestId('arrivals-day').inputValue(), tomorrowJst());
  const row = page.locator('[data-testid=arrival-row][data-notice="T-E2E-0001"]');
  await row.waitFor();
  assert.match(await row.textContent(), /佐藤　一郎.*3人.*神奈川県横浜市中区本町一丁目2番3号.*予定.*未準備/);
  await screenshot(page, 'arrivals-1-list');

  // One household opened: its members.
  await row.getByTestId('arrival-open').click();
  await page.getByTestId('arrival-detail').waitFor();
  assert.equal(await page.getByTestId('arrival-member').count(), 3);
  await screenshot(page, 'arrivals-2-household');

  // The whole day prepared: 手続きナビ, the case, every form checked.
  await page.getByTestId('arrivals-prepare-day').click();
  const results = page.getByTestId('arrivals-results');
  await results.waitFor();
  assert.match(await results.textContent(), /T-E2E-0001: 準備しました（手続き \d+件、様式 \d+件を確認）/);
  await row.getByText('準備済み').first().waitFor();
  assert.ok((await page.getByTestId('arrival-procedures').textContent()).includes('転入届'));
  await screenshot(page, 'arrivals-3-prepared');

  // The prepared case opens at the counter with the household filled in.
  await row.getByTestId('arrival-open-case').click();
  await page.waitForURL(/#\/staff\/case\/arrival-T-E2E-0001$/);
  await page.getByText('佐藤　一郎 ほか2名').first().waitFor();
  await page.getByText('児童手当の認定請求').first().waitFor();
  await screenshot(page, 'arrivals-4-case');

  // At the counter, typing the resident's name leads to the prepared case.
  await page.getByRole('button', { name: '新しい案件' }).click();
  await page.getByTestId('visit-search-input').fill('サトウ　ミホ');
  const hit = page.getByTestId('incoming-result').filter({ hasText: '佐藤　一郎' });
  await hit.getByTestId('incoming-prepared').waitFor();
  await screenshot(page, 'arrivals-5-search');
  await hit.click();
  await page.waitForURL(/#\/staff\/case\/arrival-T-E2E-0001$/);
  await context.close();
});
