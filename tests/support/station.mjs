// What the issuance station's end-to-end tests (browser and desktop) share: the TEST JPKI PKI of the
// virtual card (TEST DOUBLE), delivering a `cards` file to the linkage job as a city's core system
// does, and — for tests that drive the station through the API — the station runtime's JPKI answer.
// No dependencies beyond Node itself.
import { execFileSync } from 'node:child_process';
import { sign } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const CARD = process.env.MADOGUCHI_VIRTUAL_CARD_BIN ?? join(ROOT, 'target/debug/madoguchi-virtual-card');

/** The virtual card's TEST JPKI PKI for a user certificate with `serial`: `anchors` (a folder for
 * `MADOGUCHI_JPKI_ANCHORS`), `crl` (base64, for `PUT /api/v1/admin/jpki-crl`), `card` (the example
 * card's profile with the certificate and key), `key` (the user key, PEM) and `certificate` (DER). */
export function testPki(serial) {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-jpki-'));
  execFileSync(CARD, ['jpki-test-card', '--serial', serial, '--out', dir]);
  return {
    anchors: join(dir, 'anchors'),
    crl: readFileSync(join(dir, 'crl.txt'), 'utf8'),
    card: join(dir, 'card.json'),
    key: readFileSync(join(dir, 'auth-key.pk8.pem'), 'utf8'),
    certificate: readFileSync(join(dir, 'auth-cert.der')),
  };
}

/** The server's environment for a station test: the PKI's trust anchor and a linkage job polling
 * `exchange` every second for tenant `demo`, applying full files whatever share they remove (a test
 * delivers one resident's seal as a full file). */
export function stationServerEnv(pki, exchange) {
  return {
    MADOGUCHI_JPKI_ANCHORS: pki.anchors,
    MADOGUCHI_OBJECTS_URL: `file://${exchange}`,
    MADOGUCHI_LINKAGE_TENANTS: 'demo',
    MADOGUCHI_LINKAGE_INTERVAL_SECS: '1',
    MADOGUCHI_LINKAGE_MAX_REMOVAL_PERCENT: '100',
  };
}

/** A full `cards` file (serial → resident; the job applies deltas only after a full file) delivered
 * with its end marker, as the core system does; resolves once the linkage job has applied it. */
export async function deliverCardSerial(exchange, atena, serial, seq = 1) {
  const inbound = join(exchange, 'demo/inbound/cards');
  mkdirSync(inbound, { recursive: true });
  const name = `full_${String(seq).padStart(6, '0')}.csv`;
  writeFileSync(join(inbound, name), `宛名番号,シリアル番号,失効年月日\n${atena},${serial.toUpperCase()},\n`);
  writeFileSync(join(inbound, `${name}.end`), '');
  const started = Date.now();
  while (!existsSync(join(exchange, 'demo/processed/cards', name))) {
    if (existsSync(join(exchange, 'demo/error/cards', name))) throw new Error(`the cards file ${name} was refused`);
    if (Date.now() - started > 30_000) throw new Error('the linkage job did not apply the cards file');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A 1×1 PNG standing in for a 印影 (the feed checks the image's magic number and size). */
const SEAL_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

/** A full `inkan` file registering one seal, for `atena` (the test server replaces the demo city's
 * seals with it: `stationServerEnv` lets a full file remove any share), delivered as the core system
 * does; resolves once the linkage job has applied it. */
export async function deliverSeal(exchange, atena, seq = 1) {
  const inbound = join(exchange, 'demo/inbound/inkan');
  mkdirSync(inbound, { recursive: true });
  const name = `full_${String(seq).padStart(6, '0')}.csv`;
  const header = '宛名番号,印鑑登録番号,登録年月日,登録状態,廃止年月日,印影データ,印影_幅mm,印影_高さmm';
  writeFileSync(join(inbound, name), `${header}\n${atena},900001,2020-04-01,1,,${SEAL_PNG},15.0,15.0\n`);
  writeFileSync(join(inbound, `${name}.end`), '');
  const started = Date.now();
  while (!existsSync(join(exchange, 'demo/processed/inkan', name))) {
    if (existsSync(join(exchange, 'demo/error/inkan', name))) throw new Error(`the inkan file ${name} was refused`);
    if (Date.now() - started > 30_000) throw new Error('the linkage job did not apply the inkan file');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** JSON over the API with a bearer token; `body` a string is sent as text. */
export async function api(base, path, token, body, method) {
  const text = typeof body === 'string';
  const res = await fetch(`${base}${path}`, {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    headers: {
      'Content-Type': text ? 'text/plain' : 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : text ? body : JSON.stringify(body),
  });
  const raw = await res.text();
  let json = null;
  try {
    json = raw ? JSON.parse(raw) : null;
  } catch {
    json = raw;
  }
  return { status: res.status, json, headers: res.headers };
}

/** What the station's runtime does with the card (`card_authenticate`), here with the PKI's key: the
 * server's challenge signed (PKCS#1 v1.5, SHA-256) and verified. Answers the verification id. */
export async function authenticateCard(base, token, pki) {
  const challenge = await api(base, '/api/v1/jpki/challenge', token, {});
  if (challenge.status !== 200) throw new Error(`challenge: ${JSON.stringify(challenge.json)}`);
  const signature = sign('sha256', Buffer.from(challenge.json.challenge, 'base64'), pki.key);
  const verified = await api(base, '/api/v1/jpki/verify', token, {
    challenge_id: challenge.json.challenge_id,
    certificate: pki.certificate.toString('base64'),
    signature: signature.toString('base64'),
  });
  if (verified.status !== 200) throw new Error(`verify: ${JSON.stringify(verified.json)}`);
  return verified.json.verification_id;
}
