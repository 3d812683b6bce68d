//! Tenant hand-over: a tenant exported as CSV files and imported into an empty tenant is the same
//! tenant; tampered or failing imports leave nothing behind; deletion removes everything with a report.

use std::path::Path;

use madoguchi_core::ids::AtenaNo;
use madoguchi_server::handover::{self, HandoverError};
use madoguchi_store::prelude::*;
use madoguchi_store::{
    ImportMeta, ImportMode, QualificationChange, QualificationRecord, Store, SupportMeasureRecord,
    TenantId,
};
use madoguchi_store_sqlite::SqliteStore;
use madoguchi_testkit::residents::{atena, today};
use madoguchi_testkit::staff::setup_event;

use crate::common::seed_case;

/// The hand-over of the マイナポータル applications, 転入予約 and 事前申請.
mod applications;

/// Two certificates issued from the case (one revoked since) and two 受付番号 of a day.
fn issue_certificates(store: &dyn Store, tenant: &TenantId) {
    let issue = madoguchi_store::CertificateIssue {
        write_id: "w-cert-1".into(),
        fiscal_year: 2026,
        count: 2,
        case_id: Some("case-0001".into()),
        place: "shimin-1".into(),
        issued_by: "staff".into(),
        issued_at: chrono::Utc::now(),
    };
    let mut build = |seq: usize, no: madoguchi_core::certificate::IssueNo| {
        let snapshot = format!("{{\"no\":\"{no}\",\"seq\":{seq},\"name\":\"窓口 太郎\"}}");
        let template = "juminhyo-setai@2026-12";
        Ok(madoguchi_store::NewCertificate {
            item: "JUMINHYO".into(),
            template: template.into(),
            subjects: vec![atena(1), atena(2)],
            digest: madoguchi_server::certificates::digest(&snapshot, template),
            snapshot,
            qr: format!("MDG1.{no}"),
        })
    };
    store
        .issue_certificates(tenant, &issue, &mut build, &|_| {
            setup_event(tenant, "certificate.issue")
        })
        .expect("issue");
    store
        .revoke_certificate(
            tenant,
            &madoguchi_store::Revocation {
                issue_no: "R08-000002".into(),
                at: chrono::Utc::now(),
                by: "staff".into(),
                reason: "記載誤り, \"再発行\"".into(),
            },
            &setup_event(tenant, "certificate.revoke"),
        )
        .expect("revoke");
    for _ in 0..2 {
        store
            .take_reception_number(tenant, today())
            .expect("reception number");
    }
}

fn certificates(store: &dyn Store, tenant: &TenantId) -> Vec<madoguchi_store::CertificateRecord> {
    let mut out = Vec::new();
    store
        .for_each_certificate(tenant, &mut |c| {
            out.push(c);
            Ok(())
        })
        .expect("certificates");
    out
}

fn filled(store: &dyn Store, tenant: &TenantId) {
    store.ensure_tenant(tenant, "みどり市").expect("tenant");
    madoguchi_server::seed::seed_demo_city(store, tenant, 300, 5, today()).expect("demo city");
    madoguchi_server::seed::demo_staff(store, tenant, "staff", "correct-horse-battery")
        .expect("staff");
    madoguchi_server::seed::demo_incoming_moves(store, tenant, today()).expect("moves");
    seed_case(store, tenant.as_str(), "case-0001", &atena(1));
    issue_certificates(store, tenant);
    let meta = |sha: &str| ImportMeta {
        mode: ImportMode::Full,
        sha256: sha.into(),
        source_name: "t".into(),
        started_at: chrono::Utc::now(),
        audit: None,
    };
    store
        .import_support_measures(
            tenant,
            &meta("sm"),
            &[SupportMeasureRecord {
                atena_no: AtenaNo::from_sequence(2),
                measure: madoguchi_core::resident::SupportMeasure::Provisional,
                start: None,
                end: None,
            }],
        )
        .expect("support");
    store
        .import_qualifications(
            tenant,
            &meta("el"),
            &[QualificationChange::Put(QualificationRecord {
                atena_no: AtenaNo::from_sequence(1),
                kind: "kokuho".into(),
                acquired: chrono::NaiveDate::from_ymd_opt(2020, 4, 1),
                lost: None,
            })],
        )
        .expect("qualification");
    store
        .put_tenant_setting(
            tenant,
            "fee_table",
            "[x]\na = 1\n",
            &setup_event(tenant, "s"),
        )
        .expect("setting");
    // Values a spreadsheet would run as a formula (Security II point 13).
    for (key, value) in [
        ("probe_formula", "=HYPERLINK(\"http://x\",\"y\")"),
        ("probe_quote", "'@already"),
    ] {
        store
            .put_tenant_setting(tenant, key, value, &setup_event(tenant, "s"))
            .expect("setting");
    }
    store
        .add_form_template(
            tenant,
            "ido-todoke",
            "2099-01",
            &std::fs::read_to_string(
                Path::new(env!("CARGO_MANIFEST_DIR")).join("../forms/templates/ido-todoke.toml"),
            )
            .expect("template")
            .replacen("version = \"", "version = \"2099-01\"\n# was \"", 1),
            &setup_event(tenant, "t"),
        )
        .expect("template");
    store
        .add_form_background(
            tenant,
            "official.pdf",
            &a_pdf(),
            1,
            &setup_event(tenant, "b"),
        )
        .expect("background");
}

