import { describe, expect, it, vi } from 'vitest';
import type { CaseView, SaveCase } from '../api/types';
import { BackendError, TerminalError } from './Backend';
import { TauriBackend, countPdfPages, type TauriIpc } from './tauri';
import type { TerminalStatus } from './terminal';

// The IPC is injected (`TauriIpc`) rather than module-mocked: only `tauri.ts` may name the Tauri
// packages (tidy rule), and the adapter's own mapping is what these tests are about.

type Handler = (args: Record<string, unknown> | undefined) => unknown;

function fakeIpc(handlers: Record<string, Handler>) {
  const calls: Array<{ command: string; args: Record<string, unknown> | undefined }> = [];
  const listeners = new Map<string, (payload: unknown) => void>();
  const unlisten = vi.fn();
  const ipc: TauriIpc = {
    invoke: <T,>(command: string, args?: Record<string, unknown>) => {
      calls.push({ command, args });
      const handler = handlers[command];
      if (!handler) return Promise.reject({ code: 'internal', message: `no handler for ${command}` });
      try {
        return Promise.resolve(handler(args)) as Promise<T>;
      } catch (rejection) {
        return Promise.reject(rejection);
      }
    },
    listen: <T,>(event: string, handler: (payload: T) => void) => {
      listeners.set(event, handler as (payload: unknown) => void);
      return Promise.resolve(unlisten);
    },
  };
  return { ipc, calls, listeners, unlisten };
}

function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (k) => map.get(k) ?? null,
    key: (i) => [...map.keys()][i] ?? null,
    removeItem: (k) => void map.delete(k),
    setItem: (k, v) => void map.set(k, v),
  };
}

const caseView = {
  id: 'case-12345678', revision: 2, status: 'open', status_label: '受付中', title: '転入', address_masked: false,
  document: { visitor: { kind: '本人' } }, history: [],
  opened_at: '2026-11-23T00:00:00Z', opened_by: 'demo', opened_counter: 'shimin',
  updated_at: '2026-11-23T00:00:00Z', updated_by: 'demo', updated_counter: 'shimin',
} satisfies CaseView;

