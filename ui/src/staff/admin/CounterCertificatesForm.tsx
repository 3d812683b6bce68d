import { useEffect, useState, type FormEvent } from 'react';
import type { CounterCertificatesView } from '../../api/types';
import { errorMessage, useBackend } from '../../backend';
import { t } from '../../i18n';

// 窓口ごとに発行する証明書 (on the 証明書の設定 page, admins): a table of the counters that take
// certificate requests × the certificates of the fee table. A counter's certificate step offers only
// what is ticked on its row, and the server refuses to issue the rest there. A row with everything
// ticked is not restricted (it also issues certificates the fee table gains later).

/** Per counter code, the items ticked (in the fee table's order). */
type Ticks = Record<string, string[]>;

function ticksOf(view: CounterCertificatesView): Ticks {
  return Object.fromEntries(view.counters.map((c) => [c.code, c.items]));
}

export function CounterCertificatesForm() {
  const backend = useBackend();
  const [view, setView] = useState<CounterCertificatesView | null>(null);
  const [ticks, setTicks] = useState<Ticks>({});
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    backend
      .counterCertificates()
      .then((v) => {
        setView(v);
        setTicks(ticksOf(v));
      })
      .catch((e: unknown) => setProblem(errorMessage(e)));
  }, [backend]);

  if (!view) return problem ? <div className="error-banner" role="alert">{problem}</div> : null;

  const codes = view.items.map((i) => i.code);
  const toggle = (counter: string, item: string) => {
    const now = ticks[counter] ?? [];
    const next = now.includes(item) ? now.filter((i) => i !== item) : codes.filter((c) => c === item || now.includes(c));
    setTicks({ ...ticks, [counter]: next });
    setDone(null);
  };
  const summary = (counter: string) => {
    const n = (ticks[counter] ?? []).length;
    if (n === codes.length) return t('counterCerts.all');
    return n === 0 ? t('counterCerts.none') : t('counterCerts.some', { count: n });
  };

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!view || busy) return;
    setBusy(true);
    setProblem(null);
    setDone(null);
    try {
      const saved = await backend.saveCounterCertificates({
        counters: view.counters.map((c) => ({ code: c.code, items: ticks[c.code] ?? [] })),
      });
      setView(saved);
      setTicks(ticksOf(saved));
      setDone(t('counterCerts.saved'));
    } catch (err) {
      setProblem(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form panel" onSubmit={save} aria-labelledby="counter-certs-title" data-testid="counter-certs">
      <h2 id="counter-certs-title">{t('counterCerts.title')}</h2>
      <p className="muted">{t('counterCerts.help')}</p>
      {view.counters.length === 0 ? (
        <p data-testid="counter-certs-empty">{t('counterCerts.empty')}</p>
      ) : (
        <div className="table-scroll">
          <table className="table counter-certs">
            <thead>
              <tr>
                <th scope="col">{t('counterCerts.counter')}</th>
                {view.items.map((i) => (
                  <th scope="col" key={i.code}>
                    {i.name}
                  </th>
                ))}
                <th scope="col">{t('counterCerts.summary')}</th>
              </tr>
            </thead>
            <tbody>
              {view.counters.map((c) => (
                <tr key={c.code} data-testid={`counter-certs-row-${c.code}`}>
                  <th scope="row">
                    {c.name} <small className="muted">（{c.code}）</small>
                  </th>
                  {view.items.map((i) => (
                    <td key={i.code}>
                      <input
                        type="checkbox"
                        checked={(ticks[c.code] ?? []).includes(i.code)}
                        onChange={() => toggle(c.code, i.code)}
                        aria-label={t('counterCerts.tick', { counter: c.name, item: i.name })}
                        data-testid={`counter-certs-${c.code}-${i.code}`}
                      />
                    </td>
                  ))}
                  <td data-testid={`counter-certs-summary-${c.code}`}>{summary(c.code)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {problem && (
        <div className="error-banner" role="alert" data-testid="counter-certs-problem">
          {problem}
        </div>
      )}
      {done && (
        <p className="notice" role="status" data-testid="counter-certs-done">
          {done}
        </p>
      )}
      {view.counters.length > 0 && (
        <button type="submit" className="button button-primary" disabled={busy} data-testid="counter-certs-save">
          {t('counterCerts.save')}
        </button>
      )}
    </form>
  );
}
