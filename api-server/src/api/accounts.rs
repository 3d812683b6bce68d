//! Staff accounts, groups and counters over HTTP (the admin console, permission `admin`): list, create,
//! edit with the revision read, unlock, password reset, the staff CSV both ways, groups and counters
//! with their permissions. The rules are in [`crate::accounts`]; every change and every listing is
//! audited.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use base64::Engine;
use chrono::NaiveDate;
use madoguchi_core::permission::Permission;
use madoguchi_store::{CounterRecord, GroupRecord, UserEdit, UserRecord};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiError, ErrorBody, today_jst};
use crate::accounts::{self, NewAccount, StaffUpload as Upload};
use crate::audit;
use crate::auth::Session;
use crate::import::CsvEncoding;
use crate::{AppState, blocking};

#[derive(Serialize, ToSchema)]
pub struct UserView {
    pub login: String,
    pub display_name: String,
    /// Group codes.
    pub groups: Vec<String>,
    pub locked: bool,
    pub disabled: bool,
    pub failed_logins: u32,
    /// Last day the account may log in (有効期間).
    pub valid_until: Option<NaiveDate>,
    /// The password is temporary (reset or initial): the user changes it at the next login.
    pub must_change_password: bool,
    /// Send it back with an edit: the edit is refused if the account changed since.
    pub revision: i64,
}

impl From<UserRecord> for UserView {
    fn from(u: UserRecord) -> Self {
        UserView {
            login: u.login,
            display_name: u.display_name,
            groups: u.groups,
            locked: u.locked,
            disabled: u.disabled,
            failed_logins: u.failed_logins,
            valid_until: u.valid_until,
            must_change_password: u.must_change_password,
            revision: u.revision,
        }
    }
}

/// The tenant's staff accounts.
#[utoipa::path(get, path = "/api/v1/admin/users", security(("bearer" = [])),
    responses((status = 200, body = [UserView]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_users(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<Vec<UserView>>, ApiError> {
    let store = state.store.clone();
    let users = blocking::<_, ApiError>(move || {
        let users = store.list_users(session.tenant())?;
        audit::by_session(store.as_ref(), &session, "user.list", None, "ok")?;
        Ok(users)
    })
    .await?;
    Ok(Json(users.into_iter().map(UserView::from).collect()))
}

#[derive(Deserialize, ToSchema)]
pub struct NewUserRequest {
    pub login: String,
    pub display_name: String,
    #[serde(default)]
    pub groups: Vec<String>,
    pub valid_until: Option<NaiveDate>,
}

/// A temporary password, shown once to the administrator to hand over.
#[derive(Serialize, ToSchema)]
pub struct TemporaryPassword {
    pub login: String,
    /// Changed by the user at their first login.
    pub temporary_password: String,
}

/// Creates an account with a temporary password (to be changed at the first login).
#[utoipa::path(post, path = "/api/v1/admin/users", security(("bearer" = [])), request_body = NewUserRequest,
    responses((status = 201, body = TemporaryPassword), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, description = "the login exists", body = ErrorBody)))]
