import { useEffect, useState } from 'react';
import { useBackend, type KioskReceipt, type TerminalApi } from '../backend';
import { t, type Locale } from '../i18n';
import { PersonSummary } from './HouseholdStep';
import {
  CARD_DOCUMENT,
  KIOSK_DOCUMENTS,
  kioskDocument,
  kioskEvaluateRequest,
  kioskNewAddress,
  newSubmissionIds,
  withProcedures,
  type KioskData,
} from './model';
import { ProcedureList } from './ProcedureList';
import { evaluateIn } from './navigationLanguage';
import { Screen } from '../selfservice/Screen';
import { relationText } from './text';

// g. 確認: everything in large text, then 申請する builds the case document as the staff visit does
// and hands it to the terminal (which uploads it, or keeps it in its outbox, and prints).

export function ConfirmStep({
  data,
  setData,
  terminal,
  language,
  onSubmitted,
  onBack,
}: {
  data: KioskData;
  setData: (update: (d: KioskData) => KioskData) => void;
  terminal: TerminalApi;
  language: Locale;
  onSubmitted: (receipt: KioskReceipt) => void;
  onBack: () => void;
}) {
  const backend = useBackend();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);

  // 手続きナビ once more, now with everyone's birth dates (ages decide some procedures). Its new
  // questions, if any, are for the staff; failing here keeps what the questions step found.
  useEffect(() => {
    let current = true;
    evaluateIn(backend, kioskEvaluateRequest(data), language)
      .then((r) => current && setData((d) => withProcedures(d, r.japanese.procedures, r.shown.procedures)))
      .catch(() => undefined);
    return () => {
      current = false;
    };
    // Once, on arrival.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [backend]);

  async function submit() {
    if (busy) return;
    const ids = data.ids ?? newSubmissionIds();
    if (!data.ids) setData((d) => ({ ...d, ids }));
    setBusy(true);
    setFailed(false);
    try {
      const receipt = await terminal.kioskSubmit({
        case_id: ids.caseId,
        write_id: ids.writeId,
        document: kioskDocument(data, language),
        language,
      });
      onSubmitted(receipt);
    } catch {
      setFailed(true);
      setBusy(false);
    }
  }

  const people = [...(data.applicant ? [data.applicant] : []), ...data.members];
  const address = kioskNewAddress(data);
  const documentLabel =
    data.idDocument === CARD_DOCUMENT
      ? t('kiosk.identity.card')
      : (() => {
          const d = KIOSK_DOCUMENTS.find((x) => x.value === data.idDocument);
          return d ? t(`kiosk.document.${d.code}`) : data.idDocument;
        })();

  return (
    <Screen
      title={t('kiosk.confirm.heading')}
      onBack={busy ? undefined : onBack}
      onNext={() => void submit()}
      nextDisabled={busy}
      nextLabel={busy ? t('kiosk.confirm.submitting') : t('kiosk.confirm.submit')}
      nextTestId="submit"
      testId="kiosk-confirm"
    >
      {failed && (
        <p className="kiosk-error" role="alert" data-testid="submit-failed">
          {t('kiosk.confirm.failed')}
        </p>
      )}
      <dl className="kiosk-summary">
        <dt>{t('kiosk.confirm.event')}</dt>
        <dd data-testid="confirm-event">{data.event ? t(`kiosk.event.${data.event}`) : ''}</dd>
        <dt>{t('kiosk.confirm.people')}</dt>
        <dd>
          <ul className="kiosk-people">
            {people.map((p, i) => (
              <li key={p.key} className="kiosk-person-row" data-testid="confirm-person">
                <PersonSummary
                  person={p}
                  role={i === 0 && data.applicant ? t('kiosk.household.applicant') : relationText(p.relation)}
                />
              </li>
            ))}
          </ul>
        </dd>
        {(data.event === '転入' || data.event === '転居') && (
          <>
            <dt>{t('kiosk.confirm.newAddress')}</dt>
            <dd data-testid="confirm-address">{address?.full ?? t('kiosk.confirm.notEntered')}</dd>
          </>
        )}
        {data.event === '転出' && (
          <>
            <dt>{t('kiosk.confirm.destination')}</dt>
            <dd data-testid="confirm-address">{address?.full ?? t('kiosk.confirm.notEntered')}</dd>
          </>
        )}
        <dt>{t('kiosk.confirm.identity')}</dt>
        <dd>{documentLabel}</dd>
        <dt>{t('kiosk.confirm.signature')}</dt>
        <dd>{data.signature ? t('kiosk.confirm.signed') : t('kiosk.confirm.notEntered')}</dd>
        <dt>{t('kiosk.confirm.procedures')}</dt>
        <dd>
          {data.navigationUnavailable && data.procedures.length === 0 ? (
            <p className="kiosk-notice">{t('kiosk.questions.unavailable')}</p>
          ) : (
            <ProcedureList procedures={data.procedures} texts={data.procedureTexts} />
          )}
        </dd>
      </dl>
    </Screen>
  );
}
