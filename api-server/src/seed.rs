//! Seeding a tenant with the demo city: the generator writes the import CSV, which then goes through
//! the same importer as a real 住民記録 file; its 印鑑登録 go through the `inkan` feed's reader and store
//! import the same way, and so do its cards' serials (`cards`) and its 課税 (`tax`).

use std::io::{BufWriter, Seek, SeekFrom};

use chrono::{Datelike, NaiveDate};
use madoguchi_demo_city::{
    CardStats, Options, SealStats, Stats, TaxStats, write_card_csv, write_csv, write_seal_csv,
    write_tax_csv,
};
use madoguchi_store::{
    AuditEvent, CounterRecord, GroupRecord, ImportMode, PermissionSet, Store, TenantId,
};

use crate::import::{
    CsvEncoding, ImportError, ImportOptions, ImportReport, import_residents, sha256_hex,
};

/// Generates `residents` demo residents with `seed` and imports them (full mode) into `tenant`.
pub fn seed_demo_city(
    store: &dyn Store,
    tenant: &TenantId,
    residents: usize,
    seed: u64,
    today: NaiveDate,
) -> anyhow::Result<(Stats, ImportReport)> {
    let mut file = tempfile::tempfile()?;
    let stats = {
        let mut w = BufWriter::with_capacity(1 << 20, &mut file);
        let stats = write_csv(
            &mut w,
            &Options {
                residents,
                seed,
                reference_date: today,
            },
        )?;
        std::io::Write::flush(&mut w)?;
        stats
    };
    file.seek(SeekFrom::Start(0))?;
    let sha256 = sha256_hex(std::io::BufReader::new(&mut file))?;
    file.seek(SeekFrom::Start(0))?;
    let opts = ImportOptions {
        audit: Some(madoguchi_store::AuditEvent {
            terminal: Some("cli-seed".into()),
            ..crate::audit::event(tenant, None, None, "resident.import", None, "pending")
        }),
        mode: ImportMode::Full,
        encoding: CsvEncoding::Utf8,
        skip_invalid: false,
        today,
        source_name: format!("demo-city seed={seed} residents={residents}"),
        sha256,
    };
    let report = import_residents(store, tenant, &mut file, &opts).map_err(|e| match e {
        ImportError::File { line, log, .. } => {
            anyhow::anyhow!("demo city CSV rejected at line {line}: {log}")
        }
        ImportError::Store(e) => e.into(),
    })?;
    if !report.problems.is_empty() {
        anyhow::bail!(
            "demo city generator produced {} invalid rows (first: {:?})",
            report.problems.len(),
            report.problems.first()
        );
    }
    seed_demo_seals(store, tenant, residents, seed, today)?;
    seed_demo_cards(store, tenant, residents, seed, today)?;
    seed_demo_tax(store, tenant, residents, seed, today)?;
    Ok((stats, report))
}

/// The demo city's 印鑑登録 (about 40 % of the residents aged 15 or over, a few 廃止), written as a
/// full `inkan` file and applied through the feed's reader and the store's import, as the linkage job
/// would (one transaction, ledger, audit record).
pub fn seed_demo_seals(
    store: &dyn Store,
    tenant: &TenantId,
    residents: usize,
    seed: u64,
    today: NaiveDate,
) -> anyhow::Result<SealStats> {
    let mut file = Vec::new();
    let stats = write_seal_csv(
        &mut file,
        &Options {
            residents,
            seed,
            reference_date: today,
        },
    )?;
    let (items, meta) = demo_feed(
        tenant,
        "inkan",
        file,
        (seed, residents),
        crate::linkage::tables::seal_registrations,
    )?;
    store.import_seal_registrations(tenant, &meta, &items)?;
    Ok(stats)
}

/// The demo city's 利用者証明用電子証明書 serials (about 70 % of the residents, see
/// [`madoguchi_demo_city::demo_card_serial`]), written as a full `cards` file and applied through the
/// feed's reader and the store's import, as the linkage job would.
pub fn seed_demo_cards(
    store: &dyn Store,
    tenant: &TenantId,
    residents: usize,
    seed: u64,
    today: NaiveDate,
) -> anyhow::Result<CardStats> {
    let mut file = Vec::new();
    let stats = write_card_csv(
        &mut file,
        &Options {
            residents,
            seed,
            reference_date: today,
        },
    )?;
    let (items, meta) = demo_feed(
        tenant,
        "cards",
        file,
        (seed, residents),
        crate::linkage::tables::card_serials,
    )?;
    store.import_card_serials(tenant, &meta, &items)?;
    Ok(stats)
}

