//! Staff permissions: what a user may do is what their groups allow *and* what the counter (窓口) they
//! logged in at allows (出雲 A5: 受付する窓口によって権限を切り替え).
//!
//! A permission set is stored as a comma-separated list of stable codes (`search,print_forms`).

use std::fmt;

/// One function a staff member may be allowed to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Permission {
    /// 宛名検索 and viewing a resident's basic record and household.
    Search,
    /// Viewing 資格 details (国保, 後期高齢, 介護, 年金, 児童手当 …).
    ViewQualifications,
    /// Accepting 届出 and applications (creating and updating cases).
    AcceptNotification,
    /// Printing pre-filled forms and guide sheets.
    PrintForms,
    /// Requesting certificates (住民票の写し等).
    RequestCertificate,
    /// Exporting resident data (CSV and the like).
    ExportData,
    /// Importing data from the core systems (住民記録 files).
    ImportData,
    /// Managing accounts, groups and counters.
    Admin,
    /// Reading and exporting the audit log.
    ViewAudit,
    /// Seeing and printing the address of a resident under 支援措置, with a reason that is audited.
    OverrideSupportMeasure,
    /// A resident's own application at a self-service kiosk: creating new cases (受付中) and printing
    /// the kiosk's own cases. Nothing else is readable with it.
    KioskApply,
    /// Issuing certificates (住民票の写し等) with their 発行番号, checking their verification QR and
    /// revoking them.
    IssueCertificates,
    /// A resident's own certificate request at an issuance station (証明書発行端末), identified by the
    /// My Number card's JPKI user authentication. Nothing else is readable with it.
    StationApply,
}

impl Permission {
    pub const ALL: [Permission; 13] = [
        Permission::Search,
        Permission::ViewQualifications,
        Permission::AcceptNotification,
        Permission::PrintForms,
        Permission::RequestCertificate,
        Permission::ExportData,
        Permission::ImportData,
        Permission::Admin,
        Permission::ViewAudit,
        Permission::OverrideSupportMeasure,
        Permission::KioskApply,
        Permission::IssueCertificates,
        Permission::StationApply,
    ];

