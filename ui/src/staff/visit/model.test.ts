import { describe, expect, it } from 'vitest';
import type { CaseView, IncomingMoveView, ResidentView } from '../../api/types';
import { evaluateRequest } from '../../case/procedures';
import {
  MASKED_ADDRESS,
  cardFace,
  caseHeading,
  draftFromCase,
  draftFromDisclosure,
  emptyDraft,
  isMaskedAddress,
  mayDiscloseAddresses,
  validDisclosureReason,
  memberFromResident,
  notificationFromIncoming,
  withKind,
  withNewborn,
} from './model';

const family: IncomingMoveView = {
  notice_no: 'T-1',
  old_address: '東京都世田谷区太子堂二丁目5番8号',
  planned_on: '2026-11-20',
  head_name: '山田　太郎',
  members: [
    { name: '山田　太郎', kana: 'ヤマダ　タロウ', facts: { birth: '1988-04-12', relation: '世帯主', mover: true } },
    { name: '山田　さくら', kana: 'ヤマダ　サクラ', facts: { birth: '2024-01-15', relation: '子', mover: false } },
  ],
};

describe('notifications', () => {
  it('takes a 転入 from 転出証明書情報 with everyone moving in', () => {
    const n = notificationFromIncoming(family, '2026-11-23');
    expect(n.kind).toBe('転入');
    expect(n.notice_no).toBe('T-1');
    expect(n.members.every((m) => m.facts.mover)).toBe(true);
    expect(n.old_address).toBe(family.old_address);
  });

  it('asks 手続きナビ about the household after a 転入 and before a 転出', () => {
    const n = notificationFromIncoming(family, '2026-11-23');
    const tennyu = evaluateRequest(n, { certificate_needed: false });
    expect(tennyu.household_before).toEqual([]);
    expect(tennyu.household_after).toHaveLength(2);
    expect(tennyu.answers).toEqual({ certificate_needed: false });
    const out = evaluateRequest(withKind(n, '転出'), {});
    expect(out.household_before).toHaveLength(2);
    expect(out.household_after).toEqual([]);
  });

  it('a 出生 adds the child as the only person the event is about', () => {
    const n = withNewborn(withKind(notificationFromIncoming(family, '2026-11-23'), '出生'), {
      name: '山田　みどり',
      kana: 'ヤマダ　ミドリ',
      birth: '2026-11-20',
      sex: '女',
    });
    const req = evaluateRequest(n, {});
    expect(req.household_before).toHaveLength(2);
    expect(req.household_after).toHaveLength(3);
    expect(n.members.filter((m) => m.facts.mover).map((m) => m.name)).toEqual(['山田　みどり']);
  });
});

describe('cases', () => {
  it('are headed by the people they are about', () => {
    const draft = emptyDraft('case-1');
    draft.document.visitor.name = '窓口　花子';
    expect(caseHeading(draft.document)).toBe('窓口　花子');
    draft.document.notifications = [notificationFromIncoming(family, '2026-11-23')];
    expect(caseHeading(draft.document)).toBe('山田　太郎 ほか1名');
  });

});

describe('資格 from the core systems', () => {
  const resident: ResidentView = {
    atena_no: '000000000000019',
    household_no: '000000000000108',
    kind: 'japanese',
    status: 'resident',
    status_label: '住民',
    name: '髙橋　太郎',
    kana: 'タカハシ　タロウ',
    birth_date: '1955-01-01',
    birth_display: '昭和30年1月1日',
    birth_unknown: false,
    age: 71,
    sex: 'male',
    sex_label: '男',
    relation: '世帯主',
    address: null,
    address_masked: false,
    support_measure: false,
    support_measure_label: null,
    qualifications: { kokuho: true, kouki: false, kaigo: true, nenkin: true, jidou_teate: false },
  };

  it('fills 手続きナビ facts from the feed', () => {
    const m = memberFromResident(resident, true);
    expect(m.facts).toMatchObject({ kokuho: true, kouki: false, kaigo: true, pension: '1号', jidou_teate: false });
  });

  it('leaves them out when the user may not see 資格', () => {
    const m = memberFromResident({ ...resident, qualifications: null }, true);
    expect(m.facts.kokuho).toBeUndefined();
    expect(m.facts.pension).toBeUndefined();
  });
});

describe('券面事項', () => {
  it('keeps the 基本4情報 of the card in the case, nothing else', () => {
    const card = {
      name: '山田 太郎',
      family_name: '山田',
      given_name: '太郎',
      address: '東京都世田谷区太子堂二丁目5番8号',
      prefecture: '東京都',
      city: '世田谷区',
      address_rest: '太子堂二丁目5番8号',
      birth: '1980-01-01',
      birth_wareki: '昭和55年1月1日',
      sex: '男',
    };
    expect(cardFace(card)).toEqual({
      name: '山田 太郎',
      address: '東京都世田谷区太子堂二丁目5番8号',
      birth: '1980-01-01',
      sex: '男',
    });
    expect(cardFace(undefined)).toBeNull();
  });
});

describe('支援措置 (masked cases)', () => {
  const view: CaseView = {
    id: 'case-1', revision: 2, status: 'open', status_label: '受付中', title: '転居', address_masked: true,
    document: emptyDraft('').document, history: [],
    opened_at: '2026-11-23T00:00:00Z', opened_by: 'demo', opened_counter: 'shimin-1',
    updated_at: '2026-11-23T00:00:00Z', updated_by: 'demo', updated_counter: 'shimin-1',
  };

  it('keeps the masked flag of a case read from the server, and marks a disclosed one', () => {
    expect(draftFromCase(view)).toMatchObject({ caseId: 'case-1', revision: 2, status: 'open', addressMasked: true });
    expect(draftFromCase({ ...view, address_masked: false }).addressMasked).toBe(false);
    const disclosed = draftFromDisclosure({ case: { ...view, address_masked: false }, protected: true });
    expect(disclosed).toMatchObject({ addressMasked: false, addressDisclosed: true });
  });

  it('recognises the mask the server writes instead of an address', () => {
    expect(isMaskedAddress(MASKED_ADDRESS)).toBe(true);
    expect(isMaskedAddress('群馬県さくら野市本町一丁目2番3号')).toBe(false);
    expect(isMaskedAddress(undefined)).toBe(false);
  });

  it('offers disclosure only with override_support_measure', () => {
    expect(mayDiscloseAddresses(['search', 'override_support_measure'])).toBe(true);
    expect(mayDiscloseAddresses(['admin', 'search'])).toBe(false);
  });

  it('accepts a reason of 4 to 200 characters once trimmed, counted as characters', () => {
    expect(validDisclosureReason('')).toBe(false);
    expect(validDisclosureReason('  確認  ')).toBe(false);
    expect(validDisclosureReason('転居確認')).toBe(true);
    expect(validDisclosureReason('あ'.repeat(200))).toBe(true);
    expect(validDisclosureReason('あ'.repeat(201))).toBe(false);
    expect(validDisclosureReason('𠮷'.repeat(200))).toBe(true); // one character each, as the server counts
  });
});
