//! `serve` and `migrate`.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use madoguchi_server::AppState;
use madoguchi_server::api::router;
use madoguchi_server::config::{Settings, open_store};
use madoguchi_store::Store;

/// `migrate`: PostgreSQL migrations as the owner role; SQLite migrates itself at open.
pub(crate) fn migrate(url: &str, app_role: &str) -> anyhow::Result<ExitCode> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        madoguchi_store_postgres::PostgresStore::migrate(url, app_role)?;
        println!(
            "データベースの移行を適用し、アプリケーションロール {app_role} に権限を付与しました。"
        );
    } else {
        drop(open_store(url)?);
        println!("SQLite のデータベースは起動時に移行されます（適用済み）。");
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn serve(
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
        let arrival_tenants = linkage.as_ref().map(|l| l.tenants.clone());
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
        let tenant = std::env::var("MADOGUCHI_TENANT").unwrap_or_else(|_| "demo".into());
        if let Some(p) = madoguchi_server::config::portal_from_env(&tenant)? {
            let connector = madoguchi_server::portal::connector::Connector::new(state.store.clone(), p)
                .map_err(anyhow::Error::msg)?;
            let connector = Arc::new(connector);
            tracing::info!(
                proxy = connector.settings().proxy.is_some(),
                interval_secs = connector.settings().interval.as_secs(),
                "マイナポータル connector on"
            );
            state.portal = Some(connector.clone());
            tokio::spawn(connector.run(std::future::pending()));
        }
        match madoguchi_server::config::anchor_from_env()? {
            Some(a) => {
                let key = a.key.ok_or_else(|| {
                    anyhow::anyhow!("MADOGUCHI_AUDIT_ANCHOR_KEY（監査アンカーの署名鍵）を設定してください")
                })?;
                let signer = madoguchi_server::audit_anchor::Signer::from_file(&key)?;
                let place = madoguchi_server::audit_anchor::AnchorPlace::open(&a.url)?;
                state.anchoring = Some(Arc::new(madoguchi_server::audit_anchor::Anchoring {
                    place: place.clone(),
                    public_key: signer.public_key(),
                }));
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
        if let Some(tenants) = arrival_tenants {
            let at = madoguchi_server::arrivals::schedule::prepare_at_from_env()
                .map_err(anyhow::Error::msg)?;
            tracing::info!(at = %at, "evening preparation of arrivals on");
            tokio::spawn(madoguchi_server::arrivals::schedule::run(
                state.clone(),
                tenants,
                at,
            ));
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
