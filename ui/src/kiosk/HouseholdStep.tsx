import { useState } from 'react';
import { birthText, t } from '../i18n';
import type { KioskData, KioskPerson } from './model';
import { PersonForm } from './PersonForm';
import { Screen } from '../selfservice/Screen';
import { relationText, sexText } from './text';

// e. The people of the 届出: the applicant, and the family moving together (or the newborn for 出生),
// added with the kana keyboard and removed with one touch.

export function HouseholdStep({
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
  const [adding, setAdding] = useState(false);
  const birth = data.event === '出生';

  if (adding) {
    return (
      <PersonForm
        kind={birth ? 'newborn' : 'member'}
        onDone={(p) => {
          setData((d) => ({ ...d, members: [...d.members, p] }));
          setAdding(false);
        }}
        onCancel={() => setAdding(false)}
      />
    );
  }

  const missingChild = birth && data.members.length === 0;
  return (
    <Screen
      title={birth ? t('kiosk.household.headingBirth') : t('kiosk.household.heading')}
      lead={birth ? t('kiosk.household.leadBirth') : t('kiosk.household.lead')}
      onBack={onBack}
      onNext={onNext}
      nextDisabled={missingChild}
      nextTestId="household-next"
      testId="kiosk-household"
    >
      <ul className="kiosk-people" data-testid="kiosk-people">
        {data.applicant && (
          <li className="kiosk-person-row" data-testid="person-row">
            <PersonSummary person={data.applicant} role={t('kiosk.household.applicant')} />
          </li>
        )}
        {data.members.map((m, i) => (
          <li key={m.key} className="kiosk-person-row" data-testid="person-row">
            <PersonSummary person={m} role={relationText(m.relation)} />
            <button
              type="button"
              className="kiosk-button kiosk-button-warn"
              onClick={() => setData((d) => ({ ...d, members: d.members.filter((x) => x.key !== m.key) }))}
              aria-label={t('kiosk.household.removeWho', { name: m.name })}
              data-testid={`remove-member-${i}`}
            >
              {t('kiosk.household.remove')}
            </button>
          </li>
        ))}
      </ul>
      {missingChild && <p className="kiosk-notice">{t('kiosk.household.childRequired')}</p>}
      <button
        type="button"
        className="kiosk-button kiosk-button-secondary kiosk-add"
        onClick={() => setAdding(true)}
        data-testid="add-member"
      >
        ＋ {birth ? t('kiosk.household.addChild') : t('kiosk.household.add')}
      </button>
    </Screen>
  );
}

export function PersonSummary({ person, role }: { person: KioskPerson; role: string }) {
  return (
    <div className="kiosk-person-summary">
      <span className="kiosk-person-role">{role}</span>
      <span className="kiosk-person-name" data-testid="person-name">
        {person.name}
      </span>
      <span className="kiosk-person-facts">
        {birthText(person.birth)} {sexText(person.sex)}
      </span>
    </div>
  );
}
