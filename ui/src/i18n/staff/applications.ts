// Japanese texts of 申請管理 (applications received through マイナポータル: ぴったりサービス, 引越しワンストップ,
// and the manually downloaded ZIPs). Spread into `ja` (../ja.ts); one file per area so that the areas' keys
// stay apart.
export const applications = {} as const;
