import { describe, expect, it } from 'vitest';
import { feeOf, firstChoice, linesOf, stepCopies } from './model';

describe('the station model', () => {
  it('asks for the household and the 続柄 only on a 住民票の写し', () => {
    expect(linesOf({ ...firstChoice('JUMINHYO'), scope: '世帯全員', copies: 2 })).toEqual([
      { item: 'JUMINHYO', copies: 2, scope: '世帯全員', items: ['relation'] },
    ]);
    expect(linesOf({ ...firstChoice('JUMINHYO'), relation: false })[0]?.items).toEqual([]);
    expect(linesOf(firstChoice('INKAN-SHOMEI'))).toEqual([
      { item: 'INKAN-SHOMEI', copies: 1, scope: null, items: null },
    ]);
  });

  it('keeps the copies between 1 and 5 and prices them', () => {
    expect(stepCopies(1, -1)).toBe(1);
    expect(stepCopies(5, 1)).toBe(5);
    expect(stepCopies(2, 1)).toBe(3);
    expect(feeOf({ item: 'JUMINHYO', name: '住民票の写し', yen: 300 }, 3)).toBe(900);
  });
});
