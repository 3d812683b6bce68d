//! The issuance stations' setups over HTTP (admin, 発行端末の設定): per enrolled terminal, the
//! certificates it offers, automatic or manual printing, the signal tower, the fee display and its
//! own opening hours or the city's (`core::certificate::station_setup`, stored by
//! `crate::station_setup`).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use madoguchi_core::certificate::station_setup::StationSetup;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::station_hours::HoursView;
use super::{ApiError, ErrorBody};
use crate::auth::Session;
use crate::issuance::{DEFAULT_OFFERS, STATION_ITEMS};
use crate::{AppState, audit, blocking};

/// One enrolled terminal's station setup.
#[derive(Serialize, ToSchema)]
pub struct StationSetupView {
    pub terminal: String,
    /// The terminal's name as enrolled.
    pub name: String,
    /// `false`: never set up, the defaults below apply.
    pub configured: bool,
    #[serde(flatten)]
    pub setup: StationSetupInput,
    /// The terminal's last device report (printers, signal tower, paper); `null`: never reported.
    pub devices: Option<madoguchi_api::DeviceStatus>,
}

/// A station's setup as the admin screen edits it.
#[derive(Serialize, Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct StationSetupInput {
    /// Fee-table items offered, in the order of the tiles.
    pub offers: Vec<String>,
    /// 自動印刷: requests print by themselves on a print agent's printer.
    pub auto_print: bool,
    /// New requests light the back office's signal tower.
    pub tower: bool,
    /// The tiles show the fee per copy.
    pub show_fees: bool,
    /// The station's own opening hours; `null`: the city's (市の受付時間に従う). The city's closed days
    /// apply either way.
    #[serde(default)]
    pub hours: Option<HoursView>,
}

/// The certificates a station can offer, with their names from the fee table.
#[derive(Serialize, ToSchema)]
pub struct StationItem {
    pub item: String,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct StationSetupsView {
    pub items: Vec<StationItem>,
    pub stations: Vec<StationSetupView>,
}

impl From<StationSetup> for StationSetupInput {
    fn from(s: StationSetup) -> Self {
        StationSetupInput {
            offers: s.offers,
            auto_print: s.auto_print,
            tower: s.tower,
            show_fees: s.show_fees,
            hours: s.hours.map(HoursView::from),
        }
    }
}

impl TryFrom<StationSetupInput> for StationSetup {
    type Error = String;
    fn try_from(s: StationSetupInput) -> Result<Self, String> {
        Ok(StationSetup {
            hours: s.hours.as_ref().map(HoursView::parse).transpose()?,
            offers: s.offers,
            auto_print: s.auto_print,
            tower: s.tower,
            show_fees: s.show_fees,
        })
    }
}

/// Every enrolled terminal with its station setup (or the defaults), and the certificates a station
/// can offer.
#[utoipa::path(get, path = "/api/v1/admin/stations", security(("bearer" = [])),
    responses((status = 200, body = StationSetupsView), (status = 403, body = ErrorBody)))]
pub async fn list_station_setups(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<StationSetupsView>, ApiError> {
    let store = state.store.clone();
    blocking(move || {
        let store = store.as_ref();
        let tenant = session.tenant();
        let fees = super::fees::table(&state, store, tenant)?;
        let items = STATION_ITEMS
            .iter()
            .map(|item| StationItem {
                item: (*item).to_owned(),
                name: fees
                    .items
                    .iter()
                    .find(|f| f.code == *item)
                    .map_or_else(|| (*item).to_owned(), |f| f.name.clone()),
            })
            .collect();
        let mut stations = Vec::new();
        for t in store.list_terminals(tenant)? {
            let stored = crate::station_setup::stored(store, tenant, &t.id)?;
            stations.push(StationSetupView {
                devices: crate::terminal_devices::stored(store, tenant, &t.id)?,
                configured: stored.is_some(),
                setup: stored
                    .unwrap_or_else(|| StationSetup::default_for(&DEFAULT_OFFERS))
                    .into(),
                terminal: t.id,
                name: t.name,
            });
        }
        Ok(Json(StationSetupsView { items, stations }))
    })
    .await
}

/// Sets up the station on enrolled terminal `terminal`. Audited.
#[utoipa::path(put, path = "/api/v1/admin/stations/{terminal}", security(("bearer" = [])),
    params(("terminal" = String, Path, description = "an enrolled terminal's id")),
    request_body = StationSetupInput,
    responses((status = 200, body = StationSetupView), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn put_station_setup(
    State(state): State<AppState>,
    session: Session,
    Path(terminal): Path<String>,
    Json(req): Json<StationSetupInput>,
) -> Result<Json<StationSetupView>, ApiError> {
    let invalid = |m| ApiError::new(StatusCode::BAD_REQUEST, "invalid_setup", m);
    let setup = StationSetup::try_from(req).map_err(invalid)?;
    setup.check(&STATION_ITEMS).map_err(invalid)?;
    let store = state.store.clone();
    blocking(move || {
        let store = store.as_ref();
        let tenant = session.tenant();
        let Some(t) = store
            .list_terminals(tenant)?
            .into_iter()
            .find(|t| t.id == terminal)
        else {
            return Err(ApiError::not_found("登録された端末が見つかりません。"));
        };
        let event = audit::event_for(
            &session,
            "station_setup.put",
            Some(format!("terminal:{}", t.id)),
            "ok",
        );
        crate::station_setup::put(store, tenant, &t.id, &setup, &event)?;
        Ok(Json(StationSetupView {
            devices: crate::terminal_devices::stored(store, tenant, &t.id)?,
            terminal: t.id,
            name: t.name,
            configured: true,
            setup: setup.into(),
        }))
    })
    .await
}
