import type { LoginResponse } from '../api/types';
import { BackendError, isAbortError, type Backend, type PrintedPdf } from './Backend';
import type { Route } from './routes';
import { ServerBackend } from './server';
import { errorFromBody } from './shared';
import { routeTarget, type RequestParts, type Transport } from './transport';

const TOKEN_KEY = 'madoguchi.session-token';

/** Header in which the server sends a printed PDF's page count. */
const PAGES_HEADER = 'x-madoguchi-pages';
/** Header in which the server sends the 発行番号 of issued certificates (comma-separated). */
const ISSUE_NUMBERS_HEADER = 'x-madoguchi-issue-numbers';

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

/** `Backend` over the API server's HTTP interface (`/api/v1/…`): the server operations of `ServerBackend` over `HttpTransport`, with the session token kept here. */
export class HttpBackend extends ServerBackend implements Backend {
  protected readonly transport: Transport;
  private readonly storage: Storage | null;
  private token: string | null;

  constructor(options: HttpBackendOptions = {}) {
    super();
    this.storage = options.storage === undefined ? defaultStorage() : options.storage;
    this.token = this.readStoredToken();
    this.transport = new HttpTransport({
      baseUrl: options.baseUrl ?? '',
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      token: () => this.token,
    });
  }

  hasSession(): boolean {
    return this.token !== null;
  }

  protected sessionStarted(response: LoginResponse): void {
    this.setToken(response.token);
  }

  protected sessionEnded(): void {
    this.setToken(null);
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

export interface HttpTransportOptions {
  /** Prefix of every URL ('' for the same origin). */
  baseUrl: string;
  fetch: typeof fetch;
  /** The session token to send as bearer, read at each request; `null` for none. */
  token: () => string | null;
}

/** `Transport` over HTTP: JSON in and out, the token as bearer, the server's errors as `BackendError`. */
export class HttpTransport implements Transport {
  constructor(private readonly options: HttpTransportOptions) {}

  async send(route: Route, request: RequestParts): Promise<unknown> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const token = this.options.token();
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (request.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(request.body);
    }
    const url = `${this.options.baseUrl}${routeTarget(route, request)}`;

    let response: Response;
    try {
      response = await this.options.fetch(url, { method: route.method, headers, body, signal: request.signal });
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw new BackendError('network');
    }

    if (!response.ok) throw await errorFromResponse(response);

    try {
      switch (route.answer) {
        case 'none':
          return undefined;
        case 'pdf': {
          const printed: PrintedPdf = {
            pdf: await response.blob(),
            pages: Number(response.headers.get(PAGES_HEADER) ?? '0'),
          };
          const numbers = response.headers.get(ISSUE_NUMBERS_HEADER);
          if (numbers !== null) printed.issueNumbers = issueNumbers(numbers);
          return printed;
        }
        case 'file':
          return await response.blob();
        case 'json':
          return await response.json();
        case 'text':
          return await response.text();
      }
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw new BackendError('network', { status: response.status });
    }
  }
}

/** The 発行番号 of an `x-madoguchi-issue-numbers` header (`R08-000001,R08-000002`). */
export function issueNumbers(header: string): string[] {
  return header
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
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
