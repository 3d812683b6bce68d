//! The audit record and its canonical hash, shared by every backend so that a chain written by one can
//! be verified by any.

use chrono::{DateTime, SecondsFormat, Utc};

use crate::tenant::TenantId;

/// One audited action. Holds identifiers only (宛名番号 as subject), never names or addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub tenant: TenantId,
    pub at: DateTime<Utc>,
    /// Login of the staff member, if known (a failed login of an unknown name has none).
    pub user: Option<String>,
    pub counter: Option<String>,
    pub terminal: Option<String>,
    /// e.g. `login`, `login_failed`, `logout`, `resident.search`, `resident.read`, `household.read`,
    /// `resident.import`.
    pub action: String,
    /// The 宛名番号 (or several, space-separated) the action touched, or another object id.
    pub subject: Option<String>,
    /// `ok`, `denied`, `failed`, or a short machine-readable outcome.
    pub result: String,
    /// The reason staff gave, where an action requires one (showing a 支援措置 address).
    pub reason: Option<String>,
}

/// A stored record: the event with its place in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub id: i64,
    pub event: AuditEvent,
    pub prev_hash: [u8; 32],
    pub hash: [u8; 32],
}

/// Outcome of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditCheck {
    /// Every record links to its predecessor, hashes match, and the chain ends where the head says.
    Intact { records: u64 },
    /// The first record (by id) that does not fit, and why (English, for the log and the CLI).
    Broken { first_bad_id: i64, reason: String },
}

/// What an audit search selects besides the tenant and the period: every filter given must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// The staff member's login (exact).
    pub user: Option<String>,
    /// The counter (exact).
    pub counter: Option<String>,
    /// The terminal (exact).
    pub terminal: Option<String>,
    /// Any of these actions (exact); empty for every action.
    pub actions: Vec<String>,
    /// Text the subject contains (one 宛名番号 among several, a case id).
    pub subject: Option<String>,
}

/// One page of an audit search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditPage {
    /// Records skipped (newest first).
    pub offset: u64,
    /// Records returned at most.
    pub limit: u32,
}

pub const GENESIS: [u8; 32] = [0; 32];

fn field(out: &mut Vec<u8>, v: Option<&str>) {
    match v {
        None => out.extend_from_slice(&u32::MAX.to_be_bytes()),
        Some(s) => {
            out.extend_from_slice(&(s.len() as u32).to_be_bytes());
            out.extend_from_slice(s.as_bytes());
        }
    }
}

/// SHA-256 over the previous hash and a length-prefixed encoding of the id and every field.
pub fn chain_hash(prev: &[u8; 32], id: i64, e: &AuditEvent) -> [u8; 32] {
    let mut buf = Vec::with_capacity(256);
    buf.extend_from_slice(prev);
    buf.extend_from_slice(&id.to_be_bytes());
    field(&mut buf, Some(e.tenant.as_str()));
    field(
        &mut buf,
        Some(&e.at.to_rfc3339_opts(SecondsFormat::Micros, true)),
    );
    field(&mut buf, e.user.as_deref());
    field(&mut buf, e.counter.as_deref());
    field(&mut buf, e.terminal.as_deref());
    field(&mut buf, Some(&e.action));
    field(&mut buf, e.subject.as_deref());
    field(&mut buf, Some(&e.result));
    // Added later as the last field, and only when present, so that records written before it keep
    // their hashes; the length prefixes keep the encoding unambiguous.
    if let Some(reason) = &e.reason {
        field(&mut buf, Some(reason));
    }
    let d = ring::digest::digest(&ring::digest::SHA256, &buf);
    let mut out = [0u8; 32];
    out.copy_from_slice(d.as_ref());
    out
}

/// Where the chain starts: the id and hash of the last purged record, or (0, [`GENESIS`]).
pub type ChainBase = (i64, [u8; 32]);

/// The chain as it stands, for anchoring it outside the database and checking it against its anchors.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuditState {
    /// Where the chain starts (after a retention purge).
    pub base: ChainBase,
    /// The last record: id, hash and time; `None` for an empty log.
    pub head: Option<(i64, [u8; 32], DateTime<Utc>)>,
    /// The hashes of the records asked for that are still stored.
    pub hashes: std::collections::BTreeMap<i64, [u8; 32]>,
}

