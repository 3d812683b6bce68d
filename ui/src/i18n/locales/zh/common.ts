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

  // The camera as a QR code reader (the kiosk's start screen).
  'camera.button': '用摄像头扫描',
  'camera.title': '用摄像头扫描二维码',
  'camera.hint': '请将二维码放在白色框内。',
  'camera.video': '摄像头画面',
  'camera.starting': '正在启动摄像头…',
  'camera.scanning': '正在扫描…',
  'camera.close': '关闭',
  'camera.problem.unsupported': '此画面无法使用摄像头。',
  'camera.problem.denied': '没有使用摄像头的权限。请允许使用摄像头后重试。',
  'camera.problem.none': '找不到摄像头。请确认摄像头已连接。',
  'camera.problem.busy': '其他应用正在使用摄像头。请关闭其他应用后重试。',
  'camera.problem.failed': '无法使用摄像头。请重试。',
};
