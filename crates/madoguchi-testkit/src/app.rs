//! In-process API tests: the server's router over a store, driven with `tower::oneshot` (no socket).
//!
//! [`TestApp::new`] is the server most tests start from: tenants `t1` (さくら野市, holding the
//! [small city](crate::residents::small_city)) and `t2` (もみじ町, empty), each with the account `staff`
//! in a group with every permission at the counters `市民課1番` and `1` ([`crate::staff`]), default
//! settings, an in-memory SQLite store. [`TestApp::builder`] starts from the same steps and adds to them;
//! [`TestApp::bare`] starts from an empty store. The steps run in the order given.
//!
//! Answers come back as a status and the body as JSON: [`TestApp::send`] (a body that is not JSON comes
//! back as a JSON string of its text, an empty one as `null`), [`TestApp::call`] (`null` for a body that
//! is not JSON, and the bytes), [`TestApp::json`] (the body must be JSON).

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, Response, StatusCode, header};
use http_body_util::BodyExt;
use madoguchi_server::AppState;
use madoguchi_server::config::Settings;
use madoguchi_server::import::import_residents;
use madoguchi_store::{ImportMode, Store, TenantId};
use madoguchi_store_sqlite::SqliteStore;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::residents::{options, small_city};
use crate::staff::{PASSWORD, staff_with_all_permissions};

/// The server's router in-process, and the store behind it.
pub struct TestApp {
    pub router: Router,
    pub store: Arc<dyn Store>,
}

type Step = Box<dyn FnOnce(&dyn Store)>;
type StateChange = Box<dyn FnOnce(&mut AppState)>;

/// How a [`TestApp`] is made: a store, setup steps run on it in order, settings, and changes to the
/// server's state before the router is built.
pub struct TestAppBuilder {
    store: Option<Arc<dyn Store>>,
    settings: Settings,
    steps: Vec<Step>,
    state: Vec<StateChange>,
}

impl TestApp {
    /// The usual server (see the module docs).
    #[allow(clippy::new_without_default)]
    pub fn new() -> TestApp {
        Self::builder().build()
    }

    /// The usual server with `settings`.
    pub fn with_settings(settings: Settings) -> TestApp {
        Self::builder().settings(settings).build()
    }

    /// The usual server's steps, to add to: `t1` (さくら野市) and `t2` (もみじ町), each with its staff,
    /// then the small city imported into `t1`.
    pub fn builder() -> TestAppBuilder {
        Self::bare()
            .tenant("t1", "さくら野市")
            .staff("t1")
            .tenant("t2", "もみじ町")
            .staff("t2")
            .residents("t1", &small_city())
    }

    /// An empty in-memory store, default settings, no steps.
    pub fn bare() -> TestAppBuilder {
        TestAppBuilder {
            store: None,
            settings: Settings::default(),
            steps: Vec::new(),
            state: Vec::new(),
        }
    }

    /// A router over a state the test made itself (its store is the state's).
    pub fn from_state(state: AppState) -> TestApp {
        crate::logs::captured();
        TestApp {
            store: state.store.clone(),
            router: madoguchi_server::api::router(state),
        }
    }

    /// Another server on the same store with `settings`, as after a restart: what the store holds
    /// (sessions included) stays, what the server kept in memory (limits, challenges) does not.
    pub fn restarted(&self, settings: Settings) -> TestApp {
        Self::from_state(AppState::new(self.store.clone(), settings))
    }

    /// The response, as the router gives it.
    pub async fn response(&self, req: Request<Body>) -> Response<Body> {
        self.router.clone().oneshot(req).await.expect("response")
    }

    async fn exchange(&self, req: Request<Body>) -> (StatusCode, Vec<u8>) {
        let res = self.response(req).await;
        let status = res.status();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        (status, bytes.to_vec())
    }

    /// Status and body: JSON, `null` when empty, else a JSON string of the text.
    pub async fn send(&self, req: Request<Body>) -> (StatusCode, Value) {
        let (status, bytes) = self.exchange(req).await;
        let v = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        (status, v)
    }

