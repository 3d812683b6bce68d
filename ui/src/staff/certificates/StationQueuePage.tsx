import { useCallback, useEffect, useRef, useState } from 'react';
import type { StationAction, StationRequestView } from '../../api/types';
import { errorMessage, useBackend } from '../../backend';
import { newId } from '../../case/ids';
import { formatWarekiDateTime, t } from '../../i18n';
import { printOnTerminal } from '../printing';
import { chime } from './chime';
import { OverrideReasonForm } from './OverrideReasonForm';
import { printNext } from './printAgent';
import { HandOverForm, type HandOver } from './HandOverForm';

// 発行端末の受付 (`#/staff/issuance`): the requests residents made at the issuance stations today,
// asked every 3 seconds. A new one raises a banner and — once staff turned it on — a chime. Staff
// print the certificates (on the terminal's document printer, or as a PDF in a browser), call the
// 受付番号, hand them over collecting the fee (現金 with the change, or キャッシュレス with its 決済番号),
// reprint them (the same 発行番号 and the same pages) or cancel a request with its reason.
//
// On a desktop terminal with a document printer, staff may make this screen the print agent of the
// stations set up for automatic printing (自動印刷, `printAgent.ts`); with a signal tower configured, new
// requests of the stations set up for it light the tower until staff acknowledge them.

export const STATION_QUEUE_PATH = '/staff/issuance';
/** How often the queue is asked (ms). */
export const POLL_MS = 3000;

type Busy = { id: string; what: string } | null;

/** Where this terminal's choice to print automatically is kept. */
const AUTO_KEY = 'madoguchi.queue.autoPrint';
/** The most requests the agent prints in one round (the rest in the next). */
const AGENT_BATCH = 5;

