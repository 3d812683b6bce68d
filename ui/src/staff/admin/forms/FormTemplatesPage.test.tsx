import { fireEvent, screen, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PreviewRequest, PreviewView, TemplateView } from '../../../api/types';
import { BackendError } from '../../../backend';
import { FakeBackend } from '../../../test/FakeBackend';
import { renderWithBackend } from '../../../test/render';
import { FormTemplatesPage } from './FormTemplatesPage';
import { byTemplate, nextDay, pdfBytes, versionState } from './templateState';

const standard: TemplateView = {
  id: 'uketsukehyo',
  name: '受付票',
  version: '2026-04',
  valid_from: '2026-04-01',
  valid_until: '2099-01-01',
  origin: 'standard',
};
const own: TemplateView = { ...standard, version: '2099-01-01', valid_from: '2099-01-01', valid_until: null, origin: 'tenant' };
const SOURCE = 'id = "uketsukehyo"\nname = "受付票"\n';

const ok: PreviewView = { pdf_base64: btoa('%PDF-1.7 x'), pages: 1, sample: 'uketsukehyo', problems: [], publishable: true };
const overflow: PreviewView = {
  ...ok,
  problems: [{ kind: 'overflow', message: '1ページ目（uketsukehyo）「case.reception_no」: 枠に収まりません。', page: 1, line: null, column: null }],
};

beforeAll(() => {
  globalThis.URL.createObjectURL ??= () => 'blob:x';
  globalThis.URL.revokeObjectURL ??= () => undefined;
});

function setup(preview: (req: PreviewRequest) => Promise<PreviewView>, handlers: ConstructorParameters<typeof FakeBackend>[0] = {}) {
  const backend = new FakeBackend({
    formTemplates: () => Promise.resolve([standard, own]),
    formTemplateSource: () => Promise.resolve({ id: 'uketsukehyo', version: '2026-04', source: SOURCE }),
    previewFormTemplate: preview,
    ...handlers,
  });
  renderWithBackend(<FormTemplatesPage permissions={['admin']} />, backend);
  return backend;
}

describe('the helpers', () => {
  it('tell a version in force, future or ended, and group by id', () => {
    expect(versionState(standard, '2026-12-07')).toBe('forms.state.inForce');
    expect(versionState(own, '2026-12-07')).toBe('forms.state.future');
    expect(versionState(standard, '2099-01-01')).toBe('forms.state.ended');
    expect(byTemplate([standard, own]).map(([id, vs]) => [id, vs.length])).toEqual([['uketsukehyo', 2]]);
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
    expect(Array.from(pdfBytes(btoa('%PDF')))).toEqual([37, 80, 68, 70]);
  });
});

describe('the form templates page', () => {
  it('lists the versions with their dates, origin and state', async () => {
    setup(() => Promise.resolve(ok));
    const row = await screen.findByTestId('form-row-uketsukehyo@2026-04');
    expect(row.textContent).toContain('受付票');
    expect(row.textContent).toContain('2026-04-01');
    expect(row.textContent).toContain('標準');
    expect(row.textContent).toContain('施行中');
    const next = screen.getByTestId('form-row-uketsukehyo@2099-01-01');
    expect(next.textContent).toContain('市独自');
    expect(next.textContent).toContain('施行前');
  });

  it('previews each edit after a pause and lists the problems', async () => {
    const backend = setup((req) => Promise.resolve(req.source.includes('w = 1') ? overflow : ok));
    fireEvent.click(await screen.findByTestId('form-edit-uketsukehyo@2026-04'));
    const source = (await screen.findByTestId('form-source')) as HTMLTextAreaElement;
    expect(source.value).toBe(SOURCE);
    expect(await screen.findByTestId('form-problems-none')).toBeTruthy();
    expect(screen.getByTestId('form-preview').getAttribute('src')).toMatch(/^blob:/);
    fireEvent.change(source, { target: { value: `${SOURCE}w = 1\n` } });
    fireEvent.change(source, { target: { value: `${SOURCE}w = 1\nh = 1\n` } });
    const problem = await screen.findByTestId('form-problem');
    expect(problem.getAttribute('data-kind')).toBe('overflow');
    expect(problem.textContent).toContain('枠に収まらない');
    expect(problem.textContent).toContain('1ページ目');
    // Two quick changes: one request for the last one (debounced).
    const previews = backend.calls.filter((c) => c.method === 'previewFormTemplate');
    expect(previews.map((c) => (c.args[0] as PreviewRequest).source)).toEqual([SOURCE, `${SOURCE}w = 1\nh = 1\n`]);
  });

  it('shows a template error with its position and refuses to publish', async () => {
    setup(() =>
      Promise.resolve({
        pdf_base64: null,
        pages: 0,
        sample: null,
        publishable: false,
        problems: [{ kind: 'template', message: '2行7列: 書式が正しくありません', line: 2, column: 7, page: null }],
      }),
    );
    fireEvent.click(await screen.findByTestId('form-edit-uketsukehyo@2026-04'));
    const problem = await screen.findByTestId('form-problem');
    expect(problem.textContent).toContain('書式の誤り 2行7列');
    expect((screen.getByTestId('form-publish-button') as HTMLButtonElement).disabled).toBe(true);
  });

  it('publishes from a 施行日 with a label derived from it, and shows a refusal', async () => {
    let refuse = true;
    const backend = setup(() => Promise.resolve(ok), {
      publishFormTemplate: (req) =>
        refuse
          ? Promise.reject(new BackendError('conflict', { status: 409, message: '「uketsukehyo」の版 2027-01-01 は既にある版 2026-04 と期間が重なっています。' }))
          : Promise.resolve({ ...own, version: req.version, valid_from: req.valid_from }),
    });
    fireEvent.click(await screen.findByTestId('form-edit-uketsukehyo@2026-04'));
    await screen.findByTestId('form-problems-none');
    fireEvent.change(screen.getByTestId('form-publish-from'), { target: { value: '2027-01-01' } });
    expect((screen.getByTestId('form-publish-version') as HTMLInputElement).value).toBe('2027-01-01');
    fireEvent.click(screen.getByTestId('form-publish-button'));
    expect((await screen.findByTestId('form-publish-error')).textContent).toContain('重なっています');
    refuse = false;
    fireEvent.click(screen.getByTestId('form-publish-button'));
    expect((await screen.findByTestId('forms-done')).textContent).toContain('2027-01-01 から公開しました');
    const publish = backend.calls.filter((c) => c.method === 'publishFormTemplate').at(-1);
    expect(publish?.args[0]).toEqual({ source: SOURCE, version: '2027-01-01', valid_from: '2027-01-01' });
    // The editor stays open on what was published (閉じる closes it).
    expect(screen.getByTestId('form-editor')).toBeTruthy();
    expect(within(screen.getByTestId('forms-table')).getAllByRole('row').length).toBeGreaterThan(1);
  });

  it('is for admins only', () => {
    renderWithBackend(<FormTemplatesPage permissions={[]} />, new FakeBackend());
    expect(screen.getByRole('alert').textContent).toContain('管理者だけ');
  });
});
