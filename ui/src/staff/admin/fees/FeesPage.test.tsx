import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { FeeSettings } from '../../../api/types';
import { BackendError } from '../../../backend/Backend';
import { FakeBackend } from '../../../test/FakeBackend';
import { renderWithBackend } from '../../../test/render';
import { FeesPage } from './FeesPage';

const TABLE: FeeSettings = {
  city: 'さくら野市',
  items: [
    { code: 'JUMINHYO', name: '住民票の写し', yen: 300 },
    { code: 'INKAN', name: '印鑑登録証明書', yen: 300 },
  ],
  exemptions: [{ code: 'NENKIN', name: '年金', reason: '年金手続のため免除', items: ['JUMINHYO'] }],
  revision: 'standard',
};

function backend(more = {}) {
  return new FakeBackend({
    feeSettings: () => Promise.resolve(TABLE),
    memoPhrases: () => Promise.resolve({ phrases: ['委任状を確認済み'], revision: 'standard' }),
    ...more,
  });
}

describe('FeesPage', () => {
  it('edits a fee and an exemption and saves the whole table on the revision read', async () => {
    const b = backend({ saveFeeSettings: (t: FeeSettings) => Promise.resolve({ ...t, revision: 'abc' }) });
    renderWithBackend(<FeesPage />, b);
    fireEvent.change(await screen.findByLabelText('手数料（円／通） 住民票の写し'), { target: { value: '350' } });
    fireEvent.click(screen.getByRole('checkbox', { name: '印鑑登録証明書' }));
    fireEvent.click(screen.getByTestId('fee-save'));
    await screen.findByTestId('fee-saved');
    const [[saved]] = b.callsOf('saveFeeSettings') as [[FeeSettings]];
    expect(saved.items[0]?.yen).toBe(350);
    expect(saved.exemptions[0]?.items).toEqual(['JUMINHYO', 'INKAN']);
    expect(saved.revision).toBe('standard');
  });

  it('shows why the server refused the table', async () => {
    const refusal = new BackendError('validation', {
      status: 422,
      code: 'invalid_fee_table',
      message: '手数料表: 「JUMINHYO」が重複しています。',
    });
    const b = backend({ saveFeeSettings: () => Promise.reject(refusal) });
    renderWithBackend(<FeesPage />, b);
    fireEvent.click(await screen.findByTestId('fee-add-item'));
    fireEvent.change(screen.getByLabelText('コード 3'), { target: { value: 'JUMINHYO' } });
    fireEvent.click(screen.getByTestId('fee-save'));
    expect((await screen.findByTestId('fee-error')).textContent).toContain('重複しています');
  });

  it('saves the memo phrases one per line', async () => {
    const b = backend({ saveMemoPhrases: (p: { phrases: string[] }) => Promise.resolve({ phrases: p.phrases.filter(Boolean), revision: 'r2' }) });
    renderWithBackend(<FeesPage />, b);
    const area = await screen.findByLabelText('定型文（1行に1つ）');
    await waitFor(() => expect((area as HTMLTextAreaElement).value).toBe('委任状を確認済み'));
    fireEvent.change(area, { target: { value: '委任状を確認済み\n国保の資格確認書を郵送予定' } });
    fireEvent.click(screen.getByTestId('phrases-save'));
    await screen.findByText('定型文を保存しました。');
    expect(b.callsOf('saveMemoPhrases')).toEqual([
      [{ phrases: ['委任状を確認済み', '国保の資格確認書を郵送予定'], revision: 'standard' }],
    ]);
  });
});
