import { useCallback, useEffect, useRef, useState } from 'react';
import type { StationAction, StationRequestView } from '../../api/types';
import { errorMessage, useBackend } from '../../backend';
import { newId } from '../../case/ids';
import { formatWarekiDateTime, t } from '../../i18n';
import { printOnTerminal } from '../printing';
import { chime } from './chime';
import { HandOverForm, type HandOver } from './HandOverForm';

// 発行端末の受付 (`#/staff/issuance`): the requests residents made at the issuance stations today,
// asked every 3 seconds. A new one raises a banner and — once staff turned it on — a chime. Staff
// print the certificates (on the terminal's document printer, or as a PDF in a browser), call the
// 受付番号, hand them over collecting the fee (現金 with the change, or キャッシュレス with its 決済番号),
// reprint them (the same 発行番号 and the same pages) or cancel a request with its reason.

export const STATION_QUEUE_PATH = '/staff/issuance';
/** How often the queue is asked (ms). */
export const POLL_MS = 3000;

type Busy = { id: string; what: string } | null;

/** Today in Japan, `YYYY-MM-DD`. */
function todayJst(now = new Date()): string {
  return new Date(now.getTime() + 9 * 3600_000).toISOString().slice(0, 10);
}

export function StationQueuePage() {
  const backend = useBackend();
  // Another day's requests can be looked at (and finished); only today's raise the banner.
  const [day, setDay] = useState(todayJst);
  const [requests, setRequests] = useState<StationRequestView[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [fresh, setFresh] = useState<string[]>([]);
  const [sound, setSound] = useState(false);
  const [busy, setBusy] = useState<Busy>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [handingOver, setHandingOver] = useState<string | null>(null);
  const [pdfUrl, setPdfUrl] = useState<string | null>(null);
  const seen = useRef<Set<string> | null>(null);
  const soundRef = useRef(sound);
  soundRef.current = sound;

  const load = useCallback(async () => {
    try {
      const list = await backend.stationRequests(day === todayJst() ? undefined : day);
      const known = seen.current;
      const added = list.filter((r) => r.state === 'queued' && known !== null && !known.has(r.request_id));
      seen.current = new Set(list.map((r) => r.request_id));
      if (added.length > 0) {
        setFresh((f) => [...f, ...added.map((r) => r.reception_label)]);
        if (soundRef.current) chime();
      }
      setRequests(list);
      setProblem(null);
    } catch (e) {
      setProblem(errorMessage(e));
    }
  }, [backend, day]);

  useEffect(() => {
    seen.current = null; // another day: what it holds is no news
    void load();
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [load]);

  useEffect(() => () => void (pdfUrl && URL.revokeObjectURL(pdfUrl)), [pdfUrl]);

  async function print(r: StationRequestView) {
    setBusy({ id: r.request_id, what: 'print' });
    setMessage(null);
    try {
      // One write id per request: a second print is a reprint of the same certificates.
      const issued = await backend.issueCertificates(r.request_id, { write_id: `p-${r.request_id}`.slice(0, 64), override_reason: null });
      const numbers = (issued.issueNumbers ?? []).join(', ');
      const sent = await printOnTerminal(backend.terminal, issued.pdf);
      if (sent?.kind === 'failed') setMessage({ kind: 'error', text: t('queue.printFailed', { no: r.reception_label, detail: sent.message }) });
      else {
        if (!sent) setPdfUrl(URL.createObjectURL(issued.pdf));
        setMessage({ kind: 'ok', text: t('queue.printed', { no: r.reception_label, numbers }) });
      }
      setFresh((f) => f.filter((n) => n !== r.reception_label));
      await load();
    } catch (e) {
      setMessage({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  }

  async function act(r: StationRequestView, action: Omit<StationAction, 'write_id'>) {
    setBusy({ id: r.request_id, what: action.action });
    setMessage(null);
    try {
      const after = await backend.actOnStationRequest(r.request_id, { ...action, write_id: newId('a') });
      setMessage({ kind: 'ok', text: t('queue.done', { no: after.reception_label, state: after.state_label }) });
      setHandingOver(null);
      await load();
    } catch (e) {
      setMessage({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  }

  function cancel(r: StationRequestView) {
    const reason = window.prompt(t('queue.cancelReason', { no: r.reception_label }));
    if (reason && reason.trim()) void act(r, { action: 'cancel', reason: reason.trim() });
  }

  function handOver(r: StationRequestView, h: HandOver) {
    void act(r, { action: 'hand_over', payment: h });
  }

  return (
    <main className="page" aria-labelledby="queue-title" data-testid="station-queue">
      <h1 id="queue-title">{t('queue.title')}</h1>
      <p className="page-lead">{t('queue.lead')}</p>
      <label className="field queue-day">
        <span>{t('queue.day')}</span>
        <input type="date" value={day} max={todayJst()} onChange={(e) => e.target.value && setDay(e.target.value)} data-testid="queue-day" />
      </label>
      <label className="queue-sound">
        <input type="checkbox" checked={sound} onChange={(e) => setSound(e.target.checked)} data-testid="queue-sound" />
        {t('queue.sound')}
      </label>
      {fresh.length > 0 && (
        <div className="warning queue-alert" role="alert" data-testid="queue-alert">
          {t('queue.new', { numbers: fresh.join('、') })}
          <button type="button" className="button button-secondary" onClick={() => setFresh([])} data-testid="queue-alert-ok">
            {t('queue.acknowledge')}
          </button>
        </div>
      )}
      {problem && (
        <div className="error-banner" role="alert">
          {problem}
        </div>
      )}
      {message && (
        <div className={message.kind === 'ok' ? 'notice' : 'error-banner'} role="status" data-testid="queue-message">
          {message.text}
        </div>
      )}
      {pdfUrl && (
        <p>
          <a href={pdfUrl} target="_blank" rel="noreferrer" data-testid="queue-pdf">
            {t('queue.openPdf')}
          </a>
        </p>
      )}
      {requests !== null && requests.length === 0 && <p data-testid="queue-empty">{t('queue.empty')}</p>}
      {requests !== null && requests.length > 0 && (
        <table className="table" data-testid="queue-table">
          <thead>
            <tr>
              <th scope="col">{t('queue.no')}</th>
              <th scope="col">{t('queue.at')}</th>
              <th scope="col">{t('queue.name')}</th>
              <th scope="col">{t('queue.certificates')}</th>
              <th scope="col">{t('queue.fee')}</th>
              <th scope="col">{t('queue.state')}</th>
              <th scope="col">{t('queue.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {requests.map((r) => (
              <tr key={r.request_id} data-testid={`queue-row-${r.reception_label}`}>
                <td className="queue-no">{r.reception_label}</td>
                <td>{formatWarekiDateTime(r.requested_at)}</td>
                <td>{r.name}</td>
                <td>{r.lines.map((l) => t('queue.line', { name: l.name, copies: l.copies })).join('、')}</td>
                <td>{t('queue.yen', { yen: r.fee_total })}</td>
                <td data-testid={`queue-state-${r.reception_label}`}>
                  {r.state_label}
                  {r.cancel_reason ? `（${r.cancel_reason}）` : ''}
                </td>
                <td>
                  <Actions
                    r={r}
                    busy={busy?.id === r.request_id}
                    onPrint={() => void print(r)}
                    onCall={() => void act(r, { action: 'call' })}
                    onHandOver={() => setHandingOver(r.request_id)}
                    onCancel={() => cancel(r)}
                  />
                  {handingOver === r.request_id && (
                    <HandOverForm fee={r.fee_total} onDone={(h) => handOver(r, h)} onCancel={() => setHandingOver(null)} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}

function Actions({
  r,
  busy,
  onPrint,
  onCall,
  onHandOver,
  onCancel,
}: {
  r: StationRequestView;
  busy: boolean;
  onPrint: () => void;
  onCall: () => void;
  onHandOver: () => void;
  onCancel: () => void;
}) {
  if (r.state === 'handed_over' || r.state === 'cancelled') return null;
  const printed = r.state !== 'queued';
  const no = r.reception_label;
  return (
    <div className="button-row">
      <button type="button" className="button button-primary" onClick={onPrint} disabled={busy} data-testid={`queue-print-${no}`}>
        {printed ? t('queue.reprint') : t('queue.print')}
      </button>
      {printed && (
        <>
          <button type="button" className="button button-secondary" onClick={onCall} disabled={busy} data-testid={`queue-call-${no}`}>
            {t('queue.call')}
          </button>
          <button type="button" className="button button-primary" onClick={onHandOver} disabled={busy} data-testid={`queue-hand-over-${no}`}>
            {t('queue.handOver')}
          </button>
        </>
      )}
      <button type="button" className="button button-secondary" onClick={onCancel} disabled={busy} data-testid={`queue-cancel-${no}`}>
        {t('queue.cancel')}
      </button>
    </div>
  );
}
