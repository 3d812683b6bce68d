import { describe, expect, it } from 'vitest';
import { cardHolder } from '../test/FakeTerminal';
import {
  applicantFromCard,
  emptyKioskData,
  isValidId,
  kioskDocument,
  kioskEvaluateRequest,
  kioskNotification,
  newSubmissionIds,
  personKey,
  type KioskData,
} from './model';

const town = { town: '本町', town_code: '0001001', postal_code: '3799001', full: '群馬県さくら野市本町' };

function moved(): KioskData {
  return {
    ...emptyKioskData(),
    event: '転入',
    idMethod: 'card',
    idDocument: 'マイナンバーカード',
    applicant: applicantFromCard(cardHolder),
    currentAddress: cardHolder.address,
    members: [{ key: personKey(), name: 'ヤマダ　ハナコ', kana: 'ヤマダ　ハナコ', birth: '2010-03-15', sex: '女', relation: '子' }],
    town,
    banchi: '1-2-3',
    answers: { kokuho: true },
  };
}

describe('kiosk case document', () => {
  it('has the applicant as 本人 with the card, everyone moving, the new address as the staff write it', () => {
    const doc = kioskDocument(moved(), 'ja', '2026-11-23');
    expect(doc.visitor).toEqual({
      kind: '本人',
      atena_no: null,
      name: '山田 太郎',
      relation: '',
      proxy_letter: false,
      id_document: 'マイナンバーカード',
      // The card's 券面事項 for the 住記 system's CSV import (never the 個人番号).
      card: { name: '山田 太郎', address: cardHolder.address, birth: '1980-01-01', sex: cardHolder.sex },
    });
    expect(kioskDocument({ ...moved(), idMethod: 'document', idDocument: '運転免許証' }, 'ja').visitor.card).toBeNull();
    const [n] = doc.notifications ?? [];
    expect(n).toMatchObject({
      kind: '転入',
      detail: '国内',
      event_date: '2026-11-23',
      old_address: '東京都世田谷区太子堂二丁目5番8号',
      head_name: '山田 太郎',
      new_address: { town: '本町', town_code: '0001001', banchi: '一丁目2番3号', full: '群馬県さくら野市本町一丁目2番3号' },
    });
    expect(n!.members.map((m) => [m.name, m.facts.birth, m.facts.relation, m.facts.mover])).toEqual([
      ['山田 太郎', '1980-01-01', '世帯主', true],
      ['ヤマダ　ハナコ', '2010-03-15', '子', true],
    ]);
    expect(doc.answers).toEqual({ kokuho: true });
    expect(doc.memo).toContain('マイナンバーカード');
  });

  it('出生: the newborn is the one the 届出 is about, on the birth date', () => {
    const data: KioskData = {
      ...moved(),
      event: '出生',
      members: [{ key: 'c', name: 'ヤマダ　ソラ', kana: 'ヤマダ　ソラ', birth: '2026-11-20', sex: '男', relation: '子（出生）' }],
      town: null,
      banchi: '',
    };
    const n = kioskNotification(data, '2026-11-23');
    expect(n.event_date).toBe('2026-11-20');
    expect(n.detail).toBe('');
    expect(n.new_address).toBeNull();
    expect(n.members.map((m) => m.facts.mover)).toEqual([false, true]);
    const req = kioskEvaluateRequest(data, '2026-11-23');
    expect(req.household_before).toHaveLength(1);
    expect(req.household_after).toHaveLength(2);
  });

  it('転出: the destination typed is the new address; without one there is none', () => {
    const data: KioskData = { ...moved(), event: '転出', town: null, destination: 'サイタマシ' };
    expect(kioskNotification(data).new_address?.full).toBe('サイタマシ');
    expect(kioskNotification({ ...data, destination: ' ' }).new_address).toBeNull();
  });

  it('before the identity step 手続きナビ is asked for the event alone', () => {
    const req = kioskEvaluateRequest({ ...emptyKioskData(), event: '転入', answers: { a: false } }, '2026-11-23');
    expect(req).toEqual({
      event: '転入',
      detail: '国内',
      event_date: '2026-11-23',
      household_before: [],
      household_after: [],
      answers: { a: false },
    });
  });

  it('notes for the staff in Japanese an unchecked document, the language and a missing 手続きナビ', () => {
    const data: KioskData = { ...moved(), idMethod: 'document', idDocument: 'パスポート', navigationUnavailable: true };
    const memo = kioskDocument(data, 'en').memo ?? '';
    expect(memo).toContain('本人確認書類（パスポート）は未確認です');
    expect(memo).toContain('案内言語: 英語');
    expect(memo).toContain('手続きナビを利用できませんでした');
  });

  it('generates ids that follow the id rule', () => {
    for (let i = 0; i < 20; i += 1) {
      const { caseId, writeId } = newSubmissionIds();
      expect(isValidId(caseId)).toBe(true);
      expect(isValidId(writeId)).toBe(true);
      expect(caseId).not.toBe(writeId);
    }
    expect(isValidId('short')).toBe(false);
    expect(isValidId('has space 12345')).toBe(false);
  });
});
