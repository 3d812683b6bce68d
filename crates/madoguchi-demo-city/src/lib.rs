//! A deterministic, fictional city for demos and benchmarks, written as a resident-import CSV
//! (`docs/resident-csv.md`), its 印鑑登録 as an `inkan` feed file ([`write_seal_csv`],
//! `docs/linkage.md`) and its My Number cards' user-authentication serials as a `cards` feed file
//! ([`write_card_csv`], [`demo_card_serial`]), and its 課税 as a `tax` feed file ([`write_tax_csv`]). The same [`Options`] give byte-identical output on every platform: the
//! generator uses its own PRNG and never reads the clock (the reference date is a parameter).
//!
//! Everything here is invented: names are common Japanese names combined at random, the city does not
//! exist, and any likeness to a real person is chance.

mod cards;
mod names;
mod registry;
mod seals;
mod tax;

use std::io::Write;

use chrono::{Datelike, Days, NaiveDate};
use madoguchi_core::ids::AtenaNo;

pub use cards::{CARD_HEADER, CardStats, demo_card_serial};
pub use seals::{SEAL_HEADER, SealStats};
pub use tax::{TaxStats, tax_header};

use names::{ALIASES, APARTMENTS, FEMALE, MALE, NATIONALITIES, Nationality, SURNAMES};

/// 群馬県 + an unused city number, with a valid check digit.
pub const CITY_CODE: &str = "102997";
pub const PREFECTURE: &str = "群馬県";
/// A fictional city.
pub const CITY_NAME: &str = "さくら野市";

pub struct Town {
    /// 町字コード (7 digits).
    pub code: &'static str,
    pub name: &'static str,
    /// 郵便番号 (7 digits).
    pub postal: &'static str,
    /// Number of 丁目, or 0 for 番地-style (rural) addressing.
    pub chome: u8,
}

const TOWNS: &[Town] = &[
    Town {
        code: "0001001",
        name: "本町",
        postal: "3799001",
        chome: 4,
    },
    Town {
        code: "0002001",
        name: "栄町",
        postal: "3799002",
        chome: 3,
    },
    Town {
        code: "0003001",
        name: "駅前",
        postal: "3799003",
        chome: 2,
    },
    Town {
        code: "0004001",
        name: "緑ヶ丘",
        postal: "3799004",
        chome: 5,
    },
    Town {
        code: "0005001",
        name: "桜台",
        postal: "3799005",
        chome: 4,
    },
    Town {
        code: "0006001",
        name: "若葉町",
        postal: "3799006",
        chome: 3,
    },
    Town {
        code: "0007001",
        name: "中央",
        postal: "3799007",
        chome: 3,
    },
    Town {
        code: "0008001",
        name: "東町",
        postal: "3799008",
        chome: 2,
    },
    Town {
        code: "0009001",
        name: "西町",
        postal: "3799009",
        chome: 2,
    },
    Town {
        code: "0010001",
        name: "南台",
        postal: "3799010",
        chome: 3,
    },
    Town {
        code: "0011001",
        name: "北原",
        postal: "3799011",
        chome: 0,
    },
    Town {
        code: "0012001",
        name: "大字上野",
        postal: "3799012",
        chome: 0,
    },
    Town {
        code: "0013001",
        name: "大字下野",
        postal: "3799013",
        chome: 0,
    },
    Town {
        code: "0014001",
        name: "大字川原",
        postal: "3799014",
        chome: 0,
    },
    Town {
        code: "0015001",
        name: "大字山田",
        postal: "3799015",
        chome: 0,
    },
    Town {
        code: "0016001",
        name: "大字森",
        postal: "3799016",
        chome: 0,
    },
    Town {
        code: "0017001",
        name: "旭町",
        postal: "3799017",
        chome: 3,
    },
    Town {
        code: "0018001",
        name: "富士見町",
        postal: "3799018",
        chome: 2,
    },
    Town {
        code: "0019001",
        name: "泉町",
        postal: "3799019",
        chome: 2,
    },
    Town {
        code: "0020001",
        name: "大字高原",
        postal: "3799020",
        chome: 0,
    },
    Town {
        code: "0021001",
        name: "大字沢入",
        postal: "3799021",
        chome: 0,
    },
    Town {
        code: "0022001",
        name: "花園町",
        postal: "3799022",
        chome: 3,
    },
    Town {
        code: "0023001",
        name: "松原",
        postal: "3799023",
        chome: 4,
    },
    Town {
        code: "0024001",
        name: "大字梅田",
        postal: "3799024",
        chome: 0,
    },
    Town {
        code: "0025001",
        name: "新町",
        postal: "3799025",
        chome: 2,
    },
];

