//! The resident importer against bad input: every rejection names line, column and reason, and a rejected
//! file leaves the store exactly as it was.

use madoguchi_server::import::{
    CsvEncoding, ImportError, ImportReport, ImportStatus, RowProblem, import_residents,
};
use madoguchi_store::prelude::*;
use madoguchi_store::{ImportMode, ResidentQuery, TenantId};
use madoguchi_store_sqlite::SqliteStore;
use madoguchi_testkit::residents::*;

fn store() -> (SqliteStore, TenantId) {
    let s = SqliteStore::open_in_memory().expect("store");
    let t = TenantId("t1".into());
    s.ensure_tenant(&t, "さくら野市").expect("tenant");
    (s, t)
}

fn import(
    s: &SqliteStore,
    t: &TenantId,
    mode: ImportMode,
    bytes: &[u8],
) -> Result<ImportReport, ImportError> {
    import_residents(s, t, bytes, &options(mode, bytes))
}

fn seeded() -> (SqliteStore, TenantId) {
    let (s, t) = store();
    let r = import(&s, &t, ImportMode::Full, small_city().as_bytes()).expect("import");
    assert_eq!(r.status, ImportStatus::Applied, "{:?}", r.problems);
    assert_eq!(r.inserted, 8);
    (s, t)
}

/// Imports `bytes` into the seeded store, expects a rejection, and checks nothing changed.
fn rejected(bytes: &[u8]) -> Vec<RowProblem> {
    let (s, t) = seeded();
    let before = snapshot(&s, &t);
    let r = import(&s, &t, ImportMode::Full, bytes).expect("row-level rejection, not a file error");
    assert_eq!(r.status, ImportStatus::Rejected);
    assert_eq!((r.inserted, r.updated, r.removed), (0, 0, 0));
    assert_eq!(
        snapshot(&s, &t),
        before,
        "a rejected import changed the store"
    );
    r.problems
}

fn file_rejected(bytes: &[u8], encoding: CsvEncoding) -> (u64, String) {
    let (s, t) = seeded();
    let before = snapshot(&s, &t);
    let mut opts = options(ImportMode::Full, bytes);
    opts.encoding = encoding;
    let err = import_residents(&s, &t, bytes, &opts).expect_err("file-level rejection");
    assert_eq!(
        snapshot(&s, &t),
        before,
        "a rejected file changed the store"
    );
    match err {
        ImportError::File { line, message, .. } => (line, message),
        ImportError::Store(e) => panic!("store error {e}"),
    }
}

fn snapshot(s: &SqliteStore, t: &TenantId) -> Vec<String> {
    let q = ResidentQuery {
        address: Some(madoguchi_core::text::search_key("さくら野市")),
        // Every resident, the protected included.
        address_matches_protected: true,
        limit: 100,
        ..Default::default()
    };
    let mut v: Vec<String> = s
        .search_residents(t, &q)
        .expect("search")
        .iter()
        .map(|r| format!("{r:?}"))
        .collect();
    v.sort();
    assert_eq!(v.len() as u64, s.count_residents(t).expect("count"));
    v
}

fn only(problems: &[RowProblem]) -> &RowProblem {
    assert_eq!(problems.len(), 1, "{problems:?}");
    &problems[0]
}

#[test]
fn valid_file_imports_and_reimport_is_a_noop() {
    let (s, t) = seeded();
    let r = import(&s, &t, ImportMode::Full, small_city().as_bytes()).expect("import");
    assert_eq!(r.status, ImportStatus::AlreadyApplied);
    assert_eq!(s.count_residents(&t).expect("count"), 8);
    // The same content with CRLF line ends is another file, but changes nothing.
    let crlf = small_city().replace('\n', "\r\n");
    let r = import(&s, &t, ImportMode::Full, crlf.as_bytes()).expect("import");
    assert_eq!(
        (r.status, r.unchanged, r.inserted, r.updated),
        (ImportStatus::Applied, 8, 0, 0)
    );
}

#[test]
fn values_are_normalised_on_import() {
    let (s, t) = seeded();
    let hanako = s
        .get_resident(&t, &madoguchi_core::ids::AtenaNo::from_sequence(2))
        .expect("get")
        .expect("exists");
    assert_eq!(
        hanako.name.kana.as_deref(),
        Some("タカハシ\u{3000}ハナコ"),
        "hiragana reading stored as katakana"
    );
    let ichiro = s
        .get_resident(&t, &madoguchi_core::ids::AtenaNo::from_sequence(3))
        .expect("get")
        .expect("exists");
    assert_eq!(
        ichiro.name.kana.as_deref(),
        Some("タカハシ\u{3000}イチロウ"),
        "half-width reading widened"
    );
    assert_eq!(ichiro.address.postal_code.as_deref(), Some("3760001"));
    assert_eq!(
        hanako.birth.date(),
        chrono::NaiveDate::from_ymd_opt(1977, 3, 3),
        "S52.3.3"
    );
}

