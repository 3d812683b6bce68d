import { useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { t } from '../../i18n';
import { CameraError, cameraSupported, closeCamera, openCamera, problemKey } from './camera';
import { grabFrame, loadDecoder } from './qrDecoder';
import './camera.css';

// 「カメラで読み取る」: a button and the dialog it opens, showing the camera's picture and reading QR
// codes in it several times a second. Each newly read symbol goes to `onSymbol` (the app's
// `QrScanner`), whose answer says whether the code is complete (the dialog closes) or what to tell
// the user (more symbols to show, a code refused). A symbol is handed over once per opening.

/** What the app made of one symbol: `done` closes the dialog; otherwise `message` is shown. */
export type ScanFeedback = { done: true } | { done: false; message: string; progress: boolean };

/** Milliseconds between two frames decoded: enough for a hand-held phone, light on a 2-core PC. */
export const FRAME_INTERVAL_MS = 150;

export interface CameraScanProps {
  onSymbol: (text: string) => Promise<ScanFeedback>;
  /** Larger touch targets (kiosk). */
  large?: boolean;
}

/** The button (nothing where the page cannot use a camera: not a secure context) and its dialog. */
export function CameraScanButton({ onSymbol, large = false }: CameraScanProps) {
  const [open, setOpen] = useState(false);
  if (!cameraSupported()) return null;
  return (
    <>
      <button
        type="button"
        className={large ? 'kiosk-button camera-button' : 'button button-secondary camera-button'}
        onClick={() => setOpen(true)}
        aria-haspopup="dialog"
        data-testid="camera-scan"
      >
        {t('camera.button')}
      </button>
      {open && <CameraScanDialog onSymbol={onSymbol} onClose={() => setOpen(false)} large={large} />}
    </>
  );
}

type Phase = { kind: 'starting' } | { kind: 'scanning' } | { kind: 'problem'; message: string };

export function CameraScanDialog({ onSymbol, onClose, large = false }: CameraScanProps & { onClose: () => void }) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'starting' });
  const [feedback, setFeedback] = useState<{ message: string; progress: boolean } | null>(null);
  // The latest callbacks, read by the frame loop (which starts once per opening).
  const callbacks = useRef({ onSymbol, onClose });
  callbacks.current = { onSymbol, onClose };

  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    boxRef.current?.focus();
    return () => {
      if (before?.isConnected) before.focus();
    };
  }, []);

  useEffect(() => {
    let stopped = false;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const seen = new Set<string>();
    const canvas = document.createElement('canvas');

    async function symbolRead(text: string) {
      seen.add(text);
      const answer = await callbacks.current.onSymbol(text);
      if (stopped) return;
      if (answer.done) callbacks.current.onClose();
      else setFeedback({ message: answer.message, progress: answer.progress });
    }

    async function start() {
      try {
        const [opened, decode] = await Promise.all([openCamera(), loadDecoder()]);
        stream = opened;
        const video = videoRef.current;
        if (stopped || !video) return closeCamera(stream);
        video.srcObject = stream;
        await video.play().catch(() => undefined); // muted inline video: autoplay is allowed
        setPhase({ kind: 'scanning' });
        const tick = async () => {
          if (stopped) return;
          const frame = grabFrame(video, canvas);
          const text = frame ? decode(frame) : null;
          if (text && !seen.has(text)) await symbolRead(text);
          if (!stopped) timer = setTimeout(() => void tick(), FRAME_INTERVAL_MS);
        };
        void tick();
      } catch (e) {
        if (stopped) return;
        const message = e instanceof CameraError ? t(problemKey(e.reason)) : t('camera.problem.failed');
        setPhase({ kind: 'problem', message });
      }
    }

    void start();
    return () => {
      stopped = true;
      clearTimeout(timer);
      closeCamera(stream);
    };
  }, []);

  function onKeyDown(e: ReactKeyboardEvent<HTMLDivElement>) {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    e.stopPropagation();
    onClose();
  }

  return (
    <div className="modal-overlay">
      <div
        ref={boxRef}
        className={large ? 'modal camera-dialog camera-dialog-large' : 'modal camera-dialog'}
        role="dialog"
        aria-modal="true"
        aria-labelledby="camera-dialog-title"
        tabIndex={-1}
        onKeyDown={onKeyDown}
        data-testid="camera-dialog"
      >
        <h2 id="camera-dialog-title">{t('camera.title')}</h2>
        {phase.kind === 'problem' ? (
          <p className="error-banner" role="alert" data-testid="camera-problem">
            {phase.message}
          </p>
        ) : (
          <>
            <p className="hint">{t('camera.hint')}</p>
            <div className="camera-view">
              <video ref={videoRef} muted playsInline aria-label={t('camera.video')} data-testid="camera-video" />
              <span className="camera-frame" aria-hidden="true" />
            </div>
            <p role="status" data-testid="camera-status" data-phase={phase.kind}>
              {phase.kind === 'starting' ? t('camera.starting') : t('camera.scanning')}
            </p>
          </>
        )}
        {feedback && (
          <p
            className={feedback.progress ? 'scan-notice' : 'error-banner'}
            role={feedback.progress ? 'status' : 'alert'}
            data-testid="camera-feedback"
          >
            {feedback.message}
          </p>
        )}
        <button type="button" className={large ? 'kiosk-button' : 'button button-secondary'} onClick={onClose} data-testid="camera-close">
          {t('camera.close')}
        </button>
      </div>
    </div>
  );
}
