import { useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { t } from '../../i18n';
import { ID_DOCUMENTS, VISITOR_KINDS, type Draft } from './model';
import { StepForm } from './StepForm';

// 2. 本人確認: who came, and how they were identified.

export function IdentityStep({
  draft,
  setDraft,
  cardChecked = false,
  onNext,
}: {
  draft: Draft;
  setDraft: (u: (d: Draft) => Draft) => void;
  /** The visitor was found by reading their マイナンバーカード (desktop app). */
  cardChecked?: boolean;
  onNext: () => void;
}) {
  const v = draft.document.visitor;
  const [problem, setProblem] = useState<string | null>(null);
  const setVisitor = (patch: Partial<typeof v>) =>
    setDraft((d) => ({ ...d, document: { ...d.document, visitor: { ...d.document.visitor, ...patch } } }));

  function next() {
    if (!v.name?.trim()) return setProblem(t('visit.identity.nameRequired'));
    if (v.kind === '代理人' && !v.proxy_letter) return setProblem(t('visit.identity.proxyLetterRequired'));
    setProblem(null);
    onNext();
  }

  function onKindKey(e: ReactKeyboardEvent) {
    const n = Number(e.key);
    if (n >= 1 && n <= VISITOR_KINDS.length) {
      e.preventDefault();
      setVisitor({ kind: VISITOR_KINDS[n - 1] });
    }
  }

  return (
    <StepForm title={t('visit.identity.title')} onSubmit={next} testId="step-panel-identity">
      {problem && (
        <div className="error-banner" role="alert">
          {problem}
        </div>
      )}
      <fieldset className="choice-group" onKeyDown={onKindKey}>
        <legend>
          {t('visit.identity.visitorKind')} <span className="hint">{t('visit.identity.kindKeys')}</span>
        </legend>
        {VISITOR_KINDS.map((k, i) => (
          <label key={k} className="choice">
            <input
              type="radio"
              name="visitor-kind"
              checked={v.kind === k}
              onChange={() => setVisitor({ kind: k })}
              autoFocus={v.kind === k}
              data-testid={`visitor-kind-${k}`}
            />
            <kbd>{i + 1}</kbd> {t(`visit.visitor.${k}`)}
          </label>
        ))}
      </fieldset>
      <div className="form-grid">
        <div className="field">
          <label htmlFor="visitor-name">{t('visit.identity.visitorName')}</label>
          <input
            id="visitor-name"
            value={v.name ?? ''}
            onChange={(e) => setVisitor({ name: e.target.value })}
            data-testid="visitor-name"
          />
        </div>
        {v.kind !== '本人' && (
          <div className="field">
            <label htmlFor="visitor-relation">{t('visit.identity.relation')}</label>
            <input
              id="visitor-relation"
              value={v.relation ?? ''}
              onChange={(e) => setVisitor({ relation: e.target.value })}
              data-testid="visitor-relation"
            />
          </div>
        )}
        <div className="field">
          <label htmlFor="id-document">{t('visit.identity.document')}</label>
          <select
            id="id-document"
            value={v.id_document ?? ''}
            onChange={(e) => setVisitor({ id_document: e.target.value })}
            data-testid="id-document"
          >
            {ID_DOCUMENTS.map((doc) => (
              <option key={doc} value={doc}>
                {doc}
              </option>
            ))}
          </select>
          {cardChecked && v.id_document === 'マイナンバーカード' && (
            <p className="hint" data-testid="id-document-card">
              {t('visit.identity.cardRead')}
            </p>
          )}
        </div>
      </div>
      {v.kind === '代理人' && (
        <label className="choice">
          <input
            type="checkbox"
            checked={v.proxy_letter ?? false}
            onChange={(e) => setVisitor({ proxy_letter: e.target.checked })}
            data-testid="proxy-letter"
          />
          {t('visit.identity.proxyLetter')}
        </label>
      )}
    </StepForm>
  );
}
