use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use chrono::NaiveDate;
use madoguchi_core::age::age_on;
use madoguchi_core::household::{order_key, sort_members};
use madoguchi_core::ids::AtenaNo;
use madoguchi_core::resident::{Resident, ResidentKind, ResidentStatus, Sex};
use madoguchi_store::ImportMode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiError, ErrorBody, QueryMap, today_jst};
use crate::audit;
use crate::auth::Session;
use crate::import::{
    CsvEncoding, ImportError, ImportOptions, ImportReport, import_residents as run_import,
};
use crate::privacy::{self, Addressed};
use crate::search::{SearchParams, interpret};
use crate::{AppState, blocking};

/// A resident as the counter sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResidentView {
    /// 宛名番号, 15 digits.
    pub atena_no: String,
    /// 世帯番号, 15 digits.
    pub household_no: String,
    /// `japanese` (日本人住民) or `foreign` (外国人住民).
    pub kind: String,
    /// `resident`, `moved_out`, `deceased` or `removed`.
    pub status: String,
    pub status_label: String,
    /// 氏名 as registered.
    pub name: String,
    /// 氏名_フリガナ (katakana).
    pub kana: Option<String>,
    pub former_surname: Option<String>,
    /// 通称 (foreign residents).
    pub alias: Option<String>,
    pub foreign_romaji: Option<String>,
    pub foreign_kanji: Option<String>,
    /// ISO date (internal date when 不詳).
    pub birth_date: Option<NaiveDate>,
    /// 生年月日 for display: 和暦 for Japanese residents, 西暦 for foreign residents, or the 不詳 text.
    pub birth_display: String,
    pub birth_unknown: bool,
    /// Age today (年齢計算ニ関スル法律).
    pub age: Option<u32>,
    /// `male` or `female`.
    pub sex: String,
    pub sex_label: String,
    /// 続柄表記.
    pub relation: String,
    /// The address, or `null` when it is protected (see `address_masked`).
    pub address: Option<AddressView>,
    /// The resident, or another member of the same household, is under 支援措置: the address is
    /// withheld from every view.
    pub address_masked: bool,
    /// 支援措置 or 仮支援措置 (DV etc.): this resident is a protected person; show a warning.
    pub support_measure: bool,
    /// `支援措置` or `仮支援措置` for the warning, `null` when not protected.
    pub support_measure_label: Option<String>,
    pub nationality: Option<String>,
    pub status_of_residence: Option<String>,
    pub period_of_stay: Option<String>,
    pub stay_expiry: Option<NaiveDate>,
    pub became_resident_on: Option<NaiveDate>,
    pub address_fixed_on: Option<NaiveDate>,
    /// 資格 held today, from the core systems' 資格 feed; only in household views for users with
    /// `view_qualifications` (else `null`). 手続きナビ starts from these instead of asking.
    pub qualifications: Option<Qualifications>,
}

/// The 資格 a resident holds on a day (acquired on or before it, not lost by then).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Qualifications {
    /// 国民健康保険.
    pub kokuho: bool,
    /// 後期高齢者医療.
    pub kouki: bool,
    /// 介護保険.
    pub kaigo: bool,
    /// 国民年金 (第1号被保険者 as the city records it).
    pub nenkin: bool,
    /// 児童手当.
    pub jidou_teate: bool,
}

