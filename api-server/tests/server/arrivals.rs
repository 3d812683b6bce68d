//! 転入予約 (issue 21 point 5): the `tenshutsu` feed through the linkage job (notices the counter finds,
//! reservations, exactly once, bad rows reported), the 来庁予定者 screen's routes and the evening
//! preparation.

use std::sync::Arc;

use chrono::Duration;
use madoguchi_objects::{Exchange, ObjectsConfig};
use madoguchi_server::linkage::Job;
use madoguchi_store::{LinkageOutcome, ReservationStatus, Store, TenantId};
use madoguchi_store_sqlite::SqliteStore;
use madoguchi_testkit::residents::today;

pub(crate) const HEAD: &str = "通知番号,転出元住所,転出予定日,転入予定地,来庁予定日,世帯主,氏名,フリガナ,生年月日,性別,続柄,国保,国民年金";

/// A `tenshutsu` file: one household of two (`no`), expected on `visit`.
pub(crate) fn household(no: &str, surname: &str, kana: &str, visit: &str) -> String {
    let planned = (today() - Duration::days(2)).to_string();
    format!(
        "{no},東京都世田谷区太子堂二丁目5番8号,{planned},さくら野市本町一丁目1番地,{visit},{surname}\u{3000}太郎,{surname}\u{3000}太郎,{kana}\u{3000}タロウ,1988-04-12,男,世帯主,1,1号\n\
         {no},東京都世田谷区太子堂二丁目5番8号,{planned},さくら野市本町一丁目1番地,{visit},{surname}\u{3000}太郎,{surname}\u{3000}花子,{kana}\u{3000}ハナコ,1990-09-03,女,妻,1,3号\n"
    )
}

struct World {
    _dir: tempfile::TempDir,
    _folder: tempfile::TempDir,
    store: Arc<dyn Store>,
    ex: Exchange,
    job: Job,
    tenant: TenantId,
}

fn world() -> World {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = tempfile::tempdir().expect("exchange");
    let ex = Exchange::open(&ObjectsConfig::local(folder.path())).expect("exchange");
    let store: Arc<dyn Store> =
        Arc::new(SqliteStore::open(&dir.path().join("db.sqlite3")).expect("store"));
    let tenant = TenantId("city-a".into());
    store.ensure_tenant(&tenant, "さくら野市").expect("tenant");
    let job = Job::new(store.clone(), ex.clone(), vec![tenant.clone()], 60);
    World {
        _dir: dir,
        _folder: folder,
        store,
        ex,
        job,
        tenant,
    }
}

impl World {
    async fn deliver(&self, name: &str, text: &str) {
        let key = format!("city-a/inbound/tenshutsu/{name}");
        self.ex
            .write(&key, text.as_bytes().to_vec())
            .await
            .expect("write");
        self.ex
            .write(&format!("{key}.end"), Vec::new())
            .await
            .expect("end");
    }
}

