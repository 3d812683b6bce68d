import { useEffect, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import type { HouseholdView, Notification, ResidentView, TownView } from '../../api/types';
import { filterTowns, newAddress, normalizeBanchi } from '../../case/address';
import { todayIso } from '../../case/today';
import { formatWareki, t } from '../../i18n';
import {
  NOTIFICATION_KINDS,
  MASKED_ADDRESS,
  isMaskedAddress,
  notificationFromHousehold,
  withKind,
  withNewborn,
  type Draft,
} from './model';
import { StepForm } from './StepForm';
import { useLoaded } from './useLoaded';

// 3. 届出: kind, date, who, and the new address from the city's list.

export function NotificationStep({
  draft,
  setDraft,
  selected,
  household,
  mayDisclose = false,
  onNext,
  onAddHousehold,
}: {
  draft: Draft;
  setDraft: (u: (d: Draft) => Draft) => void;
  selected: ResidentView | null;
  household: HouseholdView | null;
  /** The session may disclose a masked case's addresses (支援措置): the masked fields say how. */
  mayDisclose?: boolean;
  onNext: () => void;
  onAddHousehold: () => void;
}) {
  const [problem, setProblem] = useState<string | null>(null);
  const towns = useLoaded((b) => b.towns(), setProblem) ?? [];
  const notifications = draft.document.notifications ?? [];

  // F6: another household in the same visit.
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.key === 'F6') {
        e.preventDefault();
        onAddHousehold();
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onAddHousehold]);

  const update = (index: number, change: (n: Notification) => Notification) =>
    setDraft((d) => ({
      ...d,
      document: {
        ...d.document,
        notifications: (d.document.notifications ?? []).map((n, i) => (i === index ? change(n) : n)),
      },
    }));
  const remove = (index: number) =>
    setDraft((d) => ({
      ...d,
      document: { ...d.document, notifications: (d.document.notifications ?? []).filter((_, i) => i !== index) },
    }));

  function next() {
    for (const [i, n] of notifications.entries()) {
      if ((n.kind === '転入' || n.kind === '転居') && !n.new_address) {
        return setProblem(t('visit.notification.addressRequired', { n: i + 1 }));
      }
      if (!n.members.some((m) => m.facts.mover)) {
        return setProblem(t('visit.notification.moverRequired', { n: i + 1 }));
      }
    }
    setProblem(null);
    onNext();
  }

  return (
    <StepForm
      title={t('visit.notification.title')}
      onSubmit={next}
      testId="step-panel-notification"
      hint={
        <>
          <kbd>F6</kbd> {t('visit.notification.addHousehold')}
        </>
      }
    >
      {problem && (
        <div className="error-banner" role="alert">
          {problem}
        </div>
      )}
      {household && selected && !notifications.some((n) => n.household_no === household.household_no) && (
        <NewNotification
          household={household}
          onAdd={(kind) =>
            setDraft((d) => ({
              ...d,
              document: {
                ...d.document,
                notifications: [
                  ...(d.document.notifications ?? []),
                  notificationFromHousehold(kind, household, selected, todayIso()),
                ],
              },
            }))
          }
        />
      )}
      {notifications.length === 0 && <p className="notice">{t('visit.notification.none')}</p>}
      {notifications.map((n, i) => (
        <NotificationEditor
          key={i}
          index={i}
          notification={n}
          towns={towns}
          selectedAtena={selected?.atena_no ?? null}
          maskedHint={mayDisclose ? t('visit.masked.fieldDisclose') : t('visit.masked.field')}
          onChange={(change) => update(i, change)}
          // The server puts masked addresses back by the notification's position: while the case is
          // masked, its 届出 are not removed (the others would move up and take their addresses).
          onRemove={notifications.length > 1 && !draft.addressMasked ? () => remove(i) : undefined}
          first={i === notifications.length - 1}
        />
      ))}
      <button type="button" className="button button-secondary" onClick={onAddHousehold} data-testid="add-household">
        {t('visit.notification.addHousehold')} <kbd>F6</kbd>
      </button>
    </StepForm>
  );
}

