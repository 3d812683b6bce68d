import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { CaseView, EvaluateRequest, IncomingMoveView, SaveCase } from '../../api/types';
import { BackendError } from '../../backend';
import { FakeBackend } from '../../test/FakeBackend';
import { makeHousehold, makeResident } from '../../test/fixtures';
import { renderWithBackend } from '../../test/render';
import { VisitPage } from './VisitPage';

const family: IncomingMoveView = {
  notice_no: 'T-1',
  old_address: '東京都世田谷区太子堂二丁目5番8号',
  planned_on: '2026-11-20',
  head_name: '山田　太郎',
  members: [
    { name: '山田　太郎', kana: 'ヤマダ　タロウ', facts: { birth: '1988-04-12', relation: '世帯主', mover: true } },
    { name: '山田　さくら', kana: 'ヤマダ　サクラ', facts: { birth: '2024-01-15', relation: '子', mover: true } },
  ],
};

const towns = [{ town: '本町', town_code: '0001001', postal_code: '3799001', full: '群馬県さくら野市本町' }];

function key(k: string) {
  fireEvent.keyDown(document.activeElement ?? document.body, { key: k });
}

async function toProcedures(backend: FakeBackend) {
  renderWithBackend(<VisitPage />, backend);
  fireEvent.change(screen.getByTestId('visit-search-input'), { target: { value: 'やまだ' } });
  await screen.findByTestId('incoming-result');
  key('Enter');
  await screen.findByTestId('step-panel-identity');
  key('Enter');
  await screen.findByTestId('step-panel-notification');
  const town = screen.getByTestId('town-input');
  fireEvent.change(town, { target: { value: '本' } });
  await screen.findByTestId('town-option');
  fireEvent.keyDown(town, { key: 'Enter' });
  fireEvent.change(screen.getByTestId('banchi-input'), { target: { value: '1-2-3' } });
  expect(screen.getByTestId('new-address').textContent).toContain('群馬県さくら野市本町一丁目2番3号');
  fireEvent.submit(screen.getByTestId('step-panel-notification'));
  await screen.findByTestId('step-panel-procedures');
}

describe('VisitPage', () => {
  it('opens the case prepared the evening before when a household with a 転入予約 is chosen', async () => {
    window.location.hash = '#/staff';
    const backend = new FakeBackend({
      searchResidents: () => Promise.resolve({ count: 0, more: false, results: [] }),
      incomingMoves: () => Promise.resolve([{ ...family, prepared_case_id: 'arrival-T-1' }]),
    });
    renderWithBackend(<VisitPage />, backend);
    fireEvent.change(screen.getByTestId('visit-search-input'), { target: { value: 'やまだ' } });
    expect((await screen.findByTestId('incoming-prepared')).textContent).toBe('準備済みの案件を開く');
    key('Enter');
    await waitFor(() => expect(window.location.hash).toBe('#/staff/case/arrival-T-1'));
    expect(screen.queryByTestId('step-panel-identity')).toBeNull();
  });

  it('takes a 転入 from 転出証明書情報 and answers 手続きナビ with y / n', async () => {
    const asked: EvaluateRequest[] = [];
    const backend = new FakeBackend({
      searchResidents: () => Promise.resolve({ count: 0, more: false, results: [] }),
      incomingMoves: () => Promise.resolve([family]),
      towns: () => Promise.resolve(towns),
      evaluate: (req) => {
        asked.push(req);
        const answered = req.answers && 'hoiku' in req.answers;
        return Promise.resolve({
          procedures: [
            {
              code: 'JUKI-TENNYU', name: '転入届', department: '市民課', counter: '市民課', on_the_spot: true,
              reasons: ['市外から転入したため'], forms: ['ido-todoke'], bring: [], explanation: '', guidance: '',
              legal_basis: '', pamphlets: [], questions: [], permission: 'accept_notification', valid_from: '2020-01-01',
            },
          ],
          next_questions: answered
            ? []
            : [{ id: 'hoiku', text: '保育所の利用を希望しますか', kind: 'yes_no', options: [] }],
        });
      },
    });
    await toProcedures(backend);
    expect(await screen.findByText('保育所の利用を希望しますか')).toBeTruthy();
    expect(asked[0]!.event).toBe('転入');
    expect(asked[0]!.household_after).toHaveLength(2);
    act(() => key('y'));
    await waitFor(() => expect(screen.queryByText('保育所の利用を希望しますか')).toBeNull());
    expect(asked[asked.length - 1]!.answers).toEqual({ hoiku: true });
    expect(screen.getAllByTestId('procedure-row')).toHaveLength(1);
  });

  it('keeps the memo when saving fails for a lost connection, and saves once it is back', async () => {
    let online = false;
    const saves: SaveCase[] = [];
    const backend = new FakeBackend({
      searchResidents: () => Promise.resolve({ count: 0, more: false, results: [] }),
      incomingMoves: () => Promise.resolve([family]),
      towns: () => Promise.resolve(towns),
      evaluate: () => Promise.resolve({ procedures: [], next_questions: [] }),
      saveCase: (id, req) => {
        saves.push(req);
        if (!online) return Promise.reject(new BackendError('network'));
        return Promise.resolve({
          id, revision: 1, status: req.status, status_label: '受付中', title: '転入', document: req.document,
          address_masked: false,
          opened_at: '2026-11-23T00:00:00Z', opened_by: 'demo', opened_counter: 'shimin-1',
          updated_at: '2026-11-23T00:00:00Z', updated_by: 'demo', updated_counter: 'shimin-1',
          history: [{ at: '2026-11-23T00:00:00Z', user: 'demo', counter: 'shimin-1', terminal: null, lines: ['案件を作成'] }],
        } satisfies CaseView);
      },
    });
    await toProcedures(backend);
    fireEvent.click(screen.getByTestId('step-finish'));
    fireEvent.change(screen.getByTestId('case-memo'), { target: { value: '後日、書類を持参予定' } });
    fireEvent.keyDown(window, { key: 'F10' });
    expect((await screen.findByTestId('finish-error')).textContent).toContain('サーバーに接続できません');
    expect((screen.getByTestId('case-memo') as HTMLTextAreaElement).value).toBe('後日、書類を持参予定');
    online = true;
    fireEvent.keyDown(window, { key: 'F10' });
    expect((await screen.findByTestId('finish-message')).textContent).toContain('保存しました');
    // The retry is the same write (same id): had the first reached the server, it is not applied twice.
    expect(saves).toHaveLength(2);
    expect(saves[1]!.document.memo).toBe('後日、書類を持参予定');
    expect(saves[1]!.write_id).toBe(saves[0]!.write_id);
    expect(screen.getByTestId('history').textContent).toContain('案件を作成');
  });

  it('adds a second household to the same visit with F6, its 届出 chosen with a digit key', async () => {
    const neighbour = makeResident({ atena_no: '000000000000028', household_no: '100000000000028', name: '佐藤　次郎' });
    const backend = new FakeBackend({
      searchResidents: (q) =>
        Promise.resolve(
          q.q === 'さとう' ? { count: 1, more: false, results: [neighbour] } : { count: 0, more: false, results: [] },
        ),
      incomingMoves: (q) => Promise.resolve(q === 'やまだ' ? [family] : []),
      towns: () => Promise.resolve(towns),
      household: () => Promise.resolve(makeHousehold([neighbour])),
    });
    renderWithBackend(<VisitPage />, backend);
    fireEvent.change(screen.getByTestId('visit-search-input'), { target: { value: 'やまだ' } });
    await screen.findByTestId('incoming-result');
    key('Enter');
    await screen.findByTestId('step-panel-identity');
    key('Enter');
    await screen.findByTestId('step-panel-notification');
    act(() => void fireEvent.keyDown(window, { key: 'F6' }));
    fireEvent.change(await screen.findByTestId('visit-search-input'), { target: { value: 'さとう' } });
    await screen.findByTestId('resident-result');
    key('Enter');
    await screen.findByTestId('step-panel-notification');
    // The neighbour's household waits for its 届出: 2 is 転居.
    await screen.findByTestId('add-転居');
    act(() => void fireEvent.keyDown(document.body, { key: '2' }));
    await waitFor(() => expect(screen.getAllByTestId('notification')).toHaveLength(2));
    const kinds = screen.getAllByTestId('notification').map((n) => n.querySelector('legend')?.textContent ?? '');
    expect(kinds[0]).toContain('転入');
    expect(kinds[1]).toContain('転居');
    expect(screen.getAllByTestId('member-row')).toHaveLength(3);
  });
});

