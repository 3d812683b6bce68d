import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { CounterView, SessionUser } from '../api/types';
import { BackendError, errorMessage, useBackend } from '../backend';
import { t } from '../i18n';

/** How long the tenant field must stay unchanged before its counters are loaded. */
const TENANT_DEBOUNCE_MS = 250;

/** What a desktop terminal knows before anyone logs in (from its `terminal_info`). */
export interface LoginPreset {
  tenant: string;
  /** The counter to preselect, when it is one of the tenant's. */
  counter: string | null;
  /** The terminal's id (its configuration's `terminal_id`). */
  terminal: string;
  /** What an administrator registers to enroll the terminal; shown when the server does not know it. */
  enrollmentCode: string;
}

/** Refusals after which the terminal's enrollment code is what the administrator needs. */
const ENROLLMENT_REFUSALS = ['terminal_not_enrolled', 'terminal_proof_invalid', 'counter_not_on_terminal'];

export function Login({ onLoggedIn, preset }: { onLoggedIn: (user: SessionUser) => void; preset?: LoginPreset }) {
  const backend = useBackend();
  const ids = useId();
  const [tenant, setTenant] = useState(preset?.tenant || 'demo');
  const [counters, setCounters] = useState<CounterView[]>([]);
  const [countersLoading, setCountersLoading] = useState(false);
  const [counter, setCounter] = useState('');
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [showEnrollment, setShowEnrollment] = useState(false);
  const [countersError, setCountersError] = useState<string | null>(null);
  const firstLoad = useRef(true);

  // (Re)load the counters whenever the tenant changes; answers for an older tenant are dropped.
  useEffect(() => {
    const wanted = tenant.trim();
    setCounters([]);
    setCountersError(null);
    if (!wanted) {
      setCountersLoading(false);
      return;
    }
    let current = true;
    setCountersLoading(true);
    const timer = setTimeout(() => {
      backend
        .counters(wanted)
        .then((list) => {
          if (!current) return;
          setCounters(list);
          setCounter((chosen) => {
            if (list.some((c) => c.code === chosen)) return chosen;
            if (preset?.counter && list.some((c) => c.code === preset.counter)) return preset.counter;
            return list[0]?.code ?? '';
          });
        })
        .catch((e: unknown) => current && setCountersError(errorMessage(e)))
        .finally(() => current && setCountersLoading(false));
    }, firstLoad.current ? 0 : TENANT_DEBOUNCE_MS); // the default tenant's counters at once
    firstLoad.current = false;
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // The preset is fixed for the terminal; reloading follows the tenant.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [backend, tenant]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (submitting) return;
    setSubmitting(true);
    setError(null);
    setShowEnrollment(false);
    try {
      const res = await backend.login({
        tenant: tenant.trim(),
        counter,
        user: user.trim(),
        password,
      });
      onLoggedIn(res.user);
    } catch (e) {
      setError(errorMessage(e)); // the typed values stay as they are
      setShowEnrollment(e instanceof BackendError && ENROLLMENT_REFUSALS.includes(e.code));
      setSubmitting(false);
    }
  }

  // Enter in the counter select submits too (browsers only do it for text fields).
  function onKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    if (event.key === 'Enter' && event.target instanceof HTMLSelectElement) {
      event.preventDefault();
      event.currentTarget.requestSubmit();
    }
  }

  return (
    <main className="page page-narrow">
      <h1>{t('login.title')}</h1>
      {(error ?? countersError) && (
        <div className="error-banner" role="alert" data-testid="login-error">
          {error ?? countersError}
        </div>
      )}
      {showEnrollment && preset && (
        <section className="notice" data-testid="enrollment-code" aria-label={t('login.enrollment.title')}>
          <h2>{t('login.enrollment.title')}</h2>
          <p>{t('login.enrollment.explain')}</p>
          <dl className="enrollment">
            <dt>{t('login.enrollment.terminal')}</dt>
            <dd>
              <code>{preset.terminal}</code>
            </dd>
            <dt>{t('login.enrollment.code')}</dt>
            <dd>
              <code className="enrollment-code">{preset.enrollmentCode}</code>
            </dd>
          </dl>
        </section>
      )}
      <form className="form" onSubmit={submit} onKeyDown={onKeyDown} data-testid="login-form" noValidate>
        <div className="field">
          <label htmlFor={`${ids}-tenant`}>{t('login.tenant')}</label>
          <input
            id={`${ids}-tenant`}
            name="tenant"
            value={tenant}
            onChange={(e) => setTenant(e.target.value)}
            autoComplete="organization"
            required
          />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-counter`}>{t('login.counter')}</label>
          <select
            id={`${ids}-counter`}
            name="counter"
            value={counter}
            onChange={(e) => setCounter(e.target.value)}
            disabled={counters.length === 0}
            aria-busy={countersLoading}
            required
          >
            {counters.length === 0 && (
              <option value="">{countersLoading ? t('login.counterLoading') : t('login.counterNone')}</option>
            )}
            {counters.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-user`}>{t('login.user')}</label>
          <input
            id={`${ids}-user`}
            name="user"
            value={user}
            onChange={(e) => setUser(e.target.value)}
            autoComplete="username"
            autoFocus
            required
          />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-password`}>{t('login.password')}</label>
          <input
            id={`${ids}-password`}
            name="password"
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
            required
          />
        </div>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={submitting}>
            {submitting ? t('login.submitting') : t('login.submit')}
          </button>
          <span className="hint">
            <kbd>Enter</kbd> {t('login.hintEnter')}
          </span>
        </div>
      </form>
    </main>
  );
}
