//! Residents: imports, search, households, 支援措置 households, towns.

use madoguchi_core::ids::AtenaNo;
use madoguchi_core::resident::Resident;

use crate::{
    ImportApplied, ImportDecision, ImportMeta, ResidentQuery, ResidentSink, StoreResult, TenantId,
    Town,
};

/// Residents: imports, search, households, 支援措置 households, towns.
pub trait ResidentStore {
    /// Runs one import as a single transaction. `body` writes through the sink and decides whether to
    /// commit. In [`ImportMode::Full`](crate::ImportMode::Full), residents not written by `body` are removed on commit.
    /// If the file's SHA-256 is already in the ledger, `body` is not called.
    fn import_residents(
        &self,
        tenant: &TenantId,
        meta: &ImportMeta,
        body: &mut dyn FnMut(&mut dyn ResidentSink) -> StoreResult<ImportDecision>,
    ) -> StoreResult<ImportApplied>;
    fn search_residents(
        &self,
        tenant: &TenantId,
        query: &ResidentQuery,
    ) -> StoreResult<Vec<Resident>>;
    fn get_resident(&self, tenant: &TenantId, atena_no: &AtenaNo) -> StoreResult<Option<Resident>>;
    /// Members of a household, in no particular order (the service applies the standard order).
    fn household_members(
        &self,
        tenant: &TenantId,
        household_no: &AtenaNo,
    ) -> StoreResult<Vec<Resident>>;
    fn count_residents(&self, tenant: &TenantId) -> StoreResult<u64>;
    /// Of the given households, those with at least one member under 支援措置: their shared address
    /// must be protected for every member, not only the flagged one.
    fn protected_households(
        &self,
        tenant: &TenantId,
        household_nos: &[AtenaNo],
    ) -> StoreResult<std::collections::HashSet<AtenaNo>>;
    /// The tenant's 町字, in town-code order: rebuilt from the residents by every full import that
    /// changed any, extended by delta imports with the towns of the residents they write.
    fn towns(&self, tenant: &TenantId) -> StoreResult<Vec<Town>>;
}