    /// Stable code used in storage, configuration files and the API.
    pub fn code(self) -> &'static str {
        match self {
            Permission::Search => "search",
            Permission::ViewQualifications => "view_qualifications",
            Permission::AcceptNotification => "accept_notification",
            Permission::PrintForms => "print_forms",
            Permission::RequestCertificate => "request_certificate",
            Permission::ExportData => "export_data",
            Permission::ImportData => "import_data",
            Permission::Admin => "admin",
            Permission::ViewAudit => "view_audit",
            Permission::OverrideSupportMeasure => "override_support_measure",
            Permission::KioskApply => "kiosk_apply",
            Permission::IssueCertificates => "issue_certificates",
            Permission::StationApply => "station_apply",
        }
    }

    /// Name shown to staff.
    pub fn label_ja(self) -> &'static str {
        match self {
            Permission::Search => "住民検索・照会",
            Permission::ViewQualifications => "資格情報の照会",
            Permission::AcceptNotification => "届出の受付",
            Permission::PrintForms => "申請書の印刷",
            Permission::RequestCertificate => "証明書の交付請求",
            Permission::ExportData => "データの出力",
            Permission::ImportData => "データの取込",
            Permission::Admin => "システム管理",
            Permission::ViewAudit => "操作ログの閲覧",
            Permission::OverrideSupportMeasure => "支援措置対象者の住所表示",
            Permission::KioskApply => "キオスクでの申請受付",
            Permission::IssueCertificates => "証明書の発行・交付",
            Permission::StationApply => "発行端末での証明書の申込み",
        }
    }

    /// What the permission allows, in one sentence for the administrator choosing it (the admin
    /// screen's checkboxes).
    pub fn description_ja(self) -> &'static str {
        match self {
            Permission::Search => "宛名検索と、住民・世帯の基本情報の照会ができます。",
            Permission::ViewQualifications => {
                "国保・後期高齢・介護・年金・児童手当などの資格情報を照会できます。"
            }
            Permission::AcceptNotification => "届出・申請を受け付け、案件を作成・更新できます。",
            Permission::PrintForms => "記入済みの申請書や案内票を印刷できます。",
            Permission::RequestCertificate => {
                "住民票の写しなどの証明書の交付請求を案件に入れられます。"
            }
            Permission::ExportData => "基幹系への連携ファイルなど、データを出力できます。",
            Permission::ImportData => "基幹系の住民記録ファイルなどを取り込めます。",
            Permission::Admin => "職員アカウント・グループ・窓口・端末・各種設定を管理できます。",
            Permission::ViewAudit => "監査ログ（操作ログ）を閲覧・出力できます。",
            Permission::OverrideSupportMeasure => {
                "支援措置の対象の方の住所を、理由を入力して表示・印刷できます（記録されます）。"
            }
            Permission::KioskApply => {
                "キオスク端末の住民の申請を受け付けます（キオスク用のアカウントに付けます）。"
            }
            Permission::IssueCertificates => {
                "証明書を発行番号付きで発行し、確認・失効させられます。"
            }
            Permission::StationApply => {
                "証明書発行端末での住民の申込みを受け付けます（発行端末用のアカウントに付けます）。"
            }
        }
    }

    pub fn from_code(code: &str) -> Option<Permission> {
        Permission::ALL.into_iter().find(|p| p.code() == code)
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A set of permissions.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PermissionSet(u16);

impl PermissionSet {
    pub const EMPTY: PermissionSet = PermissionSet(0);

    pub fn all() -> PermissionSet {
        Permission::ALL.into_iter().collect()
    }

    pub fn contains(self, p: Permission) -> bool {
        self.0 & p.bit() != 0
    }

    pub fn insert(&mut self, p: Permission) {
        self.0 |= p.bit();
    }

    pub fn union(self, other: PermissionSet) -> PermissionSet {
        PermissionSet(self.0 | other.0)
    }

    pub fn intersection(self, other: PermissionSet) -> PermissionSet {
        PermissionSet(self.0 & other.0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = Permission> {
        Permission::ALL
            .into_iter()
            .filter(move |p| self.contains(*p))
    }

    /// Parses a comma-separated list of codes (spaces ignored, empty list allowed). Unknown codes are an
    /// error naming the code, in Japanese.
    pub fn parse(list: &str) -> Result<PermissionSet, String> {
        let mut set = PermissionSet::EMPTY;
        for code in list.split(',').map(str::trim).filter(|c| !c.is_empty()) {
            let p = Permission::from_code(code).ok_or_else(|| {
                format!(
                    "権限「{code}」はありません。使える権限: {}",
                    Permission::ALL.map(Permission::code).join(", ")
                )
            })?;
            set.insert(p);
        }
        Ok(set)
    }

    /// The canonical comma-separated list (in [`Permission::ALL`] order).
    pub fn to_codes(self) -> String {
        self.iter()
            .map(Permission::code)
            .collect::<Vec<_>>()
            .join(",")
    }
}

impl FromIterator<Permission> for PermissionSet {
    fn from_iter<I: IntoIterator<Item = Permission>>(iter: I) -> Self {
        let mut set = PermissionSet::EMPTY;
        for p in iter {
            set.insert(p);
        }
        set
    }
}

impl fmt::Debug for PermissionSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

/// What a user may do at a counter: the union of their groups' permissions, limited to the counter's.
pub fn effective<'a>(
    groups: impl IntoIterator<Item = &'a PermissionSet>,
    counter: PermissionSet,
) -> PermissionSet {
    groups
        .into_iter()
        .fold(PermissionSet::EMPTY, |acc, g| acc.union(*g))
        .intersection(counter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_unique() {
        for p in Permission::ALL {
            assert_eq!(Permission::from_code(p.code()), Some(p));
        }
        let all = PermissionSet::all();
        assert_eq!(all.iter().count(), Permission::ALL.len());
        assert_eq!(PermissionSet::parse(&all.to_codes()), Ok(all));
    }

    #[test]
    fn parse_accepts_spaces_and_rejects_unknown_codes() {
        let s = PermissionSet::parse(" search , print_forms,").expect("parse");
        assert!(s.contains(Permission::Search) && s.contains(Permission::PrintForms));
        assert!(!s.contains(Permission::Admin));
        assert_eq!(s.to_codes(), "search,print_forms");
        assert_eq!(PermissionSet::parse(""), Ok(PermissionSet::EMPTY));
        let e = PermissionSet::parse("search,superuser").expect_err("unknown");
        assert!(e.contains("superuser") && e.contains("ありません"), "{e}");
    }

    #[test]
    fn a_counter_limits_what_the_groups_allow() {
        let clerk = PermissionSet::parse("search,accept_notification,print_forms").expect("clerk");
        let auditor = PermissionSet::parse("view_audit").expect("auditor");
        let certificate_counter =
            PermissionSet::parse("search,print_forms,request_certificate").expect("counter");
        let e = effective([&clerk, &auditor], certificate_counter);
        assert_eq!(e.to_codes(), "search,print_forms");
        // Groups add up before the counter limits them.
        let e = effective([&clerk, &auditor], PermissionSet::all());
        assert_eq!(
            e.to_codes(),
            "search,accept_notification,print_forms,view_audit"
        );
        assert!(effective([], PermissionSet::all()).is_empty());
    }
}
