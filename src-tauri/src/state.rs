//! What the app keeps for its commands: the terminal runtime (configuration, store, session, devices).

use std::sync::Arc;

use madoguchi_terminal::Terminal;

/// Managed state of the app.
#[derive(Debug, Clone)]
pub struct AppState {
    pub terminal: Arc<Terminal>,
}

/// The window label of each role; capabilities/*.json grant commands per label.
pub fn window_label(role: madoguchi_terminal::Role) -> &'static str {
    match role {
        madoguchi_terminal::Role::Kiosk => "kiosk",
        madoguchi_terminal::Role::Staff => "staff",
        madoguchi_terminal::Role::Issuance => "issuance",
    }
}
