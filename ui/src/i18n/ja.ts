// Japanese UI strings: the reference dictionary. Every user-facing text of the UI lives here;
// other languages (e.g. `en` for the kiosk) provide a subset of these keys and fall back to
// Japanese. Placeholders are written `{name}`.
export const ja = {
  'app.name': '窓口',
  'app.loading': '読み込み中…',
  'app.preparing': '準備中',
  'app.preparingDetail': 'この画面は準備中です。',
  'app.notFound': 'ページが見つかりません。',
  'app.backToTop': 'トップへ戻る',

  'date.wareki': '{era}{year}年{month}月{day}日',
  'date.firstYear': '元',
  'era.meiji': '明治',
  'era.taisho': '大正',
  'era.showa': '昭和',
  'era.heisei': '平成',
  'era.reiwa': '令和',

  'error.network':
    'サーバーに接続できません。入力内容は保持されています。接続を確認して、もう一度お試しください。',
  'error.unauthorized': 'ログインの有効期限が切れました。もう一度ログインしてください。',
  'error.forbidden': 'この操作を行う権限がありません。',
  'error.validation': '入力内容を確認してください。',
  'error.not_found': '対象が見つかりません。',
  'error.conflict': 'ほかの操作と競合しました。画面を更新して、もう一度お試しください。',
  'error.server': 'サーバーでエラーが発生しました。しばらくしてから、もう一度お試しください。',

  'login.title': '職員ログイン',
  'login.tenant': '団体ID',
  'login.counter': '窓口',
  'login.counterLoading': '窓口を読み込み中…',
  'login.counterNone': '選択できる窓口がありません',
  'login.user': 'ユーザーID',
  'login.password': 'パスワード',
  'login.submit': 'ログイン',
  'login.submitting': 'ログイン中…',
  'login.hintEnter': 'で送信',

  'layout.tenant': '団体',
  'layout.counter': '窓口',
  'layout.staff': '職員',
  'layout.logout': 'ログアウト',
  'layout.shortcuts': 'ショートカット',
  'layout.nav': '業務メニュー',
  'layout.navSearch': '宛名検索',

  'shortcut.search': '宛名検索',
  'shortcut.move': '候補の移動',
  'shortcut.select': '決定',
  'shortcut.clear': '入力の消去',

  'search.title': '宛名検索',
  'search.label': '氏名・フリガナ・生年月日・宛名番号',
  'search.placeholder': '例: 山田太郎 / ヤマダ / S50.4.1 / 宛名番号',
  'search.searching': '検索中…',
  'search.count': '{count}件',
  'search.none': '該当する住民はいません。',
  'search.more': '該当者が多いため一部のみ表示しています。条件を絞り込んでください。',
  'search.results': '検索結果',

  'resident.birth': '生年月日',
  'resident.sex': '性別',
  'resident.age': '{age}歳',
  'resident.address': '住所',
  'resident.atenaNo': '宛名番号',
  'resident.kana': 'フリガナ',
  'resident.name': '氏名',
  'resident.relation': '続柄',
  'resident.status': '状態',
  'resident.supportMeasure': '{label}対象者 — 住所は表示しません',
  'resident.addressMaskedHousehold': '同一世帯に支援措置対象者がいます — 住所は表示しません',
  'resident.noAddress': '住所なし',

  'household.title': '世帯',
  'household.no': '世帯番号',
  'household.members': '世帯員',
  'household.loading': '世帯を読み込み中…',
  'household.selected': '選択中',
} as const;

export type Messages = { readonly [K in keyof typeof ja]: string };
export type MessageKey = keyof typeof ja;
