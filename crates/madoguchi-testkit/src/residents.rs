//! Resident CSV files for tests: rows built from column overrides over valid defaults (the national
//! 基本データリスト names the importer reads), and the small city most API tests start from.

use chrono::NaiveDate;
use madoguchi_core::ids::AtenaNo;
use madoguchi_server::import::{CsvEncoding, ImportOptions, sha256_hex};
use madoguchi_store::ImportMode;

/// The columns of the test files, in order: the core's resident CSV columns through 仮支援措置 (the
/// columns a current-state file without deletions has).
pub fn header() -> Vec<&'static str> {
    madoguchi_core::resident_csv::columns_through("仮支援措置")
}

/// The tests' today.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("date")
}

/// The 宛名番号 with sequence number `seq` (check digit included).
pub fn atena(seq: u64) -> String {
    AtenaNo::from_sequence(seq).as_str().to_owned()
}

fn quote(v: &str) -> String {
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_owned()
    }
}

/// One CSV line (no line end) for [`header`]: valid defaults for a Japanese 世帯主, then `overrides`.
pub fn row(seq: u64, household: u64, overrides: &[(&str, &str)]) -> String {
    let a = atena(seq);
    let h = atena(household);
    let banchi = format!("{household}番地");
    let defaults: Vec<(&str, &str)> = vec![
        ("宛名番号", &a),
        ("世帯番号", &h),
        ("住民種別", "日本人住民"),
        ("住民状態", "住民"),
        ("氏名", "山田\u{3000}太郎"),
        ("氏", "山田"),
        ("名", "太郎"),
        ("氏名_フリガナ", "ヤマダ\u{3000}タロウ"),
        ("生年月日", "1975-01-01"),
        ("性別", "男"),
        ("続柄表記", "世帯主"),
        ("住所_市区町村コード", "102121"),
        ("住所_町字コード", "0001001"),
        ("住所_都道府県", "群馬県"),
        ("住所_市区郡町村名", "さくら野市"),
        ("住所_町字", "本町"),
        ("住所_番地号表記", &banchi),
        ("住所_郵便番号", "376-0001"),
        ("住民となった年月日", "2000-04-01"),
        ("住所を定めた年月日", "2000-04-01"),
        ("支援措置", "0"),
    ];
    header()
        .into_iter()
        .map(|col| {
            let v = overrides
                .iter()
                .rev()
                .find(|(c, _)| *c == col)
                .or_else(|| defaults.iter().find(|(c, _)| *c == col))
                .map_or("", |(_, v)| *v);
            quote(v)
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// A whole file: the header line, then `rows`, each ending with a line feed.
pub fn csv(rows: &[String]) -> String {
    let mut s = header().join(",");
    s.push('\n');
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s
}

/// A small city: a three-generation household with variant kanji, a 𠮷田 single, a foreign resident
/// with 通称, and a 支援措置 resident.
pub fn small_city() -> String {
    csv(&[
        row(
            1,
            100,
            &[
                ("氏名", "髙橋\u{3000}太郎"),
                ("氏", "髙橋"),
                ("氏名_フリガナ", "タカハシ\u{3000}タロウ"),
                ("生年月日", "昭和50年1月1日"),
            ],
        ),
        row(
            2,
            100,
            &[
                ("氏名", "髙橋\u{3000}花子"),
                ("氏", "髙橋"),
                ("名", "花子"),
                ("氏名_フリガナ", "たかはし　はなこ"),
                ("生年月日", "S52.3.3"),
                ("性別", "女"),
                ("続柄表記", "妻"),
                ("旧氏", "佐藤"),
            ],
        ),
        row(
            3,
            100,
            &[
                ("氏名", "髙橋\u{3000}一郎"),
                ("氏", "髙橋"),
                ("名", "一郎"),
                ("氏名_フリガナ", "ﾀｶﾊｼ ｲﾁﾛｳ"),
                ("生年月日", "2012-04-02"),
                ("続柄表記", "子"),
            ],
        ),
        row(
            4,
            100,
            &[
                ("氏名", "髙橋\u{3000}ハル"),
                ("氏", "髙橋"),
                ("名", "ハル"),
                ("氏名_フリガナ", "タカハシ\u{3000}ハル"),
                ("生年月日", "1948-02-29"),
                ("性別", "女"),
                ("続柄表記", "母"),
            ],
        ),
        row(
            5,
            100,
            &[
                ("氏名", "髙橋\u{3000}二郎"),
                ("氏", "髙橋"),
                ("名", "二郎"),
                ("氏名_フリガナ", "タカハシ\u{3000}ジロウ"),
                ("生年月日", "2010-07-07"),
                ("続柄表記", "子"),
            ],
        ),
        row(
            6,
            200,
            &[
                ("氏名", "𠮷田\u{3000}健"),
                ("氏", "𠮷田"),
                ("名", "健"),
                ("氏名_フリガナ", "ヨシダ\u{3000}ケン"),
                ("生年月日", "1950-12-31"),
            ],
        ),
        row(
            7,
            300,
            &[
                ("住民種別", "外国人住民"),
                ("氏名", "NGUYEN VAN AN"),
                ("氏", ""),
                ("名", ""),
                ("氏名_フリガナ", ""),
                ("氏名_外国人ローマ字", "NGUYEN VAN AN"),
                ("通称", "山本\u{3000}アン"),
                ("通称_フリガナ", "ヤマモト\u{3000}アン"),
                ("生年月日", "1995-08-20"),
                ("国籍名等", "ベトナム"),
                ("在留資格", "技術・人文知識・国際業務"),
                ("在留期間", "3年"),
                ("在留期間の満了の日", "2028-03-31"),
            ],
        ),
        row(
            8,
            400,
            &[
                ("氏名", "渡邉\u{3000}さくら"),
                ("氏", "渡邉"),
                ("名", "さくら"),
                ("氏名_フリガナ", "ワタナベ\u{3000}サクラ"),
                ("生年月日", "1990-05-05"),
                ("性別", "女"),
                ("支援措置", "1"),
                ("住所_方書", "さくら野ハイツ201号"),
            ],
        ),
    ])
}

/// Import options for a UTF-8 file of these bytes, today being [`today`], nothing skipped.
pub fn options(mode: ImportMode, bytes: &[u8]) -> ImportOptions {
    ImportOptions {
        audit: None,
        mode,
        encoding: CsvEncoding::Utf8,
        skip_invalid: false,
        today: today(),
        source_name: "test.csv".into(),
        sha256: sha256_hex(bytes).expect("hash"),
    }
}
