//! 支援措置 (protection of victims of DV, stalking and abuse): the one gate.
//!
//! **Architecture invariant:** every response that can carry the address or place of a person leaves
//! the server through [`release`], which masks it when the person (or anyone in their household) is
//! protected — a resident flagged 支援措置 or 仮支援措置, or named by the core systems' 支援措置 feed.
//! Which response types carry an address is declared in [`ADDRESS_SCHEMAS`]; `tests/server/security.rs`
//! fails when the OpenAPI document has a schema with an address-like field that is not declared there,
//! or a response that reaches one without passing the gate, and the tests below fail when a gated type
//! gains an address field that [`Addressed::mask`] leaves in place. The full address is shown only by
//! the override routes (`…/address-disclosure`), which ask for a reason and audit it.

use std::collections::HashSet;

use madoguchi_core::ids::AtenaNo;
use madoguchi_core::resident::Resident;
use madoguchi_store::{Store, StoreResult, TenantId};
use serde_json::Value;

use madoguchi_core::case_document::{CaseDocument, NewAddress};

/// What a masked text field holds instead of an address.
pub const MASKED: &str = "（支援措置のため非表示）";

/// A value that can carry the address or place of a person. Only [`release`] calls `mask`.
pub trait Addressed {
    /// Removes every address and place of a person from the value.
    fn mask(&mut self);
}

/// The one masking function: `value` as the session may see it.
pub fn release<T: Addressed>(mut value: T, protected: bool) -> T {
    if protected {
        value.mask();
    }
    value
}

/// How a schema of the OpenAPI document that has address fields is handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handling {
    /// A response type that passes [`release`].
    Gated,
    /// Part of a gated type (masked by its `mask`), or a request body.
    Part,
    /// Carries an address on purpose; the reason.
    Exempt(&'static str),
}

/// Every OpenAPI schema with an address-like field ([`is_address_key`]), and how it is handled.
pub const ADDRESS_SCHEMAS: &[(&str, Handling)] = &[
    ("ResidentView", Handling::Gated),
    ("HouseholdView", Handling::Gated),
    ("CaseView", Handling::Gated),
    ("PortalApplicationView", Handling::Gated),
    ("PortalApplicantView", Handling::Part),
    ("PortalCandidateView", Handling::Part),
    ("ArrivalView", Handling::Gated),
    ("ArrivalDetailView", Handling::Gated),
    ("AddressView", Handling::Part),
    ("CaseDocument", Handling::Part),
    ("Visitor", Handling::Part),
    ("CardFace", Handling::Part),
    ("Notification", Handling::Part),
    ("NewAddress", Handling::Part),
    ("SaveCase", Handling::Part),
    ("UploadItem", Handling::Part),
    ("UploadRequest", Handling::Part),
    (
        "DisclosureView",
        Handling::Exempt(
            "the audited override itself: needs override_support_measure and a reason",
        ),
    ),
    (
        "CaseDisclosureView",
        Handling::Exempt(
            "the audited override itself: needs override_support_measure and a reason",
        ),
    ),
    (
        "TownView",
        Handling::Exempt("the city's list of 町字: places of the city, not of a person"),
    ),
    (
        "CertificateListItem",
        Handling::Exempt(
            "`place` is the counter where a certificate was issued, a place of the city, not of a person",
        ),
    ),
    (
        "CertificateStatistics",
        Handling::Exempt("`by_place` counts by the city's counters, not by a person's place"),
    ),
    ("Entries", Handling::Part),
    ("CityAddress", Handling::Part),
    (
        "PreApplicationView",
        Handling::Exempt(
            "a 事前申請 as the resident typed it on their own phone, read by its random 受付番号 the resident gives at the counter: no record of the city is read (matching goes through the resident search, gated)",
        ),
    ),
    (
        "KioskPreApplication",
        Handling::Exempt(
            "a 事前申請 as the resident typed it on their own phone, brought to the kiosk by the resident (their QR code, or its 受付番号 with the applicant's birth date): no record of the city is read",
        ),
    ),
    (
        "IncomingMoveView",
        Handling::Exempt(
            "転出証明書情報 of people not yet residents, found only by name: no 支援措置 record of the city names them (the 転出元 passes its 支援措置 on separately)",
        ),
    ),
];

