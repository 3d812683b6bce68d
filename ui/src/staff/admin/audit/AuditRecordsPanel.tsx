import { useCallback, useEffect, useState } from 'react';
import type { AuditRecordView, AuditSearchResult } from '../../../api/types';
import { errorMessage, useBackend } from '../../../backend';
import { t } from '../../../i18n';
import { AuditRecordDetail } from './AuditRecordDetail';
import { AuditRecordsTable } from './AuditRecordsTable';
import { AuditSearchForm, type AuditFilters } from './AuditSearchForm';
import { daysBefore, saveCsv, todayJst } from './period';

/** 操作の記録: the search, one page of records, the record opened, the CSV of the search. */
export function AuditRecordsPanel() {
  const backend = useBackend();
  const [initial] = useState<AuditFilters>(() => ({ from: daysBefore(todayJst(), 6), to: todayJst() }));
  const [filters, setFilters] = useState<AuditFilters>(initial);
  const [result, setResult] = useState<AuditSearchResult | null>(null);
  const [open, setOpen] = useState<AuditRecordView | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const search = useCallback(
    async (q: AuditFilters, page: number) => {
      setBusy(true);
      setProblem(null);
      setMessage(null);
      try {
        setResult(await backend.auditRecords({ ...q, page }));
        setFilters(q);
        setOpen(null);
      } catch (e) {
        setProblem(errorMessage(e));
      } finally {
        setBusy(false);
      }
    },
    [backend],
  );

  useEffect(() => {
    void search(initial, 1);
  }, [search, initial]);

  async function csv(q: AuditFilters) {
    setBusy(true);
    setProblem(null);
    setMessage(null);
    try {
      saveCsv(await backend.auditRecordsCsv(q), `audit-${q.from}-${q.to}.csv`);
      setMessage(t('audit.csvDone'));
    } catch (e) {
      setProblem(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div data-testid="audit-records-panel">
      <AuditSearchForm initial={initial} busy={busy} onSearch={(q) => void search(q, 1)} onCsv={(q) => void csv(q)} />
      {busy && <p role="status">{t('audit.searching')}</p>}
      {problem && (
        <div className="error-banner" role="alert" data-testid="audit-problem">
          {problem}
        </div>
      )}
      {message && (
        <p className="notice" role="status" data-testid="audit-message">
          {message}
        </p>
      )}
      {open && <AuditRecordDetail record={open} onClose={() => setOpen(null)} />}
      {result && (
        <AuditRecordsTable
          records={result.records}
          page={result.page}
          pageSize={result.page_size}
          hasMore={result.has_more}
          onOpen={setOpen}
          onPage={(p) => void search(filters, p)}
        />
      )}
    </div>
  );
}
