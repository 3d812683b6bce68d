import { useState } from 'react';
import { t } from '../../../i18n';

// What the preview is rendered with: the form's sample data or a chosen case's data (needs 帳票印刷;
// a case under 支援措置 also the override and a reason, asked for as on printing), and the millimetre
// grid for placing elements over a background.

export interface PreviewSettings {
  grid: boolean;
  /** The case whose data is shown; null: sample data. */
  caseId: string | null;
  /** The reason for a case under 支援措置. */
  reason: string;
}

export const SAMPLE_DATA: PreviewSettings = { grid: false, caseId: null, reason: '' };

export function PreviewOptions({ value, onChange }: { value: PreviewSettings; onChange: (v: PreviewSettings) => void }) {
  const [caseId, setCaseId] = useState(value.caseId ?? '');
  const [reason, setReason] = useState(value.reason);

  return (
    <fieldset className="forms-preview-options" data-testid="form-preview-options">
      <legend>{t('forms.preview.options')}</legend>
      <label>
        <input type="checkbox" checked={value.grid} onChange={(e) => onChange({ ...value, grid: e.target.checked })} data-testid="form-preview-grid" />
        {t('forms.preview.grid')}
      </label>
      <div>
        <label>
          {t('forms.preview.caseId')}
          <input value={caseId} onChange={(e) => setCaseId(e.target.value)} data-testid="form-preview-case" />
        </label>
        <label>
          {t('forms.preview.reason')}
          <input value={reason} onChange={(e) => setReason(e.target.value)} data-testid="form-preview-reason" />
        </label>
        <button
          type="button"
          className="button"
          disabled={caseId.trim() === ''}
          onClick={() => onChange({ ...value, caseId: caseId.trim(), reason: reason.trim() })}
          data-testid="form-preview-use-case"
        >
          {t('forms.preview.useCase')}
        </button>
        <button
          type="button"
          className="button"
          disabled={value.caseId === null}
          onClick={() => onChange({ ...value, caseId: null, reason: '' })}
          data-testid="form-preview-use-sample"
        >
          {t('forms.preview.useSample')}
        </button>
      </div>
      <p>{t('forms.preview.caseNote')}</p>
    </fieldset>
  );
}
