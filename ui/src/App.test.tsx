import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from './App';
import { BackendError } from './backend';
import { demoUser } from './test/fixtures';
import { FakeBackend } from './test/FakeBackend';
import { FakeTerminal, kioskInfo, onlineStatus } from './test/FakeTerminal';

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
    expect(screen.queryByTestId('terminal-strip')).toBeNull(); // a browser has no terminal

    act(() => backend.expireSession());
    await waitFor(() => expect(window.location.hash).toBe('#/login'));
  });

  it('restores a kept session with me() and takes #/admin to the admin console', async () => {
    const backend = new FakeBackend();
    backend.session = true;
    window.location.hash = '#/admin';
    render(<App backend={backend} />);
    expect(await screen.findByRole('heading', { name: '管理メニュー' })).toBeTruthy();
    expect(window.location.hash).toBe('#/staff/admin');
    expect(backend.callsOf('me')).toHaveLength(1);
  });

  it('asks for a new password first when the session holds a temporary one', async () => {
    const backend = new FakeBackend({ me: () => Promise.resolve({ ...demoUser, must_change_password: true }) });
    backend.session = true;
    window.location.hash = '#/staff/search';
    render(<App backend={backend} />);
    expect(await screen.findByTestId('password-change')).toBeTruthy();
    expect(screen.queryByTestId('search-input')).toBeNull();
  });

  it('says in a browser that the kiosk needs a kiosk terminal', async () => {
    window.location.hash = '#/kiosk';
    render(<App backend={new FakeBackend()} />);
    const message = await screen.findByTestId('kiosk-unavailable');
    expect(message.textContent).toContain('キオスク端末でのみ利用できます');
    expect(screen.queryByTestId('kiosk-start')).toBeNull();
  });
});

describe('App on a desktop terminal', () => {
  afterEach(() => {
    window.location.hash = '';
  });

  it('kiosk: starts at #/kiosk and stays there', async () => {
    window.location.hash = '#/staff';
    const backend = new FakeBackend({}, { terminal: new FakeTerminal() });
    render(<App backend={backend} />);
    await screen.findByTestId('kiosk-start');
    expect(window.location.hash).toBe('#/kiosk');
    act(() => {
      window.location.hash = '#/login';
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    await waitFor(() => expect(window.location.hash).toBe('#/kiosk'));
    expect(screen.getByTestId('kiosk-start')).toBeTruthy();
    expect(screen.queryByTestId('login-form')).toBeNull();
    expect(backend.callsOf('me')).toHaveLength(0);
  });

  it('staff: the login has the terminal’s tenant and counter preselected (the runtime signs it)', async () => {
    const terminal = new FakeTerminal({}, { ...kioskInfo, role: 'staff', terminal_id: 'pc-07', counter: 'hoken' });
    const backend = new FakeBackend({}, { terminal });
    render(<App backend={backend} />);
    await waitFor(() => expect(window.location.hash).toBe('#/login'));
    await screen.findByRole('option', { name: '保険年金課' });
    await waitFor(() => expect((screen.getByLabelText('窓口') as HTMLSelectElement).value).toBe('hoken'));
    expect((screen.getByLabelText('団体ID') as HTMLInputElement).value).toBe('demo');
    fireEvent.change(screen.getByLabelText('ユーザーID'), { target: { value: 'tanaka' } });
    fireEvent.change(screen.getByLabelText('パスワード'), { target: { value: 'secret' } });
    fireEvent.submit(screen.getByTestId('login-form'));
    await screen.findByTestId('session-user');
    expect(backend.callsOf('login')[0]![0]).toMatchObject({ counter: 'hoken', tenant: 'demo' });
    // The status strip: online, nothing waiting, the card reader.
    expect((await screen.findByTestId('online-badge')).textContent).toBe('オンライン');
    expect(screen.getByTestId('outbox-pending').textContent).toBe('未送信 0件');
    expect(screen.getByTestId('card-state').textContent).toContain('カード読取可');
    expect(screen.queryByTestId('offline-banner')).toBeNull();

    // Offline, pushed by the runtime: a banner nobody can miss, and the waiting saves.
    act(() => terminal.emitStatus({ ...onlineStatus, online: false, outbox_pending: 2, outbox_attention: 1 }));
    expect(screen.getByTestId('offline-banner').textContent).toBe(
      'オフライン：サーバーに接続できません。入力は端末に保存され、接続が戻ると自動で送信されます。',
    );
    expect(screen.getByTestId('outbox-pending').textContent).toBe('未送信 2件');
    expect(screen.getByTestId('outbox-attention').textContent).toBe('要確認 1件');
    fireEvent.click(screen.getByTestId('sync-now'));
    await waitFor(() => expect(terminal.callsOf('syncNow')).toHaveLength(1));
  });

  it('staff: a terminal the server does not know shows its id and enrollment code for the administrator', async () => {
    const terminal = new FakeTerminal({}, { ...kioskInfo, role: 'staff', terminal_id: 'pc-07', counter: 'hoken' });
    const refused = new BackendError('forbidden', {
      status: 403,
      code: 'terminal_not_enrolled',
      message: 'この端末は登録されていないため、この窓口にログインできません。',
    });
    const backend = new FakeBackend({ login: () => Promise.reject(refused) }, { terminal });
    render(<App backend={backend} />);
    await screen.findByRole('option', { name: '保険年金課' });
    expect(screen.queryByTestId('enrollment-code')).toBeNull();
    fireEvent.change(screen.getByLabelText('ユーザーID'), { target: { value: 'tanaka' } });
    fireEvent.change(screen.getByLabelText('パスワード'), { target: { value: 'secret' } });
    fireEvent.submit(screen.getByTestId('login-form'));
    const box = await screen.findByTestId('enrollment-code');
    expect(box.textContent).toContain('pc-07');
    expect(box.textContent).toContain(kioskInfo.enrollment_code);
    expect(screen.getByRole('alert').textContent).toContain('登録されていない');
  });

  it('issuance: a station shows the station and nothing else, never the staff login', async () => {
    const terminal = new FakeTerminal({}, { ...kioskInfo, role: 'issuance', counter: 'station' });
    const backend = new FakeBackend(
      { stationStatus: () =>
          Promise.resolve({ available: true, message: null, show_fees: true, offers: [{ item: 'JUMINHYO', name: '住民票の写し', yen: 300 }] }) },
      { terminal },
    );
    window.location.hash = '#/staff';
    render(<App backend={backend} />);
    await waitFor(() => expect(window.location.hash).toBe('#/issuance'));
    expect(await screen.findByTestId('station-item-JUMINHYO')).toBeTruthy();
    expect(screen.queryByTestId('login-form')).toBeNull();
  });

  it('issuance: a browser says the station needs its terminal', async () => {
    window.location.hash = '#/issuance';
    render(<App backend={new FakeBackend()} />);
    expect(await screen.findByTestId('station-unavailable')).toBeTruthy();
  });

  it('says so when the terminal settings cannot be read, and tries again', async () => {
    let fail = true;
    const terminal = new FakeTerminal({
      info: () =>
        fail ? Promise.reject(new BackendError('server', { message: '設定ファイルがありません' })) : Promise.resolve(kioskInfo),
    });
    render(<App backend={new FakeBackend({}, { terminal })} />);
    expect((await screen.findByTestId('terminal-info-error')).textContent).toContain('端末の設定を読み込めませんでした');
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: '再試行' }));
    await screen.findByTestId('kiosk-start');
  });
});
