import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { AuditRecordDetail } from './AuditRecordDetail';
import { record } from './fixtures';

describe('AuditRecordDetail', () => {
  it('shows every field of the record, and closes with Esc', () => {
    const onClose = vi.fn();
    render(
      <AuditRecordDetail
        record={record(7, 'resident.address_disclosure', { subject: '000000000000019', reason: '本人からの申出', terminal: 'pc-1' })}
        onClose={onClose}
      />,
    );
    expect(screen.getByRole('heading', { name: '記録 7' })).toBe(document.activeElement);
    expect(screen.getByTestId('audit-field-action').textContent).toBe('支援措置の住所の開示（住民）（resident.address_disclosure）');
    expect(screen.getByTestId('audit-field-subject').textContent).toBe('000000000000019');
    expect(screen.getByTestId('audit-field-reason').textContent).toBe('本人からの申出');
    expect(screen.getByTestId('audit-field-terminal').textContent).toBe('pc-1');
    expect(screen.getByTestId('audit-field-hash').textContent).toBe('b'.repeat(64));
    expect(screen.getByTestId('audit-field-prevhash').textContent).toBe('a'.repeat(64));
    fireEvent.keyDown(screen.getByTestId('audit-record'), { key: 'Escape' });
    expect(onClose).toHaveBeenCalled();
  });
});
