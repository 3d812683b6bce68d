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
    let text = decode(bytes, encoding)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_owned()).collect(),
        Err(_) => return Err(vec![problem(1, None, "見出し行を読めません。")]),
    };
    let mut problems = check_header(&header);
    if !problems.is_empty() {
        return Err(problems);
    }
    let known_groups: HashSet<String> = match store.list_groups(tenant) {
        Ok(g) => g.into_iter().map(|g| g.code).collect(),
        Err(e) => {
            tracing::error!(error = %e, "staff import: listing groups failed");
            return Err(vec![problem(0, None, "グループの一覧を読めませんでした。")]);
        }
    };
    let mut rows = Rows {
        store,
        tenant,
        header: &header,
        known_groups,
        seen: HashSet::new(),
    };
    let mut users = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let Ok(record) = record else {
            problems.push(problem(line, None, "CSV として読めません。"));
            continue;
        };
        if let Some(user) = rows
            .user(line, &record, &mut problems)
            .map_err(|fatal| vec![fatal])?
        {
            users.push(user);
        }
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

/// The file's text in `encoding` (a UTF-8 BOM dropped).
fn decode(bytes: &[u8], encoding: CsvEncoding) -> Result<String, Vec<StaffProblem>> {
    match encoding {
        CsvEncoding::Utf8 => {
            let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            std::str::from_utf8(bytes).map(str::to_owned).map_err(|_| {
                vec![problem(
                    0,
                    None,
                    "UTF-8 として読めません。文字コードを確認してください（Shift_JIS なら --encoding cp932）。",
                )]
            })
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
            Ok(text.into_owned())
        }
    }
}

/// Unknown columns and missing required ones.
fn check_header(header: &[String]) -> Vec<StaffProblem> {
    let mut problems = Vec::new();
    for h in header {
        if !COLUMNS.iter().any(|(c, _)| c == h) {
            problems.push(problem(1, Some(h), "知らない列です。"));
        }
    }
    for (c, required) in COLUMNS {
        if *required && !header.iter().any(|h| h == c) {
            problems.push(problem(1, Some(c), "必須の列がありません。"));
        }
    }
    problems
}

/// The data lines of one file, read against the tenant's groups and accounts.
struct Rows<'a> {
    store: &'a dyn Store,
    tenant: &'a TenantId,
    header: &'a [String],
    known_groups: HashSet<String>,
    /// ユーザーID met so far (a second one is refused).
    seen: HashSet<String>,
}

impl Rows<'_> {
    /// The account of one line, or `None` with its problems added to `problems`; `Err` when the store
    /// cannot be read (the whole import stops).
    fn user(
        &mut self,
        line: u64,
        record: &csv::StringRecord,
        problems: &mut Vec<StaffProblem>,
    ) -> Result<Option<NewUser>, StaffProblem> {
        if record.len() != self.header.len() {
            problems.push(problem(
                line,
                None,
                format!(
                    "列の数が見出しと違います（{} 列、見出しは {} 列）。",
                    record.len(),
                    self.header.len()
                ),
            ));
            return Ok(None);
        }
        let cell = |name: &str| {
            self.header
                .iter()
                .position(|h| h == name)
                .and_then(|i| record.get(i))
                .map(str::trim)
                .unwrap_or("")
        };
        let login = cell("ユーザーID");
        if !self.seen.insert(login.to_owned()) {
            problems.push(problem(
                line,
                Some("ユーザーID"),
                "同じユーザーIDがファイル内で重複しています。",
            ));
            return Ok(None);
        }
        let before = problems.len();
        let groups = self.groups(line, cell("グループ"), problems);
        let valid_until = match cell("有効期限") {
            "" => None,
            v => match madoguchi_core::wareki::parse_date(v) {
                Ok(d) => Some(d),
                Err(e) => {
                    problems.push(problem(line, Some("有効期限"), e.message_ja()));
                    None
                }
            },
        };
        let exists = match self.store.find_user(self.tenant, login) {
            Ok(u) => u.is_some(),
            Err(e) => {
                tracing::error!(error = %e, "staff import: user lookup failed");
                return Err(problem(0, None, "ユーザーの一覧を読めませんでした。"));
            }
        };
        if problems.len() > before {
            return Ok(None);
        }
        let spec = AccountSpec {
            login,
            display_name: cell("氏名"),
            password: cell("初期パスワード"),
            groups,
            valid_until,
        };
        let user = match account(&spec, exists) {
            Ok(user) => user,
            Err((column, reason)) => {
                problems.push(problem(line, Some(column), reason));
                return Ok(None);
            }
        };
        if user.display_name.is_empty() {
            problems.push(problem(line, Some("氏名"), "氏名が空です。"));
            return Ok(None);
        }
        Ok(Some(user))
    }

    /// The group codes of a cell (`;` or `、` between them), each known to the tenant.
    fn groups(&self, line: u64, cell: &str, problems: &mut Vec<StaffProblem>) -> Vec<String> {
        let groups: Vec<String> = cell
            .split([';', '、'])
            .map(str::trim)
            .filter(|g| !g.is_empty())
            .map(str::to_owned)
            .collect();
        for g in groups.iter().filter(|g| !self.known_groups.contains(*g)) {
            problems.push(problem(
                line,
                Some("グループ"),
                format!("グループ「{g}」は登録されていません。"),
            ));
        }
        groups
    }
}

/// The account to write: a new password hashed, or (no password given) an existing account updated
/// with its password kept. The column at fault and the Japanese reason otherwise.
fn account(spec: &AccountSpec<'_>, exists: bool) -> Result<NewUser, (&'static str, String)> {
    if spec.password.is_empty() {
        if !exists {
            return Err((
                "初期パスワード",
                "新しいユーザーには初期パスワードが必要です。".into(),
            ));
        }
        crate::auth::check_login(spec.login).map_err(|reason| ("ユーザーID", reason))?;
        return Ok(NewUser {
            login: spec.login.to_owned(),
            display_name: spec.display_name.to_owned(),
            password_hash: None,
            groups: spec.groups.clone(),
            valid_until: spec.valid_until,
            must_change_password: false,
        });
    }
    // An initial password from the file is the city's to hand out: the user chooses their own at the
    // first login.
    let initial = |mut user: NewUser| {
        user.must_change_password = true;
        user
    };
    new_account(spec).map(initial).map_err(|reason| {
        let column = if reason.contains("パスワード") {
            "初期パスワード"
        } else if reason.contains("氏名") {
            "氏名"
        } else {
            "ユーザーID"
        };
        (column, reason)
    })
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
    write(store, tenant, &users, actor)
}

/// Writes checked accounts (from [`parse`]) in one transaction, each audited as `user.import`.
pub fn write(
    store: &dyn Store,
    tenant: &TenantId,
    users: &[NewUser],
    actor: &AuditEvent,
) -> Result<UpsertCounts, Vec<StaffProblem>> {
    let events: Vec<AuditEvent> = users
        .iter()
        .map(|u| AuditEvent {
            action: "user.import".into(),
            subject: Some(u.login.clone()),
            ..actor.clone()
        })
        .collect();
    store
        .upsert_users(tenant, users, &events)
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
