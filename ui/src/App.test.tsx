import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from './App';
import { FakeBackend } from './test/FakeBackend';

describe('App', () => {
  afterEach(() => {
    window.location.hash = '';
  });

  it('sends a visitor without a session to #/login, and into #/staff after logging in', async () => {
    window.location.hash = '#/staff/search';
    const backend = new FakeBackend();
    render(<App backend={backend} />);

    await waitFor(() => expect(window.location.hash).toBe('#/login'));
    await screen.findByRole('option', { name: '市民課' });
    fireEvent.change(screen.getByLabelText('ユーザーID'), { target: { value: 'tanaka' } });
    fireEvent.change(screen.getByLabelText('パスワード'), { target: { value: 'secret' } });
    fireEvent.submit(screen.getByTestId('login-form'));

    expect((await screen.findByTestId('session-user')).textContent).toBe('田中 一郎');
    expect(window.location.hash).toBe('#/staff');
    expect(screen.getByTestId('session-counter').textContent).toBe('市民課');
    expect(screen.getByTestId('visit-search-input')).toBeTruthy();

    act(() => backend.expireSession());
    await waitFor(() => expect(window.location.hash).toBe('#/login'));
  });

  it('restores a kept session with me() and shows 準備中 for screens not built yet', async () => {
    const backend = new FakeBackend();
    backend.session = true;
    window.location.hash = '#/kiosk';
    render(<App backend={backend} />);
    expect((await screen.findByTestId('placeholder')).textContent).toContain('準備中');
    expect(backend.callsOf('me')).toHaveLength(1);
  });
});
