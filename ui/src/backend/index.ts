import { createContext, useContext } from 'react';
import type { Backend } from './Backend';
import { HttpBackend } from './http';

export * from './Backend';
export { HttpBackend } from './http';

// A Tauri IPC implementation (`./tauri.ts`) will come for the desktop app; it will be the ONLY
// module allowed to import `@tauri-apps/*`, and `createBackend()` will pick it inside a Tauri
// webview. Everything else keeps talking to the `Backend` interface.

/** The backend for this environment. */
export function createBackend(): Backend {
  return new HttpBackend();
}

export const BackendContext = createContext<Backend | null>(null);

/** The backend of the surrounding `BackendContext.Provider`. */
export function useBackend(): Backend {
  const backend = useContext(BackendContext);
  if (!backend) throw new Error('useBackend() needs a BackendContext.Provider above it');
  return backend;
}
