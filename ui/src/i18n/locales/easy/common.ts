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

  // The camera as a QR code reader (the kiosk's start screen).
  'camera.button': 'カメラで よみとる',
  'camera.title': 'カメラで QRコードを よみとります',
  'camera.hint': 'QRコードを 白い わくの 中に うつして ください。',
  'camera.video': 'カメラの えいぞう',
  'camera.starting': 'カメラを じゅんび して います…',
  'camera.scanning': 'よみとって います…',
  'camera.close': 'とじる',
  'camera.problem.unsupported': 'この がめんでは カメラを つかえません。',
  'camera.problem.denied': 'カメラを つかう きょかが ありません。カメラを つかえるように してから、もう いちど やって ください。',
  'camera.problem.none': 'カメラが ありません。カメラが つながって いるか みて ください。',
  'camera.problem.busy': 'ほかの アプリが カメラを つかって います。ほかの アプリを とじてから、もう いちど やって ください。',
  'camera.problem.failed': 'カメラを つかえませんでした。もう いちど やって ください。',
};
