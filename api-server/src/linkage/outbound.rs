//! Outbound linkage: accepted 届出 and 証明書 requests as CSV files for the core systems — the 住民記録
//! system's CSV import of 住民異動届 and 交付申請書 (data-standards §2.1, §10.8), its provisional update
//! (仮更新, みどり 8(3)⑤) and the RPA link data (出雲 M42–43). Every layout is defined once, in
//! [`KINDS`]: the files and the data dictionary (`docs/outbound-dictionary.md`, [`dictionary`]) are both
//! generated from it.
//!
//! Exactly once: a batch takes its cases in the store (each case at most once per kind) together with
//! the file's bytes, in one transaction, before anything is written; delivering writes those same bytes
//! (then a manifest and an end-trigger) and marks the batch delivered. A crash in between delivers the
//! same file again at the next run, never a second file with the same cases.

use chrono::{DateTime, FixedOffset, Utc};
use madoguchi_store::{CaseRecord, OutboundBatch, Store, StoreError, TenantId};

use madoguchi_core::case_document::{
    CardFace, CaseDocument, CaseMember, CertificateLine, NewAddress, Notification, stored,
};

/// What one data row is made from. `protected`: the case names a person under 支援措置 or 仮支援措置 (or
/// a member of their household), as [`crate::privacy::case_protected`] decides.
pub enum Row<'a> {
    /// A person a 届出 is about.
    Mover {
        protected: bool,
        case: &'a CaseRecord,
        doc: &'a CaseDocument,
        notification: &'a Notification,
        member: &'a CaseMember,
    },
    /// A certificate requested.
    Certificate {
        protected: bool,
        case: &'a CaseRecord,
        doc: &'a CaseDocument,
        line: &'a CertificateLine,
    },
    /// The 券面事項 of the visitor's マイナンバーカード, when it was read.
    Card {
        protected: bool,
        case: &'a CaseRecord,
        doc: &'a CaseDocument,
        card: &'a CardFace,
    },
    /// A task for the RPA: one per 届出 and one per certificate line.
    Task {
        protected: bool,
        case: &'a CaseRecord,
        doc: &'a CaseDocument,
        notification: Option<&'a Notification>,
        line: Option<&'a CertificateLine>,
    },
}

/// One column of a layout: its header, what it holds, its format, and how it is filled.
pub struct Column {
    pub name: &'static str,
    pub description: &'static str,
    pub format: &'static str,
    pub value: fn(&Row<'_>) -> String,
}

/// The rows a kind makes of a case.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum RowSource {
    Movers,
    Certificates,
    Cards,
    Tasks,
}

/// An outbound feed.
pub struct Kind {
    pub id: &'static str,
    pub label: &'static str,
    pub purpose: &'static str,
    /// Case statuses (codes) whose cases the kind takes.
    pub statuses: &'static [&'static str],
    pub rows: RowSource,
    /// A first column `更新区分` = `仮` (provisional update files).
    pub provisional: bool,
    /// Read through a spreadsheet (the RPA's input): cells neutralised against formulas
    /// ([`crate::csv_text`]). Files for the core systems' importers keep their values as they are.
    pub neutralise: bool,
    pub columns: &'static [Column],
}

fn jst(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&FixedOffset::east_opt(9 * 3600).expect("JST offset"))
}

fn case_of<'a>(r: &'a Row<'_>) -> &'a CaseRecord {
    match r {
        Row::Mover { case, .. }
        | Row::Certificate { case, .. }
        | Row::Card { case, .. }
        | Row::Task { case, .. } => case,
    }
}

fn protected_of(r: &Row<'_>) -> bool {
    match r {
        Row::Mover { protected, .. }
        | Row::Certificate { protected, .. }
        | Row::Card { protected, .. }
        | Row::Task { protected, .. } => *protected,
    }
}

