//! [`PreApplicationStore`] on SQLite.

use madoguchi_store::prelude::*;

use crate::pre_applications::{Existing, by_number, delete, existing, insert, purge};
use crate::*;

impl PreApplicationStore for SqliteStore {
    fn send_pre_application(
        &self,
        tenant: &TenantId,
        sent: &madoguchi_store::PreApplication,
        today: NaiveDate,
        audit: &AuditEvent,
    ) -> StoreResult<Option<madoguchi_store::PreApplication>> {
        self.with_writer(|c| {
            let tx = c
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(be)?;
            purge(&tx, tenant, today)?;
            let out = match existing(&tx, tenant, sent)? {
                Existing::Sent(found) => Some(found),
                Existing::NumberTaken => None,
                Existing::None => {
                    insert(&tx, tenant, sent)?;
                    append_audit_in(&tx, audit)?;
                    Some(sent.clone())
                }
            };
            tx.commit().map_err(be)?;
            Ok(out)
        })
    }

    fn pre_application(
        &self,
        tenant: &TenantId,
        number: &str,
    ) -> StoreResult<Option<madoguchi_store::PreApplication>> {
        self.with_reader(|c| by_number(c, tenant, number))
    }

    fn delete_pre_application(
        &self,
        tenant: &TenantId,
        number: &str,
        birth: NaiveDate,
        audit: &AuditEvent,
    ) -> StoreResult<bool> {
        self.audited_if(audit, |tx| delete(tx, tenant, number, birth))
    }

    fn purge_pre_applications(&self, tenant: &TenantId, today: NaiveDate) -> StoreResult<u64> {
        self.with_writer(|c| purge(c, tenant, today))
    }
}
