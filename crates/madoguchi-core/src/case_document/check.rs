//! The checks a case document passes before it is stored.

use crate::case::ProcedureState;
use crate::ids::AtenaNo;

use super::CaseDocument;

/// Why a case document is refused: a stable code and the reason in Japanese for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentError {
    pub code: &'static str,
    pub message: String,
}

impl std::fmt::Display for DocumentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for DocumentError {}

fn bad(code: &'static str, message: impl Into<String>) -> DocumentError {
    DocumentError {
        code,
        message: message.into(),
    }
}

const NOTIFICATION_KINDS: [&str; 6] = ["転入", "転居", "転出", "世帯変更", "出生", "死亡"];
const VISITOR_KINDS: [&str; 3] = ["本人", "同一世帯", "代理人"];

/// Checks a document and returns the 宛名番号 it names (visitor and members). A case still 受付中
/// (`complete: false`) may lack the new address, so that an unfinished visit can be saved and resumed.
pub fn check_document(doc: &CaseDocument, complete: bool) -> Result<Vec<String>, DocumentError> {
    if !VISITOR_KINDS.contains(&doc.visitor.kind.as_str()) {
        return Err(bad(
            "invalid_visitor",
            "来庁者の区分（本人・同一世帯・代理人）を選んでください。",
        ));
    }
    if doc.visitor.kind == "代理人" && !doc.visitor.proxy_letter {
        return Err(bad(
            "proxy_letter_required",
            "代理人の場合は委任状を確認してください。",
        ));
    }
    if doc.notifications.len() > 10 {
        return Err(bad("invalid_case", "1件の案件の届出は10件までです。"));
    }
    if let Some(sig) = &doc.signature {
        sig.form_strokes()
            .map_err(|e| bad("invalid_signature", e.message_ja()))?;
    }
    if doc.memo.chars().count() > 2000 {
        return Err(bad(
            "invalid_memo",
            "メモは2,000文字以内で入力してください。",
        ));
    }
    if let Some(card) = &doc.visitor.card
        && (card.name.chars().count() > 200 || card.address.chars().count() > 500)
    {
        return Err(bad(
            "invalid_card",
            "マイナンバーカードの券面事項が長すぎます。",
        ));
    }
    let mut subjects = Vec::new();
    let mut add = |id: &str| -> Result<(), DocumentError> {
        let id =
            AtenaNo::parse(id).map_err(|_| bad("invalid_id", "宛名番号が正しくありません。"))?;
        if !subjects.contains(&id.as_str().to_owned()) {
            subjects.push(id.as_str().to_owned());
        }
        Ok(())
    };
    if let Some(id) = &doc.visitor.atena_no {
        add(id)?;
    }
    for (n, notif) in doc.notifications.iter().enumerate() {
        let at = n + 1;
        if !NOTIFICATION_KINDS.contains(&notif.kind.as_str()) {
            return Err(bad(
                "invalid_notification",
                format!("{at}件目の届出の種類が正しくありません。"),
            ));
        }
        if notif.members.is_empty() || notif.members.len() > 30 {
            return Err(bad(
                "invalid_notification",
                format!("{at}件目の届出の世帯員を1〜30人で入力してください。"),
            ));
        }
        if !notif.members.iter().any(|m| m.facts.mover) {
            return Err(bad(
                "invalid_notification",
                format!("{at}件目の届出で、届出の対象となる方を選んでください。"),
            ));
        }
        if complete && matches!(notif.kind.as_str(), "転入" | "転居") && notif.new_address.is_none()
        {
            return Err(bad(
                "address_required",
                format!("{at}件目の届出の新しい住所を入力してください。"),
            ));
        }
        for m in &notif.members {
            if m.name.trim().is_empty() {
                return Err(bad(
                    "invalid_member",
                    format!("{at}件目の届出に氏名のない世帯員がいます。"),
                ));
            }
            if let Some(id) = &m.atena_no {
                add(id)?;
            }
        }
    }
    if subjects.len() > 50 {
        return Err(bad("invalid_subjects", "対象の住民は50人までです。"));
    }
    for (n, c) in doc.certificates.iter().enumerate() {
        if c.purpose.as_ref().is_some_and(|p| p.chars().count() > 100) {
            return Err(bad(
                "invalid_purpose",
                format!(
                    "{}件目の証明書の使用目的は100文字以内で入力してください。",
                    n + 1
                ),
            ));
        }
    }
    for p in &doc.procedures {
        if ProcedureState::parse(&p.state).is_none() {
            return Err(bad(
                "invalid_state",
                format!("手続「{}」の状態が正しくありません。", p.name),
            ));
        }
    }
    Ok(subjects)
}
