import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TerminalsView } from '../../api/types';
import { BackendError } from '../../backend/Backend';
import { FakeBackend } from '../../test/FakeBackend';
import { renderWithBackend } from '../../test/render';
import { TerminalsPage, mayManageTerminals } from './TerminalsPage';

const CODE = 'ABCD EFGH IJKL MNOP QRST UVWX YZ23 4567 ABCD EFGH IJKL MNOP QRST U';

function view(): TerminalsView {
  return {
    terminals: [
      {
        id: 'pc-01',
        name: '市民課1番窓口',
        counters: ['shimin-1'],
        code_start: 'ABCD EFGH',
        registered_at: '2026-12-01T01:00:00Z',
        registered_by: 'admin',
      },
    ],
    counters: [
      { code: 'shimin-1', name: '市民課 1番窓口', browser_allowed: false },
      { code: 'kanri', name: '管理端末', browser_allowed: true },
    ],
  };
}

describe('TerminalsPage', () => {
  it('is for admins only', () => {
    expect(mayManageTerminals(['admin'])).toBe(true);
    expect(mayManageTerminals(['search', 'import_data'])).toBe(false);
    renderWithBackend(<TerminalsPage permissions={['search']} />, new FakeBackend());
    expect(screen.getByRole('alert').textContent).toContain('管理者だけ');
  });

  it('lists terminals with counter names and enrolls one with the chosen counters', async () => {
    const backend = new FakeBackend({
      terminals: () => Promise.resolve(view()),
      enrollTerminal: (id, req) =>
        Promise.resolve({ ...view().terminals[0]!, id, name: req.name ?? '', counters: req.counters }),
    });
    renderWithBackend(<TerminalsPage permissions={['admin']} />, backend);
    const row = await screen.findByTestId('terminal-pc-01');
    expect(row.textContent).toContain('市民課 1番窓口');
    expect(row.textContent).toContain('ABCD EFGH');

    fireEvent.change(screen.getByLabelText('端末ID'), { target: { value: ' kiosk-02 ' } });
    fireEvent.change(screen.getByLabelText('名称（設置場所など）'), { target: { value: '1階ロビー' } });
    fireEvent.change(screen.getByLabelText('登録コード'), { target: { value: CODE } });
    fireEvent.click(screen.getByRole('checkbox', { name: /^\s*管理端末$/ }));
    fireEvent.click(screen.getByTestId('terminal-enroll'));
    expect((await screen.findByTestId('terminals-done')).textContent).toBe('端末 kiosk-02 を登録しました。');
    expect(backend.callsOf('enrollTerminal')).toEqual([
      ['kiosk-02', { name: '1階ロビー', enrollment_code: CODE, counters: ['kanri'] }],
    ]);
    await waitFor(() => expect(backend.callsOf('terminals')).toHaveLength(2));
  });

  it('shows the server’s Japanese reason and keeps what was typed', async () => {
    const backend = new FakeBackend({
      terminals: () => Promise.resolve(view()),
      enrollTerminal: () =>
        Promise.reject(
          new BackendError('validation', {
            status: 400,
            code: 'invalid_registration',
            message: '登録コードに入力誤りがあります。端末の表示と見比べてください。',
          }),
        ),
    });
    renderWithBackend(<TerminalsPage permissions={['admin']} />, backend);
    await screen.findByTestId('terminal-pc-01');
    fireEvent.change(screen.getByLabelText('端末ID'), { target: { value: 'pc-02' } });
    fireEvent.change(screen.getByLabelText('登録コード'), { target: { value: 'ABCD' } });
    fireEvent.click(screen.getByTestId('terminal-enroll'));
    expect((await screen.findByTestId('terminal-enroll-error')).textContent).toContain('入力誤り');
    expect((screen.getByLabelText('登録コード') as HTMLTextAreaElement).value).toBe('ABCD');
  });

  it("shows each terminal's reported devices, a test double as such, or that it never reported", async () => {
    const two = view();
    two.terminals.push({
      ...two.terminals[0]!,
      id: 'kiosk-01',
      devices: {
        reported_at: '2026-12-01T01:05:00Z',
        app_version: '0.9.0',
        receipt_printer: { kind: 'mock' },
        document_printer: { kind: 'device' },
        signal_tower: null,
        card_reader: 'ACS ACR39U',
        card_state: 'no_card',
        receipt_paper_out: false,
      },
    });
    renderWithBackend(<TerminalsPage permissions={['admin']} />, new FakeBackend({ terminals: () => Promise.resolve(two) }));
    const devices = (await screen.findByTestId('terminal-devices-kiosk-01')).textContent ?? '';
    expect(devices).toContain('受付票プリンタテスト用（模擬）');
    expect(devices).toContain('帳票プリンタUSB・シリアル接続');
    expect(devices).toContain('表示灯なし');
    expect(devices).toContain('ACS ACR39U・接続済み（カードなし）');
    expect(devices).not.toContain('用紙切れ');
    expect(screen.getByTestId('terminal-devices-pc-01').textContent).toContain('報告なし');
  });

  it('removes a terminal after asking, and switches browser logins per counter', async () => {
    const backend = new FakeBackend({
      terminals: () => Promise.resolve(view()),
      removeTerminal: () => Promise.resolve(),
      setCounterBrowser: (code, allowed) => Promise.resolve({ code, name: code, browser_allowed: allowed }),
    });
    renderWithBackend(<TerminalsPage permissions={['admin']} />, backend);
    await screen.findByTestId('terminal-pc-01');
    fireEvent.click(screen.getByRole('button', { name: '登録解除' }));
    expect(backend.callsOf('removeTerminal')).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: '解除する' }));
    expect((await screen.findByTestId('terminals-done')).textContent).toBe('端末 pc-01 の登録を解除しました。');
    expect(backend.callsOf('removeTerminal')).toEqual([['pc-01']]);

    fireEvent.click(screen.getByTestId('browser-shimin-1'));
    await waitFor(() => expect(backend.callsOf('setCounterBrowser')).toEqual([['shimin-1', true]]));
  });
});
