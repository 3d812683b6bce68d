// What the phone app last fetched (the city's towns, 手続きナビ's answers), kept on the device so that
// the app goes on working offline: a fetch that cannot reach the server answers from the copy, and
// says so; a refusal by the server (4xx) is never replaced by a copy.
import { BackendError } from '../backend/Backend';

/** Most answers kept per city (oldest dropped first). */
export const MAX_KEPT = 40;

export interface Fetched<T> {
  value: T;
  /** Answered from the device's copy: the server could not be reached. */
  offline: boolean;
}

const storageKey = (tenant: string) => `madoguchi.apply-cache.${tenant}`;

type Kept = Record<string, { at: number; value: unknown }>;

function read(storage: Storage, tenant: string): Kept {
  try {
    return (JSON.parse(storage.getItem(storageKey(tenant)) ?? '{}') as Kept) ?? {};
  } catch {
    return {};
  }
}

function write(storage: Storage, tenant: string, kept: Kept): void {
  const newest = Object.entries(kept)
    .sort(([, a], [, b]) => b.at - a.at)
    .slice(0, MAX_KEPT);
  try {
    storage.setItem(storageKey(tenant), JSON.stringify(Object.fromEntries(newest)));
  } catch {
    // A full storage: nothing kept, the app still works online.
  }
}

/** The server could not be reached (offline, no signal): not a refusal. */
export function isUnreachable(error: unknown): boolean {
  return error instanceof BackendError ? error.status === 0 : error instanceof TypeError;
}

/** `load()`'s value, kept under `key`; the kept copy when the server cannot be reached. */
export async function fetchKept<T>(storage: Storage, tenant: string, key: string, load: () => Promise<T>, now = Date.now()): Promise<Fetched<T>> {
  try {
    const value = await load();
    write(storage, tenant, { ...read(storage, tenant), [key]: { at: now, value } });
    return { value, offline: false };
  } catch (e) {
    const kept = read(storage, tenant)[key];
    if (kept && isUnreachable(e)) return { value: kept.value as T, offline: true };
    throw e;
  }
}

/** Forgets everything kept for the city (「入力を消す」). */
export function clearKept(storage: Storage, tenant: string): void {
  storage.removeItem(storageKey(tenant));
}
