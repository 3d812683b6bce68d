import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { CounterCertificatesView, PutCounterCertificates } from '../../api/types';
import { BackendError } from '../../backend';
import { FakeBackend } from '../../test/FakeBackend';
import { renderWithBackend } from '../../test/render';
import { CounterCertificatesForm } from './CounterCertificatesForm';

const items = [
  { code: 'JUMINHYO', name: '住民票の写し', yen: 300 },
  { code: 'INKAN-SHOMEI', name: '印鑑登録証明書', yen: 300 },
  { code: 'SHOTOKU-SHOMEI', name: '所得・課税証明書', yen: 300 },
];
const every = items.map((i) => i.code);
const view: CounterCertificatesView = {
  items,
  counters: [
    { code: 'shimin-1', name: '市民課 1番窓口', restricted: false, items: every },
    { code: 'shisho-1', name: 'さくら野支所 窓口', restricted: false, items: every },
  ],
};

/** The server's answer to a save: every item ticked is unrestricted. */
function answer(req: PutCounterCertificates): CounterCertificatesView {
  return {
    items,
    counters: view.counters.map((c) => {
      const chosen = req.counters.find((r) => r.code === c.code)?.items ?? every;
      return { ...c, restricted: chosen.length < every.length, items: chosen };
    }),
  };
}

describe('窓口ごとに発行する証明書', () => {
  it('restricts a 支所 counter to the 住民票 and the 印鑑登録証明書, one checkbox per counter and certificate', async () => {
    const backend = new FakeBackend({
      counterCertificates: () => Promise.resolve(view),
      saveCounterCertificates: (req) => Promise.resolve(answer(req)),
    });
    renderWithBackend(<CounterCertificatesForm />, backend);
    const box = await screen.findByRole('checkbox', { name: 'さくら野支所 窓口で所得・課税証明書を発行する' });
    expect((box as HTMLInputElement).checked).toBe(true);
    expect(screen.getByTestId('counter-certs-summary-shisho-1').textContent).toBe('すべて');
    fireEvent.click(box);
    expect(screen.getByTestId('counter-certs-summary-shisho-1').textContent).toBe('2種類');
    fireEvent.click(screen.getByTestId('counter-certs-save'));
    expect((await screen.findByTestId('counter-certs-done')).textContent).toBe('窓口ごとに発行する証明書を保存しました。');
    const [[req]] = backend.callsOf('saveCounterCertificates') as [[PutCounterCertificates]];
    expect(req.counters).toEqual([
      { code: 'shimin-1', items: every },
      { code: 'shisho-1', items: ['JUMINHYO', 'INKAN-SHOMEI'] },
    ]);
    // Ticked again, it goes back to its place in the fee table's order.
    fireEvent.click(screen.getByTestId('counter-certs-shisho-1-JUMINHYO'));
    fireEvent.click(screen.getByTestId('counter-certs-shisho-1-JUMINHYO'));
    fireEvent.click(screen.getByTestId('counter-certs-save'));
    await waitFor(() => expect(backend.callsOf('saveCounterCertificates')).toHaveLength(2));
    const [, [again]] = backend.callsOf('saveCounterCertificates') as [[PutCounterCertificates], [PutCounterCertificates]];
    expect(again.counters[1]?.items).toEqual(['JUMINHYO', 'INKAN-SHOMEI']);
    // A counter with nothing ticked issues nothing.
    for (const code of ['JUMINHYO', 'INKAN-SHOMEI']) fireEvent.click(screen.getByTestId(`counter-certs-shimin-1-${code}`));
    fireEvent.click(screen.getByTestId('counter-certs-shimin-1-SHOTOKU-SHOMEI'));
    expect(screen.getByTestId('counter-certs-summary-shimin-1').textContent).toBe('発行しない');
  });

  it("shows the server's refusal", async () => {
    const backend = new FakeBackend({
      counterCertificates: () => Promise.resolve(view),
      saveCounterCertificates: () =>
        Promise.reject(new BackendError('validation', { status: 422, message: '登録されていない窓口です: shisho-1' })),
    });
    renderWithBackend(<CounterCertificatesForm />, backend);
    fireEvent.click(await screen.findByTestId('counter-certs-save'));
    expect((await screen.findByTestId('counter-certs-problem')).textContent).toContain('登録されていない窓口');
  });
});
