import { fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendError } from '../backend';
import { FakeBackend } from '../test/FakeBackend';
import { renderWithBackend } from '../test/render';
import { StatusPage, tenantOfHash } from './StatusPage';

afterEach(() => {
  window.location.hash = '';
});

describe('the public status page', () => {
  it("reads the tenant's maintenance notices and shows them in Japanese or English", async () => {
    window.location.hash = '#/status?tenant=sakurano';
    const backend = new FakeBackend({
      maintenanceStatus: () =>
        Promise.resolve([
          {
            text_ja: 'ただいまシステム更新中です。',
            text_en: 'The system is being updated.',
            window_start: '2026-12-20T00:00:00Z',
            window_end: '2026-12-20T03:00:00Z',
            active: true,
          },
        ]),
    });
    renderWithBackend(<StatusPage />, backend);
    const notice = await screen.findByTestId('maintenance-notice');
    expect(notice.textContent).toContain('ただいまシステム更新中です。');
    expect(notice.textContent).toContain('ただいまシステムを停止しています。');
    expect(backend.callsOf('maintenanceStatus')).toEqual([['sakurano']]);
    fireEvent.click(screen.getByTestId('status-en'));
    expect(screen.getByTestId('maintenance-notice').textContent).toContain('The system is being updated.');
    expect(screen.getByTestId('status-page').textContent).toContain('System status');
  });

  it('says when nothing is planned, and when the server did not answer', async () => {
    renderWithBackend(<StatusPage />, new FakeBackend({ maintenanceStatus: () => Promise.resolve([]) }));
    expect((await screen.findByTestId('status-none')).textContent).toContain('予定されているシステムの停止はありません。');
  });

  it('says when the status could not be read', async () => {
    const failing = new FakeBackend({ maintenanceStatus: () => Promise.reject(new BackendError('network')) });
    renderWithBackend(<StatusPage />, failing);
    expect((await screen.findByRole('alert')).textContent).toContain('稼働状況を読み込めませんでした。');
  });

  it('takes the tenant from the address, the demo city without one', () => {
    expect(tenantOfHash('#/status?tenant=%E3%81%95')).toBe('さ');
    expect(tenantOfHash('#/status')).toBe('demo');
  });
});
