import type { AuditRecordView } from '../../../api/types';
import { formatWarekiDateTime, t } from '../../../i18n';
import { actionLabel } from './actions';

/** One page of audit records (newest first), each opened with its button, and the page's buttons. */
export function AuditRecordsTable({
  records,
  page,
  pageSize,
  hasMore,
  onOpen,
  onPage,
}: {
  records: readonly AuditRecordView[];
  page: number;
  pageSize: number;
  hasMore: boolean;
  onOpen: (record: AuditRecordView) => void;
  onPage: (page: number) => void;
}) {
  if (records.length === 0 && page === 1) {
    return (
      <p role="status" data-testid="audit-none">
        {t('audit.none')}
      </p>
    );
  }
  return (
    <>
      <table className="table audit-table" data-testid="audit-table">
        <caption>{t('audit.pageInfo', { page, size: pageSize })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('audit.colId')}</th>
            <th scope="col">{t('audit.colAt')}</th>
            <th scope="col">{t('audit.colUser')}</th>
            <th scope="col">{t('audit.colCounter')}</th>
            <th scope="col">{t('audit.colTerminal')}</th>
            <th scope="col">{t('audit.colAction')}</th>
            <th scope="col">{t('audit.colSubject')}</th>
            <th scope="col">{t('audit.colResult')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('audit.open')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {records.map((r) => (
            <tr key={r.id} data-testid="audit-row" data-action={r.action}>
              <th scope="row">{r.id}</th>
              <td>{formatWarekiDateTime(r.at)}</td>
              <td>{r.user ?? ''}</td>
              <td>{r.counter ?? ''}</td>
              <td>{r.terminal ?? ''}</td>
              <td title={r.action}>{actionLabel(r.action)}</td>
              <td className="audit-subject">{r.subject ?? ''}</td>
              <td>{r.result}</td>
              <td>
                <button
                  type="button"
                  className="button button-secondary button-small"
                  aria-label={t('audit.openLabel', { id: r.id })}
                  onClick={() => onOpen(r)}
                  data-testid="audit-open"
                >
                  {t('audit.open')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <nav className="pager" aria-label={t('audit.pages')}>
        <button
          type="button"
          className="button button-secondary button-small"
          disabled={page <= 1}
          onClick={() => onPage(page - 1)}
          data-testid="audit-previous"
        >
          {t('audit.previous')}
        </button>
        <button
          type="button"
          className="button button-secondary button-small"
          disabled={!hasMore}
          onClick={() => onPage(page + 1)}
          data-testid="audit-next"
        >
          {t('audit.next')}
        </button>
      </nav>
    </>
  );
}
