//! Security II, point 6: the audit chain anchored outside the database. A database writer who deletes
//! records and re-chains the rest, truncates the log or moves the purge base fools the chain check in
//! the database, never the check against the signed anchors.

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use madoguchi_server::audit_anchor::{
    AnchorCheck, AnchorPlace, Signer, anchor_now, check, generate_key, parse_public_key,
};
use madoguchi_store::audit::chain_hash;
use madoguchi_store::prelude::*;
use madoguchi_store::{AuditCheck, AuditEvent};

use super::*;

struct Log {
    dir: tempfile::TempDir,
    store: Arc<SqliteStore>,
    signer: Signer,
    public_key: Vec<u8>,
    place: AnchorPlace,
}

const YEAR: i64 = 365;

fn log() -> Log {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Arc::new(SqliteStore::open(&dir.path().join("db.sqlite3")).expect("store"));
    store.ensure_tenant(&t("t1"), "さくら野市").expect("tenant");
    let signer = Signer::from_pkcs8(&generate_key().expect("key")).expect("signer");
    let public_key = parse_public_key(&signer.public_key_hex()).expect("public key");
    let place =
        AnchorPlace::open(&format!("file://{}", dir.path().join("worm").display())).expect("place");
    Log {
        dir,
        store,
        signer,
        public_key,
        place,
    }
}

impl Log {
    fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.dir.path().join("db.sqlite3")).expect("raw db")
    }

    /// Appends `n` records dated `at`.
    fn append(&self, n: usize, at: DateTime<Utc>) {
        for i in 0..n {
            let e = AuditEvent {
                at,
                ..madoguchi_server::audit::event(
                    &t("t1"),
                    Some("staff"),
                    Some("1"),
                    "resident.read",
                    Some(atena(i as u64 + 1)),
                    "ok",
                )
            };
            self.store.append_audit(&e).expect("append");
        }
    }

    async fn anchor(&self) -> i64 {
        anchor_now(
            self.store.clone(),
            &self.signer,
            &self.place,
            None,
            Utc::now(),
        )
        .await
        .expect("anchor")
        .expect("written")
        .last_id
    }

    async fn check(&self) -> AnchorCheck {
        check(
            self.store.clone(),
            &self.place,
            &self.public_key,
            Utc::now(),
            chrono::Duration::days(YEAR),
        )
        .await
        .expect("check")
    }

    /// What an attacker with write access to the database does: recompute every hash after the base
    /// and the head, so that the chain in the database verifies again.
    fn rechain(&self) {
        let db = self.db();
        let (base_hash,): (Vec<u8>,) = db
            .query_row("SELECT base_hash FROM audit_head", [], |r| Ok((r.get(0)?,)))
            .expect("base");
        let mut prev: [u8; 32] = base_hash.try_into().expect("32 bytes");
        let rows: Vec<(i64, AuditEvent)> = {
            let mut stmt = db
                .prepare("SELECT id, tenant_id, at, user_login, counter, terminal, action, subject, result, reason FROM audit_log ORDER BY id")
                .expect("select");
            stmt.query_map([], |r| {
                let at: String = r.get(2)?;
                Ok((
                    r.get(0)?,
                    AuditEvent {
                        tenant: TenantId(r.get(1)?),
                        at: DateTime::parse_from_rfc3339(&at)
                            .expect("time")
                            .with_timezone(&Utc),
                        user: r.get(3)?,
                        counter: r.get(4)?,
                        terminal: r.get(5)?,
                        action: r.get(6)?,
                        subject: r.get(7)?,
                        result: r.get(8)?,
                        reason: r.get(9)?,
                    },
                ))
            })
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("rows")
        };
        let mut last = 0;
        for (id, e) in rows {
            let hash = chain_hash(&prev, id, &e);
            db.execute(
                "UPDATE audit_log SET prev_hash = ?1, hash = ?2 WHERE id = ?3",
                rusqlite::params![&prev[..], &hash[..], id],
            )
            .expect("update");
            prev = hash;
            last = id;
        }
        db.execute(
            "UPDATE audit_head SET last_id = ?1, last_hash = ?2",
            rusqlite::params![last, &prev[..]],
        )
        .expect("head");
    }
}

