//! The typed commands of the webview (`docs/terminal-commands.md`). Each runs the blocking terminal
//! runtime off the UI thread and answers with data or a `{code, message}` error; none takes or returns
//! SQL, a file path or an APDU. Besides the capability files, every command checks the calling window's
//! role itself (defence in depth). The types they take and answer are the runtime's; the UI's TypeScript
//! of them is generated (`ui/src/backend/ipc.generated.ts`, `madoguchi_terminal_runtime::ipc`).

use base64::Engine;
use std::sync::Arc;
use std::time::Duration;

use madoguchi_terminal_runtime::runtime::{
    ADMIN_UNLOCK_TTL, AdminUnlock, ApiAnswer, CardPersonView, CaseSaveResult, CommandError,
    FileAnswer, KioskReceipt, KioskSubmission, PdfAnswer, Printed, Signalled, StationSubmission,
    StationTicket, Verified,
};
use madoguchi_terminal_runtime::{Terminal, TerminalInfo, TerminalStatus};
use serde_json::Value;
use tauri::{Manager, Runtime, State, WebviewWindow};

use crate::state::AppState;

pub mod startup;

type Result<T> = std::result::Result<T, CommandError>;

const KIOSK: &[&str] = &["kiosk"];
const STAFF: &[&str] = &["staff"];
const STATION: &[&str] = &["issuance"];
/// The windows residents use: a kiosk and an issuance station (its own account, the admin PIN).
const SELF_SERVICE: &[&str] = &["kiosk", "issuance"];
/// The windows that read the card's 基本4情報 (a station only authenticates with JPKI).
const CARD_TEXT: &[&str] = &["kiosk", "staff"];
const ANY: &[&str] = &["kiosk", "staff", "issuance"];

fn allow<R: Runtime>(window: &WebviewWindow<R>, labels: &[&str]) -> Result<()> {
    if labels.contains(&window.label()) {
        Ok(())
    } else {
        tracing::warn!(window = window.label(), "command refused for this window");
        Err(CommandError::new(
            "not_allowed",
            "この端末ではこの操作はできません。",
        ))
    }
}

/// Runs blocking terminal work on the blocking pool.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tauri::async_runtime::spawn_blocking(f).await.map_err(|e| {
        tracing::error!(error = %e, "command task failed");
        CommandError::new("internal", "端末でエラーが発生しました。")
    })?
}

#[tauri::command]
pub async fn terminal_info<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
) -> Result<TerminalInfo> {
    allow(&window, ANY)?;
    Ok(state.terminal.info())
}

#[tauri::command]
pub async fn terminal_status<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
) -> Result<TerminalStatus> {
    allow(&window, ANY)?;
    let t = state.terminal.clone();
    blocking(move || Ok(t.status())).await
}

#[tauri::command]
pub async fn api_request<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
    method: String,
    path: String,
    body: Option<Value>,
) -> Result<ApiAnswer> {
    allow(&window, ANY)?;
    let t = state.terminal.clone();
    blocking(move || {
        let a = t.api_request(&method, &path, body.as_ref())?;
        Ok(ApiAnswer {
            status: a.status,
            body: a.body_for_webview(),
        })
    })
    .await
}

#[tauri::command]
pub async fn api_pdf<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
    path: String,
    body: Value,
) -> Result<PdfAnswer> {
    allow(&window, STAFF)?;
    let t = state.terminal.clone();
    blocking(move || {
        let a = t.api_request("POST", &path, Some(&body))?;
        Ok(
            if a.content_type.starts_with("application/pdf") && a.status == 200 {
                PdfAnswer {
                    status: a.status,
                    pdf_base64: Some(base64::engine::general_purpose::STANDARD.encode(&a.bytes)),
                    body: None,
                    issue_numbers: a.issue_numbers.as_deref().map(|n| {
                        n.split(',')
                            .map(str::trim)
                            .filter(|n| !n.is_empty())
                            .map(str::to_owned)
                            .collect()
                    }),
                }
            } else {
                PdfAnswer {
                    status: a.status,
                    pdf_base64: None,
                    body: Some(a.json()),
                    issue_numbers: None,
                }
            },
        )
    })
    .await
}

/// A file the server sends to a staff window (`GET`: an application's attachment), its bytes as base64.
#[tauri::command]
pub async fn api_file<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
    path: String,
) -> Result<FileAnswer> {
    allow(&window, STAFF)?;
    let t = state.terminal.clone();
    blocking(move || {
        let a = t.api_request("GET", &path, None)?;
        let is_file = a.status == 200 && !a.content_type.starts_with("application/json");
        Ok(if is_file {
            FileAnswer {
                status: a.status,
                file_base64: Some(base64::engine::general_purpose::STANDARD.encode(&a.bytes)),
                media_type: Some(a.content_type.clone()),
                body: None,
            }
        } else {
            FileAnswer {
                status: a.status,
                file_base64: None,
                media_type: None,
                body: Some(a.json()),
            }
        })
    })
    .await
}