#[tokio::test]
async fn the_feed_stores_notices_and_reservations_once_and_reports_bad_rows() {
    let w = world();
    let tomorrow = today() + Duration::days(1);
    let file = format!(
        "{HEAD}\n{}{}",
        household("T-1", "山田", "ヤマダ", &tomorrow.to_string()),
        household("T-2", "佐藤", "サトウ", "")
    );
    w.deliver("full_000001.csv", &file).await;
    let done = w.job.poll(today()).await;
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].outcome, LinkageOutcome::Applied, "{done:?}");
    assert_eq!(done[0].counts.inserted, 2);
    let found = w
        .store
        .search_incoming_moves(
            &w.tenant,
            &madoguchi_core::text::search_key("ヤマダ　ハナコ"),
            10,
        )
        .expect("search");
    assert_eq!(
        found.len(),
        1,
        "the counter's search finds the feed's notice"
    );
    let booked = w.store.reservations_on(&w.tenant, tomorrow).expect("list");
    assert_eq!(booked.len(), 1, "only T-1 has a 来庁予定日");
    assert_eq!(booked[0].status, ReservationStatus::Planned);

    // The same bytes under another name: applied once by the ledger.
    w.deliver("full_000002.csv", &file).await;
    let done = w.job.poll(today()).await;
    assert_eq!(done[0].outcome, LinkageOutcome::Applied, "{done:?}");
    assert_eq!(done[0].counts.inserted, 0, "already applied");

    // A bad row refuses the whole file with a Japanese report by line and column.
    let bad = format!(
        "{HEAD},削除フラグ\nT-1,,,,,,,,,,,,,1\nT-3,東京都,明日,,,田中,田中,タナカ,1990-01-01,男,世帯主,,,\n"
    );
    w.deliver("delta_000003.csv", &bad).await;
    let done = w.job.poll(today()).await;
    assert_eq!(done[0].outcome, LinkageOutcome::Rejected);
    let report = String::from_utf8(
        w.ex.read("city-a/error/tenshutsu/delta_000003.csv.errors.csv")
            .await
            .expect("report")
            .to_vec(),
    )
    .expect("utf-8");
    assert!(
        report.contains("\r\n3,転出予定日,転出予定日は日付"),
        "{report}"
    );
    assert_eq!(
        w.store.reservations_on(&w.tenant, tomorrow).expect("list")[0].status,
        ReservationStatus::Planned,
        "nothing applied"
    );

    // The corrected delta cancels T-1's reservation.
    let cancel = format!("{HEAD},削除フラグ\nT-1,,,,,,,,,,,,,1\n");
    w.deliver("delta_000003.csv", &cancel).await;
    let done = w.job.poll(today()).await;
    assert_eq!(done[0].outcome, LinkageOutcome::Applied, "{done:?}");
    assert_eq!(
        w.store.reservations_on(&w.tenant, tomorrow).expect("list")[0].status,
        ReservationStatus::Cancelled
    );
}

#[test]
fn the_demo_seed_goes_through_the_feed() {
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open_in_memory().expect("store"));
    let tenant = TenantId("t1".into());
    store.ensure_tenant(&tenant, "さくら野市").expect("tenant");
    for _ in 0..2 {
        madoguchi_server::seed::demo_incoming_moves(store.as_ref(), &tenant, today())
            .expect("seed");
    }
    let booked = store
        .reservations_on(&tenant, today() + Duration::days(1))
        .expect("list");
    assert_eq!(
        booked
            .iter()
            .map(|r| r.notice_no.as_str())
            .collect::<Vec<_>>(),
        vec!["T-DEMO-0001", "T-DEMO-0002"]
    );
}

/// The usual server with the demo households expected tomorrow, and a reservation whose
/// 転出証明書情報 never arrived.
fn app() -> madoguchi_testkit::app::TestApp {
    madoguchi_testkit::app::TestApp::builder()
        .setup(|store| {
            let t1 = TenantId("t1".into());
            let today = madoguchi_server::clock::today_jst();
            madoguchi_server::seed::demo_incoming_moves(store, &t1, today).expect("notices");
            let missing = madoguchi_store::Reservation {
                notice_no: "T-MISSING".into(),
                expected_on: tomorrow(),
                source: madoguchi_store::ReservationSource::Manual,
                status: ReservationStatus::Planned,
                prepared_case_id: None,
                problem: None,
                updated_at: chrono::Utc::now(),
            };
            store
                .put_reservation(
                    &t1,
                    &missing,
                    &madoguchi_testkit::staff::setup_event(&t1, "arrival.put"),
                )
                .expect("reservation");
        })
        .build()
}

/// Tomorrow in Japan, as the server counts it.
fn tomorrow() -> chrono::NaiveDate {
    madoguchi_server::clock::today_jst() + Duration::days(1)
}

fn audited(store: &dyn Store, action: &str) -> Vec<String> {
    store
        .audit_records(
            &TenantId("t1".into()),
            chrono::Utc::now() - Duration::hours(1),
            chrono::Utc::now() + Duration::hours(1),
        )
        .expect("audit")
        .into_iter()
        .filter(|r| r.event.action == action)
        .map(|r| format!("{} {}", r.event.subject.unwrap_or_default(), r.event.result))
        .collect()
}

