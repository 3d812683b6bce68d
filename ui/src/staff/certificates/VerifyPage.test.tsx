import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { CertificateVerification, IssuedCertificate } from '../../api/types';
import { BackendError } from '../../backend';
import { FakeBackend, type FakeHandlers } from '../../test/FakeBackend';
import { FakeTerminal, kioskInfo } from '../../test/FakeTerminal';
import { renderWithBackend } from '../../test/render';
import { VerifyPage } from './VerifyPage';

const certificate: IssuedCertificate = {
  issue_no: 'R08-000001',
  title: '住民票の写し',
  name: '佐藤 花子',
  birth: '1990-04-01',
  issued_at: '2026-11-23T00:05:00Z',
  counter: 'shimin-1',
  issued_by: 'デモ 職員',
  revoked_at: null,
  revoke_reason: null,
};

const answers: Record<'valid' | 'altered' | 'revoked' | 'not_ours', CertificateVerification> = {
  valid: { state: 'valid', message: 'この証明書は本市が発行したもので、内容は発行時のままです。', certificate },
  altered: { state: 'altered', message: '証明書の内容が発行時と一致しません。', certificate },
  revoked: {
    state: 'revoked',
    message: 'この証明書は失効しています。',
    certificate: { ...certificate, revoked_at: '2026-11-24T01:00:00Z', revoke_reason: '記載誤り' },
  },
  not_ours: { state: 'not_ours', message: '本市が発行した証明書のQRコードではありません。', certificate: null },
};

function page(handlers: FakeHandlers, permissions = ['search', 'issue_certificates']) {
  const backend = new FakeBackend({
    counters: () => Promise.resolve([{ code: 'shimin-1', name: '市民課 1番窓口' }]),
    ...handlers,
  });
  renderWithBackend(<VerifyPage permissions={permissions} tenant="demo" />, backend);
  return backend;
}

/** Types a scanned QR text into the field and presses Enter, as a keyboard-wedge scanner does. */
function scan(text: string) {
  const input = screen.getByTestId('verify-input');
  fireEvent.change(input, { target: { value: text } });
  fireEvent.submit(input.closest('form')!);
}