#[test]
fn bom_and_crlf_and_quoted_newlines_are_accepted() {
    let mut text = String::from("\u{FEFF}");
    text.push_str(&csv(&[row(1, 1, &[("住所_方書", "コーポ\n本町 101")])]).replace('\n', "\r\n"));
    let (s, t) = store();
    let r = import(&s, &t, ImportMode::Full, text.as_bytes()).expect("import");
    assert_eq!(r.status, ImportStatus::Applied, "{:?}", r.problems);
    let got = s
        .get_resident(&t, &madoguchi_core::ids::AtenaNo::from_sequence(1))
        .expect("get")
        .expect("row");
    assert_eq!(got.address.katagaki.as_deref(), Some("コーポ\r\n本町 101"));
}

#[test]
fn wrong_column_count_names_the_line() {
    let mut text = csv(&[row(10, 10, &[])]);
    text.push_str("1,2,3\n");
    let p = rejected(text.as_bytes());
    let p = only(&p);
    assert_eq!((p.line, p.column.as_deref()), (3, None));
    assert!(p.message.contains("列の数"), "{}", p.message);
}

#[test]
fn nonexistent_era_date_is_rejected() {
    let p = rejected(csv(&[row(10, 10, &[("生年月日", "平成32年1月1日")])]).as_bytes());
    let p = only(&p);
    assert_eq!((p.line, p.column.as_deref()), (2, Some("生年月日")));
    assert!(p.message.contains("平成"), "{}", p.message);
    let p = rejected(csv(&[row(10, 10, &[("生年月日", "2023-02-29")])]).as_bytes());
    assert_eq!(only(&p).column.as_deref(), Some("生年月日"));
    let p = rejected(csv(&[row(10, 10, &[("生年月日", "2030-01-01")])]).as_bytes());
    assert!(only(&p).message.contains("未来"));
    let p = rejected(csv(&[row(10, 10, &[("住所を定めた年月日", "R9.1.1")])]).as_bytes());
    assert_eq!(only(&p).column.as_deref(), Some("住所を定めた年月日"));
}

#[test]
fn bad_check_digits_are_rejected() {
    let good = atena(10);
    let mut bad = good.clone();
    let last = bad.pop().expect("digit");
    bad.push(if last == '9' {
        '0'
    } else {
        char::from(last as u8 + 1)
    });
    let p = rejected(csv(&[row(10, 10, &[("宛名番号", &bad)])]).as_bytes());
    let p = only(&p);
    assert_eq!((p.line, p.column.as_deref()), (2, Some("宛名番号")));
    assert!(p.message.contains("チェックデジット"));
    let p = rejected(csv(&[row(10, 10, &[("世帯番号", "12a")])]).as_bytes());
    assert_eq!(only(&p).column.as_deref(), Some("世帯番号"));
    let p = rejected(csv(&[row(10, 10, &[("住所_市区町村コード", "102122")])]).as_bytes());
    assert_eq!(only(&p).column.as_deref(), Some("住所_市区町村コード"));
}

#[test]
fn unknown_relationship_is_rejected() {
    for bad in ["孫", "祖父", "子の子の子の子の子", "友人"] {
        let p = rejected(csv(&[row(10, 10, &[("続柄表記", bad)])]).as_bytes());
        let p = only(&p);
        assert_eq!(p.column.as_deref(), Some("続柄表記"), "{bad}");
    }
}

#[test]
fn every_bad_row_is_reported_with_its_line() {
    let text = csv(&[
        row(10, 10, &[]),
        row(11, 10, &[("性別", "X"), ("続柄表記", "妻")]),
        row(12, 10, &[("続柄表記", "子"), ("氏名_フリガナ", "Yamada")]),
        row(10, 10, &[]),
        row(
            13,
            10,
            &[("住民種別", "外国人住民"), ("続柄表記", "同居人")],
        ),
    ]);
    let p = rejected(text.as_bytes());
    let lines: Vec<(u64, Option<&str>)> = p.iter().map(|p| (p.line, p.column.as_deref())).collect();
    assert_eq!(
        lines,
        [
            (3, Some("性別")),
            (4, Some("氏名_フリガナ")),
            (5, Some("宛名番号")),
            (6, Some("氏名_外国人ローマ字")),
            (6, Some("国籍名等")),
        ]
    );
    assert!(
        p.iter().all(|p| !p.message.is_ascii()),
        "messages are Japanese"
    );
}

