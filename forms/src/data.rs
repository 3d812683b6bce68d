//! Paths into the case data (`applicant.name`, `movers[2].kana`, `event.date|wareki`) and the filters
//! that format values for a form.

use chrono::NaiveDate;
use serde_json::Value;

/// A parsed bind: steps into the JSON, then filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    steps: Vec<Step>,
    filters: Vec<Filter>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// Formatting applied after the lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// ISO date → 令和8年11月23日.
    Wareki,
    /// ISO date → 令和 (for 明・大・昭・平・令 choices).
    Era,
    /// ISO date → the 和暦 year number (元 for the first year).
    WarekiYear,
    /// ISO date → month, day.
    Month,
    Day,
    /// Keep digits only (postal code 376-0001 → 3760001).
    Digits,
    /// A number of yen → 1,350円.
    Yen,
}

impl Filter {
    fn parse(name: &str) -> Option<Filter> {
        Some(match name {
            "wareki" => Filter::Wareki,
            "era" => Filter::Era,
            "wareki_year" => Filter::WarekiYear,
            "month" => Filter::Month,
            "day" => Filter::Day,
            "digits" => Filter::Digits,
            "yen" => Filter::Yen,
            _ => return None,
        })
    }
}

impl Path {
    /// Parses `a.b[2].c|filter|filter`. Special paths: `$page`, `$pages` (page numbers of a form).
    pub fn parse(s: &str) -> Result<Path, String> {
        let mut parts = s.split('|');
        let path = parts.next().unwrap_or("").trim();
        if path.is_empty() {
            return Err("パスが空です。".into());
        }
        let mut steps = Vec::new();
        for seg in path.split('.') {
            let (key, mut rest) = match seg.find('[') {
                Some(i) => (&seg[..i], &seg[i..]),
                None => (seg, ""),
            };
            let key_ok = !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
            if !key_ok {
                return Err(format!("「{seg}」は名前として使えません。"));
            }
            steps.push(Step::Key(key.to_owned()));
            while !rest.is_empty() {
                let Some(end) = rest.find(']') else {
                    return Err(format!("「{seg}」の [ が閉じていません。"));
                };
                let n: usize = rest[1..end]
                    .parse()
                    .map_err(|_| format!("「{seg}」の添字は 0 以上の整数にしてください。"))?;
                steps.push(Step::Index(n));
                rest = &rest[end + 1..];
                if !rest.is_empty() && !rest.starts_with('[') {
                    return Err(format!("「{seg}」の書き方が正しくありません。"));
                }
            }
        }
        let filters = parts
            .map(|f| {
                let f = f.trim();
                Filter::parse(f).ok_or_else(|| {
                    format!("フィルタ「{f}」はありません（wareki, era, wareki_year, month, day, digits, yen）。")
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Path { steps, filters })
    }

    /// The JSON value at this path (before filters), if any.
    pub fn lookup<'a>(&self, root: &'a Value) -> Option<&'a Value> {
        let mut v = root;
        for s in &self.steps {
            v = match s {
                Step::Key(k) => v.get(k)?,
                Step::Index(i) => v.get(*i)?,
            };
        }
        Some(v)
    }

    /// The text a form prints for this path: the value as text, then the filters. Missing values and
    /// `null` print nothing.
    pub fn text(&self, root: &Value) -> String {
        let mut s = match self.lookup(root) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(Value::Bool(b)) => {
                if *b {
                    "true".into()
                } else {
                    String::new()
                }
            }
            Some(Value::Number(n)) => n.to_string(),
            Some(v) => v.to_string(),
        };
        for f in &self.filters {
            s = apply(*f, &s);
        }
        s
    }
}

fn apply(f: Filter, s: &str) -> String {
    if s.is_empty() {
        return String::new();
    }
    let date = || {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .or_else(|| madoguchi_core::wareki::parse_date(s).ok())
    };
    let wareki = || date().and_then(|d| madoguchi_core::wareki::to_wareki(d).ok());
    match f {
        Filter::Wareki => wareki().map_or_else(|| s.to_owned(), |w| w.to_string()),
        Filter::Era => wareki().map_or_else(String::new, |w| w.era),
        Filter::WarekiYear => wareki().map_or_else(String::new, |w| {
            if w.year == 1 {
                "元".into()
            } else {
                w.year.to_string()
            }
        }),
        Filter::Month => {
            date().map_or_else(String::new, |d| chrono::Datelike::month(&d).to_string())
        }
        Filter::Day => date().map_or_else(String::new, |d| chrono::Datelike::day(&d).to_string()),
        Filter::Digits => s
            .chars()
            .filter_map(|c| {
                if c.is_ascii_digit() {
                    Some(c)
                } else if ('０'..='９').contains(&c) {
                    char::from_u32(c as u32 - '０' as u32 + '0' as u32)
                } else {
                    None
                }
            })
            .collect(),
        Filter::Yen => s.parse::<i64>().map_or_else(
            |_| s.to_owned(),
            |n| {
                let digits = n.abs().to_string();
                let mut out = String::new();
                for (i, c) in digits.chars().enumerate() {
                    if i > 0 && (digits.len() - i) % 3 == 0 {
                        out.push(',');
                    }
                    out.push(c);
                }
                format!("{}{out}円", if n < 0 { "-" } else { "" })
            },
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_and_filters() {
        let data = json!({
            "applicant": {"name": "𠮷田\u{3000}健", "postal": "376-0001"},
            "movers": [{"kana": "ヨシダ"}, {"kana": "ハナコ", "birth": "2019-05-01"}],
            "event": {"date": "2026-11-23"},
            "fee": 1350,
        });
        let t = |p: &str| Path::parse(p).expect(p).text(&data);
        assert_eq!(t("applicant.name"), "𠮷田\u{3000}健");
        assert_eq!(t("movers[1].kana"), "ハナコ");
        assert_eq!(t("movers[5].kana"), "", "missing prints nothing");
        assert_eq!(t("event.date|wareki"), "令和8年11月23日");
        assert_eq!(t("movers[1].birth|era"), "令和");
        assert_eq!(t("movers[1].birth|wareki_year"), "元");
        assert_eq!(t("event.date|month"), "11");
        assert_eq!(t("applicant.postal|digits"), "3760001");
        assert_eq!(t("fee|yen"), "1,350円");
        for bad in ["", "a..b", "a[x]", "a[1", "a|nosuch", "a-b"] {
            assert!(Path::parse(bad).is_err(), "{bad}");
        }
    }
}
