//! The inbound linkage job against a real store and exchange (a local folder, and moto's S3 server):
//! order per feed, completeness, refusals with their reports, duplicates, history rows, 支援措置, 資格
//! and 印鑑登録.

use std::sync::Arc;

use madoguchi_core::ids::AtenaNo;
use madoguchi_objects::{Exchange, ObjectsConfig};
use madoguchi_server::linkage::{Job, Manifest};
use madoguchi_store::{LinkageOutcome, ResidentQuery, Store, TenantId};
use madoguchi_store_sqlite::SqliteStore;
use madoguchi_testkit::app::{TestApp, get};
use madoguchi_testkit::moto::Moto;
use madoguchi_testkit::residents::{atena, csv, header, options, row, small_city, today};
use madoguchi_testkit::staff::{setup_event, staff_with_all_permissions};

use crate::common::case_document;

struct World {
    _dir: tempfile::TempDir,
    store: Arc<dyn Store>,
    ex: Exchange,
    job: Job,
    tenant: TenantId,
}

fn world_on(ex: Exchange) -> World {
    let dir = tempfile::tempdir().expect("tempdir");
    let store: Arc<dyn Store> =
        Arc::new(SqliteStore::open(&dir.path().join("db.sqlite3")).expect("store"));
    let tenant = TenantId("city-a".into());
    store.ensure_tenant(&tenant, "さくら野市").expect("tenant");
    let job = Job::new(store.clone(), ex.clone(), vec![tenant.clone()], 60);
    World {
        _dir: dir,
        store,
        ex,
        job,
        tenant,
    }
}

fn world() -> (World, tempfile::TempDir) {
    let folder = tempfile::tempdir().expect("exchange");
    let ex = Exchange::open(&ObjectsConfig::local(folder.path())).expect("exchange");
    (world_on(ex), folder)
}

fn sha(bytes: &[u8]) -> String {
    madoguchi_server::import::sha256_hex(bytes).expect("hash")
}

impl World {
    /// Delivers a file with an end-trigger (or a manifest when `manifest` is given).
    async fn deliver(&self, feed: &str, name: &str, bytes: &[u8], manifest: Option<Manifest>) {
        let key = format!("city-a/inbound/{feed}/{name}");
        self.ex.write(&key, bytes.to_vec()).await.expect("write");
        match manifest {
            Some(m) => self
                .ex
                .write(
                    &format!("{key}.manifest"),
                    serde_json::to_vec(&m).expect("json"),
                )
                .await
                .expect("manifest"),
            None => self
                .ex
                .write(&format!("{key}.end"), Vec::new())
                .await
                .expect("end"),
        }
    }

    async fn keys(&self, dir: &str) -> Vec<String> {
        self.ex
            .list(&format!("city-a/{dir}"))
            .await
            .expect("list")
            .into_iter()
            .map(|o| o.key.trim_start_matches("city-a/").to_owned())
            .collect()
    }

    fn count(&self) -> u64 {
        self.store.count_residents(&self.tenant).expect("count")
    }

    fn name_of(&self, seq: u64) -> Option<String> {
        self.store
            .get_resident(&self.tenant, &AtenaNo::from_sequence(seq))
            .expect("get")
            .map(|r| r.name.full)
    }

    fn outcomes(&self, feed: &str) -> Vec<(String, LinkageOutcome)> {
        let mut v: Vec<_> = self
            .store
            .linkage_files(&self.tenant, Some(feed), 100)
            .expect("ledger")
            .into_iter()
            .map(|f| (f.name, f.outcome))
            .collect();
        v.reverse();
        v
    }
}

fn population(n: u64) -> String {
    csv(&(1..=n)
        .map(|i| row(i, i, &[("氏名", &format!("山田\u{3000}{i}郎"))]))
        .collect::<Vec<_>>())
}

#[tokio::test]
async fn full_then_deltas_in_order_with_waiting_and_gaps() {
    let (w, _folder) = world();
    // A delta that arrives before its full load waits.
    let d2 = csv(&[row(2, 2, &[("氏名", "山田\u{3000}次郎改")])]);
    w.deliver("001o006", "delta_000002.csv", d2.as_bytes(), None)
        .await;
    assert!(w.job.poll(today()).await.is_empty());
    let waiting = w.job.feed_poll(&w.tenant, "001o006").waiting;
    assert_eq!(waiting.len(), 1);
    assert!(waiting[0].reason.contains("全件"), "{}", waiting[0].reason);
    assert_eq!(w.count(), 0);

    // A file still being written (no end-trigger) is not taken.
    let full = population(3);
    w.ex.write(
        "city-a/inbound/001o006/full_000001.csv",
        full.clone().into_bytes(),
    )
    .await
    .expect("write");
    assert!(w.job.poll(today()).await.is_empty());
    assert_eq!(w.count(), 0);
    w.ex.write("city-a/inbound/001o006/full_000001.csv.end", Vec::new())
        .await
        .expect("end");

    // Now the full load and then the waiting delta, in 連番 order, in one poll.
    let done = w.job.poll(today()).await;
    assert_eq!(
        done.iter()
            .map(|h| (h.name.as_str(), h.outcome))
            .collect::<Vec<_>>(),
        vec![
            ("full_000001.csv", LinkageOutcome::Applied),
            ("delta_000002.csv", LinkageOutcome::Applied)
        ]
    );
    assert_eq!(w.count(), 3);
    assert_eq!(w.name_of(2).as_deref(), Some("山田\u{3000}次郎改"));
    assert_eq!(
        w.keys("processed").await,
        vec![
            "processed/001o006/delta_000002.csv",
            "processed/001o006/delta_000002.csv.end",
            "processed/001o006/full_000001.csv",
            "processed/001o006/full_000001.csv.end"
        ]
    );
    assert!(w.keys("inbound").await.is_empty());

    // A gap: 連番 4 waits for 3.
    let d4 = csv(&[row(4, 4, &[("氏名", "新井\u{3000}四郎")])]);
    w.deliver("001o006", "delta_000004.csv", d4.as_bytes(), None)
        .await;
    assert!(w.job.poll(today()).await.is_empty());
    let waiting = w.job.feed_poll(&w.tenant, "001o006").waiting;
    assert!(waiting[0].reason.contains("連番 3"), "{waiting:?}");
    let d3 = format!("{},削除フラグ\n{},1\n", header().join(","), row(3, 3, &[]));
    w.deliver("001o006", "delta_000003_20261123.csv", d3.as_bytes(), None)
        .await;
    let done = w.job.poll(today()).await;
    assert_eq!(done.len(), 2);
    assert_eq!(w.name_of(3), None, "removed by 連番 3");
    assert_eq!(
        w.name_of(4).as_deref(),
        Some("新井\u{3000}四郎"),
        "then 連番 4"
    );

    // A newer full load supersedes a delta stuck behind a gap (it removes nobody: a full file that
    // removes more than 5 % waits for an admin, see point 17 below).
    w.deliver("001o006", "delta_000007.csv", d4.as_bytes(), None)
        .await;
    w.deliver("001o006", "full_000008.csv", population(4).as_bytes(), None)
        .await;
    let done = w.job.poll(today()).await;
    assert_eq!(
        done.iter()
            .map(|h| (h.name.as_str(), h.outcome))
            .collect::<Vec<_>>(),
        vec![
            ("delta_000007.csv", LinkageOutcome::Rejected),
            ("full_000008.csv", LinkageOutcome::Applied)
        ]
    );
    assert_eq!(w.count(), 4);
    let report =
        w.ex.read("city-a/error/001o006/delta_000007.csv.errors.csv")
            .await
            .expect("report");
    assert!(String::from_utf8_lossy(&report).contains("連番 8"));
}

