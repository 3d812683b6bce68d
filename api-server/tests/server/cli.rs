//! End to end through the real `madoguchi-server` binary: the import command's report and exit codes,
//! seeding, and a served API answering over TCP.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use madoguchi_store::prelude::*;
use madoguchi_testkit::process::{Killed, free_port};
use madoguchi_testkit::residents::{csv, row, small_city, today};
use madoguchi_testkit::throwaway::{APP_ROLE, Cluster};

fn server(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_madoguchi-server"));
    c.arg("--database")
        .arg(format!("sqlite://{}", db.display()))
        .arg("--tenant")
        .arg("city");
    c.env("RUST_LOG", "warn");
    c
}

fn run(cmd: &mut Command) -> (i32, String) {
    let Output { status, stdout, .. } = cmd.output().expect("run madoguchi-server");
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&stdout).into_owned(),
    )
}

#[test]
fn import_command_reports_and_is_idempotent() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("m.sqlite3");
    let good = dir.path().join("good.csv");
    std::fs::write(&good, small_city()).expect("write");
    let (code, out) = run(server(&db).args(["import", "residents"]).arg(&good));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("取り込みました: 8 行（追加 8"), "{out}");
    let (code, out) = run(server(&db).args(["import", "residents"]).arg(&good));
    assert_eq!(code, 0);
    assert!(out.contains("取り込み済み"), "{out}");

    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        csv(&[
            row(50, 50, &[("生年月日", "平成32年1月1日")]),
            row(51, 50, &[("続柄表記", "孫")]),
        ]),
    )
    .expect("write");
    let (code, out) = run(server(&db)
        .args(["import", "residents", "--mode", "delta"])
        .arg(&bad));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("2行目 生年月日: 平成32年は存在しない年です"),
        "{out}"
    );
    assert!(out.contains("3行目 続柄表記:"), "{out}");
    assert!(out.contains("データは変更していません"), "{out}");

    let (code, out) = run(server(&db)
        .args(["import", "residents", "--encoding", "ebcdic"])
        .arg(&good));
    assert_eq!(code, 2, "{out}");
}

fn http(port: u16, request: &str) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    s.write_all(request.as_bytes()).ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
}

