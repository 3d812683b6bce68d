import type { DraftCheck, LocalCatalog } from '../../../api/types';
import { t } from '../../../i18n';

/** Every problem of the draft with where it is, or that all is well. */
export function CheckSummary({ check, checking, draft }: { check: DraftCheck | null; checking: boolean; draft: LocalCatalog }) {
  const where = (p: DraftCheck['report']['problems'][number]) => {
    if (p.procedure != null) {
      const proc = draft.procedures?.[p.procedure];
      return t('nav.check.where.procedure', { n: p.procedure + 1, name: proc?.name || proc?.code || '' });
    }
    if (p.question != null) return t('nav.check.where.question', { n: p.question + 1 });
    if (p.example != null) return t('nav.check.where.example', { n: p.example + 1 });
    return t('nav.check.whole');
  };
  return (
    <section aria-labelledby="nav-check-title" data-testid="nav-check" aria-live="polite">
      <h2 id="nav-check-title">{t('nav.check.title')}</h2>
      {checking && <p className="hint">{t('nav.check.checking')}</p>}
      {check && check.ok && <p className="success" data-testid="nav-check-ok">{t('nav.check.ok')}</p>}
      {check && check.report.problems.length > 0 && (
        <ul data-testid="nav-problems">
          {check.report.problems.map((p, i) => (
            <li key={i} className="error-text">
              {where(p)}: {p.message}
            </li>
          ))}
        </ul>
      )}
      {check && check.report.examples.some((e) => !e.passed) && (
        <ul>
          {check.report.examples
            .filter((e) => !e.passed)
            .map((e) => (
              <li key={e.name} className="error-text">
                {e.name}: {t('nav.examples.failed')}
              </li>
            ))}
        </ul>
      )}
    </section>
  );
}
