// The resident kiosk's application as pure functions: what the resident chose and entered
// (`KioskData`, memory only — never in storage) → the case document, built the way the staff
// visit builds it (with the shared case model of `src/case/`).
import type {
  Answer,
  CaseDocument,
  CaseMember,
  CaseProcedure,
  EvaluateRequest,
  NewAddress,
  Notification,
  ProcedureView,
  TownView,
} from '../api/types';
import type { CardPerson } from '../backend';
import { newAddress } from '../case/address';
import { newId } from '../case/ids';
import { evaluateRequest, mergeProcedures } from '../case/procedures';
import { procedureTexts, type ProcedureTexts } from './navigationLanguage';
import { todayIso } from '../case/today';
import type { Signature } from '../components/SignaturePad';
import { tIn, type Locale } from '../i18n';

/** The life events the kiosk takes, as the 届出 kinds of the case document. */
export const LIFE_EVENTS = ['転入', '転居', '転出', '出生'] as const;
export type LifeEvent = (typeof LIFE_EVENTS)[number];

/** 本人確認書類 a resident may show instead of the card, as the case records them (`ID_DOCUMENTS`). */
export const KIOSK_DOCUMENTS = [
  { code: 'license', value: '運転免許証' },
  { code: 'residence', value: '在留カード' },
  { code: 'passport', value: 'パスポート' },
  { code: 'insurance', value: '健康保険の資格確認書等（2点）' },
] as const;
export type DocumentCode = (typeof KIOSK_DOCUMENTS)[number]['code'];

export const CARD_DOCUMENT = 'マイナンバーカード';

/** 続柄 of a family member to the applicant (the 世帯主 the kiosk assumes). */
export const RELATIONS = ['妻', '夫', '子', '父', '母', 'その他'] as const;
export const NEWBORN_RELATION = '子（出生）';
export const APPLICANT_RELATION = '世帯主';

export interface KioskPerson {
  /** Local key for lists. */
  key: string;
  /** 漢字 from the card, or the katakana the resident typed. */
  name: string;
  kana: string;
  /** ISO date. */
  birth: string;
  /** 男 | 女 | '' */
  sex: string;
  relation: string;
}

export type IdMethod = 'card' | 'document';

/** A 事前申請 the kiosk read: from a QR code (no number) or by its 受付番号. */
export interface PreApplicationSource {
  number: string | null;
}

export interface KioskData {
  event: LifeEvent | null;
  answers: Record<string, Answer>;
  procedures: CaseProcedure[];
  /** The procedures' names and counters in the resident's language (by code; empty in Japanese). */
  procedureTexts: ProcedureTexts;
  /** 手続きナビ could not be asked (offline, refused): the staff look the procedures up. */
  navigationUnavailable: boolean;
  idMethod: IdMethod | null;
  /** The 本人確認書類 (`マイナンバーカード` after a card read). */
  idDocument: string;
  applicant: KioskPerson | null;
  /** The applicant's address on the card (the current one), '' when typed in. */
  currentAddress: string;
  /** Everyone else: family moving together, or the newborn for 出生. */
  members: KioskPerson[];
  town: TownView | null;
  /** 番地 as typed on the keypad (`1-2-3`). */
  banchi: string;
  /** 転出: where to, as the resident typed it (katakana), optional. */
  destination: string;
  signature: Signature | null;
  /** Fixed once at the confirm step, so that a retried submission is the same write. */
  ids: { caseId: string; writeId: string } | null;
  /** The 事前申請 the entries were filled from, if any. */
  preApplication: PreApplicationSource | null;
}

export function emptyKioskData(): KioskData {
  return {
    event: null,
    answers: {},
    procedures: [],
    procedureTexts: {},
    navigationUnavailable: false,
    idMethod: null,
    idDocument: '',
    applicant: null,
    currentAddress: '',
    members: [],
    town: null,
    banchi: '',
    destination: '',
    signature: null,
    ids: null,
    preApplication: null,
  };
}

let keyCounter = 0;
/** A key for a person in the lists of the screen. */
export function personKey(): string {
  keyCounter += 1;
  return `p${keyCounter}`;
}

/** The card holder as the applicant: nothing typed. */
export function applicantFromCard(card: CardPerson): KioskPerson {
  return {
    key: personKey(),
    name: card.name,
    kana: '',
    birth: card.birth,
    sex: card.sex,
    relation: APPLICANT_RELATION,
  };
}

