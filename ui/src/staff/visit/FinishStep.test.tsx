import { fireEvent, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaseView, SaveCase } from '../../api/types';
import { BackendError, TerminalError } from '../../backend';
import { FakeBackend, type FakeHandlers } from '../../test/FakeBackend';
import { FakeTerminal, kioskInfo, type FakeTerminalHandlers } from '../../test/FakeTerminal';
import { t } from '../../i18n';
import { renderWithBackend } from '../../test/render';
import { FinishStep } from './FinishStep';
import { emptyDraft, type Draft } from './model';

const pdf = new Blob(['%PDF-1.7 /Type /Page'], { type: 'application/pdf' });

function savedCase(id: string, req: SaveCase, revision: number): CaseView {
  return {
    id, revision, status: req.status, status_label: '受付中', title: '転入', document: req.document, address_masked: false,
    opened_at: '2026-11-23T00:00:00Z', opened_by: 'demo', opened_counter: 'shimin-1',
    updated_at: '2026-11-23T00:00:00Z', updated_by: 'demo', updated_counter: 'shimin-1',
    history: [{ at: '2026-11-23T00:00:00Z', user: 'demo', counter: 'shimin-1', terminal: null, lines: ['案件を作成'] }],
  };
}

/** A backend that saves, prints two pages and reads the case back. */
function caseBackend(terminal?: FakeTerminal, handlers: FakeHandlers = {}) {
  let last: CaseView | null = null;
  return new FakeBackend(
    {
      saveCase: (id, req) => Promise.resolve((last = savedCase(id, req, 1))),
      printCase: () => Promise.resolve({ pdf, pages: 2 }),
      getCase: () => Promise.resolve(last!),
      ...handlers,
    },
    { terminal },
  );
}

function Harness({ initial, permissions }: { initial?: Draft; permissions?: string[] } = {}) {
  const [draft, setDraft] = useState<Draft>(() => initial ?? emptyDraft('case-0001'));
  const [history, setHistory] = useState<CaseView['history']>([]);
  return (
    <FinishStep
      draft={draft}
      setDraftState={setDraft}
      history={history}
      setHistory={setHistory}
      permissions={permissions}
    />
  );
}

function staffTerminal(documentPrinter: string | null, handlers: FakeTerminalHandlers = {}) {
  return new FakeTerminal(handlers, { ...kioskInfo, role: 'staff', counter: 'shimin', document_printer: documentPrinter });
}

const createObjectURL = URL.createObjectURL;
const revokeObjectURL = URL.revokeObjectURL;

beforeEach(() => {
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null); // jsdom draws nothing
  URL.createObjectURL = vi.fn(() => 'blob:preview');
  URL.revokeObjectURL = vi.fn();
});

afterEach(() => {
  URL.createObjectURL = createObjectURL;
  URL.revokeObjectURL = revokeObjectURL;
  vi.restoreAllMocks();
});

