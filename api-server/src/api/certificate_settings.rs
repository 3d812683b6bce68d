//! What a city prints on its certificates: the mayor's name and the 公印 (official seal) image, and a
//! 見本 (sample) certificate to check them before the first real one. And which certificates each
//! counter issues (`core::certificate::counter_items`): the admin's table, and the session's counter
//! for its certificate step.

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::Response;
use base64::Engine;
use madoguchi_core::certificate::counter_items::CounterItems;
use madoguchi_core::permission::Permission;
use madoguchi_store::{Store, TenantId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::fees::FeeItemView;
use super::{ApiError, ErrorBody, today_jst};
use crate::auth::Session;
use crate::certificates::{self as service, COUNTER_ITEMS_SETTING, MAYOR_SETTING, SEAL_SETTING};
use crate::printing::tenant_library;
use crate::{AppState, audit, blocking};

/// Largest 公印 image accepted (decoded bytes).
const MAX_SEAL_BYTES: usize = 256 * 1024;

#[derive(Serialize, ToSchema)]
pub struct CertificateSettingsView {
    /// The city's name as certificates print it.
    pub city: String,
    /// The line under the 認証文 (「さくら野市長　山田　一郎」); the default is 「<city>長」.
    pub mayor: String,
    /// Whether the mayor line is the default (not set yet).
    pub mayor_is_default: bool,
    /// The 公印 image, when set: never the image itself.
    pub seal: Option<SealView>,
}

#[derive(Serialize, ToSchema)]
pub struct SealView {
    /// SHA-256 of the PNG, hex: to compare with the file the city holds.
    pub sha256: String,
    pub width_px: u32,
    pub height_px: u32,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PutCertificateSettings {
    /// The mayor line, at most 40 characters; empty: back to the default.
    pub mayor: String,
    /// A new 公印: a PNG as base64 (or a `data:image/png;base64,` URL). Absent: keep the current one.
    #[serde(default)]
    pub seal_png: Option<String>,
    /// Remove the 公印 (certificates then print without it).
    #[serde(default)]
    pub remove_seal: bool,
}

/// Width and height of a PNG, from its IHDR chunk; `None` when the bytes are not a PNG.
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if bytes.len() < 24 || !bytes.starts_with(SIGNATURE) || &bytes[12..16] != b"IHDR" {
        return None;
    }
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    let (w, h) = (be(&bytes[16..20]), be(&bytes[20..24]));
    (w > 0 && h > 0).then_some((w, h))
}

fn seal_bytes(setting: Option<&str>) -> Option<Vec<u8>> {
    let text = setting?.strip_prefix("data:image/png;base64,")?;
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}

fn view(
    store: &dyn madoguchi_store::Store,
    session: &Session,
) -> Result<CertificateSettingsView, ApiError> {
    let city = service::city_text(store, session.tenant())?;
    let mayor_is_default = store
        .tenant_setting(session.tenant(), MAYOR_SETTING)?
        .is_none_or(|m| m.trim().is_empty());
    let seal = seal_bytes(city.seal.as_deref()).and_then(|bytes| {
        let (width_px, height_px) = png_size(&bytes)?;
        let digest = ring::digest::digest(&ring::digest::SHA256, &bytes);
        Some(SealView {
            sha256: digest.as_ref().iter().map(|b| format!("{b:02x}")).collect(),
            width_px,
            height_px,
        })
    });
    Ok(CertificateSettingsView {
        city: city.city,
        mayor: city.mayor,
        mayor_is_default,
        seal,
    })
}

/// What this city prints on its certificates.
#[utoipa::path(get, path = "/api/v1/admin/certificate-settings", security(("bearer" = [])),
    responses((status = 200, body = CertificateSettingsView), (status = 403, body = ErrorBody)))]
