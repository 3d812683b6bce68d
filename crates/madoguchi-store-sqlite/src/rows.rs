//! Mapping between [`Resident`] and the `residents` table, and the search queries.

use chrono::{Datelike, NaiveDate};
use madoguchi_core::ids::AtenaNo;
use madoguchi_core::registry::{JuminhyoCode, RegistryItems};
use madoguchi_core::relationship::parse_relation;
use madoguchi_core::resident::{
    Address, BirthDate, ForeignInfo, Name, Resident, ResidentKind, ResidentStatus, Sex,
    SupportMeasure,
};
use madoguchi_store::{PutOutcome, ResidentQuery, SearchKeys, StoreError, StoreResult, TenantId};
use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use crate::sql::be;

/// Columns written for a resident, in the order of [`values`].
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
    "honseki",
    "hittosha",
    "juminhyo_code",
    "previous_address",
];

/// Separates the values of one FTS column so that a phrase never spans two of them.
const FTS_SEPARATOR: char = '\u{E000}';

fn date_text(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

fn date(d: Option<NaiveDate>) -> Value {
    d.map_or(Value::Null, |d| Value::Text(date_text(d)))
}

fn text(s: Option<&str>) -> ValueRef<'_> {
    s.map_or(ValueRef::Null, |s| ValueRef::Text(s.as_bytes()))
}

fn kind_code(k: ResidentKind) -> i64 {
    match k {
        ResidentKind::Japanese => 1,
        ResidentKind::Foreign => 2,
    }
}

fn status_code(s: ResidentStatus) -> i64 {
    match s {
        ResidentStatus::Resident => 1,
        ResidentStatus::MovedOut => 2,
        ResidentStatus::Deceased => 3,
        ResidentStatus::Removed => 4,
    }
}

/// Values of a resident that are not stored as they are held.
struct Derived {
    birth: Option<String>,
    became: Option<String>,
    fixed: Option<String>,
    expiry: Option<String>,
    relation: String,
}

impl Derived {
    fn of(r: &Resident) -> Self {
        Derived {
            birth: r.birth.date().map(date_text),
            became: r.became_resident_on.map(date_text),
            fixed: r.address_fixed_on.map(date_text),
            expiry: r.foreign.as_ref().and_then(|f| f.expiry).map(date_text),
            relation: r.relation.to_string(),
        }
    }
}

/// The stored values of a resident, in [`COLUMNS`] order, borrowed.
fn values<'a>(r: &'a Resident, keys: &'a SearchKeys, d: &'a Derived) -> Vec<ValueRef<'a>> {
    let n = &r.name;
    let a = &r.address;
    let f = r.foreign.as_ref();
    let unknown = match &r.birth {
        BirthDate::Known(_) => None,
        BirthDate::Unknown { text, .. } => Some(text.as_str()),
    };
    vec![
        text(Some(r.atena_no.as_str())),
        text(Some(r.household_no.as_str())),
        ValueRef::Integer(kind_code(r.kind)),
        ValueRef::Integer(status_code(r.status)),
        text(Some(&n.full)),
        text(n.surname.as_deref()),
        text(n.given.as_deref()),
        text(n.kana.as_deref()),
        text(n.surname_kana.as_deref()),
        text(n.given_kana.as_deref()),
        text(n.former_surname.as_deref()),
        text(n.former_surname_kana.as_deref()),
        text(n.alias.as_deref()),
        text(n.alias_kana.as_deref()),
        text(n.foreign_romaji.as_deref()),
        text(n.foreign_kanji.as_deref()),
        text(d.birth.as_deref()),
        text(unknown),
        ValueRef::Integer(match r.sex {
            Sex::Male => 1,
            Sex::Female => 2,
        }),
        text(Some(&d.relation)),
        text(Some(&a.city_code)),
        text(a.town_code.as_deref()),
        text(Some(&a.prefecture)),
        text(Some(&a.city)),
        text(Some(&a.town)),
        text(a.banchi.as_deref()),
        text(a.katagaki.as_deref()),
        text(a.postal_code.as_deref()),
        text(d.became.as_deref()),
        text(d.fixed.as_deref()),
        text(f.map(|f| f.nationality.as_str())),
        text(f.and_then(|f| f.status_of_residence.as_deref())),
        text(f.and_then(|f| f.period_of_stay.as_deref())),
        text(d.expiry.as_deref()),
        ValueRef::Integer(r.support_measure.code()),
        text(Some(&keys.kana)),
        text(r.registry.honseki.as_deref()),
        text(r.registry.hittosha.as_deref()),
        text(r.registry.juminhyo_code.as_ref().map(JuminhyoCode::as_str)),
        text(r.registry.previous_address.as_deref()),
    ]
}

