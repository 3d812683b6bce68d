import { useState } from 'react';
import { BirthDatePicker } from '../components/BirthDatePicker';
import { Keypad } from '../components/Keypad';
import { t } from '../i18n';
import { Screen } from '../selfservice/Screen';
import { ReaderMessage } from './PreApplicationMessages';
import { shownNumber } from './preApplicationScan';
import type { ReaderStatus } from './usePreApplicationReader';

// 受付番号で呼び出す: the 8 digits of the 受付番号 on the keypad (the kiosk has no keyboard), then the
// applicant's birth date in 和暦 (a wrong date is answered as a wrong number).

const DIGITS = 8;
/** Where the birth picker starts (an adult's plausible year, as the kiosk's person form). */
const ADULT_START = '1985-04-01';

export function PreApplicationNumber({
  status,
  onRead,
  onBack,
}: {
  status: ReaderStatus;
  onRead: (number: string, birth: string) => void;
  onBack: () => void;
}) {
  const [page, setPage] = useState<'number' | 'birth'>('number');
  const [digits, setDigits] = useState('');
  const [birth, setBirth] = useState<string | null>(ADULT_START);
  const complete = digits.length === DIGITS;

  if (page === 'number') {
    return (
      <Screen
        title={t('kiosk.pre.number.heading')}
        lead={t('kiosk.pre.number.lead')}
        onBack={onBack}
        onNext={() => setPage('birth')}
        nextDisabled={!complete}
        nextTestId="pre-number-next"
        testId="kiosk-pre-number"
      >
        <div className="kiosk-field">
          <span className="kiosk-label">{t('kiosk.pre.number.label')}</span>
          <output className="kiosk-banchi-typed" data-testid="pre-number-typed">
            {shownNumber(digits) || ' '}
          </output>
          <Keypad
            testId="pre-number"
            onDigit={(d) => !complete && setDigits(digits + d)}
            onDelete={() => setDigits(digits.slice(0, -1))}
            onOk={() => setPage('birth')}
            okDisabled={!complete}
            okLabel={t('kiosk.next')}
          />
        </div>
      </Screen>
    );
  }

  return (
    <Screen
      title={t('kiosk.pre.birth.heading')}
      lead={t('kiosk.pre.birth.lead')}
      onBack={() => setPage('number')}
      onNext={() => birth && onRead(digits, birth)}
      nextDisabled={!birth || status.kind === 'reading'}
      nextLabel={t('kiosk.pre.read')}
      nextTestId="pre-number-read"
      testId="kiosk-pre-birth"
    >
      <p className="kiosk-hint" data-testid="pre-number-shown">
        {t('kiosk.pre.number.label')} {shownNumber(digits)}
      </p>
      <BirthDatePicker initial={birth ?? ADULT_START} onChange={setBirth} />
      <ReaderMessage status={status} />
    </Screen>
  );
}
