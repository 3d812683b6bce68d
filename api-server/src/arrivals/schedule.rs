//! The evening preparation: every day at `MADOGUCHI_ARRIVALS_PREPARE_AT` (Japan time, default 18:00)
//! the server prepares tomorrow's planned reservations of the tenants the linkage job serves
//! (`MADOGUCHI_LINKAGE_TENANTS`: the reservations arrive through its `tenshutsu` feed). A server started
//! after the hour prepares at once (preparing is idempotent: a reservation already prepared is left as
//! it is, a case made before is found again). マイナポータル's 転入予約 not yet joined to a 転出証明書情報
//! are joined first (`portal::reservation::join_pending`). The round also purges these tenants' 事前申請 past their
//! validity.

use chrono::{Duration, NaiveDateTime, NaiveTime};
use madoguchi_store::TenantId;

use crate::AppState;
use crate::arrivals::{Actor, Outcome, prepare_day};

/// Default hour of the evening preparation (JST).
pub const DEFAULT_PREPARE_AT: &str = "18:00";

/// `MADOGUCHI_ARRIVALS_PREPARE_AT`: `HH:MM` in Japan time (default 18:00).
pub fn prepare_at_from_env() -> Result<NaiveTime, String> {
    let v = std::env::var("MADOGUCHI_ARRIVALS_PREPARE_AT")
        .unwrap_or_else(|_| DEFAULT_PREPARE_AT.to_owned());
    parse_time(&v)
}

/// `18:00`, `7:30` → the time; anything else: the Japanese reason.
pub fn parse_time(v: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(v.trim(), "%H:%M").map_err(|_| {
        "MADOGUCHI_ARRIVALS_PREPARE_AT は 時:分（例 18:00）で指定してください".to_owned()
    })
}

/// When to prepare next after `now` (both JST): today at `at` if still ahead, else tomorrow.
pub fn next_run(now: NaiveDateTime, at: NaiveTime) -> NaiveDateTime {
    let today = now.date().and_time(at);
    if today > now {
        today
    } else {
        today + Duration::days(1)
    }
}

/// Prepares tomorrow's reservations (JST) of every tenant; one tenant's failure is logged and the
/// others go on. Returns how many were prepared and how many have a problem.
pub async fn prepare_tomorrow(state: &AppState, tenants: &[TenantId]) -> (usize, usize) {
    let tomorrow = crate::clock::today_jst() + Duration::days(1);
    let (mut prepared, mut problems) = (0, 0);
    for tenant in tenants {
        let st = state.clone();
        let t = tenant.clone();
        let done = crate::blocking(move || {
            // マイナポータル's 転入予約 whose 転出証明書情報 arrived since: joined first, prepared with the rest.
            let audit = crate::audit::event(&t, None, None, "reservation.portal", None, "ok");
            crate::portal::reservation::join_pending(st.store.as_ref(), &t, &audit)?;
            prepare_day(&st, &t, tomorrow, Actor::Job)
        })
        .await;
        match done {
            Ok(outcomes) => {
                for (_, o) in outcomes {
                    match o {
                        Outcome::Prepared { .. } => prepared += 1,
                        Outcome::Problem(_) => problems += 1,
                    }
                }
            }
            Err(e) => tracing::warn!(code = e.code(), "evening preparation failed for a tenant"),
        }
    }
    tracing::info!(
        prepared,
        problems,
        "evening preparation of tomorrow's arrivals"
    );
    // The same daily round drops the 事前申請 past their 30 days (sending purges them too).
    let store = state.store.clone();
    let tenants = tenants.to_vec();
    let today = crate::clock::today_jst();
    let purged = crate::blocking(move || {
        let mut purged = 0;
        for tenant in &tenants {
            match store.purge_pre_applications(tenant, today) {
                Ok(n) => purged += n,
                Err(e) => tracing::warn!(error = %e, "purging expired pre-applications failed"),
            }
        }
        Ok::<u64, crate::arrivals::ArrivalError>(purged)
    })
    .await;
    if let Ok(n) = purged {
        tracing::info!(purged = n, "expired pre-applications purged");
    }
    (prepared, problems)
}

/// Runs the evening preparation forever: at once when started after the hour, then every day at it.
pub async fn run(state: AppState, tenants: Vec<TenantId>, at: NaiveTime) {
    let started = crate::clock::now_jst();
    if started.time() >= at {
        prepare_tomorrow(&state, &tenants).await;
    }
    loop {
        let now = crate::clock::now_jst();
        let wait = (next_run(now, at) - now)
            .to_std()
            .unwrap_or(std::time::Duration::from_secs(60));
        tokio::time::sleep(wait).await;
        prepare_tomorrow(&state, &tenants).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(d: u32, h: u32, m: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 12, d)
            .and_then(|d| d.and_hms_opt(h, m, 0))
            .expect("time")
    }

    #[test]
    fn the_next_run_is_today_before_the_hour_and_tomorrow_after() {
        let six = parse_time("18:00").expect("time");
        assert_eq!(next_run(at(7, 9, 0), six), at(7, 18, 0));
        assert_eq!(next_run(at(7, 18, 0), six), at(8, 18, 0));
        assert_eq!(next_run(at(7, 23, 59), six), at(8, 18, 0));
        assert_eq!(
            parse_time(" 7:30 "),
            Ok(NaiveTime::from_hms_opt(7, 30, 0).expect("t"))
        );
        assert!(parse_time("18時").expect_err("refused").contains("時:分"));
        assert!(parse_time("25:00").is_err());
    }
}
