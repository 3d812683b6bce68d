import { useState } from 'react';
import { todayIso } from '../case/today';
import { BirthDatePicker } from '../components/BirthDatePicker';
import { KanaKeyboard } from '../components/KanaKeyboard';
import { t } from '../i18n';
import { APPLICANT_RELATION, NEWBORN_RELATION, RELATIONS, personKey, type KioskPerson } from './model';
import { Screen } from '../selfservice/Screen';
import { relationText } from './text';

export type PersonKind = 'applicant' | 'member' | 'newborn';

/** Where the birth picker starts: today for a newborn, an adult's plausible year otherwise. */
const ADULT_START = '1985-04-01';

/**
 * A person the resident types in (no card): the name in katakana on the kana keyboard, then the
 * birth date, sex and — for a family member — the 続柄, all with large buttons.
 */
export function PersonForm({
  kind,
  onDone,
  onCancel,
}: {
  kind: PersonKind;
  onDone: (person: KioskPerson) => void;
  onCancel: () => void;
}) {
  const [page, setPage] = useState<'name' | 'details'>('name');
  const [kana, setKana] = useState('');
  const [birth, setBirth] = useState<string | null>(kind === 'newborn' ? todayIso() : ADULT_START);
  const [sex, setSex] = useState('');
  const [relation, setRelation] = useState(
    kind === 'applicant' ? APPLICANT_RELATION : kind === 'newborn' ? NEWBORN_RELATION : '',
  );
  const name = kana.trim();

  if (page === 'name') {
    return (
      <Screen
        title={t(`kiosk.form.name.${kind}`)}
        lead={t('kiosk.form.nameHint')}
        onBack={onCancel}
        onNext={() => setPage('details')}
        nextDisabled={!name}
        nextTestId="person-next"
        testId="person-name"
      >
        <KanaKeyboard value={kana} onChange={setKana} label={t('kiosk.person.name')} />
      </Screen>
    );
  }

  return (
    <Screen
      title={t('kiosk.form.details')}
      lead={name}
      onBack={() => setPage('name')}
      onNext={() => birth && onDone({ key: personKey(), name, kana: name, birth, sex, relation })}
      nextDisabled={!birth || !sex || !relation}
      nextLabel={t('kiosk.form.done')}
      nextTestId="person-done"
      testId="person-details"
    >
      <div className="kiosk-field">
        <span className="kiosk-label">{t('kiosk.person.birth')}</span>
        <BirthDatePicker initial={birth ?? ADULT_START} onChange={setBirth} />
      </div>
      <div className="kiosk-field">
        <span className="kiosk-label">{t('kiosk.person.sex')}</span>
        <div className="kiosk-choices" role="group" aria-label={t('kiosk.person.sex')}>
          {(['男', '女'] as const).map((s) => (
            <button
              key={s}
              type="button"
              className="kiosk-choice"
              aria-pressed={sex === s}
              onClick={() => setSex(s)}
              data-testid={`sex-${s}`}
            >
              {t(`kiosk.sex.${s}`)}
            </button>
          ))}
        </div>
      </div>
      {kind === 'member' && (
        <div className="kiosk-field">
          <span className="kiosk-label">{t('kiosk.person.relation')}</span>
          <div className="kiosk-choices" role="group" aria-label={t('kiosk.person.relation')}>
            {RELATIONS.map((r) => (
              <button
                key={r}
                type="button"
                className="kiosk-choice"
                aria-pressed={relation === r}
                onClick={() => setRelation(r)}
                data-testid={`relation-${r}`}
              >
                {relationText(r)}
              </button>
            ))}
          </div>
        </div>
      )}
    </Screen>
  );
}
