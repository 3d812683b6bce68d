// Audit records for the audit screens' tests.
import type { AuditRecordView, AuditSearchResult } from '../../../api/types';

export function record(id: number, action: string, more: Partial<AuditRecordView> = {}): AuditRecordView {
  return {
    id,
    at: '2026-12-07T10:15:00+09:00',
    user: 'demo',
    counter: 'kanri',
    terminal: null,
    action,
    subject: null,
    result: 'ok',
    reason: null,
    prev_hash: 'a'.repeat(64),
    hash: 'b'.repeat(64),
    ...more,
  };
}

export function page(records: AuditRecordView[], p = 1, hasMore = false): AuditSearchResult {
  return { records, page: p, page_size: 50, has_more: hasMore };
}
