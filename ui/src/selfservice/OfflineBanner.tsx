import { useEffect, useState } from 'react';
import type { TerminalApi, TerminalStatus } from '../backend';
import { t } from '../i18n';

/**
 * One value of the terminal runtime's status: from its `status()` at first, then from every
 * `terminal-status` event; `unknown` until told (and when the status cannot be read). `pick` must be
 * a module-level function (it is not a dependency of the subscription).
 */
export function useStatusValue<T>(terminal: TerminalApi, pick: (s: TerminalStatus) => T, unknown: T): T {
  const [value, setValue] = useState<{ v: T } | null>(null);
  useEffect(() => {
    let current = true;
    const unsubscribe = terminal.onStatus((s) => current && setValue({ v: pick(s) }));
    terminal
      .status()
      // An event that arrived first is newer than this answer.
      .then((s) => current && setValue((seen) => seen ?? { v: pick(s) }))
      .catch(() => {
        // Unknown: the screen goes on with `unknown`.
      });
    return () => {
      current = false;
      unsubscribe();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `pick` is module-level
  }, [terminal]);
  return value ? value.v : unknown;
}

const pickOnline = (s: TerminalStatus) => s.online;

/**
 * Whether the terminal runtime says the server answers. `true` until told otherwise (and when the
 * status cannot be read: the kiosk goes on; `kioskSubmit` keeps the application on the terminal anyway).
 */
export function useServerOnline(terminal: TerminalApi): boolean {
  return useStatusValue(terminal, pickOnline, true);
}

/**
 * Shown on every kiosk screen while the server cannot be reached: calm, since the resident can go
 * on — the application is accepted and kept on the terminal until the connection is back.
 */
export function OfflineBanner() {
  return (
    <div className="kiosk-offline" role="status" data-testid="offline-banner">
      {t('kiosk.offline')}
    </div>
  );
}
