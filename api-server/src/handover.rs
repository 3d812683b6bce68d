//! Tenant data hand-over (公共SaaS: the tenant owns its data; 出雲 7 E②③): a tenant's whole data set
//! exported as documented CSV files (`docs/tenant-export.md`), imported into an empty tenant, and a tenant
//! deleted with a deletion report.
//!
//! The export is a folder: `manifest.json` (format, tenant, time, and every file with its rows and
//! SHA-256) and one CSV per kind of data, UTF-8 with BOM. An import checks every file against the
//! manifest before it writes anything, refuses a tenant that already has data, and removes what it
//! wrote when any step fails, so the tenant is either complete or empty.
//!
//! The package's files are written and read back by `package`; the core-system feeds' card serials
//! and 課税 are `feeds`, the issued certificates with their number counters `certificates`, the
//! マイナポータル applications with their attachments `portal`, the 転入予約 `arrivals` and the 事前申請
//! `pre_applications`.

mod arrivals;
mod certificates;
mod feeds;
mod package;
mod portal;
mod pre_applications;

pub use package::{FileEntry, HandoverError, ImportSummary};
use package::{
    Result, SEALED_SUFFIX, Table, Writer, applied, date, parse_atena, parse_date, parse_time,
    sha256, table, time, write_file,
};

use crate::handover_seal::{Opener, Sealer};
use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use madoguchi_core::resident::{
    BirthDate, Resident, ResidentKind, ResidentStatus, Sex, SupportMeasure,
};
use madoguchi_store::{
    AuditEvent, CaseEntry, CaseRecord, CounterRecord, GroupRecord, ImportMeta, ImportMode,
    IncomingMove, NewUser, PermissionSet, QualificationChange, QualificationRecord, Store,
    SupportMeasureRecord, TenantId,
};
use serde::{Deserialize, Serialize};

/// Format name and version written into `manifest.json`.
pub const FORMAT: &str = "madoguchi-tenant-export";
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    pub tenant: String,
    pub tenant_name: String,
    pub exported_at: DateTime<Utc>,
    pub files: Vec<FileEntry>,
}

/// Tenant settings that are secret keys: exported only when asked for (`with_secrets`).
const SECRET_SETTINGS: &[&str] = &["qr_keys", "audit_query_key"];

/// What an imported account gets when the export held no password hash: no password verifies against
/// it, so the account cannot log in until an administrator sets a password.
pub const NO_PASSWORD: &str = "!no-password-in-hand-over";

/// How a tenant is exported.
#[derive(Default)]
pub struct ExportOptions {
    /// Include the staff's password hashes and the keys that sign QR codes and key the audit's search
    /// digests. Off by default: the new system then sets new passwords and new keys.
    pub with_secrets: bool,
    /// Encrypt every file to these recipients (age).
    pub seal: Option<Sealer>,
}

/// The resident import layout (`docs/resident-csv.md`, the importer's own column list without its
/// delta and history columns), so that the same importer reads it back.
fn resident_header() -> Vec<&'static str> {
    madoguchi_core::resident_csv::COLUMNS
        .iter()
        .map(|(c, _)| *c)
        .filter(|c| {
            !matches!(
                *c,
                "削除フラグ" | "履歴番号" | "履歴番号枝番" | "最新フラグ"
            )
        })
        .collect()
}

fn resident_row(r: &Resident) -> Vec<String> {
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    let n = &r.name;
    let a = &r.address;
    let f = r.foreign.as_ref();
    let (birth, unknown, unknown_text) = match &r.birth {
        BirthDate::Known(d) => (date(Some(*d)), String::new(), String::new()),
        BirthDate::Unknown { text, internal } => (date(*internal), "1".into(), text.clone()),
    };
    vec![
        r.atena_no.as_str().into(),
        r.household_no.as_str().into(),
        match r.kind {
            ResidentKind::Japanese => "日本人住民",
            ResidentKind::Foreign => "外国人住民",
        }
        .into(),
        match r.status {
            ResidentStatus::Resident => "住民",
            ResidentStatus::MovedOut => "転出",
            ResidentStatus::Deceased => "死亡",
            ResidentStatus::Removed => "消除",
        }
        .into(),
        n.full.clone(),
        o(&n.surname),
        o(&n.given),
        o(&n.kana),
        o(&n.surname_kana),
        o(&n.given_kana),
        o(&n.former_surname),
        o(&n.former_surname_kana),
        o(&n.alias),
        o(&n.alias_kana),
        o(&n.foreign_romaji),
        o(&n.foreign_kanji),
        birth,
        unknown,
        unknown_text,
        match r.sex {
            Sex::Male => "男",
            Sex::Female => "女",
        }
        .into(),
        r.relation.to_string(),
        a.city_code.clone(),
        o(&a.town_code),
        a.prefecture.clone(),
        a.city.clone(),
        a.town.clone(),
        o(&a.banchi),
        o(&a.katagaki),
        o(&a.postal_code),
        date(r.became_resident_on),
        date(r.address_fixed_on),
        f.map(|f| f.nationality.clone()).unwrap_or_default(),
        f.and_then(|f| f.status_of_residence.clone())
            .unwrap_or_default(),
        f.and_then(|f| f.period_of_stay.clone()).unwrap_or_default(),
        date(f.and_then(|f| f.expiry)),
        if r.support_measure == SupportMeasure::Active {
            "1"
        } else {
            "0"
        }
        .into(),
        if r.support_measure == SupportMeasure::Provisional {
            "1"
        } else {
            "0"
        }
        .into(),
        o(&r.registry.honseki),
        o(&r.registry.hittosha),
        r.registry
            .juminhyo_code
            .as_ref()
            .map_or_else(String::new, |c| c.as_str().to_owned()),
        o(&r.registry.previous_address),
    ]
}