/** The 届出 for the chosen resident's household: a digit key or a click picks its kind. */
function NewNotification({ household, onAdd }: { household: HouseholdView; onAdd: (kind: string) => void }) {
  // The digit keys work wherever the focus is not in a field; Enter with no 届出 goes on (証明書のみ).
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const target = e.target as HTMLElement | null;
      if (target && target !== document.body && target.closest('.new-notification') === null) return;
      const found = NOTIFICATION_KINDS.find((k) => k.key === e.key);
      if (found) {
        e.preventDefault();
        onAdd(found.kind);
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onAdd]);
  return (
    <div
      className="choice-group new-notification"
      role="group"
      aria-label={t('visit.notification.addFor', { count: household.members.length })}
    >
      <span className="label">{t('visit.notification.addFor', { count: household.members.length })}</span>
      {household.address_masked && (
        <span className="warning" data-testid="support-measure-warning">
          {t('resident.addressMaskedHousehold')}
        </span>
      )}
      {NOTIFICATION_KINDS.map((k) => (
        <button
          key={k.kind}
          type="button"
          className="button button-secondary"
          onClick={() => onAdd(k.kind)}
          data-testid={`add-${k.kind}`}
        >
          <kbd>{k.key}</kbd> {k.kind}
        </button>
      ))}
    </div>
  );
}

