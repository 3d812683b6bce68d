// The desktop app's Backend: every server call goes through the terminal runtime's commands
// (docs/terminal-commands.md), which hold the session, queue saves while offline and drive the
// devices. The server operations are `ServerBackend`'s, over the route table (`routes.ts`) sent
// through `api_request` / `api_pdf` (`IpcTransport`); what the runtime owns has its typed command
// (`case_save`, and `terminal`: card reader, printers, outbox, kiosk). This is the ONLY module of
// the UI that imports `@tauri-apps/*`.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type { CaseView, SaveCase } from '../api/types';
import { t } from '../i18n';
import { BackendError, TerminalError, isAbortError, type Backend, type PrintedPdf } from './Backend';
import type { Route } from './routes';
import { ServerBackend } from './server';
import { errorFromBody } from './shared';
import type {
  AdminUnlock,
  ApiFileResponse,
  ApiPdfResponse,
  ApiResponse,
  CardAuthentication,
  CardPerson,
  CardStatus,
  CaseSaveResult,
  KioskReceipt,
  KioskSubmission,
  Signalled,
  StationSubmission,
  StationTicket,
  TerminalApi,
  TerminalInfo,
  TerminalStatus,
} from './terminal';
import { routeTarget, type RequestParts, type Transport } from './transport';

/** The two IPC primitives the backend needs; tests pass fakes instead of Tauri's. */
export interface TauriIpc {
  invoke<T>(command: string, args?: Record<string, unknown>): Promise<T>;
  /** Subscribes to a runtime event; resolves to the unsubscribe function. */
  listen<T>(event: string, handler: (payload: T) => void): Promise<() => void>;
}

const tauriIpc: TauriIpc = {
  invoke: (command, args) => invoke(command, args),
  listen: (event, handler) => listen(event, (e) => handler(e.payload as never)),
};

/** sessionStorage flag: the runtime holds a session for this window (the token stays in Rust). */
const SESSION_KEY = 'madoguchi.tauri-session';

export interface TauriBackendOptions {
  ipc?: TauriIpc;
  /** Where the session flag survives a reload; `sessionStorage` by default, `null` for none. */
  storage?: Storage | null;
}

function defaultStorage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

/**
 * `Backend` over the desktop app's IPC: the server operations of `ServerBackend` over `IpcTransport`
 * (`api_request`, `api_pdf`), `case_save` through the runtime's outbox, and the devices (`terminal`).
 */
export class TauriBackend extends ServerBackend implements Backend {
  readonly terminal: TerminalApi;
  protected readonly transport: Transport;
  private readonly ipc: TauriIpc;
  private readonly storage: Storage | null;
  private session: boolean;

  constructor(options: TauriBackendOptions = {}) {
    super();
    this.ipc = options.ipc ?? tauriIpc;
    this.storage = options.storage === undefined ? defaultStorage() : options.storage;
    this.session = this.readSessionFlag();
    this.transport = new IpcTransport(this.ipc);
    this.terminal = new TauriTerminal(this.ipc);
  }

  // --- Session: the runtime holds the token; this window keeps a flag ---------------------------

  hasSession(): boolean {
    return this.session;
  }

  protected sessionStarted(): void {
    this.setSession(true);
  }

  protected sessionEnded(): void {
    this.setSession(false);
  }

  // --- Cases ---------------------------------------------------------------------------------

  /**
   * Saves through the runtime's outbox (`case_save`, not `api_request`). `queued` (offline: kept on
   * the terminal, sent later) rejects with a `network` error whose code is `queued`, so that screens
   * can show it as a notice.
   */
  async saveCase(caseId: string, req: SaveCase): Promise<CaseView> {
    const result = await this.guard(async () => {
      try {
        return await this.ipc.invoke<CaseSaveResult>('case_save', { caseId, save: req });
      } catch (error) {
        throw backendErrorFromRejection(error);
      }
    });
    switch (result.outcome) {
      case 'applied':
        return this.getCase(caseId);
      case 'queued':
        throw new BackendError('network', { code: 'queued', message: t('error.queued') });
      case 'conflict':
        throw new BackendError('conflict', { status: 409, message: result.message ?? undefined });
      case 'rejected':
        throw new BackendError('validation', { status: 400, message: result.message ?? undefined });
      default:
        throw new BackendError('server', { message: result.message ?? undefined });
    }
  }

