// How a route of `routes.ts` reaches the server. Two implementations: `HttpTransport` (`http.ts`,
// the browser: the API server's HTTP interface) and `IpcTransport` (`tauri.ts`, the desktop app: the
// runtime's `api_request` / `api_pdf` commands). Both fill the path the same way (`routeTarget`).
// No I/O here.
import { fillPath, type Route } from './routes';
import { pathWithQuery, type QueryValue } from './shared';

/**
 * A route's request as a transport sees it. `ServerBackend.send` types it per route
 * (`RouteRequest`); a transport only moves it.
 */
export interface RequestParts {
  /** Values of the path template's `{name}` parameters. */
  params?: Readonly<Record<string, string>>;
  /** Appended as the query string; empty values are dropped (`pathWithQuery`). */
  query?: Readonly<Record<string, QueryValue>>;
  /** Sent as JSON when defined. */
  body?: unknown;
  signal?: AbortSignal;
}

export interface Transport {
  /**
   * Sends one request of `route` and resolves with its answer read as `route.answer` says: the JSON
   * body, a `PrintedPdf`, or `undefined`. Rejects with a `BackendError` (a non-2xx answer through
   * `errorFromBody`, an unreachable server as `network`), or with the `AbortError` of a cancelled
   * `signal`. What a 401 means for the session is the backend's business (`ServerBackend`).
   */
  send(route: Route, request: RequestParts): Promise<unknown>;
}

/** The path `route` is sent to: its template filled from `params`, with the non-empty `query` values. */
export function routeTarget(route: Route, request: RequestParts): string {
  return pathWithQuery(fillPath(route.path, request.params), request.query);
}
