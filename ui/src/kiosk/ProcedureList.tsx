import type { CaseProcedure } from '../api/types';
import { t } from '../i18n';

/** The procedures found, each with where it is done: this counter or another one. */
export function ProcedureList({ procedures }: { procedures: CaseProcedure[] }) {
  if (procedures.length === 0) return <p className="kiosk-notice">{t('kiosk.procedures.none')}</p>;
  return (
    <ul className="kiosk-procedures" data-testid="kiosk-procedures">
      {procedures.map((p) => (
        <li key={p.code} data-testid="kiosk-procedure" data-code={p.code}>
          <span className="kiosk-procedure-name">{p.name}</span>
          <span className={p.on_the_spot ? 'kiosk-where here' : 'kiosk-where elsewhere'}>
            {p.on_the_spot ? t('kiosk.procedures.here') : t('kiosk.procedures.elsewhere', { counter: p.counter })}
          </span>
        </li>
      ))}
    </ul>
  );
}
