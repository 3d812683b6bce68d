// A 事前申請 body for the tests of this folder.
import type { PreApplicationBody } from '../../api/types';

export function moveBody(over: Partial<PreApplicationBody['entries']> = {}): PreApplicationBody {
  return {
    tenant: 'sakurano',
    issued: '2026-12-01',
    entries: {
      event: '転居',
      detail: '',
      language: 'vi',
      answers: { kokuho: true },
      members: [
        { name: '山田 太郎', kana: 'ヤマダ タロウ', birth: '1975-04-01', sex: '男', relation: '世帯主', mover: true },
        { name: '山田 花子', kana: 'ヤマダ ハナコ', birth: '1977-08-08', sex: '女', relation: '妻', mover: true },
      ],
      old_address: '東京都デモ市本町一丁目1番1号',
      new_address: { town: '栄町', banchi: '2-3', katagaki: '' },
      certificates: ['住民票の写し'],
      ...over,
    },
  };
}