/** The id rule of case and write ids: 8–64 of `A-Z a-z 0-9 - _`. */
export function isValidId(id: string): boolean {
  return /^[A-Za-z0-9_-]{8,64}$/.test(id);
}

/** Client-generated ids for one submission. */
export function newSubmissionIds(): { caseId: string; writeId: string } {
  return { caseId: newId('kiosk'), writeId: newId('w') };
}

function member(p: KioskPerson, mover: boolean): CaseMember {
  return {
    atena_no: null,
    name: p.name,
    kana: p.kana,
    facts: { birth: p.birth, sex: p.sex, relation: p.relation, mover },
  };
}

/** The new address of the notification, when the resident gave one. */
export function kioskNewAddress(data: KioskData): NewAddress | null {
  if (data.event === '転入' || data.event === '転居') {
    return data.town ? newAddress(data.town, data.banchi, '') : null;
  }
  if (data.event === '転出') {
    const where = data.destination.trim();
    return where ? { town: '', town_code: null, postal_code: null, banchi: '', katagaki: '', full: where } : null;
  }
  return null;
}

/**
 * The 届出 as far as it is known: before the identity step it has no people yet (手続きナビ then
 * answers for the event alone; the confirm step asks again with everyone).
 */
export function kioskNotification(data: KioskData, today: string = todayIso()): Notification {
  const kind = data.event ?? '転入';
  const birth = kind === '出生';
  const people: CaseMember[] = [];
  if (data.applicant) people.push(member(data.applicant, !birth));
  for (const m of data.members) people.push(member(m, true));
  const newborns = data.members.map((m) => m.birth).sort();
  return {
    kind,
    detail: kind === '転入' || kind === '転出' ? '国内' : '',
    event_date: birth ? (newborns[0] ?? today) : today,
    household_no: null,
    old_address: data.currentAddress,
    head_name: data.applicant?.name ?? '',
    members: people,
    new_address: kioskNewAddress(data),
  };
}

/** 手続きナビ's input, as the staff visit asks it. */
export function kioskEvaluateRequest(data: KioskData, today?: string): EvaluateRequest {
  return evaluateRequest(kioskNotification(data, today), data.answers);
}

/** The procedures after an evaluation (all 未: the staff accept them at the counter). */
export function withProcedures(data: KioskData, found: ProcedureView[], shown: ProcedureView[] = found): KioskData {
  return {
    ...data,
    procedures: mergeProcedures([], found),
    procedureTexts: shown === found ? {} : procedureTexts(shown),
    navigationUnavailable: false,
  };
}

/** What the staff should know of how the application was made (always Japanese). */
export function kioskMemo(data: KioskData, language: Locale): string {
  const lines = [
    data.idMethod === 'card'
      ? tIn('ja', 'kiosk.memo.card')
      : tIn('ja', 'kiosk.memo.document', { document: data.idDocument }),
  ];
  if (language !== 'ja') lines.push(tIn('ja', 'kiosk.memo.language', { language: tIn('ja', `kiosk.memo.lang.${language}`) }));
  if (data.navigationUnavailable) lines.push(tIn('ja', 'kiosk.memo.navigationUnavailable'));
  if (data.preApplication) {
    const number = data.preApplication.number;
    lines.push(
      number
        ? tIn('ja', 'kiosk.memo.preApplicationNumber', { number: `${number.slice(0, 4)}-${number.slice(4)}` })
        : tIn('ja', 'kiosk.memo.preApplicationQr'),
    );
  }
  return lines.join('\n');
}

/**
 * The case document of the application: the applicant came in person (本人, no 委任状) with the
 * 本人確認 used; one 届出 with everyone; the procedures found with their state; the signature.
 */
export function kioskDocument(data: KioskData, language: Locale, today?: string): CaseDocument {
  return {
    visitor: {
      kind: '本人',
      atena_no: null,
      name: data.applicant?.name ?? '',
      relation: '',
      proxy_letter: false,
      id_document: data.idDocument,
      // The 券面事項 read from the card (for the 住記 system's CSV import); never the 個人番号.
      card:
        data.idMethod === 'card' && data.applicant
          ? {
              name: data.applicant.name,
              address: data.currentAddress,
              birth: data.applicant.birth,
              sex: data.applicant.sex,
            }
          : null,
    },
    notifications: [kioskNotification(data, today)],
    answers: { ...data.answers },
    procedures: data.procedures.map((p) => ({ ...p, state: p.state || 'pending' })),
    certificates: [],
    fee_total: 0,
    memo: kioskMemo(data, language),
    signature: data.signature,
  };
}
