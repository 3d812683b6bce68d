import { useEffect, type ReactNode } from 'react';
import type { SessionUser } from '../api/types';
import { t } from '../i18n';
import { navigate } from '../router';
import { QrScanProvider, SerialQrScans } from './qrScan';
import { SEARCH_INPUT_ID } from './Search';
import { mayEditCertificateSettings } from './admin/CertificateSettingsPage';
import { mayHandleApplications } from './applications/model';
import { mayViewLinkage } from './admin/LinkagePage';
import { maySetUpStations } from './admin/StationSetupsPage';
import { mayAdminister } from './admin/screens';
import { mayManageTerminals } from './admin/TerminalsPage';
import { mayRevokeCertificates } from './certificates/VerifyPage';
import { mayViewArrivals } from './arrivals/ArrivalsPage';
import { mayReadPreApplications } from './preApplication/model';
import { NoticeBell } from './NoticeBell';
import { TerminalStrip } from './TerminalStrip';

/**
 * Frame of every staff screen: top bar with the session and the notices bell, shortcut hints, the terminal's state and
 * serial QR scans (desktop app), the screen below.
 */
export function Layout({
  user,
  onLogout,
  children,
}: {
  user: SessionUser;
  onLogout: () => void;
  children: ReactNode;
}) {
  // F2 anywhere: go to 宛名検索 and put the cursor in its input.
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.key !== 'F2') return;
      event.preventDefault();
      navigate('/staff/search');
      requestAnimationFrame(() => document.getElementById(SEARCH_INPUT_ID)?.focus());
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  return (
    <QrScanProvider>
      <div className="app-shell">
        <header className="topbar" data-testid="topbar">
          <span className="topbar-brand">{t('app.name')}</span>
          <dl className="topbar-session">
            <div>
              <dt>{t('layout.tenant')}</dt>
              <dd data-testid="session-tenant">{user.tenant_name}</dd>
            </div>
            <div>
              <dt>{t('layout.counter')}</dt>
              <dd data-testid="session-counter">{user.counter_name}</dd>
            </div>
            <div>
              <dt>{t('layout.staff')}</dt>
              <dd data-testid="session-user">{user.display_name}</dd>
            </div>
          </dl>
          <a href="#/staff/password" className="topbar-link" data-testid="nav-password">
            {t('layout.navPassword')}
          </a>
          <NoticeBell />
          <button type="button" className="button button-secondary" onClick={onLogout} data-testid="logout">
            {t('layout.logout')}
          </button>
        </header>
        <nav className="subbar" aria-label={t('layout.nav')}>
          <a href="#/staff">{t('layout.navVisit')}</a>
          <a href="#/staff/search">{t('layout.navSearch')}</a>
          <a href="#/staff/cases">{t('layout.navCases')}</a>
          {mayHandleApplications(user.permissions) && (
            <a href="#/staff/applications" data-testid="nav-applications">
              {t('applications.nav')}
            </a>
          )}
          {mayViewArrivals(user.permissions) && (
            <a href="#/staff/arrivals" data-testid="nav-arrivals">
              {t('layout.navArrivals')}
            </a>
          )}
          {mayReadPreApplications(user.permissions) && (
            <a href="#/staff/pre-application" data-testid="nav-pre-application">
              {t('preApplication.nav')}
            </a>
          )}
          {mayViewLinkage(user.permissions) && <a href="#/staff/linkage">{t('layout.navLinkage')}</a>}
          {mayRevokeCertificates(user.permissions) && (
            <a href="#/staff/issuance" data-testid="nav-station-queue">
              {t('layout.navStationQueue')}
            </a>
          )}
          {mayRevokeCertificates(user.permissions) && (
            <a href="#/staff/certificate-history" data-testid="nav-certificate-history">
              {t('layout.navCertificateHistory')}
            </a>
          )}
          {mayRevokeCertificates(user.permissions) && (
            <a href="#/staff/verify" data-testid="nav-verify">
              {t('layout.navVerify')}
            </a>
          )}
          {mayManageTerminals(user.permissions) && <a href="#/staff/terminals">{t('layout.navTerminals')}</a>}
          {mayEditCertificateSettings(user.permissions) && (
            <a href="#/staff/certificate-settings" data-testid="nav-certificate-settings">
              {t('layout.navCertificateSettings')}
            </a>
          )}
          {maySetUpStations(user.permissions) && (
            <a href="#/staff/stations" data-testid="nav-stations">
              {t('layout.navStations')}
            </a>
          )}
          {mayAdminister(user.permissions) && (
            <a href="#/staff/admin" data-testid="nav-admin">
              {t('layout.navAdmin')}
            </a>
          )}
          <ul className="shortcut-hints" aria-label={t('layout.shortcuts')}>
            <li>
              <kbd>F2</kbd> {t('shortcut.search')}
            </li>
            <li>
              <kbd>↑</kbd>
              <kbd>↓</kbd> {t('shortcut.move')}
            </li>
            <li>
              <kbd>Enter</kbd> {t('shortcut.select')}
            </li>
            <li>
              <kbd>Esc</kbd> {t('shortcut.clear')}
            </li>
          </ul>
        </nav>
        <TerminalStrip />
        <main className="page">
          <SerialQrScans />
          {children}
        </main>
      </div>
    </QrScanProvider>
  );
}
