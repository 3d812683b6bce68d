//! The resident CSV: the columns of 住民記録 data as Madoguchi reads it (the 001o006 住民情報 feed, the
//! `import residents` command, tenant hand-over) and as the demo city writes it — defined once, here.
//! The layout is documented in `docs/resident-csv.md`.

/// Known columns, in the documented order. `true` = required for every row.
pub const COLUMNS: &[(&str, bool)] = &[
    ("宛名番号", true),
    ("世帯番号", true),
    ("住民種別", true),
    ("住民状態", false),
    ("氏名", true),
    ("氏", false),
    ("名", false),
    ("氏名_フリガナ", false),
    ("氏_フリガナ", false),
    ("名_フリガナ", false),
    ("旧氏", false),
    ("旧氏_フリガナ", false),
    ("通称", false),
    ("通称_フリガナ", false),
    ("氏名_外国人ローマ字", false),
    ("氏名_外国人漢字", false),
    ("生年月日", false),
    ("生年月日_不詳フラグ", false),
    ("生年月日_不詳表記", false),
    ("性別", true),
    ("続柄表記", true),
    ("住所_市区町村コード", true),
    ("住所_町字コード", false),
    ("住所_都道府県", true),
    ("住所_市区郡町村名", true),
    ("住所_町字", true),
    ("住所_番地号表記", false),
    ("住所_方書", false),
    ("住所_郵便番号", false),
    ("住民となった年月日", false),
    ("住所を定めた年月日", false),
    ("国籍名等", false),
    ("在留資格", false),
    ("在留期間", false),
    ("在留期間の満了の日", false),
    ("支援措置", false),
    ("仮支援措置", false),
    ("削除フラグ", false),
    // 住民票の記載事項 printed only on request (optional: a file without them stays valid).
    ("本籍", false),
    ("筆頭者", false),
    ("住民票コード", false),
    ("前住所", false),
    // History-bearing feeds (001o006 as 基幹系 deliver it): only rows with 最新フラグ 1 are current; of
    // several for one 宛名番号 the highest (履歴番号, 履歴番号枝番) wins.
    ("履歴番号", false),
    ("履歴番号枝番", false),
    ("最新フラグ", false),
];

/// The columns up to and including `last`, in order (a writer's header for the columns it fills).
pub fn columns_through(last: &str) -> Vec<&'static str> {
    let end = COLUMNS
        .iter()
        .position(|(c, _)| *c == last)
        .map_or(COLUMNS.len(), |i| i + 1);
    COLUMNS[..end].iter().map(|(c, _)| *c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_the_keys_required() {
        let mut names: Vec<&str> = COLUMNS.iter().map(|(c, _)| *c).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), COLUMNS.len());
        for key in ["宛名番号", "世帯番号", "氏名", "性別"] {
            assert!(COLUMNS.contains(&(key, true)), "{key}");
        }
        assert_eq!(columns_through("世帯番号"), ["宛名番号", "世帯番号"]);
    }
}