/// Whether a JSON or schema field name is one that holds an address or a place.
pub fn is_address_key(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    // Dates (`address_fixed_on`) and flags (`address_masked`) about an address are not one.
    if n.ends_with("_on") || n.ends_with("_masked") {
        return false;
    }
    [
        "address",
        "town",
        "banchi",
        "katagaki",
        "postal",
        "prefecture",
        "place",
        "jusho",
    ]
    .iter()
    .any(|k| n.contains(k))
}

/// Whether resident `r` is protected: flagged, named by the 支援措置 feed, or in a household with a
/// protected member (the household shares the address).
pub fn resident_protected(store: &dyn Store, tenant: &TenantId, r: &Resident) -> StoreResult<bool> {
    Ok(r.support_measure.is_protected()
        || !store
            .protected_households(tenant, std::slice::from_ref(&r.household_no))?
            .is_empty())
}

/// **The certificate gate**: whether any person a certificate would print is protected (flagged, or
/// in a protected household). A certificate is never masked — a masked one certifies nothing — so a
/// protected one is refused unless an authorised staff member states a reason (`api/certificates.rs`).
pub fn certificate_protected<'a>(
    store: &dyn Store,
    tenant: &TenantId,
    people: impl IntoIterator<Item = &'a Resident>,
) -> StoreResult<bool> {
    for r in people {
        if resident_protected(store, tenant, r)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Whether a case names a protected person (visitor or member, by 宛名番号) or household.
pub fn case_protected(
    store: &dyn Store,
    tenant: &TenantId,
    doc: &CaseDocument,
) -> StoreResult<bool> {
    let mut households: Vec<AtenaNo> = Vec::new();
    let mut people: HashSet<AtenaNo> = HashSet::new();
    let ids = std::iter::once(doc.visitor.atena_no.as_deref()).chain(
        doc.notifications
            .iter()
            .flat_map(|n| n.members.iter().map(|m| m.atena_no.as_deref())),
    );
    for id in ids.flatten() {
        if let Ok(a) = AtenaNo::parse(id) {
            people.insert(a);
        }
    }
    for n in &doc.notifications {
        if let Some(h) = n
            .household_no
            .as_deref()
            .and_then(|h| AtenaNo::parse(h).ok())
        {
            households.push(h);
        }
    }
    for a in &people {
        if let Some(r) = store.get_resident(tenant, a)? {
            if r.support_measure.is_protected() {
                return Ok(true);
            }
            households.push(r.household_no);
        }
    }
    households.sort();
    households.dedup();
    Ok(!store.protected_households(tenant, &households)?.is_empty())
}

fn masked_new_address() -> NewAddress {
    NewAddress {
        town: MASKED.into(),
        town_code: None,
        postal_code: None,
        banchi: String::new(),
        katagaki: String::new(),
        full: MASKED.into(),
    }
}

impl Addressed for CaseDocument {
    fn mask(&mut self) {
        if let Some(card) = &mut self.visitor.card {
            card.address = MASKED.into();
        }
        for n in &mut self.notifications {
            if !n.old_address.is_empty() {
                n.old_address = MASKED.into();
            }
            if n.new_address.is_some() {
                n.new_address = Some(masked_new_address());
            }
        }
    }
}

/// A save that would write the mask over an address it has no stored counterpart for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaskedAddressRefused;

impl MaskedAddressRefused {
    pub const CODE: &str = "masked_address";

    pub fn message_ja(&self) -> &'static str {
        "支援措置のため非表示の住所は、そのままでは保存できません。案件を読み込み直してから入力してください。"
    }
}

fn masked_case_field() -> MaskedAddressRefused {
    MaskedAddressRefused
}

/// A case saved back from a masked view: every address the client received masked is taken from the
/// stored document (by position), so that a save never writes the mask over the address. A masked
/// value with no stored counterpart is refused.
pub fn restore_masked(
    doc: &mut CaseDocument,
    stored: Option<&CaseDocument>,
) -> Result<(), MaskedAddressRefused> {
    if let Some(card) = &mut doc.visitor.card
        && card.address == MASKED
    {
        card.address = stored
            .and_then(|s| s.visitor.card.as_ref())
            .map(|c| c.address.clone())
            .ok_or_else(masked_case_field)?;
    }
    for (i, n) in doc.notifications.iter_mut().enumerate() {
        // The same 届出 at the same place: a removed or reordered one is refused, never given another's
        // address.
        let before = stored.and_then(|s| s.notifications.get(i)).filter(|b| {
            b.kind == n.kind && b.event_date == n.event_date && b.household_no == n.household_no
        });
        if n.old_address == MASKED {
            n.old_address = before
                .map(|b| b.old_address.clone())
                .filter(|a| a != MASKED)
                .ok_or_else(masked_case_field)?;
        }
        if n.new_address.as_ref().is_some_and(|a| a.full == MASKED) {
            n.new_address = Some(
                before
                    .and_then(|b| b.new_address.clone())
                    .filter(|a| a.full != MASKED)
                    .ok_or_else(masked_case_field)?,
            );
        }
    }
    Ok(())
}

/// The address-like fields of a JSON value that still hold something: a path per field whose value is
/// neither empty, `null`, `false` nor [`MASKED`] (objects under an address-like key must hold only
/// such values). Empty for a value that passed [`release`] as protected.
pub fn unmasked_addresses(v: &Value) -> Vec<String> {
    fn leaf_hidden(v: &Value) -> bool {
        match v {
            Value::Null | Value::Bool(_) => true,
            Value::String(s) => s.is_empty() || s == MASKED,
            Value::Array(a) => a.iter().all(leaf_hidden),
            Value::Object(o) => o.values().all(leaf_hidden),
            Value::Number(_) => false,
        }
    }
    fn walk(v: &Value, path: &str, out: &mut Vec<String>) {
        match v {
            Value::Object(o) => {
                for (k, child) in o {
                    let p = format!("{path}.{k}");
                    if is_address_key(k) && !leaf_hidden(child) {
                        out.push(p);
                    } else {
                        walk(child, &p, out);
                    }
                }
            }
            Value::Array(a) => {
                for (i, child) in a.iter().enumerate() {
                    walk(child, &format!("{path}[{i}]"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(v, "$", &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::residents::ResidentView;
    use madoguchi_core::resident::{
        Address, BirthDate, Name, ResidentKind, ResidentStatus, Sex, SupportMeasure,
    };

    fn resident() -> Resident {
        let birth = chrono::NaiveDate::from_ymd_opt(1990, 5, 5).expect("date");
        Resident {
            atena_no: AtenaNo::from_sequence(8),
            household_no: AtenaNo::from_sequence(400),
            kind: ResidentKind::Japanese,
            status: ResidentStatus::Resident,
            name: Name {
                full: "渡邉\u{3000}さくら".into(),
                ..Default::default()
            },
            birth: BirthDate::Known(birth),
            sex: Sex::Female,
            relation: madoguchi_core::relationship::parse_relation("世帯主").expect("relation"),
            address: Address {
                city_code: "102121".into(),
                town_code: Some("0001001".into()),
                prefecture: "群馬県".into(),
                city: "さくら野市".into(),
                town: "本町".into(),
                banchi: Some("400番地".into()),
                katagaki: Some("さくら野ハイツ201号".into()),
                postal_code: Some("376-0001".into()),
            },
            became_resident_on: None,
            address_fixed_on: None,
            foreign: None,
            support_measure: SupportMeasure::Active,
            registry: Default::default(),
        }
    }

    fn case_document() -> CaseDocument {
        serde_json::from_value(serde_json::json!({
            "visitor": {"kind": "本人", "atena_no": "000000000000086", "name": "渡邉 さくら",
                "card": {"name": "渡邉 さくら", "address": "群馬県さくら野市本町400番地", "birth": "1990-05-05"}},
            "notifications": [{
                "kind": "転居", "event_date": "2026-11-20", "old_address": "群馬県さくら野市本町400番地",
                "new_address": {"town": "本町二丁目", "town_code": "0001002", "postal_code": "376-0002",
                    "banchi": "3番4号", "katagaki": "ハイツ2", "full": "群馬県さくら野市本町二丁目3番4号"},
                "members": [{"name": "渡邉 さくら", "facts": {"birth": "1990-05-05", "sex": "女",
                    "relation": "世帯主", "mover": true}}]
            }]
        }))
        .expect("document")
    }

    #[test]
    fn a_protected_resident_view_holds_no_address() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).expect("date");
        let open = Resident {
            support_measure: SupportMeasure::None,
            registry: Default::default(),
            ..resident()
        };
        let shown =
            serde_json::to_value(ResidentView::new(open.clone(), today, false)).expect("json");
        assert!(!unmasked_addresses(&shown).is_empty(), "the canary is seen");
        // Masked for its household, or for its own flag.
        let json = serde_json::to_value(ResidentView::new(open, today, true)).expect("json");
        assert_eq!(unmasked_addresses(&json), Vec::<String>::new(), "{json}");
        assert!(!unmasked_addresses(&shown).is_empty(), "the canary is seen");
        let view = ResidentView::new(resident(), today, true);
        let json = serde_json::to_value(&view).expect("json");
        assert_eq!(unmasked_addresses(&json), Vec::<String>::new(), "{json}");
        assert!(!json.to_string().contains("さくら野ハイツ"));
    }

    #[test]
    fn a_protected_case_holds_no_address_and_saves_back_what_was_stored() {
        let stored = case_document();
        let open = serde_json::to_value(release(stored.clone(), false)).expect("json");
        assert_eq!(unmasked_addresses(&open).len(), 3, "{open}");
        let masked = release(stored.clone(), true);
        let json = serde_json::to_value(&masked).expect("json");
        assert_eq!(unmasked_addresses(&json), Vec::<String>::new(), "{json}");
        assert!(!json.to_string().contains("本町"), "{json}");

        let mut back = masked.clone();
        restore_masked(&mut back, Some(&stored)).expect("restored");
        assert_eq!(
            serde_json::to_value(&back).expect("json"),
            serde_json::to_value(&stored).expect("json")
        );
        // A 届出 moved to another place does not take the address stored at its new place.
        let mut two = stored.clone();
        two.notifications.push(two.notifications[0].clone());
        two.notifications[1].kind = "転入".into();
        let mut moved = release(two.clone(), true);
        moved.notifications.swap(0, 1);
        assert_eq!(
            restore_masked(&mut moved, Some(&two)).map_err(|_| MaskedAddressRefused::CODE),
            Err("masked_address")
        );
        // A masked address with nothing stored behind it is refused, never written.
        let mut orphan = masked;
        assert_eq!(
            restore_masked(&mut orphan, None).map_err(|_| MaskedAddressRefused::CODE),
            Err("masked_address")
        );
    }

    #[test]
    fn address_keys_are_recognised() {
        for k in [
            "address",
            "old_address",
            "new_address",
            "town",
            "town_code",
            "banchi",
            "katagaki",
            "postal_code",
            "prefecture",
            "birth_place",
        ] {
            assert!(is_address_key(k), "{k}");
        }
        for k in [
            "name",
            "kana",
            "birth",
            "relation",
            "full",
            "city_code",
            "address_fixed_on",
            "address_masked",
        ] {
            assert!(!is_address_key(k), "{k}");
        }
    }
}