#[tokio::test]
async fn bad_files_change_nothing_and_land_in_error_with_a_report() {
    let (w, _folder) = world();
    let full = population(5);
    w.deliver("001o006", "full_000001.csv", full.as_bytes(), None)
        .await;
    w.job.poll(today()).await;
    assert_eq!(w.count(), 5);

    // Corrupt: the manifest's hash does not match.
    let d2 = csv(&[row(1, 1, &[("氏名", "壊れ\u{3000}太郎")])]);
    w.deliver(
        "001o006",
        "delta_000002.csv",
        d2.as_bytes(),
        Some(Manifest {
            size: d2.len() as u64,
            sha256: sha(b"something else"),
            encoding: None,
        }),
    )
    .await;
    // Truncated: cut in the middle of a record, with an end-trigger.
    let cut = &d2.as_bytes()[..d2.len() - 40];
    w.deliver("001o006", "delta_000003.csv", cut, None).await;
    let done = w.job.poll(today()).await;
    assert_eq!(done.len(), 1, "連番 3 waits behind the refused 連番 2");
    assert_eq!(done[0].outcome, LinkageOutcome::Rejected);
    assert_eq!(w.name_of(1).as_deref(), Some("山田\u{3000}1郎"));

    // The corrected 連番 2 (right manifest, but written in Shift_JIS without saying so): refused.
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&d2);
    w.deliver(
        "001o006",
        "delta_000002.csv",
        &sjis,
        Some(Manifest {
            size: sjis.len() as u64,
            sha256: sha(&sjis),
            encoding: None,
        }),
    )
    .await;
    let done = w.job.poll(today()).await;
    assert_eq!(done[0].outcome, LinkageOutcome::Rejected);
    // Declared as cp932 it is applied; then 連番 3 (truncated) is refused with its line.
    w.deliver(
        "001o006",
        "delta_000002.csv",
        &sjis,
        Some(Manifest {
            size: sjis.len() as u64,
            sha256: sha(&sjis),
            encoding: Some("cp932".into()),
        }),
    )
    .await;
    let done = w.job.poll(today()).await;
    assert_eq!(
        done.iter().map(|h| h.outcome).collect::<Vec<_>>(),
        vec![LinkageOutcome::Applied, LinkageOutcome::Rejected]
    );
    assert_eq!(w.name_of(1).as_deref(), Some("壊れ\u{3000}太郎"));
    assert_eq!(w.count(), 5);
    let report = String::from_utf8(
        w.ex.read("city-a/error/001o006/delta_000003.csv.errors.csv")
            .await
            .expect("report")
            .to_vec(),
    )
    .expect("utf-8");
    assert!(report.starts_with("\u{FEFF}行,列,内容\r\n2,"), "{report}");
    // An out-of-order file: 連番 2 again with other content after 連番 2 was applied.
    w.deliver(
        "001o006",
        "delta_000002.csv",
        population(1).as_bytes(),
        None,
    )
    .await;
    let done = w.job.poll(today()).await;
    assert_eq!(done[0].outcome, LinkageOutcome::Rejected);
    assert_eq!(
        w.name_of(1).as_deref(),
        Some("壊れ\u{3000}太郎"),
        "unchanged"
    );
    // A bad row: named by line and column, nothing applied.
    let d3 = csv(&[row(6, 6, &[]), row(7, 7, &[("生年月日", "2099-01-01")])]);
    w.deliver("001o006", "delta_000003.csv", d3.as_bytes(), None)
        .await;
    w.job.poll(today()).await;
    assert_eq!(w.count(), 5);
    let report = String::from_utf8(
        w.ex.read("city-a/error/001o006/delta_000003.csv.errors.csv")
            .await
            .expect("report")
            .to_vec(),
    )
    .expect("utf-8");
    assert!(report.contains("\r\n3,生年月日,"), "{report}");
    let ledger = w
        .store
        .linkage_files(&w.tenant, Some("001o006"), 1)
        .expect("ledger");
    assert_eq!(ledger[0].outcome, LinkageOutcome::Rejected);
    assert!(
        ledger[0]
            .message
            .as_deref()
            .unwrap_or("")
            .starts_with("3行目 生年月日"),
        "{:?}",
        ledger[0].message
    );
    assert_eq!(
        w.outcomes("001o006")
            .iter()
            .filter(|(_, o)| *o == LinkageOutcome::Rejected)
            .count(),
        5
    );
    assert!(w.keys("inbound").await.is_empty(), "every file was handled");
}

#[tokio::test]
async fn the_same_file_twice_is_applied_once() {
    let (w, _folder) = world();
    let full = population(3);
    w.deliver("001o006", "full_000001.csv", full.as_bytes(), None)
        .await;
    w.job.poll(today()).await;
    let d2 = csv(&[row(1, 1, &[("氏名", "二度\u{3000}太郎")])]);
    w.deliver("001o006", "delta_000002.csv", d2.as_bytes(), None)
        .await;
    w.job.poll(today()).await;
    // Delivered again (a retry of the sender): taken, not applied, moved to processed/.
    w.deliver("001o006", "delta_000002.csv", d2.as_bytes(), None)
        .await;
    let done = w.job.poll(today()).await;
    assert_eq!(done[0].outcome, LinkageOutcome::Applied);
    assert_eq!(done[0].counts, Default::default());
    let ledger = w
        .store
        .linkage_files(&w.tenant, Some("001o006"), 1)
        .expect("ledger");
    assert!(
        ledger[0]
            .message
            .as_deref()
            .unwrap_or("")
            .contains("適用済み")
    );
    let audit = w
        .store
        .audit_records(
            &w.tenant,
            chrono::Utc::now() - chrono::Duration::hours(1),
            chrono::Utc::now() + chrono::Duration::hours(1),
        )
        .expect("audit");
    assert_eq!(
        audit
            .iter()
            .filter(|r| r.event.action == "linkage.import" && r.event.result == "applied")
            .count(),
        2,
        "two imports applied and audited, the repeat is not"
    );
}

#[tokio::test]
async fn history_rows_resolve_to_the_current_state() {
    let (w, _folder) = world();
    let mut header = header().join(",");
    header.push_str(",履歴番号,履歴番号枝番,最新フラグ\n");
    let line = |seq: u64, name: &str, rireki: &str, eda: &str, latest: &str| {
        format!(
            "{},{rireki},{eda},{latest}\n",
            row(seq, seq, &[("氏名", name)])
        )
    };
    let text = header
        + &line(1, "旧姓\u{3000}花子", "1", "0", "0")
        + &line(1, "現在\u{3000}花子", "2", "1", "1")
        + &line(1, "途中\u{3000}花子", "2", "0", "1")
        + &line(2, "山田\u{3000}二郎", "1", "", "1");
    w.deliver("001o006", "full_000001.csv", text.as_bytes(), None)
        .await;
    let done = w.job.poll(today()).await;
    assert_eq!(
        done[0].outcome,
        LinkageOutcome::Applied,
        "{:?}",
        w.store.linkage_files(&w.tenant, None, 1)
    );
    assert_eq!(w.count(), 2);
    assert_eq!(w.name_of(1).as_deref(), Some("現在\u{3000}花子"));
}