type Devices = { printer: boolean; tower: boolean };

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
  /** The request whose 支援措置 reason staff are stating before printing. */
  const [statingReason, setStatingReason] = useState<string | null>(null);
  const [pdfUrl, setPdfUrl] = useState<string | null>(null);
  const [devices, setDevices] = useState<Devices>({ printer: false, tower: false });
  const [auto, setAuto] = useState(() => window.localStorage.getItem(AUTO_KEY) === 'on');
  const seen = useRef<Set<string> | null>(null);
  const soundRef = useRef(sound);
  soundRef.current = sound;
  const agentBusy = useRef(false);
  const autoRef = useRef(auto);
  autoRef.current = auto && devices.printer;
  const terminal = backend.terminal;

  useEffect(() => {
    if (!terminal) return;
    void terminal
      .info()
      .then((info) => setDevices({ printer: info.document_printer !== null, tower: (info.signal_tower ?? null) !== null }))
      .catch(() => undefined);
  }, [terminal]);

  const signal = useCallback(
    (what: 'alert' | 'off') => {
      if (!terminal || !devices.tower) return;
      terminal.signalTower(what).catch((e) => setMessage({ kind: 'error', text: t('queue.towerFailed', { detail: errorMessage(e) }) }));
    },
    [terminal, devices.tower],
  );

  /** Automatic printing: a few requests per round, one at a time, never two rounds at once. */
  const runAgent = useCallback(async () => {
    if (!terminal || agentBusy.current) return false;
    agentBusy.current = true;
    let worked = false;
    try {
      for (let i = 0; i < AGENT_BATCH; i++) {
        const round = await printNext(backend, terminal);
        if (round.kind === 'idle') break;
        worked = true;
        if (round.kind === 'printed') setMessage({ kind: 'ok', text: t('queue.autoPrinted', { no: round.no, numbers: round.numbers }) });
        else setMessage({ kind: 'error', text: t('queue.autoFailed', { no: round.no, detail: round.detail }) });
      }
    } catch (e) {
      setProblem(errorMessage(e));
    } finally {
      agentBusy.current = false;
    }
    return worked;
  }, [backend, terminal]);

  const load = useCallback(async () => {
    try {
      const list = await backend.stationRequests(day === todayJst() ? undefined : day);
      const known = seen.current;
      const added = list.filter((r) => r.state === 'queued' && known !== null && !known.has(r.request_id));
      seen.current = new Set(list.map((r) => r.request_id));
      if (added.length > 0) {
        setFresh((f) => [...f, ...added.map((r) => r.reception_label)]);
        if (soundRef.current) chime();
        if (added.some((r) => r.tower)) signal('alert');
      }
      setRequests(list);
      setProblem(null);
      const today = day === todayJst();
      if (today && autoRef.current && list.some((r) => r.auto_print && !r.staff_check && r.state === 'queued') && (await runAgent())) {
        setRequests(await backend.stationRequests());
      }
    } catch (e) {
      setProblem(errorMessage(e));
    }
  }, [backend, day, signal, runAgent]);

  useEffect(() => {
    seen.current = null; // another day: what it holds is no news
    void load();
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [load]);

  useEffect(() => () => void (pdfUrl && URL.revokeObjectURL(pdfUrl)), [pdfUrl]);

  // Turned on (or the printer found): print what is waiting now rather than at the next poll.
  useEffect(() => {
    if (auto && devices.printer) void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the choice or the printer changes
  }, [auto, devices.printer]);

  async function print(r: StationRequestView, reason: string | null = null) {
    setBusy({ id: r.request_id, what: 'print' });
    setMessage(null);
    setStatingReason(null);
    try {
      // One write id per request: a second print is a reprint of the same certificates.
      const issued = await backend.issueCertificates(r.request_id, { write_id: `p-${r.request_id}`.slice(0, 64), override_reason: reason });
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
      {devices.printer && (
        <label className="queue-sound">
          <input
            type="checkbox"
            checked={auto}
            onChange={(e) => {
              setAuto(e.target.checked);
              window.localStorage.setItem(AUTO_KEY, e.target.checked ? 'on' : 'off');
            }}
            data-testid="queue-auto"
          />
          {t('queue.autoAgent')}
        </label>
      )}
      {fresh.length > 0 && (
        <div className="warning queue-alert" role="alert" data-testid="queue-alert">
          {t('queue.new', { numbers: fresh.join('、') })}
          <button
            type="button"
            className="button button-secondary"
            onClick={() => {
              setFresh([]);
              signal('off');
            }}
            data-testid="queue-alert-ok"
          >
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
                <td>
                  {formatWarekiDateTime(r.requested_at)}
                  <br />
                  <small>{t(r.auto_print ? 'queue.stationAuto' : 'queue.stationManual', { station: r.station_name })}</small>
                </td>
                <td>{r.name}</td>
                <td>{r.lines.map((l) => t('queue.line', { name: l.name, copies: l.copies })).join('、')}</td>
                <td>{t('queue.yen', { yen: r.fee_total })}</td>
                <td data-testid={`queue-state-${r.reception_label}`}>
                  {r.state_label}
                  {r.cancel_reason ? `（${r.cancel_reason}）` : ''}
                  {r.staff_check && (
                    <span className="error-text" data-testid={`queue-staff-check-${r.reception_label}`}>
                      <br />
                      {t('queue.staffCheck')}
                    </span>
                  )}
                  {r.print_error && (
                    <span className="error-text" data-testid={`queue-print-error-${r.reception_label}`}>
                      <br />
                      {t('queue.printError', { detail: r.print_error })}
                    </span>
                  )}
                </td>
                <td>
                  <Actions
                    r={r}
                    busy={busy?.id === r.request_id}
                    onPrint={() => (r.staff_check ? setStatingReason(r.request_id) : void print(r))}
                    onCall={() => void act(r, { action: 'call' })}
                    onHandOver={() => setHandingOver(r.request_id)}
                    onCancel={() => cancel(r)}
                  />
                  {statingReason === r.request_id && (
                    <OverrideReasonForm no={r.reception_label} onDone={(reason) => void print(r, reason)} onCancel={() => setStatingReason(null)} />
                  )}
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
  const no = r.reception_label;
  if (r.state === 'printing') return <span data-testid={`queue-printing-${no}`}>{t('queue.printing')}</span>;
  const printed = r.state !== 'queued';
  const failed = r.state === 'print_failed';
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
          {!failed && (
          <button type="button" className="button button-primary" onClick={onHandOver} disabled={busy} data-testid={`queue-hand-over-${no}`}>
            {t('queue.handOver')}
          </button>
          )}
        </>
      )}
      <button type="button" className="button button-secondary" onClick={onCancel} disabled={busy} data-testid={`queue-cancel-${no}`}>
        {t('queue.cancel')}
      </button>
    </div>
  );
}
