//! What the app keeps for its commands: the terminal runtime (configuration, store, session, devices).

use std::sync::Arc;

use madoguchi_terminal_runtime::Terminal;

/// Managed state of the app.
#[derive(Debug, Clone)]
pub struct AppState {
    pub terminal: Arc<Terminal>,
}

/// The window label of each role; capabilities/*.json grant commands per label.
pub fn window_label(role: madoguchi_terminal_runtime::Role) -> &'static str {
    match role {
        madoguchi_terminal_runtime::Role::Kiosk => "kiosk",
        madoguchi_terminal_runtime::Role::Staff => "staff",
        madoguchi_terminal_runtime::Role::Issuance => "issuance",
    }
}
