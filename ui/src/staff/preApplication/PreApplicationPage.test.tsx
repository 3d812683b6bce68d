import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ResidentView } from '../../api/types';
import { BackendError } from '../../backend';
import { FakeBackend } from '../../test/FakeBackend';
import { makeResident } from '../../test/fixtures';
import { renderWithBackend } from '../../test/render';
import { loadVisit, storeVisit } from '../visit/draftStore';
import { moveBody } from './testBodies';
import { handOverPreApplication } from './pending';
import { PreApplicationPage } from './PreApplicationPage';

const ACCEPT = ['accept_notification'];

function found(...results: ResidentView[]) {
  return Promise.resolve({ count: results.length, more: false, results });
}

describe('PreApplicationPage', () => {
  beforeEach(() => {
    storeVisit(null);
    window.location.hash = '#/staff/pre-application';
  });

  it('shows a scanned application, marks what differs from the record and opens the visit', async () => {
    const taro = makeResident({ kana: 'ヤマダ タロウ', birth_date: '1975-04-02' });
    const backend = new FakeBackend({
      towns: () => Promise.resolve([]),
      searchResidents: (q) => (q.q?.includes('タロウ') || q.q?.includes('太郎') ? found(taro) : found()),
    });
    handOverPreApplication(moveBody());
    renderWithBackend(<PreApplicationPage permissions={ACCEPT} />, backend);
    expect(screen.getByTestId('pre-summary').textContent).toContain('QRコードから読み取りました');
    const first = within(await screen.findByTestId('pre-member-0'));
    await first.findByTestId(`pre-candidate-${taro.atena_no}`);
    expect(first.getByTestId('pre-diff-birth').textContent).toContain('1975-04-02');
    expect(first.getByText('入力と違う項目: 生年月日')).toBeTruthy();
    expect(await within(screen.getByTestId('pre-member-1')).findByText(/該当する住民記録はありません/)).toBeTruthy();
    // The only candidate is picked; the visit opens on its 届出 step with the household.
    expect(first.getByRole('radio', { checked: true })).toBeTruthy();
    fireEvent.click(screen.getByTestId('pre-start'));
    const visit = loadVisit();
    expect(visit?.step).toBe(2);
    expect(visit?.draft.document.notifications?.[0]?.members.map((m) => m.atena_no)).toEqual([taro.atena_no, null]);
    expect(visit?.draft.document.memo).toContain('事前申請（QR）より');
    expect(window.location.hash).toBe('#/staff/visit');
  });

  it('loads one by its 受付番号 and refuses a mistyped one in Japanese', async () => {
    const backend = new FakeBackend({
      towns: () => Promise.resolve([]),
      searchResidents: () => found(),
      preApplication: (n) =>
        n === '12345671'
          ? Promise.resolve({ number: n, body: moveBody(), expires: '2026-12-31' })
          : Promise.reject(new BackendError('not_found', { status: 404, code: 'not_found', message: 'その受付番号の事前申請はありません。' })),
    });
    renderWithBackend(<PreApplicationPage permissions={ACCEPT} />, backend);
    const input = screen.getByTestId('pre-number-input');
    fireEvent.change(input, { target: { value: '1234' } });
    fireEvent.click(screen.getByTestId('pre-number-submit'));
    expect((await screen.findByTestId('pre-error')).textContent).toContain('受付番号は8桁の数字です');
    fireEvent.change(input, { target: { value: '１２３４－５６７１' } });
    fireEvent.click(screen.getByTestId('pre-number-submit'));
    expect((await screen.findByTestId('pre-summary')).textContent).toContain('受付番号 1234-5671 から読み込みました');
    expect(backend.calls.filter((c) => c.method === 'preApplication').map((c) => c.args[0])).toEqual(['12345671']);
    await waitFor(() => expect(screen.getAllByText(/該当する住民記録はありません/)).toHaveLength(2));
  });

  it('is refused without the permission', () => {
    renderWithBackend(<PreApplicationPage permissions={[]} />, new FakeBackend({ towns: () => Promise.resolve([]) }));
    expect(screen.getByRole('alert').textContent).toContain('届出の受付');
  });
});
