import { useState } from 'react';
import { todayIso } from '../case/today';
import { ERA_KEYS, birthText, eraLastYear, fromWareki, t, toWareki, type EraKey } from '../i18n';
import './keys.css';
import './BirthDatePicker.css';

interface Parts {
  era: EraKey;
  year: number;
  month: number;
  day: number;
}

type Part = 'year' | 'month' | 'day';

function partsOf(iso: string): Parts | null {
  const w = toWareki(iso);
  if (!w || !(ERA_KEYS as readonly string[]).includes(w.eraKey)) return null;
  return { era: w.eraKey as EraKey, year: w.year, month: w.month, day: w.day };
}

function daysIn(parts: Parts): number {
  const probe = fromWareki(parts.era, parts.year, parts.month, 1);
  if (!probe) return 31;
  const [y, m] = probe.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}

/**
 * A birth date for touch screens, in 和暦: era buttons, then year, month and day each with large
 * − / + steppers; a tap on the number opens a grid to pick it directly. `onChange` gets the ISO date,
 * or `null` while the chosen date does not exist (平成31年6月).
 */
export function BirthDatePicker({
  initial,
  onChange,
  testId = 'birth',
}: {
  /** ISO date to start from. */
  initial: string;
  onChange: (iso: string | null) => void;
  testId?: string;
}) {
  const today = todayIso();
  const [parts, setParts] = useState<Parts>(
    () => partsOf(initial) ?? partsOf(today) ?? { era: 'era.reiwa', year: 1, month: 5, day: 1 },
  );
  const [open, setOpen] = useState<Part | null>(null);
  const iso = fromWareki(parts.era, parts.year, parts.month, parts.day);

  function update(next: Parts) {
    const lastYear = eraLastYear(next.era, today);
    const fixed = { ...next, year: clamp(next.year, 1, lastYear), month: clamp(next.month, 1, 12) };
    fixed.day = clamp(fixed.day, 1, daysIn(fixed));
    setParts(fixed);
    onChange(fromWareki(fixed.era, fixed.year, fixed.month, fixed.day));
  }

  const ranges: Record<Part, number> = {
    year: eraLastYear(parts.era, today),
    month: 12,
    day: daysIn(parts),
  };

  const stepper = (part: Part) => {
    const name = t(`kiosk.birth.${part}`);
    return (
      <div className="birth-part" role="group" aria-label={name}>
        <button
          type="button"
          className="kiosk-key stepper-key"
          onClick={() => update({ ...parts, [part]: parts[part] - 1 })}
          disabled={parts[part] <= 1}
          aria-label={t('kiosk.birth.less', { part: name })}
          data-testid={`${testId}-${part}-down`}
        >
          −
        </button>
        <button
          type="button"
          className="kiosk-key birth-value"
          onClick={() => setOpen(open === part ? null : part)}
          aria-label={t('kiosk.birth.choose', { part: name })}
          aria-expanded={open === part}
          data-testid={`${testId}-${part}`}
        >
          {parts[part]}
          <span className="birth-unit">{name}</span>
        </button>
        <button
          type="button"
          className="kiosk-key stepper-key"
          onClick={() => update({ ...parts, [part]: parts[part] + 1 })}
          disabled={parts[part] >= ranges[part]}
          aria-label={t('kiosk.birth.more', { part: name })}
          data-testid={`${testId}-${part}-up`}
        >
          ＋
        </button>
      </div>
    );
  };

  return (
    <div className="birth-picker" data-testid={`${testId}-picker`}>
      <div className="birth-eras" role="group" aria-label={t('kiosk.birth.era')}>
        {ERA_KEYS.map((era) => (
          <button
            key={era}
            type="button"
            className="kiosk-key era-key"
            aria-pressed={parts.era === era}
            onClick={() => update({ ...parts, era })}
            data-testid={`${testId}-era-${era.slice('era.'.length)}`}
          >
            {t(era)}
          </button>
        ))}
      </div>
      <div className="birth-parts">
        {stepper('year')}
        {stepper('month')}
        {stepper('day')}
      </div>
      {open && (
        <div className="birth-grid" role="group" aria-label={t(`kiosk.birth.${open}`)}>
          {Array.from({ length: ranges[open] }, (_, i) => i + 1).map((n) => (
            <button
              key={n}
              type="button"
              className="kiosk-key grid-key"
              aria-pressed={parts[open] === n}
              onClick={() => {
                update({ ...parts, [open]: n });
                setOpen(null);
              }}
              data-testid={`${testId}-${open}-${n}`}
            >
              {n}
            </button>
          ))}
        </div>
      )}
      <p className={iso ? 'birth-result' : 'birth-result kiosk-error'} role="status" data-testid={`${testId}-result`}>
        {iso ? birthText(iso) : t('kiosk.birth.invalid')}
      </p>
    </div>
  );
}