describe('FinishStep printing', () => {
  it('in a browser: the preview and the browser’s print dialog, as before', async () => {
    const backend = caseBackend();
    renderWithBackend(<Harness />, backend);
    fireEvent.click(screen.getByTestId('save-print'));
    expect((await screen.findByTestId('finish-message')).textContent).toBe('印刷データを作成しました（2ページ）。');
    expect(screen.getByTestId('pdf-preview')).toBeTruthy();
    expect(screen.getByTestId('print-dialog')).toBeTruthy();
  });

  it('in the desktop app: prints the prepared PDF on the terminal’s document printer', async () => {
    const terminal = staffTerminal('窓口プリンター', { printPdf: () => Promise.resolve({ printer: '窓口プリンター' }) });
    const backend = caseBackend(terminal);
    renderWithBackend(<Harness />, backend);
    fireEvent.keyDown(window, { key: 'F9' });
    expect((await screen.findByTestId('finish-message')).textContent).toBe('窓口プリンターに印刷しました');
    expect(terminal.callsOf('printPdf')).toEqual([[pdf]]);
    // The preview is still there (and the dialog, to print once more).
    expect(screen.getByTestId('pdf-preview')).toBeTruthy();
    expect(backend.callsOf('printCase')).toHaveLength(1);
    // Printed after the PDF was made, and the case read back afterwards.
    const order = backend.calls.map((c) => c.method).filter((m) => m === 'printCase' || m === 'getCase');
    expect(order).toEqual(['printCase', 'getCase']);
  });

  it('in the desktop app: shows the runtime’s Japanese message when the printer fails', async () => {
    const terminal = staffTerminal('窓口プリンター', {
      printPdf: () => Promise.reject(new TerminalError('printer', 'プリンターの用紙がありません。')),
    });
    renderWithBackend(<Harness />, caseBackend(terminal));
    fireEvent.click(screen.getByTestId('save-print'));
    const error = await screen.findByTestId('finish-error');
    expect(error.textContent).toBe('プリンターの用紙がありません。');
    expect(error.getAttribute('role')).toBe('alert');
    // Printing by hand stays possible.
    expect(screen.getByTestId('print-dialog')).toBeTruthy();
  });

  it('on a terminal without a document printer: the preview only', async () => {
    const terminal = staffTerminal(null);
    renderWithBackend(<Harness />, caseBackend(terminal));
    fireEvent.click(screen.getByTestId('save-print'));
    expect((await screen.findByTestId('finish-message')).textContent).toBe('印刷データを作成しました（2ページ）。');
    await waitFor(() => expect(terminal.callsOf('info')).toHaveLength(1));
    expect(terminal.callsOf('printPdf')).toHaveLength(0);
  });

  it('prints nothing when the forms could not be made', async () => {
    const terminal = staffTerminal('窓口プリンター');
    const backend = caseBackend(terminal, {
      printCase: () => Promise.reject(new BackendError('network')),
    });
    renderWithBackend(<Harness />, backend);
    fireEvent.click(screen.getByTestId('save-print'));
    await screen.findByTestId('finish-error');
    expect(terminal.callsOf('printPdf')).toHaveLength(0);
    expect(screen.queryByTestId('pdf-preview')).toBeNull();
  });
});

