import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AdminMenu } from './AdminMenu';
import { mayAdminister } from './screens';

describe('AdminMenu', () => {
  it('lists the screens an admin may open, with what each is for', () => {
    render(<AdminMenu permissions={['admin']} />);
    const link = screen.getByRole('link', { name: '端末登録' });
    expect(link.getAttribute('href')).toBe('#/staff/terminals');
    expect(screen.getByText(/ブラウザーからのログインを窓口ごとに許可/)).toBeTruthy();
  });

  it('shows only what the user may open', () => {
    render(<AdminMenu permissions={['import_data']} />);
    expect(screen.getByRole('link', { name: '連携状況' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: '端末登録' })).toBeNull();
  });

  it('offers the menu only to those who may administer something', () => {
    expect(mayAdminister(['admin'])).toBe(true);
    expect(mayAdminister(['search', 'accept_notification'])).toBe(false);
  });
});
