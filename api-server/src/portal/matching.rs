//! Which resident an application is about: by the 署名用電子証明書's serial where the application was
//! signed and the card feed names it, else by name and birth date (several: ambiguous; none: none).

use madoguchi_core::resident::Resident;
use madoguchi_core::text::search_key;
use madoguchi_store::{ResidentQuery, Store, StoreResult, TenantId};

use super::adapter::Applicant;

/// How candidates were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchedBy {
    Serial,
    NameAndBirth,
}

/// The residents an application may be about.
#[derive(Debug, Clone)]
pub struct Match {
    pub by: MatchedBy,
    pub candidates: Vec<Resident>,
}

/// The most candidates shown.
const LIMIT: usize = 20;

/// Finds the candidates.
pub fn find(
    store: &dyn Store,
    tenant: &TenantId,
    serial: Option<&str>,
    applicant: Option<&Applicant>,
) -> StoreResult<Match> {
    if let Some(serial) = serial
        && let Some(card) = store.resident_by_card_serial(tenant, serial)?
        && let Some(r) = store.get_resident(tenant, &card.atena_no)?
    {
        return Ok(Match {
            by: MatchedBy::Serial,
            candidates: vec![r],
        });
    }
    let Some(a) = applicant else {
        return Ok(Match {
            by: MatchedBy::NameAndBirth,
            candidates: Vec::new(),
        });
    };
    let query = ResidentQuery {
        name: Some(search_key(&a.name)),
        birth: Some(a.birth_date),
        limit: LIMIT,
        ..Default::default()
    };
    let mut candidates = store.search_residents(tenant, &query)?;
    let wanted = search_key(&a.name);
    candidates.retain(|r| search_key(&r.name.full) == wanted);
    Ok(Match {
        by: MatchedBy::NameAndBirth,
        candidates,
    })
}
