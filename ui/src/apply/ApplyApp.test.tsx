import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { EvaluateRequest, GuideResponse, PreApplicationEntries } from '../api/types';
import { BackendError } from '../backend/Backend';
import type { ApplyBackend } from './api';
import { ApplyApp } from './ApplyApp';

const town = { town: '桜町一丁目', town_code: '001001', postal_code: '370-0001', full: '群馬県さくら野市桜町一丁目' };
const school = { id: 'school', text: '小中学校に通うお子さんはいますか', kind: 'yes_no' as const, options: [] };

function guide(req: EvaluateRequest): GuideResponse {
  return {
    city: 'さくら野市',
    procedures: [{ code: 'JUKI-TENNYU', name: '転入届', department: '市民課', counter: '市民課', on_the_spot: true, reasons: [], bring: ['転出証明書'], explanation: '', pamphlets: [] }],
    next_questions: req.answers?.['school'] === undefined ? [school] : [],
    answered: req.answers?.['school'] === undefined ? [] : [school],
  };
}

function fakeApi(overrides: Partial<ApplyBackend> = {}) {
  const signed: PreApplicationEntries[] = [];
  const api: ApplyBackend = {
    guide: vi.fn((_t: string, req: EvaluateRequest) => Promise.resolve(guide(req))),
    publicTowns: vi.fn(() => Promise.resolve([town])),
    signPreApplication: vi.fn((_t: string, entries: PreApplicationEntries) => {
      signed.push(entries);
      return Promise.resolve({ symbols: ['MDG1.1.2.x.a', 'MDG1.2.2.x.b'], svgs: ['<svg id="one"/>', '<svg id="two"/>'], issued: '2026-12-07', expires: '2027-01-06' });
    }),
    sendPreApplication: vi.fn(() => Promise.resolve({ number: '12345678', expires: '2027-01-06' })),
    deletePreApplication: vi.fn(() => Promise.resolve()),
    ...overrides,
  };
  return { api, signed };
}

function choose(testId: string, value: string, index = 0) {
  fireEvent.change(screen.getAllByTestId(testId)[index]!, { target: { value } });
}

/** Fills the applicant as a 西暦 birth date. */
function fillApplicant() {
  fireEvent.change(screen.getByTestId('apply-name'), { target: { value: '桜野 一郎' } });
  fireEvent.click(screen.getByTestId('apply-birth-0-seireki'));
  choose('apply-birth-0-year', '1990');
  choose('apply-birth-0-month', '5');
  choose('apply-birth-0-day', '1');
}

beforeEach(() => {
  window.localStorage.clear();
  // The app starts in the phone's language: a Japanese phone here (the Vietnamese one below).
  Object.defineProperty(navigator, 'languages', { value: ['ja-JP'], configurable: true });
});