#[test]
fn skip_invalid_applies_the_valid_rows() {
    let (s, t) = store();
    let text = csv(&[
        row(10, 10, &[]),
        row(11, 10, &[("性別", "X"), ("続柄表記", "妻")]),
    ]);
    let mut opts = options(ImportMode::Delta, text.as_bytes());
    opts.skip_invalid = true;
    let r = import_residents(&s, &t, text.as_bytes(), &opts).expect("import");
    assert_eq!(
        (r.status, r.inserted, r.rows_rejected),
        (ImportStatus::Applied, 1, 1)
    );
    assert_eq!(r.problems.len(), 1);
}

#[test]
fn broken_utf8_is_rejected_with_line_and_column() {
    let mut bytes = csv(&[row(10, 10, &[])]).into_bytes();
    let text = csv(&[row(11, 11, &[("氏名", "XX")])]);
    let second = text.lines().nth(1).expect("row");
    let mut broken = second.as_bytes().to_vec();
    let pos = second.find("XX").expect("marker");
    broken[pos] = 0xFF;
    bytes.extend_from_slice(&broken);
    bytes.push(b'\n');
    let p = rejected(&bytes);
    let p = only(&p);
    assert_eq!((p.line, p.column.as_deref()), (3, Some("氏名")));
    assert!(p.message.contains("UTF-8"));
}

#[test]
fn cp932_file_is_read_when_declared_and_broken_cp932_is_rejected() {
    let text = csv(&[row(
        10,
        10,
        &[("氏名", "髙橋\u{3000}太郎"), ("氏名_フリガナ", "ﾀｶﾊｼ ﾀﾛｳ")],
    )]);
    let (sjis, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&text);
    assert!(!unmappable);
    let (s, t) = store();
    let mut opts = options(ImportMode::Full, &sjis);
    opts.encoding = CsvEncoding::Cp932;
    let r = import_residents(&s, &t, &sjis[..], &opts).expect("import");
    assert_eq!(r.status, ImportStatus::Applied, "{:?}", r.problems);
    let got = s
        .get_resident(&t, &madoguchi_core::ids::AtenaNo::from_sequence(10))
        .expect("get")
        .expect("row");
    assert_eq!(got.name.full, "髙橋\u{3000}太郎");
    assert_eq!(got.name.kana.as_deref(), Some("タカハシ\u{3000}タロウ"));

    let mut broken = sjis.into_owned();
    let len = broken.len();
    broken[len - 5] = 0x81; // lead byte followed by an invalid trail byte
    broken[len - 4] = 0x20;
    let (line, message) = file_rejected(&broken, CsvEncoding::Cp932);
    assert_eq!(line, 2);
    assert!(message.contains("Shift_JIS"), "{message}");
    // UTF-8 read as declared UTF-8 but actually Shift_JIS: the header is unreadable.
    let header_sjis = encoding_rs::SHIFT_JIS.encode(&text).0.into_owned();
    let (line, message) = file_rejected(&header_sjis, CsvEncoding::Utf8);
    assert_eq!(line, 1);
    assert!(message.contains("cp932"), "{message}");
}

#[test]
fn ten_megabyte_field_is_rejected_not_stored() {
    let big = "あ".repeat(10 * 1024 * 1024 / 3);
    let p = rejected(csv(&[row(10, 10, &[("住所_方書", &big)])]).as_bytes());
    let p = only(&p);
    assert_eq!((p.line, p.column.as_deref()), (2, Some("住所_方書")));
    assert!(p.message.contains("長すぎ"));
}

#[test]
fn header_problems_reject_the_file() {
    let (line, m) = file_rejected(b"", CsvEncoding::Utf8);
    assert_eq!(line, 1);
    assert!(m.contains("空"), "{m}");
    let text = small_city().replacen("支援措置", "支援措置X", 1);
    let (_, m) = file_rejected(text.as_bytes(), CsvEncoding::Utf8);
    assert!(m.contains("支援措置X"), "{m}");
    let text = small_city().replacen("続柄表記", "備考", 1);
    let (_, m) = file_rejected(text.as_bytes(), CsvEncoding::Utf8);
    assert!(m.contains("備考"), "{m}");
    let text = small_city().replacen(",続柄表記", "", 1);
    let (_, m) = file_rejected(text.as_bytes(), CsvEncoding::Utf8);
    assert!(m.contains("続柄表記"), "{m}");
}

#[test]
fn delta_mode_updates_and_deletes() {
    let (s, t) = seeded();
    let mut header = header().join(",");
    header.push_str(",削除フラグ\n");
    let text = format!(
        "{header}{},0\n{},1\n",
        row(
            6,
            200,
            &[
                ("氏名", "𠮷田\u{3000}健"),
                ("氏名_フリガナ", "ヨシダ\u{3000}ケン"),
                ("生年月日", "1950-12-31"),
                ("住所_方書", "本町ハイツ1号")
            ]
        ),
        row(8, 400, &[])
    );
    let r = import(&s, &t, ImportMode::Delta, text.as_bytes()).expect("import");
    assert_eq!(
        (r.status, r.updated, r.removed),
        (ImportStatus::Applied, 1, 1),
        "{:?}",
        r.problems
    );
    assert_eq!(s.count_residents(&t).expect("count"), 7);
    // 削除フラグ is a delta-only column.
    let p = rejected(text.as_bytes());
    assert_eq!(p[0].column.as_deref(), Some("削除フラグ"));
}

