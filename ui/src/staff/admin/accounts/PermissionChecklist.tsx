import { useId } from 'react';
import type { PermissionView } from '../../../api/types';
import { t } from '../../../i18n';

/** The permissions as checkboxes, each with what it allows (for a group or a counter). */
export function PermissionChecklist({
  permissions,
  selected,
  onChange,
}: {
  permissions: PermissionView[];
  selected: string[];
  onChange: (codes: string[]) => void;
}) {
  const id = useId();
  function toggle(code: string, on: boolean) {
    const next = on ? [...selected, code] : selected.filter((c) => c !== code);
    // Kept in the server's order, whatever order they were ticked in.
    onChange(permissions.map((p) => p.code).filter((c) => next.includes(c)));
  }
  return (
    <fieldset className="permission-checklist">
      <legend>{t('permissions.legend')}</legend>
      {permissions.map((p) => (
        <div key={p.code} className="permission-item">
          <label>
            <input
              type="checkbox"
              checked={selected.includes(p.code)}
              onChange={(e) => toggle(p.code, e.target.checked)}
              aria-describedby={`${id}-${p.code}`}
              data-testid={`permission-${p.code}`}
            />
            {p.label}
          </label>
          <p className="hint" id={`${id}-${p.code}`}>
            {p.description}
          </p>
        </div>
      ))}
    </fieldset>
  );
}

/** The Japanese names of permission codes, joined for a table cell. */
export function permissionLabels(codes: string[], permissions: PermissionView[]): string {
  return codes.map((c) => permissions.find((p) => p.code === c)?.label ?? c).join('、');
}
