// Bahasa Indonesia: the shared texts residents see (loading, dates, signature box, maintenance notices).
import type { Messages } from '../../ja';

export const common: Partial<Messages> = {
  'app.loading': 'Memuat…',
  'date.wareki': '{day}/{month} tahun {era} {year}',
  'date.firstYear': '1',
  'date.warekiYear': 'Tahun {era} {year}',
  'era.meiji': 'Meiji',
  'era.taisho': 'Taisho',
  'era.showa': 'Showa',
  'era.heisei': 'Heisei',
  'era.reiwa': 'Reiwa',
  'visit.signature.area': 'Kotak tanda tangan',
  'visit.signature.hint': 'Tanda tangani di dalam kotak dengan pena atau jari.',
  'visit.signature.clear': 'Tulis ulang',
  'maintenance.heading': 'Pemberitahuan penghentian sistem',
  'maintenance.window': 'Sistem berhenti dari {from} sampai {to}.',
  'maintenance.active': 'Sistem sedang berhenti untuk pemeliharaan.',
  'status.heading': 'Status sistem',
  'status.tenant': 'Pemerintah daerah: {tenant}',
  'status.none': 'Tidak ada rencana penghentian sistem.',
  'status.failed': 'Status tidak dapat dimuat. Silakan coba lagi nanti.',

  // The camera as a QR code reader (the kiosk's start screen).
  'camera.button': 'Pindai dengan kamera',
  'camera.title': 'Pindai kode QR dengan kamera',
  'camera.hint': 'Arahkan kode QR ke dalam bingkai putih.',
  'camera.video': 'Gambar kamera',
  'camera.starting': 'Menyalakan kamera…',
  'camera.scanning': 'Memindai…',
  'camera.close': 'Tutup',
  'camera.problem.unsupported': 'Kamera tidak dapat digunakan di layar ini.',
  'camera.problem.denied': 'Tidak ada izin untuk menggunakan kamera. Izinkan kamera, lalu coba lagi.',
  'camera.problem.none': 'Kamera tidak ditemukan. Periksa apakah kamera sudah terhubung.',
  'camera.problem.busy': 'Aplikasi lain sedang menggunakan kamera. Tutup aplikasi itu, lalu coba lagi.',
  'camera.problem.failed': 'Kamera tidak dapat digunakan. Silakan coba lagi.',
};
