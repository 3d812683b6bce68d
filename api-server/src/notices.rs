//! Notices to staff (伝達事項・お知らせ) and maintenance notices (保守のお知らせ): what a notice may hold,
//! who sees it, and the maintenance windows during which the API answers 503 (cached per tenant for a
//! few seconds, dropped when an admin saves a notice).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use madoguchi_store::{NoticeRecord, Store, StoreError, TenantId};

pub const KIND_NOTICE: &str = "notice";
pub const KIND_MAINTENANCE: &str = "maintenance";
/// Longest text of a notice, in characters.
pub const MAX_TEXT: usize = 2000;

/// What an admin entered for a notice, before it is checked.
pub struct NoticeDraft {
    pub kind: String,
    pub audience: String,
    pub text_ja: String,
    pub text_en: Option<String>,
    pub starts_at: String,
    pub ends_at: String,
    pub window_start: Option<String>,
    pub window_end: Option<String>,
}

/// A checked notice's content (the record without id, revision and author).
pub struct CheckedNotice {
    pub kind: String,
    pub audience: String,
    pub text_ja: String,
    pub text_en: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub window: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

fn time(text: &str, what: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| format!("{what}の日時が正しくありません。"))
}

/// Checks a draft against the tenant's groups and counters (`audiences`: `group:<code>` and
/// `counter:<code>` that exist). The reason for a refusal is in Japanese.
pub fn check(draft: NoticeDraft, audiences: &[String]) -> Result<CheckedNotice, String> {
    let kind = draft.kind.as_str();
    if kind != KIND_NOTICE && kind != KIND_MAINTENANCE {
        return Err("お知らせの種類が正しくありません。".into());
    }
    let audience = draft.audience.trim().to_owned();
    if kind == KIND_MAINTENANCE && audience != "all" {
        return Err(
            "保守のお知らせは全員に向けて掲示します。対象は「全員」を選んでください。".into(),
        );
    }
    if audience != "all" && !audiences.contains(&audience) {
        return Err("お知らせの対象（グループ・窓口）が見つかりません。".into());
    }
    let text_ja = draft.text_ja.trim().to_owned();
    if text_ja.is_empty() {
        return Err("お知らせの本文（日本語）を入力してください。".into());
    }
    let text_en = draft
        .text_en
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty());
    let too_long = |t: &str| t.chars().count() > MAX_TEXT;
    if too_long(&text_ja) || text_en.as_deref().is_some_and(too_long) {
        return Err(format!("お知らせの本文は{MAX_TEXT}文字までです。"));
    }
    let starts_at = time(&draft.starts_at, "掲示の開始")?;
    let ends_at = time(&draft.ends_at, "掲示の終了")?;
    if ends_at <= starts_at {
        return Err(
            "掲示の終了日時が開始日時より前（または同じ）です。終了は開始より後にしてください。"
                .into(),
        );
    }
    let window = match (kind, draft.window_start, draft.window_end) {
        (KIND_NOTICE, None, None) => None,
        (KIND_NOTICE, _, _) => return Err("停止時間は保守のお知らせにだけ指定できます。".into()),
        (_, Some(s), Some(e)) => {
            let (s, e) = (time(&s, "停止の開始")?, time(&e, "停止の終了")?);
            if e <= s {
                return Err("停止の終了日時が開始日時より前（または同じ）です。終了は開始より後にしてください。".into());
            }
            Some((s, e))
        }
        _ => return Err("保守のお知らせには停止の開始と終了の日時を入力してください。".into()),
    };
    Ok(CheckedNotice {
        kind: draft.kind,
        audience,
        text_ja,
        text_en,
        starts_at,
        ends_at,
        window,
    })
}

/// Whether the notice is shown at `now` (its period).
pub fn shown(n: &NoticeRecord, now: DateTime<Utc>) -> bool {
    n.starts_at <= now && now < n.ends_at
}

/// Whether a user of `groups` at `counter` is among the notice's audience.
pub fn addressed_to(n: &NoticeRecord, groups: &[String], counter: &str) -> bool {
    match n.audience.split_once(':') {
        None => n.audience == "all",
        Some(("group", code)) => groups.iter().any(|g| g == code),
        Some(("counter", code)) => code == counter,
        Some(_) => false,
    }
}

/// The stop a maintenance notice declares, while it is shown: its window within its period (a
/// notice ended early stops nothing more).
pub fn stop(n: &NoticeRecord) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    if n.kind != KIND_MAINTENANCE {
        return None;
    }
    let (start, end) = (
        n.window_start?.max(n.starts_at),
        n.window_end?.min(n.ends_at),
    );
    (start < end).then_some((start, end))
}

