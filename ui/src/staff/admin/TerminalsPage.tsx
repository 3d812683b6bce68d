import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import type { CounterAccessView, TerminalsView, TerminalView } from '../../api/types';
import { errorMessage, useBackend } from '../../backend';
import { formatWarekiDateTime, t } from '../../i18n';
import { DeviceSummary } from './DeviceSummary';

/** Whether a user may enroll terminals and set the counters' browser logins (admins only). */
export function mayManageTerminals(permissions: string[]): boolean {
  return permissions.includes('admin');
}

function counterNames(codes: string[], counters: CounterAccessView[]): string {
  return codes.map((code) => counters.find((c) => c.code === code)?.name ?? code).join('、');
}

function TerminalRow({
  terminal,
  counters,
  onRemove,
}: {
  terminal: TerminalView;
  counters: CounterAccessView[];
  onRemove: (id: string) => Promise<void>;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  async function remove() {
    setBusy(true);
    await onRemove(terminal.id);
    setBusy(false);
    setAsking(false);
  }
  return (
    <tr data-testid={`terminal-${terminal.id}`}>
      <td>
        <code>{terminal.id}</code>
      </td>
      <td>{terminal.name}</td>
      <td>{counterNames(terminal.counters, counters)}</td>
      <td>
        <code>{terminal.code_start} …</code>
      </td>
      <td>
        {formatWarekiDateTime(terminal.registered_at)}（{terminal.registered_by}）
      </td>
      <td>
        <DeviceSummary devices={terminal.devices} testId={`terminal-devices-${terminal.id}`} />
      </td>
      <td>
        {asking ? (
          <span role="group" aria-label={t('terminals.removeQuestion', { id: terminal.id })}>
            {t('terminals.removeQuestion', { id: terminal.id })}{' '}
            <button type="button" className="button button-primary button-small" onClick={remove} disabled={busy}>
              {t('terminals.removeYes')}
            </button>{' '}
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => setAsking(false)}
              disabled={busy}
            >
              {t('terminals.removeNo')}
            </button>
          </span>
        ) : (
          <button type="button" className="button button-secondary button-small" onClick={() => setAsking(true)}>
            {t('terminals.remove')}
          </button>
        )}
      </td>
    </tr>
  );
}

