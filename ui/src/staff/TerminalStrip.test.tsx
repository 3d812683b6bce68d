import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeBackend } from '../test/FakeBackend';
import { FakeTerminal, kioskInfo, onlineStatus, updateOffer as offer } from '../test/FakeTerminal';
import { renderWithBackend } from '../test/render';
import { TerminalStrip } from './TerminalStrip';

function strip(status = onlineStatus) {
  const terminal = new FakeTerminal({}, { ...kioskInfo, role: 'staff', counter: 'shimin' }, status);
  renderWithBackend(<TerminalStrip />, new FakeBackend({}, { terminal }));
  return terminal;
}

describe('TerminalStrip', () => {
  it('tells staff about a newer signed version with its 和暦 date, the notes on hover and when opened', async () => {
    strip({ ...onlineStatus, update: offer });
    const summary = await screen.findByTestId('update-offer-summary');
    expect(summary.textContent).toBe('新しいバージョン 0.2.0 があります（令和8年11月23日公開）');
    expect(summary.getAttribute('title')).toBe(offer.notes);
    const details = screen.getByTestId('update-offer') as HTMLDetailsElement;
    expect(details.open).toBe(false);
    fireEvent.click(summary);
    expect(details.open).toBe(true);
    expect(screen.getByTestId('update-notes').textContent).toBe(offer.notes);
    expect(details.textContent).toContain('システム担当者');
    expect(details.textContent).toContain(offer.url);
    expect(screen.queryByTestId('update-refused')).toBeNull();
  });

  it('shows nothing about updates until one is offered, and follows the status events', async () => {
    const terminal = strip();
    await screen.findByTestId('online-badge');
    expect(screen.queryByTestId('update-offer')).toBeNull();
    expect(screen.queryByText(/新しいバージョン/)).toBeNull();

    act(() => terminal.emitStatus({ ...onlineStatus, update: offer }));
    expect(screen.getByTestId('update-offer-summary').textContent).toContain('0.2.0');

    // The server's file was tampered with: the runtime withdrew the offer and says why.
    act(() =>
      terminal.emitStatus({
        ...onlineStatus,
        update: null,
        update_refused: 'サーバーの更新情報の署名を確認できないため、更新を拒否しました（改ざんのおそれがあります）。',
      }),
    );
    expect(screen.queryByTestId('update-offer')).toBeNull();
    expect(screen.getByTestId('update-refused').textContent).toBe(
      '更新の確認: サーバーの更新情報の署名を確認できないため、更新を拒否しました（改ざんのおそれがあります）。',
    );
  });
});