/// The demo city's 課税 (the residents aged 18 or over, the current and the previous 課税年度, some
/// 非課税), written as a full `tax` file and applied through the feed's reader and the store's import,
/// as the linkage job would.
pub fn seed_demo_tax(
    store: &dyn Store,
    tenant: &TenantId,
    residents: usize,
    seed: u64,
    today: NaiveDate,
) -> anyhow::Result<TaxStats> {
    let mut file = Vec::new();
    let stats = write_tax_csv(
        &mut file,
        &Options {
            residents,
            seed,
            reference_date: today,
        },
    )?;
    let (items, meta) = demo_feed(tenant, "tax", file, (seed, residents), |text, mode| {
        crate::linkage::tax::tax_records(text, mode, today)
    })?;
    store.import_tax_records(tenant, &meta, &items)?;
    Ok(stats)
}

/// A demo city's full `feed` file read by the feed's own reader, as the linkage job would (any problem
/// refuses it: the generator is wrong), with the import's ledger and audit record.
fn demo_feed<T>(
    tenant: &TenantId,
    feed: &str,
    file: Vec<u8>,
    (seed, residents): (u64, usize),
    read: impl Fn(
        &str,
        ImportMode,
    ) -> Result<crate::linkage::tables::Parsed<T>, crate::linkage::tables::FileProblem>,
) -> anyhow::Result<(Vec<T>, madoguchi_store::ImportMeta)> {
    let sha256 = sha256_hex(&file[..])?;
    let text = String::from_utf8(file)?;
    let parsed = read(&text, ImportMode::Full).map_err(|p| {
        anyhow::anyhow!(
            "demo city {feed} file rejected at line {}: {}",
            p.line,
            p.message
        )
    })?;
    if let Some(first) = parsed.problems.first() {
        anyhow::bail!(
            "demo city {feed} generator produced {} invalid rows (first: {first:?})",
            parsed.problems.len()
        );
    }
    let meta = madoguchi_store::ImportMeta {
        mode: ImportMode::Full,
        sha256,
        source_name: format!("demo-city {feed} seed={seed} residents={residents}"),
        started_at: chrono::Utc::now(),
        audit: Some(AuditEvent {
            terminal: Some("cli-seed".into()),
            ..crate::audit::event(
                tenant,
                None,
                None,
                "linkage.import",
                Some(feed.into()),
                "pending",
            )
        }),
    };
    Ok((parsed.items, meta))
}

/// The counter the demo login uses.
pub const DEMO_COUNTER: &str = "shimin-1";
/// The demo kiosk's account and counter: it may only apply at the kiosk (`kiosk_apply`). A real city
/// creates one account per kiosk terminal.
pub const DEMO_KIOSK_LOGIN: &str = "kiosk-01";
pub const DEMO_KIOSK_PASSWORD: &str = "sakurano-kiosk-terminal";
pub const DEMO_KIOSK_COUNTER: &str = "kiosk";
/// The demo issuance station's account and counter: it may only take residents' certificate requests
/// after JPKI user authentication (`station_apply`).
pub const DEMO_STATION_LOGIN: &str = "station-01";
pub const DEMO_STATION_PASSWORD: &str = "sakurano-station-terminal";
pub const DEMO_STATION_COUNTER: &str = "station";

