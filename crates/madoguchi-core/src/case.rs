//! Counter cases (案件): one visit of a resident, with its status, the state of each procedure and the
//! history of what was done (対応履歴). The server keeps the case; this module holds the vocabulary and
//! the pure rules: which status changes are allowed and what a change means in the history.

use std::collections::BTreeMap;

/// Where a case stands (出雲 L41: 申請済 / 審査済).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CaseStatus {
    /// 受付中: the visit is being handled.
    Open,
    /// 申請済: the resident's applications are in.
    Applied,
    /// 審査済: a second staff member checked them.
    Reviewed,
    /// 完了: nothing left to do.
    Closed,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 4] = [
        CaseStatus::Open,
        CaseStatus::Applied,
        CaseStatus::Reviewed,
        CaseStatus::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CaseStatus::Open => "open",
            CaseStatus::Applied => "applied",
            CaseStatus::Reviewed => "reviewed",
            CaseStatus::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CaseStatus::Open => "受付中",
            CaseStatus::Applied => "申請済",
            CaseStatus::Reviewed => "審査済",
            CaseStatus::Closed => "完了",
        }
    }

    pub fn parse(code: &str) -> Option<CaseStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// A case moves one step forward, or back one step to correct a mistake; a closed case can only be
    /// reopened (受付中). Staying put is always allowed.
    pub fn can_change_to(self, to: CaseStatus) -> bool {
        let (a, b) = (self as i8, to as i8);
        a == b || b == a + 1 || (b == a - 1 && self != CaseStatus::Closed) || to == CaseStatus::Open
    }
}

/// The state of one procedure of a case (未, 申請書印刷済, 受付済).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProcedureState {
    Pending,
    Printed,
    Accepted,
}

impl ProcedureState {
    pub const ALL: [ProcedureState; 3] = [
        ProcedureState::Pending,
        ProcedureState::Printed,
        ProcedureState::Accepted,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ProcedureState::Pending => "pending",
            ProcedureState::Printed => "printed",
            ProcedureState::Accepted => "accepted",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ProcedureState::Pending => "未",
            ProcedureState::Printed => "申請書印刷済",
            ProcedureState::Accepted => "受付済",
        }
    }

    pub fn parse(code: &str) -> Option<ProcedureState> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Boilerplate phrases for the case memo (定型文), so that staff type less.
pub const MEMO_PHRASES: &[&str] = &[
    "本人確認済み（マイナンバーカード）",
    "本人確認済み（運転免許証）",
    "委任状を確認済み",
    "転出証明書を回収済み",
    "マイナンバーカードの住所変更済み",
    "後日、書類を持参予定",
    "他課へ案内済み",
    "電話で問い合わせあり",
];

/// Most phrases a city may keep, and the longest phrase (characters).
pub const MEMO_PHRASES_MAX: usize = 50;
pub const MEMO_PHRASE_CHARS: usize = 100;

/// A city's own memo phrases, trimmed, blank lines dropped; the reason in Japanese when there are too
/// many, one is too long or one repeats.
///
/// ```
/// use madoguchi_core::case::memo_phrases;
/// assert_eq!(memo_phrases(&[" 委任状を確認済み ".into(), "".into()]), Ok(vec!["委任状を確認済み".to_owned()]));
/// assert!(memo_phrases(&["同じ".into(), "同じ".into()]).expect_err("refused").contains("重複"));
/// ```
pub fn memo_phrases(lines: &[String]) -> Result<Vec<String>, String> {
    let mut phrases: Vec<String> = Vec::new();
    for line in lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        if line.chars().count() > MEMO_PHRASE_CHARS || line.chars().any(char::is_control) {
            return Err(format!(
                "定型文は1つ{MEMO_PHRASE_CHARS}文字以内で、改行や制御文字を含めないでください。"
            ));
        }
        if phrases.iter().any(|p| p == line) {
            return Err(format!("定型文「{line}」が重複しています。"));
        }
        phrases.push(line.to_owned());
    }
    if phrases.len() > MEMO_PHRASES_MAX {
        return Err(format!("定型文は{MEMO_PHRASES_MAX}個までです。"));
    }
    Ok(phrases)
}

/// What the history needs to know of a case to describe a change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFacts {
    pub status: Option<CaseStatus>,
    pub memo: String,
    /// Notifications (届出) by kind, e.g. `転入`.
    pub notifications: Vec<String>,
    /// Procedure code → (name, state).
    pub procedures: BTreeMap<String, (String, ProcedureState)>,
    /// Certificates requested: name and copies, and the fee total.
    pub certificates: Vec<(String, u32)>,
    pub fee_total: u32,
}