function EnrollForm({ counters, onEnrolled }: { counters: CounterAccessView[]; onEnrolled: (t: TerminalView) => void }) {
  const backend = useBackend();
  const ids = useId();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [code, setCode] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const enrolled = await backend.enrollTerminal(id.trim(), { name, enrollment_code: code, counters: chosen });
      setId('');
      setName('');
      setCode('');
      setChosen([]);
      onEnrolled(enrolled);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  function toggle(counter: string, on: boolean) {
    setChosen((list) => (on ? [...list, counter] : list.filter((c) => c !== counter)));
  }

  return (
    <form className="form panel" onSubmit={submit} data-testid="terminal-enroll-form" noValidate>
      <h2>{t('terminals.enrollTitle')}</h2>
      <p className="notice">{t('terminals.enrollHelp')}</p>
      {error && (
        <div className="error-banner" role="alert" data-testid="terminal-enroll-error">
          {error}
        </div>
      )}
      <div className="field">
        <label htmlFor={`${ids}-id`}>{t('terminals.id')}</label>
        <input id={`${ids}-id`} name="terminal-id" value={id} onChange={(e) => setId(e.target.value)} required />
      </div>
      <div className="field">
        <label htmlFor={`${ids}-name`}>{t('terminals.name')}</label>
        <input id={`${ids}-name`} name="terminal-name" value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${ids}-code`}>{t('terminals.code')}</label>
        <textarea
          id={`${ids}-code`}
          name="enrollment-code"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          rows={2}
          spellCheck={false}
          autoCapitalize="characters"
          required
        />
      </div>
      <fieldset className="field">
        <legend>{t('terminals.counters')}</legend>
        {counters.map((c) => (
          <label key={c.code} className="choice">
            <input
              type="checkbox"
              name="counter"
              value={c.code}
              checked={chosen.includes(c.code)}
              onChange={(e) => toggle(c.code, e.target.checked)}
            />{' '}
            {c.name}
          </label>
        ))}
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy} data-testid="terminal-enroll">
          {busy ? t('terminals.enrolling') : t('terminals.enroll')}
        </button>
      </div>
    </form>
  );
}

function BrowserCounters({
  counters,
  onChange,
}: {
  counters: CounterAccessView[];
  onChange: (code: string, allowed: boolean) => Promise<void>;
}) {
  return (
    <section className="panel" aria-labelledby="browser-counters-title">
      <h2 id="browser-counters-title">{t('terminals.browserTitle')}</h2>
      <p className="notice">{t('terminals.browserHelp')}</p>
      <ul className="choice-list">
        {counters.map((c) => (
          <li key={c.code}>
            <label className="choice">
              <input
                type="checkbox"
                checked={c.browser_allowed}
                onChange={(e) => void onChange(c.code, e.target.checked)}
                data-testid={`browser-${c.code}`}
              />{' '}
              {t('terminals.browserAllowed', { counter: c.name })}
            </label>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** 端末登録: which terminals may log in at which counters, and which counters take browsers (admins). */
export function TerminalsPage({ permissions }: { permissions: string[] }) {
  const backend = useBackend();
  const [view, setView] = useState<TerminalsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const allowed = mayManageTerminals(permissions);

  const reload = useCallback(() => {
    backend
      .terminals()
      .then(setView)
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [backend]);

  useEffect(() => {
    if (allowed) reload();
  }, [allowed, reload]);

  if (!allowed) {
    return (
      <main className="page">
        <h1>{t('terminals.title')}</h1>
        <p role="alert">{t('terminals.adminOnly')}</p>
      </main>
    );
  }

  async function act(action: () => Promise<unknown>, message: string) {
    setError(null);
    setDone(null);
    try {
      await action();
      setDone(message);
    } catch (e) {
      setError(errorMessage(e));
    }
    reload();
  }

  return (
    <main className="page">
      <h1>{t('terminals.title')}</h1>
      <p>{t('terminals.lead')}</p>
      {error && (
        <div className="error-banner" role="alert">
          {error}
        </div>
      )}
      {done && (
        <p className="notice" role="status" data-testid="terminals-done">
          {done}
        </p>
      )}
      {!view ? (
        !error && <p aria-busy="true">{t('app.loading')}</p>
      ) : (
        <>
          <section className="panel" aria-labelledby="terminals-list-title">
            <h2 id="terminals-list-title">{t('terminals.listTitle')}</h2>
            {view.terminals.length === 0 ? (
              <p data-testid="terminals-none">{t('terminals.none')}</p>
            ) : (
              <table className="table" data-testid="terminals-table">
                <thead>
                  <tr>
                    <th>{t('terminals.id')}</th>
                    <th>{t('terminals.name')}</th>
                    <th>{t('terminals.counters')}</th>
                    <th>{t('terminals.codeStart')}</th>
                    <th>{t('terminals.registered')}</th>
                    <th>{t('terminals.devices')}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {view.terminals.map((terminal) => (
                    <TerminalRow
                      key={terminal.id}
                      terminal={terminal}
                      counters={view.counters}
                      onRemove={(id) => act(() => backend.removeTerminal(id), t('terminals.removed', { id }))}
                    />
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <EnrollForm
            counters={view.counters}
            onEnrolled={(enrolled) => {
              setError(null);
              setDone(t('terminals.enrolled', { id: enrolled.id }));
              reload();
            }}
          />
          <BrowserCounters
            counters={view.counters}
            onChange={(code, on) => {
              const counter = view.counters.find((c) => c.code === code)?.name ?? code;
              // Shown at once; the reload after the answer puts back what the server holds.
              setView((v) =>
                v && { ...v, counters: v.counters.map((c) => (c.code === code ? { ...c, browser_allowed: on } : c)) },
              );
              return act(
                () => backend.setCounterBrowser(code, on),
                on ? t('terminals.browserOn', { counter }) : t('terminals.browserOff', { counter }),
              );
            }}
          />
        </>
      )}
    </main>
  );
}
