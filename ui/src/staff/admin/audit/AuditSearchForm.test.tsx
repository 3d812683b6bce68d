import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { AuditSearchForm } from './AuditSearchForm';

describe('AuditSearchForm', () => {
  it('searches with the period and only the filters given', () => {
    const onSearch = vi.fn();
    render(<AuditSearchForm initial={{ from: '2026-12-01', to: '2026-12-07' }} busy={false} onSearch={onSearch} onCsv={vi.fn()} />);
    fireEvent.change(screen.getByTestId('audit-user'), { target: { value: ' demo ' } });
    fireEvent.change(screen.getByTestId('audit-action'), { target: { value: 'login' } });
    fireEvent.click(screen.getByTestId('audit-show'));
    expect(onSearch).toHaveBeenCalledWith({ from: '2026-12-01', to: '2026-12-07', user: 'demo', action: 'login' });
  });

  it('offers the actions by their Japanese label', () => {
    render(<AuditSearchForm initial={{ from: '2026-12-01', to: '2026-12-07' }} busy={false} onSearch={vi.fn()} onCsv={vi.fn()} />);
    expect(screen.getByRole('option', { name: 'ログイン（login）' })).toBeTruthy();
  });

  it('refuses a period out of order in Japanese and exports what the form says', () => {
    const onSearch = vi.fn();
    const onCsv = vi.fn();
    render(<AuditSearchForm initial={{ from: '2026-12-01', to: '2026-12-07' }} busy={false} onSearch={onSearch} onCsv={onCsv} />);
    fireEvent.click(screen.getByTestId('audit-csv'));
    expect(onCsv).toHaveBeenCalledWith({ from: '2026-12-01', to: '2026-12-07' });
    fireEvent.change(screen.getByTestId('audit-from'), { target: { value: '2026-12-09' } });
    fireEvent.click(screen.getByTestId('audit-show'));
    expect(onSearch).not.toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).toContain('開始日は終了日以前');
  });
});
