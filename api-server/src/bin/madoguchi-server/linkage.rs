//! `linkage poll|export|dictionary|confirm`: the core-system linkage by hand.

use std::process::ExitCode;
use std::sync::Arc;

use clap::Subcommand;
use madoguchi_server::api::today_jst;
use madoguchi_store::{Store, TenantId};

use crate::cli_event;

#[derive(Subcommand)]
pub(crate) enum LinkageWhat {
    /// Poll the exchange once for the tenants of MADOGUCHI_LINKAGE_TENANTS (else --tenant) and exit.
    Poll,
    /// Write the outbound files (accepted 届出 and 証明書 requests) once and exit.
    Export,
    /// Print the data dictionary of the outbound files (Markdown).
    Dictionary,
    /// Confirm a full file the job holds because it would remove too many residents, 支援措置 records
    /// or 印鑑登録 (MADOGUCHI_LINKAGE_MAX_REMOVAL_PERCENT): the next poll applies it. Audited.
    Confirm {
        /// 001o006 (住民情報), 001o009 (支援措置) or inkan (印鑑登録).
        #[arg(long)]
        feed: String,
        /// The file's name in the inbound folder, e.g. full_000002.csv.
        #[arg(long)]
        file: String,
    },
}

pub(crate) fn run(
    store: Arc<dyn Store>,
    database: &str,
    tenant: TenantId,
    what: LinkageWhat,
) -> anyhow::Result<ExitCode> {
    match what {
        LinkageWhat::Poll => poll(store, database, tenant, false),
        LinkageWhat::Export => poll(store, database, tenant, true),
        LinkageWhat::Confirm { feed, file } => confirm(store, database, tenant, &feed, &file),
        LinkageWhat::Dictionary => {
            print!("{}", madoguchi_server::linkage::outbound::dictionary());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `linkage confirm`: records an admin's confirmation of a held full file (its name and SHA-256, read
/// from the exchange now) with its audit record; the next poll applies it.
fn confirm(
    store: Arc<dyn Store>,
    database: &str,
    tenant: TenantId,
    feed: &str,
    file: &str,
) -> anyhow::Result<ExitCode> {
    use madoguchi_server::{config, linkage};
    let objects = match config::linkage_from_env(database)? {
        Some(s) => s.objects,
        None => config::objects_from_env(database),
    };
    let exchange = madoguchi_objects::Exchange::open(&objects)?;
    let job = linkage::Job::new(store.clone(), exchange, vec![tenant.clone()], 60);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let found = match rt.block_on(job.inspect(&tenant, feed, file)) {
        Ok(Ok(found)) => found,
        Ok(Err(why)) => {
            eprintln!("{why}");
            return Ok(ExitCode::FAILURE);
        }
        Err(e) => {
            eprintln!("{}", e.message_ja());
            return Ok(ExitCode::FAILURE);
        }
    };
    let removal = found.removal.unwrap_or(linkage::Removal {
        current: 0,
        removed: 0,
    });
    let confirmation = linkage::Confirmation {
        file: file.to_owned(),
        sha256: found.sha256.clone(),
        current: removal.current,
        removed: removal.removed,
        by: "cli".into(),
        at: chrono::Utc::now(),
    };
    linkage::record_confirmation(
        store.as_ref(),
        &tenant,
        feed,
        &confirmation,
        &cli_event(&tenant, "linkage.confirm", &found.sha256),
    )?;
    println!(
        "{} {feed}/{file}: 適用を承認しました（SHA-256 {}、現在 {} 件のうち {} 件が削除されます）。次回の取込で適用します。",
        tenant.as_str(),
        found.sha256,
        removal.current,
        removal.removed
    );
    Ok(ExitCode::SUCCESS)
}

fn poll(
    store: Arc<dyn Store>,
    database: &str,
    tenant: TenantId,
    export: bool,
) -> anyhow::Result<ExitCode> {
    use madoguchi_server::config;
    let settings = match config::linkage_from_env(database)? {
        Some(s) => s,
        None => config::LinkageSettings {
            objects: config::objects_from_env(database),
            tenants: vec![tenant],
            interval_secs: config::linkage_interval_from_env()?,
        },
    };
    let exchange = madoguchi_objects::Exchange::open(&settings.objects)?;
    let job = madoguchi_server::linkage::Job::new(
        store,
        exchange,
        settings.tenants.clone(),
        settings.interval_secs,
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    if export {
        let mut failed = false;
        for t in &settings.tenants {
            match rt.block_on(job.export(t, chrono::Utc::now())) {
                Ok(batches) => {
                    for b in batches {
                        println!(
                            "{} {}/{}: {} 行（案件 {} 件）",
                            t.as_str(),
                            b.kind,
                            if b.file_name.is_empty() {
                                "-"
                            } else {
                                &b.file_name
                            },
                            b.records,
                            b.case_ids.len()
                        );
                    }
                }
                Err(e) => {
                    failed = true;
                    eprintln!("{}: {}", t.as_str(), e.message_ja());
                }
            }
        }
        return Ok(if failed {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        });
    }
    let handled = rt.block_on(job.poll(today_jst()));
    for h in &handled {
        let c = &h.counts;
        println!(
            "{} {}/{}: {} (追加 {} 更新 {} 変更なし {} 削除 {})",
            h.tenant.as_str(),
            h.feed,
            h.name,
            match h.outcome {
                madoguchi_store::LinkageOutcome::Applied => "適用",
                madoguchi_store::LinkageOutcome::Rejected => "エラー",
            },
            c.inserted,
            c.updated,
            c.unchanged,
            c.removed
        );
    }
    let mut failed = false;
    for t in &settings.tenants {
        for feed in madoguchi_server::linkage::FEEDS {
            let poll = job.feed_poll(t, feed.id);
            for w in &poll.waiting {
                println!(
                    "{} {}/{}: 待機中 — {}",
                    t.as_str(),
                    feed.id,
                    w.name,
                    w.reason
                );
            }
            if let Some(e) = poll.error {
                failed = true;
                eprintln!("{} {}: {e}", t.as_str(), feed.id);
            }
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
