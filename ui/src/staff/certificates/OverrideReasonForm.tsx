import { useState, type FormEvent } from 'react';
import { t } from '../../i18n';

// A request of a person under 支援措置 taken at a station: staff check the resident and state why the
// certificate may be issued; the server prints it only for a member with the override permission, and
// audits the reason with the issue.

export function OverrideReasonForm({ no, onDone, onCancel }: { no: string; onDone: (reason: string) => void; onCancel: () => void }) {
  const [reason, setReason] = useState('');
  const ready = reason.trim().length > 0;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (ready) onDone(reason.trim());
  }

  return (
    <form className="queue-hand-over" onSubmit={submit} aria-label={t('queue.staffCheck')} data-testid="override-form">
      <label className="field">
        <span>{t('queue.staffCheckReason', { no })}</span>
        <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} autoFocus data-testid="override-reason" />
      </label>
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={!ready} data-testid="override-print">
          {t('queue.staffCheckPrint')}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel} data-testid="override-back">
          {t('queue.back')}
        </button>
      </div>
    </form>
  );
}
