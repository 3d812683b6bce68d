import type { StationIdentity, StationOffer } from '../api/types';
import { formatNendo, formatWarekiYear, t } from '../i18n';
import { Screen } from '../selfservice/Screen';
import { EXTRA_ITEMS, MAX_COPIES, feeOf, stepCopies, toggleExtra, type Scope, type StationChoice } from './model';

// 2. だれの証明書 (住民票の写し, 住民票記載事項証明書): the 記載事項 to print — 続柄 (on by default),
// 本籍・筆頭者, 住民票コード, 前住所 (off) — then 本人のみ or 世帯全員 with the household's size, never
// anyone's name but the card holder's; touching the scope moves on. 2'. 課税年度 (所得・課税証明書): the
// years loaded for the holder, newest first. 3. 通数 and the fee.

export function WhoStep({
  identity,
  choice,
  onChoose,
  onChange,
  onBack,
}: {
  identity: StationIdentity;
  choice: StationChoice;
  /** A scope was touched: the answer, the screen moves on. */
  onChoose: (choice: StationChoice) => void;
  /** A 記載事項 box changed (the screen stays). */
  onChange: (choice: StationChoice) => void;
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
      <fieldset className="station-options">
        <legend>{t('station.who.items')}</legend>
        <label className="station-option">
          <input
            type="checkbox"
            checked={choice.relation}
            onChange={(e) => onChange({ ...choice, relation: e.target.checked })}
            data-testid="who-relation"
          />
          {t('station.who.relation')}
        </label>
        {EXTRA_ITEMS.map((item) => (
          <label key={item} className="station-option">
            <input
              type="checkbox"
              checked={choice.extras.includes(item)}
              onChange={() => onChange(toggleExtra(choice, item))}
              data-testid={`who-${item}`}
            />
            {t(`station.who.${item}`)}
          </label>
        ))}
      </fieldset>
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
    </Screen>
  );
}

/** A 課税年度 as its tile says it: 「令和8年度（令和7年中の所得）」, `Tax year 2026 (income in 2025)`. */
export function yearText(year: number): string {
  return t('station.year.tile', {
    nendo: formatNendo(year),
    income: formatWarekiYear(year - 1),
    year,
    incomeYear: year - 1,
  });
}

export function YearStep({
  identity,
  years,
  choice,
  onChoose,
  onBack,
}: {
  identity: StationIdentity;
  /** The years loaded for the holder, newest first (from the identification). */
  years: number[];
  choice: StationChoice;
  /** A year was touched: the answer, the screen moves on. */
  onChoose: (choice: StationChoice) => void;
  onBack: () => void;
}) {
  return (
    <Screen
      title={t('station.year.heading')}
      lead={t('station.who.hello', { name: identity.name })}
      onBack={onBack}
      testId="station-year"
    >
      <p className="kiosk-hint">{t('station.year.hint')}</p>
      <div className="station-tiles">
        {years.map((year) => (
          <button
            key={year}
            type="button"
            className="kiosk-button kiosk-button-primary station-tile"
            onClick={() => onChoose({ ...choice, year })}
            data-testid={`year-${year}`}
          >
            <span className="station-tile-name">{yearText(year)}</span>
          </button>
        ))}
      </div>
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