fn broken_at(c: &AnchorCheck) -> Option<i64> {
    match c {
        AnchorCheck::Broken { first_bad_id, .. } => Some(*first_bad_id),
        AnchorCheck::Consistent { .. } => None,
    }
}

/// Ten records anchored at 4, 7 and 10.
async fn anchored() -> Log {
    let l = log();
    for n in [4, 3, 3] {
        l.append(n, Utc::now());
        l.anchor().await;
    }
    assert_eq!(
        l.check().await,
        AnchorCheck::Consistent {
            anchors: 3,
            latest: Some(10)
        }
    );
    l
}

#[tokio::test]
async fn point_06_a_deleted_and_rechained_record_is_found_by_the_anchors() {
    let l = anchored().await;
    l.db()
        .execute("DELETE FROM audit_log WHERE id = 6", [])
        .expect("delete");
    l.rechain();
    assert!(
        matches!(
            l.store.verify_audit().expect("verify"),
            AuditCheck::Intact { .. }
        ),
        "the chain inside the database is fooled"
    );
    let c = l.check().await;
    assert_eq!(
        broken_at(&c),
        Some(5),
        "the first record after the last anchor that still matches: {c:?}"
    );
}

#[tokio::test]
async fn point_06_an_edited_and_rechained_record_is_found_by_the_anchors() {
    let l = anchored().await;
    l.db()
        .execute("UPDATE audit_log SET result = 'denied' WHERE id = 2", [])
        .expect("edit");
    l.rechain();
    assert!(matches!(
        l.store.verify_audit().expect("verify"),
        AuditCheck::Intact { .. }
    ));
    assert_eq!(broken_at(&l.check().await), Some(1));
}

#[tokio::test]
async fn point_06_truncation_is_found_by_the_anchors() {
    let l = anchored().await;
    l.db()
        .execute("DELETE FROM audit_log WHERE id > 8", [])
        .expect("truncate");
    l.rechain();
    assert!(matches!(
        l.store.verify_audit().expect("verify"),
        AuditCheck::Intact { records: 8 }
    ));
    let c = l.check().await;
    assert_eq!(broken_at(&c), Some(9), "{c:?}");
    assert!(format!("{c:?}").contains("truncated"), "{c:?}");
}

#[tokio::test]
async fn point_06_a_purge_base_moved_past_young_records_is_refused() {
    let l = anchored().await;
    // Records of today "purged": the base moved to record 5.
    let db = l.db();
    let hash5: Vec<u8> = db
        .query_row("SELECT hash FROM audit_log WHERE id = 5", [], |r| r.get(0))
        .expect("hash");
    db.execute("DELETE FROM audit_log WHERE id <= 5", [])
        .expect("delete");
    db.execute(
        "UPDATE audit_head SET base_id = 5, base_hash = ?1",
        [&hash5],
    )
    .expect("base");
    assert!(matches!(
        l.store.verify_audit().expect("verify"),
        AuditCheck::Intact { records: 5 }
    ));
    let c = l.check().await;
    assert_eq!(broken_at(&c), Some(4), "{c:?}");
    assert!(format!("{c:?}").contains("retention"), "{c:?}");
}

#[tokio::test]
async fn point_06_a_lawful_purge_of_old_records_still_verifies() {
    let l = log();
    l.append(4, Utc::now() - chrono::Duration::days(YEAR + 30));
    l.anchor().await;
    l.append(3, Utc::now());
    l.anchor().await;
    let purged = l
        .store
        .purge_audit_before(Utc::now() - chrono::Duration::days(YEAR))
        .expect("purge");
    assert_eq!(purged, 4);
    assert_eq!(
        l.check().await,
        AnchorCheck::Consistent {
            anchors: 1,
            latest: Some(7)
        }
    );
}