function NotificationEditor({
  index,
  notification: n,
  towns,
  selectedAtena,
  maskedHint,
  onChange,
  onRemove,
  first,
}: {
  index: number;
  notification: Notification;
  towns: TownView[];
  selectedAtena: string | null;
  /** What a field masked for 支援措置 says (whether the addresses can be disclosed here). */
  maskedHint: string;
  onChange: (change: (n: Notification) => Notification) => void;
  onRemove?: () => void;
  first: boolean;
}) {
  const needsAddress = n.kind === '転入' || n.kind === '転居';
  const [child, setChild] = useState({ name: '', kana: '', birth: todayIso(), sex: '女' });

  function onKindKey(e: ReactKeyboardEvent) {
    const found = NOTIFICATION_KINDS.find((k) => k.key === e.key);
    if (found) {
      e.preventDefault();
      onChange((x) => withKind(x, found.kind, selectedAtena));
    }
  }

  return (
    <fieldset className="notification" data-testid="notification">
      <legend>
        {t('visit.notification.nth', { n: index + 1 })} {n.kind}
        {n.notice_no && <span className="badge">{t('visit.notification.fromNotice')}</span>}
      </legend>
      <div className="choice-group" role="radiogroup" aria-label={t('visit.notification.kind')} onKeyDown={onKindKey}>
        {NOTIFICATION_KINDS.map((k) => (
          <label key={k.kind} className="choice">
            <input
              type="radio"
              name={`kind-${index}`}
              checked={n.kind === k.kind}
              onChange={() => onChange((x) => withKind(x, k.kind, selectedAtena))}
              data-testid={`kind-${k.kind}`}
            />
            <kbd>{k.key}</kbd> {k.kind}
          </label>
        ))}
      </div>
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`event-date-${index}`}>{t('visit.notification.eventDate')}</label>
          <input
            id={`event-date-${index}`}
            type="date"
            value={n.event_date}
            onChange={(e) => onChange((x) => ({ ...x, event_date: e.target.value }))}
          />
          <span className="hint">{formatWareki(n.event_date)}</span>
        </div>
        {(n.kind === '転入' || n.kind === '転出') && (
          <div className="field">
            <label htmlFor={`detail-${index}`}>{t('visit.notification.detail')}</label>
            <select
              id={`detail-${index}`}
              value={n.detail ?? '国内'}
              onChange={(e) => onChange((x) => ({ ...x, detail: e.target.value }))}
            >
              <option value="国内">{t('visit.notification.domestic')}</option>
              <option value="国外">{t('visit.notification.abroad')}</option>
            </select>
          </div>
        )}
        {n.old_address && (
          <div className="field">
            <span className="label">{t('visit.notification.oldAddress')}</span>
            <span data-testid="old-address">{n.old_address}</span>
            {isMaskedAddress(n.old_address) && (
              <span className="hint masked-hint" data-testid="old-address-masked">
                {maskedHint}
              </span>
            )}
          </div>
        )}
      </div>
      {needsAddress && n.new_address && isMaskedAddress(n.new_address.full) && (
        <MaskedAddress index={index} hint={maskedHint} />
      )}
      {needsAddress && !(n.new_address && isMaskedAddress(n.new_address.full)) && (
        <AddressPicker
          index={index}
          towns={towns}
          value={n.new_address ?? null}
          autoFocus={first}
          onChange={(addr) => onChange((x) => ({ ...x, new_address: addr }))}
        />
      )}
      <table className="table" data-testid="members">
        <caption>{t('visit.notification.members')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('visit.notification.mover')}</th>
            <th scope="col">{t('resident.relation')}</th>
            <th scope="col">{t('resident.name')}</th>
            <th scope="col">{t('resident.kana')}</th>
            <th scope="col">{t('resident.birth')}</th>
          </tr>
        </thead>
        <tbody>
          {n.members.map((m, mi) => (
            <tr key={`${m.atena_no ?? m.name}-${mi}`} data-testid="member-row">
              <td>
                <input
                  type="checkbox"
                  aria-label={t('visit.notification.moverOf', { name: m.name })}
                  checked={m.facts.mover ?? false}
                  onChange={(e) =>
                    onChange((x) => ({
                      ...x,
                      members: x.members.map((y, yi) =>
                        yi === mi ? { ...y, facts: { ...y.facts, mover: e.target.checked } } : y,
                      ),
                    }))
                  }
                />
              </td>
              <td>{m.facts.relation}</td>
              <th scope="row">{m.name}</th>
              <td>{m.kana}</td>
              <td>{formatWareki(m.facts.birth)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {n.kind === '出生' && (
        <div className="form-grid newborn">
          <div className="field">
            <label htmlFor={`child-name-${index}`}>{t('visit.notification.childName')}</label>
            <input id={`child-name-${index}`} value={child.name} onChange={(e) => setChild({ ...child, name: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={`child-kana-${index}`}>{t('resident.kana')}</label>
            <input id={`child-kana-${index}`} value={child.kana} onChange={(e) => setChild({ ...child, kana: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={`child-birth-${index}`}>{t('resident.birth')}</label>
            <input
              id={`child-birth-${index}`}
              type="date"
              value={child.birth}
              onChange={(e) => setChild({ ...child, birth: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={`child-sex-${index}`}>{t('resident.sex')}</label>
            <select id={`child-sex-${index}`} value={child.sex} onChange={(e) => setChild({ ...child, sex: e.target.value })}>
              <option value="女">女</option>
              <option value="男">男</option>
            </select>
          </div>
          <button
            type="button"
            className="button button-secondary"
            disabled={!child.name.trim()}
            onClick={() => onChange((x) => withNewborn(x, child))}
          >
            {t('visit.notification.addChild')}
          </button>
        </div>
      )}
      {onRemove && (
        <button type="button" className="button button-secondary" onClick={onRemove}>
          {t('visit.notification.remove')}
        </button>
      )}
    </fieldset>
  );
}

/**
 * A new address masked for 支援措置: shown as the server sent it, in fields that cannot be edited
 * (saving keeps the stored address). It becomes the usual picker once the addresses are disclosed.
 */
function MaskedAddress({ index, hint }: { index: number; hint: string }) {
  return (
    <div className="address-picker" data-testid="address-masked">
      <div className="form-grid">
        <div className="field town-field">
          <label htmlFor={`town-${index}`}>{t('visit.address.town')}</label>
          <input
            id={`town-${index}`}
            value={MASKED_ADDRESS}
            readOnly
            disabled
            aria-describedby={`masked-hint-${index}`}
            data-testid="town-input"
          />
        </div>
        <div className="field">
          <label htmlFor={`banchi-${index}`}>{t('visit.address.banchi')}</label>
          <input id={`banchi-${index}`} value="" readOnly disabled data-testid="banchi-input" />
        </div>
        <div className="field">
          <label htmlFor={`katagaki-${index}`}>{t('visit.address.katagaki')}</label>
          <input id={`katagaki-${index}`} value="" readOnly disabled />
        </div>
      </div>
      <p className="hint masked-hint" id={`masked-hint-${index}`}>
        {hint}
      </p>
      <p className="new-address" data-testid="new-address">
        {t('visit.address.result')} {MASKED_ADDRESS}
      </p>
    </div>
  );
}

/** 町字 from the city's list (type to filter, ↑↓ Enter), then 番地 and 方書. */
function AddressPicker({
  index,
  towns,
  value,
  autoFocus,
  onChange,
}: {
  index: number;
  towns: TownView[];
  value: Notification['new_address'];
  autoFocus: boolean;
  onChange: (addr: Notification['new_address']) => void;
}) {
  const [text, setText] = useState(value?.town ?? '');
  const [active, setActive] = useState(0);
  const [town, setTown] = useState<TownView | null>(null);
  const [banchi, setBanchi] = useState(value?.banchi ?? '');
  const [katagaki, setKatagaki] = useState(value?.katagaki ?? '');
  const [open, setOpen] = useState(false);
  const banchiRef = useRef<HTMLInputElement>(null);
  const options = useMemo(() => filterTowns(towns, text).slice(0, 12), [towns, text]);

  // The town of a stored address, once the list is loaded.
  useEffect(() => {
    if (!town && value) setTown(towns.find((t) => t.town === value.town) ?? null);
  }, [towns, value, town]);

  useEffect(() => {
    if (town) onChange(newAddress(town, banchi, katagaki));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [town, banchi, katagaki]);

  function pick(t: TownView | undefined) {
    if (!t) return;
    setTown(t);
    setText(t.town);
    setOpen(false);
    banchiRef.current?.focus();
  }

  function onKeyDown(e: ReactKeyboardEvent<HTMLInputElement>) {
    if (e.nativeEvent.isComposing) return;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((i) => Math.min(i + 1, options.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (e.key === 'Enter' && (open || !town)) {
      e.preventDefault();
      pick(options[active]);
    }
  }

  return (
    <div className="address-picker" data-testid="address-picker">
      <div className="form-grid">
        <div className="field town-field">
          <label htmlFor={`town-${index}`}>{t('visit.address.town')}</label>
          <input
            id={`town-${index}`}
            role="combobox"
            aria-expanded={open && options.length > 0}
            aria-controls={`town-list-${index}`}
            value={text}
            autoFocus={autoFocus && !value}
            onChange={(e) => {
              setText(e.target.value);
              setOpen(true);
              setActive(0);
              setTown(null);
            }}
            onKeyDown={onKeyDown}
            placeholder={t('visit.address.townPlaceholder')}
            autoComplete="off"
            data-testid="town-input"
          />
          {open && options.length > 0 && (
            <ul id={`town-list-${index}`} className="town-list" role="listbox">
              {options.map((o, i) => (
                <li
                  key={o.town}
                  role="option"
                  aria-selected={i === active}
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => pick(o)}
                  data-testid="town-option"
                >
                  {o.town} <span className="muted">〒{o.postal_code}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className="field">
          <label htmlFor={`banchi-${index}`}>{t('visit.address.banchi')}</label>
          <input
            id={`banchi-${index}`}
            ref={banchiRef}
            value={banchi}
            onChange={(e) => setBanchi(e.target.value)}
            placeholder="1-2-3"
            autoComplete="off"
            data-testid="banchi-input"
          />
          {banchi && <span className="hint">{normalizeBanchi(banchi)}</span>}
        </div>
        <div className="field">
          <label htmlFor={`katagaki-${index}`}>{t('visit.address.katagaki')}</label>
          <input
            id={`katagaki-${index}`}
            value={katagaki}
            onChange={(e) => setKatagaki(e.target.value)}
            autoComplete="off"
          />
        </div>
      </div>
      <p className="new-address" data-testid="new-address">
        {t('visit.address.result')} {value?.full ?? t('visit.address.notChosen')}
      </p>
    </div>
  );
}
