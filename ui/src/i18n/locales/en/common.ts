// English: the shared texts residents see (loading, dates, the signature box, maintenance notices).
import type { Messages } from '../../ja';

export const common: Partial<Messages> = {
  'app.loading': 'Loading…',

  'date.wareki': '{era} {year}, {month}/{day}',
  'date.firstYear': '1',
  'date.warekiYear': '{era} {year}',
  'era.meiji': 'Meiji',
  'era.taisho': 'Taisho',
  'era.showa': 'Showa',
  'era.heisei': 'Heisei',
  'era.reiwa': 'Reiwa',

  'visit.signature.area': 'Signature box',
  'visit.signature.hint': 'Sign inside the box with the pen or your finger.',
  'visit.signature.clear': 'Write again',

  // Maintenance notices (お知らせ・保守のお知らせ, issue 20 point 6): kiosks, stations, the status page.
  'maintenance.heading': 'Planned system maintenance',
  'maintenance.window': 'The system stops from {from} to {to}.',
  'maintenance.active': 'The system is stopped for maintenance now.',
  'status.heading': 'System status',
  'status.tenant': 'Municipality: {tenant}',
  'status.none': 'No system maintenance is planned.',
  'status.failed': 'The status could not be loaded. Please try again later.',

  // The camera as a QR code reader (the kiosk's start screen).
  'camera.button': 'Scan with the camera',
  'camera.title': 'Scan a QR code with the camera',
  'camera.hint': 'Hold the QR code inside the white frame.',
  'camera.video': 'Camera picture',
  'camera.starting': 'Starting the camera…',
  'camera.scanning': 'Scanning…',
  'camera.close': 'Close',
  'camera.problem.unsupported': 'The camera cannot be used on this screen.',
  'camera.problem.denied': 'There is no permission to use the camera. Allow the camera, then try again.',
  'camera.problem.none': 'No camera was found. Check that the camera is connected.',
  'camera.problem.busy': 'Another app is using the camera. Close the other app, then try again.',
  'camera.problem.failed': 'The camera could not be used. Please try again.',
};
