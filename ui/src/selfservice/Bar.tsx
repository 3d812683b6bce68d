import type { TerminalApi } from '../backend';
import { htmlLang, t, type Locale } from '../i18n';
import { AdminCorner } from './AdminCorner';

/**
 * The top bar of a self-service screen (kiosk, issuance station): the administrator's corner, the
 * title, the language switch and, once the resident has started, 「最初に戻る」.
 */
export function SelfServiceBar({
  terminal,
  title,
  languages,
  language,
  onLanguage,
  onRestart,
}: {
  terminal: TerminalApi;
  title: string;
  languages: readonly Locale[];
  language: Locale;
  onLanguage: (language: Locale) => void;
  /** Shown when set (not on the start and done screens). */
  onRestart?: () => void;
}) {
  return (
    <header className="kiosk-bar">
      <AdminCorner terminal={terminal} />
      <span className="kiosk-title">{title}</span>
      <div className="kiosk-bar-actions">
        {languages.length > 1 && (
          <div className="kiosk-languages" role="group" aria-label={t('kiosk.language')}>
            {languages.map((l) => (
              <button
                key={l}
                type="button"
                className="kiosk-lang"
                lang={htmlLang(l)}
                aria-pressed={language === l}
                onClick={() => onLanguage(l)}
                data-testid={`lang-${l}`}
              >
                {t(`language.${l}`)}
              </button>
            ))}
          </div>
        )}
        {onRestart && (
          <button type="button" className="kiosk-lang kiosk-restart" onClick={onRestart} data-testid="kiosk-restart">
            {t('kiosk.restart')}
          </button>
        )}
      </div>
    </header>
  );
}

/** 「入力した内容を消して、最初の画面に戻りますか？」 over the screen. */
export function RestartConfirm({ onYes, onNo }: { onYes: () => void; onNo: () => void }) {
  return (
    <div className="kiosk-overlay" role="alertdialog" aria-labelledby="restart-title" data-testid="restart-confirm">
      <div className="kiosk-dialog">
        <h2 id="restart-title" className="kiosk-heading">
          {t('kiosk.restart.confirm')}
        </h2>
        <div className="kiosk-answers">
          <button type="button" className="kiosk-button kiosk-button-warn" onClick={onYes} data-testid="restart-yes">
            {t('kiosk.restart.yes')}
          </button>
          <button type="button" className="kiosk-button kiosk-button-secondary" onClick={onNo} data-testid="restart-no">
            {t('kiosk.restart.no')}
          </button>
        </div>
      </div>
    </div>
  );
}

/** Languages a terminal offers that the UI knows, `ja` when none. */
export function knownLanguages(configured: readonly string[], isLocale: (l: string) => l is Locale): Locale[] {
  const known = configured.filter(isLocale);
  return known.length > 0 ? known : ['ja'];
}
