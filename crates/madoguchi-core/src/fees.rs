//! Certificate fees (手数料): a per-city table as data (`crates/madoguchi-core/data/fees.toml` is the standard one; a city
//! replaces it according to its 手数料条例), exemptions to 0円 with the reason printed on the request, and
//! the total of a request.

use serde::{Deserialize, Serialize};

/// The standard fee table, compiled in.
pub const STANDARD: &str = include_str!("../data/fees.toml");

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FeeItem {
    pub code: String,
    pub name: String,
    /// Yen per copy.
    pub yen: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Exemption {
    pub code: String,
    pub name: String,
    /// Printed on the request and the receipt.
    pub reason: String,
    /// Item codes it applies to.
    pub items: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FeeTable {
    pub city: String,
    pub items: Vec<FeeItem>,
    #[serde(default)]
    pub exemptions: Vec<Exemption>,
}

/// One line asked for.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Request {
    pub item: String,
    pub copies: u32,
    #[serde(default)]
    pub exemption: Option<String>,
}

/// One line of a quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub item: String,
    pub name: String,
    pub copies: u32,
    pub unit_yen: u32,
    pub yen: u32,
    /// Why the line costs nothing, when exempt.
    pub exemption_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub lines: Vec<Line>,
    pub total_yen: u32,
}

impl FeeTable {
    /// Parses and checks a table (see [`FeeTable::checked`]).
    pub fn parse(text: &str) -> Result<FeeTable, String> {
        let t: FeeTable = toml::from_str(text)
            .map_err(|e| format!("手数料表の書式が正しくありません: {}", e.message()))?;
        t.checked()
    }

    /// The table if it holds together (the reason in Japanese otherwise): item and exemption codes
    /// present and unique, names present, fees up to 100,000 円, exemptions with a reason and naming
    /// existing items.
    ///
    /// ```
    /// use madoguchi_core::fees::{FeeItem, FeeTable};
    /// let item = |code: &str| FeeItem { code: code.into(), name: "住民票の写し".into(), yen: 300 };
    /// let t = FeeTable { city: "さくら野市".into(), items: vec![item("JUMINHYO"), item("JUMINHYO")], exemptions: vec![] };
    /// assert_eq!(t.checked().expect_err("refused"), "手数料表: 「JUMINHYO」が重複しています。");
    /// ```
    pub fn checked(self) -> Result<FeeTable, String> {
        let mut codes = std::collections::BTreeSet::new();
        for i in &self.items {
            if i.code.trim().is_empty() || i.name.trim().is_empty() {
                return Err("手数料表: コードと名称のない項目があります。".into());
            }
            if i.yen > 100_000 {
                return Err(format!("手数料表: 「{}」の手数料が大きすぎます。", i.name));
            }
            if !codes.insert(i.code.as_str()) {
                return Err(format!("手数料表: 「{}」が重複しています。", i.code));
            }
        }
        let mut exemptions = std::collections::BTreeSet::new();
        for x in &self.exemptions {
            if x.code.trim().is_empty() || x.name.trim().is_empty() || x.reason.trim().is_empty() {
                return Err("手数料表: コード・名称・理由のない免除があります。".into());
            }
            if !exemptions.insert(x.code.as_str()) {
                return Err(format!("手数料表: 免除「{}」が重複しています。", x.code));
            }
            if let Some(bad) = x.items.iter().find(|c| !codes.contains(c.as_str())) {
                return Err(format!(
                    "手数料表: 免除「{}」の対象「{bad}」がありません。",
                    x.code
                ));
            }
        }
        Ok(self)
    }

