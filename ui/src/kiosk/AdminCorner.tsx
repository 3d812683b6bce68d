import { useEffect, useRef, useState } from 'react';
import { TerminalError, type TerminalApi, type TerminalStatus } from '../backend';
import { formatWareki, t } from '../i18n';
import { PinPad } from './Keypad';

export const ADMIN_PRESS_MS = 3000;

/**
 * The staff's way out of the kiosk: a 3-second press on the top-left corner opens a PIN pad; the
 * runtime checks the PIN (`admin_unlock`), then 終了 quits the app (`admin_exit`). Once unlocked it
 * also tells the administrator about a newer signed version, or why the server's update was refused
 * — the only place on a kiosk that does (never on the residents' screens).
 */
export function AdminCorner({ terminal }: { terminal: TerminalApi }) {
  const [open, setOpen] = useState(false);
  const press = useRef<ReturnType<typeof setTimeout> | null>(null);

  const cancel = () => {
    if (press.current !== null) clearTimeout(press.current);
    press.current = null;
  };
  useEffect(() => cancel, []);

  return (
    <>
      <button
        type="button"
        className="admin-corner"
        aria-label={t('kiosk.admin.corner')}
        tabIndex={-1}
        onPointerDown={() => {
          cancel();
          press.current = setTimeout(() => {
            press.current = null;
            setOpen(true);
          }, ADMIN_PRESS_MS);
        }}
        onPointerUp={cancel}
        onPointerLeave={cancel}
        onPointerCancel={cancel}
        data-testid="admin-corner"
      />
      {open && <AdminPanel terminal={terminal} onClose={() => setOpen(false)} />}
    </>
  );
}

function AdminPanel({ terminal, onClose }: { terminal: TerminalApi; onClose: () => void }) {
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [unlocked, setUnlocked] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [status, setStatus] = useState<TerminalStatus | null>(null);

  useEffect(() => {
    if (!unlocked) return;
    let current = true;
    terminal
      .status()
      .then((s) => current && setStatus(s))
      .catch(() => undefined); // the update note is optional here
    return () => {
      current = false;
    };
  }, [terminal, unlocked]);

  async function unlock(entered: string) {
    setBusy(true);
    setProblem(null);
    try {
      const result = await terminal.unlockAdmin(entered);
      if (result.unlocked) setUnlocked(true);
      else setProblem(t('kiosk.admin.wrong'));
    } catch (e) {
      setProblem(e instanceof TerminalError ? e.message : t('terminal.error'));
    } finally {
      setPin('');
      setBusy(false);
    }
  }

  async function exit() {
    setBusy(true);
    try {
      await terminal.adminExit();
    } catch (e) {
      setProblem(e instanceof TerminalError ? e.message : t('terminal.error'));
      setBusy(false);
    }
  }

  return (
    <div className="kiosk-overlay" role="dialog" aria-labelledby="admin-title" data-testid="admin-panel">
      <div className="kiosk-dialog">
        <h2 id="admin-title" className="kiosk-heading">
          {t('kiosk.admin.heading')}
        </h2>
        {problem && (
          <p className="kiosk-error" role="alert" data-testid="admin-error">
            {problem}
          </p>
        )}
        {unlocked ? (
          <>
            <p className="kiosk-lead" data-testid="admin-unlocked">
              {t('kiosk.admin.unlocked')}
            </p>
            {status?.update && (
              <div className="kiosk-admin-update" data-testid="admin-update">
                <p className="kiosk-lead">
                  {t('kiosk.admin.update', {
                    version: status.update.version,
                    published: formatWareki(status.update.published),
                  })}
                </p>
                {status.update.notes && <p data-testid="admin-update-notes">{status.update.notes}</p>}
              </div>
            )}
            {status?.update_refused && (
              <p className="kiosk-error" data-testid="admin-update-refused">
                {status.update_refused}
              </p>
            )}
            <div className="kiosk-answers">
              <button
                type="button"
                className="kiosk-button kiosk-button-warn"
                onClick={() => void exit()}
                disabled={busy}
                data-testid="admin-exit"
              >
                {t('kiosk.admin.exit')}
              </button>
              <button type="button" className="kiosk-button kiosk-button-secondary" onClick={onClose} data-testid="admin-back">
                {t('kiosk.admin.back')}
              </button>
            </div>
          </>
        ) : (
          <>
            <PinPad
              value={pin}
              onChange={setPin}
              onSubmit={(p) => void unlock(p)}
              label={t('kiosk.pin.adminLabel')}
              maxLength={8}
              minLength={4}
              disabled={busy}
              testId="admin-pin"
            />
            <button type="button" className="kiosk-button kiosk-button-secondary" onClick={onClose} data-testid="admin-back">
              {t('kiosk.admin.back')}
            </button>
          </>
        )}
      </div>
    </div>
  );
}
