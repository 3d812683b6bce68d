import { useEffect, useState, type FormEvent } from 'react';
import type { ExemptionInput, FeeItemInput, FeeSettings } from '../../../api/types';
import { errorMessage, useBackend } from '../../../backend';
import { t } from '../../../i18n';

/**
 * 手数料表: the items (code, name, yen per copy) and the exemptions (code, name, the reason printed,
 * the items they cover) as a form, saved whole on the revision read; the server checks it holds
 * together (a duplicate item is refused with its code).
 */
export function FeeTableForm() {
  const backend = useBackend();
  const [table, setTable] = useState<FeeSettings | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  useEffect(() => {
    backend
      .feeSettings()
      .then(setTable)
      .catch((e: unknown) => setProblem(errorMessage(e)));
  }, [backend]);

  if (!table) return problem ? <div className="error-banner" role="alert">{problem}</div> : null;

  const setItem = (i: number, item: FeeItemInput) =>
    setTable({ ...table, items: table.items.map((x, n) => (n === i ? item : x)) });
  const setExemption = (i: number, x: ExemptionInput) =>
    setTable({ ...table, exemptions: table.exemptions.map((e, n) => (n === i ? x : e)) });

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!table) return;
    setProblem(null);
    setDone(false);
    try {
      setTable(await backend.saveFeeSettings(table));
      setDone(true);
    } catch (err) {
      setProblem(errorMessage(err));
    }
  }

  return (
    <form className="form" onSubmit={save} aria-labelledby="fees-title" data-testid="fee-table">
      <h2 id="fees-title">
        {t('fees.title')} {table.revision === 'standard' && <span className="hint">{t('fees.standard')}</span>}
      </h2>
      <p className="hint">{t('fees.help')}</p>
      <div className="field">
        <label htmlFor="fees-city">{t('fees.city')}</label>
        <input id="fees-city" value={table.city} onChange={(e) => setTable({ ...table, city: e.target.value })} />
      </div>
      <table className="table" data-testid="fee-items">
        <thead>
          <tr>
            <th scope="col">{t('fees.col.code')}</th>
            <th scope="col">{t('fees.col.name')}</th>
            <th scope="col">{t('fees.col.yen')}</th>
            <th scope="col">{t('fees.col.remove')}</th>
          </tr>
        </thead>
        <tbody>
          {table.items.map((item, i) => (
            <tr key={i} data-testid={`fee-item-${i}`}>
              <td>
                <input aria-label={`${t('fees.col.code')} ${i + 1}`} value={item.code} onChange={(e) => setItem(i, { ...item, code: e.target.value })} />
              </td>
              <td>
                <input aria-label={`${t('fees.col.name')} ${i + 1}`} value={item.name} onChange={(e) => setItem(i, { ...item, name: e.target.value })} />
              </td>
              <td>
                <input
                  aria-label={`${t('fees.col.yen')} ${item.name}`}
                  type="number"
                  min={0}
                  max={100000}
                  value={item.yen}
                  onChange={(e) => setItem(i, { ...item, yen: Number(e.target.value) })}
                />
              </td>
              <td>
                <button
                  type="button"
                  className="button button-secondary"
                  onClick={() => setTable({ ...table, items: table.items.filter((_, n) => n !== i) })}
                >
                  {t('fees.remove')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button
        type="button"
        className="button button-secondary"
        onClick={() => setTable({ ...table, items: [...table.items, { code: '', name: '', yen: 0 }] })}
        data-testid="fee-add-item"
      >
        {t('fees.addItem')}
      </button>
      <Exemptions table={table} onChange={setExemption} onTable={setTable} />
      {problem && (
        <div className="error-banner" role="alert" data-testid="fee-error">
          {problem}
        </div>
      )}
      {done && (
        <p role="status" className="success" data-testid="fee-saved">
          {t('fees.saved')}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button button-primary" data-testid="fee-save">
          {t('fees.save')}
        </button>
      </div>
    </form>
  );
}

function Exemptions({
  table,
  onChange,
  onTable,
}: {
  table: FeeSettings;
  onChange: (i: number, x: ExemptionInput) => void;
  onTable: (t: FeeSettings) => void;
}) {
  return (
    <fieldset>
      <legend>{t('fees.exemptions')}</legend>
      {table.exemptions.map((x, i) => (
        <div key={i} className="admin-form" data-testid={`fee-exemption-${i}`}>
          <div className="form-row">
            <div className="field">
              <label htmlFor={`ex-code-${i}`}>{t('fees.exemption.code')}</label>
              <input id={`ex-code-${i}`} value={x.code} onChange={(e) => onChange(i, { ...x, code: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor={`ex-name-${i}`}>{t('fees.exemption.name')}</label>
              <input id={`ex-name-${i}`} value={x.name} onChange={(e) => onChange(i, { ...x, name: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor={`ex-reason-${i}`}>{t('fees.exemption.reason')}</label>
              <input id={`ex-reason-${i}`} value={x.reason} onChange={(e) => onChange(i, { ...x, reason: e.target.value })} />
            </div>
          </div>
          <fieldset>
            <legend>{t('fees.exemption.items')}</legend>
            {table.items
              .filter((item) => item.code)
              .map((item) => (
                <label key={item.code} className="check-inline">
                  <input
                    type="checkbox"
                    checked={x.items.includes(item.code)}
                    onChange={(e) =>
                      onChange(i, {
                        ...x,
                        items: e.target.checked ? [...x.items, item.code] : x.items.filter((c) => c !== item.code),
                      })
                    }
                  />
                  {item.name}
                </label>
              ))}
          </fieldset>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => onTable({ ...table, exemptions: table.exemptions.filter((_, n) => n !== i) })}
          >
            {t('fees.remove')}
          </button>
        </div>
      ))}
      <button
        type="button"
        className="button button-secondary"
        onClick={() => onTable({ ...table, exemptions: [...table.exemptions, { code: '', name: '', reason: '', items: [] }] })}
      >
        {t('fees.addExemption')}
      </button>
    </fieldset>
  );
}