/// What an export wrote.
#[derive(Debug, Clone)]
pub struct ExportSummary {
    pub manifest: Manifest,
}

/// Exports the tenant's whole data set into `dir` (created; must be empty or absent).
pub fn export_tenant(
    store: &dyn Store,
    tenant: &TenantId,
    dir: &Path,
    options: &ExportOptions,
    audit: &AuditEvent,
) -> Result<ExportSummary> {
    let name = store.tenant_name(tenant)?.ok_or_else(|| {
        HandoverError::invalid(format!("テナント {} はありません。", tenant.as_str()))
    })?;
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        return Err(HandoverError::invalid(
            "出力先のフォルダが空ではありません。空のフォルダを指定してください。",
        ));
    }
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    std::fs::set_permissions(dir, std::os::unix::fs::PermissionsExt::from_mode(0o700))?;
    let mut w = Writer {
        dir,
        files: Vec::new(),
        seal: options.seal.as_ref(),
    };

    export_people(&mut w, store, tenant)?;
    export_accounts(&mut w, store, tenant, options)?;
    export_cases(&mut w, store, tenant)?;
    certificates::export(&mut w, store, tenant)?;
    portal::export(&mut w, store, tenant)?;
    arrivals::export(&mut w, store, tenant)?;
    pre_applications::export(&mut w, store, tenant, crate::clock::today_jst())?;
    export_linkage(&mut w, store, tenant)?;
    export_audit(&mut w, store, tenant)?;

    let manifest = Manifest {
        format: FORMAT.into(),
        version: VERSION,
        tenant: tenant.as_str().into(),
        tenant_name: name,
        exported_at: Utc::now(),
        files: w.files,
    };
    write_file(
        &dir.join("manifest.json"),
        &serde_json::to_vec_pretty(&manifest).map_err(|e| HandoverError::invalid(e.to_string()))?,
        options.seal.as_ref(),
    )?;
    store.append_audit(audit)?;
    Ok(ExportSummary { manifest })
}

/// The hand-over package's file of 資格 (qualifications): its published name (`docs/tenant-export.md`),
/// kept so that packages written by earlier versions still restore.
const QUALIFICATIONS_FILE: &str = "eligibilities.csv";

/// Residents, 支援措置, 印鑑登録, 資格 (qualifications), card serials and 課税.
fn export_people(w: &mut Writer<'_>, store: &dyn Store, tenant: &TenantId) -> Result<()> {
    let mut residents = Vec::new();
    store.for_each_resident(tenant, &mut |r| {
        residents.push(resident_row(&r));
        Ok(())
    })?;
    w.file("residents.csv", &resident_header(), residents)?;

    let sm = store.all_support_measures(tenant)?;
    w.file(
        "support_measures.csv",
        &[
            "宛名番号",
            "措置区分",
            "支援措置開始年月日",
            "支援措置終了年月日",
        ],
        sm.iter()
            .map(|s| {
                vec![
                    s.atena_no.as_str().into(),
                    match s.measure {
                        SupportMeasure::Active => "1",
                        SupportMeasure::Provisional => "2",
                        SupportMeasure::None => "3",
                    }
                    .into(),
                    date(s.start),
                    date(s.end),
                ]
            })
            .collect(),
    )?;
    export_seals(w, store, tenant)?;
    feeds::export_card_serials(w, store, tenant)?;
    feeds::export_tax(w, store, tenant)?;
    let el = store.all_qualifications(tenant)?;
    w.file(
        QUALIFICATIONS_FILE,
        &["宛名番号", "資格種別", "資格取得日", "資格喪失日"],
        el.iter()
            .map(|e| {
                vec![
                    e.atena_no.as_str().into(),
                    e.kind.clone(),
                    date(e.acquired),
                    date(e.lost),
                ]
            })
            .collect(),
    )?;
    Ok(())
}

/// The hand-over file of 印鑑登録 (the `inkan` feed's data), with each 印影 in base64.
const SEALS_FILE: &str = "seal_registrations.csv";
const SEAL_COLUMNS: [&str; 8] = [
    "宛名番号",
    "印鑑登録番号",
    "登録年月日",
    "廃止年月日",
    "印影データ",
    "印影種別",
    "印影_幅mm",
    "印影_高さmm",
];

fn export_seals(w: &mut Writer<'_>, store: &dyn Store, tenant: &TenantId) -> Result<()> {
    use base64::Engine;
    let tenths = |t: Option<u16>| t.map_or_else(String::new, |t| format!("{}.{}", t / 10, t % 10));
    let rows = store
        .all_seal_registrations(tenant)?
        .iter()
        .map(|r| {
            vec![
                r.atena_no.as_str().into(),
                r.registration_no.clone(),
                date(Some(r.registered_on)),
                date(r.abolished_on),
                r.image
                    .as_ref()
                    .map(|b| base64::engine::general_purpose::STANDARD.encode(b))
                    .unwrap_or_default(),
                r.image_type.clone().unwrap_or_default(),
                tenths(r.width_tenth_mm),
                tenths(r.height_tenth_mm),
            ]
        })
        .collect();
    w.file(SEALS_FILE, &SEAL_COLUMNS, rows)
}

