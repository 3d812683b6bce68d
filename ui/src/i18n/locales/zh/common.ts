// 简体中文: the shared texts residents see (loading, dates, the signature box, maintenance notices).
import type { Messages } from '../../ja';

export const common: Partial<Messages> = {
  'app.loading': '正在加载…',
  'date.wareki': '{era}{year}年{month}月{day}日',
  'date.firstYear': '元',
  'date.warekiYear': '{era}{year}年',
  'era.meiji': '明治',
  'era.taisho': '大正',
  'era.showa': '昭和',
  'era.heisei': '平成',
  'era.reiwa': '令和',
  'visit.signature.area': '签名栏',
  'visit.signature.hint': '请用笔或手指在框内签名。',
  'visit.signature.clear': '重写',
  'maintenance.heading': '系统停止通知',
  'maintenance.window': '系统停止时间：{from} 至 {to}',
  'maintenance.active': '系统正在维护，暂停使用。',
  'status.heading': '系统运行状况',
  'status.tenant': '市区町村：{tenant}',
  'status.none': '目前没有计划中的系统停止。',
  'status.failed': '无法读取运行状况。请稍后再试。',
};
