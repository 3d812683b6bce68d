import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { LinkageStatus } from '../../api/types';
import { BackendError } from '../../backend/Backend';
import { FakeBackend } from '../../test/FakeBackend';
import { renderWithBackend } from '../../test/render';
import { LinkagePage, mayApproveLinkage, mayViewLinkage } from './LinkagePage';

const file = {
  sequence: 1,
  mode: 'full',
  rows: 4,
  inserted: 4,
  updated: 0,
  unchanged: 0,
  removed: 0,
  problems: 0,
  message: null,
  finished_at: '2026-11-23T00:05:00Z',
};

function status(enabled = true): LinkageStatus {
  return {
    enabled,
    interval_seconds: enabled ? 60 : null,
    last_poll_at: enabled ? '2026-11-23T00:06:00Z' : null,
    outbound_error: null,
    feeds: [
      {
        feed: '001o006',
        label: '住民情報',
        last_applied: { ...file, name: 'full_000001.csv', outcome: 'applied' },
        last_rejected: {
          ...file,
          name: 'delta_000002.csv',
          sequence: 2,
          outcome: 'rejected',
          problems: 2,
          message: '3行目 生年月日: 日付が正しくありません。（ほか 1 件）',
        },
        waiting: [{ name: 'delta_000004.csv', reason: '連番 2 のファイルを待っています。', hold: null }],
        error: null,
        recent: [],
      },
    ],
    outbound: [
      {
        kind: 'kari_ido',
        label: '住民異動届（仮更新）',
        batch_no: 1,
        file_name: 'kari_ido_20261123T000600000Z_0a1b2c3d.csv',
        records: 2,
        cases: 1,
        created_at: '2026-11-23T00:06:00Z',
        delivered_at: null,
      },
    ],
  };
}