#[tauri::command]
pub async fn case_save<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
    case_id: String,
    save: Value,
) -> Result<CaseSaveResult> {
    allow(&window, STAFF)?;
    let t = state.terminal.clone();
    blocking(move || t.case_save(&case_id, &save)).await
}

#[tauri::command]
pub async fn sync_now<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
) -> Result<TerminalStatus> {
    allow(&window, ANY)?;
    let t = state.terminal.clone();
    blocking(move || {
        t.sync_now();
        Ok(t.status())
    })
    .await
}

#[tauri::command]
pub async fn card_status<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
) -> Result<madoguchi_mynumber::ReaderStatus> {
    allow(&window, ANY)?;
    let t = state.terminal.clone();
    blocking(move || Ok(t.card_status())).await
}

#[tauri::command]
pub async fn card_read<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
    pin: String,
    confirm_last_try: Option<bool>,
) -> Result<CardPersonView> {
    allow(&window, CARD_TEXT)?;
    let t = state.terminal.clone();
    blocking(move || t.card_read(&pin, confirm_last_try.unwrap_or(false))).await
}

#[tauri::command]
pub async fn card_authenticate<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
    pin: String,
    confirm_last_try: Option<bool>,
) -> Result<Verified> {
    allow(&window, ANY)?;
    let t = state.terminal.clone();
    blocking(move || t.card_authenticate(&pin, confirm_last_try.unwrap_or(false))).await
}

#[tauri::command]
pub async fn print_pdf<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
    pdf_base64: String,
) -> Result<Printed> {
    allow(&window, STAFF)?;
    let t = state.terminal.clone();
    blocking(move || {
        let pdf = base64::engine::general_purpose::STANDARD
            .decode(pdf_base64.as_bytes())
            .map_err(|_| CommandError::new("invalid", "印刷するデータが正しくありません。"))?;
        Ok(Printed {
            printer: t.print_pdf(&pdf)?,
        })
    })
    .await
}

/// Lights (`alert`) or clears (`off`) the back office's signal tower.
#[tauri::command]
pub async fn signal_tower<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
    signal: String,
) -> Result<Signalled> {
    allow(&window, STAFF)?;
    let t = state.terminal.clone();
    blocking(move || t.signal_tower(&signal)).await
}

#[tauri::command]
pub async fn kiosk_submit<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
    submission: KioskSubmission,
) -> Result<KioskReceipt> {
    allow(&window, KIOSK)?;
    let t = state.terminal.clone();
    blocking(move || t.kiosk_submit(submission)).await
}

#[tauri::command]
pub async fn station_request<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
    submission: StationSubmission,
) -> Result<StationTicket> {
    allow(&window, STATION)?;
    let t = state.terminal.clone();
    blocking(move || t.station_request(submission)).await
}

/// The kiosk window locked (full screen, on top) or unlocked for the administrator (the desktop
/// reachable, the window kept).
fn kiosk_mode<R: Runtime>(window: &WebviewWindow<R>, locked: bool) {
    let _ = window.set_fullscreen(locked);
    let _ = window.set_always_on_top(locked);
}

/// The unlock ends by itself after `ADMIN_UNLOCK_TTL`: then the window goes back to full screen on
/// top, unless the administrator unlocked it again meanwhile (that unlock has its own timer).
fn relock_after_ttl<R: Runtime>(window: WebviewWindow<R>, terminal: Arc<Terminal>) {
    let spawned = std::thread::Builder::new()
        .name("kiosk-relock".into())
        .spawn(move || {
            std::thread::sleep(ADMIN_UNLOCK_TTL + Duration::from_secs(1));
            if !terminal.admin_unlocked() {
                kiosk_mode(&window, true);
            }
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "kiosk re-lock timer not started");
    }
}

#[tauri::command]
pub async fn admin_unlock<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
    pin: String,
) -> Result<AdminUnlock> {
    allow(&window, SELF_SERVICE)?;
    let t = state.terminal.clone();
    let answer = blocking(move || Ok(t.admin_unlock(&pin))).await?;
    if answer.unlocked {
        // Staff may now reach the desktop for a while: leave full screen, keep the window.
        kiosk_mode(&window, false);
        relock_after_ttl(window.clone(), state.terminal.clone());
    }
    Ok(answer)
}

/// Ends the administrator's unlock: the kiosk is full screen and on top again.
#[tauri::command]
pub async fn admin_lock<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
) -> Result<()> {
    allow(&window, SELF_SERVICE)?;
    state.terminal.admin_lock();
    kiosk_mode(&window, true);
    Ok(())
}

#[tauri::command]
pub async fn admin_exit<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
) -> Result<()> {
    allow(&window, SELF_SERVICE)?;
    if !state.terminal.admin_unlocked() {
        return Err(CommandError::new(
            "not_allowed",
            "管理者の暗証番号を入力してください。",
        ));
    }
    state.terminal.shutdown();
    window.app_handle().exit(0);
    Ok(())
}
