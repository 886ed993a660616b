//! The family's concerns: a disagreement about services, placement, an evaluation, behavior or
//! how the IEP is carried out. No deadline shows one, so the family says it (`concern add`),
//! with what the child gets now, what the family asks for, what it could accept and the
//! documents that show it. Kept by content (the documents by their SHA-256), like every
//! correction: a rescan or a fresh catalog keeps them, and `export --corrections` carries them.

use anyhow::Result;
use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::Catalog;

/// The kinds of concern, as the family names them.
pub const CONCERN_KINDS: &[&str] = &[
    "service",
    "placement",
    "evaluation",
    "behavior",
    "implementation",
    "other",
];

/// A concern as stored, with its documents (catalog numbers here, SHA-256 in an export).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Concern {
    pub id: i64,
    pub title: String,
    pub kind: String,
    /// What the child gets now ("30 min/week").
    pub now: Option<String>,
    /// What the family asks for.
    pub ask: Option<String>,
    /// What the family could accept (for the family's eyes: never in a binder).
    pub could_accept: Option<String>,
    /// The documents that show it (catalog numbers; those no longer in the case are left out).
    pub documents: Vec<i64>,
}

/// A concern in an export: its documents by content.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ConcernRecord {
    pub title: String,
    pub kind: String,
    pub now: Option<String>,
    pub ask: Option<String>,
    pub could_accept: Option<String>,
    pub documents: Vec<String>,
}

/// What `concern edit` changes (None: leave as it is; Some(None): clear).
#[derive(Debug, Default)]
pub struct ConcernEdit {
    pub title: Option<String>,
    pub kind: Option<String>,
    pub now: Option<Option<String>>,
    pub ask: Option<Option<String>>,
    pub could_accept: Option<Option<String>>,
    /// The documents, replacing those before (by SHA-256).
    pub documents: Option<Vec<String>>,
}

impl Catalog {
    /// Records a concern with the documents (by SHA-256) that show it; returns its number.
    pub fn add_concern(&mut self, c: &ConcernRecord) -> Result<i64> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO concerns(title, kind, now, ask, could_accept) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![c.title, c.kind, c.now, c.ask, c.could_accept],
        )?;
        let id = tx.last_insert_rowid();
        link(&tx, id, &c.documents)?;
        tx.commit()?;
        Ok(id)
    }

    /// Changes a concern; false when there is none with this number.
    pub fn edit_concern(&mut self, id: i64, e: &ConcernEdit) -> Result<bool> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let exists = tx.query_row("SELECT COUNT(*) FROM concerns WHERE id = ?1", [id], |r| {
            r.get::<_, i64>(0)
        })? > 0;
        if !exists {
            return Ok(false);
        }
        if let Some(t) = &e.title {
            tx.execute("UPDATE concerns SET title = ?2 WHERE id = ?1", params![id, t])?;
        }
        if let Some(k) = &e.kind {
            tx.execute("UPDATE concerns SET kind = ?2 WHERE id = ?1", params![id, k])?;
        }
        for (column, value) in [
            ("now", &e.now),
            ("ask", &e.ask),
            ("could_accept", &e.could_accept),
        ] {
            if let Some(v) = value {
                tx.execute(
                    &format!("UPDATE concerns SET {column} = ?2 WHERE id = ?1"),
                    params![id, v],
                )?;
            }
        }
        if let Some(docs) = &e.documents {
            tx.execute("DELETE FROM concern_docs WHERE concern_id = ?1", [id])?;
            link(&tx, id, docs)?;
        }
        tx.commit()?;
        Ok(true)
    }

    /// Removes a concern; false when there is none with this number.
    pub fn remove_concern(&self, id: i64) -> Result<bool> {
        self.conn
            .execute("DELETE FROM concern_docs WHERE concern_id = ?1", [id])?;
        Ok(self.conn.execute("DELETE FROM concerns WHERE id = ?1", [id])? > 0)
    }

    /// Every concern, in the order they were added.
    pub fn concerns(&self) -> Result<Vec<Concern>> {
        let mut docs = self.conn.prepare(
            "SELECT MIN(d.id) FROM concern_docs c JOIN documents d ON d.sha256 = c.sha256
             WHERE c.concern_id = ?1 GROUP BY c.sha256 ORDER BY MIN(d.id)",
        )?;
        let mut out = Vec::new();
        for (id, c) in self.concern_rows()? {
            out.push(Concern {
                id,
                documents: docs
                    .query_map([id], |r| r.get(0))?
                    .collect::<rusqlite::Result<Vec<i64>>>()?,
                title: c.title,
                kind: c.kind,
                now: c.now,
                ask: c.ask,
                could_accept: c.could_accept,
            });
        }
        Ok(out)
    }

    /// Every concern with its documents by content (for an export), with its number.
    fn concern_rows(&self) -> Result<Vec<(i64, ConcernRecord)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, title, kind, now, ask, could_accept FROM concerns ORDER BY id")?;
        let rows: Vec<(i64, ConcernRecord)> = stmt
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    ConcernRecord {
                        title: r.get(1)?,
                        kind: r.get(2)?,
                        now: r.get(3)?,
                        ask: r.get(4)?,
                        could_accept: r.get(5)?,
                        documents: Vec::new(),
                    },
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut docs = self
            .conn
            .prepare("SELECT sha256 FROM concern_docs WHERE concern_id = ?1 ORDER BY sha256")?;
        let mut out = Vec::new();
        for (id, mut c) in rows {
            c.documents = docs
                .query_map([id], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            out.push((id, c));
        }
        Ok(out)
    }

    /// Every concern with its documents by content, for an export.
    pub(super) fn concern_records(&self) -> Result<Vec<ConcernRecord>> {
        Ok(self.concern_rows()?.into_iter().map(|(_, c)| c).collect())
    }

    /// Adds the exported concerns not already here (the same title and kind); returns how many.
    pub(super) fn import_concerns(
        tx: &rusqlite::Transaction<'_>,
        concerns: &[ConcernRecord],
    ) -> Result<usize> {
        let mut n = 0;
        for c in concerns {
            let exists: i64 = tx.query_row(
                "SELECT COUNT(*) FROM concerns WHERE title = ?1 AND kind = ?2",
                params![c.title, c.kind],
                |r| r.get(0),
            )?;
            if exists > 0 {
                continue;
            }
            tx.execute(
                "INSERT INTO concerns(title, kind, now, ask, could_accept) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![c.title, c.kind, c.now, c.ask, c.could_accept],
            )?;
            link(tx, tx.last_insert_rowid(), &c.documents)?;
            n += 1;
        }
        Ok(n)
    }
}

