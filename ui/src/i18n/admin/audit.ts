// Japanese texts of the admin console: audit. Spread into `ja` (../ja.ts); one file per area so that
// the areas' keys stay apart.
export const audit = {
} as const;
