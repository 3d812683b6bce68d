//! The same exchange behaviour on a local folder and on S3. S3 is a real S3-compatible server on loopback:
//! moto (`madoguchi_testkit::moto`), started per test with a private port and stopped when the test ends.

use madoguchi_objects::{Exchange, ObjectsConfig, ObjectsError};
use madoguchi_testkit::moto::Moto;

/// What the linkage jobs rely on, against any backend.
async fn exercise(ex: &Exchange) {
    assert_eq!(ex.list("inbound").await.expect("empty list"), vec![]);
    let full = "宛名番号,氏名\n000000000001,山田 太郎\n"
        .as_bytes()
        .to_vec();
    ex.write("inbound/001o006/20261123-0001.csv", full.clone())
        .await
        .expect("write");
    ex.write("inbound/001o006/20261123-0001.end", Vec::new())
        .await
        .expect("end trigger");
    ex.write("inbound/001o009/20261123-0001.csv", b"x".to_vec())
        .await
        .expect("write");
    ex.write("outbound/ido/1.csv", b"y".to_vec())
        .await
        .expect("write");

    let listed = ex.list("inbound/001o006").await.expect("list");
    let keys: Vec<&str> = listed.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "inbound/001o006/20261123-0001.csv",
            "inbound/001o006/20261123-0001.end"
        ],
        "sorted, this feed only, keys relative to the prefix"
    );
    assert_eq!(listed[0].size, full.len() as u64);
    assert_eq!(ex.list("inbound").await.expect("list").len(), 3);
    assert_eq!(
        ex.read("inbound/001o006/20261123-0001.csv")
            .await
            .expect("read")
            .to_vec(),
        full
    );
    assert_eq!(
        ex.size("inbound/001o006/20261123-0001.csv")
            .await
            .expect("size"),
        Some(full.len() as u64)
    );
    assert_eq!(ex.size("inbound/none.csv").await.expect("size"), None);
    assert_eq!(
        ex.read("inbound/none.csv").await,
        Err(ObjectsError::NotFound("inbound/none.csv".into()))
    );

    // Replacing is whole: the new content only.
    ex.write("outbound/ido/1.csv", b"second".to_vec())
        .await
        .expect("replace");
    assert_eq!(
        ex.read("outbound/ido/1.csv").await.expect("read").as_ref(),
        b"second"
    );

    // Moving to processed/, and again (a retry after a crash between copy and delete).
    let moved = ex
        .move_to("inbound/001o006/20261123-0001.csv", "processed/001o006")
        .await
        .expect("move");
    assert_eq!(moved, "processed/001o006/20261123-0001.csv");
    assert_eq!(ex.read(&moved).await.expect("moved").to_vec(), full);
    assert_eq!(
        ex.size("inbound/001o006/20261123-0001.csv")
            .await
            .expect("gone"),
        None
    );
    assert_eq!(
        ex.move_to("inbound/001o006/20261123-0001.csv", "processed/001o006")
            .await
            .expect("repeat"),
        moved
    );
    assert_eq!(
        ex.move_to("inbound/never.csv", "error").await,
        Err(ObjectsError::NotFound("inbound/never.csv".into()))
    );

    ex.delete("outbound/ido/1.csv").await.expect("delete");
    ex.delete("outbound/ido/1.csv").await.expect("delete again");
    assert!(ex.list("outbound").await.expect("list").is_empty());
    assert!(matches!(
        ex.write("../escape.csv", b"z".to_vec()).await,
        Err(ObjectsError::BadKey(_))
    ));
}

#[tokio::test]
async fn a_local_folder() {
    let dir = tempfile::tempdir().expect("dir");
    let ex = Exchange::open(&ObjectsConfig::local(&dir.path().join("exchange"))).expect("open");
    exercise(&ex).await;
    assert!(
        dir.path()
            .join("exchange/processed/001o006/20261123-0001.csv")
            .exists(),
        "plain files the core system's side can read"
    );
    assert!(!dir.path().join("escape.csv").exists());
}

#[tokio::test]
async fn s3_on_a_local_s3_server() {
    let moto = Moto::start();
    moto.create_bucket("city-exchange");
    let config = moto.config("s3://city-exchange/midori/renkei");
    let ex = Exchange::open(&config).expect("open");
    exercise(&ex).await;
    // The prefix is honoured: the objects live under midori/renkei/ in the bucket.
    let listing = moto.list_bucket("city-exchange");
    assert!(
        listing.contains("<Key>midori/renkei/processed/001o006/20261123-0001.csv</Key>"),
        "{listing}"
    );
    assert!(
        !listing.contains("<Key>processed/"),
        "nothing outside the prefix"
    );

    // A bucket that does not exist is an error in Japanese, not a panic or an empty list.
    let missing = Exchange::open(&ObjectsConfig {
        url: "s3://no-such-bucket".into(),
        ..config
    })
    .expect("open");
    let e = missing.list("inbound").await.expect_err("no bucket");
    assert!(matches!(e, ObjectsError::Backend(_)));
    assert!(e.to_string().contains("アクセスできません"));
}
