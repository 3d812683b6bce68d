import type { CaseProcedure } from '../api/types';
import { FallbackText, t } from '../i18n';
import type { ProcedureTexts } from './navigationLanguage';

/**
 * The procedures found, each with where it is done: this counter or another one. Names and counters
 * in the resident's language where `texts` has them, marked when left in Japanese.
 */
export function ProcedureList({ procedures, texts = {} }: { procedures: CaseProcedure[]; texts?: ProcedureTexts }) {
  if (procedures.length === 0) return <p className="kiosk-notice">{t('kiosk.procedures.none')}</p>;
  return (
    <ul className="kiosk-procedures" data-testid="kiosk-procedures">
      {procedures.map((p) => {
        const shown = texts[p.code];
        const japanese = (field: string) => shown?.japanese?.includes(field) ?? false;
        return (
          <li key={p.code} data-testid="kiosk-procedure" data-code={p.code}>
            <span className="kiosk-procedure-name">
              <FallbackText text={shown?.name ?? p.name} japanese={japanese('name')} />
            </span>
            <span className={p.on_the_spot ? 'kiosk-where here' : 'kiosk-where elsewhere'}>
              {p.on_the_spot ? (
                t('kiosk.procedures.here')
              ) : japanese('counter') ? (
                <>
                  {t('kiosk.procedures.elsewhereLabel')}{' '}
                  <FallbackText text={p.counter} japanese />
                </>
              ) : (
                t('kiosk.procedures.elsewhere', { counter: shown?.counter ?? p.counter })
              )}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
