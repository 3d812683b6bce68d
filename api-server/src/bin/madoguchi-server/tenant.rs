//! `tenant export|import|keygen|delete`: the hand-over of a tenant's data (docs/tenant-export.md).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use madoguchi_server::api::today_jst;
use madoguchi_store::{Store, TenantId};

#[derive(Subcommand)]
pub(crate) enum TenantWhat {
    /// Export the tenant's whole data set as CSV files into an empty folder.
    Export {
        #[arg(long)]
        out: PathBuf,
        /// Encrypt every file to this age recipient (`age1…`; repeat for several). Without it the
        /// files are written in the clear.
        #[arg(long)]
        recipient: Vec<String>,
        /// Include the staff's password hashes and the QR and audit-digest keys.
        #[arg(long)]
        with_secrets: bool,
    },
    /// Import an export into the tenant, which must be empty (all or nothing).
    Import {
        #[arg(long)]
        from: PathBuf,
        /// The age identity file that decrypts an encrypted export.
        #[arg(long)]
        identity: Option<PathBuf>,
    },
    /// Make a key pair for encrypted exports: the identity file (keep it safe) and its recipient.
    Keygen {
        #[arg(long)]
        out: PathBuf,
    },
    /// Delete the tenant and all its data, writing the deletion report.
    Delete {
        /// The tenant id again, to confirm.
        #[arg(long)]
        confirm: String,
        /// Where to write the deletion report (also printed).
        #[arg(long)]
        report: Option<PathBuf>,
    },
}

pub(crate) fn run(
    store: &dyn Store,
    tenant: &TenantId,
    what: TenantWhat,
) -> anyhow::Result<ExitCode> {
    use madoguchi_server::handover;
    let event = |action: &str, result: &str| {
        madoguchi_server::audit::event(tenant, None, None, action, None, result)
    };
    let fail = |e: handover::HandoverError| -> anyhow::Result<ExitCode> {
        match e {
            handover::HandoverError::Invalid(m) => {
                eprintln!("エラー: {m}");
                Ok(ExitCode::FAILURE)
            }
            other => Err(other.into()),
        }
    };
    match what {
        TenantWhat::Export {
            out,
            recipient,
            with_secrets,
        } => {
            let seal = if recipient.is_empty() {
                eprintln!(
                    "注意: 暗号化せずに出力します。--recipient で復号鍵の公開鍵を指定すると暗号化します。"
                );
                None
            } else {
                match madoguchi_server::handover_seal::Sealer::new(&recipient) {
                    Ok(s) => Some(s),
                    Err(e) => {
                        eprintln!("エラー: {e}");
                        return Ok(ExitCode::FAILURE);
                    }
                }
            };
            let options = handover::ExportOptions { with_secrets, seal };
            match handover::export_tenant(
                store,
                tenant,
                &out,
                &options,
                &event("tenant.export", "ok"),
            ) {
                Ok(s) => {
                    for f in &s.manifest.files {
                        println!("{}: {} 行", f.name, f.rows);
                    }
                    println!(
                        "テナント {} を {} に出力しました。",
                        tenant.as_str(),
                        out.display()
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => fail(e),
            }
        }
        TenantWhat::Import { from, identity } => {
            let ev = |action: &str| event(action, "ok");
            let opener = match identity
                .map(|p| madoguchi_server::handover_seal::Opener::from_file(&p))
                .transpose()
            {
                Ok(o) => o,
                Err(e) => {
                    eprintln!("エラー: {e}");
                    return Ok(ExitCode::FAILURE);
                }
            };
            match handover::import_tenant(store, tenant, &from, opener.as_ref(), today_jst(), &ev) {
                Ok(s) => {
                    for (what, n) in &s.counts {
                        println!("{what}: {n}");
                    }
                    println!("テナント {} に取り込みました。", tenant.as_str());
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => fail(e),
            }
        }
        TenantWhat::Keygen { out } => {
            let (text, recipient) = madoguchi_server::handover_seal::new_identity();
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            if let Err(e) = options
                .open(&out)
                .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
            {
                eprintln!(
                    "エラー: {} に書き込めません（既にあるファイルは上書きしません）: {e}",
                    out.display()
                );
                return Ok(ExitCode::FAILURE);
            }
            println!(
                "復号鍵を {} に作成しました。安全な場所に保管してください。",
                out.display()
            );
            println!("公開鍵（tenant export --recipient に指定）: {recipient}");
            Ok(ExitCode::SUCCESS)
        }
        TenantWhat::Delete { confirm, report } => {
            if confirm != tenant.as_str() {
                eprintln!(
                    "エラー: --confirm にはテナント ID（{}）を指定してください。",
                    tenant.as_str()
                );
                return Ok(ExitCode::FAILURE);
            }
            match handover::delete_tenant(store, tenant, &event("tenant.delete", "ok")) {
                Ok(text) => {
                    if let Some(path) = report {
                        std::fs::write(&path, &text)?;
                    }
                    print!("{text}");
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => fail(e),
            }
        }
    }
}