describe('the resident phone app', () => {
  it('takes a 転入 from event to a signed QR code in several parts, and sends it for a 受付番号', async () => {
    const { api, signed } = fakeApi();
    render(<ApplyApp api={api} tenant="sakurano" />);
    fireEvent.click(screen.getByTestId('apply-start-button'));
    fireEvent.click(screen.getByTestId('apply-event-転入'));
    fireEvent.click(screen.getByTestId('apply-next'));
    expect((screen.getByTestId('apply-next') as HTMLButtonElement).disabled).toBe(true);
    fillApplicant();
    expect(screen.getByTestId('apply-birth-0-other').textContent).toBe('平成2年5月1日');
    fireEvent.click(screen.getByTestId('apply-next'));
    fireEvent.change(screen.getByTestId('apply-town-search'), { target: { value: '3700001' } });
    fireEvent.click(await screen.findByTestId('apply-town-option'));
    fireEvent.change(screen.getByTestId('apply-banchi'), { target: { value: '1-2-3' } });
    fireEvent.click(screen.getByTestId('apply-next'));
    fireEvent.click(await screen.findByTestId('guide-yes'));
    await waitFor(() => expect(screen.getByTestId('guide-answers').textContent).toContain('はい'));
    fireEvent.click(screen.getByTestId('apply-next'));
    expect(await screen.findByTestId('apply-qr-part')).toHaveProperty('textContent', 'QRコードは2枚あります（1枚目）。順にすべて見せてください。');
    expect(screen.getByTestId('apply-qr-image').getAttribute('src')).toContain(encodeURIComponent('<svg id="one"/>'));
    fireEvent.click(screen.getByTestId('apply-qr-next'));
    expect(screen.getByTestId('apply-qr-image').getAttribute('src')).toContain(encodeURIComponent('<svg id="two"/>'));
    expect(signed).toHaveLength(1);
    expect(signed[0]).toMatchObject({
      event: '転入',
      language: 'ja',
      answers: { school: true },
      members: [{ name: '桜野 一郎', birth: '1990-05-01', relation: '本人' }],
      new_address: { town: '桜町一丁目', banchi: '1-2-3' },
    });
    fireEvent.click(screen.getByTestId('apply-send-button'));
    expect((await screen.findByTestId('apply-number')).textContent).toBe('1234-5678');
  });

  it('keeps the entries on the phone, says when offline, and shows the last QR code without a network', async () => {
    const { api } = fakeApi();
    const first = render(<ApplyApp api={api} tenant="sakurano" />);
    fireEvent.click(screen.getByTestId('apply-start-button'));
    fireEvent.click(screen.getByTestId('apply-event-証明書'));
    fireEvent.click(screen.getByTestId('apply-next'));
    fillApplicant();
    fireEvent.click(screen.getByTestId('apply-next'));
    fireEvent.click(within(screen.getByTestId('apply-certificates')).getByLabelText('住民票の写し'));
    fireEvent.click(screen.getByTestId('apply-next'));
    await screen.findByTestId('apply-qr-image');
    first.unmount();

    // Reopened offline: the entries are there, and the QR code made before still shows.
    const down = () => Promise.reject(new BackendError('network'));
    const offline = fakeApi({ signPreApplication: vi.fn(down), guide: vi.fn(down) });
    render(<ApplyApp api={offline.api} tenant="sakurano" />);
    fireEvent.click(screen.getByTestId('apply-start-button'));
    expect(screen.getByTestId('apply-event-証明書').getAttribute('aria-checked')).toBe('true');
    fireEvent.click(screen.getByTestId('apply-next'));
    expect((screen.getByTestId('apply-name') as HTMLInputElement).value).toBe('桜野 一郎');
    fireEvent.click(screen.getByTestId('apply-next'));
    fireEvent.click(screen.getByTestId('apply-next'));
    expect(await screen.findByTestId('apply-qr-image')).toBeTruthy();
    expect(offline.api.signPreApplication).not.toHaveBeenCalled();

    // A change made offline cannot be signed: the resident is told, nothing is lost.
    fireEvent.click(screen.getByText('戻る'));
    fireEvent.click(within(screen.getByTestId('apply-certificates')).getByLabelText('印鑑登録証明書'));
    fireEvent.click(screen.getByTestId('apply-next'));
    expect((await screen.findByTestId('apply-qr-error')).textContent).toContain('電波がないため');
    expect(JSON.parse(window.localStorage.getItem('madoguchi.apply.sakurano') ?? '{}').certificates).toEqual(['住民票の写し', '印鑑登録証明書']);
  });

  it("starts in the phone's language, translated and marked where the city's texts are Japanese only", async () => {
    Object.defineProperty(navigator, 'languages', { value: ['vi-VN'], configurable: true });
    const { api } = fakeApi();
    render(<ApplyApp api={api} tenant="sakurano" />);
    await waitFor(() => expect(screen.getByTestId('apply-app').dataset['lang']).toBe('vi'));
    expect(screen.getByTestId('apply-start-button').textContent).not.toBe('はじめる');
    expect((screen.getByTestId('apply-language') as HTMLSelectElement).value).toBe('vi');
    fireEvent.change(screen.getByTestId('apply-language'), { target: { value: 'ja' } });
    await waitFor(() => expect(screen.getByTestId('apply-start-button').textContent).toBe('はじめる'));
    expect(JSON.parse(window.localStorage.getItem('madoguchi.apply.sakurano') ?? '{}').language).toBe('ja');
  });

  it('erases everything kept on the phone on request', async () => {
    const { api } = fakeApi();
    window.localStorage.setItem('madoguchi.apply.sakurano', JSON.stringify({ tenant: 'sakurano', event: '転居', people: [], saved: '2026-12-07' }));
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    render(<ApplyApp api={api} tenant="sakurano" />);
    fireEvent.click(screen.getByTestId('apply-clear'));
    await waitFor(() => expect(screen.getByTestId('apply-start-button').textContent).toBe('はじめる'));
    expect(JSON.parse(window.localStorage.getItem('madoguchi.apply.sakurano') ?? '{}').event).toBeNull();
  });
});
