// Pure helpers of the 帳票テンプレート screen: a version's state on a day, the day after, and the PDF of
// a preview as bytes. No I/O.
import type { TemplateView } from '../../../api/types';
import type { MessageKey } from '../../../i18n';

/** A date as `YYYY-MM-DD` in local time (the admin's day, Japan). */
export function isoDay(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** The day after `day` (`YYYY-MM-DD`). */
export function nextDay(day: string): string {
  const [y = 0, m = 1, d = 1] = day.split('-').map(Number);
  return isoDay(new Date(y, m - 1, d + 1));
}

/** Whether the version is in force on `day`, not yet, or no longer. */
export function versionState(v: TemplateView, day: string): MessageKey {
  if (day < v.valid_from) return 'forms.state.future';
  if (v.valid_until && day >= v.valid_until) return 'forms.state.ended';
  return 'forms.state.inForce';
}

/** The versions grouped by template id, in the server's order (by id, then 施行日). */
export function byTemplate(list: readonly TemplateView[]): [string, TemplateView[]][] {
  const groups = new Map<string, TemplateView[]>();
  for (const v of list) groups.set(v.id, [...(groups.get(v.id) ?? []), v]);
  return [...groups.entries()];
}

/** The bytes of a base64 PDF. */
export function pdfBytes(base64: string): Uint8Array<ArrayBuffer> {
  const raw = atob(base64);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

/** Bytes as base64 (a PDF to upload), in chunks so that a large file does not overflow the stack. */
export function bytesToBase64(bytes: Uint8Array): string {
  let raw = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    raw += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(raw);
}
