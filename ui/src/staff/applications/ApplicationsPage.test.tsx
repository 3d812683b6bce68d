import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { PortalApplicationList, PortalApplicationView, PortalListItem } from '../../api/types';
import { BackendError } from '../../backend';
import { FakeBackend } from '../../test/FakeBackend';
import { renderWithBackend } from '../../test/render';
import { ApplicationsPage } from './ApplicationsPage';

const item = (no: string, status = 'unprocessed'): PortalListItem => ({
  application_no: no,
  kind: 'pittari',
  form_code: 'PT-JIDOU-NINTEI',
  form_name: '児童手当 認定請求',
  source: 'api',
  received_at: '2026-12-07T00:00:00Z',
  applicant_name: '髙橋　太郎',
  applicant_kana: 'タカハシ タロウ',
  status,
  status_by: null,
  status_at: null,
  case_id: null,
  status_sent: false,
});

const list = (items: PortalListItem[]): PortalApplicationList => ({
  counts: { unprocessed: items.length, in_progress: 0, done: 0, returned: 0 },
  items,
});

const view = (candidates: number, masked = false): PortalApplicationView => ({
  ...item('1000000000000'),
  applicant: {
    name: '髙橋　太郎',
    kana: 'タカハシ タロウ',
    birth_date: '1975-01-01',
    address: masked ? '（支援措置のため非表示）' : '群馬県さくら野市本町100番地',
    postal_code: null,
    phone: null,
  },
  jpki_serial: null,
  status_reason: null,
  procedures: ['児童手当の認定請求'],
  attachments: [{ index: 0, name: '本人確認書類.pdf', media_type: 'application/pdf', size: 30 }],
  matched_by: 'name_birth',
  candidates: Array.from({ length: candidates }, (_, i) => ({
    atena_no: `00000000000000${i + 1}`,
    name: '髙橋　太郎',
    kana: 'タカハシ　タロウ',
    birth_date: '1975-01-01',
    address: masked ? '（支援措置のため非表示）' : '群馬県さくら野市本町100番地',
  })),
  address_masked: masked,
});

