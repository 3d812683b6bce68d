import { useEffect, useState } from 'react';
import type { CertificateLine, QuoteResponse } from '../../api/types';
import { errorMessage, useBackend } from '../../backend';
import { t } from '../../i18n';
import type { Draft } from './model';
import { StepForm } from './StepForm';
import { useLoaded } from './useLoaded';

// 5. 証明書: certificates requested, with the fee total from the city's fee table.

export function CertificatesStep({
  draft,
  setDraft,
  onNext,
}: {
  draft: Draft;
  setDraft: (u: (d: Draft) => Draft) => void;
  onNext: () => void;
}) {
  const backend = useBackend();
  const [item, setItem] = useState('JUMINHYO');
  const [copies, setCopies] = useState('1');
  const [quote, setQuote] = useState<QuoteResponse | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const table = useLoaded((b) => b.feeTable(), setProblem);
  const lines = draft.document.certificates ?? [];

  const linesKey = JSON.stringify(lines);
  useEffect(() => {
    if (lines.length === 0) {
      setQuote(null);
      return;
    }
    let current = true;
    backend
      .quote({ items: lines.map((l) => ({ item: l.item, copies: l.copies, exemption: l.exemption ?? null })) })
      .then((q) => {
        if (!current) return;
        setQuote(q);
        setProblem(null);
      })
      .catch((e: unknown) => current && setProblem(errorMessage(e)));
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [backend, linesKey]);

  function setLines(next: CertificateLine[]) {
    setDraft((d) => ({ ...d, document: { ...d.document, certificates: next } }));
  }

  function add() {
    const n = Number(copies);
    if (!Number.isInteger(n) || n < 1 || n > 50) {
      setProblem(t('visit.certificates.copiesInvalid'));
      return;
    }
    const name = table?.items.find((i) => i.code === item)?.name ?? item;
    setLines([...lines, { item, copies: n, name, yen: 0 }]);
    setCopies('1');
  }

  return (
    <StepForm
      title={t('visit.certificates.title')}
      onSubmit={onNext}
      testId="step-panel-certificates"
      hint={<>{t('visit.certificates.hint')}</>}
    >
      {problem && (
        <div className="error-banner" role="alert">
          {problem}
        </div>
      )}
      <div className="form-grid">
        <div className="field">
          <label htmlFor="cert-item">{t('visit.certificates.item')}</label>
          <select id="cert-item" value={item} onChange={(e) => setItem(e.target.value)} data-testid="cert-item">
            {(table?.items ?? []).map((i) => (
              <option key={i.code} value={i.code}>
                {i.name}（{t('visit.certificates.unit', { yen: i.yen })}）
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="cert-copies">{t('visit.certificates.copies')}</label>
          <input
            id="cert-copies"
            inputMode="numeric"
            value={copies}
            onChange={(e) => setCopies(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                add();
              }
            }}
            data-testid="cert-copies"
          />
        </div>
        <button type="button" className="button button-secondary" onClick={add} data-testid="cert-add">
          {t('visit.certificates.add')}
        </button>
      </div>
      {lines.length > 0 && (
        <table className="table" data-testid="cert-lines">
          <thead>
            <tr>
              <th scope="col">{t('visit.certificates.item')}</th>
              <th scope="col">{t('visit.certificates.copies')}</th>
              <th scope="col">{t('visit.certificates.fee')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {lines.map((l, i) => (
              <tr key={`${l.item}-${i}`}>
                <th scope="row">{quote?.lines[i]?.name ?? l.name}</th>
                <td>{l.copies}</td>
                <td>{quote?.lines[i] ? t('visit.certificates.yen', { yen: quote.lines[i]!.yen }) : '…'}</td>
                <td>
                  <button
                    type="button"
                    className="button button-secondary"
                    onClick={() => setLines(lines.filter((_, j) => j !== i))}
                  >
                    {t('visit.certificates.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="fee-total" data-testid="fee-total">
        {t('visit.certificates.total')} {t('visit.certificates.yen', { yen: quote?.total_yen ?? 0 })}
      </p>
    </StepForm>
  );
}
