import { useState } from 'react';
import { useBackend } from '../../backend';
import { t } from '../../i18n';
import { DisclosureReasonForm } from '../DisclosureReasonForm';
import { draftFromDisclosure, type Draft } from './model';

/**
 * 支援措置: the case names a protected person, so the server sent every address masked. The banner
 * says so wherever the case is open; a staff member allowed to (`override_support_measure` at this
 * counter) may show the addresses for a reason they state, which the server audits.
 */
export function MaskedCaseBanner({
  draft,
  mayDisclose,
  onDisclosed,
}: {
  draft: Draft;
  mayDisclose: boolean;
  onDisclosed: (draft: Draft) => void;
}) {
  const backend = useBackend();
  const [asking, setAsking] = useState(false);

  if (draft.addressDisclosed && !draft.addressMasked) {
    return (
      <div className="notice disclosed-notice" role="status" data-testid="case-address-disclosed">
        {t('visit.masked.disclosed')}
      </div>
    );
  }
  if (!draft.addressMasked) return null;

  return (
    <div className="masked-case" data-testid="case-address-masked">
      <div className="warning">
        <span className="warning-icon" aria-hidden="true">
          ⚠
        </span>
        <span data-testid="case-address-masked-text">{t('visit.masked.banner')}</span>
        {mayDisclose && !asking && (
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => setAsking(true)}
            data-testid="disclose-address"
          >
            {t('visit.masked.disclose')}
          </button>
        )}
      </div>
      {mayDisclose && asking && (
        <DisclosureReasonForm
          texts="visit.masked"
          testIdPrefix=""
          onDisclose={async (reason) => {
            const disclosed = await backend.discloseCase(draft.caseId, reason);
            setAsking(false);
            onDisclosed(draftFromDisclosure(disclosed));
          }}
          onCancel={() => setAsking(false)}
        />
      )}
    </div>
  );
}
