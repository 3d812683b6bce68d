import { useEffect, useState } from 'react';
import type { CertificateLine, FeeTableView, OwnCounterCertificates, QuoteResponse } from '../../api/types';
import { errorMessage, useBackend } from '../../backend';
import { todayIso } from '../../case/today';
import { formatNendo, t } from '../../i18n';
import type { Draft } from './model';
import { StepForm } from './StepForm';
import { useLoaded } from './useLoaded';

// 5. 証明書: certificates requested, with the fee total from the city's fee table; only those the
// counter issues are offered (the city may restrict a counter's: 証明書の設定). A 住民票の写し
// line also says whom it covers (世帯全員 / 本人のみ); it and a 住民票記載事項証明書 line say which 記載事項
// are printed (続柄, 本籍・筆頭者, 住民票コード, 前住所); a 所得・課税証明書 line its 課税年度. Every line
// may carry the 使用目的 the requester states; all of them go on the 交付請求書.

/** Item code of the 住民票の写し, the certificate the counter issues itself. */
export const JUMINHYO = 'JUMINHYO';
/** Item code of the 所得・課税証明書 (one 課税年度 per line). */
export const SHOTOKU = 'SHOTOKU-SHOMEI';
/** Item code of the 住民票記載事項証明書. */
export const KISAI = 'KISAI-JIKOU';
/** The certificates the server issues itself (住民票の写し, 住民票記載事項証明書, 印鑑登録証明書,
 * 所得・課税証明書); others go on the 交付請求書. */
export const ISSUED_HERE = [JUMINHYO, KISAI, 'INKAN-SHOMEI', SHOTOKU];
/** The fee table's certificates a counter issues, in the table's order: all of them when the city did not
 * restrict the counter, or while its rule is unknown (offline: the server refuses the others). */
export function offeredItems(
  table: FeeTableView | null,
  own: OwnCounterCertificates | null,
): FeeTableView['items'] {
  const items = table?.items ?? [];
  return own?.restricted ? items.filter((i) => own.items.includes(i.code)) : items;
}

/** The certificates whose lines choose 記載事項. */
const WITH_ITEMS = [JUMINHYO, KISAI];

/** The 課税年度 a 所得・課税証明書 may ask for on `today` (ISO), newest first: the 年度 of the day (from
 * April) back to five years before the calendar year, as the `tax` feed keeps them. */
export function taxYears(today: string): number[] {
  const year = Number(today.slice(0, 4));
  const current = Number(today.slice(5, 7)) >= 4 ? year : year - 1;
  const years: number[] = [];
  for (let y = current; y >= year - 5; y -= 1) years.push(y);
  return years;
}
/** Common 使用目的, offered as the clerk types (free text otherwise). */
const PURPOSES = [
  'visit.certificates.purposes.work',
  'visit.certificates.purposes.pension',
  'visit.certificates.purposes.car',
  'visit.certificates.purposes.inheritance',
  'visit.certificates.purposes.bank',
  'visit.certificates.purposes.registry',
  'visit.certificates.purposes.school',
  'visit.certificates.purposes.passport',
] as const;

/** `scope` of a 住民票の写し line (the value sent; the labels come from i18n). */
export const SCOPES = ['世帯全員', '本人のみ'] as const;
export type Scope = (typeof SCOPES)[number];
/** Code of the 記載事項 続柄 in a line's `items`. */
export const RELATION = 'relation';
/** Every 記載事項 a line may choose, in the order printed (codes of the case document's `items`). 個人番号 is
 * not one (an owner decision). */
export const ITEMS = [RELATION, 'honseki', 'juminhyo_code', 'previous_address'] as const;
export type ItemCode = (typeof ITEMS)[number];

/** The scope a line asks for (世帯全員 when not said). */
export function lineScope(line: CertificateLine): Scope {
  return line.scope === '本人のみ' ? '本人のみ' : '世帯全員';
}

/** Whether a line prints 続柄: the standard set (`items` null) does, a list does when it names it. */
export function lineHasRelation(line: CertificateLine): boolean {
  return line.items == null || line.items.includes(RELATION);
}

/** The 記載事項 a line prints: the standard set (`items` null) is 続柄 alone. */
export function lineItems(line: CertificateLine): ItemCode[] {
  const chosen = line.items ?? [RELATION];
  return ITEMS.filter((i) => chosen.includes(i));
}

/** `items` for the chosen 記載事項: null for the standard set (続柄 alone), else the list in print order. */
export function itemsValue(chosen: readonly string[]): string[] | null {
  const list = ITEMS.filter((i) => chosen.includes(i));
  return list.length === 1 && list[0] === RELATION ? null : list;
}

/** `chosen` with `item` turned on or off. */
function toggled(chosen: readonly string[], item: ItemCode, on: boolean): ItemCode[] {
  return ITEMS.filter((i) => (i === item ? on : chosen.includes(i)));
}

