import type { TemporaryPassword } from '../../../api/types';
import { t } from '../../../i18n';

/** A temporary password shown once, large and monospaced, until the administrator closes it. */
export function TemporaryPasswordNotice({ issued, onClose }: { issued: TemporaryPassword; onClose: () => void }) {
  return (
    <div className="temporary-password" role="alert" data-testid="temporary-password">
      <h2>{t('users.temporary.title')}</h2>
      <p>{t('users.temporary.body', { login: issued.login })}</p>
      <p className="temporary-password-value">
        <code data-testid="temporary-password-value">{issued.temporary_password}</code>
      </p>
      <button type="button" className="button button-primary" onClick={onClose} data-testid="temporary-password-close">
        {t('users.temporary.close')}
      </button>
    </div>
  );
}