#[tokio::test]
async fn support_measures_and_qualifications() {
    let (w, _folder) = world();
    let full = csv(&[
        row(1, 100, &[]),
        row(2, 100, &[("続柄表記", "妻"), ("氏名", "山田\u{3000}花子")]),
        row(3, 300, &[]),
    ]);
    w.deliver("001o006", "full_000001.csv", full.as_bytes(), None)
        .await;
    let sm = format!(
        "市区町村コード,宛名番号,措置区分,支援措置開始年月日,支援措置終了年月日,履歴番号,最新フラグ\n102121,{},1,2026-04-01,2027-03-31,1,1\n",
        atena(2)
    );
    w.deliver("001o009", "full_000001.csv", sm.as_bytes(), None)
        .await;
    let el = format!(
        "宛名番号,資格種別,資格取得日,資格喪失日\n{a1},国保,2020-04-01,\n{a1},国民年金,1995-01-01,\n{a3},後期高齢,2025-12-31,\n",
        a1 = atena(1),
        a3 = atena(3)
    );
    w.deliver("shikaku", "full_000001.csv", el.as_bytes(), None)
        .await;
    let done = w.job.poll(today()).await;
    assert_eq!(done.len(), 3, "{done:?}");
    assert!(done.iter().all(|h| h.outcome == LinkageOutcome::Applied));
    let protected = w
        .store
        .protected_households(
            &w.tenant,
            &[AtenaNo::from_sequence(100), AtenaNo::from_sequence(300)],
        )
        .expect("protected");
    assert_eq!(
        protected,
        [AtenaNo::from_sequence(100)].into_iter().collect()
    );
    let found = w
        .store
        .search_residents(
            &w.tenant,
            &ResidentQuery {
                atena_no: Some(AtenaNo::from_sequence(2)),
                limit: 1,
                ..Default::default()
            },
        )
        .expect("search");
    assert!(found[0].support_measure.is_protected());
    let el = w
        .store
        .qualifications(
            &w.tenant,
            &[AtenaNo::from_sequence(1), AtenaNo::from_sequence(3)],
        )
        .expect("qualifications");
    assert_eq!(
        el.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
        vec!["kokuho", "nenkin", "kouki"]
    );
    // The measure ends by a delta (措置区分 3).
    let end = format!("宛名番号,措置区分\n{},3\n", atena(2));
    w.deliver("001o009", "delta_000002.csv", end.as_bytes(), None)
        .await;
    w.job.poll(today()).await;
    assert!(
        w.store
            .protected_households(&w.tenant, &[AtenaNo::from_sequence(100)])
            .expect("protected")
            .is_empty()
    );
    // A bad 資格 row is refused with its line and column.
    let bad = format!("宛名番号,資格種別\n{},健保\n", atena(1));
    w.deliver("shikaku", "delta_000002.csv", bad.as_bytes(), None)
        .await;
    w.job.poll(today()).await;
    let report = String::from_utf8(
        w.ex.read("city-a/error/shikaku/delta_000002.csv.errors.csv")
            .await
            .expect("report")
            .to_vec(),
    )
    .expect("utf-8");
    assert!(report.contains("\r\n2,資格種別,"), "{report}");
}

/// A tiny PNG (its magic bytes and a little more) as the 印影 of resident `seq`.
fn seal_png(seq: u64) -> Vec<u8> {
    let mut v = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    v.extend(seq.to_be_bytes());
    v
}

/// An `inkan` file: residents in force with their 印影, then `abolished` ones (廃止).
fn seals(active: impl IntoIterator<Item = u64>, abolished: &[u64]) -> String {
    use base64::Engine as _;
    let mut s =
        "宛名番号,印鑑登録番号,登録年月日,登録状態,廃止年月日,印影データ,印影_幅mm,印影_高さmm\n"
            .to_owned();
    for seq in active {
        let image = base64::engine::general_purpose::STANDARD.encode(seal_png(seq));
        s.push_str(&format!(
            "{},{:06},2015-04-01,1,,{image},15.0,15.0\n",
            atena(seq),
            seq
        ));
    }
    for seq in abolished {
        s.push_str(&format!(
            "{},{:06},2015-04-01,2,2026-10-01,,,\n",
            atena(*seq),
            seq
        ));
    }
    s
}