pub fn towns() -> &'static [Town] {
    TOWNS
}

pub struct Options {
    pub residents: usize,
    pub seed: u64,
    /// "Today" for ages, newborns and residence dates.
    pub reference_date: NaiveDate,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    pub residents: usize,
    pub households: usize,
    pub foreign: usize,
    pub support_measure: usize,
}

/// The CSV header, in order: the resident CSV's columns ([`madoguchi_core::resident_csv`]) through
/// 支援措置, then 本籍, 筆頭者, 住民票コード and 前住所 — the ones the generator fills.
pub fn header() -> Vec<&'static str> {
    let mut h = madoguchi_core::resident_csv::columns_through("支援措置");
    h.extend(registry::COLUMNS);
    h
}

/// SplitMix64: small, fast, and fully specified, so output never changes with a library version.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }

    fn range(&mut self, lo: u32, hi_inclusive: u32) -> u32 {
        lo + self.below(u64::from(hi_inclusive - lo + 1)) as u32
    }

    /// True with probability `per_mille`/1000.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

fn weighted<'a, T>(rng: &mut Rng, items: &'a [T], weight: impl Fn(&T) -> u32) -> &'a T {
    let total: u64 = items.iter().map(|i| u64::from(weight(i))).sum();
    let mut x = rng.below(total);
    for i in items {
        let w = u64::from(weight(i));
        if x < w {
            return i;
        }
        x -= w;
    }
    &items[items.len() - 1]
}

#[derive(Clone, Copy, PartialEq)]
enum Sex {
    Male,
    Female,
}

/// One person before writing.
struct Person {
    relation: &'static str,
    sex: Sex,
    birth: NaiveDate,
    /// Japanese: (given, reading); foreign: handled by `foreign`.
    given: (&'static str, &'static str),
    former: Option<(&'static str, &'static str)>,
    unknown_birth: Option<String>,
    foreign: Option<ForeignPerson>,
}

struct ForeignPerson {
    romaji: String,
    kanji: Option<String>,
    alias: Option<(String, String)>,
    nationality: &'static str,
    status: &'static str,
}

struct Household {
    surname: (&'static str, &'static str),
    members: Vec<Person>,
    foreign: bool,
}

struct Generator {
    rng: Rng,
    today: NaiveDate,
    next_person: u64,
    next_household: u64,
    need_unknown_birth: bool,
}

fn generation(birth: NaiveDate) -> usize {
    match birth.year() {
        ..=1959 => 0,
        1960..=1994 => 1,
        _ => 2,
    }
}

impl Generator {
    /// A birth date `age` years (plus a random part of a year) before today.
    fn born(&mut self, age: u32) -> NaiveDate {
        let days = u64::from(age) * 365 + u64::from(age / 4) + self.rng.below(365);
        self.today
            .checked_sub_days(Days::new(days))
            .unwrap_or(self.today)
    }

    fn given(&mut self, sex: Sex, birth: NaiveDate) -> (&'static str, &'static str) {
        let table = match sex {
            Sex::Male => MALE[generation(birth)],
            Sex::Female => FEMALE[generation(birth)],
        };
        *self.rng.pick(table)
    }

