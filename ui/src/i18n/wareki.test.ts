import { describe, expect, it } from 'vitest';
import { eraLastYear, formatNendo, formatWareki, formatWarekiYear, fromWareki, toWareki } from './index';

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

describe('fromWareki', () => {
  it('converts 和暦 to ISO, refusing dates outside the era', () => {
    expect(fromWareki('era.showa', 55, 1, 1)).toBe('1980-01-01');
    expect(fromWareki('era.reiwa', 1, 5, 1)).toBe('2019-05-01');
    expect(fromWareki('era.heisei', 31, 4, 30)).toBe('2019-04-30');
    expect(fromWareki('era.heisei', 31, 5, 1)).toBeNull();
    expect(fromWareki('era.showa', 64, 1, 8)).toBeNull();
    expect(fromWareki('era.heisei', 4, 2, 30)).toBeNull();
    expect(fromWareki('era.heisei', 0, 1, 1)).toBeNull();
  });

  it('knows the last year of each era', () => {
    expect(eraLastYear('era.showa', '2026-11-23')).toBe(64);
    expect(eraLastYear('era.heisei', '2026-11-23')).toBe(31);
    expect(eraLastYear('era.taisho', '2026-11-23')).toBe(15);
    expect(eraLastYear('era.reiwa', '2026-11-23')).toBe(8);
  });
});

describe('formatNendo', () => {
  it('names a 課税年度 by the era at its calendar year’s end', () => {
    expect(formatNendo(2026)).toBe('令和8年度');
    expect(formatNendo(2019)).toBe('令和元年度');
    expect(formatNendo(2018)).toBe('平成30年度');
  });

  it('names a calendar year (an income year) the same way', () => {
    expect(formatWarekiYear(2025)).toBe('令和7年');
    expect(formatWarekiYear(2019)).toBe('令和元年');
  });
});
