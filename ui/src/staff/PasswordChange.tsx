import { useState, type FormEvent } from 'react';
import { errorMessage, useBackend } from '../backend';
import { t } from '../i18n';

export const PASSWORD_PATH = '/staff/password';

/**
 * パスワードの変更: the user's own new password, required first when an administrator set a temporary
 * one (`required`). The server ends the sessions on a change, so the user logs in again with it.
 */
export function PasswordChange({ required, onDone }: { required: boolean; onDone: () => void }) {
  const backend = useBackend();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [changed, setChanged] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    if (next !== again) {
      setProblem(t('password.mismatch'));
      return;
    }
    setBusy(true);
    try {
      await backend.changePassword({ current_password: current, new_password: next });
      setChanged(true);
    } catch (err) {
      setProblem(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  if (changed) {
    return (
      <section className="page-narrow" aria-labelledby="password-title" data-testid="password-changed">
        <h1 id="password-title">{t('password.title')}</h1>
        <p role="status">{t('password.done')}</p>
        <button type="button" className="button button-primary" onClick={onDone} data-testid="password-to-login">
          {t('password.toLogin')}
        </button>
      </section>
    );
  }
  return (
    <form className="form page-narrow" onSubmit={submit} aria-labelledby="password-title" data-testid="password-change">
      <h1 id="password-title">{t('password.title')}</h1>
      {required && (
        <p className="notice-strong" role="alert">
          {t('password.required')}
        </p>
      )}
      <div className="field">
        <label htmlFor="password-current">{t('password.current')}</label>
        <input
          id="password-current"
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="password-new">{t('password.new')}</label>
        <input
          id="password-new"
          type="password"
          autoComplete="new-password"
          required
          minLength={12}
          value={next}
          onChange={(e) => setNext(e.target.value)}
          aria-describedby="password-new-help"
        />
        <p className="hint" id="password-new-help">
          {t('password.newHelp')}
        </p>
      </div>
      <div className="field">
        <label htmlFor="password-again">{t('password.confirm')}</label>
        <input
          id="password-again"
          type="password"
          autoComplete="new-password"
          required
          value={again}
          onChange={(e) => setAgain(e.target.value)}
        />
      </div>
      {problem && (
        <div className="error-banner" role="alert" data-testid="password-error">
          {problem}
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy} data-testid="password-submit">
          {t('password.submit')}
        </button>
      </div>
    </form>
  );
}
