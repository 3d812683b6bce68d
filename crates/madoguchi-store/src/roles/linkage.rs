//! Core-system feeds in (支援措置, 資格, 印鑑登録, 課税, 利用者証明用電子証明書シリアル番号) and out (outbound batches), with the linkage ledger.

use chrono::{DateTime, Utc};
use madoguchi_core::ids::AtenaNo;

use crate::{
    AuditEvent, CardSerial, CardSerialChange, CaseRecord, ImportApplied, ImportMeta, LinkageFile,
    OutboundBatch, QualificationChange, QualificationRecord, SealRegistration,
    SealRegistrationChange, StoreResult, SupportMeasureRecord, TaxChange, TaxRecord, TenantId,
};

/// Core-system feeds in (支援措置, 資格, 印鑑登録, 利用者証明用電子証明書シリアル番号) and out (outbound batches), with the linkage ledger.
pub trait LinkageStore {
    /// Applies the 支援措置 feed (`001o009`). `Full` replaces the tenant's records with `records`;
    /// `Delta` upserts them, a record with [`SupportMeasure::None`](madoguchi_core::resident::SupportMeasure::None) removing the one stored. A resident
    /// is protected when either the resident record or this feed says so (the stricter wins), so a
    /// resident import never lifts a measure the feed keeps.
    fn import_support_measures(
        &self,
        tenant: &TenantId,
        meta: &ImportMeta,
        records: &[SupportMeasureRecord],
    ) -> StoreResult<ImportApplied>;
    /// Applies the 資格 feed. `Full` replaces every record of the tenant; `Delta` applies the changes.
    fn import_qualifications(
        &self,
        tenant: &TenantId,
        meta: &ImportMeta,
        changes: &[QualificationChange],
    ) -> StoreResult<ImportApplied>;
    /// The stored qualifications of the given residents, by 宛名番号 then kind.
    fn qualifications(
        &self,
        tenant: &TenantId,
        atena_nos: &[AtenaNo],
    ) -> StoreResult<Vec<QualificationRecord>>;
    /// Applies the 印鑑登録 feed (`inkan`), one registration per 宛名番号. `Full` replaces every
    /// registration of the tenant; `Delta` upserts and removes. One transaction with the ledger and the
    /// audit record, like [`Self::import_qualifications`].
    fn import_seal_registrations(
        &self,
        tenant: &TenantId,
        meta: &ImportMeta,
        changes: &[SealRegistrationChange],
    ) -> StoreResult<ImportApplied>;
    /// A resident's 印鑑登録 (in force or 廃止) with its 印影, `None` when the feed states none.
    ///
    /// On this role rather than [`ResidentStore`](crate::ResidentStore): like [`Self::qualifications`],
    /// the registration is the `inkan` feed's data — only the feed writes it, in its own table, apart
    /// from the resident record that the resident import replaces — so its write and its reads stay in
    /// one role (and one backend module).
    fn seal_registration(
        &self,
        tenant: &TenantId,
        atena_no: &AtenaNo,
    ) -> StoreResult<Option<SealRegistration>>;
    /// The 宛名番号 of the tenant's registrations in force (not 廃止), in order, without their images:
    /// what a full `inkan` file is checked against before it may cancel them.
    fn active_seal_registrations(&self, tenant: &TenantId) -> StoreResult<Vec<AtenaNo>>;
    /// Applies the 課税 feed (`tax`), one row per 宛名番号 and 課税年度. `Full` replaces every
    /// person-year of the 年度 the file carries (a person the file leaves out of such a 年度 loses it;
    /// other 年度 stay); `Delta` upserts and removes. One transaction with the ledger and the audit
    /// record, like [`Self::import_seal_registrations`].
    fn import_tax_records(
        &self,
        tenant: &TenantId,
        meta: &ImportMeta,
        changes: &[TaxChange],
    ) -> StoreResult<ImportApplied>;
    /// A resident's 課税 for one 年度 (西暦), `None` when the feed states none.
    fn tax_record(
        &self,
        tenant: &TenantId,
        atena_no: &AtenaNo,
        year: i32,
    ) -> StoreResult<Option<TaxRecord>>;
    /// Applies the card feed (`cards`), one row per certificate serial. `Full` replaces every serial
    /// of the tenant; `Delta` upserts and removes. One transaction with the ledger and the audit
    /// record, like [`Self::import_seal_registrations`]: a file applied before changes nothing.
    fn import_card_serials(
        &self,
        tenant: &TenantId,
        meta: &ImportMeta,
        changes: &[CardSerialChange],
    ) -> StoreResult<ImportApplied>;
    /// The resident a 利用者証明用電子証明書 serial names (revoked or not), `None` when the feed states
    /// none. `serial` is normalized by the caller ([`madoguchi_core::card_serial::normalize`]).
    fn resident_by_card_serial(
        &self,
        tenant: &TenantId,
        serial: &str,
    ) -> StoreResult<Option<CardSerial>>;
    /// Records what the linkage job did with a file.
    fn record_linkage_file(&self, tenant: &TenantId, file: &LinkageFile) -> StoreResult<()>;
    /// The linkage ledger, newest first: one feed's files or every feed's, at most `limit`.
    fn linkage_files(
        &self,
        tenant: &TenantId,
        feed: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<LinkageFile>>;
    /// Cases whose status is one of `statuses` and that no batch of `kind` took yet, oldest update first.
    fn outbound_candidates(
        &self,
        tenant: &TenantId,
        kind: &str,
        statuses: &[&str],
        limit: usize,
    ) -> StoreResult<Vec<CaseRecord>>;
    /// Records a new batch (undelivered) with its audit record, numbering it; `batch_no` is ignored.
    /// `Conflict` (and nothing written) when one of its cases is already in a batch of the kind.
    fn add_outbound_batch(
        &self,
        tenant: &TenantId,
        batch: &OutboundBatch,
        audit: &AuditEvent,
    ) -> StoreResult<i64>;
    /// Marks a batch delivered (written to the exchange); `false` if no such batch.
    fn mark_outbound_delivered(
        &self,
        tenant: &TenantId,
        kind: &str,
        batch_no: i64,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Batches, newest first: of one kind or all, only the undelivered ones if asked, at most `limit`.
    fn outbound_batches(
        &self,
        tenant: &TenantId,
        kind: Option<&str>,
        undelivered_only: bool,
        limit: usize,
    ) -> StoreResult<Vec<OutboundBatch>>;
}
