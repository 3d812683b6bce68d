// A resident's 事前申請 read at the counter (QR code or 受付番号): matching each person typed on the
// phone with the 住民記録, the differences to point out, and the visit draft it opens. Pure, no I/O.
import type {
  CaseMember,
  Notification,
  PreApplicationBody,
  PreApplicationMember,
  ResidentView,
  TownView,
} from '../../api/types';
import { isLocale, tIn, type MessageKey } from '../../i18n';
import { emptyDraft, type Draft } from '../visit/model';

/** Route of 事前申請の読み取り. */
export const PRE_APPLICATION_PATH = '/staff/pre-application';

/** Who may read 事前申請: the counter that accepts 届出 (the server checks it too). */
export function mayReadPreApplications(permissions: readonly string[]): boolean {
  return permissions.includes('accept_notification');
}

/** Where a 事前申請 came from: a scanned QR code, or a 受付番号 typed by the staff. */
export type PreApplicationSource = { kind: 'qr' } | { kind: 'number'; number: string };

/** A 受付番号 as read aloud: `1234-5678`. */
export function displayNumber(number: string): string {
  return /^\d{8}$/.test(number) ? `${number.slice(0, 4)}-${number.slice(4)}` : number;
}

/** Parses the body of a resolved `pre_application` QR code (JSON text). */
export function parseBody(text: string): PreApplicationBody {
  return JSON.parse(text) as PreApplicationBody;
}

/** Katakana, no spaces, half-width folded: how two spellings of one name compare. */
export function foldName(s: string | null | undefined): string {
  return (s ?? '')
    .normalize('NFKC')
    .replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60))
    .replace(/[\s\u3000・･]/g, '');
}

/** A field where what the resident typed and the 住民記録 disagree. */
export interface Difference {
  field: 'name' | 'kana' | 'birth' | 'sex' | 'address';
  typed: string;
  recorded: string;
}

/** The 住民記録's sex as the phone's choices (男 / 女). */
function sexOf(r: ResidentView): string {
  if (r.sex_label.startsWith('男')) return '男';
  if (r.sex_label.startsWith('女')) return '女';
  return r.sex_label;
}

/**
 * What the resident typed for `m` that the record of `r` says otherwise. `typedAddress`: the address
 * the resident gave as their current one in the city (none for a 転入: they do not live here yet); an
 * address masked by 支援措置 is never compared.
 */
export function differences(m: PreApplicationMember, r: ResidentView, typedAddress?: string): Difference[] {
  const out: Difference[] = [];
  if (foldName(m.name) !== foldName(r.name)) out.push({ field: 'name', typed: m.name, recorded: r.name });
  if (m.kana && r.kana && foldName(m.kana) !== foldName(r.kana)) {
    out.push({ field: 'kana', typed: m.kana, recorded: r.kana });
  }
  if (r.birth_date && m.birth !== r.birth_date) {
    out.push({ field: 'birth', typed: m.birth, recorded: r.birth_date });
  }
  if (m.sex && m.sex !== sexOf(r)) out.push({ field: 'sex', typed: m.sex, recorded: r.sex_label });
  const recorded = r.address?.full;
  if (typedAddress && recorded && !r.address_masked && foldAddress(typedAddress) !== foldAddress(recorded)) {
    out.push({ field: 'address', typed: typedAddress, recorded });
  }
  return out;
}

const KANJI_DIGITS = '〇一二三四五六七八九';

/** 一 … 九十九 as a number (the 丁目 of an address). */
function kanjiNumber(k: string): string {
  const [tens, ones] = k.includes('十') ? k.split('十') : ['', k];
  const digit = (c: string | undefined) => Math.max(0, KANJI_DIGITS.indexOf(c ?? ''));
  const ten = k.includes('十') ? (tens ? digit(tens) : 1) : 0;
  return String(ten * 10 + digit(ones || undefined));
}

/** Addresses compare without spaces, width, kanji numerals and the 丁目/番地 spelling of hyphens. */
function foldAddress(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[一二三四五六七八九十]+(?=丁目)/g, kanjiNumber)
    .replace(/\s/g, '')
    .replace(/(丁目|番地|番|号)/g, '-')
    .replace(/[‐－ー−]/g, '-')
    .replace(/-+$/g, '');
}

/** How well a candidate fits the person typed: name, kana and birth date each count. */
export function score(m: PreApplicationMember, r: ResidentView): number {
  return (
    (foldName(m.name) === foldName(r.name) ? 2 : 0) +
    (m.kana && foldName(m.kana) === foldName(r.kana) ? 2 : 0) +
    (r.birth_date === m.birth ? 3 : 0)
  );
}

