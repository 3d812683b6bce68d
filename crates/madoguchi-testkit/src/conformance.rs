//! The conformance suite every [`Store`] backend must pass. A backend's tests call [`run_all`] with a
//! factory that returns a fresh, empty store each time.

use chrono::{Duration, NaiveDate};
use madoguchi_core::ids::AtenaNo;
use madoguchi_core::registry::{JuminhyoCode, RegistryItems};
use madoguchi_core::relationship::parse_relation;
use madoguchi_core::resident::{
    Address, BirthDate, ForeignInfo, Name, Resident, ResidentKind, ResidentStatus, Sex,
    SupportMeasure,
};
use madoguchi_core::text::search_key;

use madoguchi_store::{
    AuditEvent, CaseEntry, CaseFilter, CaseSaved, CaseWrite, CounterRecord, GroupRecord,
    ImportApplied, ImportCounts, ImportDecision, ImportMeta, ImportMode, IncomingMove, LinkageFile,
    LinkageOutcome, NewUser, OutboundBatch, PermissionSet, QualificationChange,
    QualificationRecord, ResidentQuery, Store, StoreError, SupportMeasureRecord, TenantId,
    TerminalRecord, UpsertCounts,
};

mod account_admin;
mod arrivals;
mod audit_search;
mod card_serials;
mod case_period;
mod case_summary;
mod certificate_history;
mod certificates;
mod handover_arrivals;
mod handover_records;
mod notices;
mod portal;
mod pre_applications;
mod seals;
mod support;
mod tax;

use support::{at, audit_count, ev, t};

pub type Factory<'a> = &'a dyn Fn() -> Box<dyn Store>;

/// A named check of the suite.
type Check = (&'static str, fn(&dyn Store));

/// Runs every check, each on a fresh store. Panics with the check's name on failure.
pub fn run_all(factory: Factory<'_>) {
    let checks: &[Check] = &[
        ("tenants", tenants),
        (
            "audit_search_filters_and_pages",
            audit_search::audit_search_filters_and_pages,
        ),
        ("import_counts_and_ledger", import_counts_and_ledger),
        ("full_import_removes_absent", full_import_removes_absent),
        (
            "delta_import_upserts_and_removes",
            delta_import_upserts_and_removes,
        ),
        ("rollback_changes_nothing", rollback_changes_nothing),
        (
            "search_by_kana_prefix_and_partial",
            search_by_kana_prefix_and_partial,
        ),
        (
            "search_by_name_partial_and_variants",
            search_by_name_partial_and_variants,
        ),
        (
            "search_by_atena_birth_address",
            search_by_atena_birth_address,
        ),
        ("search_limit", search_limit),
        ("name_prefix_matches_first", name_prefix_matches_first),
        ("tenant_isolation", tenant_isolation),
        ("household_members", household_members),
        ("protected_households", protected_households),
        (
            "address_search_skips_protected_households",
            address_search_skips_protected_households,
        ),
        ("audit_chain", audit_chain),
        ("read_audits_join_the_chain", read_audits_join_the_chain),
        ("audit_state_for_anchors", audit_state_for_anchors),
        (
            "import_audited_in_its_transaction",
            import_audited_in_its_transaction,
        ),
        ("users_and_sessions", users_and_sessions),
        (
            "groups_counters_and_permissions",
            groups_counters_and_permissions,
        ),
        ("bulk_accounts_all_or_nothing", bulk_accounts_all_or_nothing),
        ("form_templates", form_templates),
        ("form_backgrounds", form_backgrounds),
        ("tenant_settings", tenant_settings),
        (
            "cases_exactly_once_with_history",
            cases_exactly_once_with_history,
        ),
        ("case_search", case_search),
        (
            "cases_and_history_by_period",
            case_period::cases_and_history_by_period,
        ),
        (
            "case_summary_follows_case_writes",
            case_summary::case_summary_follows_case_writes,
        ),
        (
            "restored_cases_are_counted_on_the_first_read",
            case_summary::restored_cases_are_counted_on_the_first_read,
        ),
        ("incoming_moves_and_towns", incoming_moves_and_towns),
        ("lockout_and_disable", lockout_and_disable),
        ("session_idle_and_validity", session_idle_and_validity),
        ("round_trip_all_fields", round_trip_all_fields),
        ("support_measure_feed", support_measure_feed),
        ("qualification_feed", qualification_feed),
        ("linkage_ledger", linkage_ledger),
        ("outbound_exactly_once", outbound_exactly_once),
        ("delta_adds_towns", delta_adds_towns),
        ("tenant_handover", tenant_handover),
        (
            "handover_reads_feeds_and_certificates",
            handover_records::handover_reads_feeds_and_certificates,
        ),
        (
            "certificates_restored_as_they_were",
            handover_records::certificates_restored_as_they_were,
        ),
        (
            "handover_reads_reservations_and_pre_applications",
            handover_arrivals::handover_reads_reservations_and_pre_applications,
        ),
        ("enrolled_terminals", enrolled_terminals),
        (
            "notices_round_trip_with_revisions",
            notices::notices_round_trip_with_revisions,
        ),
        (
            "notice_reads_per_user_and_tenant",
            notices::notice_reads_per_user_and_tenant,
        ),
        (
            "portal_applications_stored_once",
            portal::portal_applications_stored_once,
        ),
        (
            "portal_batch_is_all_or_nothing",
            portal::portal_batch_is_all_or_nothing,
        ),
        (
            "portal_status_and_its_report",
            portal::portal_status_and_its_report,
        ),
        (
            "certificates_numbered_once_per_write",
            certificates::certificates_numbered_once_per_write,
        ),
        (
            "certificate_build_failure_takes_no_number",
            certificates::certificate_build_failure_takes_no_number,
        ),
        (
            "certificate_numbers_under_concurrency",
            certificates::certificate_numbers_under_concurrency,
        ),
        (
            "certificate_revocation",
            certificates::certificate_revocation,
        ),
        (
            "certificate_history_by_period_number_and_order",
            certificate_history::certificate_history_by_period_number_and_order,
        ),
        (
            "certificate_history_shows_revocations",
            certificate_history::certificate_history_shows_revocations,
        ),
        (
            "account_edits_apply_on_the_revision_read",
            account_admin::edits_apply_on_the_revision_read,
        ),
        (
            "a_reset_password_is_changed_by_its_user",
            account_admin::a_reset_password_is_changed_by_its_user,
        ),
        (
            "seal_full_loads_replace_and_deltas_upsert_and_delete",
            seals::seal_full_loads_replace_and_deltas_upsert_and_delete,
        ),
        (
            "seal_registrations_are_tenant_scoped",
            seals::seal_registrations_are_tenant_scoped,
        ),
        (
            "seal_image_bytes_round_trip",
            seals::seal_image_bytes_round_trip,
        ),
        (
            "card_full_loads_replace_and_deltas_upsert_and_delete",
            card_serials::card_full_loads_replace_and_deltas_upsert_and_delete,
        ),
        (
            "arrivals_import_once_and_list_per_day",
            arrivals::arrivals_import_once_and_list_per_day,
        ),
        (
            "arrivals_are_tenant_scoped",
            arrivals::arrivals_are_tenant_scoped,
        ),
        (
            "pre_applications_are_sent_once_and_deleted_with_the_birth_date",
            pre_applications::pre_applications_are_sent_once_and_deleted_with_the_birth_date,
        ),
        (
            "expired_pre_applications_are_purged_and_tenant_scoped",
            pre_applications::expired_pre_applications_are_purged_and_tenant_scoped,
        ),
        (
            "card_serials_are_tenant_scoped",
            card_serials::card_serials_are_tenant_scoped,
        ),
        (
            "reception_numbers_per_tenant_and_day",
            card_serials::reception_numbers_per_tenant_and_day,
        ),
        (
            "tax_full_loads_replace_their_years_and_deltas_upsert_and_delete",
            tax::tax_full_loads_replace_their_years_and_deltas_upsert_and_delete,
        ),
        (
            "tax_records_are_tenant_scoped",
            tax::tax_records_are_tenant_scoped,
        ),
    ];
    run_checks(factory, checks);
}

fn run_checks(factory: Factory<'_>, checks: &[Check]) {
    for (name, check) in checks {
        let store = factory();
        let result =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(store.as_ref())));
        if let Err(e) = result {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            panic!("conformance check `{name}` failed: {msg}");
        }
    }
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

/// A Japanese resident fixture; `seq` makes the 宛名番号.
pub fn resident(
    seq: u64,
    household: u64,
    full: &str,
    kana: &str,
    birth: NaiveDate,
    relation: &str,
) -> Resident {
    let (surname, given) = full.split_once('\u{3000}').map_or((None, None), |(s, g)| {
        (Some(s.to_owned()), Some(g.to_owned()))
    });
    Resident {
        atena_no: AtenaNo::from_sequence(seq),
        household_no: AtenaNo::from_sequence(household),
        kind: ResidentKind::Japanese,
        status: ResidentStatus::Resident,
        name: Name {
            full: full.to_owned(),
            surname,
            given,
            kana: Some(kana.to_owned()),
            surname_kana: None,
            given_kana: None,
            former_surname: None,
            former_surname_kana: None,
            alias: None,
            alias_kana: None,
            foreign_romaji: None,
            foreign_kanji: None,
        },
        birth: BirthDate::Known(birth),
        sex: Sex::Male,
        relation: parse_relation(relation).expect("fixture relation"),
        address: Address {
            city_code: "102121".into(),
            town_code: Some("0001001".into()),
            prefecture: "群馬県".into(),
            city: "さくら野市".into(),
            town: "本町".into(),
            banchi: Some(format!("{}番地", household)),
            katagaki: None,
            postal_code: Some("3760001".into()),
        },
        became_resident_on: Some(d(2000, 4, 1)),
        address_fixed_on: Some(d(2000, 4, 1)),
        foreign: None,
        support_measure: SupportMeasure::None,
        registry: Default::default(),
    }
}

fn meta(mode: ImportMode, sha: &str) -> ImportMeta {
    ImportMeta {
        audit: None,
        mode,
        sha256: sha.to_owned(),
        source_name: "test.csv".into(),
        started_at: at(0),
    }
}

fn import(
    store: &dyn Store,
    tenant: &TenantId,
    mode: ImportMode,
    sha: &str,
    rows: &[Resident],
) -> ImportApplied {
    store
        .import_residents(tenant, &meta(mode, sha), &mut |sink| {
            for r in rows {
                sink.put(r)?;
            }
            Ok(ImportDecision::Commit)
        })
        .expect("import")
}

fn committed(a: ImportApplied) -> ImportCounts {
    match a {
        ImportApplied::Committed(c) => c,
        other => panic!("expected a commit, got {other:?}"),
    }
}

fn family() -> Vec<Resident> {
    let mut wife = resident(
        2,
        100,
        "髙橋\u{3000}花子",
        "タカハシ\u{3000}ハナコ",
        d(1978, 3, 3),
        "妻",
    );
    wife.sex = Sex::Female;
    wife.name.former_surname = Some("佐藤".into());
    vec![
        resident(
            3,
            100,
            "髙橋\u{3000}一郎",
            "タカハシ\u{3000}イチロウ",
            d(2010, 7, 7),
            "子",
        ),
        wife,
        resident(
            1,
            100,
            "髙橋\u{3000}太郎",
            "タカハシ\u{3000}タロウ",
            d(1975, 1, 1),
            "世帯主",
        ),
        resident(
            4,
            200,
            "𠮷田\u{3000}健",
            "ヨシダ\u{3000}ケン",
            d(1950, 12, 31),
            "世帯主",
        ),
        resident(
            5,
            300,
            "渡邉\u{3000}さくら",
            "ワタナベ\u{3000}サクラ",
            d(1990, 5, 5),
            "世帯主",
        ),
    ]
}

fn seeded(store: &dyn Store) -> TenantId {
    let tenant = t("city-a");
    store.ensure_tenant(&tenant, "さくら野市").expect("tenant");
    committed(import(store, &tenant, ImportMode::Full, "seed", &family()));
    tenant
}