/// Demo groups, counters and one demo account (in every group), created once. A real city sets these up
/// with `madoguchi-server group add`, `counter add` and `user import`.
pub fn demo_staff(
    store: &dyn Store,
    tenant: &TenantId,
    login: &str,
    password: &str,
) -> anyhow::Result<()> {
    let p = |list: &str| PermissionSet::parse(list).map_err(anyhow::Error::msg);
    let event = |action: &str, subject: &str| AuditEvent {
        terminal: Some("cli-seed".into()),
        ..crate::audit::event(tenant, None, None, action, Some(subject.into()), "ok")
    };
    if store.list_groups(tenant)?.is_empty() {
        for (code, name, perms) in [
            (
                "shimin",
                "市民課 窓口担当",
                "search,accept_notification,print_forms,request_certificate,issue_certificates",
            ),
            (
                "fukushi",
                "福祉課 窓口担当",
                "search,view_qualifications,accept_notification,print_forms",
            ),
            ("shien", "支援措置責任者", "search,override_support_measure"),
            (
                "kanri",
                "システム管理者",
                "admin,view_audit,import_data,export_data",
            ),
        ] {
            let group = GroupRecord {
                code: code.into(),
                name: name.into(),
                permissions: p(perms)?,
            };
            store.put_group(tenant, &group, &event("group.put", code))?;
        }
    }
    {
        for (code, name, perms) in [
            (
                DEMO_COUNTER,
                "市民課 1番窓口",
                "search,accept_notification,print_forms,request_certificate,issue_certificates,override_support_measure",
            ),
            (
                "shimin-2",
                "市民課 2番窓口",
                "search,accept_notification,print_forms,request_certificate",
            ),
            (
                "fukushi-1",
                "福祉課 窓口",
                "search,view_qualifications,accept_notification,print_forms",
            ),
            ("kanri", "管理端末", &PermissionSet::all().to_codes()),
        ] {
            if store.find_counter(tenant, code)?.is_some() {
                continue;
            }
            let counter = CounterRecord {
                code: code.into(),
                name: name.into(),
                permissions: p(perms)?,
                // The demo city is tried out in a browser.
                browser_allowed: true,
            };
            store.put_counter(tenant, &counter, &event("counter.put", code))?;
        }
    }
    if store.find_counter(tenant, DEMO_KIOSK_COUNTER)?.is_none() {
        let group = GroupRecord {
            code: "kiosk".into(),
            name: "キオスク端末".into(),
            permissions: p("kiosk_apply")?,
        };
        store.put_group(tenant, &group, &event("group.put", "kiosk"))?;
        let counter = CounterRecord {
            code: DEMO_KIOSK_COUNTER.into(),
            name: "総合案内 キオスク".into(),
            permissions: p("kiosk_apply")?,
            // The kiosk's account logs in only from an enrolled kiosk terminal.
            browser_allowed: false,
        };
        store.put_counter(tenant, &counter, &event("counter.put", DEMO_KIOSK_COUNTER))?;
    }
    if store.find_user(tenant, DEMO_KIOSK_LOGIN)?.is_none() {
        let spec = crate::auth::AccountSpec {
            login: DEMO_KIOSK_LOGIN,
            display_name: "キオスク端末 1",
            password: DEMO_KIOSK_PASSWORD,
            groups: vec!["kiosk".into()],
            valid_until: None,
        };
        crate::auth::create_user(
            store,
            tenant,
            &spec,
            &event("user.create", DEMO_KIOSK_LOGIN),
        )?;
    }
    demo_station(store, tenant, &event)?;
    let groups = ["shimin", "fukushi", "shien", "kanri"].map(str::to_owned);
    if let Some(user) = store.find_user(tenant, login)? {
        // A demo database from before groups existed: give the demo account its groups.
        if user.groups.is_empty() {
            store.set_user_groups(tenant, login, &groups, &event("user.groups", login))?;
        }
    } else {
        let spec = crate::auth::AccountSpec {
            login,
            display_name: "デモ 職員",
            password,
            groups: groups.to_vec(),
            valid_until: None,
        };
        crate::auth::create_user(store, tenant, &spec, &event("user.create", login))?;
    }
    Ok(())
}

