//! Imports larger than one write batch: outcomes decided row by row stay right across batches,
//! repeated and removed rows within one import, full imports that remove many, and search afterwards.

use chrono::{NaiveDate, Utc};
use madoguchi_core::ids::AtenaNo;
use madoguchi_core::resident::Resident;
use madoguchi_core::text::search_key;
use madoguchi_store::prelude::*;
use madoguchi_store::{
    ImportApplied, ImportCounts, ImportDecision, ImportMeta, ImportMode, PutOutcome, ResidentQuery,
    TenantId,
};
use madoguchi_store_postgres::PostgresStore;
use madoguchi_testkit::conformance::resident;

use crate::common;

const SURNAMES: &[(&str, &str)] = &[
    ("佐藤", "サトウ"),
    ("鈴木", "スズキ"),
    ("高橋", "タカハシ"),
    ("田中", "タナカ"),
    ("山田", "ヤマダ"),
    ("林", "ハヤシ"),
];
const GIVEN: &[(&str, &str)] = &[
    ("太郎", "タロウ"),
    ("花子", "ハナコ"),
    ("一", "ハジメ"),
    ("健", "ケン"),
    ("さくら", "サクラ"),
];

fn person(seq: u64) -> Resident {
    let (s, sk) = SURNAMES[(seq % SURNAMES.len() as u64) as usize];
    let (g, gk) = GIVEN[((seq / 7) % GIVEN.len() as u64) as usize];
    let birth = NaiveDate::from_ymd_opt(
        1950 + (seq % 60) as i32,
        1 + (seq % 12) as u32,
        1 + (seq % 28) as u32,
    )
    .expect("date");
    resident(
        seq,
        seq,
        &format!("{s}\u{3000}{g}"),
        &format!("{sk}\u{3000}{gk}"),
        birth,
        "世帯主",
    )
}

fn meta(mode: ImportMode, sha: &str) -> ImportMeta {
    ImportMeta {
        mode,
        sha256: sha.into(),
        source_name: "t.csv".into(),
        started_at: Utc::now(),
        audit: None,
    }
}

fn committed(a: ImportApplied) -> ImportCounts {
    match a {
        ImportApplied::Committed(c) => c,
        other => panic!("expected a commit, got {other:?}"),
    }
}

#[test]
fn imports_across_batches() {
    let cluster = common::cluster();
    let store = PostgresStore::open(&cluster.fresh_database()).expect("open");
    let t = TenantId("t".into());
    store.ensure_tenant(&t, "市").expect("tenant");
    let n: u64 = 12_345;
    let all: Vec<Resident> = (1..=n).map(person).collect();
    let c = committed(
        store
            .import_residents(&t, &meta(ImportMode::Full, "1"), &mut |sink| {
                for r in &all {
                    assert_eq!(sink.put(r)?, PutOutcome::Inserted);
                }
                Ok(ImportDecision::Commit)
            })
            .expect("import"),
    );
    assert_eq!(c.inserted, n);
    assert_eq!(store.count_residents(&t).expect("count"), n);

    // Full import: every third row changed, the last 1,000 left out, one row written twice (changed the
    // second time, in another batch), one removed after it was written.
    let twice = AtenaNo::from_sequence(10);
    let gone_after_put = AtenaNo::from_sequence(20);
    let c = committed(
        store
            .import_residents(&t, &meta(ImportMode::Full, "2"), &mut |sink| {
                for (i, r) in all[..(n as usize - 1000)].iter().enumerate() {
                    let mut r = r.clone();
                    if i % 3 == 0 {
                        r.address.katagaki = Some("ハイツ".into());
                    }
                    sink.put(&r)?;
                }
                let mut again = person(10);
                again.name.alias = Some("通称\u{3000}名".into());
                assert_eq!(sink.put(&again)?, PutOutcome::Updated);
                assert!(sink.remove(&gone_after_put)?);
                assert!(!sink.remove(&gone_after_put)?, "already removed");
                Ok(ImportDecision::Commit)
            })
            .expect("import"),
    );
    let changed = (n as usize - 1000).div_ceil(3) as u64;
    assert_eq!(
        c,
        ImportCounts {
            inserted: 0,
            updated: changed + 1,
            unchanged: n - 1000 - changed,
            removed: 1000 + 1,
        }
    );
    assert_eq!(store.count_residents(&t).expect("count"), n - 1001);
    let r = store.get_resident(&t, &twice).expect("get").expect("kept");
    assert_eq!(r.name.alias.as_deref(), Some("通称\u{3000}名"));
    assert!(
        store
            .get_resident(&t, &gone_after_put)
            .expect("get")
            .is_none()
    );
    assert!(
        store
            .get_resident(&t, &AtenaNo::from_sequence(n))
            .expect("get")
            .is_none(),
        "left out of the full import"
    );

    // Search sees the new state: the alias is found, and removed residents are not.
    let q = |name: &str| ResidentQuery {
        name: Some(search_key(name)),
        limit: 100,
        ..Default::default()
    };
    assert_eq!(
        store
            .search_residents(&t, &q("通称名"))
            .expect("search")
            .len(),
        1
    );
    let found = store.search_residents(&t, &q("林")).expect("search");
    assert_eq!(found.len(), 100);
    assert!(found.iter().all(|r| r.name.full.starts_with('林')));
    let readings: Vec<&str> = found
        .iter()
        .filter_map(|r| r.name.kana.as_deref())
        .collect();
    let sorted = {
        let mut s = readings.clone();
        s.sort_by_key(|k| search_key(k));
        s
    };
    assert_eq!(readings, sorted, "in reading order");
    let kana = ResidentQuery {
        kana: Some(search_key("ハヤシハナ")),
        limit: 10,
        ..Default::default()
    };
    let found = store.search_residents(&t, &kana).expect("search");
    assert_eq!(found.len(), 10);
    assert!(found.iter().all(|r| r.name.full == "林\u{3000}花子"));

    // A rolled-back import of many rows leaves nothing behind.
    let before = store.count_residents(&t).expect("count");
    let applied = store
        .import_residents(&t, &meta(ImportMode::Delta, "3"), &mut |sink| {
            for seq in 100_000..107_000 {
                sink.put(&person(seq))?;
            }
            Ok(ImportDecision::Rollback)
        })
        .expect("import");
    assert_eq!(applied, ImportApplied::RolledBack);
    assert_eq!(store.count_residents(&t).expect("count"), before);
}
