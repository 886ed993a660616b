//! What a person said, keyed by content so it survives renames and rescans: corrections, tags,
//! and the export/import of all of it (with events, settings and exhibit labels).

use std::collections::BTreeMap;

use anyhow::Result;
use rusqlite::{OptionalExtension, params, types::Value};
use serde::Serialize;

use super::Catalog;
use crate::error::user_error;

/// kind, date, title, author, excluded: as stored in `corrections`.
pub(super) type CorrectionRow = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
);

/// A field the user can correct with `set`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Correction {
    Kind,
    Date,
    Title,
    Author,
    Excluded,
    /// Degrees clockwise (90, 180 or 270) to turn the document's pages in binders.
    Rotate,
}

impl Correction {
    pub(super) fn column(self) -> &'static str {
        match self {
            Correction::Kind => "kind",
            Correction::Date => "date",
            Correction::Title => "title",
            Correction::Author => "author",
            Correction::Excluded => "excluded",
            Correction::Rotate => "rotate",
        }
    }
}

/// Everything the user said, keyed by content: re-applies to a fresh catalog of the same folder.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, PartialEq)]
pub struct UserWork {
    pub format: String,
    pub settings: BTreeMap<String, String>,
    pub corrections: Vec<CorrectionRecord>,
    pub tags: Vec<TagRecord>,
    pub events: Vec<EventRecord>,
    /// Exhibit labels given by binder builds, per binder (absent in older exports).
    #[serde(default)]
    pub exhibit_labels: Vec<LabelRecord>,
    /// Every Bates number the case has given, with the pages it names (absent in older exports).
    #[serde(default)]
    pub bates_numbers: Vec<super::bates::Range>,
    /// Copies left out by their path (absent in older exports).
    #[serde(default)]
    pub excluded_locations: Vec<String>,
    /// The family's concerns (absent in older exports).
    #[serde(default)]
    pub concerns: Vec<super::concerns::ConcernRecord>,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct LabelRecord {
    pub binder: String,
    pub sha256: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct CorrectionRecord {
    pub sha256: String,
    pub kind: Option<String>,
    pub date: Option<String>,
    pub title: Option<String>,
    pub author: Option<String>,
    pub excluded: bool,
    pub note: Option<String>,
    /// Degrees clockwise to turn the pages (absent in older exports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotate: Option<i64>,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct TagRecord {
    pub sha256: String,
    pub tag: String,
    pub removed: bool,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct EventRecord {
    pub date: String,
    pub kind: String,
    pub title: String,
    pub note: Option<String>,
    pub tags: Vec<String>,
    pub verbal: bool,
    pub documents: Vec<String>,
}

/// Name of the export format, checked on import.
pub const USER_WORK_FORMAT: &str = "casebinder-user-work-1";

impl Catalog {
    pub fn sha_of(&self, id: i64) -> Result<String> {
        Ok(self
            .conn
            .query_row("SELECT sha256 FROM documents WHERE id = ?1", [id], |r| r.get(0))?)
    }

    /// Records what the user says about a document (`None`: back to what the rules found).
    pub fn correct(&self, sha: &str, field: Correction, value: Option<&str>) -> Result<()> {
        let col = field.column();
        let value: Value = match (field, value) {
            (Correction::Excluded, Some(v)) => Value::Integer(i64::from(v == "1" || v == "true")),
            (Correction::Excluded, None) => Value::Integer(0),
            (Correction::Rotate, Some(v)) => match v.parse::<i64>() {
                Ok(d) if d.rem_euclid(360) != 0 => Value::Integer(d.rem_euclid(360)),
                _ => Value::Null,
            },
            (_, Some(v)) => Value::Text(v.to_string()),
            (_, None) => Value::Null,
        };
        self.conn.execute(
            &format!(
                "INSERT INTO corrections(sha256, {col}) VALUES (?1, ?2) ON CONFLICT(sha256) DO UPDATE SET {col} = excluded.{col}"
            ),
            params![sha, value],
        )?;
        Ok(())
    }

    /// Quarter turns clockwise the user asked for on this document's pages (0 when none).
    pub fn quarter_turns(&self, sha: &str) -> Result<u32> {
        let deg: Option<i64> = self
            .conn
            .query_row("SELECT rotate FROM corrections WHERE sha256 = ?1", [sha], |r| {
                r.get(0)
            })
            .optional()?
            .flatten();
        Ok((deg.unwrap_or(0).rem_euclid(360) / 90) as u32)
    }

    /// Leaves one copy of a document out of binders (`out`), or puts it back.
    pub fn exclude_location(&self, locator: &str, out: bool) -> Result<()> {
        if out {
            self.conn.execute(
                "INSERT OR IGNORE INTO excluded_locations(locator) VALUES (?1)",
                [locator],
            )?;
        } else {
            self.conn
                .execute("DELETE FROM excluded_locations WHERE locator = ?1", [locator])?;
        }
        Ok(())
    }

    /// The copies left out of binders by their path.
    pub fn excluded_locations(&self) -> Result<std::collections::BTreeSet<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT locator FROM excluded_locations ORDER BY locator")?;
        let rows = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Adds or removes a tag as the user; a removal is remembered so rules do not bring it back.
    pub fn set_tag(&self, sha: &str, tag: &str, add: bool) -> Result<()> {
        self.conn.execute(
            "INSERT INTO tags(sha256, tag, source, removed) VALUES (?1, ?2, 'user', ?3)
             ON CONFLICT(sha256, tag) DO UPDATE SET source = 'user', removed = excluded.removed",
            params![sha, tag, i64::from(!add)],
        )?;
        Ok(())
    }

    /// Everything the user said (settings, corrections, tags, events).
    pub fn export_user_work(&self) -> Result<UserWork> {
        let settings = self.settings()?;
        let corrections = {
            let mut stmt = self.conn.prepare(
                "SELECT sha256, kind, date, title, author, excluded, note, rotate FROM corrections ORDER BY sha256",
            )?;
            stmt.query_map([], |r| {
                Ok(CorrectionRecord {
                    sha256: r.get(0)?,
                    kind: r.get(1)?,
                    date: r.get(2)?,
                    title: r.get(3)?,
                    author: r.get(4)?,
                    excluded: r.get::<_, i64>(5)? != 0,
                    note: r.get(6)?,
                    rotate: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?
        };
        let tags = {
            let mut stmt = self.conn.prepare(
                "SELECT sha256, tag, removed FROM tags WHERE source = 'user' ORDER BY sha256, tag",
            )?;
            stmt.query_map([], |r| {
                Ok(TagRecord {
                    sha256: r.get(0)?,
                    tag: r.get(1)?,
                    removed: r.get::<_, i64>(2)? != 0,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?
        };
        let mut events = Vec::new();
        let mut docs = self
            .conn
            .prepare("SELECT sha256 FROM event_docs WHERE event_id = ?1 ORDER BY sha256")?;
        for e in self.user_events()? {
            let documents = docs
                .query_map([e.id], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            events.push(EventRecord {
                date: e.date.format("%Y-%m-%d").to_string(),
                kind: e.kind,
                title: e.title,
                note: e.note,
                tags: e.tags,
                verbal: e.verbal,
                documents,
            });
        }
        let exhibit_labels = {
            let mut stmt = self
                .conn
                .prepare("SELECT binder, sha256, label FROM binder_labels ORDER BY binder, label")?;
            stmt.query_map([], |r| {
                Ok(LabelRecord {
                    binder: r.get(0)?,
                    sha256: r.get(1)?,
                    label: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?
        };
        Ok(UserWork {
            format: USER_WORK_FORMAT.into(),
            settings,
            corrections,
            tags,
            events,
            exhibit_labels,
            bates_numbers: self.bates_ranges()?,
            excluded_locations: self.excluded_locations()?.into_iter().collect(),
            concerns: self.concern_records()?,
        })
    }

    /// Applies exported work to this catalog in one transaction; events already present are not doubled.
    pub fn import_user_work(&mut self, w: &UserWork) -> Result<usize> {
        if w.format != USER_WORK_FORMAT {
            return Err(user_error(
                "This file is not a casebinder export of corrections.",
                "Use a file made by `casebinder export --corrections`.",
            ));
        }
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut n = 0;
        for (k, v) in &w.settings {
            tx.execute("INSERT INTO settings(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value", params![k, v])?;
        }
        for c in &w.corrections {
            tx.execute(
                "INSERT INTO corrections(sha256, kind, date, title, author, excluded, note, rotate) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT(sha256) DO UPDATE SET kind = excluded.kind, date = excluded.date, title = excluded.title,
                     author = excluded.author, excluded = excluded.excluded, note = excluded.note, rotate = excluded.rotate",
                params![c.sha256, c.kind, c.date, c.title, c.author, c.excluded, c.note, c.rotate],
            )?;
            n += 1;
        }
        for t in &w.tags {
            tx.execute(
                "INSERT INTO tags(sha256, tag, source, removed) VALUES (?1, ?2, 'user', ?3)
                 ON CONFLICT(sha256, tag) DO UPDATE SET source = 'user', removed = excluded.removed",
                params![t.sha256, t.tag, t.removed],
            )?;
            n += 1;
        }
        for l in &w.exhibit_labels {
            // A label already given to another document in this binder is kept as it is.
            n += tx.execute(
                "INSERT OR IGNORE INTO binder_labels(binder, sha256, label) VALUES (?1, ?2, ?3)",
                params![l.binder, l.sha256, l.label],
            )?;
        }
        // Numbers the export gave stay given; one that names another page here is retired.
        super::binder::merge_ranges(&tx, &w.bates_numbers)?;
        n += w.bates_numbers.len();
        for l in &w.excluded_locations {
            n += tx.execute(
                "INSERT OR IGNORE INTO excluded_locations(locator) VALUES (?1)",
                [l],
            )?;
        }
        n += Catalog::import_concerns(&tx, &w.concerns)?;
        for e in &w.events {
            let exists: Option<i64> = tx
                .query_row(
                    "SELECT id FROM events WHERE date = ?1 AND kind = ?2 AND title = ?3",
                    params![e.date, e.kind, e.title],
                    |r| r.get(0),
                )
                .optional()?;
            if exists.is_some() {
                continue;
            }
            tx.execute(
                "INSERT INTO events(date, kind, title, note, tags, verbal) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    e.date,
                    e.kind,
                    e.title,
                    e.note,
                    serde_json::to_string(&e.tags)?,
                    e.verbal
                ],
            )?;
            let id = tx.last_insert_rowid();
            for sha in &e.documents {
                tx.execute(
                    "INSERT OR IGNORE INTO event_docs(event_id, sha256) VALUES (?1, ?2)",
                    params![id, sha],
                )?;
            }
            n += 1;
        }
        tx.commit()?;
        Ok(n)
    }
}
