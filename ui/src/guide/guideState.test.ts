import { describe, expect, it } from 'vitest';
import { birthForAge, fromHash, guideRequest, toQuery, type GuideState } from './guideState';

const family: GuideState = {
  tenant: 'demo',
  lang: 'ja',
  event: '転入',
  detail: '国内',
  members: [
    { age: 41, relation: '世帯主', subject: true, kokuho: true },
    { age: 8, relation: '子', subject: true, kokuho: false },
  ],
  answers: { school_transfer: true, pet: false, car: '軽自動車' },
};

describe('the guide state', () => {
  it('goes into the URL and comes back the same', () => {
    const query = toQuery(family);
    expect(query).toContain('e=%E8%BB%A2%E5%85%A5');
    expect(fromHash(`#/guide?${query}`)).toEqual(family);
  });

  it('leaves out what cannot be read, and defaults to the demo city', () => {
    const s = fromHash('#/guide?e=引越し&m=abc.子.s_200.妻._9.子.k&a=x,y:1');
    expect(s).toEqual({ tenant: 'demo', lang: 'ja', event: null, detail: '', members: [{ age: 9, relation: '子', subject: false, kokuho: true }], answers: { y: true } });
  });

  it('stands a birth date for an age, half a year past the birthday', () => {
    expect(birthForAge(8, '2026-12-01')).toBe('2018-06-02');
    expect(birthForAge(0, '2026-12-01')).toBe('2026-06-02');
  });

  it('asks 手続きナビ with the members moving in after a 転入, and the leavers before a 転出', () => {
    const req = guideRequest(family, '2026-12-01');
    expect(req?.household_before).toEqual([]);
    expect(req?.household_after?.map((m) => [m.relation, m.mover, m.kokuho])).toEqual([
      ['世帯主', true, true],
      ['子', true, false],
    ]);
    const out = guideRequest({ ...family, event: '転出', members: [...family.members, { age: 70, relation: '母', subject: false, kokuho: false }] }, '2026-12-01');
    expect(out?.household_before).toHaveLength(3);
    expect(out?.household_after?.map((m) => [m.relation, m.kaigo])).toEqual([['母', true]]);
    expect(guideRequest({ ...family, event: null }, '2026-12-01')).toBeNull();
  });
});
