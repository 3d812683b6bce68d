//! `audit …`: the chain's check, its anchors, search digests, export and purge.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Subcommand;
use madoguchi_server::api::today_jst;
use madoguchi_server::audit::jst_midnight;
use madoguchi_store::{Store, TenantId};

use crate::cli_event;

#[derive(Subcommand)]
pub(crate) enum AuditWhat {
    /// Check the whole hash chain, and against its anchors outside the database when
    /// `MADOGUCHI_AUDIT_ANCHOR_URL` is set; exit 1 and name the first bad record if it was tampered with.
    Verify,
    /// Create the Ed25519 key that signs the audit anchors (PKCS#8, written 0600, never into the
    /// database); prints the public key for `MADOGUCHI_AUDIT_ANCHOR_PUBKEY`.
    AnchorKey {
        #[arg(long)]
        out: PathBuf,
    },
    /// Write an anchor of the chain's head now (the server does it every minute while it runs).
    Anchor,
    /// The `query:…` digest that the audit log records for a search with these texts in this tenant
    /// (to find whether a given name or address was searched, without the log holding the text).
    QueryDigest {
        #[arg(long)]
        q: Option<String>,
        #[arg(long)]
        birth: Option<String>,
        #[arg(long)]
        address: Option<String>,
    },
    /// Write the tenant's records for a period as CSV to standard output (dates in Japan time,
    /// `--to` inclusive), for a PIA review.
    Export {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
    /// Delete records older than the retention period (at least 365 days; the purge is itself audited).
    Purge {
        #[arg(long, default_value_t = MIN_AUDIT_RETENTION_DAYS)]
        keep_days: u32,
    },
}

/// Audit records younger than this can never be purged (みどり 8(2): logs kept at least a year).
pub(crate) const MIN_AUDIT_RETENTION_DAYS: u32 = 365;

pub(crate) fn run(
    store: Arc<dyn Store>,
    tenant: TenantId,
    what: AuditWhat,
) -> anyhow::Result<ExitCode> {
    match what {
        AuditWhat::Verify => verify(store),
        AuditWhat::AnchorKey { out } => anchor_key(&out),
        AuditWhat::QueryDigest { q, birth, address } => {
            let key = madoguchi_server::audit::query_key(
                store.as_ref(),
                &tenant,
                &cli_event(&tenant, "audit_query_key.create", ""),
            )?;
            let params = madoguchi_server::search::SearchParams {
                q,
                birth,
                address,
                limit: None,
            };
            println!("{}", madoguchi_server::audit::query_digest(&key, &params));
            Ok(ExitCode::SUCCESS)
        }
        AuditWhat::Anchor => anchor(store),
        AuditWhat::Purge { keep_days } => purge(store.as_ref(), &tenant, keep_days),
        AuditWhat::Export { from, to } => {
            let parse = |v: &str| {
                madoguchi_core::wareki::parse_date(v)
                    .map_err(|e| anyhow::anyhow!("日付「{v}」: {}", e.message_ja()))
            };
            let (from, to) = (parse(&from)?, parse(&to)?);
            let to = to
                .succ_opt()
                .ok_or_else(|| anyhow::anyhow!("終了日が大きすぎます"))?;
            let records = store.audit_records(&tenant, jst_midnight(from), jst_midnight(to))?;
            print!("{}", madoguchi_server::audit::to_csv(&records));
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn anchor_key(out: &std::path::Path) -> anyhow::Result<ExitCode> {
    let key = madoguchi_server::audit_anchor::generate_key()?;
    write_private(out, &key)?;
    let signer = madoguchi_server::audit_anchor::Signer::from_pkcs8(&key)?;
    println!("監査アンカーの署名鍵を {} に作成しました。", out.display());
    println!(
        "公開鍵（MADOGUCHI_AUDIT_ANCHOR_PUBKEY）: {}",
        signer.public_key_hex()
    );
    Ok(ExitCode::SUCCESS)
}

fn anchor(store: Arc<dyn Store>) -> anyhow::Result<ExitCode> {
    let settings = madoguchi_server::config::anchor_from_env()?
        .ok_or_else(|| anyhow::anyhow!("MADOGUCHI_AUDIT_ANCHOR_URL を設定してください"))?;
    let key = settings
        .key
        .ok_or_else(|| anyhow::anyhow!("MADOGUCHI_AUDIT_ANCHOR_KEY を設定してください"))?;
    let signer = madoguchi_server::audit_anchor::Signer::from_file(&key)?;
    let place = madoguchi_server::audit_anchor::AnchorPlace::open(&settings.url)?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    match rt.block_on(madoguchi_server::audit_anchor::anchor_now(
        store,
        &signer,
        &place,
        None,
        chrono::Utc::now(),
    ))? {
        Some(a) => println!(
            "監査ログの記録番号 {} までを外部に記録しました。",
            a.last_id
        ),
        None => println!("監査ログは空です。"),
    }
    Ok(ExitCode::SUCCESS)
}

fn purge(store: &dyn Store, tenant: &TenantId, keep_days: u32) -> anyhow::Result<ExitCode> {
    if keep_days < MIN_AUDIT_RETENTION_DAYS {
        anyhow::bail!("監査ログの保存期間は{MIN_AUDIT_RETENTION_DAYS}日以上にしてください");
    }
    let cutoff = today_jst() - chrono::Days::new(u64::from(keep_days));
    let purged = store.purge_audit_before(jst_midnight(cutoff))?;
    madoguchi_server::audit::record(
        store,
        tenant,
        None,
        None,
        "audit.purge",
        Some(purged.to_string()),
        "ok",
    )
    .map_err(|_| anyhow::anyhow!("監査ログに記録できませんでした"))?;
    println!("{cutoff} より前の監査ログ {purged} 件を削除しました。");
    Ok(ExitCode::SUCCESS)
}

/// Writes a new file readable only by its owner (never replacing one).
fn write_private(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    let mut f = o
        .open(path)
        .map_err(|e| anyhow::anyhow!("{} を作成できません: {e}", path.display()))?;
    f.write_all(bytes)?;
    f.sync_all()?;
    Ok(())
}

/// `audit verify`: the chain in the database, then against its anchors outside it.
fn verify(store: Arc<dyn Store>) -> anyhow::Result<ExitCode> {
    use madoguchi_server::audit_anchor::{
        AnchorCheck, AnchorPlace, Signer, check, parse_public_key,
    };
    let records = match store.verify_audit()? {
        madoguchi_store::AuditCheck::Intact { records } => records,
        madoguchi_store::AuditCheck::Broken {
            first_bad_id,
            reason,
        } => {
            println!("監査ログの改ざんを検出しました: 記録番号 {first_bad_id} ({reason})");
            return Ok(ExitCode::from(1));
        }
    };
    let Some(settings) = madoguchi_server::config::anchor_from_env()? else {
        println!("監査ログは改ざんされていません（{records} 件）。");
        println!(
            "注意: 外部の記録（監査アンカー、MADOGUCHI_AUDIT_ANCHOR_URL）が設定されていないため、データベース内の連鎖だけを確認しました。"
        );
        return Ok(ExitCode::SUCCESS);
    };
    let public_key = match (&settings.public_key, &settings.key) {
        (Some(hex), _) => parse_public_key(hex)?,
        (None, Some(path)) => parse_public_key(&Signer::from_file(path)?.public_key_hex())?,
        (None, None) => anyhow::bail!(
            "MADOGUCHI_AUDIT_ANCHOR_PUBKEY（または MADOGUCHI_AUDIT_ANCHOR_KEY）を設定してください"
        ),
    };
    let place = AnchorPlace::open(&settings.url)?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let retention = chrono::Duration::days(i64::from(MIN_AUDIT_RETENTION_DAYS));
    match rt.block_on(check(
        store,
        &place,
        &public_key,
        chrono::Utc::now(),
        retention,
    ))? {
        AnchorCheck::Consistent { anchors, latest } => {
            println!("監査ログは改ざんされていません（{records} 件）。");
            match latest {
                Some(id) => println!(
                    "外部の記録（監査アンカー {anchors} 件、記録番号 {id} まで）と一致しました。"
                ),
                None => println!("注意: 照合できる外部の記録（監査アンカー）がまだありません。"),
            }
            Ok(ExitCode::SUCCESS)
        }
        AnchorCheck::Broken {
            first_bad_id,
            reason,
        } => {
            println!(
                "監査ログが外部の記録（監査アンカー）と一致しません: 記録番号 {first_bad_id} 以降 ({reason})"
            );
            Ok(ExitCode::from(1))
        }
    }
}
