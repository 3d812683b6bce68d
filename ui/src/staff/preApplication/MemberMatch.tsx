import type { PreApplicationMember, ResidentView } from '../../api/types';
import { t } from '../../i18n';
import { differences, type Difference } from './model';

const FIELDS: Difference['field'][] = ['name', 'kana', 'birth', 'sex', 'address'];

function Recorded({ r, diffs }: { r: ResidentView; diffs: Difference[] }) {
  const differs = (f: Difference['field']) => diffs.some((d) => d.field === f);
  const cell = (f: Difference['field'], value: string) =>
    differs(f) ? (
      <mark className="pre-diff" data-testid={`pre-diff-${f}`}>
        {value}
      </mark>
    ) : (
      <span>{value}</span>
    );
  return (
    <span className="pre-recorded">
      {cell('name', r.name)} {cell('kana', r.kana ?? '')} {cell('birth', r.birth_date ?? r.birth_display)}{' '}
      {cell('sex', r.sex_label)} {r.relation}{' '}
      {r.address_masked ? (
        <em>{t('preApplication.addressMasked')}</em>
      ) : (
        cell('address', r.address?.full ?? '')
      )}
    </span>
  );
}

/**
 * One person of the 事前申請: what the resident typed, the 住民記録 candidates found for them (the
 * fields that differ marked), and the staff's pick — a record, or none (a person new to the city).
 */
export function MemberMatch({
  index,
  member,
  candidates,
  typedAddress,
  picked,
  onPick,
}: {
  index: number;
  member: PreApplicationMember;
  candidates: ResidentView[] | null;
  typedAddress?: string;
  picked: string;
  onPick: (atenaNo: string) => void;
}) {
  const name = `pre-member-${index}`;
  return (
    <fieldset className="pre-member" data-testid={`pre-member-${index}`}>
      <legend>
        {t('preApplication.typed')}: {member.name}（{member.kana}） {member.birth} {member.sex} {member.relation}
      </legend>
      {candidates === null && <p>{t('preApplication.searching')}</p>}
      {candidates?.length === 0 && <p>{t('preApplication.noCandidate')}</p>}
      {candidates && candidates.length > 1 && (
        <p role="status">{t('preApplication.ambiguous', { count: candidates.length })}</p>
      )}
      {candidates?.map((r) => {
        const diffs = differences(member, r, typedAddress);
        const fields = FIELDS.filter((f) => diffs.some((d) => d.field === f))
          .map((f) => t(`preApplication.field.${f}`))
          .join('・');
        return (
          <label key={r.atena_no} className="pre-candidate" data-testid={`pre-candidate-${r.atena_no}`}>
            <input
              type="radio"
              name={name}
              checked={picked === r.atena_no}
              onChange={() => onPick(r.atena_no)}
            />
            {t('preApplication.recorded')}: <Recorded r={r} diffs={diffs} />
            <small className={diffs.length > 0 ? 'pre-diff-note' : undefined}>
              {diffs.length > 0
                ? t('preApplication.differences', { fields })
                : t('preApplication.noDifference')}
            </small>
          </label>
        );
      })}
      {candidates && candidates.length > 0 && (
        <label className="pre-candidate">
          <input type="radio" name={name} checked={picked === ''} onChange={() => onPick('')} />
          {t('preApplication.pickNone')}
        </label>
      )}
    </fieldset>
  );
}
