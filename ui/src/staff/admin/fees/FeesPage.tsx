import { t } from '../../../i18n';
import { FeeTableForm } from './FeeTableForm';
import { MemoPhrasesForm } from './MemoPhrasesForm';

export const FEES_PATH = '/staff/admin/fees';

/** 手数料と定型文: the city's fee table and the memo's boilerplate phrases (admins). */
export function FeesPage() {
  return (
    <section aria-labelledby="fees-page-title" data-testid="fees-page">
      <h1 id="fees-page-title">{t('admin.menu.fees')}</h1>
      <FeeTableForm />
      <MemoPhrasesForm />
    </section>
  );
}
