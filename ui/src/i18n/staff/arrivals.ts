// Japanese texts of 来庁予定者 (転入予約 and 転出証明書情報 prepared the evening before). Spread into `ja`
// (../ja.ts); one file per area so that the areas' keys stay apart.
export const arrivals = {} as const;
