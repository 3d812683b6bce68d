//! `portal-simulator`: the software double of マイナポータル's application API
//! (`madoguchi_server::portal::simulator`), for the end-to-end tests and the demo.

use std::net::SocketAddr;
use std::process::ExitCode;

pub(crate) fn run(listen: SocketAddr, count: usize) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let sim = madoguchi_server::portal::simulator::Simulator::new(count, chrono::Utc::now());
        let listener = tokio::net::TcpListener::bind(listen).await?;
        tracing::info!(addr = %listener.local_addr()?, count, "portal simulator (software double) listening");
        axum::serve(listener, madoguchi_server::portal::simulator::router(sim)).await?;
        Ok(ExitCode::SUCCESS)
    })
}