/** Candidates found by several searches, once each, best fit first (at most `limit`). */
export function rankCandidates(m: PreApplicationMember, found: ResidentView[], limit = 5): ResidentView[] {
  const seen = new Map<string, ResidentView>();
  for (const r of found) if (!seen.has(r.atena_no)) seen.set(r.atena_no, r);
  return [...seen.values()]
    .filter((r) => score(m, r) >= 3)
    .sort((a, b) => score(m, b) - score(m, a))
    .slice(0, limit);
}

/** The address the resident says they live at now in the city, to compare with the record. */
export function currentAddressTyped(body: PreApplicationBody): string | undefined {
  const e = body.entries;
  if (e.event === '転入') return undefined;
  return e.old_address?.trim() || undefined;
}

/** The notification kinds a visit enters (a certificate request alone, or 婚姻, has none). */
const NOTIFIED = new Set(['転入', '転居', '転出', '出生', '死亡']);

function caseMember(m: PreApplicationMember, picked: ResidentView | null): CaseMember {
  return {
    atena_no: picked?.atena_no ?? null,
    // The 住民記録 spells the names the forms print; what was typed differs only where flagged.
    name: picked?.name ?? m.name,
    kana: picked?.kana ?? m.kana ?? '',
    facts: {
      birth: picked?.birth_date ?? m.birth,
      sex: m.sex || (picked ? sexOf(picked) : ''),
      relation: m.relation ?? '',
      // Left out of the JSON when false (the server's default).
      mover: m.mover === true,
      foreign: picked ? picked.kind === 'foreign' : Boolean(m.romaji),
    },
  };
}

function newAddressOf(body: PreApplicationBody, towns: readonly TownView[]) {
  const a = body.entries.new_address;
  if (!a) return null;
  const town = towns.find((t) => t.town === a.town || (a.town_code && t.town_code === a.town_code));
  const banchi = a.banchi ?? '';
  return {
    town: a.town,
    town_code: a.town_code ?? town?.town_code ?? null,
    postal_code: a.postal_code ?? town?.postal_code ?? null,
    banchi,
    katagaki: a.katagaki ?? '',
    full: `${town?.full ?? a.town}${banchi}`,
  };
}

/** The resident's language as the staff read it (`vi` → ベトナム語); an unknown code as sent. */
export function languageName(code: string | null | undefined): string {
  if (!code || code === 'ja') return '日本語';
  return isLocale(code) ? tIn('ja', `kiosk.memo.lang.${code}` as MessageKey) : code;
}

/** The memo line of a case opened from a 事前申請. */
export function memoLine(source: PreApplicationSource, language: string | null | undefined): string {
  const from = source.kind === 'qr' ? 'QR' : `受付番号 ${displayNumber(source.number)}`;
  const lang = language && language !== 'ja' ? `（入力言語: ${languageName(language)}）` : '';
  return `事前申請（${from}）より${lang}`;
}

function wantedCertificates(items: readonly string[] | undefined): string {
  return items && items.length > 0 ? `希望する証明書: ${items.join('、')}` : '';
}

/**
 * A new visit from the 事前申請: the applicant as the visitor, the household as the notification's
 * members (linked to the records the staff picked), the event, 手続きナビ's answers and the addresses.
 */
export function draftFromPreApplication(
  body: PreApplicationBody,
  picks: ReadonlyArray<ResidentView | null>,
  source: PreApplicationSource,
  caseId: string,
  today: string,
  towns: readonly TownView[] = [],
): Draft {
  const e = body.entries;
  const members = e.members.map((m, i) => caseMember(m, picks[i] ?? null));
  const applicant = members[0];
  const head = members.find((m) => m.facts.relation === '世帯主') ?? applicant;
  const household = picks.find((p) => p)?.household_no ?? null;
  const notification: Notification | null = NOTIFIED.has(e.event)
    ? {
        kind: e.event,
        detail: e.detail ?? '',
        event_date: e.event_date ?? today,
        household_no: e.event === '転入' ? null : household,
        old_address: e.old_address ?? '',
        new_address: newAddressOf(body, towns),
        head_name: head?.name ?? '',
        members,
      }
    : null;
  const base = emptyDraft(caseId);
  return {
    ...base,
    document: {
      ...base.document,
      visitor: {
        ...base.document.visitor,
        kind: '本人',
        atena_no: applicant?.atena_no ?? null,
        name: applicant?.name ?? '',
      },
      notifications: notification ? [notification] : [],
      answers: { ...(e.answers ?? {}) },
      // Certificates are chosen on the certificate step; the memo says which the resident asked for.
      memo: [memoLine(source, e.language), wantedCertificates(e.certificates)].filter(Boolean).join('\n'),
    },
  };
}
