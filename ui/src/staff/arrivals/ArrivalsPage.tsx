import { useEffect, useState, type FormEvent } from 'react';
import type { ArrivalDetailView, ArrivalView, PrepareResult } from '../../api/types';
import { errorMessage, useBackend } from '../../backend';
import { t } from '../../i18n';
import { navigate } from '../../router';

export const ARRIVALS_PATH = '/staff/arrivals';

/** Who may open the 来庁予定者 screen: the counter staff who accept 届出. */
export function mayViewArrivals(permissions: readonly string[]): boolean {
  return permissions.includes('accept_notification');
}

/** Tomorrow in Japan, `YYYY-MM-DD`. */
export function tomorrowJst(now: number = Date.now()): string {
  return new Date(now + 9 * 3600 * 1000 + 24 * 3600 * 1000).toISOString().slice(0, 10);
}

/** One result of 「準備する」 as a line for the staff member. */
export function resultLine(r: PrepareResult): string {
  return r.prepared
    ? t('arrivals.result.prepared', { notice: r.notice_no, procedures: r.procedures, forms: r.forms })
    : t('arrivals.result.problem', { notice: r.notice_no, problem: r.problem ?? '' });
}

function openCase(caseId: string) {
  navigate(`/staff/case/${encodeURIComponent(caseId)}`);
}

/**
 * 来庁予定者 (`#/staff/arrivals`): the 転入予約 of a day (default tomorrow) — household, members, 転出元,
 * state, procedures found — one opened with its household, 「準備する」 for one or the whole day, and a
 * prepared one opened at the counter as its case.
 */
