-- The 対応履歴 export reads the history entries of a period (statistics read cases by `cases_opened`).
CREATE INDEX case_entries_at ON case_entries (tenant_id, at);
