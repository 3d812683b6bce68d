import { SignaturePad } from '../components/SignaturePad';
import { t } from '../i18n';
import type { KioskData } from './model';
import { Screen } from '../selfservice/Screen';

// f. 署名: the signature pad the staff screen uses too, full width and tall; 書き直す is on the pad.

/** The kiosk pad's capture area, pixels (shown scaled to the screen's width). */
const PAD = { width: 1200, height: 420 };

export function SignatureStep({
  data,
  setData,
  onNext,
  onBack,
}: {
  data: KioskData;
  setData: (update: (d: KioskData) => KioskData) => void;
  onNext: () => void;
  onBack: () => void;
}) {
  return (
    <Screen
      title={t('kiosk.signature.heading')}
      lead={t('kiosk.signature.lead')}
      onBack={onBack}
      onNext={onNext}
      nextDisabled={!data.signature}
      nextTestId="signature-next"
      testId="kiosk-signature"
    >
      <SignaturePad
        value={data.signature}
        onChange={(signature) => setData((d) => ({ ...d, signature }))}
        width={PAD.width}
        height={PAD.height}
        testId="kiosk-signature-pad"
        canvasTestId="signature-pad"
        className="kiosk-signature-pad"
      />
    </Screen>
  );
}
