//! The set of templates a city uses, with their versions: the version in force on a case's date is
//! the one rendered; a case printed again names the version it was first printed with.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;

use crate::{FormsError, Template};

/// The standard templates shipped with the engine (`forms/templates/`), compiled in.
pub const STANDARD: &[(&str, &str)] = &[
    ("ido-todoke", include_str!("../templates/ido-todoke.toml")),
    (
        "inkan-shomei",
        include_str!("../templates/inkan-shomei.toml"),
    ),
    (
        "inkan-toroku",
        include_str!("../templates/inkan-toroku.toml"),
    ),
    ("jidou-teate", include_str!("../templates/jidou-teate.toml")),
    (
        "juminhyo-kojin",
        include_str!("../templates/juminhyo-kojin.toml"),
    ),
    (
        "juminhyo-kojin_2026-12-items",
        include_str!("../templates/juminhyo-kojin_2026-12-items.toml"),
    ),
    (
        "juminhyo-setai",
        include_str!("../templates/juminhyo-setai.toml"),
    ),
    (
        "juminhyo-setai_2026-12-items",
        include_str!("../templates/juminhyo-setai_2026-12-items.toml"),
    ),
    ("kisai-jiko", include_str!("../templates/kisai-jiko.toml")),
    (
        "kisai-jiko-setai",
        include_str!("../templates/kisai-jiko-setai.toml"),
    ),
    ("kokuho-ido", include_str!("../templates/kokuho-ido.toml")),
    (
        "koufu-seikyu",
        include_str!("../templates/koufu-seikyu.toml"),
    ),
    (
        "koufu-seikyu_2026-12-lines",
        include_str!("../templates/koufu-seikyu_2026-12-lines.toml"),
    ),
    (
        "mynumber-kenmen",
        include_str!("../templates/mynumber-kenmen.toml"),
    ),
    (
        "shinsei-naiyou",
        include_str!("../templates/shinsei-naiyou.toml"),
    ),
    (
        "shotoku-kazei",
        include_str!("../templates/shotoku-kazei.toml"),
    ),
    (
        "tenshutsu-junzuru",
        include_str!("../templates/tenshutsu-junzuru.toml"),
    ),
    (
        "tetsuzuki-annai",
        include_str!("../templates/tetsuzuki-annai.toml"),
    ),
    ("uketsukehyo", include_str!("../templates/uketsukehyo.toml")),
];

/// A template error, prefixed with the file it is in.
fn in_file(file: &str, e: FormsError) -> FormsError {
    match e {
        FormsError::Template {
            line,
            column,
            reason,
        } => FormsError::Template {
            line,
            column,
            reason: format!("{file}: {reason}"),
        },
        e => e,
    }
}

/// Templates by id, each id with its versions sorted by 施行日.
#[derive(Debug, Default, Clone)]
pub struct Library {
    by_id: BTreeMap<String, Vec<Template>>,
}

impl Library {
    /// Loads every `*.toml` under `dir`. A bad file stops the load with its name, position and reason.
    pub fn load_dir(dir: &Path) -> Result<Library, FormsError> {
        let mut lib = Library::default();
        let mut paths: Vec<_> = std::fs::read_dir(dir)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        for p in paths {
            let text = std::fs::read_to_string(&p)?;
            let t = Template::parse(&text).and_then(|mut t| {
                t.attach_background(dir)?;
                Ok(t)
            });
            let t = t.map_err(|e| in_file(&p.display().to_string(), e))?;
            lib.add(t)?;
        }
        Ok(lib)
    }

    /// The standard templates. A file that does not parse is a build defect the tests catch.
    pub fn standard() -> Result<Library, FormsError> {
        let mut lib = Library::default();
        for (name, source) in STANDARD {
            let t = Template::parse(source).map_err(|e| in_file(name, e))?;
            lib.add(t)?;
        }
        Ok(lib)
    }

    /// Adds a version. A new version supersedes an open-ended older one from its 施行日 (法改正: the old
    /// form ends when the new one starts); otherwise two versions of one id may not overlap in time, and
    /// a version label is never reused.
    pub fn add(&mut self, t: Template) -> Result<(), FormsError> {
        let versions = self.by_id.entry(t.id.clone()).or_default();
        if versions.iter().any(|v| v.version == t.version) {
            return Err(FormsError::Template {
                line: 0,
                column: 0,
                reason: format!(
                    "「{}」の版 {} は既にあります。版は変更できません。新しい版として登録してください。",
                    t.id, t.version
                ),
            });
        }
        let mut candidate = versions.clone();
        for v in candidate.iter_mut() {
            if v.valid_until.is_none() && v.valid_from < t.valid_from {
                v.valid_until = Some(t.valid_from);
            }
        }
        for v in candidate.iter() {
            let overlaps = t.valid_from < v.valid_until.unwrap_or(NaiveDate::MAX)
                && v.valid_from < t.valid_until.unwrap_or(NaiveDate::MAX);
            if v.version == t.version || overlaps {
                return Err(FormsError::Template {
                    line: 0,
                    column: 0,
                    reason: format!(
                        "「{}」の版 {} は既にある版 {} と期間が重なっています。",
                        t.id, t.version, v.version
                    ),
                });
            }
        }
        candidate.push(t);
        candidate.sort_by_key(|v| v.valid_from);
        *versions = candidate;
        Ok(())
    }

    /// The version of `id` in force on `date`.
    pub fn in_force(&self, id: &str, date: NaiveDate) -> Result<&Template, FormsError> {
        self.by_id
            .get(id)
            .and_then(|vs| vs.iter().find(|v| v.in_force_on(date)))
            .ok_or_else(|| {
                FormsError::NotFound(format!("{date} に有効な様式「{id}」がありません。"))
            })
    }

    /// A given version of `id` (for printing a case again as it was first printed).
    pub fn version(&self, id: &str, version: &str) -> Result<&Template, FormsError> {
        self.by_id
            .get(id)
            .and_then(|vs| vs.iter().find(|v| v.version == version))
            .ok_or_else(|| {
                FormsError::NotFound(format!("様式「{id}」の版 {version} がありません。"))
            })
    }

    /// Every version of every template, by id then 施行日.
    pub fn versions(&self) -> impl Iterator<Item = &Template> {
        self.by_id.values().flatten()
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.by_id.keys().map(String::as_str)
    }
}
