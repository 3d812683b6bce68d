import type { StationIdentity, StationOffer } from '../api/types';
import { t } from '../i18n';
import { Screen } from '../selfservice/Screen';
import { MAX_COPIES, feeOf, stepCopies, type Scope, type StationChoice } from './model';

// 2. だれの証明書 (住民票の写し only): 本人のみ or 世帯全員 with the household's size — never anyone's
// name but the card holder's — and whether the 続柄 is printed. 3. 通数 and the fee.

export function WhoStep({
  identity,
  choice,
  onChoose,
  onRelation,
  onBack,
}: {
  identity: StationIdentity;
  choice: StationChoice;
  /** A scope was touched: the answer, the screen moves on. */
  onChoose: (choice: StationChoice) => void;
  /** The 続柄 box changed (the screen stays). */
  onRelation: (relation: boolean) => void;
  onBack: () => void;
}) {
  const pick = (scope: Scope) => onChoose({ ...choice, scope });
  return (
    <Screen
      title={t('station.who.heading')}
      lead={t('station.who.hello', { name: identity.name })}
      onBack={onBack}
      testId="station-who"
    >
      <div className="kiosk-answers">
        <button type="button" className="kiosk-button kiosk-button-primary" onClick={() => pick('本人のみ')} data-testid="who-person">
          {t('station.who.person')}
        </button>
        {identity.household_size > 1 && (
          <button type="button" className="kiosk-button kiosk-button-primary" onClick={() => pick('世帯全員')} data-testid="who-household">
            {t('station.who.household', { n: identity.household_size })}
          </button>
        )}
      </div>
      <label className="station-option">
        <input
          type="checkbox"
          checked={choice.relation}
          onChange={(e) => onRelation(e.target.checked)}
          data-testid="who-relation"
        />
        {t('station.who.relation')}
      </label>
    </Screen>
  );
}

export function CopiesStep({
  offer,
  choice,
  onChange,
  onNext,
  onBack,
}: {
  offer: StationOffer;
  choice: StationChoice;
  onChange: (choice: StationChoice) => void;
  onNext: () => void;
  onBack: () => void;
}) {
  const set = (by: number) => onChange({ ...choice, copies: stepCopies(choice.copies, by) });
  return (
    <Screen title={t('station.copies.heading')} lead={offer.name} onBack={onBack} onNext={onNext} nextTestId="copies-next" testId="station-copies">
      <div className="station-copies">
        <button
          type="button"
          className="kiosk-button kiosk-button-secondary"
          onClick={() => set(-1)}
          disabled={choice.copies <= 1}
          aria-label={t('station.copies.less')}
          data-testid="copies-less"
        >
          −
        </button>
        <span className="station-count" aria-live="polite" data-testid="copies-count">
          {t('station.copies.count', { n: choice.copies })}
        </span>
        <button
          type="button"
          className="kiosk-button kiosk-button-secondary"
          onClick={() => set(1)}
          disabled={choice.copies >= MAX_COPIES}
          aria-label={t('station.copies.more')}
          data-testid="copies-more"
        >
          ＋
        </button>
      </div>
      <p className="station-fee" data-testid="copies-fee">
        {t('station.copies.total', { yen: feeOf(offer, choice.copies) })}
      </p>
    </Screen>
  );
}
