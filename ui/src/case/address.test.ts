import { describe, expect, it } from 'vitest';
import type { TownView } from '../api/types';
import { filterTowns, kanjiNumber, newAddress, normalizeBanchi } from './address';

const towns: TownView[] = [
  { town: '本町', town_code: '0001001', postal_code: '3799001', full: '群馬県さくら野市本町' },
  { town: '栄町', town_code: '0002001', postal_code: '3799002', full: '群馬県さくら野市栄町' },
  { town: '駅前', town_code: '0003001', postal_code: '3799003', full: '群馬県さくら野市駅前' },
];

describe('番地', () => {
  it('turns the quick form into the written form', () => {
    expect(normalizeBanchi('1-2-3')).toBe('一丁目2番3号');
    expect(normalizeBanchi('１２－３')).toBe('12番3号');
    expect(normalizeBanchi('45')).toBe('45番地');
    expect(normalizeBanchi(' 2丁目5番 ')).toBe('2丁目5番');
    expect(normalizeBanchi('1-2-3-4')).toBe('1-2-3-4');
  });

  it('writes 丁目 numbers in kanji', () => {
    expect([1, 10, 12, 20, 99].map(kanjiNumber)).toEqual(['一', '十', '十二', '二十', '九十九']);
  });

  it('builds the full address from the town of the list', () => {
    const a = newAddress(towns[0]!, '1-2-3', ' さくら野ハイツ201 ');
    expect(a.full).toBe('群馬県さくら野市本町一丁目2番3号');
    expect(a.katagaki).toBe('さくら野ハイツ201');
    expect(a.postal_code).toBe('3799001');
  });
});

describe('towns', () => {
  it('filters by name, postal code or town code', () => {
    expect(filterTowns(towns, '町').map((t) => t.town)).toEqual(['本町', '栄町']);
    expect(filterTowns(towns, '3799003').map((t) => t.town)).toEqual(['駅前']);
    expect(filterTowns(towns, '0002').map((t) => t.town)).toEqual(['栄町']);
    expect(filterTowns(towns, '')).toHaveLength(3);
    expect(filterTowns(towns, '港')).toEqual([]);
  });
});
