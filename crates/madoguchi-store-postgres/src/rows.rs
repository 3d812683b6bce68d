//! Mapping between [`Resident`] and the `residents` table, the import's batched writes, and search.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use madoguchi_core::ids::AtenaNo;
use madoguchi_core::registry::{JuminhyoCode, RegistryItems};
use madoguchi_core::relationship::parse_relation;
use madoguchi_core::resident::{
    Address, BirthDate, ForeignInfo, Name, Resident, ResidentKind, ResidentStatus, Sex,
    SupportMeasure,
};
use madoguchi_store::{
    ImportCounts, PutOutcome, ResidentQuery, ResidentSink, SearchKeys, StoreError, StoreResult,
    TenantId,
};
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{ToSql, Type};
use postgres::{Row, Transaction};

use crate::grams;
use crate::sql::be;

/// Columns of a resident, in the order of [`values`].
const COLUMNS: &[&str] = &[
    "atena_no",
    "household_no",
    "kind",
    "status",
    "full_name",
    "surname",
    "given",
    "kana",
    "surname_kana",
    "given_kana",
    "former_surname",
    "former_surname_kana",
    "alias",
    "alias_kana",
    "foreign_romaji",
    "foreign_kanji",
    "birth_date",
    "birth_unknown_text",
    "sex",
    "relation",
    "city_code",
    "town_code",
    "prefecture",
    "city",
    "town",
    "banchi",
    "katagaki",
    "postal_code",
    "became_resident_on",
    "address_fixed_on",
    "nationality",
    "status_of_residence",
    "period_of_stay",
    "stay_expiry",
    "support_measure",
    "kana_key",
    "name_key",
    "honseki",
    "hittosha",
    "juminhyo_code",
    "previous_address",
];

/// Rows written per batch of an import (one COPY into a temporary table, then one INSERT … SELECT per
/// table).
const BATCH_ROWS: usize = 5_000;
/// 宛名番号 per `DELETE … = ANY($2)` statement.
const DELETE_CHUNK: usize = 10_000;

/// One stored value.
enum Val<'a> {
    Text(Option<&'a str>),
    Small(i16),
    Date(Option<NaiveDate>),
}

impl Val<'_> {
    fn as_sql(&self) -> &(dyn ToSql + Sync) {
        match self {
            Val::Text(s) => s,
            Val::Small(i) => i,
            Val::Date(d) => d,
        }
    }

    fn sql_type(&self) -> Type {
        match self {
            Val::Text(_) => Type::TEXT,
            Val::Small(_) => Type::INT2,
            Val::Date(_) => Type::DATE,
        }
    }
}

fn kind_code(k: ResidentKind) -> i16 {
    match k {
        ResidentKind::Japanese => 1,
        ResidentKind::Foreign => 2,
    }
}

fn status_code(s: ResidentStatus) -> i16 {
    match s {
        ResidentStatus::Resident => 1,
        ResidentStatus::MovedOut => 2,
        ResidentStatus::Deceased => 3,
        ResidentStatus::Removed => 4,
    }
}

