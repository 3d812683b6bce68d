//! How the city sets up one issuance station (発行端末の設定): the certificates it offers, whether its
//! requests print by themselves on the back-office printer (自動) or wait for staff (手動), whether a
//! signal tower (表示灯) lights for its requests, whether its tiles show the fee, and its own opening
//! hours (a station in a 支所 open on Saturdays) or the city's.

use serde::{Deserialize, Serialize};

use super::hours::Hours;

/// One station's setup. A station the city never set up offers the server's default certificates
/// (住民票の写し and 印鑑登録証明書: the others are chosen on 発行端末の設定), prints by hand, lights no
/// tower, shows the fees and keeps the city's hours ([`StationSetup::default_for`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StationSetup {
    /// Fee-table items of the certificates offered, in the order of the tiles.
    pub offers: Vec<String>,
    /// 自動印刷: a print agent prints each request as soon as it is made.
    pub auto_print: bool,
    /// A new request lights the back office's signal tower.
    pub tower: bool,
    /// The tiles show the fee per copy.
    pub show_fees: bool,
    /// The station's own opening hours; `None`: the city's (受付時間, `hours`). The city's closed
    /// days apply either way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<Hours>,
}

impl StationSetup {
    /// A station offering `items`, printed by hand, no tower, fees shown.
    pub fn default_for(items: &[&str]) -> StationSetup {
        StationSetup {
            offers: items.iter().map(|i| (*i).to_owned()).collect(),
            auto_print: false,
            tower: false,
            show_fees: true,
            hours: None,
        }
    }

    /// Checks the setup against the items a station can offer: at least one, each known and once
    /// (Japanese reason otherwise).
    ///
    /// ```
    /// use madoguchi_core::certificate::station_setup::StationSetup;
    /// let items = ["JUMINHYO", "INKAN-SHOMEI"];
    /// let mut s = StationSetup::default_for(&items);
    /// assert!(s.check(&items).is_ok());
    /// s.offers = vec![];
    /// assert!(s.check(&items).is_err());
    /// s.offers = vec!["KOSEKI".into()];
    /// assert!(s.check(&items).unwrap_err().contains("KOSEKI"));
    /// s.offers = vec!["JUMINHYO".into(), "JUMINHYO".into()];
    /// assert!(s.check(&items).is_err());
    /// ```
    pub fn check(&self, items: &[&str]) -> Result<(), String> {
        if self.offers.is_empty() {
            return Err("発行する証明書を1つ以上選んでください。".into());
        }
        for (i, offer) in self.offers.iter().enumerate() {
            if !items.contains(&offer.as_str()) {
                return Err(format!("発行端末では発行できない証明書です: {offer}"));
            }
            if self.offers[..i].contains(offer) {
                return Err(format!("同じ証明書が2回選ばれています: {offer}"));
            }
        }
        Ok(())
    }

    pub fn offers(&self, item: &str) -> bool {
        self.offers.iter().any(|o| o == item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_setup_stored_before_stations_had_hours_reads_with_the_citys() {
        let old = r#"{"offers":["JUMINHYO"],"auto_print":false,"tower":false,"show_fees":true}"#;
        let s: StationSetup = serde_json::from_str(old).expect("old setup");
        assert_eq!(s.hours, None);
        assert_eq!(serde_json::to_string(&s).expect("json"), old);
        let own = StationSetup {
            hours: Some(Hours::parse("1,2,3,4,5,6 09:00-17:00").expect("hours")),
            ..s
        };
        let json = serde_json::to_string(&own).expect("json");
        assert!(
            json.ends_with(r#""hours":"1,2,3,4,5,6 09:00-17:00"}"#),
            "{json}"
        );
        assert_eq!(
            serde_json::from_str::<StationSetup>(&json).expect("back"),
            own
        );
    }
}