fn doc_of<'a>(r: &'a Row<'_>) -> &'a CaseDocument {
    match r {
        Row::Mover { doc, .. }
        | Row::Certificate { doc, .. }
        | Row::Card { doc, .. }
        | Row::Task { doc, .. } => doc,
    }
}

fn notification_of<'a>(r: &'a Row<'_>) -> Option<&'a Notification> {
    match r {
        Row::Mover { notification, .. } => Some(notification),
        Row::Task { notification, .. } => *notification,
        Row::Certificate { .. } | Row::Card { .. } => None,
    }
}

fn member_of<'a>(r: &'a Row<'_>) -> Option<&'a CaseMember> {
    match r {
        Row::Mover { member, .. } => Some(member),
        _ => None,
    }
}

fn line_of<'a>(r: &'a Row<'_>) -> Option<&'a CertificateLine> {
    match r {
        Row::Certificate { line, .. } => Some(line),
        Row::Task { line, .. } => *line,
        Row::Mover { .. } | Row::Card { .. } => None,
    }
}

fn card_of<'a>(r: &'a Row<'_>) -> Option<&'a CardFace> {
    match r {
        Row::Card { card, .. } => Some(card),
        _ => None,
    }
}

fn new_address<T>(r: &Row<'_>, f: impl Fn(&NewAddress) -> T) -> Option<T> {
    notification_of(r)
        .and_then(|n| n.new_address.as_ref())
        .map(f)
}

