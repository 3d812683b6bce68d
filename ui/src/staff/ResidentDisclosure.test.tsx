import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BackendError } from '../backend/Backend';
import { FakeBackend } from '../test/FakeBackend';
import { renderWithBackend } from '../test/render';
import { ResidentDisclosure } from './ResidentDisclosure';

const address = {
  full: '群馬県さくら野市本町一丁目1番1号',
  prefecture: '群馬県',
  city: 'さくら野市',
  city_code: '109999',
  town: '本町一丁目',
};

describe('ResidentDisclosure', () => {
  it('shows the address for a stated reason, audited by the server', async () => {
    const backend = new FakeBackend({
      discloseResidentAddress: () => Promise.resolve({ atena_no: '000000000000019', address, protected: true }),
    });
    renderWithBackend(<ResidentDisclosure atenaNo="000000000000019" mayDisclose />, backend);
    fireEvent.click(screen.getByTestId('resident-disclose-address'));
    fireEvent.change(screen.getByTestId('resident-disclosure-reason'), { target: { value: '本人からの申出' } });
    fireEvent.keyDown(screen.getByTestId('resident-disclosure-reason'), { key: 'Enter', ctrlKey: true });
    expect((await screen.findByTestId('resident-disclosed-address')).textContent).toContain(address.full);
    expect(backend.callsOf('discloseResidentAddress')).toEqual([['000000000000019', '本人からの申出']]);
  });

  it('asks for a reason of 4 characters or more before calling the server', () => {
    const backend = new FakeBackend();
    renderWithBackend(<ResidentDisclosure atenaNo="000000000000019" mayDisclose />, backend);
    fireEvent.click(screen.getByTestId('resident-disclose-address'));
    fireEvent.change(screen.getByTestId('resident-disclosure-reason'), { target: { value: '確認' } });
    fireEvent.click(screen.getByTestId('resident-disclosure-submit'));
    expect(screen.getByTestId('resident-disclosure-error').textContent).toContain('4文字以上');
    expect(backend.callsOf('discloseResidentAddress')).toHaveLength(0);
  });

  it('shows the server refusal, closes with Esc, and offers nothing without the permission', async () => {
    const backend = new FakeBackend({
      discloseResidentAddress: () =>
        Promise.reject(new BackendError('forbidden', { status: 403, code: 'forbidden', message: 'この操作（支援措置対象者の住所表示）を行う権限がありません。' })),
    });
    const { unmount } = renderWithBackend(<ResidentDisclosure atenaNo="000000000000019" mayDisclose />, backend);
    fireEvent.click(screen.getByTestId('resident-disclose-address'));
    fireEvent.change(screen.getByTestId('resident-disclosure-reason'), { target: { value: '本人からの申出' } });
    fireEvent.click(screen.getByTestId('resident-disclosure-submit'));
    expect((await screen.findByTestId('resident-disclosure-error')).textContent).toContain('権限がありません');
    fireEvent.keyDown(screen.getByTestId('resident-disclosure-reason'), { key: 'Escape' });
    expect(screen.getByTestId('resident-disclose-address')).toBeTruthy();
    unmount();
    renderWithBackend(<ResidentDisclosure atenaNo="000000000000019" mayDisclose={false} />, backend);
    expect(screen.queryByTestId('resident-disclose-address')).toBeNull();
  });
});
