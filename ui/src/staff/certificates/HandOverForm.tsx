import { useState, type FormEvent } from 'react';
import type { Payment } from '../../api/types';
import { t } from '../../i18n';

// 交付: how the fee is collected — 現金 with the amount received (the change shown), or キャッシュレス
// with the payment terminal's 決済番号. A request without a fee needs neither.

export type HandOver = Payment;

export function HandOverForm({ fee, onDone, onCancel }: { fee: number; onDone: (h: HandOver) => void; onCancel: () => void }) {
  const [method, setMethod] = useState<'cash' | 'cashless'>('cash');
  const [received, setReceived] = useState(String(fee));
  const [reference, setReference] = useState('');
  const amount = Number.parseInt(received, 10);
  const change = Number.isFinite(amount) ? amount - fee : Number.NaN;
  const ready = fee === 0 || (method === 'cash' ? change >= 0 : reference.trim().length > 0);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!ready) return;
    if (method === 'cash') onDone({ method, yen: fee, received: fee === 0 ? 0 : amount, reference: null });
    else onDone({ method, yen: fee, received: null, reference: reference.trim() });
  }

  return (
    <form className="queue-hand-over" onSubmit={submit} aria-label={t('queue.handOver')} data-testid="hand-over-form">
      <fieldset>
        <legend>{t('queue.payment', { yen: fee })}</legend>
        <label>
          <input type="radio" name="method" checked={method === 'cash'} onChange={() => setMethod('cash')} data-testid="pay-cash" />
          {t('queue.cash')}
        </label>
        <label>
          <input type="radio" name="method" checked={method === 'cashless'} onChange={() => setMethod('cashless')} data-testid="pay-cashless" />
          {t('queue.cashless')}
        </label>
      </fieldset>
      {method === 'cash' ? (
        <label className="field">
          <span>{t('queue.received')}</span>
          <input inputMode="numeric" value={received} onChange={(e) => setReceived(e.target.value.replace(/[^0-9]/g, ''))} data-testid="pay-received" />
          <output data-testid="pay-change">{change >= 0 ? t('queue.change', { yen: change }) : t('queue.short')}</output>
        </label>
      ) : (
        <label className="field">
          <span>{t('queue.reference')}</span>
          <input value={reference} maxLength={64} onChange={(e) => setReference(e.target.value)} data-testid="pay-reference" />
        </label>
      )}
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={!ready} data-testid="hand-over-done">
          {t('queue.handOverDone')}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {t('queue.back')}
        </button>
      </div>
    </form>
  );
}
