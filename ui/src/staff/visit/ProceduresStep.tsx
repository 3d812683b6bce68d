import { useCallback, useEffect, useState } from 'react';
import type { QuestionView } from '../../api/types';
import { errorMessage, useBackend } from '../../backend';
import { evaluateRequest, mergeProcedures } from '../../case/procedures';
import { t } from '../../i18n';
import type { Draft } from './model';
import { StepForm } from './StepForm';

// 4. 手続: what 手続きナビ finds for every notification, with its questions.

export function ProceduresStep({
  draft,
  setDraft,
  onNext,
}: {
  draft: Draft;
  setDraft: (u: (d: Draft) => Draft) => void;
  onNext: () => void;
}) {
  const backend = useBackend();
  const [questions, setQuestions] = useState<QuestionView[]>([]);
  const [status, setStatus] = useState<'loading' | 'done' | 'error'>('loading');
  const [message, setMessage] = useState('');
  const answers = draft.document.answers ?? {};
  const notifications = draft.document.notifications ?? [];
  const key = JSON.stringify([notifications, answers]);

  useEffect(() => {
    if (notifications.length === 0) {
      setStatus('done');
      setQuestions([]);
      return;
    }
    let current = true;
    setStatus('loading');
    Promise.all(notifications.map((n) => backend.evaluate(evaluateRequest(n, answers))))
      .then((results) => {
        if (!current) return;
        const found = results.flatMap((r) => r.procedures);
        const asked = new Map<string, QuestionView>();
        for (const r of results) for (const q of r.next_questions) asked.set(q.id, q);
        setQuestions([...asked.values()]);
        setDraft((d) => ({
          ...d,
          document: { ...d.document, procedures: mergeProcedures(d.document.procedures ?? [], found) },
        }));
        setStatus('done');
      })
      .catch((e: unknown) => {
        if (!current) return;
        setStatus('error');
        setMessage(errorMessage(e));
      });
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [backend, key]);

  const answer = useCallback(
    (id: string, value: boolean | string) =>
      setDraft((d) => ({ ...d, document: { ...d.document, answers: { ...(d.document.answers ?? {}), [id]: value } } })),
    [setDraft],
  );
  const first = questions[0];

  // y / n answer the first open question; F8 answers every open question "いいえ".
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const target = e.target as HTMLElement | null;
      if (target && ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)) return;
      if (e.key === 'F8') {
        e.preventDefault();
        setDraft((d) => {
          const more = { ...(d.document.answers ?? {}) };
          for (const q of questions) more[q.id] = q.kind === 'yes_no' ? false : (q.options[q.options.length - 1] ?? '');
          return { ...d, document: { ...d.document, answers: more } };
        });
        return;
      }
      if (!first) return;
      if (first.kind === 'yes_no' && (e.key === 'y' || e.key === 'n')) {
        e.preventDefault();
        answer(first.id, e.key === 'y');
      } else if (first.kind !== 'yes_no') {
        const n = Number(e.key);
        const option = first.options[n - 1];
        if (n >= 1 && option) {
          e.preventDefault();
          answer(first.id, option);
        }
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [first, questions, answer, setDraft]);

  const procedures = draft.document.procedures ?? [];
  const setState = (code: string, state: string) =>
    setDraft((d) => ({
      ...d,
      document: {
        ...d.document,
        procedures: (d.document.procedures ?? []).map((p) => (p.code === code ? { ...p, state } : p)),
      },
    }));
  const here = procedures.filter((p) => p.on_the_spot);
  const elsewhere = procedures.filter((p) => !p.on_the_spot);

  return (
    <StepForm
      title={t('visit.procedures.title')}
      onSubmit={onNext}
      testId="step-panel-procedures"
      hint={
        <>
          <kbd>y</kbd>/<kbd>n</kbd> {t('visit.procedures.answerKeys')} <kbd>F8</kbd> {t('visit.procedures.allNo')}
        </>
      }
    >
      {status === 'loading' && <p role="status">{t('visit.procedures.loading')}</p>}
      {status === 'error' && (
        <div className="error-banner" role="alert">
          {message}
        </div>
      )}
      {questions.length > 0 && (
        <div className="questions" data-testid="questions">
          <h3>{t('visit.procedures.questions', { count: questions.length })}</h3>
          <ol>
            {questions.map((q, i) => (
              <li key={q.id} className={i === 0 ? 'question current' : 'question'} data-testid="question">
                <span className="question-text">{q.text}</span>
                {q.kind === 'yes_no' ? (
                  <span className="question-answers">
                    <button type="button" className="button button-secondary" onClick={() => answer(q.id, true)}>
                      {i === 0 && <kbd>y</kbd>} {t('visit.procedures.yes')}
                    </button>
                    <button type="button" className="button button-secondary" onClick={() => answer(q.id, false)}>
                      {i === 0 && <kbd>n</kbd>} {t('visit.procedures.no')}
                    </button>
                  </span>
                ) : (
                  <span className="question-answers">
                    {q.options.map((o, oi) => (
                      <button key={o} type="button" className="button button-secondary" onClick={() => answer(q.id, o)}>
                        {i === 0 && <kbd>{oi + 1}</kbd>} {o}
                      </button>
                    ))}
                  </span>
                )}
              </li>
            ))}
          </ol>
        </div>
      )}
      <ProcedureTable title={t('visit.procedures.here')} list={here} setState={setState} />
      <ProcedureTable title={t('visit.procedures.elsewhere')} list={elsewhere} setState={setState} />
    </StepForm>
  );
}

function ProcedureTable({
  title,
  list,
  setState,
}: {
  title: string;
  list: Draft['document']['procedures'];
  setState: (code: string, state: string) => void;
}) {
  if (!list || list.length === 0) return null;
  return (
    <table className="table procedures" data-testid="procedure-table">
      <caption>
        {title}（{list.length}）
      </caption>
      <thead>
        <tr>
          <th scope="col">{t('visit.procedures.name')}</th>
          <th scope="col">{t('visit.procedures.reason')}</th>
          <th scope="col">{t('visit.procedures.counter')}</th>
          <th scope="col">{t('visit.procedures.state')}</th>
        </tr>
      </thead>
      <tbody>
        {list.map((p) => (
          <tr key={p.code} data-testid="procedure-row" data-code={p.code}>
            <th scope="row">{p.name}</th>
            <td>{(p.reasons ?? []).join('、')}</td>
            <td>{p.counter}</td>
            <td>
              <select
                aria-label={t('visit.procedures.stateOf', { name: p.name })}
                value={p.state}
                onChange={(e) => setState(p.code, e.target.value)}
                data-testid="procedure-state"
              >
                <option value="pending">{t('visit.state.pending')}</option>
                <option value="printed">{t('visit.state.printed')}</option>
                <option value="accepted">{t('visit.state.accepted')}</option>
              </select>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