#[test]
fn seeded_server_answers_over_tcp() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("m.sqlite3");
    let (code, out) = run(server(&db).args(["seed", "--residents", "300", "--seed", "5"]));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("300 人"), "{out}");
    let (code, out) = run(server(&db).args([
        "group",
        "add",
        "clerk",
        "--name",
        "市民課",
        "--permissions",
        "search,print_forms",
    ]));
    assert!(
        code == 0 && out.contains("住民検索・照会、申請書の印刷"),
        "{out}"
    );
    let (code, out) = run(server(&db).args([
        "counter",
        "add",
        "shimin",
        "--name",
        "市民課窓口",
        "--permissions",
        "search",
        // The test logs in over plain HTTP, as a browser does.
        "--browser",
        "true",
    ]));
    assert_eq!(code, 0, "{out}");
    let (code, out) = run(server(&db).args([
        "terminal",
        "add",
        "pc-1",
        "--code",
        "ABCD",
        "--counters",
        "shimin",
    ]));
    assert_eq!(code, 1, "a malformed enrollment code is refused: {out}");
    let (code, out) = run(server(&db).args([
        "group",
        "add",
        "bad",
        "--name",
        "x",
        "--permissions",
        "search,root",
    ]));
    assert!(code == 2 && out.is_empty(), "unknown permission refused");
    let mut add = server(&db)
        .args([
            "user",
            "add",
            "clerk",
            "--name",
            "窓口 花子",
            "--valid-until",
            "R20.3.31",
            "--groups",
            "clerk",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn");
    add.stdin
        .take()
        .expect("stdin")
        .write_all(b"a-long-enough-password\n")
        .expect("password");
    assert!(add.wait().expect("wait").success());

    let (code, out) = run(server(&db).args(["user", "disable", "clerk"]));
    assert_eq!(code, 0, "{out}");
    let (_, out) = run(server(&db).args(["user", "list"]));
    assert!(
        out.contains("clerk\t窓口 花子\t無効\t0\t令和20年3月31日\tclerk"),
        "{out}"
    );
    let (code, out) = run(server(&db).args(["user", "enable", "clerk"]));
    assert!(code == 0 && out.contains("を有効にしました"), "{out}");
    let (code, out) = run(server(&db).args(["user", "unlock", "nobody"]));
    assert!(code == 1 && out.contains("登録されていません"), "{out}");

    let port = free_port();
    let child = server(&db)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .spawn()
        .expect("serve");
    let mut guard = Killed(child);
    let deadline = Instant::now() + Duration::from_secs(30);
    let health = loop {
        if let Some(r) = http(
            port,
            "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        ) {
            break r;
        }
        assert!(Instant::now() < deadline, "server did not come up");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let body = r#"{"tenant":"city","user":"clerk","password":"a-long-enough-password","counter":"shimin"}"#;
    let login = http(
        port,
        &format!(
            "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
    .expect("login");
    assert!(login.starts_with("HTTP/1.1 200"), "{login}");
    let token = login
        .split("\"token\":\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("token")
        .to_owned();
    let search = http(
        port,
        &format!(
            "GET /api/v1/residents?q=%E3%82%A2&limit=5 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
        ),
    )
    .expect("search");
    assert!(search.starts_with("HTTP/1.1 200"), "{search}");
    assert!(search.contains("\"count\":"), "{search}");

    // SIGTERM (what a service manager sends) stops the server cleanly.
    let pid = guard.0.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill")
            .success()
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = guard.0.try_wait().expect("try_wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "server did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
}

#[test]
fn audit_verify_and_export() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("m.sqlite3");
    {
        let store = madoguchi_store_sqlite::SqliteStore::open(&db).expect("open");
        for (i, action) in ["login", "resident.read", "logout"].into_iter().enumerate() {
            let mut e = madoguchi_testkit::conformance::audit_event(
                "city",
                0,
                action,
                Some("000000000000019"),
            );
            e.at = chrono::Utc::now() - chrono::Duration::seconds(10 - i as i64);
            AuditStore::append_audit(&store, &e).expect("append");
        }
    }
    let (code, out) = run(server(&db).args(["audit", "verify"]));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("改ざんされていません（3 件）"), "{out}");
    let today = madoguchi_server::api::today_jst();
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let yesterday = day(today.pred_opt().expect("date"));
    let (code, out) =
        run(server(&db).args(["audit", "export", "--from", &yesterday, "--to", &day(today)]));
    assert_eq!(code, 0, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(lines[0].starts_with("記録番号,日時,ユーザー"));
    assert!(
        lines[2].contains(",resident.read,000000000000019,ok,"),
        "{out}"
    );

    let (code, out) = run(server(&db).args(["audit", "purge", "--keep-days", "30"]));
    assert_eq!(code, 2, "retention below a year is refused: {out}");
    let (code, out) = run(server(&db).args(["audit", "purge"]));
    assert!(
        code == 0 && out.contains("0 件を削除しました"),
        "nothing is a year old: {out}"
    );

    rusqlite::Connection::open(&db)
        .expect("raw")
        .execute("UPDATE audit_log SET result = 'denied' WHERE id = 2", [])
        .expect("tamper");
    let (code, out) = run(server(&db).args(["audit", "verify"]));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("記録番号 2"), "{out}");
}

/// The README's main job: `demo` seeds an empty database once, prints the URL and the login, serves,
/// and keeps the data when started again.
#[test]
fn demo_seeds_once_prints_the_login_and_serves() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("demo.sqlite3");
    for run_no in 0..2 {
        let port = free_port();
        let mut child = server(&db)
            .args([
                "demo",
                "--residents",
                "300",
                "--listen",
                &format!("127.0.0.1:{port}"),
            ])
            .stdout(Stdio::piped())
            .spawn()
            .expect("demo");
        let mut stdout = child.stdout.take().expect("stdout");
        let mut guard = Killed(child);
        let deadline = Instant::now() + Duration::from_secs(60);
        while http(
            port,
            "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
        .is_none()
        {
            assert!(Instant::now() < deadline, "demo did not come up");
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(
            Command::new("kill")
                .args(["-TERM", &guard.0.id().to_string()])
                .status()
                .expect("kill")
                .success()
        );
        guard.0.wait().expect("wait");
        let mut out = String::new();
        stdout.read_to_string(&mut out).expect("read stdout");
        assert!(out.contains(&format!("http://127.0.0.1:{port}/")), "{out}");
        assert!(
            out.contains("ユーザー demo  パスワード sakurano-madoguchi  窓口 shimin-1"),
            "{out}"
        );
        if run_no == 0 {
            assert!(out.contains("300 人"), "first run seeds: {out}");
        } else {
            assert!(
                out.contains("既存のデータを使用します（住民 "),
                "second run keeps the data: {out}"
            );
        }
    }
}

fn run_with_stdin(cmd: &mut Command, input: &str) -> (i32, String) {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("stdin");
    let out = child.wait_with_output().expect("wait");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// `user add` applies the password policy; `user import` registers staff from CSV, all or nothing.
#[test]
fn staff_accounts_from_the_command_line_and_csv() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("m.sqlite3");
    for (code, name) in [("clerk", "市民課"), ("audit", "監査")] {
        let (c, out) = run(server(&db).args([
            "group",
            "add",
            code,
            "--name",
            name,
            "--permissions",
            "search",
        ]));
        assert_eq!(c, 0, "{out}");
    }
    let (code, _) = run_with_stdin(
        server(&db).args(["user", "add", "weak", "--name", "弱い 人"]),
        "short1\n",
    );
    assert_eq!(code, 2, "a short password is refused");
    let (code, _) = run_with_stdin(
        server(&db).args(["user", "add", "tanaka", "--name", "田中 一郎"]),
        "tanaka-password-2026\n",
    );
    assert_eq!(code, 2, "a password containing the login is refused");
    let (code, out) = run_with_stdin(
        server(&db).args([
            "user",
            "add",
            "tanaka",
            "--name",
            "田中 一郎",
            "--groups",
            "clerk",
        ]),
        "correct-horse-battery\n",
    );
    assert_eq!(code, 0, "{out}");

    // One bad row (unknown group, weak password, duplicate, new user without password) and nothing changes.
    let bad = "ユーザーID,氏名,グループ,有効期限,初期パスワード\n\
               tanaka,田中 一郎（異動）,clerk;audit,R9.3.31,\n\
               suzuki,鈴木 花子,clerk,,spring-garden-2026\n\
               sato,佐藤 次郎,nosuch,,summer-garden-2026\n\
               kato,加藤 三郎,clerk,,short\n\
               ito,伊藤 四郎,clerk,,\n\
               suzuki,鈴木 重複,clerk,,autumn-garden-2026\n";
    let file = dir.path().join("staff.csv");
    std::fs::write(&file, bad).expect("write");
    let (code, out) = run(server(&db).args(["user", "import", file.to_str().expect("path")]));
    assert_eq!(code, 1, "{out}");
    for expected in [
        "4行目「グループ」: グループ「nosuch」は登録されていません",
        "5行目「初期パスワード」: パスワードは12文字以上",
        "6行目「初期パスワード」: 新しいユーザーには初期パスワードが必要です",
        "7行目「ユーザーID」: 同じユーザーIDがファイル内で重複しています",
        "何も変更していません",
    ] {
        assert!(out.contains(expected), "missing {expected}: {out}");
    }
    let (_, list) = run(server(&db).args(["user", "list"]));
    assert!(
        !list.contains("suzuki") && list.contains("田中 一郎\t"),
        "{list}"
    );

    // The corrected file (Shift_JIS, as Excel writes it) applies every row.
    let good = "ユーザーID,氏名,グループ,有効期限,初期パスワード\r\n\
                tanaka,田中 一郎（異動）,clerk;audit,R9.3.31,\r\n\
                suzuki,鈴木 花子,clerk,,spring-garden-2026\r\n";
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(good);
    std::fs::write(&file, &sjis).expect("write");
    let (code, out) = run(server(&db).args([
        "user",
        "import",
        file.to_str().expect("path"),
        "--encoding",
        "cp932",
    ]));
    assert!(code == 0 && out.contains("追加 1、更新 1"), "{out}");
    let (_, list) = run(server(&db).args(["user", "list"]));
    assert!(
        list.contains("tanaka\t田中 一郎（異動）\t有効\t0\t令和9年3月31日\taudit,clerk"),
        "{list}"
    );
    assert!(
        list.contains("suzuki\t鈴木 花子\t有効\t0\t\tclerk"),
        "{list}"
    );
    let (code, out) = run(server(&db).args(["audit", "verify"]));
    assert_eq!(code, 0, "{out}");
    let store = madoguchi_store_sqlite::SqliteStore::open(&db).expect("open");
    let imported = AuditStore::audit_records(
        &store,
        &madoguchi_store::TenantId("city".into()),
        chrono::Utc::now() - chrono::Duration::hours(1),
        chrono::Utc::now() + chrono::Duration::hours(1),
    )
    .expect("records")
    .into_iter()
    .filter(|r| r.event.action == "user.import")
    .filter_map(|r| r.event.subject)
    .collect::<Vec<_>>();
    assert_eq!(imported, ["tanaka", "suzuki"]);
}

/// The server killed with SIGKILL in the middle of a large linkage import: nothing of the file is
/// visible, and after the restart it is applied once and completely.
#[test]
fn linkage_import_survives_kill_9_and_applies_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("m.sqlite3");
    let inbound = dir.path().join("exchange/city/inbound/001o006");
    std::fs::create_dir_all(&inbound).expect("inbound");
    let rows = 150_000;
    let file = inbound.join("full_000001.csv");
    madoguchi_demo_city::write_csv(
        std::io::BufWriter::new(std::fs::File::create(&file).expect("create")),
        &madoguchi_demo_city::Options {
            residents: rows,
            seed: 7,
            reference_date: today(),
        },
    )
    .expect("demo city");
    std::fs::write(inbound.join("full_000001.csv.end"), b"").expect("end");
    // The tenant exists (an empty population), then the linkage poll of an unknown tenant says so.
    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, csv(&[])).expect("write");
    let (code, out) = run(server(&db).args(["import", "residents"]).arg(&empty));
    assert_eq!(code, 0, "{out}");
    let out = server(&db)
        .env("MADOGUCHI_LINKAGE_TENANTS", "nowhere")
        .args(["linkage", "poll"])
        .output()
        .expect("poll");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("テナント nowhere がデータベースにありません")
    );

    let mut child = server(&db)
        .args(["linkage", "poll"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("poll");
    // Wait until the import is writing (the WAL grows), then kill -9.
    let wal = dir.path().join("m.sqlite3-wal");
    let deadline = Instant::now() + Duration::from_secs(120);
    while std::fs::metadata(&wal).map_or(0, |m| m.len()) < 8 << 20 {
        assert!(
            Instant::now() < deadline,
            "the import never started writing"
        );
        assert!(
            child.try_wait().expect("wait").is_none(),
            "the import finished before it could be killed"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    assert!(file.exists(), "the file is still waiting in inbound/");

    let count = |db: &Path| -> i64 {
        let c = rusqlite::Connection::open(db).expect("open");
        c.query_row("SELECT count(*) FROM residents", [], |r| r.get(0))
            .expect("count")
    };
    assert_eq!(count(&db), 0, "nothing of the killed import is visible");

    let (code, out) = run(server(&db).args(["linkage", "poll"]));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("001o006/full_000001.csv: 適用"), "{out}");
    assert_eq!(count(&db), rows as i64, "applied completely");
    assert!(!file.exists());
    assert!(
        dir.path()
            .join("exchange/city/processed/001o006/full_000001.csv")
            .exists()
    );
    // And once: the ledger has one applied file, another poll finds nothing.
    let (code, out) = run(server(&db).args(["linkage", "poll"]));
    assert_eq!((code, out.as_str()), (0, ""));
    let c = rusqlite::Connection::open(&db).expect("open");
    let applied: i64 = c
        .query_row(
            "SELECT count(*) FROM linkage_files WHERE outcome = 'applied'",
            [],
            |r| r.get(0),
        )
        .expect("ledger");
    assert_eq!(applied, 1);
}

/// The same binary on PostgreSQL, chosen by the database URL: import, then search over HTTP.
#[test]
fn postgres_is_chosen_by_the_database_url() {
    let cluster = Cluster::start().unwrap_or_else(|e| panic!("{e}"));
    // The operator migrates as the owner role; the server then runs as the application role.
    let name = cluster.try_fresh_database().expect("database");
    let url = cluster.app_url(&name);
    let mut migrate = Command::new(env!("CARGO_BIN_EXE_madoguchi-server"));
    migrate
        .arg("--database")
        .arg(cluster.owner_url(&name))
        .args(["migrate", "--app-role", APP_ROLE]);
    let (code, out) = run(&mut migrate);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("データベースの移行を適用し"), "{out}");
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("city.csv");
    std::fs::write(&file, small_city()).expect("write");
    let pg = || {
        let mut c = Command::new(env!("CARGO_BIN_EXE_madoguchi-server"));
        c.arg("--database").arg(&url).arg("--tenant").arg("city");
        c.env("RUST_LOG", "warn");
        c
    };
    let (code, out) = run(pg().args(["import", "residents"]).arg(&file));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("取り込みました: 8 行（追加 8"), "{out}");
    let (code, out) = run(pg().args(["import", "residents"]).arg(&file));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("取り込み済み"), "the same file again: {out}");
    // The rows are in PostgreSQL, not in a SQLite file beside the working directory.
    let mut admin = cluster
        .admin_client(url.rsplit('/').next().expect("db name"))
        .expect("admin");
    let n: i64 = admin
        .query_one(
            "SELECT count(*) FROM residents WHERE tenant_id = 'city'",
            &[],
        )
        .expect("count")
        .get(0);
    assert_eq!(n, 8);
}

/// The operator's hand-over commands: export, import into an empty tenant (refused into a filled one),
/// delete with the report written to a file.
#[test]
fn tenant_export_import_delete_commands() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("m.sqlite3");
    let file = dir.path().join("city.csv");
    std::fs::write(&file, small_city()).expect("write");
    let (code, out) = run(server(&db).args(["import", "residents"]).arg(&file));
    assert_eq!(code, 0, "{out}");
    let out_dir = dir.path().join("export");
    let (code, out) = run(server(&db)
        .args(["tenant", "export", "--out"])
        .arg(&out_dir));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("residents.csv: 8 行"), "{out}");

    let to = |tenant: &str| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_madoguchi-server"));
        c.arg("--database")
            .arg(format!("sqlite://{}", db.display()))
            .arg("--tenant")
            .arg(tenant)
            .env("RUST_LOG", "warn");
        c
    };
    let (code, out) = run(to("city2")
        .args(["tenant", "import", "--from"])
        .arg(&out_dir));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("住民: 8"), "{out}");
    let again = to("city2")
        .args(["tenant", "import", "--from"])
        .arg(&out_dir)
        .output()
        .expect("run");
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("既にデータがあります"));

    let wrong = to("city2")
        .args(["tenant", "delete", "--confirm", "city"])
        .output()
        .expect("run");
    assert_eq!(
        wrong.status.code(),
        Some(1),
        "the confirmation must name the tenant"
    );
    let report = dir.path().join("report.txt");
    let (code, out) = run(to("city2")
        .args(["tenant", "delete", "--confirm", "city2", "--report"])
        .arg(&report));
    assert_eq!(code, 0, "{out}");
    let text = std::fs::read_to_string(&report).expect("report");
    assert!(
        text.starts_with("データ消去報告書") && text.contains("住民: 8"),
        "{text}"
    );
    let c = rusqlite::Connection::open(&db).expect("open");
    let left: i64 = c
        .query_row(
            "SELECT count(*) FROM residents WHERE tenant_id = 'city2'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    let kept: i64 = c
        .query_row(
            "SELECT count(*) FROM residents WHERE tenant_id = 'city'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!((left, kept), (0, 8));
}

/// Security II point 15: `seed` and `demo` (which replace residents and add a login with a published
/// password) refuse a tenant holding a city's data; they run on an empty tenant or one they made.
#[test]
fn point_15_demo_and_seed_refuse_a_real_tenant() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("m.sqlite3");
    let city = |tenant: &str| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_madoguchi-server"));
        c.arg("--database")
            .arg(format!("sqlite://{}", db.display()))
            .arg("--tenant")
            .arg(tenant)
            .env("RUST_LOG", "warn");
        c
    };
    // A real city: residents imported, no demo.
    let file = dir.path().join("city.csv");
    std::fs::write(&file, small_city()).expect("write");
    let (code, out) = run(city("midori").args(["import", "residents"]).arg(&file));
    assert_eq!(code, 0, "{out}");
    for args in [
        &["seed", "--residents", "50"][..],
        &["demo", "--residents", "50", "--listen", "127.0.0.1:1"][..],
    ] {
        let out = city("midori").args(args).output().expect("run");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} must refuse");
        assert!(
            err.contains("テナント midori はデモ用ではありません（住民 8 人"),
            "{args:?}: {err}"
        );
    }
    // The city's data is untouched, and no demo login was added.
    let store = madoguchi_store_sqlite::SqliteStore::open(&db).expect("store");
    let t = madoguchi_store::TenantId("midori".into());
    assert_eq!(
        ResidentStore::count_residents(&store, &t).expect("count"),
        8
    );
    assert!(
        AccountStore::list_users(&store, &t)
            .expect("users")
            .is_empty()
    );
    drop(store);
    // An empty tenant becomes a demo tenant, and seeding it again is allowed.
    for _ in 0..2 {
        let (code, out) = run(city("trial").args(["seed", "--residents", "50"]));
        assert_eq!(code, 0, "{out}");
    }
}

