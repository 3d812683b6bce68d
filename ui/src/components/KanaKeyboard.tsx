import { t } from '../i18n';
import './keys.css';
import './KanaKeyboard.css';

// The 50音 table, column by column (ア行 … ワ行); '' leaves a cell empty.
const COLUMNS: readonly (readonly string[])[] = [
  ['ア', 'イ', 'ウ', 'エ', 'オ'],
  ['カ', 'キ', 'ク', 'ケ', 'コ'],
  ['サ', 'シ', 'ス', 'セ', 'ソ'],
  ['タ', 'チ', 'ツ', 'テ', 'ト'],
  ['ナ', 'ニ', 'ヌ', 'ネ', 'ノ'],
  ['ハ', 'ヒ', 'フ', 'ヘ', 'ホ'],
  ['マ', 'ミ', 'ム', 'メ', 'モ'],
  ['ヤ', '', 'ユ', '', 'ヨ'],
  ['ラ', 'リ', 'ル', 'レ', 'ロ'],
  ['ワ', '', 'ヲ', '', 'ン'],
];

const PLAIN = 'カキクケコサシスセソタチツテトハヒフヘホウ';
const VOICED = 'ガギグゲゴザジズゼゾダヂヅデドバビブベボヴ';
const HA = 'ハヒフヘホ';
const BA = 'バビブベボ';
const PA = 'パピプペポ';
const LARGE = 'アイウエオツヤユヨワカケ';
const SMALL = 'ァィゥェォッャュョヮヵヶ';

/** The space between family and given name, as the 住民記録 writes it. */
export const KANA_SPACE = '\u3000';

function swapLast(text: string, change: (c: string) => string): string {
  const chars = [...text];
  const last = chars.pop();
  if (last === undefined) return text;
  return chars.join('') + change(last);
}

/** ゛ on the last character: カ → ガ, ガ → カ (off again), パ → バ, ウ → ヴ. */
export function withDakuten(text: string): string {
  return swapLast(text, (c) => {
    let i = PLAIN.indexOf(c);
    if (i >= 0) return VOICED[i]!;
    i = VOICED.indexOf(c);
    if (i >= 0) return PLAIN[i]!;
    i = PA.indexOf(c);
    if (i >= 0) return BA[i]!;
    return c;
  });
}

/** ゜ on the last character: ハ / バ → パ, パ → ハ. */
export function withHandakuten(text: string): string {
  return swapLast(text, (c) => {
    let i = HA.indexOf(c);
    if (i < 0) i = BA.indexOf(c);
    if (i >= 0) return PA[i]!;
    i = PA.indexOf(c);
    if (i >= 0) return HA[i]!;
    return c;
  });
}

/** 小 on the last character: ツ ↔ ッ, ヤ ↔ ャ … */
export function toggleSmall(text: string): string {
  return swapLast(text, (c) => {
    let i = LARGE.indexOf(c);
    if (i >= 0) return SMALL[i]!;
    i = SMALL.indexOf(c);
    if (i >= 0) return LARGE[i]!;
    return c;
  });
}

/**
 * A large on-screen katakana keyboard for touch screens: the 50音 table (ア行 on the right, as on
 * the paper tables residents know), ゛ ゜ 小 ー, a space and delete keys. It writes katakana only.
 */
export function KanaKeyboard({
  value,
  onChange,
  label,
  maxLength = 40,
  testId = 'kana',
}: {
  value: string;
  onChange: (value: string) => void;
  /** What is being typed (shown above the text). */
  label: string;
  maxLength?: number;
  /** Prefix of the keys' test ids (`kana-ア`, `kana-delete` …). */
  testId?: string;
}) {
  const type = (c: string) => {
    if ([...value].length < maxLength) onChange(value + c);
  };
  const key = (text: string, testSuffix: string, action: () => void, aria?: string, className = '') => (
    <button
      type="button"
      className={`kiosk-key ${className}`}
      onClick={action}
      aria-label={aria}
      data-testid={`${testId}-${testSuffix}`}
    >
      {text}
    </button>
  );

  return (
    <div className="kana-keyboard" data-testid={`${testId}-keyboard`}>
      <div className="kana-display" aria-live="polite">
        <span className="kana-label">{label}</span>
        <output className="kana-text" data-testid={`${testId}-display`}>
          {value ? value : <span className="kana-placeholder">{t('kiosk.kana.empty')}</span>}
        </output>
      </div>
      <div className="kana-body">
        <div className="kana-grid" role="group" aria-label={t('kiosk.kana.keyboard')}>
          {/* Columns right to left: ア行 is the rightmost, ワ行 the leftmost. */}
          {[...COLUMNS].reverse().map((column, ci) =>
            column.map((c, ri) =>
              c ? (
                <button
                  key={c}
                  type="button"
                  className="kiosk-key kana-key"
                  style={{ gridColumn: ci + 1, gridRow: ri + 1 }}
                  onClick={() => type(c)}
                  data-testid={`${testId}-${c}`}
                >
                  {c}
                </button>
              ) : (
                <span key={`${ci}-${ri}`} style={{ gridColumn: ci + 1, gridRow: ri + 1 }} aria-hidden="true" />
              ),
            ),
          )}
        </div>
        <div className="kana-functions" role="group">
          {key('゛', 'dakuten', () => onChange(withDakuten(value)), t('kiosk.kana.dakuten'))}
          {key('゜', 'handakuten', () => onChange(withHandakuten(value)), t('kiosk.kana.handakuten'))}
          {key(t('kiosk.kana.small'), 'small', () => onChange(toggleSmall(value)))}
          {key('ー', 'long', () => type('ー'), t('kiosk.kana.long'))}
          {key(t('kiosk.kana.space'), 'space', () => {
            if (value && !value.endsWith(KANA_SPACE)) type(KANA_SPACE);
          })}
          {key(t('kiosk.kana.delete'), 'delete', () => onChange([...value].slice(0, -1).join('')), undefined, 'kiosk-key-warn')}
          {key(t('kiosk.kana.clear'), 'clear', () => onChange(''), undefined, 'kiosk-key-warn')}
        </div>
      </div>
    </div>
  );
}