describe('VerifyPage', () => {
  it('starts in the scanner’s field', () => {
    page({});
    expect(document.activeElement).toBe(screen.getByTestId('verify-input'));
  });

  it('valid: 有効 in green with the message and the summary in 和暦, and the field cleared for the next scan', async () => {
    const backend = page({ verifyCertificate: () => Promise.resolve(answers.valid) });
    scan('  MDGC1.abc.def  ');
    const state = await screen.findByTestId('verify-state');
    expect(state.textContent).toBe('有効');
    expect(state.className).toContain('verify-state-valid');
    expect(screen.getByTestId('verify-message').textContent).toBe(answers.valid.message);
    await waitFor(() => expect(screen.getByTestId('verify-place').textContent).toBe('市民課 1番窓口'));
    const summary = screen.getByTestId('verify-summary').textContent!;
    for (const part of ['R08-000001', '住民票の写し', '佐藤 花子', '平成2年4月1日', '令和8年11月23日 9時05分', '市民課 1番窓口', 'デモ 職員']) {
      expect(summary).toContain(part);
    }
    expect(summary).not.toContain('失効');
    expect(backend.callsOf('verifyCertificate')).toEqual([[['MDGC1.abc.def']]]);
    expect((screen.getByTestId('verify-input') as HTMLInputElement).value).toBe('');
  });

  it.each([
    ['altered', '改ざんの疑い', 'verify-state-altered'],
    ['not_ours', '本市発行のQRではない', 'verify-state-not_ours'],
  ] as const)('%s: %s in red, and no revocation offered', async (kind, label, className) => {
    page({ verifyCertificate: () => Promise.resolve(answers[kind]) });
    scan('MDGC1.x.y');
    const state = await screen.findByTestId('verify-state');
    expect(state.textContent).toBe(label);
    expect(state.className).toContain(className);
    expect(screen.getByTestId('verify-message').textContent).toBe(answers[kind].message);
    expect(screen.queryByTestId('revoke-open')).toBeNull();
    if (kind === 'not_ours') expect(screen.queryByTestId('verify-summary')).toBeNull();
  });

  it('revoked: 失効 in orange with when and why', async () => {
    page({ verifyCertificate: () => Promise.resolve(answers.revoked) });
    scan('MDGC1.x.y');
    const state = await screen.findByTestId('verify-state');
    expect(state.textContent).toBe('失効');
    expect(state.className).toContain('verify-state-revoked');
    expect(screen.getByTestId('verify-revoked-at').textContent).toBe('令和8年11月24日 10時00分');
    expect(screen.getByTestId('verify-revoke-reason').textContent).toBe('記載誤り');
    expect(screen.queryByTestId('revoke-open')).toBeNull();
  });

  it('revokes a valid certificate for a reason (required), then shows 失効', async () => {
    const backend = page({
      verifyCertificate: () => Promise.resolve(answers.valid),
      revokeCertificate: (issueNo, reason) =>
        Promise.resolve({ ...certificate, issue_no: issueNo, revoked_at: '2026-11-24T01:00:00Z', revoke_reason: reason }),
    });
    scan('MDGC1.x.y');
    fireEvent.click(await screen.findByTestId('revoke-open'));
    expect(document.activeElement).toBe(screen.getByTestId('revoke-reason'));
    fireEvent.submit(screen.getByTestId('revoke-form'));
    expect(screen.getByTestId('revoke-error').textContent).toBe('失効させる理由を入力してください。');
    expect(backend.callsOf('revokeCertificate')).toHaveLength(0);
    fireEvent.change(screen.getByTestId('revoke-reason'), { target: { value: '記載誤り' } });
    fireEvent.click(screen.getByTestId('revoke-confirm'));
    await waitFor(() => expect(screen.getByTestId('verify-state').textContent).toBe('失効'));
    expect(backend.callsOf('revokeCertificate')).toEqual([['R08-000001', '記載誤り']]);
    expect(screen.getByTestId('verify-message').textContent).toBe('発行番号 R08-000001 の証明書を失効させました。');
    expect(screen.getByTestId('verify-revoke-reason').textContent).toBe('記載誤り');
    expect(screen.queryByTestId('revoke-open')).toBeNull();
  });

  it('shows the server’s message when a revocation is refused (already revoked)', async () => {
    page({
      verifyCertificate: () => Promise.resolve(answers.valid),
      revokeCertificate: () =>
        Promise.reject(new BackendError('conflict', { status: 409, code: 'already_revoked', message: 'この証明書はすでに失効しています。' })),
    });
    scan('MDGC1.x.y');
    fireEvent.click(await screen.findByTestId('revoke-open'));
    fireEvent.change(screen.getByTestId('revoke-reason'), { target: { value: '記載誤り' } });
    fireEvent.click(screen.getByTestId('revoke-confirm'));
    expect((await screen.findByTestId('revoke-error')).textContent).toBe('この証明書はすでに失効しています。');
  });

  it('offers no revocation without issue_certificates', async () => {
    page({ verifyCertificate: () => Promise.resolve(answers.valid) }, ['search']);
    scan('MDGC1.x.y');
    await screen.findByTestId('verify-state');
    expect(screen.queryByTestId('revoke-open')).toBeNull();
  });

  it('asks for a scan when the field is empty, and shows a failed check in Japanese', async () => {
    const backend = page({ verifyCertificate: () => Promise.reject(new BackendError('network')) });
    scan('   ');
    expect(screen.getByTestId('verify-error').textContent).toBe('QRコードを読み取ってください。');
    expect(backend.callsOf('verifyCertificate')).toHaveLength(0);
    scan('MDGC1.x.y');
    expect((await screen.findByTestId('verify-error')).textContent).toContain('サーバーに接続できません');
    expect(screen.queryByTestId('verify-state')).toBeNull();
  });

  it('desktop app: checks what the serial scanner reads on this page', async () => {
    const terminal = new FakeTerminal({}, { ...kioskInfo, role: 'staff', counter: 'shimin', document_printer: null });
    const backend = new FakeBackend({ verifyCertificate: () => Promise.resolve(answers.valid) }, { terminal });
    renderWithBackend(<VerifyPage permissions={['issue_certificates']} />, backend);
    terminal.emitQrScanned('MDGC1.serial.scan\r');
    expect((await screen.findByTestId('verify-state')).textContent).toBe('有効');
    expect(backend.callsOf('verifyCertificate')).toEqual([[['MDGC1.serial.scan']]]);
  });
});