#[test]
fn full_mode_removes_residents_absent_from_the_file() {
    let (s, t) = seeded();
    let text = csv(&[row(
        1,
        100,
        &[
            ("氏名", "髙橋\u{3000}太郎"),
            ("氏", "髙橋"),
            ("氏名_フリガナ", "タカハシ\u{3000}タロウ"),
            ("生年月日", "昭和50年1月1日"),
        ],
    )]);
    let r = import(&s, &t, ImportMode::Full, text.as_bytes()).expect("import");
    assert_eq!((r.unchanged, r.removed), (1, 7));
    assert_eq!(s.count_residents(&t).expect("count"), 1);
}

#[test]
fn full_import_needs_exactly_one_head_per_household() {
    let text = csv(&[
        row(10, 10, &[]),
        row(11, 10, &[("続柄表記", "世帯主")]),
        row(12, 20, &[("続柄表記", "子")]),
        row(13, 20, &[("続柄表記", "妻")]),
    ]);
    let p = rejected(text.as_bytes());
    let got: Vec<(u64, Option<&str>)> = p.iter().map(|p| (p.line, p.column.as_deref())).collect();
    assert_eq!(got, [(3, Some("続柄表記")), (4, Some("世帯番号"))]);
    assert!(p[0].message.contains("複数"), "{}", p[0].message);
    assert!(
        p[1].message.contains("世帯主がいません") && p[1].message.contains(&atena(20)),
        "{}",
        p[1].message
    );
    // A delta file may carry part of a household.
    let (s, t) = seeded();
    let delta = csv(&[row(
        12,
        100,
        &[("続柄表記", "子"), ("氏名_フリガナ", "タカハシ　サン")],
    )]);
    let r = import(&s, &t, ImportMode::Delta, delta.as_bytes()).expect("import");
    assert_eq!(
        (r.status, r.inserted),
        (ImportStatus::Applied, 1),
        "{:?}",
        r.problems
    );
}

/// A file with the optional columns 本籍, 筆頭者, 住民票コード, 前住所: read when valid; an 住民票コード
/// that is not 11 digits and a foreign resident's 本籍 refused with line and column.
#[test]
fn registry_items_are_read_and_bad_values_refused() {
    let with_items = |rows: &[(String, &str)]| {
        let mut s = header().join(",");
        s.push_str(",本籍,筆頭者,住民票コード,前住所\n");
        for (r, extra) in rows {
            s.push_str(&format!("{r},{extra}\n"));
        }
        s
    };
    let (s, t) = store();
    let good = with_items(&[(
        row(10, 10, &[]),
        "群馬県さくら野市本町1番地,山田\u{3000}太郎,１２３４５６７８９０１,東京都千代田区千代田1番1号",
    )]);
    let r = import(&s, &t, ImportMode::Full, good.as_bytes()).expect("import");
    assert_eq!(r.status, ImportStatus::Applied, "{:?}", r.problems);
    let got = s
        .get_resident(
            &t,
            &madoguchi_core::ids::AtenaNo::parse(&atena(10)).expect("atena"),
        )
        .expect("get")
        .expect("resident");
    assert_eq!(
        got.registry.honseki.as_deref(),
        Some("群馬県さくら野市本町1番地")
    );
    assert_eq!(
        got.registry.juminhyo_code.as_ref().map(|c| c.as_str()),
        Some("12345678901")
    );
    assert_eq!(
        got.registry.previous_address.as_deref(),
        Some("東京都千代田区千代田1番1号")
    );

    let bad = with_items(&[(row(10, 10, &[]), ",,1234567890,")]);
    let p = rejected(bad.as_bytes());
    let p = only(&p);
    assert_eq!((p.line, p.column.as_deref()), (2, Some("住民票コード")));
    assert_eq!(p.message, "住民票コードは11桁の数字で入力してください。");

    let foreign = row(
        10,
        10,
        &[
            ("住民種別", "外国人住民"),
            ("氏名_外国人ローマ字", "SMITH JOHN"),
            ("国籍名等", "アメリカ合衆国"),
        ],
    );
    let p = rejected(with_items(&[(foreign, "東京都千代田区千代田1番地,,,")]).as_bytes());
    let p = only(&p);
    assert_eq!((p.line, p.column.as_deref()), (2, Some("本籍")));
    assert_eq!(p.message, "外国人住民に「本籍」は入力できません。");
}
