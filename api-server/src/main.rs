//! `madoguchi-server`: the counter server and its administration commands.

use std::io::Read;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};
use madoguchi_server::api::{router, today_jst};
use madoguchi_server::config::{Settings, open_store};
use madoguchi_server::import::{
    CsvEncoding, ImportError, ImportOptions, ImportStatus, import_residents, sha256_hex,
};
use madoguchi_server::{AppState, auth, seed};
use madoguchi_store::{ImportMode, Store, TenantId};

#[derive(Parser)]
#[command(
    name = "madoguchi-server",
    version,
    about = "Madoguchi (書かない窓口) counter server"
)]
struct Cli {
    /// Database URL: sqlite://PATH (default) — postgres:// comes later.
    #[arg(
        long,
        env = "MADOGUCHI_DATABASE",
        default_value = "sqlite://madoguchi-data/madoguchi.sqlite3",
        global = true
    )]
    database: String,
    /// Tenant (municipality) id.
    #[arg(long, env = "MADOGUCHI_TENANT", default_value = "demo", global = true)]
    tenant: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API.
    Serve {
        #[arg(long, env = "MADOGUCHI_LISTEN", default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
    },
    /// Seed the demo city if the tenant is empty, create the demo login, and serve.
    Demo {
        #[arg(long, env = "MADOGUCHI_LISTEN", default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        #[arg(long, default_value_t = 20_000)]
        residents: usize,
    },
    /// Import data files.
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Generate a deterministic demo city and import it (full mode).
    Seed {
        #[arg(long, default_value_t = 20_000)]
        residents: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Display name of the tenant if it has to be created.
        #[arg(long, default_value = madoguchi_demo_city::CITY_NAME)]
        tenant_name: String,
    },
    /// Staff accounts.
    User {
        #[command(subcommand)]
        what: UserWhat,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        what: AuditWhat,
    },
}

#[derive(Subcommand)]
enum AuditWhat {
    /// Check the whole hash chain; exit 1 and name the first bad record if it was tampered with.
    Verify,
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
const MIN_AUDIT_RETENTION_DAYS: u32 = 365;

#[derive(Subcommand)]
enum ImportWhat {
    /// Import a resident CSV (docs/resident-csv.md) as one transaction.
    Residents {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = Mode::Full)]
        mode: Mode,
        /// utf-8 (default) or cp932 (Shift_JIS).
        #[arg(long, default_value = "utf-8")]
        encoding: String,
        /// Apply the valid rows even when some rows are invalid.
        #[arg(long)]
        skip_invalid: bool,
    },
}

#[derive(Subcommand)]
enum UserWhat {
    /// Add a staff account; the password is read from standard input.
    Add {
        login: String,
        #[arg(long)]
        name: String,
        /// Last day the account may log in (有効期間), e.g. 2027-03-31 or R9.3.31.
        #[arg(long)]
        valid_until: Option<String>,
    },
    /// Disable an account (kept for the record; its sessions end).
    Disable { login: String },
    /// Re-enable a disabled account.
    Enable { login: String },
    /// Unlock an account locked after repeated failed logins.
    Unlock { login: String },
    /// List the tenant's accounts.
    List,
}

