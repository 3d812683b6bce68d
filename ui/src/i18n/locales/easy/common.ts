// やさしい日本語: the shared texts residents see. Short sentences, easy words, few kanji.
import type { Messages } from '../../ja';

export const common: Partial<Messages> = {
  'app.loading': 'よみこんで います…',
  'date.wareki': '{era}{year}年{month}月{day}日',
  'date.firstYear': '1',
  'date.warekiYear': '{era}{year}年',
  'era.meiji': 'めいじ（明治）',
  'era.taisho': 'たいしょう（大正）',
  'era.showa': 'しょうわ（昭和）',
  'era.heisei': 'へいせい（平成）',
  'era.reiwa': 'れいわ（令和）',
  'visit.signature.area': 'サインを 書く ところ',
  'visit.signature.hint': 'ペンか 指で、わくの 中に サインを 書いて ください。',
  'visit.signature.clear': 'もう一度 書く',
  'maintenance.heading': 'システムが 止まる お知らせ',
  'maintenance.window': '{from} から {to} まで、システムが 止まります。',
  'maintenance.active': 'いま、システムが 止まって います。',
  'status.heading': 'システムの ようす',
  'status.tenant': '市・町・村：{tenant}',
  'status.none': 'システムが 止まる 予定は ありません。',
  'status.failed': 'ようすを よみこめません でした。あとで もう一度 やって ください。',
};
