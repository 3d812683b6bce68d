//! Certificates the server issues (住民票の写し, 住民票記載事項証明書, 印鑑登録証明書, 所得・課税証明書): what each line of a case prints, the content digest
//! its verification QR carries, rendering (again, for a reprint, from the stored snapshot) and checking
//! a scanned verification code. No HTTP here: the routes are in `api/certificates.rs`.
//!
//! **Tamper evidence.** A certificate's snapshot (the template data as printed, without the QR) and
//! its template `id@version` are hashed (SHA-256); the QR carries the 発行番号 and the first 16 bytes of
//! that digest, signed with the tenant's QR key. A verification finds the record by number, compares
//! the digests and reports 有効, 改ざんの疑い, 失効 or 本市発行ではない.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use madoguchi_core::case_document::{CaseDocument, CertificateLine};
use madoguchi_core::certificate::counter_items::CounterItems;
use madoguchi_core::certificate::juminhyo::{self, IssueText};
use madoguchi_core::certificate::{
    Item, Refusal, Scope, check_subject, fiscal_year, inkan, kisai, tax,
};
use madoguchi_core::ids::AtenaNo;
use madoguchi_core::resident::Resident;
use madoguchi_forms::library::Library;
use madoguchi_qr_payload::{Kind, Signer};
use madoguchi_store::{CertificateRecord, NewCertificate, Store, StoreError, TenantId};
use serde_json::Value;

use crate::printing::{FormsService, PrintingError};

/// Fee-table items of the certificates Madoguchi issues: 住民票の写し, 印鑑登録証明書, 所得・課税証明書.
pub const JUMINHYO: &str = "JUMINHYO";
pub const INKAN: &str = "INKAN-SHOMEI";
pub const SHOTOKU: &str = "SHOTOKU-SHOMEI";
/// 住民票記載事項証明書.
pub const KISAI: &str = kisai::ITEM;
/// Tenant settings: the mayor's name as printed, and the 公印 (`data:image/png;base64,…`).
pub const MAYOR_SETTING: &str = "certificate_mayor";
pub const SEAL_SETTING: &str = "certificate_seal";
/// Tenant setting: which certificates each counter issues ([`CounterItems`], JSON); absent: every
/// counter issues every certificate.
pub const COUNTER_ITEMS_SETTING: &str = "counter_certificates";

/// Why certificates cannot be issued or checked.
#[derive(Debug)]
pub enum CertificateError {
    /// The request itself is wrong (Japanese, for the user).
    Invalid(&'static str, String),
    /// A person printed on it cannot have a certificate issued here (Japanese reasons for staff).
    Refused(Vec<Refusal>),
    /// A value does not fit or a character cannot be printed (the forms engine's problems).
    Problems(Vec<String>),
    Printing(PrintingError),
    Store(StoreError),
}

impl From<StoreError> for CertificateError {
    fn from(e: StoreError) -> Self {
        CertificateError::Store(e)
    }
}

impl From<PrintingError> for CertificateError {
    fn from(e: PrintingError) -> Self {
        CertificateError::Printing(e)
    }
}

/// What one certificate prints.
#[derive(Debug, Clone)]
pub enum Content {
    /// 住民票の写し: the people listed (standard order), with the scope and 記載事項.
    Juminhyo {
        scope: Scope,
        items: Vec<Item>,
        people: Vec<Resident>,
    },
    /// 住民票記載事項証明書 of one person or of a household (standard order), with the 記載事項
    /// requested.
    Kisai {
        scope: Scope,
        items: Vec<Item>,
        people: Vec<Resident>,
    },
    /// 印鑑登録証明書 of one person.
    Inkan {
        person: Box<Resident>,
        seal: inkan::Seal,
    },
    /// 所得・課税証明書 of one person for one 課税年度.
    Tax {
        person: Box<Resident>,
        tax: tax::TaxYear,
    },
}

/// One certificate line to issue, resolved against the store.
#[derive(Debug, Clone)]
pub struct Planned {
    /// Fee-table item (`JUMINHYO`, `INKAN-SHOMEI`, `SHOTOKU-SHOMEI`).
    pub item: &'static str,
    pub content: Content,
    pub copies: u32,
}

impl Planned {
    /// Everyone the certificate prints (for the 支援措置 gate and the record's subjects).
    pub fn people(&self) -> Vec<&Resident> {
        match &self.content {
            Content::Juminhyo { people, .. } | Content::Kisai { people, .. } => {
                people.iter().collect()
            }
            Content::Inkan { person, .. } | Content::Tax { person, .. } => vec![person],
        }
    }

