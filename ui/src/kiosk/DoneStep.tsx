import { useEffect } from 'react';
import type { KioskReceipt } from '../backend';
import { t } from '../i18n';

// h. 受付完了: the receipt number, what was printed, and the way to the counter. Back to the start
// after 30 seconds or at a touch.

export const DONE_SECONDS = 30;

export function DoneStep({ receipt, onFinish }: { receipt: KioskReceipt; onFinish: () => void }) {
  useEffect(() => {
    const timer = setTimeout(onFinish, DONE_SECONDS * 1000);
    return () => clearTimeout(timer);
  }, [onFinish]);

  return (
    <section
      className="kiosk-screen kiosk-done"
      aria-labelledby="kiosk-done-title"
      onClick={onFinish}
      data-testid="kiosk-done"
    >
      <h1 id="kiosk-done-title" className="kiosk-heading">
        {t('kiosk.done.heading')}
      </h1>
      <p className="kiosk-receipt">
        <span className="kiosk-label">{t('kiosk.done.receiptNo')}</span>
        <span className="kiosk-receipt-no" data-testid="receipt-no">
          {receipt.receipt_no}
        </span>
      </p>
      {receipt.printed.includes('guide') && (
        <p className="kiosk-instruction" data-testid="printed-guide">
          {t('kiosk.done.guide')}
        </p>
      )}
      {receipt.printed.includes('receipt') && (
        <p className="kiosk-instruction" data-testid="printed-receipt">
          {t('kiosk.done.receipt')}
        </p>
      )}
      {!receipt.uploaded && (
        <p className="kiosk-notice kiosk-stored" role="status" data-testid="stored-offline">
          {t('kiosk.done.stored')}
        </p>
      )}
      <p className="kiosk-instruction kiosk-go">{t('kiosk.done.counter')}</p>
      <p className="kiosk-hint">{t('kiosk.done.touch')}</p>
    </section>
  );
}