    /// Status, body as JSON (`null` when it is not JSON) and the body's bytes (PDFs, CSV).
    pub async fn call(&self, req: Request<Body>) -> (StatusCode, Value, Vec<u8>) {
        let (status, bytes) = self.exchange(req).await;
        let v = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (status, v, bytes)
    }

    /// Status and body, which must be JSON.
    pub async fn json(&self, req: Request<Body>) -> (StatusCode, Value) {
        let (status, bytes) = self.exchange(req).await;
        (status, serde_json::from_slice(&bytes).expect("json"))
    }

    /// Logs in as `staff` at `市民課1番` (a browser); the token. Asserts that the login succeeds.
    pub async fn login(&self, tenant: &str) -> String {
        self.login_as(tenant, "staff", "市民課1番").await
    }

    /// Logs in as `user` (password [`PASSWORD`]) at `counter` (a browser); the token.
    pub async fn login_as(&self, tenant: &str, user: &str, counter: &str) -> String {
        let body =
            json!({"tenant": tenant, "user": user, "password": PASSWORD, "counter": counter});
        self.login_with(&body).await
    }

    /// Logs in with this login request (a terminal's signed one, say); the token.
    pub async fn login_with(&self, body: &Value) -> String {
        let (s, v) = self.send(post_json("/api/v1/auth/login", body)).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        v["token"].as_str().expect("token").to_owned()
    }
}

impl TestAppBuilder {
    /// Serves this store instead of an empty in-memory SQLite store (a file, to look at it afterwards).
    pub fn store(mut self, store: impl Store + 'static) -> Self {
        self.store = Some(Arc::new(store));
        self
    }

    pub fn settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    /// Creates tenant `id` named `name`.
    pub fn tenant(self, id: &str, name: &str) -> Self {
        let (id, name) = (TenantId(id.into()), name.to_owned());
        self.setup(move |store| {
            store.ensure_tenant(&id, &name).expect("tenant");
        })
    }

    /// Gives tenant `id` the test staff: [`staff_with_all_permissions`].
    pub fn staff(self, id: &str) -> Self {
        let id = TenantId(id.into());
        self.setup(move |store| staff_with_all_permissions(store, &id))
    }

    /// Imports this resident CSV (UTF-8, full) into tenant `id`; asserts that no row is refused.
    pub fn residents(self, id: &str, csv: &str) -> Self {
        let (id, text) = (TenantId(id.into()), csv.to_owned());
        self.setup(move |store| {
            let r = import_residents(
                store,
                &id,
                text.as_bytes(),
                &options(ImportMode::Full, text.as_bytes()),
            )
            .expect("import");
            assert!(r.problems.is_empty(), "{:?}", r.problems);
        })
    }

    /// Any setup of the store, in its turn.
    pub fn setup(mut self, step: impl FnOnce(&dyn Store) + 'static) -> Self {
        self.steps.push(Box::new(step));
        self
    }

    /// Changes the server's state before the router is built (trust anchors, a linkage job).
    pub fn state(mut self, change: impl FnOnce(&mut AppState) + 'static) -> Self {
        self.state.push(Box::new(change));
        self
    }

    pub fn build(self) -> TestApp {
        crate::logs::captured();
        let store = self.store.unwrap_or_else(|| {
            Arc::new(SqliteStore::open_in_memory().expect("store")) as Arc<dyn Store>
        });
        for step in self.steps {
            step(store.as_ref());
        }
        let mut state = AppState::new(store, self.settings);
        for change in self.state {
            change(&mut state);
        }
        TestApp::from_state(state)
    }
}

/// An authenticated GET.
pub fn get(uri: &str, token: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .expect("request")
}

/// A POST of JSON without a session.
pub fn post_json(uri: &str, body: &Value) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("request")
}

/// A request with a JSON body, with the session `token` when given.
pub fn json_req(method: Method, uri: &str, token: Option<&str>, body: &Value) -> Request<Body> {
    let mut b = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    b.body(Body::from(body.to_string())).expect("request")
}

/// An authenticated request with a JSON body (`null` for a GET is fine: the server ignores it).
pub fn req(method: Method, uri: &str, token: &str, body: &Value) -> Request<Body> {
    json_req(method, uri, Some(token), body)
}

/// Percent-encodes everything but ASCII letters and digits (query values, path segments).
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