#[tokio::test]
async fn seal_registrations_with_reports_and_the_removal_hold() {
    let (w, _folder) = world();
    let seal = |seq: u64| {
        w.store
            .seal_registration(&w.tenant, &AtenaNo::from_sequence(seq))
            .expect("read")
    };
    let in_force = || {
        w.store
            .active_seal_registrations(&w.tenant)
            .expect("active")
            .len()
    };
    // A full file: 20 seals in force, one 廃止.
    w.deliver(
        "inkan",
        "full_000001.csv",
        seals(1..=20, &[21]).as_bytes(),
        None,
    )
    .await;
    let done = w.job.poll(today()).await;
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].outcome, LinkageOutcome::Applied, "{done:?}");
    let one = seal(1).expect("registered");
    assert_eq!(one.registration_no, "000001");
    assert_eq!(one.image.as_deref(), Some(&seal_png(1)[..]));
    assert_eq!(one.image_type.as_deref(), Some("png"));
    assert_eq!(
        (one.width_tenth_mm, one.height_tenth_mm),
        (Some(150), Some(150))
    );
    assert_eq!(
        seal(21).expect("kept").abolished_on,
        chrono::NaiveDate::from_ymd_opt(2026, 10, 1)
    );
    assert_eq!(in_force(), 20);
    assert!(
        w.keys("processed")
            .await
            .contains(&"processed/inkan/full_000001.csv".to_owned())
    );

    // A bad row refuses the whole file with a Japanese report naming the line and column.
    use base64::Engine as _;
    let gif = base64::engine::general_purpose::STANDARD.encode(b"GIF89a....");
    let bad = format!(
        "宛名番号,印鑑登録番号,登録年月日,登録状態,廃止年月日,印影データ,印影_幅mm,印影_高さmm\n{},000001,2026-11-01,2,2026-11-20,,,\n{},000022,2026-11-01,1,,{gif},30,15\n",
        atena(1),
        atena(22)
    );
    w.deliver("inkan", "delta_000002.csv", bad.as_bytes(), None)
        .await;
    let done = w.job.poll(today()).await;
    assert_eq!(done[0].outcome, LinkageOutcome::Rejected);
    assert!(seal(1).expect("kept").is_active(), "nothing applied");
    assert_eq!(seal(22), None);
    let report = String::from_utf8(
        w.ex.read("city-a/error/inkan/delta_000002.csv.errors.csv")
            .await
            .expect("report")
            .to_vec(),
    )
    .expect("utf-8");
    assert!(
        report.contains("\r\n3,印影データ,印影データは PNG または JPEG の画像にしてください。\r\n"),
        "{report}"
    );
    assert!(report.contains("\r\n3,印影_幅mm,"), "{report}");
    let ledger = w
        .store
        .linkage_files(&w.tenant, Some("inkan"), 1)
        .expect("ledger");
    assert!(
        ledger[0]
            .message
            .as_deref()
            .unwrap_or("")
            .starts_with("3行目 印影データ"),
        "{:?}",
        ledger[0].message
    );

    // A truncated full file (10 of the 20 seals in force) is held: nothing is cancelled.
    let truncated = seals(1..=10, &[]);
    w.deliver("inkan", "full_000002.csv", truncated.as_bytes(), None)
        .await;
    for _ in 0..2 {
        assert!(w.job.poll(today()).await.is_empty(), "nothing applied");
        assert_eq!(in_force(), 20, "every seal stays in force");
    }
    let waiting = w.job.feed_poll(&w.tenant, "inkan").waiting;
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    assert_eq!(
        waiting[0].reason,
        "全件ファイルで現在の印鑑登録 20 件のうち 50.0 %（10 件）が廃止または削除されるため、管理者の確認を待っています（上限 5 %）。"
    );
    let hold = waiting[0].hold.clone().expect("held");
    assert_eq!((hold.current, hold.removed), (20, 10));
    // The CLI's path confirms it; the next poll applies it once.
    let found = w
        .job
        .inspect(&w.tenant, "inkan", "full_000002.csv")
        .await
        .expect("exchange")
        .expect("a held file");
    assert_eq!(found.sha256, hold.sha256);
    madoguchi_server::linkage::record_confirmation(
        w.store.as_ref(),
        &w.tenant,
        "inkan",
        &madoguchi_server::linkage::Confirmation {
            file: "full_000002.csv".into(),
            sha256: found.sha256,
            current: 20,
            removed: 10,
            by: "cli".into(),
            at: chrono::Utc::now(),
        },
        &setup_event(&w.tenant, "linkage.confirm"),
    )
    .expect("confirm");
    let done = w.job.poll(today()).await;
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].outcome, LinkageOutcome::Applied);
    assert_eq!(in_force(), 10);
    assert_eq!(seal(21), None, "a full file replaces every registration");

    // Deltas: one abolished, one removed (削除フラグ), one new; no hold for deltas.
    let delta = format!(
        "宛名番号,印鑑登録番号,登録年月日,登録状態,廃止年月日,削除フラグ\n{},000001,2015-04-01,廃止,2026-11-20,\n{},,,,,1\n",
        atena(1),
        atena(2)
    );
    w.deliver("inkan", "delta_000003.csv", delta.as_bytes(), None)
        .await;
    let done = w.job.poll(today()).await;
    assert_eq!(done[0].outcome, LinkageOutcome::Applied, "{done:?}");
    assert_eq!(
        seal(1).expect("kept").abolished_on,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 20)
    );
    assert_eq!(seal(2), None);
    assert_eq!(in_force(), 8);
}

#[tokio::test]
async fn card_serials_are_imported_looked_up_and_refused_with_a_report() {
    let (w, _folder) = world();
    let card = |serial: &str| {
        w.store
            .resident_by_card_serial(&w.tenant, serial)
            .expect("read")
    };
    let full = format!(
        "宛名番号,シリアル番号,失効年月日\n{a1},00:4D:01,\n{a1},3c01,2024-03-31\n{a2},8F02,\n",
        a1 = atena(1),
        a2 = atena(2)
    );
    w.deliver("cards", "full_000001.csv", full.as_bytes(), None)
        .await;
    let done = w.job.poll(today()).await;
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].outcome, LinkageOutcome::Applied, "{done:?}");
    assert_eq!(done[0].counts.inserted, 3);
    let one = card("4d01").expect("stored normalized");
    assert_eq!(
        (one.atena_no, one.revoked_on),
        (AtenaNo::from_sequence(1), None)
    );
    assert!(!card("3c01").expect("kept").is_active());
    assert!(
        w.keys("processed")
            .await
            .contains(&"processed/cards/full_000001.csv".to_owned())
    );

    // A bad row refuses the whole file with a Japanese report naming the line and column.
    let bad = format!(
        "宛名番号,シリアル番号,削除フラグ\n,8f02,1\n{},0x99,\n",
        atena(3)
    );
    w.deliver("cards", "delta_000002.csv", bad.as_bytes(), None)
        .await;
    let done = w.job.poll(today()).await;
    assert_eq!(done[0].outcome, LinkageOutcome::Rejected);
    assert!(card("8f02").is_some(), "nothing applied");
    let report = String::from_utf8(
        w.ex.read("city-a/error/cards/delta_000002.csv.errors.csv")
            .await
            .expect("report")
            .to_vec(),
    )
    .expect("utf-8");
    assert!(report.contains("\r\n3,シリアル番号,"), "{report}");

    // The corrected delta removes by serial and adds.
    let delta = format!(
        "宛名番号,シリアル番号,削除フラグ\n,8f02,1\n{},99,\n",
        atena(3)
    );
    w.deliver("cards", "delta_000002.csv", delta.as_bytes(), None)
        .await;
    let done = w.job.poll(today()).await;
    assert_eq!(done[0].outcome, LinkageOutcome::Applied, "{done:?}");
    assert_eq!(card("8f02"), None);
    assert_eq!(
        card("99").map(|c| c.atena_no),
        Some(AtenaNo::from_sequence(3))
    );
}

#[tokio::test]
async fn a_delta_of_1000_changes_is_applied_and_searchable() {
    let (w, _folder) = world();
    w.deliver(
        "001o006",
        "full_000001.csv",
        population(2000).as_bytes(),
        None,
    )
    .await;
    w.job.poll(today()).await;
    let delta = csv(&(1..=1000)
        .map(|i| row(i * 2, i * 2, &[("氏名", &format!("差分\u{3000}{i}"))]))
        .collect::<Vec<_>>());
    w.deliver("001o006", "delta_000002.csv", delta.as_bytes(), None)
        .await;
    let done = w.job.poll(today()).await;
    assert_eq!(done[0].counts.updated, 1000);
    let hits = w
        .store
        .search_residents(
            &w.tenant,
            &ResidentQuery {
                name: Some(madoguchi_core::text::search_key("差分")),
                limit: 2000,
                ..Default::default()
            },
        )
        .expect("search");
    assert_eq!(hits.len(), 1000);
}

#[tokio::test]
async fn s3_round_trip_on_a_local_s3_server() {
    let moto = Moto::start();
    moto.create_bucket("renkei");
    let ex = Exchange::open(&moto.config("s3://renkei/madoguchi")).expect("s3");
    let w = world_on(ex);
    let full = population(3);
    w.deliver(
        "001o006",
        "full_000001.csv",
        full.as_bytes(),
        Some(Manifest {
            size: full.len() as u64,
            sha256: sha(full.as_bytes()),
            encoding: Some("utf-8".into()),
        }),
    )
    .await;
    w.deliver("001o006", "delta_000002.csv", b"broken\n", None)
        .await;
    let done = w.job.poll(today()).await;
    assert_eq!(
        done.iter().map(|h| h.outcome).collect::<Vec<_>>(),
        vec![LinkageOutcome::Applied, LinkageOutcome::Rejected]
    );
    assert_eq!(w.count(), 3);
    let listing = moto.list_bucket("renkei");
    for key in [
        "madoguchi/city-a/processed/001o006/full_000001.csv",
        "madoguchi/city-a/processed/001o006/full_000001.csv.manifest",
        "madoguchi/city-a/error/001o006/delta_000002.csv",
        "madoguchi/city-a/error/001o006/delta_000002.csv.errors.csv",
    ] {
        assert!(
            listing.contains(&format!("<Key>{key}</Key>")),
            "{key}: {listing}"
        );
    }
    assert!(!listing.contains("/inbound/"), "{listing}");
}

