import { describe, expect, it } from 'vitest';
import { formatWareki, toWareki } from './index';

describe('formatWareki', () => {
  it.each([
    ['2026-11-23', '令和8年11月23日'],
    ['2019-05-01', '令和元年5月1日'],
    ['2019-04-30', '平成31年4月30日'],
    ['1989-01-08', '平成元年1月8日'],
    ['1989-01-07', '昭和64年1月7日'],
    ['1926-12-25', '昭和元年12月25日'],
    ['1926-12-24', '大正15年12月24日'],
    ['1912-07-30', '大正元年7月30日'],
    ['1912-07-29', '明治45年7月29日'],
    ['1868-01-25', '明治元年1月25日'],
    ['1975-04-01', '昭和50年4月1日'],
    ['2020-02-29', '令和2年2月29日'],
  ])('%s → %s', (iso, expected) => {
    expect(formatWareki(iso)).toBe(expected);
  });

  it.each(['1868-01-24', '2026-02-30', '2026-13-01', '2026/11/23', 'R8.11.23', ''])(
    'returns %j unchanged when it cannot be converted',
    (input) => {
      expect(formatWareki(input)).toBe(input);
      expect(toWareki(input)).toBeNull();
    },
  );

  it('gives the era key and the numeric year', () => {
    expect(toWareki('2019-05-01')).toEqual({ eraKey: 'era.reiwa', year: 1, month: 5, day: 1 });
  });
});
