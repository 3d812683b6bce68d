import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaseDocument, CaseView, SaveCase } from '../../api/types';
import { BackendError } from '../../backend';
import { FakeBackend, type FakeHandlers } from '../../test/FakeBackend';
import { renderWithBackend } from '../../test/render';
import { FinishStep } from './FinishStep';
import { MASKED_ADDRESS, emptyDraft, type Draft } from './model';
import { VisitPage } from './VisitPage';

// 支援措置: a case naming a protected resident comes with every address masked (`address_masked`).

const towns = [{ town: '本町', town_code: '0001001', postal_code: '3799001', full: '群馬県さくら野市本町' }];

const REAL_OLD = '群馬県さくら野市緑町三丁目4番5号';
const REAL_NEW = '群馬県さくら野市本町一丁目2番3号';

function documentWith(oldAddress: string, newAddress: NonNullable<CaseDocument['notifications']>[number]['new_address']): CaseDocument {
  return {
    visitor: {
      kind: '本人',
      atena_no: '000000000001500',
      name: '支援　花子',
      relation: '',
      proxy_letter: false,
      id_document: 'マイナンバーカード',
      card: { name: '支援　花子', address: oldAddress, birth: '1990-05-05', sex: '女' },
    },
    notifications: [
      {
        kind: '転居',
        detail: '',
        event_date: '2026-11-20',
        household_no: '100000000001500',
        old_address: oldAddress,
        head_name: '支援　花子',
        members: [
          {
            atena_no: '000000000001500',
            name: '支援　花子',
            kana: 'シエン　ハナコ',
            facts: { birth: '1990-05-05', sex: '女', relation: '世帯主', mover: true },
          },
        ],
        new_address: newAddress,
      },
    ],
    answers: {},
    procedures: [],
    certificates: [],
    fee_total: 0,
    memo: '',
  };
}

const maskedDocument = documentWith(MASKED_ADDRESS, {
  town: MASKED_ADDRESS,
  town_code: null,
  postal_code: null,
  banchi: '',
  katagaki: '',
  full: MASKED_ADDRESS,
});

const fullDocument = documentWith(REAL_OLD, {
  town: '本町',
  town_code: '0001001',
  postal_code: '3799001',
  banchi: '一丁目2番3号',
  katagaki: '',
  full: REAL_NEW,
});

function caseView(document: CaseDocument, addressMasked: boolean): CaseView {
  return {
    id: 'case-shien-0001', revision: 3, status: 'open', status_label: '受付中', title: '転居',
    address_masked: addressMasked, document,
    opened_at: '2026-11-23T00:00:00Z', opened_by: 'demo', opened_counter: 'shimin-1',
    updated_at: '2026-11-23T00:00:00Z', updated_by: 'demo', updated_counter: 'shimin-1',
    history: [{ at: '2026-11-23T00:00:00Z', user: 'demo', counter: 'shimin-1', terminal: null, lines: ['案件を作成'] }],
  };
}

function maskedBackend(handlers: FakeHandlers = {}) {
  return new FakeBackend({
    getCase: () => Promise.resolve(caseView(maskedDocument, true)),
    towns: () => Promise.resolve(towns),
    evaluate: () => Promise.resolve({ procedures: [], next_questions: [] }),
    ...handlers,
  });
}

async function openMasked(backend: FakeBackend, permissions: string[]) {
  renderWithBackend(<VisitPage resumeId="case-shien-0001" permissions={permissions} />, backend);
  return screen.findByTestId('case-address-masked');
}

