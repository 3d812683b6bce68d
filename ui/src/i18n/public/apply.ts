// Japanese texts of the resident's phone app (事前申請, `resident.html`). Spread into `ja` (../ja.ts).
export const apply = {
  'apply.heading': '事前申請',
} as const;
