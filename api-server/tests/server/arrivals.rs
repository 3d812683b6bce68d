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
