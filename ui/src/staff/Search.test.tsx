import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { SearchResponse } from '../api/types';
import { FakeBackend } from '../test/FakeBackend';
import { makeHousehold, makeResident } from '../test/fixtures';
import { renderWithBackend } from '../test/render';
import { ResidentSearch } from './Search';

const plain = makeResident();
const protectedResident = makeResident({
  atena_no: '000000000000002',
  household_no: '100000000000002',
  name: '佐藤 花子',
  kana: 'サトウ ハナコ',
  sex: 'female',
  sex_label: '女',
  address: null,
  address_masked: true,
  support_measure: true,
  support_measure_label: '支援措置',
});

function found(...results: ReturnType<typeof makeResident>[]): SearchResponse {
  return { count: results.length, more: false, results };
}

function type(text: string) {
  fireEvent.change(screen.getByTestId('resident-search-input'), { target: { value: text } });
}

describe('ResidentSearch', () => {
  it('shows the 支援措置 warning and no address for a masked resident', async () => {
    const backend = new FakeBackend({ searchResidents: () => Promise.resolve(found(plain, protectedResident)) });
    renderWithBackend(<ResidentSearch />, backend);
    type('山田');

    const rows = await screen.findAllByTestId('resident-result');
    expect(rows).toHaveLength(2);

    const masked = within(rows[1]!);
    expect(masked.getByText('佐藤 花子')).toBeTruthy();
    expect(masked.getByTestId('support-measure-warning').textContent).toContain('支援措置対象者');
    expect(masked.queryByTestId('resident-address')).toBeNull();
    expect(rows[1]!.textContent).not.toContain('東京都');

    const normal = within(rows[0]!);
    expect(normal.getByTestId('resident-address').textContent).toBe('東京都デモ市本町一丁目1番1号');
    expect(normal.queryByTestId('support-measure-warning')).toBeNull();
    expect(rows[0]!.textContent).toContain('昭和50年4月1日');
  });

  it('moves with ↑/↓, chooses with Enter and shows the household', async () => {
    const spouse = makeResident({ atena_no: '000000000000003', name: '山田 花子', relation: '妻' });
    const backend = new FakeBackend({
      searchResidents: () => Promise.resolve(found(plain, protectedResident)),
      household: () => Promise.resolve(makeHousehold([plain, spouse])),
    });
    renderWithBackend(<ResidentSearch />, backend);
    type('山田');
    await screen.findAllByTestId('resident-result');

    const searchInput = screen.getByTestId('resident-search-input');
    fireEvent.keyDown(searchInput, { key: 'ArrowDown' });
    fireEvent.keyDown(searchInput, { key: 'ArrowUp' });
    fireEvent.keyDown(searchInput, { key: 'Enter' });

    const panel = await screen.findByTestId('household-panel');
    expect(await within(panel).findAllByTestId('household-member')).toHaveLength(2);
    expect(backend.callsOf('household')).toEqual([['100000000000001']]);
    expect(panel.textContent).toContain('山田 花子');
  });

  it('debounces typing, aborts the previous request and ignores stale answers', async () => {
    const pending: Array<{ q: string; signal?: AbortSignal; resolve: (r: SearchResponse) => void }> = [];
    const backend = new FakeBackend({
      searchResidents: (query, signal) =>
        new Promise((resolve) => pending.push({ q: query.q ?? '', signal, resolve })),
    });
    renderWithBackend(<ResidentSearch />, backend);

    type('ヤ');
    type('ヤマ'); // within the debounce: only one request for ヤマ
    await screen.findByText('検索中…');
    type('ヤマダ');
    await new Promise((r) => setTimeout(r, 200));

    expect(pending.map((p) => p.q)).toEqual(['ヤマ', 'ヤマダ']);
    expect(pending[0]!.signal?.aborted).toBe(true);
    pending[1]!.resolve(found(plain));
    pending[0]!.resolve(found(protectedResident)); // late answer to the old query
    const rows = await screen.findAllByTestId('resident-result');
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.getAllByTestId('resident-result')).toHaveLength(1);
    expect(rows[0]!.textContent).toContain('山田 太郎');
  });

  it('offers the audited disclosure of a protected address in the household view with the permission only', async () => {
    const household = { ...makeHousehold([protectedResident]), address: null, address_masked: true };
    const backend = new FakeBackend({
      searchResidents: () => Promise.resolve(found(protectedResident)),
      household: () => Promise.resolve(household),
    });
    const { unmount } = renderWithBackend(<ResidentSearch permissions={['search', 'override_support_measure']} />, backend);
    type('佐藤');
    fireEvent.click((await screen.findAllByTestId('resident-result'))[0]!);
    const panel = await screen.findByTestId('household-panel');
    fireEvent.click(await within(panel).findByTestId('resident-disclose-address'));
    expect(within(panel).getByTestId('resident-disclosure-form')).toBeTruthy();
    unmount();

    renderWithBackend(<ResidentSearch permissions={['search']} />, backend);
    type('佐藤');
    fireEvent.click((await screen.findAllByTestId('resident-result'))[0]!);
    const other = await screen.findByTestId('household-panel');
    await within(other).findAllByTestId('household-member');
    expect(within(other).queryByTestId('resident-disclose-address')).toBeNull();
  });
});