    fn surname(&mut self) -> (&'static str, &'static str) {
        let s = weighted(&mut self.rng, SURNAMES, |s| s.2);
        (s.0, s.1)
    }

    fn person(&mut self, relation: &'static str, sex: Sex, age: u32) -> Person {
        let birth = self.born(age);
        let given = self.given(sex, birth);
        Person {
            relation,
            sex,
            birth,
            given,
            former: None,
            unknown_birth: None,
            foreign: None,
        }
    }

    fn spouse(&mut self, head: &Person, relation_for_wife: &'static str) -> Person {
        let head_age = age(head.birth, self.today);
        let age = (head_age as i64 + self.rng.range(0, 8) as i64 - 4).max(18) as u32;
        let (relation, sex) = if head.sex == Sex::Male {
            (relation_for_wife, Sex::Female)
        } else {
            ("夫", Sex::Male)
        };
        let mut p = self.person(relation, sex, age);
        if sex == Sex::Female && self.rng.chance(40) {
            p.former = Some(self.surname());
        }
        p
    }

    fn children(
        &mut self,
        members: &mut Vec<Person>,
        mother_age: u32,
        count: u32,
        relation: &'static str,
    ) {
        for i in 0..count {
            let max = mother_age.saturating_sub(22).min(30);
            let mut child_age = self.rng.range(0, max.max(1)).saturating_sub(i * 2);
            let sex = if self.rng.chance(512) {
                Sex::Male
            } else {
                Sex::Female
            };
            // Newborns: young families sometimes have a baby born in the last three months.
            let newborn = i == count - 1 && mother_age < 38 && self.rng.chance(150);
            if newborn {
                child_age = 0;
            }
            let mut p = self.person(relation, sex, child_age);
            if newborn {
                p.birth = self
                    .today
                    .checked_sub_days(Days::new(self.rng.below(90)))
                    .unwrap_or(self.today);
            }
            members.push(p);
        }
    }

    fn foreigner(
        &mut self,
        relation: &'static str,
        sex: Sex,
        age: u32,
        nat: &'static Nationality,
        surname: (&'static str, &'static str),
    ) -> Person {
        let given = *self.rng.pick(nat.given);
        let romaji = if nat.vietnamese {
            let middle = if sex == Sex::Male { "VAN" } else { "THI" };
            format!("{} {middle} {}", surname.0, given.0)
        } else {
            format!("{} {}", surname.0, given.0)
        };
        let kanji = (!surname.1.is_empty() && !given.1.is_empty())
            .then(|| format!("{}\u{3000}{}", surname.1, given.1));
        let status = *self.rng.pick(nat.statuses);
        let alias =
            (status == "特別永住者" || (nat.name == "韓国" && self.rng.chance(300))).then(|| {
                let (s, sk) = *self.rng.pick(ALIASES);
                let (g, gk) = self.given(sex, self.today);
                (format!("{s}\u{3000}{g}"), format!("{sk}\u{3000}{gk}"))
            });
        let birth = self.born(age);
        Person {
            relation,
            sex,
            birth,
            given: ("", ""),
            former: None,
            unknown_birth: None,
            foreign: Some(ForeignPerson {
                romaji,
                kanji,
                alias,
                nationality: nat.name,
                status,
            }),
        }
    }

    fn household(&mut self) -> Household {
        let kind = self.rng.below(1000);
        let surname = self.surname();
        let mut members = Vec::new();
        let foreign = (940..=969).contains(&kind);
        match kind {
            0..=149 => self.single_young(&mut members),
            150..=269 => self.single_elderly(&mut members),
            270..=449 => self.couple(&mut members),
            450..=749 => self.couple_with_children(&mut members),
            750..=819 => self.single_parent(&mut members),
            820..=939 => self.three_generations(&mut members),
            940..=969 => self.foreign_family(&mut members),
            _ => self.with_others(&mut members),
        }
        Household {
            surname,
            members,
            foreign,
        }
    }