/// Security II point 1: an investigator gets the digest the audit log records for a search text, from
/// the tenant's key, without the log ever holding the text.
#[test]
fn point_01_the_audit_digest_of_a_search_text_is_computed_by_the_cli() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("m.sqlite3");
    TenantStore::ensure_tenant(
        &madoguchi_store_sqlite::SqliteStore::open(&db).expect("store"),
        &madoguchi_store::TenantId("city".into()),
        "さくら野市",
    )
    .expect("tenant");
    let digest = |q: &str| {
        let (code, out) =
            run(server(&db).args(["audit", "query-digest", "--q", q, "--address", "ハイツ"]));
        assert_eq!(code, 0, "{out}");
        out.trim().to_owned()
    };
    let a = digest("000000000000086");
    assert!(a.starts_with("query:") && a.len() == 38, "{a}");
    assert_eq!(
        digest("000000000000086"),
        a,
        "the same text, the same digest"
    );
    assert_ne!(digest("000000000000094"), a);
    // What the server records for the same search.
    let store = madoguchi_store_sqlite::SqliteStore::open(&db).expect("store");
    let tenant = madoguchi_store::TenantId("city".into());
    let key = madoguchi_server::audit::query_key(
        &store,
        &tenant,
        &madoguchi_server::audit::event(&tenant, None, None, "x", None, "ok"),
    )
    .expect("key");
    let params = madoguchi_server::search::SearchParams {
        q: Some(" 000000000000086 ".into()),
        address: Some("ハイツ".into()),
        ..Default::default()
    };
    assert_eq!(madoguchi_server::audit::query_digest(&key, &params), a);
}
