// The admin console (管理メニュー, `#/staff/admin`): every administration screen, with who may open
// it. The menu page lists the ones the user may open; the staff app routes each path to its page.
// A new admin screen adds one entry here, one case in `StaffApp`, and a section in `docs/admin.md`.

import type { MessageKey } from '../../i18n';

export const ADMIN_MENU_PATH = '/staff/admin';

export interface AdminScreen {
  /** Route of the screen (`/staff/admin/users`). */
  path: string;
  /** Title in the menu (and the screen's heading). */
  title: MessageKey;
  /** One line on what is done there. */
  description: MessageKey;
  /** Whether a user with these permissions may open it (the server checks again). */
  may: (permissions: readonly string[]) => boolean;
}

const admin = (permissions: readonly string[]) => permissions.includes('admin');

/** The screens, in menu order. */
export const ADMIN_SCREENS: readonly AdminScreen[] = [
  {
    path: '/staff/admin/users',
    title: 'admin.menu.users',
    description: 'admin.menu.usersDetail',
    may: admin,
  },
  {
    path: '/staff/admin/groups',
    title: 'admin.menu.groups',
    description: 'admin.menu.groupsDetail',
    may: admin,
  },
  {
    path: '/staff/admin/counters',
    title: 'admin.menu.counters',
    description: 'admin.menu.countersDetail',
    may: admin,
  },
  {
    path: '/staff/admin/navigation',
    title: 'admin.menu.navigation',
    description: 'admin.menu.navigationDetail',
    may: admin,
  },
  {
    path: '/staff/admin/fees',
    title: 'admin.menu.fees',
    description: 'admin.menu.feesDetail',
    may: admin,
  },
  {
    path: '/staff/terminals',
    title: 'admin.menu.terminals',
    description: 'admin.menu.terminalsDetail',
    may: admin,
  },
  {
    path: '/staff/stations',
    title: 'admin.menu.stations',
    description: 'admin.menu.stationsDetail',
    may: admin,
  },
  {
    path: '/staff/certificate-settings',
    title: 'admin.menu.certificateSettings',
    description: 'admin.menu.certificateSettingsDetail',
    may: admin,
  },
  {
    path: '/staff/linkage',
    title: 'admin.menu.linkage',
    description: 'admin.menu.linkageDetail',
    may: (p) => p.includes('admin') || p.includes('import_data'),
  },
  {
    path: '/staff/admin/forms',
    title: 'admin.menu.forms',
    description: 'admin.menu.formsDetail',
    may: admin,
  },
  {
    path: '/staff/admin/notices',
    title: 'admin.menu.notices',
    description: 'admin.menu.noticesDetail',
    may: admin,
  },
  {
    path: '/staff/admin/statistics',
    title: 'admin.statistics.title',
    description: 'admin.statistics.detail',
    may: admin,
  },
  {
    path: '/staff/admin/audit',
    title: 'admin.menu.audit',
    description: 'admin.menu.auditDetail',
    may: (p) => p.includes('view_audit'),
  },
];

/** Whether the user may open at least one admin screen (the 管理 link in the menu bar). */
export function mayAdminister(permissions: readonly string[]): boolean {
  return ADMIN_SCREENS.some((s) => s.may(permissions));
}