pub async fn get_settings(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<CertificateSettingsView>, ApiError> {
    let store = state.store.clone();
    blocking(move || Ok(Json(view(store.as_ref(), &session)?))).await
}

/// Set the mayor line and the 公印 (PNG). Each change is audited with the image's digest.
#[utoipa::path(put, path = "/api/v1/admin/certificate-settings", security(("bearer" = [])),
    request_body = PutCertificateSettings,
    responses((status = 200, body = CertificateSettingsView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_settings(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<PutCertificateSettings>,
) -> Result<Json<CertificateSettingsView>, ApiError> {
    let invalid = |message: &str| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_certificate_settings",
            message,
        )
    };
    let mayor = req.mayor.trim().to_owned();
    if mayor.chars().count() > 40 || mayor.contains(['\n', '\r']) {
        return Err(invalid("市長名の行は40文字以内の1行で入力してください。"));
    }
    let seal = match req.seal_png.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => {
            let b64 = text.strip_prefix("data:image/png;base64,").unwrap_or(text);
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(b64)
                .map_err(|_| {
                    invalid("公印の画像を読み取れません。PNG形式のファイルを選んでください。")
                })?;
            if bytes.len() > MAX_SEAL_BYTES {
                return Err(invalid("公印の画像が大きすぎます（256KBまで）。"));
            }
            if png_size(&bytes).is_none() {
                return Err(invalid("公印の画像はPNG形式にしてください。"));
            }
            Some(bytes)
        }
    };
    let store = state.store.clone();
    blocking(move || {
        let tenant = session.tenant();
        let event = |action: &str, subject: Option<String>| {
            audit::event_for(&session, action, subject, "ok")
        };
        store.put_tenant_setting(
            tenant,
            MAYOR_SETTING,
            &mayor,
            &event("certificate_settings.mayor", None),
        )?;
        if let Some(bytes) = seal {
            let digest = ring::digest::digest(&ring::digest::SHA256, &bytes);
            let hex: String = digest.as_ref().iter().map(|b| format!("{b:02x}")).collect();
            let url = format!(
                "data:image/png;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(&bytes)
            );
            store.put_tenant_setting(
                tenant,
                SEAL_SETTING,
                &url,
                &event("certificate_settings.seal", Some(format!("sha256:{hex}"))),
            )?;
        } else if req.remove_seal {
            store.put_tenant_setting(
                tenant,
                SEAL_SETTING,
                "",
                &event("certificate_settings.seal", Some("removed".into())),
            )?;
        }
        Ok(Json(view(store.as_ref(), &session)?))
    })
    .await
}

/// A 見本 (sample) 住民票の写し with the city's settings and a fictional household: nothing is issued,
/// numbered or recorded.
#[utoipa::path(post, path = "/api/v1/admin/certificate-settings/preview", security(("bearer" = [])),
    responses(
        (status = 200, description = "the sample PDF", content_type = "application/pdf"),
        (status = 403, body = ErrorBody),
    ))]
pub async fn preview(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, ApiError> {
    let store = state.store.clone();
    let forms = state.forms.clone();
    let pdf = blocking(move || {
        let tenant = session.tenant();
        let city = service::city_text(store.as_ref(), tenant)?;
        let library = tenant_library(&forms, store.as_ref(), tenant)?;
        let today = today_jst();
        let data = service::sample(&city, today);
        let template = library
            .in_force("juminhyo-setai", today)
            .map_err(|e| ApiError::internal(e.to_string()))?;
        let rendered = madoguchi_forms::render(forms.fonts()?, &[(template, &data)])
            .map_err(ApiError::internal)?;
        audit::by_session(
            store.as_ref(),
            &session,
            "certificate_settings.preview",
            None,
            "ok",
        )?;
        Ok::<_, ApiError>(rendered.pdf)
    })
    .await?;
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/pdf")
        .body(Body::from(pdf))
        .map_err(ApiError::internal)
}

/// One counter's row of the table: the certificates it issues.
#[derive(Serialize, ToSchema)]
pub struct CounterCertificatesRow {
    /// The counter's code.
    pub code: String,
    pub name: String,
    /// `false`: the city did not restrict it, it issues every certificate (`items` lists them all).
    pub restricted: bool,
    /// Fee-table items it issues, in the fee table's order.
    pub items: Vec<String>,
}

/// Which certificates each counter issues, as the admin's table shows it: the certificates (the fee
/// table's items) and the counters that take certificate requests.
#[derive(Serialize, ToSchema)]
pub struct CounterCertificatesView {
    pub items: Vec<FeeItemView>,
    pub counters: Vec<CounterCertificatesRow>,
}

/// One counter's ticks in the admin's table.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CounterCertificatesChoice {
    /// The counter's code.
    pub code: String,
    /// Fee-table items it issues; every item: unrestricted (it also issues items added later).
    pub items: Vec<String>,
}

/// The whole table: a counter left out issues every certificate.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PutCounterCertificates {
    pub counters: Vec<CounterCertificatesChoice>,
}

/// The certificates the session's counter issues, for its certificate step.
#[derive(Serialize, ToSchema)]
pub struct OwnCounterCertificates {
    /// The counter's code and name.
    pub counter: String,
    pub name: String,
    /// `false`: every certificate of the fee table.
    pub restricted: bool,
    /// Fee-table items it issues, in the fee table's order.
    pub items: Vec<String>,
}

/// The certificates: the items of the city's fee table.
fn fee_items(
    state: &AppState,
    store: &dyn Store,
    tenant: &TenantId,
) -> Result<Vec<FeeItemView>, ApiError> {
    let table = super::fees::table(state, store, tenant)?;
    Ok(table.items.into_iter().map(FeeItemView::from).collect())
}