describe('FinishStep issuing certificates', () => {
  const juminhyo = (): Draft => {
    const d = emptyDraft('case-0002');
    return {
      ...d,
      document: {
        ...d.document,
        certificates: [{ item: 'JUMINHYO', copies: 2, name: '住民票の写し', yen: 600, scope: '世帯全員', items: null }],
      },
    };
  };
  const issued = { pdf, pages: 2, issueNumbers: ['R08-000001', 'R08-000002'] };
  const may = ['search', 'issue_certificates'];

  it('is offered only with issue_certificates and a 住民票の写し line', () => {
    const { unmount } = renderWithBackend(<Harness initial={juminhyo()} permissions={['search']} />, caseBackend());
    expect(screen.queryByTestId('issue-certificates')).toBeNull();
    unmount();
    const { unmount: again } = renderWithBackend(<Harness permissions={may} />, caseBackend());
    expect(screen.queryByTestId('issue-certificates')).toBeNull();
    again();
    renderWithBackend(<Harness initial={juminhyo()} permissions={may} />, caseBackend());
    expect(screen.getByTestId('issue-certificates').textContent).toContain('証明書を発行');
  });

  it('is offered for a 印鑑登録証明書 line too, not for a certificate of the core systems', () => {
    const withLine = (item: string, name: string): Draft => {
      const d = juminhyo();
      return { ...d, document: { ...d.document, certificates: [{ item, copies: 1, name, yen: 300 }] } };
    };
    const { unmount } = renderWithBackend(
      <Harness initial={withLine('INKAN-SHOMEI', '印鑑登録証明書')} permissions={may} />,
      caseBackend(),
    );
    expect(screen.getByTestId('issue-certificates')).toBeTruthy();
    unmount();
    renderWithBackend(<Harness initial={withLine('KOSEKI-ZENBU', '戸籍全部事項証明書')} permissions={may} />, caseBackend());
    expect(screen.queryByTestId('issue-certificates')).toBeNull();
  });

  it('F8 saves the case, issues, shows the 発行番号 and the PDF, and reads the case back', async () => {
    const backend = caseBackend(undefined, { issueCertificates: () => Promise.resolve(issued) });
    renderWithBackend(<Harness initial={juminhyo()} permissions={may} />, backend);
    fireEvent.keyDown(window, { key: 'F8' });
    expect((await screen.findByTestId('finish-message')).textContent).toBe('発行しました: R08-000001, R08-000002');
    expect(screen.getByTestId('pdf-preview')).toBeTruthy();
    const order = backend.calls.map((c) => c.method).filter((m) => ['saveCase', 'issueCertificates', 'getCase'].includes(m));
    expect(order).toEqual(['saveCase', 'issueCertificates', 'getCase']);
    const [caseId, req] = backend.callsOf('issueCertificates')[0]! as [string, { write_id: string; override_reason: unknown }];
    expect(caseId).toBe('case-0002');
    expect(req.override_reason).toBeNull();
    expect(req.write_id).toMatch(/^c-/);
  });

  it('a retry after a lost answer sends the same write id and does not save again', async () => {
    let tries = 0;
    const backend = caseBackend(undefined, {
      issueCertificates: () => (++tries === 1 ? Promise.reject(new BackendError('network')) : Promise.resolve(issued)),
    });
    renderWithBackend(<Harness initial={juminhyo()} permissions={may} />, backend);
    fireEvent.click(screen.getByTestId('issue-certificates'));
    expect((await screen.findByTestId('finish-error')).textContent).toBe(t('error.network'));
    fireEvent.click(screen.getByTestId('issue-certificates'));
    await screen.findByTestId('finish-message');
    const ids = backend.callsOf('issueCertificates').map(([, req]) => (req as { write_id: string }).write_id);
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBe(ids[0]);
    expect(backend.callsOf('saveCase')).toHaveLength(1);
  });

  it('支援措置: asks for the reason and sends it with the same attempt', async () => {
    const backend = caseBackend(undefined, {
      issueCertificates: (_id, req) =>
        req.override_reason
          ? Promise.resolve(issued)
          : Promise.reject(
              new BackendError('forbidden', {
                status: 403,
                code: 'support_measure_protected',
                message: '支援措置の対象者です。理由を入力してください。',
              }),
            ),
    });
    renderWithBackend(<Harness initial={juminhyo()} permissions={may} />, backend);
    fireEvent.keyDown(window, { key: 'F8' });
    expect((await screen.findByTestId('finish-error')).textContent).toBe('支援措置の対象者です。理由を入力してください。');
    expect(screen.getByLabelText('支援措置対象者の証明書を発行する理由')).toBeTruthy();
    fireEvent.change(screen.getByTestId('override-reason'), { target: { value: '本人からの請求（DV等支援措置の確認済）' } });
    fireEvent.keyDown(window, { key: 'F8' });
    await screen.findByTestId('finish-message');
    const reqs = backend.callsOf('issueCertificates').map(([, req]) => req as { write_id: string; override_reason: unknown });
    expect(reqs[1]!.override_reason).toBe('本人からの請求（DV等支援措置の確認済）');
    expect(reqs[1]!.write_id).toBe(reqs[0]!.write_id);
    expect(screen.queryByTestId('override-reason')).toBeNull();
  });

  it('shows the server’s Japanese message when nothing can be issued', async () => {
    const backend = caseBackend(undefined, {
      issueCertificates: () =>
        Promise.reject(
          new BackendError('validation', { status: 422, code: 'certificate_refused', message: '住民でない方の住民票の写しは発行できません。' }),
        ),
    });
    renderWithBackend(<Harness initial={juminhyo()} permissions={may} />, backend);
    fireEvent.click(screen.getByTestId('issue-certificates'));
    const error = await screen.findByTestId('finish-error');
    expect(error.textContent).toBe('住民でない方の住民票の写しは発行できません。');
    expect(screen.queryByTestId('pdf-preview')).toBeNull();
  });

  it('in the desktop app: prints the certificates on the document printer', async () => {
    const terminal = staffTerminal('窓口プリンター', { printPdf: () => Promise.resolve({ printer: '窓口プリンター' }) });
    const backend = caseBackend(terminal, { issueCertificates: () => Promise.resolve({ pdf, pages: 2 }) });
    renderWithBackend(<Harness initial={juminhyo()} permissions={may} />, backend);
    fireEvent.keyDown(window, { key: 'F8' });
    expect((await screen.findByTestId('finish-message')).textContent).toBe(
      '証明書を発行しました（2ページ）。窓口プリンターに印刷しました',
    );
    expect(terminal.callsOf('printPdf')).toEqual([[pdf]]);
  });
});
