//! The portal's forms (手続) Madoguchi accepts, and what each becomes: its kind (so that other
//! features can join it — the 転入予約 preparation reads `tennyu_yoyaku`) and the catalogue's
//! procedure codes of the case it turns into.
//!
//! **Assumption:** the portal's own procedure codes are assigned per city when a form is published
//! on ぴったりサービス; the codes below are this project's names for the standard forms (the 子育て・
//! 介護 26 手続 and the 引越しワンストップ), to be replaced by a city's real codes in its setup.

/// A form the city accepts through the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortalForm {
    pub code: &'static str,
    /// `pittari`, `tennyu_yoyaku` or `tenshutsu`.
    pub kind: &'static str,
    /// What staff read.
    pub name: &'static str,
    /// Procedure codes of the catalogue (`crates/madoguchi-core/data/procedures/`).
    pub procedures: &'static [&'static str],
}

const fn f(
    code: &'static str,
    kind: &'static str,
    name: &'static str,
    procedures: &'static [&'static str],
) -> PortalForm {
    PortalForm {
        code,
        kind,
        name,
        procedures,
    }
}

/// Every accepted form.
pub const FORMS: &[PortalForm] = &[
    f(
        "PT-JIDOU-NINTEI",
        "pittari",
        "児童手当 認定請求",
        &["JIDOU-TEATE-NINTEI"],
    ),
    f(
        "PT-JIDOU-KAITEI",
        "pittari",
        "児童手当 額改定請求",
        &["JIDOU-TEATE-KAITEI"],
    ),
    f(
        "PT-JIDOU-SHOUMETSU",
        "pittari",
        "児童手当 受給事由消滅届",
        &["JIDOU-TEATE-SHOUMETSU"],
    ),
    f(
        "PT-HOIKU",
        "pittari",
        "保育所等の利用申込み",
        &["HOIKU-NYUEN"],
    ),
    f("PT-BOSHI", "pittari", "妊娠の届出", &["BOSHI-TECHOU"]),
    f(
        "PT-KODOMO-IRYOU",
        "pittari",
        "子ども医療費受給資格の申請",
        &["KODOMO-IRYOU"],
    ),
    f("MO-TENSHUTSU", "tenshutsu", "転出届", &["JUKI-TENSHUTSU"]),
    f(
        "MO-TENNYU-YOYAKU",
        "tennyu_yoyaku",
        "転入予約",
        &["JUKI-TENNYU"],
    ),
];

/// The accepted form of a code.
pub fn find(code: &str) -> Option<&'static PortalForm> {
    FORMS.iter().find(|f| f.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_procedure_is_in_the_standard_catalogue() {
        let catalog = madoguchi_core::navigation::Catalog::standard().expect("catalogue");
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).expect("date");
        let codes: Vec<&str> = catalog.in_force(today).map(|p| p.code.as_str()).collect();
        for form in FORMS {
            for p in form.procedures {
                assert!(codes.contains(p), "{} names unknown {p}", form.code);
            }
        }
        assert_eq!(find("MO-TENSHUTSU").map(|f| f.kind), Some("tenshutsu"));
        assert!(find("XX").is_none());
    }
}
