// The counter visit (案件) as the staff app edits it: pure functions, no I/O, tested with Vitest.
import type {
  CardFace,
  CaseDisclosureView,
  CaseDocument,
  CaseMember,
  CaseProcedure,
  CaseView,
  EvaluateRequest,
  HouseholdView,
  IncomingMoveView,
  MemberWire,
  Notification,
  ProcedureView,
  ResidentView,
  TownView,
} from '../../api/types';
import type { CardPerson } from '../../backend/terminal';

/** The kinds of 届出 the staff app enters, with the keyboard key that picks each. */
export const NOTIFICATION_KINDS = [
  { kind: '転入', key: '1' },
  { kind: '転居', key: '2' },
  { kind: '転出', key: '3' },
  { kind: '世帯変更', key: '4' },
  { kind: '出生', key: '5' },
  { kind: '死亡', key: '6' },
] as const;

export const VISITOR_KINDS = ['本人', '同一世帯', '代理人'] as const;

export const ID_DOCUMENTS = [
  'マイナンバーカード',
  '運転免許証',
  '在留カード',
  'パスポート',
  '健康保険の資格確認書等（2点）',
] as const;

/** A case being edited: its id, the revision last read from the server, status and document. */
export interface Draft {
  caseId: string;
  /** `null` until the case is first saved. */
  revision: number | null;
  status: string;
  document: CaseDocument;
  /**
   * The server sent the case with every address masked (支援措置: `CaseView.address_masked`); the
   * document holds `MASKED_ADDRESS` in their place. Absent for a case typed here and not yet read back.
   */
  addressMasked?: boolean;
  /** The addresses were disclosed (`discloseCase`, reason audited) and the document holds them. */
  addressDisclosed?: boolean;
}

/** The draft of a case as the server sent it (read, saved or reloaded). */
export function draftFromCase(c: CaseView): Draft {
  return {
    caseId: c.id,
    revision: c.revision,
    status: c.status,
    document: c.document,
    addressMasked: c.address_masked === true,
  };
}

/** The draft of a case disclosed for a stated reason: every address as stored. */
export function draftFromDisclosure(d: CaseDisclosureView): Draft {
  return { ...draftFromCase(d.case), addressMasked: false, addressDisclosed: true };
}

/**
 * What the server writes instead of an address of a case that names a person under 支援措置
 * (`api::privacy::MASKED`; described on `CaseView.document` in the OpenAPI document). Saving the
 * value back keeps the stored address.
 */
export const MASKED_ADDRESS = '（支援措置のため非表示）';

/** Whether an address field holds the mask rather than an address. */
export function isMaskedAddress(value: string | null | undefined): boolean {
  return value === MASKED_ADDRESS;
}

/** The permission that allows disclosing a masked case's addresses (for a stated reason). */
export const OVERRIDE_SUPPORT_MEASURE = 'override_support_measure';

export function mayDiscloseAddresses(permissions: readonly string[]): boolean {
  return permissions.includes(OVERRIDE_SUPPORT_MEASURE);
}

/** Whether a disclosure reason is acceptable: 4–200 characters once trimmed, as the server counts them. */
export function validDisclosureReason(reason: string): boolean {
  const n = [...reason.trim()].length;
  return n >= 4 && n <= 200;
}

/** Client-generated ids (case ids, write ids): the server applies each write once. */
export function newId(prefix: string): string {
  const random =
    typeof crypto !== 'undefined' && 'randomUUID' in crypto
      ? crypto.randomUUID()
      : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
  return `${prefix}-${random}`;
}

export function emptyDraft(caseId: string): Draft {
  return {
    caseId,
    revision: null,
    status: 'open',
    document: {
      visitor: { kind: '本人', name: '', relation: '', proxy_letter: false, id_document: 'マイナンバーカード' },
      notifications: [],
      answers: {},
      procedures: [],
      certificates: [],
      fee_total: 0,
      memo: '',
    },
  };
}

/** 2026-11-23 in Japan (the counter's "today"). */
export function todayIso(now: Date = new Date()): string {
  const jst = new Date(now.getTime() + 9 * 3600 * 1000);
  return jst.toISOString().slice(0, 10);
}

