// The issuance station's choices (証明書発行端末): what the resident picked on the screens, turned into
// the request's lines. Pure; the screens and the request are in `IssuanceApp.tsx`.
import type { StationIdentity, StationLine, StationOffer } from '../api/types';

export const JUMINHYO = 'JUMINHYO';
/** 住民票記載事項証明書. */
export const KISAI = 'KISAI-JIKOU';
/** 所得・課税証明書. */
export const SHOTOKU = 'SHOTOKU-SHOMEI';
/** The most copies of one certificate in one request (the server checks it too). */
export const MAX_COPIES = 5;

/**
 * The 記載事項 a resident may add to a 住民票の写し or 住民票記載事項証明書 at the station, in the order
 * of their boxes (not printed unless asked: the certificate says 「省略」). 個人番号 is never one:
 * Madoguchi's copy of the resident record does not hold it.
 */
export const EXTRA_ITEMS = ['honseki', 'juminhyo_code', 'previous_address'] as const;
export type ExtraItem = (typeof EXTRA_ITEMS)[number];
/** A 記載事項 the station asks for: the 続柄 or an added item. */
export type ItemCode = 'relation' | ExtraItem;

export type Scope = '本人のみ' | '世帯全員';

/** What the resident chose, screen by screen. */
export interface StationChoice {
  item: string;
  scope: Scope;
  /** 住民票の写し, 住民票記載事項証明書: print the 続柄. */
  relation: boolean;
  /** 住民票の写し, 住民票記載事項証明書: the items added (none by default). */
  extras: ExtraItem[];
  /** 所得・課税証明書: the 課税年度 (西暦). */
  year: number | null;
  copies: number;
}

export function firstChoice(item: string): StationChoice {
  return { item, scope: '本人のみ', relation: true, extras: [], year: null, copies: 1 };
}

/** Whether the choice has a 「だれの証明書」 screen with the 記載事項 (住民票の写し, 住民票記載事項証明書). */
export function hasScope(item: string): boolean {
  return item === JUMINHYO || item === KISAI;
}

/** Whether the choice has a 課税年度 screen (所得・課税証明書, of the card holder alone). */
export function hasYear(item: string): boolean {
  return item === SHOTOKU;
}

/** The screen after the card: whom it covers, the 課税年度, or straight to the copies. */
export function stepAfterCard(item: string): 'who' | 'year' | 'copies' {
  if (hasScope(item)) return 'who';
  return hasYear(item) ? 'year' : 'copies';
}

/** The 記載事項 a choice asks for, in the standard order (続柄 first). */
export function itemsOf(choice: StationChoice): ItemCode[] {
  const relation: ItemCode[] = choice.relation ? ['relation'] : [];
  return [...relation, ...EXTRA_ITEMS.filter((i) => choice.extras.includes(i))];
}

/** The choice with `item` added or taken away. */
export function toggleExtra(choice: StationChoice, item: ExtraItem): StationChoice {
  const extras = choice.extras.includes(item) ? choice.extras.filter((i) => i !== item) : [...choice.extras, item];
  return { ...choice, extras };
}

/** The 課税年度 the station offers the card holder (those loaded for them, newest first). */
export function taxYears(identity: StationIdentity): number[] {
  return identity.offers.find((o) => o.item === SHOTOKU)?.years ?? [];
}

/** The request's lines for a choice. */
export function linesOf(choice: StationChoice): StationLine[] {
  const scoped = hasScope(choice.item);
  const line: StationLine = {
    item: choice.item,
    copies: choice.copies,
    scope: scoped ? choice.scope : null,
    items: scoped ? itemsOf(choice) : null,
  };
  return [hasYear(choice.item) ? { ...line, year: choice.year } : line];
}

/** The fee of a choice (the server computes the same from the city's table). */
export function feeOf(offer: StationOffer, copies: number): number {
  return offer.yen * copies;
}

/** Copies after a −/+ touch, kept within 1–`MAX_COPIES`. */
export function stepCopies(copies: number, by: number): number {
  return Math.min(MAX_COPIES, Math.max(1, copies + by));
}