const BACKGROUNDS_FILE: &str = "form_backgrounds.csv";

/// The background PDFs of the city's templates (base64), by name.
fn export_backgrounds(w: &mut Writer<'_>, store: &dyn Store, tenant: &TenantId) -> Result<()> {
    use base64::Engine;
    let mut rows = Vec::new();
    for b in store.form_backgrounds(tenant)? {
        let pdf = store.form_background(tenant, &b.name)?.unwrap_or_default();
        rows.push(vec![
            b.name,
            b.pages.to_string(),
            base64::engine::general_purpose::STANDARD.encode(pdf),
        ]);
    }
    w.file(BACKGROUNDS_FILE, &["名前", "ページ数", "PDF"], rows)
}

/// The background PDFs, before the templates that name them; a package written before backgrounds
/// were handed over has none.
fn import_backgrounds(
    store: &dyn Store,
    tenant: &TenantId,
    files: &BTreeMap<String, Vec<u8>>,
    event: &dyn Fn(&str) -> madoguchi_store::AuditEvent,
    summary: &mut ImportSummary,
) -> Result<()> {
    use base64::Engine;
    if !files.contains_key(BACKGROUNDS_FILE) {
        return Ok(());
    }
    let t = table(files, BACKGROUNDS_FILE)?;
    let bad = |what: &str| {
        HandoverError::invalid(format!("{BACKGROUNDS_FILE} の{what}が正しくありません。"))
    };
    for r in &t.rows {
        let pdf = base64::engine::general_purpose::STANDARD
            .decode(t.get(r, "PDF")?)
            .map_err(|_| bad("PDF"))?;
        let pages = madoguchi_forms::background::page_count(&pdf).map_err(|_| bad("PDF"))?;
        store.add_form_background(
            tenant,
            t.get(r, "名前")?,
            &pdf,
            pages,
            &event("form_background.add"),
        )?;
    }
    summary.counts.push(("帳票の背景", t.rows.len() as u64));
    Ok(())
}

/// 印鑑登録 as one import; a package written before seals were handed over has none.
fn import_seals(
    store: &dyn Store,
    tenant: &TenantId,
    files: &BTreeMap<String, Vec<u8>>,
    meta: &dyn Fn(&str, &[u8]) -> ImportMeta,
    summary: &mut ImportSummary,
) -> Result<()> {
    use base64::Engine;
    if !files.contains_key(SEALS_FILE) {
        return Ok(());
    }
    let t = table(files, SEALS_FILE)?;
    let bad =
        |what: &str| HandoverError::invalid(format!("{SEALS_FILE} の{what}が正しくありません。"));
    let tenths = |v: &str| -> Result<Option<u16>> {
        if v.is_empty() {
            return Ok(None);
        }
        let mm: f64 = v.parse().map_err(|_| bad("印影の大きさ"))?;
        Ok(Some((mm * 10.0).round() as u16))
    };
    let mut changes = Vec::new();
    for r in &t.rows {
        let image = t.get(r, "印影データ")?;
        changes.push(madoguchi_store::SealRegistrationChange::Put(
            madoguchi_store::SealRegistration {
                atena_no: parse_atena(&t, t.get(r, "宛名番号")?)?,
                registration_no: t.get(r, "印鑑登録番号")?.into(),
                registered_on: parse_date(&t, t.get(r, "登録年月日")?)?
                    .ok_or_else(|| bad("登録年月日"))?,
                abolished_on: parse_date(&t, t.get(r, "廃止年月日")?)?,
                image: (!image.is_empty())
                    .then(|| base64::engine::general_purpose::STANDARD.decode(image))
                    .transpose()
                    .map_err(|_| bad("印影データ"))?,
                image_type: Some(t.get(r, "印影種別")?)
                    .filter(|v| !v.is_empty())
                    .map(str::to_owned),
                width_tenth_mm: tenths(t.get(r, "印影_幅mm")?)?,
                height_tenth_mm: tenths(t.get(r, "印影_高さmm")?)?,
            },
        ));
    }
    applied(store.import_seal_registrations(
        tenant,
        &meta(SEALS_FILE, &files[SEALS_FILE]),
        &changes,
    )?)?;
    summary.counts.push(("印鑑登録", changes.len() as u64));
    Ok(())
}

