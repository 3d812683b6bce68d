import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StationAction, StationRequestView } from '../../api/types';
import { BackendError, TerminalError } from '../../backend';
import { FakeBackend } from '../../test/FakeBackend';
import { FakeTerminal, kioskInfo, type FakeTerminalHandlers } from '../../test/FakeTerminal';
import { renderWithBackend } from '../../test/render';
import { POLL_MS, StationQueuePage } from './StationQueuePage';

function request(no: number, state: string, label: string): StationRequestView {
  return {
    request_id: `st-0000000${no}`,
    reception_no: no,
    reception_label: `000${no}`,
    state,
    state_label: label,
    requested_at: '2026-12-07T00:30:00Z',
    station: 'station-01',
    station_name: '1階 発行端末',
    auto_print: false,
    tower: false,
    name: '山田　太郎',
    lines: [{ name: '住民票の写し', copies: 2, yen: 600 }],
    fee_total: 600,
    payment: null,
    cancel_reason: null,
    staff_check: false,
  };
}

afterEach(() => {
  vi.useRealTimers();
  window.localStorage.clear();
});

/** A back-office staff terminal with a document printer and a signal tower. */
function backOffice(handlers: FakeTerminalHandlers = {}) {
  return new FakeTerminal(handlers, { ...kioskInfo, role: 'staff', document_printer: 'doc', signal_tower: 'mock' });
}

