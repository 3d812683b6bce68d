// Filipino: the shared texts residents see (loading, dates, the signature box, maintenance notices).
import type { Messages } from '../../ja';

export const common: Partial<Messages> = {
  'app.loading': 'Naglo-load…',
  'date.wareki': '{month}/{day}, taong {era} {year}',
  'date.firstYear': '1',
  'date.warekiYear': 'Taong {era} {year}',
  'era.meiji': 'Meiji',
  'era.taisho': 'Taisho',
  'era.showa': 'Showa',
  'era.heisei': 'Heisei',
  'era.reiwa': 'Reiwa',
  'visit.signature.area': 'Kahon ng pirma',
  'visit.signature.hint': 'Pumirma sa loob ng kahon gamit ang pen o daliri.',
  'visit.signature.clear': 'Isulat muli',
  'maintenance.heading': 'Abiso ng paghinto ng sistema',
  'maintenance.window': 'Hihinto ang sistema mula {from} hanggang {to}.',
  'maintenance.active': 'Nakahinto ngayon ang sistema para sa maintenance.',
  'status.heading': 'Kalagayan ng sistema',
  'status.tenant': 'Munisipyo: {tenant}',
  'status.none': 'Walang nakaplanong paghinto ng sistema.',
  'status.failed': 'Hindi ma-load ang kalagayan. Pakisubukang muli mamaya.',
};