/// Groups, counters, accounts (password hashes only `with_secrets`), settings and form templates.
fn export_accounts(
    w: &mut Writer<'_>,
    store: &dyn Store,
    tenant: &TenantId,
    options: &ExportOptions,
) -> Result<()> {
    let groups = store.list_groups(tenant)?;
    w.file(
        "groups.csv",
        &["コード", "名称", "権限"],
        groups
            .iter()
            .map(|g| vec![g.code.clone(), g.name.clone(), g.permissions.to_codes()])
            .collect(),
    )?;
    let counters = store.list_counters(tenant)?;
    w.file(
        "counters.csv",
        &["コード", "名称", "権限", "ブラウザ利用"],
        counters
            .iter()
            .map(|c| {
                vec![
                    c.code.clone(),
                    c.name.clone(),
                    c.permissions.to_codes(),
                    if c.browser_allowed { "1" } else { "0" }.into(),
                ]
            })
            .collect(),
    )?;
    let users = store.list_users(tenant)?;
    w.file(
        "users.csv",
        &[
            "ユーザーID",
            "氏名",
            "パスワードハッシュ",
            "グループ",
            "有効期限",
            "無効",
            "ロック",
        ],
        users
            .iter()
            .map(|u| {
                vec![
                    u.login.clone(),
                    u.display_name.clone(),
                    if options.with_secrets {
                        u.password_hash.clone()
                    } else {
                        String::new()
                    },
                    u.groups.join(";"),
                    date(u.valid_until),
                    if u.disabled { "1" } else { "0" }.into(),
                    if u.locked { "1" } else { "0" }.into(),
                ]
            })
            .collect(),
    )?;
    let settings = store.tenant_settings(tenant)?;
    w.file(
        "settings.csv",
        &["キー", "値"],
        settings
            .iter()
            .filter(|(k, _)| options.with_secrets || !SECRET_SETTINGS.contains(&k.as_str()))
            .map(|(k, v)| vec![k.clone(), v.clone()])
            .collect(),
    )?;
    export_backgrounds(w, store, tenant)?;
    let templates = store.form_templates(tenant)?;
    w.file(
        "form_templates.csv",
        &["順番", "テンプレート"],
        templates
            .iter()
            .enumerate()
            .map(|(i, t)| vec![(i + 1).to_string(), t.clone()])
            .collect(),
    )?;
    Ok(())
}

/// Cases with their history (対応履歴), and the 転出証明書情報 received for 転入.
fn export_cases(w: &mut Writer<'_>, store: &dyn Store, tenant: &TenantId) -> Result<()> {
    let mut cases = Vec::new();
    let mut history = Vec::new();
    for id in store.case_ids(tenant)? {
        let Some((c, entries)) = store.get_case(tenant, &id)? else {
            continue;
        };
        cases.push(vec![
            c.id.clone(),
            c.revision.to_string(),
            c.status.clone(),
            c.title.clone(),
            time(c.opened_at),
            c.opened_by.clone(),
            c.opened_counter.clone(),
            time(c.updated_at),
            c.updated_by.clone(),
            c.updated_counter.clone(),
            c.document.clone(),
        ]);
        for e in entries {
            history.push(vec![
                c.id.clone(),
                e.write_id,
                time(e.at),
                e.user,
                e.counter,
                e.terminal.unwrap_or_default(),
                e.lines.join("\n"),
            ]);
        }
    }
    w.file(
        "cases.csv",
        &[
            "案件ID",
            "版",
            "状態",
            "件名",
            "開始日時",
            "開始者",
            "開始窓口",
            "更新日時",
            "更新者",
            "更新窓口",
            "文書",
        ],
        cases,
    )?;
    w.file(
        "case_history.csv",
        &["案件ID", "書込ID", "日時", "職員", "窓口", "端末", "内容"],
        history,
    )?;
    let moves = store.incoming_moves(tenant)?;
    w.file(
        "incoming_moves.csv",
        &["番号", "受信日時", "検索キー", "文書"],
        moves
            .iter()
            .map(|m| {
                vec![
                    m.notice_no.clone(),
                    time(m.received_at),
                    m.search_keys.join(" "),
                    m.document.clone(),
                ]
            })
            .collect(),
    )?;
    Ok(())
}

/// The linkage ledger, and the outbound batches with their files.
fn export_linkage(w: &mut Writer<'_>, store: &dyn Store, tenant: &TenantId) -> Result<()> {
    let linkage = store.linkage_files(tenant, None, usize::MAX >> 1)?;
    w.file(
        "linkage_files.csv",
        &[
            "連携",
            "ファイル名",
            "連番",
            "種別",
            "SHA-256",
            "サイズ",
            "結果",
            "行数",
            "追加",
            "更新",
            "変更なし",
            "削除",
            "問題",
            "メッセージ",
            "処理日時",
        ],
        linkage
            .iter()
            .rev()
            .map(|f| {
                vec![
                    f.feed.clone(),
                    f.name.clone(),
                    f.sequence.to_string(),
                    f.mode.as_str().into(),
                    f.sha256.clone(),
                    f.size.to_string(),
                    f.outcome.as_str().into(),
                    f.rows.to_string(),
                    f.counts.inserted.to_string(),
                    f.counts.updated.to_string(),
                    f.counts.unchanged.to_string(),
                    f.counts.removed.to_string(),
                    f.problems.to_string(),
                    f.message.clone().unwrap_or_default(),
                    time(f.finished_at),
                ]
            })
            .collect(),
    )?;
    let batches = store.outbound_batches(tenant, None, false, 1 << 30)?;
    let mut batch_rows = Vec::new();
    for b in batches.iter().rev() {
        batch_rows.push(vec![
            b.kind.clone(),
            b.batch_no.to_string(),
            b.file_name.clone(),
            b.sha256.clone(),
            b.records.to_string(),
            b.case_ids.join(" "),
            time(b.created_at),
            b.delivered_at.map(time).unwrap_or_default(),
        ]);
        if b.records > 0 {
            w.raw(
                &format!("outbound/{}/{}", b.kind, b.file_name),
                &b.content,
                b.records,
            )?;
        }
    }
    w.file(
        "outbound_batches.csv",
        &[
            "種類",
            "番号",
            "ファイル名",
            "SHA-256",
            "行数",
            "案件ID",
            "作成日時",
            "送信日時",
        ],
        batch_rows,
    )?;
    Ok(())
}

