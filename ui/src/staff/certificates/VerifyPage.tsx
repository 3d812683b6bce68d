import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { CertificateVerification, IssuedCertificate } from '../../api/types';
import { errorMessage, useBackend } from '../../backend';
import { formatWareki, formatWarekiDateTime, t, type MessageKey } from '../../i18n';
import { takeCertificateScan } from './pendingScan';

export { VERIFY_PATH } from './pendingScan';

// 証明書の確認 (`#/staff/verify`): a certificate's verification QR, read by a keyboard-wedge scanner
// into the field (Enter checks it) or — desktop app — by the serial scanner, checked by the server:
// 有効 / 改ざんの疑い / 失効 / 本市発行のQRではない, with what the certificate says (never an
// address). A valid certificate can be revoked here, for a reason.

/** Whether a session may revoke certificates (and sees the page in the navigation). */
export function mayRevokeCertificates(permissions: readonly string[]): boolean {
  return permissions.includes('issue_certificates');
}

/** The states the server answers, with their label. */
const STATE_LABELS: Readonly<Record<string, MessageKey>> = {
  valid: 'verify.state.valid',
  altered: 'verify.state.altered',
  revoked: 'verify.state.revoked',
  not_ours: 'verify.state.not_ours',
};

/** Dates as the server sends them (ISO, several joined by 、 for a household) in 和暦. */
function warekiList(dates: string): string {
  return dates
    .split('、')
    .map((d) => formatWareki(d))
    .join('、');
}

export function VerifyPage({ permissions = [], tenant }: { permissions?: readonly string[]; tenant?: string }) {
  const backend = useBackend();
  const counterNames = useCounterNames(tenant);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [result, setResult] = useState<CertificateVerification | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  // A code scanned elsewhere (the visit's search field) and handed over: checked as the page opens.
  const verifyRef = useRef(verify);
  verifyRef.current = verify;
  useEffect(() => {
    inputRef.current?.focus();
    const handedOver = takeCertificateScan();
    if (handedOver) void verifyRef.current(handedOver);
  }, []);

  async function verify(symbols: string[]) {
    const scanned = symbols.map((s) => s.trim()).filter(Boolean);
    if (scanned.length === 0) {
      setProblem(t('verify.empty'));
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      setResult(await backend.verifyCertificate(scanned));
      setText(''); // ready for the next scan
    } catch (e) {
      setResult(null);
      setProblem(errorMessage(e));
    } finally {
      setBusy(false);
      inputRef.current?.focus();
    }
  }

  // Desktop app: a line the serial scanner reads on this page is checked here (the layout's own
  // handler leaves it alone on this route).
  useEffect(() => {
    const terminal = backend.terminal;
    if (!terminal) return;
    return terminal.onQrScanned((line) => {
      if (line.trim()) void verifyRef.current([line]);
    });
  }, [backend]);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!busy) void verify([text]);
  }

  return (
    <section className="verify" aria-labelledby="verify-title" data-testid="verify-page">
      <h1 id="verify-title">{t('verify.title')}</h1>
      <p className="notice">{t('verify.help')}</p>
      <form className="form-grid" onSubmit={onSubmit}>
        <div className="field verify-field">
          <label htmlFor="verify-input">{t('verify.input')}</label>
          <input
            id="verify-input"
            ref={inputRef}
            value={text}
            onChange={(e) => setText(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            data-testid="verify-input"
          />
        </div>
        <button type="submit" className="button button-primary" disabled={busy} data-testid="verify-submit">
          {busy ? t('verify.checking') : t('verify.submit')}
        </button>
      </form>
      {problem && (
        <div className="error-banner" role="alert" data-testid="verify-error">
          {problem}
        </div>
      )}
      {result && (
        <VerifyResult
          key={`${result.state}-${result.certificate?.issue_no ?? ''}`}
          result={result}
          mayRevoke={mayRevokeCertificates(permissions)}
          counterNames={counterNames}
          onRevoked={(certificate) =>
            setResult({
              state: 'revoked',
              message: t('verify.revoked', { issueNo: certificate.issue_no }),
              certificate,
            })
          }
        />
      )}
    </section>
  );
}

/** The names of the tenant's counters by code (empty until loaded, or when they cannot be). */
function useCounterNames(tenant: string | undefined): ReadonlyMap<string, string> {
  const backend = useBackend();
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    if (!tenant) return;
    let current = true;
    backend
      .counters(tenant)
      .then((counters) => current && setNames(new Map(counters.map((c) => [c.code, c.name]))))
      .catch(() => undefined); // the code is shown instead
    return () => {
      current = false;
    };
  }, [backend, tenant]);
  return names;
}

