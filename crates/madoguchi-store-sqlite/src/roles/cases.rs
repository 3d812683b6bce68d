//! [`CaseStore`] on SQLite.

use chrono::{DateTime, NaiveDate, Utc};
use madoguchi_store::CaseHistoryRow;
use madoguchi_store::case_summary::SummaryCount;
use madoguchi_store::prelude::*;

use crate::*;

impl CaseStore for SqliteStore {
    fn save_case(
        &self,
        tenant: &TenantId,
        write: &CaseWrite,
        audit: &AuditEvent,
    ) -> StoreResult<CaseSaved> {
        self.with_writer(|c| {
            let tx = c
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(be)?;
            let saved = cases::save(&tx, tenant, write)?;
            if let CaseSaved::Applied(_) = saved {
                append_audit_in(&tx, audit)?;
                tx.commit().map_err(be)?;
            }
            Ok(saved)
        })
    }

    fn get_case(
        &self,
        tenant: &TenantId,
        case_id: &str,
    ) -> StoreResult<Option<(CaseRecord, Vec<CaseEntry>)>> {
        self.with_reader(|c| cases::get(c, tenant, case_id))
    }

    fn find_cases(&self, tenant: &TenantId, filter: &CaseFilter) -> StoreResult<Vec<CaseRecord>> {
        self.with_reader(|c| cases::find(c, tenant, filter))
    }

    fn cases_opened_between(
        &self,
        tenant: &TenantId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<CaseRecord>> {
        self.with_reader(|c| case_period::opened_between(c, tenant, from, to))
    }

    fn count_cases_opened_between(
        &self,
        tenant: &TenantId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<u64> {
        self.with_reader(|c| case_period::count_opened_between(c, tenant, from, to))
    }

    fn case_summary(
        &self,
        tenant: &TenantId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<SummaryCount>> {
        while self.with_reader(|c| case_summary::has_pending(c, tenant))? {
            let counted = self.with_writer(|c| {
                let tx = c
                    .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                    .map_err(be)?;
                let n = case_summary::count_pending(&tx, tenant)?;
                tx.commit().map_err(be)?;
                Ok(n)
            })?;
            if counted == 0 {
                break;
            }
        }
        self.with_reader(|c| case_summary::read(c, tenant, from, to))
    }

    fn case_history_between(
        &self,
        tenant: &TenantId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<CaseHistoryRow>> {
        self.with_reader(|c| case_period::history_between(c, tenant, from, to))
    }

    fn put_incoming_move(
        &self,
        tenant: &TenantId,
        notice: &IncomingMove,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.audited(audit, |tx| cases::put_incoming(tx, tenant, notice))
    }

    fn search_incoming_moves(
        &self,
        tenant: &TenantId,
        key: &str,
        limit: usize,
    ) -> StoreResult<Vec<IncomingMove>> {
        self.with_reader(|c| cases::search_incoming(c, tenant, key, limit))
    }
}
