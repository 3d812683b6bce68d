//! The city's own 手続きナビ procedures as the admin screen edits them: the published file (one tenant
//! setting, the same file terminals sync for offline evaluation) and a draft kept beside it until it is
//! published from a date. Both are saved on the revision read (`city_settings`); publishing checks the
//! draft (`core::navigation::local::check`: every rule parsed, every example run, every form known) and
//! merges it into the published file so that the past stays as it was (`local::publish`).

use chrono::NaiveDate;
use madoguchi_core::navigation::Catalog;
use madoguchi_core::navigation::local::{self, DraftProblem, DraftReport, LocalCatalog};
use madoguchi_store::{AuditEvent, Store, StoreError, TenantId};

use crate::city_settings::{self, SaveError, revision};

/// The published file (TOML, `crates/madoguchi-core/data/procedures/` format).
pub const PUBLISHED: &str = "navigation_local";
/// The draft being edited (JSON of [`LocalCatalog`]; empty when none).
pub const DRAFT: &str = "navigation_local_draft";

#[derive(Debug)]
pub enum RulesError {
    Store(StoreError),
    /// A stored file no longer reads (English, for the log).
    Corrupt(String),
    /// Someone saved since the revision was read.
    Stale,
    /// The draft cannot be published: its check.
    Invalid(Box<DraftReport>),
    /// Publication before today would rewrite what cases were evaluated with.
    PastDate,
}

impl From<StoreError> for RulesError {
    fn from(e: StoreError) -> Self {
        RulesError::Store(e)
    }
}

impl From<SaveError> for RulesError {
    fn from(e: SaveError) -> Self {
        match e {
            SaveError::Stale => RulesError::Stale,
            SaveError::Store(e) => RulesError::Store(e),
        }
    }
}

/// The published file and its revision.
pub fn published(
    store: &dyn Store,
    tenant: &TenantId,
) -> Result<(LocalCatalog, String), RulesError> {
    let stored = store.tenant_setting(tenant, PUBLISHED)?;
    let file = match stored.as_deref() {
        None | Some("") => LocalCatalog::default(),
        Some(text) => LocalCatalog::from_toml(text)
            .map_err(|e| RulesError::Corrupt(format!("published local rules: {e}")))?,
    };
    Ok((file, revision(stored.as_deref())))
}

/// The draft (the saved one, or the published file as of `today`), whether it was saved, and its revision.
pub fn draft(
    store: &dyn Store,
    tenant: &TenantId,
    today: NaiveDate,
) -> Result<(LocalCatalog, bool, String), RulesError> {
    let stored = store.tenant_setting(tenant, DRAFT)?;
    let rev = revision(stored.as_deref());
    match stored.as_deref() {
        Some(text) if !text.is_empty() => {
            let draft = serde_json::from_str(text)
                .map_err(|e| RulesError::Corrupt(format!("navigation draft: {e}")))?;
            Ok((draft, true, rev))
        }
        _ => Ok((
            local::draft_of(&published(store, tenant)?.0, today),
            false,
            rev,
        )),
    }
}

/// Saves the draft on the revision read; the new revision.
pub fn save_draft(
    store: &dyn Store,
    tenant: &TenantId,
    draft: &LocalCatalog,
    expected: &str,
    event: &AuditEvent,
) -> Result<String, RulesError> {
    let text = serde_json::to_string(draft).map_err(|e| RulesError::Corrupt(e.to_string()))?;
    Ok(city_settings::save(
        store, tenant, DRAFT, &text, expected, event,
    )?)
}

/// The draft's check, with its forms checked against the templates the city prints with.
pub fn check(draft: &LocalCatalog, standard: &Catalog, form_ids: &[String]) -> DraftReport {
    let mut report = local::check(draft, standard);
    for (i, p) in draft.procedures.iter().enumerate() {
        for form in p.forms.iter().filter(|f| !form_ids.contains(f)) {
            report.problems.push(DraftProblem {
                procedure: Some(i),
                ..local::problem("forms", format!("様式「{form}」はありません。"))
            });
        }
    }
    report
}

/// What a publication is asked.
pub struct Publication<'a> {
    pub draft: &'a LocalCatalog,
    pub from: NaiveDate,
    /// The published file's revision the draft was made against.
    pub expected: &'a str,
    pub today: NaiveDate,
}

/// Publishes the draft from `from` (today or later): refused with the check when it does not hold, on
/// a stale revision, or for a past date; then the draft is cleared. The published file's new revision.
pub fn publish(
    store: &dyn Store,
    tenant: &TenantId,
    standard: &Catalog,
    form_ids: &[String],
    publication: Publication<'_>,
    events: [&AuditEvent; 2],
) -> Result<String, RulesError> {
    if publication.from < publication.today {
        return Err(RulesError::PastDate);
    }
    let report = check(publication.draft, standard, form_ids);
    if !report.ok() {
        return Err(RulesError::Invalid(Box::new(report)));
    }
    let (current, _) = published(store, tenant)?;
    let merged = local::publish(&current, publication.draft, publication.from);
    if let Err(e) = merged.load() {
        return Err(RulesError::Invalid(Box::new(DraftReport {
            problems: vec![local::problem("", e.reason)],
            examples: Vec::new(),
        })));
    }
    let [published_event, draft_event] = events;
    let rev = city_settings::save(
        store,
        tenant,
        PUBLISHED,
        &merged.to_toml(),
        publication.expected,
        published_event,
    )?;
    store.put_tenant_setting(tenant, DRAFT, "", draft_event)?;
    Ok(rev)
}

/// The catalogue a tenant evaluates with: the standard one (`standard`, the server's), plus the tenant's
/// published rule file if an administrator stored one. `Ok(Err(_))`: the stored file no longer loads.
pub fn tenant_catalog(
    standard: &Result<std::sync::Arc<Catalog>, String>,
    store: &dyn Store,
    tenant: &TenantId,
) -> Result<Result<std::sync::Arc<Catalog>, String>, StoreError> {
    Ok(match store.tenant_setting(tenant, PUBLISHED)? {
        None => standard
            .clone()
            .map_err(|e| format!("procedure catalogue failed to load: {e}")),
        Some(text) => {
            let mut files: Vec<(&str, &str)> = madoguchi_core::navigation::STANDARD_FILES.to_vec();
            files.push(("local.toml", &text));
            Catalog::load(&files)
                .map(std::sync::Arc::new)
                .map_err(|e| format!("stored local rules no longer load: {e}"))
        }
    })
}