    /// Single young adult.
    fn single_young(&mut self, members: &mut Vec<Person>) {
        let sex = if self.rng.chance(550) {
            Sex::Male
        } else {
            Sex::Female
        };
        let age = self.rng.range(19, 39);
        members.push(self.person("世帯主", sex, age));
    }

    /// Single elderly.
    fn single_elderly(&mut self, members: &mut Vec<Person>) {
        let sex = if self.rng.chance(300) {
            Sex::Male
        } else {
            Sex::Female
        };
        let age = self.rng.range(70, 101);
        let mut p = self.person("世帯主", sex, age);
        if self.need_unknown_birth && age >= 90 && self.next_person > 500 {
            // 生年月日不詳: the 戸籍 only says "about" a year; the internal date is mid-year.
            let year = p.birth.year();
            p.birth = NaiveDate::from_ymd_opt(year, 7, 1).unwrap_or(p.birth);
            let w = madoguchi_core::wareki::to_wareki(p.birth)
                .map(|w| w.to_string())
                .unwrap_or_default();
            let era_year = w.split('年').next().unwrap_or_default().to_owned();
            p.unknown_birth = Some(format!("{era_year}年頃"));
            self.need_unknown_birth = false;
        }
        members.push(p);
    }

    /// Couple.
    fn couple(&mut self, members: &mut Vec<Person>) {
        let age = self.rng.range(28, 85);
        let head = self.person("世帯主", Sex::Male, age);
        let wife_rel = if self.rng.chance(30) {
            "妻（未届）"
        } else {
            "妻"
        };
        let wife = self.spouse(&head, wife_rel);
        members.push(head);
        members.push(wife);
    }

    /// Couple with children.
    fn couple_with_children(&mut self, members: &mut Vec<Person>) {
        let age = self.rng.range(26, 55);
        let head_sex = if self.rng.chance(930) {
            Sex::Male
        } else {
            Sex::Female
        };
        let head = self.person("世帯主", head_sex, age);
        let spouse = self.spouse(&head, "妻");
        let mother_age = if head_sex == Sex::Female {
            age
        } else {
            crate::age(spouse.birth, self.today)
        };
        members.push(head);
        members.push(spouse);
        let n = self.rng.range(1, 3);
        self.children(members, mother_age, n, "子");
    }

    /// Single parent.
    fn single_parent(&mut self, members: &mut Vec<Person>) {
        let age = self.rng.range(25, 50);
        let sex = if self.rng.chance(850) {
            Sex::Female
        } else {
            Sex::Male
        };
        members.push(self.person("世帯主", sex, age));
        let n = self.rng.range(1, 2);
        self.children(members, age, n, "子");
    }

    /// Three generations: head with spouse, the head's parent, children; or an older head with a married
    /// child and grandchildren.
    fn three_generations(&mut self, members: &mut Vec<Person>) {
        if self.rng.chance(500) {
            let age = self.rng.range(38, 58);
            let head = self.person("世帯主", Sex::Male, age);
            let wife = self.spouse(&head, "妻");
            let wife_age = crate::age(wife.birth, self.today);
            let parent_age = (age + self.rng.range(24, 34)).min(104);
            let parent_rel = if self.rng.chance(700) {
                ("母", Sex::Female)
            } else {
                ("父", Sex::Male)
            };
            let parent = self.person(parent_rel.0, parent_rel.1, parent_age);
            members.push(head);
            members.push(wife);
            members.push(parent);
            let n = self.rng.range(1, 3);
            self.children(members, wife_age, n, "子");
        } else {
            let age = self.rng.range(58, 78);
            let head = self.person("世帯主", Sex::Male, age);
            let wife = self.spouse(&head, "妻");
            let child_age = age.saturating_sub(self.rng.range(25, 32)).max(22);
            let child = self.person("子", Sex::Male, child_age);
            let mut child_wife = self.spouse(&child, "子の妻");
            child_wife.relation = "子の妻";
            let cw_age = crate::age(child_wife.birth, self.today);
            members.push(head);
            members.push(wife);
            members.push(child);
            members.push(child_wife);
            let n = self.rng.range(1, 2);
            self.children(members, cw_age, n, "子の子");
        }
    }

