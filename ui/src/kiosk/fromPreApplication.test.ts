import { describe, expect, it } from 'vitest';
import type { PreApplicationBody, PreApplicationEntries } from '../api/types';
import { keypadBanchi, kioskDataFromPreApplication, townOf } from './fromPreApplication';
import { progressOf, symbolHead, withSymbol } from './preApplicationScan';

const towns = [
  { town: '本町', town_code: '0001001', postal_code: '3799001', full: '群馬県さくら野市本町' },
  { town: '桜台', town_code: '0002001', postal_code: '3799002', full: '群馬県さくら野市桜台' },
];

function body(entries: Partial<PreApplicationEntries>): PreApplicationBody {
  return {
    tenant: 'demo',
    issued: '2026-12-01',
    entries: {
      event: '転入',
      members: [{ name: '桜野 一郎', birth: '1990-05-01', relation: '本人', mover: true }],
      ...entries,
    },
  };
}

describe('a 事前申請 as the kiosk’s entries', () => {
  it('takes the newborns of a 出生, never the applicant', () => {
    const r = kioskDataFromPreApplication(
      body({
        event: '出生',
        members: [
          { name: '桜野 花子', birth: '1992-07-07', relation: '本人', mover: false },
          { name: '桜野 一郎', birth: '1990-05-01', relation: '夫', mover: true },
          { name: '桜野 さくら', birth: '2026-11-30', sex: '女', relation: '子', mover: true },
        ],
      }),
      towns,
      { number: null },
    );
    expect(r.kind).toBe('ok');
    if (r.kind !== 'ok') return;
    expect(r.data.applicant).toBeNull();
    expect(r.data.members.map((m) => [m.name, m.relation, m.sex])).toEqual([['桜野 さくら', '子（出生）', '女']]);
    expect(r.data.town).toBeNull();
  });

  it('keeps the kiosk’s 続柄 and the phone’s 転出 destination; other 続柄 are その他', () => {
    const r = kioskDataFromPreApplication(
      body({
        event: '転出',
        detail: '国内',
        destination: ' 大阪府大阪市 ',
        members: [
          { name: '桜野 一郎', birth: '1990-05-01', relation: '本人', mover: true },
          { name: '桜野 三郎', birth: '1950-05-01', relation: '祖父', mover: true },
          { name: '桜野 花子', birth: '1992-07-07', relation: '妻', mover: true },
        ],
      }),
      towns,
      { number: '12345671' },
    );
    if (r.kind !== 'ok') throw new Error(r.kind);
    expect(r.data.members.map((m) => m.relation)).toEqual(['その他', '妻']);
    expect(r.data.destination).toBe('大阪府大阪市');
    expect(r.data.preApplication).toEqual({ number: '12345671' });
  });

  it('sends to the counter what the kiosk does not take', () => {
    for (const entries of [{ event: '死亡' }, { event: '婚姻' }, { event: '証明書' }, { event: '転入', detail: '国外' }]) {
      expect(kioskDataFromPreApplication(body(entries), towns, { number: null }).kind).toBe('counter');
    }
  });

  it('finds the 町字 by code, else by name, and keeps a 番地 only as the keypad types it', () => {
    expect(townOf(body({ new_address: { town: '旧名', town_code: '0002001' } }), towns)?.town).toBe('桜台');
    expect(townOf(body({ new_address: { town: '本町' } }), towns)?.town_code).toBe('0001001');
    expect(townOf(body({ new_address: { town: '隣町' } }), towns)).toBeNull();
    expect(keypadBanchi('１２－３')).toBe('12-3');
    expect(keypadBanchi('1丁目2番')).toBe('');
    expect(keypadBanchi('')).toBe('');
  });
});

describe('the symbols of one code', () => {
  it('are kept once each, and another code starts anew', () => {
    expect(symbolHead('MDG1.2.3.abcdef.XXXX')).toEqual({ part: 2, parts: 3, id: 'abcdef' });
    expect(symbolHead('MDG1.4.3.abcdef.XXXX')).toBeNull();
    expect(symbolHead('hello')).toBeNull();
    let kept = withSymbol([], 'MDG1.2.3.abcdef.BBBB');
    kept = withSymbol(kept, 'MDG1.2.3.abcdef.BBBB');
    kept = withSymbol(kept, 'MDG1.1.3.abcdef.AAAA');
    expect(progressOf(kept)).toEqual({ have: 2, need: 3 });
    expect(withSymbol(kept, 'MDG1.1.2.zzzzzz.CCCC')).toEqual(['MDG1.1.2.zzzzzz.CCCC']);
  });
});
