//! [`PreApplicationStore`] on PostgreSQL.

use madoguchi_store::prelude::*;

use crate::pre_applications::{by_number, delete, purge, send};
use crate::*;

impl PreApplicationStore for PostgresStore {
    fn send_pre_application(
        &self,
        tenant: &TenantId,
        sent: &madoguchi_store::PreApplication,
        today: NaiveDate,
        audit: &AuditEvent,
    ) -> StoreResult<Option<madoguchi_store::PreApplication>> {
        self.transact(Some(tenant), |tx| {
            purge(tx, tenant, today)?;
            let (out, inserted) = send(tx, tenant, sent)?;
            if inserted {
                append_audit_in(tx, audit)?;
            }
            Ok((out, true))
        })
    }

    fn pre_application(
        &self,
        tenant: &TenantId,
        number: &str,
    ) -> StoreResult<Option<madoguchi_store::PreApplication>> {
        self.with_tenant(tenant, |tx| by_number(tx, tenant, number))
    }

    fn delete_pre_application(
        &self,
        tenant: &TenantId,
        number: &str,
        birth: NaiveDate,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        self.audited_if(tenant, audit, |tx| delete(tx, tenant, number, birth))
    }

    fn purge_pre_applications(&self, tenant: &TenantId, today: NaiveDate) -> StoreResult<u64> {
        self.with_tenant(tenant, |tx| purge(tx, tenant, today))
    }
}