#[tokio::test]
async fn admins_see_the_status_of_every_feed() {
    use axum::body::Body;
    use axum::http::{Request, StatusCode};

    let (w, _folder) = world();
    staff_with_all_permissions(w.store.as_ref(), &w.tenant);
    w.deliver("001o006", "full_000001.csv", population(4).as_bytes(), None)
        .await;
    w.deliver(
        "001o006",
        "delta_000003.csv",
        population(1).as_bytes(),
        None,
    )
    .await;
    w.deliver("001o009", "full_000001.csv", b"oops\n", None)
        .await;
    w.job.poll(today()).await;

    let mut state = madoguchi_server::AppState::new(w.store.clone(), Default::default());
    let job = Arc::new(Job::new(
        w.store.clone(),
        w.ex.clone(),
        vec![w.tenant.clone()],
        60,
    ));
    job.poll(today()).await;
    state.linkage = Some(job);
    let app = TestApp::from_state(state);
    let send = |req: Request<Body>| app.json(req);
    let token = app.login_as("city-a", "staff", "1").await;
    let (s, v) = send(get("/api/v1/linkage/status", &token)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["enabled"], true);
    assert_eq!(v["interval_seconds"], 60);
    assert!(v["last_poll_at"].is_string());
    let feeds = v["feeds"].as_array().expect("feeds");
    assert_eq!(
        feeds
            .iter()
            .map(|f| f["feed"].as_str().unwrap_or(""))
            .collect::<Vec<_>>(),
        vec![
            "001o006",
            "001o009",
            "shikaku",
            "inkan",
            "cards",
            "tax",
            "tenshutsu"
        ]
    );
    let jumin = &feeds[0];
    assert_eq!(jumin["label"], "住民情報");
    assert_eq!(jumin["last_applied"]["name"], "full_000001.csv");
    assert_eq!(jumin["last_applied"]["rows"], 4);
    assert_eq!(jumin["last_applied"]["inserted"], 4);
    assert_eq!(jumin["waiting"][0]["name"], "delta_000003.csv");
    assert!(
        jumin["waiting"][0]["reason"]
            .as_str()
            .unwrap_or("")
            .contains("連番 2")
    );
    let shien = &feeds[1];
    assert!(shien["last_applied"].is_null());
    assert_eq!(shien["last_rejected"]["outcome"], "rejected");
    assert!(
        shien["last_rejected"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("未知の列"),
        "{shien}"
    );

    // The 資格 feed reaches the household view (手続きナビ starts from it): held today only.
    let el = format!(
        "宛名番号,資格種別,資格取得日,資格喪失日\n{a1},国保,2020-04-01,\n{a1},国民年金,1995-01-01,\n{a1},介護,2020-01-01,2021-01-01\n{a2},児童手当,2099-01-01,\n",
        a1 = atena(1),
        a2 = atena(2)
    );
    w.deliver("shikaku", "full_000001.csv", el.as_bytes(), None)
        .await;
    w.job.poll(today()).await;
    let (s, v) = send(get(&format!("/api/v1/households/{}", atena(1)), &token)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        v["members"][0]["qualifications"],
        serde_json::json!({"kokuho": true, "kouki": false, "kaigo": false, "nenkin": true, "jidou_teate": false})
    );
    let (_, v) = send(get(&format!("/api/v1/households/{}", atena(2)), &token)).await;
    assert_eq!(
        v["members"][0]["qualifications"]["jidou_teate"], false,
        "not yet acquired"
    );

    // Staff without view_qualifications see the household but not the 資格, and no linkage status.
    w.store
        .put_group(
            &w.tenant,
            &madoguchi_store::GroupRecord {
                code: "search-only".into(),
                name: "検索のみ".into(),
                permissions: madoguchi_store::PermissionSet::parse("search").expect("perms"),
            },
            &setup_event(&w.tenant, "group.put"),
        )
        .expect("group");
    let spec = madoguchi_server::auth::AccountSpec {
        login: "clerk",
        display_name: "窓口 二郎",
        password: "correct-horse-battery",
        groups: vec!["search-only".into()],
        valid_until: None,
    };
    madoguchi_server::auth::create_user(
        w.store.as_ref(),
        &w.tenant,
        &spec,
        &setup_event(&w.tenant, "user.create"),
    )
    .expect("user");
    let clerk = app.login_as("city-a", "clerk", "1").await;
    let (s, v) = send(get(&format!("/api/v1/households/{}", atena(1)), &clerk)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v["members"][0]["qualifications"].is_null(), "{v}");
    let (s, _) = send(get("/api/v1/linkage/status", &clerk)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

fn save_case(w: &World, id: &str, status: &str, rev: Option<i64>, certificates: bool) {
    let mut doc = case_document(&atena(1), "髙橋\u{3000}太郎");
    if certificates {
        // Read from the visitor's マイナンバーカード at the counter.
        doc["visitor"]["card"] = serde_json::json!({"name": "髙橋　太郎", "address": "群馬県さくら野市本町一丁目1番1号",
            "birth": "1975-01-01", "sex": "男"});
        doc["certificates"] = serde_json::json!([
            {"item": "JUMINHYO", "copies": 2, "name": "住民票の写し", "yen": 600},
            {"item": "INKAN", "copies": 1, "name": "印鑑登録証明書", "yen": 300, "exemption": null}
        ]);
    }
    // A second mover (a newcomer without 宛名番号) and a name with a comma to quote.
    doc["notifications"][0]["members"]
        .as_array_mut()
        .expect("members")
        .push(
            serde_json::json!({"name": "髙橋\u{3000}花子, 旧姓", "kana": "タカハシ　ハナコ",
            "facts": {"birth": "1978-03-03", "sex": "女", "relation": "妻", "mover": true}}),
        );
    let write = madoguchi_store::CaseWrite {
        case_id: id.into(),
        expected_revision: rev,
        status: status.into(),
        title: "転居".into(),
        subjects: vec![atena(1)],
        procedures: vec!["JUKI-TENKYO".into()],
        document: doc.to_string(),
        entry: madoguchi_store::CaseEntry {
            write_id: format!("{id}-{status}"),
            at: chrono::Utc::now(),
            user: "staff".into(),
            counter: "1".into(),
            terminal: None,
            lines: vec![format!("状態: {status}")],
        },
    };
    w.store
        .save_case(&w.tenant, &write, &setup_event(&w.tenant, "case.save"))
        .expect("case");
}

/// Every data row of every delivered outbound file of a kind (header and BOM removed).
async fn outbound_rows(w: &World, kind: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for o in w.keys(&format!("outbound/{kind}")).await {
        if !o.ends_with(".csv") {
            continue;
        }
        assert!(
            w.keys(&format!("outbound/{kind}"))
                .await
                .contains(&format!("{o}.end")),
            "{o} has its end-trigger"
        );
        let bytes = w.ex.read(&format!("city-a/{o}")).await.expect("read");
        let text = String::from_utf8(bytes.to_vec()).expect("utf-8");
        let text = text.strip_prefix('\u{FEFF}').expect("BOM");
        let mut rdr = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        for r in rdr.records() {
            rows.push(r.expect("row").iter().map(str::to_owned).collect());
        }
    }
    rows
}

#[tokio::test]
async fn outbound_files_hold_each_record_once_across_restarts() {
    let (w, folder) = world();
    save_case(&w, "case-1", "open", None, true);
    // Not accepted yet: nothing to write.
    assert!(
        w.job
            .export(&w.tenant, chrono::Utc::now())
            .await
            .expect("export")
            .is_empty()
    );
    save_case(&w, "case-1", "applied", Some(1), true);
    save_case(&w, "case-2", "applied", None, false);

    // The exchange fails while the batches are written (the outbound folder is a file): the batches
    // are recorded with their cases but not delivered.
    std::fs::create_dir_all(folder.path().join("city-a")).expect("dir");
    std::fs::write(folder.path().join("city-a/outbound"), b"in the way").expect("block");
    assert!(w.job.export(&w.tenant, chrono::Utc::now()).await.is_err());
    let undelivered = w
        .store
        .outbound_batches(&w.tenant, None, true, 10)
        .expect("batches");
    assert_eq!(
        undelivered.len(),
        1,
        "the run stopped at the first delivery"
    );

    // "Restart": a new job on the repaired exchange delivers the recorded batch as it was, then the
    // other kinds; a third run writes nothing new.
    std::fs::remove_file(folder.path().join("city-a/outbound")).expect("unblock");
    let job = Job::new(w.store.clone(), w.ex.clone(), vec![w.tenant.clone()], 60);
    let first = job
        .export(&w.tenant, chrono::Utc::now())
        .await
        .expect("export");
    assert_eq!(first[0].sha256, undelivered[0].sha256, "the same bytes");
    let kinds: Vec<&str> = first.iter().map(|b| b.kind.as_str()).collect();
    for k in ["kari_ido", "kari_kofu", "kenmen", "rpa"] {
        assert_eq!(
            kinds.iter().filter(|x| **x == k).count(),
            1,
            "{k}: {kinds:?}"
        );
    }
    assert!(!kinds.contains(&"ido"), "ido waits for 審査済");
    assert!(
        job.export(&w.tenant, chrono::Utc::now())
            .await
            .expect("again")
            .is_empty()
    );

    let kari = outbound_rows(&w, "kari_ido").await;
    assert_eq!(kari.len(), 4, "two movers in each of two cases");
    assert!(kari.iter().all(|r| r[0] == "仮"));
    assert_eq!(
        kari.iter().filter(|r| r[1] == "case-1").count(),
        2,
        "each record once"
    );
    assert!(
        kari.iter()
            .any(|r| r[10] == "髙橋\u{3000}花子, 旧姓" && r[9].is_empty())
    );
    let kofu = outbound_rows(&w, "kari_kofu").await;
    assert_eq!(
        kofu.len(),
        2,
        "case-1's two certificate lines; case-2 has none"
    );
    let kenmen = outbound_rows(&w, "kenmen").await;
    assert_eq!(kenmen.len(), 1, "only the case whose card was read");
    assert_eq!(
        kenmen[0][4..8],
        [
            "髙橋\u{3000}太郎",
            "群馬県さくら野市本町一丁目1番1号",
            "1975-01-01",
            "男"
        ]
    );
    let rpa = outbound_rows(&w, "rpa").await;
    let scenarios: Vec<&str> = rpa.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(
        scenarios,
        vec!["転居入力", "住民票発行", "印鑑証明書発行", "転居入力"]
    );

    // Reviewed: now the 本 files; saving the case again does not export it twice.
    save_case(&w, "case-1", "reviewed", Some(2), true);
    let done = job
        .export(&w.tenant, chrono::Utc::now())
        .await
        .expect("export");
    assert_eq!(
        done.iter().map(|b| b.kind.as_str()).collect::<Vec<_>>(),
        vec!["ido", "kofu"]
    );
    save_case(&w, "case-1", "closed", Some(3), true);
    assert!(
        job.export(&w.tenant, chrono::Utc::now())
            .await
            .expect("export")
            .is_empty()
    );
    let ido = outbound_rows(&w, "ido").await;
    assert_eq!(ido.len(), 2);
    assert_eq!(ido[0][8], atena(1));
    assert_eq!(ido[0][3], "転居");
    assert_eq!(outbound_rows(&w, "kari_ido").await.len(), 4, "unchanged");
    // Every file has a manifest that matches it.
    for o in w.keys("outbound").await {
        if let Some(data) = o.strip_suffix(".manifest") {
            let m: Manifest =
                serde_json::from_slice(&w.ex.read(&format!("city-a/{o}")).await.expect("manifest"))
                    .expect("json");
            let bytes = w.ex.read(&format!("city-a/{data}")).await.expect("data");
            assert_eq!((m.size, m.sha256), (bytes.len() as u64, sha(&bytes)));
        }
    }
}

/// Security II point 3: every outbound row says whether its case is under 支援措置, so that the core
/// systems and the RPA treat its addresses as protected.
#[tokio::test]
async fn point_03_outbound_rows_carry_the_support_measure_flag() {
    let (w, _folder) = world();
    let text = small_city();
    let r = madoguchi_server::import::import_residents(
        w.store.as_ref(),
        &w.tenant,
        text.as_bytes(),
        &options(madoguchi_store::ImportMode::Full, text.as_bytes()),
    )
    .expect("import");
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    for (id, who) in [("case-open-01", atena(1)), ("case-prot-01", atena(8))] {
        let doc = case_document(&who, "試験\u{3000}太郎");
        let write = madoguchi_store::CaseWrite {
            case_id: id.into(),
            expected_revision: None,
            status: "applied".into(),
            title: "転居".into(),
            subjects: vec![who.clone()],
            procedures: vec!["JUKI-TENKYO".into()],
            document: doc.to_string(),
            entry: madoguchi_store::CaseEntry {
                write_id: format!("{id}-w"),
                at: chrono::Utc::now(),
                user: "staff".into(),
                counter: "1".into(),
                terminal: None,
                lines: vec!["作成".into()],
            },
        };
        w.store
            .save_case(&w.tenant, &write, &setup_event(&w.tenant, "case.save"))
            .expect("case");
    }
    w.job
        .export(&w.tenant, chrono::Utc::now())
        .await
        .expect("export");
    for kind in ["kari_ido", "rpa"] {
        let bytes_rows = outbound_rows(&w, kind).await;
        let header = {
            let o = w
                .keys(&format!("outbound/{kind}"))
                .await
                .into_iter()
                .find(|k| k.ends_with(".csv"))
                .expect("file");
            let bytes = w.ex.read(&format!("city-a/{o}")).await.expect("read");
            String::from_utf8(bytes.to_vec())
                .expect("utf-8")
                .lines()
                .next()
                .unwrap_or_default()
                .to_owned()
        };
        let col = header
            .trim_start_matches('\u{FEFF}')
            .split(',')
            .position(|h| h == "支援措置")
            .expect("a 支援措置 column");
        let flags: std::collections::BTreeMap<String, String> = bytes_rows
            .iter()
            .map(|r| (r[if kind == "rpa" { 0 } else { 1 }].clone(), r[col].clone()))
            .collect();
        assert_eq!(
            flags,
            [
                ("case-open-01".to_owned(), "0".to_owned()),
                ("case-prot-01".to_owned(), "1".to_owned())
            ]
            .into_iter()
            .collect(),
            "{kind}"
        );
    }
}

/// Security II point 17: a full 住民情報 or 支援措置 file that would remove more than 5 % of the current
/// rows is not applied by itself: it waits in the inbound folder with its reason until an admin confirms
/// that very file (name and SHA-256), through the API or the CLI's library path, and the next poll then
/// applies it once. A full file removing at most 5 % applies at once, and a first load is never held.
#[tokio::test]
async fn point_17_a_full_file_that_removes_too_much_waits_for_an_admin() {
    use axum::body::Body;
    use axum::http::{Request, StatusCode, header};

    let (w, _folder) = world();
    staff_with_all_permissions(w.store.as_ref(), &w.tenant);
    // An importer sees the status but may not confirm.
    w.store
        .put_group(
            &w.tenant,
            &madoguchi_store::GroupRecord {
                code: "importers".into(),
                name: "取込担当".into(),
                permissions: madoguchi_store::PermissionSet::parse("import_data").expect("perms"),
            },
            &setup_event(&w.tenant, "group.put"),
        )
        .expect("group");
    madoguchi_server::auth::create_user(
        w.store.as_ref(),
        &w.tenant,
        &madoguchi_server::auth::AccountSpec {
            login: "importer",
            display_name: "取込 三郎",
            password: "correct-horse-battery",
            groups: vec!["importers".into()],
            valid_until: None,
        },
        &setup_event(&w.tenant, "user.create"),
    )
    .expect("user");
    let job = Arc::new(Job::new(
        w.store.clone(),
        w.ex.clone(),
        vec![w.tenant.clone()],
        60,
    ));
    assert_eq!(job.max_removal_percent(), 5, "the default");
    let mut state = madoguchi_server::AppState::new(w.store.clone(), Default::default());
    state.linkage = Some(job.clone());
    let app = TestApp::from_state(state);
    let send = |req: Request<Body>| app.json(req);
    let login = |user: &'static str| app.login_as("city-a", user, "1");
    let admin = login("staff").await;
    let importer = login("importer").await;
    let confirm = |token: &str, body: serde_json::Value| {
        Request::post("/api/v1/linkage/confirm")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .expect("request")
    };
    let names = |done: &[madoguchi_server::linkage::Handled]| {
        done.iter()
            .map(|h| (h.name.clone(), h.outcome))
            .collect::<Vec<_>>()
    };
    let applied = |n: &str| (n.to_owned(), LinkageOutcome::Applied);

    // --- 001o006 住民情報 -------------------------------------------------------------------------
    // The first load of an empty tenant is never held.
    w.deliver(
        "001o006",
        "full_000001.csv",
        population(100).as_bytes(),
        None,
    )
    .await;
    assert_eq!(
        names(&job.poll(today()).await),
        vec![applied("full_000001.csv")]
    );
    assert_eq!(w.count(), 100);

    // 10 of 100 residents missing (10 % > 5 %): held, and the delta behind it waits too.
    let full2 = population(90);
    w.deliver("001o006", "full_000002.csv", full2.as_bytes(), None)
        .await;
    let d3 = csv(&[row(1, 1, &[("氏名", "承認\u{3000}一郎")])]);
    w.deliver("001o006", "delta_000003.csv", d3.as_bytes(), None)
        .await;
    for _ in 0..2 {
        assert!(job.poll(today()).await.is_empty(), "nothing applied");
        assert_eq!(w.count(), 100, "every resident is still there");
    }
    let waiting = job.feed_poll(&w.tenant, "001o006").waiting;
    assert_eq!(waiting.len(), 2, "{waiting:?}");
    assert_eq!(waiting[0].name, "full_000002.csv");
    assert_eq!(
        waiting[0].reason,
        "全件ファイルで現在の住民 100 人のうち 10.0 %（10 人）が削除されるため、管理者の確認を待っています（上限 5 %）。"
    );
    let hold = waiting[0].hold.clone().expect("held");
    assert_eq!(
        (hold.current, hold.removed, hold.limit_percent),
        (100, 10, 5)
    );
    assert_eq!(hold.sha256, sha(full2.as_bytes()));
    assert!(
        waiting[1]
            .reason
            .contains("連番 2 の全件ファイルが管理者の確認を待っています"),
        "{waiting:?}"
    );
    assert!(
        w.keys("inbound")
            .await
            .contains(&"inbound/001o006/full_000002.csv".to_owned()),
        "the file stays in the exchange"
    );
    let (s, v) = send(get("/api/v1/linkage/status", &admin)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["feeds"][0]["waiting"][0]["hold"]["removed"], 10);
    assert!(
        v["feeds"][0]["waiting"][0]["reason"]
            .as_str()
            .unwrap_or("")
            .contains("管理者の確認を待っています")
    );

    // Only an admin confirms: an importer is refused (403), a wrong hash or a file not held is 409.
    let body =
        serde_json::json!({"feed": "001o006", "file": "full_000002.csv", "sha256": hold.sha256});
    let (s, v) = send(confirm(&importer, body.clone())).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    let (s, v) = send(confirm(
        &admin,
        serde_json::json!({"feed": "001o006", "file": "full_000002.csv", "sha256": sha(b"other")}),
    ))
    .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("file_changed"))
    );
    let (s, v) = send(confirm(
        &admin,
        serde_json::json!({"feed": "001o006", "file": "delta_000003.csv"}),
    ))
    .await;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("not_held"))
    );
    assert_eq!(w.count(), 100, "no confirmation, nothing applied");
    let (s, v) = send(confirm(&admin, body)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["removed"].as_u64(), v["current"].as_u64()),
        (Some(10), Some(100))
    );
    let audit = |action: &str| {
        w.store
            .audit_records(
                &w.tenant,
                chrono::Utc::now() - chrono::Duration::hours(1),
                chrono::Utc::now() + chrono::Duration::hours(1),
            )
            .expect("audit")
            .into_iter()
            .filter(|r| r.event.action == action)
            .map(|r| (r.event.user, r.event.subject, r.event.result))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        audit("linkage.confirm"),
        vec![(
            Some("staff".to_owned()),
            Some(hold.sha256.clone()),
            "ok".to_owned()
        )]
    );

    // The next poll applies it and the delta behind it, exactly once.
    assert_eq!(
        names(&job.poll(today()).await),
        vec![applied("full_000002.csv"), applied("delta_000003.csv")]
    );
    assert_eq!(w.count(), 90);
    assert_eq!(w.name_of(1).as_deref(), Some("承認\u{3000}一郎"));
    assert_eq!(w.name_of(95), None);
    let ledger = w
        .store
        .linkage_files(&w.tenant, Some("001o006"), 2)
        .expect("ledger");
    assert_eq!(ledger[1].name, "full_000002.csv");
    assert_eq!(ledger[1].counts.removed, 10);
    assert!(
        ledger[1].message.as_deref().unwrap_or("").contains("承認"),
        "{:?}",
        ledger[1].message
    );
    assert!(job.poll(today()).await.is_empty(), "applied once");
    assert!(job.feed_poll(&w.tenant, "001o006").waiting.is_empty());
    assert!(w.keys("inbound").await.is_empty());

    // A confirmed file replaced under the same name (another SHA-256) is held again: the confirmation
    // names the exact file. The CLI's path (inspect, then record) confirms the new one.
    w.deliver(
        "001o006",
        "full_000004.csv",
        population(80).as_bytes(),
        None,
    )
    .await;
    assert!(job.poll(today()).await.is_empty());
    let first = job
        .held(&w.tenant, "001o006", "full_000004.csv")
        .expect("held");
    assert_eq!((first.current, first.removed), (90, 10));
    let (s, v) = send(confirm(
        &admin,
        serde_json::json!({"feed": "001o006", "file": "full_000004.csv"}),
    ))
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let full4 = population(60);
    w.deliver("001o006", "full_000004.csv", full4.as_bytes(), None)
        .await;
    assert!(
        job.poll(today()).await.is_empty(),
        "another file: held again"
    );
    let again = job
        .held(&w.tenant, "001o006", "full_000004.csv")
        .expect("held");
    assert_eq!((again.current, again.removed), (90, 30));
    assert_eq!(again.sha256, sha(full4.as_bytes()));
    assert_eq!(w.count(), 90);
    let found = job
        .inspect(&w.tenant, "001o006", "full_000004.csv")
        .await
        .expect("exchange")
        .expect("a held file");
    assert_eq!(found.sha256, again.sha256);
    assert_eq!(
        found.removal,
        Some(madoguchi_server::linkage::Removal {
            current: 90,
            removed: 30
        })
    );
    assert!(
        job.inspect(&w.tenant, "shikaku", "full_000004.csv")
            .await
            .expect("exchange")
            .is_err(),
        "only 001o006 and 001o009"
    );
    madoguchi_server::linkage::record_confirmation(
        w.store.as_ref(),
        &w.tenant,
        "001o006",
        &madoguchi_server::linkage::Confirmation {
            file: "full_000004.csv".into(),
            sha256: found.sha256.clone(),
            current: 90,
            removed: 30,
            by: "cli".into(),
            at: chrono::Utc::now(),
        },
        &setup_event(&w.tenant, "linkage.confirm"),
    )
    .expect("confirm");
    assert_eq!(
        names(&job.poll(today()).await),
        vec![applied("full_000004.csv")]
    );
    assert_eq!(w.count(), 60);

    // Exactly 5 % (3 of 60) is not more than the limit: applied at once.
    w.deliver(
        "001o006",
        "full_000005.csv",
        population(57).as_bytes(),
        None,
    )
    .await;
    assert_eq!(
        names(&job.poll(today()).await),
        vec![applied("full_000005.csv")]
    );
    assert_eq!(w.count(), 57);

    // --- 001o009 支援措置 ------------------------------------------------------------------------
    let measures = |rows: &[(u64, u8)]| {
        let mut s = "宛名番号,措置区分,支援措置開始年月日\n".to_owned();
        for (seq, kind) in rows {
            s.push_str(&format!("{},{kind},2026-04-01\n", atena(*seq)));
        }
        s
    };
    let protected = |w: &World| {
        w.store
            .all_support_measures(&w.tenant)
            .expect("measures")
            .len()
    };
    let twenty: Vec<(u64, u8)> = (1..=20).map(|i| (i, 1)).collect();
    w.deliver(
        "001o009",
        "full_000001.csv",
        measures(&twenty).as_bytes(),
        None,
    )
    .await;
    assert_eq!(
        names(&job.poll(today()).await),
        vec![applied("full_000001.csv")],
        "a first load is never held"
    );
    assert_eq!(protected(&w), 20);
    // Two of 20 measures ended (措置区分 3): 10 % > 5 %, held.
    let ended: Vec<(u64, u8)> = (1..=20).map(|i| (i, if i > 18 { 3 } else { 1 })).collect();
    w.deliver(
        "001o009",
        "full_000002.csv",
        measures(&ended).as_bytes(),
        None,
    )
    .await;
    assert!(job.poll(today()).await.is_empty());
    assert_eq!(protected(&w), 20, "every measure is kept");
    let waiting = job.feed_poll(&w.tenant, "001o009").waiting;
    assert_eq!(
        waiting[0].reason,
        "全件ファイルで現在の支援措置対象者 20 人のうち 10.0 %（2 人）の支援措置が終了するため、管理者の確認を待っています（上限 5 %）。"
    );
    let hold = waiting[0].hold.clone().expect("held");
    let body =
        serde_json::json!({"feed": "001o009", "file": "full_000002.csv", "sha256": hold.sha256});
    let (s, _) = send(confirm(&importer, body.clone())).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(job.poll(today()).await.is_empty(), "still held");
    let (s, v) = send(confirm(&admin, body)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        names(&job.poll(today()).await),
        vec![applied("full_000002.csv")]
    );
    assert_eq!(protected(&w), 18);
    assert!(job.poll(today()).await.is_empty(), "applied once");
    // Removing none (one added): applied at once.
    let more: Vec<(u64, u8)> = (1..=18).chain([21]).map(|i| (i, 1)).collect();
    w.deliver(
        "001o009",
        "full_000003.csv",
        measures(&more).as_bytes(),
        None,
    )
    .await;
    assert_eq!(
        names(&job.poll(today()).await),
        vec![applied("full_000003.csv")]
    );
    assert_eq!(protected(&w), 19);
    assert_eq!(
        audit("linkage.confirm").len(),
        4,
        "three through the API, one through the CLI's path"
    );
}

