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
};
