//! Household member order for display and certificates (住民票 §5.2): by [`Relation::rank`], then by
//! birth date (unknown last), then by 宛名番号.

use chrono::NaiveDate;

use crate::ids::AtenaNo;
use crate::relationship::Relation;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct HouseholdOrderKey {
    rank: u32,
    /// `(false, date)` sorts before `(true, _)`: unknown birth dates go last within a rank.
    birth: (bool, Option<NaiveDate>),
    atena: AtenaNo,
}

pub fn order_key(
    relation: &Relation,
    birth: Option<NaiveDate>,
    atena: &AtenaNo,
) -> HouseholdOrderKey {
    HouseholdOrderKey {
        rank: relation.rank(),
        birth: (birth.is_none(), birth),
        atena: atena.clone(),
    }
}

/// Sorts members into the standard order.
pub fn sort_members<T>(members: &mut [T], key: impl Fn(&T) -> HouseholdOrderKey) {
    members.sort_by_cached_key(|m| key(m));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::relationship::parse_relation;

    #[test]
    fn three_generation_household_in_order() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        let mut members = vec![
            ("同居人", d(1990, 1, 1), 9),
            ("子の子", d(2020, 1, 1), 7),
            ("母", d(1940, 1, 1), 8),
            ("子", d(1980, 1, 1), 4),
            ("子の妻", d(1982, 1, 1), 6),
            ("子", d(1978, 1, 1), 5),
            ("子", None, 3),
            ("妻", d(1955, 1, 1), 2),
            ("世帯主", d(1950, 1, 1), 1),
            ("子", d(1978, 1, 1), 10),
        ];
        sort_members(&mut members, |(rel, birth, seq)| {
            order_key(
                &parse_relation(rel).expect("rel"),
                *birth,
                &AtenaNo::from_sequence(*seq),
            )
        });
        let seqs: Vec<u64> = members.iter().map(|m| m.2).collect();
        // Twins born the same day are ordered by 宛名番号; the child with no known birth date is last.
        assert_eq!(seqs, [1, 2, 5, 10, 4, 3, 6, 7, 8, 9]);
    }
}
