import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { DraftCheck, LocalCatalog, NavigationEditorView, PublishDraftRequest, TrialRequest } from '../../../api/types';
import { FakeBackend } from '../../../test/FakeBackend';
import { renderWithBackend } from '../../../test/render';
import { NavigationEditorPage } from './NavigationEditorPage';

const VIEW: NavigationEditorView = {
  today: '2026-12-07',
  catalog: [
    { code: 'JUMIN-IDO', name: '住民異動届', counter: '市民課', valid_from: '2000-01-01', valid_until: null, source: 'standard', state: 'in_force' },
  ],
  draft: { questions: [], procedures: [], examples: [] },
  draft_saved: false,
  draft_revision: 'standard',
  published_revision: 'standard',
  standard_questions: [{ id: 'has_dog', text: '犬を飼っていますか', kind: 'yes_no', options: [] }],
  forms: ['ido-todoke', 'kokuho-ido'],
};

const OK: DraftCheck = { ok: true, report: { problems: [], examples: [] }, diff: [] };

function ruleProblem(offset: number): DraftCheck {
  return {
    ok: false,
    report: {
      problems: [{ procedure: 0, rule: 0, question: null, example: null, field: 'when', offset, message: '式が途中で終わっています。' }],
      examples: [],
    },
    diff: [],
  };
}

function backend(check: (d: LocalCatalog) => DraftCheck) {
  return new FakeBackend({
    navigationEditor: () => Promise.resolve(VIEW),
    permissions: () => Promise.resolve([{ code: 'accept_notification', label: '届出の受付', description: '' }]),
    checkNavigationDraft: (d: LocalCatalog) => Promise.resolve(check(d)),
    publishNavigationDraft: () => Promise.resolve({ revision: 'r2' }),
    tryNavigationDraft: () =>
      Promise.resolve({
        draft: { procedures: [{ code: 'CITY-001', name: 'ごみ分別アプリの案内', counter: '市民課' }], next_questions: [] },
        current: { procedures: [], next_questions: [] },
      } as never),
  });
}

describe('NavigationEditorPage', () => {
  it('checks a rule as it is typed, marks where it goes wrong, and publishes from tomorrow once it holds', async () => {
    const b = backend((d) => {
      const when = d.procedures?.[0]?.rules[0]?.when ?? '';
      return when.endsWith('and') ? ruleProblem([...when].length) : OK;
    });
    renderWithBackend(<NavigationEditorPage />, b);
    fireEvent.click(await screen.findByTestId('add-procedure'));
    fireEvent.change(screen.getByLabelText('手続きの名前'), { target: { value: 'ごみ分別アプリの案内' } });
    fireEvent.change(screen.getByLabelText('条件式 1'), { target: { value: 'event.kind == "転入" and' } });
    const error = await screen.findByTestId('rule-error', {}, { timeout: 2000 });
    expect(error.textContent).toContain('23文字目');
    expect(within(error).getByText('␣').tagName).toBe('MARK');
    expect(screen.getByTestId('nav-publish-button')).toHaveProperty('disabled', true);

    fireEvent.change(screen.getByLabelText('条件式 1'), { target: { value: 'event.kind == "転入"' } });
    await screen.findByTestId('nav-check-ok', {}, { timeout: 2000 });
    await waitFor(() => expect(screen.getByTestId('nav-publish-button')).toHaveProperty('disabled', false));
    expect(screen.getByLabelText('公開日（この日以降の届出から使われます）')).toHaveProperty('value', '2026-12-08');
    fireEvent.click(screen.getByTestId('nav-publish-button'));
    await screen.findByTestId('nav-message');
    const [[sent]] = b.callsOf('publishNavigationDraft') as [[PublishDraftRequest]];
    expect(sent.from).toBe('2026-12-08');
    expect(sent.revision).toBe('standard');
    expect(sent.draft.procedures?.[0]?.name).toBe('ごみ分別アプリの案内');
  });

  it('tries a test household and marks what only the draft finds', async () => {
    const b = backend(() => OK);
    renderWithBackend(<NavigationEditorPage />, b);
    fireEvent.change(await screen.findByLabelText('質問への答え（1行に「質問ID=はい」「質問ID=いいえ」または「質問ID=選択肢」）', { selector: '#trial-answers' }), {
      target: { value: 'has_dog=はい' },
    });
    fireEvent.click(screen.getByTestId('trial-run'));
    const column = await screen.findByTestId('trial-draft');
    expect(column.textContent).toContain('ごみ分別アプリの案内');
    expect(column.textContent).toContain('下書きだけ');
    const [[req]] = b.callsOf('tryNavigationDraft') as [[TrialRequest]];
    expect(req.household.answers).toEqual({ has_dog: true });
    expect(req.household.event_date).toBe('2026-12-07');
  });
});
