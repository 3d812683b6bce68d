import { useCallback, useEffect, useState } from 'react';
import type { PermissionView } from '../../../api/types';
import { errorMessage, useBackend, type Backend } from '../../../backend';
import { t, type MessageKey } from '../../../i18n';
import { HolderForm, type Holder } from './HolderForm';
import { permissionLabels } from './PermissionChecklist';

/** A holder row as listed: a group (with its member count) or a counter (with its browser setting). */
interface Row extends Holder {
  members?: number;
}

/** What differs between the groups page and the counters page. */
interface Kind {
  id: 'groups' | 'counters';
  list: (backend: Backend) => Promise<Row[]>;
  save: (backend: Backend, holder: Holder) => Promise<void>;
  /** The last column: the group's member count or the counter's browser setting. */
  extra: { header: MessageKey; cell: (row: Row) => string };
}

const GROUPS: Kind = {
  id: 'groups',
  list: (b) => b.groups(),
  save: (b, h) => b.putGroup(h.code, { name: h.name, permissions: h.permissions, revision: h.revision ?? '' }),
  extra: { header: 'groups.col.members', cell: (r) => String(r.members ?? 0) },
};

const COUNTERS: Kind = {
  id: 'counters',
  list: (b) => b.counterSetups(),
  save: (b, h) =>
    b.putCounter(h.code, {
      name: h.name,
      permissions: h.permissions,
      browser_allowed: h.browser_allowed ?? false,
      revision: h.revision ?? '',
    }),
  extra: {
    header: 'counters.col.browser',
    cell: (r) => (r.browser_allowed ? t('counters.browserYes') : t('counters.browserNo')),
  },
};

export const GROUPS_PATH = '/staff/admin/groups';
export const COUNTERS_PATH = '/staff/admin/counters';

/** グループと権限: the tenant's groups with what their members may do; add and edit (admins). */
export function GroupsPage() {
  return <HoldersPage kind={GROUPS} />;
}

/**
 * 窓口と権限: the tenant's counters with what may be done there (whoever logs in) and whether staff may
 * log in there from a browser; add and edit (admins).
 */
export function CountersPage() {
  return <HoldersPage kind={COUNTERS} />;
}

function HoldersPage({ kind }: { kind: Kind }) {
  const backend = useBackend();
  const [rows, setRows] = useState<Row[] | null>(null);
  const [permissions, setPermissions] = useState<PermissionView[]>([]);
  const [editing, setEditing] = useState<{ holder: Holder; isNew: boolean } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const isCounter = kind.id === 'counters';

  const load = useCallback(async () => {
    try {
      const [r, p] = await Promise.all([kind.list(backend), backend.permissions()]);
      setRows(r);
      setPermissions(p);
    } catch (e) {
      setProblem(errorMessage(e));
    }
  }, [backend, kind]);
  useEffect(() => void load(), [load]);

  async function save(holder: Holder) {
    await kind.save(backend, holder);
    setEditing(null);
    setDone(t(isCounter ? 'counters.saved' : 'groups.saved', { name: holder.name }));
    await load();
  }

  function edit(holder: Holder, isNew: boolean) {
    setDone(null);
    setEditing({ holder, isNew });
  }

  const title = (h: Holder, isNew: boolean) =>
    isCounter
      ? isNew
        ? t('counters.form.newTitle')
        : t('counters.form.editTitle', { name: h.name })
      : isNew
        ? t('groups.form.newTitle')
        : t('groups.form.editTitle', { name: h.name });

  return (
    <section aria-labelledby={`${kind.id}-title`} data-testid={`${kind.id}-page`}>
      <h1 id={`${kind.id}-title`}>{t(isCounter ? 'admin.menu.counters' : 'admin.menu.groups')}</h1>
      <p>{t(isCounter ? 'admin.menu.countersDetail' : 'admin.menu.groupsDetail')}</p>
      {isCounter && <p className="hint">{t('counters.help')}</p>}
      {problem && (
        <div className="error-banner" role="alert">
          {problem}
        </div>
      )}
      {done && (
        <p role="status" className="success" data-testid={`${kind.id}-done`}>
          {done}
        </p>
      )}
      {editing ? (
        <HolderForm
          initial={editing.holder}
          isNew={editing.isNew}
          title={title(editing.holder, editing.isNew)}
          permissions={permissions}
          browserLabel={isCounter ? 'counters.form.browser' : undefined}
          onSave={save}
          onCancel={() => setEditing(null)}
        />
      ) : (
        <button
          type="button"
          className="button button-primary"
          onClick={() => edit({ code: '', name: '', permissions: [], browser_allowed: false }, true)}
          data-testid={`${kind.id}-new`}
        >
          {t(isCounter ? 'counters.new' : 'groups.new')}
        </button>
      )}
      {rows && (
        <table className="table" data-testid={`${kind.id}-table`}>
          <thead>
            <tr>
              <th scope="col">{t('groups.col.code')}</th>
              <th scope="col">{t('groups.col.name')}</th>
              <th scope="col">{t('groups.col.permissions')}</th>
              <th scope="col">{t(kind.extra.header)}</th>
              <th scope="col">{t('users.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.code} data-testid={`${kind.id}-row-${r.code}`}>
                <th scope="row">
                  <code>{r.code}</code>
                </th>
                <td>{r.name}</td>
                <td>{permissionLabels(r.permissions, permissions)}</td>
                <td>{kind.extra.cell(r)}</td>
                <td>
                  <button type="button" className="button button-secondary" onClick={() => edit(r, false)}>
                    {t('users.edit')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
