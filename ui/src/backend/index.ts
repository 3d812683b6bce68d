import { createContext, useContext } from 'react';
import type { Backend } from './Backend';
import { HttpBackend } from './http';
import { TauriBackend } from './tauri';

export * from './Backend';
export { HttpBackend } from './http';
export { TauriBackend } from './tauri';

// `./tauri.ts` is the ONLY module allowed to import `@tauri-apps/*`; everything else talks to the
// `Backend` interface (and to `backend.terminal` for the desktop app's devices).

/** True inside the desktop app's webview. */
export function inTauri(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}

/** The backend for this environment: Tauri IPC in the desktop app, HTTP in a browser. */
export function createBackend(): Backend {
  return inTauri() ? new TauriBackend() : new HttpBackend();
}

export const BackendContext = createContext<Backend | null>(null);

/** The backend of the surrounding `BackendContext.Provider`. */
export function useBackend(): Backend {
  const backend = useContext(BackendContext);
  if (!backend) throw new Error('useBackend() needs a BackendContext.Provider above it');
  return backend;
}
