import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { AuditRecordsTable } from './AuditRecordsTable';
import { record } from './fixtures';

describe('AuditRecordsTable', () => {
  it('shows a page with labelled actions, row headers, and opens a record', () => {
    const onOpen = vi.fn();
    render(
      <AuditRecordsTable
        records={[record(12, 'login'), record(11, 'odd.action', { subject: '000000000000019' })]}
        page={1}
        pageSize={50}
        hasMore
        onOpen={onOpen}
        onPage={vi.fn()}
      />,
    );
    const rows = screen.getAllByTestId('audit-row');
    expect(within(rows[0]!).getByRole('rowheader').textContent).toBe('12');
    expect(rows[0]!.textContent).toContain('ログイン');
    expect(rows[1]!.textContent).toContain('odd.action');
    expect(screen.getAllByRole('columnheader').length).toBe(9);
    fireEvent.click(screen.getByRole('button', { name: '記録 11 を開く' }));
    expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ id: 11 }));
  });

  it('pages forwards only when there is more, backwards only after the first', () => {
    const onPage = vi.fn();
    render(<AuditRecordsTable records={[record(1, 'login')]} page={2} pageSize={50} hasMore={false} onOpen={vi.fn()} onPage={onPage} />);
    expect((screen.getByTestId('audit-next') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('audit-previous'));
    expect(onPage).toHaveBeenCalledWith(1);
  });

  it('says so when nothing matches', () => {
    render(<AuditRecordsTable records={[]} page={1} pageSize={50} hasMore={false} onOpen={vi.fn()} onPage={vi.fn()} />);
    expect(screen.getByTestId('audit-none').textContent).toBe('条件に合う記録はありません。');
  });
});
