import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CertificateSettingsView, PutCertificateSettings } from '../../api/types';
import { BackendError } from '../../backend/Backend';
import { FakeBackend } from '../../test/FakeBackend';
import { renderWithBackend } from '../../test/render';
import { CertificateSettingsPage, isPngDataUrl, mayEditCertificateSettings } from './CertificateSettingsPage';

/** The first bytes of a PNG (its signature and the start of IHDR): enough for the page's check. */
const PNG_BYTES = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

function unset(): CertificateSettingsView {
  return { city: 'さくら野市', mayor: 'さくら野市長', mayor_is_default: true, seal: null };
}

function withSeal(mayor: string): CertificateSettingsView {
  return {
    city: 'さくら野市',
    mayor,
    mayor_is_default: false,
    seal: { sha256: '0123456789abcdef'.repeat(4), width_px: 240, height_px: 240 },
  };
}

function chooseFile(file: File) {
  fireEvent.change(screen.getByLabelText('公印の画像（PNG）'), { target: { files: [file] } });
}

const createObjectURL = URL.createObjectURL;
const revokeObjectURL = URL.revokeObjectURL;

beforeEach(() => {
  URL.createObjectURL = vi.fn(() => 'blob:sample');
  URL.revokeObjectURL = vi.fn();
});

afterEach(() => {
  URL.createObjectURL = createObjectURL;
  URL.revokeObjectURL = revokeObjectURL;
});

