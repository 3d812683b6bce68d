import { fireEvent, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import type { CertificateLine, FeeTableView, OwnCounterCertificates, QuoteRequest } from '../../api/types';
import { FakeBackend } from '../../test/FakeBackend';
import { renderWithBackend } from '../../test/render';
import { todayIso } from '../../case/today';
import { CertificatesStep, itemsValue, lineHasRelation, lineItems, lineScope, offeredItems, taxYears } from './CertificatesStep';
import { emptyDraft, type Draft } from './model';

const table: FeeTableView = {
  items: [
    { code: 'JUMINHYO', name: '住民票の写し', yen: 300 },
    { code: 'KISAI-JIKOU', name: '住民票記載事項証明書', yen: 300 },
    { code: 'INKAN-SHOMEI', name: '印鑑登録証明書', yen: 300 },
    { code: 'SHOTOKU-SHOMEI', name: '所得・課税証明書', yen: 300 },
  ],
  exemptions: [],
};

/** The counter's certificates: unset, every one (as when the route cannot be reached). */
function backend(own?: OwnCounterCertificates) {
  return new FakeBackend({
    feeTable: () => Promise.resolve(table),
    ...(own ? { ownCounterCertificates: () => Promise.resolve(own) } : {}),
    quote: (req: QuoteRequest) =>
      Promise.resolve({
        lines: req.items.map((i) => ({
          item: i.item,
          name: table.items.find((t) => t.code === i.item)!.name,
          copies: i.copies,
          unit_yen: 300,
          yen: 300 * i.copies,
        })),
        total_yen: req.items.reduce((sum, i) => sum + 300 * i.copies, 0),
      }),
  });
}

let latest: Draft | null = null;

function Harness({ initial = [] }: { initial?: CertificateLine[] }) {
  const [draft, setDraft] = useState<Draft>(() => {
    const d = emptyDraft('case-0001');
    return { ...d, document: { ...d.document, certificates: initial } };
  });
  latest = draft;
  return <CertificatesStep draft={draft} setDraft={(u) => setDraft((d) => u(d))} onNext={() => {}} />;
}

const lines = () => latest!.document.certificates ?? [];

async function ready() {
  await screen.findByRole('option', { name: /住民票の写し/ });
}

describe('CertificatesStep: a 住民票の写し line’s options', () => {
  it('adds a line for 世帯全員 with 続柄 (the standard set) by default, from the keyboard', async () => {
    renderWithBackend(<Harness />, backend());
    await ready();
    expect((screen.getByTestId('cert-scope') as HTMLSelectElement).value).toBe('世帯全員');
    expect((screen.getByTestId('cert-relation') as HTMLInputElement).checked).toBe(true);
    fireEvent.change(screen.getByTestId('cert-copies'), { target: { value: '2' } });
    fireEvent.keyDown(screen.getByTestId('cert-copies'), { key: 'Enter' });
    expect(lines()).toEqual([
      { item: 'JUMINHYO', copies: 2, name: '住民票の写し', yen: 0, scope: '世帯全員', items: null },
    ]);
    await screen.findByText('600円', { selector: '[data-testid=fee-total]', exact: false });
  });

  it('adds 本人のみ without 続柄 as chosen before the copies', async () => {
    renderWithBackend(<Harness />, backend());
    await ready();
    fireEvent.change(screen.getByTestId('cert-scope'), { target: { value: '本人のみ' } });
    fireEvent.click(screen.getByTestId('cert-relation'));
    fireEvent.keyDown(screen.getByTestId('cert-copies'), { key: 'Enter' });
    expect(lines()[0]).toMatchObject({ item: 'JUMINHYO', copies: 1, scope: '本人のみ', items: [] });
  });

  it('offers the options only for the 住民票の写し, and stores none on other lines', async () => {
    renderWithBackend(<Harness />, backend());
    await ready();
    fireEvent.change(screen.getByTestId('cert-item'), { target: { value: 'INKAN-SHOMEI' } });
    expect(screen.queryByTestId('cert-scope')).toBeNull();
    expect(screen.queryByTestId('cert-relation')).toBeNull();
    fireEvent.keyDown(screen.getByTestId('cert-copies'), { key: 'Enter' });
    expect(lines()[0]).toEqual({ item: 'INKAN-SHOMEI', copies: 1, name: '印鑑登録証明書', yen: 0 });
    await waitFor(() => expect(screen.getAllByTestId('cert-line')).toHaveLength(1));
    expect(screen.queryByTestId('cert-line-scope')).toBeNull();
  });

  it('changes the scope and 続柄 of a line already in the list', async () => {
    renderWithBackend(<Harness initial={[{ item: 'JUMINHYO', copies: 1, name: '住民票の写し', yen: 300 }]} />, backend());
    await ready();
    const scope = screen.getByRole('combobox', { name: '住民票の写しの範囲' }) as HTMLSelectElement;
    const relation = screen.getByRole('checkbox', { name: '住民票の写しに続柄を記載' }) as HTMLInputElement;
    // A line saved before the options existed: 世帯全員, with 続柄.
    expect(scope.value).toBe('世帯全員');
    expect(relation.checked).toBe(true);
    fireEvent.change(scope, { target: { value: '本人のみ' } });
    expect(lines()[0]).toMatchObject({ scope: '本人のみ', items: null });
    fireEvent.click(relation);
    expect(lines()[0]).toMatchObject({ scope: '本人のみ', items: [] });
    fireEvent.click(screen.getByRole('checkbox', { name: '住民票の写しに続柄を記載' }));
    expect(lines()[0]).toMatchObject({ scope: '本人のみ', items: null });
  });
});

describe('CertificatesStep: 記載事項 (本籍・筆頭者, 住民票コード, 前住所)', () => {
  it('adds a 住民票の写し with 本籍・筆頭者 and 住民票コード chosen', async () => {
    renderWithBackend(<Harness />, backend());
    await ready();
    for (const id of ['cert-item-honseki', 'cert-item-juminhyo_code', 'cert-item-previous_address']) {
      expect((screen.getByTestId(id) as HTMLInputElement).checked).toBe(false);
    }
    fireEvent.click(screen.getByTestId('cert-item-honseki'));
    fireEvent.click(screen.getByTestId('cert-item-juminhyo_code'));
    fireEvent.keyDown(screen.getByTestId('cert-copies'), { key: 'Enter' });
    expect(lines()[0]).toMatchObject({
      item: 'JUMINHYO',
      scope: '世帯全員',
      items: ['relation', 'honseki', 'juminhyo_code'],
    });
  });

  it('offers the 住民票記載事項証明書 with its 記載事項 and no scope', async () => {
    renderWithBackend(<Harness />, backend());
    await ready();
    fireEvent.change(screen.getByTestId('cert-item'), { target: { value: 'KISAI-JIKOU' } });
    expect(screen.queryByTestId('cert-scope')).toBeNull();
    fireEvent.click(screen.getByTestId('cert-item-previous_address'));
    fireEvent.keyDown(screen.getByTestId('cert-copies'), { key: 'Enter' });
    expect(lines()).toEqual([
      { item: 'KISAI-JIKOU', copies: 1, name: '住民票記載事項証明書', yen: 0, items: ['relation', 'previous_address'] },
    ]);
    await waitFor(() => expect(screen.getAllByTestId('cert-line')).toHaveLength(1));
    expect(screen.queryByTestId('cert-line-scope')).toBeNull();
    fireEvent.click(screen.getByRole('checkbox', { name: '住民票記載事項証明書に前住所を記載' }));
    expect(lines()[0]!.items).toBeNull();
  });

  it('changes the items of a line already in the list', async () => {
    renderWithBackend(<Harness initial={[{ item: 'JUMINHYO', copies: 1, name: '住民票の写し', yen: 300 }]} />, backend());
    await ready();
    fireEvent.click(screen.getByRole('checkbox', { name: '住民票の写しに本籍・筆頭者を記載' }));
    expect(lines()[0]).toMatchObject({ scope: '世帯全員', items: ['relation', 'honseki'] });
    fireEvent.click(screen.getByRole('checkbox', { name: '住民票の写しに続柄を記載' }));
    expect(lines()[0]).toMatchObject({ items: ['honseki'] });
  });

  it('stores the standard set (続柄 alone) as null and lists in print order', () => {
    expect(itemsValue(['relation'])).toBeNull();
    expect(itemsValue([])).toEqual([]);
    expect(itemsValue(['previous_address', 'relation'])).toEqual(['relation', 'previous_address']);
    expect(lineItems({ item: 'JUMINHYO', copies: 1 })).toEqual(['relation']);
    expect(lineItems({ item: 'JUMINHYO', copies: 1, items: ['juminhyo_code'] })).toEqual(['juminhyo_code']);
  });
});

describe('CertificatesStep: 使用目的', () => {
  it('records the 使用目的 per line, offering the common ones, and clears it when emptied', async () => {
    renderWithBackend(<Harness initial={[{ item: 'JUMINHYO', copies: 1, name: '住民票の写し', yen: 0 }, { item: 'INKAN-SHOMEI', copies: 1, name: '印鑑登録証明書', yen: 0 }]} />, backend());
    await ready();
    const inputs = await screen.findAllByTestId('cert-line-purpose');
    expect(inputs).toHaveLength(2);
    expect(screen.getByLabelText('住民票の写し の使用目的')).toBe(inputs[0]);
    expect([...document.querySelectorAll('#cert-purposes option')].map((o) => (o as HTMLOptionElement).value)).toContain('年金の手続き');
    fireEvent.change(inputs[1]!, { target: { value: '自動車の登録' } });
    expect(lines().map((l) => l.purpose ?? null)).toEqual([null, '自動車の登録']);
    fireEvent.change(inputs[1]!, { target: { value: '' } });
    expect(lines()[1]?.purpose).toBeNull();
  });
});

describe('line options as stored', () => {
  const base = { item: 'JUMINHYO', copies: 1 };
  it('reads the scope, 世帯全員 unless 本人のみ', () => {
    expect(lineScope(base)).toBe('世帯全員');
    expect(lineScope({ ...base, scope: null })).toBe('世帯全員');
    expect(lineScope({ ...base, scope: '本人のみ' })).toBe('本人のみ');
  });

  it('reads 続柄: the standard set (null) and a list naming it have it, an empty list omits it', () => {
    expect(lineHasRelation(base)).toBe(true);
    expect(lineHasRelation({ ...base, items: null })).toBe(true);
    expect(lineHasRelation({ ...base, items: ['relation'] })).toBe(true);
    expect(lineHasRelation({ ...base, items: [] })).toBe(false);
  });
});

describe('CertificatesStep: a 所得・課税証明書 line’s 課税年度', () => {
  it('lists the 年度 of the day (from April) back to five years before, newest first', () => {
    expect(taxYears('2026-12-07')).toEqual([2026, 2025, 2024, 2023, 2022, 2021]);
    expect(taxYears('2027-03-31')).toEqual([2026, 2025, 2024, 2023, 2022]);
  });

  it('offers the 年度 in 和暦 only for the 所得・課税証明書 and stores the one chosen on the line', async () => {
    renderWithBackend(<Harness />, backend());
    await ready();
    expect(screen.queryByTestId('cert-year')).toBeNull();
    fireEvent.change(screen.getByTestId('cert-item'), { target: { value: 'SHOTOKU-SHOMEI' } });
    const select = screen.getByTestId('cert-year') as HTMLSelectElement;
    const years = taxYears(todayIso());
    expect(Number(select.value)).toBe(years[0]);
    expect(screen.getAllByRole('option', { name: /^令和(\d+|元)年度$/ })).toHaveLength(years.length);
    fireEvent.change(select, { target: { value: String(years[1]) } });
    fireEvent.keyDown(screen.getByTestId('cert-copies'), { key: 'Enter' });
    expect(lines()).toEqual([{ item: 'SHOTOKU-SHOMEI', copies: 1, name: '所得・課税証明書', yen: 0, year: years[1] }]);
    expect(screen.getByTestId('cert-line-year').textContent).toBe(`令和${years[1]! - 2018}年度`);
  });
});

describe('CertificatesStep: the certificates this counter issues', () => {
  const shisho: OwnCounterCertificates = {
    counter: 'shisho-1',
    name: 'さくら野支所 窓口',
    restricted: true,
    items: ['INKAN-SHOMEI', 'SHOTOKU-SHOMEI'],
  };

  it('offers only them, the first chosen when the 住民票の写し is not one, and says why', async () => {
    renderWithBackend(<Harness />, backend(shisho));
    await screen.findByTestId('cert-counter-note');
    expect(screen.getByTestId('cert-counter-note').textContent).toBe('この窓口（さくら野支所 窓口）で発行する証明書だけを表示しています。');
    const options = screen.getAllByRole('option').map((o) => (o as HTMLOptionElement).value);
    expect(options.filter((v) => !/^\d+$/.test(v))).toEqual(['INKAN-SHOMEI', 'SHOTOKU-SHOMEI']);
    expect((screen.getByTestId('cert-item') as HTMLSelectElement).value).toBe('INKAN-SHOMEI');
    fireEvent.keyDown(screen.getByTestId('cert-copies'), { key: 'Enter' });
    expect(lines()).toEqual([{ item: 'INKAN-SHOMEI', copies: 1, name: '印鑑登録証明書', yen: 0 }]);
  });

  it('marks a line of a case opened elsewhere that this counter does not issue', async () => {
    const juminhyo: CertificateLine = { item: 'JUMINHYO', copies: 1, name: '住民票の写し', yen: 0 };
    renderWithBackend(<Harness initial={[juminhyo]} />, backend(shisho));
    expect((await screen.findByTestId('cert-line-not-here')).textContent).toContain('この窓口では発行していません');
  });

  it('adds nothing at a counter that issues no certificate', async () => {
    renderWithBackend(<Harness />, backend({ ...shisho, items: [] }));
    expect((await screen.findByTestId('cert-counter-note')).textContent).toBe('この窓口（さくら野支所 窓口）では証明書を発行していません。');
    expect((screen.getByTestId('cert-add') as HTMLButtonElement).disabled).toBe(true);
  });

  it('offers every certificate of an unrestricted counter, or while the rule is unknown', () => {
    expect(offeredItems(table, null)).toEqual(table.items);
    expect(offeredItems(table, { ...shisho, restricted: false, items: table.items.map((i) => i.code) })).toEqual(table.items);
    expect(offeredItems(table, shisho).map((i) => i.code)).toEqual(['INKAN-SHOMEI', 'SHOTOKU-SHOMEI']);
    expect(offeredItems(null, shisho)).toEqual([]);
  });
});
