import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PublicMaintenanceView } from '../api/types';
import { setLocale } from '../i18n';
import { FakeBackend } from '../test/FakeBackend';
import { FakeTerminal, kioskInfo, onlineStatus } from '../test/FakeTerminal';
import { renderWithBackend } from '../test/render';
import { KioskApp } from './KioskApp';

// The kiosk's start screen shows the city's maintenance notice (planned stop) in the resident's
// language: the admin's Japanese text, and its English text once English is chosen.

const notice: PublicMaintenanceView = {
  text_ja: '12月20日はシステム更新のため受付を停止します。',
  text_en: 'The kiosk is stopped on December 20 for a system update.',
  window_start: '2026-12-20T00:00:00Z', // 09:00 in Japan
  window_end: '2026-12-20T03:00:00Z', // 12:00 in Japan
  active: false,
};

function setup(list: PublicMaintenanceView[]) {
  const terminal = new FakeTerminal({}, { ...kioskInfo, languages: ['ja', 'en'] }, onlineStatus);
  const backend = new FakeBackend({ maintenanceStatus: () => Promise.resolve(list) }, { terminal });
  renderWithBackend(<KioskApp info={{ ...terminal.infoValue }} />, backend);
  return backend;
}

afterEach(() => {
  vi.restoreAllMocks();
  setLocale('ja');
});

describe('the kiosk start screen', () => {
  it('shows the maintenance notice in Japanese, then in English', async () => {
    const backend = setup([notice]);
    const shown = await screen.findByTestId('maintenance-notice');
    expect(shown.textContent).toContain('システム停止のお知らせ');
    expect(shown.textContent).toContain(notice.text_ja);
    expect(shown.textContent).toContain('12/20 09:00 〜 12/20 12:00');
    expect(backend.callsOf('maintenanceStatus')).toContainEqual(['demo']);

    fireEvent.click(screen.getByTestId('lang-en'));
    await waitFor(() => expect(screen.getByTestId('maintenance-notice').textContent).toContain('Planned system maintenance'));
    const english = screen.getByTestId('maintenance-notice');
    expect(english.textContent).toContain(notice.text_en!);
    expect(english.textContent).not.toContain(notice.text_ja);
    expect(english.textContent).toContain('The system stops from Dec 20, 09:00 to Dec 20, 12:00.');
  });

  it('shows the Japanese text in English when the admin wrote no English, and nothing without a notice', async () => {
    setup([{ ...notice, text_en: null, active: true }]);
    fireEvent.click(await screen.findByTestId('lang-en'));
    await waitFor(() => expect(screen.getByTestId('maintenance-notice').textContent).toContain(notice.text_ja));
    expect(screen.getByTestId('maintenance-notice').textContent).toContain('The system is stopped for maintenance now.');
  });

  it('shows no notice when none is announced', async () => {
    setup([]);
    await screen.findByTestId('kiosk-start');
    expect(screen.queryByTestId('maintenance-notice')).toBeNull();
  });
});
