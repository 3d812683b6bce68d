//! Declares the app's own commands so that each window's capability file (capabilities/*.json) grants
//! only the commands its role needs; a command no capability grants cannot be invoked.

const COMMANDS: &[&str] = &[
    "terminal_info",
    "terminal_status",
    "api_request",
    "api_pdf",
    "api_file",
    "case_save",
    "sync_now",
    "card_status",
    "card_read",
    "card_authenticate",
    "print_pdf",
    "signal_tower",
    "kiosk_submit",
    "station_request",
    "admin_unlock",
    "admin_lock",
    "admin_exit",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .unwrap_or_else(|e| panic!("tauri build script: {e:#}"));
}
