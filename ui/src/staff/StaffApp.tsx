import type { SessionUser } from '../api/types';
import { Placeholder } from '../Placeholder';
import { AdminMenu } from './admin/AdminMenu';
import { FEES_PATH, FeesPage } from './admin/fees/FeesPage';
import { NAVIGATION_EDITOR_PATH, NavigationEditorPage } from './admin/navigation/NavigationEditorPage';
import { COUNTERS_PATH, CountersPage, GROUPS_PATH, GroupsPage } from './admin/accounts/HoldersPage';
import { USERS_PATH, UsersPage } from './admin/accounts/UsersPage';
import { ADMIN_MENU_PATH } from './admin/screens';
import { AUDIT_PATH, AuditPage } from './admin/audit/AuditPage';
import { CERTIFICATE_SETTINGS_PATH, CertificateSettingsPage } from './admin/CertificateSettingsPage';
import { LinkagePage } from './admin/LinkagePage';
import { NOTICES_PATH, NoticesPage } from './admin/NoticesPage';
import { FORM_TEMPLATES_PATH, FormTemplatesPage } from './admin/forms/FormTemplatesPage';
import { STATION_SETUPS_PATH, StationSetupsPage } from './admin/StationSetupsPage';
import { STATISTICS_PATH, StatisticsPage } from './admin/StatisticsPage';
import { CERTIFICATE_HISTORY_PATH, CertificateHistoryPage } from './certificates/CertificateHistoryPage';
import { STATION_QUEUE_PATH, StationQueuePage } from './certificates/StationQueuePage';
import { VERIFY_PATH, VerifyPage } from './certificates/VerifyPage';
import { TerminalsPage } from './admin/TerminalsPage';
import { ApplicationsPage } from './applications/ApplicationsPage';
import { APPLICATIONS_PATH } from './applications/model';
import { ARRIVALS_PATH, ArrivalsPage } from './arrivals/ArrivalsPage';
import { CaseList } from './cases/CaseList';
import { Layout } from './Layout';
import { PASSWORD_PATH, PasswordChange } from './PasswordChange';
import { PRE_APPLICATION_PATH } from './preApplication/model';
import { PreApplicationPage } from './preApplication/PreApplicationPage';
import { ResidentSearch } from './Search';
import { VisitPage } from './visit/VisitPage';

/**
 * The staff application under `#/staff/…`: one `case` per route, rendered inside the common
 * `Layout`. `#/staff` is the counter visit (案件), `#/staff/case/<id>` resumes a saved one.
 */
export function StaffApp({ user, path, onLogout }: { user: SessionUser; path: string; onLogout: () => void }) {
  // A temporary password (an administrator's reset, an initial one) is changed before anything else.
  const screen = user.must_change_password ? (
    <PasswordChange required onDone={onLogout} />
  ) : (
    renderScreen(path, user, onLogout)
  );
  return (
    <Layout user={user} onLogout={onLogout}>
      {screen}
    </Layout>
  );
}

function renderScreen(path: string, user: SessionUser, onLogout: () => void) {
  if (path.startsWith('/staff/case/')) {
    const id = decodeURIComponent(path.slice('/staff/case/'.length));
    return <VisitPage key={id} resumeId={id} permissions={user.permissions} />;
  }
  switch (path) {
    case '/staff':
    case '/staff/visit':
      return <VisitPage permissions={user.permissions} />;
    case '/staff/search':
      return <ResidentSearch permissions={user.permissions} />;
    case '/staff/cases':
      return <CaseList />;
    case APPLICATIONS_PATH:
      return <ApplicationsPage permissions={user.permissions} />;
    case ARRIVALS_PATH:
      return <ArrivalsPage />;
    case PRE_APPLICATION_PATH:
      return <PreApplicationPage permissions={user.permissions} />;
    case '/staff/linkage':
      return <LinkagePage permissions={user.permissions} />;
    case CERTIFICATE_HISTORY_PATH:
      return <CertificateHistoryPage />;
    case STATION_QUEUE_PATH:
      return <StationQueuePage />;
    case VERIFY_PATH:
      return <VerifyPage permissions={user.permissions} tenant={user.tenant} />;
    case '/staff/terminals':
      return <TerminalsPage permissions={user.permissions} />;
    case STATION_SETUPS_PATH:
      return <StationSetupsPage permissions={user.permissions} />;
    case CERTIFICATE_SETTINGS_PATH:
      return <CertificateSettingsPage permissions={user.permissions} />;
    case NOTICES_PATH:
      return <NoticesPage permissions={user.permissions} />;
    case FORM_TEMPLATES_PATH:
      return <FormTemplatesPage permissions={user.permissions} />;
    case STATISTICS_PATH:
      return <StatisticsPage />;
    case AUDIT_PATH:
      return <AuditPage permissions={user.permissions} />;
    case ADMIN_MENU_PATH:
      return <AdminMenu permissions={user.permissions} />;
    case USERS_PATH:
      return <UsersPage />;
    case GROUPS_PATH:
      return <GroupsPage />;
    case COUNTERS_PATH:
      return <CountersPage />;
    case FEES_PATH:
      return <FeesPage />;
    case NAVIGATION_EDITOR_PATH:
      return <NavigationEditorPage />;
    case PASSWORD_PATH:
      return <PasswordChange required={false} onDone={onLogout} />;
    default:
      return <Placeholder />;
  }
}
