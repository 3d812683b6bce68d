import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeBackend } from '../../../test/FakeBackend';
import { renderWithBackend } from '../../../test/render';
import { DisclosuresPanel } from './DisclosuresPanel';
import { page, record } from './fixtures';

describe('DisclosuresPanel', () => {
  it('lists the disclosures of the last 30 days: who, when, which resident, why, where', async () => {
    const backend = new FakeBackend({
      auditRecords: () =>
        Promise.resolve(
          page([record(9, 'resident.address_disclosure', { subject: '000000000000019', reason: '本人からの申出による証明書交付', counter: 'shimin-1' })]),
        ),
    });
    renderWithBackend(<DisclosuresPanel />, backend);
    const row = await screen.findByTestId('disclosure-row');
    expect(screen.getByTestId('disclosure-subject').textContent).toBe('000000000000019');
    expect(screen.getByTestId('disclosure-reason').textContent).toBe('本人からの申出による証明書交付');
    expect(row.textContent).toContain('shimin-1');
    expect(row.textContent).toContain('demo');
    expect(backend.callsOf('auditRecords')[0]![0]).toMatchObject({
      action: 'resident.address_disclosure,case.address_disclosure',
      page: 1,
    });
  });

  it('says when there is none', async () => {
    renderWithBackend(<DisclosuresPanel />, new FakeBackend({ auditRecords: () => Promise.resolve(page([])) }));
    expect((await screen.findByTestId('disclosures-none')).textContent).toBe('この期間に開示の記録はありません。');
  });
});
