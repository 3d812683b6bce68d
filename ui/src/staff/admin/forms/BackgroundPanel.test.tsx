import { fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FormBackgroundView, PreviewRequest, PreviewView, TemplateView } from '../../../api/types';
import { BackendError } from '../../../backend';
import { FakeBackend } from '../../../test/FakeBackend';
import { renderWithBackend } from '../../../test/render';
import { FormTemplatesPage } from './FormTemplatesPage';

const own: TemplateView = {
  id: 'tokubetsu',
  name: '市の独自様式',
  version: '1',
  valid_from: '2026-04-01',
  valid_until: null,
  origin: 'tenant',
  background: null,
};
const SOURCE = 'id = "tokubetsu"\nname = "市の独自様式"\n\n[page]\nsize = "A4"\n\n[[elements]]\nkind = "line"\n';
const ok: PreviewView = { pdf_base64: btoa('%PDF-1.7 x'), pages: 1, sample: null, case_id: null, problems: [], publishable: true };
const official: FormBackgroundView = { name: 'official.pdf', size: 40_960, pages: 2, created_at: '2026-12-07T09:00:00Z' };

beforeAll(() => {
  globalThis.URL.createObjectURL ??= () => 'blob:x';
  globalThis.URL.revokeObjectURL ??= () => undefined;
});

function setup(handlers: ConstructorParameters<typeof FakeBackend>[0]) {
  const backend = new FakeBackend({
    formTemplates: () => Promise.resolve([own]),
    formTemplateSource: () => Promise.resolve({ id: 'tokubetsu', version: '1', source: SOURCE }),
    previewFormTemplate: () => Promise.resolve(ok),
    formBackgrounds: () => Promise.resolve([official]),
    ...handlers,
  });
  renderWithBackend(<FormTemplatesPage permissions={['admin']} />, backend);
  return backend;
}

async function open() {
  fireEvent.click(await screen.findByTestId('form-edit-tokubetsu@1'));
  return (await screen.findByTestId('form-source')) as HTMLTextAreaElement;
}

describe('the background PDF of a template', () => {
  it('is chosen from the uploaded ones and placed, written into the source and previewed', async () => {
    const backend = setup({});
    const source = await open();
    fireEvent.click(await screen.findByTestId('form-background-use'));
    expect(source.value).toContain('[page]\nsize = "A4"\nbackground = { file = "official.pdf", page = 1 }\n');
    expect(screen.getByTestId('form-background-in-use')).toBeTruthy();
    fireEvent.change(screen.getByTestId('form-background-page'), { target: { value: '2' } });
    fireEvent.change(screen.getByTestId('form-background-x'), { target: { value: '-1.5' } });
    fireEvent.change(screen.getByTestId('form-background-w'), { target: { value: '212' } });
    fireEvent.click(screen.getByTestId('form-background-apply'));
    expect(source.value).toContain('background = { file = "official.pdf", page = 2, x = -1.5, w = 212 }');
    await waitFor(() => {
      const last = backend.callsOf('previewFormTemplate').at(-1)?.[0] as PreviewRequest | undefined;
      expect(last?.source).toContain('x = -1.5');
    });
    fireEvent.click(screen.getByTestId('form-background-remove'));
    expect(source.value).toBe(SOURCE);
  });

  it('is uploaded under a name, and a refusal is shown in Japanese', async () => {
    let uploads = 0;
    const backend = setup({
      uploadFormBackground: (req) => {
        uploads++;
        if (uploads === 1) return Promise.reject(new BackendError('conflict', { status: 409, code: 'background_exists', message: '背景のPDF「official.pdf」はもう登録されています。' }));
        return Promise.resolve({ ...official, name: req.name });
      },
    });
    const source = await open();
    const file = new File([new Uint8Array([37, 80, 68, 70, 45])], 'official.pdf', { type: 'application/pdf' });
    fireEvent.change(await screen.findByTestId('form-background-file'), { target: { files: [file] } });
    expect((screen.getByTestId('form-background-name') as HTMLInputElement).value).toBe('official.pdf');
    fireEvent.click(screen.getByTestId('form-background-upload'));
    expect((await screen.findByTestId('form-background-error')).textContent).toContain('もう登録されています');
    fireEvent.change(screen.getByTestId('form-background-name'), { target: { value: 'official-2027.pdf' } });
    fireEvent.click(screen.getByTestId('form-background-upload'));
    await waitFor(() => expect(source.value).toContain('file = "official-2027.pdf"'));
    const sent = backend.callsOf('uploadFormBackground').at(-1)?.[0] as { name: string; pdf_base64: string };
    expect(sent).toEqual({ name: 'official-2027.pdf', pdf_base64: btoa('%PDF-') });
  });
});

describe('the preview settings', () => {
  it('turn the grid on and show a chosen case, with the reason for 支援措置', async () => {
    const backend = setup({
      previewFormTemplate: (req) => Promise.resolve(req.case_id ? { ...ok, case_id: req.case_id } : ok),
    });
    await open();
    fireEvent.click(await screen.findByTestId('form-preview-grid'));
    await waitFor(() => expect((backend.callsOf('previewFormTemplate').at(-1)?.[0] as PreviewRequest).grid).toBe(true));
    fireEvent.change(screen.getByTestId('form-preview-case'), { target: { value: 'case-20261207-0001' } });
    fireEvent.change(screen.getByTestId('form-preview-reason'), { target: { value: '配置の確認' } });
    fireEvent.click(screen.getByTestId('form-preview-use-case'));
    await waitFor(() => expect(screen.getByTestId('form-preview-info').textContent).toContain('案件 case-20261207-0001 のデータ'));
    const last = backend.callsOf('previewFormTemplate').at(-1)?.[0] as PreviewRequest;
    expect(last).toMatchObject({ case_id: 'case-20261207-0001', override_reason: '配置の確認', grid: true });
    fireEvent.click(screen.getByTestId('form-preview-use-sample'));
    await waitFor(() => expect((backend.callsOf('previewFormTemplate').at(-1)?.[0] as PreviewRequest).case_id).toBeUndefined());
  });
});
