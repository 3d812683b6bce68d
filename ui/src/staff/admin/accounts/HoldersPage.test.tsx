import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { PermissionView } from '../../../api/types';
import { BackendError } from '../../../backend/Backend';
import { FakeBackend } from '../../../test/FakeBackend';
import { renderWithBackend } from '../../../test/render';
import { CountersPage, GroupsPage } from './HoldersPage';

const PERMISSIONS: PermissionView[] = [
  { code: 'search', label: '住民検索・照会', description: '宛名検索と、住民・世帯の基本情報の照会ができます。' },
  { code: 'admin', label: 'システム管理', description: '職員アカウント・グループ・窓口・端末・各種設定を管理できます。' },
];

describe('GroupsPage and CountersPage', () => {
  it('lists groups with their permissions in Japanese and adds one with checkboxes', async () => {
    const b = new FakeBackend({
      groups: () => Promise.resolve([{ code: 'kanri', name: 'システム管理', permissions: ['admin'], members: 2, revision: 'g1' }]),
      permissions: () => Promise.resolve(PERMISSIONS),
      putGroup: () => Promise.resolve(),
    });
    renderWithBackend(<GroupsPage />, b);
    const row = await screen.findByTestId('groups-row-kanri');
    expect(row.textContent).toContain('システム管理');
    expect(row.textContent).toContain('2');
    fireEvent.click(screen.getByTestId('groups-new'));
    fireEvent.change(screen.getByLabelText('コード'), { target: { value: 'kokuho' } });
    fireEvent.change(screen.getByLabelText('名称'), { target: { value: '国保年金課' } });
    const search = screen.getByTestId('permission-search');
    // Each checkbox says what it allows.
    expect(document.getElementById(search.getAttribute('aria-describedby') ?? '')?.textContent).toContain('宛名検索');
    fireEvent.click(search);
    fireEvent.click(screen.getByTestId('holder-save'));
    await waitFor(() =>
      expect(b.callsOf('putGroup')).toEqual([['kokuho', { name: '国保年金課', permissions: ['search'], revision: '' }]]),
    );
    expect((await screen.findByTestId('groups-done')).textContent).toContain('国保年金課');
  });

  it('edits a counter with its browser setting and shows the server refusal', async () => {
    const b = new FakeBackend({
      counterSetups: () =>
        Promise.resolve([{ code: 'kanri', name: '管理端末', permissions: ['admin', 'search'], browser_allowed: true, revision: 'c1' }]),
      permissions: () => Promise.resolve(PERMISSIONS),
      putCounter: () =>
        Promise.reject(
          new BackendError('validation', {
            status: 422,
            code: 'last_admin',
            message: 'この変更をすると、システムを管理できる職員がいなくなります。',
          }),
        ),
    });
    renderWithBackend(<CountersPage />, b);
    const row = await screen.findByTestId('counters-row-kanri');
    expect(row.textContent).toContain('可');
    fireEvent.click(within(row).getByText('編集'));
    expect(screen.queryByLabelText('コード')).toBeNull(); // the code of an existing counter stays
    fireEvent.click(screen.getByTestId('permission-admin'));
    fireEvent.click(screen.getByTestId('holder-save'));
    expect((await screen.findByRole('alert')).textContent).toContain('管理できる職員がいなくなります');
    expect(b.callsOf('putCounter')).toEqual([
      ['kanri', { name: '管理端末', permissions: ['search'], browser_allowed: true, revision: 'c1' }],
    ]);
  });
});