    /// The template id.
    pub fn template(&self) -> &'static str {
        match &self.content {
            Content::Juminhyo { scope, .. } => juminhyo::template(*scope),
            Content::Kisai { scope, .. } => kisai::template(*scope),
            Content::Inkan { .. } => inkan::TEMPLATE,
            Content::Tax { .. } => tax::TEMPLATE,
        }
    }
}

fn invalid(code: &'static str, message: &str) -> CertificateError {
    CertificateError::Invalid(code, message.into())
}

/// The line's subject: its own, else the visitor.
fn subject(
    store: &dyn Store,
    tenant: &TenantId,
    doc: &CaseDocument,
    line: &CertificateLine,
) -> Result<Resident, CertificateError> {
    let id = line
        .subject
        .as_deref()
        .or(doc.visitor.atena_no.as_deref())
        .ok_or_else(|| {
            invalid(
                "subject_required",
                "証明書の対象者（宛名番号）がありません。住民を検索して選んでください。",
            )
        })?;
    let atena =
        AtenaNo::parse(id).map_err(|_| invalid("invalid_id", "宛名番号が正しくありません。"))?;
    store.get_resident(tenant, &atena)?.ok_or_else(|| {
        invalid(
            "subject_not_found",
            "証明書の対象者が住民記録に見つかりません。",
        )
    })
}

/// The scope, 記載事項 and people of a 住民票の写し or a 住民票記載事項証明書 (whose scope, when the line
/// names none, is 本人のみ).
fn plan_registry_copy(
    store: &dyn Store,
    tenant: &TenantId,
    subject: &Resident,
    line: &CertificateLine,
) -> Result<Content, CertificateError> {
    let kisai = line.item == KISAI;
    let scope = if kisai {
        kisai::scope(line.scope.as_deref())
    } else {
        Scope::parse(line.scope.as_deref())
    };
    let scope = scope.ok_or_else(|| {
        invalid(
            "invalid_scope",
            "住民票の写し・住民票記載事項証明書の範囲は「世帯全員」か「本人のみ」を選んでください。",
        )
    })?;
    let items = madoguchi_core::certificate::items(line.items.as_deref())
        .map_err(|m| CertificateError::Invalid("invalid_items", m))?;
    let household = match scope {
        Scope::Household => store.household_members(tenant, &subject.household_no)?,
        Scope::Person => Vec::new(),
    };
    let people = juminhyo::members(subject, &household, scope)
        .into_iter()
        .cloned()
        .collect();
    Ok(if kisai {
        Content::Kisai {
            scope,
            items,
            people,
        }
    } else {
        Content::Juminhyo {
            scope,
            items,
            people,
        }
    })
}

/// The registration as the certificate needs it, the 印影 as a `data:` URL.
fn seal_of(
    store: &dyn Store,
    tenant: &TenantId,
    person: &Resident,
) -> Result<Option<inkan::Seal>, StoreError> {
    Ok(store.seal_registration(tenant, &person.atena_no)?.map(|r| {
        let image = r.image.as_ref().map(|bytes| {
            let kind = r.image_type.as_deref().unwrap_or("png");
            format!(
                "data:image/{kind};base64,{}",
                base64::engine::general_purpose::STANDARD.encode(bytes)
            )
        });
        inkan::Seal {
            registration_no: r.registration_no,
            abolished_on: r.abolished_on,
            image,
            width_tenth_mm: r.width_tenth_mm,
            height_tenth_mm: r.height_tenth_mm,
        }
    }))
}

