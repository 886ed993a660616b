//! What the catalog keeps for binders: the exhibit labels each binder gave (so a rebuild keeps
//! them) and each binder's last manifest (so `binder --diff` can say what changed).

use std::collections::BTreeMap;

use anyhow::Result;
use rusqlite::OptionalExtension;

use super::Catalog;

impl Catalog {
    /// sha256 → label, for one binder.
    pub fn binder_labels(&self, binder: &str) -> Result<BTreeMap<String, String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT sha256, label FROM binder_labels WHERE binder = ?1")?;
        let rows = stmt
            .query_map([binder], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Records a build: the labels it gave (added to those kept) and its manifest, in one
    /// transaction. `renumber` forgets the labels given before.
    pub fn record_binder_build(
        &mut self,
        binder: &str,
        labels: &[(String, String)],
        manifest: &str,
        renumber: bool,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        if renumber {
            tx.execute("DELETE FROM binder_labels WHERE binder = ?1", [binder])?;
        }
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO binder_labels (binder, sha256, label) VALUES (?1, ?2, ?3)
                 ON CONFLICT (binder, sha256) DO NOTHING",
            )?;
            for (sha, label) in labels {
                stmt.execute([binder, sha.as_str(), label.as_str()])?;
            }
        }
        tx.execute(
            "INSERT INTO binder_builds (binder, manifest) VALUES (?1, ?2)
             ON CONFLICT (binder) DO UPDATE SET manifest = excluded.manifest",
            [binder, manifest],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The manifest of the binder's last build.
    pub fn last_binder_build(&self, binder: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT manifest FROM binder_builds WHERE binder = ?1",
                [binder],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The text of each page of a document, in order.
    /// How far down each page its lowest line of text reaches, as a share of the page's height
    /// (0 at the top, 1 at the bottom edge), where the page's layout was kept.
    pub fn page_bottoms(&self, doc_id: i64) -> Result<Vec<Option<f32>>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT layout FROM pages WHERE doc_id = ?1 ORDER BY page_no")?;
        let rows = stmt
            .query_map([doc_id], |r| r.get::<_, Option<Vec<u8>>>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows
            .iter()
            .map(|blob| {
                let l = crate::layout::PageLayout::decode(blob.as_deref()?)?;
                let lowest = l.lines.iter().map(|r| r.y1).fold(f32::NAN, f32::max);
                (l.height > 0.0 && lowest.is_finite()).then(|| (lowest / l.height).clamp(0.0, 1.0))
            })
            .collect())
    }

    pub fn page_texts(&self, doc_id: i64) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT text FROM pages WHERE doc_id = ?1 ORDER BY page_no")?;
        let rows = stmt
            .query_map([doc_id], |r| Ok(r.get::<_, super::text::Stored>(0)?.0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Each page of a document as (read by OCR, its text), in order.
    pub fn page_texts_with_ocr(&self, doc_id: i64) -> Result<Vec<(bool, String)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT ocr, text FROM pages WHERE doc_id = ?1 ORDER BY page_no")?;
        let rows = stmt
            .query_map([doc_id], |r| {
                Ok((r.get::<_, i64>(0)? != 0, r.get::<_, super::text::Stored>(1)?.0))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// A document's format-specific facts (`meta_json`).
    pub fn doc_meta(&self, doc_id: i64) -> Result<serde_json::Value> {
        let raw: Option<String> = self
            .conn
            .query_row("SELECT meta_json FROM documents WHERE id = ?1", [doc_id], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(raw
            .and_then(|r| serde_json::from_str(&r).ok())
            .unwrap_or(serde_json::Value::Null))
    }
}
