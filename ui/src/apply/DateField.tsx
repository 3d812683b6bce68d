import { useId, useState } from 'react';
import { ERA_KEYS, eraLastYear, formatWareki, fromWareki, t, toWareki, type EraKey } from '../i18n';

// A date on a phone, in 和暦 or 西暦 as the resident prefers (native selects: large, accessible, no
// typing), with the other calendar shown beneath so that either can be checked.

type Mode = 'wareki' | 'seireki';

interface Parts {
  era: EraKey;
  year: number;
  month: number;
  day: number;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function partsOf(iso: string, mode: Mode): Parts | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return null;
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  if (mode === 'seireki') return { era: 'era.reiwa', year: y, month: m, day: d };
  const w = toWareki(iso);
  if (!w || !(ERA_KEYS as readonly string[]).includes(w.eraKey)) return null;
  return { era: w.eraKey as EraKey, year: w.year, month: w.month, day: w.day };
}

function isoOf(p: Partial<Parts>, mode: Mode): string {
  if (!p.year || !p.month || !p.day) return '';
  if (mode === 'wareki') return p.era ? (fromWareki(p.era, p.year, p.month, p.day) ?? '') : '';
  const iso = `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
  const back = new Date(`${iso}T00:00:00Z`);
  return back.getUTCDate() === p.day ? iso : '';
}

export function DateField({
  label,
  value,
  today,
  onChange,
  testId,
}: {
  label: string;
  /** ISO date or ''. */
  value: string;
  today: string;
  onChange: (iso: string) => void;
  testId: string;
}) {
  const id = useId();
  const [mode, setMode] = useState<Mode>('wareki');
  const [parts, setParts] = useState<Partial<Parts>>(() => partsOf(value, 'wareki') ?? { era: 'era.showa' });
  const thisYear = Number(today.slice(0, 4));
  const years = mode === 'seireki' ? range(1900, thisYear).reverse() : range(1, parts.era ? eraLastYear(parts.era, today) : 64);

  function update(next: Partial<Parts>) {
    setParts(next);
    onChange(isoOf(next, mode));
  }

  function switchMode(next: Mode) {
    if (next === mode) return;
    setMode(next);
    setParts(partsOf(value, next) ?? (next === 'wareki' ? { era: 'era.showa' } : {}));
  }

  const num = (v: string) => (v === '' ? undefined : Number(v));
  const other = value ? (mode === 'wareki' ? t('apply.date.seirekiOf', { date: value.replaceAll('-', '/') }) : formatWareki(value)) : '';

  return (
    <fieldset className="apply-date" data-testid={testId}>
      <legend>{label}</legend>
      <div className="apply-date-mode" role="radiogroup" aria-label={t('apply.date.calendar')}>
        {(['wareki', 'seireki'] as const).map((m) => (
          <label key={m}>
            <input type="radio" name={`${id}-mode`} checked={mode === m} onChange={() => switchMode(m)} data-testid={`${testId}-${m}`} />
            {t(`apply.date.${m}`)}
          </label>
        ))}
      </div>
      <div className="apply-date-parts">
        {mode === 'wareki' && (
          <select
            aria-label={t('apply.date.era')}
            value={parts.era ?? ''}
            onChange={(e) => update({ ...parts, era: e.target.value as EraKey })}
            data-testid={`${testId}-era`}
          >
            {ERA_KEYS.map((k) => (
              <option key={k} value={k}>
                {t(k)}
              </option>
            ))}
          </select>
        )}
        <select aria-label={t('apply.date.year')} value={parts.year ?? ''} onChange={(e) => update({ ...parts, year: num(e.target.value) })} data-testid={`${testId}-year`}>
          <option value="">{t('apply.date.year')}</option>
          {years.map((y) => (
            <option key={y} value={y}>
              {mode === 'wareki' ? t('apply.date.warekiYear', { year: y === 1 ? t('apply.date.gannen') : y }) : t('apply.date.yearN', { year: y })}
            </option>
          ))}
        </select>
        <select aria-label={t('apply.date.month')} value={parts.month ?? ''} onChange={(e) => update({ ...parts, month: num(e.target.value) })} data-testid={`${testId}-month`}>
          <option value="">{t('apply.date.month')}</option>
          {range(1, 12).map((m) => (
            <option key={m} value={m}>
              {t('apply.date.monthN', { month: m })}
            </option>
          ))}
        </select>
        <select aria-label={t('apply.date.day')} value={parts.day ?? ''} onChange={(e) => update({ ...parts, day: num(e.target.value) })} data-testid={`${testId}-day`}>
          <option value="">{t('apply.date.day')}</option>
          {range(1, 31).map((d) => (
            <option key={d} value={d}>
              {t('apply.date.dayN', { day: d })}
            </option>
          ))}
        </select>
      </div>
      <p className="apply-date-other" aria-live="polite" data-testid={`${testId}-other`}>
        {other || (parts.year && parts.month && parts.day ? t('apply.date.invalid') : '')}
      </p>
    </fieldset>
  );
}