export function ArrivalsPage() {
  const backend = useBackend();
  const [day, setDay] = useState(tomorrowJst());
  const [list, setList] = useState<ArrivalView[] | null>(null);
  const [detail, setDetail] = useState<ArrivalDetailView | null>(null);
  const [results, setResults] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function load(e?: FormEvent) {
    e?.preventDefault();
    setError(null);
    try {
      setList(await backend.arrivals(day));
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  async function run(action: () => Promise<PrepareResult[]>) {
    setBusy(true);
    setError(null);
    try {
      const done = await action();
      setResults(done.length === 0 ? [t('arrivals.result.nothing')] : done.map(resultLine));
      await load();
      if (detail) setDetail(await backend.arrival(detail.arrival.notice_no));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  async function open(noticeNo: string) {
    setError(null);
    try {
      setDetail(await backend.arrival(noticeNo));
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <section className="panel" aria-labelledby="arrivals-title" data-testid="arrivals-page">
      <h1 id="arrivals-title">{t('arrivals.title')}</h1>
      <p>{t('arrivals.intro')}</p>
      <form className="form-grid" onSubmit={load}>
        <div className="field">
          <label htmlFor="arrivals-day">{t('arrivals.day')}</label>
          <input
            id="arrivals-day"
            type="date"
            value={day}
            onChange={(e) => setDay(e.target.value)}
            data-testid="arrivals-day"
          />
        </div>
        <button type="submit" className="button button-secondary" data-testid="arrivals-show">
          {t('arrivals.show')}
        </button>
        <button
          type="button"
          className="button button-primary"
          disabled={busy}
          onClick={() => void run(() => backend.prepareArrivals(day))}
          data-testid="arrivals-prepare-day"
        >
          {t('arrivals.prepareDay')}
        </button>
      </form>
      {error && (
        <div className="error-banner" role="alert">
          {error}
        </div>
      )}
      {results.length > 0 && (
        <ul className="summary-list" role="status" data-testid="arrivals-results">
          {results.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
      {list && <ArrivalTable list={list} busy={busy} onOpen={open} onPrepare={(n) => void run(async () => [await backend.prepareArrival(n)])} />}
      {detail && <ArrivalDetail detail={detail} onClose={() => setDetail(null)} />}
    </section>
  );
}

function ArrivalTable({
  list,
  busy,
  onOpen,
  onPrepare,
}: {
  list: ArrivalView[];
  busy: boolean;
  onOpen: (noticeNo: string) => void;
  onPrepare: (noticeNo: string) => void;
}) {
  return (
    <>
      <p role="status">{list.length === 0 ? t('arrivals.none') : t('arrivals.count', { count: list.length })}</p>
      <table className="table" data-testid="arrivals-table">
        <thead>
          <tr>
            <th scope="col">{t('arrivals.col.head')}</th>
            <th scope="col">{t('arrivals.col.members')}</th>
            <th scope="col">{t('arrivals.col.expected')}</th>
            <th scope="col">{t('arrivals.col.from')}</th>
            <th scope="col">{t('arrivals.col.status')}</th>
            <th scope="col">{t('arrivals.col.prepared')}</th>
            <th scope="col">{t('arrivals.col.procedures')}</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {list.map((a) => (
            <tr key={a.notice_no} data-testid="arrival-row" data-notice={a.notice_no}>
              <th scope="row">
                {a.head_name ?? t('arrivals.unknownHousehold')}
                {a.problem && (
                  <div className="error-text" role="alert" data-testid="arrival-problem">
                    {a.problem}
                  </div>
                )}
              </th>
              <td>{t('arrivals.members', { count: a.members })}</td>
              <td>{a.expected_on}</td>
              <td>{a.old_address ?? ''}</td>
              <td data-testid="arrival-status">{t(`arrivals.status.${a.status}` as 'arrivals.status.planned')}</td>
              <td>{a.prepared_case_id ? t('arrivals.prepared.yes') : t('arrivals.prepared.no')}</td>
              <td>{a.procedures == null ? '—' : t('arrivals.procedures', { count: a.procedures })}</td>
              <td className="row-actions">
                <button type="button" className="button button-secondary" onClick={() => onOpen(a.notice_no)} data-testid="arrival-open">
                  {t('arrivals.open')}
                </button>
                {(a.status === 'planned' || a.status === 'prepared') && (
                  <button
                    type="button"
                    className="button button-secondary"
                    disabled={busy}
                    onClick={() => onPrepare(a.notice_no)}
                    data-testid="arrival-prepare"
                  >
                    {t('arrivals.prepare')}
                  </button>
                )}
                {a.prepared_case_id && (
                  <button
                    type="button"
                    className="button button-primary"
                    onClick={() => openCase(a.prepared_case_id as string)}
                    data-testid="arrival-open-case"
                  >
                    {t('arrivals.openCase')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function ArrivalDetail({ detail, onClose }: { detail: ArrivalDetailView; onClose: () => void }) {
  const { arrival, notice } = detail;
  return (
    <section className="panel" aria-labelledby="arrival-detail-title" data-testid="arrival-detail">
      <h2 id="arrival-detail-title">
        {t('arrivals.detail.title', { name: arrival.head_name ?? t('arrivals.unknownHousehold'), notice: arrival.notice_no })}
      </h2>
      {arrival.address_masked && <p role="note">{t('arrivals.masked')}</p>}
      <dl className="resident-facts">
        <dt>{t('arrivals.detail.source')}</dt>
        <dd>{t(`arrivals.source.${arrival.source}` as 'arrivals.source.feed')}</dd>
        <dt>{t('arrivals.col.status')}</dt>
        <dd>{t(`arrivals.status.${arrival.status}` as 'arrivals.status.planned')}</dd>
        {notice && (
          <>
            <dt>{t('arrivals.detail.oldAddress')}</dt>
            <dd>{notice.old_address}</dd>
            <dt>{t('arrivals.detail.newAddress')}</dt>
            <dd>{notice.new_address ?? '—'}</dd>
            <dt>{t('arrivals.detail.planned')}</dt>
            <dd>{notice.planned_on}</dd>
          </>
        )}
      </dl>
      {arrival.problem && (
        <div className="error-banner" role="alert">
          {arrival.problem}
        </div>
      )}
      {notice && (
        <table className="table" aria-label={t('arrivals.detail.members')}>
          <thead>
            <tr>
              <th scope="col">{t('arrivals.detail.name')}</th>
              <th scope="col">{t('arrivals.detail.kana')}</th>
              <th scope="col">{t('arrivals.detail.birth')}</th>
              <th scope="col">{t('arrivals.detail.relation')}</th>
            </tr>
          </thead>
          <tbody>
            {notice.members.map((m) => (
              <tr key={`${m.name}-${m.facts.birth}`} data-testid="arrival-member">
                <th scope="row">{m.name}</th>
                <td>{m.kana}</td>
                <td>{m.facts.birth}</td>
                <td>{m.facts.relation}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{t('arrivals.detail.procedures')}</h3>
      {detail.procedure_names.length === 0 ? (
        <p>{t('arrivals.detail.noProcedures')}</p>
      ) : (
        <ul data-testid="arrival-procedures">
          {detail.procedure_names.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <div className="row-actions">
        {arrival.prepared_case_id && (
          <button
            type="button"
            className="button button-primary"
            onClick={() => openCase(arrival.prepared_case_id as string)}
            data-testid="arrival-detail-open-case"
          >
            {t('arrivals.openCase')}
          </button>
        )}
        <button type="button" className="button button-secondary" onClick={onClose}>
          {t('arrivals.detail.close')}
        </button>
      </div>
    </section>
  );
}