fn names(rs: &[Resident]) -> Vec<String> {
    let mut v: Vec<String> = rs.iter().map(|r| r.name.full.clone()).collect();
    v.sort();
    v
}

fn query() -> ResidentQuery {
    ResidentQuery {
        limit: 50,
        ..Default::default()
    }
}

fn tenants(s: &dyn Store) {
    let a = t("a");
    assert!(s.ensure_tenant(&a, "A市").expect("create"));
    assert!(!s.ensure_tenant(&a, "A市").expect("again"));
    assert_eq!(s.tenant_name(&a).expect("name").as_deref(), Some("A市"));
    assert_eq!(s.tenant_name(&t("missing")).expect("name"), None);
}

fn import_counts_and_ledger(s: &dyn Store) {
    let tenant = t("a");
    s.ensure_tenant(&tenant, "A市").expect("tenant");
    let rows = family();
    let c = committed(import(s, &tenant, ImportMode::Full, "h1", &rows));
    assert_eq!(
        c,
        ImportCounts {
            inserted: 5,
            ..Default::default()
        }
    );
    assert_eq!(s.count_residents(&tenant).expect("count"), 5);
    // The same file again: not applied.
    match import(s, &tenant, ImportMode::Full, "h1", &rows) {
        ImportApplied::AlreadyApplied { .. } => {}
        other => panic!("expected AlreadyApplied, got {other:?}"),
    }
    // Same content in another file: nothing changes.
    let c = committed(import(s, &tenant, ImportMode::Full, "h2", &rows));
    assert_eq!(
        c,
        ImportCounts {
            unchanged: 5,
            ..Default::default()
        }
    );
    // One changed row.
    let mut changed = rows.clone();
    changed[0].address.katagaki = Some("さくら野ハイツ101号".into());
    let c = committed(import(s, &tenant, ImportMode::Full, "h3", &changed));
    assert_eq!(
        c,
        ImportCounts {
            updated: 1,
            unchanged: 4,
            ..Default::default()
        }
    );
    let got = s
        .get_resident(&tenant, &changed[0].atena_no)
        .expect("get")
        .expect("exists");
    assert_eq!(got.address.katagaki.as_deref(), Some("さくら野ハイツ101号"));
}

fn full_import_removes_absent(s: &dyn Store) {
    let tenant = seeded(s);
    let mut rows = family();
    let gone = rows.pop().expect("row");
    let c = committed(import(s, &tenant, ImportMode::Full, "less", &rows));
    assert_eq!(
        c,
        ImportCounts {
            unchanged: 4,
            removed: 1,
            ..Default::default()
        }
    );
    assert!(
        s.get_resident(&tenant, &gone.atena_no)
            .expect("get")
            .is_none()
    );
    let mut q = query();
    q.kana = Some(search_key("ワタナベ"));
    assert!(
        s.search_residents(&tenant, &q).expect("search").is_empty(),
        "removed resident left in the index"
    );
}

fn delta_import_upserts_and_removes(s: &dyn Store) {
    let tenant = seeded(s);
    let newcomer = resident(
        9,
        900,
        "田中\u{3000}一",
        "タナカ\u{3000}ハジメ",
        d(2001, 2, 3),
        "世帯主",
    );
    let rows = family();
    let applied = s
        .import_residents(&tenant, &meta(ImportMode::Delta, "d1"), &mut |sink| {
            sink.put(&newcomer)?;
            assert!(sink.remove(&rows[4].atena_no)?);
            assert!(!sink.remove(&AtenaNo::from_sequence(777))?);
            Ok(ImportDecision::Commit)
        })
        .expect("delta");
    assert_eq!(
        committed(applied),
        ImportCounts {
            inserted: 1,
            removed: 1,
            ..Default::default()
        }
    );
    assert_eq!(s.count_residents(&tenant).expect("count"), 5);
    assert!(
        s.get_resident(&tenant, &newcomer.atena_no)
            .expect("get")
            .is_some()
    );
    assert!(
        s.get_resident(&tenant, &rows[0].atena_no)
            .expect("get")
            .is_some(),
        "delta keeps the others"
    );
}

fn rollback_changes_nothing(s: &dyn Store) {
    let tenant = seeded(s);
    let applied = s
        .import_residents(&tenant, &meta(ImportMode::Full, "bad"), &mut |sink| {
            sink.put(&resident(
                50,
                50,
                "新規\u{3000}人",
                "シンキ\u{3000}ヒト",
                d(2000, 1, 1),
                "世帯主",
            ))?;
            Ok(ImportDecision::Rollback)
        })
        .expect("import");
    assert_eq!(applied, ImportApplied::RolledBack);
    assert_eq!(s.count_residents(&tenant).expect("count"), 5);
    let mut q = query();
    q.kana = Some(search_key("シンキ"));
    assert!(s.search_residents(&tenant, &q).expect("search").is_empty());
    // A rolled-back file is not in the ledger: it can be imported later.
    let c = committed(import(s, &tenant, ImportMode::Delta, "bad", &[]));
    assert_eq!(c, ImportCounts::default());
}