describe('CertificateSettingsPage', () => {
  it('is for admins only', () => {
    expect(mayEditCertificateSettings(['admin'])).toBe(true);
    expect(mayEditCertificateSettings(['search', 'issue_certificates'])).toBe(false);
    renderWithBackend(<CertificateSettingsPage permissions={['search']} />, new FakeBackend());
    expect(screen.getByRole('alert').textContent).toContain('管理者だけ');
  });

  it('shows the city, the default mayor line as a placeholder and no 公印', async () => {
    const backend = new FakeBackend({
      certificateSettings: () => Promise.resolve(unset()),
      counterCertificates: () =>
        Promise.resolve({
          items: [{ code: 'JUMINHYO', name: '住民票の写し', yen: 300 }],
          counters: [{ code: 'shimin-1', name: '市民課 1番窓口', restricted: false, items: ['JUMINHYO'] }],
        }),
    });
    renderWithBackend(<CertificateSettingsPage permissions={['admin']} />, backend);
    expect((await screen.findByTestId('cert-settings-city')).textContent).toBe('さくら野市');
    const mayor = screen.getByLabelText('市長名（認証文の下に印字する行）') as HTMLInputElement;
    expect(mayor.value).toBe('');
    expect(mayor.placeholder).toBe('さくら野市長');
    expect(mayor.maxLength).toBe(40);
    expect(screen.getByTestId('cert-settings-seal').textContent).toContain('未設定');
    expect(screen.queryByTestId('cert-settings-remove-seal')).toBeNull();
    // Which certificates each counter issues is set on the same page.
    expect(await screen.findByRole('checkbox', { name: '市民課 1番窓口で住民票の写しを発行する' })).toBeTruthy();
  });

  it('saves the mayor line with a PNG 公印 read as a data URL, and shows the 公印 set', async () => {
    const saved = withSeal('さくら野市長　桜井　一郎');
    const backend = new FakeBackend({
      certificateSettings: () => Promise.resolve(unset()),
      saveCertificateSettings: () => Promise.resolve(saved),
    });
    renderWithBackend(<CertificateSettingsPage permissions={['admin']} />, backend);
    await screen.findByTestId('cert-settings-city');
    fireEvent.change(screen.getByLabelText('市長名（認証文の下に印字する行）'), {
      target: { value: ' さくら野市長　桜井　一郎 ' },
    });
    chooseFile(new File([PNG_BYTES], 'koin.png', { type: 'image/png' }));
    expect((await screen.findByTestId('cert-settings-seal-chosen')).textContent).toContain('koin.png');
    fireEvent.click(screen.getByTestId('cert-settings-save'));

    expect((await screen.findByTestId('cert-settings-done')).textContent).toBe('証明書の設定を保存しました。');
    const [[req]] = backend.callsOf('saveCertificateSettings') as [[PutCertificateSettings]];
    expect(req.mayor).toBe('さくら野市長　桜井　一郎');
    expect(req.seal_png).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
    expect(req.remove_seal).toBeUndefined();
    expect(screen.getByTestId('cert-settings-seal').textContent).toBe(
      '設定済み（240×240 px、SHA-256 の先頭16桁 0123456789abcdef）',
    );
    expect(screen.queryByTestId('cert-settings-seal-chosen')).toBeNull();
    expect((screen.getByLabelText('市長名（認証文の下に印字する行）') as HTMLInputElement).value).toBe(
      'さくら野市長　桜井　一郎',
    );
  });

  it('refuses a file that is not a PNG without asking the server', async () => {
    const backend = new FakeBackend({ certificateSettings: () => Promise.resolve(unset()) });
    renderWithBackend(<CertificateSettingsPage permissions={['admin']} />, backend);
    await screen.findByTestId('cert-settings-city');
    chooseFile(new File(['GIF89a'], 'koin.gif', { type: 'image/gif' }));
    expect((await screen.findByTestId('cert-settings-error')).textContent).toBe(
      '公印の画像はPNG形式のファイルを選んでください。',
    );
    // Named .png but not one inside.
    chooseFile(new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0])], 'koin.png', { type: '' }));
    await waitFor(() => expect(screen.getByTestId('cert-settings-error').textContent).toContain('PNG形式'));
    expect(screen.queryByTestId('cert-settings-seal-chosen')).toBeNull();
    // Larger than the server takes.
    chooseFile(new File([PNG_BYTES, new Uint8Array(256 * 1024)], 'big.png', { type: 'image/png' }));
    await waitFor(() =>
      expect(screen.getByTestId('cert-settings-error').textContent).toBe('公印の画像が大きすぎます（256KBまで）。'),
    );
    expect(backend.callsOf('saveCertificateSettings')).toHaveLength(0);
    expect(isPngDataUrl('data:image/png;base64,iVBORw0KGgoAAAA')).toBe(true);
    expect(isPngDataUrl('data:image/png;base64,/9j/4AAQ')).toBe(false);
  });

  it('shows the server’s Japanese refusal and keeps what was typed', async () => {
    const backend = new FakeBackend({
      certificateSettings: () => Promise.resolve(unset()),
      saveCertificateSettings: () =>
        Promise.reject(
          new BackendError('validation', { status: 422, code: 'invalid_seal', message: '公印の画像はPNG形式にしてください。' }),
        ),
    });
    renderWithBackend(<CertificateSettingsPage permissions={['admin']} />, backend);
    await screen.findByTestId('cert-settings-city');
    fireEvent.change(screen.getByLabelText('市長名（認証文の下に印字する行）'), { target: { value: '市長　桜井' } });
    chooseFile(new File([PNG_BYTES], 'koin.png', { type: 'image/png' }));
    await screen.findByTestId('cert-settings-seal-chosen');
    fireEvent.click(screen.getByTestId('cert-settings-save'));
    expect((await screen.findByTestId('cert-settings-error')).textContent).toBe('公印の画像はPNG形式にしてください。');
    expect((screen.getByLabelText('市長名（認証文の下に印字する行）') as HTMLInputElement).value).toBe('市長　桜井');
    expect(screen.getByTestId('cert-settings-seal').textContent).toContain('未設定');
  });

  it('removes the 公印 after asking, keeping the saved mayor line', async () => {
    const backend = new FakeBackend({
      certificateSettings: () => Promise.resolve(withSeal('さくら野市長　桜井　一郎')),
      saveCertificateSettings: (req) => Promise.resolve({ ...withSeal(req.mayor), seal: null }),
    });
    renderWithBackend(<CertificateSettingsPage permissions={['admin']} />, backend);
    await screen.findByTestId('cert-settings-city');
    fireEvent.change(screen.getByLabelText('市長名（認証文の下に印字する行）'), { target: { value: '書きかけ' } });
    fireEvent.click(screen.getByTestId('cert-settings-remove-seal'));
    expect(backend.callsOf('saveCertificateSettings')).toHaveLength(0);
    fireEvent.click(screen.getByTestId('cert-settings-remove-yes'));
    expect((await screen.findByTestId('cert-settings-done')).textContent).toBe('公印を外しました。');
    expect(backend.callsOf('saveCertificateSettings')).toEqual([
      [{ mayor: 'さくら野市長　桜井　一郎', remove_seal: true }],
    ]);
    expect(screen.getByTestId('cert-settings-seal').textContent).toContain('未設定');
  });

  it('opens the 見本 PDF in the preview frame, with the print dialog', async () => {
    const pdf = new Blob(['%PDF-1.7'], { type: 'application/pdf' });
    const backend = new FakeBackend({
      certificateSettings: () => Promise.resolve(withSeal('さくら野市長　桜井　一郎')),
      previewCertificate: () => Promise.resolve({ pdf, pages: 1 }),
    });
    renderWithBackend(<CertificateSettingsPage permissions={['admin']} />, backend);
    await screen.findByTestId('cert-settings-city');
    expect(screen.queryByTestId('pdf-preview')).toBeNull();
    fireEvent.click(screen.getByTestId('cert-settings-preview'));
    const frame = (await screen.findByTestId('pdf-preview')) as HTMLIFrameElement;
    expect(frame.getAttribute('src')).toBe('blob:sample');
    expect(vi.mocked(URL.createObjectURL).mock.calls.map(([blob]) => blob === pdf)).toEqual([true]);
    expect(screen.getByTestId('print-dialog')).toBeTruthy();
    expect(backend.callsOf('previewCertificate')).toHaveLength(1);
  });

  it('shows why the 見本 could not be made', async () => {
    const backend = new FakeBackend({
      certificateSettings: () => Promise.resolve(unset()),
      previewCertificate: () => Promise.reject(new BackendError('server', { status: 500 })),
    });
    renderWithBackend(<CertificateSettingsPage permissions={['admin']} />, backend);
    await screen.findByTestId('cert-settings-city');
    fireEvent.click(screen.getByTestId('cert-settings-preview'));
    expect((await screen.findByTestId('cert-settings-error')).textContent).not.toBe('');
    expect(screen.queryByTestId('pdf-preview')).toBeNull();
  });
});