/// The stored values of a resident, in [`COLUMNS`] order, borrowed.
fn values<'a>(r: &'a Resident, keys: &'a SearchKeys, relation: &'a str) -> Vec<Val<'a>> {
    let n = &r.name;
    let a = &r.address;
    let f = r.foreign.as_ref();
    let unknown = match &r.birth {
        BirthDate::Known(_) => None,
        BirthDate::Unknown { text, .. } => Some(text.as_str()),
    };
    let t = |s: Option<&'a str>| Val::Text(s);
    vec![
        t(Some(r.atena_no.as_str())),
        t(Some(r.household_no.as_str())),
        Val::Small(kind_code(r.kind)),
        Val::Small(status_code(r.status)),
        t(Some(&n.full)),
        t(n.surname.as_deref()),
        t(n.given.as_deref()),
        t(n.kana.as_deref()),
        t(n.surname_kana.as_deref()),
        t(n.given_kana.as_deref()),
        t(n.former_surname.as_deref()),
        t(n.former_surname_kana.as_deref()),
        t(n.alias.as_deref()),
        t(n.alias_kana.as_deref()),
        t(n.foreign_romaji.as_deref()),
        t(n.foreign_kanji.as_deref()),
        Val::Date(r.birth.date()),
        t(unknown),
        Val::Small(match r.sex {
            Sex::Male => 1,
            Sex::Female => 2,
        }),
        t(Some(relation)),
        t(Some(&a.city_code)),
        t(a.town_code.as_deref()),
        t(Some(&a.prefecture)),
        t(Some(&a.city)),
        t(Some(&a.town)),
        t(a.banchi.as_deref()),
        t(a.katagaki.as_deref()),
        t(a.postal_code.as_deref()),
        Val::Date(r.became_resident_on),
        Val::Date(r.address_fixed_on),
        t(f.map(|f| f.nationality.as_str())),
        t(f.and_then(|f| f.status_of_residence.as_deref())),
        t(f.and_then(|f| f.period_of_stay.as_deref())),
        Val::Date(f.and_then(|f| f.expiry)),
        Val::Small(support_code(r.support_measure)),
        t(Some(&keys.kana)),
        t(Some(grams::first_name(keys))),
        t(r.registry.honseki.as_deref()),
        t(r.registry.hittosha.as_deref()),
        t(r.registry.juminhyo_code.as_ref().map(JuminhyoCode::as_str)),
        t(r.registry.previous_address.as_deref()),
    ]
}

fn support_code(m: SupportMeasure) -> i16 {
    // Codes 0..=2 (SupportMeasure::code); anything else is stored as "protected".
    i16::try_from(m.code()).unwrap_or(1)
}

/// FNV-1a over the stored values: detects whether a re-imported row changed anything.
fn row_hash(vals: &[Val<'_>]) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for v in vals {
        match v {
            Val::Text(None) | Val::Date(None) => feed(&[0]),
            Val::Small(i) => {
                feed(&[1]);
                feed(&i.to_le_bytes());
            }
            Val::Text(Some(s)) => {
                feed(&[2]);
                feed(&(s.len() as u64).to_le_bytes());
                feed(s.as_bytes());
            }
            Val::Date(Some(d)) => {
                feed(&[3]);
                feed(d.to_string().as_bytes());
            }
        }
    }
    h as i64
}

/// The 宛名番号 as a number (the import keeps one entry per resident in memory).
fn atena_key(a: &AtenaNo) -> StoreResult<u64> {
    let s = a.as_str();
    if s.len() != 15 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(StoreError::Backend("宛名番号 is not 15 digits".into()));
    }
    s.parse()
        .map_err(|_| StoreError::Backend("宛名番号 is not 15 digits".into()))
}

fn atena_text(key: u64) -> String {
    format!("{key:015}")
}

/// What the import knows of one resident of the tenant.
#[derive(Clone, Copy)]
struct Known {
    hash: i64,
    present: bool,
    /// Written by this import (a full import removes the present ones that were not).
    seen: bool,
}

/// A row waiting for the next batch.
struct Pending {
    resident: Resident,
    keys: SearchKeys,
    hash: i64,
}

/// The write side of an import: decides each row's outcome at once (against the tenant's residents
/// loaded when the import began and what this import wrote since), buffers the rows and writes them in
/// batches.
pub struct Sink<'t, 'c> {
    tx: &'t mut Transaction<'c>,
    tenant: &'t TenantId,
    known: HashMap<u64, Known>,
    batch: Vec<Pending>,
    batch_keys: HashSet<u64>,
    /// Rows of the batch that replace a stored row (deleted before the batch is inserted).
    replaced: Vec<String>,
    temp_ready: bool,
    pub counts: ImportCounts,
    /// Rows inserted, updated or removed so far (whether to refresh statistics afterwards).
    pub changed: u64,
}

