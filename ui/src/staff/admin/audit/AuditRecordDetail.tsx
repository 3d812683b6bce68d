import { useEffect, useRef } from 'react';
import type { AuditRecordView } from '../../../api/types';
import { formatWarekiDateTime, t, type MessageKey } from '../../../i18n';
import { actionLabel } from './actions';

/** One audit record with all its fields; Esc or the close button closes it. */
export function AuditRecordDetail({ record, onClose }: { record: AuditRecordView; onClose: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [record.id]);

  const empty = t('audit.empty');
  const rows: Array<[MessageKey, string]> = [
    ['audit.colId', String(record.id)],
    ['audit.colAt', `${formatWarekiDateTime(record.at)}（${record.at}）`],
    ['audit.colUser', record.user ?? empty],
    ['audit.colCounter', record.counter ?? empty],
    ['audit.colTerminal', record.terminal ?? empty],
    ['audit.colAction', `${actionLabel(record.action)}（${record.action}）`],
    ['audit.colSubject', record.subject ?? empty],
    ['audit.colResult', record.result],
    ['audit.colReason', record.reason ?? empty],
    ['audit.colPrevHash', record.prev_hash],
    ['audit.colHash', record.hash],
  ];
  return (
    <section
      className="panel audit-record"
      aria-labelledby="audit-record-title"
      data-testid="audit-record"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <h2 id="audit-record-title" tabIndex={-1} ref={heading}>
        {t('audit.recordTitle', { id: record.id })}
      </h2>
      <dl className="audit-fields">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{t(label)}</dt>
            <dd className={label === 'audit.colHash' || label === 'audit.colPrevHash' ? 'hash' : undefined} data-testid={`audit-field-${label.slice('audit.col'.length).toLowerCase()}`}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
      <button type="button" className="button button-secondary" onClick={onClose} data-testid="audit-record-close">
        {t('audit.close')}
      </button>
    </section>
  );
}
