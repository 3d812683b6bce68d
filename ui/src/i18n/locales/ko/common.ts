// 한국어: the shared texts residents see (loading, dates, the signature box, maintenance notices).
import type { Messages } from '../../ja';

export const common: Partial<Messages> = {
  'app.loading': '불러오는 중…',
  'date.wareki': '{era} {year}년 {month}월 {day}일',
  'date.firstYear': '원',
  'date.warekiYear': '{era} {year}년',
  'era.meiji': '메이지',
  'era.taisho': '다이쇼',
  'era.showa': '쇼와',
  'era.heisei': '헤이세이',
  'era.reiwa': '레이와',
  'visit.signature.area': '서명란',
  'visit.signature.hint': '펜이나 손가락으로 칸 안에 서명해 주세요.',
  'visit.signature.clear': '다시 쓰기',
  'maintenance.heading': '시스템 정지 안내',
  'maintenance.window': '정지 일시: {from} ~ {to}',
  'maintenance.active': '지금 시스템이 정지되어 있습니다.',
  'status.heading': '시스템 가동 상황',
  'status.tenant': '지자체: {tenant}',
  'status.none': '예정된 시스템 정지는 없습니다.',
  'status.failed': '가동 상황을 불러올 수 없습니다. 잠시 후 다시 시도해 주세요.',

  // The camera as a QR code reader (the kiosk's start screen).
  'camera.button': '카메라로 읽기',
  'camera.title': '카메라로 QR 코드 읽기',
  'camera.hint': 'QR 코드를 흰색 테두리 안에 비춰 주세요.',
  'camera.video': '카메라 화면',
  'camera.starting': '카메라를 켜는 중…',
  'camera.scanning': '읽는 중…',
  'camera.close': '닫기',
  'camera.problem.unsupported': '이 화면에서는 카메라를 사용할 수 없습니다.',
  'camera.problem.denied': '카메라 사용 권한이 없습니다. 카메라 사용을 허용한 후 다시 시도해 주세요.',
  'camera.problem.none': '카메라를 찾을 수 없습니다. 카메라가 연결되어 있는지 확인해 주세요.',
  'camera.problem.busy': '다른 앱이 카메라를 사용하고 있습니다. 다른 앱을 닫은 후 다시 시도해 주세요.',
  'camera.problem.failed': '카메라를 사용할 수 없었습니다. 다시 시도해 주세요.',
};
