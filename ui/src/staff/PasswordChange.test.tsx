import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { BackendError } from '../backend/Backend';
import { FakeBackend } from '../test/FakeBackend';
import { renderWithBackend } from '../test/render';
import { PasswordChange } from './PasswordChange';

function fill(current: string, next: string, again: string) {
  fireEvent.change(screen.getByLabelText('現在のパスワード'), { target: { value: current } });
  fireEvent.change(screen.getByLabelText('新しいパスワード'), { target: { value: next } });
  fireEvent.change(screen.getByLabelText('新しいパスワード（確認）'), { target: { value: again } });
  fireEvent.click(screen.getByTestId('password-submit'));
}

describe('PasswordChange', () => {
  it('says why a temporary password must be changed, checks the confirmation, then sends it', async () => {
    const b = new FakeBackend({ changePassword: () => Promise.resolve() });
    const done = vi.fn();
    renderWithBackend(<PasswordChange required onDone={done} />, b);
    expect(screen.getByRole('alert').textContent).toContain('仮パスワード');
    fill('abcd-efgh-jkmn-pqrs', 'my-own-choice-2026', 'my-own-choice-2027');
    expect(screen.getByTestId('password-error').textContent).toBe('確認のパスワードが一致しません。');
    expect(b.callsOf('changePassword')).toEqual([]);
    fill('abcd-efgh-jkmn-pqrs', 'my-own-choice-2026', 'my-own-choice-2026');
    expect((await screen.findByTestId('password-changed')).textContent).toContain('新しいパスワードでログイン');
    expect(b.callsOf('changePassword')).toEqual([
      [{ current_password: 'abcd-efgh-jkmn-pqrs', new_password: 'my-own-choice-2026' }],
    ]);
    fireEvent.click(screen.getByTestId('password-to-login'));
    expect(done).toHaveBeenCalledOnce();
  });

  it('shows the policy refusal of the server', async () => {
    const b = new FakeBackend({
      changePassword: () =>
        Promise.reject(
          new BackendError('validation', { status: 422, code: 'password_policy', message: 'パスワードは12文字以上にしてください。' }),
        ),
    });
    renderWithBackend(<PasswordChange required={false} onDone={() => {}} />, b);
    expect(screen.queryByRole('alert')).toBeNull();
    fill('old-password-12', 'short1234567', 'short1234567');
    expect((await screen.findByTestId('password-error')).textContent).toContain('12文字以上');
  });
});
