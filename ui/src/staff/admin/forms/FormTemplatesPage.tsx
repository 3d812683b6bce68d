import { useCallback, useEffect, useState } from 'react';
import type { TemplateView } from '../../../api/types';
import { errorMessage, useBackend } from '../../../backend';
import { t } from '../../../i18n';
import { FormTemplateEditor } from './FormTemplateEditor';
import { byTemplate, isoDay, versionState } from './templateState';
import './formTemplates.css';

// 帳票テンプレート (admin, `#/staff/admin/forms`): every form template with its versions, 施行日・廃止日,
// standard or the city's own and which is in force today; 編集 opens a version in the editor with its
// live preview, whose 公開 adds a new version from a 施行日.

export const FORM_TEMPLATES_PATH = '/staff/admin/forms';

export function FormTemplatesPage({ permissions }: { permissions: string[] }) {
  const backend = useBackend();
  const allowed = permissions.includes('admin');
  const [list, setList] = useState<TemplateView[] | null>(null);
  const [editing, setEditing] = useState<TemplateView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const reload = useCallback(() => {
    backend.formTemplates().then(setList, (e: unknown) => setError(errorMessage(e)));
  }, [backend]);

  useEffect(() => {
    if (allowed) reload();
  }, [allowed, reload]);

  if (!allowed) {
    return (
      <main className="page">
        <h1>{t('forms.heading')}</h1>
        <p role="alert">{t('forms.adminOnly')}</p>
      </main>
    );
  }

  // The editor stays open on what was published (closing it tears down the PDF preview's frame, which
  // can stall Chromium's PDF viewer for tens of seconds); 閉じる closes it.
  function published(v: TemplateView) {
    setDone(t('forms.published', { id: v.id, version: v.version, from: v.valid_from }));
    reload();
  }

  return (
    <main className="page forms-page">
      <h1>{t('forms.heading')}</h1>
      <p>{t('forms.intro')}</p>
      {error && (
        <div className="error-banner" role="alert" data-testid="forms-error">
          {error}
        </div>
      )}
      {done && (
        <p className="notice" role="status" data-testid="forms-done">
          {done}
        </p>
      )}
      {editing && (
        <FormTemplateEditor
          key={`${editing.id}@${editing.version}`}
          template={editing}
          onPublished={published}
          onClose={() => setEditing(null)}
        />
      )}
      {list === null ? (
        !error && <p aria-busy="true">{t('forms.loading')}</p>
      ) : (
        <TemplateTable
          list={list}
          onEdit={(v) => {
            setDone(null);
            setEditing(v);
          }}
        />
      )}
    </main>
  );
}

function TemplateTable({ list, onEdit }: { list: TemplateView[]; onEdit: (v: TemplateView) => void }) {
  const today = isoDay(new Date());
  return (
    <table className="table forms-table" data-testid="forms-table">
      <thead>
        <tr>
          <th>{t('forms.col.form')}</th>
          <th>{t('forms.col.version')}</th>
          <th>{t('forms.col.from')}</th>
          <th>{t('forms.col.until')}</th>
          <th>{t('forms.col.origin')}</th>
          <th>{t('forms.col.state')}</th>
          <th>{t('forms.col.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {byTemplate(list).flatMap(([id, versions]) =>
          versions.map((v, i) => {
            const state = versionState(v, today);
            return (
              <tr key={`${id}@${v.version}`} data-testid={`form-row-${id}@${v.version}`} data-state={state}>
                <td>
                  {i === 0 && (
                    <>
                      {v.name}
                      <br />
                      <code>{id}</code>
                    </>
                  )}
                </td>
                <td>{v.version}</td>
                <td>{v.valid_from}</td>
                <td>{v.valid_until ?? ''}</td>
                <td>{t(v.origin === 'tenant' ? 'forms.origin.tenant' : 'forms.origin.standard')}</td>
                <td className={state === 'forms.state.inForce' ? 'forms-in-force' : undefined}>{t(state)}</td>
                <td>
                  <button type="button" className="button" onClick={() => onEdit(v)} data-testid={`form-edit-${id}@${v.version}`}>
                    {t('forms.edit')}
                  </button>
                </td>
              </tr>
            );
          }),
        )}
      </tbody>
    </table>
  );
}