    /// The table as the TOML text a city's setting stores (read back by [`FeeTable::parse`]).
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a fee table is plain data")
    }

    pub fn standard() -> Result<FeeTable, String> {
        FeeTable::parse(STANDARD)
    }

    /// The lines and total of a request. Errors (Japanese) name the line.
    pub fn quote(&self, requests: &[Request]) -> Result<Quote, String> {
        let mut lines = Vec::new();
        for (n, r) in requests.iter().enumerate() {
            let at = n + 1;
            let item = self
                .items
                .iter()
                .find(|i| i.code == r.item)
                .ok_or_else(|| format!("{at}行目: 証明「{}」は手数料表にありません。", r.item))?;
            if !(1..=50).contains(&r.copies) {
                return Err(format!("{at}行目: 通数は1〜50にしてください。"));
            }
            let exemption = match &r.exemption {
                None => None,
                Some(code) => {
                    let x = self
                        .exemptions
                        .iter()
                        .find(|x| &x.code == code)
                        .ok_or_else(|| format!("{at}行目: 免除「{code}」はありません。"))?;
                    if !x.items.contains(&item.code) {
                        return Err(format!(
                            "{at}行目: 「{}」は{}の免除の対象外です。",
                            item.name, x.name
                        ));
                    }
                    Some(x.reason.clone())
                }
            };
            let yen = if exemption.is_some() {
                0
            } else {
                item.yen * r.copies
            };
            lines.push(Line {
                item: item.code.clone(),
                name: item.name.clone(),
                copies: r.copies,
                unit_yen: item.yen,
                yen,
                exemption_reason: exemption,
            });
        }
        let total_yen = lines.iter().map(|l| l.yen).sum();
        Ok(Quote { lines, total_yen })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_round_trips_through_its_stored_text() {
        let standard = FeeTable::standard().expect("standard");
        assert_eq!(FeeTable::parse(&standard.to_toml()), Ok(standard));
    }

    #[test]
    fn a_table_that_does_not_hold_together_is_refused_with_the_reason() {
        let mut t = FeeTable::standard().expect("standard");
        t.items[0].name = " ".into();
        assert!(
            t.clone()
                .checked()
                .expect_err("refused")
                .contains("名称のない項目")
        );
        let mut t = FeeTable::standard().expect("standard");
        t.exemptions.push(t.exemptions[0].clone());
        assert!(
            t.checked()
                .expect_err("refused")
                .contains("が重複しています")
        );
        let mut t = FeeTable::standard().expect("standard");
        t.exemptions[0].items.push("NOSUCH".into());
        assert!(
            t.checked()
                .expect_err("refused")
                .contains("「NOSUCH」がありません")
        );
    }

    fn req(item: &str, copies: u32, exemption: Option<&str>) -> Request {
        Request {
            item: item.into(),
            copies,
            exemption: exemption.map(str::to_owned),
        }
    }

    #[test]
    fn totals_and_exemptions() {
        let t = FeeTable::standard().expect("standard");
        let q = t
            .quote(&[
                req("JUMINHYO", 2, None),
                req("INKAN-SHOMEI", 1, None),
                req("KOSEKI-ZENBU", 1, Some("JIDOU-FUYOU")),
                req("TENSHUTSU-SHOMEI", 1, None),
            ])
            .expect("quote");
        assert_eq!(q.total_yen, 600 + 300);
        assert_eq!(q.lines[2].yen, 0);
        assert!(
            q.lines[2]
                .exemption_reason
                .as_deref()
                .is_some_and(|r| r.contains("児童扶養手当"))
        );
        let e = t
            .quote(&[req("INKAN-SHOMEI", 1, Some("NENKIN"))])
            .expect_err("not covered");
        assert!(e.contains("1行目") && e.contains("対象外"), "{e}");
        assert!(t.quote(&[req("NOSUCH", 1, None)]).is_err());
        assert!(t.quote(&[req("JUMINHYO", 0, None)]).is_err());
        assert_eq!(t.quote(&[]).expect("empty").total_yen, 0);
    }

    #[test]
    fn a_city_replaces_the_table_and_bad_tables_are_refused() {
        let city = "city = \"もみじ町\"\n[[items]]\ncode = \"JUMINHYO\"\nname = \"住民票の写し\"\nyen = 200\n";
        let t = FeeTable::parse(city).expect("city table");
        assert_eq!(
            t.quote(&[req("JUMINHYO", 3, None)]).expect("q").total_yen,
            600
        );
        let dup = format!("{city}[[items]]\ncode = \"JUMINHYO\"\nname = \"x\"\nyen = 1\n");
        assert!(FeeTable::parse(&dup).expect_err("dup").contains("重複"));
        let bad_x = format!(
            "{city}[[exemptions]]\ncode = \"X\"\nname = \"x\"\nreason = \"r\"\nitems = [\"KOSEKI\"]\n"
        );
        assert!(FeeTable::parse(&bad_x).expect_err("bad").contains("KOSEKI"));
        assert!(FeeTable::parse("city = 1").is_err());
    }
}
