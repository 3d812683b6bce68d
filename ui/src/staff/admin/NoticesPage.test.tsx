import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { NoticeInput, NoticeView } from '../../api/types';
import { BackendError } from '../../backend';
import { FakeBackend } from '../../test/FakeBackend';
import { renderWithBackend } from '../../test/render';
import { draftOf, inputOf } from './NoticeForm';
import { NoticesPage, noticeState } from './NoticesPage';

const hour = 3_600_000;
const iso = (offsetHours: number) => new Date(Date.now() + offsetHours * hour).toISOString();

const shown: NoticeView = {
  id: 'n1',
  kind: 'notice',
  audience: 'group:shimin',
  text_ja: '本日15時から朝礼を行います。',
  text_en: null,
  starts_at: iso(-1),
  ends_at: iso(24),
  window_start: null,
  window_end: null,
  revision: 3,
  updated_by: 'admin',
  updated_at: iso(-1),
};

const audiences = [
  { audience: 'group:shimin', kind: 'group', code: 'shimin', name: '市民課' },
  { audience: 'counter:1', kind: 'counter', code: '1', name: '1番窓口' },
];

function setup(handlers: ConstructorParameters<typeof FakeBackend>[0] = {}) {
  const backend = new FakeBackend({
    notices: () => Promise.resolve([shown]),
    noticeAudiences: () => Promise.resolve(audiences),
    ...handlers,
  });
  renderWithBackend(<NoticesPage permissions={['admin']} />, backend);
  return backend;
}

const change = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });

describe('the notices page', () => {
  it('lists the notices with their audience and state', async () => {
    setup();
    const row = await screen.findByTestId('notice-row');
    expect(row.textContent).toContain('掲示中');
    expect(row.textContent).toContain('グループ：市民課');
    expect(row.textContent).toContain('本日15時から朝礼を行います。');
  });

  it('posts a maintenance notice to everyone with its stop in Japan time', async () => {
    const backend = setup({
      createNotice: (input: NoticeInput) => Promise.resolve({ ...shown, id: 'm1', kind: input.kind, audience: input.audience, text_ja: input.text_ja }),
    });
    fireEvent.click(await screen.findByTestId('notice-new'));
    change('notice-kind', 'maintenance');
    expect((screen.getByTestId('notice-audience') as HTMLSelectElement).disabled).toBe(true);
    change('notice-text-ja', '12月20日9時から12時まで停止します。');
    change('notice-text-en', 'Stopped on Dec 20, 9:00-12:00.');
    change('notice-starts', '2026-12-07T09:00');
    change('notice-ends', '2026-12-20T12:00');
    change('notice-window-start', '2026-12-20T09:00');
    change('notice-window-end', '2026-12-20T12:00');
    fireEvent.click(screen.getByTestId('notice-save'));
    await screen.findByTestId('notices-done');
    expect(backend.callsOf('createNotice')).toEqual([
      [
        {
          kind: 'maintenance',
          audience: 'all',
          text_ja: '12月20日9時から12時まで停止します。',
          text_en: 'Stopped on Dec 20, 9:00-12:00.',
          starts_at: '2026-12-07T09:00:00+09:00',
          ends_at: '2026-12-20T12:00:00+09:00',
          window_start: '2026-12-20T09:00:00+09:00',
          window_end: '2026-12-20T12:00:00+09:00',
        },
      ],
    ]);
  });

  it("shows the server's Japanese refusal of an end before the start, and keeps the form", async () => {
    const message = '掲示の終了日時が開始日時より前（または同じ）です。終了は開始より後にしてください。';
    setup({ createNotice: () => Promise.reject(new BackendError('validation', { status: 400, code: 'invalid_notice', message })) });
    fireEvent.click(await screen.findByTestId('notice-new'));
    change('notice-text-ja', '逆の期間');
    change('notice-starts', '2026-12-08T09:00');
    change('notice-ends', '2026-12-07T09:00');
    fireEvent.click(screen.getByTestId('notice-save'));
    expect((await screen.findByTestId('notice-form-error')).textContent).toBe(message);
    expect(screen.getByTestId('notice-form')).toBeTruthy();
  });

  it('edits on the revision read, and says so when someone saved in between', async () => {
    const message = 'このお知らせは、開いている間に他の管理者が保存しました。一覧を読み込み直してから、もう一度編集してください。';
    const backend = setup({ updateNotice: () => Promise.reject(new BackendError('conflict', { status: 409, message })) });
    fireEvent.click(await screen.findByTestId('notice-edit'));
    expect((screen.getByTestId('notice-audience') as HTMLSelectElement).value).toBe('group:shimin');
    change('notice-text-ja', '変更した本文');
    fireEvent.click(screen.getByTestId('notice-save'));
    expect((await screen.findByTestId('notice-form-error')).textContent).toBe(message);
    const [id, input] = backend.callsOf('updateNotice')[0] as [string, NoticeInput];
    expect([id, input.revision, input.text_ja]).toEqual(['n1', 3, '変更した本文']);
  });

  it('ends a notice shown now: its end becomes now', async () => {
    const backend = setup({ updateNotice: (_id: string, input: NoticeInput) => Promise.resolve({ ...shown, ends_at: input.ends_at }) });
    fireEvent.click(within(await screen.findByTestId('notice-row')).getByTestId('notice-end'));
    await screen.findByTestId('notices-done');
    const [, input] = backend.callsOf('updateNotice')[0] as [string, NoticeInput];
    expect(Math.abs(new Date(input.ends_at).getTime() - Date.now())).toBeLessThan(2 * 60_000);
    expect(input.revision).toBe(3);
  });

  it('is for admins only', async () => {
    renderWithBackend(<NoticesPage permissions={['search']} />, new FakeBackend());
    expect(screen.getByRole('alert').textContent).toContain('管理者だけ');
  });
});

describe('the notice model', () => {
  it('knows scheduled, shown, stopping and ended notices', () => {
    const m = { ...shown, kind: 'maintenance', window_start: iso(-0.5), window_end: iso(1) };
    expect(noticeState(m)).toBe('notices.state.stopping');
    expect(noticeState(shown)).toBe('notices.state.shown');
    expect(noticeState({ ...shown, starts_at: iso(1) })).toBe('notices.state.scheduled');
    expect(noticeState({ ...shown, ends_at: iso(-0.5) })).toBe('notices.state.ended');
  });

  it('round-trips a notice through the form in Japan time', () => {
    const n = { ...shown, starts_at: '2026-12-07T00:00:00Z', ends_at: '2026-12-08T00:00:00Z' };
    const input = inputOf(draftOf(n), n.revision);
    expect(input.starts_at).toBe('2026-12-07T09:00:00+09:00');
    expect(input.ends_at).toBe('2026-12-08T09:00:00+09:00');
    expect(input.audience).toBe('group:shimin');
    expect(input.window_start).toBeNull();
  });
});

