// The public 手続きガイド's state: the life event, the household by age and 続柄 (nobody named, no birth
// date), and the answers — kept in the page's URL (`#/guide?tenant=…&e=…`) so that the answers can be
// shared, and turned into 手続きナビ's request. Pure, no I/O.
import type { Answer, EvaluateRequest, MemberInput } from '../api/types';
import { householdsFor } from '../case/procedures';
import { isLocale, type Locale } from '../i18n';

/** The life events the guide offers, with the detail each may take. */
export const GUIDE_EVENTS = ['転入', '転居', '転出', '出生', '死亡', '婚姻', '離婚'] as const;
export type GuideEvent = (typeof GUIDE_EVENTS)[number];

export const RELATIONS = ['世帯主', '妻', '夫', '子', '父', '母', '祖父', '祖母', '同居人'] as const;

export interface GuideMember {
  age: number;
  relation: string;
  /** The event is about them (moves, is born, dies, marries). */
  subject: boolean;
  /** In 国民健康保険. */
  kokuho: boolean;
}

export interface GuideState {
  tenant: string;
  /** The page's language (`lang` in the URL; absent for Japanese). */
  lang: Locale;
  event: GuideEvent | null;
  /** 国内 / 国外 for 転入 and 転出. */
  detail: string;
  members: GuideMember[];
  answers: Record<string, Answer>;
}

const isEvent = (e: string | null): e is GuideEvent => (GUIDE_EVENTS as readonly string[]).includes(e ?? '');

/** `m` as `age.relation.flags` (flags: `s` subject, `k` 国保). */
function memberText(m: GuideMember): string {
  return `${m.age}.${m.relation}.${m.subject ? 's' : ''}${m.kokuho ? 'k' : ''}`;
}

function memberOf(text: string): GuideMember | null {
  const [age, relation, flags = ''] = text.split('.');
  const n = Number(age);
  if (!Number.isInteger(n) || n < 0 || n > 120 || !relation) return null;
  return { age: n, relation, subject: flags.includes('s'), kokuho: flags.includes('k') };
}

/** The hash query of a state (`tenant`, `lang`, `e` event, `d` detail, `m` members, `a` answers). */
export function toQuery(s: GuideState): string {
  const q = new URLSearchParams({ tenant: s.tenant });
  if (s.lang !== 'ja') q.set('lang', s.lang);
  if (s.event) q.set('e', s.event);
  if (s.detail) q.set('d', s.detail);
  if (s.members.length > 0) q.set('m', s.members.map(memberText).join('_'));
  const answers = Object.entries(s.answers).map(([k, v]) => `${k}:${v === true ? '1' : v === false ? '0' : `=${v}`}`);
  if (answers.length > 0) q.set('a', answers.join(','));
  return q.toString();
}

/** The state of a hash (`#/guide?…`); what cannot be read is left out. */
export function fromHash(hash: string): GuideState {
  const q = new URLSearchParams(hash.split('?')[1] ?? '');
  const e = q.get('e');
  const answers: Record<string, Answer> = {};
  for (const part of (q.get('a') ?? '').split(',').filter(Boolean)) {
    const at = part.indexOf(':');
    if (at <= 0) continue;
    const [id, v] = [part.slice(0, at), part.slice(at + 1)];
    answers[id] = v === '1' ? true : v === '0' ? false : v.startsWith('=') ? v.slice(1) : true;
  }
  return {
    tenant: q.get('tenant')?.trim() || 'demo',
    lang: isLocale(q.get('lang') ?? '') ? (q.get('lang') as Locale) : 'ja',
    event: isEvent(e) ? e : null,
    detail: q.get('d') ?? '',
    members: (q.get('m') ?? '').split('_').filter(Boolean).map(memberOf).filter((m): m is GuideMember => m !== null).slice(0, 20),
    answers,
  };
}

/** A birth date standing for `age` on `day`: half a year past that birthday (no real date is asked). */
export function birthForAge(age: number, day: string): string {
  const [y = 2000, m = 1, d = 1] = day.split('-').map(Number);
  const date = new Date(Date.UTC(y - age, m - 1, d - 182));
  return date.toISOString().slice(0, 10);
}

/** 手続きナビ's request for the state on `day` (`YYYY-MM-DD`), or null before an event is chosen. */
export function guideRequest(s: GuideState, day: string): EvaluateRequest | null {
  if (!s.event) return null;
  const wire = (m: GuideMember): MemberInput => ({
    birth: birthForAge(m.age, day),
    relation: m.relation,
    mover: m.subject,
    kokuho: m.kokuho,
    kaigo: m.age >= 65,
    kouki: m.age >= 75,
  });
  const all = s.members.map(wire);
  const staying = s.members.filter((m) => !m.subject).map(wire);
  const [before, after] = householdsFor(s.event, all, staying);
  return {
    event: s.event,
    detail: s.detail,
    event_date: day,
    household_before: before,
    household_after: after,
    answers: s.answers,
  };
}