beforeEach(() => {
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null); // jsdom draws nothing
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a case masked for 支援措置', () => {
  it('shows the banner, and to a user without the override no way to disclose', async () => {
    const banner = await openMasked(maskedBackend(), ['search', 'accept_notification']);
    expect(banner.textContent).toContain('この案件には支援措置の対象者が含まれるため、住所を表示していません。');
    expect(screen.queryByTestId('disclose-address')).toBeNull();
    expect(screen.queryByTestId('disclosure-form')).toBeNull();
    // Still shown on every step of the case.
    fireEvent.click(screen.getByTestId('step-finish'));
    expect(screen.getByTestId('case-address-masked')).toBeTruthy();
  });

  it('shows the masked addresses read-only in 届出, never as text to edit', async () => {
    await openMasked(maskedBackend(), ['search']);
    fireEvent.click(screen.getByTestId('step-notification'));
    const panel = await screen.findByTestId('step-panel-notification');
    const town = within(panel).getByTestId('town-input') as HTMLInputElement;
    expect(town.value).toBe(MASKED_ADDRESS);
    expect(town.disabled).toBe(true);
    expect((within(panel).getByTestId('banchi-input') as HTMLInputElement).disabled).toBe(true);
    expect(within(panel).getByTestId('address-masked').textContent).toContain('この画面では変更できません');
    expect(within(panel).getByTestId('old-address').textContent).toBe(MASKED_ADDRESS);
    expect(within(panel).getByTestId('old-address-masked')).toBeTruthy();
    expect(panel.textContent).not.toContain('丁目');
  });

  it('offers 「住所を表示」 with the override, and asks for a reason of 4–200 characters', async () => {
    const backend = maskedBackend();
    await openMasked(backend, ['search', 'override_support_measure']);
    fireEvent.click(screen.getByTestId('disclose-address'));
    const reason = screen.getByTestId('disclosure-reason');
    expect(screen.getByLabelText('住所を表示する理由')).toBe(reason);

    fireEvent.click(screen.getByTestId('disclosure-submit'));
    const problem = await screen.findByTestId('disclosure-error');
    expect(problem.textContent).toBe('住所を表示する理由を4文字以上200文字以内で入力してください。');
    expect(problem.getAttribute('role')).toBe('alert');

    fireEvent.change(reason, { target: { value: '  確認  ' } }); // 2 characters once trimmed
    fireEvent.click(screen.getByTestId('disclosure-submit'));
    fireEvent.change(reason, { target: { value: 'あ'.repeat(201) } });
    fireEvent.click(screen.getByTestId('disclosure-submit'));
    await waitFor(() => expect(screen.getByTestId('disclosure-error')).toBeTruthy());
    expect(backend.callsOf('discloseCase')).toHaveLength(0);
    expect(screen.getByTestId('case-address-masked')).toBeTruthy();
  });

  it('discloses for the reason given and shows the addresses as stored', async () => {
    const backend = maskedBackend({
      discloseCase: () => Promise.resolve({ case: caseView(fullDocument, false), protected: true }),
    });
    await openMasked(backend, ['search', 'override_support_measure']);
    // Opened on the 届出 step: the masked picker gives way to the usual one once disclosed.
    fireEvent.click(screen.getByTestId('step-notification'));
    await screen.findByTestId('address-masked');

    fireEvent.click(screen.getByTestId('disclose-address'));
    fireEvent.change(screen.getByTestId('disclosure-reason'), {
      target: { value: ' 本人からの申出による転居届の確認 ' },
    });
    fireEvent.click(screen.getByTestId('disclosure-submit'));

    const notice = await screen.findByTestId('case-address-disclosed');
    expect(notice.textContent).toBe('住所を表示しています（理由は記録されました）');
    expect(notice.getAttribute('role')).toBe('status');
    expect(backend.callsOf('discloseCase')).toEqual([['case-shien-0001', '本人からの申出による転居届の確認']]);
    expect(screen.queryByTestId('case-address-masked')).toBeNull();

    const panel = screen.getByTestId('step-panel-notification');
    expect(within(panel).queryByTestId('address-masked')).toBeNull();
    expect(within(panel).getByTestId('old-address').textContent).toBe(REAL_OLD);
    const town = within(panel).getByTestId('town-input') as HTMLInputElement;
    expect(town.disabled).toBe(false);
    expect(town.value).toBe('本町');
    // The picker keeps the stored address (it does not rebuild it from an empty 番地).
    await waitFor(() => expect(within(panel).getByTestId('new-address').textContent).toContain(REAL_NEW));
  });

  it('the saved case comes back masked: the banner returns', async () => {
    const saves: SaveCase[] = [];
    const backend = maskedBackend({
      discloseCase: () => Promise.resolve({ case: caseView(fullDocument, false), protected: true }),
      saveCase: (_id, req) => {
        saves.push(req);
        return Promise.resolve({ ...caseView(maskedDocument, true), revision: 4 });
      },
    });
    await openMasked(backend, ['override_support_measure']);
    fireEvent.click(screen.getByTestId('disclose-address'));
    fireEvent.change(screen.getByTestId('disclosure-reason'), { target: { value: '転居先の確認のため' } });
    fireEvent.click(screen.getByTestId('disclosure-submit'));
    await screen.findByTestId('case-address-disclosed');
    fireEvent.click(screen.getByTestId('step-finish'));
    fireEvent.keyDown(window, { key: 'F10' });
    await screen.findByTestId('finish-message');
    expect(saves[0]!.document.notifications![0]!.old_address).toBe(REAL_OLD);
    expect(await screen.findByTestId('case-address-masked')).toBeTruthy();
    expect(screen.queryByTestId('case-address-disclosed')).toBeNull();
  });

  it('shows the server’s message when the disclosure is refused, and stays masked', async () => {
    const backend = maskedBackend({
      discloseCase: () =>
        Promise.reject(
          new BackendError('forbidden', {
            status: 403,
            code: 'permission_denied',
            message: 'この窓口では支援措置対象者の住所を表示できません。',
          }),
        ),
    });
    await openMasked(backend, ['override_support_measure']);
    fireEvent.click(screen.getByTestId('disclose-address'));
    fireEvent.change(screen.getByTestId('disclosure-reason'), { target: { value: '証明書交付の確認' } });
    fireEvent.click(screen.getByTestId('disclosure-submit'));
    expect((await screen.findByTestId('disclosure-error')).textContent).toBe(
      'この窓口では支援措置対象者の住所を表示できません。',
    );
    expect(screen.getByTestId('case-address-masked')).toBeTruthy();
    expect(screen.queryByTestId('case-address-disclosed')).toBeNull();
  });
});

describe('saving a masked case', () => {
  it('explains a refused masked address (masked_address) and offers to read the case again', async () => {
    function Harness() {
      const draft: Draft = { ...emptyDraft('case-shien-0001'), revision: 3, document: maskedDocument, addressMasked: true };
      return <FinishStep draft={draft} setDraftState={() => {}} history={[]} setHistory={() => {}} />;
    }
    const message = '支援措置のため非表示の住所は、そのままでは保存できません。案件を読み込み直してから入力してください。';
    const backend = new FakeBackend({
      saveCase: () => Promise.reject(new BackendError('validation', { status: 400, code: 'masked_address', message })),
    });
    renderWithBackend(<Harness />, backend);
    fireEvent.keyDown(window, { key: 'F10' });
    const error = await screen.findByTestId('finish-error');
    expect(error.textContent).toContain(message);
    expect(screen.getByTestId('finish-reload')).toBeTruthy();
  });
});
