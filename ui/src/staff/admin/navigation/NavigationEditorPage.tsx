import { useEffect, useState } from 'react';
import type { DraftCheck, LocalCatalog, NavigationEditorView, PermissionView } from '../../../api/types';
import { errorMessage, useBackend } from '../../../backend';
import { t } from '../../../i18n';
import { formatWareki } from '../../../i18n/wareki';
import { CatalogTable } from './CatalogTable';
import { CheckSummary } from './CheckSummary';
import { DiffTable } from './DiffTable';
import { ExamplesPanel } from './ExamplesPanel';
import { ProcedureForm } from './ProcedureForm';
import { QuestionsForm } from './QuestionsForm';
import { TranslationGapsPanel } from './TranslationGapsPanel';
import { TrialPanel } from './TrialPanel';
import { blankProcedure, normalised, problemsOf } from './draft';

export const NAVIGATION_EDITOR_PATH = '/staff/admin/navigation';

function nextDay(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** 手続きナビの編集: the city's own procedures, checked as typed, tried, published from a date (admins). */
export function NavigationEditorPage() {
  const backend = useBackend();
  const [view, setView] = useState<NavigationEditorView | null>(null);
  const [permissions, setPermissions] = useState<PermissionView[]>([]);
  const [draft, setDraft] = useState<LocalCatalog>({});
  const [selected, setSelected] = useState(0);
  const [check, setCheck] = useState<DraftCheck | null>(null);
  const [checking, setChecking] = useState(false);
  const [from, setFrom] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    Promise.all([backend.navigationEditor(), backend.permissions()])
      .then(([v, p]) => {
        setView(v);
        setDraft(v.draft);
        setFrom(nextDay(v.today));
        setPermissions(p);
      })
      .catch((e: unknown) => setProblem(errorMessage(e)));
  }, [backend, generation]);

  // The check runs on every change, 300 ms after the last keystroke.
  useEffect(() => {
    if (!view) return;
    setChecking(true);
    const timer = setTimeout(() => {
      backend
        .checkNavigationDraft(draft)
        .then(setCheck)
        .catch((e: unknown) => setProblem(errorMessage(e)))
        .finally(() => setChecking(false));
    }, 300);
    return () => clearTimeout(timer);
  }, [backend, draft, view]);

  if (!view) return problem ? <div className="error-banner" role="alert">{problem}</div> : <p>{t('nav.loading')}</p>;
  const d = normalised(draft);
  const problems = check?.report.problems ?? [];
  const questions = [...view.standard_questions, ...d.questions];
  const edit = (patch: Partial<LocalCatalog>) => {
    setMessage(null);
    setDraft({ ...d, ...patch });
  };

  async function save() {
    if (!view) return;
    setProblem(null);
    try {
      const saved = await backend.saveNavigationDraft({ draft, revision: view.draft_revision });
      setView({ ...view, draft_revision: saved.revision, draft_saved: true });
      setMessage(t('nav.publish.saved'));
    } catch (e) {
      setProblem(errorMessage(e));
    }
  }

  async function publish() {
    if (!view) return;
    setProblem(null);
    try {
      await backend.publishNavigationDraft({ draft, from, revision: view.published_revision });
      setMessage(t('nav.publish.done', { date: formatWareki(from) }));
      setGeneration((g) => g + 1);
    } catch (e) {
      setProblem(errorMessage(e));
    }
  }

  const current = d.procedures[selected];
  return (
    <section aria-labelledby="nav-editor-title" data-testid="navigation-editor">
      <h1 id="nav-editor-title">{t('admin.menu.navigation')}</h1>
      <CatalogTable entries={view.catalog} />
      <div className="nav-editor-columns">
        <div>
          <section className="admin-panel" aria-labelledby="nav-draft-title">
            <h2 id="nav-draft-title">{t('nav.draft.title')}</h2>
            <p className="hint">{view.draft_saved ? t('nav.draft.saved') : t('nav.draft.fromPublished')}</p>
            {d.procedures.length === 0 && <p className="hint">{t('nav.draft.none')}</p>}
            <ul className="row-actions" data-testid="draft-procedures">
              {d.procedures.map((p, i) => {
                const count = problemsOf(problems, { procedure: i }).length;
                return (
                  <li key={i}>
                    <button type="button" className="button" aria-pressed={i === selected} onClick={() => setSelected(i)}>
                      {t('nav.draft.edit')}: {p.name || p.code}
                      {count > 0 && ` (${t('nav.draft.problems', { count })})`}
                    </button>
                    <button
                      type="button"
                      className="button"
                      onClick={() => {
                        edit({ procedures: d.procedures.filter((_, k) => k !== i) });
                        setSelected(0);
                      }}
                    >
                      {t('nav.draft.remove')}
                    </button>
                  </li>
                );
              })}
            </ul>
            <button
              type="button"
              className="button"
              data-testid="add-procedure"
              onClick={() => {
                edit({ procedures: [...d.procedures, blankProcedure(d.procedures.length + 1, view.today)] });
                setSelected(d.procedures.length);
              }}
            >
              {t('nav.draft.add')}
            </button>
          </section>
          {current && (
            <ProcedureForm
              key={selected}
              index={selected}
              procedure={current}
              problems={problems}
              forms={view.forms}
              permissions={permissions}
              onChange={(p) => edit({ procedures: d.procedures.map((x, k) => (k === selected ? p : x)) })}
            />
          )}
          <QuestionsForm
            questions={d.questions}
            standard={view.standard_questions}
            problems={problems}
            onChange={(q) => edit({ questions: q })}
          />
          <ExamplesPanel
            examples={d.examples}
            outcomes={check?.report.examples ?? []}
            problems={problems}
            questions={questions}
            today={view.today}
            onChange={(e) => edit({ examples: e })}
          />
        </div>
        <aside>
          <CheckSummary check={check} checking={checking} draft={draft} />
          <DiffTable lines={check?.diff ?? []} />
          <section className="admin-panel" aria-labelledby="nav-publish-title" data-testid="nav-publish">
            <h2 id="nav-publish-title">{t('nav.publish.title')}</h2>
            <button type="button" className="button" onClick={save} data-testid="nav-save">
              {t('nav.publish.save')}
            </button>
            <div className="field">
              <label htmlFor="nav-publish-from">{t('nav.publish.from')}</label>
              <input id="nav-publish-from" type="date" min={view.today} value={from} onChange={(e) => setFrom(e.target.value)} />
            </div>
            {!check?.ok && <p className="hint">{t('nav.publish.blocked')}</p>}
            <button
              type="button"
              className="button button-primary"
              disabled={!check?.ok || checking}
              onClick={publish}
              data-testid="nav-publish-button"
            >
              {t('nav.publish.button')}
            </button>
            {problem && (
              <div className="error-banner" role="alert">
                {problem}
              </div>
            )}
            {message && (
              <p role="status" className="success" data-testid="nav-message">
                {message}
              </p>
            )}
          </section>
        </aside>
      </div>
      <TrialPanel draft={draft} questions={questions} today={view.today} />
      <TranslationGapsPanel />
    </section>
  );
}
