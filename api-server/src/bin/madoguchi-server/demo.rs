//! `demo` and `seed`: the demo city, on an empty tenant or one they made only.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use madoguchi_server::api::today_jst;
use madoguchi_server::seed;
use madoguchi_store::{Store, TenantId};

use crate::cli_event;

const DEMO_USER: &str = "demo";
const DEMO_PASSWORD: &str = "sakurano-madoguchi";

/// `demo`: seeds the demo city if the tenant is empty, creates the demo login, and serves.
pub(crate) fn demo(
    store: Arc<dyn Store>,
    tenant: TenantId,
    listen: SocketAddr,
    residents: usize,
    database: &str,
    transport: madoguchi_server::tls::Transport,
) -> anyhow::Result<ExitCode> {
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
    crate::server::serve(store, listen, database, transport)
}

/// `seed`: a deterministic demo city imported in full mode.
pub(crate) fn seed(
    store: &dyn Store,
    tenant: &TenantId,
    residents: usize,
    seed: u64,
    tenant_name: &str,
) -> anyhow::Result<ExitCode> {
    demo_tenant_only(store, tenant, tenant_name)?;
    let (stats, report) = seed::seed_demo_city(store, tenant, residents, seed, today_jst())?;
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
