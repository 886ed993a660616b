//! Source files and what the scan writes: which files the catalog knows, each file's documents
//! and locations (one transaction per batch), and what finishing a scan finds gone or moved.

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::Catalog;
use crate::extract::{Item, Origin};
use crate::layout::PageLayout;

/// What the catalog remembers of each source file, by path: a map with a fast hash (a rescan
/// looks up every file of the folder in it).
pub type FileStates = HashMap<String, FileState, foldhash::fast::RandomState>;

/// What the catalog remembers of a source file.
#[derive(Debug, Clone)]
pub struct FileState {
    pub size: i64,
    pub mtime_ns: i64,
    /// Empty from [`Catalog::file_states`] (a rescan compares sizes and times first); filled
    /// for the files it reads again.
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
    /// The extractor that read it (`crate::extract::tools::extractor_version`): a later,
    /// better extractor reads it again.
    pub extractor_version: i64,
}

/// What finishing a scan found among the files that were not seen.
#[derive(Debug, Default, Clone, Copy)]
pub struct Finish {
    pub moved: u64,
    pub missing: u64,
}

/// Writes one file's documents and locations; returns the number of new documents, and whether
/// the family's work moved to a re-saved file's new version.
pub(super) fn write_file(
    tx: &Transaction<'_>,
    rec: &FileRecord,
    classified: Option<&mut Classified>,
) -> Result<Written> {
    // The document this path held until now (a file of one document), for its family's work.
    let before: Option<String> = match rec.items.as_slice() {
        [one] if one.origin == Origin::File => tx
            .prepare_cached(
                "SELECT d.sha256 FROM locations l JOIN documents d ON d.id = l.doc_id
                 WHERE l.file_path = ?1 AND l.origin = 'file' AND l.missing = 0",
            )?
            .query_row([&rec.path], |r| r.get(0))
            .optional()?
            .filter(|old: &String| *old != one.sha256),
        _ => None,
    };
    // A mailbox that now holds fewer messages (cut short by a copy, or pruned) is said so.
    let messages_before: i64 = tx
        .prepare_cached(
            "SELECT COUNT(*) FROM locations WHERE file_path = ?1 AND origin = 'mbox_message' AND missing = 0",
        )?
        .query_row([&rec.path], |r| r.get(0))?;
    let messages_now = rec
        .items
        .iter()
        .filter(|i| matches!(i.origin, Origin::MboxMessage { .. }))
        .count() as i64;
    remember_former(tx, &rec.path)?;
    tx.execute("DELETE FROM locations WHERE file_path = ?1", [&rec.path])?;
    let mut ids: Vec<i64> = Vec::with_capacity(rec.items.len());
    let new_docs = write_items(
        tx,
        &rec.path,
        &rec.items,
        &mut ids,
        rec.extractor_version,
        classified,
    )?;
    let mut carried = false;
    if let (Some(old), [one]) = (before, rec.items.as_slice()) {
        carried = carry_work(tx, &rec.path, &old, one)?;
    }
    write_file_row(tx, rec)?;
    Ok(Written {
        new_docs,
        carried,
        messages_lost: (messages_before - messages_now).max(0) as u64,
    })
}

/// What writing one file did.
pub(super) struct Written {
    /// Documents new to the catalog.
    new_docs: u64,
    /// The family's work moved to the new version of a file re-saved in place.
    carried: bool,
    /// Messages a mailbox held at the last scan and holds no more.
    messages_lost: u64,
}

/// How alike two texts must be (shared words over all words) for a file re-saved in place to be
/// the same document: a re-save, a new scan of the same letter, a stamp added.
const SAME_TEXT: f64 = 0.9;

