import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { IssuanceRules } from '../../api/types';
import { BackendError } from '../../backend';
import { FakeBackend } from '../../test/FakeBackend';
import { renderWithBackend } from '../../test/render';
import { IssuanceRulesForm } from './IssuanceRulesForm';

describe('発行の規則', () => {
  it('lets the city take 支援措置 requests at the stations for staff to check', async () => {
    const saved: IssuanceRules[] = [];
    const backend = new FakeBackend({
      issuanceRules: () => Promise.resolve({ support_measure_at_station: 'refuse' }),
      saveIssuanceRules: (rules) => {
        saved.push(rules);
        return Promise.resolve(rules);
      },
    });
    renderWithBackend(<IssuanceRulesForm />, backend);
    const refuse = (await screen.findByTestId('issuance-rules-refuse')) as HTMLInputElement;
    expect(refuse.checked).toBe(true);
    expect(screen.getByText(/支援措置の対象の方が発行端末で申し込んだとき/)).toBeTruthy();
    fireEvent.click(screen.getByTestId('issuance-rules-staff_check'));
    fireEvent.click(screen.getByTestId('issuance-rules-save'));
    expect((await screen.findByTestId('issuance-rules-done')).textContent).toBe('発行の規則を保存しました。');
    expect(saved).toEqual([{ support_measure_at_station: 'staff_check' }]);
  });

  it("shows the server's refusal", async () => {
    const backend = new FakeBackend({
      issuanceRules: () => Promise.resolve({ support_measure_at_station: 'staff_check' }),
      saveIssuanceRules: () => Promise.reject(new BackendError('forbidden', { status: 403, message: 'この操作の権限がありません。' })),
    });
    renderWithBackend(<IssuanceRulesForm />, backend);
    fireEvent.click(await screen.findByTestId('issuance-rules-save'));
    expect((await screen.findByTestId('issuance-rules-problem')).textContent).toContain('権限がありません');
  });
});
