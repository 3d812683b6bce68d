import { useEffect, useState, type FormEvent } from 'react';
import type { MemoPhrases } from '../../../api/types';
import { errorMessage, useBackend } from '../../../backend';
import { t } from '../../../i18n';

/** 案件メモの定型文: one phrase per line, saved whole on the revision read. */
export function MemoPhrasesForm() {
  const backend = useBackend();
  const [read, setRead] = useState<MemoPhrases | null>(null);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  useEffect(() => {
    backend
      .memoPhrases()
      .then((p) => {
        setRead(p);
        setText(p.phrases.join('\n'));
      })
      .catch((e: unknown) => setProblem(errorMessage(e)));
  }, [backend]);

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!read) return;
    setProblem(null);
    setDone(false);
    try {
      const saved = await backend.saveMemoPhrases({ phrases: text.split('\n'), revision: read.revision });
      setRead(saved);
      setText(saved.phrases.join('\n'));
      setDone(true);
    } catch (err) {
      setProblem(errorMessage(err));
    }
  }

  return (
    <form className="form admin-panel" onSubmit={save} aria-labelledby="phrases-title" data-testid="memo-phrases">
      <h2 id="phrases-title">{t('phrases.title')}</h2>
      <p className="hint">{t('phrases.help')}</p>
      <div className="field">
        <label htmlFor="phrases-text">{t('phrases.label')}</label>
        <textarea id="phrases-text" rows={10} value={text} onChange={(e) => setText(e.target.value)} />
      </div>
      {problem && (
        <div className="error-banner" role="alert">
          {problem}
        </div>
      )}
      {done && (
        <p role="status" className="success">
          {t('phrases.saved')}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={!read} data-testid="phrases-save">
          {t('phrases.save')}
        </button>
      </div>
    </form>
  );
}
