// `cargo xtask bench desktop`: cold start of the release desktop app to the interactive kiosk screen
// under Xvfb (5 starts, median), memory (PSS of the app and its WebKit processes) after the kiosk flow
// (from the end-to-end run), and the same two figures for a baseline measured in the same run: Debian's
// WebKitGTK MiniBrowser showing a static page with one button (the bare webview's cost).

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  APP, RESULTS, ROOT, enroll, newestPid, startDisplay, startDriver, startServer, stopAll, terminalConfig, treePss,
} from './harness.mjs';
import { WebDriver } from './webdriver.mjs';

const RUNS = 5;
const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function appColdStarts(display, config) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const wd = await startDriver(display, config.file);
    const t0 = performance.now();
    await wd.start({ 'tauri:options': { application: APP } });
    await wd.waitFor((ids) => ids.includes('kiosk-start'), 'kiosk start', 30000);
    times.push(performance.now() - t0);
    await wd.quit();
    await sleep(500);
  }
  return times;
}

async function baseline(display) {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-baseline-'));
  const page = join(dir, 'index.html');
  writeFileSync(page, '<!doctype html><meta charset="utf-8"><button data-testid="kiosk-start">はじめる</button>');
  const times = [];
  let pss = 0;
  for (let i = 0; i < RUNS; i++) {
    const port = 26000 + Math.floor(Math.random() * 1000);
    const driver = spawn('/usr/bin/WebKitWebDriver', [`--port=${port}`], {
      env: { ...process.env, DISPLAY: display, WEBKIT_DISABLE_COMPOSITING_MODE: '1' }, stdio: 'ignore',
    });
    const wd = new WebDriver(`http://127.0.0.1:${port}`);
    for (let t = 0; t < 100; t++) {
      try { await fetch(`${wd.base}/status`); break; } catch { await sleep(50); }
    }
    const t0 = performance.now();
    await wd.start({ 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } });
    await wd.call('POST', wd.s('/url'), { url: `file://${page}` });
    await wd.waitFor((ids) => ids.includes('kiosk-start'), 'baseline page', 30000);
    times.push(performance.now() - t0);
    if (i === RUNS - 1) pss = treePss(newestPid('MiniBrowser')).pss;
    await wd.quit();
    driver.kill();
    await sleep(500);
  }
  return { times, pss };
}

const display = await startDisplay();
const server = await startServer();
const config = terminalConfig(server, 'kiosk');
await enroll(server, config, ['kiosk']);
const app = await appColdStarts(display, config);
const base = await baseline(display);
await stopAll();

// Memory after the whole kiosk flow: the end-to-end test measures it at the end of the flow.
const e2e = spawnSync('node', ['--test', '--test-concurrency=1', 'tests/desktop/kiosk.e2e.mjs'], {
  cwd: ROOT, stdio: 'inherit', env: process.env,
});
if (e2e.status !== 0) throw new Error('the kiosk end-to-end run failed');
const report = JSON.parse(readFileSync(join(RESULTS, 'report.json'), 'utf8'));

const cpu = execFileSync('sh', ['-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"]).toString().trim();
const a = median(app);
const b = median(base.times);
console.log(`desktop app (release, Xvfb, ${cpu}, ${RUNS} cold starts each)`);
console.log(`  cold start to interactive kiosk screen: median ${a.toFixed(0)} ms (runs ${app.map((t) => t.toFixed(0)).join(', ')}); goal < 1500 ms`);
console.log(`  baseline MiniBrowser static page: median ${b.toFixed(0)} ms (runs ${base.times.map((t) => t.toFixed(0)).join(', ')}); ratio ${(a / b).toFixed(2)}`);
console.log(`  memory after the kiosk flow (PSS, app + WebKit processes): ${(report.pss_after_flow_kb / 1024).toFixed(1)} MB; goal < 200 MB`);
console.log(`  baseline MiniBrowser static page PSS: ${(base.pss / 1024).toFixed(1)} MB; ratio ${(report.pss_after_flow_kb / base.pss).toFixed(2)}`);
for (const p of report.processes) console.log(`    ${p.name} (${p.pid}): ${(p.kb / 1024).toFixed(1)} MB`);
