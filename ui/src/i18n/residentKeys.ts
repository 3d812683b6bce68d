// The resident-facing keys and the check of their translations (`resident.test.ts`, `npm run
// i18n:missing`). Staff screens are Japanese only; residents read these keys in their language.
import type { Messages } from './ja';
import type { Locale } from './translate';

/** One area of resident-facing keys: keys starting with `prefix` (but none of `except`), or `keys`. */
export interface ResidentArea {
  name: string;
  prefix?: string;
  except?: string[];
  keys?: string[];
  /** Every non-Japanese language must have it all (the check fails); otherwise only listed. */
  required: boolean;
}

export const RESIDENT_AREAS: readonly ResidentArea[] = [
  {
    name: 'common',
    keys: [
      'app.loading',
      'date.wareki',
      'date.firstYear',
      'date.warekiYear',
      'era.meiji',
      'era.taisho',
      'era.showa',
      'era.heisei',
      'era.reiwa',
      'visit.signature.area',
      'visit.signature.hint',
      'visit.signature.clear',
    ],
    required: true,
  },
  { name: 'maintenance', prefix: 'maintenance.', required: true },
  { name: 'camera', prefix: 'camera.', required: true },
  { name: 'status', prefix: 'status.', required: true },
  { name: 'kiosk', prefix: 'kiosk.', except: ['kiosk.memo.'], required: true },
  { name: 'guide', prefix: 'guide.', required: true },
  // The resident's phone app: being written; listed until its translations are in.
  { name: 'apply', prefix: 'apply.', required: true },
  // The certificate station: English only so far.
  { name: 'station', prefix: 'station.', required: false },
];

export function areaKeys(area: ResidentArea, ja: Messages): string[] {
  const all = Object.keys(ja);
  if (area.keys) return area.keys.filter((k) => k in ja);
  const prefix = area.prefix ?? '';
  return all.filter((k) => k.startsWith(prefix) && !(area.except ?? []).some((e) => k.startsWith(e)));
}

export interface Gap {
  lang: Locale;
  area: string;
  required: boolean;
  key: string;
  /** `missing`, or `placeholders` when the translation's `{name}`s differ from the Japanese. */
  problem: 'missing' | 'placeholders';
}

const placeholders = (text: string) => [...text.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]).sort().join(',');

/** Every resident-facing key `messages` (the dictionary of `lang`) lacks or gets wrong. */
export function gaps(lang: Locale, messages: Partial<Messages>, ja: Messages): Gap[] {
  const out: Gap[] = [];
  for (const area of RESIDENT_AREAS) {
    for (const key of areaKeys(area, ja)) {
      const text = messages[key as keyof Messages];
      const base = { lang, area: area.name, required: area.required, key };
      if (text === undefined) out.push({ ...base, problem: 'missing' });
      else if (placeholders(text) !== placeholders(ja[key as keyof Messages])) out.push({ ...base, problem: 'placeholders' });
    }
  }
  return out;
}

/** The list as people read it: one line per language and area, then the keys. */
export function report(all: readonly Gap[]): string {
  const groups = new Map<string, Gap[]>();
  for (const g of all) {
    const name = `${g.lang} ${g.area}${g.required ? '' : ' (not required yet)'}`;
    groups.set(name, [...(groups.get(name) ?? []), g]);
  }
  return [...groups]
    .map(([name, list]) => `${name}: ${list.length}\n${list.map((g) => `  ${g.key}${g.problem === 'placeholders' ? ' (placeholders differ)' : ''}`).join('\n')}`)
    .join('\n');
}