/// The whole audit log of the tenant.
fn export_audit(w: &mut Writer<'_>, store: &dyn Store, tenant: &TenantId) -> Result<()> {
    // From before the first release to tomorrow: every record the tenant has.
    let since = DateTime::parse_from_rfc3339("2000-01-01T00:00:00Z")
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_default();
    let records = store.audit_records(tenant, since, Utc::now() + chrono::Duration::days(1))?;
    let audit_csv = format!("\u{FEFF}{}", crate::audit::to_csv(&records));
    w.raw("audit.csv", audit_csv.as_bytes(), records.len() as u64)?;
    Ok(())
}

/// Reads a file of the export, decrypting it when the export is sealed.
fn read_file(dir: &Path, name: &str, opener: Option<&Opener>) -> Result<Option<Vec<u8>>> {
    let read = |path: &Path| match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(HandoverError::from(e)),
    };
    match opener {
        None => read(&dir.join(name)),
        Some(opener) => read(&dir.join(format!("{name}{SEALED_SUFFIX}")))?
            .map(|sealed| opener.open(name, &sealed))
            .transpose()
            .map_err(|e| HandoverError::invalid(e.to_string())),
    }
}

/// Checks every file against the manifest, then reads it.
fn open(dir: &Path, opener: Option<&Opener>) -> Result<(Manifest, BTreeMap<String, Vec<u8>>)> {
    let sealed = dir.join(format!("manifest.json{SEALED_SUFFIX}")).exists();
    if sealed && opener.is_none() {
        return Err(HandoverError::invalid(
            "この出力は暗号化されています。--identity で復号鍵のファイルを指定してください。",
        ));
    }
    let opener = opener.filter(|_| sealed);
    let raw = read_file(dir, "manifest.json", opener)?.ok_or_else(|| {
        HandoverError::invalid(
            "manifest.json がありません（Madoguchi のテナント出力ではありません）。",
        )
    })?;
    let manifest: Manifest = serde_json::from_slice(&raw)
        .map_err(|_| HandoverError::invalid("manifest.json が読めません。"))?;
    if manifest.format != FORMAT || manifest.version != VERSION {
        return Err(HandoverError::invalid(format!(
            "対応していない出力形式です（{} 版 {}）。",
            manifest.format, manifest.version
        )));
    }
    let mut files = BTreeMap::new();
    for f in &manifest.files {
        if f.name.contains("..") || f.name.starts_with('/') {
            return Err(HandoverError::invalid(format!(
                "ファイル名 {} が正しくありません。",
                f.name
            )));
        }
        let bytes = read_file(dir, &f.name, opener)?
            .ok_or_else(|| HandoverError::invalid(format!("{} がありません。", f.name)))?;
        if sha256(&bytes) != f.sha256 {
            return Err(HandoverError::invalid(format!(
                "{} がマニフェストの SHA-256 と一致しません（破損または変更されています）。",
                f.name
            )));
        }
        files.insert(f.name.clone(), bytes);
    }
    Ok((manifest, files))
}

fn permissions(t: &Table, v: &str) -> Result<PermissionSet> {
    PermissionSet::parse(v)
        .map_err(|_| HandoverError::invalid(format!("{} の権限 {v} が正しくありません。", t.name)))
}

/// Imports an export into `tenant`, which must be empty. All or nothing: on any failure what was
/// written is deleted again and the error returned.
pub fn import_tenant(
    store: &dyn Store,
    tenant: &TenantId,
    dir: &Path,
    opener: Option<&Opener>,
    today: chrono::NaiveDate,
    event: &dyn Fn(&str) -> AuditEvent,
) -> Result<ImportSummary> {
    let (manifest, files) = open(dir, opener)?;
    if let Some(_name) = store.tenant_name(tenant)? {
        let empty = store.count_residents(tenant)? == 0
            && store.list_users(tenant)?.is_empty()
            && store.list_groups(tenant)?.is_empty()
            && store.list_counters(tenant)?.is_empty()
            && store.case_ids(tenant)?.is_empty()
            && store
                .find_certificates(
                    tenant,
                    &madoguchi_store::CertificateFilter {
                        limit: 1,
                        ..Default::default()
                    },
                )?
                .is_empty()
            && store.portal_applications(tenant, None)?.is_empty()
            && store.all_reservations(tenant)?.is_empty()
            && store.all_pre_applications(tenant)?.is_empty();
        if !empty {
            return Err(HandoverError::invalid(format!(
                "テナント {} には既にデータがあります。空のテナントにだけ取り込めます。",
                tenant.as_str()
            )));
        }
    }
    store.ensure_tenant(tenant, &manifest.tenant_name)?;
    match import_all(store, tenant, &files, today, event) {
        Ok(s) => {
            store.append_audit(&event("tenant.import"))?;
            Ok(s)
        }
        Err(e) => {
            // Leave nothing half-written.
            if let Err(cleanup) = store.delete_tenant(tenant, &event("tenant.import_rollback")) {
                tracing::error!(error = %cleanup, "tenant import could not be rolled back");
            }
            Err(e)
        }
    }
}

