//! [`CaseStore`] on PostgreSQL.

use chrono::{DateTime, NaiveDate, Utc};
use madoguchi_store::CaseHistoryRow;
use madoguchi_store::case_summary::SummaryCount;
use madoguchi_store::prelude::*;

use crate::*;

impl CaseStore for PostgresStore {
    fn save_case(
        &self,
        tenant: &TenantId,
        write: &CaseWrite,
        audit: &AuditEvent,
    ) -> StoreResult<CaseSaved> {
        self.transact(Some(tenant), |tx| {
            let saved = cases::save(tx, tenant, write)?;
            if let CaseSaved::Applied(_) = saved {
                append_audit_in(tx, audit)?;
                return Ok((saved, true));
            }
            Ok((saved, false))
        })
    }

    fn get_case(
        &self,
        tenant: &TenantId,
        case_id: &str,
    ) -> StoreResult<Option<(CaseRecord, Vec<CaseEntry>)>> {
        self.with_tenant(tenant, |tx| cases::get(tx, tenant, case_id))
    }

    fn find_cases(&self, tenant: &TenantId, filter: &CaseFilter) -> StoreResult<Vec<CaseRecord>> {
        self.with_tenant(tenant, |tx| cases::find(tx, tenant, filter))
    }

    fn cases_opened_between(
        &self,
        tenant: &TenantId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<CaseRecord>> {
        self.with_tenant(tenant, |tx| {
            case_period::opened_between(tx, tenant, from, to)
        })
    }

    fn count_cases_opened_between(
        &self,
        tenant: &TenantId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<u64> {
        self.with_tenant(tenant, |tx| {
            case_period::count_opened_between(tx, tenant, from, to)
        })
    }

    fn case_summary(
        &self,
        tenant: &TenantId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<SummaryCount>> {
        while self.with_tenant(tenant, |tx| case_summary::has_pending(tx, tenant))? {
            let counted = self.with_tenant(tenant, |tx| case_summary::count_pending(tx, tenant))?;
            if counted == 0 {
                break;
            }
        }
        self.with_tenant(tenant, |tx| case_summary::read(tx, tenant, from, to))
    }

    fn case_history_between(
        &self,
        tenant: &TenantId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<CaseHistoryRow>> {
        self.with_tenant(tenant, |tx| {
            case_period::history_between(tx, tenant, from, to)
        })
    }

    fn put_incoming_move(
        &self,
        tenant: &TenantId,
        notice: &IncomingMove,
        audit: &AuditEvent,
    ) -> StoreResult<()> {
        self.audited(tenant, audit, |tx| cases::put_incoming(tx, tenant, notice))
    }

    fn search_incoming_moves(
        &self,
        tenant: &TenantId,
        key: &str,
        limit: usize,
    ) -> StoreResult<Vec<IncomingMove>> {
        self.with_tenant(tenant, |tx| cases::search_incoming(tx, tenant, key, limit))
    }
}
