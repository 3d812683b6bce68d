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

  // The camera as a QR code reader (the kiosk's start screen).
  'camera.button': 'I-scan gamit ang camera',
  'camera.title': 'I-scan ang QR code gamit ang camera',
  'camera.hint': 'Itapat ang QR code sa loob ng puting kahon.',
  'camera.video': 'Larawan ng camera',
  'camera.starting': 'Binubuksan ang camera…',
  'camera.scanning': 'Nag-i-scan…',
  'camera.close': 'Isara',
  'camera.problem.unsupported': 'Hindi magagamit ang camera sa screen na ito.',
  'camera.problem.denied': 'Walang pahintulot na gamitin ang camera. Payagan ang camera, at subukang muli.',
  'camera.problem.none': 'Walang nakitang camera. Tingnan kung nakakonekta ang camera.',
  'camera.problem.busy': 'May ibang app na gumagamit ng camera. Isara ang ibang app, at subukang muli.',
  'camera.problem.failed': 'Hindi magamit ang camera. Pakisubukang muli.',
};
