// What the kiosk's camera dialog says after one symbol it read went to the 事前申請 reader: the
// entries loaded close it (the resident goes on with them); parts still missing and refusals are
// shown in the dialog, in the resident's language, while it keeps looking.
import type { ScanFeedback } from '../components/camera/CameraScan';
import { t } from '../i18n';
import type { ReadOutcome } from './usePreApplicationReader';

export function cameraFeedback(outcome: ReadOutcome): ScanFeedback {
  switch (outcome.kind) {
    case 'loaded':
      return { done: true };
    case 'progress':
      return {
        done: false,
        progress: true,
        message: t('kiosk.pre.progress', { have: outcome.have, need: outcome.need, left: outcome.need - outcome.have }),
      };
    case 'error':
      return { done: false, progress: false, message: t(outcome.key) };
    default:
      return { done: false, progress: true, message: t('kiosk.pre.reading') };
  }
}
