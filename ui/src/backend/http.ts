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
import { BackendError, isAbortError, type Backend, type PrintedPdf, type ResidentQuery } from './Backend';
import { errorFromBody, pathWithQuery, type QueryValue } from './shared';

const TOKEN_KEY = 'madoguchi.session-token';

interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
  /** How to read a successful response. */
  expect?: 'json' | 'blob' | 'blob+headers' | 'none';
}

export interface HttpBackendOptions {
  /** Prefix of every URL; '' (same origin) by default. */
  baseUrl?: string;
  /** Where the session token survives a reload; `sessionStorage` by default, `null` for none. */
  storage?: Storage | null;
  /** The fetch to use; the global one by default (looked up at call time, so tests can stub it). */
  fetch?: typeof fetch;
}

function defaultStorage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null; // storage disabled by the browser
  }
}

/** `Backend` over the API server's HTTP interface (`/api/v1/…`). */
export class HttpBackend implements Backend {
  private readonly baseUrl: string;
  private readonly storage: Storage | null;
  private readonly fetchImpl: typeof fetch;
  private token: string | null;
  private readonly unauthorizedListeners = new Set<() => void>();

  constructor(options: HttpBackendOptions = {}) {
    this.baseUrl = options.baseUrl ?? '';
    this.storage = options.storage === undefined ? defaultStorage() : options.storage;
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.token = this.readStoredToken();
  }

  counters(tenant: string): Promise<CounterView[]> {
    return this.request('GET', '/api/v1/auth/counters', { query: { tenant } });
  }

  async login(req: LoginRequest): Promise<LoginResponse> {
    const res = await this.request<LoginResponse>('POST', '/api/v1/auth/login', { body: req });
    this.setToken(res.token);
    return res;
  }

  async logout(): Promise<void> {
    if (this.token === null) return;
    try {
      await this.request('POST', '/api/v1/auth/logout', { expect: 'none' });
    } catch {
      // The server forgets the session when it expires; locally it ends now in any case.
    } finally {
      this.setToken(null);
    }
  }

  me(): Promise<SessionUser> {
    return this.request('GET', '/api/v1/auth/me');
  }

  hasSession(): boolean {
    return this.token !== null;
  }

  onUnauthorized(listener: () => void): () => void {
    this.unauthorizedListeners.add(listener);
    return () => this.unauthorizedListeners.delete(listener);
  }

  searchResidents(query: ResidentQuery, signal?: AbortSignal): Promise<SearchResponse> {
    return this.request('GET', '/api/v1/residents', { query: { ...query }, signal });
  }

  household(householdNo: string): Promise<HouseholdView> {
    return this.request('GET', `/api/v1/households/${encodeURIComponent(householdNo)}`);
  }

  resident(atenaNo: string): Promise<ResidentView> {
    return this.request('GET', `/api/v1/residents/${encodeURIComponent(atenaNo)}`);
  }

  evaluate(req: EvaluateRequest): Promise<EvaluateResponse> {
    return this.request('POST', '/api/v1/navigation/evaluate', { body: req });
  }

  procedures(date?: string): Promise<ProcedureView[]> {
    // The server reads `date` from the query string.
    return this.request('GET', '/api/v1/procedures', { query: { date } });
  }

  quote(req: QuoteRequest): Promise<QuoteResponse> {
    return this.request('POST', '/api/v1/fees/quote', { body: req });
  }

  feeTable(): Promise<FeeTableView> {
    return this.request('GET', '/api/v1/fees/table');
  }

  printForms(req: PrintRequest): Promise<Blob> {
    return this.request('POST', '/api/v1/forms/print', { body: req, expect: 'blob' });
  }

  saveCase(caseId: string, req: SaveCase): Promise<CaseView> {
    return this.request('PUT', `/api/v1/cases/${encodeURIComponent(caseId)}`, { body: req });
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

  async printCase(caseId: string, req: PrintCase): Promise<PrintedPdf> {
    const { blob, headers } = await this.request<{ blob: Blob; headers: Headers }>(
      'POST',
      `/api/v1/cases/${encodeURIComponent(caseId)}/print`,
      { body: req, expect: 'blob+headers' },
    );
    return { pdf: blob, pages: Number(headers.get('x-madoguchi-pages') ?? '0') };
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
    await this.request('DELETE', `/api/v1/admin/terminals/${encodeURIComponent(id)}`, { expect: 'none' });
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

  // --- plumbing ----------------------------------------------------------------------------

  private async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const sentToken = this.token;
    if (sentToken !== null) headers.Authorization = `Bearer ${sentToken}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }

    let response: Response;
    try {
      response = await this.fetchImpl(this.url(path, options.query), {
        method,
        headers,
        body,
        signal: options.signal,
      });
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw new BackendError('network');
    }

    if (!response.ok) {
      const error = await errorFromResponse(response);
      if (error.kind === 'unauthorized' && sentToken !== null) {
        this.setToken(null);
        for (const listener of [...this.unauthorizedListeners]) listener();
      }
      throw error;
    }

    try {
      switch (options.expect ?? 'json') {
        case 'none':
          return undefined as T;
        case 'blob':
          return (await response.blob()) as T;
        case 'blob+headers':
          return { blob: await response.blob(), headers: response.headers } as T;
        case 'json':
          return (await response.json()) as T;
      }
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw new BackendError('network', { status: response.status });
    }
  }

  private url(path: string, query?: Record<string, QueryValue>): string {
    return `${this.baseUrl}${pathWithQuery(path, query)}`;
  }

  private readStoredToken(): string | null {
    try {
      return this.storage?.getItem(TOKEN_KEY) ?? null;
    } catch {
      return null;
    }
  }

  private setToken(token: string | null): void {
    this.token = token;
    try {
      if (token === null) this.storage?.removeItem(TOKEN_KEY);
      else this.storage?.setItem(TOKEN_KEY, token);
    } catch {
      // Storage full or disabled: the session then lasts until the page is reloaded.
    }
  }
}

/** Builds the error for a non-2xx response, keeping the server's code and Japanese message. */
async function errorFromResponse(response: Response): Promise<BackendError> {
  let body: unknown = null;
  try {
    body = JSON.parse(await response.text());
  } catch {
    // Not JSON (a proxy's page, an empty body): the kind's defaults.
  }
  return errorFromBody(response.status, body);
}
