import { fireEvent, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaseView, SaveCase } from '../../api/types';
import { BackendError, TerminalError } from '../../backend';
import { FakeBackend, type FakeHandlers } from '../../test/FakeBackend';
import { FakeTerminal, kioskInfo, type FakeTerminalHandlers } from '../../test/FakeTerminal';
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

function Harness() {
  const [draft, setDraft] = useState<Draft>(() => emptyDraft('case-0001'));
  const [history, setHistory] = useState<CaseView['history']>([]);
  return <FinishStep draft={draft} setDraftState={setDraft} history={history} setHistory={setHistory} />;
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
