// Addresses of the case: the 番地 as written on the 住民票, the city's 町字.
import type { TownView } from '../api/types';

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
