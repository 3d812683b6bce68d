//! The counter terminal app (Tauri v2). **Architecture invariant:** this is the only crate that depends
//! on `tauri`. It opens one window for the terminal's role (kiosk, staff, issuance) showing the UI from
//! `ui/`, and exposes the terminal runtime (`madoguchi-terminal`) to it as typed commands
//! (`commands/`, `docs/terminal-commands.md`); capabilities/*.json grant each window only its role's
//! commands.

pub mod commands;
pub mod state;

use std::sync::Arc;

use madoguchi_terminal_runtime::{Role, Terminal, TerminalConfig};
use tauri::{Emitter, Manager, Runtime, WebviewUrl, WebviewWindowBuilder, WindowEvent};

pub use state::{AppState, window_label};

/// The app's state and commands on a builder: `tauri::Builder::default()` in `run`,
/// `tauri::test::mock_builder()` in tests.
pub fn builder<R: Runtime>(base: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    base.manage(state).invoke_handler(tauri::generate_handler![
        commands::terminal_info,
        commands::terminal_status,
        commands::api_request,
        commands::api_pdf,
        commands::api_file,
        commands::case_save,
        commands::sync_now,
        commands::card_status,
        commands::card_read,
        commands::card_authenticate,
        commands::print_pdf,
        commands::signal_tower,
        commands::kiosk_submit,
        commands::station_request,
        commands::admin_unlock,
        commands::admin_lock,
        commands::admin_exit,
    ])
}

/// The app without a usable configuration: the staff window's `terminal_info` answers with `message`
/// (`commands::startup`), so that the screen says why instead of the app vanishing.
pub fn config_error_builder<R: Runtime>(
    base: tauri::Builder<R>,
    message: String,
) -> tauri::Builder<R> {
    base.invoke_handler(commands::startup::handler(message))
}

/// What the screen says about a configuration that cannot be used: the reason, never the file's path
/// or content (a parse error names the line only; `TerminalConfig::parse`).
pub fn config_error_message(e: &madoguchi_terminal_runtime::config::ConfigError) -> String {
    use madoguchi_terminal_runtime::config::ConfigError;
    match e {
        ConfigError::Read { .. } => "端末の設定ファイル（terminal.toml）がないか、読めません。情報システム担当者に連絡してください。".into(),
        ConfigError::Invalid { reason, .. } => format!(
            "端末の設定ファイル（terminal.toml）が正しくありません: {reason} 情報システム担当者に連絡してください。"
        ),
    }
}

/// The app's context (configuration, embedded UI, the capabilities' access control), for any runtime.
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}

/// The window of a role: the kiosk and the issuance station (resident self-service) full screen,
/// without decorations, on top and impossible to close until an administrator unlocked it; staff a
/// normal maximised window.
pub fn open_window<R: Runtime, M: Manager<R>>(
    manager: &M,
    terminal: &Arc<Terminal>,
) -> tauri::Result<tauri::WebviewWindow<R>> {
    let role = terminal.config().role;
    let title = match role {
        Role::Kiosk => "窓口端末（キオスク）",
        Role::Staff => "窓口端末（職員）",
        Role::Issuance => "窓口端末（証明書発行）",
    };
    let builder = WebviewWindowBuilder::new(manager, window_label(role), WebviewUrl::default())
        .title(title)
        .min_inner_size(1024.0, 700.0);
    let window = match role {
        Role::Kiosk | Role::Issuance => builder
            .fullscreen(true)
            .decorations(false)
            .always_on_top(true)
            .resizable(false)
            .build()?,
        Role::Staff => builder.maximized(true).build()?,
    };
    lean_webview(&window);
    camera_webview(&window);
    if role.is_self_service() {
        kiosk_webview(&window);
        let t = terminal.clone();
        window.on_window_event(move |event| {
            if let WindowEvent::CloseRequested { api, .. } = event
                && !t.admin_unlocked()
            {
                tracing::warn!("kiosk close refused without the admin PIN");
                api.prevent_close();
            }
        });
    }
    Ok(window)
}

