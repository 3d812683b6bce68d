import { useCallback, useEffect, useRef, useState } from 'react';
import { t } from '../i18n';

export const IDLE_COUNTDOWN_SECONDS = 10;
const INPUT_EVENTS = ['pointerdown', 'touchstart', 'click', 'keydown', 'wheel'] as const;

/**
 * Resets the kiosk when nobody uses it: `seconds` after the last touch or key, a countdown asks
 * whether the resident is still there (続ける); at 0, `onReset` erases everything.
 */
export function IdleGuard({ seconds, onReset }: { seconds: number; onReset: () => void }) {
  /** When the countdown ends (ms since the epoch), while it shows. */
  const [deadline, setDeadline] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const showing = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const idleMs = (Number.isFinite(seconds) && seconds > 0 ? seconds : 90) * 1000;

  const arm = useCallback(() => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      showing.current = true;
      const start = Date.now();
      setNow(start);
      setDeadline(start + IDLE_COUNTDOWN_SECONDS * 1000);
    }, idleMs);
  }, [idleMs]);

  useEffect(() => {
    arm();
    // Input while the countdown shows does not count: only 続ける keeps the session.
    const onInput = () => {
      if (!showing.current) arm();
    };
    for (const name of INPUT_EVENTS) window.addEventListener(name, onInput, { capture: true, passive: true });
    return () => {
      if (timer.current !== null) clearTimeout(timer.current);
      timer.current = null;
      for (const name of INPUT_EVENTS) window.removeEventListener(name, onInput, { capture: true });
    };
  }, [arm]);

  // The countdown follows the clock (not a chain of one-second timers that could drift).
  useEffect(() => {
    if (deadline === null) return;
    let ended = false;
    const tick = setInterval(() => {
      const time = Date.now();
      setNow(time);
      if (time >= deadline && !ended) {
        ended = true;
        clearInterval(tick);
        onReset();
      }
    }, 250);
    return () => clearInterval(tick);
  }, [deadline, onReset]);

  if (deadline === null) return null;
  const countdown = Math.max(0, Math.ceil((deadline - now) / 1000));
  return (
    <div className="kiosk-overlay" role="alertdialog" aria-labelledby="idle-title" data-testid="idle-overlay">
      <div className="kiosk-dialog">
        <h2 id="idle-title" className="kiosk-heading">
          {t('kiosk.idle.heading')}
        </h2>
        <p className="kiosk-countdown" data-testid="idle-countdown">
          {t('kiosk.idle.countdown', { seconds: countdown })}
        </p>
        <p className="kiosk-lead">{t('kiosk.idle.detail')}</p>
        <button
          type="button"
          className="kiosk-button kiosk-button-primary"
          onClick={() => {
            showing.current = false;
            setDeadline(null);
            arm();
          }}
          data-testid="idle-continue"
        >
          {t('kiosk.idle.continue')}
        </button>
      </div>
    </div>
  );
}