const SUPPORT_MEASURE: Column = Column {
    name: "支援措置",
    description: "案件の対象者・来庁者またはその世帯員が支援措置（仮支援措置を含む）の対象。1 のとき、この行の住所・氏名等を第三者に開示しないこと（閲覧制限・証明書交付制限の対象として扱う）",
    format: "1 または 0",
    value: |r| if protected_of(r) { "1" } else { "0" }.into(),
};
const CASE_ID: Column = Column {
    name: "案件ID",
    description: "Madoguchi の案件番号（端末が採番、一意）。同じ案件の行を結び付けるキー",
    format: "英数字、- と _（8〜64文字）",
    value: |r| case_of(r).id.clone(),
};
const ACCEPTED_ON: Column = Column {
    name: "届出年月日",
    description: "窓口で受け付けた日（案件を開いた日、日本時間）",
    format: "YYYY-MM-DD",
    value: |r| jst(case_of(r).opened_at).format("%Y-%m-%d").to_string(),
};
const NOTIFICATION_KIND: Column = Column {
    name: "異動事由",
    description: "届出の種類",
    format: "転入、転居、転出、世帯変更、出生、死亡",
    value: |r| {
        notification_of(r)
            .map(|n| n.kind.clone())
            .unwrap_or_default()
    },
};
const NOTIFICATION_DETAIL: Column = Column {
    name: "異動事由詳細",
    description: "転入・転出の国内／国外、世帯変更の分離／合併／世帯主変更",
    format: "文字列（空可）",
    value: |r| {
        notification_of(r)
            .map(|n| n.detail.clone())
            .unwrap_or_default()
    },
};
const EVENT_DATE: Column = Column {
    name: "異動年月日",
    description: "異動（転入・転居・出生・死亡など）の日、転出は予定日",
    format: "YYYY-MM-DD",
    value: |r| {
        notification_of(r)
            .map(|n| n.event_date.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    },
};
const HOUSEHOLD_NO: Column = Column {
    name: "世帯番号",
    description: "異動する世帯の世帯番号（本市の世帯のとき）",
    format: "15桁の数字（空可）",
    value: |r| {
        notification_of(r)
            .and_then(|n| n.household_no.clone())
            .unwrap_or_default()
    },
};
const NOTICE_NO: Column = Column {
    name: "転出証明書番号",
    description: "転入の元になった転出証明書情報の番号",
    format: "文字列（空可）",
    value: |r| {
        notification_of(r)
            .and_then(|n| n.notice_no.clone())
            .unwrap_or_default()
    },
};
const ATENA_NO: Column = Column {
    name: "宛名番号",
    description: "異動者の宛名番号（本市の住民・元住民のとき。転入者は空）",
    format: "15桁の数字（空可）",
    value: |r| {
        member_of(r)
            .and_then(|m| m.atena_no.clone())
            .unwrap_or_default()
    },
};
const NAME: Column = Column {
    name: "氏名",
    description: "異動者の氏名（外字は Unicode の文字情報基盤文字のまま）",
    format: "文字列",
    value: |r| member_of(r).map(|m| m.name.clone()).unwrap_or_default(),
};
const KANA: Column = Column {
    name: "氏名_フリガナ",
    description: "異動者の氏名のフリガナ",
    format: "全角カタカナ（空可）",
    value: |r| member_of(r).map(|m| m.kana.clone()).unwrap_or_default(),
};
const BIRTH: Column = Column {
    name: "生年月日",
    description: "異動者の生年月日",
    format: "YYYY-MM-DD",
    value: |r| {
        member_of(r)
            .map(|m| m.facts.birth.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    },
};
const SEX: Column = Column {
    name: "性別",
    description: "異動者の性別",
    format: "男、女（空可）",
    value: |r| {
        member_of(r)
            .map(|m| m.facts.sex.clone())
            .unwrap_or_default()
    },
};
const RELATION: Column = Column {
    name: "続柄表記",
    description: "異動後の世帯主との続柄",
    format: "標準の続柄（世帯主、妻、子 …）",
    value: |r| {
        member_of(r)
            .map(|m| m.facts.relation.clone())
            .unwrap_or_default()
    },
};
const HEAD: Column = Column {
    name: "世帯主氏名",
    description: "異動後の世帯主の氏名",
    format: "文字列",
    value: |r| {
        notification_of(r)
            .map(|n| n.head_name.clone())
            .unwrap_or_default()
    },
};
const NEW_TOWN: Column = Column {
    name: "新住所_町字",
    description: "新しい住所の町字（本市の町字一覧から選んだもの）",
    format: "文字列（転出・死亡などは空）",
    value: |r| new_address(r, |a| a.town.clone()).unwrap_or_default(),
};
const NEW_TOWN_CODE: Column = Column {
    name: "新住所_町字コード",
    description: "新しい住所の町字コード（アドレス・ベース・レジストリの町字ID）",
    format: "7桁の数字（空可）",
    value: |r| new_address(r, |a| a.town_code.clone().unwrap_or_default()).unwrap_or_default(),
};
const NEW_BANCHI: Column = Column {
    name: "新住所_番地号表記",
    description: "新しい住所の番地・号",
    format: "文字列（空可）",
    value: |r| new_address(r, |a| a.banchi.clone()).unwrap_or_default(),
};
const NEW_KATAGAKI: Column = Column {
    name: "新住所_方書",
    description: "新しい住所の方書（建物名・部屋番号）",
    format: "文字列（空可）",
    value: |r| new_address(r, |a| a.katagaki.clone()).unwrap_or_default(),
};
const NEW_POSTAL: Column = Column {
    name: "新住所_郵便番号",
    description: "新しい住所の郵便番号",
    format: "7桁の数字（空可）",
    value: |r| {
        new_address(r, |a| a.postal_code.clone().unwrap_or_default())
            .unwrap_or_default()
            .replace('-', "")
    },
};
const NEW_FULL: Column = Column {
    name: "新住所",
    description: "新しい住所の全体（都道府県＋市区町村＋町字＋番地）",
    format: "文字列（空可）",
    value: |r| new_address(r, |a| a.full.clone()).unwrap_or_default(),
};
const OLD_ADDRESS: Column = Column {
    name: "従前の住所",
    description: "異動前の住所（転入は転出元、転出は本市の住所）",
    format: "文字列（空可）",
    value: |r| {
        notification_of(r)
            .map(|n| n.old_address.clone())
            .unwrap_or_default()
    },
};
const VISITOR_KIND: Column = Column {
    name: "届出人区分",
    description: "窓口に来た人（届出人・請求者）と対象者の関係",
    format: "本人、同一世帯、代理人",
    value: |r| doc_of(r).visitor.kind.clone(),
};
const VISITOR_ATENA: Column = Column {
    name: "届出人宛名番号",
    description: "届出人・請求者の宛名番号（本市の住民として検索したとき）",
    format: "15桁の数字（空可）",
    value: |r| doc_of(r).visitor.atena_no.clone().unwrap_or_default(),
};
const VISITOR_NAME: Column = Column {
    name: "届出人氏名",
    description: "届出人・請求者の氏名",
    format: "文字列",
    value: |r| doc_of(r).visitor.name.clone(),
};
const ID_DOCUMENT: Column = Column {
    name: "本人確認書類",
    description: "窓口で確認した本人確認書類",
    format: "マイナンバーカード、運転免許証、在留カード、パスポート …",
    value: |r| doc_of(r).visitor.id_document.clone(),
};
const COUNTER: Column = Column {
    name: "受付窓口",
    description: "案件を受け付けた窓口のコード",
    format: "文字列",
    value: |r| case_of(r).opened_counter.clone(),
};
const STAFF: Column = Column {
    name: "受付者",
    description: "案件を受け付けた職員のログインID",
    format: "文字列",
    value: |r| case_of(r).opened_by.clone(),
};
const CERT_ITEM: Column = Column {
    name: "証明書コード",
    description: "請求された証明書（手数料表の項目コード）",
    format: "英大文字（JUMINHYO など）",
    value: |r| line_of(r).map(|l| l.item.clone()).unwrap_or_default(),
};
const CERT_NAME: Column = Column {
    name: "証明書名",
    description: "請求された証明書の名称",
    format: "文字列",
    value: |r| line_of(r).map(|l| l.name.clone()).unwrap_or_default(),
};
const COPIES: Column = Column {
    name: "通数",
    description: "請求された通数",
    format: "1以上の整数",
    value: |r| line_of(r).map(|l| l.copies.to_string()).unwrap_or_default(),
};
const YEN: Column = Column {
    name: "手数料",
    description: "この行の手数料（円、免除は0）。サーバーが手数料表から計算したもの",
    format: "0以上の整数",
    value: |r| line_of(r).map(|l| l.yen.to_string()).unwrap_or_default(),
};
const EXEMPTION: Column = Column {
    name: "免除理由",
    description: "手数料を免除したときの理由",
    format: "文字列（空可）",
    value: |r| {
        line_of(r)
            .and_then(|l| l.exemption.clone())
            .unwrap_or_default()
    },
};
const SCENARIO: Column = Column {
    name: "シナリオ",
    description: "RPA が実行するシナリオ（出雲市 調達仕様 12 の一覧の名称）",
    format: "転入入力、転出入力、転居入力、世帯分離入力、世帯合併入力、世帯構成変更入力、出生入力、死亡入力、住民票発行、印鑑証明書発行、所得・課税証明書発行、証明書発行",
    value: |r| scenario(r),
};
const SUBJECT_ATENA: Column = Column {
    name: "対象者宛名番号",
    description: "届出の異動者の宛名番号（複数は半角スペース区切り、転入者は含まない）",
    format: "15桁の数字の並び（空可）",
    value: |r| {
        notification_of(r)
            .map(|n| {
                n.members
                    .iter()
                    .filter(|m| m.facts.mover)
                    .filter_map(|m| m.atena_no.clone())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default()
    },
};
const SUBJECT_NAMES: Column = Column {
    name: "対象者氏名",
    description: "届出の異動者の氏名（複数は「、」区切り）",
    format: "文字列（空可）",
    value: |r| {
        notification_of(r)
            .map(|n| {
                n.members
                    .iter()
                    .filter(|m| m.facts.mover)
                    .map(|m| m.name.clone())
                    .collect::<Vec<_>>()
                    .join("、")
            })
            .unwrap_or_default()
    },
};

const CARD_NAME: Column = Column {
    name: "氏名",
    description: "券面の氏名（券面事項入力補助APから読み取ったまま）",
    format: "文字列",
    value: |r| card_of(r).map(|c| c.name.clone()).unwrap_or_default(),
};
const CARD_ADDRESS: Column = Column {
    name: "住所",
    description: "券面の住所（読み取ったまま、1 行）",
    format: "文字列",
    value: |r| card_of(r).map(|c| c.address.clone()).unwrap_or_default(),
};
const CARD_BIRTH: Column = Column {
    name: "生年月日",
    description: "券面の生年月日",
    format: "YYYY-MM-DD",
    value: |r| {
        card_of(r)
            .map(|c| c.birth.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    },
};
const CARD_SEX: Column = Column {
    name: "性別",
    description: "券面の性別",
    format: "男、女（空可）",
    value: |r| card_of(r).map(|c| c.sex.clone()).unwrap_or_default(),
};

fn scenario(r: &Row<'_>) -> String {
    if let Some(n) = notification_of(r) {
        return match (n.kind.as_str(), n.detail.as_str()) {
            ("転入", _) => "転入入力",
            ("転出", _) => "転出入力",
            ("転居", _) => "転居入力",
            ("世帯変更", "分離") => "世帯分離入力",
            ("世帯変更", "合併") => "世帯合併入力",
            ("世帯変更", _) => "世帯構成変更入力",
            ("出生", _) => "出生入力",
            ("死亡", _) => "死亡入力",
            _ => "その他の届出入力",
        }
        .into();
    }
    match line_of(r).map(|l| l.item.as_str()) {
        Some(i) if i.starts_with("JUMINHYO") => "住民票発行",
        Some(i) if i.starts_with("INKAN") => "印鑑証明書発行",
        Some(i) if i.starts_with("KAZEI") || i.starts_with("SHOTOKU") => "所得・課税証明書発行",
        _ => "証明書発行",
    }
    .into()
}

const ACCEPTED: &[&str] = &["applied", "reviewed", "closed"];
const REVIEWED: &[&str] = &["reviewed", "closed"];

const IDO_COLUMNS: &[Column] = &[
    CASE_ID,
    SUPPORT_MEASURE,
    ACCEPTED_ON,
    NOTIFICATION_KIND,
    NOTIFICATION_DETAIL,
    EVENT_DATE,
    HOUSEHOLD_NO,
    NOTICE_NO,
    ATENA_NO,
    NAME,
    KANA,
    BIRTH,
    SEX,
    RELATION,
    HEAD,
    NEW_TOWN,
    NEW_TOWN_CODE,
    NEW_BANCHI,
    NEW_KATAGAKI,
    NEW_POSTAL,
    NEW_FULL,
    OLD_ADDRESS,
    VISITOR_KIND,
    VISITOR_NAME,
    ID_DOCUMENT,
    COUNTER,
    STAFF,
];

const KOFU_COLUMNS: &[Column] = &[
    CASE_ID,
    SUPPORT_MEASURE,
    ACCEPTED_ON,
    CERT_ITEM,
    CERT_NAME,
    COPIES,
    YEN,
    EXEMPTION,
    VISITOR_KIND,
    VISITOR_ATENA,
    VISITOR_NAME,
    ID_DOCUMENT,
    COUNTER,
    STAFF,
];

const RPA_COLUMNS: &[Column] = &[
    CASE_ID,
    SCENARIO,
    SUPPORT_MEASURE,
    ACCEPTED_ON,
    EVENT_DATE,
    NOTIFICATION_DETAIL,
    HOUSEHOLD_NO,
    SUBJECT_ATENA,
    SUBJECT_NAMES,
    HEAD,
    NEW_TOWN,
    NEW_TOWN_CODE,
    NEW_BANCHI,
    NEW_KATAGAKI,
    NEW_POSTAL,
    OLD_ADDRESS,
    CERT_ITEM,
    CERT_NAME,
    COPIES,
    YEN,
    VISITOR_KIND,
    VISITOR_ATENA,
    VISITOR_NAME,
];

const KENMEN_COLUMNS: &[Column] = &[
    CASE_ID,
    SUPPORT_MEASURE,
    ACCEPTED_ON,
    VISITOR_ATENA,
    CARD_NAME,
    CARD_ADDRESS,
    CARD_BIRTH,
    CARD_SEX,
    VISITOR_KIND,
    COUNTER,
    STAFF,
];

/// Every outbound feed.
pub const KINDS: &[Kind] = &[
    Kind {
        id: "ido",
        label: "住民異動届",
        purpose: "住民記録システムの CSV 取込（住民異動届）。審査済になった届出の異動者 1 人を 1 行に出力する。",
        statuses: REVIEWED,
        rows: RowSource::Movers,
        provisional: false,
        neutralise: false,
        columns: IDO_COLUMNS,
    },
    Kind {
        id: "kofu",
        label: "証明書交付申請",
        purpose: "住民記録システムの CSV 取込（住民票の写し等の交付申請書）。審査済になった案件の証明書 1 種類を 1 行に出力する。",
        statuses: REVIEWED,
        rows: RowSource::Certificates,
        provisional: false,
        neutralise: false,
        columns: KOFU_COLUMNS,
    },
    Kind {
        id: "kari_ido",
        label: "住民異動届（仮更新）",
        purpose: "住記システムへの仮更新。申請済になった時点で、住民異動届と同じ項目を先頭の更新区分「仮」付きで出力する。",
        statuses: ACCEPTED,
        rows: RowSource::Movers,
        provisional: true,
        neutralise: false,
        columns: IDO_COLUMNS,
    },
    Kind {
        id: "kari_kofu",
        label: "証明書交付申請（仮更新）",
        purpose: "住記システムへの仮更新。申請済になった時点で、証明書交付申請と同じ項目を先頭の更新区分「仮」付きで出力する。",
        statuses: ACCEPTED,
        rows: RowSource::Certificates,
        provisional: true,
        neutralise: false,
        columns: KOFU_COLUMNS,
    },
    Kind {
        id: "kenmen",
        label: "券面事項",
        purpose: "住民記録システムの CSV 取込（個人番号カード券面事項）。窓口またはキオスクでマイナンバーカードを読み取った案件の、カードの基本4情報を 1 行に出力する。個人番号は読み取らず、出力しない。",
        statuses: ACCEPTED,
        rows: RowSource::Cards,
        provisional: false,
        neutralise: false,
        columns: KENMEN_COLUMNS,
    },
    Kind {
        id: "rpa",
        label: "RPA連携データ",
        purpose: "基幹系業務システムを自動操作する RPA への入力。申請済になった案件の届出 1 件、証明書 1 種類をそれぞれ 1 行（1 シナリオ）に出力する。",
        statuses: ACCEPTED,
        rows: RowSource::Tasks,
        provisional: false,
        neutralise: true,
        columns: RPA_COLUMNS,
    },
];

pub fn kind(id: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.id == id)
}

fn cell(v: &str, neutralise: bool) -> String {
    let v: String = v
        .chars()
        .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
        .collect();
    // Values go to the core systems' importers as they are; the RPA reads through a spreadsheet.
    if neutralise {
        crate::csv_text::cell(&v)
    } else {
        crate::csv_text::quoted(&v)
    }
}

/// The rows of one case for a kind (none when the case has nothing of that kind, or its document
/// cannot be read — then it is taken with no rows and logged).
fn rows_of(kind: &Kind, case: &CaseRecord, protected: bool, out: &mut Vec<Vec<String>>) {
    let doc: CaseDocument = match stored::read(&case.document) {
        Ok(d) => d,
        Err(e) => {
            tracing::error!(error = %e, "case document unreadable for an outbound feed");
            return;
        }
    };
    let mut push = |row: Row<'_>| {
        let mut values: Vec<String> = Vec::with_capacity(kind.columns.len() + 1);
        if kind.provisional {
            values.push("仮".into());
        }
        values.extend(kind.columns.iter().map(|c| (c.value)(&row)));
        out.push(values);
    };
    match kind.rows {
        RowSource::Movers => {
            for n in &doc.notifications {
                for m in n.members.iter().filter(|m| m.facts.mover) {
                    push(Row::Mover {
                        protected,
                        case,
                        doc: &doc,
                        notification: n,
                        member: m,
                    });
                }
            }
        }
        RowSource::Certificates => {
            for line in &doc.certificates {
                push(Row::Certificate {
                    protected,
                    case,
                    doc: &doc,
                    line,
                });
            }
        }
        RowSource::Cards => {
            if let Some(card) = &doc.visitor.card {
                push(Row::Card {
                    protected,
                    case,
                    doc: &doc,
                    card,
                });
            }
        }
        RowSource::Tasks => {
            for n in &doc.notifications {
                push(Row::Task {
                    protected,
                    case,
                    doc: &doc,
                    notification: Some(n),
                    line: None,
                });
            }
            for line in &doc.certificates {
                push(Row::Task {
                    protected,
                    case,
                    doc: &doc,
                    notification: None,
                    line: Some(line),
                });
            }
        }
    }
}

/// A kind's file for the given cases, each with whether it is under 支援措置: UTF-8 with BOM, CRLF,
/// header first. Returns (bytes, rows).
pub fn render(kind: &Kind, cases: &[(CaseRecord, bool)]) -> (Vec<u8>, u64) {
    let mut rows = Vec::new();
    for (c, protected) in cases {
        rows_of(kind, c, *protected, &mut rows);
    }
    let mut out = String::from("\u{FEFF}");
    let mut header: Vec<&str> = Vec::new();
    if kind.provisional {
        header.push("更新区分");
    }
    header.extend(kind.columns.iter().map(|c| c.name));
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for r in &rows {
        out.push_str(
            &r.iter()
                .map(|v| cell(v, kind.neutralise))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    (out.into_bytes(), rows.len() as u64)
}

/// The data dictionary of every outbound feed (Markdown), from the same definitions as the files.
pub fn dictionary() -> String {
    let mut out = String::from(
        "# 連携ファイル データ辞書（出力）\n\n\
         `madoguchi-server linkage dictionary` が `api-server/src/linkage/outbound.rs` の定義から生成したもの。\
         手で編集しないこと（テストが定義との一致を確かめる）。\n\n\
         共通: 文字コード UTF-8（BOM 付き）、改行 CRLF、1 行目は見出し、値にカンマ・引用符・改行を含むときは \
         `\"` で囲み `\"` は 2 つ重ねる。日付は西暦 `YYYY-MM-DD`。ファイルは `<テナント>/outbound/<種類>/` に \
         `<種類>_<作成日時UTC>_<SHA-256先頭8桁>.csv` の名前で置かれ、続けて `.manifest`（size と sha256 の JSON）と \
         `.end` が置かれる。取り込み側は `.end` があるファイルだけを読むこと。1 つの案件は種類ごとに 1 回だけ出力される。\
         RPA連携データだけは表計算ソフトで開かれるため、`=` `+` `-` `@` タブ・復帰・`'` で始まる値の先頭に `'` を 1 つ付ける\
         （数式として実行させないため。RPA 側は先頭の `'` を 1 つ取り除いて入力すること）。\
         「支援措置」が 1 の行は、住所・氏名等を第三者に開示しないこと。\n",
    );
    for k in KINDS {
        out.push_str(&format!(
            "\n## {}（`{}`）\n\n{}\n\n対象の案件の状態: {}\n\n| # | 項目名 | 内容 | 形式 |\n| --- | --- | --- | --- |\n",
            k.label,
            k.id,
            k.purpose,
            k.statuses
                .iter()
                .filter_map(|s| madoguchi_core::case::CaseStatus::parse(s))
                .map(|s| s.label())
                .collect::<Vec<_>>()
                .join("、")
        ));
        let mut n = 0;
        if k.provisional {
            n += 1;
            out.push_str(&format!(
                "| {n} | 更新区分 | 仮更新であることを示す | 常に「仮」 |\n"
            ));
        }
        for c in k.columns {
            n += 1;
            out.push_str(&format!(
                "| {n} | {} | {} | {} |\n",
                c.name, c.description, c.format
            ));
        }
    }
    out
}

/// Takes the next batch of a kind: its cases and file recorded (not yet delivered). `None` when no
/// case waits. Runs on a blocking thread.
pub fn take_batch(
    store: &dyn Store,
    tenant: &TenantId,
    kind: &Kind,
    now: DateTime<Utc>,
    limit: usize,
) -> Result<Option<OutboundBatch>, StoreError> {
    let cases = store.outbound_candidates(tenant, kind.id, kind.statuses, limit)?;
    if cases.is_empty() {
        return Ok(None);
    }
    let mut flagged = Vec::with_capacity(cases.len());
    for c in &cases {
        // An unreadable document has no rows (rows_of logs it): nothing to flag.
        let protected = match stored::read(&c.document) {
            Ok(doc) => crate::privacy::case_protected(store, tenant, &doc)?,
            Err(_) => false,
        };
        flagged.push((c.clone(), protected));
    }
    let (content, records) = render(kind, &flagged);
    let sha256 = crate::import::hex(ring::digest::digest(&ring::digest::SHA256, &content).as_ref());
    let mut batch = OutboundBatch {
        kind: kind.id.into(),
        batch_no: 0,
        file_name: format!(
            "{}_{}_{}.csv",
            kind.id,
            now.format("%Y%m%dT%H%M%S%3fZ"),
            &sha256[..8]
        ),
        content,
        sha256,
        records,
        case_ids: cases.iter().map(|c| c.id.clone()).collect(),
        created_at: now,
        delivered_at: None,
    };
    let audit = crate::audit::event(
        tenant,
        None,
        None,
        "linkage.export",
        Some(format!("{} {}", kind.id, batch.sha256)),
        "ok",
    );
    batch.batch_no = store.add_outbound_batch(tenant, &batch, &audit)?;
    Ok(Some(batch))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_dictionary_is_generated_from_the_definitions() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/outbound-dictionary.md");
        let want = dictionary();
        if std::env::var_os("UPDATE_DICTIONARY").is_some() {
            std::fs::write(&path, &want).expect("write dictionary");
        }
        let got = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            got == want,
            "docs/outbound-dictionary.md differs from the definitions: run with UPDATE_DICTIONARY=1"
        );
    }

    #[test]
    fn headers_are_unique_per_kind_and_scenarios_are_named() {
        for k in KINDS {
            let mut names: Vec<&str> = k.columns.iter().map(|c| c.name).collect();
            names.sort_unstable();
            let n = names.len();
            names.dedup();
            assert_eq!(names.len(), n, "{}", k.id);
        }
        assert_eq!(cell("a,b", false), "\"a,b\"");
        assert_eq!(
            cell("=cmd", false),
            "=cmd",
            "the core systems get the value as it is"
        );
        assert_eq!(
            cell("=cmd", true),
            "'=cmd",
            "the RPA's spreadsheet gets no formula"
        );
        assert_eq!(cell("改\u{7}行", false), "改 行");
    }
}