/**
 * A resident of the city as a case member: the facts the counter knows from the 住民記録 and, for staff
 * allowed to see them, the 資格 from the core systems' feed (so 手続きナビ finds 国保・年金・介護… procedures
 * without asking).
 */
export function memberFromResident(r: ResidentView, mover: boolean): CaseMember {
  const q = r.qualifications;
  return {
    atena_no: r.atena_no,
    name: r.name,
    kana: r.kana ?? '',
    facts: {
      birth: r.birth_date ?? '1900-01-01',
      sex: r.sex_label,
      relation: r.relation,
      mover,
      foreign: r.kind === 'foreign',
      ...(q
        ? {
            kokuho: q.kokuho,
            kouki: q.kouki,
            kaigo: q.kaigo,
            pension: q.nenkin ? '1号' : '',
            jidou_teate: q.jidou_teate,
          }
        : {}),
    },
  };
}

/** A 転入 notification taken from 転出証明書情報: everyone moves in, nothing typed. */
export function notificationFromIncoming(move: IncomingMoveView, eventDate: string): Notification {
  return {
    kind: '転入',
    detail: '国内',
    event_date: eventDate,
    notice_no: move.notice_no,
    old_address: move.old_address,
    head_name: move.head_name,
    members: move.members.map((m) => ({ ...m, facts: { ...m.facts, mover: true } })),
  };
}

/** A notification about a household of the city; `selected` is the resident the visit is about. */
export function notificationFromHousehold(
  kind: string,
  household: HouseholdView,
  selected: ResidentView,
  eventDate: string,
): Notification {
  const everyoneMoves = kind === '転居' || kind === '転出';
  const members = household.members.map((m) =>
    memberFromResident(m, everyoneMoves || m.atena_no === selected.atena_no),
  );
  const head = household.members.find((m) => m.relation === '世帯主') ?? household.members[0];
  return {
    kind,
    detail: kind === '転出' ? '国内' : kind === '世帯変更' ? '分離' : '',
    event_date: eventDate,
    household_no: household.household_no,
    old_address: household.address ?? '',
    head_name: head?.name ?? '',
    members,
  };
}

/** Changes a notification's kind, keeping its people; who moves follows the new kind. */
export function withKind(n: Notification, kind: string, selectedAtena?: string | null): Notification {
  const everyoneMoves = kind === '転入' || kind === '転居' || kind === '転出';
  return {
    ...n,
    kind,
    detail: kind === '転入' || kind === '転出' ? n.detail || '国内' : kind === '世帯変更' ? '分離' : '',
    members: n.members
      .filter((m) => kind === '出生' || m.atena_no || m.facts.relation !== '子（出生）')
      .map((m) => ({
        ...m,
        facts: {
          ...m.facts,
          mover: everyoneMoves || (selectedAtena ? m.atena_no === selectedAtena : m.facts.mover === true),
        },
      })),
  };
}

/** Adds a newborn to a 出生 notification (the only people the counter types in). */
export function withNewborn(
  n: Notification,
  child: { name: string; kana: string; birth: string; sex: string },
): Notification {
  const others = n.members.map((m) => ({ ...m, facts: { ...m.facts, mover: false } }));
  return {
    ...n,
    members: [
      ...others,
      {
        atena_no: null,
        name: child.name,
        kana: child.kana,
        facts: { birth: child.birth, sex: child.sex, relation: '子（出生）', mover: true },
      },
    ],
  };
}

