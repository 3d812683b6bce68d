import { useEffect, useState } from 'react';
import type { TerminalApi } from '../backend';
import { t } from '../i18n';

/**
 * Whether the terminal runtime says the server answers: its `status()` at first, then every
 * `terminal-status` event. `true` until told otherwise (and when the status cannot be read).
 */
export function useServerOnline(terminal: TerminalApi): boolean {
  const [online, setOnline] = useState<boolean | null>(null);
  useEffect(() => {
    let current = true;
    const unsubscribe = terminal.onStatus((s) => current && setOnline(s.online));
    terminal
      .status()
      // An event that arrived first is newer than this answer.
      .then((s) => current && setOnline((seen) => seen ?? s.online))
      .catch(() => {
        // Unknown: the kiosk goes on; `kioskSubmit` keeps the application on the terminal anyway.
      });
    return () => {
      current = false;
      unsubscribe();
    };
  }, [terminal]);
  return online ?? true;
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
