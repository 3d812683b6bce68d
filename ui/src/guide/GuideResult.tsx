import type { Answer, GuideProcedureView, QuestionView } from '../api/types';
import { FallbackText, t, tx } from '../i18n';

// 3. 確認 and 4. 必要な手続き: 手続きナビ's next questions (はい・いいえ or a choice), the answers given
// (each can be taken back), and the procedures grouped by counter with what to bring.

interface QuestionsProps {
  questions: QuestionView[];
  /** The questions answered, with their texts. */
  answeredQuestions: QuestionView[];
  answers: Record<string, Answer>;
  onAnswer: (id: string, value: Answer | null) => void;
}

export function GuideQuestions({ questions, answeredQuestions, answers, onAnswer }: QuestionsProps) {
  const answered = Object.entries(answers);
  const question = (id: string) => answeredQuestions.find((q) => q.id === id);
  const text = (id: string) => {
    const q = question(id);
    return <FallbackText text={q?.text ?? id} japanese={isJapanese(q, 'text')} />;
  };
  /** A choice answered: its label in the page's language (the answer itself is the Japanese option). */
  const choice = (id: string, value: string) => {
    const q = question(id);
    const at = q?.options.indexOf(value) ?? -1;
    return <FallbackText text={at >= 0 ? (q?.option_labels?.[at] ?? value) : value} japanese={isJapanese(q, 'options')} />;
  };
  return (
    <section aria-labelledby="guide-questions" data-testid="guide-questions">
      <h2 id="guide-questions">{tx('guide.questions')}</h2>
      {questions.length === 0 && answered.length === 0 && <p>{tx('guide.questions.none')}</p>}
      {questions.map((q) => (
        <fieldset key={q.id} className="guide-question" data-testid="guide-question" data-question={q.id}>
          <legend>
            <FallbackText text={q.text} japanese={isJapanese(q, 'text')} />
          </legend>
          {q.kind === 'yes_no' ? (
            <>
              <button type="button" className="button" onClick={() => onAnswer(q.id, true)} data-testid="guide-yes">
                {t('guide.yes')}
              </button>
              <button type="button" className="button" onClick={() => onAnswer(q.id, false)} data-testid="guide-no">
                {t('guide.no')}
              </button>
            </>
          ) : (
            q.options.map((o, i) => (
              <button key={o} type="button" className="button" onClick={() => onAnswer(q.id, o)} data-testid="guide-option">
                <FallbackText text={q.option_labels?.[i] ?? o} japanese={isJapanese(q, 'options')} />
              </button>
            ))
          )}
        </fieldset>
      ))}
      {answered.length > 0 && (
        <ul className="guide-answers" data-testid="guide-answers">
          {answered.map(([id, v]) => (
            <li key={id}>
              {text(id)}：{typeof v === 'string' ? (
                <>
                  {t('guide.answered', { answer: '' })}
                  {choice(id, v)}
                </>
              ) : (
                t('guide.answered', { answer: v === true ? t('guide.yes') : t('guide.no') })
              )}{' '}
              <button type="button" className="button-link" onClick={() => onAnswer(id, null)} data-testid="guide-unanswer">
                {t('guide.change')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function GuideProcedures({ procedures }: { procedures: GuideProcedureView[] }) {
  const counters = [...new Set(procedures.map((p) => p.counter))];
  return (
    <section aria-labelledby="guide-result" data-testid="guide-result">
      <h2 id="guide-result">{tx('guide.result')}</h2>
      {procedures.length === 0 && <p>{tx('guide.result.none')}</p>}
      {counters.map((counter) => {
        const here = procedures.filter((p) => p.counter === counter);
        return (
          <div key={counter} className="guide-counter">
            <h3>
              <FallbackText text={counter} japanese={isJapanese(here[0], 'counter')} />
              {here[0]?.department && (
                <>
                  {' '}
                  (<FallbackText text={here[0].department} japanese={isJapanese(here[0], 'department')} />)
                </>
              )}
            </h3>
            <ul>
              {here.map((p) => (
                <li key={p.code} data-testid="guide-procedure" data-code={p.code}>
                  <strong>
                    <FallbackText text={p.name} japanese={isJapanese(p, 'name')} />
                  </strong>
                  <span className="guide-where">{p.on_the_spot ? tx('guide.result.onTheSpot') : tx('guide.result.referred')}</span>
                  {p.explanation && (
                    <p>
                      <FallbackText text={p.explanation} japanese={isJapanese(p, 'explanation')} />
                    </p>
                  )}
                  {p.reasons.length > 0 && (
                    <p>
                      {t('guide.result.why', { reasons: '' })}
                      <FallbackText text={reasonsText(p)} japanese={isJapanese(p, 'reasons')} />
                    </p>
                  )}
                  {p.bring.length > 0 && (
                    <p>
                      {t('guide.result.bring', { items: '' })}
                      <FallbackText text={p.bring.join(listSeparator())} japanese={isJapanese(p, 'bring')} />
                    </p>
                  )}
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </section>
  );
}

/** Whether the server left `field` of a procedure or question in Japanese (no translation). */
function isJapanese(view: { japanese?: string[] } | undefined, field: string): boolean {
  return view?.japanese?.includes(field) ?? false;
}

/** Items of a list joined as the page's language writes them. */
function listSeparator(): string {
  return t('guide.result.separator');
}

/** The rules' reasons as one text: joined as Japanese sentences while one is left in Japanese (the whole
 * text is then marked), else with the language's separator. */
function reasonsText(p: GuideProcedureView): string {
  return p.reasons.join(isJapanese(p, 'reasons') ? '。' : t('guide.result.reasonSeparator'));
}
