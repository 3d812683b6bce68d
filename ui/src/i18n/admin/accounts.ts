// Japanese texts of the admin console: accounts. Spread into `ja` (../ja.ts); one file per area so that
// the areas' keys stay apart.
export const accounts = {
} as const;
