import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { GroupView, UserView } from '../../../api/types';
import { BackendError } from '../../../backend/Backend';
import { FakeBackend } from '../../../test/FakeBackend';
import { renderWithBackend } from '../../../test/render';
import { UsersPage, matches, userStates } from './UsersPage';

const GROUPS: GroupView[] = [
  { code: 'shimin', name: '市民課 窓口担当', permissions: ['search'], members: 1, revision: 'g1' },
  { code: 'kanri', name: 'システム管理', permissions: ['admin'], members: 1, revision: 'g2' },
];

function user(overrides: Partial<UserView> = {}): UserView {
  return {
    login: 'tanaka',
    display_name: '田中 一郎',
    groups: ['shimin'],
    locked: false,
    disabled: false,
    failed_logins: 0,
    valid_until: null,
    must_change_password: false,
    revision: 4,
    ...overrides,
  };
}

function backend(users: UserView[], more = {}) {
  return new FakeBackend({
    users: () => Promise.resolve(users),
    groups: () => Promise.resolve(GROUPS),
    ...more,
  });
}

describe('UsersPage', () => {
  it('names what state each account is in', () => {
    expect(userStates(user(), '2026-12-07')).toEqual(['users.state.active']);
    const all = user({ disabled: true, locked: true, valid_until: '2026-12-06', must_change_password: true });
    expect(userStates(all, '2026-12-07')).toEqual([
      'users.state.disabled',
      'users.state.locked',
      'users.state.expired',
      'users.state.mustChange',
    ]);
    expect(userStates(user({ valid_until: '2026-12-07' }), '2026-12-07')).toEqual(['users.state.active']);
  });

  it('searches by ユーザーID, 氏名 and group name', () => {
    expect(matches(user(), 'TANAKA', GROUPS)).toBe(true);
    expect(matches(user(), '一郎', GROUPS)).toBe(true);
    expect(matches(user(), '窓口担当', GROUPS)).toBe(true);
    expect(matches(user(), '鈴木', GROUPS)).toBe(false);
  });

  it('registers an account and shows its temporary password once', async () => {
    const b = backend([user()], {
      createUser: () => Promise.resolve({ login: 'hanako', temporary_password: 'abcd-efgh-jkmn-pqrs' }),
    });
    renderWithBackend(<UsersPage />, b);
    fireEvent.click(await screen.findByTestId('user-new'));
    fireEvent.change(screen.getByLabelText('ユーザーID'), { target: { value: ' hanako ' } });
    fireEvent.change(screen.getByLabelText('氏名'), { target: { value: '山田 花子' } });
    fireEvent.click(screen.getByTestId('user-group-shimin'));
    fireEvent.click(screen.getByTestId('user-save'));
    expect((await screen.findByTestId('temporary-password-value')).textContent).toBe('abcd-efgh-jkmn-pqrs');
    expect(b.callsOf('createUser')).toEqual([
      [{ login: 'hanako', display_name: '山田 花子', groups: ['shimin'], valid_until: null }],
    ]);
    fireEvent.click(screen.getByTestId('temporary-password-close'));
    expect(screen.queryByTestId('temporary-password')).toBeNull();
  });

  it('edits on the revision read and shows a refusal in Japanese', async () => {
    const stale = new BackendError('conflict', {
      status: 409,
      code: 'stale_revision',
      message: 'ほかの管理者がこの内容を先に変更しました。',
    });
    const b = backend([user()], { editUser: () => Promise.reject(stale) });
    renderWithBackend(<UsersPage />, b);
    fireEvent.click(await screen.findByTestId('user-edit-tanaka'));
    fireEvent.click(screen.getByTestId('user-disabled'));
    fireEvent.click(screen.getByTestId('user-save'));
    expect((await screen.findByTestId('user-form-error')).textContent).toContain('先に変更しました');
    expect(b.callsOf('editUser')).toEqual([
      ['tanaka', { login: 'tanaka', display_name: '田中 一郎', groups: ['shimin'], valid_until: null, disabled: true, revision: 4 }],
    ]);
  });

  it('asks before a password reset and unlocks a locked account', async () => {
    const b = backend([user({ locked: true })], {
      resetPassword: () => Promise.resolve({ login: 'tanaka', temporary_password: 'wxyz-2345-6789-abcd' }),
      unlockUser: () => Promise.resolve(),
    });
    renderWithBackend(<UsersPage />, b);
    const row = await screen.findByTestId('user-tanaka');
    expect(within(row).getByText('ロック中')).toBeTruthy();
    fireEvent.click(within(row).getByText('ロック解除'));
    await waitFor(() => expect(b.callsOf('unlockUser')).toEqual([['tanaka']]));
    fireEvent.click(screen.getByTestId('user-reset-tanaka'));
    expect(b.callsOf('resetPassword')).toEqual([]);
    fireEvent.click(screen.getByTestId('user-reset-yes-tanaka'));
    expect((await screen.findByTestId('temporary-password-value')).textContent).toBe('wxyz-2345-6789-abcd');
  });

  it('shows a refused CSV as a table of problems', async () => {
    const b = backend([user()], {
      importUsers: () =>
        Promise.resolve({
          written: false,
          created: 0,
          updated: 0,
          problems: [{ line: 3, column: 'グループ', reason: 'グループ「x」は登録されていません。' }],
        }),
    });
    renderWithBackend(<UsersPage />, b);
    const file = new File(['ユーザーID,氏名\n'], 'staff.csv', { type: 'text/csv' });
    fireEvent.change(await screen.findByTestId('staff-csv-file'), { target: { files: [file] } });
    fireEvent.change(screen.getByLabelText('文字コード'), { target: { value: 'cp932' } });
    fireEvent.click(screen.getByTestId('staff-csv-upload'));
    const refused = await screen.findByTestId('staff-csv-refused');
    expect(refused.textContent).toContain('何も変更していません');
    expect(within(refused).getAllByRole('row')[1]?.textContent).toBe('3グループグループ「x」は登録されていません。');
    const [[req]] = b.callsOf('importUsers') as [[{ file_base64: string; encoding: string }]];
    expect(req.encoding).toBe('cp932');
    expect(new TextDecoder().decode(Uint8Array.from(atob(req.file_base64), (c) => c.charCodeAt(0)))).toBe('ユーザーID,氏名\n');
  });
});