/// FNV-1a over the stored values: detects whether a re-imported row changed anything.
fn row_hash(vals: &[ValueRef<'_>]) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for v in vals {
        match v {
            ValueRef::Null => feed(&[0]),
            ValueRef::Integer(i) => {
                feed(&[1]);
                feed(&i.to_le_bytes());
            }
            ValueRef::Text(s) => {
                feed(&[2]);
                feed(&(s.len() as u64).to_le_bytes());
                feed(s);
            }
            ValueRef::Real(_) | ValueRef::Blob(_) => feed(&[3]),
        }
    }
    h as i64
}

/// One character per token (see the migration), values separated by [`FTS_SEPARATOR`].
fn spaced(key: &str) -> String {
    let mut out = String::with_capacity(key.len() * 2);
    for ch in key.chars() {
        let ch = if ch == ' ' { FTS_SEPARATOR } else { ch };
        if !out.is_empty() {
            out.push(' ');
        }
        out.push(ch);
    }
    out
}

fn fts_insert(c: &Connection, id: i64, keys: &SearchKeys) -> StoreResult<()> {
    c.prepare_cached(
        "INSERT INTO residents_fts (rowid, names, kana, address) VALUES (?1, ?2, ?3, ?4)",
    )
    .map_err(be)?
    .execute(params![
        id,
        spaced(&keys.names),
        spaced(&keys.kana_all),
        spaced(&keys.address)
    ])
    .map_err(be)?;
    Ok(())
}

fn fts_delete(c: &Connection, id: i64) -> StoreResult<()> {
    c.prepare_cached("DELETE FROM residents_fts WHERE rowid = ?1")
        .map_err(be)?
        .execute([id])
        .map_err(be)?;
    Ok(())
}

fn insert_sql() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(|| {
        let placeholders: Vec<String> = (1..=COLUMNS.len() + 3).map(|i| format!("?{i}")).collect();
        format!(
            "INSERT INTO residents (tenant_id, {}, row_hash, import_seq) VALUES ({})",
            COLUMNS.join(", "),
            placeholders.join(", ")
        )
    })
}

fn update_sql() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(|| {
        let n = COLUMNS.len();
        let sets: Vec<String> = COLUMNS
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} = ?{}", i + 2))
            .collect();
        format!(
            "UPDATE residents SET {}, row_hash = ?{}, import_seq = ?{} WHERE id = ?1",
            sets.join(", "),
            n + 2,
            n + 3
        )
    })
}

fn is_constraint(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation)
}

