// Small text helpers of the kiosk screens (dates: `birthText` in the i18n layer).
import { t } from '../i18n';

/** 男 / 女 in the kiosk's language. */
export function sexText(sex: string): string {
  return sex === '男' || sex === '女' ? t(`kiosk.sex.${sex}`) : '';
}

const RELATION_KEYS = ['世帯主', '妻', '夫', '子', '父', '母', 'その他', '子（出生）'] as const;

/** A 続柄 in the kiosk's language. */
export function relationText(relation: string): string {
  const known = RELATION_KEYS.find((r) => r === relation);
  return known ? t(`kiosk.relation.${known}`) : relation;
}
