import { describe, expect, it } from 'vitest';
import type { TownView } from '../api/types';
import { applyRequest, emptyState, findTowns, formatPostcode, loadState, saveState, toEntries, type ApplyState } from './applyState';

const town: TownView = { town: '桜町一丁目', town_code: '001001', postal_code: '370-0001', full: '群馬県さくら野市桜町一丁目' };

function family(): ApplyState {
  return {
    ...emptyState('sakurano', '2026-12-07'),
    event: '転入',
    detail: '国内',
    people: [
      { name: 'グエン ヴァン アン', kana: 'グエン ヴァン アン', romaji: 'NGUYEN VAN AN', birth: '1990-05-01', sex: '男', relation: '本人', mover: true },
      { name: 'グエン ティ ビン', kana: '', romaji: 'NGUYEN THI BINH', birth: '2019-02-03', sex: '女', relation: '子', mover: true },
      { name: '', kana: '', romaji: '', birth: '', sex: '', relation: '', mover: true },
    ],
    oldAddress: '東京都新宿区西新宿2-8-1',
    town,
    banchi: '1-2-3',
    destination: 'ignored for 転入',
  };
}

describe('the entries of the phone app', () => {
  it('carry the complete people, the new address from the town list and nothing of other events', () => {
    const e = toEntries(family(), 'vi');
    expect(e.language).toBe('vi');
    expect(e.members.map((m) => [m.name, m.relation])).toEqual([
      ['グエン ヴァン アン', '本人'],
      ['グエン ティ ビン', '子'],
    ]);
    expect(e.new_address).toEqual({ town: '桜町一丁目', town_code: '001001', postal_code: '370-0001', banchi: '1-2-3', katagaki: '' });
    expect(e.old_address).toBe('東京都新宿区西新宿2-8-1');
    expect(e.destination).toBe('');
    expect(e.event_date).toBeNull();
  });

  it('ask 手続きナビ with the household after a 転入 and the applicant as 世帯主', () => {
    const req = applyRequest(family(), '2026-12-07');
    expect(req?.household_before).toEqual([]);
    expect(req?.household_after?.map((m) => m.relation)).toEqual(['世帯主', '子']);
    expect(req?.event_date).toBe('2026-12-07');
    expect(applyRequest({ ...family(), event: '証明書' }, '2026-12-07')).toBeNull();
  });

  it('find a town by postcode (with or without the hyphen, full-width digits too) or by name', () => {
    const other = { ...town, town: '梅町', town_code: '002', postal_code: '370-0102', full: '群馬県さくら野市梅町' };
    expect(findTowns([town, other], '3700001')).toEqual([town]);
    expect(findTowns([town, other], '３７０－０１')).toEqual([other]);
    expect(findTowns([town, other], '梅')).toEqual([other]);
    expect(findTowns([town, other], ' ')).toHaveLength(2);
    expect([formatPostcode('3799001'), formatPostcode('379-9001'), formatPostcode('12')]).toEqual(['379-9001', '379-9001', '12']);
  });

  it('stay on the device for 30 days, then are forgotten', () => {
    const storage = window.localStorage;
    storage.clear();
    saveState(storage, { ...family(), saved: '2026-12-01' });
    expect(loadState(storage, 'sakurano', '2026-12-31').event).toBe('転入');
    expect(loadState(storage, 'sakurano', '2027-01-01').event).toBeNull();
    expect(storage.length).toBe(0);
    storage.setItem('madoguchi.apply.sakurano', '{broken');
    expect(loadState(storage, 'sakurano', '2026-12-07').people).toHaveLength(1);
    expect(loadState(storage, 'other', '2026-12-07').event).toBeNull();
  });
});