    /// Foreign residents.
    fn foreign_family(&mut self, members: &mut Vec<Person>) {
        let nat = weighted(&mut self.rng, NATIONALITIES, |n| n.weight);
        let fs = *self.rng.pick(nat.surnames);
        let age = self.rng.range(20, 60);
        let sex = if self.rng.chance(550) {
            Sex::Male
        } else {
            Sex::Female
        };
        let head = self.foreigner("世帯主", sex, age, nat, fs);
        members.push(head);
        if age > 26 && self.rng.chance(400) {
            let other = if sex == Sex::Male {
                ("妻", Sex::Female)
            } else {
                ("夫", Sex::Male)
            };
            let spouse_age = (age as i64 + self.rng.range(0, 6) as i64 - 3).max(20) as u32;
            members.push(self.foreigner(other.0, other.1, spouse_age, nat, fs));
            let n = self.rng.range(0, 2);
            for _ in 0..n {
                let child_age = self.rng.range(0, (age - 22).min(18));
                let csex = if self.rng.chance(500) {
                    Sex::Male
                } else {
                    Sex::Female
                };
                members.push(self.foreigner("子", csex, child_age, nat, fs));
            }
        }
    }

    /// Households with 同居人 / 縁故者 or siblings.
    fn with_others(&mut self, members: &mut Vec<Person>) {
        let age = self.rng.range(30, 70);
        let head = self.person("世帯主", Sex::Male, age);
        members.push(head);
        let r = self.rng.below(3);
        let (rel, sex) = match r {
            0 => ("同居人", Sex::Female),
            1 => ("縁故者", Sex::Male),
            _ => (if self.rng.chance(500) { "弟" } else { "姉" }, Sex::Female),
        };
        let other_age = self.rng.range(25, 70);
        let mut p = self.person(rel, if rel == "弟" { Sex::Male } else { sex }, other_age);
        if rel == "同居人" || rel == "縁故者" {
            // A different family: keep the surname apart through `former` (written as 氏).
            p.former = Some(self.surname());
        }
        members.push(p);
    }
}

fn age(birth: NaiveDate, on: NaiveDate) -> u32 {
    madoguchi_core::age::age_on(birth, on).unwrap_or(0)
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Writes the CSV for `opts` and returns what it wrote.
pub fn write_csv<W: Write>(out: W, opts: &Options) -> std::io::Result<Stats> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    w.write_record(header())?;
    let stats = generate(opts, &mut |_, row| w.write_record(row).map_err(Into::into))?;
    w.flush()?;
    Ok(stats)
}

/// Writes the demo city's `inkan` file (a full load) for `opts`: 印鑑登録 for about 40 % of the same
/// residents as [`write_csv`] aged 15 or over, a few 廃止, each with a drawn PNG 印影 (`seals`).
pub fn write_seal_csv<W: Write>(out: W, opts: &Options) -> std::io::Result<SealStats> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    w.write_record(SEAL_HEADER)?;
    let mut stats = SealStats::default();
    generate(opts, &mut |p, _| {
        if let Some(row) = seals::seal_row(
            opts.seed,
            opts.reference_date,
            p.seq,
            p.birth,
            p.became,
            &mut stats,
        ) {
            w.write_record(&row)?;
        }
        Ok(())
    })?;
    w.flush()?;
    Ok(stats)
}

