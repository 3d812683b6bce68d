import { fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CertificateListItem, CertificateStatistics } from '../../api/types';
import { BackendError } from '../../backend';
import { stubCanvasText } from '../../test/canvasText';
import { FakeBackend } from '../../test/FakeBackend';
import { renderWithBackend } from '../../test/render';
import { CertificateHistoryPage } from './CertificateHistoryPage';

beforeEach(stubCanvasText);

const issued: CertificateListItem = {
  issue_no: 'R08-000012',
  issued_at: '2026-12-07T01:30:00Z',
  item: 'JUMINHYO',
  title: '住民票の写し',
  name: '髙橋　太郎',
  place: 'shimin-1',
  place_name: '市民課 1番窓口',
  issued_by: 'demo',
  case_id: 'case-0001',
  revoked_at: null,
  revoke_reason: null,
};

const stats: CertificateStatistics = {
  from: '2026-12-01',
  to: '2026-12-07',
  total: 5,
  revoked: 1,
  by_item: [{ key: 'JUMINHYO', label: '住民票の写し', count: 5 }],
  by_day: [
    { key: '2026-12-06', label: '12月6日', count: 2 },
    { key: '2026-12-07', label: '12月7日', count: 3 },
  ],
  by_hour: [{ key: '10', label: '10時', count: 5 }],
  by_place: [{ key: 'shimin-1', label: '市民課 1番窓口', count: 5 }],
};

describe('発行履歴・統計', () => {
  it('shows the period counts as charts and the certificates, and reprints one for a reason', async () => {
    const reprinted: Array<[string, string]> = [];
    const backend = new FakeBackend({
      certificateHistory: () => Promise.resolve([issued, { ...issued, issue_no: 'R08-000011', revoked_at: '2026-12-07T02:00:00Z', revoke_reason: '記載誤り' }]),
      certificateStatistics: () => Promise.resolve(stats),
      reprintCertificate: (no, reason) => {
        reprinted.push([no, reason]);
        return Promise.resolve({ pdf: new Blob(['%PDF-1.7']), pages: 1, issueNumbers: [no] });
      },
    });
    globalThis.URL.createObjectURL ??= () => 'blob:x';
    renderWithBackend(<CertificateHistoryPage />, backend);
    expect((await screen.findByTestId('history-total')).textContent).toBe('合計 5通（うち失効 1通）');
    expect(screen.getByTestId('chart-day').querySelector('svg')).not.toBeNull();
    expect(screen.getByTestId('chart-day').querySelector('table')?.textContent).toContain('12月7日3通');
    expect(screen.getByTestId('history-row-R08-000012').textContent).toContain('市民課 1番窓口');
    expect(screen.getByTestId('history-row-R08-000011').textContent).toContain('失効（記載誤り）');
    expect(screen.queryByTestId('history-reprint-R08-000011')).toBeNull();
    const prompt = vi.spyOn(window, 'prompt').mockReturnValue('用紙の汚れ');
    fireEvent.click(screen.getByTestId('history-reprint-R08-000012'));
    expect((await screen.findByTestId('history-message')).textContent).toContain('R08-000012');
    expect(reprinted).toEqual([['R08-000012', '用紙の汚れ']]);
    prompt.mockRestore();
  });

  it('searches a period and a 発行番号, and downloads the CSV', async () => {
    const queries: unknown[] = [];
    const backend = new FakeBackend({
      certificateHistory: (q) => {
        queries.push(q);
        return Promise.resolve([]);
      },
      certificateStatistics: () => Promise.resolve({ ...stats, total: 0, revoked: 0 }),
      certificateStatisticsCsv: () => Promise.resolve('\ufeff日付,時,証明書,窓口,件数\n'),
    });
    globalThis.URL.createObjectURL ??= () => 'blob:x';
    globalThis.URL.revokeObjectURL ??= () => undefined;
    renderWithBackend(<CertificateHistoryPage />, backend);
    await screen.findByTestId('history-empty');
    fireEvent.change(screen.getByTestId('history-from'), { target: { value: '2026-11-01' } });
    fireEvent.change(screen.getByTestId('history-to'), { target: { value: '2026-11-30' } });
    fireEvent.change(screen.getByTestId('history-number'), { target: { value: ' R08-000003 ' } });
    fireEvent.click(screen.getByTestId('history-show'));
    await waitFor(() => expect(queries).toHaveLength(2));
    expect(queries[1]).toEqual({ from: '2026-11-01', to: '2026-11-30', issue_no: 'R08-000003' });
    fireEvent.click(screen.getByTestId('history-csv'));
    await waitFor(() => expect(backend.callsOf('certificateStatisticsCsv')).toEqual([['2026-11-01', '2026-11-30']]));
  });

  it("shows the server's refusal", async () => {
    const backend = new FakeBackend({
      certificateHistory: () => Promise.reject(new BackendError('validation', { status: 400, message: '期間は366日以内で指定してください。' })),
      certificateStatistics: () => Promise.resolve(stats),
    });
    renderWithBackend(<CertificateHistoryPage />, backend);
    expect((await screen.findByTestId('history-problem')).textContent).toBe('期間は366日以内で指定してください。');
  });
});
