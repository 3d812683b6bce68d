import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ArrivalDetailView, ArrivalView, PrepareResult } from '../../api/types';
import { FakeBackend } from '../../test/FakeBackend';
import { renderWithBackend } from '../../test/render';
import { ArrivalsPage, mayViewArrivals, tomorrowJst } from './ArrivalsPage';

function arrival(notice: string, over: Partial<ArrivalView> = {}): ArrivalView {
  return {
    notice_no: notice,
    expected_on: '2026-12-08',
    source: 'feed',
    status: 'planned',
    prepared_case_id: null,
    problem: null,
    head_name: '山田　太郎',
    members: 4,
    old_address: '東京都世田谷区太子堂二丁目5番8号',
    procedures: null,
    address_masked: false,
    ...over,
  };
}

const prepared: PrepareResult = {
  notice_no: 'T-1',
  prepared: true,
  case_id: 'arrival-T-1',
  procedures: 7,
  forms: 3,
  form_problems: 0,
  problem: null,
};

const missing: PrepareResult = {
  notice_no: 'T-9',
  prepared: false,
  case_id: null,
  procedures: 0,
  forms: 0,
  form_problems: 0,
  problem: '通知番号 T-9 の転出証明書情報が届いていないため、準備できません。',
};

describe('ArrivalsPage', () => {
  it('lists tomorrow, prepares the day and shows each outcome in Japanese', async () => {
    let done = false;
    const backend = new FakeBackend({
      arrivals: () =>
        Promise.resolve(
          done
            ? [
                arrival('T-1', { status: 'prepared', prepared_case_id: 'arrival-T-1', procedures: 7 }),
                arrival('T-9', { head_name: null, members: 0, old_address: null, problem: missing.problem }),
              ]
            : [arrival('T-1'), arrival('T-9', { head_name: null, members: 0, old_address: null })],
        ),
      prepareArrivals: () => {
        done = true;
        return Promise.resolve([prepared, missing]);
      },
    });
    renderWithBackend(<ArrivalsPage />, backend);
    const rows = await screen.findAllByTestId('arrival-row');
    expect(rows).toHaveLength(2);
    const [first, second] = rows as [HTMLElement, HTMLElement];
    expect(backend.calls.find((c) => c.method === 'arrivals')?.args[0]).toBe(tomorrowJst());
    expect(within(first).getByText('4人')).toBeTruthy();
    expect(within(first).getByText('予定')).toBeTruthy();
    expect(within(second).getByText('（転出証明書情報なし）')).toBeTruthy();

    fireEvent.click(screen.getByTestId('arrivals-prepare-day'));
    const results = await screen.findByTestId('arrivals-results');
    expect(results.textContent).toContain('T-1: 準備しました（手続き 7件、様式 3件を確認）');
    expect(results.textContent).toContain('T-9: 通知番号 T-9 の転出証明書情報が届いていない');
    await waitFor(() => expect(screen.getAllByTestId('arrival-status')[0]?.textContent).toBe('準備済み'));
    expect(screen.getByTestId('arrival-problem').textContent).toContain('届いていない');
    fireEvent.click(screen.getByTestId('arrival-open-case'));
    expect(window.location.hash).toBe('#/staff/case/arrival-T-1');
  });

  it('opens one household with its members and procedures', async () => {
    const detail: ArrivalDetailView = {
      arrival: arrival('T-1', { status: 'prepared', prepared_case_id: 'arrival-T-1', procedures: 1 }),
      notice: {
        notice_no: 'T-1',
        old_address: '東京都世田谷区太子堂二丁目5番8号',
        new_address: 'さくら野市本町一丁目1番地',
        planned_on: '2026-12-01',
        head_name: '山田　太郎',
        members: [
          {
            name: '山田　太郎',
            kana: 'ヤマダ　タロウ',
            facts: { birth: '1988-04-12', relation: '世帯主' },
          },
        ],
      },
      procedure_names: ['転入届'],
    };
    const backend = new FakeBackend({
      arrivals: () => Promise.resolve([detail.arrival]),
      arrival: () => Promise.resolve(detail),
    });
    renderWithBackend(<ArrivalsPage />, backend);
    fireEvent.click(await screen.findByTestId('arrival-open'));
    const shown = await screen.findByTestId('arrival-detail');
    expect(shown.textContent).toContain('山田　太郎 さんの世帯（通知番号 T-1）');
    expect(shown.textContent).toContain('さくら野市本町一丁目1番地');
    expect(screen.getAllByTestId('arrival-member')).toHaveLength(1);
    expect(screen.getByTestId('arrival-procedures').textContent).toContain('転入届');
  });

  it('is shown to staff who accept 届出', () => {
    expect(mayViewArrivals(['accept_notification'])).toBe(true);
    expect(mayViewArrivals(['search'])).toBe(false);
  });
});
