//! The stored form of a case document: the document's JSON with its schema version (`"schema"`).
//!
//! Versions:
//! - **1** — every document stored before the version was recorded (no `"schema"` key).
//! - **2** — the same fields, with `"schema": 2`.
//!
//! A change to the document that older stored documents do not satisfy adds a version here and a step to
//! [`migrate`]; `examples/v<N>.json` keeps one document as version N stored it, and the tests read every
//! one of them with today's reader.

use serde_json::Value;

use super::CaseDocument;

/// The version [`write`] records.
pub const SCHEMA_VERSION: u64 = 2;

const KEY: &str = "schema";

/// Why a stored document cannot be read (an English message for the log: stored data is the server's own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredError(pub String);

impl std::fmt::Display for StoredError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "stored case document: {}", self.0)
    }
}

impl std::error::Error for StoredError {}

/// The stored text of `doc`, at [`SCHEMA_VERSION`].
pub fn write(doc: &CaseDocument) -> String {
    let mut value = serde_json::to_value(doc).expect("a case document is plain JSON");
    if let Value::Object(map) = &mut value {
        map.insert(KEY.to_owned(), Value::from(SCHEMA_VERSION));
    }
    value.to_string()
}

/// Reads a stored document of any version, migrating it to today's.
pub fn read(text: &str) -> Result<CaseDocument, StoredError> {
    let mut value: Value = serde_json::from_str(text).map_err(|e| StoredError(e.to_string()))?;
    let Value::Object(map) = &mut value else {
        return Err(StoredError("not an object".into()));
    };
    let version = match map.remove(KEY) {
        None => 1,
        Some(v) => v
            .as_u64()
            .ok_or_else(|| StoredError(format!("schema version {v} is not a number")))?,
    };
    if version > SCHEMA_VERSION {
        return Err(StoredError(format!(
            "schema version {version} is newer than this server's {SCHEMA_VERSION}"
        )));
    }
    migrate(version, &mut value)?;
    serde_json::from_value(value).map_err(|e| StoredError(e.to_string()))
}

/// Brings a document from `version` to [`SCHEMA_VERSION`], one step at a time.
fn migrate(version: u64, _value: &mut Value) -> Result<(), StoredError> {
    for from in version..SCHEMA_VERSION {
        match from {
            // 1 → 2: the version is recorded; the fields are unchanged.
            1 => {}
            other => return Err(StoredError(format!("no migration from version {other}"))),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One stored document of every earlier version, as that version wrote it.
    const EXAMPLES: &[(u64, &str)] = &[
        (1, include_str!("examples/v1.json")),
        (2, include_str!("examples/v2.json")),
    ];

    #[test]
    fn every_earlier_version_reads() {
        assert_eq!(
            EXAMPLES.last().map(|(v, _)| *v),
            Some(SCHEMA_VERSION),
            "add an example of the newest version"
        );
        for (version, text) in EXAMPLES {
            let doc = read(text).unwrap_or_else(|e| panic!("version {version}: {e}"));
            assert_eq!(doc.visitor.kind, "本人", "version {version}");
            assert_eq!(doc.notifications[0].members[0].name, "窓口 花子");
            assert_eq!(doc.certificates[0].copies, 2);
            // And it survives being written again at today's version.
            let again = read(&write(&doc)).expect("round trip");
            assert_eq!(write(&again), write(&doc));
        }
    }

    #[test]
    fn writes_the_version_and_refuses_a_newer_one() {
        let doc = read(EXAMPLES[0].1).expect("v1");
        let text = write(&doc);
        let value: Value = serde_json::from_str(&text).expect("json");
        assert_eq!(value[KEY], SCHEMA_VERSION);
        let newer = text.replace(
            &format!("\"{KEY}\":{SCHEMA_VERSION}"),
            &format!("\"{KEY}\":{}", SCHEMA_VERSION + 1),
        );
        assert!(read(&newer).expect_err("refused").0.contains("newer"));
        assert!(read("[]").is_err());
    }
}