const save: SaveCase = { write_id: 'w-12345678', revision: null, status: 'open', document: { visitor: { kind: '本人' } } };

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('TauriBackend server calls', () => {
  it('send method, path with its query string and body through api_request, and resolve with the body', async () => {
    const { ipc, calls } = fakeIpc({ api_request: () => ({ status: 200, body: { count: 0, more: false, results: [] } }) });
    const backend = new TauriBackend({ ipc, storage: null });
    await expect(backend.searchResidents({ q: 'やまだ', limit: 5 })).resolves.toEqual({ count: 0, more: false, results: [] });
    expect(calls[0]).toEqual({
      command: 'api_request',
      args: { method: 'GET', path: '/api/v1/residents?q=%E3%82%84%E3%81%BE%E3%81%A0&limit=5' },
    });
    await backend.evaluate({ event: '転入', event_date: '2026-11-23' });
    expect(calls[1]!.args).toEqual({
      method: 'POST',
      path: '/api/v1/navigation/evaluate',
      body: { event: '転入', event_date: '2026-11-23' },
    });
  });

  it('disclose a masked case through api_request (POST …/disclosure with the reason)', async () => {
    const answer = { case: { ...caseView, address_masked: false }, protected: true };
    const { ipc, calls } = fakeIpc({ api_request: () => ({ status: 200, body: answer }) });
    const backend = new TauriBackend({ ipc, storage: null });
    await expect(backend.discloseCase('case-12345678', '転居届の確認')).resolves.toEqual(answer);
    expect(calls[0]).toEqual({
      command: 'api_request',
      args: { method: 'POST', path: '/api/v1/cases/case-12345678/disclosure', body: { reason: '転居届の確認' } },
    });
  });

  it.each([
    [400, 'validation'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [409, 'conflict'],
    [423, 'forbidden'],
    [500, 'server'],
  ] as const)('map status %i to the %s error, keeping the server code and message', async (status, kind) => {
    const { ipc } = fakeIpc({
      api_request: () => ({ status, body: { error: { code: 'some_code', message: 'サーバーの説明' } } }),
    });
    const error = await rejection(new TauriBackend({ ipc, storage: null }).household('1'));
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ kind, status, code: 'some_code', message: 'サーバーの説明' });
  });

  it('use the kind defaults when the body is not the server error', async () => {
    const { ipc } = fakeIpc({ api_request: () => ({ status: 502, body: null }) });
    const error = await rejection(new TauriBackend({ ipc, storage: null }).feeTable());
    expect(error).toMatchObject({ kind: 'server', status: 502, code: 'server' });
    expect((error as Error).message).toContain('サーバーでエラーが発生しました');
  });

  it('map a rejected invoke to network / unauthorized / forbidden / validation / server errors', async () => {
    const cases: Array<[unknown, string, string]> = [
      [{ code: 'network', message: '接続できません' }, 'network', 'network'],
      [{ code: 'unauthorized', message: 'x' }, 'unauthorized', 'unauthorized'],
      [{ code: 'forbidden', message: 'x' }, 'forbidden', 'forbidden'],
      [{ code: 'invalid', message: '不正です' }, 'validation', 'invalid'],
      [{ code: 'internal', message: '内部エラー' }, 'server', 'internal'],
      ['壊れた応答', 'server', 'internal'],
    ];
    for (const [rejected, kind, code] of cases) {
      const { ipc } = fakeIpc({
        api_request: () => {
          throw rejected;
        },
      });
      const error = await rejection(new TauriBackend({ ipc, storage: null }).towns());
      expect(error).toBeInstanceOf(BackendError);
      expect(error).toMatchObject({ kind, code });
    }
  });

  it('keep a session flag across reloads, and end it on 401 telling the app', async () => {
    const storage = memoryStorage();
    let status = 200;
    const { ipc, calls } = fakeIpc({
      api_request: (args) =>
        args?.path === '/api/v1/auth/login'
          ? { status: 200, body: { token: 'held-by-rust', expires_at: '2099-01-01T00:00:00Z', user: {} } }
          : { status, body: status === 401 ? { error: { code: 'unauthorized', message: '期限切れ' } } : {} },
    });
    const backend = new TauriBackend({ ipc, storage });
    expect(backend.hasSession()).toBe(false);
    await backend.login({ tenant: 'demo', counter: 'shimin', user: 'tanaka', password: 'pw' });
    expect(calls[0]!.args).toMatchObject({ method: 'POST', path: '/api/v1/auth/login' });
    expect(new TauriBackend({ ipc, storage }).hasSession()).toBe(true);

    const expired = vi.fn();
    backend.onUnauthorized(expired);
    status = 401;
    expect(await rejection(backend.me())).toMatchObject({ kind: 'unauthorized', message: '期限切れ' });
    expect(expired).toHaveBeenCalledOnce();
    expect(backend.hasSession()).toBe(false);
    expect(storage.getItem('madoguchi.tauri-session')).toBeNull();
  });

  it('log out through api_request and forget the session even when that fails', async () => {
    const storage = memoryStorage();
    storage.setItem('madoguchi.tauri-session', '1');
    const { ipc, calls } = fakeIpc({
      api_request: () => {
        throw { code: 'network', message: '' };
      },
    });
    const backend = new TauriBackend({ ipc, storage });
    await backend.logout();
    expect(calls[0]!.args).toMatchObject({ method: 'POST', path: '/api/v1/auth/logout' });
    expect(backend.hasSession()).toBe(false);
  });

  it('reject with an AbortError when the signal aborts, before or while waiting', async () => {
    let answer: (v: unknown) => void = () => {};
    const { ipc, calls } = fakeIpc({ api_request: () => new Promise((resolve) => (answer = resolve)) });
    const backend = new TauriBackend({ ipc, storage: null });
    const before = new AbortController();
    before.abort();
    expect(await rejection(backend.incomingMoves('a', before.signal))).toMatchObject({ name: 'AbortError' });
    expect(calls).toHaveLength(0);
    const during = new AbortController();
    const pending = backend.incomingMoves('b', during.signal);
    during.abort();
    expect(await rejection(pending)).toMatchObject({ name: 'AbortError' });
    answer({ status: 200, body: [] });
  });

  it('turn api_pdf base64 into a PDF blob, with the pages counted', async () => {
    const pdf = '%PDF-1.7\n1 0 obj << /Type /Pages /Count 2 >>\n2 0 obj << /Type /Page >>\n3 0 obj <</Type/Page>>\n';
    const { ipc, calls } = fakeIpc({ api_pdf: () => ({ status: 200, pdf_base64: btoa(pdf) }) });
    const backend = new TauriBackend({ ipc, storage: null });
    const printed = await backend.printCase('case-12345678', { write_id: 'p-12345678' });
    expect(calls[0]).toEqual({
      command: 'api_pdf',
      args: { path: '/api/v1/cases/case-12345678/print', body: { write_id: 'p-12345678' } },
    });
    expect(printed.pages).toBe(2);
    expect(printed.pdf.type).toBe('application/pdf');
    expect(await printed.pdf.text()).toBe(pdf);
    const forms = await backend.printForms({ forms: [] } as never);
    expect(forms.size).toBe(pdf.length);
  });

  it('pass the 発行番号 of issued certificates on from api_pdf', async () => {
    const pdf = '%PDF-1.7\n2 0 obj << /Type /Page >>\n';
    const { ipc } = fakeIpc({
      api_pdf: () => ({ status: 200, pdf_base64: btoa(pdf), issue_numbers: ['R08-000001', 'R08-000002'] }),
    });
    const backend = new TauriBackend({ ipc, storage: null });
    const issued = await backend.issueCertificates('case-12345678', { write_id: 'c-12345678' });
    expect(issued.issueNumbers).toEqual(['R08-000001', 'R08-000002']);
  });

  it('map api_pdf errors like api_request ones', async () => {
    const { ipc } = fakeIpc({
      api_pdf: () => ({ status: 403, body: { error: { code: 'support_measure_protected', message: '理由が必要です' } } }),
    });
    expect(await rejection(new TauriBackend({ ipc, storage: null }).printCase('c', { write_id: 'p' }))).toMatchObject({
      kind: 'forbidden',
      code: 'support_measure_protected',
    });
  });
});