impl Qualifications {
    /// From the stored records of one resident.
    pub fn on(records: &[&madoguchi_store::QualificationRecord], today: NaiveDate) -> Self {
        let mut q = Qualifications::default();
        for r in records {
            let held = r.acquired.is_none_or(|a| a <= today) && r.lost.is_none_or(|l| l > today);
            if !held {
                continue;
            }
            match r.kind.as_str() {
                "kokuho" => q.kokuho = true,
                "kouki" => q.kouki = true,
                "kaigo" => q.kaigo = true,
                "nenkin" => q.nenkin = true,
                "jidou_teate" => q.jidou_teate = true,
                _ => {}
            }
        }
        q
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AddressView {
    /// One line: 都道府県 + 市区郡町村名 + 町字 + 番地号, then 方書.
    pub full: String,
    pub city_code: String,
    pub town_code: Option<String>,
    pub prefecture: String,
    pub city: String,
    pub town: String,
    pub banchi: Option<String>,
    pub katagaki: Option<String>,
    pub postal_code: Option<String>,
}

impl AddressView {
    pub fn of(a: &madoguchi_core::resident::Address) -> Self {
        AddressView {
            full: a.one_line(),
            city_code: a.city_code.clone(),
            town_code: a.town_code.clone(),
            prefecture: a.prefecture.clone(),
            city: a.city.clone(),
            town: a.town.clone(),
            banchi: a.banchi.clone(),
            katagaki: a.katagaki.clone(),
            postal_code: a.postal_code.clone(),
        }
    }
}

impl ResidentView {
    /// `masked`: the household's address is protected (see [`madoguchi_store::Store::protected_households`]).
    /// The view passes the 支援措置 gate ([`privacy::release`]) before it is returned.
    pub fn new(r: Resident, today: NaiveDate, masked: bool) -> Self {
        let protected = masked || r.support_measure.is_protected();
        let birth_date = r.birth.date();
        // Machine codes for the UI; the Japanese labels come from core.
        let status = match r.status {
            ResidentStatus::Resident => "resident",
            ResidentStatus::MovedOut => "moved_out",
            ResidentStatus::Deceased => "deceased",
            ResidentStatus::Removed => "removed",
        };
        let status_label = r.status.label_ja();
        let sex = match r.sex {
            Sex::Male => "male",
            Sex::Female => "female",
        };
        let sex_label = r.sex.label_ja();
        let foreign = r.foreign.clone();
        let view = ResidentView {
            atena_no: r.atena_no.as_str().to_owned(),
            household_no: r.household_no.as_str().to_owned(),
            kind: match r.kind {
                ResidentKind::Japanese => "japanese",
                ResidentKind::Foreign => "foreign",
            }
            .into(),
            status: status.into(),
            status_label: status_label.into(),
            birth_display: r.birth.display_ja(r.kind),
            birth_unknown: matches!(r.birth, madoguchi_core::resident::BirthDate::Unknown { .. }),
            age: birth_date.and_then(|b| age_on(b, today)),
            birth_date,
            sex: sex.into(),
            sex_label: sex_label.into(),
            relation: r.relation.to_string(),
            address: Some(AddressView::of(&r.address)),
            address_masked: false,
            support_measure: r.support_measure.is_protected(),
            support_measure_label: r.support_measure.label_ja().map(str::to_owned),
            nationality: foreign.as_ref().map(|f| f.nationality.clone()),
            status_of_residence: foreign.as_ref().and_then(|f| f.status_of_residence.clone()),
            period_of_stay: foreign.as_ref().and_then(|f| f.period_of_stay.clone()),
            stay_expiry: foreign.as_ref().and_then(|f| f.expiry),
            became_resident_on: r.became_resident_on,
            address_fixed_on: r.address_fixed_on,
            name: r.name.full,
            kana: r.name.kana,
            former_surname: r.name.former_surname,
            alias: r.name.alias,
            foreign_romaji: r.name.foreign_romaji,
            foreign_kanji: r.name.foreign_kanji,
            qualifications: None,
        };
        privacy::release(view, protected)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResponse {
    /// Number of results returned.
    pub count: usize,
    /// More residents match than `limit`: narrow the search.
    pub more: bool,
    pub results: Vec<ResidentView>,
}

/// Search residents by 宛名番号, name (kanji or kana, prefix and partial), birth date or address.
///
/// `q` is interpreted: digits → 宛名番号 (or an 8-digit date); a date in any accepted form
/// (`S50.1.1`, `昭和50年1月1日`, `R1.5.1`, `1975-01-01`) → 生年月日; kana → reading (prefix first,
/// then partial); anything else → name partial match. Matching ignores width, hiragana/katakana and
/// kanji variants (髙→高, 𠮷→吉 …).
#[utoipa::path(get, path = "/api/v1/residents", security(("bearer" = [])),
    params(
        ("q" = Option<String>, Query, description = "宛名番号, name, kana or birth date"),
        ("birth" = Option<String>, Query, description = "birth date in any accepted form"),
        ("address" = Option<String>, Query, description = "part of the address"),
        ("limit" = Option<usize>, Query, description = "1–100, default 20"),
    ),
    responses((status = 200, body = SearchResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn search_residents(
    State(state): State<AppState>,
    session: Session,
    query: QueryMap,
) -> Result<Json<SearchResponse>, ApiError> {
    let params = SearchParams {
        q: query.get("q"),
        birth: query.get("birth"),
        address: query.get("address"),
        limit: query.get("limit"),
    };
    let mut q = interpret(&params)?;
    q.address_matches_protected = session
        .permissions()
        .contains(madoguchi_core::permission::Permission::OverrideSupportMeasure);
    let digest = state.query_digest(&session, &params).await?;
    let limit = q.limit;
    // One more than asked, to tell the counter whether there are more.
    q.limit += 1;
    let store = state.store.clone();
    let tenant = session.tenant().clone();
    let ((found, more), protected) = blocking::<_, ApiError>(move || {
        let mut found = store.search_residents(&tenant, &q)?;
        let more = found.len() > limit;
        found.truncate(limit);
        let households: Vec<AtenaNo> = found.iter().map(|r| r.household_no.clone()).collect();
        let protected = store.protected_households(&tenant, &households)?;
        // Every resident shown is a read of their data.
        // The search itself is recorded by a keyed digest of its text (`query:…`), then the residents.
        let subjects: Vec<&str> = std::iter::once(digest.as_str())
            .chain(found.iter().map(|r| r.atena_no.as_str()))
            .collect();
        audit::read_by_session(
            store.as_ref(),
            &session,
            "resident.search",
            Some(subjects.join(" ")),
            "ok",
        )?;
        Ok(((found, more), protected))
    })
    .await?;
    let today = today_jst();
    let results: Vec<ResidentView> = found
        .into_iter()
        .map(|r| {
            let masked = protected.contains(&r.household_no);
            ResidentView::new(r, today, masked)
        })
        .collect();
    Ok(Json(SearchResponse {
        count: results.len(),
        more,
        results,
    }))
}

fn parse_id(raw: &str, what: &str) -> Result<AtenaNo, ApiError> {
    AtenaNo::parse(raw)
        .map_err(|_| ApiError::bad_request("invalid_id", format!("{what}が正しくありません。")))
}

/// One resident by 宛名番号.
#[utoipa::path(get, path = "/api/v1/residents/{atena_no}", security(("bearer" = [])),
    params(("atena_no" = String, Path, description = "宛名番号")),
    responses((status = 200, body = ResidentView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_resident(
    State(state): State<AppState>,
    session: Session,
    Path(atena_no): Path<String>,
) -> Result<Json<ResidentView>, ApiError> {
    let id = parse_id(&atena_no, "宛名番号")?;
    let store = state.store.clone();
    let tenant = session.tenant().clone();
    let found = blocking::<_, ApiError>(move || {
        let Some(r) = store.get_resident(&tenant, &id)? else {
            audit::read_by_session(
                store.as_ref(),
                &session,
                "resident.read",
                Some(id.as_str().to_owned()),
                "not_found",
            )?;
            return Ok(None);
        };
        audit::read_by_session(
            store.as_ref(),
            &session,
            "resident.read",
            Some(id.as_str().to_owned()),
            "ok",
        )?;
        let masked = privacy::resident_protected(store.as_ref(), &tenant, &r)?;
        Ok(Some((r, masked)))
    })
    .await?;
    let (r, masked) = found.ok_or_else(|| ApiError::not_found("該当する住民が見つかりません。"))?;
    Ok(Json(ResidentView::new(r, today_jst(), masked)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DisclosureRequest {
    /// Why the address is needed (e.g. 本人からの申出による証明書交付). Recorded in the audit log.
    pub reason: String,
}

/// The reason given for showing a protected address: 4–200 characters.
pub(crate) fn disclosure_reason(raw: &str) -> Result<String, ApiError> {
    let reason = raw.trim().to_owned();
    if !(4..=200).contains(&reason.chars().count()) {
        return Err(ApiError::bad_request(
            "reason_required",
            "住所を表示する理由を4文字以上200文字以内で入力してください。",
        ));
    }
    Ok(reason)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DisclosureView {
    pub atena_no: String,
    pub address: AddressView,
    /// Whether the household is under 支援措置 (a disclosure of an unprotected address is also audited).
    pub protected: bool,
}

/// Show the address of a resident whose household is under 支援措置, for a purpose the staff member
/// states. Requires the override permission at this counter; the reason is audited with the access.
#[utoipa::path(post, path = "/api/v1/residents/{atena_no}/address-disclosure", security(("bearer" = [])),
    params(("atena_no" = String, Path, description = "宛名番号")), request_body = DisclosureRequest,
    responses(
        (status = 200, body = DisclosureView),
        (status = 400, description = "no reason given", body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub async fn disclose_address(
    State(state): State<AppState>,
    session: Session,
    Path(atena_no): Path<String>,
    Json(req): Json<DisclosureRequest>,
) -> Result<Json<DisclosureView>, ApiError> {
    let id = parse_id(&atena_no, "宛名番号")?;
    let reason = disclosure_reason(&req.reason)?;
    let store = state.store.clone();
    let tenant = session.tenant().clone();
    let found = blocking::<_, ApiError>(move || {
        let r = store.get_resident(&tenant, &id)?;
        let protected = match &r {
            Some(r) => privacy::resident_protected(store.as_ref(), &tenant, r)?,
            None => false,
        };
        let event = madoguchi_store::AuditEvent {
            reason: Some(reason),
            ..audit::event_for(
                &session,
                "resident.address_disclosure",
                Some(id.as_str().to_owned()),
                if r.is_none() { "not_found" } else { "ok" },
            )
        };
        store.append_audit(&event).map_err(ApiError::internal)?;
        Ok(r.map(|r| (r, protected)))
    })
    .await?;
    let (r, protected) =
        found.ok_or_else(|| ApiError::not_found("該当する住民が見つかりません。"))?;
    Ok(Json(DisclosureView {
        atena_no: r.atena_no.as_str().to_owned(),
        address: AddressView::of(&r.address),
        protected,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HouseholdView {
    pub household_no: String,
    /// The head's address; `null` when a member is under 支援措置.
    pub address: Option<String>,
    pub address_masked: bool,
    /// Members in the standard 住民票 order (世帯主, 配偶者, 子 by birth …; ties by 宛名番号).
    pub members: Vec<ResidentView>,
}

/// A household with its members in the standard order.
#[utoipa::path(get, path = "/api/v1/households/{household_no}", security(("bearer" = [])),
    params(("household_no" = String, Path, description = "世帯番号")),
    responses((status = 200, body = HouseholdView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_household(
    State(state): State<AppState>,
    session: Session,
    Path(household_no): Path<String>,
) -> Result<Json<HouseholdView>, ApiError> {
    let id = parse_id(&household_no, "世帯番号")?;
    let store = state.store.clone();
    let tenant = session.tenant().clone();
    let lookup = id.clone();
    let with_qualifications = session
        .permissions()
        .contains(madoguchi_core::permission::Permission::ViewQualifications);
    let (mut members, qualifications) = blocking::<_, ApiError>(move || {
        let members = store.household_members(&tenant, &lookup)?;
        let qualifications = if with_qualifications && !members.is_empty() {
            let nos: Vec<AtenaNo> = members.iter().map(|m| m.atena_no.clone()).collect();
            store.qualifications(&tenant, &nos)?
        } else {
            Vec::new()
        };
        let subjects: Vec<&str> = members.iter().map(|m| m.atena_no.as_str()).collect();
        let result = if members.is_empty() {
            "not_found"
        } else {
            "ok"
        };
        let subject = format!("{} {}", lookup.as_str(), subjects.join(" "))
            .trim_end()
            .to_owned();
        audit::read_by_session(
            store.as_ref(),
            &session,
            "household.read",
            Some(subject),
            result,
        )?;
        Ok((members, qualifications))
    })
    .await?;
    if members.is_empty() {
        return Err(ApiError::not_found("該当する世帯が見つかりません。"));
    }
    sort_members(&mut members, |m| {
        order_key(&m.relation, m.birth.date(), &m.atena_no)
    });
    let today = today_jst();
    let masked = members.iter().any(|m| m.support_measure.is_protected());
    let address = Some(members[0].address.one_line());
    let household = HouseholdView {
        household_no: id.as_str().to_owned(),
        address,
        address_masked: false,
        members: members
            .into_iter()
            .map(|m| {
                let mut view = ResidentView::new(m, today, masked);
                if with_qualifications {
                    let own: Vec<&madoguchi_store::QualificationRecord> = qualifications
                        .iter()
                        .filter(|e| e.atena_no.as_str() == view.atena_no)
                        .collect();
                    view.qualifications = Some(Qualifications::on(&own, today));
                }
                view
            })
            .collect(),
    };
    Ok(Json(privacy::release(household, masked)))
}

/// Streams an upload into an anonymous temporary file (never the whole file in memory), hashing it on
/// the way; refuses more than `max` bytes with 413.
async fn receive_upload(mut body: Body, max: usize) -> Result<(std::fs::File, String), ApiError> {
    use http_body_util::BodyExt;
    use tokio::io::AsyncWriteExt;
    let std_file = tempfile::tempfile().map_err(ApiError::internal)?;
    let mut file = tokio::fs::File::from_std(std_file);
    let mut digest = ring::digest::Context::new(&ring::digest::SHA256);
    let mut size = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| {
            ApiError::bad_request(
                "upload_failed",
                "ファイルの受信に失敗しました。もう一度送信してください。",
            )
        })?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        size += data.len();
        if size > max {
            return Err(ApiError::new(
                axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                "upload_too_large",
                format!("ファイルが大きすぎます（上限 {} MB）。", max >> 20),
            ));
        }
        digest.update(&data);
        file.write_all(&data).await.map_err(ApiError::internal)?;
    }
    file.flush().await.map_err(ApiError::internal)?;
    let mut std_file = file.into_std().await;
    std::io::Seek::rewind(&mut std_file).map_err(ApiError::internal)?;
    let sha256 = crate::import::hex(digest.finish().as_ref());
    Ok((std_file, sha256))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportErrorBody {
    pub error: super::ErrorDetail,
    /// Line of the file where the problem was found.
    pub line: u64,
}

/// Import a resident CSV (layout: `docs/resident-csv.md`) as one transaction.
#[utoipa::path(post, path = "/api/v1/imports/residents", security(("bearer" = [])),
    params(
        ("mode" = Option<String>, Query, description = "`full` (default) or `delta`"),
        ("encoding" = Option<String>, Query, description = "`utf-8` (default) or `cp932`"),
        ("skip_invalid" = Option<bool>, Query, description = "apply valid rows even if some are invalid"),
    ),
    request_body(content = String, content_type = "text/csv"),
    responses(
        (status = 200, description = "applied, or already applied", body = ImportReport),
        (status = 422, description = "invalid rows; nothing changed", body = ImportReport),
        (status = 400, body = ImportErrorBody),
        (status = 401, body = ErrorBody),
    ))]
pub async fn import_residents(
    State(state): State<AppState>,
    session: Session,
    query: QueryMap,
    body: Body,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let mode = match query.get("mode").as_deref() {
        None | Some("full") => ImportMode::Full,
        Some("delta") => ImportMode::Delta,
        Some(_) => {
            return Err(ApiError::bad_request(
                "invalid_mode",
                "取込方法は full または delta を指定してください。",
            ));
        }
    };
    let encoding = match query.get("encoding") {
        None => CsvEncoding::Utf8,
        Some(e) => CsvEncoding::parse(&e).ok_or_else(|| {
            ApiError::bad_request(
                "invalid_encoding",
                "文字コードは utf-8 または cp932 を指定してください。",
            )
        })?,
    };
    let skip_invalid = matches!(query.get("skip_invalid").as_deref(), Some("true" | "1"));
    let (file, sha256) = receive_upload(body, state.settings.max_upload_bytes).await?;
    let store = state.store.clone();
    let tenant = session.tenant().clone();
    let result = blocking::<_, ApiError>(move || {
        let opts = ImportOptions {
            mode,
            encoding,
            skip_invalid,
            today: today_jst(),
            source_name: "api-upload".into(),
            audit: Some(audit::event_for(
                &session,
                "resident.import",
                Some(sha256.clone()),
                "pending",
            )),
            sha256,
        };
        let result = run_import(
            store.as_ref(),
            &tenant,
            std::io::BufReader::with_capacity(1 << 16, file),
            &opts,
        );
        let outcome = match &result {
            Ok(r) => match r.status {
                crate::import::ImportStatus::Applied => "applied",
                crate::import::ImportStatus::Rejected => "rejected",
                crate::import::ImportStatus::AlreadyApplied => "already_applied",
            },
            Err(ImportError::File { .. }) => "invalid_file",
            Err(ImportError::Store(_)) => "error",
        };
        // An applied import was audited inside its own transaction; anything else is recorded here.
        if outcome != "applied" {
            audit::by_session(
                store.as_ref(),
                &session,
                "resident.import",
                Some(opts.sha256.clone()),
                outcome,
            )?;
        }
        Ok(result)
    })
    .await?;
    match result {
        Ok(report) => {
            tracing::info!(status = ?report.status, rows = report.rows_read, rejected = report.rows_rejected, "resident import");
            let status = if report.status == crate::import::ImportStatus::Rejected {
                axum::http::StatusCode::UNPROCESSABLE_ENTITY
            } else {
                axum::http::StatusCode::OK
            };
            Ok((status, Json(report)).into_response())
        }
        Err(ImportError::File { line, message, log }) => {
            tracing::warn!(line, reason = log, "resident import rejected");
            let body = ImportErrorBody {
                error: super::ErrorDetail {
                    code: "invalid_file".into(),
                    message,
                },
                line,
            };
            Ok((axum::http::StatusCode::BAD_REQUEST, Json(body)).into_response())
        }
        Err(ImportError::Store(e)) => Err(ApiError::internal(e)),
    }
}

impl Addressed for ResidentView {
    fn mask(&mut self) {
        self.address = None;
        self.address_masked = true;
    }
}

impl Addressed for HouseholdView {
    fn mask(&mut self) {
        self.address = None;
        self.address_masked = true;
        for m in &mut self.members {
            m.mask();
        }
    }
}
