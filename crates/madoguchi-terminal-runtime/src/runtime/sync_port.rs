//! The terminal as the port a sync round runs through ([`crate::sync::Port`]): its clock, local store,
//! session and server requests, each noting whether the server answered.

use std::sync::MutexGuard;

use serde_json::Value;

use super::state::{Terminal, lock, now_ms};
use crate::client::{Answer, ClientError};
use crate::store::LocalStore;
use crate::sync::Port;

impl Port for Terminal {
    fn now_ms(&self) -> i64 {
        now_ms()
    }

    fn store(&self) -> MutexGuard<'_, LocalStore> {
        lock(&self.store)
    }

    fn ensure_session(&self) -> Result<(), ClientError> {
        self.note(self.ensure_kiosk_session())
    }

    fn session_login(&self) -> Option<String> {
        Terminal::session_login(self)
    }

    fn token(&self) -> Option<String> {
        Terminal::token(self)
    }

    fn forget_session(&self) {
        Terminal::forget_session(self);
    }

    fn request(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Result<Answer, ClientError> {
        self.note(self.client.request(method, path, token, body))
    }

    fn synced(&self, now_ms: i64) {
        Terminal::synced(self, now_ms);
    }
}
