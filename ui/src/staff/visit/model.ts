// The counter visit (案件) as the staff app edits it: pure functions, no I/O, tested with Vitest.
// What the kiosk shares with it (ids, today, addresses, procedures) is in `src/case/`.
import type {
  CardFace,
  CaseDisclosureView,
  CaseDocument,
  CaseMember,
  CaseView,
  HouseholdView,
  IncomingMoveView,
  Notification,
  ResidentView,
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
