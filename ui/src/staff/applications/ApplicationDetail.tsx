import { useEffect, useState, type FormEvent } from 'react';
import type { PortalApplicationView } from '../../api/types';
import { errorMessage, useBackend } from '../../backend';
import { downloadBlob } from '../../components/download';
import { t } from '../../i18n';
import { STATUSES, jst, statusKey } from './model';

/**
 * One application: what the resident sent (the address through the server's 支援措置 gate), its
 * attachments, the residents it may be about, the case it becomes with one key, and its status.
 */
export function ApplicationDetail({
  applicationNo,
  onChanged,
  onClose,
}: {
  applicationNo: string;
  onChanged: () => Promise<void>;
  onClose: () => void;
}) {
  const backend = useBackend();
  const [app, setApp] = useState<PortalApplicationView | null>(null);
  const [chosen, setChosen] = useState<string>('');
  const [error, setError] = useState<string | null>(null);
  const [caseId, setCaseId] = useState<string | null>(null);

  useEffect(() => {
    backend.portalApplication(applicationNo).then(
      (a) => {
        setApp(a);
        setCaseId(a.case_id ?? null);
        setChosen(a.candidates.length === 1 ? (a.candidates[0]?.atena_no ?? '') : '');
      },
      (err: unknown) => setError(errorMessage(err)),
    );
  }, [backend, applicationNo]);

  async function makeCase() {
    setError(null);
    try {
      const r = await backend.makePortalCase(applicationNo, chosen || null);
      setCaseId(r.case_id);
      setApp(await backend.portalApplication(applicationNo));
      await onChanged();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <section className="panel" aria-labelledby="application-detail-title" data-testid="application-detail">
      <h2 id="application-detail-title">
        {t('applications.detail')} {applicationNo}
      </h2>
      {error && (
        <div className="error-banner" role="alert">
          {error}
        </div>
      )}
      {app && (
        <>
          <Applicant app={app} />
          <Candidates app={app} chosen={chosen} onChoose={setChosen} />
          {caseId ? (
            <p role="status" data-testid="application-case">
              {t('applications.caseMade')}{' '}
              <a href={`#/staff/case/${encodeURIComponent(caseId)}`}>{t('applications.openCase')}</a>
            </p>
          ) : (
            <button
              type="button"
              className="button button-primary"
              onClick={makeCase}
              autoFocus
              data-testid="application-make-case"
            >
              {t('applications.makeCase')} <kbd>Enter</kbd>
            </button>
          )}
          <StatusForm key={app.status} app={app} onSaved={onChanged} />
        </>
      )}
      <button type="button" className="button button-secondary" onClick={onClose}>
        {t('applications.close')}
      </button>
    </section>
  );
}

function Applicant({ app }: { app: PortalApplicationView }) {
  const a = app.applicant;
  return (
    <>
      <dl className="definition-grid" data-testid="application-applicant">
        <dt>{t('applications.form')}</dt>
        <dd>{app.form_name || app.form_code}</dd>
        <dt>{t('applications.receivedAt')}</dt>
        <dd>{jst(app.received_at)}</dd>
        <dt>{t('applications.name')}</dt>
        <dd>{a.name}</dd>
        <dt>{t('applications.kana')}</dt>
        <dd>{a.kana}</dd>
        <dt>{t('applications.birth')}</dt>
        <dd>{a.birth_date}</dd>
        <dt>{t('applications.address')}</dt>
        <dd data-testid="application-address">{a.address}</dd>
        {a.postal_code && (
          <>
            <dt>{t('applications.postal')}</dt>
            <dd>{a.postal_code}</dd>
          </>
        )}
        {a.phone && (
          <>
            <dt>{t('applications.phone')}</dt>
            <dd>{a.phone}</dd>
          </>
        )}
        <dt>{t('applications.serial')}</dt>
        <dd>{app.jpki_serial ?? t('applications.noSerial')}</dd>
        <dt>{t('applications.procedures')}</dt>
        <dd>{app.procedures.join('、')}</dd>
      </dl>
      {app.address_masked && <p className="notice">{t('applications.masked')}</p>}
      <Attachments app={app} />
    </>
  );
}

/** The attached files, each saved on the staff PC with its name as sent (the server audits the read). */
function Attachments({ app }: { app: PortalApplicationView }) {
  const backend = useBackend();
  const [error, setError] = useState<string | null>(null);

  async function save(index: number, name: string, mediaType: string) {
    setError(null);
    try {
      const blob = await backend.portalAttachment(app.application_no, index);
      downloadBlob(blob.type === mediaType ? blob : new Blob([blob], { type: mediaType }), name);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <>
      <h3>{t('applications.attachments')}</h3>
      {error && (
        <p className="error-banner" role="alert" data-testid="application-attachment-error">
          {error}
        </p>
      )}
      {app.attachments.length === 0 ? (
        <p>{t('applications.noAttachments')}</p>
      ) : (
        <ul data-testid="application-attachments">
          {app.attachments.map((f) => (
            <li key={f.index}>
              {f.name}（{f.media_type}、{t('applications.bytes', { size: f.size })}）{' '}
              <button
                type="button"
                className="button button-secondary button-small"
                onClick={() => void save(f.index, f.name, f.media_type)}
                aria-label={t('applications.saveAttachment', { name: f.name })}
                data-testid={`application-attachment-${f.index}`}
              >
                {t('applications.save')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function Candidates({
  app,
  chosen,
  onChoose,
}: {
  app: PortalApplicationView;
  chosen: string;
  onChoose: (atena: string) => void;
}) {
  const n = app.candidates.length;
  const how = app.matched_by === 'serial' ? t('applications.bySerial') : t('applications.byNameBirth');
  return (
    <fieldset data-testid="application-candidates">
      <legend>{t('applications.candidates')}</legend>
      <p>{how}</p>
      {n === 0 && <p data-testid="application-no-candidate">{t('applications.noCandidate')}</p>}
      {n > 1 && (
        <p role="alert" data-testid="application-ambiguous">
          {t('applications.ambiguous', { count: n })}
        </p>
      )}
      {app.candidates.map((c) => (
        <label key={c.atena_no} className="radio">
          <input
            type="radio"
            name="candidate"
            value={c.atena_no}
            checked={chosen === c.atena_no}
            onChange={() => onChoose(c.atena_no)}
          />
          {c.name}（{c.kana}）{c.birth_date} {c.address}
        </label>
      ))}
      {n > 0 && (
        <label className="radio">
          <input type="radio" name="candidate" value="" checked={chosen === ''} onChange={() => onChoose('')} />
          {t('applications.noResident')}
        </label>
      )}
    </fieldset>
  );
}

function StatusForm({ app, onSaved }: { app: PortalApplicationView; onSaved: () => Promise<void> }) {
  const backend = useBackend();
  const [status, setStatus] = useState(app.status);
  const [reason, setReason] = useState(app.status_reason ?? '');
  const [note, setNote] = useState<string | null>(null);

  async function save(e: FormEvent) {
    e.preventDefault();
    if (status === 'returned' && reason.trim() === '') {
      setNote(t('applications.reasonRequired'));
      return;
    }
    try {
      await backend.setPortalStatus(app.application_no, { status, reason: reason || null });
      setNote(t('applications.saved'));
      await onSaved();
    } catch (err) {
      setNote(errorMessage(err));
    }
  }

  return (
    <form className="form-grid" onSubmit={save} data-testid="application-status-form">
      <div className="field">
        <label htmlFor="application-status">{t('applications.setStatus')}</label>
        <select id="application-status" value={status} onChange={(e) => setStatus(e.target.value)}>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(statusKey(s))}
            </option>
          ))}
        </select>
      </div>
      {status === 'returned' && (
        <div className="field">
          <label htmlFor="application-reason">{t('applications.reason')}</label>
          <textarea id="application-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
      )}
      <button type="submit" className="button button-secondary" data-testid="application-status-save">
        {t('applications.save')}
      </button>
      {note && <p role="status">{note}</p>}
      {app.status_by && <p>{t('applications.statusBy', { by: app.status_by, at: jst(app.status_at) })}</p>}
    </form>
  );
}
