import { t } from '../i18n';
import type { PreApplicationSource } from './model';
import { shownNumber } from './preApplicationScan';
import type { ReaderStatus } from './usePreApplicationReader';

// What the kiosk says while it reads a 事前申請 (in the resident's language), and the banner once read.

export function ReaderMessage({ status }: { status: ReaderStatus }) {
  switch (status.kind) {
    case 'idle':
      return null;
    case 'reading':
      return (
        <p className="kiosk-status" role="status" data-testid="pre-reading">
          {t('kiosk.pre.reading')}
        </p>
      );
    case 'progress':
      return (
        <p className="kiosk-notice" role="status" data-testid="pre-progress">
          {t('kiosk.pre.progress', { have: status.have, need: status.need, left: status.need - status.have })}
        </p>
      );
    case 'error':
      return (
        <p className="kiosk-error" role="alert" data-testid="pre-error">
          {t(status.key)}
        </p>
      );
  }
}

export function PreApplicationBanner({ source }: { source: PreApplicationSource }) {
  return (
    <p className="kiosk-notice kiosk-pre-banner" role="status" data-testid="pre-loaded">
      {source.number ? t('kiosk.pre.loadedNumber', { number: shownNumber(source.number) }) : t('kiosk.pre.loaded')}
    </p>
  );
}
