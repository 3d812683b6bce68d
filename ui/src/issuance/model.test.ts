import { describe, expect, it } from 'vitest';
import { feeOf, firstChoice, linesOf, stepAfterCard, stepCopies, taxYears, toggleExtra } from './model';

describe('the station model', () => {
  it('asks for the household and the 記載事項 only on a 住民票の写し or 住民票記載事項証明書', () => {
    expect(linesOf({ ...firstChoice('JUMINHYO'), scope: '世帯全員', copies: 2 })).toEqual([
      { item: 'JUMINHYO', copies: 2, scope: '世帯全員', items: ['relation'] },
    ]);
    expect(linesOf({ ...firstChoice('JUMINHYO'), relation: false })[0]?.items).toEqual([]);
    expect(linesOf(firstChoice('INKAN-SHOMEI'))).toEqual([
      { item: 'INKAN-SHOMEI', copies: 1, scope: null, items: null },
    ]);
    // Added items come in the standard order, whatever the order they were touched in.
    const kisai = toggleExtra(toggleExtra(toggleExtra(firstChoice('KISAI-JIKOU'), 'previous_address'), 'honseki'), 'juminhyo_code');
    expect(linesOf({ ...toggleExtra(kisai, 'juminhyo_code'), scope: '世帯全員' })).toEqual([
      { item: 'KISAI-JIKOU', copies: 1, scope: '世帯全員', items: ['relation', 'honseki', 'previous_address'] },
    ]);
  });

  it('asks a 所得・課税証明書 for its 課税年度 and nothing else', () => {
    expect(linesOf({ ...firstChoice('SHOTOKU-SHOMEI'), year: 2025 })).toEqual([
      { item: 'SHOTOKU-SHOMEI', copies: 1, scope: null, items: null, year: 2025 },
    ]);
    expect(['JUMINHYO', 'KISAI-JIKOU', 'SHOTOKU-SHOMEI', 'INKAN-SHOMEI'].map(stepAfterCard)).toEqual(['who', 'who', 'year', 'copies']);
    const offer = { item: 'SHOTOKU-SHOMEI', name: '所得・課税証明書', yen: 300, available: true, years: [2026, 2025] };
    expect(taxYears({ name: '山田　太郎', household_size: 1, offers: [offer] })).toEqual([2026, 2025]);
    expect(taxYears({ name: '山田　太郎', household_size: 1, offers: [] })).toEqual([]);
  });

  it('keeps the copies between 1 and 5 and prices them', () => {
    expect(stepCopies(1, -1)).toBe(1);
    expect(stepCopies(5, 1)).toBe(5);
    expect(stepCopies(2, 1)).toBe(3);
    expect(feeOf({ item: 'JUMINHYO', name: '住民票の写し', yen: 300 }, 3)).toBe(900);
  });
});
