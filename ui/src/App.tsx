import { useCallback, useEffect, useState } from 'react';
import type { SessionUser } from './api/types';
import { BackendContext, errorMessage, type Backend, type TerminalInfo } from './backend';
import { t } from './i18n';
import { IssuanceApp } from './issuance/IssuanceApp';
import { KioskApp } from './kiosk/KioskApp';
import { isUnder, navigate, useRoute } from './router';
import { Placeholder } from './Placeholder';
import { Login, type LoginPreset } from './staff/Login';
import { StaffApp } from './staff/StaffApp';
import { StatusPage } from './status/StatusPage';
import { GuidePage } from './guide/GuidePage';
import { storeVisit } from './staff/visit/draftStore';

type Session =
  | { state: 'checking' }
  | { state: 'none' }
  | { state: 'active'; user: SessionUser };

type Terminal =
  | { state: 'browser' }
  | { state: 'loading' }
  | { state: 'failed'; message: string }
  | { state: 'ready'; info: TerminalInfo };

/**
 * The application. In a browser it is the staff app (and `#/kiosk`, `#/issuance` say that they need
 * their terminal). In the desktop app the terminal's role decides: a kiosk shows only `#/kiosk`, an
 * issuance station only `#/issuance`; a staff terminal starts at the staff login with its tenant and
 * counter preselected.
 */
export function App({ backend }: { backend: Backend }) {
  const [terminal, setTerminal] = useState<Terminal>(() =>
    backend.terminal ? { state: 'loading' } : { state: 'browser' },
  );

  useEffect(() => {
    if (terminal.state !== 'loading' || !backend.terminal) return;
    let current = true;
    backend.terminal
      .info()
      .then((info) => current && setTerminal({ state: 'ready', info }))
      .catch((e: unknown) => current && setTerminal({ state: 'failed', message: errorMessage(e) }));
    return () => {
      current = false;
    };
  }, [backend, terminal.state]);

  return <BackendContext.Provider value={backend}>{render()}</BackendContext.Provider>;

  function render() {
    switch (terminal.state) {
      case 'loading':
        return (
          <p className="page-status" role="status">
            {t('app.loading')}
          </p>
        );
      case 'failed':
        return (
          <main className="page page-narrow">
            <div className="error-banner" role="alert" data-testid="terminal-info-error">
              {t('terminal.infoFailed')} {terminal.message}
            </div>
            <button type="button" className="button button-primary" onClick={() => setTerminal({ state: 'loading' })}>
              {t('terminal.retry')}
            </button>
          </main>
        );
      case 'ready':
        if (terminal.info.role === 'kiosk') return <KioskRoot info={terminal.info} />;
        if (terminal.info.role === 'issuance') return <IssuanceRoot info={terminal.info} />;
        return <StaffRoot backend={backend} info={terminal.info} />;
      case 'browser':
        return <StaffRoot backend={backend} info={null} />;
    }
  }
}

/** A kiosk terminal: the kiosk and nothing else, whatever the address says. */
function KioskRoot({ info }: { info: TerminalInfo }) {
  const route = useRoute();
  useEffect(() => {
    if (route.path !== '/kiosk') navigate('/kiosk', { replace: true });
  }, [route.path]);
  return route.path === '/kiosk' ? <KioskApp info={info} /> : null;
}

/** An issuance station: the station and nothing else, whatever the address says. */
function IssuanceRoot({ info }: { info: TerminalInfo }) {
  const route = useRoute();
  useEffect(() => {
    if (route.path !== '/issuance') navigate('/issuance', { replace: true });
  }, [route.path]);
  return route.path === '/issuance' ? <IssuanceApp info={info} /> : null;
}

/** The staff app, in a browser (`info` null) or on a staff terminal. */
function StaffRoot({ backend, info }: { backend: Backend; info: TerminalInfo | null }) {
  const route = useRoute();
  const [session, setSession] = useState<Session>(() =>
    backend.hasSession() ? { state: 'checking' } : { state: 'none' },
  );
  const preset: LoginPreset | undefined = info
    ? { tenant: info.tenant, counter: info.counter, terminal: info.terminal_id, enrollmentCode: info.enrollment_code }
    : undefined;
  const loginPath = '/login';

  // A token kept from before a reload: ask the server who it belongs to.
  useEffect(() => {
    if (session.state !== 'checking') return;
    let current = true;
    backend
      .me()
      .then((user) => current && setSession({ state: 'active', user }))
      .catch(() => current && setSession({ state: 'none' }));
    return () => {
      current = false;
    };
  }, [backend, session.state]);

  // The server rejected the session (expired, revoked): back to the login screen.
  useEffect(() => backend.onUnauthorized(() => setSession({ state: 'none' })), [backend]);

  const needsSession = isUnder(route.path, '/staff');
  const isLogin = route.path === '/login';
  useEffect(() => {
    if (session.state === 'checking') return;
    if (route.path === '/') navigate(session.state === 'active' ? '/staff' : loginPath, { replace: true });
    else if (needsSession && session.state === 'none') navigate(loginPath, { replace: true });
    else if (isLogin && session.state === 'active') navigate('/staff', { replace: true });
    else if (isUnder(route.path, '/admin')) navigate('/staff/admin', { replace: true }); // the admin console's short address
    else if (info && (isUnder(route.path, '/kiosk') || isUnder(route.path, '/issuance'))) navigate('/', { replace: true }); // a staff terminal
  }, [route.path, needsSession, isLogin, loginPath, info, session.state]);

  const onLoggedIn = useCallback((user: SessionUser) => {
    setSession({ state: 'active', user });
    navigate('/staff');
  }, []);

  const onLogout = useCallback(async () => {
    await backend.logout();
    storeVisit(null); // the case being edited holds personal data: not left behind
    setSession({ state: 'none' });
    navigate(loginPath);
  }, [backend, loginPath]);

  if (session.state === 'checking') {
    return (
      <p className="page-status" role="status">
        {t('app.loading')}
      </p>
    );
  }
  if (route.path === '/status') return <StatusPage />; // public: the maintenance notices, no login
  if (route.path === '/guide') return <GuidePage />; // public: the 手続きガイド, no login
  if (isLogin) return session.state === 'none' ? <Login onLoggedIn={onLoggedIn} preset={preset} /> : null;
  if (needsSession) {
    return session.state === 'active' ? <StaffApp user={session.user} path={route.path} onLogout={onLogout} /> : null;
  }
  if (isUnder(route.path, '/kiosk')) return info ? null : <KioskApp info={null} />;
  if (isUnder(route.path, '/issuance')) return info ? null : <IssuanceApp info={null} />;
  if (route.path === '/') return null; // redirected by the effect above
  return (
    <main className="page page-narrow">
      <Placeholder />
    </main>
  );
}
