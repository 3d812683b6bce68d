import { useEffect, useRef, useState } from 'react';
import { TerminalError, type TerminalApi, type TerminalInfo, type TerminalStatus } from '../backend';
import { PinPad } from '../components/PinPad';
import { formatWareki, t } from '../i18n';

export const ADMIN_PRESS_MS = 3000;
/** The admin panel closes (and locks) after this long without a touch inside it. */
export const ADMIN_IDLE_MS = 60_000;
/** The runtime's unlock ends by itself after this long (`ADMIN_UNLOCK_TTL`); the panel closes then. */
export const ADMIN_UNLOCK_MS = 120_000;

/**
 * The staff's way out of the kiosk: a 3-second press on the top-left corner opens a PIN pad; the
 * runtime checks the PIN (`admin_unlock`), then 終了 quits the app (`admin_exit`). Once unlocked it
 * also tells the administrator about a newer signed version, or why the server's update was refused
 * — the only place on a kiosk that does (never on the residents' screens). The unlock does not stay:
 * 戻る, 60 seconds without a touch in the panel, or the runtime's 2 minutes close the panel and lock
 * the kiosk again (`admin_lock`). After 3 wrong PINs in a row the runtime makes each further try
 * wait; the panel says how long.
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

/** A wait in whole seconds, for the screen: seconds under a minute, else minutes (rounded up). */
function formatWait(seconds: number): string {
  return seconds < 60
    ? t('kiosk.admin.waitSeconds', { seconds })
    : t('kiosk.admin.waitMinutes', { minutes: Math.ceil(seconds / 60) });
}

function AdminPanel({ terminal, onClose }: { terminal: TerminalApi; onClose: () => void }) {
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [unlocked, setUnlocked] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [status, setStatus] = useState<TerminalStatus | null>(null);
  const [info, setInfo] = useState<TerminalInfo | null>(null);
  /** While the runtime makes PIN tries wait: when the wait ends (ms since the epoch). */
  const [waitUntil, setWaitUntil] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  /** Whether the runtime holds the unlock for this panel: it is locked again when the panel goes. */
  const held = useRef(false);
  const mounted = useRef(false);
  const idle = useRef<ReturnType<typeof setTimeout> | null>(null);
  const close = useRef(onClose);
  close.current = onClose;

  /** A touch inside the panel: it stays open for another `ADMIN_IDLE_MS`. */
  const touch = () => {
    if (idle.current !== null) clearTimeout(idle.current);
    idle.current = setTimeout(() => close.current(), ADMIN_IDLE_MS);
  };

  // However the panel goes (戻る, idle, the kiosk's own reset), the unlock goes with it.
  useEffect(() => {
    mounted.current = true;
    touch();
    return () => {
      mounted.current = false;
      if (idle.current !== null) clearTimeout(idle.current);
      idle.current = null;
      if (held.current) {
        held.current = false;
        terminal.lockAdmin().catch(() => undefined); // the runtime's own expiry still applies
      }
    };
  }, [terminal]);

  useEffect(() => {
    if (!unlocked) return;
    let current = true;
    terminal
      .status()
      .then((s) => current && setStatus(s))
      .catch(() => undefined); // the update note is optional here
    terminal
      .info()
      .then((i) => current && setInfo(i))
      .catch(() => undefined); // so is the enrollment code
    // The runtime's unlock ends by itself: so does the panel.
    const expiry = setTimeout(() => close.current(), ADMIN_UNLOCK_MS);
    return () => {
      current = false;
      clearTimeout(expiry);
    };
  }, [terminal, unlocked]);

  // The wait follows the clock; the message goes when it ended.
  useEffect(() => {
    if (waitUntil === null) return;
    const tick = setInterval(() => {
      const time = Date.now();
      setNow(time);
      if (time >= waitUntil) setWaitUntil(null);
    }, 250);
    return () => clearInterval(tick);
  }, [waitUntil]);

  async function unlock(entered: string) {
    setBusy(true);
    setProblem(null);
    try {
      const result = await terminal.unlockAdmin(entered);
      if (!mounted.current) {
        // Closed while the PIN was checked: nothing may stay unlocked.
        if (result.unlocked) terminal.lockAdmin().catch(() => undefined);
        return;
      }
      if (result.unlocked) {
        held.current = true;
        setUnlocked(true);
      } else if (result.wait_seconds > 0) {
        const start = Date.now();
        setNow(start);
        setWaitUntil(start + result.wait_seconds * 1000);
      } else {
        setProblem(t('kiosk.admin.wrong'));
      }
    } catch (e) {
      if (mounted.current) setProblem(e instanceof TerminalError ? e.message : t('terminal.error'));
    } finally {
      if (mounted.current) {
        setPin('');
        setBusy(false);
      }
    }
  }

  async function exit() {
    setBusy(true);
    try {
      await terminal.adminExit();
    } catch (e) {
      if (e instanceof TerminalError && e.code === 'not_allowed') {
        // The unlock ended meanwhile: the PIN again.
        held.current = false;
        setUnlocked(false);
      }
      setProblem(e instanceof TerminalError ? e.message : t('terminal.error'));
      setBusy(false);
    }
  }

  const waitSeconds = waitUntil === null ? 0 : Math.max(1, Math.ceil((waitUntil - now) / 1000));

  return (
    <div
      className="kiosk-overlay"
      role="dialog"
      aria-labelledby="admin-title"
      data-testid="admin-panel"
      onPointerDownCapture={touch}
      onClickCapture={touch}
      onKeyDownCapture={touch}
    >
      <div className="kiosk-dialog">
        <h2 id="admin-title" className="kiosk-heading">
          {t('kiosk.admin.heading')}
        </h2>
        {problem && (
          <p className="kiosk-error" role="alert" data-testid="admin-error">
            {problem}
          </p>
        )}
        {waitUntil !== null && !unlocked && (
          <p className="kiosk-error" role="alert" data-testid="admin-wait">
            {t('kiosk.admin.wait', { wait: formatWait(waitSeconds) })}
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
            {info && (
              <dl className="kiosk-admin-enrollment" data-testid="admin-enrollment">
                <dt>{t('login.enrollment.terminal')}</dt>
                <dd>
                  <code>{info.terminal_id}</code>
                </dd>
                <dt>{t('login.enrollment.code')}</dt>
                <dd>
                  <code className="enrollment-code">{info.enrollment_code}</code>
                </dd>
              </dl>
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
              disabled={busy || waitUntil !== null}
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