/// Inserts or updates one resident. `assume_new` (a tenant that was empty when the import began) skips
/// the existence probe; a resident that does exist after all still takes the update path.
pub fn upsert(
    c: &Connection,
    tenant: &TenantId,
    import_seq: i64,
    r: &Resident,
    assume_new: bool,
) -> StoreResult<PutOutcome> {
    let keys = SearchKeys::of(r);
    let derived = Derived::of(r);
    let vals = values(r, &keys, &derived);
    let hash = row_hash(&vals);
    if assume_new {
        let mut stmt = c.prepare_cached(insert_sql()).map_err(be)?;
        let all = std::iter::once(text(Some(tenant.as_str())))
            .chain(vals.iter().copied())
            .chain([ValueRef::Integer(hash), ValueRef::Integer(import_seq)]);
        match stmt.execute(params_from_iter(all.map(ToSqlOutput::Borrowed))) {
            Ok(_) => {
                fts_insert(c, c.last_insert_rowid(), &keys)?;
                return Ok(PutOutcome::Inserted);
            }
            Err(e) if is_constraint(&e) => {}
            Err(e) => return Err(be(e)),
        }
    }
    let existing: Option<(i64, i64)> = c
        .prepare_cached("SELECT id, row_hash FROM residents WHERE tenant_id = ?1 AND atena_no = ?2")
        .map_err(be)?
        .query_row(params![tenant.as_str(), r.atena_no.as_str()], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()
        .map_err(be)?;
    match existing {
        Some((id, old)) if old == hash => {
            c.prepare_cached("UPDATE residents SET import_seq = ?2 WHERE id = ?1")
                .map_err(be)?
                .execute(params![id, import_seq])
                .map_err(be)?;
            Ok(PutOutcome::Unchanged)
        }
        Some((id, _)) => {
            let all = std::iter::once(ValueRef::Integer(id))
                .chain(vals)
                .chain([ValueRef::Integer(hash), ValueRef::Integer(import_seq)]);
            c.prepare_cached(update_sql())
                .map_err(be)?
                .execute(params_from_iter(all.map(ToSqlOutput::Borrowed)))
                .map_err(be)?;
            fts_delete(c, id)?;
            fts_insert(c, id, &keys)?;
            Ok(PutOutcome::Updated)
        }
        None => {
            let all = std::iter::once(text(Some(tenant.as_str())))
                .chain(vals)
                .chain([ValueRef::Integer(hash), ValueRef::Integer(import_seq)]);
            c.prepare_cached(insert_sql())
                .map_err(be)?
                .execute(params_from_iter(all.map(ToSqlOutput::Borrowed)))
                .map_err(be)?;
            fts_insert(c, c.last_insert_rowid(), &keys)?;
            Ok(PutOutcome::Inserted)
        }
    }
}

pub fn remove(c: &Connection, tenant: &TenantId, atena: &AtenaNo) -> StoreResult<bool> {
    let id: Option<i64> = c
        .prepare_cached("SELECT id FROM residents WHERE tenant_id = ?1 AND atena_no = ?2")
        .map_err(be)?
        .query_row(params![tenant.as_str(), atena.as_str()], |r| r.get(0))
        .optional()
        .map_err(be)?;
    let Some(id) = id else { return Ok(false) };
    fts_delete(c, id)?;
    c.prepare_cached("DELETE FROM residents WHERE id = ?1")
        .map_err(be)?
        .execute([id])
        .map_err(be)?;
    Ok(true)
}

pub fn remove_not_in_import(
    c: &Connection,
    tenant: &TenantId,
    import_seq: i64,
) -> StoreResult<u64> {
    c.execute(
        "DELETE FROM residents_fts WHERE rowid IN (SELECT id FROM residents WHERE tenant_id = ?1 AND import_seq != ?2)",
        params![tenant.as_str(), import_seq],
    )
    .map_err(be)?;
    let n = c
        .execute(
            "DELETE FROM residents WHERE tenant_id = ?1 AND import_seq != ?2",
            params![tenant.as_str(), import_seq],
        )
        .map_err(be)?;
    Ok(n as u64)
}

const SELECT: &str = "r.atena_no, r.household_no, r.kind, r.status, r.full_name, r.surname, r.given, r.kana,
    r.surname_kana, r.given_kana, r.former_surname, r.former_surname_kana, r.alias, r.alias_kana,
    r.foreign_romaji, r.foreign_kanji, r.birth_date, r.birth_unknown_text, r.sex, r.relation, r.city_code,
    r.town_code, r.prefecture, r.city, r.town, r.banchi, r.katagaki, r.postal_code, r.became_resident_on,
    r.address_fixed_on, r.nationality, r.status_of_residence, r.period_of_stay, r.stay_expiry,
    CASE WHEN r.support_measure <> 0 THEN r.support_measure ELSE coalesce((SELECT s.measure
        FROM support_measures s WHERE s.tenant_id = r.tenant_id AND s.atena_no = r.atena_no), 0) END,
    r.honseki, r.hittosha, r.juminhyo_code, r.previous_address";

fn corrupt(what: &str) -> rusqlite::Error {
    rusqlite::Error::InvalidColumnType(0, what.to_owned(), rusqlite::types::Type::Text)
}

fn get_date(row: &Row<'_>, i: usize) -> rusqlite::Result<Option<NaiveDate>> {
    let s: Option<String> = row.get(i)?;
    s.map(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|_| corrupt("date")))
        .transpose()
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<Resident> {
    let atena: String = row.get(0)?;
    let household: String = row.get(1)?;
    let kind = match row.get::<_, i64>(2)? {
        2 => ResidentKind::Foreign,
        _ => ResidentKind::Japanese,
    };
    let status = match row.get::<_, i64>(3)? {
        2 => ResidentStatus::MovedOut,
        3 => ResidentStatus::Deceased,
        4 => ResidentStatus::Removed,
        _ => ResidentStatus::Resident,
    };
    let birth_date = get_date(row, 16)?;
    let unknown: Option<String> = row.get(17)?;
    let birth = match unknown {
        Some(text) => BirthDate::Unknown {
            text,
            internal: birth_date,
        },
        None => BirthDate::Known(birth_date.ok_or_else(|| corrupt("birth"))?),
    };
    let relation: String = row.get(19)?;
    let nationality: Option<String> = row.get(30)?;
    let foreign = match nationality {
        Some(nationality) => Some(ForeignInfo {
            nationality,
            status_of_residence: row.get(31)?,
            period_of_stay: row.get(32)?,
            expiry: get_date(row, 33)?,
        }),
        None => None,
    };
    Ok(Resident {
        atena_no: AtenaNo::parse(&atena).map_err(|_| corrupt("atena_no"))?,
        household_no: AtenaNo::parse(&household).map_err(|_| corrupt("household_no"))?,
        kind,
        status,
        name: Name {
            full: row.get(4)?,
            surname: row.get(5)?,
            given: row.get(6)?,
            kana: row.get(7)?,
            surname_kana: row.get(8)?,
            given_kana: row.get(9)?,
            former_surname: row.get(10)?,
            former_surname_kana: row.get(11)?,
            alias: row.get(12)?,
            alias_kana: row.get(13)?,
            foreign_romaji: row.get(14)?,
            foreign_kanji: row.get(15)?,
        },
        birth,
        sex: if row.get::<_, i64>(18)? == 2 {
            Sex::Female
        } else {
            Sex::Male
        },
        relation: parse_relation(&relation).map_err(|_| corrupt("relation"))?,
        address: Address {
            city_code: row.get(20)?,
            town_code: row.get(21)?,
            prefecture: row.get(22)?,
            city: row.get(23)?,
            town: row.get(24)?,
            banchi: row.get(25)?,
            katagaki: row.get(26)?,
            postal_code: row.get(27)?,
        },
        became_resident_on: get_date(row, 28)?,
        address_fixed_on: get_date(row, 29)?,
        foreign,
        support_measure: SupportMeasure::from_code(row.get::<_, i64>(34)?),
        registry: RegistryItems {
            honseki: row.get(35)?,
            hittosha: row.get(36)?,
            juminhyo_code: row
                .get::<_, Option<String>>(37)?
                .map(|c| JuminhyoCode::parse(&c).ok_or_else(|| corrupt("juminhyo_code")))
                .transpose()?,
            previous_address: row.get(38)?,
        },
    })
}

/// An FTS5 column-filtered phrase: every character of `key` is one token, so this is a substring match.
fn phrase(column: &str, key: &str) -> String {
    let body = spaced(key).replace('"', "\"\"");
    format!("{column} : \"{body}\"")
}

/// Smallest string greater than every string that starts with `prefix` (SQLite compares UTF-8 bytes).
fn prefix_upper(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

pub fn search(c: &Connection, tenant: &TenantId, q: &ResidentQuery) -> StoreResult<Vec<Resident>> {
    let limit = q.limit.max(1);
    let mut out: Vec<Resident> = Vec::new();
    let mut seen = std::collections::HashSet::new();

    // Filters that apply whatever drives the query.
    let mut filters = String::new();
    let mut filter_vals: Vec<Value> = Vec::new();
    if let Some(a) = &q.atena_no {
        filters.push_str(" AND r.atena_no = ?");
        filter_vals.push(Value::Text(a.as_str().to_owned()));
    }
    if let Some(b) = q.birth {
        filters.push_str(" AND r.birth_date = ?");
        filter_vals.push(date(Some(b)));
    }
    if q.address.as_deref().is_some_and(|s| !s.is_empty()) && !q.address_matches_protected {
        filters.push_str(madoguchi_store::NOT_IN_PROTECTED_HOUSEHOLD);
    }

    let mut fts_terms: Vec<String> = Vec::new();
    if let Some(n) = q.name.as_deref().filter(|s| !s.is_empty()) {
        fts_terms.push(phrase("names", n));
    }
    if let Some(a) = q.address.as_deref().filter(|s| !s.is_empty()) {
        fts_terms.push(phrase("address", a));
    }

    let mut run = |sql: &str, vals: Vec<Value>, out: &mut Vec<Resident>| -> StoreResult<()> {
        let mut stmt = c.prepare_cached(sql).map_err(be)?;
        let rows = stmt
            .query_map(params_from_iter(vals), from_row)
            .map_err(be)?;
        for r in rows {
            let r = r.map_err(be)?;
            if out.len() < limit && seen.insert(r.atena_no.clone()) {
                out.push(r);
            }
        }
        Ok(())
    };

    if let Some(kana) = q.kana.as_deref().filter(|s| !s.is_empty()) {
        // 1. Prefix on the 氏名 reading through the B-tree, in reading order.
        let sql = format!(
            "SELECT {SELECT} FROM residents r WHERE r.tenant_id = ? AND r.kana_key >= ? AND r.kana_key < ?{filters}{}
             ORDER BY r.kana_key, r.atena_no LIMIT ?",
            if fts_terms.is_empty() { String::new() } else { " AND r.id IN (SELECT rowid FROM residents_fts WHERE residents_fts MATCH ?)".to_owned() }
        );
        let mut vals = vec![
            Value::Text(tenant.as_str().to_owned()),
            Value::Text(kana.to_owned()),
            Value::Text(prefix_upper(kana)),
        ];
        vals.extend(filter_vals.iter().cloned());
        if !fts_terms.is_empty() {
            vals.push(Value::Text(fts_terms.join(" AND ")));
        }
        vals.push(Value::Integer(limit as i64));
        run(&sql, vals, &mut out)?;
        if out.len() >= limit {
            return Ok(out);
        }
        // 2. Then partial matches anywhere in any reading.
        fts_terms.push(phrase("kana", kana));
    }

    if !fts_terms.is_empty() {
        // Partial matches come from the FTS index in storage order: take a window of candidates and
        // put names that start with the query first, then order by reading.
        let window = if q.name.is_some() {
            (limit * 2).max(40)
        } else {
            limit
        };
        let sql = format!(
            "SELECT {SELECT} FROM residents_fts f JOIN residents r ON r.id = f.rowid
             WHERE residents_fts MATCH ? AND r.tenant_id = ?{filters} LIMIT ?"
        );
        let mut vals = vec![
            Value::Text(fts_terms.join(" AND ")),
            Value::Text(tenant.as_str().to_owned()),
        ];
        vals.extend(filter_vals);
        vals.push(Value::Integer((window + out.len()) as i64));
        let mut partial = Vec::new();
        run_all(c, &sql, vals, &mut partial)?;
        if let Some(name) = q.name.as_deref() {
            partial.sort_by_cached_key(|r| {
                let keys = SearchKeys::of(r);
                let prefix = keys.names.split(' ').any(|k| k.starts_with(name));
                (!prefix, keys.kana, r.atena_no.clone())
            });
        }
        for r in partial {
            if out.len() >= limit {
                break;
            }
            if seen.insert(r.atena_no.clone()) {
                out.push(r);
            }
        }
        return Ok(out);
    }

    if q.kana.is_none() && (q.atena_no.is_some() || q.birth.is_some()) {
        let sql = exact_sql(&filters, q.atena_no.is_some());
        let mut vals = vec![Value::Text(tenant.as_str().to_owned())];
        vals.extend(filter_vals);
        vals.push(Value::Integer(limit as i64));
        run(&sql, vals, &mut out)?;
    }
    Ok(out)
}

fn run_all(
    c: &Connection,
    sql: &str,
    vals: Vec<Value>,
    out: &mut Vec<Resident>,
) -> StoreResult<()> {
    let mut stmt = c.prepare_cached(sql).map_err(be)?;
    let rows = stmt
        .query_map(params_from_iter(vals), from_row)
        .map_err(be)?;
    for r in rows {
        out.push(r.map_err(be)?);
    }
    Ok(())
}

/// Lookup by 宛名番号 (unique) or by birth date. The birth index is named explicitly: ordering by
/// reading would otherwise tempt the planner into walking the whole reading index.
fn exact_sql(filters: &str, by_atena: bool) -> String {
    if by_atena {
        format!("SELECT {SELECT} FROM residents r WHERE r.tenant_id = ?{filters} LIMIT ?")
    } else {
        format!(
            "SELECT {SELECT} FROM residents r INDEXED BY residents_birth WHERE r.tenant_id = ?{filters}
             ORDER BY r.kana_key, r.atena_no LIMIT ?"
        )
    }
}

pub fn household(
    c: &Connection,
    tenant: &TenantId,
    household_no: &AtenaNo,
) -> StoreResult<Vec<Resident>> {
    let sql =
        format!("SELECT {SELECT} FROM residents r WHERE r.tenant_id = ?1 AND r.household_no = ?2");
    let mut stmt = c.prepare_cached(&sql).map_err(be)?;
    let rows = stmt
        .query_map(params![tenant.as_str(), household_no.as_str()], from_row)
        .map_err(be)?;
    rows.collect::<Result<Vec<_>, _>>()
        .map_err(|e| StoreError::Backend(e.to_string()))
}

/// Every resident of the tenant in 宛名番号 order.
pub fn for_each(
    c: &Connection,
    tenant: &TenantId,
    each: &mut dyn FnMut(Resident) -> StoreResult<()>,
) -> StoreResult<u64> {
    let mut stmt = c
        .prepare(&format!(
            "SELECT {SELECT} FROM residents r WHERE r.tenant_id = ?1 ORDER BY r.atena_no"
        ))
        .map_err(be)?;
    let mut rows = stmt.query([tenant.as_str()]).map_err(be)?;
    let mut n = 0;
    while let Some(row) = rows.next().map_err(be)? {
        each(from_row(row).map_err(be)?)?;
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaced_and_phrase_quote_safely() {
        assert_eq!(spaced("高橋"), "高 橋");
        assert_eq!(spaced("a b"), "a \u{E000} b");
        assert_eq!(phrase("names", "x\"y"), "names : \"x \"\" y\"");
    }

    #[test]
    fn birth_lookup_uses_the_birth_index() {
        let c = Connection::open_in_memory().expect("open");
        crate::migrate::apply(&c).expect("migrate");
        let sql = exact_sql(" AND r.birth_date = ?", false);
        let plan: Vec<String> = c
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .expect("prepare")
            .query_map(params!["t", "1975-01-01", 20], |r| r.get::<_, String>(3))
            .expect("plan")
            .collect::<Result<_, _>>()
            .expect("rows");
        assert!(
            plan.iter().any(|p| p.contains("residents_birth")),
            "{plan:?}"
        );
    }

    #[test]
    fn prefix_upper_bounds_prefix() {
        let up = prefix_upper("サト");
        assert!("サトウ" < up.as_str());
        assert!("サトー" < up.as_str());
        assert!("サナ" > up.as_str());
    }
}