const KANJI_DIGITS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 12 → 十二, 20 → 二十 (丁目 are written in kanji). */
export function kanjiNumber(n: number): string {
  if (!Number.isInteger(n) || n <= 0 || n >= 100) return String(n);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens > 1 ? KANJI_DIGITS[tens] : ''}${tens > 0 ? '十' : ''}${ones > 0 ? KANJI_DIGITS[ones] : ''}`;
}

/**
 * The 番地 as staff type it quickly → as written on the 住民票: `1-2-3` → 一丁目2番3号,
 * `12-3` → 12番3号, full-width digits and hyphens accepted; anything else is kept as typed.
 */
export function normalizeBanchi(typed: string): string {
  const ascii = typed
    .trim()
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[－ー―‐−]/g, '-');
  const parts = ascii.split('-');
  if (!parts.every((p) => /^\d+$/.test(p))) return typed.trim();
  const [a = 0, b = 0, c = 0] = parts.map(Number);
  if (parts.length === 3) return `${kanjiNumber(a)}丁目${b}番${c}号`;
  if (parts.length === 2) return `${a}番${b}号`;
  if (parts.length === 1) return `${a}番地`;
  return typed.trim();
}

/** Towns whose name contains the text, or whose code or postal code starts with its digits. */
export function filterTowns(towns: TownView[], text: string): TownView[] {
  const q = text.trim();
  if (!q) return towns;
  const digits = q.replace(/[^0-9]/g, '');
  return towns.filter(
    (t) =>
      t.town.includes(q) ||
      t.full.includes(q) ||
      (digits.length > 0 && digits === q.replace(/-/g, '') &&
        ((t.postal_code ?? '').startsWith(digits) || (t.town_code ?? '').startsWith(digits))),
  );
}

export function newAddress(town: TownView, banchiTyped: string, katagaki: string) {
  const banchi = normalizeBanchi(banchiTyped);
  return {
    town: town.town,
    town_code: town.town_code ?? null,
    postal_code: town.postal_code ?? null,
    banchi,
    katagaki: katagaki.trim(),
    full: `${town.full}${banchi}`,
  };
}

function wire(m: CaseMember): MemberWire {
  return { ...m.facts };
}

/** 手続きナビ's input for one notification. */
export function evaluateRequest(n: Notification, answers: CaseDocument['answers']): EvaluateRequest {
  const all = n.members.map(wire);
  const staying = n.members.filter((m) => !m.facts.mover).map(wire);
  let before: MemberWire[] = [];
  let after: MemberWire[] = [];
  switch (n.kind) {
    case '転入':
      after = all;
      break;
    case '転出':
    case '死亡':
      before = all;
      after = staying;
      break;
    case '出生':
      before = staying;
      after = all;
      break;
    default:
      before = all;
      after = all;
  }
  return {
    event: n.kind,
    detail: n.detail ?? '',
    event_date: n.event_date,
    household_before: before,
    household_after: after,
    answers: answers ?? {},
  };
}

/**
 * The case's procedures after a new evaluation: what the engine found now, in its order, keeping
 * the state (印刷済, 受付済) of procedures the case already had. Procedures found for several
 * notifications appear once, with every reason.
 */
export function mergeProcedures(current: CaseProcedure[], found: ProcedureView[]): CaseProcedure[] {
  const byCode = new Map(current.map((p) => [p.code, p]));
  const out: CaseProcedure[] = [];
  for (const p of found) {
    const existing = out.find((o) => o.code === p.code);
    if (existing) {
      existing.reasons = [...new Set([...(existing.reasons ?? []), ...p.reasons])];
      continue;
    }
    out.push({
      code: p.code,
      name: p.name,
      counter: p.counter,
      on_the_spot: p.on_the_spot,
      state: byCode.get(p.code)?.state ?? 'pending',
      reasons: p.reasons,
      forms: p.forms,
      bring: p.bring,
    });
  }
  return out;
}

/** The people a case is about, for its heading: 山田 太郎 ほか3名. */
export function caseHeading(doc: CaseDocument): string {
  const movers = (doc.notifications ?? []).flatMap((n) => n.members.filter((m) => m.facts.mover));
  const [first] = movers;
  if (!first) return doc.visitor.name ?? "";
  return movers.length === 1 ? first.name : `${first.name} ほか${movers.length - 1}名`;
}

/** The 券面事項 kept in the case (for the 住記 system's CSV import), from a card read at the counter. */
export function cardFace(card: CardPerson | undefined): CardFace | null {
  if (!card) return null;
  return { name: card.name, address: card.address, birth: card.birth, sex: card.sex };
}
