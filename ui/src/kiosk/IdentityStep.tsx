import { useState } from 'react';
import type { CardPerson, TerminalApi } from '../backend';
import { t } from '../i18n';
import { CardStep } from './CardStep';
import { DocumentStep } from './DocumentStep';
import type { KioskPerson } from './model';
import { Screen } from '../selfservice/Screen';

// d. 本人確認: the マイナンバーカード (read here) or another 本人確認書類 (checked at the counter).

export function IdentityStep({
  terminal,
  onCard,
  onDocument,
  onBack,
}: {
  terminal: TerminalApi;
  onCard: (person: CardPerson) => void;
  onDocument: (document: string, applicant: KioskPerson) => void;
  onBack: () => void;
}) {
  const [method, setMethod] = useState<'card' | 'document' | null>(null);
  if (method === 'card') return <CardStep terminal={terminal} onRead={onCard} onBack={() => setMethod(null)} />;
  if (method === 'document') return <DocumentStep onDone={onDocument} onBack={() => setMethod(null)} />;
  return (
    <Screen title={t('kiosk.identity.heading')} lead={t('kiosk.identity.lead')} onBack={onBack} testId="kiosk-identity">
      <div className="kiosk-tiles">
        <button type="button" className="kiosk-tile" onClick={() => setMethod('card')} data-testid="id-card">
          <span className="kiosk-tile-title">{t('kiosk.identity.card')}</span>
          <span className="kiosk-tile-sub">{t('kiosk.identity.card.sub')}</span>
        </button>
        <button type="button" className="kiosk-tile" onClick={() => setMethod('document')} data-testid="id-document">
          <span className="kiosk-tile-title">{t('kiosk.identity.document')}</span>
          <span className="kiosk-tile-sub">{t('kiosk.identity.document.sub')}</span>
        </button>
      </div>
    </Screen>
  );
}
