import type { DiffLine } from '../../../api/types';
import { t } from '../../../i18n';

/** What publishing the draft changes against what is in force today. */
export function DiffTable({ lines }: { lines: readonly DiffLine[] }) {
  return (
    <section className="admin-panel" aria-labelledby="nav-diff-title" data-testid="nav-diff">
      <h2 id="nav-diff-title">{t('nav.diff.title')}</h2>
      {lines.length === 0 ? (
        <p className="hint">{t('nav.diff.none')}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('nav.diff.col.change')}</th>
              <th scope="col">{t('nav.diff.col.procedure')}</th>
              <th scope="col">{t('nav.diff.col.field')}</th>
              <th scope="col">{t('nav.diff.col.before')}</th>
              <th scope="col">{t('nav.diff.col.after')}</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l, i) => (
              <tr key={i}>
                <td>{t(`nav.diff.${l.change as 'added' | 'removed' | 'changed'}`)}</td>
                <td>
                  {l.name} <span className="mono">{l.code}</span>
                </td>
                <td className="mono">{l.field}</td>
                <td>
                  <del>{l.before}</del>
                </td>
                <td>
                  <ins>{l.after}</ins>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
