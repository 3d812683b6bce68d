//! CSV cells of files that people open in a spreadsheet or that an RPA reads (the audit export, the
//! tenant hand-over, the RPA link data, statistics): RFC 4180 quoting, and **formula neutralisation** —
//! a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return would be run as a formula by
//! Excel or LibreOffice, so it is written with a leading `'`, which spreadsheets show as text. A cell
//! that already starts with `'` gets one more, so that [`restore`] gives back exactly what was written
//! (the hand-over import reads its own files through it). Files for the core systems' own importers
//! (住民異動届, 交付申請, 券面事項) keep their values unchanged.

/// The value with a leading `'` when a spreadsheet would take it as a formula (or it starts with `'`).
pub fn neutralised(v: &str) -> std::borrow::Cow<'_, str> {
    match v.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\'') => format!("'{v}").into(),
        _ => v.into(),
    }
}

/// The value as written before [`neutralised`].
pub fn restore(v: &str) -> &str {
    v.strip_prefix('\'').unwrap_or(v)
}

/// RFC 4180 quoting: in double quotes when the value holds a comma, a quote or a line break.
pub fn quoted(v: &str) -> String {
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_owned()
    }
}

/// One cell of a CSV file for people: neutralised, then quoted.
pub fn cell(v: &str) -> String {
    quoted(&neutralised(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_restored_exactly() {
        for (raw, written) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"",
            ),
            ("+81", "'+81"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tcmd", "'\tcmd"),
            ("\rcmd", "\"'\rcmd\""),
            ("'quoted", "''quoted"),
            ("山田 太郎", "山田 太郎"),
            ("1975-01-01", "1975-01-01"),
            ("a,b", "\"a,b\""),
            ("", ""),
        ] {
            assert_eq!(cell(raw), written, "{raw:?}");
            assert_eq!(restore(&neutralised(raw)), raw, "{raw:?}");
        }
    }
}
