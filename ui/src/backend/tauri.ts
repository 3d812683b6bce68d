// The desktop app's Backend: every server call goes through the terminal runtime's typed commands
// (docs/terminal-commands.md), which hold the session, queue saves while offline and drive the
// devices. This is the ONLY module of the UI that imports `@tauri-apps/*`.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type {
  CaseDisclosureView,
  CaseQuery,
  CaseSummary,
  CaseView,
  CaseVocabulary,
  ConfirmRequest,
  ConfirmResult,
  CounterView,
  EvaluateRequest,
  EvaluateResponse,
  ExportResult,
  FeeTableView,
  HouseholdView,
  IncomingMoveView,
  LinkageStatus,
  LoginRequest,
  LoginResponse,
  PrintCase,
  PrintRequest,
  ProcedureView,
  QuoteRequest,
  QuoteResponse,
  ResidentView,
  ResolvedQr,
  SaveCase,
  SearchResponse,
  SessionUser,
  TownView,
  CounterAccessView,
  TerminalRegistration,
  TerminalsView,
  TerminalView,
} from '../api/types';
import { t } from '../i18n';
import {
  BackendError,
  TerminalError,
  isAbortError,
  type Backend,
  type PrintedPdf,
  type ResidentQuery,
} from './Backend';
import { errorFromBody, pathWithQuery, type QueryValue } from './shared';
import type {
  AdminUnlock,
  ApiPdfResponse,
  ApiResponse,
  CardAuthentication,
  CardPerson,
  CardStatus,
  CaseSaveResult,
  KioskReceipt,
  KioskSubmission,
  TerminalApi,
  TerminalInfo,
  TerminalStatus,
} from './terminal';

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

/** `Backend` over the desktop app's IPC (`api_request`, `api_pdf`, `case_save` and the devices). */
export class TauriBackend implements Backend {
  readonly terminal: TerminalApi;
  private readonly ipc: TauriIpc;
  private readonly storage: Storage | null;
  private session: boolean;
  private readonly unauthorizedListeners = new Set<() => void>();

  constructor(options: TauriBackendOptions = {}) {
    this.ipc = options.ipc ?? tauriIpc;
    this.storage = options.storage === undefined ? defaultStorage() : options.storage;
    this.session = this.readSessionFlag();
    this.terminal = new TauriTerminal(this.ipc);
  }

  // --- Session -------------------------------------------------------------------------------

  counters(tenant: string): Promise<CounterView[]> {
    return this.request('GET', '/api/v1/auth/counters', { query: { tenant } });
  }

  async login(req: LoginRequest): Promise<LoginResponse> {
    const res = await this.request<LoginResponse>('POST', '/api/v1/auth/login', { body: req });
    this.setSession(true);
    return res;
  }

  async logout(): Promise<void> {
    if (!this.session) return;
    try {
      await this.request('POST', '/api/v1/auth/logout');
    } catch {
      // The runtime forgets the session when the server does; locally it ends now in any case.
    } finally {
      this.setSession(false);
    }
  }

  me(): Promise<SessionUser> {
    return this.request('GET', '/api/v1/auth/me');
  }

  hasSession(): boolean {
    return this.session;
  }

  onUnauthorized(listener: () => void): () => void {
    this.unauthorizedListeners.add(listener);
    return () => this.unauthorizedListeners.delete(listener);
  }

  // --- Residents ----------------------------------------------------------------------------

  searchResidents(query: ResidentQuery, signal?: AbortSignal): Promise<SearchResponse> {
    return this.request('GET', '/api/v1/residents', { query: { ...query }, signal });
  }

  household(householdNo: string): Promise<HouseholdView> {
    return this.request('GET', `/api/v1/households/${encodeURIComponent(householdNo)}`);
  }

  resident(atenaNo: string): Promise<ResidentView> {
    return this.request('GET', `/api/v1/residents/${encodeURIComponent(atenaNo)}`);
  }

  // --- 手続きナビ, fees, forms ---------------------------------------------------------------

  evaluate(req: EvaluateRequest): Promise<EvaluateResponse> {
    return this.request('POST', '/api/v1/navigation/evaluate', { body: req });
  }

  procedures(date?: string): Promise<ProcedureView[]> {
    return this.request('GET', '/api/v1/procedures', { query: { date } });
  }

  quote(req: QuoteRequest): Promise<QuoteResponse> {
    return this.request('POST', '/api/v1/fees/quote', { body: req });
  }

  feeTable(): Promise<FeeTableView> {
    return this.request('GET', '/api/v1/fees/table');
  }

  async printForms(req: PrintRequest): Promise<Blob> {
    return (await this.pdf('/api/v1/forms/print', req)).pdf;
  }

  // --- Cases ---------------------------------------------------------------------------------