describe('TauriBackend.saveCase', () => {
  it('applied: reads the case back for the view', async () => {
    const { ipc, calls } = fakeIpc({
      case_save: () => ({ outcome: 'applied', revision: 2, message: null }),
      api_request: () => ({ status: 200, body: caseView }),
    });
    await expect(new TauriBackend({ ipc, storage: null }).saveCase('case-12345678', save)).resolves.toEqual(caseView);
    expect(calls[0]).toEqual({ command: 'case_save', args: { caseId: 'case-12345678', save } });
    expect(calls[1]!.args).toEqual({ method: 'GET', path: '/api/v1/cases/case-12345678' });
  });

  it('queued: a network error with code queued and the stored-on-the-terminal message', async () => {
    const { ipc } = fakeIpc({ case_save: () => ({ outcome: 'queued', revision: null, message: null }) });
    const error = await rejection(new TauriBackend({ ipc, storage: null }).saveCase('case-12345678', save));
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({
      kind: 'network',
      code: 'queued',
      message: 'サーバーに接続できないため、この端末に保存しました。接続が戻ると自動で送信します。',
    });
  });

  it('conflict and rejected: conflict and validation errors with the runtime message', async () => {
    for (const [outcome, kind] of [
      ['conflict', 'conflict'],
      ['rejected', 'validation'],
    ] as const) {
      const { ipc } = fakeIpc({ case_save: () => ({ outcome, revision: null, message: '説明' }) });
      expect(await rejection(new TauriBackend({ ipc, storage: null }).saveCase('c', save))).toMatchObject({
        kind,
        message: '説明',
      });
    }
  });

  it('a rejected case_save (runtime failure) is a BackendError too', async () => {
    const { ipc } = fakeIpc({
      case_save: () => {
        throw { code: 'internal', message: '保存に失敗しました' };
      },
    });
    expect(await rejection(new TauriBackend({ ipc, storage: null }).saveCase('c', save))).toMatchObject({
      kind: 'server',
      message: '保存に失敗しました',
    });
  });
});