/// Whether the notice's stop is under way at `now`.
pub fn stopping(n: &NoticeRecord, now: DateTime<Utc>) -> bool {
    stop(n).is_some_and(|(s, e)| s <= now && now < e)
}

/// How long a tenant's maintenance windows are kept in memory before the store is read again.
const CACHE_FOR: Duration = Duration::from_secs(5);

type Windows = Vec<(DateTime<Utc>, DateTime<Utc>)>;

/// Each tenant's maintenance windows, read from the store at most every [`CACHE_FOR`].
#[derive(Default)]
pub struct MaintenanceCache {
    tenants: Mutex<HashMap<String, (Instant, Windows)>>,
}

impl MaintenanceCache {
    /// The end of the maintenance window in force for `tenant` at `now`, if any.
    pub fn active(
        &self,
        store: &dyn Store,
        tenant: &TenantId,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let cached = self
            .tenants
            .lock()
            .ok()
            .and_then(|m| m.get(tenant.as_str()).cloned())
            .filter(|(at, _)| at.elapsed() < CACHE_FOR);
        let windows = match cached {
            Some((_, w)) => w,
            None => {
                let w: Windows = store.notices(tenant)?.iter().filter_map(stop).collect();
                if let Ok(mut m) = self.tenants.lock() {
                    m.insert(tenant.as_str().to_owned(), (Instant::now(), w.clone()));
                }
                w
            }
        };
        Ok(windows
            .iter()
            .filter(|(s, e)| *s <= now && now < *e)
            .map(|(_, e)| *e)
            .max())
    }

    /// Forgets the tenant's windows (after a notice was saved).
    pub fn forget(&self, tenant: &TenantId) {
        if let Ok(mut m) = self.tenants.lock() {
            m.remove(tenant.as_str());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(start: &str, end: &str) -> NoticeDraft {
        NoticeDraft {
            kind: KIND_NOTICE.into(),
            audience: "all".into(),
            text_ja: "本文".into(),
            text_en: None,
            starts_at: start.into(),
            ends_at: end.into(),
            window_start: None,
            window_end: None,
        }
    }

    #[test]
    fn an_end_before_the_start_is_refused_in_japanese() {
        let e = check(
            draft("2026-12-07T10:00:00+09:00", "2026-12-07T09:00:00+09:00"),
            &[],
        )
        .err()
        .expect("refused");
        assert!(e.contains("終了日時が開始日時より前"), "{e}");
        assert!(
            check(
                draft("2026-12-07T09:00:00+09:00", "2026-12-07T10:00:00+09:00"),
                &[]
            )
            .is_ok()
        );
    }

    #[test]
    fn a_maintenance_stop_needs_both_ends_in_order_and_an_unknown_audience_is_refused() {
        let mut d = draft("2026-12-07T09:00:00+09:00", "2026-12-08T09:00:00+09:00");
        d.kind = KIND_MAINTENANCE.into();
        let e = check(d, &[]).err().expect("refused");
        assert!(e.contains("停止の開始と終了"), "{e}");
        let mut d = draft("2026-12-07T09:00:00+09:00", "2026-12-08T09:00:00+09:00");
        d.audience = "group:nowhere".into();
        assert!(check(d, &["group:shimin".into()]).is_err());
    }

    #[test]
    fn a_stop_counts_only_while_its_notice_is_shown() {
        let t =
            |h: i64| DateTime::<Utc>::from_timestamp(1_800_000_000 + h * 3600, 0).expect("time");
        let mut n = NoticeRecord {
            id: "m".into(),
            kind: KIND_MAINTENANCE.into(),
            audience: "all".into(),
            text_ja: "停止".into(),
            text_en: None,
            starts_at: t(0),
            ends_at: t(10),
            window_start: Some(t(5)),
            window_end: Some(t(7)),
            revision: 1,
            updated_by: "admin".into(),
            updated_at: t(0),
        };
        assert!(stopping(&n, t(6)) && !stopping(&n, t(7)) && !stopping(&n, t(4)));
        n.ends_at = t(3); // ended early, before its stop
        assert!(!stopping(&n, t(6)));
        n.kind = KIND_NOTICE.into();
        n.ends_at = t(10);
        assert!(!stopping(&n, t(6)), "a notice to staff stops nothing");
    }
}
