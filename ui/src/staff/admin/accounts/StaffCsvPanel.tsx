import { useState, type FormEvent } from 'react';
import type { StaffUploadReport } from '../../../api/types';
import { errorMessage, useBackend } from '../../../backend';
import { t } from '../../../i18n';
import { downloadText } from '../../../components/download';

/** The file's bytes as base64 (what the upload route carries, whatever its encoding). */
async function base64Of(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * 職員の一括登録 from a staff CSV (UTF-8 or Shift_JIS), all or nothing: a refused file's problems are
 * shown as a table (line, column, reason); and the accounts downloaded in the same layout.
 */
export function StaffCsvPanel({ onImported }: { onImported: () => void }) {
  const backend = useBackend();
  const [file, setFile] = useState<File | null>(null);
  const [encoding, setEncoding] = useState<'utf-8' | 'cp932'>('utf-8');
  const [report, setReport] = useState<StaffUploadReport | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function upload(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    setReport(null);
    if (!file) {
      setProblem(t('staffCsv.noFile'));
      return;
    }
    setBusy(true);
    try {
      const result = await backend.importUsers({ file_base64: await base64Of(file), encoding });
      setReport(result);
      if (result.written) onImported();
    } catch (err) {
      setProblem(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  async function download() {
    setProblem(null);
    try {
      downloadText(await backend.exportUsers(), 'staff.csv', 'text/csv');
    } catch (err) {
      setProblem(errorMessage(err));
    }
  }

  return (
    <section className="admin-panel" aria-labelledby="staff-csv-title" data-testid="staff-csv">
      <h2 id="staff-csv-title">{t('staffCsv.title')}</h2>
      <p className="hint">{t('staffCsv.help')}</p>
      <form className="form-row" onSubmit={upload}>
        <div className="field">
          <label htmlFor="staff-csv-file">{t('staffCsv.file')}</label>
          <input
            id="staff-csv-file"
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            data-testid="staff-csv-file"
          />
        </div>
        <div className="field">
          <label htmlFor="staff-csv-encoding">{t('staffCsv.encoding')}</label>
          <select
            id="staff-csv-encoding"
            value={encoding}
            onChange={(e) => setEncoding(e.target.value as 'utf-8' | 'cp932')}
          >
            <option value="utf-8">{t('staffCsv.utf8')}</option>
            <option value="cp932">{t('staffCsv.cp932')}</option>
          </select>
        </div>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy} data-testid="staff-csv-upload">
            {t('staffCsv.upload')}
          </button>
          <button type="button" className="button button-secondary" onClick={() => void download()} data-testid="staff-csv-download">
            {t('staffCsv.download')}
          </button>
        </div>
      </form>
      {problem && (
        <div className="error-banner" role="alert">
          {problem}
        </div>
      )}
      {report?.written && (
        <p role="status" className="success" data-testid="staff-csv-written">
          {t('staffCsv.written', { created: report.created, updated: report.updated })}
        </p>
      )}
      {report && !report.written && (
        <div role="alert" data-testid="staff-csv-refused">
          <p className="error-text">{t('staffCsv.refused')}</p>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('staffCsv.col.line')}</th>
                <th scope="col">{t('staffCsv.col.column')}</th>
                <th scope="col">{t('staffCsv.col.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {report.problems.map((p, i) => (
                <tr key={i}>
                  <td>{p.line === 0 ? t('staffCsv.wholeFile') : p.line}</td>
                  <td>{p.column ?? ''}</td>
                  <td>{p.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