/// The demo issuance station's group, counter and account (added to a demo database from before it).
fn demo_station(
    store: &dyn Store,
    tenant: &TenantId,
    event: &dyn Fn(&str, &str) -> AuditEvent,
) -> anyhow::Result<()> {
    let perms = PermissionSet::parse("station_apply").map_err(anyhow::Error::msg)?;
    if store.find_counter(tenant, DEMO_STATION_COUNTER)?.is_none() {
        let group = GroupRecord {
            code: "station".into(),
            name: "証明書発行端末".into(),
            permissions: perms,
        };
        store.put_group(tenant, &group, &event("group.put", "station"))?;
        let counter = CounterRecord {
            code: DEMO_STATION_COUNTER.into(),
            name: "市民課 証明書発行端末".into(),
            permissions: perms,
            // The station's account logs in only from an enrolled station terminal.
            browser_allowed: false,
        };
        store.put_counter(
            tenant,
            &counter,
            &event("counter.put", DEMO_STATION_COUNTER),
        )?;
    }
    if store.find_user(tenant, DEMO_STATION_LOGIN)?.is_none() {
        let spec = crate::auth::AccountSpec {
            login: DEMO_STATION_LOGIN,
            display_name: "証明書発行端末 1",
            password: DEMO_STATION_PASSWORD,
            groups: vec!["station".into()],
            valid_until: None,
        };
        crate::auth::create_user(
            store,
            tenant,
            &spec,
            &event("user.create", DEMO_STATION_LOGIN),
        )?;
    }
    Ok(())
}

/// Demo 転出証明書情報: families announced by their former municipality (転入届の特例), so that a 転入 is
/// entered without typing the family in, both expected at the counter tomorrow (転入予約). Written as a
/// `tenshutsu` file and applied through the feed's reader and the store's import, as the linkage job
/// would; `today` sets their dates (a new day's file re-announces them for the next day).
pub fn demo_incoming_moves(
    store: &dyn Store,
    tenant: &TenantId,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let file = demo_tenshutsu_csv(today);
    let (items, meta) = demo_feed(
        tenant,
        "tenshutsu",
        file.into_bytes(),
        (0, 0),
        crate::linkage::tenshutsu::notices,
    )?;
    let (moves, changes) = crate::linkage::tenshutsu::changes(&items, chrono::Utc::now())?;
    store.import_arrivals(tenant, &meta, &moves, &changes)?;
    Ok(())
}

/// The demo `tenshutsu` file: two households moving in, expected tomorrow.
pub fn demo_tenshutsu_csv(today: NaiveDate) -> String {
    let years_ago = |y: i32, m: u32, d: u32| {
        NaiveDate::from_ymd_opt(today.year() - y, m, d)
            .unwrap_or(today)
            .to_string()
    };
    let visit = (today + chrono::Duration::days(1)).to_string();
    let yamada = format!(
        "T-DEMO-0001,東京都世田谷区太子堂二丁目5番8号,{},さくら野市本町二丁目3番地,{visit},山田\u{3000}太郎",
        today - chrono::Duration::days(3)
    );
    let takahashi = format!(
        "T-DEMO-0002,埼玉県さいたま市浦和区高砂三丁目1番2号,{},,{visit},髙橋\u{3000}美咲",
        today - chrono::Duration::days(1)
    );
    let rows = [
        (
            &yamada,
            "山田\u{3000}太郎,ヤマダ\u{3000}タロウ",
            years_ago(38, 4, 12),
            "男,世帯主,1,1号",
        ),
        (
            &yamada,
            "山田\u{3000}花子,ヤマダ\u{3000}ハナコ",
            years_ago(36, 9, 3),
            "女,妻,1,1号",
        ),
        (
            &yamada,
            "山田\u{3000}一郎,ヤマダ\u{3000}イチロウ",
            years_ago(7, 6, 20),
            "男,子,1,",
        ),
        (
            &yamada,
            "山田\u{3000}さくら,ヤマダ\u{3000}サクラ",
            years_ago(2, 1, 15),
            "女,子,1,",
        ),
        (
            &takahashi,
            "髙橋\u{3000}美咲,タカハシ\u{3000}ミサキ",
            years_ago(27, 11, 30),
            "女,世帯主,0,2号",
        ),
    ];
    let mut out = String::from(
        "通知番号,転出元住所,転出予定日,転入予定地,来庁予定日,世帯主,氏名,フリガナ,生年月日,性別,続柄,国保,国民年金\n",
    );
    for (notice, names, birth, rest) in rows {
        out.push_str(&format!("{notice},{names},{birth},{rest}\n"));
    }
    out
}
