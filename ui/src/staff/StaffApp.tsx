import type { SessionUser } from '../api/types';
import { Placeholder } from '../Placeholder';
import { Layout } from './Layout';
import { ResidentSearch } from './Search';

/**
 * The staff application under `#/staff/…`. Add screens here: one `case` per route, rendered
 * inside the common `Layout`.
 */
export function StaffApp({ user, path, onLogout }: { user: SessionUser; path: string; onLogout: () => void }) {
  return (
    <Layout user={user} onLogout={onLogout}>
      {renderScreen(path)}
    </Layout>
  );
}

function renderScreen(path: string) {
  switch (path) {
    case '/staff':
    case '/staff/search':
      return <ResidentSearch />;
    default:
      return <Placeholder notFound />;
  }
}
