import { useCallback, useEffect, useState, type ChangeEvent } from 'react';
import './applications.css';
import type { PortalApplicationList } from '../../api/types';
import { errorMessage, useBackend } from '../../backend';
import { t } from '../../i18n';
import { ApplicationDetail } from './ApplicationDetail';
import { ConnectorPanel } from './ConnectorPanel';
import { STATUSES, fileBase64, jst, statusKey } from './model';

/**
 * 申請管理: the applications received through マイナポータル, filtered by status with the counts of
 * each, a downloaded ZIP imported, one opened (`ApplicationDetail`).
 */
export function ApplicationsPage({ permissions }: { permissions: readonly string[] }) {
  const backend = useBackend();
  const [status, setStatus] = useState('');
  const [list, setList] = useState<PortalApplicationList | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const reload = useCallback(async () => {
    try {
      setList(await backend.portalApplications(status || undefined));
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [backend, status]);

  useEffect(() => {
    void reload();
  }, [reload]);

  async function upload(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      const r = await backend.importPortalZip(await fileBase64(file));
      const imported = t('applications.imported', { total: r.total, added: r.added, already: r.already });
      setMessage(r.reserved > 0 ? `${imported}${t('applications.reserved', { reserved: r.reserved })}` : imported);
      await reload();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const counts = list?.counts;
  return (
    <section className="panel" aria-labelledby="applications-title" data-testid="applications">
      <h1 id="applications-title">{t('applications.title')}</h1>
      {permissions.includes('admin') && <ConnectorPanel onFetched={reload} />}
      <div className="toolbar" role="group" aria-label={t('applications.filter')}>
        <button
          type="button"
          className={status === '' ? 'button button-primary' : 'button button-secondary'}
          aria-pressed={status === ''}
          onClick={() => setStatus('')}
          data-testid="applications-filter-all"
        >
          {t('applications.all')}
        </button>
        {STATUSES.map((s) => (
          <button
            key={s}
            type="button"
            className={status === s ? 'button button-primary' : 'button button-secondary'}
            aria-pressed={status === s}
            onClick={() => setStatus(s)}
            data-testid={`applications-filter-${s}`}
          >
            {t(statusKey(s))} <span data-testid={`applications-count-${s}`}>{counts ? counts[s] : ''}</span>
          </button>
        ))}
      </div>
      <div className="field">
        <label htmlFor="applications-zip">{t('applications.upload')}</label>
        <input
          id="applications-zip"
          type="file"
          accept=".zip,application/zip"
          onChange={upload}
          disabled={busy}
          data-testid="applications-zip"
        />
      </div>
      {busy && <p role="status">{t('applications.uploading')}</p>}
      {message && (
        <p role="status" data-testid="applications-message">
          {message}
        </p>
      )}
      {error && (
        <div className="error-banner" role="alert" data-testid="applications-error">
          {error}
        </div>
      )}
      {list && <ApplicationTable list={list} onOpen={setOpen} />}
      {open && <ApplicationDetail key={open} applicationNo={open} onChanged={reload} onClose={() => setOpen(null)} />}
    </section>
  );
}

function ApplicationTable({ list, onOpen }: { list: PortalApplicationList; onOpen: (no: string) => void }) {
  if (list.items.length === 0) return <p role="status">{t('applications.none')}</p>;
  return (
    <>
      <p role="status">{t('applications.count', { count: list.items.length })}</p>
      <table className="table" data-testid="applications-table">
        <thead>
          <tr>
            <th scope="col">{t('applications.receivedAt')}</th>
            <th scope="col">{t('applications.number')}</th>
            <th scope="col">{t('applications.form')}</th>
            <th scope="col">{t('applications.applicant')}</th>
            <th scope="col">{t('applications.status')}</th>
            <th scope="col">{t('applications.case')}</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {list.items.map((a) => (
            <tr key={a.application_no} data-testid="application-row" data-application-no={a.application_no}>
              <td>{jst(a.received_at)}</td>
              <td>
                {a.application_no}
                <br />
                <small>{t(a.source === 'api' ? 'applications.source.api' : 'applications.source.zip')}</small>
              </td>
              <td>{a.form_name || a.form_code}</td>
              <th scope="row">
                {a.applicant_name}
                <br />
                <small>{a.applicant_kana}</small>
              </th>
              <td data-testid="application-status">
                {t(statusKey(a.status))}
                {!a.status_sent && a.source === 'api' && <small>{t('applications.notSent')}</small>}
              </td>
              <td>{a.case_id && <a href={`#/staff/case/${encodeURIComponent(a.case_id)}`}>{a.case_id}</a>}</td>
              <td>
                <button
                  type="button"
                  className="button button-secondary"
                  onClick={() => onOpen(a.application_no)}
                  data-testid="application-open"
                >
                  {t('applications.open')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