/// Writes the demo city's `cards` file (a full load) for `opts`: the serial of the 利用者証明用電子証明書
/// ([`demo_card_serial`]) of about 70 % of the same residents as [`write_csv`], and for a few of them
/// the revoked serial of an earlier card.
pub fn write_card_csv<W: Write>(out: W, opts: &Options) -> std::io::Result<CardStats> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    w.write_record(CARD_HEADER)?;
    let mut stats = CardStats::default();
    generate(opts, &mut |p, _| {
        for row in cards::card_rows(opts.seed, opts.reference_date, p.seq, &mut stats) {
            w.write_record(&row)?;
        }
        Ok(())
    })?;
    w.flush()?;
    Ok(stats)
}

/// Writes the demo city's `tax` file (a full load) for `opts`: 課税 of the same residents as
/// [`write_csv`] aged 18 or over, for the current and the previous 課税年度 (`tax`).
pub fn write_tax_csv<W: Write>(out: W, opts: &Options) -> std::io::Result<TaxStats> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    w.write_record(tax_header())?;
    let mut stats = TaxStats::default();
    generate(opts, &mut |p, _| {
        for row in tax::tax_rows(opts.seed, opts.reference_date, p.seq, p.birth, &mut stats) {
            w.write_record(&row)?;
        }
        Ok(())
    })?;
    w.flush()?;
    Ok(stats)
}

/// What the seal generator needs of a generated resident.
struct Generated {
    seq: u64,
    birth: NaiveDate,
    /// 住民となった年月日.
    became: NaiveDate,
}

