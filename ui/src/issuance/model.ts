// The issuance station's choices (証明書発行端末): what the resident picked on the screens, turned into
// the request's lines. Pure; the screens and the request are in `IssuanceApp.tsx`.
import type { StationLine, StationOffer } from '../api/types';

export const JUMINHYO = 'JUMINHYO';
/** The most copies of one certificate in one request (the server checks it too). */
export const MAX_COPIES = 5;

export type Scope = '本人のみ' | '世帯全員';

/** What the resident chose, screen by screen. */
export interface StationChoice {
  item: string;
  scope: Scope;
  /** 住民票の写し: print the 続柄. */
  relation: boolean;
  copies: number;
}

export function firstChoice(item: string): StationChoice {
  return { item, scope: '本人のみ', relation: true, copies: 1 };
}

/** Whether the choice has a 「だれの証明書」 screen (住民票の写し only). */
export function hasScope(item: string): boolean {
  return item === JUMINHYO;
}

/** The request's lines for a choice. */
export function linesOf(choice: StationChoice): StationLine[] {
  const juminhyo = hasScope(choice.item);
  return [
    {
      item: choice.item,
      copies: choice.copies,
      scope: juminhyo ? choice.scope : null,
      items: juminhyo ? (choice.relation ? ['relation'] : []) : null,
    },
  ];
}

/** The fee of a choice (the server computes the same from the city's table). */
export function feeOf(offer: StationOffer, copies: number): number {
  return offer.yen * copies;
}

/** Copies after a −/+ touch, kept within 1–`MAX_COPIES`. */
export function stepCopies(copies: number, by: number): number {
  return Math.min(MAX_COPIES, Math.max(1, copies + by));
}
