//! `madoguchi-server`: the counter server and its administration commands, one module per command.

mod accounts;
mod audit;
mod certificate;
mod demo;
mod linkage;
mod portal_simulator;
mod residents;
mod server;
mod tenant;

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use madoguchi_server::config::open_store;
use madoguchi_store::TenantId;

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
    /// **Software double** for tests and the demo: a simulator of マイナポータル's application API
    /// serving `count` generated applications (no database). Point the server at it with
    /// MADOGUCHI_PORTAL_URL; its client id and secret are `madoguchi-simulator` / `simulator-secret`.
    PortalSimulator {
        #[arg(long, default_value = "127.0.0.1:8090")]
        listen: SocketAddr,
        #[arg(long, default_value_t = 20)]
        count: usize,
    },
    /// Import data files.
    Import {
        #[command(subcommand)]
        what: residents::ImportWhat,
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
        what: linkage::LinkageWhat,
    },
    /// Staff accounts.
    User {
        #[command(subcommand)]
        what: accounts::UserWhat,
    },
    /// Groups of staff and the functions they may use.
    Group {
        #[command(subcommand)]
        what: accounts::AccessListWhat,
    },
    /// Counters (窓口) and the functions that may be used there.
    Counter {
        #[command(subcommand)]
        what: accounts::AccessListWhat,
    },
    /// Enrolled counter terminals.
    Terminal {
        #[command(subcommand)]
        what: accounts::TerminalWhat,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        what: audit::AuditWhat,
    },
    /// Certificates issued by Madoguchi: check a verification QR, revoke (docs/issuance.md).
    Certificate {
        #[command(subcommand)]
        what: certificate::CertificateWhat,
    },
    /// Tenant data hand-over: export, import into an empty tenant, delete (docs/tenant-export.md).
    Tenant {
        #[command(subcommand)]
        what: tenant::TenantWhat,
    },
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
        return server::migrate(&cli.database, app_role);
    }
    if let Command::PortalSimulator { listen, count } = cli.command {
        return portal_simulator::run(listen, count);
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
    let database = cli.database.as_str();
    match cli.command {
        Command::Serve { listen } => server::serve(store, listen, database, transport),
        // Handled above, before the store is opened.
        Command::Migrate { .. } | Command::PortalSimulator { .. } => Ok(ExitCode::SUCCESS),
        Command::Demo { listen, residents } => {
            demo::demo(store, tenant, listen, residents, database, transport)
        }
        Command::Seed {
            residents,
            seed,
            tenant_name,
        } => demo::seed(store.as_ref(), &tenant, residents, seed, &tenant_name),
        Command::Import { what } => residents::run(store.as_ref(), tenant, what),
        Command::Linkage { what } => linkage::run(store, database, tenant, what),
        Command::User { what } => accounts::users(store.as_ref(), tenant, what),
        Command::Group { what } => accounts::access_list(store.as_ref(), &tenant, true, what),
        Command::Counter { what } => accounts::access_list(store.as_ref(), &tenant, false, what),
        Command::Terminal { what } => accounts::terminals(store.as_ref(), &tenant, what),
        Command::Audit { what } => audit::run(store, tenant, what),
        Command::Tenant { what } => tenant::run(store.as_ref(), &tenant, what),
        Command::Certificate { what } => certificate::run(store.as_ref(), &tenant, what),
    }
}

/// The audit event of an administration command (user and counter unknown, terminal `cli`).
pub(crate) fn cli_event(
    tenant: &TenantId,
    action: &str,
    subject: &str,
) -> madoguchi_store::AuditEvent {
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