fn search_by_kana_prefix_and_partial(s: &dyn Store) {
    let tenant = seeded(s);
    let mut q = query();
    q.kana = Some(search_key("たかはし"));
    let got = s.search_residents(&tenant, &q).expect("search");
    assert_eq!(got.len(), 3);
    // Prefix results come in reading order.
    let order: Vec<&str> = got
        .iter()
        .map(|r| r.name.kana.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(
        order,
        [
            "タカハシ\u{3000}イチロウ",
            "タカハシ\u{3000}タロウ",
            "タカハシ\u{3000}ハナコ"
        ]
    );
    // Partial: the given name's reading.
    q.kana = Some(search_key("ﾀﾛｳ"));
    assert_eq!(
        names(&s.search_residents(&tenant, &q).expect("search")),
        ["髙橋\u{3000}太郎"]
    );
    q.kana = Some(search_key("ヌヌヌ"));
    assert!(s.search_residents(&tenant, &q).expect("search").is_empty());
}

fn search_by_name_partial_and_variants(s: &dyn Store) {
    let tenant = seeded(s);
    let mut q = query();
    q.name = Some(search_key("高橋"));
    assert_eq!(
        s.search_residents(&tenant, &q).expect("search").len(),
        3,
        "高橋 finds 髙橋"
    );
    q.name = Some(search_key("吉田"));
    assert_eq!(
        names(&s.search_residents(&tenant, &q).expect("search")),
        ["𠮷田\u{3000}健"]
    );
    q.name = Some(search_key("𠮷"));
    assert_eq!(s.search_residents(&tenant, &q).expect("search").len(), 1);
    q.name = Some(search_key("渡辺さくら"));
    assert_eq!(
        names(&s.search_residents(&tenant, &q).expect("search")),
        ["渡邉\u{3000}さくら"]
    );
    q.name = Some(search_key("郎"));
    assert_eq!(
        s.search_residents(&tenant, &q).expect("search").len(),
        2,
        "single-character partial"
    );
    q.name = Some(search_key("佐藤"));
    assert_eq!(
        names(&s.search_residents(&tenant, &q).expect("search")),
        ["髙橋\u{3000}花子"],
        "旧氏"
    );
    q.name = Some(search_key("橋太郎渡"));
    assert!(s.search_residents(&tenant, &q).expect("search").is_empty());
    q.name = Some("'; DROP TABLE residents; --\"*".into());
    assert!(
        s.search_residents(&tenant, &q)
            .expect("metacharacters are data")
            .is_empty()
    );
    assert_eq!(s.count_residents(&tenant).expect("count"), 5);
}

fn search_by_atena_birth_address(s: &dyn Store) {
    let tenant = seeded(s);
    let mut q = query();
    q.atena_no = Some(AtenaNo::from_sequence(4));
    assert_eq!(
        names(&s.search_residents(&tenant, &q).expect("search")),
        ["𠮷田\u{3000}健"]
    );
    let mut q = query();
    q.birth = Some(d(1975, 1, 1));
    assert_eq!(
        names(&s.search_residents(&tenant, &q).expect("search")),
        ["髙橋\u{3000}太郎"]
    );
    q.kana = Some(search_key("タカハシ"));
    assert_eq!(
        s.search_residents(&tenant, &q).expect("search").len(),
        1,
        "kana AND birth"
    );
    let mut q = query();
    q.address = Some(search_key("本町200番地"));
    assert_eq!(
        names(&s.search_residents(&tenant, &q).expect("search")),
        ["𠮷田\u{3000}健"]
    );
    q.name = Some(search_key("健"));
    assert_eq!(
        s.search_residents(&tenant, &q).expect("search").len(),
        1,
        "name AND address"
    );
    q.name = Some(search_key("花子"));
    assert!(s.search_residents(&tenant, &q).expect("search").is_empty());
}

fn search_limit(s: &dyn Store) {
    let tenant = seeded(s);
    let mut q = query();
    q.kana = Some(search_key("タ"));
    q.limit = 2;
    assert_eq!(s.search_residents(&tenant, &q).expect("search").len(), 2);
    q.name = Some(search_key("髙"));
    q.kana = None;
    assert_eq!(s.search_residents(&tenant, &q).expect("search").len(), 2);
}

fn name_prefix_matches_first(s: &dyn Store) {
    let tenant = t("a");
    s.ensure_tenant(&tenant, "A市").expect("tenant");
    let rows = [
        resident(
            1,
            1,
            "田中\u{3000}一",
            "タナカ\u{3000}ハジメ",
            d(1980, 1, 1),
            "世帯主",
        ),
        resident(
            2,
            2,
            "山中\u{3000}二郎",
            "ヤマナカ\u{3000}ジロウ",
            d(1980, 1, 1),
            "世帯主",
        ),
        resident(
            3,
            3,
            "中田\u{3000}三郎",
            "ナカタ\u{3000}サブロウ",
            d(1980, 1, 1),
            "世帯主",
        ),
        resident(
            4,
            4,
            "中川\u{3000}四郎",
            "ナカガワ\u{3000}シロウ",
            d(1980, 1, 1),
            "世帯主",
        ),
    ];
    committed(import(s, &tenant, ImportMode::Full, "x", &rows));
    let mut q = query();
    q.name = Some(search_key("中"));
    let got: Vec<String> = s
        .search_residents(&tenant, &q)
        .expect("search")
        .into_iter()
        .map(|r| r.name.full)
        .collect();
    assert_eq!(
        got,
        [
            "中川\u{3000}四郎",
            "中田\u{3000}三郎",
            "田中\u{3000}一",
            "山中\u{3000}二郎"
        ],
        "prefix first, then by reading"
    );
    q.limit = 1;
    let got = s.search_residents(&tenant, &q).expect("search");
    assert_eq!(got[0].name.full, "中川\u{3000}四郎");
}

fn tenant_isolation(s: &dyn Store) {
    let a = seeded(s);
    let b = t("city-b");
    s.ensure_tenant(&b, "B町").expect("tenant");
    assert_eq!(s.count_residents(&b).expect("count"), 0);
    let queries = [
        ResidentQuery {
            kana: Some(search_key("タカハシ")),
            limit: 10,
            ..Default::default()
        },
        ResidentQuery {
            name: Some(search_key("髙橋")),
            limit: 10,
            ..Default::default()
        },
        ResidentQuery {
            atena_no: Some(AtenaNo::from_sequence(1)),
            limit: 10,
            ..Default::default()
        },
        ResidentQuery {
            birth: Some(d(1975, 1, 1)),
            limit: 10,
            ..Default::default()
        },
        ResidentQuery {
            address: Some(search_key("本町")),
            limit: 10,
            ..Default::default()
        },
    ];
    for q in &queries {
        assert!(
            s.search_residents(&b, q).expect("search").is_empty(),
            "{q:?} leaked across tenants"
        );
        assert!(
            !s.search_residents(&a, q).expect("search").is_empty(),
            "{q:?} finds in own tenant"
        );
    }
    assert!(
        s.get_resident(&b, &AtenaNo::from_sequence(1))
            .expect("get")
            .is_none()
    );
    assert!(
        s.household_members(&b, &AtenaNo::from_sequence(100))
            .expect("household")
            .is_empty()
    );
    // The same 宛名番号 may exist in two tenants independently.
    committed(import(s, &b, ImportMode::Full, "seed", &family()[..1]));
    assert_eq!(s.count_residents(&b).expect("count"), 1);
    assert_eq!(s.count_residents(&a).expect("count"), 5);
    // A full import in B does not remove A's residents.
    committed(import(s, &b, ImportMode::Full, "empty", &[]));
    assert_eq!(s.count_residents(&a).expect("count"), 5);
}

fn household_members(s: &dyn Store) {
    let tenant = seeded(s);
    let members = s
        .household_members(&tenant, &AtenaNo::from_sequence(100))
        .expect("household");
    assert_eq!(
        names(&members),
        ["髙橋\u{3000}一郎", "髙橋\u{3000}太郎", "髙橋\u{3000}花子"]
    );
}

fn protected_households(s: &dyn Store) {
    let tenant = t("a");
    s.ensure_tenant(&tenant, "A市").expect("tenant");
    let mut rows = family();
    rows[0].support_measure = SupportMeasure::Active; // a child of household 100
    rows[4].support_measure = SupportMeasure::Provisional; // 仮支援措置 protects as well
    committed(import(s, &tenant, ImportMode::Full, "x", &rows));
    let asked = [
        AtenaNo::from_sequence(100),
        AtenaNo::from_sequence(200),
        AtenaNo::from_sequence(300),
        AtenaNo::from_sequence(999),
    ];
    let got = s.protected_households(&tenant, &asked).expect("protected");
    assert_eq!(
        got,
        [AtenaNo::from_sequence(100), AtenaNo::from_sequence(300)]
            .into_iter()
            .collect()
    );
    let other = t("b");
    s.ensure_tenant(&other, "B町").expect("tenant");
    assert!(
        s.protected_households(&other, &asked)
            .expect("protected")
            .is_empty(),
        "tenant-scoped"
    );
    assert!(
        s.protected_households(&tenant, &[])
            .expect("protected")
            .is_empty()
    );
}

/// 支援措置 (Security II point 1): the address predicate never matches a household with a protected
/// member — by the resident flag, 仮支援措置 or the 支援措置 feed — unless the session may override, so
/// that the number of matches tells nothing about a protected address. Every search path (宛名番号,
/// birth, kana, name, address alone) is held to it.
fn address_search_skips_protected_households(s: &dyn Store) {
    let tenant = t("a");
    s.ensure_tenant(&tenant, "A市").expect("tenant");
    let mut rows = family();
    rows[0].support_measure = SupportMeasure::Provisional; // the child of household 100
    committed(import(s, &tenant, ImportMode::Full, "x", &rows));
    // 𠮷田 (household 200) is protected by the core systems' feed only.
    committed(
        s.import_support_measures(
            &tenant,
            &meta(ImportMode::Full, "sm"),
            &[support(4, SupportMeasure::Active)],
        )
        .expect("feed"),
    );
    let search = |q: ResidentQuery| names(&s.search_residents(&tenant, &q).expect("search"));
    for (right, protected) in [
        ("本町100番地", true),
        ("本町200番地", true),
        ("本町300番地", false),
    ] {
        let with = |f: &dyn Fn(&mut ResidentQuery)| {
            let mut q = query();
            q.address = Some(search_key(right));
            f(&mut q);
            q
        };
        let probes: [(&str, ResidentQuery); 5] = [
            ("address alone", with(&|_| {})),
            (
                "宛名番号",
                with(&|q| {
                    q.atena_no = Some(AtenaNo::from_sequence(if right.contains("100") {
                        1
                    } else if right.contains("200") {
                        4
                    } else {
                        5
                    }))
                }),
            ),
            (
                "birth",
                with(&|q| {
                    q.birth = Some(if right.contains("100") {
                        d(1975, 1, 1)
                    } else if right.contains("200") {
                        d(1950, 12, 31)
                    } else {
                        d(1990, 5, 5)
                    })
                }),
            ),
            (
                "kana",
                with(&|q| {
                    q.kana = Some(search_key(if right.contains("100") {
                        "タカハシ"
                    } else if right.contains("200") {
                        "ヨシダ"
                    } else {
                        "ワタナベ"
                    }))
                }),
            ),
            (
                "name",
                with(&|q| {
                    q.name = Some(search_key(if right.contains("100") {
                        "髙橋"
                    } else if right.contains("200") {
                        "𠮷田"
                    } else {
                        "渡邉"
                    }))
                }),
            ),
        ];
        for (what, q) in probes {
            let found = search(q.clone());
            assert_eq!(found.is_empty(), protected, "{right} by {what}: {found:?}");
            let overridden = search(ResidentQuery {
                address_matches_protected: true,
                ..q
            });
            assert!(
                !overridden.is_empty(),
                "{right} by {what} with the override"
            );
        }
    }
    // Without an address the protected are found as before (their address is masked above the store).
    let mut q = query();
    q.kana = Some(search_key("タカハシ"));
    assert_eq!(search(q).len(), 3);
}

/// An audit event for the conformance checks.
pub fn audit_event(
    tenant: &str,
    secs: i64,
    action: &str,
    subject: Option<&str>,
) -> madoguchi_store::AuditEvent {
    madoguchi_store::AuditEvent {
        tenant: t(tenant),
        at: at(secs),
        user: Some("staff1".into()),
        counter: Some("市民課1番".into()),
        terminal: None,
        action: action.into(),
        subject: subject.map(str::to_owned),
        result: "ok".into(),
        reason: None,
    }
}

fn read_audits_join_the_chain(s: &dyn Store) {
    let a = t("a");
    s.ensure_tenant(&a, "A市").expect("tenant");
    s.append_audit(&audit_event("a", 0, "login", None))
        .expect("append");
    s.append_read_audit(&audit_event(
        "a",
        1,
        "resident.search",
        Some("000000000000019"),
    ))
    .expect("read audit");

    let id = s
        .append_audit(&audit_event("a", 2, "logout", None))
        .expect("append");
    assert_eq!(id, 3, "the read joined the chain before the later record");
    let actions: Vec<String> = s
        .audit_records(&a, at(0), at(10))
        .expect("records")
        .into_iter()
        .map(|r| r.event.action)
        .collect();
    assert_eq!(actions, ["login", "resident.search", "logout"]);
    assert_eq!(
        s.verify_audit().expect("verify"),
        madoguchi_store::AuditCheck::Intact { records: 3 }
    );
}

/// What the audit anchor signs and checks: the base, the last record (pending reads included) and the
/// hashes of the records asked for; a purge moves the base and drops the purged hashes.
fn audit_state_for_anchors(s: &dyn Store) {
    let empty = s.audit_state(&[1]).expect("state");
    assert_eq!(
        (empty.base, empty.head, empty.hashes.len()),
        ((0, madoguchi_store::audit::GENESIS), None, 0)
    );
    s.ensure_tenant(&t("a"), "A市").expect("tenant");
    s.append_audit(&audit_event("a", 0, "login", None))
        .expect("append");
    s.append_read_audit(&audit_event("a", 1, "resident.search", None))
        .expect("read");
    let state = s.audit_state(&[1, 2, 3]).expect("state");
    let records = s.audit_records(&t("a"), at(0), at(10)).expect("records");
    assert_eq!(records.len(), 2);
    assert_eq!(
        state.head,
        Some((2, records[1].hash, at(1))),
        "the pending read is the head"
    );
    assert_eq!(
        state.hashes,
        [(1, records[0].hash), (2, records[1].hash)]
            .into_iter()
            .collect()
    );
    s.purge_audit_before(at(1)).expect("purge");
    let state = s.audit_state(&[1, 2]).expect("state");
    assert_eq!(state.base, (1, records[0].hash));
    assert_eq!(state.hashes.keys().copied().collect::<Vec<_>>(), [2]);
}

fn audit_chain(s: &dyn Store) {
    assert_eq!(
        s.verify_audit().expect("verify"),
        madoguchi_store::AuditCheck::Intact { records: 0 }
    );
    let events = [
        audit_event("a", 0, "login", None),
        audit_event("b", 1, "login", None),
        audit_event("a", 2, "resident.read", Some("000000000000019")),
        audit_event("a", 3, "logout", None),
    ];
    let ids: Vec<i64> = events
        .iter()
        .map(|e| s.append_audit(e).expect("append"))
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ids increase");
    assert_eq!(
        s.verify_audit().expect("verify"),
        madoguchi_store::AuditCheck::Intact { records: 4 }
    );
    let a: Vec<madoguchi_store::AuditEvent> = s
        .audit_records(&t("a"), at(0), at(3))
        .expect("records")
        .into_iter()
        .map(|r| r.event)
        .collect();
    assert_eq!(
        a,
        [events[0].clone(), events[2].clone()],
        "tenant-scoped, end exclusive, exact round trip"
    );
    assert_eq!(
        s.audit_records(&t("b"), at(0), at(10))
            .expect("records")
            .len(),
        1
    );
    // Retention: purging the oldest keeps what remains verifiable.
    assert_eq!(s.purge_audit_before(at(2)).expect("purge"), 2);
    assert_eq!(
        s.verify_audit().expect("verify"),
        madoguchi_store::AuditCheck::Intact { records: 2 }
    );
    assert_eq!(
        s.purge_audit_before(at(2)).expect("purge"),
        0,
        "nothing older left"
    );
    s.append_audit(&audit_event("a", 4, "login", None))
        .expect("append after purge");
    assert_eq!(
        s.verify_audit().expect("verify"),
        madoguchi_store::AuditCheck::Intact { records: 3 }
    );
    assert_eq!(s.purge_audit_before(at(100)).expect("purge"), 3);
    assert_eq!(
        s.verify_audit().expect("verify"),
        madoguchi_store::AuditCheck::Intact { records: 0 }
    );
}

fn import_audited_in_its_transaction(s: &dyn Store) {
    let tenant = t("a");
    s.ensure_tenant(&tenant, "A市").expect("tenant");
    let mut m = meta(ImportMode::Delta, "f1");
    m.audit = Some(audit_event("a", 5, "resident.import", Some("f1")));
    let body = |decision: ImportDecision| {
        move |sink: &mut dyn madoguchi_store::ResidentSink| {
            sink.put(&resident(
                1,
                1,
                "田中\u{3000}一",
                "タナカ\u{3000}ハジメ",
                d(1980, 1, 1),
                "世帯主",
            ))?;
            Ok(decision)
        }
    };
    assert_eq!(
        s.import_residents(&tenant, &m, &mut body(ImportDecision::Rollback))
            .expect("import"),
        ImportApplied::RolledBack
    );
    assert!(
        s.audit_records(&tenant, at(0), at(10))
            .expect("records")
            .is_empty(),
        "nothing written, nothing audited here"
    );
    committed(
        s.import_residents(&tenant, &m, &mut body(ImportDecision::Commit))
            .expect("import"),
    );
    let records = s.audit_records(&tenant, at(0), at(10)).expect("records");
    assert_eq!(records.len(), 1);
    assert_eq!(
        (
            records[0].event.action.as_str(),
            records[0].event.result.as_str()
        ),
        ("resident.import", "applied")
    );
    assert_eq!(
        s.verify_audit().expect("verify"),
        madoguchi_store::AuditCheck::Intact { records: 1 }
    );
}

fn new_user(login: &str, name: &str, hash: Option<&str>, groups: &[&str]) -> NewUser {
    NewUser {
        login: login.into(),
        display_name: name.into(),
        password_hash: hash.map(str::to_owned),
        groups: groups.iter().map(|g| (*g).to_owned()).collect(),
        valid_until: None,
        must_change_password: false,
    }
}

fn add_user(s: &dyn Store, tenant: &TenantId, login: &str) -> i64 {
    s.create_user(
        tenant,
        &new_user(login, "窓口 一郎", Some("hash"), &[]),
        &ev(tenant, "user.create"),
    )
    .expect("user")
}

fn users_and_sessions(s: &dyn Store) {
    let tenant = t("a");
    s.ensure_tenant(&tenant, "A市").expect("tenant");
    let id = s
        .create_user(
            &tenant,
            &new_user("staff1", "窓口 一郎", Some("$argon2id$fake"), &[]),
            &ev(&tenant, "user.create"),
        )
        .expect("user");
    match s.create_user(
        &tenant,
        &new_user("staff1", "x", Some("y"), &[]),
        &ev(&tenant, "user.create"),
    ) {
        Err(StoreError::Conflict(_)) => {}
        other => panic!("expected conflict, got {other:?}"),
    }
    match s.create_user(
        &tenant,
        &new_user("staff9", "x", None, &[]),
        &ev(&tenant, "user.create"),
    ) {
        Err(StoreError::Conflict(_)) => {}
        other => panic!("a new account needs a password, got {other:?}"),
    }
    assert_eq!(
        audit_count(s, &tenant),
        1,
        "failed creations leave no audit record"
    );
    let u = s
        .find_user(&tenant, "staff1")
        .expect("find")
        .expect("exists");
    assert_eq!(
        (u.id, u.display_name.as_str(), u.password_hash.as_str()),
        (id, "窓口 一郎", "$argon2id$fake")
    );
    assert!(s.find_user(&t("other"), "staff1").expect("find").is_none());
    let token = [7u8; 32];
    s.create_session(
        &token,
        id,
        "市民課1番",
        None,
        at(0),
        at(3600),
        &ev(&tenant, "login"),
    )
    .expect("session");
    let sess = s.find_session(&token, at(10)).expect("find").expect("live");
    assert_eq!(
        (sess.user_id, sess.counter.as_str(), sess.tenant.clone()),
        (id, "市民課1番", tenant.clone())
    );
    assert!(
        sess.permissions().is_empty(),
        "no groups, no counter: no permissions"
    );
    assert!(
        s.find_session(&token, at(3600) + Duration::seconds(1))
            .expect("find")
            .is_none(),
        "expired"
    );
    assert!(s.find_session(&[8u8; 32], at(10)).expect("find").is_none());
    s.delete_session(&token, &ev(&tenant, "logout"))
        .expect("delete");
    assert!(s.find_session(&token, at(10)).expect("find").is_none());
    let actions: Vec<String> = s
        .audit_records(&tenant, at(-1), at(100))
        .expect("records")
        .into_iter()
        .map(|r| r.event.action)
        .collect();
    assert_eq!(actions, ["user.create", "login", "logout"]);

    // A new password ends the account's sessions.
    s.create_session(
        &token,
        id,
        "市民課1番",
        None,
        at(0),
        at(3600),
        &ev(&tenant, "login"),
    )
    .expect("session");
    assert!(
        s.set_password(&tenant, "staff1", "new-hash", &ev(&tenant, "password"))
            .expect("set")
    );
    assert!(s.find_session(&token, at(10)).expect("find").is_none());
    assert_eq!(
        s.find_user(&tenant, "staff1")
            .expect("find")
            .expect("user")
            .password_hash,
        "new-hash"
    );
    assert!(
        !s.set_password(&t("other"), "staff1", "x", &ev(&t("other"), "password"))
            .expect("set")
    );
}

fn groups_counters_and_permissions(s: &dyn Store) {
    let tenant = t("a");
    let other = t("b");
    for x in [&tenant, &other] {
        s.ensure_tenant(x, "市").expect("tenant");
    }
    let p = |l: &str| PermissionSet::parse(l).expect("permissions");
    let clerk = GroupRecord {
        code: "clerk".into(),
        name: "市民課".into(),
        permissions: p("search,accept_notification,print_forms"),
    };
    let audit = GroupRecord {
        code: "audit".into(),
        name: "監査".into(),
        permissions: p("view_audit"),
    };
    for g in [&clerk, &audit] {
        s.put_group(&tenant, g, &ev(&tenant, "group.put"))
            .expect("group");
    }
    // The same code in another tenant is another group.
    s.put_group(
        &other,
        &GroupRecord {
            permissions: PermissionSet::all(),
            ..clerk.clone()
        },
        &ev(&other, "group.put"),
    )
    .expect("group");
    let counter = CounterRecord {
        code: "shimin-1".into(),
        name: "市民課1番".into(),
        permissions: p("search,print_forms,view_audit"),
        browser_allowed: false,
    };
    s.put_counter(&tenant, &counter, &ev(&tenant, "counter.put"))
        .expect("counter");
    assert_eq!(
        s.list_groups(&tenant).expect("groups"),
        [audit.clone(), clerk.clone()]
    );
    assert_eq!(
        s.list_counters(&tenant).expect("counters"),
        std::slice::from_ref(&counter)
    );
    assert_eq!(
        s.find_counter(&tenant, "shimin-1").expect("find"),
        Some(counter.clone())
    );
    assert_eq!(
        s.find_counter(&other, "shimin-1").expect("find"),
        None,
        "tenant-scoped"
    );
    // Replacing a group by code.
    let clerk = GroupRecord {
        name: "市民課窓口".into(),
        ..clerk
    };
    s.put_group(&tenant, &clerk, &ev(&tenant, "group.put"))
        .expect("group");
    assert_eq!(
        s.list_groups(&tenant).expect("groups")[1].name,
        "市民課窓口"
    );

    let id = s
        .create_user(
            &tenant,
            &new_user("staff1", "窓口 一郎", Some("h"), &["clerk"]),
            &ev(&tenant, "user.create"),
        )
        .expect("user");
    match s.create_user(
        &tenant,
        &new_user("staff2", "x", Some("h"), &["nosuch"]),
        &ev(&tenant, "user.create"),
    ) {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("unknown group, got {other:?}"),
    }
    assert!(
        s.find_user(&tenant, "staff2").expect("find").is_none(),
        "nothing half-written"
    );
    let token = [5u8; 32];
    s.create_session(
        &token,
        id,
        "shimin-1",
        None,
        at(0),
        at(3600),
        &ev(&tenant, "login"),
    )
    .expect("session");
    let sess = s.find_session(&token, at(1)).expect("find").expect("live");
    assert_eq!(
        sess.group_permissions,
        p("search,accept_notification,print_forms")
    );
    assert_eq!(sess.counter_permissions, p("search,print_forms,view_audit"));
    assert_eq!(sess.permissions(), p("search,print_forms"), "intersection");
    // Group changes apply to live sessions at once.
    assert!(
        s.set_user_groups(
            &tenant,
            "staff1",
            &["clerk".into(), "audit".into()],
            &ev(&tenant, "user.groups")
        )
        .expect("groups")
    );
    let sess = s.find_session(&token, at(2)).expect("find").expect("live");
    assert_eq!(sess.permissions(), p("search,print_forms,view_audit"));
    assert_eq!(
        s.find_user(&tenant, "staff1")
            .expect("find")
            .expect("user")
            .groups,
        ["audit", "clerk"]
    );
    // Another tenant's group of the same code is never joined.
    match s.set_user_groups(
        &tenant,
        "staff1",
        &["nosuch".into()],
        &ev(&tenant, "user.groups"),
    ) {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("unknown group, got {other:?}"),
    }
    assert!(
        !s.set_user_groups(
            &other,
            "staff1",
            &["clerk".into()],
            &ev(&other, "user.groups")
        )
        .expect("groups")
    );
    // A counter that is not registered grants nothing.
    s.create_session(
        &[6u8; 32],
        id,
        "unknown",
        None,
        at(0),
        at(3600),
        &ev(&tenant, "login"),
    )
    .expect("session");
    assert!(
        s.find_session(&[6u8; 32], at(1))
            .expect("find")
            .expect("live")
            .permissions()
            .is_empty()
    );
}

fn bulk_accounts_all_or_nothing(s: &dyn Store) {
    let tenant = t("a");
    s.ensure_tenant(&tenant, "A市").expect("tenant");
    s.put_group(
        &tenant,
        &GroupRecord {
            code: "clerk".into(),
            name: "市民課".into(),
            permissions: PermissionSet::parse("search").expect("p"),
        },
        &ev(&tenant, "group.put"),
    )
    .expect("group");
    add_user(s, &tenant, "old");
    let before = audit_count(s, &tenant);
    let mut users = vec![
        new_user("old", "窓口 改名", None, &["clerk"]),
        new_user("new1", "新人 一郎", Some("h1"), &["clerk"]),
        new_user("new2", "新人 二郎", Some("h2"), &["nosuch"]),
    ];
    let events: Vec<AuditEvent> = users.iter().map(|_| ev(&tenant, "user.import")).collect();
    assert!(s.upsert_users(&tenant, &users, &events).is_err());
    assert!(
        s.find_user(&tenant, "new1").expect("find").is_none(),
        "rolled back"
    );
    assert_eq!(
        s.find_user(&tenant, "old")
            .expect("find")
            .expect("user")
            .display_name,
        "窓口 一郎"
    );
    assert_eq!(
        audit_count(s, &tenant),
        before,
        "no audit records for a rolled-back import"
    );
    users[2].groups = vec!["clerk".into()];
    users[2].valid_until = Some(d(2027, 3, 31));
    let counts = s.upsert_users(&tenant, &users, &events).expect("import");
    assert_eq!(
        counts,
        UpsertCounts {
            created: 2,
            updated: 1
        }
    );
    let old = s.find_user(&tenant, "old").expect("find").expect("user");
    assert_eq!(
        (
            old.display_name.as_str(),
            old.password_hash.as_str(),
            old.groups.clone()
        ),
        ("窓口 改名", "hash", vec!["clerk".to_owned()])
    );
    assert_eq!(
        s.find_user(&tenant, "new2")
            .expect("find")
            .expect("user")
            .valid_until,
        Some(d(2027, 3, 31))
    );
    assert_eq!(audit_count(s, &tenant), before + 3);
    assert!(
        s.upsert_users(&tenant, &users, &events[..1]).is_err(),
        "one event per account"
    );
}

fn form_templates(s: &dyn Store) {
    let (a, b) = (t("a"), t("b"));
    for x in [&a, &b] {
        s.ensure_tenant(x, "市").expect("tenant");
    }
    s.add_form_template(&a, "ido", "1", "source one", &ev(&a, "form_template.add"))
        .expect("add");
    s.add_form_template(&a, "ido", "2", "source two", &ev(&a, "form_template.add"))
        .expect("add");
    match s.add_form_template(&a, "ido", "1", "changed", &ev(&a, "form_template.add")) {
        Err(StoreError::Conflict(_)) => {}
        other => panic!("versions are immutable, got {other:?}"),
    }
    assert_eq!(
        s.form_templates(&a).expect("list"),
        ["source one", "source two"]
    );
    assert!(
        s.form_templates(&b).expect("list").is_empty(),
        "tenant-scoped"
    );
    assert_eq!(audit_count(s, &a), 2, "the refused one left no record");
}

fn form_backgrounds(s: &dyn Store) {
    let (a, b) = (t("a"), t("b"));
    for x in [&a, &b] {
        s.ensure_tenant(x, "市").expect("tenant");
    }
    let pdf = b"%PDF-1.7 not really".to_vec();
    s.add_form_background(&a, "official.pdf", &pdf, 2, &ev(&a, "form_background.add"))
        .expect("add");
    s.add_form_background(&a, "ura.pdf", b"%PDF", 1, &ev(&a, "form_background.add"))
        .expect("add");
    match s.add_form_background(
        &a,
        "official.pdf",
        b"other",
        1,
        &ev(&a, "form_background.add"),
    ) {
        Err(StoreError::Conflict(_)) => {}
        other => panic!("a background never changes, got {other:?}"),
    }
    let list = s.form_backgrounds(&a).expect("list");
    let names: Vec<(&str, u64, u32)> = list
        .iter()
        .map(|f| (f.name.as_str(), f.size, f.pages))
        .collect();
    assert_eq!(
        names,
        [("official.pdf", pdf.len() as u64, 2), ("ura.pdf", 4, 1)]
    );
    assert_eq!(
        s.form_background(&a, "official.pdf").expect("get"),
        Some(pdf),
        "the bytes as stored"
    );
    assert_eq!(s.form_background(&a, "none.pdf").expect("get"), None);
    assert!(
        s.form_backgrounds(&b).expect("list").is_empty(),
        "tenant-scoped"
    );
    assert_eq!(
        s.form_background(&b, "official.pdf").expect("get"),
        None,
        "tenant-scoped"
    );
    assert_eq!(audit_count(s, &a), 2, "the refused one left no record");
}

fn tenant_settings(s: &dyn Store) {
    let (a, b) = (t("a"), t("b"));
    for x in [&a, &b] {
        s.ensure_tenant(x, "市").expect("tenant");
    }
    assert_eq!(s.tenant_setting(&a, "fee_table").expect("get"), None);
    s.put_tenant_setting(&a, "fee_table", "one", &ev(&a, "setting.put"))
        .expect("put");
    s.put_tenant_setting(&a, "fee_table", "two", &ev(&a, "setting.put"))
        .expect("replace");
    assert_eq!(
        s.tenant_setting(&a, "fee_table").expect("get").as_deref(),
        Some("two")
    );
    assert_eq!(
        s.tenant_setting(&b, "fee_table").expect("get"),
        None,
        "tenant-scoped"
    );
    assert_eq!(audit_count(s, &a), 2);
    assert!(
        s.put_tenant_setting(&t("nosuch"), "k", "v", &ev(&t("nosuch"), "setting.put"))
            .is_err()
    );
}

fn case_write(id: &str, write_id: &str, expected: Option<i64>, user: &str, when: i64) -> CaseWrite {
    CaseWrite {
        case_id: id.into(),
        expected_revision: expected,
        status: "open".into(),
        title: "転入 髙橋 太郎".into(),
        subjects: vec!["000000000000019".into()],
        procedures: vec!["JUKI-TENNYU".into(), "KOKUHO-KANYU".into()],
        document: format!("{{\"w\":\"{write_id}\"}}"),
        entry: CaseEntry {
            write_id: write_id.into(),
            at: at(when),
            user: user.into(),
            counter: "shimin-1".into(),
            terminal: Some("t1".into()),
            lines: vec!["案件を作成".into(), "状態: 受付中".into()],
        },
    }
}

fn cases_exactly_once_with_history(s: &dyn Store) {
    let (a, b) = (t("a"), t("b"));
    for x in [&a, &b] {
        s.ensure_tenant(x, "市").expect("tenant");
    }
    let first = case_write("case-1", "w1", None, "sato", 10);
    assert_eq!(
        s.save_case(&a, &first, &ev(&a, "case.save"))
            .expect("create"),
        CaseSaved::Applied(1)
    );
    // The same write again (a retry after a lost answer) changes nothing and is not audited again.
    assert_eq!(
        s.save_case(&a, &first, &ev(&a, "case.save"))
            .expect("retry"),
        CaseSaved::AlreadyApplied(1)
    );
    assert_eq!(audit_count(s, &a), 1);
    // A second create of the same id is a conflict, so is a stale revision.
    assert!(matches!(
        s.save_case(
            &a,
            &case_write("case-1", "w9", None, "sato", 11),
            &ev(&a, "case.save")
        ),
        Err(StoreError::Conflict(_))
    ));
    let mut second = case_write("case-1", "w2", Some(1), "suzuki", 20);
    second.status = "applied".into();
    second.entry.counter = "shimin-2".into();
    second.procedures = vec!["KOKUHO-KANYU".into()];
    assert_eq!(
        s.save_case(&a, &second, &ev(&a, "case.save"))
            .expect("update"),
        CaseSaved::Applied(2)
    );
    assert!(matches!(
        s.save_case(
            &a,
            &case_write("case-1", "w3", Some(1), "sato", 30),
            &ev(&a, "case.save")
        ),
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        s.save_case(
            &a,
            &case_write("nosuch", "w4", Some(1), "sato", 30),
            &ev(&a, "case.save")
        ),
        Err(StoreError::NotFound(_))
    ));
    let (case, history) = s.get_case(&a, "case-1").expect("get").expect("exists");
    assert_eq!(case.revision, 2);
    assert_eq!(case.status, "applied");
    assert_eq!(case.opened_by, "sato");
    assert_eq!(case.opened_counter, "shimin-1");
    assert_eq!(case.updated_by, "suzuki");
    assert_eq!(case.updated_counter, "shimin-2");
    assert_eq!(case.opened_at, at(10));
    assert_eq!(case.document, "{\"w\":\"w2\"}");
    let who: Vec<(&str, &str)> = history
        .iter()
        .map(|e| (e.write_id.as_str(), e.user.as_str()))
        .collect();
    assert_eq!(who, vec![("w1", "sato"), ("w2", "suzuki")]);
    assert_eq!(history[0].lines, vec!["案件を作成", "状態: 受付中"]);
    assert_eq!(history[0].terminal.as_deref(), Some("t1"));
    assert_eq!(audit_count(s, &a), 2, "one audit record per applied write");
    // Tenants never see each other's cases, and cannot write to them.
    assert!(s.get_case(&b, "case-1").expect("get").is_none());
    assert!(matches!(
        s.save_case(
            &b,
            &case_write("case-1", "w5", Some(2), "x", 40),
            &ev(&b, "case.save")
        ),
        Err(StoreError::NotFound(_))
    ));
    assert!(
        s.find_cases(
            &b,
            &CaseFilter {
                limit: 10,
                ..Default::default()
            }
        )
        .expect("find")
        .is_empty()
    );
}

fn case_search(s: &dyn Store) {
    let a = t("a");
    s.ensure_tenant(&a, "市").expect("tenant");
    for (i, (user, proc_)) in [
        ("sato", "JUKI-TENNYU"),
        ("suzuki", "KOKUHO-KANYU"),
        ("sato", "INKAN-TOROKU"),
    ]
    .iter()
    .enumerate()
    {
        let mut w = case_write(
            &format!("c{i}"),
            &format!("w{i}"),
            None,
            user,
            100 * i as i64,
        );
        w.procedures = vec![(*proc_).into()];
        s.save_case(&a, &w, &ev(&a, "case.save")).expect("save");
    }
    let ids = |f: CaseFilter| -> Vec<String> {
        s.find_cases(&a, &CaseFilter { limit: 50, ..f })
            .expect("find")
            .into_iter()
            .map(|c| c.id)
            .collect()
    };
    assert_eq!(
        ids(CaseFilter::default()),
        vec!["c2", "c1", "c0"],
        "newest first"
    );
    assert_eq!(
        ids(CaseFilter {
            user: Some("sato".into()),
            ..Default::default()
        }),
        vec!["c2", "c0"]
    );
    assert_eq!(
        ids(CaseFilter {
            procedure: Some("KOKUHO-KANYU".into()),
            ..Default::default()
        }),
        vec!["c1"]
    );
    assert_eq!(
        ids(CaseFilter {
            from: Some(at(50)),
            to: Some(at(200)),
            ..Default::default()
        }),
        vec!["c1"]
    );
    assert_eq!(
        ids(CaseFilter {
            status: Some("applied".into()),
            ..Default::default()
        }),
        Vec::<String>::new()
    );
    assert_eq!(
        s.find_cases(
            &a,
            &CaseFilter {
                limit: 1,
                ..Default::default()
            }
        )
        .expect("find")
        .len(),
        1
    );
}

fn incoming_moves_and_towns(s: &dyn Store) {
    let tenant = seeded(s);
    let other = t("b");
    s.ensure_tenant(&other, "市").expect("tenant");
    let notice = IncomingMove {
        notice_no: "N-1".into(),
        received_at: at(5),
        search_keys: vec![search_key("ヤマダ　タロウ"), search_key("山田　太郎")],
        document: "{}".into(),
    };
    s.put_incoming_move(&tenant, &notice, &ev(&tenant, "incoming.put"))
        .expect("put");
    let found = s
        .search_incoming_moves(&tenant, &search_key("ヤマダ"), 10)
        .expect("search");
    assert_eq!(found, vec![notice.clone()]);
    assert_eq!(
        s.search_incoming_moves(&tenant, &search_key("山田"), 10)
            .expect("search")
            .len(),
        1
    );
    assert!(
        s.search_incoming_moves(&tenant, &search_key("マダ"), 10)
            .expect("search")
            .is_empty(),
        "matches from the start of a name only"
    );
    assert!(
        s.search_incoming_moves(&other, &search_key("ヤマダ"), 10)
            .expect("search")
            .is_empty()
    );
    // The import built the 町字 list from the residents' addresses.
    let towns = s.towns(&tenant).expect("towns");
    assert!(!towns.is_empty());
    let mut names: Vec<&str> = towns.iter().map(|t| t.town.as_str()).collect();
    names.dedup();
    assert_eq!(names.len(), towns.len(), "each town once");
    assert!(s.towns(&other).expect("towns").is_empty());
}

fn session_idle_and_validity(s: &dyn Store) {
    let tenant = t("a");
    s.ensure_tenant(&tenant, "A市").expect("tenant");
    let id = add_user(s, &tenant, "staff1");
    let login = ev(&tenant, "login");
    let token = [1u8; 32];
    s.create_session(&token, id, "1番", None, at(0), at(3600), &login)
        .expect("session");
    assert_eq!(
        s.find_session(&token, at(5))
            .expect("find")
            .expect("live")
            .last_seen_at,
        at(0)
    );
    s.touch_session(&token, at(100)).expect("touch");
    assert_eq!(
        s.find_session(&token, at(101))
            .expect("find")
            .expect("live")
            .last_seen_at,
        at(100)
    );
    // A new login purges sessions past their absolute expiry.
    let short = [2u8; 32];
    s.create_session(&short, id, "1番", None, at(0), at(10), &login)
        .expect("session");
    s.create_session(&[3u8; 32], id, "1番", None, at(20), at(3600), &login)
        .expect("session");
    assert!(
        s.find_session(&short, at(5)).expect("find").is_none(),
        "expired session purged"
    );
    assert!(
        s.find_session(&token, at(30)).expect("find").is_some(),
        "live session kept"
    );

    let valid = |s: &dyn Store| {
        s.find_user(&tenant, "staff1")
            .expect("find")
            .expect("user")
            .valid_until
    };
    assert_eq!(valid(s), None);
    let set = ev(&tenant, "user.valid_until");
    assert!(
        s.set_user_valid_until(&tenant, "staff1", Some(d(2027, 3, 31)), &set)
            .expect("set")
    );
    assert_eq!(valid(s), Some(d(2027, 3, 31)));
    assert!(
        s.set_user_valid_until(&tenant, "staff1", None, &set)
            .expect("clear")
    );
    assert_eq!(valid(s), None);
    let before = audit_count(s, &t("other"));
    assert!(
        !s.set_user_valid_until(
            &t("other"),
            "staff1",
            None,
            &ev(&t("other"), "user.valid_until")
        )
        .expect("set"),
        "tenant-scoped"
    );
    assert_eq!(
        audit_count(s, &t("other")),
        before,
        "no change, no audit record"
    );
}

fn lockout_and_disable(s: &dyn Store) {
    let tenant = t("a");
    s.ensure_tenant(&tenant, "A市").expect("tenant");
    let id = add_user(s, &tenant, "staff1");
    add_user(s, &tenant, "staff2");
    let fail = ev(&tenant, "login_failed");
    let login = ev(&tenant, "login");
    for n in 1..=2 {
        let u = s.record_login_failure(id, 3, &fail).expect("failure");
        assert_eq!((u.failed_logins, u.locked), (n, false));
    }
    s.create_session(&[4u8; 32], id, "1番", None, at(0), at(3600), &login)
        .expect("success");
    assert_eq!(
        s.find_user(&tenant, "staff1")
            .expect("find")
            .expect("user")
            .failed_logins,
        0,
        "a login resets the count"
    );
    for _ in 0..2 {
        s.record_login_failure(id, 3, &fail).expect("failure");
    }
    let u = s.record_login_failure(id, 3, &fail).expect("failure");
    assert_eq!(
        (u.failed_logins, u.locked),
        (3, true),
        "third consecutive failure locks"
    );
    assert!(
        s.unlock_user(&tenant, "staff1", &ev(&tenant, "user.unlock"))
            .expect("unlock")
    );
    let u = s.find_user(&tenant, "staff1").expect("find").expect("user");
    assert_eq!((u.failed_logins, u.locked), (0, false));
    assert!(
        !s.unlock_user(&t("other"), "staff1", &ev(&t("other"), "user.unlock"))
            .expect("unlock"),
        "tenant-scoped"
    );

    let token = [9u8; 32];
    s.create_session(&token, id, "1番", None, at(0), at(3600), &login)
        .expect("session");
    assert!(
        s.set_user_disabled(&tenant, "staff1", true, &ev(&tenant, "user.disable"))
            .expect("disable")
    );
    assert!(
        s.find_user(&tenant, "staff1")
            .expect("find")
            .expect("user")
            .disabled
    );
    assert!(
        s.find_session(&token, at(10)).expect("find").is_none(),
        "disabling ends sessions"
    );
    assert!(
        !s.set_user_disabled(
            &t("other"),
            "staff2",
            true,
            &ev(&t("other"), "user.disable")
        )
        .expect("disable"),
        "tenant-scoped"
    );
    let listed: Vec<(String, bool)> = s
        .list_users(&tenant)
        .expect("list")
        .into_iter()
        .map(|u| (u.login, u.disabled))
        .collect();
    assert_eq!(
        listed,
        [("staff1".to_owned(), true), ("staff2".to_owned(), false)]
    );
    assert!(s.list_users(&t("other")).expect("list").is_empty());
    let actions: Vec<String> = s
        .audit_records(&tenant, at(-1), at(100))
        .expect("records")
        .into_iter()
        .map(|r| r.event.action)
        .filter(|a| a != "user.create")
        .collect();
    assert_eq!(
        actions,
        [
            "login_failed",
            "login_failed",
            "login",
            "login_failed",
            "login_failed",
            "login_failed",
            "user.unlock",
            "login",
            "user.disable"
        ],
        "each change appends its record"
    );
}

fn round_trip_all_fields(s: &dyn Store) {
    let tenant = t("a");
    s.ensure_tenant(&tenant, "A市").expect("tenant");
    let mut r = resident(
        11,
        11,
        "NGUYEN VAN AN",
        "グエン\u{3000}バン\u{3000}アン",
        d(1995, 8, 20),
        "世帯主",
    );
    r.kind = ResidentKind::Foreign;
    r.status = ResidentStatus::MovedOut;
    r.sex = Sex::Female;
    r.name.surname = None;
    r.name.given = None;
    r.name.alias = Some("山田\u{3000}アン".into());
    r.name.alias_kana = Some("ヤマダ\u{3000}アン".into());
    r.name.foreign_romaji = Some("NGUYEN VAN AN".into());
    r.name.foreign_kanji = Some("阮 文 安".into());
    r.birth = BirthDate::Unknown {
        text: "1995年頃".into(),
        internal: Some(d(1995, 7, 1)),
    };
    r.address.katagaki = Some("さくら野ハイツ２０１号".into());
    r.foreign = Some(ForeignInfo {
        nationality: "ベトナム".into(),
        status_of_residence: Some("技術・人文知識・国際業務".into()),
        period_of_stay: Some("3年".into()),
        expiry: Some(d(2028, 3, 31)),
    });
    r.support_measure = SupportMeasure::Provisional;
    committed(import(
        s,
        &tenant,
        ImportMode::Delta,
        "x",
        std::slice::from_ref(&r),
    ));
    let got = s
        .get_resident(&tenant, &r.atena_no)
        .expect("get")
        .expect("exists");
    assert_eq!(got, r);
    let mut q = query();
    q.name = Some(search_key("山田アン"));
    assert_eq!(
        s.search_residents(&tenant, &q).expect("search").len(),
        1,
        "通称 is searchable"
    );
    q.name = Some(search_key("nguyen"));
    assert_eq!(
        s.search_residents(&tenant, &q).expect("search").len(),
        1,
        "romaji is searchable, any case"
    );
    registry_items_round_trip(s, &tenant);
}

/// 本籍・筆頭者, 住民票コード and 前住所 come back as imported, a changed row clears them, and 本籍 and
/// 住民票コード are no search key.
fn registry_items_round_trip(s: &dyn Store, tenant: &TenantId) {
    let mut r = resident(
        12,
        12,
        "本籍\u{3000}花子",
        "ホンセキ\u{3000}ハナコ",
        d(1980, 2, 29),
        "世帯主",
    );
    r.registry = RegistryItems {
        honseki: Some("群馬県さくら野市本町一丁目１番地".into()),
        hittosha: Some("本籍\u{3000}太郎".into()),
        juminhyo_code: JuminhyoCode::parse("12345678901"),
        previous_address: Some("東京都千代田区霞が関二丁目１番２号".into()),
    };
    committed(import(
        s,
        tenant,
        ImportMode::Delta,
        "reg-1",
        std::slice::from_ref(&r),
    ));
    let got = s
        .get_resident(tenant, &r.atena_no)
        .expect("get")
        .expect("exists");
    assert_eq!(got, r);
    let mut q = query();
    q.address = Some(search_key("霞が関"));
    assert!(
        s.search_residents(tenant, &q).expect("search").is_empty(),
        "前住所 is no address search key"
    );
    r.registry = RegistryItems::default();
    committed(import(
        s,
        tenant,
        ImportMode::Delta,
        "reg-2",
        std::slice::from_ref(&r),
    ));
    let got = s
        .get_resident(tenant, &r.atena_no)
        .expect("get")
        .expect("exists");
    assert_eq!(
        got.registry,
        RegistryItems::default(),
        "a changed row clears them"
    );
}

fn support(seq: u64, measure: SupportMeasure) -> SupportMeasureRecord {
    SupportMeasureRecord {
        atena_no: AtenaNo::from_sequence(seq),
        measure,
        start: Some(d(2026, 4, 1)),
        end: Some(d(2027, 3, 31)),
    }
}

fn support_measure_feed(s: &dyn Store) {
    let tenant = seeded(s);
    let other = t("city-b");
    s.ensure_tenant(&other, "B町").expect("tenant");
    committed(import(s, &other, ImportMode::Full, "seed-b", &family()));
    let households = [AtenaNo::from_sequence(100), AtenaNo::from_sequence(300)];
    assert!(
        s.protected_households(&tenant, &households)
            .expect("p")
            .is_empty()
    );

    // A full load: the child of household 100 under 支援措置, the resident of 300 仮支援措置.
    let full = [
        support(3, SupportMeasure::Active),
        support(5, SupportMeasure::Provisional),
    ];
    let c = committed(
        s.import_support_measures(&tenant, &meta(ImportMode::Full, "sm-1"), &full)
            .expect("import"),
    );
    assert_eq!((c.inserted, c.updated, c.removed), (2, 0, 0));
    assert_eq!(
        s.protected_households(&tenant, &households).expect("p"),
        households.iter().cloned().collect(),
        "the whole household is protected"
    );
    let child = s
        .get_resident(&tenant, &AtenaNo::from_sequence(3))
        .expect("get")
        .expect("child");
    assert_eq!(child.support_measure, SupportMeasure::Active);
    let found = s
        .search_residents(
            &tenant,
            &ResidentQuery {
                atena_no: Some(AtenaNo::from_sequence(5)),
                limit: 5,
                ..Default::default()
            },
        )
        .expect("search");
    assert_eq!(found[0].support_measure, SupportMeasure::Provisional);
    let members = s
        .household_members(&tenant, &AtenaNo::from_sequence(100))
        .expect("members");
    assert_eq!(
        members
            .iter()
            .filter(|r| r.support_measure.is_protected())
            .count(),
        1
    );
    // Another tenant's residents with the same numbers are untouched.
    assert!(
        s.protected_households(&other, &households)
            .expect("p")
            .is_empty()
    );
    let theirs = s
        .get_resident(&other, &AtenaNo::from_sequence(3))
        .expect("get")
        .expect("theirs");
    assert_eq!(theirs.support_measure, SupportMeasure::None);

    // The same file again changes nothing.
    assert!(matches!(
        s.import_support_measures(&tenant, &meta(ImportMode::Full, "sm-1"), &[])
            .expect("again"),
        ImportApplied::AlreadyApplied { .. }
    ));
    // A resident import (whose rows say nothing of 支援措置) does not lift the feed's measure.
    committed(import(s, &tenant, ImportMode::Full, "seed-2", &family()));
    assert_eq!(
        s.protected_households(&tenant, &households)
            .expect("p")
            .len(),
        2
    );
    // A delta ends one measure.
    let c = committed(
        s.import_support_measures(
            &tenant,
            &meta(ImportMode::Delta, "sm-2"),
            &[support(5, SupportMeasure::None)],
        )
        .expect("delta"),
    );
    assert_eq!(c.removed, 1);
    assert_eq!(
        s.protected_households(&tenant, &households).expect("p"),
        [AtenaNo::from_sequence(100)].into_iter().collect()
    );
    // A full load without the child lifts its measure; its own record's flag still protects.
    let c = committed(
        s.import_support_measures(&tenant, &meta(ImportMode::Full, "sm-3"), &[])
            .expect("full"),
    );
    assert_eq!(c.removed, 1);
    assert!(
        s.protected_households(&tenant, &households)
            .expect("p")
            .is_empty()
    );
    let mut rows = family();
    rows[4].support_measure = SupportMeasure::Active;
    committed(import(s, &tenant, ImportMode::Full, "seed-3", &rows));
    assert_eq!(
        s.protected_households(&tenant, &households).expect("p"),
        [AtenaNo::from_sequence(300)].into_iter().collect()
    );
    // A feed record for someone not (yet) a resident is kept and applies once they are.
    committed(
        s.import_support_measures(
            &tenant,
            &meta(ImportMode::Delta, "sm-4"),
            &[support(9, SupportMeasure::Active)],
        )
        .expect("delta"),
    );
    let mut newcomer = resident(
        9,
        900,
        "新井\u{3000}一",
        "アライ\u{3000}ハジメ",
        d(2001, 1, 1),
        "世帯主",
    );
    newcomer.support_measure = SupportMeasure::None;
    committed(import(s, &tenant, ImportMode::Delta, "seed-4", &[newcomer]));
    assert_eq!(
        s.protected_households(&tenant, &[AtenaNo::from_sequence(900)])
            .expect("p")
            .len(),
        1
    );
    // A feed for an unknown tenant is refused.
    assert!(matches!(
        s.import_support_measures(&t("nowhere"), &meta(ImportMode::Full, "sm-x"), &full),
        Err(StoreError::NotFound(_))
    ));
}

fn elig(seq: u64, kind: &str, acquired: NaiveDate, lost: Option<NaiveDate>) -> QualificationRecord {
    QualificationRecord {
        atena_no: AtenaNo::from_sequence(seq),
        kind: kind.into(),
        acquired: Some(acquired),
        lost,
    }
}

fn qualification_feed(s: &dyn Store) {
    let tenant = seeded(s);
    let other = t("city-b");
    s.ensure_tenant(&other, "B町").expect("tenant");
    let full = vec![
        QualificationChange::Put(elig(1, "kokuho", d(2020, 4, 1), None)),
        QualificationChange::Put(elig(1, "nenkin", d(1995, 1, 1), None)),
        QualificationChange::Put(elig(2, "kokuho", d(2020, 4, 1), None)),
        QualificationChange::Put(elig(4, "kouki", d(2025, 12, 31), None)),
    ];
    let c = committed(
        s.import_qualifications(&tenant, &meta(ImportMode::Full, "el-1"), &full)
            .expect("import"),
    );
    assert_eq!(
        (c.inserted, c.updated, c.unchanged, c.removed),
        (4, 0, 0, 0)
    );
    let all = [
        AtenaNo::from_sequence(1),
        AtenaNo::from_sequence(2),
        AtenaNo::from_sequence(4),
    ];
    let got = s.qualifications(&tenant, &all).expect("read");
    assert_eq!(
        got.iter()
            .map(|e| (e.atena_no.clone(), e.kind.as_str()))
            .collect::<Vec<_>>(),
        vec![
            (AtenaNo::from_sequence(1), "kokuho"),
            (AtenaNo::from_sequence(1), "nenkin"),
            (AtenaNo::from_sequence(2), "kokuho"),
            (AtenaNo::from_sequence(4), "kouki"),
        ]
    );
    assert_eq!(got[3], elig(4, "kouki", d(2025, 12, 31), None));
    assert!(
        s.qualifications(&other, &all).expect("read").is_empty(),
        "tenant-scoped"
    );
    assert!(s.qualifications(&tenant, &[]).expect("read").is_empty());

    // Delta: 2 loses 国保, 1's pension record is removed, 5 joins 介護.
    let delta = vec![
        QualificationChange::Put(elig(2, "kokuho", d(2020, 4, 1), Some(d(2026, 11, 1)))),
        QualificationChange::Remove {
            atena_no: AtenaNo::from_sequence(1),
            kind: "nenkin".into(),
        },
        QualificationChange::Put(elig(5, "kaigo", d(2026, 11, 1), None)),
    ];
    let c = committed(
        s.import_qualifications(&tenant, &meta(ImportMode::Delta, "el-2"), &delta)
            .expect("delta"),
    );
    assert_eq!((c.inserted, c.updated, c.removed), (1, 1, 1));
    let two = s
        .qualifications(&tenant, &[AtenaNo::from_sequence(2)])
        .expect("read");
    assert_eq!(
        two,
        vec![elig(2, "kokuho", d(2020, 4, 1), Some(d(2026, 11, 1)))]
    );
    assert_eq!(
        s.qualifications(&tenant, &[AtenaNo::from_sequence(1)])
            .expect("read")
            .len(),
        1
    );
    // Applied once.
    assert!(matches!(
        s.import_qualifications(&tenant, &meta(ImportMode::Delta, "el-2"), &delta)
            .expect("again"),
        ImportApplied::AlreadyApplied { .. }
    ));
    // A full load replaces everything: what it does not list is gone.
    let c = committed(
        s.import_qualifications(
            &tenant,
            &meta(ImportMode::Full, "el-3"),
            &[QualificationChange::Put(elig(
                4,
                "kouki",
                d(2025, 12, 31),
                None,
            ))],
        )
        .expect("full"),
    );
    assert_eq!((c.inserted, c.unchanged, c.removed), (0, 1, 3));
    assert_eq!(s.qualifications(&tenant, &all).expect("read").len(), 1);
}

fn linkage_file(
    feed: &str,
    name: &str,
    seq: i64,
    outcome: LinkageOutcome,
    secs: i64,
) -> LinkageFile {
    LinkageFile {
        feed: feed.into(),
        name: name.into(),
        sequence: seq,
        mode: if seq == 1 {
            ImportMode::Full
        } else {
            ImportMode::Delta
        },
        sha256: format!("{seq:064}"),
        size: 1234,
        outcome,
        rows: 10,
        counts: ImportCounts {
            inserted: 1,
            updated: 2,
            unchanged: 3,
            removed: 4,
        },
        problems: if outcome == LinkageOutcome::Rejected {
            2
        } else {
            0
        },
        message: (outcome == LinkageOutcome::Rejected)
            .then(|| "3行目: 生年月日が正しくありません。".into()),
        finished_at: at(secs),
    }
}

fn linkage_ledger(s: &dyn Store) {
    let tenant = t("a");
    s.ensure_tenant(&tenant, "A市").expect("tenant");
    let other = t("b");
    s.ensure_tenant(&other, "B町").expect("tenant");
    let files = [
        linkage_file("001o006", "full_000001.csv", 1, LinkageOutcome::Applied, 10),
        linkage_file(
            "001o006",
            "delta_000002.csv",
            2,
            LinkageOutcome::Rejected,
            20,
        ),
        linkage_file("001o009", "full_000001.csv", 1, LinkageOutcome::Applied, 30),
        linkage_file(
            "001o006",
            "delta_000002.csv",
            2,
            LinkageOutcome::Applied,
            40,
        ),
    ];
    for f in &files {
        s.record_linkage_file(&tenant, f).expect("record");
    }
    let all = s.linkage_files(&tenant, None, 10).expect("list");
    assert_eq!(all.len(), 4);
    assert_eq!(all[0], files[3], "newest first, every field kept");
    assert_eq!(all[2], files[1]);
    let jumin = s.linkage_files(&tenant, Some("001o006"), 2).expect("list");
    assert_eq!(jumin, vec![files[3].clone(), files[1].clone()]);
    assert!(
        s.linkage_files(&other, None, 10).expect("list").is_empty(),
        "tenant-scoped"
    );
    assert!(matches!(
        s.record_linkage_file(&t("nowhere"), &files[0]),
        Err(StoreError::NotFound(_))
    ));
}

fn batch(kind: &str, name: &str, cases: &[&str]) -> OutboundBatch {
    OutboundBatch {
        kind: kind.into(),
        batch_no: 0,
        file_name: name.into(),
        content: format!("\u{FEFF}ヘッダ\r\n{name}\r\n").into_bytes(),
        sha256: format!("{:064}", cases.len()),
        records: cases.len() as u64,
        case_ids: cases.iter().map(|c| (*c).to_owned()).collect(),
        created_at: at(100),
        delivered_at: None,
    }
}

fn outbound_exactly_once(s: &dyn Store) {
    let tenant = t("a");
    s.ensure_tenant(&tenant, "A市").expect("tenant");
    let other = t("b");
    s.ensure_tenant(&other, "B町").expect("tenant");
    for (i, (id, status)) in [
        ("c1", "applied"),
        ("c2", "open"),
        ("c3", "reviewed"),
        ("c4", "applied"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut w = case_write(id, &format!("w-{id}"), None, "staff1", 10 + i as i64);
        w.status = status.into();
        s.save_case(&tenant, &w, &ev(&tenant, "case.save"))
            .expect("save");
    }
    let mut theirs = case_write("c1", "w-b", None, "staff1", 5);
    theirs.status = "applied".into();
    s.save_case(&other, &theirs, &ev(&other, "case.save"))
        .expect("save");

    let ids = |v: Vec<madoguchi_store::CaseRecord>| v.into_iter().map(|c| c.id).collect::<Vec<_>>();
    let accepted = ["applied", "reviewed", "closed"];
    assert_eq!(
        ids(s
            .outbound_candidates(&tenant, "ido", &accepted, 10)
            .expect("candidates")),
        vec!["c1", "c3", "c4"],
        "accepted cases, oldest update first"
    );
    assert_eq!(
        ids(s
            .outbound_candidates(&tenant, "ido", &accepted, 2)
            .expect("candidates")),
        vec!["c1", "c3"]
    );
    assert!(
        s.outbound_candidates(&tenant, "ido", &[], 10)
            .expect("none")
            .is_empty()
    );

    let before = audit_count(s, &tenant);
    let no = s
        .add_outbound_batch(
            &tenant,
            &batch("ido", "ido_000001.csv", &["c1", "c3"]),
            &ev(&tenant, "outbound.batch"),
        )
        .expect("batch");
    assert_eq!(no, 1);
    assert_eq!(
        audit_count(s, &tenant),
        before + 1,
        "audited with the batch"
    );
    assert_eq!(
        ids(s
            .outbound_candidates(&tenant, "ido", &accepted, 10)
            .expect("candidates")),
        vec!["c4"],
        "taken cases are not offered again"
    );
    assert_eq!(
        ids(s
            .outbound_candidates(&tenant, "kofu", &accepted, 10)
            .expect("candidates")),
        vec!["c1", "c3", "c4"],
        "kinds are independent"
    );
    // A case already in a batch of the kind: the whole batch is refused, nothing written.
    let err = s
        .add_outbound_batch(
            &tenant,
            &batch("ido", "ido_000002.csv", &["c4", "c1"]),
            &ev(&tenant, "outbound.batch"),
        )
        .expect_err("conflict");
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert_eq!(audit_count(s, &tenant), before + 1);
    assert_eq!(
        ids(s
            .outbound_candidates(&tenant, "ido", &accepted, 10)
            .expect("candidates")),
        vec!["c4"]
    );
    let no = s
        .add_outbound_batch(
            &tenant,
            &batch("ido", "ido_000002.csv", &["c4"]),
            &ev(&tenant, "outbound.batch"),
        )
        .expect("batch");
    assert_eq!(no, 2);
    // The other tenant numbers its own batches and sees none of these.
    assert!(
        s.outbound_batches(&other, None, false, 10)
            .expect("list")
            .is_empty()
    );
    assert_eq!(
        s.add_outbound_batch(
            &other,
            &batch("ido", "ido_000001.csv", &["c1"]),
            &ev(&other, "outbound.batch")
        )
        .expect("batch"),
        1
    );

    let undelivered = s
        .outbound_batches(&tenant, Some("ido"), true, 10)
        .expect("list");
    assert_eq!(undelivered.len(), 2);
    let first = undelivered
        .iter()
        .find(|b| b.batch_no == 1)
        .expect("batch 1");
    let mut want = batch("ido", "ido_000001.csv", &["c1", "c3"]);
    want.batch_no = 1;
    assert_eq!(*first, want, "kept byte for byte");
    assert!(
        s.mark_outbound_delivered(&tenant, "ido", 1, at(200))
            .expect("mark")
    );
    assert!(
        s.mark_outbound_delivered(&tenant, "ido", 1, at(300))
            .expect("again")
    );
    assert!(
        !s.mark_outbound_delivered(&tenant, "ido", 9, at(200))
            .expect("none")
    );
    let undelivered = s.outbound_batches(&tenant, None, true, 10).expect("list");
    assert_eq!(
        undelivered.iter().map(|b| b.batch_no).collect::<Vec<_>>(),
        vec![2]
    );
    let all = s
        .outbound_batches(&tenant, Some("ido"), false, 10)
        .expect("list");
    assert_eq!(all.len(), 2);
    let one = all.iter().find(|b| b.batch_no == 1).expect("batch 1");
    assert_eq!(
        one.delivered_at,
        Some(at(200)),
        "the first delivery time is kept"
    );
    assert!(matches!(
        s.add_outbound_batch(
            &t("nowhere"),
            &batch("ido", "x.csv", &[]),
            &ev(&t("nowhere"), "outbound.batch")
        ),
        Err(StoreError::NotFound(_))
    ));
}

fn delta_adds_towns(s: &dyn Store) {
    let tenant = seeded(s);
    let before: Vec<String> = s
        .towns(&tenant)
        .expect("towns")
        .into_iter()
        .map(|t| t.town)
        .collect();
    assert_eq!(before, vec!["本町"]);
    let mut newcomer = resident(
        7,
        700,
        "新井\u{3000}七",
        "アライ\u{3000}ナナ",
        d(2000, 7, 7),
        "世帯主",
    );
    newcomer.address.town = "栄町".into();
    newcomer.address.town_code = Some("0002001".into());
    committed(import(
        s,
        &tenant,
        ImportMode::Delta,
        "d-towns",
        &[newcomer],
    ));
    let towns = s.towns(&tenant).expect("towns");
    assert_eq!(
        towns
            .iter()
            .map(|t| (t.town.as_str(), t.town_code.as_deref()))
            .collect::<Vec<_>>(),
        vec![("本町", Some("0001001")), ("栄町", Some("0002001"))]
    );
    assert_eq!(towns[1].city, "さくら野市");
    // A full import rebuilds the list from its residents.
    committed(import(s, &tenant, ImportMode::Full, "f-towns", &family()));
    assert_eq!(s.towns(&tenant).expect("towns").len(), 1);
}

/// A tenant with some of everything, for the hand-over checks.
fn filled(s: &dyn Store, tenant: &TenantId) -> i64 {
    s.ensure_tenant(tenant, "A市").expect("tenant");
    committed(import(
        s,
        tenant,
        ImportMode::Full,
        &format!("seed-{}", tenant.0),
        &family(),
    ));
    committed(
        s.import_support_measures(
            tenant,
            &meta(ImportMode::Full, &format!("sm-{}", tenant.0)),
            &[support(3, SupportMeasure::Active)],
        )
        .expect("support"),
    );
    committed(
        s.import_qualifications(
            tenant,
            &meta(ImportMode::Full, &format!("el-{}", tenant.0)),
            &[
                QualificationChange::Put(elig(2, "kokuho", d(2020, 4, 1), None)),
                QualificationChange::Put(elig(1, "kokuho", d(2020, 4, 1), None)),
            ],
        )
        .expect("qualification"),
    );
    s.put_group(
        tenant,
        &GroupRecord {
            code: "shimin".into(),
            name: "市民課".into(),
            permissions: PermissionSet::all(),
        },
        &ev(tenant, "group.put"),
    )
    .expect("group");
    s.put_counter(
        tenant,
        &CounterRecord {
            code: "1".into(),
            name: "1番窓口".into(),
            permissions: PermissionSet::all(),
            browser_allowed: true,
        },
        &ev(tenant, "counter.put"),
    )
    .expect("counter");
    let id = s
        .create_user(
            tenant,
            &new_user("staff1", "窓口 一郎", Some("$argon2id$h"), &["shimin"]),
            &ev(tenant, "user.create"),
        )
        .expect("user");
    s.put_tenant_setting(tenant, "fees", "[fees]", &ev(tenant, "setting.put"))
        .expect("setting");
    s.put_tenant_setting(tenant, "rules", "[rules]", &ev(tenant, "setting.put"))
        .expect("setting");
    for (cid, when) in [("case-b", 20), ("case-a", 10)] {
        s.save_case(
            tenant,
            &case_write(cid, &format!("{cid}-1"), None, "staff1", when),
            &ev(tenant, "case.save"),
        )
        .expect("case");
    }
    s.save_case(
        tenant,
        &case_write("case-a", "case-a-2", Some(1), "staff2", 30),
        &ev(tenant, "case.save"),
    )
    .expect("case");
    s.put_incoming_move(
        tenant,
        &IncomingMove {
            notice_no: "T-1".into(),
            received_at: at(5),
            search_keys: vec![search_key("山田")],
            document: "{}".into(),
        },
        &ev(tenant, "incoming.put"),
    )
    .expect("incoming");
    id
}

fn tenant_handover(s: &dyn Store) {
    let a = t("a");
    let b = t("b");
    let user_a = filled(s, &a);
    filled(s, &b);
    let token = [9u8; 32];
    s.create_session(
        &token,
        user_a,
        "1",
        None,
        at(0),
        at(99_999),
        &ev(&a, "login"),
    )
    .expect("session");

    // Everything can be read back, tenant by tenant.
    let mut seen = Vec::new();
    let n = s
        .for_each_resident(&a, &mut |r| {
            seen.push(r.atena_no.as_str().to_owned());
            Ok(())
        })
        .expect("residents");
    assert_eq!(n, 5);
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted, "in 宛名番号 order");
    let sm = s.all_support_measures(&a).expect("support");
    assert_eq!(sm, vec![support(3, SupportMeasure::Active)]);
    let el = s.all_qualifications(&a).expect("qualifications");
    assert_eq!(
        el.iter().map(|e| e.atena_no.clone()).collect::<Vec<_>>(),
        vec![AtenaNo::from_sequence(1), AtenaNo::from_sequence(2)]
    );
    assert_eq!(
        s.case_ids(&a).expect("ids"),
        vec!["case-a", "case-b"],
        "opening order"
    );
    assert_eq!(
        s.tenant_settings(&a).expect("settings"),
        vec![
            ("fees".into(), "[fees]".into()),
            ("rules".into(), "[rules]".into())
        ]
    );
    assert_eq!(s.incoming_moves(&a).expect("incoming").len(), 1);

    // A case restored into another tenant is the same case, history and all.
    let c = t("c");
    s.ensure_tenant(&c, "C村").expect("tenant");
    let (record, history) = s.get_case(&a, "case-a").expect("get").expect("case");
    assert_eq!(history.len(), 2);
    s.restore_case(
        &c,
        &record,
        &history,
        &["000000000000019".into()],
        &["JUKI-TENNYU".into()],
        &ev(&c, "case.restore"),
    )
    .expect("restore");
    assert_eq!(
        s.get_case(&c, "case-a").expect("get"),
        Some((record.clone(), history.clone()))
    );
    let found = s
        .find_cases(
            &c,
            &CaseFilter {
                procedure: Some("JUKI-TENNYU".into()),
                limit: 10,
                ..Default::default()
            },
        )
        .expect("find");
    assert_eq!(found.len(), 1);
    assert!(matches!(
        s.restore_case(&c, &record, &history, &[], &[], &ev(&c, "case.restore")),
        Err(StoreError::Conflict(_))
    ));
    // A write retried after the restore is recognised (the history kept its write ids).
    assert!(matches!(
        s.save_case(
            &c,
            &case_write("case-a", "case-a-2", Some(2), "staff2", 30),
            &ev(&c, "case.save")
        ),
        Ok(CaseSaved::AlreadyApplied(2))
    ));

    // Deleting a tenant removes all of its data (notices and their read marks too) and nothing of the
    // others'.
    let n = notices::notice("n-del", "notice", 10);
    s.save_notice(&a, &n, None, &ev(&a, "notice.create"))
        .expect("notice");
    s.mark_notice_read(&a, "n-del", "staff1", at(11), &ev(&a, "notice.read"))
        .expect("read");
    s.save_notice(&b, &n, None, &ev(&b, "notice.create"))
        .expect("notice of b");
    let report = s
        .delete_tenant(&a, &ev(&a, "tenant.delete"))
        .expect("delete");
    let count = |name: &str| report.iter().find(|(n, _)| n == name).map(|(_, c)| *c);
    assert_eq!(count("residents"), Some(5));
    assert_eq!(count("cases"), Some(2));
    assert_eq!(count("case_history"), Some(3));
    assert_eq!(count("users"), Some(1));
    assert_eq!(count("sessions"), Some(1));
    assert_eq!(count("support_measures"), Some(1));
    assert_eq!(count("qualifications"), Some(2));
    assert_eq!(count("tenant_settings"), Some(2));
    assert_eq!(count("notices"), Some(1));
    assert!(s.notices(&a).expect("notices").is_empty());
    assert_eq!(
        s.notices(&b).expect("notices of b").len(),
        1,
        "the other tenant's notice stays"
    );
    assert_eq!(s.tenant_name(&a).expect("name"), None);
    assert_eq!(s.count_residents(&a).expect("count"), 0);
    assert!(s.find_session(&token, at(10)).expect("session").is_none());
    assert!(s.get_case(&a, "case-a").expect("get").is_none());
    assert!(s.find_user(&a, "staff1").expect("user").is_none());
    assert!(s.all_qualifications(&a).expect("el").is_empty());
    assert_eq!(
        s.count_residents(&b).expect("count"),
        5,
        "the other tenant is untouched"
    );
    assert_eq!(s.case_ids(&b).expect("ids").len(), 2);
    assert!(s.find_user(&b, "staff1").expect("user").is_some());
    assert!(matches!(
        s.delete_tenant(&a, &ev(&a, "tenant.delete")),
        Err(StoreError::NotFound(_))
    ));
    // The audit chain (shared by every tenant) still verifies, and records the deletion.
    assert!(
        matches!(
            s.verify_audit().expect("verify"),
            madoguchi_store::AuditCheck::Intact { .. }
        ),
        "chain intact"
    );
    let recs = s.audit_records(&a, at(-10), at(1_000_000)).expect("audit");
    assert_eq!(
        recs.last().map(|r| r.event.action.as_str()),
        Some("tenant.delete")
    );
}

/// Security II point 9: terminals and their counters round-trip per tenant; a counter's browser
/// setting is kept; a new key or a counter taken away ends the terminal's sessions, re-registering the
/// same enrollment does not; removal ends them.
fn enrolled_terminals(s: &dyn Store) {
    let tenant = t("a");
    s.ensure_tenant(&tenant, "A市").expect("tenant");
    s.ensure_tenant(&t("b"), "B町").expect("tenant");
    for (code, browser) in [("1", true), ("2", false)] {
        let counter = CounterRecord {
            code: code.into(),
            name: format!("{code}番窓口"),
            permissions: PermissionSet::all(),
            browser_allowed: browser,
        };
        s.put_counter(&tenant, &counter, &ev(&tenant, "counter.put"))
            .expect("counter");
    }
    let allowed: Vec<(String, bool)> = s
        .list_counters(&tenant)
        .expect("counters")
        .into_iter()
        .map(|c| (c.code, c.browser_allowed))
        .collect();
    assert_eq!(allowed, [("1".to_owned(), true), ("2".to_owned(), false)]);
    let terminal = |key: u8, counters: &[&str]| TerminalRecord {
        id: "pc-1".into(),
        name: "1番窓口PC".into(),
        public_key: [key; 32],
        counters: counters.iter().map(|c| (*c).to_owned()).collect(),
        registered_at: at(0),
        registered_by: "admin".into(),
    };
    match s.put_terminal(
        &tenant,
        &terminal(1, &["1", "9"]),
        &ev(&tenant, "terminal.put"),
    ) {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("an unknown counter is refused, got {other:?}"),
    }
    s.put_terminal(
        &tenant,
        &terminal(1, &["1", "2"]),
        &ev(&tenant, "terminal.put"),
    )
    .expect("terminal");
    assert_eq!(
        s.find_terminal(&tenant, "pc-1").expect("find"),
        Some(terminal(1, &["1", "2"]))
    );
    assert_eq!(s.find_terminal(&t("b"), "pc-1").expect("find"), None);
    assert!(s.list_terminals(&t("b")).expect("list").is_empty());
    let id = s
        .create_user(
            &tenant,
            &new_user("staff1", "窓口 一郎", Some("$argon2id$fake"), &[]),
            &ev(&tenant, "user.create"),
        )
        .expect("user");
    let open = |token: u8, terminal: Option<&str>| {
        s.create_session(
            &[token; 32],
            id,
            "1",
            terminal,
            at(0),
            at(3600),
            &ev(&tenant, "login"),
        )
        .expect("session");
    };
    let live = |token: u8| {
        s.find_session(&[token; 32], at(10))
            .expect("find")
            .is_some()
    };
    open(1, Some("pc-1"));
    open(2, None);
    s.put_terminal(
        &tenant,
        &terminal(1, &["1", "2"]),
        &ev(&tenant, "terminal.put"),
    )
    .expect("same enrollment");
    assert!(
        live(1),
        "re-registering the same key and counters keeps sessions"
    );
    s.put_terminal(&tenant, &terminal(1, &["1"]), &ev(&tenant, "terminal.put"))
        .expect("fewer counters");
    assert!(
        !live(1) && live(2),
        "a counter taken away ends the terminal's sessions only"
    );
    open(3, Some("pc-1"));
    s.put_terminal(&tenant, &terminal(2, &["1"]), &ev(&tenant, "terminal.put"))
        .expect("new key");
    assert!(!live(3), "a new key ends the terminal's sessions");
    open(4, Some("pc-1"));
    assert!(
        !s.remove_terminal(&t("b"), "pc-1", &ev(&t("b"), "terminal.remove"))
            .expect("remove")
    );
    assert!(live(4), "another tenant cannot remove it");
    assert!(
        s.remove_terminal(&tenant, "pc-1", &ev(&tenant, "terminal.remove"))
            .expect("remove")
    );
    assert!(!live(4) && live(2));
    assert_eq!(s.list_terminals(&tenant).expect("list"), []);
    assert!(
        !s.remove_terminal(&tenant, "pc-1", &ev(&tenant, "terminal.remove"))
            .expect("again")
    );
}