describe('発行端末の受付', () => {
  it('raises a banner for a request that arrives while the page is open', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let list = [request(1, 'handed_over', '交付済')];
    const backend = new FakeBackend({ stationRequests: () => Promise.resolve(list) });
    renderWithBackend(<StationQueuePage />, backend);
    await screen.findByTestId('queue-row-0001');
    // What was there when the page opened is no news.
    expect(screen.queryByTestId('queue-alert')).toBeNull();
    list = [...list, request(2, 'queued', '受付')];
    await act(async () => {
      await vi.advanceTimersByTimeAsync(POLL_MS);
    });
    expect((await screen.findByTestId('queue-alert')).textContent).toContain('受付番号 0002');
    fireEvent.click(screen.getByTestId('queue-alert-ok'));
    expect(screen.queryByTestId('queue-alert')).toBeNull();
  });

  it('prints with one write id per request, then calls and hands over with cash', async () => {
    let state = request(3, 'queued', '受付');
    const actions: StationAction[] = [];
    const writes: string[] = [];
    const backend = new FakeBackend({
      stationRequests: () => Promise.resolve([state]),
      issueCertificates: (_id, req) => {
        writes.push(req.write_id);
        state = { ...state, state: 'printed', state_label: '印刷済' };
        return Promise.resolve({ pdf: new Blob(['%PDF-1.7']), pages: 2, issueNumbers: ['R08-000001', 'R08-000002'] });
      },
      actOnStationRequest: (_id, a) => {
        actions.push(a);
        const to = a.action === 'call' ? ['called', '呼出済'] : ['handed_over', '交付済'];
        state = { ...state, state: to[0]!, state_label: to[1]! };
        return Promise.resolve(state);
      },
    });
    globalThis.URL.createObjectURL ??= () => 'blob:x';
    renderWithBackend(<StationQueuePage />, backend);
    fireEvent.click(await screen.findByTestId('queue-print-0003'));
    expect((await screen.findByTestId('queue-message')).textContent).toContain('R08-000001, R08-000002');
    fireEvent.click(await screen.findByTestId('queue-print-0003')); // 再印刷
    await waitFor(() => expect(writes).toHaveLength(2));
    expect(writes[0]).toBe(writes[1]);
    fireEvent.click(screen.getByTestId('queue-call-0003'));
    await waitFor(() => expect(screen.getByTestId('queue-state-0003').textContent).toBe('呼出済'));
    fireEvent.click(screen.getByTestId('queue-hand-over-0003'));
    fireEvent.change(screen.getByTestId('pay-received'), { target: { value: '500' } });
    expect(screen.getByTestId('pay-change').textContent).toBe('お預かり金額が足りません');
    expect((screen.getByTestId('hand-over-done') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByTestId('pay-received'), { target: { value: '1000' } });
    expect(screen.getByTestId('pay-change').textContent).toBe('おつり 400円');
    fireEvent.click(screen.getByTestId('hand-over-done'));
    await waitFor(() => expect(screen.getByTestId('queue-state-0003').textContent).toBe('交付済'));
    expect(actions.map((a) => a.action)).toEqual(['call', 'hand_over']);
    expect(actions[1]?.payment).toEqual({ method: 'cash', yen: 600, received: 1000, reference: null });
    expect(screen.queryByTestId('queue-print-0003')).toBeNull();
  });

  it('hands over with a cashless payment reference and cancels with a reason', async () => {
    const actions: StationAction[] = [];
    const backend = new FakeBackend({
      stationRequests: () => Promise.resolve([request(4, 'printed', '印刷済'), request(5, 'queued', '受付')]),
      actOnStationRequest: (id, a) => {
        actions.push(a);
        return Promise.resolve(request(id.endsWith('4') ? 4 : 5, 'handed_over', '交付済'));
      },
    });
    renderWithBackend(<StationQueuePage />, backend);
    fireEvent.click(await screen.findByTestId('queue-hand-over-0004'));
    fireEvent.click(screen.getByTestId('pay-cashless'));
    expect((screen.getByTestId('hand-over-done') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByTestId('pay-reference'), { target: { value: 'PAY-778899' } });
    fireEvent.click(screen.getByTestId('hand-over-done'));
    await waitFor(() => expect(actions).toHaveLength(1));
    expect(actions[0]?.payment).toEqual({ method: 'cashless', yen: 600, received: null, reference: 'PAY-778899' });
    const prompt = vi.spyOn(window, 'prompt').mockReturnValue('本人が不要と申出');
    fireEvent.click(screen.getByTestId('queue-cancel-0005'));
    await waitFor(() => expect(actions).toHaveLength(2));
    expect(actions[1]).toMatchObject({ action: 'cancel', reason: '本人が不要と申出' });
    prompt.mockRestore();
  });

  it("looks at another day's requests", async () => {
    const days: Array<string | undefined> = [];
    const backend = new FakeBackend({
      stationRequests: (day) => {
        days.push(day);
        return Promise.resolve(day ? [request(7, 'printed', '印刷済')] : []);
      },
    });
    renderWithBackend(<StationQueuePage />, backend);
    await screen.findByTestId('queue-empty');
    fireEvent.change(screen.getByTestId('queue-day'), { target: { value: '2026-12-04' } });
    await screen.findByTestId('queue-row-0007');
    expect(days[0]).toBeUndefined();
    expect(days).toContain('2026-12-04');
    expect(screen.queryByTestId('queue-alert')).toBeNull();
  });

  it("shows the server's refusal", async () => {
    const backend = new FakeBackend({
      stationRequests: () => Promise.resolve([request(6, 'queued', '受付')]),
      issueCertificates: () =>
        Promise.reject(new BackendError('conflict', { status: 409, code: 'invalid_action', message: 'この申込みは取り消されています。' })),
    });
    renderWithBackend(<StationQueuePage />, backend);
    fireEvent.click(await screen.findByTestId('queue-print-0006'));
    expect((await screen.findByTestId('queue-message')).textContent).toBe('この申込みは取り消されています。');
  });

  it("prints a station's requests automatically once staff make this terminal the print agent", async () => {
    let state = { ...request(8, 'queued', '受付'), auto_print: true };
    const acts: StationAction[] = [];
    const terminal = backOffice();
    const backend = new FakeBackend(
      {
        stationRequests: () => Promise.resolve([state]),
        claimPrintJob: () => {
          if (state.state !== 'queued') return Promise.resolve({ request: null });
          state = { ...state, state: 'printing', state_label: '自動印刷中' };
          return Promise.resolve({ request: state });
        },
        issueCertificates: () => Promise.resolve({ pdf: new Blob(['%PDF-1.7']), pages: 1, issueNumbers: ['R08-000010'] }),
        actOnStationRequest: (_id, a) => {
          acts.push(a);
          state = { ...state, state: 'printed', state_label: '印刷済' };
          return Promise.resolve(state);
        },
      },
      { terminal },
    );
    renderWithBackend(<StationQueuePage />, backend);
    await screen.findByTestId('queue-row-0008');
    expect(backend.callsOf('claimPrintJob')).toHaveLength(0); // not until staff say so
    fireEvent.click(await screen.findByTestId('queue-auto'));
    expect(window.localStorage.getItem('madoguchi.queue.autoPrint')).toBe('on');
    await waitFor(() => expect(screen.getByTestId('queue-state-0008').textContent).toBe('印刷済'));
    expect(terminal.callsOf('printPdf')).toHaveLength(1);
    expect(acts.map((a) => a.action)).toEqual(['confirm']);
    expect(screen.getByTestId('queue-message').textContent).toContain('R08-000010');
  });

  it('holds a 支援措置 request for staff: never printed automatically, printed by hand with a stated reason', async () => {
    let state = { ...request(9, 'queued', '受付'), auto_print: true, staff_check: true };
    const reasons: Array<string | null | undefined> = [];
    const terminal = backOffice();
    const backend = new FakeBackend(
      {
        stationRequests: () => Promise.resolve([state]),
        claimPrintJob: () => Promise.resolve({ request: null }),
        issueCertificates: (_id, req) => {
          reasons.push(req.override_reason);
          state = { ...state, state: 'printed', state_label: '印刷済' };
          return Promise.resolve({ pdf: new Blob(['%PDF-1.7']), pages: 1, issueNumbers: ['R08-000011'] });
        },
      },
      { terminal },
    );
    window.localStorage.setItem('madoguchi.queue.autoPrint', 'on');
    renderWithBackend(<StationQueuePage />, backend);
    expect((await screen.findByTestId('queue-staff-check-0009')).textContent).toContain('理由を入力して印刷');
    // The agent is on, but nothing of this request goes to the printer by itself.
    await waitFor(() => expect((screen.getByTestId('queue-auto') as HTMLInputElement).checked).toBe(true));
    await waitFor(() => expect(backend.callsOf('stationRequests').length).toBeGreaterThan(1));
    expect(backend.callsOf('claimPrintJob')).toHaveLength(0);
    fireEvent.click(screen.getByTestId('queue-print-0009'));
    expect(backend.callsOf('issueCertificates')).toHaveLength(0);
    const print = screen.getByTestId('override-print') as HTMLButtonElement;
    expect(print.disabled).toBe(true);
    fireEvent.change(screen.getByTestId('override-reason'), { target: { value: '本人が来庁し、運転免許証で確認' } });
    fireEvent.click(print);
    await waitFor(() => expect(screen.getByTestId('queue-state-0009').textContent).toContain('印刷済'));
    expect(reasons).toEqual(['本人が来庁し、運転免許証で確認']);
    expect(terminal.callsOf('printPdf')).toHaveLength(1);
    expect(screen.queryByTestId('override-form')).toBeNull();
  });

  it('reports a jammed printer so that the request waits for staff, who may call it if the sheets came out', async () => {
    let state = { ...request(9, 'queued', '受付'), auto_print: true };
    const acts: StationAction[] = [];
    window.localStorage.setItem('madoguchi.queue.autoPrint', 'on');
    const terminal = backOffice({ printPdf: () => Promise.reject(new TerminalError('printer', '印刷できませんでした。用紙切れです。')) });
    const backend = new FakeBackend(
      {
        stationRequests: () => Promise.resolve([state]),
        claimPrintJob: () => Promise.resolve({ request: state.state === 'queued' ? state : null }),
        issueCertificates: () => Promise.resolve({ pdf: new Blob(['%PDF-1.7']), pages: 1, issueNumbers: ['R08-000011'] }),
        actOnStationRequest: (_id, a) => {
          acts.push(a);
          const failed = { state: 'print_failed', state_label: '印刷エラー（要確認）', print_error: a.reason ?? null };
          state = a.action === 'fail' ? { ...state, ...failed } : { ...state, state: 'called', state_label: '呼出済', print_error: null };
          return Promise.resolve(state);
        },
      },
      { terminal },
    );
    renderWithBackend(<StationQueuePage />, backend);
    await waitFor(() => expect(acts.map((a) => a.action)).toEqual(['fail']));
    expect(acts[0]?.reason).toContain('用紙切れ');
    expect((await screen.findByTestId('queue-print-error-0009')).textContent).toContain('用紙切れ');
    expect(screen.getByTestId('queue-message').textContent).toContain('自動印刷できませんでした');
    expect(screen.queryByTestId('queue-hand-over-0009')).toBeNull();
    fireEvent.click(screen.getByTestId('queue-call-0009'));
    await waitFor(() => expect(screen.getByTestId('queue-state-0009').textContent).toContain('呼出済'));
  });

  it('lights the signal tower for a new request of a station set up for it, and clears it when acknowledged', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let list: StationRequestView[] = [];
    const terminal = backOffice();
    const backend = new FakeBackend({ stationRequests: () => Promise.resolve(list) }, { terminal });
    renderWithBackend(<StationQueuePage />, backend);
    await screen.findByTestId('queue-empty');
    list = [{ ...request(2, 'queued', '受付'), tower: true }];
    await act(async () => {
      await vi.advanceTimersByTimeAsync(POLL_MS);
    });
    await screen.findByTestId('queue-alert');
    await waitFor(() => expect(terminal.callsOf('signalTower')).toEqual([['alert']]));
    fireEvent.click(screen.getByTestId('queue-alert-ok'));
    expect(terminal.callsOf('signalTower')).toEqual([['alert'], ['off']]);
  });
});
