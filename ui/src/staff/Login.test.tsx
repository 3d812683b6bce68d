import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { LoginRequest } from '../api/types';
import { BackendError } from '../backend';
import { FakeBackend } from '../test/FakeBackend';
import { demoUser } from '../test/fixtures';
import { renderWithBackend } from '../test/render';
import { Login } from './Login';

function input(label: string): HTMLInputElement {
  return screen.getByLabelText(label) as HTMLInputElement;
}

describe('Login', () => {
  it('shows the server error and keeps the typed values when the login fails', async () => {
    const backend = new FakeBackend({
      login: () =>
        Promise.reject(
          new BackendError('unauthorized', {
            status: 401,
            code: 'invalid_credentials',
            message: 'ユーザーIDまたはパスワードが違います。',
          }),
        ),
    });
    const onLoggedIn = vi.fn();
    renderWithBackend(<Login onLoggedIn={onLoggedIn} />, backend);

    // Counters of the default tenant are loaded into the select.
    const counter = (await screen.findByRole('option', { name: '保険年金課' })).closest('select')!;
    expect(backend.callsOf('counters')).toEqual([['demo']]);
    fireEvent.change(counter, { target: { value: 'hoken' } });
    fireEvent.change(input('ユーザーID'), { target: { value: 'tanaka' } });
    fireEvent.change(input('パスワード'), { target: { value: 'wrong-password' } });
    fireEvent.submit(screen.getByTestId('login-form')); // what Enter in a field does

    expect(await screen.findByRole('alert')).toHaveProperty('textContent', 'ユーザーIDまたはパスワードが違います。');
    expect(input('団体ID').value).toBe('demo');
    expect(counter.value).toBe('hoken');
    expect(input('ユーザーID').value).toBe('tanaka');
    expect(input('パスワード').value).toBe('wrong-password');
    expect(onLoggedIn).not.toHaveBeenCalled();

    const [req] = backend.callsOf('login')[0] as [LoginRequest];
    expect(req).toMatchObject({ tenant: 'demo', counter: 'hoken', user: 'tanaka', password: 'wrong-password' });
    // A browser names no terminal: the server knows terminals by their enrolled keys only.
    expect(req).not.toHaveProperty('terminal');
    expect(req).not.toHaveProperty('device');
  });

  it('reloads the counters when the tenant changes and reports the session user on success', async () => {
    const backend = new FakeBackend({
      counters: (tenant) =>
        Promise.resolve(tenant === 'other' ? [{ code: 'madoguchi', name: '総合窓口' }] : [{ code: 'shimin', name: '市民課' }]),
    });
    const onLoggedIn = vi.fn();
    renderWithBackend(<Login onLoggedIn={onLoggedIn} />, backend);
    await screen.findByRole('option', { name: '市民課' });

    fireEvent.change(input('団体ID'), { target: { value: 'other' } });
    await screen.findByRole('option', { name: '総合窓口' });
    expect(backend.callsOf('counters')).toEqual([['demo'], ['other']]);

    fireEvent.change(input('ユーザーID'), { target: { value: 'tanaka' } });
    fireEvent.change(input('パスワード'), { target: { value: 'secret' } });
    fireEvent.submit(screen.getByTestId('login-form'));
    await waitFor(() => expect(onLoggedIn).toHaveBeenCalledWith(demoUser));
    expect(backend.callsOf('login')[0]?.[0]).toMatchObject({ tenant: 'other', counter: 'madoguchi' });
  });
});