impl<'t, 'c> Sink<'t, 'c> {
    /// Loads the tenant's 宛名番号 and row hashes.
    pub fn begin(tx: &'t mut Transaction<'c>, tenant: &'t TenantId) -> StoreResult<Self> {
        let mut known = HashMap::new();
        let mut rows = tx
            .query_raw(
                "SELECT atena_no, row_hash FROM residents WHERE tenant_id = $1",
                [tenant.as_str()],
            )
            .map_err(be)?;
        while let Some(row) = rows.next().map_err(be)? {
            let atena: &str = row.try_get(0).map_err(be)?;
            let key: u64 = atena
                .parse()
                .map_err(|_| StoreError::Backend("stored 宛名番号 is not numeric".into()))?;
            known.insert(
                key,
                Known {
                    hash: row.try_get(1).map_err(be)?,
                    present: true,
                    seen: false,
                },
            );
        }
        drop(rows);
        Ok(Sink {
            tx,
            tenant,
            known,
            batch: Vec::new(),
            batch_keys: HashSet::new(),
            replaced: Vec::new(),
            temp_ready: false,
            counts: ImportCounts::default(),
            changed: 0,
        })
    }

    fn ensure_temp(&mut self) -> StoreResult<()> {
        if self.temp_ready {
            return Ok(());
        }
        // Row-level security refuses COPY into the real tables; the batch goes through a temporary
        // table of the same shape (dropped with the transaction).
        self.tx
            .batch_execute(
                "CREATE TEMPORARY TABLE madoguchi_import_rows ON COMMIT DROP AS
                 SELECT r.*, s.names_key, s.kana_all, s.address_key, s.grams
                 FROM residents r JOIN resident_search s USING (tenant_id, atena_no) WITH NO DATA",
            )
            .map_err(be)?;
        self.temp_ready = true;
        Ok(())
    }

    /// Writes the buffered rows.
    pub fn flush(&mut self) -> StoreResult<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        self.ensure_temp()?;
        let cols = COLUMNS.join(", ");
        let copy_sql = format!(
            "COPY madoguchi_import_rows (tenant_id, {cols}, row_hash, names_key, kana_all, address_key, grams)
             FROM STDIN (FORMAT binary)"
        );
        let batch = std::mem::take(&mut self.batch);
        let mut types = vec![Type::TEXT];
        if let Some(first) = batch.first() {
            let relation = first.resident.relation.to_string();
            types.extend(
                values(&first.resident, &first.keys, &relation)
                    .iter()
                    .map(Val::sql_type),
            );
        }
        types.extend([
            Type::INT8,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT_ARRAY,
        ]);
        let copy = self.tx.copy_in(&copy_sql).map_err(be)?;
        let mut writer = BinaryCopyInWriter::new(copy, &types);
        let tenant = self.tenant.as_str();
        for p in &batch {
            let relation = p.resident.relation.to_string();
            let vals = values(&p.resident, &p.keys, &relation);
            let gram_list = grams::of_keys(&p.keys);
            let mut row: Vec<&(dyn ToSql + Sync)> = Vec::with_capacity(vals.len() + 6);
            row.push(&tenant);
            row.extend(vals.iter().map(Val::as_sql));
            row.push(&p.hash);
            row.push(&p.keys.names);
            row.push(&p.keys.kana_all);
            row.push(&p.keys.address);
            row.push(&gram_list);
            writer.write(&row).map_err(be)?;
        }
        writer.finish().map_err(be)?;
        if !self.replaced.is_empty() {
            let replaced = std::mem::take(&mut self.replaced);
            delete_residents(self.tx, self.tenant, &replaced)?;
        }
        self.tx
            .batch_execute(&format!(
                "INSERT INTO residents (tenant_id, {cols}, row_hash)
                 SELECT tenant_id, {cols}, row_hash FROM madoguchi_import_rows;
                 INSERT INTO resident_search (tenant_id, atena_no, kana_key, names_key, kana_all,
                                              address_key, grams)
                 SELECT tenant_id, atena_no, kana_key, names_key, kana_all, address_key, grams
                 FROM madoguchi_import_rows;
                 TRUNCATE madoguchi_import_rows"
            ))
            .map_err(be)?;
        self.batch_keys.clear();
        Ok(())
    }

    /// Removes the residents a full import did not write; returns how many.
    pub fn remove_unseen(&mut self) -> StoreResult<u64> {
        self.flush()?;
        let gone: Vec<String> = self
            .known
            .iter()
            .filter(|(_, k)| k.present && !k.seen)
            .map(|(key, _)| atena_text(*key))
            .collect();
        let n = delete_residents(self.tx, self.tenant, &gone)?;
        for k in self.known.values_mut() {
            if !k.seen {
                k.present = false;
            }
        }
        self.changed += n;
        Ok(n)
    }
}

