import { t } from '../../i18n';
import { ADMIN_SCREENS } from './screens';

/** 管理メニュー: the admin screens this user may open, each with what is done there. */
export function AdminMenu({ permissions }: { permissions: readonly string[] }) {
  const screens = ADMIN_SCREENS.filter((s) => s.may(permissions));
  return (
    <section className="admin-menu" aria-labelledby="admin-menu-heading">
      <h1 id="admin-menu-heading">{t('admin.menu.heading')}</h1>
      <p>{t('admin.menu.intro')}</p>
      {screens.length === 0 ? (
        <p role="status">{t('admin.menu.none')}</p>
      ) : (
        <ul className="admin-menu-list" data-testid="admin-menu">
          {screens.map((s) => (
            <li key={s.path}>
              <a href={`#${s.path}`} data-testid={`admin-menu-${s.path.split('/').pop()}`}>
                {t(s.title)}
              </a>
              <p>{t(s.description)}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
