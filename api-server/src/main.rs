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
use madoguchi_store::{ImportMode, PermissionSet, Store, TenantId};

#[derive(Parser)]
#[command(
    name = "madoguchi-server",
    version,
    about = "Madoguchi (書かない窓口) counter server"
)]
struct Cli {
    /// Database URL: sqlite://PATH (default) or postgres://USER:PASSWORD@HOST:PORT/DB.
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
enum LinkageWhat {
    /// Poll the exchange once for the tenants of MADOGUCHI_LINKAGE_TENANTS (else --tenant) and exit.
    Poll,
    /// Write the outbound files (accepted 届出 and 証明書 requests) once and exit.
    Export,
    /// Print the data dictionary of the outbound files (Markdown).
    Dictionary,
    /// Confirm a full file the job holds because it would remove too many residents or 支援措置
    /// records (MADOGUCHI_LINKAGE_MAX_REMOVAL_PERCENT): the next poll applies it. Audited.
    Confirm {
        /// 001o006 (住民情報) or 001o009 (支援措置).
        #[arg(long)]
        feed: String,
        /// The file's name in the inbound folder, e.g. full_000002.csv.
        #[arg(long)]
        file: String,
    },
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API.
    Serve {
        #[arg(long, env = "MADOGUCHI_LISTEN", default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
    },
    /// PostgreSQL: apply the pending migrations connected as the database's owner role (`--database`
    /// is the owner's URL) and grant the application role what the server needs — on the audit log
    /// only INSERT and SELECT. The server connects as the application role and never migrates.
    /// (SQLite migrates itself at start.)
    Migrate {
        /// The role the server connects as.
        #[arg(long, default_value = "madoguchi_app")]
        app_role: String,
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
    /// Core-system linkage (連携): `poll` imports what waits in the exchange once (the server polls by
    /// itself when MADOGUCHI_LINKAGE_TENANTS is set).
    Linkage {
        #[command(subcommand)]
        what: LinkageWhat,
    },
    /// Staff accounts.
    User {
        #[command(subcommand)]
        what: UserWhat,
    },
    /// Groups of staff and the functions they may use.
    Group {
        #[command(subcommand)]
        what: AccessListWhat,
    },
    /// Counters (窓口) and the functions that may be used there.
    Counter {
        #[command(subcommand)]
        what: AccessListWhat,
    },
    /// Enrolled counter terminals.
    Terminal {
        #[command(subcommand)]
        what: TerminalWhat,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        what: AuditWhat,
    },
    /// Tenant data hand-over: export, import into an empty tenant, delete (docs/tenant-export.md).
    Tenant {
        #[command(subcommand)]
        what: TenantWhat,
    },
}

#[derive(Subcommand)]
enum TenantWhat {
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

const PERMISSIONS_HELP: &str = "comma-separated: search, view_qualifications, accept_notification, print_forms, request_certificate, export_data, import_data, admin, view_audit, override_support_measure, kiosk_apply";

/// Groups and counters are both named lists of permissions.
#[derive(Subcommand)]
enum AccessListWhat {
    /// Create one, or replace its name and permissions.
    Add {
        code: String,
        #[arg(long)]
        name: String,
        #[arg(long, help = PERMISSIONS_HELP)]
        permissions: String,
        /// Counters only: whether staff may log in there from a browser (not only from an enrolled
        /// terminal); unchanged when not given, off for a new counter.
        #[arg(long)]
        browser: Option<bool>,
    },
    /// List the tenant's.
    List,
}

/// Enrolled counter terminals (docs/security.md).
#[derive(Subcommand)]
enum TerminalWhat {
    /// Enroll a terminal with the code it shows, or change its key, name or counters.
    Add {
        /// The terminal's `terminal_id`.
        id: String,
        /// The enrollment code the terminal shows (`madoguchi-terminal enrollment-code`).
        #[arg(long)]
        code: String,
        /// Counter codes it may serve, comma-separated.
        #[arg(long)]
        counters: String,
        #[arg(long, default_value = "")]
        name: String,
    },
    /// List the enrolled terminals.
    List,
    /// Remove a terminal's enrollment (its sessions end).
    Remove { id: String },
}

#[derive(Subcommand)]
enum AuditWhat {
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
        /// Group codes, comma-separated.
        #[arg(long, default_value = "")]
        groups: String,
    },
    /// Set an account's groups (comma-separated codes; empty removes all).
    Groups { login: String, groups: String },
    /// Create or update many accounts from a CSV file (docs/staff-csv.md), all or nothing.
    Import {
        file: PathBuf,
        /// utf-8 (default) or cp932 (Shift_JIS).
        #[arg(long, default_value = "utf-8")]
        encoding: String,
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
    if let Command::Migrate { app_role } = &cli.command {
        let url = &cli.database;
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            madoguchi_store_postgres::PostgresStore::migrate(url, app_role)?;
            println!(
                "データベースの移行を適用し、アプリケーションロール {app_role} に権限を付与しました。"
            );
        } else {
            drop(open_store(url)?);
            println!("SQLite のデータベースは起動時に移行されます（適用済み）。");
        }
        return Ok(ExitCode::SUCCESS);
    }
    // An address the server may not listen on is refused before the database is touched.
    let transport = match &cli.command {
        Command::Serve { listen } | Command::Demo { listen, .. } => {
            let t = madoguchi_server::tls::Transport::from_env()?;
            t.check_listen(*listen)?;
            t
        }
        _ => madoguchi_server::tls::Transport::default(),
    };
    let store = open_store(&cli.database)?;
    let tenant = TenantId(cli.tenant.clone());
    match cli.command {
        Command::Serve { listen } => serve(store, listen, &cli.database, transport),
        // Handled above, before the store is opened.
        Command::Migrate { .. } => Ok(ExitCode::SUCCESS),
        Command::Linkage {
            what: LinkageWhat::Poll,
        } => linkage_poll(store, &cli.database, tenant, false),
        Command::Linkage {
            what: LinkageWhat::Export,
        } => linkage_poll(store, &cli.database, tenant, true),
        Command::Linkage {
            what: LinkageWhat::Confirm { feed, file },
        } => linkage_confirm(store, &cli.database, tenant, &feed, &file),
        Command::Linkage {
            what: LinkageWhat::Dictionary,
        } => {
            print!("{}", madoguchi_server::linkage::outbound::dictionary());
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { listen, residents } => {
            demo_tenant_only(store.as_ref(), &tenant, madoguchi_demo_city::CITY_NAME)?;
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
            seed::demo_staff(store.as_ref(), &tenant, DEMO_USER, DEMO_PASSWORD)?;
            seed::demo_incoming_moves(store.as_ref(), &tenant, today_jst())?;
            println!();
            let scheme = transport.scheme();
            println!("  URL:        {scheme}://{listen}/");
            println!("  API 仕様:   {scheme}://{listen}/api/openapi.json");
            println!(
                "  ログイン:   テナント {}  ユーザー {DEMO_USER}  パスワード {DEMO_PASSWORD}  窓口 {}",
                tenant.as_str(),
                seed::DEMO_COUNTER
            );
            println!();
            serve(store, listen, &cli.database, transport)
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
            demo_tenant_only(store.as_ref(), &tenant, &tenant_name)?;
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
                    groups,
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
            store.ensure_tenant(&tenant, tenant.as_str())?;
            let spec = auth::AccountSpec {
                login: &login,
                display_name: &name,
                password,
                groups: codes(&groups),
                valid_until,
            };
            match auth::create_user(
                store.as_ref(),
                &tenant,
                &spec,
                &cli_event(&tenant, "user.create", &login),
            ) {
                Ok(_) => {}
                Err(e) => match e.downcast_ref::<madoguchi_store::StoreError>() {
                    Some(madoguchi_store::StoreError::Conflict(_)) => {
                        anyhow::bail!("ユーザー {login} はすでに登録されています")
                    }
                    Some(madoguchi_store::StoreError::NotFound(_)) => {
                        anyhow::bail!("登録されていないグループがあります: {groups}")
                    }
                    _ => return Err(e),
                },
            }
            println!("ユーザー {login} を登録しました。");
            Ok(ExitCode::SUCCESS)
        }
        Command::User {
            what: UserWhat::Groups { login, groups },
        } => {
            let found = store
                .set_user_groups(
                    &tenant,
                    &login,
                    &codes(&groups),
                    &cli_event(&tenant, "user.groups", &login),
                )
                .map_err(|e| match e {
                    madoguchi_store::StoreError::NotFound(_) => {
                        anyhow::anyhow!("登録されていないグループがあります: {groups}")
                    }
                    e => e.into(),
                })?;
            user_change(found, &login, "のグループを変更しました")
        }
        Command::User {
            what: UserWhat::Import { file, encoding },
        } => {
            let encoding = CsvEncoding::parse(&encoding).ok_or_else(|| {
                anyhow::anyhow!("文字コードは utf-8 または cp932 を指定してください")
            })?;
            let bytes =
                std::fs::read(&file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            store.ensure_tenant(&tenant, tenant.as_str())?;
            let actor = cli_event(&tenant, "user.import", "");
            match madoguchi_server::staff_import::import(
                store.as_ref(),
                &tenant,
                &bytes,
                encoding,
                &actor,
            ) {
                Ok(c) => {
                    println!("職員を登録しました: 追加 {}、更新 {}", c.created, c.updated);
                    Ok(ExitCode::SUCCESS)
                }
                Err(problems) => {
                    for p in &problems {
                        println!("{p}");
                    }
                    println!("取り込みを中止しました（何も変更していません）。");
                    Ok(ExitCode::from(1))
                }
            }
        }
        Command::Group { what } => access_list(store.as_ref(), &tenant, true, what),
        Command::Counter { what } => access_list(store.as_ref(), &tenant, false, what),
        Command::Terminal { what } => terminals(store.as_ref(), &tenant, what),
        Command::User {
            what: UserWhat::Disable { login },
        } => user_change(
            store.set_user_disabled(
                &tenant,
                &login,
                true,
                &cli_event(&tenant, "user.disable", &login),
            )?,
            &login,
            "を無効にしました",
        ),
        Command::User {
            what: UserWhat::Enable { login },
        } => user_change(
            store.set_user_disabled(
                &tenant,
                &login,
                false,
                &cli_event(&tenant, "user.enable", &login),
            )?,
            &login,
            "を有効にしました",
        ),
        Command::User {
            what: UserWhat::Unlock { login },
        } => user_change(
            store.unlock_user(&tenant, &login, &cli_event(&tenant, "user.unlock", &login))?,
            &login,
            "のロックを解除しました",
        ),
        Command::Tenant { what } => tenant_command(store.as_ref(), &tenant, what),
        Command::Audit {
            what: AuditWhat::Verify,
        } => audit_verify(store),
        Command::Audit {
            what: AuditWhat::AnchorKey { out },
        } => {
            let key = madoguchi_server::audit_anchor::generate_key()?;
            write_private(&out, &key)?;
            let signer = madoguchi_server::audit_anchor::Signer::from_pkcs8(&key)?;
            println!("監査アンカーの署名鍵を {} に作成しました。", out.display());
            println!(
                "公開鍵（MADOGUCHI_AUDIT_ANCHOR_PUBKEY）: {}",
                signer.public_key_hex()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit {
            what: AuditWhat::QueryDigest { q, birth, address },
        } => {
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
        Command::Audit {
            what: AuditWhat::Anchor,
        } => {
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
            let records = store.audit_records(&tenant, jst_midnight(from), jst_midnight(to))?;
            print!("{}", madoguchi_server::audit::to_csv(&records));
            Ok(ExitCode::SUCCESS)
        }
        Command::User {
            what: UserWhat::List,
        } => {
            println!("ユーザーID\t氏名\t状態\t連続失敗回数\t有効期限\tグループ");
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
                    "{}\t{}\t{state}\t{}\t{}\t{}",
                    u.login,
                    u.display_name,
                    u.failed_logins,
                    until.unwrap_or_default(),
                    u.groups.join(",")
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

use madoguchi_server::audit::jst_midnight;

/// Tenant setting that marks a tenant made by `demo` or `seed`.
const DEMO_MARK: &str = "demo_tenant";

/// `demo` and `seed` replace the residents and add a login with a published password: they run only on
/// an empty tenant (which they mark) or one they made, never on a city's real data (Security II point 15).
fn demo_tenant_only(store: &dyn Store, tenant: &TenantId, name: &str) -> anyhow::Result<()> {
    // Demo databases made before the mark carry the demo city's name.
    if store.tenant_setting(tenant, DEMO_MARK)?.as_deref() == Some("1")
        || store.tenant_name(tenant)?.as_deref() == Some(madoguchi_demo_city::CITY_NAME)
    {
        return Ok(());
    }
    let residents = store.count_residents(tenant)?;
    let users = store.list_users(tenant)?.len();
    if residents > 0 || users > 0 {
        anyhow::bail!(
            "テナント {} はデモ用ではありません（住民 {residents} 人、職員 {users} 人）。デモの生成は、空のテナントか、デモの生成で作ったテナントにだけ行えます。",
            tenant.as_str()
        );
    }
    store.ensure_tenant(tenant, name)?;
    store.put_tenant_setting(
        tenant,
        DEMO_MARK,
        "1",
        &cli_event(tenant, "tenant.demo_mark", tenant.as_str()),
    )?;
    Ok(())
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
fn audit_verify(store: Arc<dyn Store>) -> anyhow::Result<ExitCode> {
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

/// The audit event of an administration command (user and counter unknown, terminal `cli`).
fn cli_event(tenant: &TenantId, action: &str, subject: &str) -> madoguchi_store::AuditEvent {
    madoguchi_store::AuditEvent {
        terminal: Some("cli".into()),
        ..madoguchi_server::audit::event(
            tenant,
            None,
            None,
            action,
            (!subject.is_empty()).then(|| subject.to_owned()),
            "ok",
        )
    }
}

/// `terminal add|list|remove`.
fn terminals(store: &dyn Store, tenant: &TenantId, what: TerminalWhat) -> anyhow::Result<ExitCode> {
    use madoguchi_server::enrollment::{Registration, RegistrationError, register};
    match what {
        TerminalWhat::Add {
            id,
            code,
            counters,
            name,
        } => {
            let registration = Registration {
                id: &id,
                name: &name,
                enrollment_code: &code,
                counters: codes(&counters),
            };
            let event = cli_event(tenant, "terminal.put", &id);
            match register(
                store,
                tenant,
                &registration,
                "cli",
                chrono::Utc::now(),
                &event,
            ) {
                Ok(t) => println!(
                    "端末 {} を登録しました（窓口: {}）。",
                    t.id,
                    t.counters.join(", ")
                ),
                Err(RegistrationError::Invalid(m)) => {
                    eprintln!("{m}");
                    return Ok(ExitCode::from(1));
                }
                Err(RegistrationError::Store(e)) => return Err(e.into()),
            }
        }
        TerminalWhat::List => {
            println!("端末ID\t名称\t窓口\t登録日時\t登録者");
            for t in store.list_terminals(tenant)? {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    t.id,
                    t.name,
                    t.counters.join(","),
                    t.registered_at.to_rfc3339(),
                    t.registered_by
                );
            }
        }
        TerminalWhat::Remove { id } => {
            if !store.remove_terminal(tenant, &id, &cli_event(tenant, "terminal.remove", &id))? {
                eprintln!("端末 {id} は登録されていません。");
                return Ok(ExitCode::from(1));
            }
            println!("端末 {id} の登録を解除しました。");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `group add|list` (`is_group`) and `counter add|list`.
fn access_list(
    store: &dyn Store,
    tenant: &TenantId,
    is_group: bool,
    what: AccessListWhat,
) -> anyhow::Result<ExitCode> {
    match what {
        AccessListWhat::Add {
            code,
            name,
            permissions,
            browser,
        } => {
            let permissions = PermissionSet::parse(&permissions).map_err(anyhow::Error::msg)?;
            if is_group && browser.is_some() {
                anyhow::bail!("--browser は窓口にだけ指定できます。");
            }
            check_code(&code)?;
            store.ensure_tenant(tenant, tenant.as_str())?;
            let what = if is_group {
                let group = madoguchi_store::GroupRecord {
                    code: code.clone(),
                    name,
                    permissions,
                };
                store.put_group(tenant, &group, &cli_event(tenant, "group.put", &code))?;
                "グループ"
            } else {
                let before = store.find_counter(tenant, &code)?;
                let counter = madoguchi_store::CounterRecord {
                    code: code.clone(),
                    name,
                    permissions,
                    browser_allowed: browser
                        .unwrap_or_else(|| before.is_some_and(|c| c.browser_allowed)),
                };
                store.put_counter(tenant, &counter, &cli_event(tenant, "counter.put", &code))?;
                "窓口"
            };
            println!(
                "{what} {code} を登録しました（権限: {}）。",
                labels(permissions)
            );
        }
        AccessListWhat::List => {
            let rows: Vec<(String, String, PermissionSet)> = if is_group {
                store
                    .list_groups(tenant)?
                    .into_iter()
                    .map(|g| (g.code, g.name, g.permissions))
                    .collect()
            } else {
                store
                    .list_counters(tenant)?
                    .into_iter()
                    .map(|c| (c.code, c.name, c.permissions))
                    .collect()
            };
            println!("コード\t名称\t権限");
            for (code, name, permissions) in rows {
                println!("{code}\t{name}\t{}", permissions.to_codes());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn codes(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

fn labels(p: PermissionSet) -> String {
    if p.is_empty() {
        return "なし".into();
    }
    p.iter()
        .map(|p| p.label_ja())
        .collect::<Vec<_>>()
        .join("、")
}

/// Group and counter codes: what a login form and a CSV can carry safely.
fn check_code(code: &str) -> anyhow::Result<()> {
    if code.is_empty()
        || code.chars().count() > 50
        || code.contains([',', ';', '、'])
        || code.chars().any(char::is_control)
    {
        anyhow::bail!("コードは50文字以内で、カンマ・セミコロン・読点を含めずに指定してください");
    }
    Ok(())
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
const DEMO_PASSWORD: &str = "sakurano-madoguchi";

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

fn tenant_command(
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

/// `linkage confirm`: records an admin's confirmation of a held full file (its name and SHA-256, read
/// from the exchange now) with its audit record; the next poll applies it.
fn linkage_confirm(
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

fn linkage_poll(
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

fn serve(
    store: Arc<dyn Store>,
    listen: SocketAddr,
    database: &str,
    transport: madoguchi_server::tls::Transport,
) -> anyhow::Result<ExitCode> {
    transport.check_listen(listen)?;
    // A certificate that cannot be used stops the start, before anything listens.
    let certificates = transport
        .tls
        .as_ref()
        .map(madoguchi_server::tls::CertStore::load)
        .transpose()?;
    let updates_dir = madoguchi_server::config::updates_dir_from_env(database);
    let linkage = madoguchi_server::config::linkage_from_env(database)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let ui_dir = madoguchi_server::config::ui_dir_from_env();
        match &ui_dir {
            Some(dir) => tracing::info!(dir = %dir.display(), "serving the web UI"),
            None => tracing::info!("no built web UI found (ui/dist); serving the status page"),
        }
        if let Some(dir) = &updates_dir {
            tracing::info!(dir = %dir.display(), "terminal updates published from");
        }
        let mut state = AppState::new(
            store.clone(),
            Settings {
                ui_dir,
                updates_dir,
                trusted_proxies: transport.trusted_proxies.clone(),
                ..Settings::default()
            },
        );
        if let Some(l) = linkage {
            let exchange = madoguchi_objects::Exchange::open(&l.objects)?;
            tracing::info!(
                exchange = exchange.describe(),
                tenants = l.tenants.len(),
                interval_secs = l.interval_secs,
                "core-system linkage on"
            );
            let job = Arc::new(madoguchi_server::linkage::Job::new(
                store,
                exchange,
                l.tenants,
                l.interval_secs,
            ));
            state.linkage = Some(job.clone());
            tokio::spawn(job.run(std::future::pending()));
        }
        match madoguchi_server::config::anchor_from_env()? {
            Some(a) => {
                let key = a.key.ok_or_else(|| {
                    anyhow::anyhow!("MADOGUCHI_AUDIT_ANCHOR_KEY（監査アンカーの署名鍵）を設定してください")
                })?;
                let signer = madoguchi_server::audit_anchor::Signer::from_file(&key)?;
                let place = madoguchi_server::audit_anchor::AnchorPlace::open(&a.url)?;
                tracing::info!(interval_secs = a.interval_secs, "audit anchoring on");
                tokio::spawn(madoguchi_server::audit_anchor::run(
                    state.store.clone(),
                    signer,
                    place,
                    std::time::Duration::from_secs(a.interval_secs),
                ));
            }
            None => tracing::warn!(
                "audit anchoring off (MADOGUCHI_AUDIT_ANCHOR_URL not set): the audit chain is only checked inside the database"
            ),
        }
        let listener = tokio::net::TcpListener::bind(listen).await?;
        if !transport.trusted_proxies.is_empty() {
            tracing::info!("X-Forwarded-For believed from MADOGUCHI_TRUSTED_PROXIES only");
        }
        match certificates {
            Some(certificates) => {
                let config = certificates.server_config()?;
                tokio::spawn(certificates.watch());
                tracing::info!(addr = %listener.local_addr()?, "listening (TLS)");
                madoguchi_server::tls::serve(listener, router(state), config, shutdown_signal())
                    .await?;
            }
            None => {
                if !listen.ip().is_loopback() {
                    tracing::info!(
                        "plain HTTP behind a TLS-terminating proxy (MADOGUCHI_BEHIND_TLS_PROXY)"
                    );
                    if transport.trusted_proxies.is_empty() {
                        tracing::warn!(
                            "MADOGUCHI_TRUSTED_PROXIES not set: login limits per address see the proxy's address"
                        );
                    }
                }
                let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
                tracing::info!(addr = %listener.local_addr()?, "listening");
                axum::serve(listener, app)
                    .with_graceful_shutdown(shutdown_signal())
                    .await?;
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}