describe('TauriBackend.terminal', () => {
  const status: TerminalStatus = {
    online: false, logged_in: true, outbox_pending: 2, outbox_attention: 0, last_sync_at: null,
    card: { state: 'no_card', reader: 'R', text_pin_retries: 3, auth_pin_retries: 3, blocked: false, message: 'カードを置いてください' },
    update: null,
    update_refused: null,
    receipt_paper_out: false,
  };

  it('call the commands with camelCase arguments', async () => {
    const { ipc, calls } = fakeIpc({
      card_read: () => ({ name: '山田 太郎' }),
      card_authenticate: () => ({ verified: true, serial: 'S' }),
      kiosk_submit: () => ({ case_id: 'k', receipt_no: 'K-1', uploaded: true, printed: ['guide'] }),
      admin_unlock: () => ({ unlocked: true, wait_seconds: 0 }),
      admin_lock: () => null,
      admin_exit: () => null,
      sync_now: () => status,
      print_pdf: () => ({ printer: 'P' }),
    });
    const terminal = new TauriBackend({ ipc, storage: null }).terminal;
    await terminal.readCard('1234');
    await terminal.readCard('1234', true);
    await terminal.authenticateCard('9999');
    const submission = { case_id: 'kiosk-12345678', write_id: 'w-12345678', document: save.document, language: 'ja' };
    await terminal.kioskSubmit(submission);
    expect(await terminal.unlockAdmin('0000')).toEqual({ unlocked: true, wait_seconds: 0 });
    await terminal.lockAdmin();
    await terminal.adminExit();
    await terminal.syncNow();
    await terminal.printPdf(new Blob(['%PDF']));
    expect(calls.map((c) => [c.command, c.args])).toEqual([
      ['card_read', { pin: '1234', confirmLastTry: false }],
      ['card_read', { pin: '1234', confirmLastTry: true }],
      ['card_authenticate', { pin: '9999', confirmLastTry: false }],
      ['kiosk_submit', { submission }],
      ['admin_unlock', { pin: '0000' }],
      ['admin_lock', undefined],
      ['admin_exit', undefined],
      ['sync_now', undefined],
      ['print_pdf', { pdfBase64: btoa('%PDF') }],
    ]);
  });

  it('turn a rejection into a TerminalError with its code, message and extra fields', async () => {
    const { ipc } = fakeIpc({
      card_read: () => {
        throw { code: 'wrong_pin', message: '暗証番号が違います', tries_left: 2 };
      },
      card_status: () => {
        throw 'panic';
      },
    });
    const terminal = new TauriBackend({ ipc, storage: null }).terminal;
    const error = await rejection(terminal.readCard('0000'));
    expect(error).toBeInstanceOf(TerminalError);
    expect(error).toMatchObject({ code: 'wrong_pin', message: '暗証番号が違います', triesLeft: 2 });
    expect((error as TerminalError).extra).toEqual({ tries_left: 2 });
    expect(await rejection(terminal.cardStatus())).toMatchObject({ code: 'internal', message: 'panic' });
  });

  it('subscribe to terminal-status and unsubscribe', async () => {
    const { ipc, listeners, unlisten } = fakeIpc({});
    const terminal = new TauriBackend({ ipc, storage: null }).terminal;
    const seen: TerminalStatus[] = [];
    const stop = terminal.onStatus((s) => seen.push(s));
    await Promise.resolve();
    listeners.get('terminal-status')!(status);
    expect(seen).toEqual([status]);
    stop();
    expect(unlisten).toHaveBeenCalledOnce();
    listeners.get('terminal-status')!(status);
    expect(seen).toHaveLength(1);
  });

  it('subscribe to the serial scanner’s qr-scanned lines and unsubscribe', async () => {
    const { ipc, listeners, unlisten } = fakeIpc({});
    const terminal = new TauriBackend({ ipc, storage: null }).terminal;
    const lines: string[] = [];
    const stop = terminal.onQrScanned((line) => lines.push(line));
    await Promise.resolve();
    listeners.get('qr-scanned')!('MDG1.1.1.abcdef.AAAA');
    listeners.get('qr-scanned')!({ not: 'a line' }); // only strings are scans
    expect(lines).toEqual(['MDG1.1.1.abcdef.AAAA']);
    stop();
    expect(unlisten).toHaveBeenCalledOnce();
    listeners.get('qr-scanned')!('MDG1.1.1.abcdef.BBBB');
    expect(lines).toHaveLength(1);
  });

  it('stops listening even when unsubscribed before the subscription was made', async () => {
    const unlisten = vi.fn();
    let handler: ((line: unknown) => void) | null = null;
    let made: (stop: () => void) => void = () => undefined;
    const ipc: TauriIpc = {
      invoke: () => Promise.reject({ code: 'internal' }),
      listen: <T,>(_event: string, h: (payload: T) => void) => {
        handler = h as (line: unknown) => void;
        return new Promise<() => void>((resolve) => (made = resolve));
      },
    };
    const terminal = new TauriBackend({ ipc, storage: null }).terminal;
    const lines: string[] = [];
    const stop = terminal.onQrScanned((line) => lines.push(line));
    stop();
    made(unlisten);
    await Promise.resolve();
    expect(unlisten).toHaveBeenCalledOnce();
    handler!('MDG1.1.1.abcdef.AAAA');
    expect(lines).toEqual([]);
  });
});

describe('countPdfPages', () => {
  it('counts page objects, not the page tree', () => {
    const bytes = new TextEncoder().encode('<< /Type /Pages >> << /Type /Page >> << /Type/Page/Parent 1 0 R >>');
    expect(countPdfPages(bytes)).toBe(2);
    expect(countPdfPages(new Uint8Array())).toBe(0);
  });
});