/// Generates the population for `opts`, handing each resident's CSV row to `each`.
fn generate(
    opts: &Options,
    each: &mut dyn FnMut(&Generated, &[String]) -> std::io::Result<()>,
) -> std::io::Result<Stats> {
    let header = header();
    let mut g = Generator {
        rng: Rng(opts.seed ^ 0x6D61_646F_6775_6368),
        today: opts.reference_date,
        next_person: 1,
        next_household: 1,
        need_unknown_birth: opts.residents >= 1000,
    };
    let mut stats = Stats::default();
    let mut row: Vec<String> = Vec::with_capacity(header.len());
    while stats.residents < opts.residents {
        let mut h = g.household();
        h.members.truncate(opts.residents - stats.residents);
        let household_no = AtenaNo::from_sequence(100_000 + g.next_household);
        g.next_household += 1;
        stats.households += 1;
        let town = g.rng.pick(TOWNS);
        let banchi = if town.chome > 0 {
            format!(
                "{}丁目{}番{}号",
                g.rng.range(1, u32::from(town.chome)),
                g.rng.range(1, 30),
                g.rng.range(1, 25)
            )
        } else if g.rng.chance(400) {
            format!("{}番地{}", g.rng.range(1, 3000), g.rng.range(1, 20))
        } else {
            format!("{}番地", g.rng.range(1, 3000))
        };
        let katagaki = g.rng.chance(200).then(|| {
            let name = g.rng.pick(APARTMENTS);
            format!("{name}{}{:02}号", g.rng.range(1, 5), g.rng.range(1, 12))
        });
        // Residence dates: the household settled here at some point in the last 40 years.
        let oldest = h.members.iter().map(|m| m.birth).min().unwrap_or(g.today);
        let settled_days = g.rng.below(40 * 365);
        let mut settled = g
            .today
            .checked_sub_days(Days::new(settled_days))
            .unwrap_or(g.today);
        if h.foreign {
            settled = settled.max(NaiveDate::from_ymd_opt(2012, 7, 9).unwrap_or(settled));
        }
        settled = settled.max(oldest);
        let head_name = h
            .members
            .iter()
            .find(|m| m.relation == "世帯主")
            .map(|m| format!("{}\u{3000}{}", h.surname.0, m.given.0))
            .unwrap_or_default();
        for p in &h.members {
            let seq = g.next_person;
            g.next_person += 1;
            let support = (opts.residents >= 200 && seq == 150) || g.rng.chance(2);
            stats.residents += 1;
            stats.support_measure += usize::from(support);
            let became = settled.max(p.birth);
            row.clear();
            let push = |row: &mut Vec<String>, v: &str| row.push(v.to_owned());
            push(&mut row, AtenaNo::from_sequence(seq).as_str());
            push(&mut row, household_no.as_str());
            push(
                &mut row,
                if p.foreign.is_some() {
                    "外国人住民"
                } else {
                    "日本人住民"
                },
            );
            push(&mut row, "住民");
            match &p.foreign {
                None => {
                    // 同居人/縁故者 carry their own surname in `former`; everyone else the household's.
                    let (own, kept_former) = match p.relation {
                        "同居人" | "縁故者" => (p.former.unwrap_or(h.surname), None),
                        _ => (h.surname, p.former),
                    };
                    push(&mut row, &format!("{}\u{3000}{}", own.0, p.given.0));
                    push(&mut row, own.0);
                    push(&mut row, p.given.0);
                    push(&mut row, &format!("{}\u{3000}{}", own.1, p.given.1));
                    push(&mut row, own.1);
                    push(&mut row, p.given.1);
                    push(&mut row, kept_former.map_or("", |f| f.0));
                    push(&mut row, kept_former.map_or("", |f| f.1));
                    push(&mut row, "");
                    push(&mut row, "");
                    push(&mut row, "");
                    push(&mut row, "");
                }
                Some(f) => {
                    stats.foreign += 1;
                    push(&mut row, &f.romaji);
                    for _ in 0..7 {
                        push(&mut row, "");
                    }
                    push(&mut row, f.alias.as_ref().map_or("", |a| a.0.as_str()));
                    push(&mut row, f.alias.as_ref().map_or("", |a| a.1.as_str()));
                    push(&mut row, &f.romaji);
                    push(&mut row, f.kanji.as_deref().unwrap_or(""));
                }
            }
            push(&mut row, &ymd(p.birth));
            push(&mut row, if p.unknown_birth.is_some() { "1" } else { "" });
            push(&mut row, p.unknown_birth.as_deref().unwrap_or(""));
            push(&mut row, if p.sex == Sex::Male { "男" } else { "女" });
            push(&mut row, p.relation);
            push(&mut row, CITY_CODE);
            push(&mut row, town.code);
            push(&mut row, PREFECTURE);
            push(&mut row, CITY_NAME);
            push(&mut row, town.name);
            push(&mut row, &banchi);
            push(&mut row, katagaki.as_deref().unwrap_or(""));
            push(&mut row, town.postal);
            push(&mut row, &ymd(became));
            push(&mut row, &ymd(became));
            match &p.foreign {
                None => {
                    for _ in 0..4 {
                        push(&mut row, "");
                    }
                }
                Some(f) => {
                    push(&mut row, f.nationality);
                    push(&mut row, f.status);
                    let permanent = matches!(f.status, "永住者" | "特別永住者");
                    let period = if permanent {
                        ""
                    } else {
                        *g.rng.pick(&["1年", "3年", "5年", "6月"])
                    };
                    push(&mut row, period);
                    let expiry = (!permanent)
                        .then(|| g.today.checked_add_days(Days::new(30 + g.rng.below(1000))))
                        .flatten();
                    push(&mut row, &expiry.map(ymd).unwrap_or_default());
                }
            }
            push(&mut row, if support { "1" } else { "0" });
            let own_name;
            let hittosha = match p.relation {
                "同居人" | "縁故者" => {
                    let own = p.former.unwrap_or(h.surname);
                    own_name = format!("{}\u{3000}{}", own.0, p.given.0);
                    own_name.as_str()
                }
                _ => head_name.as_str(),
            };
            row.extend(registry::values(&registry::Person {
                seq,
                japanese: p.foreign.is_none(),
                hittosha,
                moved_in: became > p.birth,
            }));
            each(
                &Generated {
                    seq,
                    birth: p.birth,
                    became,
                },
                &row,
            )?;
        }
    }
    Ok(stats)
}

#[cfg(test)]
mod tests;