/// A counter terminal shows one app all day: WebKit's document-browser caches (back/forward page cache,
/// the large memory cache model) only cost memory. `DocumentViewer` keeps the caches minimal.
#[cfg(target_os = "linux")]
fn lean_webview<R: Runtime>(window: &tauri::WebviewWindow<R>) {
    let done = window.with_webview(|webview| {
        use webkit2gtk::{CacheModel, SettingsExt, WebContextExt, WebViewExt};
        let view = webview.inner();
        if let Some(context) = view.context() {
            context.set_cache_model(CacheModel::DocumentViewer);
        }
        if let Some(settings) = WebViewExt::settings(&view) {
            settings.set_enable_page_cache(false);
            settings.set_enable_webgl(false);
        }
    });
    if let Err(e) = done {
        tracing::warn!(error = %e, "webview settings not applied");
    }
}

#[cfg(not(target_os = "linux"))]
fn lean_webview<R: Runtime>(_window: &tauri::WebviewWindow<R>) {}

/// The camera as a QR code reader (「カメラで読み取る」, `ui/src/components/camera/`): WebKitGTK keeps
/// `getUserMedia` off unless media streams are switched on, and asks the app for each use. The app
/// shows only its own pages, so the camera (video, never the microphone) is granted; every other
/// permission (microphone, location, notifications …) is refused. WebView2 (Windows) has media streams on
/// and asks the user once. `MADOGUCHI_MOCK_CAMERA=1` swaps in WebKit's mock camera (a TEST DOUBLE for
/// the desktop end-to-end tests, where Xvfb has no camera).
#[cfg(target_os = "linux")]
fn camera_webview<R: Runtime>(window: &tauri::WebviewWindow<R>) {
    let done = window.with_webview(|webview| {
        use webkit2gtk::glib::Cast;
        use webkit2gtk::{
            PermissionRequestExt, SettingsExt, UserMediaPermissionRequest,
            UserMediaPermissionRequestExt, WebViewExt,
        };
        let view = webview.inner();
        if let Some(settings) = WebViewExt::settings(&view) {
            settings.set_enable_media_stream(true);
            if std::env::var_os("MADOGUCHI_MOCK_CAMERA").is_some_and(|v| v == "1") {
                tracing::warn!("camera: WebKit's mock camera (test double) in use");
                settings.set_enable_mock_capture_devices(true);
            }
        }
        view.connect_permission_request(|_, request| {
            let camera_only = request
                .downcast_ref::<UserMediaPermissionRequest>()
                .is_some_and(|r| r.is_for_video_device() && !r.is_for_audio_device());
            if camera_only {
                request.allow();
            } else {
                tracing::info!("webview permission request refused");
                request.deny();
            }
            true
        });
    });
    if let Err(e) = done {
        tracing::warn!(error = %e, "camera not enabled in the webview");
    }
}

#[cfg(not(target_os = "linux"))]
fn camera_webview<R: Runtime>(_window: &tauri::WebviewWindow<R>) {}

/// The kiosk's webview without the browser's own functions (Security II point 14): WebView2's browser
/// keys (reload, print, find, zoom, devtools, back and forward), its context menu and devtools are
/// off; WebKitGTK has no such keys, and its inspector is off. The page swallows the same keys and the
/// context menu as well (`ui/src/kiosk/lockdown.ts`).
#[cfg(windows)]
#[allow(unsafe_code)] // the COM calls below: the only unsafe code of the workspace
fn kiosk_webview<R: Runtime>(window: &tauri::WebviewWindow<R>) {
    let done = window.with_webview(|webview| {
        use webview2_com::Microsoft::Web::WebView2::Win32::ICoreWebView2Settings3;
        use windows_core::Interface as _;
        // SAFETY: COM calls on the webview's own controller, on the thread `with_webview` runs on.
        let applied = unsafe {
            webview
                .controller()
                .CoreWebView2()
                .and_then(|core| core.Settings())
                .and_then(|settings| {
                    settings.SetAreDefaultContextMenusEnabled(false)?;
                    settings.SetAreDevToolsEnabled(false)?;
                    settings
                        .cast::<ICoreWebView2Settings3>()?
                        .SetAreBrowserAcceleratorKeysEnabled(false)
                })
        };
        if let Err(e) = applied {
            tracing::error!(error = %e, "kiosk: WebView2 browser keys not switched off");
        }
    });
    if let Err(e) = done {
        tracing::error!(error = %e, "kiosk: webview lockdown not applied");
    }
}