/// A file re-saved in place (same path, other bytes) with the same or nearly the same text keeps
/// what the family said about it: its corrections, its tags, its notes and the events it backs
/// move to the new version, which records the one it replaces. Nothing moves when the old
/// version is still in the folder elsewhere, when the new one already has work of its own, or
/// when the text differs (another paper saved under the old name).
fn carry_work(tx: &Transaction<'_>, path: &str, old: &str, new: &Item) -> Result<bool> {
    let elsewhere: i64 = tx.query_row(
        "SELECT COUNT(*) FROM locations l JOIN documents d ON d.id = l.doc_id
         WHERE d.sha256 = ?1 AND l.missing = 0",
        [old],
        |r| r.get(0),
    )?;
    let count = |sql: &str, sha: &str| -> Result<i64> { Ok(tx.query_row(sql, [sha], |r| r.get(0))?) };
    const WORK: &str = "SELECT (SELECT COUNT(*) FROM corrections WHERE sha256 = ?1)
                             + (SELECT COUNT(*) FROM tags WHERE sha256 = ?1 AND source = 'user')
                             + (SELECT COUNT(*) FROM event_docs WHERE sha256 = ?1)";
    if elsewhere > 0 || count(WORK, old)? == 0 || count(WORK, &new.sha256)? > 0 {
        return Ok(false);
    }
    let old_text: String = tx
        .query_row(
            "SELECT COALESCE(group_concat(p.text, ' '), '') FROM pages p JOIN documents d ON d.id = p.doc_id
             WHERE d.sha256 = ?1",
            [old],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_default();
    if alike(&old_text, &new.extracted.pages.join(" ")) < SAME_TEXT {
        return Ok(false);
    }
    tx.execute(
        "INSERT INTO corrections(sha256, kind, date, title, author, excluded, note, rotate)
         SELECT ?2, kind, date, title, author, excluded, note, rotate FROM corrections WHERE sha256 = ?1",
        params![old, new.sha256],
    )?;
    tx.execute(
        "INSERT OR IGNORE INTO tags(sha256, tag, source, removed)
         SELECT ?2, tag, source, removed FROM tags WHERE sha256 = ?1 AND source = 'user'",
        params![old, new.sha256],
    )?;
    tx.execute(
        "INSERT OR IGNORE INTO event_docs(event_id, sha256) SELECT event_id, ?2 FROM event_docs WHERE sha256 = ?1",
        params![old, new.sha256],
    )?;
    tx.execute(
        "INSERT INTO resaved(sha256, replaces, path) VALUES (?1, ?2, ?3)
         ON CONFLICT(sha256) DO UPDATE SET replaces = excluded.replaces, path = excluded.path",
        params![new.sha256, old, path],
    )?;
    Ok(true)
}

/// The share of words two texts have in common (Jaccard over their sets of words); two empty
/// texts (two scans OCR could not read) are not alike.
fn alike(a: &str, b: &str) -> f64 {
    let words = |t: &str| -> std::collections::HashSet<String> {
        t.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let (x, y) = (words(a), words(b));
    let union = x.union(&y).count();
    if union == 0 {
        return 0.0;
    }
    x.intersection(&y).count() as f64 / union as f64
}

/// Writes documents of the file at `path` and their locations. `ids` holds the ids of the
/// file's documents written before (an attachment's `parent` indexes the whole file's list).
fn write_items(
    conn: &Connection,
    path: &str,
    items: &[Item],
    ids: &mut Vec<i64>,
    version: i64,
    mut classified: Option<&mut Classified>,
) -> Result<u64> {
    let mut new_docs = 0;
    for item in items {
        let (id, created) = ensure_document(conn, item, path, version)?;
        if created {
            new_docs += 1;
        }
        if let Some(done) = classified.as_deref_mut() {
            match &item.classified {
                // A new document, classified where it was read: stored with it.
                Some(c) if created => {
                    super::classification::store_one(conn, id, &item.sha256, c, &done.stamp)?;
                    done.created.insert(id);
                }
                // A document made in this scan met again (inside another email, or as a file of
                // its own): its date may come from the earlier of its emails and its name from
                // another place, so it is classified again after the scan, from all of them.
                _ if !created && done.created.remove(&id) => {
                    conn.prepare_cached("UPDATE documents SET classifier_stamp = NULL WHERE id = ?1")?
                        .execute([id])?;
                }
                _ => {}
            }
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
        let mut stmt = conn.prepare_cached(
            "INSERT INTO locations(locator, doc_id, file_path, origin, parent_doc_id, mbox_index, byte_offset, byte_len, missing)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0)
             ON CONFLICT(locator) DO UPDATE SET doc_id = excluded.doc_id, file_path = excluded.file_path,
                 origin = excluded.origin, parent_doc_id = excluded.parent_doc_id, mbox_index = excluded.mbox_index,
                 byte_offset = excluded.byte_offset, byte_len = excluded.byte_len, missing = 0",
        )?;
        stmt.execute(params![
            item.locator,
            id,
            path,
            origin,
            parent,
            mbox_index,
            offset,
            len
        ])?;
    }
    Ok(new_docs)
}

/// The file's own row (written last: a file without it is read again by the next scan).
fn write_file_row(conn: &Connection, rec: &FileRecord) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO files(path, size, mtime_ns, sha256, missing, extractor_version) VALUES (?1, ?2, ?3, ?4, 0, ?5)
         ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256,
             missing = 0, extractor_version = excluded.extractor_version",
    )?
    .execute(params![rec.path, rec.size as i64, rec.mtime_ns, rec.sha256, rec.extractor_version])?;
    Ok(())
}

/// A file being written while it is still read (a new mailbox, message after message), in one
/// transaction of its own: it commits with the file's row, or leaves nothing.
pub struct FileStream {
    path: String,
    ids: Vec<i64>,
    version: i64,
}

impl Catalog {
    /// From now on, documents the scan creates with a classification (made where they were
    /// read, under `stamp`) are stored classified; [`Catalog::end_classified_writes`] stops it.
    pub fn begin_classified_writes(&mut self, stamp: &str) {
        self.classified = Some(Classified {
            stamp: stamp.to_string(),
            created: HashSet::default(),
        });
    }

    /// The files re-saved in place whose corrections, tags and notes moved to their new version
    /// since the last call.
    pub fn take_resaved(&mut self) -> Vec<String> {
        std::mem::take(&mut self.resaved)
    }

    /// The mailboxes that hold fewer messages than at the last scan (path, messages gone),
    /// since the last call.
    pub fn take_shrunk(&mut self) -> Vec<(String, u64)> {
        std::mem::take(&mut self.shrunk)
    }

    /// Ends [`Catalog::begin_classified_writes`].
    pub fn end_classified_writes(&mut self) {
        self.classified = None;
    }

    /// Starts writing the file at `path` part by part (see [`FileStream`]).
    pub fn begin_file_stream(&mut self, path: &str, version: i64) -> Result<FileStream> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let started = remember_former(&self.conn, path).and_then(|()| {
            self.conn
                .execute("DELETE FROM locations WHERE file_path = ?1", [path])
        });
        if let Err(e) = started {
            let _ = self.conn.execute_batch("ROLLBACK");
            return Err(e.into());
        }
        Ok(FileStream {
            path: path.to_string(),
            ids: Vec::new(),
            version,
        })
    }

    /// Writes the next documents of a file being streamed; returns how many were new.
    pub fn write_file_part(&mut self, stream: &mut FileStream, items: &[Item]) -> Result<u64> {
        let written = write_items(
            &self.conn,
            &stream.path,
            items,
            &mut stream.ids,
            stream.version,
            self.classified.as_mut(),
        );
        if written.is_err() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        written
    }

    /// Ends a streamed file: with its record (its last documents and its row), everything is
    /// kept; without (it could not be read to its end), nothing is.
    pub fn finish_file_stream(&mut self, mut stream: FileStream, rec: Option<&FileRecord>) -> Result<u64> {
        let Some(rec) = rec else {
            self.conn.execute_batch("ROLLBACK")?;
            return Ok(0);
        };
        let done = write_items(
            &self.conn,
            &stream.path,
            &rec.items,
            &mut stream.ids,
            stream.version,
            self.classified.as_mut(),
        )
        .and_then(|n| write_file_row(&self.conn, rec).map(|()| n));
        match done {
            Ok(n) => {
                self.conn.execute_batch("COMMIT")?;
                Ok(n)
            }
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }
}

/// A document's metadata as the catalog keeps it (`meta_json`): what extraction found, and an
/// email's headers under "email".
pub fn document_meta(e: &crate::extract::Extracted) -> Result<serde_json::Value> {
    let mut meta = serde_json::Map::new();
    for (k, v) in &e.meta {
        meta.insert(k.clone(), v.clone());
    }
    if let Some(email) = &e.email {
        meta.insert("email".into(), serde_json::to_value(email)?);
    }
    Ok(serde_json::Value::Object(meta))
}

/// Classifications made where documents were read, stored as the scan creates the documents.
pub(super) struct Classified {
    /// The classifier's stamp (rules and settings) they were made under.
    pub(super) stamp: String,
    /// Documents created with their classification in this scan.
    pub(super) created: HashSet<i64, foldhash::fast::FixedState>,
}

/// The document with these bytes: existing (re-read if an older extractor made it) or new.
pub(super) fn ensure_document(
    tx: &Connection,
    item: &Item,
    file_path: &str,
    version: i64,
) -> Result<(i64, bool)> {
    let existing: Option<(i64, i64)> = tx
        .prepare_cached("SELECT id, extractor_version FROM documents WHERE sha256 = ?1")?
        .query_row([&item.sha256], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let e = &item.extracted;
    let meta_json = document_meta(e)?.to_string();
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
        Some((id, stored)) if stored >= version => return Ok((id, false)),
        Some((id, _)) => {
            tx.execute(
                "UPDATE documents SET format=?2, status=?3, reason=?4, pages=?5, size=?6, ocr=?7, title=?8, author=?9,
                     kind=?10, date=?11, date_source=?12, message_id=?13, in_reply_to=?14, meta_json=?15, extractor_version=?16
                 WHERE id=?1",
                params![id, e.format.as_str(), e.status.as_str(), e.reason, e.page_count, item.size as i64, e.ocr,
                    e.title, e.author, kind, date, date_source, message_id, in_reply_to, meta_json, version],
            )?;
            tx.execute("DELETE FROM pages WHERE doc_id = ?1", [id])?;
            tx.execute("DELETE FROM fts_docs WHERE rowid = ?1", [id])?;
            id
        }
        None => {
            tx.prepare_cached(
                "INSERT INTO documents(sha256, format, status, reason, pages, size, ocr, title, author, kind, date, date_source,
                     message_id, in_reply_to, meta_json, extractor_version)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            )?
            .execute(params![item.sha256, e.format.as_str(), e.status.as_str(), e.reason, e.page_count, item.size as i64,
                e.ocr, e.title, e.author, kind, date, date_source, message_id, in_reply_to, meta_json, version])?;
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
    for (i, text) in e.pages.iter().enumerate() {
        let page_no = i as i64 + 1;
        let layout = e.layout.get(i).and_then(Option::as_ref).map(PageLayout::encode);
        page_stmt.execute(params![id, page_no, super::text::pack(text), e.ocr, layout])?;
    }
    // One row per document in the search index, its pages joined by form feeds.
    tx.prepare_cached("INSERT INTO fts_docs(rowid, title, body) VALUES (?1, ?2, ?3)")?
        .execute(params![id, title_text, e.pages.join("\n\x0c\n")])?;
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
pub(super) fn mark_email_duplicates(tx: &Transaction<'_>) -> Result<()> {
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

impl Catalog {
    /// Every source file the catalog knows, by path.
    pub fn file_states(&self) -> Result<FileStates> {
        // Read into a list first, then into a map of the right size: counting the files first
        // walked a whole index of the table (a third of the pages this read touched).
        let mut rows = Vec::new();
        let mut stmt = self
            .conn
            .prepare("SELECT path, size, mtime_ns, missing, extractor_version FROM files")?;
        let found = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                FileState {
                    size: r.get(1)?,
                    mtime_ns: r.get(2)?,
                    sha256: String::new(),
                    missing: r.get::<_, i64>(3)? != 0,
                    extractor_version: r.get(4)?,
                },
            ))
        })?;
        for row in found {
            rows.push(row?);
        }
        let mut states = FileStates::with_capacity_and_hasher(rows.len(), Default::default());
        states.extend(rows);
        Ok(states)
    }

    /// The SHA-256 the catalog holds for a file (empty when it has none).
    pub fn file_sha256(&self, path: &str) -> Result<String> {
        Ok(self
            .conn
            .prepare_cached("SELECT sha256 FROM files WHERE path = ?1")?
            .query_row([path], |r| r.get(0))
            .optional()?
            .unwrap_or_default())
    }

    /// Paths of files casebinder itself wrote (never scanned).
    pub fn output_paths(&self) -> Result<HashSet<String>> {
        let mut stmt = self.conn.prepare("SELECT path FROM outputs")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// True when `rel` (a path inside the case folder) is a source file the catalog knows.
    pub fn is_source(&self, rel: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT 1 FROM files WHERE path = ?1", [rel], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// The SHA-256 casebinder recorded when it wrote `key` (a path inside the case, or an
    /// absolute one).
    pub fn output_sha(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT sha256 FROM outputs WHERE path = ?1", [key], |r| r.get(0))
            .optional()?)
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
            let w = write_file(&tx, rec, self.classified.as_mut())?;
            new_docs += w.new_docs;
            if w.carried {
                self.resaved.push(rec.path.clone());
            }
            if w.messages_lost > 0 {
                self.shrunk.push((rec.path.clone(), w.messages_lost));
            }
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
    /// `changed`: whether this scan wrote anything (new or changed files).
    pub fn finish_scan(&mut self, seen: &HashSet<&str>, changed: bool) -> Result<Finish> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut finish = Finish::default();
        let known: Vec<(String, String)> = {
            let mut stmt = tx.prepare("SELECT path, sha256 FROM files WHERE missing = 0")?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        // Nothing written and nothing gone: nothing to settle (a no-op rescan stops here).
        if !changed && known.iter().all(|(p, _)| seen.contains(p.as_str())) {
            return Ok(finish);
        }
        let present_shas: HashSet<&str> = known
            .iter()
            .filter(|(p, _)| seen.contains(p.as_str()))
            .map(|(_, s)| s.as_str())
            .collect();
        for (path, sha) in known.iter().filter(|(p, _)| !seen.contains(p.as_str())) {
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
}

/// Before a changed file's places are taken by its new version: where each document it held
/// was, so that `list --missing` still names the earlier version's file.
fn remember_former(conn: &rusqlite::Connection, path: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO former_locations(doc_id, locator)
         SELECT doc_id, locator FROM locations WHERE file_path = ?1 AND origin = 'file'",
    )?
    .execute([path])?;
    Ok(())
}
