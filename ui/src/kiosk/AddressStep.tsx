import { useEffect, useMemo, useState } from 'react';
import type { TownView } from '../api/types';
import { useBackend } from '../backend';
import { normalizeBanchi } from '../case/address';
import { KanaKeyboard } from '../components/KanaKeyboard';
import { Keypad } from '../components/Keypad';
import { t } from '../i18n';
import { kioskNewAddress, type KioskData } from './model';
import { Screen } from '../selfservice/Screen';

// e. The new address: 町字 from the city's list as large buttons (narrowed by their first character),
// the 番地 on a keypad (`1-2-3` → 一丁目2番3号, as the staff screen writes it). For 転出, where to,
// in katakana, if the resident knows it.

const BANCHI_MAX = 16;

export function AddressStep({
  data,
  setData,
  onNext,
  onBack,
}: {
  data: KioskData;
  setData: (update: (d: KioskData) => KioskData) => void;
  onNext: () => void;
  onBack: () => void;
}) {
  if (data.event === '転出') {
    return (
      <Screen
        title={t('kiosk.address.destination')}
        lead={t('kiosk.address.destinationHint')}
        onBack={onBack}
        onNext={onNext}
        nextTestId="address-next"
        testId="kiosk-address"
      >
        <KanaKeyboard
          value={data.destination}
          onChange={(destination) => setData((d) => ({ ...d, destination }))}
          label={t('kiosk.confirm.destination')}
          testId="destination"
        />
      </Screen>
    );
  }
  return <TownAndBanchi data={data} setData={setData} onNext={onNext} onBack={onBack} />;
}

function TownAndBanchi({
  data,
  setData,
  onNext,
  onBack,
}: {
  data: KioskData;
  setData: (update: (d: KioskData) => KioskData) => void;
  onNext: () => void;
  onBack: () => void;
}) {
  const backend = useBackend();
  const [towns, setTowns] = useState<TownView[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [initial, setInitial] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    backend
      .towns()
      .then((list) => current && setTowns(list))
      .catch(() => current && setFailed(true));
    return () => {
      current = false;
    };
  }, [backend]);

  const initials = useMemo(() => [...new Set((towns ?? []).map((x) => [...x.town][0] ?? ''))].filter(Boolean), [towns]);
  const shown = (towns ?? []).filter((x) => initial === null || x.town.startsWith(initial));
  const address = kioskNewAddress(data);
  const setBanchi = (banchi: string) => setData((d) => ({ ...d, banchi }));

  return (
    <Screen
      title={t('kiosk.address.heading')}
      onBack={onBack}
      onNext={onNext}
      nextDisabled={!failed && (!data.town || !data.banchi)}
      nextTestId="address-next"
      testId="kiosk-address"
    >
      {failed && (
        <p className="kiosk-notice" role="status" data-testid="towns-unavailable">
          {t('kiosk.address.unavailable')}
        </p>
      )}
      {!failed && towns === null && <p className="kiosk-status">{t('kiosk.address.loading')}</p>}
      <div className="kiosk-address-columns">
        {towns && (
          <div className="kiosk-field">
            <span className="kiosk-label">{t('kiosk.address.town')}</span>
            {initials.length > 1 && (
              <div className="kiosk-filter" role="group" aria-label={t('kiosk.address.filter')}>
                <button
                  type="button"
                  className="kiosk-chip"
                  aria-pressed={initial === null}
                  onClick={() => setInitial(null)}
                  data-testid="town-filter-all"
                >
                  {t('kiosk.address.filterAll')}
                </button>
                {initials.map((c) => (
                  <button
                    key={c}
                    type="button"
                    className="kiosk-chip"
                    aria-pressed={initial === c}
                    onClick={() => setInitial(c)}
                    data-testid={`town-filter-${c}`}
                  >
                    {c}
                  </button>
                ))}
              </div>
            )}
            <div className="kiosk-towns">
              {shown.map((town) => (
                <button
                  key={town.town_code ?? town.town}
                  type="button"
                  className="kiosk-choice kiosk-town"
                  aria-pressed={data.town?.town === town.town}
                  onClick={() => setData((d) => ({ ...d, town }))}
                  data-testid={`town-${town.town_code ?? town.town}`}
                >
                  {town.town}
                </button>
              ))}
            </div>
          </div>
        )}
        {towns && data.town && (
          <div className="kiosk-field kiosk-banchi">
            <span className="kiosk-label">{t('kiosk.address.banchi')}</span>
            <output className="kiosk-banchi-typed" data-testid="banchi-typed">
              {data.banchi || ' '}
            </output>
            <Keypad
              testId="banchi"
              onDigit={(d) => data.banchi.length < BANCHI_MAX && setBanchi(data.banchi + d)}
              onDash={() => data.banchi && !data.banchi.endsWith('-') && setBanchi(data.banchi + '-')}
              onDelete={() => setBanchi(data.banchi.slice(0, -1))}
            />
            {data.banchi && <p className="kiosk-hint">{normalizeBanchi(data.banchi)}</p>}
          </div>
        )}
      </div>
      <p className="kiosk-address-preview" data-testid="address-preview">
        <span className="kiosk-label">{t('kiosk.address.preview')}</span> {address?.full ?? t('kiosk.address.chooseTown')}
      </p>
    </Screen>
  );
}
