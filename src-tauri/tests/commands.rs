//! The app's commands on Tauri's mock runtime: what each window's role may call, the answers' shape, and
//! the kiosk flow's commands while the server is unreachable (the application is kept, a receipt is
//! printed on the mock receipt printer — a test double writing ESC/POS jobs to a folder).

use madoguchi_terminal_app::{AppState, builder};
use madoguchi_terminal_runtime::{Terminal, TerminalConfig};
use serde_json::{Value, json};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

fn config(dir: &std::path::Path, role: &str) -> TerminalConfig {
    let pin_hash = madoguchi_terminal_runtime::config::hash_pin("246810");
    // Port 9 (discard) on loopback: nothing answers, the terminal is offline.
    TerminalConfig::parse(&format!(
        r#"
server_url = "http://127.0.0.1:9"
tenant = "demo"
terminal_id = "kiosk-term-9"
role = "{role}"
counter = "kiosk"
printer = "mock:{docs}"
receipt_printer = "mock:{receipts}"
data_dir = "{data}"
admin_pin_hash = "{pin_hash}"
kiosk_account = {{ login = "kiosk-01", password = "sakurano-kiosk-terminal" }}
"#,
        docs = dir.join("printed").display(),
        receipts = dir.join("receipts").display(),
        data = dir.join("data").display(),
    ))
    .expect("config")
}

fn app(
    dir: &std::path::Path,
    role: &str,
    label: &str,
) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let terminal = Terminal::open(config(dir, role)).expect("terminal");
    let app = builder(tauri::test::mock_builder(), AppState { terminal })
        .build(madoguchi_terminal_app::context())
        .expect("app");
    let window = WebviewWindowBuilder::new(&app, label, Default::default())
        .build()
        .expect("window");
    (app, window)
}

fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body: tauri::ipc::InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|b| b.deserialize::<Value>().expect("json"))
}

/// Refused: by the window's capability (Tauri's access control answers with a text) or by the
/// command's own role check (`not_allowed`).
fn assert_refused(e: &Value, what: &str) {
    let by_acl = e.as_str().is_some_and(|m| m.contains("not allowed"));
    assert!(by_acl || e["code"] == "not_allowed", "{what}: {e}");
}

fn document() -> Value {
    json!({
        "visitor": {"kind": "本人", "name": "試験\u{3000}花子", "id_document": "マイナンバーカード"},
        "notifications": [{"kind": "転入", "event_date": "2026-11-20", "old_address": "東京都千代田区千代田1番1号",
            "members": [{"name": "試験\u{3000}花子", "facts": {"birth": "1990-04-01", "sex": "女", "relation": "世帯主", "mover": true}}]}],
        "procedures": []
    })
}

#[test]
fn the_kiosk_window_applies_offline_and_gets_a_receipt() {
    let dir = tempfile::tempdir().expect("dir");
    let (_app, kiosk) = app(dir.path(), "kiosk", "kiosk");
    let info = invoke(&kiosk, "terminal_info", json!({})).expect("info");
    assert_eq!(info["role"], "kiosk");
    assert_eq!(
        info["languages"],
        json!([
            "ja", "easy", "en", "zh", "ko", "vi", "pt", "ne", "fil", "id"
        ])
    );
    assert_eq!(info["idle_reset_seconds"], 120);
    assert_eq!(info["receipt_printer"], "mock");
    let sub = json!({"submission": {"case_id": "case-cmd-0001", "write_id": "write-cmd-0001",
        "document": document(), "language": "ja"}});
    let receipt = invoke(&kiosk, "kiosk_submit", sub.clone()).expect("accepted offline");
    assert_eq!(receipt["uploaded"], false);
    assert_eq!(receipt["printed"], json!(["receipt"]));
    assert_eq!(receipt["receipt_no"], "kiosk-term-9-0001");
    // Pressed twice: the same number, still one application.
    let again = invoke(&kiosk, "kiosk_submit", sub).expect("again");
    assert_eq!(again["receipt_no"], "kiosk-term-9-0001");
    let status = invoke(&kiosk, "terminal_status", json!({})).expect("status");
    assert_eq!(status["online"], false);
    assert_eq!(status["outbox_pending"], 1);
    assert!(
        ["no_reader", "no_card", "ready", "card_error"]
            .contains(&status["card"]["state"].as_str().unwrap_or("")),
        "{status}"
    );
    let receipts: Vec<_> = std::fs::read_dir(dir.path().join("receipts"))
        .expect("receipts")
        .filter_map(Result::ok)
        .collect();
    assert_eq!(receipts.len(), 2, "one receipt per press");
    let parsed = madoguchi_terminal_runtime::printer::parse_receipt(
        &std::fs::read(receipts[0].path()).expect("job"),
    );
    assert!(
        parsed.lines.iter().any(|l| l == "kiosk-term-9-0001"),
        "{parsed:?}"
    );
}

