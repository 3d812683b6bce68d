import { useEffect, useState, type FormEvent } from 'react';
import type { PreApplicationBody, ResidentView, TownView } from '../../api/types';
import { errorMessage, useBackend } from '../../backend';
import { newId } from '../../case/ids';
import { todayIso } from '../../case/today';
import { t } from '../../i18n';
import { navigate } from '../../router';
import { storeVisit } from '../visit/draftStore';
import { MemberMatch } from './MemberMatch';
import {
  currentAddressTyped,
  displayNumber,
  draftFromPreApplication,
  languageName,
  mayReadPreApplications,
  type PreApplicationSource,
} from './model';
import { takePreApplication } from './pending';
import { useCandidates } from './useCandidates';
import './preApplication.css';

/** Accepts `1234-5678`, spaces and full-width digits: 8 digits, else `null`. */
function typedNumber(text: string): string | null {
  const digits = text.normalize('NFKC').replace(/[\s\-‐－ー]/g, '');
  return /^\d{8}$/.test(digits) ? digits : null;
}

function Summary({ body, source, expires }: { body: PreApplicationBody; source: PreApplicationSource; expires?: string }) {
  const e = body.entries;
  const a = e.new_address;
  const rows: Array<[string, string | null | undefined]> = [
    [t('preApplication.event'), [e.event, e.detail].filter(Boolean).join('・')],
    [t('preApplication.eventDate'), e.event_date],
    [t('preApplication.language'), e.language ? languageName(e.language) : null],
    [t('preApplication.oldAddress'), e.old_address],
    [t('preApplication.newAddress'), a ? `${a.town}${a.banchi ?? ''} ${a.katagaki ?? ''}`.trim() : null],
    [t('preApplication.destination'), e.destination],
    [t('preApplication.phone'), e.phone],
    [t('preApplication.certificates'), (e.certificates ?? []).join('、')],
    [t('preApplication.expires'), expires],
  ];
  return (
    <section className="panel" aria-labelledby="pre-summary-title" data-testid="pre-summary">
      <h2 id="pre-summary-title">{t('preApplication.summary')}</h2>
      <p role="status">
        {source.kind === 'qr'
          ? t('preApplication.source.qr')
          : t('preApplication.source.number', { number: displayNumber(source.number) })}
      </p>
      <dl className="pre-summary">
        {rows
          .filter(([, v]) => v)
          .map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
      </dl>
    </section>
  );
}

/**
 * 事前申請の読み取り (`#/staff/pre-application`): a resident's 事前申請 — scanned as a QR code anywhere in
 * the staff app (handed over by `QrScanner`) or loaded by its 受付番号 here — matched person by person
 * with the 住民記録 (differences marked), then opened as a new visit pre-filled with the household,
 * the event, 手続きナビ's answers and the addresses.
 */
export function PreApplicationPage({ permissions }: { permissions: readonly string[] }) {
  const backend = useBackend();
  const [loaded, setLoaded] = useState<{ body: PreApplicationBody; source: PreApplicationSource; expires?: string } | null>(
    () => {
      const scanned = takePreApplication();
      return scanned ? { body: scanned, source: { kind: 'qr' } } : null;
    },
  );
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [picks, setPicks] = useState<string[]>([]);
  const [towns, setTowns] = useState<TownView[]>([]);
  const body = loaded?.body ?? null;
  const candidates = useCandidates(backend, body);

  useEffect(() => {
    backend.towns().then(setTowns, () => setTowns([]));
  }, [backend]);

  // A single candidate is picked for the staff; several, or none, wait for their choice.
  useEffect(() => {
    setPicks(candidates.lists.map((l) => (l && l.length === 1 ? (l[0]?.atena_no ?? '') : '')));
  }, [candidates.lists]);

  if (!mayReadPreApplications(permissions)) {
    return <p role="alert">{t('preApplication.forbidden')}</p>;
  }

  async function loadNumber(ev: FormEvent) {
    ev.preventDefault();
    setError(null);
    const number = typedNumber(typed);
    if (!number) {
      setError(t('preApplication.number.invalid'));
      return;
    }
    try {
      const v = await backend.preApplication(number);
      setLoaded({ body: v.body, source: { kind: 'number', number: v.number }, expires: v.expires });
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  function start() {
    if (!loaded) return;
    const chosen = loaded.body.entries.members.map((_, i): ResidentView | null => {
      const atena = picks[i];
      return candidates.lists[i]?.find((r) => r.atena_no === atena) ?? null;
    });
    const draft = draftFromPreApplication(loaded.body, chosen, loaded.source, newId('case'), todayIso(), towns);
    // The visit opens on its 届出 step with this draft (it reads the tab's stored visit as it opens).
    storeVisit({ draft, step: 2 });
    navigate('/staff/visit');
  }

  const typedAddress = body ? currentAddressTyped(body) : undefined;
  return (
    <div className="pre-application" data-testid="pre-application-page">
      <h1>{t('preApplication.heading')}</h1>
      <p>{t('preApplication.intro')}</p>
      <form className="pre-number" onSubmit={loadNumber}>
        <label htmlFor="pre-number-input">{t('preApplication.number.label')}</label>
        <input
          id="pre-number-input"
          data-testid="pre-number-input"
          inputMode="numeric"
          autoComplete="off"
          placeholder={t('preApplication.number.placeholder')}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
        />
        <button type="submit" className="button" data-testid="pre-number-submit">
          {t('preApplication.number.submit')}
        </button>
      </form>
      {error && (
        <div className="error-banner" role="alert" data-testid="pre-error">
          {error}
        </div>
      )}
      {!loaded && <p>{t('preApplication.empty')}</p>}
      {loaded && body && (
        <>
          <Summary body={body} source={loaded.source} expires={loaded.expires} />
          <section className="panel" aria-labelledby="pre-members-title">
            <h2 id="pre-members-title">{t('preApplication.members')}</h2>
            <p>{t('preApplication.membersHelp')}</p>
            {candidates.error && (
              <div className="error-banner" role="alert">
                {candidates.error}
              </div>
            )}
            {body.entries.members.map((m, i) => (
              <MemberMatch
                key={i}
                index={i}
                member={m}
                candidates={candidates.lists[i] ?? null}
                typedAddress={typedAddress}
                picked={picks[i] ?? ''}
                onPick={(atena) => setPicks((p) => p.map((x, j) => (j === i ? atena : x)))}
              />
            ))}
          </section>
          <p>{t('preApplication.startHelp')}</p>
          <div className="pre-actions">
            <button type="button" className="button" onClick={start} data-testid="pre-start">
              {t('preApplication.start')}
            </button>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                setLoaded(null);
                setTyped('');
              }}
            >
              {t('preApplication.clear')}
            </button>
          </div>
        </>
      )}
    </div>
  );
}
