import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeBackend } from '../../../test/FakeBackend';
import { renderWithBackend } from '../../../test/render';
import { ADMIN_SCREENS } from '../screens';
import { AUDIT_PATH, AuditPage, mayViewAudit } from './AuditPage';
import { page } from './fixtures';

describe('AuditPage', () => {
  it('is in the admin menu for view_audit only', () => {
    const entry = ADMIN_SCREENS.find((s) => s.path === AUDIT_PATH);
    expect(entry?.may(['view_audit'])).toBe(true);
    expect(entry?.may(['admin', 'search'])).toBe(false);
    expect(mayViewAudit(['search'])).toBe(false);
  });

  it('refuses without the permission', () => {
    renderWithBackend(<AuditPage permissions={['search']} />, new FakeBackend());
    expect(screen.getByTestId('audit-no-permission').textContent).toContain('操作ログの閲覧');
  });

  it('switches between the records and the disclosures with the arrow keys', async () => {
    const backend = new FakeBackend({ auditRecords: () => Promise.resolve(page([])) });
    renderWithBackend(<AuditPage permissions={['view_audit']} />, backend);
    expect(screen.getByTestId('audit-records-panel')).toBeTruthy();
    expect(screen.getByTestId('audit-chain')).toBeTruthy();
    const tab = screen.getByRole('tab', { name: '操作の記録' });
    fireEvent.keyDown(tab, { key: 'ArrowRight' });
    expect(screen.getByRole('tab', { name: '支援措置の開示' }).getAttribute('aria-selected')).toBe('true');
    expect(await screen.findByTestId('disclosures-panel')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: '支援措置の開示' }));
  });
});