fn import_all(
    store: &dyn Store,
    tenant: &TenantId,
    files: &BTreeMap<String, Vec<u8>>,
    today: chrono::NaiveDate,
    event: &dyn Fn(&str) -> AuditEvent,
) -> Result<ImportSummary> {
    let mut summary = ImportSummary::default();
    import_residents_file(store, tenant, files, today, event, &mut summary)?;
    import_people(store, tenant, files, event, &mut summary)?;
    import_accounts(store, tenant, files, event, &mut summary)?;
    import_settings(store, tenant, files, event, &mut summary)?;
    import_cases(store, tenant, files, event, &mut summary)?;
    certificates::import(store, tenant, files, event, &mut summary)?;
    import_incoming_moves(store, tenant, files, event, &mut summary)?;
    portal::import(store, tenant, files, event, &mut summary)?;
    arrivals::import(store, tenant, files, event, &mut summary)?;
    pre_applications::import(store, tenant, files, today, event, &mut summary)?;
    Ok(summary)
}

/// Residents, through the importer itself.
fn import_residents_file(
    store: &dyn Store,
    tenant: &TenantId,
    files: &BTreeMap<String, Vec<u8>>,
    today: chrono::NaiveDate,
    event: &dyn Fn(&str) -> AuditEvent,
    summary: &mut ImportSummary,
) -> Result<()> {
    // Residents through the importer itself (delta: the rows are taken as they were, without the
    // full-load household checks the source data may no longer meet after its own deltas).
    let residents = files
        .get("residents.csv")
        .ok_or_else(|| HandoverError::invalid("residents.csv がマニフェストにありません。"))?;
    let opts = crate::import::ImportOptions {
        mode: ImportMode::Delta,
        encoding: crate::import::CsvEncoding::Utf8,
        skip_invalid: false,
        today,
        source_name: "tenant-import/residents.csv".into(),
        sha256: sha256(residents),
        audit: Some(event("resident.import")),
    };
    let report = crate::import::import_residents(store, tenant, &residents[..], &opts).map_err(
        |e| match e {
            crate::import::ImportError::File { message, .. } => {
                HandoverError::invalid(format!("residents.csv: {message}"))
            }
            crate::import::ImportError::Store(e) => e.into(),
        },
    )?;
    if report.status != crate::import::ImportStatus::Applied && report.rows_read > 0 {
        let first = report
            .problems
            .first()
            .map(|p| {
                format!(
                    "{}行目 {}: {}",
                    p.line,
                    p.column.clone().unwrap_or_default(),
                    p.message
                )
            })
            .unwrap_or_default();
        return Err(HandoverError::invalid(format!(
            "residents.csv を取り込めません。{first}"
        )));
    }
    summary.counts.push(("住民", report.inserted));
    Ok(())
}

/// 支援措置, 資格 (qualifications), 印鑑登録, card serials and 課税, each as one import of its feed.
fn import_people(
    store: &dyn Store,
    tenant: &TenantId,
    files: &BTreeMap<String, Vec<u8>>,
    event: &dyn Fn(&str) -> AuditEvent,
    summary: &mut ImportSummary,
) -> Result<()> {
    let meta = |name: &str, bytes: &[u8]| ImportMeta {
        mode: ImportMode::Full,
        sha256: sha256(bytes),
        source_name: format!("tenant-import/{name}"),
        started_at: Utc::now(),
        audit: Some(event("linkage.import")),
    };
    let t = table(files, "support_measures.csv")?;
    let mut sm = Vec::new();
    for r in &t.rows {
        sm.push(SupportMeasureRecord {
            atena_no: parse_atena(&t, t.get(r, "宛名番号")?)?,
            measure: match t.get(r, "措置区分")? {
                "1" => SupportMeasure::Active,
                "2" => SupportMeasure::Provisional,
                _ => SupportMeasure::None,
            },
            start: parse_date(&t, t.get(r, "支援措置開始年月日")?)?,
            end: parse_date(&t, t.get(r, "支援措置終了年月日")?)?,
        });
    }
    applied(store.import_support_measures(
        tenant,
        &meta("support_measures.csv", &files["support_measures.csv"]),
        &sm,
    )?)?;
    summary.counts.push(("支援措置", sm.len() as u64));

    let t = table(files, QUALIFICATIONS_FILE)?;
    let mut el = Vec::new();
    for r in &t.rows {
        el.push(QualificationChange::Put(QualificationRecord {
            atena_no: parse_atena(&t, t.get(r, "宛名番号")?)?,
            kind: t.get(r, "資格種別")?.into(),
            acquired: parse_date(&t, t.get(r, "資格取得日")?)?,
            lost: parse_date(&t, t.get(r, "資格喪失日")?)?,
        }));
    }
    applied(store.import_qualifications(
        tenant,
        &meta(QUALIFICATIONS_FILE, &files[QUALIFICATIONS_FILE]),
        &el,
    )?)?;
    summary.counts.push(("資格", el.len() as u64));
    import_seals(store, tenant, files, &meta, summary)?;
    feeds::import_card_serials(store, tenant, files, &meta, summary)?;
    feeds::import_tax(store, tenant, files, &meta, summary)
}