describe('連携状況', () => {
  it('is for admins and importers only', () => {
    expect(mayViewLinkage(['admin'])).toBe(true);
    expect(mayViewLinkage(['import_data', 'search'])).toBe(true);
    expect(mayViewLinkage(['search', 'accept_notification'])).toBe(false);
    expect(mayApproveLinkage(['admin'])).toBe(true);
    expect(mayApproveLinkage(['import_data'])).toBe(false);
  });

  it('shows each feed, its errors and waiting files, and the outbound files in 和暦', async () => {
    const backend = new FakeBackend({ linkageStatus: () => Promise.resolve(status()) });
    renderWithBackend(<LinkagePage permissions={['admin']} />, backend);
    expect(await screen.findByText(/60秒ごとに/)).toBeTruthy();
    expect(screen.getByTestId('linkage-summary').textContent).toContain('令和8年11月23日 9時06分');
    const feed = screen.getByTestId('linkage-feed-001o006');
    expect(feed.textContent).toContain('full_000001.csv');
    expect(screen.getByTestId('linkage-last-rejected').textContent).toContain('3行目 生年月日');
    expect(screen.getByTestId('linkage-waiting').textContent).toContain('連番 2 のファイルを待っています');
    expect(screen.getByTestId('linkage-outbound').textContent).toContain('未書き込み');
  });

  it('writes the outbound files on demand and shows the new state', async () => {
    let loads = 0;
    const backend = new FakeBackend({
      linkageStatus: () => {
        loads += 1;
        return Promise.resolve(status());
      },
      exportLinkage: () => Promise.resolve({ batches: [status().outbound[0]!] }),
    });
    renderWithBackend(<LinkagePage permissions={['admin']} />, backend);
    fireEvent.click(await screen.findByTestId('linkage-export'));
    expect(await screen.findByText('出力ファイルを1件作成しました。')).toBeTruthy();
    await waitFor(() => expect(loads).toBe(2));
  });

  it('says when linkage is off and offers no export', async () => {
    const backend = new FakeBackend({ linkageStatus: () => Promise.resolve(status(false)) });
    renderWithBackend(<LinkagePage permissions={['admin']} />, backend);
    expect(await screen.findByText('このテナントの基幹系連携は設定されていません。')).toBeTruthy();
    expect((screen.getByTestId('linkage-export') as HTMLButtonElement).disabled).toBe(true);
  });

  describe('a full file that would remove too much (Security II point 17)', () => {
    const reason =
      '全件ファイルで現在の住民 12,345 人のうち 9.8 %（1,210 人）が削除されるため、管理者の確認を待っています（上限 5 %）。';
    function held(): LinkageStatus {
      const s = status();
      s.feeds[0]!.waiting = [
        {
          name: 'full_000005.csv',
          reason,
          hold: { sha256: 'ab'.repeat(32), current: 12345, removed: 1210, limit_percent: 5 },
        },
        { name: 'delta_000006.csv', reason: '連番 5 の全件ファイルが管理者の確認を待っています。', hold: null },
      ];
      return s;
    }

    it('shows the reason, and an admin approves after the confirmation dialog; the status reloads', async () => {
      let loads = 0;
      const backend = new FakeBackend({
        linkageStatus: () => {
          loads += 1;
          return Promise.resolve(loads === 1 ? held() : status());
        },
        confirmLinkage: (req) =>
          Promise.resolve({ feed: req.feed, file: req.file, sha256: req.sha256 ?? '', current: 12345, removed: 1210 }),
      });
      renderWithBackend(<LinkagePage permissions={['admin']} />, backend);
      const line = await screen.findByTestId('linkage-held');
      expect(line.textContent).toContain(reason);
      expect(screen.getAllByTestId('linkage-approve')).toHaveLength(1);

      // Asked first; "やめる" changes nothing.
      fireEvent.click(screen.getByTestId('linkage-approve'));
      const dialog = screen.getByRole('alertdialog');
      expect(dialog.textContent).toContain('この全件ファイルを適用すると 1,210 件が削除されます。適用しますか？');
      expect(dialog.textContent).toContain('full_000005.csv');
      fireEvent.click(screen.getByTestId('linkage-approve-no'));
      expect(screen.queryByRole('alertdialog')).toBeNull();
      expect(backend.callsOf('confirmLinkage')).toHaveLength(0);

      fireEvent.click(screen.getByTestId('linkage-approve'));
      fireEvent.click(screen.getByTestId('linkage-approve-yes'));
      expect(await screen.findByText('full_000005.csv の適用を承認しました。次回の確認で適用されます。')).toBeTruthy();
      expect(backend.callsOf('confirmLinkage')).toEqual([
        [{ feed: '001o006', file: 'full_000005.csv', sha256: 'ab'.repeat(32) }],
      ]);
      await waitFor(() => expect(loads).toBe(2));
      expect(screen.queryByRole('alertdialog')).toBeNull();
      await waitFor(() => expect(screen.queryByTestId('linkage-held')).toBeNull());
    });

    it('shows the server refusal and offers no approval to non-admins', async () => {
      const backend = new FakeBackend({
        linkageStatus: () => Promise.resolve(held()),
        confirmLinkage: () =>
          Promise.reject(
            new BackendError('conflict', {
              status: 409,
              code: 'file_changed',
              message: 'ファイルが差し替えられています。最新の状況を表示して確認し直してください。',
            }),
          ),
      });
      const view = renderWithBackend(<LinkagePage permissions={['admin']} />, backend);
      fireEvent.click(await screen.findByTestId('linkage-approve'));
      fireEvent.click(screen.getByTestId('linkage-approve-yes'));
      expect(await screen.findByText(/ファイルが差し替えられています/)).toBeTruthy();
      view.unmount();

      renderWithBackend(<LinkagePage permissions={['import_data']} />, backend);
      const line = await screen.findByTestId('linkage-held');
      expect(line.textContent).toContain('管理者が承認すると適用されます。');
      expect(screen.queryByTestId('linkage-approve')).toBeNull();
    });
  });
});