/// A one-page PDF drawn by the forms engine (a background for the hand-over).
fn a_pdf() -> Vec<u8> {
    let t = madoguchi_forms::Template::parse(
        "id = \"p\"\nname = \"p\"\nversion = \"1\"\nvalid_from = \"2026-04-01\"\n[page]\nsize = \"A4\"\n\
         [[elements]]\nkind = \"rect\"\nx = 10\ny = 10\nw = 50\nh = 20\n",
    )
    .expect("template");
    let fonts = madoguchi_forms::Fonts::load(None).expect("fonts");
    madoguchi_forms::render(&fonts, &[(&t, &serde_json::json!({}))])
        .expect("render")
        .pdf
}

fn residents(store: &dyn Store, tenant: &TenantId) -> Vec<madoguchi_core::resident::Resident> {
    let mut out = Vec::new();
    store
        .for_each_resident(tenant, &mut |r| {
            out.push(r);
            Ok(())
        })
        .expect("residents");
    out
}

/// The hand-over of the same tenant to another system: with the password hashes and keys.
fn with_secrets() -> handover::ExportOptions {
    handover::ExportOptions {
        with_secrets: true,
        seal: None,
    }
}

fn event(tenant: &TenantId) -> impl Fn(&str) -> madoguchi_store::AuditEvent + '_ {
    move |action: &str| setup_event(tenant, action)
}

