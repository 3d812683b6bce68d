import { describe, expect, it } from 'vitest';
import { makeResident } from '../../test/fixtures';
import {
  currentAddressTyped,
  differences,
  draftFromPreApplication,
  foldName,
  memoLine,
  rankCandidates,
} from './model';
import { moveBody } from './testBodies';

describe('pre-application matching', () => {
  it('folds spellings of one name together', () => {
    expect(foldName('やまだ　たろう')).toBe(foldName('ヤマダ タロウ'));
    expect(foldName('ﾔﾏﾀﾞ ﾀﾛｳ')).toBe('ヤマダタロウ');
  });

  it('flags what the resident typed differently from the record', () => {
    const r = makeResident();
    const [m] = moveBody().entries.members;
    expect(differences(m!, r, '東京都デモ市本町1-1-1')).toEqual([]);
    const typo = { ...m!, kana: 'ヤマダ タロ', birth: '1975-04-02' };
    expect(differences(typo, r, '東京都デモ市本町二丁目1番1号').map((d) => d.field)).toEqual([
      'kana',
      'birth',
      'address',
    ]);
    // A masked address (支援措置) is never compared.
    const masked = makeResident({ address: null, address_masked: true });
    expect(differences(m!, masked, 'どこか').map((d) => d.field)).toEqual([]);
  });

  it('ranks candidates by name, kana and birth date, once each', () => {
    const [m] = moveBody().entries.members;
    const exact = makeResident();
    const namesake = makeResident({ atena_no: '2', birth_date: '1980-01-01' });
    const other = makeResident({ atena_no: '3', name: '別人', kana: 'ベツジン', birth_date: '1990-01-01' });
    expect(rankCandidates(m!, [namesake, other, exact, exact]).map((r) => r.atena_no)).toEqual([
      exact.atena_no,
      '2',
    ]);
  });

  it('compares no current address for a 転入', () => {
    expect(currentAddressTyped(moveBody({ event: '転入' }))).toBeUndefined();
    expect(currentAddressTyped(moveBody())).toBe('東京都デモ市本町一丁目1番1号');
  });
});

describe('the visit a pre-application opens', () => {
  it('carries the household, the event, the answers, the addresses and a memo', () => {
    const r = makeResident();
    const towns = [{ town: '栄町', full: '東京都デモ市栄町', town_code: '0002', postal_code: '1000002' }];
    const d = draftFromPreApplication(moveBody(), [r, null], { kind: 'number', number: '12345671' }, 'case-1', '2026-12-07', towns);
    expect(d.caseId).toBe('case-1');
    expect(d.revision).toBeNull();
    expect(d.document.visitor).toMatchObject({ kind: '本人', atena_no: r.atena_no, name: r.name });
    expect(d.document.answers).toEqual({ kokuho: true });
    const n = d.document.notifications?.[0];
    expect(n).toMatchObject({ kind: '転居', event_date: '2026-12-07', household_no: r.household_no });
    expect(n!.new_address).toMatchObject({ town: '栄町', full: '東京都デモ市栄町2-3', town_code: '0002' });
    expect(n!.members.map((m: { atena_no?: string | null; name: string; facts: { relation?: string } }) => [m.atena_no, m.name, m.facts.relation])).toEqual([
      [r.atena_no, '山田 太郎', '世帯主'],
      [null, '山田 花子', '妻'],
    ]);
    expect(d.document.memo).toBe('事前申請（受付番号 1234-5671）より（入力言語: ベトナム語）\n希望する証明書: 住民票の写し');
  });

  it('has no notification for a certificate request alone', () => {
    const d = draftFromPreApplication(moveBody({ event: '証明書' }), [], { kind: 'qr' }, 'c', '2026-12-07');
    expect(d.document.notifications).toEqual([]);
    expect(memoLine({ kind: 'qr' }, 'ja')).toBe('事前申請（QR）より');
  });
});
