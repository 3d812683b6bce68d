import { useState, type FormEvent } from 'react';
import type { PermissionView } from '../../../api/types';
import { errorMessage } from '../../../backend';
import { t, type MessageKey } from '../../../i18n';
import { PermissionChecklist } from './PermissionChecklist';

/** What a group or a counter holds: a code, a name, permissions (and for a counter, browser logins). */
export interface Holder {
  code: string;
  name: string;
  permissions: string[];
  browser_allowed?: boolean;
  /** The revision read (an edit); absent for a new one. */
  revision?: string;
}

/**
 * The form of a group or a counter: the code only when new, the name, the permissions as checkboxes
 * with their descriptions, and the counter's browser setting when `browserLabel` is given.
 */
export function HolderForm({
  initial,
  isNew,
  title,
  permissions,
  browserLabel,
  onSave,
  onCancel,
}: {
  initial: Holder;
  isNew: boolean;
  title: string;
  permissions: PermissionView[];
  browserLabel?: MessageKey;
  onSave: (holder: Holder) => Promise<void>;
  onCancel: () => void;
}) {
  const [holder, setHolder] = useState<Holder>(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      await onSave({ ...holder, code: holder.code.trim(), name: holder.name.trim() });
    } catch (err) {
      setProblem(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form admin-form" onSubmit={submit} aria-label={title} data-testid="holder-form">
      <h2>{title}</h2>
      {isNew && (
        <div className="field">
          <label htmlFor="holder-code">{t('groups.form.code')}</label>
          <input
            id="holder-code"
            value={holder.code}
            required
            maxLength={50}
            onChange={(e) => setHolder({ ...holder, code: e.target.value })}
            aria-describedby="holder-code-help"
          />
          <p className="hint" id="holder-code-help">
            {t('groups.form.codeHelp')}
          </p>
        </div>
      )}
      <div className="field">
        <label htmlFor="holder-name">{t('groups.form.name')}</label>
        <input
          id="holder-name"
          value={holder.name}
          required
          maxLength={100}
          onChange={(e) => setHolder({ ...holder, name: e.target.value })}
        />
      </div>
      <PermissionChecklist
        permissions={permissions}
        selected={holder.permissions}
        onChange={(codes) => setHolder({ ...holder, permissions: codes })}
      />
      {browserLabel && (
        <label>
          <input
            type="checkbox"
            checked={holder.browser_allowed ?? false}
            onChange={(e) => setHolder({ ...holder, browser_allowed: e.target.checked })}
            data-testid="holder-browser"
          />
          {t(browserLabel)}
        </label>
      )}
      {problem && (
        <div className="error-banner" role="alert">
          {problem}
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy} data-testid="holder-save">
          {t('users.form.save')}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {t('users.cancel')}
        </button>
      </div>
    </form>
  );
}
