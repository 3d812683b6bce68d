// Tiếng Việt: the shared texts residents see (loading, dates, the signature box, maintenance notices).
import type { Messages } from '../../ja';

export const common: Partial<Messages> = {
  'app.loading': 'Đang tải…',
  'date.wareki': 'Ngày {day} tháng {month} năm {era} {year}',
  'date.firstYear': '1',
  'date.warekiYear': 'Năm {era} {year}',
  'era.meiji': 'Meiji',
  'era.taisho': 'Taisho',
  'era.showa': 'Showa',
  'era.heisei': 'Heisei',
  'era.reiwa': 'Reiwa',
  'visit.signature.area': 'Ô ký tên',
  'visit.signature.hint': 'Hãy ký tên trong ô bằng bút hoặc ngón tay.',
  'visit.signature.clear': 'Viết lại',
  'maintenance.heading': 'Thông báo tạm dừng hệ thống',
  'maintenance.window': 'Thời gian tạm dừng: từ {from} đến {to}',
  'maintenance.active': 'Hệ thống hiện đang tạm dừng để bảo trì.',
  'status.heading': 'Tình trạng hoạt động của hệ thống',
  'status.tenant': 'Địa phương: {tenant}',
  'status.none': 'Không có lịch tạm dừng hệ thống nào.',
  'status.failed': 'Không thể tải tình trạng hoạt động. Vui lòng thử lại sau.',

  // The camera as a QR code reader (the kiosk's start screen).
  'camera.button': 'Quét bằng camera',
  'camera.title': 'Quét mã QR bằng camera',
  'camera.hint': 'Hãy đưa mã QR vào trong khung trắng.',
  'camera.video': 'Hình ảnh camera',
  'camera.starting': 'Đang khởi động camera…',
  'camera.scanning': 'Đang quét…',
  'camera.close': 'Đóng',
  'camera.problem.unsupported': 'Không thể dùng camera trên màn hình này.',
  'camera.problem.denied': 'Chưa được phép dùng camera. Hãy cho phép dùng camera rồi thử lại.',
  'camera.problem.none': 'Không tìm thấy camera. Hãy kiểm tra camera đã được kết nối chưa.',
  'camera.problem.busy': 'Một ứng dụng khác đang dùng camera. Hãy đóng ứng dụng đó rồi thử lại.',
  'camera.problem.failed': 'Không thể dùng camera. Vui lòng thử lại.',
};
