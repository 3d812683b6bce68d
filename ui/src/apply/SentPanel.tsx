import { useState } from 'react';
import type { PreApplicationEntries } from '../api/types';
import { errorMessage } from '../backend/Backend';
import { newId } from '../case/ids';
import { formatWareki, t } from '../i18n';
import type { ApplyBackend } from './api';
import type { ApplyState } from './applyState';
import { DateField } from './DateField';
import { todayIso } from '../case/today';

/** A 受付番号 as read aloud and typed at the counter: `1234-5678`. */
export function formatNumber(number: string): string {
  return /^\d{8}$/.test(number) ? `${number.slice(0, 4)}-${number.slice(4)}` : number;
}

/**
 * Sending is the resident's choice: the entries are kept 30 days under a 受付番号, which the counter
 * types in; the resident deletes them with the number and the applicant's birth date.
 */
export function SentPanel({
  api,
  state,
  entries,
  onChange,
}: {
  api: ApplyBackend;
  state: ApplyState;
  entries: PreApplicationEntries;
  onChange: (s: Partial<ApplyState>) => void;
}) {
  const [writeId] = useState(() => newId('pre'));
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [number, setNumber] = useState(state.sent ? formatNumber(state.sent.number) : '');
  const [birth, setBirth] = useState(state.people[0]?.birth ?? '');

  async function send() {
    setBusy(true);
    setMessage(null);
    try {
      const r = await api.sendPreApplication(state.tenant, writeId, entries);
      onChange({ sent: { number: r.number, expires: r.expires } });
      setNumber(formatNumber(r.number));
    } catch (e) {
      setMessage(t('apply.send.error', { message: errorMessage(e) }));
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    setBusy(true);
    setMessage(null);
    try {
      await api.deletePreApplication(state.tenant, number.trim(), birth);
      if (state.sent && formatNumber(state.sent.number) === formatNumber(number.trim().replace(/-/g, ''))) onChange({ sent: null });
      setMessage(t('apply.delete.done'));
    } catch (e) {
      setMessage(t('apply.delete.error', { message: errorMessage(e) }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="apply-send" className="apply-send" data-testid="apply-send">
      <h3 id="apply-send">{t('apply.send.heading')}</h3>
      {state.sent ? (
        <p data-testid="apply-sent">
          {t('apply.send.number')}{' '}
          <strong className="apply-number" data-testid="apply-number">
            {formatNumber(state.sent.number)}
          </strong>
          <br />
          {t('apply.send.kept', { date: formatWareki(state.sent.expires) })}
        </p>
      ) : (
        <>
          <p>{t('apply.send.intro')}</p>
          <button type="button" className="button" disabled={busy} onClick={() => void send()} data-testid="apply-send-button">
            {t('apply.send.button')}
          </button>
        </>
      )}
      <details className="apply-delete" data-testid="apply-delete">
        <summary>{t('apply.delete.heading')}</summary>
        <label className="apply-field">
          {t('apply.send.number')}
          <input value={number} inputMode="numeric" onChange={(e) => setNumber(e.target.value)} data-testid="apply-delete-number" />
        </label>
        <DateField label={t('apply.delete.birth')} value={birth} today={todayIso()} onChange={setBirth} testId="apply-delete-birth" />
        <button type="button" className="button" disabled={busy || !number.trim() || !birth} onClick={() => void remove()} data-testid="apply-delete-button">
          {t('apply.delete.button')}
        </button>
      </details>
      {message && <p role="status" data-testid="apply-send-message">{message}</p>}
    </section>
  );
}