#[tokio::test]
async fn staff_list_tomorrow_prepare_the_day_and_open_the_prepared_case() {
    use madoguchi_testkit::app::{get, req};
    let app = app();
    let token = app.login_as("t1", "staff", "1").await;
    let (s, v) = app.send(get("/api/v1/arrivals", &token)).await;
    assert_eq!(s, axum::http::StatusCode::OK, "{v}");
    let list = v.as_array().expect("list");
    let nos: Vec<&str> = list
        .iter()
        .map(|a| a["notice_no"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(nos, vec!["T-DEMO-0001", "T-DEMO-0002", "T-MISSING"]);
    assert_eq!(list[0]["head_name"], "山田\u{3000}太郎");
    assert_eq!(list[0]["members"], 4);
    assert_eq!(list[0]["status"], "planned");
    assert_eq!(list[0]["expected_on"], tomorrow().to_string());
    assert!(list[2]["head_name"].is_null(), "no notice for T-MISSING");
    assert_eq!(audited(app.store.as_ref(), "arrival.list").len(), 1);

    let post = |uri: &str| {
        req(
            axum::http::Method::POST,
            uri,
            &token,
            &serde_json::json!({}),
        )
    };
    let (s, v) = app.send(post("/api/v1/arrivals/prepare")).await;
    assert_eq!(s, axum::http::StatusCode::OK, "{v}");
    let done = v.as_array().expect("results");
    assert_eq!(done.len(), 3);
    assert_eq!(done[0]["prepared"], true, "{v}");
    assert_eq!(done[0]["case_id"], "arrival-T-DEMO-0001");
    assert!(done[0]["procedures"].as_u64().unwrap_or(0) >= 3, "{v}");
    assert!(done[0]["forms"].as_u64().unwrap_or(0) >= 2, "{v}");
    assert_eq!(done[2]["prepared"], false);
    assert!(
        done[2]["problem"]
            .as_str()
            .unwrap_or("")
            .contains("T-MISSING の転出証明書情報が届いていない"),
        "{v}"
    );

    // The prepared case holds the household's 転入 and the procedures found.
    let (s, case) = app
        .send(get("/api/v1/cases/arrival-T-DEMO-0001", &token))
        .await;
    assert_eq!(s, axum::http::StatusCode::OK, "{case}");
    let doc = &case["document"];
    assert_eq!(doc["notifications"][0]["kind"], "転入");
    assert_eq!(doc["notifications"][0]["notice_no"], "T-DEMO-0001");
    assert_eq!(
        doc["notifications"][0]["members"].as_array().map(Vec::len),
        Some(4)
    );
    assert!(doc["procedures"].as_array().is_some_and(|p| p.len() >= 3));

    // Preparing again (staff, or the evening job) makes no second case and no second history entry.
    let (s, v) = app.send(post("/api/v1/arrivals/T-DEMO-0001/prepare")).await;
    assert_eq!(
        (s, &v["case_id"]),
        (
            axum::http::StatusCode::OK,
            &serde_json::json!("arrival-T-DEMO-0001")
        )
    );
    let state = madoguchi_server::AppState::new(app.store.clone(), Default::default());
    let (prepared, problems) =
        madoguchi_server::arrivals::schedule::prepare_tomorrow(&state, &[TenantId("t1".into())])
            .await;
    assert_eq!(
        (prepared, problems),
        (0, 1),
        "only T-MISSING is still planned"
    );
    let (_, history) = app
        .store
        .get_case(&TenantId("t1".into()), "arrival-T-DEMO-0001")
        .expect("read")
        .expect("case");
    assert_eq!(history.len(), 1, "made once");

    // The list shows it prepared; one opened shows its household and procedures.
    let (_, v) = app.send(get("/api/v1/arrivals", &token)).await;
    assert_eq!(v[0]["status"], "prepared");
    assert_eq!(v[0]["prepared_case_id"], "arrival-T-DEMO-0001");
    assert!(v[0]["procedures"].as_u64().unwrap_or(0) >= 3);
    assert!(
        v[2]["problem"]
            .as_str()
            .is_some_and(|p| p.contains("届いていない"))
    );
    let (s, v) = app.send(get("/api/v1/arrivals/T-DEMO-0001", &token)).await;
    assert_eq!(s, axum::http::StatusCode::OK, "{v}");
    assert_eq!(v["notice"]["members"].as_array().map(Vec::len), Some(4));
    assert!(
        v["procedure_names"]
            .as_array()
            .is_some_and(|p| !p.is_empty())
    );
    assert_eq!(v["arrival"]["address_masked"], false);

    // The counter's name search leads to the prepared case.
    let (s, v) = app
        .send(get(
            &format!(
                "/api/v1/incoming-moves?q={}",
                madoguchi_testkit::app::enc("ヤマダ")
            ),
            &token,
        ))
        .await;
    assert_eq!(s, axum::http::StatusCode::OK, "{v}");
    assert_eq!(v[0]["prepared_case_id"], "arrival-T-DEMO-0001");

    let (s, v) = app.send(get("/api/v1/arrivals/T-NONE", &token)).await;
    assert_eq!(s, axum::http::StatusCode::NOT_FOUND, "{v}");
    assert_eq!(v["error"]["message"], "転入予約が見つかりません。");
    let (s, v) = app.send(get("/api/v1/arrivals?date=明日", &token)).await;
    assert_eq!(s, axum::http::StatusCode::BAD_REQUEST, "{v}");
    let reads = audited(app.store.as_ref(), "arrival.read");
    assert!(
        reads.contains(&"notice:T-DEMO-0001 ok".to_owned()),
        "{reads:?}"
    );
    assert!(
        reads.contains(&"notice:T-NONE not_found".to_owned()),
        "{reads:?}"
    );
    let prepares = audited(app.store.as_ref(), "arrival.prepare");
    assert!(
        prepares
            .iter()
            .any(|p| p.starts_with("notice:T-MISSING") && p.ends_with("unknown_notice")),
        "{prepares:?}"
    );
}

#[tokio::test]
async fn saving_the_prepared_case_at_the_counter_marks_the_household_arrived() {
    use madoguchi_testkit::app::{get, req};
    let app = app();
    let token = app.login_as("t1", "staff", "1").await;
    let (s, v) = app
        .send(req(
            axum::http::Method::POST,
            "/api/v1/arrivals/T-DEMO-0001/prepare",
            &token,
            &serde_json::json!({}),
        ))
        .await;
    assert_eq!(s, axum::http::StatusCode::OK, "{v}");
    let (_, case) = app
        .send(get("/api/v1/cases/arrival-T-DEMO-0001", &token))
        .await;
    let save = serde_json::json!({"write_id": "w-arrived-1", "revision": case["revision"],
        "status": "open", "document": case["document"]});
    let (s, v) = app
        .send(req(
            axum::http::Method::PUT,
            "/api/v1/cases/arrival-T-DEMO-0001",
            &token,
            &save,
        ))
        .await;
    assert_eq!(s, axum::http::StatusCode::OK, "{v}");
    let (_, v) = app.send(get("/api/v1/arrivals", &token)).await;
    assert_eq!(v[0]["status"], "arrived", "{v}");
    assert_eq!(
        audited(app.store.as_ref(), "reservation.arrived"),
        vec!["case:arrival-T-DEMO-0001 ok".to_owned()]
    );
    // The same save again (a retry) changes nothing more.
    let (s, _) = app
        .send(req(
            axum::http::Method::PUT,
            "/api/v1/cases/arrival-T-DEMO-0001",
            &token,
            &save,
        ))
        .await;
    assert_eq!(s, axum::http::StatusCode::OK);
    assert_eq!(audited(app.store.as_ref(), "reservation.arrived").len(), 1);
}
