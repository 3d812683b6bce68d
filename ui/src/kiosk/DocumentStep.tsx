import { useState } from 'react';
import { t } from '../i18n';
import { KIOSK_DOCUMENTS, type KioskPerson } from './model';
import { PersonForm } from './PersonForm';
import { Screen } from '../selfservice/Screen';

// d. 本人確認 with another document: which one (the staff check it at the counter), then the name in
// katakana, birth date and sex on the touch screen.

export function DocumentStep({
  onDone,
  onBack,
}: {
  onDone: (document: string, applicant: KioskPerson) => void;
  onBack: () => void;
}) {
  const [document, setDocument] = useState<string | null>(null);
  if (document === null) {
    return (
      <Screen title={t('kiosk.document.heading')} lead={t('kiosk.document.note')} onBack={onBack} testId="kiosk-document">
        <div className="kiosk-tiles">
          {KIOSK_DOCUMENTS.map((d) => (
            <button
              key={d.code}
              type="button"
              className="kiosk-tile"
              onClick={() => setDocument(d.value)}
              data-testid={`document-${d.code}`}
            >
              <span className="kiosk-tile-title">{t(`kiosk.document.${d.code}`)}</span>
            </button>
          ))}
        </div>
      </Screen>
    );
  }
  return <PersonForm kind="applicant" onDone={(p) => onDone(document, p)} onCancel={() => setDocument(null)} />;
}
