import { useState } from 'react';
import type { DisclosureView } from '../api/types';
import { useBackend } from '../backend';
import { t } from '../i18n';
import { DisclosureReasonForm } from './DisclosureReasonForm';

/**
 * 支援措置 in the resident view (宛名検索 → the chosen resident's household): the address is withheld;
 * a staff member allowed to (`override_support_measure` at this counter) may show the resident's address
 * for a reason they state, which the server audits (`resident.address_disclosure`). The pattern of the
 * case's `MaskedCaseBanner`, with the same reason form.
 */
export function ResidentDisclosure({ atenaNo, mayDisclose }: { atenaNo: string; mayDisclose: boolean }) {
  const backend = useBackend();
  const [asking, setAsking] = useState(false);
  const [shown, setShown] = useState<DisclosureView | null>(null);

  if (shown) {
    return (
      <div className="notice disclosed-notice" role="status" data-testid="resident-address-disclosed">
        <p data-testid="resident-disclosed-address">
          {t('residentDisclosure.address', { address: shown.address.full })}
        </p>
        <p>{t('residentDisclosure.audited')}</p>
      </div>
    );
  }
  if (!mayDisclose) return null;
  if (!asking) {
    return (
      <button
        type="button"
        className="button button-secondary button-small"
        onClick={() => setAsking(true)}
        data-testid="resident-disclose-address"
      >
        {t('residentDisclosure.disclose')}
      </button>
    );
  }
  return (
    <DisclosureReasonForm
      texts="residentDisclosure"
      testIdPrefix="resident-"
      onDisclose={async (reason) => setShown(await backend.discloseResidentAddress(atenaNo, reason))}
      onCancel={() => setAsking(false)}
    />
  );
}
