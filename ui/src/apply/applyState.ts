// The resident's 事前申請 on their phone as pure functions: what they entered (`ApplyState`), kept on
// their own device only (`localStorage`, erased by 「入力を消す」 and after 30 days), turned into
// 手続きナビ's request and into the entries the server signs into a QR code (`Entries`, defined once
// in `madoguchi_core::pre_application`). No I/O here but the storage functions' `Storage` argument.
import type {
  Answer,
  EvaluateRequest,
  MemberInput,
  PreApplicationEntries,
  PreApplicationMember,
  TownView,
} from '../api/types';
import { householdsFor } from '../case/procedures';

/** The life events of the phone app (`madoguchi_core::pre_application::EVENTS`). */
export const APPLY_EVENTS = ['転入', '転居', '転出', '出生', '死亡', '婚姻', '証明書'] as const;
export type ApplyEvent = (typeof APPLY_EVENTS)[number];

/** Certificates a resident may ask for ahead (names as the counter lists them). */
export const APPLY_CERTIFICATES = ['住民票の写し', '印鑑登録証明書', '所得・課税証明書', '戸籍証明書'] as const;

/** 続柄 to the applicant (the first person). */
export const APPLY_RELATIONS = ['本人', '妻', '夫', '子', '父', '母', '祖父', '祖母', 'その他'] as const;

/** Days the entries stay on the device (as long as a signed QR code is good). */
export const KEEP_DAYS = 30;

export interface ApplyPerson {
  name: string;
  kana: string;
  romaji: string;
  /** ISO date, '' until given. */
  birth: string;
  /** 男 | 女 | '' */
  sex: string;
  relation: string;
  /** The event is about them (moves, is born, dies, marries). */
  mover: boolean;
}

export interface ApplyState {
  tenant: string;
  event: ApplyEvent | null;
  /** 国内 / 国外 for 転入 and 転出. */
  detail: string;
  /** ISO date of the event, '' when not given. */
  eventDate: string;
  people: ApplyPerson[];
  /** 転入: the address in the previous city, as typed. */
  oldAddress: string;
  town: TownView | null;
  banchi: string;
  katagaki: string;
  /** 転出: where to. */
  destination: string;
  answers: Record<string, Answer>;
  certificates: string[];
  phone: string;
  /** The day (ISO) the entries were first saved on this device. */
  saved: string;
  /** The QR code the server signed, for the entries as they were then (`entries`: their JSON). */
  signed: { entries: string; svgs: string[]; expires: string } | null;
  /** The 受付番号 after sending. */
  sent: { number: string; expires: string } | null;
}

export function emptyPerson(first: boolean): ApplyPerson {
  return { name: '', kana: '', romaji: '', birth: '', sex: '', relation: first ? '本人' : '', mover: true };
}

export function emptyState(tenant: string, today: string): ApplyState {
  return {
    tenant,
    event: null,
    detail: '',
    eventDate: '',
    people: [emptyPerson(true)],
    oldAddress: '',
    town: null,
    banchi: '',
    katagaki: '',
    destination: '',
    answers: {},
    certificates: [],
    phone: '',
    saved: today,
    signed: null,
    sent: null,
  };
}

export const isApplyEvent = (e: string | null | undefined): e is ApplyEvent =>
  (APPLY_EVENTS as readonly string[]).includes(e ?? '');

/** Events with a new address in the city. */
export const movesIn = (e: ApplyEvent | null): boolean => e === '転入' || e === '転居';

/** Whether the address step is asked for the event. */
export const asksAddress = (e: ApplyEvent | null): boolean => movesIn(e) || e === '転出';

/** A person whose entries are enough to apply: a name and a birth date. */
export function personComplete(p: ApplyPerson): boolean {
  return p.name.trim() !== '' && /^\d{4}-\d{2}-\d{2}$/.test(p.birth);
}

/** The people step's missing entries, or null when every person is complete. */
export function peopleProblem(s: ApplyState): 'none' | 'incomplete' | null {
  if (s.people.length === 0) return 'none';
  return s.people.every(personComplete) ? null : 'incomplete';
}

