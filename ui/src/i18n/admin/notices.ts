// Japanese texts of the admin console: notices. Spread into `ja` (../ja.ts); one file per area so that
// the areas' keys stay apart.
export const notices = {
} as const;
