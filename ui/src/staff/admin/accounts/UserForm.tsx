import { useState, type FormEvent } from 'react';
import type { GroupView, UserView } from '../../../api/types';
import { errorMessage } from '../../../backend';
import { t } from '../../../i18n';

/** The fields of an account the form edits. */
export interface UserFields {
  login: string;
  display_name: string;
  groups: string[];
  /** `YYYY-MM-DD` or empty (no limit). */
  valid_until: string;
  disabled: boolean;
}

export function fieldsOf(user: UserView): UserFields {
  return {
    login: user.login,
    display_name: user.display_name,
    groups: user.groups,
    valid_until: user.valid_until ?? '',
    disabled: user.disabled,
  };
}

export const NEW_USER: UserFields = { login: '', display_name: '', groups: [], valid_until: '', disabled: false };

/**
 * Registers (`isNew`) or edits an account: ユーザーID (only when new), 氏名, グループ as checkboxes, 有効期限,
 * and (when editing) 無効. `onSave` rejects with the server's Japanese message, shown here.
 */
export function UserForm({
  initial,
  isNew,
  groups,
  onSave,
  onCancel,
}: {
  initial: UserFields;
  isNew: boolean;
  groups: GroupView[];
  onSave: (fields: UserFields) => Promise<void>;
  onCancel: () => void;
}) {
  const [fields, setFields] = useState<UserFields>(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      await onSave({ ...fields, login: fields.login.trim(), display_name: fields.display_name.trim() });
    } catch (err) {
      setProblem(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  function toggleGroup(code: string, on: boolean) {
    const next = on ? [...fields.groups, code] : fields.groups.filter((g) => g !== code);
    setFields({ ...fields, groups: groups.map((g) => g.code).filter((c) => next.includes(c)) });
  }

  const title = isNew ? t('users.form.newTitle') : t('users.form.editTitle', { login: initial.login });
  return (
    <form className="form admin-form" onSubmit={submit} aria-label={title} data-testid="user-form">
      <h2>{title}</h2>
      {isNew && (
        <div className="field">
          <label htmlFor="user-login">{t('users.form.login')}</label>
          <input
            id="user-login"
            value={fields.login}
            required
            maxLength={64}
            autoComplete="off"
            onChange={(e) => setFields({ ...fields, login: e.target.value })}
            aria-describedby="user-login-help"
          />
          <p className="hint" id="user-login-help">
            {t('users.form.loginHelp')}
          </p>
        </div>
      )}
      <div className="field">
        <label htmlFor="user-name">{t('users.form.name')}</label>
        <input
          id="user-name"
          value={fields.display_name}
          required
          maxLength={100}
          onChange={(e) => setFields({ ...fields, display_name: e.target.value })}
        />
      </div>
      <fieldset>
        <legend>{t('users.form.groups')}</legend>
        {groups.map((g) => (
          <label key={g.code} className="check-inline">
            <input
              type="checkbox"
              checked={fields.groups.includes(g.code)}
              onChange={(e) => toggleGroup(g.code, e.target.checked)}
              data-testid={`user-group-${g.code}`}
            />
            {g.name}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor="user-valid-until">{t('users.form.validUntil')}</label>
        <input
          id="user-valid-until"
          type="date"
          value={fields.valid_until}
          onChange={(e) => setFields({ ...fields, valid_until: e.target.value })}
        />
      </div>
      {!isNew && (
        <label>
          <input
            type="checkbox"
            checked={fields.disabled}
            onChange={(e) => setFields({ ...fields, disabled: e.target.checked })}
            data-testid="user-disabled"
          />
          {t('users.form.disabled')}
        </label>
      )}
      {problem && (
        <div className="error-banner" role="alert" data-testid="user-form-error">
          {problem}
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy} data-testid="user-save">
          {isNew ? t('users.form.create') : t('users.form.save')}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {t('users.cancel')}
        </button>
      </div>
    </form>
  );
}