describe('申請管理', () => {
  it('lists applications with counts, filters by status and imports a ZIP', async () => {
    const backend = new FakeBackend({
      portalApplications: () => Promise.resolve(list([item('1000000000000'), item('1000000000001')])),
      importPortalZip: () => Promise.resolve({ total: 2, added: 1, already: 1, reserved: 1 }),
    });
    renderWithBackend(<ApplicationsPage permissions={['accept_notification']} />, backend);
    expect((await screen.findAllByTestId('application-row')).length).toBe(2);
    expect(screen.getByTestId('applications-count-unprocessed').textContent).toBe('2');
    expect(screen.getAllByTestId('application-status')[0]!.textContent).toContain('未処理');
    fireEvent.click(screen.getByTestId('applications-filter-returned'));
    await waitFor(() => expect(backend.callsOf('portalApplications').at(-1)).toEqual(['returned']));
    const zip = new File([new Uint8Array([0x50, 0x4b, 5, 6])], 'shinsei.zip', { type: 'application/zip' });
    fireEvent.change(screen.getByTestId('applications-zip'), { target: { files: [zip] } });
    expect((await screen.findByTestId('applications-message')).textContent).toBe(
      '2件のうち 1件を取り込みました（1件は取込済み）。転入予約 1件を来庁予定者に入れました。',
    );
    expect(backend.callsOf('importPortalZip')).toEqual([['UEsFBg==']]);
  });

  it('shows the server’s Japanese refusal of a bad ZIP', async () => {
    const backend = new FakeBackend({
      portalApplications: () => Promise.resolve(list([])),
      importPortalZip: () =>
        Promise.reject(
          new BackendError('validation', {
            status: 422,
            code: 'invalid_portal_zip',
            message: '申請番号 1 の手続コード「XX」は、この窓口で受け付ける手続にありません。',
          }),
        ),
    });
    renderWithBackend(<ApplicationsPage permissions={['accept_notification']} />, backend);
    await screen.findByText('この状態の申請はありません。');
    const zip = new File([new Uint8Array([1])], 'bad.zip');
    fireEvent.change(screen.getByTestId('applications-zip'), { target: { files: [zip] } });
    expect((await screen.findByTestId('applications-error')).textContent).toContain('「XX」');
  });

  it('opens one, shows ambiguity, makes the case with one key and requires a reason to return', async () => {
    const backend = new FakeBackend({
      portalApplications: () => Promise.resolve(list([item('1000000000000')])),
      portalApplication: () => Promise.resolve(view(2)),
      makePortalCase: () => Promise.resolve({ case_id: 'portal-1000000000000' }),
      setPortalStatus: (no) => Promise.resolve(item(no, 'returned')),
    });
    renderWithBackend(<ApplicationsPage permissions={['accept_notification']} />, backend);
    fireEvent.click((await screen.findAllByTestId('application-open'))[0]!);
    expect((await screen.findByTestId('application-ambiguous')).textContent).toBe('候補が2人います。本人を選んでください。');
    expect(screen.getByTestId('application-attachments').textContent).toContain('本人確認書類.pdf');
    fireEvent.click(screen.getAllByRole('radio')[1]!);
    fireEvent.click(screen.getByTestId('application-make-case'));
    expect((await screen.findByTestId('application-case')).textContent).toContain('案件を作成しました。');
    expect(backend.callsOf('makePortalCase')).toEqual([['1000000000000', '000000000000002']]);
    fireEvent.change(screen.getByLabelText('状態を変更'), { target: { value: 'returned' } });
    fireEvent.click(screen.getByTestId('application-status-save'));
    expect(await screen.findByText('差戻しには理由を入力してください。')).toBeTruthy();
    expect(backend.callsOf('setPortalStatus')).toEqual([]);
    fireEvent.change(screen.getByLabelText('差戻しの理由'), { target: { value: '添付書類が読めません' } });
    fireEvent.click(screen.getByTestId('application-status-save'));
    await waitFor(() =>
      expect(backend.callsOf('setPortalStatus')).toEqual([
        ['1000000000000', { status: 'returned', reason: '添付書類が読めません' }],
      ]),
    );
  });

  it('saves an attachment under its own name, and says so when the server refuses', async () => {
    const saved: { name: string; type: string }[] = [];
    const createObjectURL = vi.fn((blob: Blob) => `blob:${blob.type}`);
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push({ name: this.download, type: this.href.replace('blob:', '') });
    });
    let refuse = false;
    const backend = new FakeBackend({
      portalApplications: () => Promise.resolve(list([item('1000000000000')])),
      portalApplication: () => Promise.resolve(view(1)),
      portalAttachment: () =>
        refuse
          ? Promise.reject(new BackendError('not_found', { status: 404, message: '添付ファイルが見つかりません。' }))
          : Promise.resolve(new Blob([new Uint8Array([37, 80, 68, 70])])),
    });
    renderWithBackend(<ApplicationsPage permissions={['accept_notification']} />, backend);
    fireEvent.click((await screen.findAllByTestId('application-open'))[0]!);
    fireEvent.click(await screen.findByRole('button', { name: '本人確認書類.pdf を保存' }));
    await waitFor(() => expect(saved).toEqual([{ name: '本人確認書類.pdf', type: 'application/pdf' }]));
    expect(backend.callsOf('portalAttachment')).toEqual([['1000000000000', 0]]);
    refuse = true;
    fireEvent.click(screen.getByTestId('application-attachment-0'));
    expect((await screen.findByTestId('application-attachment-error')).textContent).toBe('添付ファイルが見つかりません。');
    click.mockRestore();
  });

  it('shows admins the connector’s last failure and runs it now', async () => {
    const connector = {
      configured: true,
      base_url: 'https://portal.example',
      proxy: true,
      interval_secs: 300,
      last_run_at: '2026-12-07T00:00:00Z',
      last_success_at: null,
      last_error: 'login: the portal answered 500 Internal Server Error',
      failures: 2,
      fetched: 0,
      reported: 0,
    };
    const backend = new FakeBackend({
      portalApplications: () => Promise.resolve(list([])),
      portalConnector: () => Promise.resolve(connector),
      runPortalConnector: () => Promise.resolve({ ...connector, last_error: null, failures: 0, fetched: 20 }),
    });
    renderWithBackend(<ApplicationsPage permissions={['accept_notification', 'admin']} />, backend);
    expect((await screen.findByTestId('connector-error')).textContent).toContain('2回続けて失敗');
    fireEvent.click(screen.getByTestId('connector-run'));
    expect((await screen.findByTestId('connector-ok')).textContent).toContain('取得 20件');
    await waitFor(() => expect(backend.callsOf('portalApplications').length).toBe(2));
  });

  it('shows none found and a masked address as the server sent them', async () => {
    const backend = new FakeBackend({
      portalApplications: () => Promise.resolve(list([item('1000000000000')])),
      portalApplication: () => Promise.resolve(view(0, true)),
    });
    renderWithBackend(<ApplicationsPage permissions={['accept_notification']} />, backend);
    fireEvent.click((await screen.findAllByTestId('application-open'))[0]!);
    expect(await screen.findByTestId('application-no-candidate')).toBeTruthy();
    expect(screen.getByTestId('application-address').textContent).toBe('（支援措置のため非表示）');
    expect(screen.getByText('支援措置の対象者が含まれるため、住所を表示していません。')).toBeTruthy();
  });
});
