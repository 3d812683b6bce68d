// A resident's 事前申請 (what they entered on their phone) turned into the kiosk's entries: the
// event, 手続きナビ's answers, the family, the new address or where to. The applicant's own entry is
// not taken: the resident still identifies with the card or a document. Pure, no I/O.
import type { PreApplicationBody, PreApplicationMember, TownView } from '../api/types';
import {
  LIFE_EVENTS,
  NEWBORN_RELATION,
  RELATIONS,
  emptyKioskData,
  personKey,
  type KioskData,
  type KioskPerson,
  type LifeEvent,
  type PreApplicationSource,
} from './model';

/** The longest 番地 the kiosk's keypad takes. */
const BANCHI_MAX = 16;

export type FromPreApplication =
  | { kind: 'ok'; data: KioskData }
  /** An event the kiosk does not take (死亡, 婚姻, a certificate, a move from or to abroad). */
  | { kind: 'counter' };

function kioskEvent(event: string, detail: string | null | undefined): LifeEvent | null {
  const known = LIFE_EVENTS.find((e) => e === event) ?? null;
  // The kiosk files moves within Japan only (国内); a move from or to abroad is the counter's.
  return known && detail !== '国外' ? known : null;
}

function relationOf(m: PreApplicationMember, event: LifeEvent): string {
  if (event === '出生') return NEWBORN_RELATION;
  const relation = m.relation ?? '';
  return (RELATIONS as readonly string[]).includes(relation) ? relation : 'その他';
}

/** Everyone but the applicant the event is about (moving with them, or the newborn). */
function members(all: readonly PreApplicationMember[], event: LifeEvent): KioskPerson[] {
  return all
    .slice(1)
    .filter((m) => m.mover === true)
    .filter((m) => event !== '出生' || !m.relation || m.relation === '子')
    .map((m) => ({
      key: personKey(),
      name: m.name,
      kana: m.kana ?? '',
      birth: m.birth,
      sex: m.sex === '男' || m.sex === '女' ? m.sex : '',
      relation: relationOf(m, event),
    }));
}

/** The 番地 as the keypad types it (`1-2-3`), or '' when it has more than digits and hyphens. */
export function keypadBanchi(typed: string | null | undefined): string {
  const banchi = (typed ?? '').normalize('NFKC').trim().replace(/[‐－ー−―]/g, '-');
  return /^\d+(-\d+)*$/.test(banchi) && banchi.length <= BANCHI_MAX ? banchi : '';
}

/** The city's 町字 the resident chose on the phone: by code, else by name; `null` when not in the list. */
export function townOf(body: PreApplicationBody, towns: readonly TownView[]): TownView | null {
  const a = body.entries.new_address;
  if (!a) return null;
  return (
    (a.town_code ? towns.find((t) => t.town_code === a.town_code) : undefined) ??
    towns.find((t) => t.town === a.town) ??
    null
  );
}

/** The kiosk's entries from a 事前申請, or that the kiosk does not take its event. */
export function kioskDataFromPreApplication(
  body: PreApplicationBody,
  towns: readonly TownView[],
  source: PreApplicationSource,
): FromPreApplication {
  const e = body.entries;
  const event = kioskEvent(e.event, e.detail);
  if (!event) return { kind: 'counter' };
  const moving = event === '転入' || event === '転居';
  const town = moving ? townOf(body, towns) : null;
  return {
    kind: 'ok',
    data: {
      ...emptyKioskData(),
      event,
      answers: { ...(e.answers ?? {}) },
      members: members(e.members, event),
      town,
      banchi: town ? keypadBanchi(e.new_address?.banchi) : '',
      destination: event === '転出' ? (e.destination ?? '').trim() : '',
      preApplication: { number: source.number },
    },
  };
}