/// The 課税 of `person` for the line's 課税年度 (absent: the 年度 of `today`), with the refusal when the
/// `tax` feed has not delivered it; a year outside what the feed keeps is a wrong request.
fn plan_tax(
    store: &dyn Store,
    tenant: &TenantId,
    person: Resident,
    line: &CertificateLine,
    today: chrono::NaiveDate,
) -> Result<Result<Content, Vec<Refusal>>, CertificateError> {
    let year = line.year.unwrap_or_else(|| fiscal_year(today));
    let years = tax::years_on(today);
    if !years.contains(&year) {
        return Err(CertificateError::Invalid(
            "invalid_year",
            format!(
                "所得・課税証明書の課税年度は{}から{}までで選んでください。",
                tax::nendo_ja(*years.start()),
                tax::nendo_ja(*years.end())
            ),
        ));
    }
    let found = store
        .tax_record(tenant, &person.atena_no, year)?
        .map(|r| r.tax);
    let refusals = tax::check(year, found.as_ref());
    Ok(match found {
        Some(tax) if refusals.is_empty() => Ok(Content::Tax {
            person: Box::new(person),
            tax,
        }),
        _ => Err(refusals),
    })
}

/// The 課税年度 whose 課税 the `tax` feed has delivered for `person`, newest first, within what the
/// certificate may ask for on `today` ([`tax::years_on`]): what an issuance station offers the card
/// holder. Only the years, never an amount.
pub fn loaded_tax_years(
    store: &dyn Store,
    tenant: &TenantId,
    person: &AtenaNo,
    today: chrono::NaiveDate,
) -> Result<Vec<i32>, StoreError> {
    let mut years = Vec::new();
    for year in tax::years_on(today).rev() {
        if store.tax_record(tenant, person, year)?.is_some() {
            years.push(year);
        }
    }
    Ok(years)
}

/// The certificate lines of a case that Madoguchi issues (住民票の写し, 印鑑登録証明書,
/// 所得・課税証明書), resolved against the store: subject (the line's, else the visitor), household,
/// registration or 課税年度; every person printed checked for refusals. Other lines (戸籍 …) stay on
/// the 交付請求書 for the core systems.
pub fn plan(
    store: &dyn Store,
    tenant: &TenantId,
    doc: &CaseDocument,
    today: chrono::NaiveDate,
) -> Result<Vec<Planned>, CertificateError> {
    let mut planned = Vec::new();
    let mut refusals = Vec::new();
    for line in &doc.certificates {
        let (item, content) = match line.item.as_str() {
            JUMINHYO => {
                let s = subject(store, tenant, doc, line)?;
                (JUMINHYO, plan_registry_copy(store, tenant, &s, line)?)
            }
            KISAI => {
                let s = subject(store, tenant, doc, line)?;
                (KISAI, plan_registry_copy(store, tenant, &s, line)?)
            }
            INKAN => {
                let person = subject(store, tenant, doc, line)?;
                let seal = seal_of(store, tenant, &person)?;
                refusals.extend(inkan::check(&person, seal.as_ref(), today));
                let Some(seal) = seal else { continue };
                (
                    INKAN,
                    Content::Inkan {
                        person: Box::new(person),
                        seal,
                    },
                )
            }
            SHOTOKU => {
                let person = subject(store, tenant, doc, line)?;
                match plan_tax(store, tenant, person, line, today)? {
                    Ok(content) => (SHOTOKU, content),
                    Err(r) => {
                        refusals.extend(r);
                        continue;
                    }
                }
            }
            _ => continue,
        };
        let p = Planned {
            item,
            content,
            copies: line.copies.clamp(1, 10),
        };
        refusals.extend(p.people().into_iter().flat_map(check_subject));
        planned.push(p);
    }
    if !refusals.is_empty() {
        let mut unique = Vec::new();
        for r in refusals {
            if !unique.contains(&r) {
                unique.push(r);
            }
        }
        return Err(CertificateError::Refused(unique));
    }
    if planned.is_empty() {
        return Err(invalid(
            "no_certificates",
            "この案件には窓口システムで発行できる証明書（住民票の写し・住民票記載事項証明書・印鑑登録証明書・所得・課税証明書）がありません。",
        ));
    }
    Ok(planned)
}

/// Which certificates each counter issues (a stored value that no longer parses counts as no rule,
/// logged).
pub fn counter_items(store: &dyn Store, tenant: &TenantId) -> Result<CounterItems, StoreError> {
    let text = store.tenant_setting(tenant, COUNTER_ITEMS_SETTING)?;
    Ok(CounterItems::parse(text.as_deref().unwrap_or_default())
        .inspect_err(|e| tracing::error!("stored counter certificates no longer parse: {e}"))
        .unwrap_or_default())
}