  // --- plumbing ------------------------------------------------------------------------------

  private readSessionFlag(): boolean {
    try {
      return this.storage?.getItem(SESSION_KEY) === '1';
    } catch {
      return false;
    }
  }

  private setSession(held: boolean): void {
    this.session = held;
    try {
      if (held) this.storage?.setItem(SESSION_KEY, '1');
      else this.storage?.removeItem(SESSION_KEY);
    } catch {
      // Storage disabled: the flag then lasts until the page is reloaded.
    }
  }
}

/**
 * `Transport` over the runtime's generic server commands: a `pdf` route through `api_pdf` (always a
 * POST: it carries no method), a `file` route through `api_file` (always a GET), every other route
 * through `api_request`. The runtime adds the session
 * token; its rejections become the `BackendError` HttpTransport would give.
 */
export class IpcTransport implements Transport {
  constructor(private readonly ipc: TauriIpc) {}

  send(route: Route, request: RequestParts): Promise<unknown> {
    if (route.answer === 'pdf') return this.pdf(route, request);
    if (route.answer === 'file') return this.file(route, request);
    return this.request(route, request);
  }

  private async file(route: Route, request: RequestParts): Promise<Blob> {
    let response: ApiFileResponse;
    try {
      const args = { path: routeTarget(route, request) };
      response = await abortable(() => this.ipc.invoke<ApiFileResponse>('api_file', args), request.signal);
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw backendErrorFromRejection(error);
    }
    if (!isSuccess(response.status)) throw errorFromBody(response.status, response.body);
    if (typeof response.file_base64 !== 'string') throw new BackendError('server', { status: response.status });
    return new Blob([base64ToBytes(response.file_base64)], { type: response.media_type ?? 'application/octet-stream' });
  }

  private async request(route: Route, request: RequestParts): Promise<unknown> {
    const args: Record<string, unknown> = { method: route.method, path: routeTarget(route, request) };
    if (request.body !== undefined) args.body = request.body;
    let response: ApiResponse;
    try {
      response = await abortable(() => this.ipc.invoke<ApiResponse>('api_request', args), request.signal);
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw backendErrorFromRejection(error);
    }
    if (!isSuccess(response.status)) throw errorFromBody(response.status, response.body);
    if (route.answer === 'none') return undefined;
    // A text answer (a CSV) comes from the runtime as a JSON string.
    if (route.answer === 'text') return typeof response.body === 'string' ? response.body : '';
    return response.body;
  }

  private async pdf(route: Route, request: RequestParts): Promise<PrintedPdf> {
    const args = { path: routeTarget(route, request), body: request.body };
    let response: ApiPdfResponse;
    try {
      response = await abortable(() => this.ipc.invoke<ApiPdfResponse>('api_pdf', args), request.signal);
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw backendErrorFromRejection(error);
    }
    if (!isSuccess(response.status)) throw errorFromBody(response.status, response.body);
    if (typeof response.pdf_base64 !== 'string') throw new BackendError('server', { status: response.status });
    const bytes = base64ToBytes(response.pdf_base64);
    const printed: PrintedPdf = { pdf: new Blob([bytes], { type: 'application/pdf' }), pages: countPdfPages(bytes) };
    if (response.issue_numbers) printed.issueNumbers = response.issue_numbers;
    return printed;
  }
}

/** The terminal's runtime and devices. */
class TauriTerminal implements TerminalApi {
  constructor(private readonly ipc: TauriIpc) {}

  info(): Promise<TerminalInfo> {
    return this.command('terminal_info');
  }

  status(): Promise<TerminalStatus> {
    return this.command('terminal_status');
  }

  onStatus(listener: (status: TerminalStatus) => void): () => void {
    return this.subscribe<TerminalStatus>('terminal-status', listener);
  }

  onQrScanned(listener: (line: string) => void): () => void {
    return this.subscribe<unknown>('qr-scanned', (line) => {
      if (typeof line === 'string') listener(line);
    });
  }

  cardStatus(): Promise<CardStatus> {
    return this.command('card_status');
  }

  readCard(pin: string, confirmLastTry = false): Promise<CardPerson> {
    return this.command('card_read', { pin, confirmLastTry });
  }

