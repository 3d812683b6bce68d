import { useCallback, useEffect, useState } from 'react';
import type { SessionUser } from './api/types';
import { BackendContext, type Backend } from './backend';
import { t } from './i18n';
import { isUnder, navigate, useRoute } from './router';
import { Placeholder } from './Placeholder';
import { Login } from './staff/Login';
import { StaffApp } from './staff/StaffApp';
import { storeVisit } from './staff/visit/draftStore';

type Session =
  | { state: 'checking' }
  | { state: 'none' }
  | { state: 'active'; user: SessionUser };

export function App({ backend }: { backend: Backend }) {
  const route = useRoute();
  const [session, setSession] = useState<Session>(() =>
    backend.hasSession() ? { state: 'checking' } : { state: 'none' },
  );

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
  useEffect(() => {
    if (session.state === 'checking') return;
    if (route.path === '/') navigate(session.state === 'active' ? '/staff' : '/login', { replace: true });
    else if (needsSession && session.state === 'none') navigate('/login', { replace: true });
    else if (route.path === '/login' && session.state === 'active') navigate('/staff', { replace: true });
  }, [route.path, needsSession, session.state]);

  const onLoggedIn = useCallback((user: SessionUser) => {
    setSession({ state: 'active', user });
    navigate('/staff');
  }, []);

  const onLogout = useCallback(async () => {
    await backend.logout();
    storeVisit(null); // the case being edited holds personal data: not left behind
    setSession({ state: 'none' });
    navigate('/login');
  }, [backend]);

  return <BackendContext.Provider value={backend}>{renderRoute()}</BackendContext.Provider>;

  function renderRoute() {
    if (session.state === 'checking') {
      return (
        <p className="page-status" role="status">
          {t('app.loading')}
        </p>
      );
    }
    if (route.path === '/login') return session.state === 'none' ? <Login onLoggedIn={onLoggedIn} /> : null;
    if (needsSession) {
      return session.state === 'active' ? (
        <StaffApp user={session.user} path={route.path} onLogout={onLogout} />
      ) : null;
    }
    if (isUnder(route.path, '/kiosk') || isUnder(route.path, '/issuance') || isUnder(route.path, '/admin')) {
      return (
        <main className="page page-narrow">
          <Placeholder />
        </main>
      );
    }
    if (route.path === '/') return null; // redirected by the effect above
    return (
      <main className="page page-narrow">
        <Placeholder notFound />
      </main>
    );
  }
}