function VerifyResult({
  result,
  mayRevoke,
  counterNames,
  onRevoked,
}: {
  result: CertificateVerification;
  mayRevoke: boolean;
  /** 発行場所: the counter's name for its code. */
  counterNames: ReadonlyMap<string, string>;
  onRevoked: (certificate: IssuedCertificate) => void;
}) {
  const c = result.certificate ?? null;
  const label = STATE_LABELS[result.state];
  return (
    <section className="verify-result" aria-label={t('verify.summary')} data-testid="verify-result">
      <div
        className={`verify-state verify-state-${label ? result.state : 'not_ours'}`}
        role="status"
        data-state={result.state}
        data-testid="verify-state"
      >
        {label ? t(label) : result.message}
      </div>
      <p className="verify-message" data-testid="verify-message">
        {result.message}
      </p>
      {c && (
        <dl className="summary" data-testid="verify-summary">
          <dt>{t('verify.issueNo')}</dt>
          <dd data-testid="verify-issue-no">{c.issue_no}</dd>
          <dt>{t('verify.certificateTitle')}</dt>
          <dd>{c.title}</dd>
          <dt>{t('verify.name')}</dt>
          <dd data-testid="verify-name">{c.name}</dd>
          <dt>{t('verify.birth')}</dt>
          <dd>{warekiList(c.birth)}</dd>
          <dt>{t('verify.issuedAt')}</dt>
          <dd data-testid="verify-issued-at">{formatWarekiDateTime(c.issued_at)}</dd>
          <dt>{t('verify.place')}</dt>
          <dd data-testid="verify-place">{counterNames.get(c.counter) ?? c.counter}</dd>
          <dt>{t('verify.issuedBy')}</dt>
          <dd>{c.issued_by}</dd>
          {c.revoked_at && (
            <>
              <dt>{t('verify.revokedAt')}</dt>
              <dd data-testid="verify-revoked-at">{formatWarekiDateTime(c.revoked_at)}</dd>
              <dt>{t('verify.revokeReason')}</dt>
              <dd data-testid="verify-revoke-reason">{c.revoke_reason ?? ''}</dd>
            </>
          )}
        </dl>
      )}
      {c && result.state === 'valid' && mayRevoke && <Revoke certificate={c} onRevoked={onRevoked} />}
    </section>
  );
}

function Revoke({
  certificate,
  onRevoked,
}: {
  certificate: IssuedCertificate;
  onRevoked: (certificate: IssuedCertificate) => void;
}) {
  const backend = useBackend();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const reasonRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (asking) reasonRef.current?.focus();
  }, [asking]);

  async function revoke(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const why = reason.trim();
    if (!why) {
      setProblem(t('verify.revokeReasonRequired'));
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      onRevoked(await backend.revokeCertificate(certificate.issue_no, why));
    } catch (error) {
      setProblem(errorMessage(error));
      setBusy(false);
    }
  }

  if (!asking) {
    return (
      <div className="form-actions">
        <button
          type="button"
          className="button button-secondary"
          onClick={() => setAsking(true)}
          data-testid="revoke-open"
        >
          {t('verify.revoke')}
        </button>
      </div>
    );
  }
  return (
    <form className="verify-revoke" onSubmit={revoke} data-testid="revoke-form">
      {problem && (
        <div className="error-banner" role="alert" data-testid="revoke-error">
          {problem}
        </div>
      )}
      <div className="field">
        <label htmlFor="revoke-reason">{t('verify.revokeReasonLabel')}</label>
        <input
          id="revoke-reason"
          ref={reasonRef}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-required="true"
          data-testid="revoke-reason"
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy} data-testid="revoke-confirm">
          {busy ? t('verify.revoking') : t('verify.revokeConfirm')}
        </button>
        <button
          type="button"
          className="button button-secondary"
          disabled={busy}
          onClick={() => {
            setAsking(false);
            setReason('');
            setProblem(null);
          }}
          data-testid="revoke-cancel"
        >
          {t('verify.revokeCancel')}
        </button>
      </div>
    </form>
  );
}
