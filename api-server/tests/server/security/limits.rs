//! Security II point 19 (in part): a client that sends its request too slowly, or a request that runs
//! too long, is cut with a Japanese 408 instead of holding the server.

use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::Bytes;

use super::*;

/// A request body that sends its first bytes and then nothing, forever (a slow or stalled client).
struct Stalled(bool);

impl http_body::Body for Stalled {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        if self.0 {
            Poll::Pending
        } else {
            self.0 = true;
            Poll::Ready(Some(Ok(http_body::Frame::data(Bytes::from_static(
                b"{\"write_id\":",
            )))))
        }
    }
}

#[tokio::test]
async fn point_19_a_stalled_request_is_cut_with_408() {
    let store = SqliteStore::open_in_memory().expect("store");
    let base = app_on(store);
    let settings = Settings {
        request_timeout: std::time::Duration::from_millis(200),
        ..Settings::default()
    };
    // Logged in on a server with the usual limits (a login takes a good part of a second); the session
    // is the store's, so it holds on the server with the short limit.
    let token = base.login_as("t1", "staff", "1").await;
    let app = base.restarted(settings);
    let req = Request::put("/api/v1/cases/case-stalled-01")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::new(Stalled(false)))
        .expect("request");
    let (s, v) = app.send(req).await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::REQUEST_TIMEOUT, Some("request_timeout")),
        "{v}"
    );
    assert!(
        !v["error"]["message"].as_str().unwrap_or("").is_ascii(),
        "a Japanese message"
    );
    // Nothing was written.
    let (s, _) = app.send(get("/api/v1/cases/case-stalled-01", &token)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}