#[test]
fn export_then_import_gives_the_same_tenant() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SqliteStore::open(&dir.path().join("db.sqlite3")).expect("store");
    let a = TenantId("midori".into());
    filled(&store, &a);
    let out = dir.path().join("export");
    let summary = handover::export_tenant(
        &store,
        &a,
        &out,
        &with_secrets(),
        &setup_event(&a, "tenant.export"),
    )
    .expect("export");
    let rows = |name: &str| {
        summary
            .manifest
            .files
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.rows)
    };
    assert_eq!(rows("residents.csv"), Some(300));
    assert_eq!(rows("cases.csv"), Some(1));
    assert_eq!(rows("support_measures.csv"), Some(1));
    assert!(rows("audit.csv").unwrap_or(0) > 0);
    assert!(out.join("manifest.json").exists());
    // Formulas are written neutralised (and come back as they were: the settings compare below).
    let settings = std::fs::read_to_string(out.join("settings.csv")).expect("settings");
    assert!(settings.contains("\"'=HYPERLINK("), "{settings}");
    assert!(settings.contains("''@already"), "{settings}");
    // A second export into the same folder is refused (nothing is overwritten).
    assert!(matches!(
        handover::export_tenant(
            &store,
            &a,
            &out,
            &with_secrets(),
            &setup_event(&a, "tenant.export")
        ),
        Err(HandoverError::Invalid(_))
    ));

    let b = TenantId("midori-new".into());
    let s = handover::import_tenant(&store, &b, &out, None, today(), &event(&b)).expect("import");
    assert!(s.counts.contains(&("住民", 300)), "{:?}", s.counts);
    assert_eq!(
        store.tenant_name(&b).expect("name").as_deref(),
        store.tenant_name(&a).expect("name").as_deref()
    );
    assert_eq!(
        residents(&store, &a),
        residents(&store, &b),
        "every resident, every field"
    );
    assert_eq!(
        store.all_support_measures(&a).expect("a"),
        store.all_support_measures(&b).expect("b")
    );
    assert_eq!(
        store.all_qualifications(&a).expect("a"),
        store.all_qualifications(&b).expect("b")
    );
    let seals = store.all_seal_registrations(&a).expect("a");
    assert!(
        seals.iter().any(|s| s.image.is_some()) && seals.iter().any(|s| s.abolished_on.is_some()),
        "the demo city's seals, in force and 廃止: {}",
        seals.len()
    );
    assert_eq!(
        seals,
        store.all_seal_registrations(&b).expect("b"),
        "印鑑登録 with every 印影"
    );
    assert_eq!(
        store.get_case(&a, "case-0001").expect("a"),
        store.get_case(&b, "case-0001").expect("b")
    );
    assert_eq!(
        store.list_groups(&a).expect("a"),
        store.list_groups(&b).expect("b")
    );
    assert_eq!(
        store.list_counters(&a).expect("a"),
        store.list_counters(&b).expect("b")
    );
    let users = |t: &TenantId| {
        store
            .list_users(t)
            .expect("users")
            .into_iter()
            .map(|u| {
                (
                    u.login,
                    u.display_name,
                    u.password_hash,
                    u.groups,
                    u.valid_until,
                    u.locked,
                    u.disabled,
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(users(&a), users(&b), "accounts keep their passwords");
    assert_eq!(
        store.tenant_settings(&a).expect("a"),
        store.tenant_settings(&b).expect("b")
    );
    assert_eq!(
        store.form_templates(&a).expect("a"),
        store.form_templates(&b).expect("b")
    );
    let names = |t: &TenantId| -> Vec<(String, u64, u32)> {
        let list = store.form_backgrounds(t).expect("backgrounds");
        list.into_iter()
            .map(|f| (f.name, f.size, f.pages))
            .collect()
    };
    assert_eq!(names(&a), names(&b), "background PDFs handed over");
    assert_eq!(names(&b).len(), 1);
    assert_eq!(
        store.form_background(&a, "official.pdf").expect("a"),
        store.form_background(&b, "official.pdf").expect("b")
    );
    assert_eq!(
        store.incoming_moves(&a).expect("a"),
        store.incoming_moves(&b).expect("b")
    );
    assert_eq!(store.towns(&a).expect("a"), store.towns(&b).expect("b"));
    // Exported again, the new tenant gives the same files.
    let again = dir.path().join("export-again");
    handover::export_tenant(
        &store,
        &b,
        &again,
        &with_secrets(),
        &setup_event(&b, "tenant.export"),
    )
    .expect("export again");
    for name in [
        "residents.csv",
        "seal_registrations.csv",
        "card_serials.csv",
        "tax_records.csv",
        "certificates.csv",
        "certificate_numbers.csv",
        "reception_numbers.csv",
    ] {
        assert_eq!(
            std::fs::read(out.join(name)).expect("first"),
            std::fs::read(again.join(name)).expect("again"),
            "{name}"
        );
    }
    assert_certificate_data_equal(&store, &a, &b);
    // The 支援措置 protection came along.
    let protected = |t: &TenantId| {
        let r = store
            .get_resident(t, &AtenaNo::from_sequence(2))
            .expect("get")
            .expect("resident");
        store
            .protected_households(t, &[r.household_no])
            .expect("protected")
            .len()
    };
    assert_eq!((protected(&a), protected(&b)), (1, 1));

    // Importing again into the now filled tenant is refused.
    let err = handover::import_tenant(&store, &b, &out, None, today(), &event(&b))
        .expect_err("not empty");
    assert!(err.to_string().contains("既にデータがあります"), "{err}");
}

/// Card serials, 課税, certificates and counters of `b` are those of `a` (and `a` has each).
fn assert_certificate_data_equal(store: &dyn Store, a: &TenantId, b: &TenantId) {
    let cards = store.all_card_serials(a).expect("a");
    assert!(
        cards.iter().any(|c| c.revoked_on.is_some()) && cards.iter().any(|c| c.is_active()),
        "the demo city's serials, in force and revoked: {}",
        cards.len()
    );
    assert_eq!(cards, store.all_card_serials(b).expect("b"), "card serials");
    let tax = store.all_tax_records(a).expect("a");
    assert!(
        tax.iter().any(|t| t.tax.taxable) && tax.iter().any(|t| !t.tax.taxable),
        "the demo city's 課税 and 非課税: {}",
        tax.len()
    );
    assert_eq!(tax, store.all_tax_records(b).expect("b"), "課税");
    let issued = certificates(store, a);
    assert_eq!(issued.len(), 2);
    assert!(issued[1].revoked_at.is_some());
    assert_eq!(
        issued,
        certificates(store, b),
        "every certificate, every field"
    );
    let counters = store.certificate_counters(a).expect("a");
    assert_eq!(
        counters,
        madoguchi_store::CertificateCounters {
            issue_numbers: vec![(2026, 2)],
            reception_numbers: vec![(today(), 2)],
        }
    );
    assert_eq!(counters, store.certificate_counters(b).expect("b"));
    // The registry items (本籍・筆頭者, 住民票コード, 前住所) came along with the residents.
    let registry = |t: &TenantId| {
        residents(store, t)
            .into_iter()
            .map(|r| r.registry)
            .collect::<Vec<_>>()
    };
    let items = registry(a);
    assert!(
        items
            .iter()
            .any(|r| r.honseki.is_some() && r.juminhyo_code.is_some())
            && items.iter().any(|r| r.previous_address.is_some()),
        "the demo city has registry items"
    );
    assert_eq!(items, registry(b));
    // The new tenant verifies and reprints the old certificates, and numbers on after them.
    use madoguchi_server::certificates::Verdict;
    let verdicts: Vec<Verdict> = issued
        .iter()
        .map(|c| {
            use base64::Engine;
            let short: Vec<u8> = (0..16)
                .map(|i| u8::from_str_radix(&c.digest[2 * i..2 * i + 2], 16).expect("hex"))
                .collect();
            let body = format!(
                "{}.{}",
                c.issue_no,
                base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(short)
            );
            madoguchi_server::certificates::check(store, b, &body)
                .expect("check")
                .0
        })
        .collect();
    assert_eq!(verdicts, [Verdict::Valid, Verdict::Revoked]);
    assert_eq!(
        store.take_reception_number(b, today()).expect("reception"),
        3,
        "受付番号 go on"
    );
}

#[test]
fn a_package_without_certificate_data_still_imports() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SqliteStore::open(&dir.path().join("db.sqlite3")).expect("store");
    let a = TenantId("a".into());
    filled(&store, &a);
    let out = dir.path().join("export");
    handover::export_tenant(
        &store,
        &a,
        &out,
        &with_secrets(),
        &setup_event(&a, "tenant.export"),
    )
    .expect("export");
    // As written by a version before these files: not in the manifest, not in the folder.
    let newer = [
        "card_serials.csv",
        "tax_records.csv",
        "certificates.csv",
        "certificate_numbers.csv",
        "reception_numbers.csv",
    ];
    let mut manifest: handover::Manifest =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).expect("read"))
            .expect("json");
    manifest.files.retain(|f| !newer.contains(&f.name.as_str()));
    std::fs::write(
        out.join("manifest.json"),
        serde_json::to_vec(&manifest).expect("json"),
    )
    .expect("write");
    for name in newer {
        std::fs::remove_file(out.join(name)).expect("remove");
    }
    let b = TenantId("b".into());
    handover::import_tenant(&store, &b, &out, None, today(), &event(&b)).expect("import");
    assert_eq!(store.count_residents(&b).expect("count"), 300);
    assert!(store.all_card_serials(&b).expect("cards").is_empty());
    assert!(store.all_tax_records(&b).expect("tax").is_empty());
    assert!(certificates(&store, &b).is_empty());
    assert_eq!(
        store.certificate_counters(&b).expect("counters"),
        madoguchi_store::CertificateCounters::default()
    );
}

