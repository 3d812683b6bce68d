// Japanese texts of the admin console: statistics. Spread into `ja` (../ja.ts); one file per area so that
// the areas' keys stay apart.
export const statistics = {
} as const;