/// Deletes residents (their search rows go with them); returns how many were deleted.
fn delete_residents(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    atena: &[String],
) -> StoreResult<u64> {
    let mut n = 0;
    for chunk in atena.chunks(DELETE_CHUNK) {
        n += tx
            .execute(
                "DELETE FROM residents WHERE tenant_id = $1 AND atena_no = ANY($2)",
                &[&tenant.as_str(), &chunk],
            )
            .map_err(be)?;
    }
    Ok(n)
}

impl ResidentSink for Sink<'_, '_> {
    fn put(&mut self, r: &Resident) -> StoreResult<PutOutcome> {
        let key = atena_key(&r.atena_no)?;
        if self.batch_keys.contains(&key) {
            // The same resident twice in one batch: write the first before deciding on the second.
            self.flush()?;
        }
        let keys = SearchKeys::of(r);
        let relation = r.relation.to_string();
        let hash = row_hash(&values(r, &keys, &relation));
        let before = self.known.get(&key).copied();
        let outcome = match before {
            Some(k) if k.present && k.hash == hash => PutOutcome::Unchanged,
            Some(k) if k.present => PutOutcome::Updated,
            _ => PutOutcome::Inserted,
        };
        self.known.insert(
            key,
            Known {
                hash,
                present: true,
                seen: true,
            },
        );
        match outcome {
            PutOutcome::Unchanged => self.counts.unchanged += 1,
            PutOutcome::Updated => {
                self.counts.updated += 1;
                self.replaced.push(r.atena_no.as_str().to_owned());
            }
            PutOutcome::Inserted => self.counts.inserted += 1,
        }
        if outcome != PutOutcome::Unchanged {
            self.changed += 1;
            self.batch_keys.insert(key);
            self.batch.push(Pending {
                resident: r.clone(),
                keys,
                hash,
            });
            if self.batch.len() >= BATCH_ROWS {
                self.flush()?;
            }
        }
        Ok(outcome)
    }

    fn remove(&mut self, atena_no: &AtenaNo) -> StoreResult<bool> {
        let key = atena_key(atena_no)?;
        if self.batch_keys.contains(&key) {
            self.flush()?;
        }
        let n = self
            .tx
            .execute(
                "DELETE FROM residents WHERE tenant_id = $1 AND atena_no = $2",
                &[&self.tenant.as_str(), &atena_no.as_str()],
            )
            .map_err(be)?;
        if let Some(k) = self.known.get_mut(&key) {
            k.present = false;
        }
        if n > 0 {
            self.counts.removed += 1;
            self.changed += 1;
        }
        Ok(n > 0)
    }
}

/// Resident columns as selected (alias `r`).
const SELECT: &str = "r.atena_no, r.household_no, r.kind, r.status, r.full_name, r.surname, r.given, r.kana,
    r.surname_kana, r.given_kana, r.former_surname, r.former_surname_kana, r.alias, r.alias_kana,
    r.foreign_romaji, r.foreign_kanji, r.birth_date, r.birth_unknown_text, r.sex, r.relation, r.city_code,
    r.town_code, r.prefecture, r.city, r.town, r.banchi, r.katagaki, r.postal_code, r.became_resident_on,
    r.address_fixed_on, r.nationality, r.status_of_residence, r.period_of_stay, r.stay_expiry,
    (CASE WHEN r.support_measure <> 0 THEN r.support_measure
          ELSE coalesce((SELECT s.measure FROM support_measures s
                         WHERE s.tenant_id = r.tenant_id AND s.atena_no = r.atena_no), 0)
     END)::smallint,
    r.honseki, r.hittosha, r.juminhyo_code, r.previous_address";

fn corrupt(what: &str) -> StoreError {
    StoreError::Backend(format!("stored resident has a bad {what}"))
}

