// The audit log's action codes with their Japanese labels (i18n `audit.actionLabel.<code>`): the
// common ones, offered in the search's choice; any other code is shown as it is.
import { t, type MessageKey } from '../../../i18n';
import { audit } from '../../../i18n/admin/audit';

/** The actions offered in the search (codes with a label), in the choice's order. */
export const COMMON_ACTIONS: readonly string[] = Object.keys(audit)
  .filter((k) => k.startsWith('audit.actionLabel.'))
  .map((k) => k.slice('audit.actionLabel.'.length));

/** The action codes of a 支援措置 disclosure (a resident's address, a case's addresses). */
export const DISCLOSURE_ACTIONS = ['resident.address_disclosure', 'case.address_disclosure'] as const;

/** The Japanese label of an action code, or the code itself when none is known. */
export function actionLabel(code: string): string {
  const key = `audit.actionLabel.${code}`;
  return key in audit ? t(key as MessageKey) : code;
}
