import { useCallback, useEffect, useState } from 'react';
import type { GroupView, TemporaryPassword, UserView } from '../../../api/types';
import { errorMessage, useBackend } from '../../../backend';
import { todayIso } from '../../../case/today';
import { formatWareki, t, type MessageKey } from '../../../i18n';
import { StaffCsvPanel } from './StaffCsvPanel';
import { TemporaryPasswordNotice } from './TemporaryPasswordNotice';
import { NEW_USER, UserForm, fieldsOf, type UserFields } from './UserForm';

export const USERS_PATH = '/staff/admin/users';

/** The states of an account worth a badge, most important first. */
export function userStates(user: UserView, today: string): MessageKey[] {
  const states: MessageKey[] = [];
  if (user.disabled) states.push('users.state.disabled');
  if (user.locked) states.push('users.state.locked');
  if (user.valid_until && user.valid_until < today) states.push('users.state.expired');
  if (user.must_change_password) states.push('users.state.mustChange');
  return states.length ? states : ['users.state.active'];
}

/** Whether `user` matches the search text (ユーザーID, 氏名 or a group's code or name). */
export function matches(user: UserView, text: string, groups: GroupView[]): boolean {
  const q = text.trim().toLowerCase();
  if (!q) return true;
  const groupNames = user.groups.map((c) => groups.find((g) => g.code === c)?.name ?? c);
  return [user.login, user.display_name, ...user.groups, ...groupNames].some((v) => v.toLowerCase().includes(q));
}

type Editing = { fields: UserFields; isNew: boolean; revision: number } | null;

/**
 * 職員アカウント: search the accounts, register one (a temporary password shown once), edit name,
 * groups, validity and 無効 on the revision read, unlock, reset a password, and the staff CSV both ways.
 */