/// The first certificate line of `doc` that `counter` does not issue (its fee-table item), if any.
/// A station's request is not the counter's: the station's setup decided what it offers.
pub fn refused_at_counter(
    store: &dyn Store,
    tenant: &TenantId,
    counter: &str,
    doc: &CaseDocument,
) -> Result<Option<String>, StoreError> {
    if doc.station.is_some() {
        return Ok(None);
    }
    let rule = counter_items(store, tenant)?;
    let items = doc.certificates.iter().map(|l| l.item.as_str());
    Ok(rule.refused(counter, items).map(str::to_owned))
}

/// What the certificates print about the city.
pub struct CityText {
    pub city: String,
    pub mayor: String,
    pub seal: Option<String>,
}

/// The city's name, mayor and 公印 from its settings (default mayor line: 「<city>長」).
pub fn city_text(store: &dyn Store, tenant: &TenantId) -> Result<CityText, StoreError> {
    let name = store.tenant_name(tenant)?.unwrap_or_default();
    // A tenant's name may carry an office (「さくら野市役所 市民課」): the city is its first word.
    let city = name
        .split([' ', '\u{3000}'])
        .next()
        .unwrap_or_default()
        .trim_end_matches("役所")
        .to_owned();
    let mayor = store
        .tenant_setting(tenant, MAYOR_SETTING)?
        .filter(|m| !m.trim().is_empty())
        .unwrap_or_else(|| format!("{city}長"));
    let seal = store
        .tenant_setting(tenant, SEAL_SETTING)?
        .filter(|s| !s.is_empty());
    Ok(CityText { city, mayor, seal })
}

/// The template data of a planned certificate with its number (QR empty: the snapshot).
pub fn snapshot(p: &Planned, issue_no: &str, today: chrono::NaiveDate, city: &CityText) -> Value {
    let issue = IssueText {
        issue_no,
        issued_on: today,
        city: &city.city,
        mayor: &city.mayor,
        seal_image: city.seal.as_deref(),
        qr: "",
    };
    match &p.content {
        Content::Juminhyo {
            scope,
            items,
            people,
        } => {
            let people: Vec<&Resident> = people.iter().collect();
            juminhyo::data(&people, *scope, items, &issue)
        }
        Content::Kisai {
            scope,
            items,
            people,
        } => {
            let people: Vec<&Resident> = people.iter().collect();
            kisai::data(&people, *scope, items, &issue)
        }
        Content::Inkan { person, seal } => inkan::data(person, seal, &issue),
        Content::Tax { person, tax } => tax::data(person, tax, &issue),
    }
}

/// A 見本 (sample) 住民票の写し of a fictional household with the city's settings, numbered 「見本」.
pub fn sample(city: &CityText, today: chrono::NaiveDate) -> Value {
    use madoguchi_core::ids::AtenaNo;
    use madoguchi_core::relationship::parse_relation;
    use madoguchi_core::resident::{
        Address, BirthDate, Name, ResidentKind, ResidentStatus, Sex, SupportMeasure,
    };
    let person =
        |seq: u64, name: &str, kana: &str, relation: &str, birth: (i32, u32, u32), sex| Resident {
            atena_no: AtenaNo::from_sequence(seq),
            household_no: AtenaNo::from_sequence(1),
            kind: ResidentKind::Japanese,
            status: ResidentStatus::Resident,
            name: Name {
                full: name.into(),
                kana: Some(kana.into()),
                ..Default::default()
            },
            birth: BirthDate::Known(
                chrono::NaiveDate::from_ymd_opt(birth.0, birth.1, birth.2).unwrap_or_default(),
            ),
            sex,
            relation: parse_relation(relation)
                .unwrap_or(madoguchi_core::relationship::Relation::Dokyonin),
            address: Address {
                city: city.city.clone(),
                town: "見本町一丁目".into(),
                banchi: Some("1番1号".into()),
                ..Default::default()
            },
            became_resident_on: chrono::NaiveDate::from_ymd_opt(2015, 4, 1),
            address_fixed_on: chrono::NaiveDate::from_ymd_opt(2015, 4, 1),
            foreign: None,
            support_measure: SupportMeasure::None,
            registry: Default::default(),
        };
    let people = [
        person(
            1,
            "見本　太郎",
            "ミホン　タロウ",
            "世帯主",
            (1980, 5, 1),
            Sex::Male,
        ),
        person(
            2,
            "見本　花子",
            "ミホン　ハナコ",
            "妻",
            (1982, 8, 15),
            Sex::Female,
        ),
        person(
            3,
            "見本　一郎",
            "ミホン　イチロウ",
            "子",
            (2012, 1, 20),
            Sex::Male,
        ),
    ];
    let refs: Vec<&Resident> = people.iter().collect();
    juminhyo::data(
        &refs,
        Scope::Household,
        &[Item::Relation],
        &IssueText {
            issue_no: "見本",
            issued_on: today,
            city: &city.city,
            mayor: &city.mayor,
            seal_image: city.seal.as_deref(),
            qr: "見本",
        },
    )
}

