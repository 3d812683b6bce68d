import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ResolvedQr } from '../api/types';
import { BackendContext, BackendError } from '../backend';
import { FakeBackend } from '../test/FakeBackend';
import { FakeTerminal, kioskInfo } from '../test/FakeTerminal';
import { demoUser } from '../test/fixtures';
import { renderWithBackend } from '../test/render';
import { QrScanner } from './qrScan';
import { StaffApp } from './StaffApp';

const PART_1 = 'MDG1.1.2.abcdef.AAAA';
const PART_2 = 'MDG1.2.2.abcdef.BBBB';
const INCOMPLETE = 'QRコードは2枚に分かれています（1枚読み取り済み）。残りも読み取ってください。';

/** The server's `/qr/resolve`: the two parts open case-0042; a part alone asks for the other. */
function resolveQr(symbols: string[]): Promise<ResolvedQr> {
  if (symbols.some((s) => !s.startsWith('MDG1.'))) {
    return Promise.reject(
      new BackendError('validation', { status: 422, code: 'qr_not_ours', message: 'この窓口のQRコードではありません。' }),
    );
  }
  if (symbols.length < 2) {
    return Promise.reject(new BackendError('validation', { status: 422, code: 'qr_incomplete', message: INCOMPLETE }));
  }
  return Promise.resolve({ kind: 'case', case_id: 'case-0042', body: null });
}

function staffDesktop() {
  const terminal = new FakeTerminal({}, { ...kioskInfo, role: 'staff', counter: 'shimin' });
  const backend = new FakeBackend({ resolveQr }, { terminal });
  const view = renderWithBackend(<StaffApp user={demoUser} path="/staff" onLogout={() => undefined} />, backend);
  return { terminal, backend, view };
}

beforeEach(() => {
  window.location.hash = '#/staff';
});

