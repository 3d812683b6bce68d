//! Which certificates each counter issues (窓口ごとに発行する証明書), set by the city: per counter code,
//! the fee-table items its certificate step offers and its staff may issue (a 支所 that issues only the
//! 住民票の写し and the 印鑑登録証明書, say). A counter the city did not restrict issues every certificate,
//! as every counter does while nothing is set. Issuance stations are set up on their own
//! (`station_setup`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The city's rule: counter code → the items it issues. Counters not named issue everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CounterItems(BTreeMap<String, Vec<String>>);

impl CounterItems {
    /// The stored form (JSON, `{"shisho-1": ["JUMINHYO", "INKAN-SHOMEI"]}`); empty text is no rule.
    pub fn parse(text: &str) -> Result<CounterItems, String> {
        if text.trim().is_empty() {
            return Ok(CounterItems::default());
        }
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    pub fn to_text(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_default()
    }

    /// The rule an administrator chose: per counter, the items ticked. Each counter must be one of
    /// `counters` and named once, each item one of `items` (the fee table) and ticked once; a counter
    /// with every item ticked is left unrestricted (it then also issues items the fee table gains
    /// later). Japanese reason otherwise.
    ///
    /// ```
    /// use madoguchi_core::certificate::counter_items::CounterItems;
    /// let items = ["JUMINHYO", "INKAN-SHOMEI", "KOSEKI-ZENBU"];
    /// let counters = ["shimin-1", "shisho-1"];
    /// let rule = CounterItems::from_choices(
    ///     &[("shimin-1", vec!["JUMINHYO", "INKAN-SHOMEI", "KOSEKI-ZENBU"]),
    ///       ("shisho-1", vec!["JUMINHYO"])],
    ///     &counters,
    ///     &items,
    /// )
    /// .unwrap();
    /// assert_eq!(rule.of("shimin-1"), None); // everything: unrestricted
    /// assert_eq!(rule.of("shisho-1"), Some(&["JUMINHYO".to_owned()][..]));
    /// assert!(CounterItems::from_choices(&[("nowhere", vec![])], &counters, &items).is_err());
    /// assert!(CounterItems::from_choices(&[("shisho-1", vec!["KOSEKI"])], &counters, &items).is_err());
    /// ```
    pub fn from_choices(
        choices: &[(&str, Vec<&str>)],
        counters: &[&str],
        items: &[&str],
    ) -> Result<CounterItems, String> {
        let mut rule = BTreeMap::new();
        for (n, (counter, chosen)) in choices.iter().enumerate() {
            if !counters.contains(counter) {
                return Err(format!("登録されていない窓口です: {counter}"));
            }
            if choices[..n].iter().any(|(c, _)| c == counter) {
                return Err(format!("同じ窓口が2回指定されています: {counter}"));
            }
            let mut list: Vec<String> = Vec::new();
            for item in chosen {
                if !items.contains(item) {
                    return Err(format!("手数料表にない証明書です: {item}"));
                }
                if list.iter().any(|l| l == item) {
                    return Err(format!("同じ証明書が2回選ばれています: {item}"));
                }
                list.push((*item).to_owned());
            }
            if !items.iter().all(|i| list.iter().any(|l| l == i)) {
                rule.insert((*counter).to_owned(), list);
            }
        }
        Ok(CounterItems(rule))
    }

    /// The items `counter` issues; `None` when it issues every certificate.
    pub fn of(&self, counter: &str) -> Option<&[String]> {
        self.0.get(counter).map(Vec::as_slice)
    }

    pub fn issues(&self, counter: &str, item: &str) -> bool {
        self.of(counter)
            .is_none_or(|list| list.iter().any(|i| i == item))
    }

    /// The decision at the counter: the first of `items` (a case's certificate lines) that `counter`
    /// does not issue, if any.
    ///
    /// ```
    /// use madoguchi_core::certificate::counter_items::CounterItems;
    /// let rule = CounterItems::parse(r#"{"shisho-1": ["JUMINHYO"]}"#).unwrap();
    /// assert_eq!(rule.refused("shisho-1", ["JUMINHYO", "INKAN-SHOMEI"]), Some("INKAN-SHOMEI"));
    /// assert_eq!(rule.refused("shisho-1", ["JUMINHYO"]), None);
    /// // A counter the city did not restrict issues everything.
    /// assert_eq!(rule.refused("shimin-1", ["INKAN-SHOMEI"]), None);
    /// assert_eq!(
    ///     CounterItems::refusal_ja("さくら野支所 窓口", "印鑑登録証明書"),
    ///     "印鑑登録証明書は、この窓口（さくら野支所 窓口）では発行していません。証明書の行を外すか、発行している窓口で手続きしてください。"
    /// );
    /// ```
    pub fn refused<'i>(
        &self,
        counter: &str,
        items: impl IntoIterator<Item = &'i str>,
    ) -> Option<&'i str> {
        items.into_iter().find(|item| !self.issues(counter, item))
    }

    /// What staff read when their counter does not issue a certificate (the names as the city wrote
    /// them: the counter's and the fee table's).
    pub fn refusal_ja(counter_name: &str, item_name: &str) -> String {
        format!(
            "{item_name}は、この窓口（{counter_name}）では発行していません。証明書の行を外すか、発行している窓口で手続きしてください。"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_rule_reads_back_and_an_empty_list_issues_nothing() {
        let items = ["JUMINHYO", "INKAN-SHOMEI"];
        let rule = CounterItems::from_choices(
            &[("fukushi-1", vec![]), ("shisho-1", vec!["INKAN-SHOMEI"])],
            &["fukushi-1", "shisho-1"],
            &items,
        )
        .expect("rule");
        let back = CounterItems::parse(&rule.to_text()).expect("parse");
        assert_eq!(back, rule);
        assert_eq!(back.refused("fukushi-1", ["JUMINHYO"]), Some("JUMINHYO"));
        assert!(back.issues("shisho-1", "INKAN-SHOMEI"));
        assert!(!back.issues("shisho-1", "JUMINHYO"));
        assert_eq!(
            CounterItems::parse("  ").expect("none"),
            CounterItems::default()
        );
        assert!(CounterItems::parse("[1]").is_err());
        let twice = CounterItems::from_choices(
            &[
                ("shisho-1", vec!["JUMINHYO", "INKAN-SHOMEI"]),
                ("shisho-1", vec![]),
            ],
            &["shisho-1"],
            &items,
        );
        assert!(twice.is_err());
        let dup = CounterItems::from_choices(
            &[("shisho-1", vec!["JUMINHYO", "JUMINHYO"])],
            &["shisho-1"],
            &items,
        );
        assert!(dup.expect_err("dup").contains("2回"));
    }
}