fn from_row(row: &Row) -> StoreResult<Resident> {
    let get_text = |i: usize| -> StoreResult<Option<String>> {
        row.try_get::<_, Option<String>>(i).map_err(be)
    };
    let need =
        |i: usize, what: &str| -> StoreResult<String> { get_text(i)?.ok_or_else(|| corrupt(what)) };
    let get_date = |i: usize| -> StoreResult<Option<NaiveDate>> {
        row.try_get::<_, Option<NaiveDate>>(i).map_err(be)
    };
    let small = |i: usize| -> StoreResult<i16> { row.try_get::<_, i16>(i).map_err(be) };
    let kind = match small(2)? {
        2 => ResidentKind::Foreign,
        _ => ResidentKind::Japanese,
    };
    let status = match small(3)? {
        2 => ResidentStatus::MovedOut,
        3 => ResidentStatus::Deceased,
        4 => ResidentStatus::Removed,
        _ => ResidentStatus::Resident,
    };
    let birth_date = get_date(16)?;
    let birth = match get_text(17)? {
        Some(text) => BirthDate::Unknown {
            text,
            internal: birth_date,
        },
        None => BirthDate::Known(birth_date.ok_or_else(|| corrupt("birth date"))?),
    };
    let foreign = match get_text(30)? {
        Some(nationality) => Some(ForeignInfo {
            nationality,
            status_of_residence: get_text(31)?,
            period_of_stay: get_text(32)?,
            expiry: get_date(33)?,
        }),
        None => None,
    };
    Ok(Resident {
        atena_no: AtenaNo::parse(&need(0, "宛名番号")?).map_err(|_| corrupt("宛名番号"))?,
        household_no: AtenaNo::parse(&need(1, "世帯番号")?).map_err(|_| corrupt("世帯番号"))?,
        kind,
        status,
        name: Name {
            full: need(4, "name")?,
            surname: get_text(5)?,
            given: get_text(6)?,
            kana: get_text(7)?,
            surname_kana: get_text(8)?,
            given_kana: get_text(9)?,
            former_surname: get_text(10)?,
            former_surname_kana: get_text(11)?,
            alias: get_text(12)?,
            alias_kana: get_text(13)?,
            foreign_romaji: get_text(14)?,
            foreign_kanji: get_text(15)?,
        },
        birth,
        sex: if small(18)? == 2 {
            Sex::Female
        } else {
            Sex::Male
        },
        relation: parse_relation(&need(19, "relation")?).map_err(|_| corrupt("relation"))?,
        address: Address {
            city_code: need(20, "address")?,
            town_code: get_text(21)?,
            prefecture: need(22, "address")?,
            city: need(23, "address")?,
            town: need(24, "address")?,
            banchi: get_text(25)?,
            katagaki: get_text(26)?,
            postal_code: get_text(27)?,
        },
        became_resident_on: get_date(28)?,
        address_fixed_on: get_date(29)?,
        foreign,
        support_measure: SupportMeasure::from_code(i64::from(small(34)?)),
        registry: RegistryItems {
            honseki: get_text(35)?,
            hittosha: get_text(36)?,
            juminhyo_code: get_text(37)?
                .map(|c| JuminhyoCode::parse(&c).ok_or_else(|| corrupt("住民票コード")))
                .transpose()?,
            previous_address: get_text(38)?,
        },
    })
}