#[test]
fn a_tenant_with_certificates_is_not_empty() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SqliteStore::open(&dir.path().join("db.sqlite3")).expect("store");
    let a = TenantId("a".into());
    filled(&store, &a);
    let out = dir.path().join("export");
    handover::export_tenant(
        &store,
        &a,
        &out,
        &with_secrets(),
        &setup_event(&a, "tenant.export"),
    )
    .expect("export");
    let c = TenantId("c".into());
    store.ensure_tenant(&c, "C村").expect("tenant");
    issue_certificates(&store, &c);
    let err = handover::import_tenant(&store, &c, &out, None, today(), &event(&c))
        .expect_err("not empty");
    assert!(err.to_string().contains("既にデータがあります"), "{err}");
    assert_eq!(certificates(&store, &c).len(), 2, "nothing removed");
}

#[test]
fn a_bad_export_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SqliteStore::open(&dir.path().join("db.sqlite3")).expect("store");
    let a = TenantId("a".into());
    filled(&store, &a);
    let out = dir.path().join("export");
    handover::export_tenant(
        &store,
        &a,
        &out,
        &with_secrets(),
        &setup_event(&a, "tenant.export"),
    )
    .expect("export");

    // Tampered: refused before anything is written.
    let cases = out.join("cases.csv");
    let original = std::fs::read_to_string(&cases).expect("cases");
    std::fs::write(&cases, original.replace("転居", "転入")).expect("tamper");
    let b = TenantId("b".into());
    let err =
        handover::import_tenant(&store, &b, &out, None, today(), &event(&b)).expect_err("tampered");
    assert!(err.to_string().contains("cases.csv"), "{err}");
    assert_eq!(store.tenant_name(&b).expect("name"), None);

    // Consistent with its manifest but failing late (a case document that is not one): everything
    // written before is removed again.
    std::fs::write(
        &cases,
        original.replace("\"\"visitor\"\"", "\"\"visitorx\"\""),
    )
    .expect("break");
    let mut manifest: handover::Manifest =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).expect("read"))
            .expect("json");
    for f in &mut manifest.files {
        if f.name == "cases.csv" {
            f.sha256 =
                madoguchi_server::import::sha256_hex(&std::fs::read(&cases).expect("read")[..])
                    .expect("hash");
        }
    }
    std::fs::write(
        out.join("manifest.json"),
        serde_json::to_vec(&manifest).expect("json"),
    )
    .expect("write");
    let err = handover::import_tenant(&store, &b, &out, None, today(), &event(&b))
        .expect_err("late failure");
    assert!(err.to_string().contains("case-0001"), "{err}");
    assert_eq!(store.tenant_name(&b).expect("name"), None, "rolled back");
    assert_eq!(store.count_residents(&b).expect("count"), 0);
    assert!(store.list_users(&b).expect("users").is_empty());
    assert_eq!(
        store.count_residents(&a).expect("count"),
        300,
        "the source is untouched"
    );
}