  authenticateCard(pin: string, confirmLastTry = false): Promise<CardAuthentication> {
    return this.command('card_authenticate', { pin, confirmLastTry });
  }

  kioskSubmit(submission: KioskSubmission): Promise<KioskReceipt> {
    return this.command('kiosk_submit', { submission });
  }

  stationRequest(submission: StationSubmission): Promise<StationTicket> {
    return this.command('station_request', { submission });
  }

  async printPdf(pdf: Blob): Promise<{ printer: string }> {
    const pdfBase64 = bytesToBase64(new Uint8Array(await pdf.arrayBuffer()));
    return this.command('print_pdf', { pdfBase64 });
  }

  signalTower(signal: 'alert' | 'off'): Promise<Signalled> {
    return this.command('signal_tower', { signal });
  }

  syncNow(): Promise<TerminalStatus> {
    return this.command('sync_now');
  }

  unlockAdmin(pin: string): Promise<AdminUnlock> {
    return this.command('admin_unlock', { pin });
  }

  async lockAdmin(): Promise<void> {
    await this.command<unknown>('admin_lock');
  }

  async adminExit(): Promise<void> {
    await this.command<unknown>('admin_exit');
  }

  /** Subscribes to a runtime event; the returned function unsubscribes (also before `listen` settled). */
  private subscribe<T>(event: string, listener: (payload: T) => void): () => void {
    let unlisten: (() => void) | null = null;
    let active = true;
    this.ipc
      .listen<T>(event, (payload) => {
        if (active) listener(payload);
      })
      .then((stop) => {
        if (active) unlisten = stop;
        else stop(); // unsubscribed before the subscription was made
      })
      .catch(() => {
        // No events: the screens still read `status()` themselves; scans then use the keyboard wedge.
      });
    return () => {
      active = false;
      unlisten?.();
      unlisten = null;
    };
  }

  private async command<T>(name: string, args?: Record<string, unknown>): Promise<T> {
    try {
      return await this.ipc.invoke<T>(name, args);
    } catch (error) {
      throw terminalErrorFrom(error);
    }
  }
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** The parts of a command's rejection (`{code, message, ...extra}`; a bare string is a message). */
function rejectionParts(error: unknown): { code: string; message?: string; extra: Record<string, unknown> } {
  if (typeof error === 'object' && error !== null) {
    const { code, message, ...extra } = error as Record<string, unknown>;
    return {
      code: typeof code === 'string' && code ? code : 'internal',
      message: typeof message === 'string' && message ? message : undefined,
      extra,
    };
  }
  return { code: 'internal', message: typeof error === 'string' && error ? error : undefined, extra: {} };
}

/** A rejected terminal command as a `TerminalError`. */
export function terminalErrorFrom(error: unknown): TerminalError {
  if (error instanceof TerminalError) return error;
  const { code, message, extra } = rejectionParts(error);
  return new TerminalError(code, message, extra);
}

/** A rejected server command (`api_request`, `api_pdf`, `case_save`) as the `BackendError` HttpBackend would give. */
export function backendErrorFromRejection(error: unknown): BackendError {
  if (error instanceof BackendError) return error;
  const { code, message } = rejectionParts(error);
  switch (code) {
    case 'network':
      return new BackendError('network'); // the same words as the browser's lost connection
    case 'unauthorized':
      return new BackendError('unauthorized', { status: 401, message });
    case 'forbidden':
    case 'not_allowed':
      return new BackendError('forbidden', { status: 403, code, message });
    case 'invalid':
      return new BackendError('validation', { status: 400, code, message });
    default:
      return new BackendError('server', { code, message });
  }
}

/** Runs `start` unless `signal` is aborted; an abort while waiting rejects with an `AbortError` (IPC cannot be cancelled: its answer is dropped). */
function abortable<T>(start: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return start();
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    start().then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function abortError(): Error {
  return new DOMException('The request was cancelled.', 'AbortError');
}

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

/**
 * Pages of a PDF, counted from its page objects (`/Type /Page`): `api_pdf` does not carry the
 * page count the HTTP API sends in a header. 0 when none is found (e.g. compressed object streams).
 */
export function countPdfPages(bytes: Uint8Array): number {
  let text = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) text += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return text.match(/\/Type\s*\/Page(?![A-Za-z])/g)?.length ?? 0;
}
