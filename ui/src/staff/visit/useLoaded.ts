import { useEffect, useState } from 'react';
import { errorMessage, useBackend, type Backend } from '../../backend';

/**
 * A value the screen needs from the backend once (towns, fee table, phrases…): `null` until it
 * arrives; a failure is passed to `onError` in Japanese. An answer arriving after the screen is gone
 * is dropped. `load` is called again only when the backend changes.
 */
export function useLoaded<T>(load: (backend: Backend) => Promise<T>, onError?: (message: string) => void): T | null {
  const backend = useBackend();
  const [value, setValue] = useState<T | null>(null);
  useEffect(() => {
    let current = true;
    load(backend)
      .then((v) => current && setValue(v))
      .catch((e: unknown) => current && onError?.(errorMessage(e)));
    return () => {
      current = false;
    };
    // `load` and `onError` are fixed per call site; reloading follows the backend only.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [backend]);
  return value;
}