/** The options of a line: a 住民票の写し's scope, and the 記載事項 of either kind. */
function lineOptions(item: string, scope: Scope, chosen: readonly string[]): Pick<CertificateLine, 'scope' | 'items'> {
  return item === JUMINHYO ? { scope, items: itemsValue(chosen) } : { items: itemsValue(chosen) };
}

const ITEM_LABELS = {
  relation: 'visit.certificates.relation',
  honseki: 'visit.certificates.items.honseki',
  juminhyo_code: 'visit.certificates.items.juminhyo_code',
  previous_address: 'visit.certificates.items.previous_address',
} as const;

function itemLabel(item: ItemCode): string {
  return t(ITEM_LABELS[item]);
}

function itemLabelOf(item: ItemCode, name: string): string {
  return item === RELATION
    ? t('visit.certificates.relationOf', { name })
    : t('visit.certificates.itemOf', { name, item: itemLabel(item) });
}

/** The testid of an item's checkbox: 続柄 keeps its own. */
function itemTestId(prefix: string, item: ItemCode): string {
  return item === RELATION ? `${prefix}-relation` : `${prefix}-item-${item}`;
}

export function CertificatesStep({
  draft,
  setDraft,
  onNext,
}: {
  draft: Draft;
  setDraft: (u: (d: Draft) => Draft) => void;
  onNext: () => void;
}) {
  const backend = useBackend();
  const [chosenItem, setItem] = useState(JUMINHYO);
  const [copies, setCopies] = useState('1');
  const [scope, setScope] = useState<Scope>('世帯全員');
  const [chosen, setChosen] = useState<ItemCode[]>([RELATION]);
  const [years] = useState(() => taxYears(todayIso()));
  const [year, setYear] = useState(() => years[0]!);
  const [quote, setQuote] = useState<QuoteResponse | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const table = useLoaded((b) => b.feeTable(), setProblem);
  // Not loaded (offline, an older server): everything is offered and the server decides.
  const own = useLoaded((b) => b.ownCounterCertificates());
  const offered = offeredItems(table, own);
  /** The certificate chosen: the first offered when the default is not issued here. */
  const item = offered.some((i) => i.code === chosenItem) ? chosenItem : (offered[0]?.code ?? chosenItem);
  const issuesHere = (code: string) => !own?.restricted || own.items.includes(code);
  const lines = draft.document.certificates ?? [];

  const linesKey = JSON.stringify(lines);
  useEffect(() => {
    if (lines.length === 0) {
      setQuote(null);
      return;
    }
    let current = true;
    backend
      .quote({ items: lines.map((l) => ({ item: l.item, copies: l.copies, exemption: l.exemption ?? null })) })
      .then((q) => {
        if (!current) return;
        setQuote(q);
        setProblem(null);
      })
      .catch((e: unknown) => current && setProblem(errorMessage(e)));
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [backend, linesKey]);

  function setLines(next: CertificateLine[]) {
    setDraft((d) => ({ ...d, document: { ...d.document, certificates: next } }));
  }

  function add() {
    if (offered.length === 0) return;
    const n = Number(copies);
    if (!Number.isInteger(n) || n < 1 || n > 50) {
      setProblem(t('visit.certificates.copiesInvalid'));
      return;
    }
    const name = table?.items.find((i) => i.code === item)?.name ?? item;
    const options = WITH_ITEMS.includes(item)
      ? lineOptions(item, scope, chosen)
      : item === SHOTOKU
        ? { year }
        : {};
    setLines([...lines, { item, copies: n, name, yen: 0, ...options }]);
    setCopies('1');
  }

  function setOptions(index: number, nextScope: Scope, nextItems: readonly string[]) {
    setLines(lines.map((l, j) => (j === index ? { ...l, ...lineOptions(l.item, nextScope, nextItems) } : l)));
  }

  return (
    <StepForm
      title={t('visit.certificates.title')}
      onSubmit={onNext}
      testId="step-panel-certificates"
      hint={<>{t('visit.certificates.hint')}</>}
    >
      {problem && (
        <div className="error-banner" role="alert">
          {problem}
        </div>
      )}
      {own?.restricted && (
        <p className="muted" data-testid="cert-counter-note">
          {offered.length > 0
            ? t('visit.certificates.counterOnly', { counter: own.name })
            : t('visit.certificates.counterNone', { counter: own.name })}
        </p>
      )}
      <div className="form-grid">
        <div className="field">
          <label htmlFor="cert-item">{t('visit.certificates.item')}</label>
          <select id="cert-item" value={item} onChange={(e) => setItem(e.target.value)} data-testid="cert-item">
            {offered.map((i) => (
              <option key={i.code} value={i.code}>
                {i.name}（{t('visit.certificates.unit', { yen: i.yen })}）
              </option>
            ))}
          </select>
        </div>
        {item === JUMINHYO && (
          <div className="field">
              <label htmlFor="cert-scope">{t('visit.certificates.scope')}</label>
              <select
                id="cert-scope"
                value={scope}
                onChange={(e) => setScope(e.target.value as Scope)}
                data-testid="cert-scope"
              >
                {SCOPES.map((s) => (
                  <option key={s} value={s}>
                    {scopeLabel(s)}
                  </option>
                ))}
              </select>
          </div>
        )}
        {WITH_ITEMS.includes(item) &&
          ITEMS.map((i) => (
            <div className="field field-check" key={i}>
              <label>
                <input
                  type="checkbox"
                  checked={chosen.includes(i)}
                  onChange={(e) => setChosen(toggled(chosen, i, e.target.checked))}
                  data-testid={itemTestId('cert', i)}
                />{' '}
                {itemLabel(i)}
              </label>
            </div>
          ))}
        {item === SHOTOKU && (
          <div className="field">
            <label htmlFor="cert-year">{t('visit.certificates.year')}</label>
            <select
              id="cert-year"
              value={year}
              onChange={(e) => setYear(Number(e.target.value))}
              data-testid="cert-year"
            >
              {years.map((y) => (
                <option key={y} value={y}>
                  {formatNendo(y)}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor="cert-copies">{t('visit.certificates.copies')}</label>
          <input
            id="cert-copies"
            inputMode="numeric"
            value={copies}
            onChange={(e) => setCopies(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                add();
              }
            }}
            data-testid="cert-copies"
          />
        </div>
        <button
          type="button"
          className="button button-secondary"
          onClick={add}
          disabled={table !== null && offered.length === 0}
          data-testid="cert-add"
        >
          {t('visit.certificates.add')}
        </button>
      </div>
      {lines.length > 0 && (
        <table className="table" data-testid="cert-lines">
          <thead>
            <tr>
              <th scope="col">{t('visit.certificates.item')}</th>
              <th scope="col">{t('visit.certificates.options')}</th>
              <th scope="col">{t('visit.certificates.purpose')}</th>
              <th scope="col">{t('visit.certificates.copies')}</th>
              <th scope="col">{t('visit.certificates.fee')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {lines.map((l, i) => {
              const name = quote?.lines[i]?.name ?? l.name ?? l.item;
              return (
                <tr key={`${l.item}-${i}`} data-testid="cert-line">
                  <th scope="row">
                    {name}
                    {!issuesHere(l.item) && (
                      <span className="cert-not-here" data-testid="cert-line-not-here">
                        {' '}
                        {t('visit.certificates.notHere')}
                      </span>
                    )}
                  </th>
                  <td>
                    {WITH_ITEMS.includes(l.item) && (
                      <span className="cert-options">
                        {l.item === JUMINHYO && (
                          <select
                            aria-label={t('visit.certificates.scopeOf', { name })}
                            value={lineScope(l)}
                            onChange={(e) => setOptions(i, e.target.value as Scope, lineItems(l))}
                            data-testid="cert-line-scope"
                          >
                            {SCOPES.map((s) => (
                              <option key={s} value={s}>
                                {scopeLabel(s)}
                              </option>
                            ))}
                          </select>
                        )}
                        {ITEMS.map((item) => (
                          <label key={item}>
                            <input
                              type="checkbox"
                              aria-label={itemLabelOf(item, name)}
                              checked={lineItems(l).includes(item)}
                              onChange={(e) =>
                                setOptions(i, lineScope(l), toggled(lineItems(l), item, e.target.checked))
                              }
                              data-testid={itemTestId('cert-line', item)}
                            />{' '}
                            {itemLabel(item)}
                          </label>
                        ))}
                      </span>
                    )}
                    {l.item === SHOTOKU && l.year != null && (
                      <span data-testid="cert-line-year">{formatNendo(l.year)}</span>
                    )}
                  </td>
                  <td>
                    <input
                      list="cert-purposes"
                      aria-label={t('visit.certificates.purposeOf', { name })}
                      value={l.purpose ?? ''}
                      maxLength={100}
                      onChange={(e) => setLines(lines.map((x, j) => (j === i ? { ...x, purpose: e.target.value || null } : x)))}
                      data-testid="cert-line-purpose"
                    />
                  </td>
                  <td>{l.copies}</td>
                  <td>{quote?.lines[i] ? t('visit.certificates.yen', { yen: quote.lines[i]!.yen }) : '…'}</td>
                  <td>
                    <button
                      type="button"
                      className="button button-secondary"
                      onClick={() => setLines(lines.filter((_, j) => j !== i))}
                    >
                      {t('visit.certificates.remove')}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <datalist id="cert-purposes">
        {PURPOSES.map((p) => (
          <option key={p} value={t(p)} />
        ))}
      </datalist>
      <p className="fee-total" data-testid="fee-total">
        {t('visit.certificates.total')} {t('visit.certificates.yen', { yen: quote?.total_yen ?? 0 })}
      </p>
    </StepForm>
  );
}

function scopeLabel(scope: Scope): string {
  return scope === '本人のみ' ? t('visit.certificates.scopeSelf') : t('visit.certificates.scopeHousehold');
}
