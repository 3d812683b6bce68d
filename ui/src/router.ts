// A tiny hash router: routes look like `#/staff/search`, so the same build works when the API
// server serves it (any path → index.html) and inside a Tauri webview (file-like URLs).
import { useSyncExternalStore } from 'react';

export interface Route {
  /** The path without the `#`, always starting with `/` (`/staff/search`). */
  path: string;
  /** The non-empty path segments (`['staff', 'search']`). */
  segments: string[];
}

const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of [...listeners]) listener();
}

function subscribe(listener: () => void): () => void {
  if (listeners.size === 0) window.addEventListener('hashchange', notify);
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) window.removeEventListener('hashchange', notify);
  };
}

/** `#/staff/search?x` → `/staff/search`; '' or '#' → '/'. Query strings are not used. */
export function pathFromHash(hash: string): string {
  let path = hash.startsWith('#') ? hash.slice(1) : hash;
  const cut = path.search(/[?#]/);
  if (cut >= 0) path = path.slice(0, cut);
  if (!path.startsWith('/')) path = `/${path}`;
  if (path.length > 1 && path.endsWith('/')) path = path.replace(/\/+$/, '');
  return path || '/';
}

function currentPath(): string {
  return pathFromHash(window.location.hash);
}

/** The current route; re-renders the component when it changes. */
export function useRoute(): Route {
  const path = useSyncExternalStore(subscribe, currentPath, () => '/');
  return { path, segments: path.split('/').filter(Boolean) };
}

/** Goes to `path` (`/staff/search`); `replace` leaves no history entry (for redirects). */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const target = pathFromHash(path);
  if (target === currentPath()) return;
  if (options.replace) {
    window.history.replaceState(window.history.state, '', `#${target}`);
    notify(); // replaceState fires no hashchange
  } else {
    window.location.hash = target; // fires hashchange
  }
}

/** True when `path` is `prefix` or below it (`/staff/search` is under `/staff`). */
export function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}