  /**
   * Saves through the runtime's outbox. `queued` (offline: kept on the terminal, sent later)
   * rejects with a `network` error whose code is `queued`, so that screens can show it as a notice.
   */
  async saveCase(caseId: string, req: SaveCase): Promise<CaseView> {
    const heldSession = this.session;
    let result: CaseSaveResult;
    try {
      result = await this.ipc.invoke<CaseSaveResult>('case_save', { caseId, save: req });
    } catch (error) {
      throw this.failed(backendErrorFromRejection(error), heldSession);
    }
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

  getCase(caseId: string): Promise<CaseView> {
    return this.request('GET', `/api/v1/cases/${encodeURIComponent(caseId)}`);
  }

  discloseCase(caseId: string, reason: string): Promise<CaseDisclosureView> {
    return this.request('POST', `/api/v1/cases/${encodeURIComponent(caseId)}/disclosure`, { body: { reason } });
  }

  listCases(query: CaseQuery): Promise<CaseSummary[]> {
    return this.request('GET', '/api/v1/cases', { query: { ...query } });
  }

  caseVocabulary(): Promise<CaseVocabulary> {
    return this.request('GET', '/api/v1/cases-vocabulary');
  }

  printCase(caseId: string, req: PrintCase): Promise<PrintedPdf> {
    return this.pdf(`/api/v1/cases/${encodeURIComponent(caseId)}/print`, req);
  }

  linkageStatus(): Promise<LinkageStatus> {
    return this.request('GET', '/api/v1/linkage/status');
  }

  exportLinkage(): Promise<ExportResult> {
    return this.request('POST', '/api/v1/linkage/export');
  }

  confirmLinkage(req: ConfirmRequest): Promise<ConfirmResult> {
    return this.request('POST', '/api/v1/linkage/confirm', { body: req });
  }

  terminals(): Promise<TerminalsView> {
    return this.request('GET', '/api/v1/admin/terminals');
  }

  enrollTerminal(id: string, req: TerminalRegistration): Promise<TerminalView> {
    return this.request('PUT', `/api/v1/admin/terminals/${encodeURIComponent(id)}`, { body: req });
  }

  async removeTerminal(id: string): Promise<void> {
    await this.request('DELETE', `/api/v1/admin/terminals/${encodeURIComponent(id)}`);
  }

  setCounterBrowser(code: string, allowed: boolean): Promise<CounterAccessView> {
    return this.request('PUT', `/api/v1/admin/counters/${encodeURIComponent(code)}/browser`, {
      body: { allowed },
    });
  }

  towns(): Promise<TownView[]> {
    return this.request('GET', '/api/v1/towns');
  }

  resolveQr(symbols: string[]): Promise<ResolvedQr> {
    return this.request('POST', '/api/v1/qr/resolve', { body: { symbols } });
  }

  incomingMoves(q: string, signal?: AbortSignal): Promise<IncomingMoveView[]> {
    return this.request('GET', '/api/v1/incoming-moves', { query: { q }, signal });
  }

  // --- plumbing ------------------------------------------------------------------------------

  private async request<T>(
    method: string,
    path: string,
    options: { query?: Record<string, QueryValue>; body?: unknown; signal?: AbortSignal } = {},
  ): Promise<T> {
    const heldSession = this.session;
    const args: Record<string, unknown> = { method, path: pathWithQuery(path, options.query) };
    if (options.body !== undefined) args.body = options.body;
    let response: ApiResponse;
    try {
      response = await abortable(() => this.ipc.invoke<ApiResponse>('api_request', args), options.signal);
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw this.failed(backendErrorFromRejection(error), heldSession);
    }
    if (!isSuccess(response.status)) throw this.failed(errorFromBody(response.status, response.body), heldSession);
    return response.body as T;
  }

  private async pdf(path: string, body: unknown): Promise<PrintedPdf> {
    const heldSession = this.session;
    let response: ApiPdfResponse;
    try {
      response = await this.ipc.invoke<ApiPdfResponse>('api_pdf', { path, body });
    } catch (error) {
      throw this.failed(backendErrorFromRejection(error), heldSession);
    }
    if (!isSuccess(response.status)) throw this.failed(errorFromBody(response.status, response.body), heldSession);
    if (typeof response.pdf_base64 !== 'string') throw new BackendError('server', { status: response.status });
    const bytes = base64ToBytes(response.pdf_base64);
    return { pdf: new Blob([bytes], { type: 'application/pdf' }), pages: countPdfPages(bytes) };
  }

  /** A 401 while a session was held ends it, and tells the app. */
  private failed(error: BackendError, heldSession: boolean): BackendError {
    if (error.kind === 'unauthorized' && heldSession) {
      this.setSession(false);
      for (const listener of [...this.unauthorizedListeners]) listener();
    }
    return error;
  }

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

  async printPdf(pdf: Blob): Promise<{ printer: string }> {
    const pdfBase64 = bytesToBase64(new Uint8Array(await pdf.arrayBuffer()));
    return this.command('print_pdf', { pdfBase64 });
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
