//! The catalog: the only module that knows SQL.
//!
//! One SQLite file per case (WAL, foreign keys, synchronous=FULL, a busy timeout so a second
//! process waits instead of failing). Documents are keyed by SHA-256; locations say where each
//! lives; what the user says is keyed by SHA-256 too, so it survives renames and re-scans. The
//! scan writes one transaction per batch of files, so a kill at any moment leaves a consistent
//! catalog and the next scan finishes the job.

mod binder;
mod schema;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use rusqlite::{Connection, OptionalExtension, Transaction, params, params_from_iter, types::Value};
use serde::Serialize;

use crate::classify::{Classification, Settings as ClassifySettings, dates::DateOrder};
use crate::error::user_error;
use crate::extract::tools::extractor_version;
use crate::extract::{Item, Origin};
use crate::layout::PageLayout;
use crate::query::{Clause, DateFilter, Field, Query, fts_expression};

/// What the catalog remembers of a source file.
#[derive(Debug, Clone)]
pub struct FileState {
    pub size: i64,
    pub mtime_ns: i64,
    pub sha256: String,
    pub missing: bool,
    pub extractor_version: i64,
}

/// A source file that was read in this scan, with the documents it holds.
pub struct FileRecord {
    pub path: String,
    pub size: u64,
    pub mtime_ns: i64,
    pub sha256: String,
    pub items: Vec<Item>,
}

/// One row of `list`: the stable machine contract of SPEC (`list --json`).
#[derive(Debug, Clone, Serialize)]
pub struct DocRow {
    pub id: i64,
    pub path: String,
    pub locations: Vec<String>,
    pub message_id: Option<String>,
    pub parent_ids: Vec<i64>,
    pub sha256: String,
    pub kind: Option<String>,
    pub kind_source: Option<String>,
    pub date: Option<String>,
    pub date_source: Option<String>,
    pub title: Option<String>,
    pub author: Option<String>,
    pub pages: Option<i64>,
    pub status: String,
    pub tags: Vec<String>,
    pub duplicate_of: Option<i64>,
    #[serde(skip)]
    pub reason: Option<String>,
    #[serde(skip)]
    pub format: String,
    #[serde(skip)]
    pub kind_confidence: Option<f64>,
    #[serde(skip)]
    pub date_ambiguous: bool,
    #[serde(skip)]
    pub excluded: bool,
}

/// A location with its details, for `show`.
#[derive(Debug, Clone, Serialize)]
pub struct LocationInfo {
    pub locator: String,
    pub origin: String,
    pub missing: bool,
    pub mbox_index: Option<i64>,
    pub byte_offset: Option<i64>,
    pub byte_len: Option<i64>,
}

/// Everything known about one document, for `show`.
#[derive(Debug, Clone, Serialize)]
pub struct DocDetail {
    #[serde(flatten)]
    pub row: DocRow,
    pub format: String,
    pub reason: Option<String>,
    pub size: i64,
    pub ocr: bool,
    pub in_reply_to: Option<String>,
    pub excluded: bool,
    pub all_locations: Vec<LocationInfo>,
    pub attachments: Vec<(i64, String)>,
    pub duplicates: Vec<i64>,
    pub meta: serde_json::Value,
    pub user_set: Vec<String>,
    pub text_pages: Vec<PageText>,
    /// What the rules concluded, with the evidence (absent until classified).
    pub classification: Option<Classification>,
}

/// Text of one page.
#[derive(Debug, Clone, Serialize)]
pub struct PageText {
    pub page: i64,
    pub ocr: bool,
    pub text: String,
}

/// A full-text hit, best page of a document.
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub id: i64,
    pub path: String,
    pub page: Option<i64>,
    pub kind: Option<String>,
    pub date: Option<String>,
    pub title: Option<String>,
    pub snippet: String,
    pub rank: f64,
}

/// kind, date, title, author, excluded: as stored in `corrections`.
type CorrectionRow = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
);

/// What finishing a scan found among the files that were not seen.
#[derive(Debug, Default, Clone, Copy)]
pub struct Finish {
    pub moved: u64,
    pub missing: u64,
}

pub struct Catalog {
    conn: Connection,
}

/// SQLite gives its `-wal` and `-shm` files the catalog's permissions. If the catalog was once
/// read-only (a copy from a CD, a `chmod`), they stay read-only after the catalog is writable
/// again, and every later write fails. They are our own files: make them writable (owner-only).
fn heal_sidecar_permissions(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let writable = std::fs::metadata(path).is_ok_and(|m| !m.permissions().readonly());
        if !writable {
            return;
        }
        for suffix in ["-wal", "-shm"] {
            let mut side = path.as_os_str().to_owned();
            side.push(suffix);
            let side = std::path::PathBuf::from(side);
            if std::fs::metadata(&side).is_ok_and(|m| m.permissions().readonly()) {
                let _ = std::fs::set_permissions(&side, std::fs::Permissions::from_mode(0o600));
            }
        }
    }
}

