import { useEffect } from 'react';
import type { StationOffer } from '../api/types';
import type { StationTicket } from '../backend';
import { t } from '../i18n';
import { Screen } from '../selfservice/Screen';
import { yearText } from './ChoiceSteps';
import { feeOf, hasScope, hasYear, itemsOf, type StationChoice } from './model';

// 4. 確認 (with the 記載事項 or the 課税年度) → 申し込む; 5. 受付番号 (large) and the 受付票; and the screen of
// a refusal, worded for the resident by the server (in another language, by its code: `refusal.ts`).

export function ConfirmStep({
  offer,
  choice,
  sending,
  problem,
  onSubmit,
  onBack,
}: {
  offer: StationOffer;
  choice: StationChoice;
  sending: boolean;
  problem: string | null;
  onSubmit: () => void;
  onBack: () => void;
}) {
  return (
    <Screen title={t('station.confirm.heading')} onBack={sending ? undefined : onBack} testId="station-confirm">
      <dl className="kiosk-person" data-testid="station-summary">
        <dt>{t('station.confirm.item')}</dt>
        <dd>{offer.name}</dd>
        {hasScope(choice.item) && (
          <>
            <dt>{t('station.confirm.scope')}</dt>
            <dd>{choice.scope === '本人のみ' ? t('station.who.person') : t('station.who.all')}</dd>
            <dt>{t('station.confirm.items')}</dt>
            <dd data-testid="station-summary-items">
              {itemsOf(choice)
                .map((i) => t(`station.item.${i}`))
                .join(t('station.confirm.separator')) || t('station.confirm.noItems')}
            </dd>
          </>
        )}
        {hasYear(choice.item) && choice.year !== null && (
          <>
            <dt>{t('station.confirm.year')}</dt>
            <dd>{yearText(choice.year)}</dd>
          </>
        )}
        <dt>{t('station.confirm.copies')}</dt>
        <dd>{t('station.copies.count', { n: choice.copies })}</dd>
        <dt>{t('station.confirm.fee')}</dt>
        <dd>{t('station.copies.total', { yen: feeOf(offer, choice.copies) })}</dd>
      </dl>
      <p className="kiosk-hint">{t('station.confirm.payHint')}</p>
      {problem && (
        <p className="kiosk-error" role="alert" data-testid="station-problem">
          {problem}
        </p>
      )}
      <button
        type="button"
        className="kiosk-button kiosk-button-primary station-submit"
        onClick={onSubmit}
        disabled={sending}
        data-testid="station-submit"
      >
        {sending ? t('station.confirm.sending') : t('station.confirm.submit')}
      </button>
    </Screen>
  );
}

export const DONE_SECONDS = 30;

export function DoneStep({ ticket, onFinish }: { ticket: StationTicket; onFinish: () => void }) {
  useEffect(() => {
    const timer = setTimeout(onFinish, DONE_SECONDS * 1000);
    return () => clearTimeout(timer);
  }, [onFinish]);
  return (
    <section className="kiosk-screen kiosk-done" aria-labelledby="station-done-title" data-testid="station-done">
      <h1 id="station-done-title" className="kiosk-heading">
        {t('station.done.heading')}
      </h1>
      <p className="kiosk-receipt">
        <span className="kiosk-label">{t('station.done.receiptNo')}</span>
        <span className="kiosk-receipt-no" data-testid="reception-no">
          {ticket.reception_label}
        </span>
      </p>
      <p className={ticket.printed ? 'kiosk-instruction' : 'kiosk-warning'} role="status" data-testid={ticket.printed ? 'ticket-printed' : 'ticket-not-printed'}>
        {ticket.printed ? t('station.done.printed') : t('station.done.notPrinted')}
      </p>
      <p className="kiosk-instruction">{t('station.done.card')}</p>
      <button type="button" className="kiosk-button kiosk-button-primary" onClick={onFinish} data-testid="station-finish">
        {t('station.done.finish')}
      </button>
    </section>
  );
}

export function RefusedStep({ message, onFinish }: { message: string; onFinish: () => void }) {
  return (
    <Screen title={t('station.refused.heading')} testId="station-refused">
      <p className="kiosk-error" role="alert" data-testid="station-refusal">
        {message}
      </p>
      <p className="kiosk-instruction">{t('station.done.card')}</p>
      <button type="button" className="kiosk-button kiosk-button-primary" onClick={onFinish} data-testid="station-finish">
        {t('station.done.finish')}
      </button>
    </Screen>
  );
}