pub async fn create_user(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<NewUserRequest>,
) -> Result<(StatusCode, Json<TemporaryPassword>), ApiError> {
    let store = state.store.clone();
    let login = req.login.clone();
    let password = blocking::<_, ApiError>(move || {
        let event = audit::event_for(&session, "user.create", Some(req.login.clone()), "ok");
        let account = NewAccount {
            login: req.login,
            display_name: req.display_name,
            groups: req.groups,
            valid_until: req.valid_until,
        };
        Ok(accounts::create(
            store.as_ref(),
            session.tenant(),
            account,
            &event,
        )?)
    })
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(TemporaryPassword {
            login,
            temporary_password: password,
        }),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct UserEditRequest {
    pub display_name: String,
    pub groups: Vec<String>,
    pub valid_until: Option<NaiveDate>,
    pub disabled: bool,
    /// The `revision` the screen read.
    pub revision: i64,
}

/// Edits an account: name, groups, validity, disabled. Refused (409) if it changed since it was read,
/// (422) if nobody could administer afterwards.
#[utoipa::path(put, path = "/api/v1/admin/users/{login}", security(("bearer" = [])), request_body = UserEditRequest,
    params(("login" = String, Path, description = "ユーザーID")),
    responses((status = 200, body = UserView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn edit_user(
    State(state): State<AppState>,
    session: Session,
    Path(login): Path<String>,
    Json(req): Json<UserEditRequest>,
) -> Result<Json<UserView>, ApiError> {
    let store = state.store.clone();
    let user = blocking::<_, ApiError>(move || {
        let event = audit::event_for(&session, "user.edit", Some(login.clone()), "ok");
        let edit = UserEdit {
            display_name: req.display_name,
            groups: req.groups,
            valid_until: req.valid_until,
            disabled: req.disabled,
        };
        Ok(accounts::edit(
            store.as_ref(),
            session.tenant(),
            &login,
            &edit,
            req.revision,
            today_jst(),
            &event,
        )?)
    })
    .await?;
    Ok(Json(user.into()))
}

/// Unlocks an account locked after repeated failed logins.
#[utoipa::path(post, path = "/api/v1/admin/users/{login}/unlock", security(("bearer" = [])),
    params(("login" = String, Path, description = "ユーザーID")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn unlock_user(
    State(state): State<AppState>,
    session: Session,
    Path(login): Path<String>,
) -> Result<StatusCode, ApiError> {
    let store = state.store.clone();
    let found = blocking::<_, ApiError>(move || {
        let event = audit::event_for(&session, "user.unlock", Some(login.clone()), "ok");
        Ok(store.unlock_user(session.tenant(), &login, &event)?)
    })
    .await?;
    if found {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("該当するユーザーが見つかりません。"))
    }
}

/// Resets a password to a temporary one (returned once), unlocks the account and ends its sessions;
/// the user must change it at the next login.
#[utoipa::path(post, path = "/api/v1/admin/users/{login}/password-reset", security(("bearer" = [])),
    params(("login" = String, Path, description = "ユーザーID")),
    responses((status = 200, body = TemporaryPassword), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn reset_password(
    State(state): State<AppState>,
    session: Session,
    Path(login): Path<String>,
) -> Result<Json<TemporaryPassword>, ApiError> {
    let store = state.store.clone();
    let who = login.clone();
    let password = blocking::<_, ApiError>(move || {
        let event = audit::event_for(&session, "user.password_reset", Some(login.clone()), "ok");
        Ok(accounts::reset_password(
            store.as_ref(),
            session.tenant(),
            &login,
            &event,
        )?)
    })
    .await?;
    Ok(Json(TemporaryPassword {
        login: who,
        temporary_password: password,
    }))
}

/// A staff CSV file as the admin screen sends it.
#[derive(Deserialize, ToSchema)]
pub struct StaffUpload {
    /// The file's bytes, base64.
    pub file_base64: String,
    /// `utf-8` (default) or `cp932` (Shift_JIS as Excel writes it).
    pub encoding: Option<String>,
}

/// One problem of a refused staff CSV.
#[derive(Serialize, ToSchema)]
pub struct StaffProblemView {
    /// 1-based line of the file (the header is line 1); 0 for the file as a whole.
    pub line: u64,
    pub column: Option<String>,
    pub reason: String,
}

/// What a staff CSV upload did: written (counts) or refused as a whole (problems, nothing written).
#[derive(Serialize, ToSchema)]
pub struct StaffUploadReport {
    pub written: bool,
    pub created: u64,
    pub updated: u64,
    pub problems: Vec<StaffProblemView>,
}

/// Creates or updates staff accounts from the staff CSV (`docs/staff-csv.md`), all or nothing. A
/// refused file is answered 200 with its problems (the report is the screen's table).
#[utoipa::path(post, path = "/api/v1/admin/users/import", security(("bearer" = [])), request_body = StaffUpload,
    responses((status = 200, body = StaffUploadReport), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn import_users(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<StaffUpload>,
) -> Result<Json<StaffUploadReport>, ApiError> {
    let body = base64::engine::general_purpose::STANDARD
        .decode(req.file_base64.trim())
        .map_err(|_| ApiError::bad_request("invalid_file", "ファイルを読み取れませんでした。"))?;
    let encoding =
        CsvEncoding::parse(req.encoding.as_deref().unwrap_or("utf-8")).ok_or_else(|| {
            ApiError::bad_request(
                "invalid_encoding",
                "文字コードは UTF-8 または Shift_JIS（CP932）を指定してください。",
            )
        })?;
    let store = state.store.clone();
    let upload = blocking::<_, ApiError>(move || {
        let actor = audit::event_for(&session, "user.import", None, "ok");
        let upload = accounts::import_staff(
            store.as_ref(),
            session.tenant(),
            &body,
            encoding,
            today_jst(),
            &actor,
        )?;
        if let Upload::Refused(problems) = &upload {
            let reason = format!("refused:{}", problems.len());
            audit::by_session(store.as_ref(), &session, "user.import", None, &reason)?;
        }
        Ok(upload)
    })
    .await?;
    Ok(Json(match upload {
        Upload::Written(c) => StaffUploadReport {
            written: true,
            created: c.created,
            updated: c.updated,
            problems: Vec::new(),
        },
        Upload::Refused(problems) => StaffUploadReport {
            written: false,
            created: 0,
            updated: 0,
            problems: problems
                .into_iter()
                .map(|p| StaffProblemView {
                    line: p.line,
                    column: p.column,
                    reason: p.reason,
                })
                .collect(),
        },
    }))
}

/// The tenant's accounts as a staff CSV (the import's layout, no passwords), UTF-8 with BOM.
#[utoipa::path(get, path = "/api/v1/admin/users.csv", security(("bearer" = [])),
    responses((status = 200, description = "CSV (UTF-8)", content_type = "text/csv"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn export_users(
    State(state): State<AppState>,
    session: Session,
) -> Result<impl IntoResponse, ApiError> {
    let store = state.store.clone();
    let csv = blocking::<_, ApiError>(move || {
        let users = store.list_users(session.tenant())?;
        audit::by_session(store.as_ref(), &session, "user.export", None, "ok")?;
        Ok(accounts::staff_csv(&users))
    })
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"staff.csv\"",
            ),
        ],
        csv,
    ))
}

/// A permission with what it allows, for the admin screen's checkboxes.
#[derive(Serialize, ToSchema)]
pub struct PermissionView {
    pub code: String,
    pub label: String,
    pub description: String,
}

/// Every permission, in a stable order, with its Japanese name and description.
#[utoipa::path(get, path = "/api/v1/admin/permissions", security(("bearer" = [])),
    responses((status = 200, body = [PermissionView]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_permissions() -> Json<Vec<PermissionView>> {
    Json(
        Permission::ALL
            .into_iter()
            .map(|p| PermissionView {
                code: p.code().into(),
                label: p.label_ja().into(),
                description: p.description_ja().into(),
            })
            .collect(),
    )
}

/// A group of staff and the functions its members may use.
#[derive(Serialize, ToSchema)]
pub struct GroupView {
    pub code: String,
    pub name: String,
    /// Permission codes.
    pub permissions: Vec<String>,
    /// How many accounts are in it.
    pub members: u32,
    /// Send it back with an edit: a save over another admin's change is refused (409).
    pub revision: String,
}

/// The tenant's groups with their permissions and member counts.
#[utoipa::path(get, path = "/api/v1/admin/groups", security(("bearer" = [])),
    responses((status = 200, body = [GroupView]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_groups(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<Vec<GroupView>>, ApiError> {
    let store = state.store.clone();
    let (groups, users) = blocking::<_, ApiError>(move || {
        let groups = store.list_groups(session.tenant())?;
        let users = store.list_users(session.tenant())?;
        audit::by_session(store.as_ref(), &session, "group.list", None, "ok")?;
        Ok((groups, users))
    })
    .await?;
    Ok(Json(
        groups
            .into_iter()
            .map(|g| GroupView {
                revision: accounts::group_revision(&g),
                members: users.iter().filter(|u| u.groups.contains(&g.code)).count() as u32,
                permissions: g.permissions.iter().map(|p| p.code().into()).collect(),
                code: g.code,
                name: g.name,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct GroupRequest {
    pub name: String,
    /// Permission codes.
    pub permissions: Vec<String>,
    /// The revision the screen read (an edit), empty for a new group (refused if the code exists),
    /// absent to create or replace.
    #[serde(default)]
    pub revision: Option<String>,
}

/// Creates or replaces a group (by code).
#[utoipa::path(put, path = "/api/v1/admin/groups/{code}", security(("bearer" = [])), request_body = GroupRequest,
    params(("code" = String, Path, description = "グループのコード")),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_group(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
    Json(req): Json<GroupRequest>,
) -> Result<StatusCode, ApiError> {
    let group = GroupRecord {
        code,
        name: req.name.trim().to_owned(),
        permissions: accounts::permissions(&req.permissions)?,
    };
    let store = state.store.clone();
    blocking::<_, ApiError>(move || {
        let event = audit::event_for(&session, "group.put", Some(group.code.clone()), "ok");
        Ok(accounts::put_group(
            store.as_ref(),
            session.tenant(),
            &group,
            accounts::Expected::from_request(req.revision.as_deref()),
            today_jst(),
            &event,
        )?)
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A counter (窓口) and the functions that may be used there.
#[derive(Serialize, ToSchema)]
pub struct CounterSetupView {
    pub code: String,
    pub name: String,
    /// Permission codes.
    pub permissions: Vec<String>,
    /// Staff may log in here from a browser, not only from an enrolled terminal.
    pub browser_allowed: bool,
    /// Send it back with an edit: a save over another admin's change is refused (409).
    pub revision: String,
}

/// The tenant's counters with their permissions.
#[utoipa::path(get, path = "/api/v1/admin/counters", security(("bearer" = [])),
    responses((status = 200, body = [CounterSetupView]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_counters(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<Vec<CounterSetupView>>, ApiError> {
    let store = state.store.clone();
    let counters = blocking::<_, ApiError>(move || {
        let counters = store.list_counters(session.tenant())?;
        audit::by_session(store.as_ref(), &session, "counter.list", None, "ok")?;
        Ok(counters)
    })
    .await?;
    Ok(Json(
        counters
            .into_iter()
            .map(|c| CounterSetupView {
                revision: accounts::counter_revision(&c),
                permissions: c.permissions.iter().map(|p| p.code().into()).collect(),
                code: c.code,
                name: c.name,
                browser_allowed: c.browser_allowed,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct CounterRequest {
    pub name: String,
    /// Permission codes.
    pub permissions: Vec<String>,
    pub browser_allowed: bool,
    /// As for a group: the revision read, empty for a new counter, absent to create or replace.
    #[serde(default)]
    pub revision: Option<String>,
}

/// Creates or replaces a counter (by code).
#[utoipa::path(put, path = "/api/v1/admin/counters/{code}", security(("bearer" = [])), request_body = CounterRequest,
    params(("code" = String, Path, description = "窓口のコード")),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_counter(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
    Json(req): Json<CounterRequest>,
) -> Result<StatusCode, ApiError> {
    let counter = CounterRecord {
        code,
        name: req.name.trim().to_owned(),
        permissions: accounts::permissions(&req.permissions)?,
        browser_allowed: req.browser_allowed,
    };
    let store = state.store.clone();
    blocking::<_, ApiError>(move || {
        let event = audit::event_for(&session, "counter.put", Some(counter.code.clone()), "ok");
        Ok(accounts::put_counter(
            store.as_ref(),
            session.tenant(),
            &counter,
            accounts::Expected::from_request(req.revision.as_deref()),
            today_jst(),
            &event,
        )?)
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
