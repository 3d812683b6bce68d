// Processes the desktop app's end-to-end tests and benchmarks run against: a virtual X display (Xvfb),
// a private pcscd with vsmartcard's virtual reader and the virtual My Number card (TEST DOUBLE), the
// real API server (release build, demo city), tauri-driver in front of WebKitWebDriver, and the
// terminal's configuration file with the mock printers (TEST DOUBLE: jobs land in folders).

import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { WebDriver } from './webdriver.mjs';

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
export const RESULTS = resolve(process.env.DESKTOP_RESULTS ?? join(ROOT, 'tests/desktop/results'));
export const APP = process.env.MADOGUCHI_TERMINAL_BIN ?? join(ROOT, 'target/release/madoguchi-terminal');
const SERVER = process.env.MADOGUCHI_SERVER_BIN ?? join(ROOT, 'target/release/madoguchi-server');
const CARD = process.env.MADOGUCHI_VIRTUAL_CARD_BIN ?? join(ROOT, 'target/debug/madoguchi-virtual-card');
const TAURI_DRIVER = process.env.TAURI_DRIVER ?? 'tauri-driver';
const VPCD = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';
export const ADMIN_PIN = '246810';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const children = [];

function start(cmd, args, opts = {}) {
  // Each in its own process group, so that stopping it also stops what it started (tauri-driver →
  // WebKitWebDriver → the app → WebKit's processes).
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...opts });
  child.output = '';
  child.stdout.on('data', (d) => (child.output += d));
  child.stderr.on('data', (d) => (child.output += d));
  children.push(child);
  return child;
}

export async function stopAll() {
  // Every process's output is kept with the artefacts (no personal data: demo and test-double data only).
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(
    join(RESULTS, 'processes.log'),
    children.map((c) => `=== ${c.spawnfile} ${c.spawnargs.slice(1).join(' ')}\n${c.output}`).join('\n'),
  );
  const signal = (c, sig) => {
    try {
      process.kill(-c.pid, sig);
    } catch {
      /* already gone */
    }
  };
  // Descendants that left the process group (WebKitWebDriver starts the app in its own session).
  const descendants = children.flatMap((c) => [...processTree(c.pid)].map(Number).filter((p) => p !== c.pid));
  for (const c of children.reverse()) signal(c, 'SIGTERM');
  for (const pid of descendants) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  await sleep(500);
  for (const c of children) signal(c, 'SIGKILL');
  // WebKitWebDriver starts the app in a session of its own: stop any left of this run by their binary.
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
      if (cmd === APP || cmd === '/usr/bin/WebKitWebDriver') process.kill(Number(pid), 'SIGKILL');
    } catch {
      /* gone or not ours */
    }
  }
  children.length = 0;
}

async function waitFor(check, what, timeoutMs = 20000) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function answers(url) {
  try {
    const r = await fetch(url);
    return r.status < 500;
  } catch {
    return false;
  }
}

export async function startDisplay() {
  const display = `:${90 + Math.floor(Math.random() * 9)}`;
  start('Xvfb', [display, '-screen', '0', '1280x1024x24', '-nolisten', 'tcp']);
  await waitFor(() => existsSync(`/tmp/.X11-unix/X${display.slice(1)}`), 'Xvfb');
  return display;
}

/** pcscd with a vpcd reader on `port`, and the virtual card: `profile` (a JSON file) or the example
 * profile (山田 太郎, PIN 1234). */
export async function startCard(profile) {
  const port = 35963 + Math.floor(Math.random() * 500) * 2;
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-pcscd-'));
  const hex = `0x${port.toString(16).toUpperCase().padStart(4, '0')}`;
  writeFileSync(
    join(dir, 'vpcd'),
    `FRIENDLYNAME "Virtual PCD"\nDEVICENAME /dev/null:${hex}\nLIBPATH ${VPCD}\nCHANNELID ${hex}\n`,
  );
  start('/usr/sbin/pcscd', ['-f', '-c', dir]);
  await waitFor(() => existsSync('/run/pcscd/pcscd.comm'), 'pcscd');
  await sleep(300);
  start(CARD, ['--port', String(port), profile ?? '--example']);
}

/** The release server on a demo city of 1,000 residents; `env` adds to its environment. */
export async function startServer(env = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-desktop-'));
  const port = 21000 + Math.floor(Math.random() * 2000);
  start(SERVER, ['--database', `sqlite://${join(dir, 'server.sqlite3')}`, 'demo', '--residents', '1000',
    '--listen', `127.0.0.1:${port}`], { env: { ...process.env, ...env } });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(() => answers(`${base}/healthz`), 'the server', 120000);
  return base;
}

/** The counter and self-service account of each role (the demo city's). */
const ROLE_ACCOUNTS = {
  kiosk: { counter: 'kiosk', account: 'kiosk_account = { login = "kiosk-01", password = "sakurano-kiosk-terminal" }' },
  staff: { counter: 'shimin-1', account: 'kiosk_account = { login = "kiosk-01", password = "sakurano-kiosk-terminal" }' },
  issuance: { counter: 'station', account: 'kiosk_account = { login = "station-01", password = "sakurano-station-terminal" }' },
};