/// Smallest string greater than every string that starts with `prefix` in code-point order, if any.
fn prefix_upper(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let next = match last as u32 {
            0xD7FF => Some('\u{E000}'),
            c => char::from_u32(c + 1),
        };
        if let Some(n) = next {
            chars.push(n);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// Positional parameters of one statement.
#[derive(Default)]
struct Params {
    values: Vec<Box<dyn ToSql + Sync>>,
}

impl Params {
    fn push(&mut self, v: impl ToSql + Sync + 'static) -> String {
        self.values.push(Box::new(v));
        format!("${}", self.values.len())
    }

    fn refs(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.values.iter().map(|b| b.as_ref()).collect()
    }
}

/// A substring condition on the search index (alias `s`).
struct Term {
    column: &'static str,
    tag: char,
    text: String,
}

/// Sets the grams the search index shows in this transaction (see the migration's `search_read`).
fn show_grams(tx: &mut Transaction<'_>, grams: &[String]) -> StoreResult<()> {
    tx.execute(
        "SELECT set_config('madoguchi.grams', $1::text[]::text, true)",
        &[&grams],
    )
    .map_err(be)?;
    Ok(())
}

/// A candidate of a window query: what ranking needs.
struct Candidate {
    atena_no: String,
    kana_key: String,
    names_key: String,
}

fn run_window(tx: &mut Transaction<'_>, sql: &str, p: &Params) -> StoreResult<Vec<Candidate>> {
    let rows = tx.query(sql, &p.refs()).map_err(be)?;
    rows.iter()
        .map(|row| {
            Ok(Candidate {
                atena_no: row.try_get(0).map_err(be)?,
                kana_key: row.try_get(1).map_err(be)?,
                names_key: row.try_get(2).map_err(be)?,
            })
        })
        .collect()
}

/// The residents with these 宛名番号, in the order given.
fn fetch_ordered(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    atena: &[String],
) -> StoreResult<Vec<Resident>> {
    if atena.is_empty() {
        return Ok(Vec::new());
    }
    let sql =
        format!("SELECT {SELECT} FROM residents r WHERE r.tenant_id = $1 AND r.atena_no = ANY($2)");
    let rows = tx.query(&sql, &[&tenant.as_str(), &atena]).map_err(be)?;
    let mut by_atena: HashMap<String, Resident> = HashMap::with_capacity(rows.len());
    for row in &rows {
        let r = from_row(row)?;
        by_atena.insert(r.atena_no.as_str().to_owned(), r);
    }
    Ok(atena.iter().filter_map(|a| by_atena.remove(a)).collect())
}

/// Candidates taken from the search index per phase: at least this many (then ranked), so that "name
/// prefix first, then by reading" holds exactly whenever fewer match, as in the SQLite backend's window.
const MIN_WINDOW: usize = 200;

pub fn search(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    q: &ResidentQuery,
) -> StoreResult<Vec<Resident>> {
    let limit = q.limit.max(1);
    let non_empty = |s: &Option<String>| s.as_deref().filter(|s| !s.is_empty()).map(str::to_owned);
    let kana = non_empty(&q.kana);
    let name = non_empty(&q.name);
    let address = non_empty(&q.address);
    // Nothing stored contains NUL (PostgreSQL text cannot), so such a query matches nothing.
    if [&kana, &name, &address]
        .iter()
        .any(|s| s.as_deref().is_some_and(|s| s.contains('\0')))
    {
        return Ok(Vec::new());
    }
    let mut out: Vec<Resident> = Vec::new();
    let mut seen: HashSet<AtenaNo> = HashSet::new();
    let mut take = |found: Vec<Resident>, out: &mut Vec<Resident>| {
        for r in found {
            if out.len() >= limit {
                break;
            }
            if seen.insert(r.atena_no.clone()) {
                out.push(r);
            }
        }
    };

    let hide_protected = address.is_some() && !q.address_matches_protected;
    // Filters on the resident that apply whatever drives the query.
    let filters = |p: &mut Params| -> String {
        let mut f = String::new();
        if let Some(a) = &q.atena_no {
            f.push_str(&format!(
                " AND r.atena_no = {}",
                p.push(a.as_str().to_owned())
            ));
        }
        if let Some(b) = q.birth {
            f.push_str(&format!(" AND r.birth_date = {}", p.push(b)));
        }
        if hide_protected {
            f.push_str(madoguchi_store::NOT_IN_PROTECTED_HOUSEHOLD);
        }
        f
    };
    let mut terms: Vec<Term> = Vec::new();
    if let Some(n) = &name {
        terms.push(Term {
            column: "names_key",
            tag: grams::NAMES,
            text: n.clone(),
        });
    }
    if let Some(a) = &address {
        terms.push(Term {
            column: "address_key",
            tag: grams::ADDRESS,
            text: a.clone(),
        });
    }
    let term_sql = |terms: &[Term], p: &mut Params| -> String {
        terms
            .iter()
            .map(|t| {
                format!(
                    " AND strpos(s.{}, {}) > 0",
                    t.column,
                    p.push(t.text.clone())
                )
            })
            .collect()
    };
    let term_grams = |terms: &[Term]| -> Vec<String> {
        let mut g: Vec<String> = terms
            .iter()
            .flat_map(|t| grams::covering(t.tag, &t.text))
            .collect();
        g.sort();
        g.dedup();
        g
    };

    if let Some(kana) = &kana {
        // 1. Prefix of the 氏名 reading through the B-tree, in reading order.
        let mut p = Params::default();
        let t = p.push(tenant.as_str().to_owned());
        let lo = p.push(kana.clone());
        let mut sql = format!("SELECT {SELECT} FROM residents r");
        if !terms.is_empty() {
            sql.push_str(
                " JOIN resident_search s ON s.tenant_id = r.tenant_id AND s.atena_no = r.atena_no",
            );
            show_grams(tx, &term_grams(&terms))?;
        }
        sql.push_str(&format!(" WHERE r.tenant_id = {t} AND r.kana_key >= {lo}"));
        if let Some(up) = prefix_upper(kana) {
            sql.push_str(&format!(" AND r.kana_key < {}", p.push(up)));
        }
        sql.push_str(&filters(&mut p));
        sql.push_str(&term_sql(&terms, &mut p));
        sql.push_str(&format!(
            " ORDER BY r.kana_key, r.atena_no LIMIT {}",
            p.push(limit as i64)
        ));
        let rows = tx.query(&sql, &p.refs()).map_err(be)?;
        let found = rows.iter().map(from_row).collect::<StoreResult<Vec<_>>>()?;
        take(found, &mut out);
        if out.len() >= limit {
            return Ok(out);
        }
        // 2. Then partial matches anywhere in any reading.
        terms.push(Term {
            column: "kana_all",
            tag: grams::KANA,
            text: kana.clone(),
        });
    }

    if !terms.is_empty() {
        // Residents' own columns are read only when a filter needs them.
        let join = q.atena_no.is_some() || q.birth.is_some() || hide_protected;
        let window_query = |extra_grams: Option<String>,
                            prefix_of: Option<&str>,
                            window: usize,
                            tx: &mut Transaction<'_>|
         -> StoreResult<Vec<Candidate>> {
            let mut g = term_grams(&terms);
            g.extend(extra_grams);
            show_grams(tx, &g)?;
            let mut p = Params::default();
            let t = p.push(tenant.as_str().to_owned());
            let mut sql =
                "SELECT s.atena_no, s.kana_key, s.names_key FROM resident_search s".to_owned();
            if join {
                sql.push_str(
                    " JOIN residents r ON r.tenant_id = s.tenant_id AND r.atena_no = s.atena_no",
                );
            }
            sql.push_str(&format!(" WHERE s.tenant_id = {t}"));
            sql.push_str(&term_sql(&terms, &mut p));
            if let Some(prefix) = prefix_of {
                sql.push_str(&format!(
                    " AND EXISTS (SELECT 1 FROM unnest(string_to_array(s.names_key, ' ')) AS n(part)
                                  WHERE starts_with(n.part, {}))",
                    p.push(prefix.to_owned())
                ));
            }
            sql.push_str(&filters(&mut p));
            sql.push_str(&format!(" LIMIT {}", p.push(window as i64)));
            run_window(tx, &sql, &p)
        };
        let window = (limit * 4).max(MIN_WINDOW);
        // 宛名番号 in result order, after those already found.
        let mut ranked: Vec<String> = Vec::new();
        let mut taken: HashSet<String> =
            out.iter().map(|r| r.atena_no.as_str().to_owned()).collect();
        let mut rank = |candidates: Vec<Candidate>, ranked: &mut Vec<String>| {
            for c in candidates {
                if out.len() + ranked.len() >= limit {
                    break;
                }
                if taken.insert(c.atena_no.clone()) {
                    ranked.push(c.atena_no);
                }
            }
        };
        if let Some(n) = &name {
            // 3. Names that start with the query (氏名 through its B-tree, the other names through
            //    their first characters in the search index), in reading order…
            let mut p = Params::default();
            let t = p.push(tenant.as_str().to_owned());
            let lo = p.push(n.clone());
            let mut sql = "SELECT r.atena_no, r.kana_key, '' FROM residents r".to_owned();
            let others: Vec<Term> = terms
                .iter()
                .filter(|t| t.column != "names_key")
                .map(|t| Term {
                    column: t.column,
                    tag: t.tag,
                    text: t.text.clone(),
                })
                .collect();
            if !others.is_empty() {
                sql.push_str(
                    " JOIN resident_search s ON s.tenant_id = r.tenant_id AND s.atena_no = r.atena_no",
                );
                show_grams(tx, &term_grams(&others))?;
            }
            sql.push_str(&format!(" WHERE r.tenant_id = {t} AND r.name_key >= {lo}"));
            if let Some(up) = prefix_upper(n) {
                sql.push_str(&format!(" AND r.name_key < {}", p.push(up)));
            }
            sql.push_str(&filters(&mut p));
            sql.push_str(&term_sql(&others, &mut p));
            sql.push_str(&format!(
                " ORDER BY r.name_key, r.atena_no LIMIT {}",
                p.push((window + out.len()) as i64)
            ));
            let mut heads = run_window(tx, &sql, &p)?;
            heads.extend(window_query(
                grams::name_head(n),
                Some(n),
                window + out.len(),
                tx,
            )?);
            heads.sort_by(|a, b| (&a.kana_key, &a.atena_no).cmp(&(&b.kana_key, &b.atena_no)));
            rank(heads, &mut ranked);
        }
        if out.len() + ranked.len() < limit {
            // 4. …then every partial match: names that start with the query first, then by reading.
            let mut partial = window_query(None, None, window + out.len() + ranked.len(), tx)?;
            partial.sort_by_cached_key(|c| {
                let prefix = name
                    .as_deref()
                    .is_some_and(|n| c.names_key.split(' ').any(|k| k.starts_with(n)));
                (!prefix, c.kana_key.clone(), c.atena_no.clone())
            });
            rank(partial, &mut ranked);
        }
        let found = fetch_ordered(tx, tenant, &ranked)?;
        take(found, &mut out);
        return Ok(out);
    }

    if kana.is_none() && (q.atena_no.is_some() || q.birth.is_some()) {
        let mut p = Params::default();
        let t = p.push(tenant.as_str().to_owned());
        let mut sql = format!("SELECT {SELECT} FROM residents r WHERE r.tenant_id = {t}");
        sql.push_str(&filters(&mut p));
        sql.push_str(&format!(
            " ORDER BY r.kana_key, r.atena_no LIMIT {}",
            p.push(limit as i64)
        ));
        let rows = tx.query(&sql, &p.refs()).map_err(be)?;
        let found = rows.iter().map(from_row).collect::<StoreResult<Vec<_>>>()?;
        take(found, &mut out);
    }
    Ok(out)
}

pub fn household(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    household_no: &AtenaNo,
) -> StoreResult<Vec<Resident>> {
    let sql =
        format!("SELECT {SELECT} FROM residents r WHERE r.tenant_id = $1 AND r.household_no = $2");
    let rows = tx
        .query(&sql, &[&tenant.as_str(), &household_no.as_str()])
        .map_err(be)?;
    rows.iter().map(from_row).collect()
}

/// Every resident of the tenant in 宛名番号 order, read in pages.
pub fn for_each(
    tx: &mut Transaction<'_>,
    tenant: &TenantId,
    each: &mut dyn FnMut(Resident) -> StoreResult<()>,
) -> StoreResult<u64> {
    let sql = format!(
        "SELECT {SELECT} FROM residents r WHERE r.tenant_id = $1 AND r.atena_no > $2
         ORDER BY r.atena_no LIMIT 10000"
    );
    let mut after = String::new();
    let mut n = 0;
    loop {
        let rows = tx
            .query(sql.as_str(), &[&tenant.as_str(), &after])
            .map_err(be)?;
        let Some(last) = rows.last() else {
            return Ok(n);
        };
        after = last.try_get::<_, String>(0).map_err(be)?;
        for row in &rows {
            each(from_row(row)?)?;
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_upper_bounds_prefix() {
        let up = prefix_upper("サト").expect("bound");
        assert!("サトウ" < up.as_str());
        assert!("サトー" < up.as_str());
        assert!("サナ" >= up.as_str());
        assert_eq!(prefix_upper("a\u{D7FF}").as_deref(), Some("a\u{E000}"));
        assert_eq!(prefix_upper("a\u{10FFFF}").as_deref(), Some("b"));
        assert_eq!(prefix_upper("\u{10FFFF}"), None);
    }

    #[test]
    fn atena_keys_round_trip() {
        let a = AtenaNo::from_sequence(1);
        let k = atena_key(&a).expect("key");
        assert_eq!(atena_text(k), a.as_str());
    }
}