/// Links a concern to the documents (by SHA-256) that show it.
fn link(tx: &rusqlite::Transaction<'_>, id: i64, shas: &[String]) -> Result<()> {
    for sha in shas {
        tx.execute(
            "INSERT OR IGNORE INTO concern_docs(concern_id, sha256) VALUES (?1, ?2)",
            params![id, sha],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_concern_is_kept_edited_exported_and_restored_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Catalog::create(&dir.path().join("c.sqlite")).unwrap();
        let speech = ConcernRecord {
            title: "Speech therapy".into(),
            kind: "service".into(),
            now: Some("30 min/week".into()),
            ask: Some("60 min/week direct".into()),
            could_accept: Some("45 min/week + consult".into()),
            documents: vec!["a".repeat(64)],
        };
        let id = c.add_concern(&speech).unwrap();
        assert!(
            c.edit_concern(
                id,
                &ConcernEdit {
                    ask: Some(Some("60 min/week".into())),
                    could_accept: Some(None),
                    ..Default::default()
                }
            )
            .unwrap()
        );
        assert!(!c.edit_concern(id + 1, &ConcernEdit::default()).unwrap());
        let listed = c.concerns().unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].ask.as_deref(), Some("60 min/week"));
        assert_eq!(listed[0].could_accept, None);
        // No document of that content in this catalog: none listed, but kept for a rescan.
        assert!(listed[0].documents.is_empty());
        let work = c.export_user_work().unwrap();
        assert_eq!(work.concerns.len(), 1);
        assert_eq!(work.concerns[0].documents, vec!["a".repeat(64)]);
        let mut fresh = Catalog::create(&dir.path().join("d.sqlite")).unwrap();
        fresh.import_user_work(&work).unwrap();
        fresh.import_user_work(&work).unwrap();
        assert_eq!(
            fresh.export_user_work().unwrap().concerns,
            work.concerns,
            "restored once"
        );
        assert!(c.remove_concern(id).unwrap());
        assert!(c.concerns().unwrap().is_empty());
    }
}