/** 手続きナビ's request, or null when there is nothing to ask (no event, or certificates only). */
export function applyRequest(s: ApplyState, today: string): EvaluateRequest | null {
  if (!s.event || s.event === '証明書') return null;
  const people = s.people.filter((p) => /^\d{4}-\d{2}-\d{2}$/.test(p.birth));
  const wire = (p: ApplyPerson, i: number): MemberInput => ({
    birth: p.birth,
    sex: p.sex,
    relation: i === 0 ? '世帯主' : p.relation,
    mover: p.mover,
  });
  const all = people.map(wire);
  const staying = people.map(wire).filter((m) => !m.mover);
  const [before, after] = householdsFor(s.event, all, staying);
  return {
    event: s.event,
    detail: s.detail,
    event_date: s.eventDate || today,
    household_before: before,
    household_after: after,
    answers: s.answers,
  };
}

function member(p: ApplyPerson, i: number): PreApplicationMember {
  return {
    name: p.name.trim(),
    kana: p.kana.trim(),
    romaji: p.romaji.trim(),
    birth: p.birth,
    sex: p.sex,
    relation: i === 0 ? '本人' : p.relation,
    mover: p.mover,
  };
}

/** What the server signs into the QR code (or keeps under a 受付番号). */
export function toEntries(s: ApplyState, language: string): PreApplicationEntries {
  return {
    event: s.event ?? '',
    detail: s.detail,
    event_date: s.eventDate || null,
    language,
    answers: s.answers,
    members: s.people.filter(personComplete).map(member),
    old_address: s.event === '転入' ? s.oldAddress.trim() : '',
    new_address:
      movesIn(s.event) && s.town
        ? {
            town: s.town.town,
            town_code: s.town.town_code ?? null,
            postal_code: s.town.postal_code ?? null,
            banchi: s.banchi.trim(),
            katagaki: s.katagaki.trim(),
          }
        : null,
    destination: s.event === '転出' ? s.destination.trim() : '',
    certificates: s.certificates,
    phone: s.phone.trim(),
  };
}

/** Towns whose postcode starts with the digits typed (any `-` ignored), or whose name contains the text. */
export function findTowns(towns: TownView[], typed: string): TownView[] {
  const text = typed.trim();
  if (!text) return towns;
  const digits = text.replace(/[-－ー\s]/g, '').replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  if (/^\d+$/.test(digits)) return towns.filter((t) => (t.postal_code ?? '').replace(/-/g, '').startsWith(digits));
  return towns.filter((t) => t.town.includes(text) || t.full.includes(text));
}

/** A postcode as printed (`379-9001`), whether stored with the hyphen or not. */
export function formatPostcode(code: string): string {
  const digits = code.replace(/-/g, '');
  return /^\d{7}$/.test(digits) ? `${digits.slice(0, 3)}-${digits.slice(3)}` : code;
}

const storageKey = (tenant: string) => `madoguchi.apply.${tenant}`;

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The entries kept on this device for `tenant`, unless none, unreadable or older than `KEEP_DAYS`. */
export function loadState(storage: Storage, tenant: string, today: string): ApplyState {
  try {
    const text = storage.getItem(storageKey(tenant));
    if (text) {
      const s = JSON.parse(text) as ApplyState;
      if (s.tenant === tenant && Array.isArray(s.people) && daysBetween(s.saved, today) <= KEEP_DAYS) {
        return { ...emptyState(tenant, today), ...s };
      }
      storage.removeItem(storageKey(tenant));
    }
  } catch {
    // A broken entry (another version, a full storage): start anew.
  }
  return emptyState(tenant, today);
}

export function saveState(storage: Storage, s: ApplyState): void {
  try {
    storage.setItem(storageKey(s.tenant), JSON.stringify(s));
  } catch {
    // Private browsing or a full storage: the entries stay in memory only.
  }
}

export function clearState(storage: Storage, tenant: string): void {
  storage.removeItem(storageKey(tenant));
}
