//! What the classifier reads (documents to (re)classify, with their pages and layout) and what it
//! writes back (kind, dates, title, author, tags, with evidence).

use anyhow::Result;
use rusqlite::{OptionalExtension, params};

use super::Catalog;
use crate::classify::Classification;
use crate::layout::PageLayout;

/// A document the classifier must (re)read, with everything it needs.
pub struct ClassifyJob {
    pub id: i64,
    pub sha256: String,
    pub format: String,
    pub ocr: bool,
    pub meta: serde_json::Value,
    pub file_name: String,
    pub parent_email_date: Option<chrono::NaiveDate>,
    pub pages: Vec<String>,
    /// The layout of each page, where extraction kept it.
    pub layout: Vec<Option<PageLayout>>,
}

impl Catalog {
    /// Ids of documents whose classification is missing or was made under other rules or settings.
    pub fn pending_classification(&self, stamp: &str) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare(
            // Ranges, not `<>`, and sorted here: the stamp's index answers alone, without
            // reading past every document's classification.
            "SELECT id FROM documents
             WHERE classifier_stamp IS NULL OR classifier_stamp < ?1 OR classifier_stamp > ?1",
        )?;
        let rows = stmt.query_map([stamp], |r| r.get(0))?;
        let mut ids: Vec<i64> = rows.collect::<rusqlite::Result<_>>()?;
        ids.sort_unstable();
        Ok(ids)
    }

    /// Loads what the classifier needs for these documents.
    pub fn classify_jobs(&self, ids: &[i64]) -> Result<Vec<ClassifyJob>> {
        // One read transaction for the group: SQLite otherwise takes and drops its file locks
        // around every statement (four per document, measured as a third of the time).
        let tx = self.conn.unchecked_transaction()?;
        let mut doc =
            tx.prepare_cached("SELECT sha256, format, ocr, meta_json FROM documents WHERE id = ?1")?;
        let mut loc = tx.prepare_cached(
            "SELECT locator FROM locations WHERE doc_id = ?1 ORDER BY missing, origin <> 'file', locator LIMIT 1",
        )?;
        let mut parent = tx.prepare_cached(
            "SELECT MIN(p.date) FROM locations l JOIN documents p ON p.id = l.parent_doc_id
             WHERE l.doc_id = ?1 AND p.format = 'email' AND p.date IS NOT NULL",
        )?;
        let mut pages =
            tx.prepare_cached("SELECT text, layout FROM pages WHERE doc_id = ?1 ORDER BY page_no")?;
        let mut jobs = Vec::with_capacity(ids.len());
        for &id in ids {
            let (sha256, format, ocr, meta_json): (String, String, i64, String) =
                doc.query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
            let locator: Option<String> = loc.query_row([id], |r| r.get(0)).optional()?;
            let locator = locator.unwrap_or_default();
            let file_name = locator.rsplit("::").next().unwrap_or(&locator);
            let file_name = file_name.rsplit('/').next().unwrap_or(file_name).to_string();
            let parent_date: Option<String> = parent.query_row([id], |r| r.get(0))?;
            let rows = pages
                .query_map([id], |r| {
                    Ok((
                        r.get::<_, super::text::Stored>(0)?.0,
                        r.get::<_, Option<Vec<u8>>>(1)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let layout = rows
                .iter()
                .map(|(_, blob)| blob.as_deref().and_then(PageLayout::decode))
                .collect();
            let texts = rows.into_iter().map(|(text, _)| text).collect();
            jobs.push(ClassifyJob {
                id,
                sha256,
                format,
                ocr: ocr != 0,
                meta: serde_json::from_str(&meta_json).unwrap_or(serde_json::Value::Null),
                file_name,
                parent_email_date: parent_date.and_then(|d| crate::day::parse(&d).ok()),
                pages: texts,
                layout,
            });
        }
        drop((doc, loc, parent, pages));
        tx.commit()?;
        Ok(jobs)
    }

    /// Stores classifications in one transaction; rule tags are replaced, the user's are kept.
    pub fn store_classifications(
        &mut self,
        results: &[(i64, String, Classification)],
        stamp: &str,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        {
            for (id, sha, c) in results {
                store_one(&tx, *id, sha, c, stamp)?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}

/// Stores one document's classification: its columns, and its rule tags in place of the old
/// ones (the user's are kept).
pub(super) fn store_one(
    conn: &rusqlite::Connection,
    id: i64,
    sha: &str,
    c: &Classification,
    stamp: &str,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE documents SET kind = ?2, kind_confidence = ?3, date = ?4, date_source = ?5, date_confidence = ?6,
             date_ambiguous = ?7, title = ?8, author = ?9, classification = ?10, classifier_stamp = ?11,
             date_order_evidence = ?12
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        c.kind,
        c.kind_confidence,
        c.date,
        c.date_source,
        c.date_confidence,
        c.date_ambiguous,
        c.title,
        c.author,
        serde_json::to_string(c)?,
        stamp,
        c.order_evidence
    ])?;
    conn.prepare_cached("DELETE FROM tags WHERE sha256 = ?1 AND source = 'rule'")?
        .execute([sha])?;
    let mut ins =
        conn.prepare_cached("INSERT OR IGNORE INTO tags(sha256, tag, source) VALUES (?1, ?2, 'rule')")?;
    for t in &c.tags {
        ins.execute(params![sha, t])?;
    }
    Ok(())
}