describe('serial QR scanner (desktop app)', () => {
  it('opens the case of a scanned 手続き案内書, asking for the missing part first', async () => {
    const { terminal, backend } = staffDesktop();
    await screen.findByTestId('visit-search-input');
    expect(terminal.qrListenerCount).toBe(1);

    act(() => terminal.emitQrScanned(`${PART_1}\r\n`));
    const notice = await screen.findByTestId('qr-scan-notice');
    expect(notice.textContent).toContain(INCOMPLETE);
    expect(notice.getAttribute('role')).toBe('status');
    expect(window.location.hash).toBe('#/staff');

    act(() => terminal.emitQrScanned(PART_2));
    await waitFor(() => expect(window.location.hash).toBe('#/staff/case/case-0042'));
    expect(backend.callsOf('resolveQr')).toEqual([[[PART_1]], [[PART_1, PART_2]]]);
    expect(screen.queryByTestId('qr-scan-notice')).toBeNull();
    // Nothing was typed into the search: no resident search.
    expect(backend.callsOf('searchResidents')).toHaveLength(0);
  });

  it('takes the same path as the keyboard-wedge scan: parts read either way add up', async () => {
    const { terminal, backend } = staffDesktop();
    const input = await screen.findByTestId('visit-search-input');
    fireEvent.change(input, { target: { value: PART_1 } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(await screen.findByText(INCOMPLETE)).toBeTruthy();

    act(() => terminal.emitQrScanned(PART_2));
    await waitFor(() => expect(window.location.hash).toBe('#/staff/case/case-0042'));
    expect(backend.callsOf('resolveQr').at(-1)).toEqual([[PART_1, PART_2]]);
  });

  it('says why a code was not opened, until dismissed; blank lines are ignored', async () => {
    const { terminal, backend } = staffDesktop();
    await screen.findByTestId('visit-search-input');
    act(() => terminal.emitQrScanned('  \r\n'));
    act(() => terminal.emitQrScanned('https://example.jp/'));
    const notice = await screen.findByTestId('qr-scan-notice');
    expect(notice.textContent).toContain('この窓口のQRコードではありません。');
    expect(notice.getAttribute('role')).toBe('alert');
    expect(backend.callsOf('resolveQr')).toEqual([[['https://example.jp/']]]);
    fireEvent.click(screen.getByTestId('qr-scan-dismiss'));
    expect(screen.queryByTestId('qr-scan-notice')).toBeNull();
  });

  it('leaves the scans on 証明書の確認 to that page, which checks them as certificates', async () => {
    window.location.hash = '#/staff/verify';
    const terminal = new FakeTerminal({}, { ...kioskInfo, role: 'staff', counter: 'shimin' });
    const backend = new FakeBackend(
      {
        resolveQr,
        verifyCertificate: () =>
          Promise.resolve({ state: 'not_ours', message: '本市が発行した証明書のQRコードではありません。', certificate: null }),
      },
      { terminal },
    );
    const user = { ...demoUser, permissions: [...demoUser.permissions, 'issue_certificates'] };
    renderWithBackend(<StaffApp user={user} path="/staff/verify" onLogout={() => undefined} />, backend);
    await screen.findByTestId('verify-page');
    act(() => terminal.emitQrScanned('https://example.jp/\r\n'));
    expect((await screen.findByTestId('verify-state')).textContent).toBe('本市発行のQRではない');
    expect(backend.callsOf('resolveQr')).toHaveLength(0);
    expect(screen.queryByTestId('qr-scan-notice')).toBeNull();
    expect(screen.getByTestId('nav-verify').getAttribute('href')).toBe('#/staff/verify');
  });

  it('a certificate’s code scanned on another screen opens 証明書の確認, which checks it', async () => {
    const CERT = 'MDG1.1.1.abcdef.CCCC';
    const terminal = new FakeTerminal({}, { ...kioskInfo, role: 'staff', counter: 'shimin' });
    const backend = new FakeBackend(
      {
        resolveQr: () => Promise.resolve({ kind: 'certificate', case_id: null, body: null }),
        verifyCertificate: () =>
          Promise.resolve({ state: 'not_ours', message: '本市が発行した証明書のQRコードではありません。', certificate: null }),
      },
      { terminal },
    );
    const view = renderWithBackend(<StaffApp user={demoUser} path="/staff" onLogout={() => undefined} />, backend);
    await screen.findByTestId('visit-search-input');
    act(() => terminal.emitQrScanned(CERT));
    await waitFor(() => expect(window.location.hash).toBe('#/staff/verify'));
    view.rerender(
      <BackendContext.Provider value={backend}>
        <StaffApp user={demoUser} path="/staff/verify" onLogout={() => undefined} />
      </BackendContext.Provider>,
    );
    expect((await screen.findByTestId('verify-state')).textContent).toBe('本市発行のQRではない');
    expect(backend.callsOf('verifyCertificate')).toEqual([[[CERT]]]);
  });

  it('stops listening when the staff screens are left (logout)', async () => {
    const { terminal, view } = staffDesktop();
    await screen.findByTestId('visit-search-input');
    expect(terminal.qrListenerCount).toBe(1);
    view.unmount();
    expect(terminal.qrListenerCount).toBe(0);
  });
});

describe('QrScanner', () => {
  it('resolves scans one after another, in the order they were read', async () => {
    const opened: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const sent: string[][] = [];
    const backend = new FakeBackend({
      resolveQr: async (symbols) => {
        sent.push(symbols);
        if (sent.length === 1) await gate; // the first answer is slow
        return resolveQr(symbols);
      },
    });
    const scanner = new QrScanner(backend, (id) => opened.push(id));
    const first = scanner.scan(PART_1);
    const second = scanner.scan(PART_2);
    await Promise.resolve();
    expect(sent).toEqual([[PART_1]]); // the second waits for the first
    release();
    expect(await first).toEqual({ kind: 'failed', message: INCOMPLETE, incomplete: true });
    expect(await second).toMatchObject({ kind: 'resolved', resolved: { case_id: 'case-0042' } });
    expect(sent).toEqual([[PART_1], [PART_1, PART_2]]);
    expect(opened).toEqual(['case-0042']);
    expect(scanner.pending).toEqual([]);
  });

  it('forgets the parts read so far when a code is refused', async () => {
    const scanner = new QrScanner(new FakeBackend({ resolveQr }), () => undefined);
    await scanner.scan(PART_1);
    expect(scanner.pending).toEqual([PART_1]);
    await scanner.scan('not ours');
    expect(scanner.pending).toEqual([]);
  });
});

describe('a scanned 事前申請', () => {
  it('is handed over to 事前申請の読み取り', async () => {
    const bodies: string[] = [];
    const body = JSON.stringify({ tenant: 't1', issued: '2026-12-01', entries: { event: '転入', members: [] } });
    const backend = new FakeBackend({
      resolveQr: () => Promise.resolve({ kind: 'pre_application', case_id: null, body }),
    });
    const scanner = new QrScanner(
      backend,
      () => undefined,
      () => undefined,
      (b) => bodies.push(b),
    );
    expect(await scanner.scan('MDG1.1.1.abcdef.AAAA')).toMatchObject({ kind: 'resolved' });
    expect(bodies).toEqual([body]);
  });
});
