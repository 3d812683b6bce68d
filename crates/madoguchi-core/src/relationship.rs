//! 続柄 (relationship to the household head) in the 住民記録 standard vocabulary (§1.1.11):
//! 世帯主; 夫, 妻, 夫（未届）, 妻（未届）, 子, 父, 母, 兄, 姉, 弟, 妹 chained with 「の」 up to four links
//! (子の子の子の子); 縁故者; 同居人. Terms such as 祖父, 孫, 甥, 姪, 義父 are not part of it.

use std::fmt;

/// Most links in a chain; deeper relations are recorded as 縁故者.
pub const MAX_LINKS: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Link {
    Husband,
    Wife,
    HusbandUnregistered,
    WifeUnregistered,
    Child,
    Father,
    Mother,
    ElderBrother,
    ElderSister,
    YoungerBrother,
    YoungerSister,
}

impl Link {
    pub fn label(self) -> &'static str {
        match self {
            Link::Husband => "夫",
            Link::Wife => "妻",
            Link::HusbandUnregistered => "夫（未届）",
            Link::WifeUnregistered => "妻（未届）",
            Link::Child => "子",
            Link::Father => "父",
            Link::Mother => "母",
            Link::ElderBrother => "兄",
            Link::ElderSister => "姉",
            Link::YoungerBrother => "弟",
            Link::YoungerSister => "妹",
        }
    }

    fn parse(s: &str) -> Option<Link> {
        [
            Link::Husband,
            Link::Wife,
            Link::HusbandUnregistered,
            Link::WifeUnregistered,
            Link::Child,
            Link::Father,
            Link::Mother,
            Link::ElderBrother,
            Link::ElderSister,
            Link::YoungerBrother,
            Link::YoungerSister,
        ]
        .into_iter()
        .find(|l| l.label() == s)
    }

    pub fn is_spouse(self) -> bool {
        matches!(
            self,
            Link::Husband | Link::Wife | Link::HusbandUnregistered | Link::WifeUnregistered
        )
    }

    fn is_parent(self) -> bool {
        matches!(self, Link::Father | Link::Mother)
    }

    fn is_sibling(self) -> bool {
        matches!(
            self,
            Link::ElderBrother | Link::ElderSister | Link::YoungerBrother | Link::YoungerSister
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Relation {
    HouseholdHead,
    Chain(Vec<Link>),
    /// 縁故者
    Enko,
    /// 同居人
    Dokyonin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RelationError {
    Empty,
    Unknown(String),
    TooDeep(usize),
}

impl fmt::Display for RelationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RelationError::Empty => f.write_str("empty relationship"),
            RelationError::Unknown(_) => f.write_str("relationship not in the standard vocabulary"),
            RelationError::TooDeep(n) => {
                write!(f, "relationship chain of {n} links (max {MAX_LINKS})")
            }
        }
    }
}

impl std::error::Error for RelationError {}

impl RelationError {
    pub fn message_ja(&self) -> String {
        match self {
            RelationError::Empty => "続柄が入力されていません。".into(),
            RelationError::Unknown(s) => format!(
                "続柄「{s}」は標準の続柄ではありません（例: 世帯主、妻、子、子の妻、母、縁故者、同居人）。"
            ),
            RelationError::TooDeep(n) => {
                format!(
                    "続柄の「の」のつながりが{n}段あります。{MAX_LINKS}段を超える場合は「縁故者」としてください。"
                )
            }
        }
    }
}

/// Parses a 続柄表記. Half-width parentheses are accepted: `妻(未届)`.
pub fn parse_relation(s: &str) -> Result<Relation, RelationError> {
    let s: String = s
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            c => c,
        })
        .collect();
    match s.as_str() {
        "" => return Err(RelationError::Empty),
        "世帯主" => return Ok(Relation::HouseholdHead),
        "縁故者" => return Ok(Relation::Enko),
        "同居人" => return Ok(Relation::Dokyonin),
        _ => {}
    }
    let links: Option<Vec<Link>> = s.split('の').map(Link::parse).collect();
    match links {
        Some(links) if links.len() > MAX_LINKS => Err(RelationError::TooDeep(links.len())),
        Some(links) => Ok(Relation::Chain(links)),
        None => Err(RelationError::Unknown(s)),
    }
}

impl fmt::Display for Relation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Relation::HouseholdHead => f.write_str("世帯主"),
            Relation::Enko => f.write_str("縁故者"),
            Relation::Dokyonin => f.write_str("同居人"),
            Relation::Chain(links) => {
                for (i, l) in links.iter().enumerate() {
                    if i > 0 {
                        f.write_str("の")?;
                    }
                    f.write_str(l.label())?;
                }
                Ok(())
            }
        }
    }
}

