import { useEffect, useState } from 'react';
import type { Answer, QuestionView } from '../api/types';
import { useBackend } from '../backend';
import { FallbackText, getLocale, isJapanese, t } from '../i18n';
import { kioskEvaluateRequest, withProcedures, type KioskData } from './model';
import { evaluateIn } from './navigationLanguage';
import { ProcedureList } from './ProcedureList';
import { Screen } from '../selfservice/Screen';

// c. 手続きナビ: its questions one at a time with large はい / いいえ, asked again after every answer,
// then the procedures found. Without an answer from 手続きナビ the resident just goes on.

export function QuestionsStep({
  data,
  setData,
  onNext,
  onBack,
}: {
  data: KioskData;
  setData: (update: (d: KioskData) => KioskData) => void;
  onNext: () => void;
  onBack: () => void;
}) {
  const backend = useBackend();
  const [questions, setQuestions] = useState<QuestionView[]>([]);
  const [status, setStatus] = useState<'loading' | 'done' | 'unavailable'>('loading');
  /** Ids of the questions answered on this screen, oldest first (戻る takes back the last). */
  const [answered, setAnswered] = useState<string[]>([]);
  const language = getLocale();
  const key = JSON.stringify([data.event, data.answers, language]);

  useEffect(() => {
    let current = true;
    setStatus('loading');
    evaluateIn(backend, kioskEvaluateRequest(data), language)
      .then((r) => {
        if (!current) return;
        setQuestions(r.shown.next_questions);
        setData((d) => withProcedures(d, r.japanese.procedures, r.shown.procedures));
        setStatus('done');
      })
      .catch(() => {
        if (!current) return;
        setQuestions([]);
        setData((d) => ({ ...d, navigationUnavailable: true }));
        setStatus('unavailable');
      });
    return () => {
      current = false;
    };
    // Asked again when the answers change; the rest of `data` is not 手続きナビ's input yet.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [backend, key]);

  function answer(id: string, value: Answer) {
    setAnswered((a) => [...a, id]);
    setData((d) => ({ ...d, answers: { ...d.answers, [id]: value } }));
  }

  function back() {
    const last = answered[answered.length - 1];
    if (last === undefined) return onBack();
    setAnswered((a) => a.slice(0, -1));
    setData((d) => {
      const answers = { ...d.answers };
      delete answers[last];
      return { ...d, answers };
    });
  }

  const question = status === 'done' ? questions[0] : undefined;
  const finished = status === 'unavailable' || (status === 'done' && !question);

  return (
    <Screen
      title={finished && status === 'done' ? t('kiosk.procedures.heading') : t('kiosk.questions.heading')}
      onBack={back}
      onNext={finished ? onNext : undefined}
      nextTestId="questions-done"
      testId="kiosk-questions"
    >
      {!isJapanese(language) && <p className="kiosk-notice">{t('kiosk.questions.japaneseOnly')}</p>}
      {status === 'loading' && (
        <p className="kiosk-status" role="status">
          {t('kiosk.questions.loading')}
        </p>
      )}
      {question && (
        <div className="kiosk-question" data-testid="kiosk-question">
          <p className="kiosk-question-no">{t('kiosk.questions.progress', { n: answered.length + 1 })}</p>
          <p className="kiosk-question-text">
            <FallbackText text={question.text} japanese={question.japanese?.includes('text') ?? false} />
          </p>
          <div className="kiosk-answers">
            {question.kind === 'yes_no' ? (
              <>
                <button
                  type="button"
                  className="kiosk-button kiosk-answer"
                  onClick={() => answer(question.id, true)}
                  data-testid="answer-yes"
                >
                  {t('kiosk.questions.yes')}
                </button>
                <button
                  type="button"
                  className="kiosk-button kiosk-answer"
                  onClick={() => answer(question.id, false)}
                  data-testid="answer-no"
                >
                  {t('kiosk.questions.no')}
                </button>
              </>
            ) : (
              question.options.map((o, i) => (
                <button
                  key={o}
                  type="button"
                  className="kiosk-button kiosk-answer"
                  onClick={() => answer(question.id, o)}
                  data-testid={`answer-option-${i}`}
                >
                  <FallbackText text={question.option_labels?.[i] ?? o} japanese={question.japanese?.includes('options') ?? false} />
                </button>
              ))
            )}
          </div>
        </div>
      )}
      {status === 'unavailable' && (
        <p className="kiosk-notice" role="status" data-testid="navigation-unavailable">
          {t('kiosk.questions.unavailable')}
        </p>
      )}
      {finished && status === 'done' && <ProcedureList procedures={data.procedures} texts={data.procedureTexts} />}
    </Screen>
  );
}
