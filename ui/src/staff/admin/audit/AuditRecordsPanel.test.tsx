import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendError } from '../../../backend/Backend';
import { FakeBackend } from '../../../test/FakeBackend';
import { renderWithBackend } from '../../../test/render';
import { AuditRecordsPanel } from './AuditRecordsPanel';
import { page, record } from './fixtures';

afterEach(() => vi.restoreAllMocks());

describe('AuditRecordsPanel', () => {
  it('searches the last week at once, opens a record, pages with the same filters', async () => {
    const backend = new FakeBackend({
      auditRecords: (q) => Promise.resolve(page([record(q.page === 2 ? 1 : 2, 'login')], q.page ?? 1, q.page !== 2)),
    });
    renderWithBackend(<AuditRecordsPanel />, backend);
    await screen.findByTestId('audit-table');
    const first = backend.callsOf('auditRecords')[0]![0] as { from: string; to: string; page: number };
    expect(first.page).toBe(1);
    expect(first.from <= first.to).toBe(true);
    fireEvent.change(screen.getByTestId('audit-user'), { target: { value: 'demo' } });
    fireEvent.click(screen.getByTestId('audit-show'));
    await waitFor(() => expect(backend.callsOf('auditRecords')).toHaveLength(2));
    fireEvent.click(await screen.findByTestId('audit-next'));
    await waitFor(() => expect(backend.callsOf('auditRecords')).toHaveLength(3));
    expect(backend.callsOf('auditRecords')[2]![0]).toMatchObject({ user: 'demo', page: 2 });
    fireEvent.click(await screen.findByRole('button', { name: '記録 1 を開く' }));
    expect(screen.getByTestId('audit-record')).toBeTruthy();
  });

  it('exports the search as CSV', async () => {
    const created = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:x');
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    const backend = new FakeBackend({
      auditRecords: () => Promise.resolve(page([])),
      auditRecordsCsv: () => Promise.resolve('記録番号,日時\n1,x\n'),
    });
    renderWithBackend(<AuditRecordsPanel />, backend);
    await screen.findByTestId('audit-none');
    fireEvent.click(screen.getByTestId('audit-csv'));
    expect((await screen.findByTestId('audit-message')).textContent).toBe('CSV を出力しました。');
    expect(created).toHaveBeenCalled();
    expect(backend.callsOf('auditRecordsCsv')).toHaveLength(1);
  });

  it('shows the server refusal in Japanese', async () => {
    const backend = new FakeBackend({
      auditRecords: () =>
        Promise.reject(new BackendError('validation', { status: 400, code: 'invalid_period', message: '期間は開始日から終了日まで1年以内で指定してください。' })),
    });
    renderWithBackend(<AuditRecordsPanel />, backend);
    expect((await screen.findByTestId('audit-problem')).textContent).toContain('1年以内');
  });
});