impl Catalog {
    /// Creates a new catalog file (0600) and applies the schema.
    pub fn create(path: &Path) -> Result<Catalog> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(path)
                .with_context(|| format!("could not create the catalog {}", path.display()))?;
        }
        Catalog::open(path)
    }

    /// Opens an existing catalog, bringing its schema up to date.
    pub fn open(path: &Path) -> Result<Catalog> {
        heal_sidecar_permissions(path);
        let conn = Connection::open(path).map_err(|e| {
            user_error(
                format!("Could not open the catalog {}: {e}", path.display()),
                "Check that the folder is readable and writable by you. If the catalog is damaged, \
                 restore a backup or move the .casebinder folder away and run `casebinder init` and `casebinder scan` again.",
            )
        })?;
        conn.busy_timeout(Duration::from_secs(120))?;
        conn.execute_batch(
            "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY;",
        )?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(|e| readonly_hint(e, path))?;
        let _ = mode; // a read-only catalog stays in its current mode
        let mut catalog = Catalog { conn };
        catalog.migrate().map_err(|e| readonly_hint_any(e, path))?;
        Ok(catalog)
    }

    fn migrate(&mut self) -> Result<()> {
        let version: i64 = self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let target = schema::MIGRATIONS.len() as i64;
        if version > target {
            return Err(user_error(
                format!(
                    "This catalog was made by a newer casebinder (schema {version}, this one knows {target})."
                ),
                "Install the newer casebinder to use this case.",
            ));
        }
        if version == target {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.execute_batch(sql)
                .with_context(|| format!("catalog migration {} failed", i + 1))?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO settings(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    pub fn integrity_check(&self) -> Result<String> {
        Ok(self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }

    /// Every source file the catalog knows, by path.
    pub fn file_states(&self) -> Result<HashMap<String, FileState>> {
        let mut stmt = self
            .conn
            .prepare("SELECT path, size, mtime_ns, sha256, missing, extractor_version FROM files")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                FileState {
                    size: r.get(1)?,
                    mtime_ns: r.get(2)?,
                    sha256: r.get(3)?,
                    missing: r.get::<_, i64>(4)? != 0,
                    extractor_version: r.get(5)?,
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Paths of files casebinder itself wrote (never scanned).
    pub fn output_paths(&self) -> Result<HashSet<String>> {
        let mut stmt = self.conn.prepare("SELECT path FROM outputs")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records a file casebinder wrote, so that scans leave it alone.
    pub fn record_output(&self, path: &str, sha256: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO outputs(path, sha256) VALUES (?1, ?2) ON CONFLICT(path) DO UPDATE SET sha256 = excluded.sha256",
            params![path, sha256],
        )?;
        Ok(())
    }

    /// Writes a batch of read files in one transaction; returns how many documents were new.
    pub fn write_batch(&mut self, records: &[FileRecord], touched: &[(String, i64)]) -> Result<u64> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut new_docs = 0;
        for rec in records {
            new_docs += write_file(&tx, rec)?;
        }
        for (path, mtime_ns) in touched {
            tx.execute(
                "UPDATE files SET mtime_ns = ?2 WHERE path = ?1",
                params![path, mtime_ns],
            )?;
        }
        tx.commit()?;
        Ok(new_docs)
    }

    /// After a walk: files that were not seen moved (their bytes are present elsewhere) or are missing.
    /// Then recomputes email duplicates (same Message-ID, other bytes).
    pub fn finish_scan(&mut self, seen: &HashSet<String>) -> Result<Finish> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut finish = Finish::default();
        let known: Vec<(String, String)> = {
            let mut stmt = tx.prepare("SELECT path, sha256 FROM files WHERE missing = 0")?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        let present_shas: HashSet<&str> = known
            .iter()
            .filter(|(p, _)| seen.contains(p))
            .map(|(_, s)| s.as_str())
            .collect();
        for (path, sha) in known.iter().filter(|(p, _)| !seen.contains(p)) {
            if present_shas.contains(sha.as_str()) {
                tx.execute("DELETE FROM locations WHERE file_path = ?1", [path])?;
                tx.execute("DELETE FROM files WHERE path = ?1", [path])?;
                finish.moved += 1;
            } else {
                tx.execute("UPDATE locations SET missing = 1 WHERE file_path = ?1", [path])?;
                tx.execute("UPDATE files SET missing = 1 WHERE path = ?1", [path])?;
                finish.missing += 1;
            }
        }
        mark_email_duplicates(&tx)?;
        tx.commit()?;
        Ok(finish)
    }

    pub fn count_documents(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM documents d WHERE EXISTS (SELECT 1 FROM locations l WHERE l.doc_id = d.id AND l.missing = 0)",
            [],
            |r| r.get(0),
        )?)
    }

    /// Documents matching the query, with at least one present location, in path order.
    pub fn list(&self, query: &Query, include_missing: bool) -> Result<Vec<DocRow>> {
        let (filter_sql, filter_params) = filter_sql(query);
        let presence = if include_missing {
            "1"
        } else {
            "EXISTS (SELECT 1 FROM locations l WHERE l.doc_id = v.id AND l.missing = 0)"
        };
        let sql = format!(
            "SELECT v.id, v.sha256, v.kind, v.kind_source, v.date, v.date_source, v.title, v.author, v.pages,
                    v.status, v.message_id, v.duplicate_of, v.reason, v.format, v.kind_confidence,
                    v.date_ambiguous, v.excluded
             FROM doc_view v WHERE {presence} AND {filter_sql}"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows: Vec<DocRow> = stmt
            .query_map(params_from_iter(filter_params), |r| {
                Ok(DocRow {
                    id: r.get(0)?,
                    sha256: r.get(1)?,
                    kind: r.get(2)?,
                    kind_source: r.get(3)?,
                    date: r.get(4)?,
                    date_source: r.get(5)?,
                    title: r.get(6)?,
                    author: r.get(7)?,
                    pages: r.get(8)?,
                    status: r.get(9)?,
                    message_id: r.get(10)?,
                    duplicate_of: r.get(11)?,
                    reason: r.get(12)?,
                    format: r.get(13)?,
                    kind_confidence: r.get(14)?,
                    date_ambiguous: r.get::<_, i64>(15)? != 0,
                    excluded: r.get::<_, i64>(16)? != 0,
                    path: String::new(),
                    locations: Vec::new(),
                    parent_ids: Vec::new(),
                    tags: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        self.fill_locations_and_tags(&mut rows, include_missing)?;
        if self.date_order_settled()? {
            for r in &mut rows {
                r.date_ambiguous = false;
            }
        }
        rows.sort_by(|a, b| a.path.cmp(&b.path).then(a.id.cmp(&b.id)));
        Ok(rows)
    }

    /// True when the case's own documents settle how its numeric dates are written: several
    /// show the case's order (a date like 09/18/2023 reads only month-first) and hardly any the
    /// other. Then a date like 04/05/2023 is read the case's way without doubt.
    pub fn date_order_settled(&self) -> Result<bool> {
        let case_order = if self
            .settings()?
            .get("date-order")
            .is_some_and(|o| o == "day-first")
        {
            "day_first"
        } else {
            "month_first"
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT date_order_evidence, COUNT(*) FROM documents WHERE date_order_evidence IS NOT NULL GROUP BY 1",
        )?;
        let counts: Vec<(String, i64)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let agree = counts
            .iter()
            .filter(|(o, _)| o == case_order)
            .map(|c| c.1)
            .sum::<i64>();
        let disagree = counts
            .iter()
            .filter(|(o, _)| o != case_order)
            .map(|c| c.1)
            .sum::<i64>();
        Ok(agree >= 2 && disagree * 10 <= agree)
    }

    fn fill_locations_and_tags(&self, rows: &mut [DocRow], include_missing: bool) -> Result<()> {
        let mut locs: HashMap<i64, Vec<(String, String, Option<i64>)>> = HashMap::new();
        {
            let mut stmt = self.conn.prepare_cached(
                "SELECT doc_id, locator, origin, parent_doc_id, missing FROM locations ORDER BY locator",
            )?;
            let mut q = stmt.query([])?;
            while let Some(r) = q.next()? {
                let missing: i64 = r.get(4)?;
                if missing != 0 && !include_missing {
                    continue;
                }
                locs.entry(r.get(0)?)
                    .or_default()
                    .push((r.get(1)?, r.get(2)?, r.get(3)?));
            }
        }
        let mut tags: HashMap<String, Vec<String>> = HashMap::new();
        {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT sha256, tag FROM tags WHERE removed = 0 ORDER BY tag")?;
            let mut q = stmt.query([])?;
            while let Some(r) = q.next()? {
                tags.entry(r.get(0)?).or_default().push(r.get(1)?);
            }
        }
        for row in rows.iter_mut() {
            let l = locs.remove(&row.id).unwrap_or_default();
            row.path = l
                .iter()
                .find(|(_, origin, _)| origin == "file")
                .or_else(|| l.first())
                .map(|(loc, _, _)| loc.clone())
                .unwrap_or_default();
            row.locations = l.iter().map(|(loc, _, _)| loc.clone()).collect();
            let mut parents: Vec<i64> = l.iter().filter_map(|(_, _, p)| *p).collect();
            parents.sort_unstable();
            parents.dedup();
            row.parent_ids = parents;
            row.tags = tags.remove(&row.sha256).unwrap_or_default();
        }
        Ok(())
    }

    /// Finds a document from what a user typed: an id, a locator, a path, or a SHA-256 prefix.
    pub fn resolve(&self, spec: &str, cwd_relative: Option<&str>) -> Result<i64> {
        let spec = spec.trim();
        if let Ok(id) = spec.parse::<i64>() {
            let found: Option<i64> = self
                .conn
                .query_row("SELECT id FROM documents WHERE id = ?1", [id], |r| r.get(0))
                .optional()?;
            if let Some(id) = found {
                return Ok(id);
            }
        }
        let mut candidates = vec![spec.replace('\\', "/")];
        if let Some(rel) = cwd_relative {
            candidates.push(rel.to_string());
        }
        for c in &candidates {
            let found: Option<i64> = self
                .conn
                .query_row(
                    "SELECT doc_id FROM locations WHERE locator = ?1 ORDER BY missing LIMIT 1",
                    [c],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(id) = found {
                return Ok(id);
            }
        }
        let hex = spec.to_ascii_lowercase();
        if hex.len() >= 6 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            let mut stmt = self
                .conn
                .prepare("SELECT id FROM documents WHERE sha256 >= ?1 AND sha256 < ?1 || 'g' LIMIT 2")?;
            let ids: Vec<i64> = stmt
                .query_map([&hex], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            match ids.as_slice() {
                [id] => return Ok(*id),
                [_, _] => {
                    return Err(user_error(
                        format!("More than one document has a SHA-256 starting with {hex}."),
                        "Type more characters of the SHA-256, or use the document's id from `casebinder list`.",
                    ));
                }
                _ => {}
            }
        }
        Err(user_error(
            format!("No document matches \"{spec}\"."),
            "Use a document id from `casebinder list`, a path inside the case (as `list` shows it), \
             or the first characters of its SHA-256. If the file is new, run `casebinder scan` first.",
        ))
    }

    /// Everything about one document.
    pub fn detail(&self, id: i64, with_text: bool) -> Result<DocDetail> {
        let mut rows = self.list_ids(&[id])?;
        let row = rows.pop().ok_or_else(|| {
            user_error(
                format!("No document has id {id}."),
                "See `casebinder list` for the ids.",
            )
        })?;
        let classification: Option<String> =
            self.conn
                .query_row("SELECT classification FROM documents WHERE id = ?1", [id], |r| {
                    r.get(0)
                })?;
        let classification = classification.and_then(|c| serde_json::from_str(&c).ok());
        let (format, reason, size, ocr, in_reply_to, excluded, meta_json): (
            String,
            Option<String>,
            i64,
            i64,
            Option<String>,
            i64,
            String,
        ) = self.conn.query_row(
            "SELECT format, reason, size, ocr, in_reply_to, excluded, meta_json FROM doc_view WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            },
        )?;
        let all_locations = {
            let mut stmt = self.conn.prepare(
                "SELECT locator, origin, missing, mbox_index, byte_offset, byte_len FROM locations WHERE doc_id = ?1 ORDER BY missing, locator",
            )?;
            stmt.query_map([id], |r| {
                Ok(LocationInfo {
                    locator: r.get(0)?,
                    origin: r.get(1)?,
                    missing: r.get::<_, i64>(2)? != 0,
                    mbox_index: r.get(3)?,
                    byte_offset: r.get(4)?,
                    byte_len: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?
        };
        let attachments = {
            let mut stmt = self.conn.prepare(
                "SELECT DISTINCT doc_id, locator FROM locations WHERE parent_doc_id = ?1 AND missing = 0 ORDER BY locator",
            )?;
            stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?
        };
        let duplicates = {
            let mut stmt = self
                .conn
                .prepare("SELECT id FROM documents WHERE duplicate_of = ?1 ORDER BY id")?;
            stmt.query_map([id], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()?
        };
        let user_set = {
            let c: Option<CorrectionRow> = self
                .conn
                .query_row(
                    "SELECT kind, date, title, author, excluded FROM corrections WHERE sha256 = ?1",
                    [&row.sha256],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                )
                .optional()?;
            let mut set = Vec::new();
            if let Some((k, d, t, a, e)) = c {
                for (name, present) in [
                    ("kind", k.is_some()),
                    ("date", d.is_some()),
                    ("title", t.is_some()),
                    ("author", a.is_some()),
                    ("excluded", e != 0),
                ] {
                    if present {
                        set.push(name.to_string());
                    }
                }
            }
            set
        };
        let text_pages = if with_text {
            let mut stmt = self
                .conn
                .prepare("SELECT page_no, ocr, text FROM pages WHERE doc_id = ?1 ORDER BY page_no")?;
            stmt.query_map([id], |r| {
                Ok(PageText {
                    page: r.get(0)?,
                    ocr: r.get::<_, i64>(1)? != 0,
                    text: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?
        } else {
            Vec::new()
        };
        Ok(DocDetail {
            row,
            format,
            reason,
            size,
            ocr: ocr != 0,
            in_reply_to,
            excluded: excluded != 0,
            all_locations,
            attachments,
            duplicates,
            meta: serde_json::from_str(&meta_json).unwrap_or(serde_json::Value::Null),
            user_set,
            text_pages,
            classification,
        })
    }

    fn list_ids(&self, ids: &[i64]) -> Result<Vec<DocRow>> {
        let mut rows = self.list(&Query::default(), true)?;
        rows.retain(|r| ids.contains(&r.id));
        Ok(rows)
    }

    /// Full-text search over titles and page text, best first, one hit per document.
    pub fn search(&self, terms: &[String], limit: usize) -> Result<Vec<SearchHit>> {
        let Some(expr) = fts_expression(terms) else {
            return Ok(Vec::new());
        };
        let mut stmt = self.conn.prepare(
            "SELECT f.doc_id, f.page_no, snippet(fts, -1, '[', ']', '…', 12), bm25(fts, 0.0, 0.0, 4.0, 1.0) AS rank
             FROM fts f WHERE fts MATCH ?1 ORDER BY rank LIMIT 5000",
        )?;
        let raw: Vec<(i64, Option<i64>, String, f64)> = stmt
            .query_map([&expr], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut best: Vec<(i64, Option<i64>, String, f64)> = Vec::new();
        let mut seen = HashSet::new();
        for hit in raw {
            if seen.insert(hit.0) {
                best.push(hit);
            }
        }
        let docs: HashMap<i64, DocRow> = self
            .list(&Query::default(), false)?
            .into_iter()
            .map(|r| (r.id, r))
            .collect();
        let mut hits = Vec::new();
        for (id, page, snippet, rank) in best {
            let Some(doc) = docs.get(&id) else { continue };
            hits.push(SearchHit {
                id,
                path: doc.path.clone(),
                page: page.filter(|p| *p > 0 && doc.pages.is_some()),
                kind: doc.kind.clone(),
                date: doc.date.clone(),
                title: doc.title.clone(),
                snippet: snippet.split_whitespace().collect::<Vec<_>>().join(" "),
                rank,
            });
            if hits.len() >= limit {
                break;
            }
        }
        Ok(hits)
    }

    /// Counts of documents by status (present ones).
    pub fn status_counts(&self) -> Result<BTreeMap<String, i64>> {
        let mut stmt = self.conn.prepare(
            "SELECT status, COUNT(*) FROM documents d WHERE EXISTS (SELECT 1 FROM locations l WHERE l.doc_id = d.id AND l.missing = 0) GROUP BY status",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// id, date, kind, title, note, tags (JSON), verbal: as stored in `events`.
type EventRow = (i64, String, String, String, Option<String>, String, i64);

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

/// A field the user can correct with `set`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Correction {
    Kind,
    Date,
    Title,
    Author,
    Excluded,
}

impl Correction {
    fn column(self) -> &'static str {
        match self {
            Correction::Kind => "kind",
            Correction::Date => "date",
            Correction::Title => "title",
            Correction::Author => "author",
            Correction::Excluded => "excluded",
        }
    }
}

impl Catalog {
    /// Every setting, by key.
    pub fn settings(&self) -> Result<BTreeMap<String, String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT key, value FROM settings ORDER BY key")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn delete_setting(&self, key: &str) -> Result<()> {
        self.conn.execute("DELETE FROM settings WHERE key = ?1", [key])?;
        Ok(())
    }

    /// The case settings the classifier uses.
    pub fn classify_settings(&self) -> Result<ClassifySettings> {
        let s = self.settings()?;
        let list = |k: &str| -> Vec<String> {
            s.get(k)
                .map(|v| {
                    v.split(';')
                        .map(|x| x.trim().to_lowercase())
                        .filter(|x| !x.is_empty())
                        .collect()
                })
                .unwrap_or_default()
        };
        Ok(ClassifySettings {
            student: s.get("name").cloned(),
            dob: s
                .get("dob")
                .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
            districts: list("district"),
            schools: list("school"),
            order: if s.get("date-order").is_some_and(|o| o == "day-first") {
                DateOrder::DayFirst
            } else {
                DateOrder::MonthFirst
            },
        })
    }

    /// Ids of documents whose classification is missing or was made under other rules or settings.
    pub fn pending_classification(&self, stamp: &str) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare(
            "SELECT id FROM documents WHERE classifier_stamp IS NULL OR classifier_stamp <> ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([stamp], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Loads what the classifier needs for these documents.
    pub fn classify_jobs(&self, ids: &[i64]) -> Result<Vec<ClassifyJob>> {
        let mut doc = self
            .conn
            .prepare_cached("SELECT sha256, format, ocr, meta_json FROM documents WHERE id = ?1")?;
        let mut loc = self.conn.prepare_cached(
            "SELECT locator FROM locations WHERE doc_id = ?1 ORDER BY missing, origin <> 'file', locator LIMIT 1",
        )?;
        let mut parent = self.conn.prepare_cached(
            "SELECT MIN(p.date) FROM locations l JOIN documents p ON p.id = l.parent_doc_id
             WHERE l.doc_id = ?1 AND p.format = 'email' AND p.date IS NOT NULL",
        )?;
        let mut pages = self
            .conn
            .prepare_cached("SELECT text, layout FROM pages WHERE doc_id = ?1 ORDER BY page_no")?;
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
                    Ok((r.get::<_, String>(0)?, r.get::<_, Option<Vec<u8>>>(1)?))
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
                parent_email_date: parent_date
                    .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                pages: texts,
                layout,
            });
        }
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
            let mut upd = tx.prepare_cached(
                "UPDATE documents SET kind = ?2, kind_confidence = ?3, date = ?4, date_source = ?5, date_confidence = ?6,
                     date_ambiguous = ?7, title = ?8, author = ?9, classification = ?10, classifier_stamp = ?11,
                     date_order_evidence = ?12
                 WHERE id = ?1",
            )?;
            let mut del = tx.prepare_cached("DELETE FROM tags WHERE sha256 = ?1 AND source = 'rule'")?;
            let mut ins =
                tx.prepare_cached("INSERT OR IGNORE INTO tags(sha256, tag, source) VALUES (?1, ?2, 'rule')")?;
            for (id, sha, c) in results {
                upd.execute(params![
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
                del.execute([sha])?;
                for t in &c.tags {
                    ins.execute(params![sha, t])?;
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

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

    /// Adds or removes a tag as the user; a removal is remembered so rules do not bring it back.
    pub fn set_tag(&self, sha: &str, tag: &str, add: bool) -> Result<()> {
        self.conn.execute(
            "INSERT INTO tags(sha256, tag, source, removed) VALUES (?1, ?2, 'user', ?3)
             ON CONFLICT(sha256, tag) DO UPDATE SET source = 'user', removed = excluded.removed",
            params![sha, tag, i64::from(!add)],
        )?;
        Ok(())
    }
}

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
            let Ok(date) = chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d") else {
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
                            let d = chrono::NaiveDate::parse_from_str(&e.date, "%Y-%m-%d").ok()?;
                            Some((e.event, d, e.snippet))
                        })
                        .collect()
                })
                .unwrap_or_default();
            let text = pages
                .query_map([r.id], |x| x.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?
                .join("\n");
            out.push(crate::timeline::DocFacts {
                id: r.id,
                kind: r.kind.clone().unwrap_or_else(|| "other".into()),
                date: r
                    .date
                    .as_deref()
                    .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
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
    /// A consistent copy of the catalog (safe while other commands run).
    pub fn backup_to(&self, path: &Path) -> Result<()> {
        let target = path.to_string_lossy().to_string();
        self.conn.execute("VACUUM INTO ?1", [&target]).map_err(|e| {
            user_error(
                format!("Could not write the backup to {}: {e}", path.display()),
                "Choose a folder you can write to, with free space, and a file name that does not exist yet.",
            )
        })?;
        Ok(())
    }

    /// Replaces this catalog's content with a backup's, through SQLite (other readers stay safe).
    pub fn restore_from(&mut self, path: &Path) -> Result<()> {
        let check =
            Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(|e| {
                user_error(
                    format!("Could not open the backup {}: {e}", path.display()),
                    "Check the path of the backup file.",
                )
            })?;
        let ok: String = check
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|_| {
                user_error(
                    format!("{} is not a casebinder catalog.", path.display()),
                    "Choose a file made by `casebinder backup`.",
                )
            })?;
        let version: i64 = check.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if ok != "ok" || version == 0 {
            return Err(user_error(
                format!("{} is damaged or is not a casebinder catalog.", path.display()),
                "Choose another backup made by `casebinder backup`.",
            ));
        }
        drop(check);
        self.conn
            .restore(rusqlite::MAIN_DB, path, None::<fn(rusqlite::backup::Progress)>)
            .with_context(|| format!("could not restore from {}", path.display()))?;
        self.migrate()?;
        Ok(())
    }

    /// Everything the user said (settings, corrections, tags, events).
    pub fn export_user_work(&self) -> Result<UserWork> {
        let settings = self.settings()?;
        let corrections = {
            let mut stmt = self.conn.prepare(
                "SELECT sha256, kind, date, title, author, excluded, note FROM corrections ORDER BY sha256",
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
                "INSERT INTO corrections(sha256, kind, date, title, author, excluded, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT(sha256) DO UPDATE SET kind = excluded.kind, date = excluded.date, title = excluded.title,
                     author = excluded.author, excluded = excluded.excluded, note = excluded.note",
                params![c.sha256, c.kind, c.date, c.title, c.author, c.excluded, c.note],
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

fn readonly_hint(e: rusqlite::Error, path: &Path) -> anyhow::Error {
    readonly_hint_any(e.into(), path)
}

fn readonly_hint_any(e: anyhow::Error, path: &Path) -> anyhow::Error {
    let text = format!("{e:#}").to_lowercase();
    if text.contains("readonly") || text.contains("read-only") || text.contains("permission") {
        return user_error(
            format!("The catalog {} cannot be written to ({e}).", path.display()),
            "casebinder needs to write in the case's .casebinder folder. Check its permissions \
             (it should belong to you), or copy the case folder somewhere you can write.",
        );
    }
    e
}

/// Writes one file's documents and locations; returns the number of new documents.
fn write_file(tx: &Transaction<'_>, rec: &FileRecord) -> Result<u64> {
    tx.execute("DELETE FROM locations WHERE file_path = ?1", [&rec.path])?;
    let mut ids: Vec<i64> = Vec::with_capacity(rec.items.len());
    let mut new_docs = 0;
    for item in &rec.items {
        let (id, created) = ensure_document(tx, item, &rec.path)?;
        if created {
            new_docs += 1;
        }
        ids.push(id);
        let parent = item.parent.and_then(|p| ids.get(p).copied());
        let (origin, mbox_index, offset, len) = match &item.origin {
            Origin::File => ("file", None, None, None),
            Origin::MboxMessage { index, offset, len } => (
                "mbox_message",
                Some(*index as i64),
                Some(*offset as i64),
                Some(*len as i64),
            ),
            Origin::Attachment => ("attachment", None, None, None),
        };
        let mut stmt = tx.prepare_cached(
            "INSERT INTO locations(locator, doc_id, file_path, origin, parent_doc_id, mbox_index, byte_offset, byte_len, missing)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0)
             ON CONFLICT(locator) DO UPDATE SET doc_id = excluded.doc_id, file_path = excluded.file_path,
                 origin = excluded.origin, parent_doc_id = excluded.parent_doc_id, mbox_index = excluded.mbox_index,
                 byte_offset = excluded.byte_offset, byte_len = excluded.byte_len, missing = 0",
        )?;
        stmt.execute(params![
            item.locator,
            id,
            rec.path,
            origin,
            parent,
            mbox_index,
            offset,
            len
        ])?;
    }
    tx.prepare_cached(
        "INSERT INTO files(path, size, mtime_ns, sha256, missing, extractor_version) VALUES (?1, ?2, ?3, ?4, 0, ?5)
         ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256,
             missing = 0, extractor_version = excluded.extractor_version",
    )?
    .execute(params![rec.path, rec.size as i64, rec.mtime_ns, rec.sha256, extractor_version()])?;
    Ok(new_docs)
}

/// The document with these bytes: existing (re-read if an older extractor made it) or new.
fn ensure_document(tx: &Transaction<'_>, item: &Item, file_path: &str) -> Result<(i64, bool)> {
    let existing: Option<(i64, i64)> = tx
        .prepare_cached("SELECT id, extractor_version FROM documents WHERE sha256 = ?1")?
        .query_row([&item.sha256], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let e = &item.extracted;
    let mut meta = serde_json::Map::new();
    for (k, v) in &e.meta {
        meta.insert(k.clone(), v.clone());
    }
    if let Some(email) = &e.email {
        meta.insert("email".into(), serde_json::to_value(email)?);
    }
    let meta_json = serde_json::Value::Object(meta).to_string();
    let (kind, date, date_source) = match &e.email {
        Some(m) if e.format == crate::extract::Format::Email => (
            Some("email"),
            m.date.clone(),
            m.date.as_ref().map(|_| "email_header"),
        ),
        _ => (None, None, None),
    };
    let message_id = e.email.as_ref().and_then(|m| m.message_id.clone());
    let in_reply_to = e.email.as_ref().and_then(|m| m.in_reply_to.clone());
    let id = match existing {
        Some((id, version)) if version >= extractor_version() => return Ok((id, false)),
        Some((id, _)) => {
            tx.execute(
                "UPDATE documents SET format=?2, status=?3, reason=?4, pages=?5, size=?6, ocr=?7, title=?8, author=?9,
                     kind=?10, date=?11, date_source=?12, message_id=?13, in_reply_to=?14, meta_json=?15, extractor_version=?16
                 WHERE id=?1",
                params![id, e.format.as_str(), e.status.as_str(), e.reason, e.page_count, item.size as i64, e.ocr,
                    e.title, e.author, kind, date, date_source, message_id, in_reply_to, meta_json, extractor_version()],
            )?;
            tx.execute("DELETE FROM pages WHERE doc_id = ?1", [id])?;
            tx.execute("DELETE FROM fts WHERE doc_id = ?1", [id])?;
            id
        }
        None => {
            tx.prepare_cached(
                "INSERT INTO documents(sha256, format, status, reason, pages, size, ocr, title, author, kind, date, date_source,
                     message_id, in_reply_to, meta_json, extractor_version)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            )?
            .execute(params![item.sha256, e.format.as_str(), e.status.as_str(), e.reason, e.page_count, item.size as i64,
                e.ocr, e.title, e.author, kind, date, date_source, message_id, in_reply_to, meta_json, extractor_version()])?;
            tx.last_insert_rowid()
        }
    };
    let file_name = file_path.rsplit('/').next().unwrap_or(file_path);
    let leaf = item.locator.rsplit("::").next().unwrap_or(&item.locator);
    let leaf = if item.locator.contains("::") {
        leaf
    } else {
        file_name
    };
    let title_text = [e.title.as_deref().unwrap_or(""), leaf].join(" ");
    let mut page_stmt = tx.prepare_cached(
        "INSERT INTO pages(doc_id, page_no, text, ocr, layout) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut fts_stmt =
        tx.prepare_cached("INSERT INTO fts(doc_id, page_no, title, body) VALUES (?1, ?2, ?3, ?4)")?;
    if e.pages.is_empty() {
        fts_stmt.execute(params![id, 0i64, title_text, ""])?;
    }
    for (i, text) in e.pages.iter().enumerate() {
        let page_no = i as i64 + 1;
        let layout = e.layout.get(i).and_then(Option::as_ref).map(PageLayout::encode);
        page_stmt.execute(params![id, page_no, text, e.ocr, layout])?;
        fts_stmt.execute(params![id, page_no, title_text, text])?;
    }
    if let Some(email) = &e.email {
        for label in &email.labels {
            tx.prepare_cached("INSERT OR IGNORE INTO tags(sha256, tag, source) VALUES (?1, ?2, 'gmail')")?
                .execute(params![item.sha256, label])?;
        }
    }
    Ok((id, existing.is_none()))
}

/// The same email stored twice (same Message-ID, other bytes): the copy is marked as a duplicate
/// of the canonical one (a plain .eml file first, then the lowest id).
fn mark_email_duplicates(tx: &Transaction<'_>) -> Result<()> {
    tx.execute(
        "UPDATE documents SET duplicate_of = NULL WHERE duplicate_of IS NOT NULL",
        [],
    )?;
    let groups: Vec<(String, i64)> = {
        let mut stmt = tx.prepare(
            "SELECT d.message_id, d.id,
                    EXISTS (SELECT 1 FROM locations l WHERE l.doc_id = d.id AND l.missing = 0 AND l.origin = 'file') AS is_file
             FROM documents d
             WHERE d.message_id IS NOT NULL
               AND EXISTS (SELECT 1 FROM locations l WHERE l.doc_id = d.id AND l.missing = 0)
               AND d.message_id IN (SELECT message_id FROM documents WHERE message_id IS NOT NULL
                                    GROUP BY message_id HAVING COUNT(*) > 1)
             ORDER BY d.message_id, is_file DESC, d.id",
        )?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    let mut canonical: Option<(String, i64)> = None;
    for (mid, id) in groups {
        match &canonical {
            Some((cmid, cid)) if *cmid == mid => {
                tx.execute(
                    "UPDATE documents SET duplicate_of = ?2 WHERE id = ?1",
                    params![id, cid],
                )?;
            }
            _ => canonical = Some((mid, id)),
        }
    }
    Ok(())
}

/// SQL for the query's filters over `doc_view v`, with its parameters.
fn filter_sql(query: &Query) -> (String, Vec<Value>) {
    let mut parts: Vec<String> = Vec::new();
    let mut params: Vec<Value> = Vec::new();
    for clause in &query.clauses {
        let (sql, mut p) = clause_sql(clause);
        parts.push(if clause.negate {
            format!("NOT COALESCE(({sql}), 0)")
        } else {
            format!("({sql})")
        });
        params.append(&mut p);
    }
    if !query.text.is_empty() {
        match fts_expression(&query.text) {
            Some(expr) => {
                parts.push("v.id IN (SELECT doc_id FROM fts WHERE fts MATCH ?)".into());
                params.push(Value::Text(expr));
            }
            None => parts.push("0".into()),
        }
    }
    if parts.is_empty() {
        ("1".into(), params)
    } else {
        (parts.join(" AND "), params)
    }
}

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

fn clause_sql(c: &Clause) -> (String, Vec<Value>) {
    let texts = || {
        c.values
            .iter()
            .map(|v| Value::Text(v.clone()))
            .collect::<Vec<_>>()
    };
    let likes = || {
        c.values
            .iter()
            .map(|v| {
                Value::Text(format!(
                    "%{}%",
                    v.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
                ))
            })
            .collect::<Vec<_>>()
    };
    let n = c.values.len().max(1);
    match c.field {
        Field::Kind => (format!("v.kind IN ({})", placeholders(n)), pad(texts(), n)),
        Field::Status => (format!("v.status IN ({})", placeholders(n)), pad(texts(), n)),
        Field::Format => (format!("v.format IN ({})", placeholders(n)), pad(texts(), n)),
        Field::Tag => (
            format!(
                "EXISTS (SELECT 1 FROM tags t WHERE t.sha256 = v.sha256 AND t.removed = 0 AND t.tag IN ({}))",
                placeholders(n)
            ),
            pad(texts(), n),
        ),
        Field::Author => (
            vec!["v.author LIKE ? ESCAPE '\\'"; n].join(" OR "),
            pad(likes(), n),
        ),
        Field::Title => (
            vec!["v.title LIKE ? ESCAPE '\\'"; n].join(" OR "),
            pad(likes(), n),
        ),
        Field::Path => (
            format!(
                "EXISTS (SELECT 1 FROM locations l WHERE l.doc_id = v.id AND l.missing = 0 AND ({}))",
                vec!["l.locator LIKE ? ESCAPE '\\'"; n].join(" OR ")
            ),
            pad(likes(), n),
        ),
        Field::Date => {
            let mut ors = Vec::new();
            let mut params = Vec::new();
            for d in &c.dates {
                match d {
                    DateFilter::Undated => ors.push("v.date IS NULL".to_string()),
                    DateFilter::Range(from, to) => {
                        let mut conds = vec!["v.date IS NOT NULL".to_string()];
                        if let Some(f) = from {
                            conds.push("v.date >= ?".into());
                            params.push(Value::Text(f.format("%Y-%m-%d").to_string()));
                        }
                        if let Some(t) = to {
                            conds.push("v.date <= ?".into());
                            params.push(Value::Text(t.format("%Y-%m-%d").to_string()));
                        }
                        ors.push(format!("({})", conds.join(" AND ")));
                    }
                }
            }
            if ors.is_empty() {
                ("1".into(), params)
            } else {
                (ors.join(" OR "), params)
            }
        }
    }
}

/// An empty value list still needs one parameter for its single placeholder.
fn pad(mut v: Vec<Value>, n: usize) -> Vec<Value> {
    while v.len() < n {
        v.push(Value::Null);
    }
    v
}
