//! What the catalog keeps for binders: the exhibit labels each binder gave (so a rebuild keeps
//! them), each binder's last manifest (so `binder --diff` can say what changed) and the case's
//! Bates registry (every number ever given, so no number ever names two pages).

use std::collections::BTreeMap;

use anyhow::Result;
use rusqlite::{OptionalExtension, params};

use super::Catalog;
use super::bates::{Merged, Range, Registry};
use crate::error::user_error;

/// Every Bates range `conn` holds, in the order it learnt them.
fn read_ranges(conn: &rusqlite::Connection) -> Result<Vec<Range>> {
    let mut stmt = conn.prepare_cached(
        "SELECT prefix, first, last, sha256, pages, binder, retired FROM bates_numbers ORDER BY rowid",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Range {
                prefix: r.get(0)?,
                first: r.get::<_, i64>(1)?.max(0) as u64,
                last: r.get::<_, i64>(2)?.max(0) as u64,
                sha256: r.get(3)?,
                pages: r.get::<_, i64>(4)?.clamp(1, i64::from(u32::MAX)) as u32,
                binder: r.get(5)?,
                retired: r.get::<_, i64>(6)? != 0,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Learns `range` into `reg` and stores what was learnt (a range never loses its retirement).
fn store(conn: &rusqlite::Connection, reg: &mut Registry, range: Range) -> Result<Merged> {
    let merged = reg.merge(range.clone());
    if merged == Merged::Known {
        return Ok(merged);
    }
    let retired = range.retired || merged == Merged::Clash;
    conn.prepare_cached(
        "INSERT INTO bates_numbers(prefix, first, last, sha256, pages, binder, retired)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(prefix, first, last, sha256) DO UPDATE SET retired = max(retired, excluded.retired)",
    )?
    .execute(params![
        range.prefix,
        range.first.min(i64::MAX as u64) as i64,
        range.last.min(i64::MAX as u64) as i64,
        range.sha256,
        range.pages,
        range.binder,
        retired
    ])?;
    Ok(merged)
}

/// Learns `ranges` (from an export, a backup or a binder's manifest) into the catalog on
/// `conn`: numbers already given to other pages are kept as retired. Returns how many clashed.
pub(super) fn merge_ranges(conn: &rusqlite::Connection, ranges: &[Range]) -> Result<usize> {
    let mut reg = Registry::new(read_ranges(conn)?);
    let mut clashes = 0;
    for r in ranges {
        clashes += usize::from(store(conn, &mut reg, r.clone())? == Merged::Clash);
    }
    Ok(clashes)
}

impl Catalog {
    /// Each document's exhibit label in the binders built last (sha256 → (binder, label)), read
    /// from their manifests; a document in several binders takes the first binder by name.
    pub fn exhibit_labels(&self) -> Result<BTreeMap<String, (String, String)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT binder, manifest FROM binder_builds ORDER BY binder")?;
        let builds: Vec<(String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = BTreeMap::new();
        for (binder, manifest) in builds {
            // A manifest this version cannot read names no exhibit: the picture goes without.
            let Ok(v) = serde_json::from_str::<serde_json::Value>(&manifest) else {
                continue;
            };
            for e in v["exhibits"].as_array().into_iter().flatten() {
                if let (Some(sha), Some(label)) = (e["sha256"].as_str(), e["exhibit"].as_str()) {
                    out.entry(sha.to_string())
                        .or_insert_with(|| (binder.clone(), label.to_string()));
                }
            }
        }
        Ok(out)
    }

    /// Each document's SHA-256, by id.
    pub fn document_hashes(&self) -> Result<BTreeMap<i64, String>> {
        let mut stmt = self.conn.prepare_cached("SELECT id, sha256 FROM documents")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

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

    /// Every Bates range the case has given, in the order learnt.
    pub fn bates_ranges(&self) -> Result<Vec<Range>> {
        read_ranges(&self.conn)
    }

    /// Records a build's Bates numbers before its binder is written, in one transaction:
    /// `learnt` (numbers shown by binders already made), `retire` (what `--renumber` stops
    /// using) and `given` (this build's). A number of `given` that another process gave to
    /// another page in the meantime stops the build, so no number names two pages.
    pub fn record_bates(&mut self, learnt: &[Range], retire: &[Range], given: &[Range]) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut reg = Registry::new(read_ranges(&tx)?);
        for r in learnt {
            store(&tx, &mut reg, r.clone())?;
        }
        for r in retire {
            store(
                &tx,
                &mut reg,
                Range {
                    retired: true,
                    ..r.clone()
                },
            )?;
        }
        for r in given {
            if store(&tx, &mut reg, r.clone())? == Merged::Clash {
                return Err(user_error(
                    format!(
                        "Another binder build gave Bates numbers {}-{} to other pages while this one was being planned.",
                        r.prefix, r.first
                    ),
                    "Nothing was written. Build again: the new build numbers after them.",
                ));
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Where the scan found each mailbox message still in place: locator → (offset of its
    /// separator line, bytes from there to its end).
    pub fn mailbox_places(&self) -> Result<std::collections::HashMap<String, (u64, u64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT locator, byte_offset, byte_len FROM locations
             WHERE origin = 'mbox_message' AND missing = 0 AND byte_offset IS NOT NULL AND byte_len IS NOT NULL",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    (
                        r.get::<_, i64>(1)?.max(0) as u64,
                        r.get::<_, i64>(2)?.max(0) as u64,
                    ),
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Every binder's last manifest, by binder name.
    pub fn binder_builds(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT binder, manifest FROM binder_builds ORDER BY binder")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
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
