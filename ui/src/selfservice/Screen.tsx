import type { ReactNode } from 'react';
import { t } from '../i18n';

/** One kiosk screen: a large heading, its content, and 戻る / 次へ at the bottom. */
export function Screen({
  title,
  lead,
  children,
  onBack,
  onNext,
  nextDisabled = false,
  nextLabel,
  nextTestId,
  testId,
}: {
  title: string;
  lead?: ReactNode;
  children?: ReactNode;
  onBack?: () => void;
  onNext?: () => void;
  nextDisabled?: boolean;
  nextLabel?: string;
  nextTestId?: string;
  testId?: string;
}) {
  return (
    <section className="kiosk-screen" data-testid={testId} aria-labelledby="kiosk-screen-title">
      <h1 id="kiosk-screen-title" className="kiosk-heading">
        {title}
      </h1>
      {lead && <p className="kiosk-lead">{lead}</p>}
      <div className="kiosk-content">{children}</div>
      {(onBack || onNext) && (
        <div className="kiosk-nav">
          {onBack ? (
            <button type="button" className="kiosk-button kiosk-button-secondary" onClick={onBack} data-testid="kiosk-back">
              {t('kiosk.back')}
            </button>
          ) : (
            <span />
          )}
          {onNext && (
            <button
              type="button"
              className="kiosk-button kiosk-button-primary"
              onClick={onNext}
              disabled={nextDisabled}
              data-testid={nextTestId}
            >
              {nextLabel ?? t('kiosk.next')}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