/// The lines of 対応履歴 that describe going from `before` (`None`: a new case) to `after`, in Japanese.
pub fn history_lines(before: Option<&CaseFacts>, after: &CaseFacts) -> Vec<String> {
    let empty = CaseFacts::default();
    let mut lines = Vec::new();
    let b = match before {
        None => {
            lines.push("案件を作成".to_owned());
            &empty
        }
        Some(b) => b,
    };
    if b.status != after.status
        && let Some(s) = after.status
    {
        match b.status {
            Some(from) if before.is_some() => {
                lines.push(format!("状態を変更: {} → {}", from.label(), s.label()));
            }
            _ => lines.push(format!("状態: {}", s.label())),
        }
    }
    // 届出 by kind: one line per kind whose count went up or down (two households moving in at once
    // are one 転入 line).
    let count = |list: &[String], kind: &str| list.iter().filter(|k| *k == kind).count();
    let mut seen = std::collections::BTreeSet::new();
    let kinds = after.notifications.iter().chain(&b.notifications);
    for kind in kinds.filter(|k| seen.insert(k.as_str())) {
        let (had, has) = (
            count(&b.notifications, kind),
            count(&after.notifications, kind),
        );
        if has > had {
            lines.push(format!("届出を追加: {kind}"));
        } else if has < had {
            lines.push(format!("届出を削除: {kind}"));
        }
    }
    let added: Vec<&str> = after
        .procedures
        .iter()
        .filter(|(code, _)| !b.procedures.contains_key(*code))
        .map(|(_, (name, _))| name.as_str())
        .collect();
    if !added.is_empty() {
        lines.push(format!("手続を追加: {}", added.join("、")));
    }
    for (code, (name, state)) in &after.procedures {
        if let Some((_, old)) = b.procedures.get(code)
            && old != state
        {
            lines.push(format!("{name}: {} → {}", old.label(), state.label()));
        }
    }
    let removed: Vec<&str> = b
        .procedures
        .iter()
        .filter(|(code, _)| !after.procedures.contains_key(*code))
        .map(|(_, (name, _))| name.as_str())
        .collect();
    if !removed.is_empty() {
        lines.push(format!("手続を削除: {}", removed.join("、")));
    }
    if b.certificates != after.certificates || b.fee_total != after.fee_total {
        if after.certificates.is_empty() {
            lines.push("証明書の請求を取消".to_owned());
        } else {
            let items: Vec<String> = after
                .certificates
                .iter()
                .map(|(name, copies)| format!("{name} {copies}通"))
                .collect();
            lines.push(format!(
                "証明書を請求: {}（手数料 {}円）",
                items.join("、"),
                after.fee_total
            ));
        }
    }
    if b.memo != after.memo {
        lines.push(if after.memo.trim().is_empty() {
            "メモを削除".to_owned()
        } else {
            "メモを更新".to_owned()
        });
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> CaseFacts {
        CaseFacts {
            status: Some(CaseStatus::Open),
            memo: String::new(),
            notifications: vec!["転入".into()],
            procedures: [
                (
                    "JUKI-TENNYU".to_owned(),
                    ("転入届".to_owned(), ProcedureState::Pending),
                ),
                (
                    "KOKUHO-KANYU".to_owned(),
                    ("国民健康保険 加入".to_owned(), ProcedureState::Pending),
                ),
            ]
            .into_iter()
            .collect(),
            certificates: vec![],
            fee_total: 0,
        }
    }

    #[test]
    fn status_moves_one_step_or_reopens() {
        use CaseStatus::*;
        assert!(Open.can_change_to(Applied));
        assert!(Applied.can_change_to(Reviewed));
        assert!(Reviewed.can_change_to(Applied));
        assert!(!Open.can_change_to(Reviewed));
        assert!(!Closed.can_change_to(Reviewed));
        assert!(Closed.can_change_to(Open));
        assert!(Reviewed.can_change_to(Closed));
        for s in CaseStatus::ALL {
            assert_eq!(CaseStatus::parse(s.code()), Some(s));
            assert!(s.can_change_to(s));
        }
        assert_eq!(CaseStatus::parse("done"), None);
    }

    #[test]
    fn a_new_case_lists_what_it_holds() {
        let lines = history_lines(None, &facts());
        assert_eq!(
            lines,
            vec![
                "案件を作成",
                "状態: 受付中",
                "届出を追加: 転入",
                "手続を追加: 転入届、国民健康保険 加入"
            ]
        );
    }

    #[test]
    fn changes_are_described_one_by_one() {
        let before = facts();
        let mut after = facts();
        after.status = Some(CaseStatus::Applied);
        after
            .procedures
            .get_mut("KOKUHO-KANYU")
            .expect("procedure")
            .1 = ProcedureState::Accepted;
        after.procedures.remove("JUKI-TENNYU");
        after.certificates = vec![("住民票の写し".into(), 2)];
        after.fee_total = 600;
        after.memo = "転出証明書を回収済み".into();
        after.notifications.push("転入".into());
        let lines = history_lines(Some(&before), &after);
        assert_eq!(
            lines,
            vec![
                "状態を変更: 受付中 → 申請済",
                "届出を追加: 転入",
                "国民健康保険 加入: 未 → 受付済",
                "手続を削除: 転入届",
                "証明書を請求: 住民票の写し 2通（手数料 600円）",
                "メモを更新",
            ]
        );
        assert!(history_lines(Some(&after), &after).is_empty());
    }
}