/// SHA-256 of the snapshot's canonical text and the template `id@version`, hex.
pub fn digest(snapshot: &str, template: &str) -> String {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    ctx.update(snapshot.as_bytes());
    ctx.update(&[0]);
    ctx.update(template.as_bytes());
    hex(ctx.finish().as_ref())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The verification code's body: 発行番号 and the digest's first 16 bytes.
fn qr_body(issue_no: &str, digest_hex: &str) -> String {
    let bytes: Vec<u8> = (0..16)
        .filter_map(|i| u8::from_str_radix(digest_hex.get(2 * i..2 * i + 2)?, 16).ok())
        .collect();
    format!("{issue_no}.{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The certificate to record for `data` (a snapshot) on `template` (`id@version`), QR signed.
pub fn new_certificate(
    signer: &Signer,
    item: &str,
    data: &Value,
    template: &str,
    issue_no: &str,
    subjects: Vec<String>,
) -> Result<NewCertificate, StoreError> {
    let snapshot = data.to_string();
    let digest = digest(&snapshot, template);
    let qr = signer
        .encode(Kind::Certificate, &qr_body(issue_no, &digest), 400)
        .map_err(|e| StoreError::Backend(format!("certificate QR: {e}")))?
        .into_iter()
        .next()
        .unwrap_or_default();
    Ok(NewCertificate {
        item: item.into(),
        template: template.into(),
        subjects,
        snapshot,
        digest,
        qr,
    })
}

/// Renders recorded certificates into one PDF, each from its snapshot on its template version.
pub fn render(
    forms: &FormsService,
    library: &Library,
    records: &[CertificateRecord],
) -> Result<(Vec<u8>, usize), CertificateError> {
    let mut pages = Vec::new();
    for r in records {
        let (id, version) = r
            .template
            .split_once('@')
            .ok_or_else(|| StoreError::Backend("certificate template malformed".into()))?;
        let template = library
            .version(id, version)
            .map_err(|e| PrintingError::Internal(e.to_string()))?;
        let mut data: Value = serde_json::from_str(&r.snapshot)
            .map_err(|_| StoreError::Backend("certificate snapshot malformed".into()))?;
        data["certificate"]["qr"] = Value::String(r.qr.clone());
        pages.push((template, data));
    }
    let refs: Vec<_> = pages.iter().map(|(t, d)| (*t, d)).collect();
    let rendered = madoguchi_forms::render(forms.fonts()?, &refs)
        .map_err(|e| PrintingError::Internal(e.to_string()))?;
    if !rendered.problems.is_empty() {
        return Err(CertificateError::Problems(
            rendered.problems.iter().map(ToString::to_string).collect(),
        ));
    }
    Ok((rendered.pdf, rendered.pages))
}

/// What a recorded certificate lists, for the verification answer: its title and the people's names
/// and birth dates as printed (never their address).
pub struct Listed {
    pub title: String,
    pub names: Vec<String>,
    pub births: Vec<String>,
}

pub fn listed(r: &CertificateRecord) -> Listed {
    let data: Value = serde_json::from_str(&r.snapshot).unwrap_or_default();
    let members = match data["members"].as_array() {
        Some(m) => m.clone(),
        None => vec![data["person"].clone()],
    };
    let column = |key: &str| {
        members
            .iter()
            .map(|m| m[key].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    Listed {
        title: data["certificate"]["title"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        names: column("name"),
        births: column("birth"),
    }
}

/// The certificates of an issue in a sentence for the case's history:
/// 「住民票の写し 2通（発行番号 R08-000001、R08-000002）、印鑑登録証明書 1通（発行番号 R08-000003）」.
pub fn issued_line(records: &[CertificateRecord]) -> String {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for r in records {
        match groups.last_mut() {
            Some((item, numbers)) if *item == r.item => numbers.push(&r.issue_no),
            _ => groups.push((&r.item, vec![&r.issue_no])),
        }
    }
    groups
        .iter()
        .map(|(item, numbers)| {
            let name = match *item {
                JUMINHYO => "住民票の写し",
                KISAI => "住民票記載事項証明書",
                INKAN => "印鑑登録証明書",
                SHOTOKU => "所得・課税証明書",
                other => other,
            };
            format!(
                "{name} {}通（発行番号 {}）",
                numbers.len(),
                numbers.join("、")
            )
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// The result of checking a verification code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Signed by this city, the number is known, the content digest matches, not revoked.
    Valid,
    /// Signed by this city, but the digest differs from the record's (or the record was altered).
    Altered,
    Revoked,
    /// Not signed by this city's key, not a certificate's code, or an unknown number.
    NotOurs,
}

impl Verdict {
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Valid => "valid",
            Verdict::Altered => "altered",
            Verdict::Revoked => "revoked",
            Verdict::NotOurs => "not_ours",
        }
    }

    pub fn message_ja(self) -> &'static str {
        match self {
            Verdict::Valid => {
                "真正な証明書です。紙面の内容が下の記録と一致するか確認してください。"
            }
            Verdict::Altered => {
                "記録と内容が一致しません。改ざんされた可能性があります。この証明書は受け付けないでください。"
            }
            Verdict::Revoked => "失効した証明書です。この証明書は受け付けないでください。",
            Verdict::NotOurs => "この市が発行した証明書のQRコードではありません。",
        }
    }
}

/// Checks scanned symbols (a certificate's verification QR) against the tenant's key and records.
pub fn verify_symbols(
    store: &dyn Store,
    tenant: &TenantId,
    signer: Option<&Signer>,
    symbols: &[String],
) -> Result<(Verdict, Option<CertificateRecord>), StoreError> {
    let Some(signer) = signer else {
        return Ok((Verdict::NotOurs, None));
    };
    let mut assembler = madoguchi_qr_payload::Assembler::default();
    let mut payload = Err(madoguchi_qr_payload::PayloadError::NotOurs);
    for s in symbols {
        payload = assembler.push(s.trim(), signer);
    }
    match payload {
        Ok(p) if p.kind == Kind::Certificate => check(store, tenant, &p.body),
        _ => Ok((Verdict::NotOurs, None)),
    }
}

/// Checks a verified payload's body against the store: the record and the verdict.
pub fn check(
    store: &dyn Store,
    tenant: &TenantId,
    body: &str,
) -> Result<(Verdict, Option<CertificateRecord>), StoreError> {
    let Some((issue_no, _)) = body.rsplit_once('.') else {
        return Ok((Verdict::NotOurs, None));
    };
    let Some(record) = store.get_certificate(tenant, issue_no)? else {
        return Ok((Verdict::NotOurs, None));
    };
    let recomputed = digest(&record.snapshot, &record.template);
    let verdict = if recomputed != record.digest || qr_body(issue_no, &recomputed) != body {
        Verdict::Altered
    } else if record.revoked_at.is_some() {
        Verdict::Revoked
    } else {
        Verdict::Valid
    };
    Ok((verdict, Some(record)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_body_carries_number_and_sixteen_digest_bytes() {
        let d = digest("{\"a\":1}", "juminhyo-setai@2026-12");
        assert_eq!(d.len(), 64);
        let body = qr_body("R08-000001", &d);
        let (no, short) = body.split_once('.').expect("dot");
        assert_eq!(no, "R08-000001");
        assert_eq!(URL_SAFE_NO_PAD.decode(short).expect("b64").len(), 16);
        assert_ne!(digest("{\"a\":2}", "juminhyo-setai@2026-12"), d);
        assert_ne!(digest("{\"a\":1}", "juminhyo-setai@2027-04"), d);
    }
}
