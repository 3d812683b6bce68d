import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AuditVerification } from '../../../api/types';
import { FakeBackend } from '../../../test/FakeBackend';
import { renderWithBackend } from '../../../test/render';
import { AuditChainStatus } from './AuditChainStatus';

const anchorOff = { configured: false, last_id: null, head_at: null, written_at: null, matches: null, problem: null };

describe('AuditChainStatus', () => {
  it('verifies on request and says the chain is intact, anchoring off', async () => {
    const result: AuditVerification = { intact: true, first_bad_id: null, problem: null, checked_at: '2026-12-07T11:00:00+09:00', anchor: anchorOff };
    const backend = new FakeBackend({ auditVerification: () => Promise.resolve(result) });
    renderWithBackend(<AuditChainStatus />, backend);
    expect(backend.callsOf('auditVerification')).toHaveLength(0);
    fireEvent.click(screen.getByTestId('audit-verify'));
    expect((await screen.findByTestId('audit-chain-intact')).textContent).toContain('改ざんは見つかりませんでした');
    expect(screen.getByTestId('audit-anchor').textContent).toContain('設定されていません');
  });

  it('shows a broken chain and the latest anchor', async () => {
    const result: AuditVerification = {
      intact: false,
      first_bad_id: 42,
      problem: '記録番号 42 以降の記録が、改ざん・削除・並べ替えされた可能性があります。',
      checked_at: '2026-12-07T11:00:00+09:00',
      anchor: { configured: true, last_id: 40, head_at: '2026-12-07T10:00:00+09:00', written_at: '2026-12-07T10:01:00+09:00', matches: true, problem: null },
    };
    renderWithBackend(<AuditChainStatus />, new FakeBackend({ auditVerification: () => Promise.resolve(result) }));
    fireEvent.click(screen.getByTestId('audit-verify'));
    expect((await screen.findByTestId('audit-chain-broken')).textContent).toContain('記録番号 42');
    expect(screen.getByTestId('audit-anchor').textContent).toContain('記録番号 40');
    expect(screen.getByTestId('audit-anchor').textContent).toContain('一致しています');
  });
});
