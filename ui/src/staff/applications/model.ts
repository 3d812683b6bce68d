import type { MessageKey } from '../../i18n';

/** The statuses of 申請管理, in the order of the filter. */
export const STATUSES = ['unprocessed', 'in_progress', 'done', 'returned'] as const;
export type PortalStatus = (typeof STATUSES)[number];

/** Path of the screen. */
export const APPLICATIONS_PATH = '/staff/applications';

/** Whether a user may open 申請管理 (the server requires `accept_notification`). */
export function mayHandleApplications(permissions: readonly string[]): boolean {
  return permissions.includes('accept_notification');
}

export function statusKey(status: string): MessageKey {
  return `applications.status.${STATUSES.includes(status as PortalStatus) ? status : 'unprocessed'}` as MessageKey;
}

/** A time as staff read it (Japan). */
export function jst(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo' }) : '';
}

/** A file's bytes as base64 (what the import route takes). */
export async function fileBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