/// Groups, counters and accounts (disabled and locked ones stay so).
fn import_accounts(
    store: &dyn Store,
    tenant: &TenantId,
    files: &BTreeMap<String, Vec<u8>>,
    event: &dyn Fn(&str) -> AuditEvent,
    summary: &mut ImportSummary,
) -> Result<()> {
    let t = table(files, "groups.csv")?;
    for r in &t.rows {
        store.put_group(
            tenant,
            &GroupRecord {
                code: t.get(r, "コード")?.into(),
                name: t.get(r, "名称")?.into(),
                permissions: permissions(&t, t.get(r, "権限")?)?,
            },
            &event("group.put"),
        )?;
    }
    summary.counts.push(("グループ", t.rows.len() as u64));
    let t = table(files, "counters.csv")?;
    for r in &t.rows {
        store.put_counter(
            tenant,
            &CounterRecord {
                code: t.get(r, "コード")?.into(),
                name: t.get(r, "名称")?.into(),
                permissions: permissions(&t, t.get(r, "権限")?)?,
                // Hand-overs written before terminal enrollment have no such column: browser logins
                // stay off until an administrator allows them.
                browser_allowed: t.col("ブラウザ利用").is_ok() && t.get(r, "ブラウザ利用")? == "1",
            },
            &event("counter.put"),
        )?;
    }
    summary.counts.push(("窓口", t.rows.len() as u64));

    let t = table(files, "users.csv")?;
    let mut users = Vec::new();
    let mut flags = Vec::new();
    for r in &t.rows {
        let login = t.get(r, "ユーザーID")?.to_owned();
        users.push(NewUser {
            login: login.clone(),
            display_name: t.get(r, "氏名")?.into(),
            password_hash: Some(
                Some(t.get(r, "パスワードハッシュ")?)
                    .filter(|h| !h.is_empty())
                    .unwrap_or(NO_PASSWORD)
                    .into(),
            ),
            groups: t
                .get(r, "グループ")?
                .split(';')
                .filter(|g| !g.is_empty())
                .map(str::to_owned)
                .collect(),
            valid_until: parse_date(&t, t.get(r, "有効期限")?)?,
            must_change_password: false,
        });
        flags.push((login, t.get(r, "無効")? == "1", t.get(r, "ロック")? == "1"));
    }
    let events: Vec<AuditEvent> = users.iter().map(|_| event("user.import")).collect();
    store.upsert_users(tenant, &users, &events)?;
    for (login, disabled, locked) in flags {
        if disabled {
            store.set_user_disabled(tenant, &login, true, &event("user.disable"))?;
        }
        if locked && let Some(u) = store.find_user(tenant, &login)? {
            // Locked accounts stay locked: one more failure at a limit of 1 locks it.
            store.record_login_failure(u.id, 1, &event("user.lock"))?;
        }
    }
    summary.counts.push(("職員", users.len() as u64));
    Ok(())
}

/// Settings and the tenant's own form templates.
fn import_settings(
    store: &dyn Store,
    tenant: &TenantId,
    files: &BTreeMap<String, Vec<u8>>,
    event: &dyn Fn(&str) -> AuditEvent,
    summary: &mut ImportSummary,
) -> Result<()> {
    let t = table(files, "settings.csv")?;
    for r in &t.rows {
        store.put_tenant_setting(
            tenant,
            t.get(r, "キー")?,
            t.get(r, "値")?,
            &event("setting.put"),
        )?;
    }
    summary.counts.push(("設定", t.rows.len() as u64));
    import_backgrounds(store, tenant, files, &event, summary)?;
    let t = table(files, "form_templates.csv")?;
    for r in &t.rows {
        let source = t.get(r, "テンプレート")?;
        let tpl = madoguchi_forms::Template::parse(source).map_err(|_| {
            HandoverError::invalid("form_templates.csv に読めないテンプレートがあります。")
        })?;
        store.add_form_template(
            tenant,
            &tpl.id,
            &tpl.version,
            source,
            &event("form_template.add"),
        )?;
    }
    summary
        .counts
        .push(("帳票テンプレート", t.rows.len() as u64));
    Ok(())
}