#[tokio::test]
async fn point_06_anchors_are_write_once_and_forgeries_are_refused() {
    let l = anchored().await;
    let dir = l.dir.path().join("worm/anchors");
    let files: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(files.len(), 3);
    for f in &files {
        assert!(
            std::fs::metadata(f).expect("meta").permissions().readonly(),
            "{f:?} is read-only"
        );
    }
    // The same head anchored again (after a restart) leaves the first anchor as it was.
    let before: Vec<Vec<u8>> = files
        .iter()
        .map(|f| std::fs::read(f).expect("read"))
        .collect();
    let again = anchor_now(l.store.clone(), &l.signer, &l.place, None, Utc::now()).await;
    assert_eq!(again.expect("no error").map(|a| a.last_id), Some(10));
    let after: Vec<Vec<u8>> = files
        .iter()
        .map(|f| std::fs::read(f).expect("read"))
        .collect();
    assert_eq!(before, after, "an existing anchor file is not replaced");
    // A forged anchor (another key) is named, not trusted.
    let other = Signer::from_pkcs8(&generate_key().expect("key")).expect("signer");
    let forger = AnchorPlace::open(&format!("file://{}", l.dir.path().join("forger").display()))
        .expect("place");
    l.append(1, Utc::now());
    let forged = anchor_now(l.store.clone(), &other, &forger, None, Utc::now())
        .await
        .expect("anchor")
        .expect("written");
    std::fs::copy(
        l.dir.path().join("forger").join(forged.key()),
        l.dir.path().join("worm").join(forged.key()),
    )
    .expect("plant");
    let c = l.check().await;
    assert_eq!(broken_at(&c), Some(11));
    assert!(format!("{c:?}").contains("signature"), "{c:?}");
}

fn server(db: &Path) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_madoguchi-server"));
    c.arg("--database")
        .arg(format!("sqlite://{}", db.display()))
        .arg("--tenant")
        .arg("t1");
    c.env("RUST_LOG", "warn");
    c
}

#[test]
fn point_06_the_operator_anchors_and_verifies_with_the_cli() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("m.sqlite3");
    let key = dir.path().join("anchor.p8");
    let out = server(&db)
        .args(["audit", "anchor-key", "--out"])
        .arg(&key)
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{text}");
    let public = text
        .lines()
        .find_map(|l| l.split("PUBKEY）: ").nth(1))
        .expect("public key")
        .to_owned();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&key).expect("key").permissions().mode() & 0o777,
            0o600
        );
    }
    {
        let store = SqliteStore::open(&db).expect("store");
        store.ensure_tenant(&t("t1"), "さくら野市").expect("tenant");
        for i in 0..5 {
            store
                .append_audit(&madoguchi_server::audit::event(
                    &t("t1"),
                    Some("staff"),
                    None,
                    "resident.read",
                    Some(atena(i + 1)),
                    "ok",
                ))
                .expect("append");
        }
    }
    let with_anchor = |c: &mut std::process::Command| {
        c.env(
            "MADOGUCHI_AUDIT_ANCHOR_URL",
            format!("file://{}", dir.path().join("worm").display()),
        )
        .env("MADOGUCHI_AUDIT_ANCHOR_PUBKEY", &public);
    };
    let mut anchor = server(&db);
    with_anchor(&mut anchor);
    anchor
        .env("MADOGUCHI_AUDIT_ANCHOR_KEY", &key)
        .args(["audit", "anchor"]);
    let out = anchor.output().expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let verify = || {
        let mut v = server(&db);
        with_anchor(&mut v);
        let out = v.args(["audit", "verify"]).output().expect("run");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, text) = verify();
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("外部の記録（監査アンカー 1 件、記録番号 5 まで）と一致しました"),
        "{text}"
    );
    // The last two records removed and the head moved back: the database alone would not know.
    let raw = rusqlite::Connection::open(&db).expect("raw");
    let hash3: Vec<u8> = raw
        .query_row("SELECT hash FROM audit_log WHERE id = 3", [], |r| r.get(0))
        .expect("hash");
    raw.execute("DELETE FROM audit_log WHERE id > 3", [])
        .expect("truncate");
    raw.execute(
        "UPDATE audit_head SET last_id = 3, last_hash = ?1",
        [&hash3],
    )
    .expect("head");
    drop(raw);
    let (code, text) = verify();
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("一致しません: 記録番号 4 以降"), "{text}");
}