export function UsersPage() {
  const backend = useBackend();
  const [users, setUsers] = useState<UserView[] | null>(null);
  const [groups, setGroups] = useState<GroupView[]>([]);
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<Editing>(null);
  const [issued, setIssued] = useState<TemporaryPassword | null>(null);
  const [asking, setAsking] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const today = todayIso();

  const load = useCallback(async () => {
    try {
      const [u, g] = await Promise.all([backend.users(), backend.groups()]);
      setUsers(u);
      setGroups(g);
    } catch (e) {
      setProblem(errorMessage(e));
    }
  }, [backend]);
  useEffect(() => void load(), [load]);

  async function save(fields: UserFields) {
    if (!editing) return;
    const valid_until = fields.valid_until || null;
    if (editing.isNew) {
      const body = { login: fields.login, display_name: fields.display_name, groups: fields.groups, valid_until };
      setIssued(await backend.createUser(body));
    } else {
      const edit = { ...fields, valid_until, revision: editing.revision };
      await backend.editUser(fields.login, edit);
      setDone(t('users.saved', { login: fields.login }));
    }
    setEditing(null);
    await load();
  }

  async function act(run: () => Promise<void>) {
    setProblem(null);
    setDone(null);
    try {
      await run();
      await load();
    } catch (e) {
      setProblem(errorMessage(e));
    }
  }

  const shown = (users ?? []).filter((u) => matches(u, search, groups));
  const groupNames = (codes: string[]) => codes.map((c) => groups.find((g) => g.code === c)?.name ?? c).join('、');
  return (
    <section aria-labelledby="users-title" data-testid="users-page">
      <h1 id="users-title">{t('admin.menu.users')}</h1>
      {issued && <TemporaryPasswordNotice issued={issued} onClose={() => setIssued(null)} />}
      {problem && (
        <div className="error-banner" role="alert" data-testid="users-error">
          {problem}
        </div>
      )}
      {done && (
        <p role="status" className="success" data-testid="users-done">
          {done}
        </p>
      )}
      {editing ? (
        <UserForm
          initial={editing.fields}
          isNew={editing.isNew}
          groups={groups}
          onSave={save}
          onCancel={() => setEditing(null)}
        />
      ) : (
        <div className="form-row">
          <div className="field">
            <label htmlFor="users-search">{t('users.search')}</label>
            <input id="users-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
          </div>
          <button
            type="button"
            className="button button-primary"
            onClick={() => {
              setDone(null);
              setEditing({ fields: NEW_USER, isNew: true, revision: 0 });
            }}
            data-testid="user-new"
          >
            {t('users.new')}
          </button>
        </div>
      )}
      {users && (
        <>
          <p className="hint" role="status">
            {t('users.count', { shown: shown.length, total: users.length })}
          </p>
          <div className="table-scroll">
            <table className="table" data-testid="users-table">
              <thead>
                <tr>
                  <th scope="col">{t('users.col.login')}</th>
                  <th scope="col">{t('users.col.name')}</th>
                  <th scope="col">{t('users.col.groups')}</th>
                  <th scope="col">{t('users.col.validUntil')}</th>
                  <th scope="col">{t('users.col.state')}</th>
                  <th scope="col">{t('users.col.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((u) => (
                  <UserRow
                    key={u.login}
                    user={u}
                    groupNames={groupNames(u.groups)}
                    today={today}
                    asking={asking === u.login}
                    onAsk={(ask) => setAsking(ask ? u.login : null)}
                    onEdit={() => {
                      setDone(null);
                      setEditing({ fields: fieldsOf(u), isNew: false, revision: u.revision });
                    }}
                    onUnlock={() =>
                      void act(async () => {
                        await backend.unlockUser(u.login);
                        setDone(t('users.unlocked', { login: u.login }));
                      })
                    }
                    onReset={() =>
                      void act(async () => {
                        setAsking(null);
                        setIssued(await backend.resetPassword(u.login));
                      })
                    }
                  />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <StaffCsvPanel onImported={() => void load()} />
    </section>
  );
}

/** One account in the table, with its actions (a password reset asks first). */
function UserRow({
  user: u,
  groupNames,
  today,
  asking,
  onAsk,
  onEdit,
  onUnlock,
  onReset,
}: {
  user: UserView;
  groupNames: string;
  today: string;
  asking: boolean;
  onAsk: (ask: boolean) => void;
  onEdit: () => void;
  onUnlock: () => void;
  onReset: () => void;
}) {
  return (
    <tr data-testid={`user-${u.login}`}>
      <th scope="row">
        <code>{u.login}</code>
      </th>
      <td>{u.display_name}</td>
      <td>{groupNames}</td>
      <td>{u.valid_until ? formatWareki(u.valid_until) : t('users.noLimit')}</td>
      <td>
        {userStates(u, today).map((s) => (
          <span key={s} className={s === 'users.state.active' ? 'badge' : 'badge badge-warning'}>
            {t(s)}
          </span>
        ))}
      </td>
      <td className="row-actions">
        <button type="button" className="button button-secondary" onClick={onEdit} data-testid={`user-edit-${u.login}`}>
          {t('users.edit')}
        </button>
        {u.locked && (
          <button type="button" className="button button-secondary" onClick={onUnlock}>
            {t('users.unlock')}
          </button>
        )}
        {asking ? (
          <span role="group" aria-label={t('users.reset')}>
            <span>{t('users.resetConfirm', { login: u.login })}</span>
            <button type="button" className="button button-primary" onClick={onReset} data-testid={`user-reset-yes-${u.login}`}>
              {t('users.resetYes')}
            </button>
            <button type="button" className="button button-secondary" onClick={() => onAsk(false)}>
              {t('users.cancel')}
            </button>
          </span>
        ) : (
          <button type="button" className="button button-secondary" onClick={() => onAsk(true)} data-testid={`user-reset-${u.login}`}>
            {t('users.reset')}
          </button>
        )}
      </td>
    </tr>
  );
}