describe('VisitPage in the desktop app, offline', () => {
  it('shows a save kept in the terminal outbox as a notice, not a failure, and keeps the case', async () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null); // jsdom draws nothing
    const backend = new FakeBackend({
      searchResidents: () => Promise.resolve({ count: 0, more: false, results: [] }),
      incomingMoves: () => Promise.resolve([family]),
      towns: () => Promise.resolve(towns),
      evaluate: () => Promise.resolve({ procedures: [], next_questions: [] }),
      saveCase: () =>
        Promise.reject(
          new BackendError('network', {
            code: 'queued',
            message: 'サーバーに接続できないため、この端末に保存しました。接続が戻ると自動で送信します。',
          }),
        ),
    });
    await toProcedures(backend);
    fireEvent.click(screen.getByTestId('step-finish'));
    fireEvent.change(screen.getByTestId('case-memo'), { target: { value: '窓口で確認済み' } });
    fireEvent.click(screen.getByTestId('save-print'));
    const notice = await screen.findByTestId('finish-queued');
    expect(notice.textContent).toContain('保存しました（未送信）');
    expect(notice.textContent).toContain('接続が戻ると自動で送信します');
    expect(notice.getAttribute('role')).toBe('status');
    expect(screen.queryByTestId('finish-error')).toBeNull();
    expect((screen.getByTestId('case-memo') as HTMLTextAreaElement).value).toBe('窓口で確認済み');
    expect(backend.callsOf('printCase')).toHaveLength(0); // printing waits for the server
    expect(screen.getByTestId('case-id').textContent).toContain('case-');
  });
});

describe('scanning', () => {
  it('opens the case of a Madoguchi QR code typed by a keyboard-wedge scanner, asking for missing parts', async () => {
    const sent: string[][] = [];
    const backend = new FakeBackend({
      resolveQr: (symbols) => {
        sent.push(symbols);
        return symbols.length < 2
          ? Promise.reject(
              new BackendError('validation', {
                status: 422,
                code: 'qr_incomplete',
                message: 'QRコードは2枚に分かれています（1枚読み取り済み）。残りも読み取ってください。',
              }),
            )
          : Promise.resolve({ kind: 'case', case_id: 'case-0042', body: null });
      },
    });
    renderWithBackend(<VisitPage />, backend);
    const input = screen.getByTestId('visit-search-input');
    fireEvent.change(input, { target: { value: 'MDG1.1.2.abcdef.AAAA' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(await screen.findByText(/残りも読み取ってください/)).toBeTruthy();
    fireEvent.change(input, { target: { value: 'MDG1.2.2.abcdef.BBBB' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(window.location.hash).toBe('#/staff/case/case-0042'));
    expect(sent[1]).toEqual(['MDG1.1.2.abcdef.AAAA', 'MDG1.2.2.abcdef.BBBB']);
    // No resident search was sent for the scanned text.
    expect(backend.callsOf('searchResidents')).toHaveLength(0);
  });
});