/** The terminal's configuration (as the installer writes it) and its folders. */
export function terminalConfig(server, role = 'kiosk') {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-terminal-'));
  const hash = execFileSync(APP, ['hash-pin'], { input: `${ADMIN_PIN}\n` }).toString().trim();
  const file = join(dir, 'terminal.toml');
  writeFileSync(
    file,
    [
      `server_url = "${server}"`,
      'tenant = "demo"',
      `terminal_id = "${role}-e2e-1"`,
      `role = "${role}"`,
      `counter = "${ROLE_ACCOUNTS[role].counter}"`,
      `printer = "mock:${join(dir, 'printed')}"`,
      `receipt_printer = "mock:${join(dir, 'receipts')}"`,
      `data_dir = "${join(dir, 'data')}"`,
      hash,
      ROLE_ACCOUNTS[role].account,
      '',
    ].join('\n'),
  );
  return { dir, file, printed: join(dir, 'printed'), receipts: join(dir, 'receipts') };
}

/**
 * Enrolls the terminal of `config` as an administrator does (docs/security.md): the app prints its
 * enrollment code, and the demo administrator registers it for `counters` over the admin API.
 */
export async function enroll(server, config, counters) {
  const out = execFileSync(APP, ['enrollment-code'], {
    env: { ...process.env, MADOGUCHI_TERMINAL_CONFIG: config.file },
  }).toString();
  const id = /端末ID: (.+)/.exec(out)?.[1]?.trim();
  const code = /登録コード: (.+)/.exec(out)?.[1]?.trim();
  if (!id || !code) throw new Error(`no enrollment code: ${out}`);
  const json = { 'Content-Type': 'application/json' };
  const login = await fetch(`${server}/api/v1/auth/login`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ tenant: 'demo', user: 'demo', password: 'sakurano-madoguchi', counter: 'kanri' }),
  });
  const { token } = await login.json();
  const res = await fetch(`${server}/api/v1/admin/terminals/${id}`, {
    method: 'PUT',
    headers: { ...json, Authorization: `Bearer ${token}` },
    body: JSON.stringify({ name: 'E2E', enrollment_code: code, counters }),
  });
  if (!res.ok) throw new Error(`enrollment refused: ${res.status} ${await res.text()}`);
  return { id, code };
}

/** Posts a maintenance notice (a planned stop in 13 days) as the demo admin, as the admin screen does. */
export async function postMaintenance(server, textJa, textEn) {
  const json = { 'Content-Type': 'application/json' };
  const login = await fetch(`${server}/api/v1/auth/login`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ tenant: 'demo', user: 'demo', password: 'sakurano-madoguchi', counter: 'kanri' }),
  });
  const { token } = await login.json();
  const at = (days) => new Date(Date.now() + days * 86_400_000).toISOString();
  const res = await fetch(`${server}/api/v1/admin/notices`, {
    method: 'POST',
    headers: { ...json, Authorization: `Bearer ${token}` },
    body: JSON.stringify({
      kind: 'maintenance', audience: 'all', text_ja: textJa, text_en: textEn,
      starts_at: at(-1), ends_at: at(14), window_start: at(13), window_end: at(13.125),
    }),
  });
  if (!res.ok) throw new Error(`maintenance notice refused: ${res.status} ${await res.text()}`);
}

export function files(dir, ext) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith(ext)).sort().map((f) => join(dir, f));
}

/** tauri-driver with the app's environment; returns a WebDriver client (no session yet). */
export async function startDriver(display, configFile, extraEnv = {}) {
  const port = 24444 + Math.floor(Math.random() * 1000);
  start(TAURI_DRIVER, ['--port', String(port), '--native-port', String(port + 1),
    '--native-driver', '/usr/bin/WebKitWebDriver'], {
    env: {
      ...process.env,
      DISPLAY: display,
      WEBKIT_DISABLE_COMPOSITING_MODE: '1',
      MADOGUCHI_TERMINAL_CONFIG: configFile,
      MADOGUCHI_LOG: 'info',
      ...extraEnv,
    },
  });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(() => answers(`${base}/status`), 'tauri-driver');
  return new WebDriver(base);
}

/** A process and all its descendants (pids as strings). */
function processTree(rootPid) {
  const all = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  const parent = new Map();
  for (const pid of all) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parent.set(pid, stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      /* gone */
    }
  }
  const tree = new Set([String(rootPid)]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parent) {
      if (tree.has(ppid) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  return tree;
}

/** Proportional set size (kB) of a process and all its descendants (the app and its WebKit processes). */
export function treePss(rootPid) {
  const tree = processTree(rootPid);
  let pss = 0;
  const parts = [];
  for (const pid of tree) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      const kb = Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
      const name = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      pss += kb;
      parts.push({ pid, name, kb });
    } catch {
      /* gone */
    }
  }
  return { pss, parts };
}

/** The PID of the newest process with this name (comm). */
export function newestPid(name) {
  const pids = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name.slice(0, 15);
      } catch {
        return false;
      }
    })
    .map(Number)
    .sort((a, b) => b - a);
  return pids[0];
}

export function saveArtefact(name, bytes) {
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, name), bytes);
}

export function cleanResults() {
  rmSync(RESULTS, { recursive: true, force: true });
  mkdirSync(RESULTS, { recursive: true });
}
