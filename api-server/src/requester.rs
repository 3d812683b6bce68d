//! The requester's registered address and birth date on the forms of a case (交付請求書, 申請書): a
//! visit with no 届出 carries neither, so they come from the resident record of the visitor. The
//! print route that uses this passes the 支援措置 gate for every resident of the case first, so a
//! protected visitor's address is printed only with an authorised member's reason.

use madoguchi_core::case_document::CaseDocument;
use madoguchi_core::ids::AtenaNo;
use madoguchi_core::resident::Resident;
use madoguchi_store::{Store, StoreResult, TenantId};
use serde_json::Value;

/// The visitor's resident record, if the visitor is a resident of the tenant (read once per print).
pub fn registered(
    store: &dyn Store,
    tenant: &TenantId,
    doc: &CaseDocument,
) -> StoreResult<Option<Resident>> {
    match doc
        .visitor
        .atena_no
        .as_deref()
        .and_then(|a| AtenaNo::parse(a).ok())
    {
        Some(id) => store.get_resident(tenant, &id),
        None => Ok(None),
    }
}

/// Fills `requester.address` (when the case gave none) and `requester.birth` of a form's data from the
/// visitor's resident record.
pub fn fill(resident: &Resident, data: &mut Value) {
    let Some(requester) = data.get_mut("requester").and_then(Value::as_object_mut) else {
        return;
    };
    let empty = requester
        .get("address")
        .and_then(Value::as_str)
        .is_none_or(|a| a.trim().is_empty());
    if empty {
        requester.insert("address".into(), resident.address.one_line().into());
    }
    if let Some(birth) = resident.birth.date() {
        requester.insert("birth".into(), birth.to_string().into());
    }
}
