// End-to-end harness: the real server binary on a freshly seeded database, Debian's Chromium driven
// by playwright-core, screenshots and PDFs kept as artefacts, and a counter of the keys and clicks a
// scenario uses (the 書かない窓口 goal is measured in keystrokes).
import { spawn, execFileSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
export { qrCodesOfPdf } from '../../tests/support/qr.mjs';

export const ARTEFACTS = resolve(process.env.E2E_ARTEFACTS ?? 'test-results/e2e');

/** Starts `madoguchi-server demo` on a new database and waits until it answers; `env` adds to its
 * environment. */
export async function startServer({ residents, env = {} }) {
  const bin = process.env.MADOGUCHI_SERVER_BIN;
  if (!bin) throw new Error('MADOGUCHI_SERVER_BIN must name the madoguchi-server binary (cargo xtask test sets it)');
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-e2e-'));
  const port = 18000 + Math.floor(Math.random() * 2000);
  const child = spawn(
    bin,
    ['--database', `sqlite://${join(dir, 'e2e.sqlite3')}`, 'demo', '--residents', String(residents), '--listen', `127.0.0.1:${port}`],
    { env: { ...process.env, MADOGUCHI_UI_DIR: resolve('dist'), RUST_LOG: process.env.RUST_LOG ?? 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 600_000) throw new Error(`server did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    base,
    seconds: (Date.now() - started) / 1000,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless, with the flags this closed network needs (and `extraArgs`). */
export function launchBrowser(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

/** Counts what the staff member does: keys pressed (IME input counted as its romaji keystrokes
 * plus the conversion keys) and clicks. */
export class Operator {
  constructor(page) {
    this.page = page;
    this.keys = 0;
    this.clicks = 0;
    this.log = [];
  }

  async press(key) {
    this.keys += 1;
    this.log.push(key);
    await this.page.keyboard.press(key);
  }

  /** ASCII typed key by key. */
  async type(text) {
    this.keys += text.length;
    this.log.push(text);
    await this.page.keyboard.type(text);
  }

  /** Japanese entered through the IME: `romaji` keys, then `convert` keys (space, Enter). */
  async ime(text, romaji, convert = 1) {
    this.keys += romaji.length + convert;
    this.log.push(`${text}(${romaji}+${convert})`);
    await this.page.keyboard.insertText(text);
  }

  async click(locator) {
    this.clicks += 1;
    this.log.push('click');
    await locator.click();
  }
}

let shot = 0;
/** A screenshot of the page, numbered in the order taken. */
export async function screenshot(page, name) {
  mkdirSync(ARTEFACTS, { recursive: true });
  shot += 1;
  await page.screenshot({ path: join(ARTEFACTS, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true });
}

/** Runs `action` (the key that prints) and returns the text of the PDF the server answered with;
 * the PDF is kept as an artefact. The print request passes through the test unchanged. */
export async function printedPdfText(page, name, action) {
  return (await capturedPdf(page, name, '**/api/v1/cases/*/print', action)).text;
}

/** Runs `action` and captures the PDF the server answers to the first request matching `pattern`
 * (passed through unchanged): its text, where it is kept as an artefact (`<name>.pdf`), and the
 * response's headers (lower-case names). */
export async function capturedPdf(page, name, pattern, action) {
  let done;
  const captured = new Promise((resolve) => (done = resolve));
  await page.route(pattern, async (route) => {
    const response = await route.fetch();
    const body = await response.body();
    await route.fulfill({ response, body });
    done({ status: response.status(), body, headers: response.headers() });
  });
  await action();
  const { status, body, headers } = await Promise.race([
    captured,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`no request to ${pattern} within 60 s`)), 60_000)),
  ]);
  await page.unroute(pattern);
  if (status !== 200) throw new Error(`${pattern} answered ${status}: ${body.toString('utf8')}`);
  mkdirSync(ARTEFACTS, { recursive: true });
  const path = join(ARTEFACTS, `${name}.pdf`);
  writeFileSync(path, body);
  return { text: execFileSync('pdftotext', ['-raw', path, '-']).toString('utf8'), path, headers };
}

/** The 宛名番号 of the demo city's person number `seq` (14 digits + Modulus-11 check digit, as the
 * demo city generator assigns them; person 150 is always under 支援措置). */
export function demoAtena(seq) {
  const body = String(seq);
  let sum = 0;
  [...body].reverse().forEach((d, i) => (sum += Number(d) * (2 + (i % 6))));
  const r = sum % 11;
  const cd = r <= 1 ? 0 : 11 - r;
  return `${body}${cd}`.padStart(15, '0');
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * A TEST DOUBLE of an enrolled counter terminal: a fresh Ed25519 key in this process, its enrollment
 * code (written here independently of the Rust code, as a check of the documented format: base32 of
 * the key and a check byte, docs/security.md) and logins signed as the terminal's runtime signs them.
 */
export function testTerminal(id) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  let check = 0;
  raw.forEach((b, i) => {
    check = (((check << 1) | (check >> 7)) & 0xff) ^ ((b * (2 * i + 1)) & 0xff);
  });
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const b of [...raw, check]) bits += b.toString(2).padStart(8, '0');
  bits = bits.padEnd(Math.ceil(bits.length / 5) * 5, '0');
  let chars = '';
  for (let i = 0; i < bits.length; i += 5) chars += alphabet[parseInt(bits.slice(i, i + 5), 2)];
  const code = chars.match(/.{1,4}/g).join(' ');
  return {
    id,
    code,
    login(tenant, user, password, counter) {
      const signedAt = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      const message = ['madoguchi-login-v1', tenant, id, user, counter, signedAt].join('\n');
      const signature = sign(null, Buffer.from(message), privateKey).toString('base64');
      return { tenant, user, password, counter, device: { terminal: id, signed_at: signedAt, signature } };
    },
  };
}

/**
 * The accessibility violations axe-core finds on the page at WCAG 2.1 level A and AA, each as
 * `rule: target…` (empty when there are none). The context needs `bypassCSP: true` (the script is injected).
 */
export async function axeViolations(page) {
  await page.addScriptTag({ path: resolve('node_modules/axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  return violations;
}
