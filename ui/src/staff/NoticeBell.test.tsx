import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { MyNoticeView } from '../api/types';
import { BackendError } from '../backend';
import { FakeBackend } from '../test/FakeBackend';
import { renderWithBackend } from '../test/render';
import { NoticeBell } from './NoticeBell';

const notice = (id: string, text: string, read = false, kind = 'notice'): MyNoticeView => ({
  id,
  kind,
  text_ja: text,
  text_en: null,
  starts_at: '2026-12-07T00:00:00Z',
  ends_at: '2026-12-08T00:00:00Z',
  window_start: kind === 'maintenance' ? '2026-12-20T00:00:00Z' : null,
  window_end: kind === 'maintenance' ? '2026-12-20T03:00:00Z' : null,
  read,
});

describe('the notices bell', () => {
  it('opens at login with the unread notices, counts them and marks one read', async () => {
    const backend = new FakeBackend({
      myNotices: () =>
        Promise.resolve([
          notice('n1', '本日15時から朝礼を行います。'),
          notice('n2', '12月20日はシステムを停止します。', false, 'maintenance'),
          notice('n3', '読んだお知らせ', true),
        ]),
    });
    renderWithBackend(<NoticeBell />, backend);
    const panel = await screen.findByTestId('notice-panel');
    expect(panel.textContent).toContain('本日15時から朝礼を行います。');
    expect(panel.textContent).toContain('保守');
    expect(panel.textContent).toContain('停止する日時：12/20 09:00 〜 12/20 12:00');
    expect(screen.getByTestId('notice-count').textContent).toBe('2');

    fireEvent.click(screen.getAllByTestId('notice-mark-read')[0]!);
    await waitFor(() => expect(screen.getByTestId('notice-count').textContent).toBe('1'));
    expect(backend.callsOf('markNoticeRead')).toEqual([['n1']]);
  });

  it('stays closed without unread notices, and opens on a click', async () => {
    const backend = new FakeBackend({ myNotices: () => Promise.resolve([notice('n3', '読んだお知らせ', true)]) });
    renderWithBackend(<NoticeBell />, backend);
    await waitFor(() => expect(backend.callsOf('myNotices').length).toBe(1));
    expect(screen.queryByTestId('notice-panel')).toBeNull();
    expect(screen.queryByTestId('notice-count')).toBeNull();
    fireEvent.click(screen.getByTestId('notice-bell'));
    expect(screen.getByTestId('notice-panel').textContent).toContain('既読');
  });

  it('shows the server message when marking read fails', async () => {
    const backend = new FakeBackend({
      myNotices: () => Promise.resolve([notice('n1', '未読')]),
      markNoticeRead: () => Promise.reject(new BackendError('not_found', { status: 404, message: 'お知らせが見つかりません。' })),
    });
    renderWithBackend(<NoticeBell />, backend);
    fireEvent.click(await screen.findByTestId('notice-mark-read'));
    expect((await screen.findByRole('alert')).textContent).toContain('お知らせが見つかりません。');
    expect(screen.getByTestId('notice-count').textContent).toBe('1');
  });
});
