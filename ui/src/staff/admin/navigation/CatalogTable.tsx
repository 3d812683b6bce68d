import { useState } from 'react';
import type { CatalogEntry } from '../../../api/types';
import { t } from '../../../i18n';
import { formatWareki } from '../../../i18n/wareki';

/** Every procedure with its period: the city's own, or all with the standard ones. */
export function CatalogTable({ entries }: { entries: readonly CatalogEntry[] }) {
  const [all, setAll] = useState(false);
  const shown = entries.filter((e) => all || e.source === 'local');
  return (
    <section aria-labelledby="nav-catalog-title" data-testid="nav-catalog">
      <h2 id="nav-catalog-title">{t('nav.catalog.title')}</h2>
      <div className="field">
        <label htmlFor="nav-catalog-filter">{t('nav.catalog.filter')}</label>
        <select id="nav-catalog-filter" value={all ? 'all' : 'local'} onChange={(e) => setAll(e.target.value === 'all')}>
          <option value="local">{t('nav.catalog.filter.local')}</option>
          <option value="all">{t('nav.catalog.filter.all')}</option>
        </select>
      </div>
      {shown.length === 0 ? (
        <p className="hint">{t('nav.catalog.empty')}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('nav.col.source')}</th>
              <th scope="col">{t('nav.col.code')}</th>
              <th scope="col">{t('nav.col.name')}</th>
              <th scope="col">{t('nav.col.counter')}</th>
              <th scope="col">{t('nav.col.from')}</th>
              <th scope="col">{t('nav.col.until')}</th>
              <th scope="col">{t('nav.col.state')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e) => (
              <tr key={`${e.code}@${e.valid_from}`} data-code={e.code} data-state={e.state}>
                <td>{t(`nav.source.${e.source as 'standard' | 'local'}`)}</td>
                <td className="mono">{e.code}</td>
                <td>{e.name}</td>
                <td>{e.counter}</td>
                <td>{formatWareki(e.valid_from)}</td>
                <td>{e.valid_until ? formatWareki(e.valid_until) : '—'}</td>
                <td>{t(`nav.state.${e.state as 'in_force' | 'scheduled' | 'ended'}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