#[derive(Clone, Copy, ValueEnum)]
enum Mode {
    Full,
    Delta,
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

fn main() -> ExitCode {
    init_logging();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("エラー: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let store = open_store(&cli.database)?;
    let tenant = TenantId(cli.tenant.clone());
    match cli.command {
        Command::Serve { listen } => serve(store, listen),
        Command::Demo { listen, residents } => {
            store.ensure_tenant(&tenant, madoguchi_demo_city::CITY_NAME)?;
            if store.count_residents(&tenant)? == 0 {
                println!(
                    "デモ市（{}）の住民 {residents} 人を生成しています…",
                    madoguchi_demo_city::CITY_NAME
                );
                let (stats, report) =
                    seed::seed_demo_city(store.as_ref(), &tenant, residents, 1, today_jst())?;
                println!(
                    "  {} 人、{} 世帯を登録しました（取込 {} 行）。",
                    stats.residents, stats.households, report.inserted
                );
            } else {
                println!(
                    "既存のデータを使用します（住民 {} 人）。",
                    store.count_residents(&tenant)?
                );
            }
            if store.find_user(&tenant, DEMO_USER)?.is_none() {
                auth::create_user(
                    store.as_ref(),
                    &tenant,
                    DEMO_USER,
                    "デモ 職員",
                    DEMO_PASSWORD,
                )?;
            }
            println!();
            println!("  URL:        http://{listen}/");
            println!("  API 仕様:   http://{listen}/api/openapi.json");
            println!(
                "  ログイン:   テナント {}  ユーザー {DEMO_USER}  パスワード {DEMO_PASSWORD}",
                tenant.as_str()
            );
            println!();
            serve(store, listen)
        }
        Command::Import {
            what:
                ImportWhat::Residents {
                    file,
                    mode,
                    encoding,
                    skip_invalid,
                },
        } => {
            store.ensure_tenant(&tenant, tenant.as_str())?;
            let encoding = CsvEncoding::parse(&encoding).ok_or_else(|| {
                anyhow::anyhow!("文字コードは utf-8 または cp932 を指定してください")
            })?;
            let open = || {
                std::fs::File::open(&file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))
            };
            let opts = ImportOptions {
                audit: Some(madoguchi_store::AuditEvent {
                    terminal: Some("cli".into()),
                    ..madoguchi_server::audit::event(
                        &tenant,
                        None,
                        None,
                        "resident.import",
                        None,
                        "pending",
                    )
                }),
                mode: match mode {
                    Mode::Full => ImportMode::Full,
                    Mode::Delta => ImportMode::Delta,
                },
                encoding,
                skip_invalid,
                today: today_jst(),
                source_name: file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                sha256: sha256_hex(std::io::BufReader::new(open()?))?,
            };
            match import_residents(store.as_ref(), &tenant, open()?, &opts) {
                Ok(report) => {
                    for p in &report.problems {
                        println!(
                            "{}行目 {}: {}",
                            p.line,
                            p.column.as_deref().unwrap_or("-"),
                            p.message
                        );
                    }
                    match report.status {
                        ImportStatus::Applied => {
                            println!(
                                "取り込みました: {} 行（追加 {}、更新 {}、変更なし {}、削除 {}、不正 {}）",
                                report.rows_read,
                                report.inserted,
                                report.updated,
                                report.unchanged,
                                report.removed,
                                report.rows_rejected
                            );
                            Ok(ExitCode::SUCCESS)
                        }
                        ImportStatus::AlreadyApplied => {
                            println!("このファイルは取り込み済みです。何も変更していません。");
                            Ok(ExitCode::SUCCESS)
                        }
                        ImportStatus::Rejected => {
                            println!(
                                "不正な行が {} 行あるため、取り込みを中止しました（データは変更していません）。",
                                report.rows_rejected
                            );
                            Ok(ExitCode::from(1))
                        }
                    }
                }
                Err(ImportError::File { line, message, .. }) => {
                    println!("{line}行目: {message}");
                    println!("取り込みを中止しました（データは変更していません）。");
                    Ok(ExitCode::from(1))
                }
                Err(ImportError::Store(e)) => Err(e.into()),
            }
        }
        Command::Seed {
            residents,
            seed,
            tenant_name,
        } => {
            store.ensure_tenant(&tenant, &tenant_name)?;
            let (stats, report) =
                seed::seed_demo_city(store.as_ref(), &tenant, residents, seed, today_jst())?;
            println!(
                "{} 人、{} 世帯（外国人住民 {}、支援措置 {}）を生成しました。取込: 追加 {}、更新 {}、変更なし {}、削除 {}",
                stats.residents,
                stats.households,
                stats.foreign,
                stats.support_measure,
                report.inserted,
                report.updated,
                report.unchanged,
                report.removed
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::User {
            what:
                UserWhat::Add {
                    login,
                    name,
                    valid_until,
                },
        } => {
            let valid_until = valid_until
                .map(|v| {
                    madoguchi_core::wareki::parse_date(&v)
                        .map_err(|e| anyhow::anyhow!("有効期間: {}", e.message_ja()))
                })
                .transpose()?;
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password)?;
            let password = password.trim_end_matches(['\r', '\n']);
            if password.chars().count() < 12 {
                anyhow::bail!("パスワードは12文字以上にしてください");
            }
            store.ensure_tenant(&tenant, tenant.as_str())?;
            auth::create_user(store.as_ref(), &tenant, &login, &name, password)?;
            if valid_until.is_some() {
                store.set_user_valid_until(&tenant, &login, valid_until)?;
            }
            println!("ユーザー {login} を登録しました。");
            Ok(ExitCode::SUCCESS)
        }
        Command::User {
            what: UserWhat::Disable { login },
        } => user_change(
            store.set_user_disabled(&tenant, &login, true)?,
            &login,
            "を無効にしました",
        ),
        Command::User {
            what: UserWhat::Enable { login },
        } => user_change(
            store.set_user_disabled(&tenant, &login, false)?,
            &login,
            "を有効にしました",
        ),
        Command::User {
            what: UserWhat::Unlock { login },
        } => user_change(
            store.unlock_user(&tenant, &login)?,
            &login,
            "のロックを解除しました",
        ),
        Command::Audit {
            what: AuditWhat::Verify,
        } => match store.verify_audit()? {
            madoguchi_store::AuditCheck::Intact { records } => {
                println!("監査ログは改ざんされていません（{records} 件）。");
                Ok(ExitCode::SUCCESS)
            }
            madoguchi_store::AuditCheck::Broken {
                first_bad_id,
                reason,
            } => {
                println!("監査ログの改ざんを検出しました: 記録番号 {first_bad_id} ({reason})");
                Ok(ExitCode::from(1))
            }
        },
        Command::Audit {
            what: AuditWhat::Purge { keep_days },
        } => {
            if keep_days < MIN_AUDIT_RETENTION_DAYS {
                anyhow::bail!("監査ログの保存期間は{MIN_AUDIT_RETENTION_DAYS}日以上にしてください");
            }
            let cutoff = today_jst() - chrono::Days::new(u64::from(keep_days));
            let purged = store.purge_audit_before(jst_midnight(cutoff))?;
            madoguchi_server::audit::record(
                store.as_ref(),
                &tenant,
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
        Command::Audit {
            what: AuditWhat::Export { from, to },
        } => {
            let parse = |v: &str| {
                madoguchi_core::wareki::parse_date(v)
                    .map_err(|e| anyhow::anyhow!("日付「{v}」: {}", e.message_ja()))
            };
            let (from, to) = (parse(&from)?, parse(&to)?);
            let to = to
                .succ_opt()
                .ok_or_else(|| anyhow::anyhow!("終了日が大きすぎます"))?;
            println!("記録番号,日時,ユーザー,窓口,端末,操作,対象,結果,ハッシュ");
            for r in store.audit_records(&tenant, jst_midnight(from), jst_midnight(to))? {
                let e = &r.event;
                let cells = [
                    r.id.to_string(),
                    e.at.to_rfc3339(),
                    e.user.clone().unwrap_or_default(),
                    e.counter.clone().unwrap_or_default(),
                    e.terminal.clone().unwrap_or_default(),
                    e.action.clone(),
                    e.subject.clone().unwrap_or_default(),
                    e.result.clone(),
                    madoguchi_server::import::hex(&r.hash),
                ];
                println!(
                    "{}",
                    cells
                        .iter()
                        .map(|c| csv_cell(c))
                        .collect::<Vec<_>>()
                        .join(",")
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::User {
            what: UserWhat::List,
        } => {
            println!("ユーザーID\t氏名\t状態\t連続失敗回数\t有効期限");
            for u in store.list_users(&tenant)? {
                let state = match (u.disabled, u.locked) {
                    (true, _) => "無効",
                    (false, true) => "ロック中",
                    (false, false) => "有効",
                };
                let until = u.valid_until.map(|d| {
                    madoguchi_core::wareki::to_wareki(d)
                        .map_or_else(|_| d.to_string(), |w| w.to_string())
                });
                println!(
                    "{}\t{}\t{state}\t{}\t{}",
                    u.login,
                    u.display_name,
                    u.failed_logins,
                    until.unwrap_or_default()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Midnight at the start of `d` in Japan, as UTC.
fn jst_midnight(d: chrono::NaiveDate) -> chrono::DateTime<chrono::Utc> {
    d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() - chrono::Duration::hours(9)
}

fn csv_cell(v: &str) -> String {
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_owned()
    }
}

fn user_change(found: bool, login: &str, done: &str) -> anyhow::Result<ExitCode> {
    if found {
        println!("ユーザー {login} {done}。");
        Ok(ExitCode::SUCCESS)
    } else {
        println!("ユーザー {login} は登録されていません。");
        Ok(ExitCode::from(1))
    }
}

const DEMO_USER: &str = "demo";
const DEMO_PASSWORD: &str = "madoguchi-demo";

/// Ctrl-C, or SIGTERM from a service manager: stop accepting, finish in-flight requests.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
    tracing::info!("shutting down");
}

fn serve(store: Arc<dyn Store>, listen: SocketAddr) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let state = AppState::new(store, Settings::default());
        let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
        let listener = tokio::net::TcpListener::bind(listen).await?;
        tracing::info!(addr = %listener.local_addr()?, "listening");
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown_signal())
            .await?;
        Ok(ExitCode::SUCCESS)
    })
}
