//! Bulk registration of staff accounts from CSV (出雲 C⑤), all or nothing: one invalid row and nothing
//! is written. Layout in `docs/staff-csv.md`.

use std::collections::HashSet;

use madoguchi_store::{AuditEvent, NewUser, Store, StoreError, TenantId, UpsertCounts};

use crate::auth::{AccountSpec, new_account};
use crate::import::CsvEncoding;

/// A problem with one cell or line of the file (Japanese reason).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffProblem {
    /// 1-based line of the file (the header is line 1); 0 for the file as a whole.
    pub line: u64,
    pub column: Option<String>,
    pub reason: String,
}

impl std::fmt::Display for StaffProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.column, self.line) {
            (_, 0) => write!(f, "{}", self.reason),
            (Some(c), l) => write!(f, "{l}行目「{c}」: {}", self.reason),
            (None, l) => write!(f, "{l}行目: {}", self.reason),
        }
    }
}

const COLUMNS: &[(&str, bool)] = &[
    ("ユーザーID", true),
    ("氏名", true),
    ("グループ", false),
    ("有効期限", false),
    ("初期パスワード", false),
];

fn problem(line: u64, column: Option<&str>, reason: impl Into<String>) -> StaffProblem {
    StaffProblem {
        line,
        column: column.map(str::to_owned),
        reason: reason.into(),
    }
}

/// Reads and checks the whole file. Every problem is reported, not only the first.
pub fn parse(
    store: &dyn Store,
    tenant: &TenantId,
    bytes: &[u8],
    encoding: CsvEncoding,
) -> Result<Vec<NewUser>, Vec<StaffProblem>> {
    let text = match encoding {
        CsvEncoding::Utf8 => {
            let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            std::str::from_utf8(bytes).map(str::to_owned).map_err(|_| {
                vec![problem(
                    0,
                    None,
                    "UTF-8 として読めません。文字コードを確認してください（Shift_JIS なら --encoding cp932）。",
                )]
            })?
        }
        CsvEncoding::Cp932 => {
            let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(bytes);
            if bad {
                return Err(vec![problem(
                    0,
                    None,
                    "Shift_JIS (CP932) として読めない文字があります。",
                )]);
            }
            text.into_owned()
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_owned()).collect(),
        Err(_) => return Err(vec![problem(1, None, "見出し行を読めません。")]),
    };
    let mut problems = Vec::new();
    for h in &header {
        if !COLUMNS.iter().any(|(c, _)| c == h) {
            problems.push(problem(1, Some(h), "知らない列です。"));
        }
    }
    for (c, required) in COLUMNS {
        if *required && !header.iter().any(|h| h == c) {
            problems.push(problem(1, Some(c), "必須の列がありません。"));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let col = |name: &str| header.iter().position(|h| h == name);
    let known_groups: HashSet<String> = match store.list_groups(tenant) {
        Ok(g) => g.into_iter().map(|g| g.code).collect(),
        Err(e) => {
            tracing::error!(error = %e, "staff import: listing groups failed");
            return Err(vec![problem(0, None, "グループの一覧を読めませんでした。")]);
        }
    };
    let mut seen = HashSet::new();
    let mut users = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let record = match record {
            Ok(r) => r,
            Err(_) => {
                problems.push(problem(line, None, "CSV として読めません。"));
                continue;
            }
        };
        if record.len() != header.len() {
            problems.push(problem(
                line,
                None,
                format!(
                    "列の数が見出しと違います（{} 列、見出しは {} 列）。",
                    record.len(),
                    header.len()
                ),
            ));
            continue;
        }
        let cell = |name: &str| {
            col(name)
                .and_then(|i| record.get(i))
                .map(str::trim)
                .unwrap_or("")
        };
        let login = cell("ユーザーID");
        if !seen.insert(login.to_owned()) {
            problems.push(problem(
                line,
                Some("ユーザーID"),
                "同じユーザーIDがファイル内で重複しています。",
            ));
            continue;
        }
        let groups: Vec<String> = cell("グループ")
            .split([';', '、'])
            .map(str::trim)
            .filter(|g| !g.is_empty())
            .map(str::to_owned)
            .collect();
        let mut row_ok = true;
        for g in &groups {
            if !known_groups.contains(g) {
                problems.push(problem(
                    line,
                    Some("グループ"),
                    format!("グループ「{g}」は登録されていません。"),
                ));
                row_ok = false;
            }
        }
        let valid_until = match cell("有効期限") {
            "" => None,
            v => match madoguchi_core::wareki::parse_date(v) {
                Ok(d) => Some(d),
                Err(e) => {
                    problems.push(problem(line, Some("有効期限"), e.message_ja()));
                    row_ok = false;
                    None
                }
            },
        };
        let exists = match store.find_user(tenant, login) {
            Ok(u) => u.is_some(),
            Err(e) => {
                tracing::error!(error = %e, "staff import: user lookup failed");
                return Err(vec![problem(0, None, "ユーザーの一覧を読めませんでした。")]);
            }
        };
        let password = cell("初期パスワード");
        if !row_ok {
            continue;
        }
        let user = if password.is_empty() {
            if !exists {
                problems.push(problem(
                    line,
                    Some("初期パスワード"),
                    "新しいユーザーには初期パスワードが必要です。",
                ));
                continue;
            }
            if let Err(reason) = crate::auth::check_login(login) {
                problems.push(problem(line, Some("ユーザーID"), reason));
                continue;
            }
            NewUser {
                login: login.to_owned(),
                display_name: cell("氏名").to_owned(),
                password_hash: None,
                groups,
                valid_until,
            }
        } else {
            let spec = AccountSpec {
                login,
                display_name: cell("氏名"),
                password,
                groups,
                valid_until,
            };
            match new_account(&spec) {
                Ok(u) => u,
                Err(reason) => {
                    let column = if reason.contains("パスワード") {
                        "初期パスワード"
                    } else if reason.contains("氏名") {
                        "氏名"
                    } else {
                        "ユーザーID"
                    };
                    problems.push(problem(line, Some(column), reason));
                    continue;
                }
            }
        };
        if user.display_name.is_empty() {
            problems.push(problem(line, Some("氏名"), "氏名が空です。"));
            continue;
        }
        users.push(user);
    }
    if users.is_empty() && problems.is_empty() {
        problems.push(problem(0, None, "登録するユーザーがありません。"));
    }
    if problems.is_empty() {
        Ok(users)
    } else {
        Err(problems)
    }
}

/// Checks the file and, when every row is valid, creates or updates all accounts in one transaction,
/// each audited as `user.import` by `actor`.
pub fn import(
    store: &dyn Store,
    tenant: &TenantId,
    bytes: &[u8],
    encoding: CsvEncoding,
    actor: &AuditEvent,
) -> Result<UpsertCounts, Vec<StaffProblem>> {
    let users = parse(store, tenant, bytes, encoding)?;
    let events: Vec<AuditEvent> = users
        .iter()
        .map(|u| AuditEvent {
            action: "user.import".into(),
            subject: Some(u.login.clone()),
            ..actor.clone()
        })
        .collect();
    store
        .upsert_users(tenant, &users, &events)
        .map_err(|e| match e {
            StoreError::NotFound(_) | StoreError::Conflict(_) => vec![problem(
                0,
                None,
                "登録中にグループまたはユーザーが変更されました。もう一度実行してください。",
            )],
            e => {
                tracing::error!(error = %e, "staff import failed");
                vec![problem(
                    0,
                    None,
                    "登録できませんでした。何も変更していません。",
                )]
            }
        })
}
