import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { EvaluateRequest, GuideResponse } from '../api/types';
import { BackendError } from '../backend';
import { FakeBackend } from '../test/FakeBackend';
import { renderWithBackend } from '../test/render';
import { GuidePage } from './GuidePage';

const answer = (req: EvaluateRequest): GuideResponse => ({
  city: 'さくら野市',
  procedures: [
    { code: 'JUKI-TENNYU', name: '転入届', department: '市民課', counter: '市民課', on_the_spot: true, reasons: ['市外から引っ越してきたため'], bring: ['転出証明書'], explanation: '', pamphlets: [] },
    ...(req.answers?.['school'] === true
      ? [{ code: 'KYOIKU-TENNYUGAKU', name: '転入学', department: '学校教育課', counter: '学校教育課', on_the_spot: false, reasons: ['小中学生が転入するため'], bring: [], explanation: '在学証明書を持ってきてください。', pamphlets: [] }]
      : []),
  ],
  next_questions: req.answers?.['school'] === undefined ? [school] : [],
  answered: req.answers?.['school'] === undefined ? [] : [school],
});
const school = { id: 'school', text: '小中学校に通うお子さんはいますか', kind: 'yes_no', options: [] };

afterEach(() => window.history.replaceState(null, '', '#/'));

describe('the public 手続きガイド', () => {
  it('asks the event, the household and the questions, lists the procedures and keeps it all in the URL', async () => {
    window.history.replaceState(null, '', '#/guide?tenant=sakurano');
    const backend = new FakeBackend({ guide: (_t, req) => Promise.resolve(answer(req)) });
    renderWithBackend(<GuidePage />, backend);
    expect(screen.getByTestId('guide-choose')).toBeTruthy();
    fireEvent.click(screen.getByTestId('guide-event-転入'));
    fireEvent.click(screen.getByTestId('guide-add'));
    fireEvent.change(screen.getByTestId('guide-age'), { target: { value: '41' } });
    fireEvent.click(await screen.findByTestId('guide-yes'));
    await waitFor(() => expect(screen.getAllByTestId('guide-procedure').map((p) => p.dataset['code'])).toEqual(['JUKI-TENNYU', 'KYOIKU-TENNYUGAKU']));
    expect(screen.getByTestId('guide-result').textContent).toContain('持ち物：転出証明書');
    const [tenant, req] = backend.callsOf('guide').at(-1) as [string, EvaluateRequest];
    expect(tenant).toBe('sakurano');
    expect(req.household_after).toHaveLength(1);
    expect(req.household_after?.[0]).toMatchObject({ relation: '世帯主', mover: true });
    expect(JSON.stringify(req)).not.toMatch(/name/);
    const url = (screen.getByTestId('guide-url') as HTMLInputElement).value;
    expect(url).toContain('#/guide?tenant=sakurano&e=');
    expect(decodeURIComponent(window.location.hash)).toContain('a=school:1');
    expect(screen.getByTestId('guide-answers').textContent).toContain('小中学校に通うお子さんはいますか：回答：はい');
    // Taking the answer back asks again.
    fireEvent.click(screen.getByTestId('guide-unanswer'));
    expect(await screen.findByTestId('guide-yes')).toBeTruthy();
  });

  it('opens a shared URL with its answers, and says why it cannot answer', async () => {
    window.history.replaceState(null, '', '#/guide?tenant=nowhere&e=転入&d=国内&m=41.世帯主.sk&a=school:1');
    const backend = new FakeBackend({ guide: () => Promise.reject(new BackendError('not_found', { status: 404, message: 'その団体の手続きガイドはありません。' })) });
    renderWithBackend(<GuidePage />, backend);
    expect((await screen.findByTestId('guide-error')).textContent).toContain('その団体の手続きガイドはありません');
    const [, req] = backend.callsOf('guide').at(-1) as [string, EvaluateRequest];
    expect(req).toMatchObject({ event: '転入', detail: '国内', answers: { school: true } });
    expect(req.household_after?.[0]).toMatchObject({ kokuho: true, mover: true });
  });
});
