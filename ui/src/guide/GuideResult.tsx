import type { Answer, GuideProcedureView, QuestionView } from '../api/types';
import { t } from '../i18n';

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
  const text = (id: string) => answeredQuestions.find((q) => q.id === id)?.text ?? id;
  return (
    <section aria-labelledby="guide-questions" data-testid="guide-questions">
      <h2 id="guide-questions">{t('guide.questions')}</h2>
      {questions.length === 0 && answered.length === 0 && <p>{t('guide.questions.none')}</p>}
      {questions.map((q) => (
        <fieldset key={q.id} className="guide-question" data-testid="guide-question" data-question={q.id}>
          <legend>{q.text}</legend>
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
            q.options.map((o) => (
              <button key={o} type="button" className="button" onClick={() => onAnswer(q.id, o)} data-testid="guide-option">
                {o}
              </button>
            ))
          )}
        </fieldset>
      ))}
      {answered.length > 0 && (
        <ul className="guide-answers" data-testid="guide-answers">
          {answered.map(([id, v]) => (
            <li key={id}>
              {text(id)}：{t('guide.answered', { answer: v === true ? t('guide.yes') : v === false ? t('guide.no') : String(v) })}{' '}
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
      <h2 id="guide-result">{t('guide.result')}</h2>
      {procedures.length === 0 && <p>{t('guide.result.none')}</p>}
      {counters.map((counter) => {
        const here = procedures.filter((p) => p.counter === counter);
        return (
          <div key={counter} className="guide-counter">
            <h3>{t('guide.result.counter', { counter, department: here[0]?.department ?? '' })}</h3>
            <ul>
              {here.map((p) => (
                <li key={p.code} data-testid="guide-procedure" data-code={p.code}>
                  <strong>{p.name}</strong>
                  <span className="guide-where">{p.on_the_spot ? t('guide.result.onTheSpot') : t('guide.result.referred')}</span>
                  {p.explanation && <p>{p.explanation}</p>}
                  {p.reasons.length > 0 && <p>{t('guide.result.why', { reasons: p.reasons.join('。') })}</p>}
                  {p.bring.length > 0 && <p>{t('guide.result.bring', { items: p.bring.join('、') })}</p>}
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </section>
  );
}