/// A held file that a newer full file supersedes is refused; a limit of 100 % never holds.
#[tokio::test]
async fn a_held_full_file_is_superseded_by_a_newer_full_file() {
    let (w, _folder) = world();
    w.deliver(
        "001o006",
        "full_000001.csv",
        population(10).as_bytes(),
        None,
    )
    .await;
    w.job.poll(today()).await;
    w.deliver("001o006", "full_000002.csv", population(5).as_bytes(), None)
        .await;
    assert!(w.job.poll(today()).await.is_empty());
    w.deliver(
        "001o006",
        "full_000003.csv",
        population(10).as_bytes(),
        None,
    )
    .await;
    assert_eq!(
        w.job
            .poll(today())
            .await
            .iter()
            .map(|h| (h.name.as_str(), h.outcome))
            .collect::<Vec<_>>(),
        vec![
            ("full_000002.csv", LinkageOutcome::Rejected),
            ("full_000003.csv", LinkageOutcome::Applied)
        ]
    );
    assert_eq!(w.count(), 10);
    let job = Job::new(w.store.clone(), w.ex.clone(), vec![w.tenant.clone()], 60)
        .with_max_removal_percent(100);
    w.deliver("001o006", "full_000004.csv", population(1).as_bytes(), None)
        .await;
    assert_eq!(job.poll(today()).await.len(), 1);
    assert_eq!(w.count(), 1);
}