#[test]
fn deletion_removes_everything_and_reports_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SqliteStore::open(&dir.path().join("db.sqlite3")).expect("store");
    let a = TenantId("a".into());
    let b = TenantId("b".into());
    filled(&store, &a);
    filled(&store, &b);
    // Both tenants have the same demo city: b's counts are a's.
    let seals_b = store.all_seal_registrations(&b).expect("seals").len();
    let cards_b = store.all_card_serials(&b).expect("cards").len();
    let tax_b = store.all_tax_records(&b).expect("tax").len();
    let report =
        handover::delete_tenant(&store, &a, &setup_event(&a, "tenant.delete")).expect("delete");
    assert!(report.starts_with("データ消去報告書"), "{report}");
    assert!(report.contains("住民: 300"), "{report}");
    assert!(report.contains("案件: 1"), "{report}");
    // The demo account and the self-service accounts of the kiosk and the issuance station.
    assert!(report.contains("職員: 3"), "{report}");
    assert!(report.contains("発行した証明書: 2"), "{report}");
    assert!(report.contains("発行番号の採番（年度ごと）: 1"), "{report}");
    assert!(report.contains("受付番号の採番（日ごと）: 1"), "{report}");
    for (label, n) in [
        ("印鑑登録", seals_b),
        ("利用者証明用電子証明書シリアル番号", cards_b),
        ("課税情報", tax_b),
    ] {
        assert!(
            report.contains(&format!("  {label}: {n}\n")),
            "{label} {n}: {report}"
        );
    }
    assert!(store.all_card_serials(&a).expect("cards").is_empty());
    assert!(store.all_tax_records(&a).expect("tax").is_empty());
    assert!(certificates(&store, &a).is_empty());
    assert_eq!(store.tenant_name(&a).expect("name"), None);
    assert!(residents(&store, &a).is_empty());
    assert_eq!(
        residents(&store, &b).len(),
        300,
        "the other tenant is untouched"
    );
    assert_eq!(certificates(&store, &b).len(), 2);
    assert_eq!(store.all_card_serials(&b).expect("cards").len(), cards_b);
    assert!(matches!(
        handover::delete_tenant(&store, &a, &setup_event(&a, "tenant.delete")),
        Err(HandoverError::Invalid(_))
    ));
}
