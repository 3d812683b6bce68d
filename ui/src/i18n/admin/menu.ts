// Japanese texts of the admin console: the menu (管理メニュー). Spread into `ja` (../ja.ts); one file per
// area so that the areas' keys stay apart.
export const menu = {
  'layout.navAdmin': '管理',
  'admin.menu.heading': '管理メニュー',
  'admin.menu.intro': '団体の職員が、この画面から自分でシステムを管理します。操作はすべて監査ログに記録されます。',
  'admin.menu.none': '管理できる画面はありません。',
  'admin.menu.terminals': '端末登録',
  'admin.menu.terminalsDetail': '窓口の端末を登録・削除し、ブラウザーからのログインを窓口ごとに許可します。',
  'admin.menu.stations': '発行端末の設定',
  'admin.menu.stationsDetail': '証明書発行端末で扱う証明書、自動印刷、稼働時間、支援措置の扱いを決めます。',
  'admin.menu.certificateSettings': '証明書の設定',
  'admin.menu.certificateSettingsDetail': '証明書の認証文・公印・地紋と、窓口ごとに発行する証明書を決めます。',
  'admin.menu.linkage': '連携状況',
  'admin.menu.linkageDetail': '基幹系システムとのファイル連携の状況を確認します。',
} as const;
