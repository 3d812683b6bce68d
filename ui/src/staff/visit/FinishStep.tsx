import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { CaseView } from '../../api/types';
import { BackendError, errorMessage, useBackend } from '../../backend';
import { newId } from '../../case/ids';
import { SignaturePad } from '../../components/SignaturePad';
import { t } from '../../i18n';
import { printOnTerminal } from '../printing';
import { ISSUED_HERE } from './CertificatesStep';
import { draftFromCase, type Draft } from './model';
import { useLoaded } from './useLoaded';

// 6. 保存・印刷: status, memo with boilerplate phrases, save, print preview of every form, and —
// for a session that may (`issue_certificates`) — the 住民票の写し of the case issued (F8).

/** Whether a session may issue certificates at this counter. */
export function mayIssueCertificates(permissions: readonly string[]): boolean {
  return permissions.includes('issue_certificates');
}

export function FinishStep({
  draft,
  setDraftState,
  history,
  setHistory,
  permissions = [],
}: {
  draft: Draft;
  setDraftState: (d: Draft) => void;
  history: CaseView['history'];
  setHistory: (h: CaseView['history']) => void;
  /** The session's permissions at this counter (`issue_certificates` offers 「証明書を発行」). */
  permissions?: readonly string[];
}) {
  const backend = useBackend();
  const [busy, setBusy] = useState<'save' | 'print' | 'issue' | null>(null);
  const [message, setMessage] = useState<{
    kind: 'error' | 'ok' | 'queued';
    text: string;
    /** Offer to read the case again: masked addresses the server could not keep (a conflict is known by its text). */
    reload?: boolean;
  } | null>(null);
  const [pdfUrl, setPdfUrl] = useState<string | null>(null);
  const [pages, setPages] = useState(0);
  /** The print or issue the server refused for 支援措置 without a reason: the reason field shows. */
  const [needsReason, setNeedsReason] = useState<'print' | 'issue' | null>(null);
  const [reason, setReason] = useState('');
  const frameRef = useRef<HTMLIFrameElement>(null);
  const attempt = useRef<{ content: string; writeId: string } | null>(null);
  /** The content of the draft as last saved or read back here: no save is needed before issuing. */
  const savedContent = useRef<string | null>(null);
  /**
   * The write id of issuing the certificates of a case as they stand: issuing again what was asked
   * for before (a retry after a lost answer, a reprint) sends the same id, so the server issues once
   * and answers the same 発行番号; changed certificate lines are a new issue.
   */
  const issueAttempt = useRef<{ request: string; writeId: string } | null>(null);
  const canIssue =
    mayIssueCertificates(permissions) &&
    (draft.document.certificates ?? []).some((l) => ISSUED_HERE.includes(l.item) && l.copies > 0);
  const memo = draft.document.memo ?? '';

  const phrases = useLoaded((b) => b.caseVocabulary())?.memo_phrases ?? [];
  useEffect(() => () => {
    if (pdfUrl) URL.revokeObjectURL(pdfUrl);
  }, [pdfUrl]);

  const setDoc = (patch: Partial<Draft['document']>) =>
    setDraftState({ ...draft, document: { ...draft.document, ...patch } });

  async function save(): Promise<Draft | null> {
    setBusy('save');
    setMessage(null);
    // A save retried after a lost answer carries the same write id, so that the server applies it
    // once (it may have been applied before the connection dropped); a changed case is a new write.
    const content = JSON.stringify([draft.caseId, draft.revision, draft.status, draft.document]);
    const writeId = attempt.current?.content === content ? attempt.current.writeId : newId('w');
    attempt.current = { content, writeId };
    try {
      const saved = await backend.saveCase(draft.caseId, {
        write_id: writeId,
        revision: draft.revision,
        status: draft.status,
        document: draft.document,
      });
      attempt.current = null;
      const next = draftFromCase(saved);
      savedContent.current = draftContent(next);
      setDraftState(next);
      setHistory(saved.history);
      setMessage({ kind: 'ok', text: t('visit.finish.saved', { revision: saved.revision }) });
      return next;
    } catch (e) {
      if (e instanceof BackendError && e.code === 'queued') {
        // Desktop app offline: the save waits in the terminal's outbox; the case stays as it is.
        setMessage({ kind: 'queued', text: `${t('visit.finish.queued')} ${e.message}` });
      } else {
        // 支援措置: an address still masked with nothing stored behind it (`masked_address`): the
        // server's message asks to read the case again, which the reload button does.
        const reload = e instanceof BackendError && e.code === 'masked_address';
        setMessage({ kind: 'error', text: errorMessage(e), reload });
      }
      return null;
    } finally {
      setBusy(null);
    }
  }

  async function saveAndPrint() {
    const saved = await save();
    if (!saved) return;
    setBusy('print');
    try {
      const printed = await backend.printCase(saved.caseId, {
        write_id: newId('p'),
        override_reason: reason.trim() || null,
      });
      setPages(printed.pages);
      setPdfUrl(URL.createObjectURL(printed.pdf));
      setNeedsReason(null);
      // The desktop app prints on the terminal's document printer at once; a browser shows the
      // preview and its print dialog.
      const sent = await printOnTerminal(backend.terminal, printed.pdf);
      const reloaded = await backend.getCase(saved.caseId);
      const next = draftFromCase(reloaded);
      savedContent.current = draftContent(next);
      setDraftState(next);
      setHistory(reloaded.history);
      if (sent?.kind === 'failed') setMessage({ kind: 'error', text: sent.message });
      else if (sent) setMessage({ kind: 'ok', text: t('visit.finish.printedOn', { printer: sent.printer }) });
      else setMessage({ kind: 'ok', text: t('visit.finish.printed', { pages: printed.pages }) });
    } catch (e) {
      if (e instanceof BackendError && e.code === 'support_measure_protected') setNeedsReason('print');
      setMessage({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  }

  /** The draft as saved on the server: saved now when it was never saved or changed since. */
  async function savedDraft(): Promise<Draft | null> {
    if (draft.revision !== null && savedContent.current === draftContent(draft)) return draft;
    return save();
  }

  async function issue() {
    const saved = await savedDraft();
    if (!saved) return;
    setBusy('issue');
    setMessage(null);
    const request = issueRequest(saved);
    const writeId = issueAttempt.current?.request === request ? issueAttempt.current.writeId : newId('c');
    issueAttempt.current = { request, writeId };
    try {
      const issued = await backend.issueCertificates(saved.caseId, {
        write_id: writeId,
        override_reason: reason.trim() || null,
      });
      setPages(issued.pages);
      setPdfUrl(URL.createObjectURL(issued.pdf));
      setNeedsReason(null);
      const numbers = issued.issueNumbers ?? [];
      const done =
        numbers.length > 0
          ? t('visit.finish.issued', { numbers: numbers.join(', ') })
          : t('visit.finish.issuedNoNumbers', { pages: issued.pages });
      const sent = await printOnTerminal(backend.terminal, issued.pdf);
      try {
        const reloaded = await backend.getCase(saved.caseId);
        const next = draftFromCase(reloaded);
        // Read back as it stands on the server: issuing again needs no save first.
        savedContent.current = draftContent(next);
        setDraftState(next);
        setHistory(reloaded.history);
      } catch {
        // Issued and printed all the same; the history shows after the next save.
      }
      if (sent?.kind === 'failed') setMessage({ kind: 'error', text: `${done}。${sent.message}` });
      else if (sent) setMessage({ kind: 'ok', text: `${done}。${t('visit.finish.issuedOn', { printer: sent.printer })}` });
      else setMessage({ kind: 'ok', text: done });
    } catch (e) {
      if (e instanceof BackendError && e.code === 'support_measure_protected') setNeedsReason('issue');
      setMessage({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  }

  async function reload() {
    try {
      const c = await backend.getCase(draft.caseId);
      const next = draftFromCase(c);
      savedContent.current = draftContent(next);
      setDraftState(next);
      setHistory(c.history);
      setMessage({ kind: 'ok', text: t('visit.finish.reloaded') });
    } catch (e) {
      setMessage({ kind: 'error', text: errorMessage(e) });
    }
  }

  // F9: save and print everything; F10: save only; F8: issue the 住民票の写し (when offered).
  // Registered as the DOM is updated (layout effect): a key pressed as soon as a message shows never
  // reaches the handler of the render before.
  useLayoutEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (busy) return;
      if (e.key === 'F9') {
        e.preventDefault();
        void saveAndPrint();
      } else if (e.key === 'F8' && canIssue) {
        e.preventDefault();
        void issue();
      } else if (e.key === 'F10') {
        e.preventDefault();
        void save();
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const statuses = [
    ['open', t('visit.status.open')],
    ['applied', t('visit.status.applied')],
    ['reviewed', t('visit.status.reviewed')],
    ['closed', t('visit.status.closed')],
  ] as const;

  return (
    <form
      className="panel step-panel"
      data-testid="step-panel-finish"
      onSubmit={(e) => {
        e.preventDefault();
        void saveAndPrint();
      }}
    >
      <h2>{t('visit.finish.title')}</h2>
      {message && (
        <div
          className={message.kind === 'error' ? 'error-banner' : message.kind === 'queued' ? 'queued-notice' : 'notice'}
          role={message.kind === 'error' ? 'alert' : 'status'}
          data-testid={
            message.kind === 'error' ? 'finish-error' : message.kind === 'queued' ? 'finish-queued' : 'finish-message'
          }
        >
          {message.text}
          {message.kind === 'error' && (message.reload || message.text === t('error.conflict')) && (
            <button type="button" className="button button-secondary" onClick={reload} data-testid="finish-reload">
              {t('visit.finish.reload')}
            </button>
          )}
        </div>
      )}
      <dl className="summary">
        <dt>{t('visit.finish.notifications')}</dt>
        <dd>{(draft.document.notifications ?? []).map((n) => n.kind).join('、') || t('visit.finish.none')}</dd>
        <dt>{t('visit.finish.procedures')}</dt>
        <dd>{(draft.document.procedures ?? []).length}</dd>
        <dt>{t('visit.certificates.total')}</dt>
        <dd>{t('visit.certificates.yen', { yen: draft.document.fee_total ?? 0 })}</dd>
      </dl>
      <div className="form-grid">
        <div className="field">
          <label htmlFor="case-status">{t('visit.finish.status')}</label>
          <select
            id="case-status"
            value={draft.status}
            onChange={(e) => setDraftState({ ...draft, status: e.target.value })}
            data-testid="case-status"
          >
            {statuses.map(([code, label]) => (
              <option key={code} value={code}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor="case-memo">{t('visit.finish.memo')}</label>
        <textarea
          id="case-memo"
          rows={3}
          value={memo}
          onChange={(e) => setDoc({ memo: e.target.value })}
          data-testid="case-memo"
        />
        <div className="phrases" aria-label={t('visit.finish.phrases')}>
          {phrases.map((p) => (
            <button
              key={p}
              type="button"
              className="button button-secondary button-small"
              onClick={() => setDoc({ memo: memo ? `${memo}\n${p}` : p })}
            >
              {p}
            </button>
          ))}
        </div>
      </div>
      <section aria-label={t('visit.signature.title')}>
        <h3>{t('visit.signature.title')}</h3>
        <SignaturePad value={draft.document.signature} onChange={(signature) => setDoc({ signature })} />
      </section>
      {needsReason && (
        <div className="field">
          <label htmlFor="override-reason">
            {needsReason === 'issue' ? t('visit.finish.issueOverrideReason') : t('visit.finish.overrideReason')}
          </label>
          <input
            id="override-reason"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            data-testid="override-reason"
          />
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy !== null} data-testid="save-print">
          {busy === 'print' ? t('visit.finish.printing') : t('visit.finish.saveAndPrint')} <kbd>F9</kbd>
        </button>
        <button
          type="button"
          className="button button-secondary"
          disabled={busy !== null}
          onClick={() => void save()}
          data-testid="save-only"
        >
          {t('visit.finish.saveOnly')} <kbd>F10</kbd>
        </button>
        {canIssue && (
          <button
            type="button"
            className="button button-secondary"
            disabled={busy !== null}
            onClick={() => void issue()}
            data-testid="issue-certificates"
          >
            {busy === 'issue' ? t('visit.finish.issuing') : t('visit.finish.issue')} <kbd>F8</kbd>
          </button>
        )}
        {pdfUrl && (
          <button
            type="button"
            className="button button-secondary"
            onClick={() => frameRef.current?.contentWindow?.print()}
            data-testid="print-dialog"
          >
            {t('visit.finish.printDialog')}
          </button>
        )}
      </div>
      {pdfUrl && (
        <section className="print-preview" aria-label={t('visit.finish.preview')}>
          <h3>
            {t('visit.finish.preview')}（{t('visit.finish.pages', { pages })}）
          </h3>
          <iframe ref={frameRef} src={pdfUrl} title={t('visit.finish.preview')} data-testid="pdf-preview" />
        </section>
      )}
      {history.length > 0 && (
        <section aria-label={t('visit.finish.history')}>
          <h3>{t('visit.finish.history')}</h3>
          <ol className="history" data-testid="history">
            {history.map((h, i) => (
              <li key={i} data-testid="history-entry">
                <span className="muted">
                  {new Date(h.at).toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo' })} {h.user}（{h.counter}）
                </span>
                <ul>
                  {h.lines.map((l, j) => (
                    <li key={j}>{l}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        </section>
      )}
    </form>
  );
}

/** What a save sends of a draft, to tell whether it changed since it was saved. */
function draftContent(d: Draft): string {
  return JSON.stringify([d.caseId, d.revision, d.status, d.document]);
}

/**
 * What issuing the certificates of a saved case asks for: the case and its lines the server issues
 * (住民票の写し, 印鑑登録証明書) as requested (not the fee and names the server fills in).
 */
function issueRequest(d: Draft): string {
  const lines = (d.document.certificates ?? [])
    .filter((l) => ISSUED_HERE.includes(l.item))
    .map((l) => [l.item, l.copies, l.subject ?? null, l.scope ?? null, l.items ?? null, l.exemption ?? null]);
  return JSON.stringify([d.caseId, lines]);
}
