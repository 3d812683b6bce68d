// The 手続きナビ editor end to end (issue 20 point 2): the admin adds a local procedure with a rule,
// sees a broken rule marked where it goes wrong, adds an example that runs on every change, tries a
// test household against the draft and the current catalogue side by side, publishes from tomorrow,
// and the counter's evaluation finds the procedure from that date and not before.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, screenshot, startServer } from './harness.mjs';

const PASSWORD = 'sakurano-madoguchi';
const NAME = 'ごみ分別アプリの案内';
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

async function login(page, counterName) {
  await page.goto(`${server.base}/#/login`);
  await page.getByLabel('窓口').selectOption({ label: counterName });
  await page.getByLabel('ユーザーID').fill('demo');
  await page.getByLabel('パスワード').fill(PASSWORD);
  await page.getByLabel('パスワード').press('Enter');
  await page.getByTestId('visit-search-input').waitFor();
}

/** The counter's 手続きナビ for a one-person 転入 on `date`, over the API: the codes found. */
async function evaluate(token, date) {
  const res = await fetch(`${server.base}/api/v1/navigation/evaluate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      event: '転入',
      detail: '国内',
      event_date: date,
      household_after: [{ birth: '1990-04-01', relation: '世帯主', mover: true }],
    }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()).procedures.map((p) => p.code);
}

test('a local procedure is written, checked, tried and published from tomorrow', async () => {
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await login(page, '管理端末');
  await page.goto(`${server.base}/#/staff/admin`);
  await page.getByRole('link', { name: '手続きナビの編集' }).click();
  await page.getByTestId('nav-catalog').waitFor();
  await page.getByLabel('表示する手続き').selectOption('all');
  assert.ok((await page.locator('[data-testid=nav-catalog] tbody tr').count()) > 20, 'the standard procedures are listed');
  await screenshot(page, 'admin-navigation-1-catalogue');
  await page.getByLabel('表示する手続き').selectOption('local');

  // A new procedure, its rule typed with a mistake: marked where it goes wrong.
  await page.getByTestId('add-procedure').click();
  await page.getByLabel('コード（英大文字・数字・ハイフン）').fill('SAKURA-GOMI');
  await page.getByLabel('手続きの名前').fill(NAME);
  await page.getByLabel('担当課').fill('環境課');
  await page.getByLabel('窓口', { exact: true }).fill('市民課 1番窓口');
  await page.getByLabel('住民向けの説明').fill('ごみの出し方をアプリでお知らせします。');
  await page.getByLabel('条件式 1').fill('event.kind == "転入" and');
  const error = page.getByTestId('rule-error');
  await error.waitFor();
  assert.match(await error.textContent(), /23文字目/);
  assert.equal(await page.getByTestId('nav-publish-button').isDisabled(), true);
  await screenshot(page, 'admin-navigation-2-rule-error');

  // Fixed, with a reason and an example that must find it.
  await page.getByLabel('条件式 1').fill('event.kind == "転入"');
  await page.getByLabel('案内する理由 1').fill('転入されたため');
  await page.getByRole('button', { name: '例を追加' }).click();
  await page.getByLabel('例の名前').fill('単身の転入');
  await page.getByLabel('見つかるべき手続きのコード（カンマ区切り）').fill('SAKURA-GOMI');
  await page.getByLabel('見つかるべき手続きのコード（カンマ区切り）').press('Tab');
  await page.locator('[data-testid=example-outcome][data-passed=true]').waitFor();
  await page.getByTestId('nav-check-ok').waitFor();
  assert.match(await page.getByTestId('nav-diff').textContent(), /追加/);
  await screenshot(page, 'admin-navigation-3-example-holds');

  // A test household: the draft finds it, the current catalogue does not.
  await page.getByTestId('trial-run').click();
  const draftColumn = page.getByTestId('trial-draft');
  await draftColumn.locator('[data-code=SAKURA-GOMI]').waitFor();
  assert.match(await draftColumn.textContent(), /下書きだけ/);
  assert.equal(await page.getByTestId('trial-current').locator('[data-code=SAKURA-GOMI]').count(), 0);
  await page.getByTestId('nav-trial').scrollIntoViewIfNeeded();
  await screenshot(page, 'admin-navigation-4-trial');

  // Published from tomorrow (the default date): listed as 施行前.
  const from = await page.getByLabel('公開日（この日以降の届出から使われます）').inputValue();
  await page.getByTestId('nav-publish-button').click();
  await page.getByTestId('nav-message').waitFor();
  await page.locator('[data-testid=nav-catalog] tr[data-code=SAKURA-GOMI][data-state=scheduled]').waitFor();
  await screenshot(page, 'admin-navigation-5-published');

  // On the screen: the test household, now against the published catalogue, finds it on the date and
  // not the day before.
  const dayBefore = new Date(`${from}T00:00:00Z`);
  dayBefore.setUTCDate(dayBefore.getUTCDate() - 1);
  const current = page.getByTestId('trial-current');
  for (const [date, state] of [[from, 'visible'], [dayBefore.toISOString().slice(0, 10), 'detached']]) {
    await page.locator('#trial-date').fill(date);
    await page.getByTestId('trial-run').click();
    await current.locator('[data-code=SAKURA-GOMI]').waitFor({ state, timeout: 10_000 });
  }
  await page.getByTestId('nav-trial').scrollIntoViewIfNeeded();
  await screenshot(page, 'admin-navigation-6-published-trial');

  // The counter's own evaluation (the staff app's and the kiosk's route) changes on that date too.
  const token = await page.evaluate(() => sessionStorage.getItem('madoguchi.session-token'));
  const today = new Date(`${from}T00:00:00Z`);
  today.setUTCDate(today.getUTCDate() - 1);
  assert.ok(!(await evaluate(token, today.toISOString().slice(0, 10))).includes('SAKURA-GOMI'), 'not before the date');
  assert.ok((await evaluate(token, from)).includes('SAKURA-GOMI'), 'from the date');
  await context.close();
});
