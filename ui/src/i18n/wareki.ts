import type { MessageKey } from './ja';
import { t } from './translate';

/** A date in the Japanese era calendar (和暦). `year` is 1 for the first year (元年). */
export interface Wareki {
  eraKey: MessageKey;
  year: number;
  month: number;
  day: number;
}

// First day of each era in the Gregorian calendar, newest first. Dates are compared as
// ISO strings (`YYYY-MM-DD`), which sort chronologically.
const ERAS: ReadonlyArray<{ start: string; key: MessageKey }> = [
  { start: '2019-05-01', key: 'era.reiwa' },
  { start: '1989-01-08', key: 'era.heisei' },
  { start: '1926-12-25', key: 'era.showa' },
  { start: '1912-07-30', key: 'era.taisho' },
  { start: '1868-01-25', key: 'era.meiji' },
];

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Converts an ISO date (`2026-11-23`) to 和暦; `null` when it is not a valid date or precedes 明治. */
export function toWareki(iso: string): Wareki | null {
  const match = ISO_DATE.exec(iso.trim());
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    return null;
  }
  const normalized = `${match[1]}-${match[2]}-${match[3]}`;
  const era = ERAS.find((e) => normalized >= e.start);
  if (!era) return null;
  const eraStartYear = Number(era.start.slice(0, 4));
  return { eraKey: era.key, year: year - eraStartYear + 1, month, day };
}

/** Formats an ISO date as 和暦 (`令和8年11月23日`, `令和元年5月1日`); other input is returned unchanged. */
export function formatWareki(iso: string): string {
  const w = toWareki(iso);
  if (!w) return iso;
  return t('date.wareki', {
    era: t(w.eraKey),
    year: w.year === 1 ? t('date.firstYear') : w.year,
    month: w.month,
    day: w.day,
  });
}

/** A 年度 named by its calendar year (a 課税年度) in 和暦: 2026 → `令和8年度`, 2019 → `令和元年度` (the era at the
 * year's end names it). */
export function formatNendo(year: number): string {
  return eraYear('date.nendo', year);
}

/** A calendar year in 和暦, named by the era at its end: 2025 → `令和7年`, 2019 → `令和元年` (an income year). */
export function formatWarekiYear(year: number): string {
  return eraYear('date.warekiYear', year);
}

function eraYear(key: 'date.nendo' | 'date.warekiYear', year: number): string {
  const w = toWareki(`${String(year).padStart(4, '0')}-12-31`);
  if (!w) return String(year);
  return t(key, { era: t(w.eraKey), year: w.year === 1 ? t('date.firstYear') : w.year });
}

/** A point in time (RFC 3339) as 和暦 date and time in Japan (`令和8年11月23日 9時05分`). */
export function formatWarekiDateTime(rfc3339: string): string {
  const at = new Date(rfc3339);
  if (Number.isNaN(at.getTime())) return rfc3339;
  const jst = new Date(at.getTime() + 9 * 3600 * 1000);
  const iso = jst.toISOString();
  return t('date.warekiTime', {
    date: formatWareki(iso.slice(0, 10)),
    hour: Number(iso.slice(11, 13)),
    minute: iso.slice(14, 16),
  });
}

/** The eras a birth date can be picked in, newest first. */
export const ERA_KEYS = ['era.reiwa', 'era.heisei', 'era.showa', 'era.taisho'] as const;
export type EraKey = (typeof ERA_KEYS)[number];

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The ISO date of a 和暦 date (令和8年11月23日 → 2026-11-23); `null` when it does not exist in that era. */
export function fromWareki(eraKey: MessageKey, year: number, month: number, day: number): string | null {
  const era = ERAS.find((e) => e.key === eraKey);
  if (!era || !Number.isInteger(year) || year < 1) return null;
  const gregorian = Number(era.start.slice(0, 4)) + year - 1;
  const iso = `${String(gregorian).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
  const back = toWareki(iso);
  return back && back.eraKey === eraKey && back.year === year ? iso : null;
}

/** The last year of an era (the current era: this year, on `todayIso`). */
export function eraLastYear(eraKey: MessageKey, todayIso: string): number {
  const index = ERAS.findIndex((e) => e.key === eraKey);
  const era = ERAS[index];
  if (!era) return 1;
  const startYear = Number(era.start.slice(0, 4));
  const next = ERAS[index - 1];
  const endYear = next ? Number(next.start.slice(0, 4)) : Number(todayIso.slice(0, 4));
  return Math.max(1, endYear - startYear + 1);
}
