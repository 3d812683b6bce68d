// Plumbing shared by the Backend implementations (no I/O here).
import { BackendError, kindForStatus } from './Backend';

export type QueryValue = string | number | boolean | null | undefined;

/** `path` with the non-empty `query` values appended as a query string. */
export function pathWithQuery(path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.append(key, String(value));
  }
  const qs = params.toString();
  return `${path}${qs ? `?${qs}` : ''}`;
}

/**
 * The error for a non-2xx answer of the server, keeping its code and Japanese message when the body
 * is its JSON error (`{"error":{"code","message"}}`); anything else (a proxy's page, no body) gives
 * the kind's defaults.
 */
export function errorFromBody(status: number, body: unknown): BackendError {
  const detail = (body as { error?: { code?: unknown; message?: unknown } } | null | undefined)?.error;
  const code = typeof detail?.code === 'string' ? detail.code : undefined;
  const message = typeof detail?.message === 'string' ? detail.message : undefined;
  return new BackendError(kindForStatus(status), { status, code, message });
}