/// Checks records given in id order against each other, against the base they must start from (after a
/// retention purge) and against the head (last id and hash).
pub fn verify_chain(
    records: impl IntoIterator<Item = AuditRecord>,
    base: ChainBase,
    head: Option<(i64, [u8; 32])>,
) -> AuditCheck {
    let mut prev = base.1;
    let mut last: Option<i64> = None;
    let mut count = 0u64;
    for r in records {
        if r.prev_hash != prev {
            return AuditCheck::Broken {
                first_bad_id: r.id,
                reason: "does not link to the previous record (a record was deleted, inserted or reordered)".into(),
            };
        }
        if chain_hash(&r.prev_hash, r.id, &r.event) != r.hash {
            return AuditCheck::Broken {
                first_bad_id: r.id,
                reason: "content does not match its hash (edited)".into(),
            };
        }
        prev = r.hash;
        last = Some(r.id);
        count += 1;
    }
    match (head, last) {
        (None, None) => AuditCheck::Intact { records: 0 },
        // Everything up to the head was purged.
        (Some((id, hash)), None) if id == base.0 && hash == base.1 => {
            AuditCheck::Intact { records: 0 }
        }
        (Some((id, hash)), Some(l)) if id == l && hash == prev => {
            AuditCheck::Intact { records: count }
        }
        (Some((id, _)), _) => AuditCheck::Broken {
            first_bad_id: last.map_or(id, |l| l + 1),
            reason: "the chain ends before the recorded head (records were removed from the end)"
                .into(),
        },
        (None, Some(l)) => AuditCheck::Broken {
            first_bad_id: l,
            reason: "records exist but the head is missing".into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn ev(action: &str) -> AuditEvent {
        AuditEvent {
            tenant: TenantId("t".into()),
            at: Utc.timestamp_opt(1_790_000_000, 0).single().expect("time"),
            user: Some("staff".into()),
            counter: Some("1番".into()),
            terminal: None,
            action: action.into(),
            subject: Some("000000000000019".into()),
            result: "ok".into(),
            reason: None,
        }
    }

    #[test]
    fn the_reason_is_covered_by_the_hash() {
        let plain = ev("resident.address_disclosure");
        let with = |r: &str| AuditEvent {
            reason: Some(r.into()),
            ..plain.clone()
        };
        let h = |e: &AuditEvent| chain_hash(&GENESIS, 1, e);
        assert_ne!(h(&with("本人の申出")), h(&with("本人の申出。")));
        assert_ne!(h(&with("")), h(&plain), "an empty reason is not no reason");
        // Records written before the field existed keep their hash: no reason adds nothing.
        let mut buf = GENESIS.to_vec();
        buf.extend_from_slice(&1i64.to_be_bytes());
        for f in [
            Some("t"),
            Some("2026-09-21T14:13:20.000000Z"),
            Some("staff"),
            Some("1番"),
            None,
            Some("resident.address_disclosure"),
            Some("000000000000019"),
            Some("ok"),
        ] {
            field(&mut buf, f);
        }
        let d = ring::digest::digest(&ring::digest::SHA256, &buf);
        assert_eq!(&h(&plain)[..], d.as_ref());
    }

    const BASE: ChainBase = (0, GENESIS);

    #[test]
    fn a_purged_prefix_verifies_from_its_base() {
        let c = chain(4);
        let head = Some((4, c[3].hash));
        assert_eq!(
            verify_chain(c[2..].to_vec(), (2, c[1].hash), head),
            AuditCheck::Intact { records: 2 }
        );
        assert!(matches!(
            verify_chain(c[2..].to_vec(), BASE, head),
            AuditCheck::Broken {
                first_bad_id: 3,
                ..
            }
        ));
        assert_eq!(
            verify_chain(Vec::new(), (4, c[3].hash), head),
            AuditCheck::Intact { records: 0 }
        );
    }

    fn chain(n: i64) -> Vec<AuditRecord> {
        let mut prev = GENESIS;
        (1..=n)
            .map(|id| {
                let event = ev(&format!("a{id}"));
                let hash = chain_hash(&prev, id, &event);
                let r = AuditRecord {
                    id,
                    event,
                    prev_hash: prev,
                    hash,
                };
                prev = hash;
                r
            })
            .collect()
    }

    #[test]
    fn intact_and_each_kind_of_tampering() {
        let c = chain(4);
        let head = Some((4, c[3].hash));
        assert_eq!(
            verify_chain(c.clone(), BASE, head),
            AuditCheck::Intact { records: 4 }
        );
        let mut edited = c.clone();
        edited[1].event.subject = Some("000000000000027".into());
        assert!(matches!(
            verify_chain(edited, BASE, head),
            AuditCheck::Broken {
                first_bad_id: 2,
                ..
            }
        ));
        let mut deleted = c.clone();
        deleted.remove(1);
        assert!(matches!(
            verify_chain(deleted, BASE, head),
            AuditCheck::Broken {
                first_bad_id: 3,
                ..
            }
        ));
        let mut reordered = c.clone();
        reordered.swap(1, 2);
        assert!(matches!(
            verify_chain(reordered, BASE, head),
            AuditCheck::Broken {
                first_bad_id: 3,
                ..
            }
        ));
        let truncated = c[..3].to_vec();
        assert!(matches!(
            verify_chain(truncated, BASE, head),
            AuditCheck::Broken {
                first_bad_id: 4,
                ..
            }
        ));
        // None and "" are different values.
        let mut e = ev("x");
        let a = chain_hash(&GENESIS, 1, &e);
        e.terminal = Some(String::new());
        assert_ne!(a, chain_hash(&GENESIS, 1, &e));
    }
}
