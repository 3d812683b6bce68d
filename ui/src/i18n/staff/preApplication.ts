// Japanese texts of reading a resident's 事前申請 at the counter (QR code or 受付番号). Spread into `ja` (../ja.ts).
export const preApplication = {
  'preApplication.heading': '事前申請の読み取り',
} as const;