impl Relation {
    pub fn is_spouse_of_head(&self) -> bool {
        matches!(self, Relation::Chain(l) if l.len() == 1 && l[0].is_spouse())
    }

    /// Position group in the 住民票 member order (§5.2), lower first:
    ///
    /// | rank | who |
    /// | --- | --- |
    /// | 0 | 世帯主 |
    /// | 10 | 配偶者 (夫, 妻, 未届) |
    /// | 20 / 21 | 子 / 子の配偶者 |
    /// | 30 / 31 | 孫 (子の子) / its spouse |
    /// | 40 / 41, 50 | 子の子の子 / its spouse, 子の子の子の子 |
    /// | 60 / 61 | 父母 / 父母の配偶者 |
    /// | 70 / 71 | 兄弟姉妹 (also 父の子, 母の子) / their spouses |
    /// | 80 | 祖父母 (父の父 …) |
    /// | 90 | other relatives (親族) |
    /// | 100 | 縁故者 |
    /// | 110 | 同居人 |
    pub fn rank(&self) -> u32 {
        let links = match self {
            Relation::HouseholdHead => return 0,
            Relation::Enko => return 100,
            Relation::Dokyonin => return 110,
            Relation::Chain(l) => l.as_slice(),
        };
        let children = links.iter().take_while(|l| **l == Link::Child).count();
        let rest = &links[children..];
        match (children, rest) {
            (0, [l]) if l.is_spouse() => 10,
            (1..=4, []) => 10 + 10 * children as u32,
            (1..=3, [l]) if l.is_spouse() => 11 + 10 * children as u32,
            (0, [p]) if p.is_parent() => 60,
            (0, [p, s]) if p.is_parent() && s.is_spouse() => 61,
            (0, [s]) if s.is_sibling() => 70,
            (0, [p, Link::Child]) if p.is_parent() => 70,
            (0, [s, sp]) if s.is_sibling() && sp.is_spouse() => 71,
            (0, [p, q]) if p.is_parent() && q.is_parent() => 80,
            _ => 90,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_the_vocabulary() {
        for s in [
            "世帯主",
            "夫",
            "妻",
            "夫（未届）",
            "妻（未届）",
            "子",
            "子の夫",
            "子の妻",
            "子の子",
            "子の子の子の子",
            "父",
            "母",
            "兄",
            "姉",
            "弟",
            "妹",
            "父の妻",
            "妻の父",
            "妻の子",
            "縁故者",
            "同居人",
            "子の妻（未届）",
        ] {
            let r = parse_relation(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(r.to_string(), s);
        }
        assert_eq!(
            parse_relation(" 妻(未届) ")
                .expect("half-width")
                .to_string(),
            "妻（未届）"
        );
    }

    #[test]
    fn rejects_terms_outside_the_standard() {
        for s in [
            "孫",
            "祖父",
            "甥",
            "姪",
            "義父",
            "長男",
            "子の孫",
            "の",
            "子の",
            "友人",
        ] {
            assert!(
                matches!(parse_relation(s), Err(RelationError::Unknown(_))),
                "{s}"
            );
        }
        assert_eq!(parse_relation(""), Err(RelationError::Empty));
        assert_eq!(
            parse_relation("子の子の子の子の子"),
            Err(RelationError::TooDeep(5))
        );
        assert!(
            parse_relation("子の子の子の子の子")
                .expect_err("deep")
                .message_ja()
                .contains("縁故者")
        );
    }

    #[test]
    fn ranks_follow_the_residence_certificate_order() {
        let order = [
            "世帯主",
            "妻",
            "子",
            "子の妻",
            "子の子",
            "子の子の夫",
            "子の子の子",
            "母",
            "父の妻",
            "兄",
            "父の子",
            "兄の妻",
            "母の母",
            "妻の父",
            "縁故者",
            "同居人",
        ];
        let ranks: Vec<u32> = order
            .iter()
            .map(|s| parse_relation(s).expect(s).rank())
            .collect();
        let mut sorted = ranks.clone();
        sorted.sort();
        assert_eq!(ranks, sorted, "{order:?} → {ranks:?}");
        assert_eq!(
            parse_relation("兄").expect("r").rank(),
            parse_relation("妹").expect("r").rank()
        );
        assert_eq!(parse_relation("夫（未届）").expect("r").rank(), 10);
        assert!(parse_relation("妻").expect("r").is_spouse_of_head());
    }
}