/// Cases with their history (対応履歴), each checked as a document first.
fn import_cases(
    store: &dyn Store,
    tenant: &TenantId,
    files: &BTreeMap<String, Vec<u8>>,
    event: &dyn Fn(&str) -> AuditEvent,
    summary: &mut ImportSummary,
) -> Result<()> {
    let t = table(files, "case_history.csv")?;
    let mut history: BTreeMap<String, Vec<CaseEntry>> = BTreeMap::new();
    for r in &t.rows {
        let terminal = t.get(r, "端末")?;
        history
            .entry(t.get(r, "案件ID")?.into())
            .or_default()
            .push(CaseEntry {
                write_id: t.get(r, "書込ID")?.into(),
                at: parse_time(&t, t.get(r, "日時")?)?,
                user: t.get(r, "職員")?.into(),
                counter: t.get(r, "窓口")?.into(),
                terminal: (!terminal.is_empty()).then(|| terminal.to_owned()),
                lines: t.get(r, "内容")?.lines().map(str::to_owned).collect(),
            });
    }
    let t = table(files, "cases.csv")?;
    for r in &t.rows {
        let record = CaseRecord {
            id: t.get(r, "案件ID")?.into(),
            revision: t
                .get(r, "版")?
                .parse()
                .map_err(|_| HandoverError::invalid("cases.csv の版が数字ではありません。"))?,
            status: t.get(r, "状態")?.into(),
            title: t.get(r, "件名")?.into(),
            opened_at: parse_time(&t, t.get(r, "開始日時")?)?,
            opened_by: t.get(r, "開始者")?.into(),
            opened_counter: t.get(r, "開始窓口")?.into(),
            updated_at: parse_time(&t, t.get(r, "更新日時")?)?,
            updated_by: t.get(r, "更新者")?.into(),
            updated_counter: t.get(r, "更新窓口")?.into(),
            document: t.get(r, "文書")?.into(),
        };
        let doc = madoguchi_core::case_document::stored::read(&record.document).map_err(|_| {
            HandoverError::invalid(format!("案件 {} の文書が読めません。", record.id))
        })?;
        let subjects =
            madoguchi_core::case_document::check_document(&doc, false).map_err(|_| {
                HandoverError::invalid(format!("案件 {} の文書が正しくありません。", record.id))
            })?;
        let procedures: Vec<String> = doc.procedures.iter().map(|p| p.code.clone()).collect();
        let entries = history.remove(&record.id).unwrap_or_default();
        store.restore_case(
            tenant,
            &record,
            &entries,
            &subjects,
            &procedures,
            &event("case.restore"),
        )?;
    }
    summary.counts.push(("案件", t.rows.len() as u64));
    Ok(())
}

/// 転出証明書情報 received for 転入.
fn import_incoming_moves(
    store: &dyn Store,
    tenant: &TenantId,
    files: &BTreeMap<String, Vec<u8>>,
    event: &dyn Fn(&str) -> AuditEvent,
    summary: &mut ImportSummary,
) -> Result<()> {
    let t = table(files, "incoming_moves.csv")?;
    for r in &t.rows {
        store.put_incoming_move(
            tenant,
            &IncomingMove {
                notice_no: t.get(r, "番号")?.into(),
                received_at: parse_time(&t, t.get(r, "受信日時")?)?,
                search_keys: t
                    .get(r, "検索キー")?
                    .split_whitespace()
                    .map(str::to_owned)
                    .collect(),
                document: t.get(r, "文書")?.into(),
            },
            &event("incoming.put"),
        )?;
    }
    summary.counts.push(("転出証明書情報", t.rows.len() as u64));
    Ok(())
}

/// Japanese names of the store's tables for the deletion report.
fn label(table: &str) -> &str {
    match table {
        "residents" => "住民",
        "support_measures" => "支援措置",
        "qualifications" => "資格",
        "seal_registrations" => "印鑑登録",
        "card_serials" => "利用者証明用電子証明書シリアル番号",
        "tax_records" => "課税情報",
        "certificates" => "発行した証明書",
        "certificate_numbers" => "発行番号の採番（年度ごと）",
        "reception_numbers" => "受付番号の採番（日ごと）",
        "import_ledger" => "取込記録",
        "towns" => "町字",
        "case_history" => "案件の対応履歴",
        "outbound_cases" => "出力済み案件",
        "cases" => "案件",
        "outbound_batches" => "出力ファイル",
        "linkage_files" => "連携ファイル記録",
        "incoming_moves" => "転出証明書情報",
        "arrival_reservations" => "転入予約",
        "portal_applications" => "マイナポータルの申請",
        "portal_attachments" => "マイナポータルの申請の添付ファイル",
        "pre_applications" => "事前申請",
        "notices" => "お知らせ",
        "tenant_settings" => "設定",
        "form_templates" => "帳票テンプレート",
        "form_backgrounds" => "帳票の背景",
        "sessions" => "ログイン中のセッション",
        "users" => "職員",
        "groups" => "グループ",
        "terminals" => "登録端末",
        "counters" => "窓口",
        other => other,
    }
}

/// Deletes a tenant and returns the deletion report (Japanese text, for the city: 出雲 E③).
pub fn delete_tenant(store: &dyn Store, tenant: &TenantId, audit: &AuditEvent) -> Result<String> {
    let name = store.tenant_name(tenant)?.ok_or_else(|| {
        HandoverError::invalid(format!("テナント {} はありません。", tenant.as_str()))
    })?;
    let deleted = store.delete_tenant(tenant, audit)?;
    let jst = chrono::FixedOffset::east_opt(9 * 3600).expect("JST offset");
    let now = Utc::now().with_timezone(&jst);
    let mut out = format!(
        "データ消去報告書\n\nテナント: {} （{}）\n消去日時: {}\n\n消去したデータ（件数）:\n",
        name,
        tenant.as_str(),
        now.format("%Y-%m-%d %H:%M:%S JST")
    );
    for (table, n) in &deleted {
        out.push_str(&format!("  {}: {n}\n", label(table)));
    }
    out.push_str(
        "\n消去の方法: データベースから当該テナントの全行を 1 つのトランザクションで削除しました。\n\
         監査ログ: 全テナント共通のハッシュチェーンのため、識別番号のみの記録を保存期間（1 年以上）の\n\
         経過後の定期削除まで保持します（氏名・住所は含みません）。\n\
         バックアップ: データベースのバックアップに残る分は、バックアップの保存期間の満了とともに消去されます。\n",
    );
    Ok(out)
}
