//! Why a certificate cannot be issued for a person, with the reason for staff in Japanese. 支援措置 is not
//! decided here: the server's one gate (`privacy`) decides it.

use crate::resident::{Resident, ResidentStatus};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The person is not a current resident (転出, 死亡, 消除): a 除票 is the core system's.
    NotResident(ResidentStatus),
    /// A character in a printed item is a vendor 外字 (private use area) not yet mapped to a standard
    /// character: printing it would print a wrong or missing glyph.
    UnmappedGaiji {
        field: &'static str,
        code_point: u32,
    },
    /// 印鑑登録証明書: no seal is registered.
    SealNotRegistered,
    /// 印鑑登録証明書: the registration was abolished (廃止) on this date.
    SealAbolished(chrono::NaiveDate),
    /// 印鑑登録証明書: the registration came without its 印影 or size (the core system's feed).
    SealImageMissing,
    /// 印鑑登録証明書: under 15 (no registration is possible).
    UnderFifteen,
    /// 所得・課税証明書: the `tax` feed has not delivered this 課税年度 (西暦) for the person.
    TaxNotLoaded(i32),
}

impl Refusal {
    /// Stable code for the API and the audit log.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::NotResident(_) => "not_resident",
            Refusal::UnmappedGaiji { .. } => "gaiji_unmapped",
            Refusal::SealNotRegistered => "seal_not_registered",
            Refusal::SealAbolished(_) => "seal_abolished",
            Refusal::SealImageMissing => "seal_image_missing",
            Refusal::UnderFifteen => "seal_under_15",
            Refusal::TaxNotLoaded(_) => "tax_not_loaded",
        }
    }

    /// The reason for the resident at a self-service station: gentle, and never about anyone else.
    pub fn message_resident_ja(&self) -> &'static str {
        match self {
            Refusal::SealNotRegistered => "印鑑登録がないため、印鑑登録証明書は発行できません。",
            Refusal::SealAbolished(_) => {
                "印鑑登録が廃止されているため、印鑑登録証明書は発行できません。"
            }
            Refusal::UnderFifteen => "15歳未満の方は、印鑑登録証明書を発行できません。",
            Refusal::TaxNotLoaded(_) => {
                "ご希望の年度の所得・課税証明書は、まだ発行できません。お手数ですが、窓口でお尋ねください。"
            }
            _ => "この証明書は、この端末では発行できません。お手数ですが、窓口でお尋ねください。",
        }
    }

    /// The code that goes with [`Self::message_resident_ja`] (a station shows its own translation of
    /// it): the refusal's own code where that text names the reason — the card holder's 印鑑登録, age
    /// or 課税 — and `certificate_refused` for the rest, whose text says no more (it may be about a
    /// household member).
    ///
    /// ```
    /// use madoguchi_core::certificate::Refusal;
    /// assert_eq!(Refusal::TaxNotLoaded(2026).resident_code(), "tax_not_loaded");
    /// assert_eq!(Refusal::SealImageMissing.resident_code(), "certificate_refused");
    /// ```
    pub fn resident_code(&self) -> &'static str {
        match self {
            Refusal::SealNotRegistered
            | Refusal::SealAbolished(_)
            | Refusal::UnderFifteen
            | Refusal::TaxNotLoaded(_) => self.code(),
            _ => "certificate_refused",
        }
    }

    /// The reason for staff.
    pub fn message_ja(&self) -> String {
        match self {
            Refusal::NotResident(s) => format!(
                "住民状態が「{}」のため、窓口システムでは発行できません。除票は住民記録システムで発行してください。",
                s.label_ja()
            ),
            Refusal::UnmappedGaiji { field, code_point } => format!(
                "{field}に同定されていない外字（U+{code_point:04X}）があります。外字の同定後に発行してください。"
            ),
            Refusal::SealNotRegistered => "印鑑登録がありません。".into(),
            Refusal::SealAbolished(on) => format!(
                "印鑑登録は{}に廃止されています。",
                crate::wareki::to_wareki(*on).map_or_else(|_| on.to_string(), |w| w.to_string())
            ),
            Refusal::SealImageMissing => {
                "印鑑登録の印影（画像・大きさ）が連携されていません。印鑑登録システムで発行してください。".into()
            }
            Refusal::UnderFifteen => "15歳未満のため、印鑑登録証明書は発行できません。".into(),
            Refusal::TaxNotLoaded(year) => format!(
                "{}の課税データがまだ取り込まれていません。",
                crate::wareki::nendo_ja(*year)
            ),
        }
    }
}

/// The refusals for printing `person` on a certificate (the subject or a household member printed with
/// them), in a stable order: status first, then the printed fields.
pub fn check_subject(person: &Resident) -> Vec<Refusal> {
    let mut refusals = Vec::new();
    if person.status != ResidentStatus::Resident {
        refusals.push(Refusal::NotResident(person.status));
    }
    let fields: [(&'static str, &str); 4] = [
        ("氏名", &person.name.full),
        ("フリガナ", person.name.kana.as_deref().unwrap_or("")),
        ("町字", &person.address.town),
        ("方書", person.address.katagaki.as_deref().unwrap_or("")),
    ];
    for (field, text) in fields {
        if let Some(c) = text.chars().find(|c| is_private_use(*c)) {
            refusals.push(Refusal::UnmappedGaiji {
                field,
                code_point: c as u32,
            });
        }
    }
    refusals
}

/// The private use areas: the BMP's (a vendor's legacy 外字) and planes 15–16.
fn is_private_use(c: char) -> bool {
    matches!(c as u32, 0xE000..=0xF8FF | 0xF0000..=0x10FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resident::{Address, BirthDate, Name, ResidentKind, Sex, SupportMeasure};

    #[test]
    fn refused_for_status_and_unmapped_gaiji() {
        let mut r = Resident {
            atena_no: crate::ids::AtenaNo::from_sequence(1),
            household_no: crate::ids::AtenaNo::from_sequence(1),
            kind: ResidentKind::Japanese,
            status: ResidentStatus::Resident,
            name: Name {
                full: "髙橋　𠮷子".into(),
                ..Default::default()
            },
            birth: BirthDate::Unknown {
                text: "不詳".into(),
                internal: None,
            },
            sex: Sex::Female,
            relation: crate::relationship::Relation::HouseholdHead,
            address: Address::default(),
            became_resident_on: None,
            address_fixed_on: None,
            foreign: None,
            support_measure: SupportMeasure::None,
            registry: Default::default(),
        };
        assert_eq!(check_subject(&r), vec![], "IVS-free rare kanji are fine");
        r.name.full = "山\u{E03A}　花子".into();
        r.status = ResidentStatus::Deceased;
        let refusals = check_subject(&r);
        assert_eq!(
            refusals,
            vec![
                Refusal::NotResident(ResidentStatus::Deceased),
                Refusal::UnmappedGaiji {
                    field: "氏名",
                    code_point: 0xE03A
                }
            ]
        );
        assert!(refusals[1].message_ja().contains("U+E03A"));
        assert_eq!(refusals[0].code(), "not_resident");
    }
}