#[cfg(target_os = "linux")]
fn kiosk_webview<R: Runtime>(window: &tauri::WebviewWindow<R>) {
    let done = window.with_webview(|webview| {
        use webkit2gtk::{SettingsExt, WebViewExt};
        if let Some(settings) = WebViewExt::settings(&webview.inner()) {
            settings.set_enable_developer_extras(false);
        }
    });
    if let Err(e) = done {
        tracing::error!(error = %e, "kiosk: webview lockdown not applied");
    }
}

#[cfg(not(any(windows, target_os = "linux")))]
fn kiosk_webview<R: Runtime>(_window: &tauri::WebviewWindow<R>) {}

/// Log lines (English, nothing personal) to standard error and, once the configuration is known, to
/// `terminal.log` in the data folder's `logs` (a Windows app has no console). The file is started
/// afresh, the previous one kept as `terminal.log.1`, when it passed 10 MB.
fn init_logging(log_dir: Option<&std::path::Path>) {
    use tracing_subscriber::fmt::writer::MakeWriterExt;
    let filter = tracing_subscriber::EnvFilter::try_from_env("MADOGUCHI_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let file = log_dir.and_then(|dir| {
        std::fs::create_dir_all(dir).ok()?;
        let path = dir.join("terminal.log");
        if std::fs::metadata(&path).is_ok_and(|m| m.len() > 10 * 1024 * 1024) {
            let _ = std::fs::rename(&path, dir.join("terminal.log.1"));
        }
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .ok()
    });
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = match file {
        Some(file) => builder
            .with_ansi(false)
            .with_writer(std::io::stderr.and(std::sync::Mutex::new(file)))
            .try_init(),
        None => builder.with_writer(std::io::stderr).try_init(),
    };
}

/// A window that says why the terminal cannot start (the staff window's label: its capability allows
/// `terminal_info`). Returns the exit code 2 once it is closed.
fn show_config_error(message: String) -> i32 {
    let result = config_error_builder(tauri::Builder::default(), message)
        .setup(|app| {
            WebviewWindowBuilder::new(app, "staff", WebviewUrl::default())
                .title("窓口端末（設定エラー）")
                .inner_size(900.0, 600.0)
                .build()?;
            Ok(())
        })
        .run(context());
    if let Err(e) = result {
        eprintln!("端末アプリを起動できません: {e}");
    }
    2
}

/// Starts the app with the configuration from `MADOGUCHI_TERMINAL_CONFIG` or the default file. Returns
/// the process exit code.
pub fn run() -> i32 {
    let config = match TerminalConfig::load_default() {
        Ok(c) => {
            init_logging(Some(&madoguchi_terminal_runtime::config::log_dir(
                &c.data_dir(),
            )));
            c
        }
        Err(e) => {
            init_logging(None);
            eprintln!("{e}");
            tracing::error!("terminal configuration missing or invalid");
            if std::env::args().any(|a| a == "--autostart") {
                return 2;
            }
            return show_config_error(config_error_message(&e));
        }
    };
    // The kiosk's start at logon (the MSI's Run entry) passes --autostart: a terminal whose role was
    // changed since does not open at logon.
    if std::env::args().any(|a| a == "--autostart") && config.role != Role::Kiosk {
        tracing::info!("started at logon, but this terminal is not a kiosk: not opening");
        return 0;
    }
    let terminal = match Terminal::open(config) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("端末を起動できません: {e}");
            return 2;
        }
    };
    tracing::info!(
        terminal = %terminal.config().terminal_id,
        role = ?terminal.config().role,
        "terminal starting"
    );
    let state = AppState {
        terminal: terminal.clone(),
    };
    let result = builder(tauri::Builder::default(), state)
        .setup(move |app| {
            let window = open_window(app, &terminal)?;
            let emitter = window.clone();
            terminal.on_status(move |status| {
                let _ = emitter.emit("terminal-status", status);
            });
            let scans = window.clone();
            madoguchi_terminal_runtime::devices::watch_qr_scanner(&terminal, move |line| {
                let _ = scans.emit("qr-scanned", line);
            });
            // The monitor lives as long as the app.
            app.manage(madoguchi_terminal_runtime::devices::watch_cards(&terminal));
            terminal.spawn_sync_worker();
            Ok(())
        })
        .run(context());
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("端末アプリを起動できません: {e}");
            1
        }
    }
}