#[test]
fn a_window_may_call_only_its_roles_commands() {
    let dir = tempfile::tempdir().expect("dir");
    let (_app, kiosk) = app(dir.path(), "kiosk", "kiosk");
    // Kiosk: no staff saves, no arbitrary printing, no staff login through the proxy.
    for (cmd, args) in [
        ("case_save", json!({"caseId": "case-x-0001", "save": {}})),
        ("print_pdf", json!({"pdfBase64": "JVBERi0="})),
        ("signal_tower", json!({"signal": "alert"})),
        (
            "api_pdf",
            json!({"path": "/api/v1/forms/print", "body": {}}),
        ),
    ] {
        let e = invoke(&kiosk, cmd, args).expect_err("refused");
        assert!(
            e.as_str().is_some_and(|m| m.contains("not allowed")),
            "{cmd}: by the capability: {e}"
        );
    }
    let e = invoke(
        &kiosk,
        "api_request",
        json!({"method": "POST", "path": "/api/v1/auth/login", "body": {"user": "demo"}}),
    )
    .expect_err("refused");
    assert_eq!(e["code"], "not_allowed");
    // Only the server's API, never a file or another host.
    for path in [
        "/etc/passwd",
        "http://evil.example/api/v1/x",
        "/api/v1/../../x",
    ] {
        let e = invoke(
            &kiosk,
            "api_request",
            json!({"method": "GET", "path": path}),
        )
        .expect_err("refused");
        assert_eq!(e["code"], "not_allowed", "{path}");
    }
    // Offline: a network error with a Japanese message.
    let e = invoke(
        &kiosk,
        "api_request",
        json!({"method": "GET", "path": "/api/v1/procedures"}),
    )
    .expect_err("offline");
    assert_eq!(e["code"], "network");
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("サーバー"))
    );
    // Staff window: no kiosk submission, no kiosk exit.
    let dir2 = tempfile::tempdir().expect("dir");
    let (_app2, staff) = app(dir2.path(), "staff", "staff");
    let e = invoke(
        &staff,
        "kiosk_submit",
        json!({"submission": {"case_id": "case-x-0001",
        "write_id": "write-x-0001", "document": {}}}),
    )
    .expect_err("refused");
    assert_refused(&e, "kiosk_submit from staff");
    let e = invoke(&staff, "admin_unlock", json!({"pin": "246810"})).expect_err("refused");
    assert_refused(&e, "admin_unlock from staff");
    let e = invoke(&staff, "admin_lock", json!({})).expect_err("refused");
    assert!(
        e.as_str().is_some_and(|m| m.contains("not allowed")),
        "admin_lock from staff, by the capability: {e}"
    );
    // A staff save needs a login first.
    let e = invoke(
        &staff,
        "case_save",
        json!({"caseId": "case-x-0001", "save": {"write_id": "write-x-0001"}}),
    )
    .expect_err("no session");
    assert_eq!(e["code"], "unauthorized");
}

#[test]
fn the_kiosk_is_left_only_with_the_admin_pin() {
    let dir = tempfile::tempdir().expect("dir");
    let (_app, kiosk) = app(dir.path(), "kiosk", "kiosk");
    let e = invoke(&kiosk, "admin_exit", json!({})).expect_err("locked");
    assert_eq!(e["code"], "not_allowed");
    let r = invoke(&kiosk, "admin_unlock", json!({"pin": "000000"})).expect("answer");
    assert_eq!(r, json!({"unlocked": false, "wait_seconds": 0}));
    let e = invoke(&kiosk, "admin_exit", json!({})).expect_err("still locked");
    assert_eq!(e["code"], "not_allowed");
    let r = invoke(&kiosk, "admin_unlock", json!({"pin": "246810"})).expect("answer");
    assert_eq!(r, json!({"unlocked": true, "wait_seconds": 0}));
    // 戻る in the admin panel locks again: no exit without the PIN once more.
    let r = invoke(&kiosk, "admin_lock", json!({})).expect("locked");
    assert_eq!(r, Value::Null);
    let e = invoke(&kiosk, "admin_exit", json!({})).expect_err("locked again");
    assert_eq!(e["code"], "not_allowed");
    // PIN checks on the card: a bad PIN format is refused before any reader is touched.
    let e = invoke(&kiosk, "card_read", json!({"pin": "12a4"})).expect_err("bad pin");
    assert_eq!(e["code"], "invalid");
}

#[test]
fn wrong_admin_pins_make_the_next_tries_wait() {
    let dir = tempfile::tempdir().expect("dir");
    let (_app, kiosk) = app(dir.path(), "kiosk", "kiosk");
    for wait in [0, 0, 30] {
        let r = invoke(&kiosk, "admin_unlock", json!({"pin": "135790"})).expect("answer");
        assert_eq!(r, json!({"unlocked": false, "wait_seconds": wait}));
    }
    // While it waits, even the right PIN is not checked.
    let r = invoke(&kiosk, "admin_unlock", json!({"pin": "246810"})).expect("answer");
    assert_eq!(r["unlocked"], false);
    let wait = r["wait_seconds"].as_u64().expect("seconds");
    assert!((1..=30).contains(&wait), "{r}");
    let e = invoke(&kiosk, "admin_exit", json!({})).expect_err("locked");
    assert_eq!(e["code"], "not_allowed");
}

#[test]
fn without_a_usable_configuration_the_window_says_why() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("terminal.toml");
    std::fs::write(&file, "server_url = \"http://x\"\nrole = \"kiosks\"\n").expect("write");
    let e = TerminalConfig::load(&file).expect_err("invalid");
    let message = madoguchi_terminal_app::config_error_message(&e);
    assert!(message.contains("正しくありません"), "{message}");
    assert!(
        !message.contains(&dir.path().display().to_string()),
        "no file path for the webview"
    );
    let app =
        madoguchi_terminal_app::config_error_builder(tauri::test::mock_builder(), message.clone())
            .build(madoguchi_terminal_app::context())
            .expect("app");
    let window = WebviewWindowBuilder::new(&app, "staff", Default::default())
        .build()
        .expect("window");
    let answer = invoke(&window, "terminal_info", json!({})).expect_err("the reason");
    assert_eq!(answer["code"], "terminal_config");
    assert_eq!(answer["message"], message.as_str());
    // Nothing else is there to call.
    assert!(invoke(&window, "terminal_status", json!({})).is_err());
    let missing = TerminalConfig::load(&dir.path().join("none.toml")).expect_err("missing");
    let message = madoguchi_terminal_app::config_error_message(&missing);
    assert!(message.contains("ないか、読めません") && !message.contains("none.toml"));
}
