// 申請管理 end to end (issue 21 point 4): the portal simulator (a software double of マイナポータル's
// application API, `madoguchi-server portal-simulator`) holds 20 applications; the server's connector
// fetches them; staff see them listed with counts, open one, turn it into a case with one key, and the
// case's status (処理中) goes back to the simulator. Its attached file is saved from the screen.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { launchBrowser, screenshot, startServer } from './harness.mjs';

const PASSWORD = 'sakurano-madoguchi';
let simulator;
let server;
let browser;

/** Starts `madoguchi-server portal-simulator` with `count` applications; its base URL. */
async function startSimulator(count) {
  const port = 20000 + Math.floor(Math.random() * 2000);
  const child = spawn(
    process.env.MADOGUCHI_SERVER_BIN,
    ['portal-simulator', '--listen', `127.0.0.1:${port}`, '--count', String(count)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`simulator exited: ${output}`);
    try {
      if ((await fetch(`${base}/_simulator/statuses`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 200) throw new Error(`simulator did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    async statuses() {
      return (await fetch(`${base}/_simulator/statuses`)).json();
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

before(async () => {
  simulator = await startSimulator(20);
  server = await startServer({
    residents: 2000,
    env: {
      MADOGUCHI_PORTAL_URL: simulator.base,
      MADOGUCHI_PORTAL_CLIENT_ID: 'madoguchi-simulator',
      MADOGUCHI_PORTAL_CLIENT_SECRET: 'simulator-secret',
      MADOGUCHI_PORTAL_INTERVAL_SECS: '10',
    },
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await simulator?.stop();
});

test('20 applications from the portal are listed, one becomes a case and its status goes back', async () => {
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.base}/#/login`);
  await page.getByLabel('窓口').selectOption({ label: '管理端末' });
  await page.getByLabel('ユーザーID').fill('demo');
  await page.getByLabel('パスワード').fill(PASSWORD);
  await page.getByLabel('パスワード').press('Enter');
  await page.getByTestId('nav-applications').click();
  await page.getByTestId('portal-connector').waitFor();
  // The connector's first round runs at start; the button runs one more now.
  await page.getByTestId('connector-run').click();
  await page.getByTestId('connector-ok').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=application-row]').length === 20);
  assert.equal(await page.getByTestId('applications-count-unprocessed').textContent(), '20');
  await screenshot(page, 'applications-1-list');

  const first = page.getByTestId('application-row').first();
  const number = await first.getAttribute('data-application-no');
  await first.getByTestId('application-open').click();
  await page.getByTestId('application-candidates').waitFor();
  await screenshot(page, 'applications-2-detail');
  // One key: the button has the focus when the application opens.
  await page.keyboard.press('Enter');
  await page.getByTestId('application-case').waitFor();
  await screenshot(page, 'applications-3-case');
  // The attached file, saved on the staff PC with its own name and the bytes the portal sent.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('application-attachment-0').click()]);
  assert.equal(download.suggestedFilename(), '本人確認書類.pdf');
  const bytes = readFileSync(await download.path(), 'latin1');
  assert.match(bytes, /^%PDF-1\.4\n% sample attachment \d+\n$/);

  await page.getByTestId('connector-run').click();
  let statuses = {};
  for (let i = 0; i < 100 && statuses[number]?.status !== 'in_progress'; i++) {
    statuses = await simulator.statuses();
    if (statuses[number]?.status !== 'in_progress') await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(statuses[number]?.status, 'in_progress', `the simulator holds ${JSON.stringify(statuses[number])}`);
  assert.equal(Object.keys(statuses).length, 20, 'every application was acknowledged');

  await page.getByTestId('applications-filter-in_progress').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=application-row]').length === 1);
  assert.equal(await page.getByTestId('applications-count-in_progress').textContent(), '1');
  await screenshot(page, 'applications-4-in-progress');
  await context.close();
});
