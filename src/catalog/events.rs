//! The family's own events (a phone call, a verbal request) and the facts the timeline is built
//! from.

use anyhow::Result;
use rusqlite::params;

use super::Catalog;
use crate::classify::Classification;
use crate::query::Query;

/// id, date, kind, title, note, tags (JSON), verbal: as stored in `events`.
pub(super) type EventRow = (i64, String, String, String, Option<String>, String, i64);

impl Catalog {
    /// Records an event the user adds; returns its id.
    pub fn add_event(&mut self, e: &crate::timeline::UserEvent, shas: &[String]) -> Result<i64> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO events(date, kind, title, note, tags, verbal) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                e.date.format("%Y-%m-%d").to_string(),
                e.kind,
                e.title,
                e.note,
                serde_json::to_string(&e.tags)?,
                e.verbal
            ],
        )?;
        let id = tx.last_insert_rowid();
        for sha in shas {
            tx.execute(
                "INSERT OR IGNORE INTO event_docs(event_id, sha256) VALUES (?1, ?2)",
                params![id, sha],
            )?;
        }
        tx.commit()?;
        Ok(id)
    }

    /// Removes a user event; false when there is none with this id.
    pub fn remove_event(&self, id: i64) -> Result<bool> {
        self.conn
            .execute("DELETE FROM event_docs WHERE event_id = ?1", [id])?;
        Ok(self.conn.execute("DELETE FROM events WHERE id = ?1", [id])? > 0)
    }

    /// Every user event, with the ids of its documents.
    pub fn user_events(&self) -> Result<Vec<crate::timeline::UserEvent>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, date, kind, title, note, tags, verbal FROM events ORDER BY date, id")?;
        let rows: Vec<EventRow> = stmt
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut docs = self.conn.prepare(
            "SELECT d.id FROM event_docs e JOIN documents d ON d.sha256 = e.sha256 WHERE e.event_id = ?1 ORDER BY d.id",
        )?;
        let mut out = Vec::new();
        for (id, date, kind, title, note, tags, verbal) in rows {
            let Ok(date) = crate::day::parse(&date) else {
                continue;
            };
            let documents = docs
                .query_map([id], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()?;
            out.push(crate::timeline::UserEvent {
                id,
                date,
                kind,
                title,
                note,
                tags: serde_json::from_str(&tags).unwrap_or_default(),
                verbal: verbal != 0,
                documents,
            });
        }
        Ok(out)
    }

    /// What the timeline and the checks need of the documents matching the query (duplicates left out).
    pub fn timeline_docs(&self, query: &Query) -> Result<Vec<crate::timeline::DocFacts>> {
        let rows = self.list(query, false)?;
        let mut class = self
            .conn
            .prepare_cached("SELECT classification FROM documents WHERE id = ?1")?;
        let mut pages = self
            .conn
            .prepare_cached("SELECT text FROM pages WHERE doc_id = ?1 ORDER BY page_no LIMIT 6")?;
        let mut out = Vec::new();
        for r in rows.into_iter().filter(|r| r.duplicate_of.is_none()) {
            let c: Option<String> = class.query_row([r.id], |x| x.get(0))?;
            let c: Option<Classification> = c.and_then(|c| serde_json::from_str(&c).ok());
            let user_date = r.date_source.as_deref() == Some("user");
            let date_confidence = if user_date {
                1.0
            } else {
                c.as_ref().map_or(0.5, |c| c.date_confidence)
            };
            let inner = c
                .map(|c| {
                    c.events
                        .into_iter()
                        .filter_map(|e| {
                            let d = crate::day::parse(&e.date).ok()?;
                            Some((e.event, d, e.snippet))
                        })
                        .collect()
                })
                .unwrap_or_default();
            // The checks read a document's words only where an IEP meeting's record may say
            // how often progress is reported, and only the phrases that say it: the other pages
            // are not read at all (they were most of the time of `check` and the desk).
            let kind = r.kind.as_deref().unwrap_or("other");
            let wanted: &Vec<(String, chrono::NaiveDate, String)> = &inner;
            let text = if kind == "iep"
                || crate::timeline::event_kind_of(kind) == "iep_meeting"
                || wanted.iter().any(|(e, _, _)| e == "iep_meeting")
            {
                let whole = pages
                    .query_map([r.id], |x| Ok(x.get::<_, super::text::Stored>(0)?.0))?
                    .collect::<rusqlite::Result<Vec<_>>>()?
                    .join("\n");
                crate::checks::progress::reporting_marks(&whole)
            } else {
                String::new()
            };
            out.push(crate::timeline::DocFacts {
                id: r.id,
                kind: r.kind.clone().unwrap_or_else(|| "other".into()),
                date: r.date.as_deref().and_then(|d| crate::day::parse(d).ok()),
                title: r.title.clone(),
                author: r.author.clone(),
                path: r.path.clone(),
                tags: r.tags.clone(),
                inner,
                text,
                date_confidence,
                date_ambiguous: r.date_ambiguous,
                date_source: r.date_source.clone(),
            });
        }
        Ok(out)
    }
}