/// The fee table's items `counter` issues under `rule`, and whether it is restricted.
fn issued(rule: &CounterItems, counter: &str, items: &[FeeItemView]) -> (bool, Vec<String>) {
    let codes = items.iter().map(|i| i.code.clone());
    let issued = codes.filter(|code| rule.issues(counter, code)).collect();
    (rule.of(counter).is_some(), issued)
}

/// Whether a counter takes certificate requests (the others are not in the table).
fn takes_certificates(c: &madoguchi_store::CounterRecord) -> bool {
    c.permissions.contains(Permission::RequestCertificate)
        || c.permissions.contains(Permission::IssueCertificates)
}

fn counters_view(
    state: &AppState,
    store: &dyn Store,
    tenant: &TenantId,
) -> Result<CounterCertificatesView, ApiError> {
    let items = fee_items(state, store, tenant)?;
    let rule = service::counter_items(store, tenant)?;
    let counters = store
        .list_counters(tenant)?
        .into_iter()
        .filter(takes_certificates)
        .map(|c| {
            let (restricted, issued) = issued(&rule, &c.code, &items);
            CounterCertificatesRow {
                code: c.code,
                name: c.name,
                restricted,
                items: issued,
            }
        })
        .collect();
    Ok(CounterCertificatesView { items, counters })
}

/// Which certificates each counter issues (the counters that take certificate requests).
#[utoipa::path(get, path = "/api/v1/admin/counter-certificates", security(("bearer" = [])),
    responses((status = 200, body = CounterCertificatesView), (status = 403, body = ErrorBody)))]
pub async fn get_counter_certificates(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<CounterCertificatesView>, ApiError> {
    let store = state.store.clone();
    blocking(move || {
        Ok(Json(counters_view(
            &state,
            store.as_ref(),
            session.tenant(),
        )?))
    })
    .await
}

/// Sets which certificates each counter issues (the whole table; a counter left out, or with every
/// certificate ticked, issues every certificate). Audited.
#[utoipa::path(put, path = "/api/v1/admin/counter-certificates", security(("bearer" = [])),
    request_body = PutCounterCertificates,
    responses((status = 200, body = CounterCertificatesView), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn put_counter_certificates(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<PutCounterCertificates>,
) -> Result<Json<CounterCertificatesView>, ApiError> {
    let store = state.store.clone();
    blocking(move || {
        let (store, tenant) = (store.as_ref(), session.tenant());
        let fees = super::fees::table(&state, store, tenant)?;
        let items: Vec<&str> = fees.items.iter().map(|i| i.code.as_str()).collect();
        let known = store.list_counters(tenant)?;
        let counters: Vec<&str> = known.iter().map(|c| c.code.as_str()).collect();
        let choices: Vec<(&str, Vec<&str>)> = req
            .counters
            .iter()
            .map(|c| {
                (
                    c.code.as_str(),
                    c.items.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        let rule = CounterItems::from_choices(&choices, &counters, &items).map_err(|m| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_counter_certificates",
                m,
            )
        })?;
        let restricted: Vec<&str> = counters
            .iter()
            .copied()
            .filter(|c| rule.of(c).is_some())
            .collect();
        let subject = Some(format!("restricted:{}", restricted.join(",")));
        let event = audit::event_for(&session, "counter_certificates.put", subject, "ok");
        store.put_tenant_setting(tenant, COUNTER_ITEMS_SETTING, &rule.to_text(), &event)?;
        Ok(Json(counters_view(&state, store, tenant)?))
    })
    .await
}

/// The certificates the session's counter issues (its certificate step offers only these; issuing
/// another is refused).
#[utoipa::path(get, path = "/api/v1/counter/certificates", security(("bearer" = [])),
    responses((status = 200, body = OwnCounterCertificates), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn own_counter_certificates(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<OwnCounterCertificates>, ApiError> {
    let store = state.store.clone();
    blocking(move || {
        let (store, tenant) = (store.as_ref(), session.tenant());
        let code = session.record.counter.clone();
        let items = fee_items(&state, store, tenant)?;
        let rule = service::counter_items(store, tenant)?;
        let (restricted, items) = issued(&rule, &code, &items);
        let name = store
            .find_counter(tenant, &code)?
            .map_or_else(|| code.clone(), |c| c.name);
        Ok(Json(OwnCounterCertificates {
            counter: code,
            name,
            restricted,
            items,
        }))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_size_reads_the_header_and_refuses_other_bytes() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&200u32.to_be_bytes());
        png.extend_from_slice(&180u32.to_be_bytes());
        assert_eq!(png_size(&png), Some((200, 180)));
        assert_eq!(png_size(b"\xff\xd8\xff\xe0 JFIF"), None);
        assert_eq!(png_size(&png[..20]), None);
    }
}
