//! The catalog: the only module that knows SQL.
//!
//! One SQLite file per case (WAL, foreign keys, synchronous=FULL, a busy timeout so a second
//! process waits instead of failing). Documents are keyed by SHA-256; locations say where each
//! lives; what the user says is keyed by SHA-256 too, so it survives renames and re-scans. The
//! scan writes one transaction per batch of files, so a kill at any moment leaves a consistent
//! catalog and the next scan finishes the job.

pub mod bates;
mod binder;
mod classification;
mod concerns;
mod documents;
mod events;
mod files;
mod filters;
mod rank;
pub mod safety;
mod schema;
mod snippets;
mod story_cache;
mod text;
mod user_work;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::user_error;

pub use classification::ClassifyJob;
pub use concerns::{CONCERN_KINDS, Concern, ConcernEdit, ConcernRecord};
pub use documents::{DocDetail, DocRow, LocationInfo, PageText, SearchHit};
pub use files::{FileRecord, FileState, FileStates, FileStream, Finish, document_meta};
pub use user_work::{
    Correction, CorrectionRecord, EventRecord, LabelRecord, TagRecord, USER_WORK_FORMAT, UserWork,
};

pub struct Catalog {
    conn: Connection,
    /// Opened without writing (its disk is read-only): reading works, writing says why not.
    read_only: bool,
    /// Whether the search's ranking function is registered with this connection (set at the
    /// first search; false when FTS5 would not register it, then searches rank with bm25()).
    ranking: std::sync::OnceLock<bool>,
    /// While a scan writes: classifications made where documents were read are stored with them.
    classified: Option<files::Classified>,
    /// Files re-saved in place whose family's work moved to the new version (for the scan's
    /// summary).
    resaved: Vec<String>,
    /// Mailboxes that hold fewer messages than at the last scan (for the scan's summary).
    shrunk: Vec<(String, u64)>,
}

/// Keeps the catalog's WAL and shared-memory files between commands instead of deleting them at
/// every close and making them again at every open (each command opens the catalog once: a
/// search or a rescan that finds nothing to do spent a good part of its time there). The WAL is
/// emptied (truncated to nothing, `journal_size_limit = 0`) when the last connection closes,
/// so what stays beside the catalog holds no data.
fn keep_wal_files(conn: &Connection) {
    let mut on: std::ffi::c_int = 1;
    #[allow(unsafe_code)]
    // SAFETY: the handle is this open connection's; the file control reads and writes one int
    // that lives for the call.
    unsafe {
        rusqlite::ffi::sqlite3_file_control(
            conn.handle(),
            c"main".as_ptr(),
            rusqlite::ffi::SQLITE_FCNTL_PERSIST_WAL,
            (&raw mut on).cast(),
        );
    }
}

/// SQLite gives its `-wal` and `-shm` files the catalog's permissions. If the catalog was once
/// read-only (a copy from a CD, a `chmod`), they stay read-only after the catalog is writable
/// again, and every later write fails. They are our own files: make them writable (owner-only).
pub(super) fn heal_sidecar_permissions(path: &Path) {
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

/// True when this process may write to `path` (a read-only mount, or a file or folder that is
/// not ours to change, says no).
fn writable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
            return false;
        };
        #[allow(unsafe_code)]
        // SAFETY: access(2) reads the NUL-terminated path and changes nothing.
        let ok = unsafe { libc::access(c.as_ptr(), libc::W_OK) } == 0;
        ok
    }
    #[cfg(not(unix))]
    {
        std::fs::metadata(path).is_ok_and(|m| !m.permissions().readonly())
    }
}

pub(super) fn readonly_hint(e: rusqlite::Error, path: &Path) -> anyhow::Error {
    readonly_hint_any(e.into(), path)
}

pub(super) fn readonly_hint_any(e: anyhow::Error, path: &Path) -> anyhow::Error {
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
        #[cfg(not(unix))]
        std::fs::File::create(path)
            .with_context(|| format!("could not create the catalog {}", path.display()))?;
        Catalog::open_writable(path)
    }

    /// A catalog that lives in memory only, with the whole schema (for tests and dry runs).
    pub fn in_memory() -> Result<Catalog> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch("PRAGMA foreign_keys = ON;")?;
        let mut catalog = Catalog {
            conn,
            read_only: false,
            ranking: std::sync::OnceLock::new(),
            classified: None,
            resaved: Vec::new(),
            shrunk: Vec::new(),
        };
        catalog.migrate()?;
        Ok(catalog)
    }

    /// Opens an existing catalog, bringing its schema up to date. An empty or foreign file is
    /// refused (never taken for a new catalog); on a read-only disk the catalog is opened for
    /// reading.
    pub fn open(path: &Path) -> Result<Catalog> {
        safety::refuse_non_catalog(path)?;
        // A folder that cannot be written (a read-only disk): SQLite could not keep its lock and
        // log files beside the catalog, so it is read as it is, without them.
        if !path.parent().is_none_or(writable) {
            return Catalog::open_read_only(path);
        }
        Catalog::open_writable(path)
    }

    /// Opens a catalog to read it and never write it (another person's desk reading many cases):
    /// no migration, no lock or log files made beside it. A catalog of another version is
    /// refused with the reason.
    pub fn open_for_reading(path: &Path) -> Result<Catalog> {
        safety::refuse_non_catalog(path)?;
        // With nothing in its write-ahead log, the file is the whole catalog: it is read as an
        // immutable file, touching nothing beside it (not even SQLite's shared-memory index).
        let wal = std::fs::metadata(format!("{}-wal", path.display())).map_or(0, |m| m.len());
        let opened = if wal == 0 {
            safety::open_untouched(path)
        } else {
            Connection::open_with_flags(
                path,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
        };
        let conn = opened.map_err(|e| {
            user_error(
                format!("Could not open the catalog {}: {e}", path.display()),
                "Check that the case folder is readable by you.",
            )
        })?;
        conn.busy_timeout(Duration::from_secs(10))?;
        // Read through a map of the file (no copy of each page through a read call).
        let _ = conn.pragma_update(None, "mmap_size", 256i64 * 1024 * 1024);
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| {
                user_error(
                    format!("The catalog {} cannot be read: {e}", path.display()),
                    "Check that the case folder is readable by you; if the catalog is damaged, run casebinder repair in that case.",
                )
            })?;
        let target = schema::MIGRATIONS.len() as i64;
        if version > target {
            return Err(user_error(
                format!("The catalog {} was made by a newer casebinder", path.display()),
                "Update casebinder to read this case.",
            ));
        }
        if version < target {
            return Err(user_error(
                format!(
                    "The catalog {} was made by an older casebinder and needs bringing up to date",
                    path.display()
                ),
                "Run casebinder cases scan, or any casebinder command inside that case once.",
            ));
        }
        // A damaged file answers the version but not its tables.
        conn.query_row("SELECT COUNT(*) FROM documents", [], |r| r.get::<_, i64>(0))
            .map_err(|e| {
                user_error(
                    format!("The catalog {} is damaged: {e}", path.display()),
                    "Run casebinder repair in that case.",
                )
            })?;
        Ok(Catalog {
            conn,
            read_only: true,
            ranking: std::sync::OnceLock::new(),
            classified: None,
            resaved: Vec::new(),
            shrunk: Vec::new(),
        })
    }

    /// True when the catalog was opened for reading only (its disk or folder is read-only).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Opens a catalog on a disk casebinder cannot write to: nothing is written beside it.
    fn open_read_only(path: &Path) -> Result<Catalog> {
        let conn = safety::open_untouched(path).map_err(|e| {
            user_error(
                format!("Could not open the catalog {}: {e}", path.display()),
                "Check that the disk is mounted and the file is readable by you.",
            )
        })?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let target = schema::MIGRATIONS.len() as i64;
        if version < target {
            return Err(user_error(
                format!(
                    "The catalog {} was made by an older casebinder and must be brought up to date, but its disk is read-only.",
                    path.display()
                ),
                "Copy the case folder to a disk you can write to, or open it once where it is writable.",
            ));
        }
        let mut catalog = Catalog {
            conn,
            read_only: true,
            ranking: std::sync::OnceLock::new(),
            classified: None,
            resaved: Vec::new(),
            shrunk: Vec::new(),
        };
        catalog.migrate()?;
        Ok(catalog)
    }

    fn open_writable(path: &Path) -> Result<Catalog> {
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
            "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY; \
             PRAGMA journal_size_limit = 0;",
        )?;
        keep_wal_files(&conn);
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(|e| readonly_hint(e, path))?;
        let _ = mode; // a read-only catalog stays in its current mode
        let mut catalog = Catalog {
            conn,
            read_only: false,
            ranking: std::sync::OnceLock::new(),
            classified: None,
            resaved: Vec::new(),
            shrunk: Vec::new(),
        };
        catalog.migrate().map_err(|e| readonly_hint_any(e, path))?;
        Ok(catalog)
    }

    pub(super) fn migrate(&mut self) -> Result<()> {
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
        // A catalog from before the index kept no text of its own: give the space back once
        // (only an optimisation, so a failure, say a full disk, changes nothing).
        if (1..7).contains(&version) {
            let _ = self.conn.execute_batch("VACUUM");
        }
        Ok(())
    }

    /// Before writing many documents (a scan that reads files, a reclassification): a page
    /// cache large enough for the catalog's hot pages (SQLite's default is 2 MB), so a large
    /// transaction does not spill pages to the file and read them back.
    pub fn prepare_for_bulk_writes(&self) -> Result<()> {
        self.conn.execute_batch("PRAGMA cache_size = -32768;")?;
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

    /// Notes that a scan finished now, with what it saw (the desk shows the last one).
    pub fn record_scan(&self, finished_at: &str, files_seen: u64, documents: i64) -> Result<()> {
        self.conn.execute(
            "INSERT INTO scans(finished_at, files_seen, documents) VALUES (?1, ?2, ?3)",
            rusqlite::params![finished_at, files_seen as i64, documents],
        )?;
        // The last few are enough: the table never grows with the years.
        self.conn.execute(
            "DELETE FROM scans WHERE id <= (SELECT MAX(id) FROM scans) - 20",
            [],
        )?;
        Ok(())
    }

    /// Keeps the folders a scan read with their times (`None`: a time too close to the scan to
    /// vouch for anything), in place of those kept before.
    pub fn record_folder_times(&mut self, folders: &[(String, Option<i64>)]) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM folder_times", [])?;
        {
            let mut insert =
                tx.prepare("INSERT OR REPLACE INTO folder_times(rel, mtime_ns) VALUES (?1, ?2)")?;
            for (rel, t) in folders {
                insert.execute(rusqlite::params![rel, t])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The folders the last scan read, with their times then (empty before a scan recorded them).
    pub fn folder_times(&self) -> Result<Vec<(String, Option<i64>)>> {
        let mut q = self
            .conn
            .prepare("SELECT rel, mtime_ns FROM folder_times ORDER BY rel")?;
        let rows = q.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// When the last scan finished (none before the first one a casebinder with the desk made).
    pub fn last_scan(&self) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT finished_at FROM scans ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub fn integrity_check(&self) -> Result<String> {
        Ok(self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }

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
        // Bates numbers given since the backup was made stay given: a restored catalog never
        // gives them to other pages.
        let given = self.bates_ranges().unwrap_or_default();
        self.conn
            .restore(rusqlite::MAIN_DB, path, None::<fn(rusqlite::backup::Progress)>)
            .with_context(|| format!("could not restore from {}", path.display()))?;
        self.migrate()?;
        binder::merge_ranges(&self.conn, &given)?;
        Ok(())
    }
}

/// A small, seeded random source for the catalog's property tests (the same runs every time).
#[cfg(test)]
mod test_rng {
    pub struct Rng(pub u64);

    impl Rng {
        pub fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        pub fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }

        pub fn chance(&mut self, percent: usize) -> bool {
            self.below(100) < percent
        }

        pub fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
            &v[self.below(v.len())]
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::query::Query;

    /// A catalog holding one small text document, scanned the way `scan` writes it.
    fn with_one_document() -> Catalog {
        let mut c = Catalog::in_memory().unwrap();
        let bytes =
            b"PRIOR WRITTEN NOTICE\nDate: October 3, 2023\nThe district refuses to increase OT minutes.\n";
        let items = crate::extract::extract_file("Letters/pwn.txt", bytes);
        let record = FileRecord {
            path: "Letters/pwn.txt".into(),
            size: bytes.len() as u64,
            mtime_ns: 1,
            sha256: items[0].sha256.clone(),
            items,
            extractor_version: 1,
        };
        assert_eq!(c.write_batch(&[record], &[]).unwrap(), 1);
        c
    }

    #[test]
    fn migrating_twice_changes_nothing_and_a_newer_catalog_is_refused() {
        let mut c = Catalog::in_memory().unwrap();
        let version =
            |c: &Catalog| -> i64 { c.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap() };
        let tables = |c: &Catalog| -> Vec<String> {
            let mut st = c
                .conn
                .prepare("SELECT sql FROM sqlite_master ORDER BY name")
                .unwrap();
            st.query_map([], |r| r.get::<_, Option<String>>(0))
                .unwrap()
                .map(|r| r.unwrap().unwrap_or_default())
                .collect()
        };
        let (v1, t1) = (version(&c), tables(&c));
        assert_eq!(v1, schema::MIGRATIONS.len() as i64);
        c.migrate().unwrap();
        assert_eq!((version(&c), tables(&c)), (v1, t1));
        c.conn.pragma_update(None, "user_version", v1 + 1).unwrap();
        let err = c.migrate().unwrap_err();
        assert!(err.to_string().contains("newer casebinder"), "{err}");
    }

    #[test]
    fn a_catalog_whose_index_kept_its_own_text_is_searched_after_the_upgrade() {
        // A catalog as schema 6 left it: the text in the pages table and again in the index.
        let conn = Connection::open_in_memory().unwrap();
        for sql in &schema::MIGRATIONS[..6] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 6).unwrap();
        conn.execute_batch(
            "INSERT INTO documents(id, sha256, format, status, size, extractor_version) VALUES (3, 'abc', 'text', 'ok', 10, 1);
             INSERT INTO files(path, size, mtime_ns, sha256, extractor_version) VALUES ('a.txt', 10, 1, 'abc', 1);
             INSERT INTO locations(doc_id, locator, origin, file_path) VALUES (3, 'a.txt', 'file', 'a.txt');
             INSERT INTO pages(doc_id, page_no, text) VALUES (3, 1, 'The district refused the evaluation.');
             INSERT INTO fts(doc_id, page_no, title, body) VALUES (3, 1, 'Letter a.txt', 'The district refused the evaluation.');",
        )
        .unwrap();
        let mut c = Catalog {
            conn,
            read_only: false,
            ranking: std::sync::OnceLock::new(),
            classified: None,
            resaved: Vec::new(),
            shrunk: Vec::new(),
        };
        c.migrate().unwrap();
        let hits = c.search_words(&["refused".into()], 10).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!((hits[0].id, hits[0].page), (3, None));
        assert!(hits[0].snippet.contains("[refused]"), "{:?}", hits[0].snippet);
        // The index keeps no text of its own any more.
        let old: i64 = c
            .conn
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE name = 'fts_content'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(old, 0);
    }

    #[test]
    fn settings_are_stored_read_and_removed() {
        let c = Catalog::in_memory().unwrap();
        c.set_setting("state", "CA").unwrap();
        c.set_setting("state", "TX").unwrap();
        assert_eq!(c.setting("state").unwrap().as_deref(), Some("TX"));
        c.delete_setting("state").unwrap();
        assert!(c.settings().unwrap().is_empty());
    }

    #[test]
    fn a_written_document_lists_and_finishing_a_scan_marks_it_missing() {
        let mut c = with_one_document();
        let rows = c.list(&Query::default(), false).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].path, "Letters/pwn.txt");
        assert_eq!(c.count_documents().unwrap(), 1);
        assert_eq!(c.resolve("Letters/pwn.txt", None).unwrap(), rows[0].id);
        assert!(c.resolve("nothing.pdf", None).is_err());
        let hits = c.search_words(&["refuses".into()], 10).unwrap();
        assert_eq!(hits.len(), 1);
        let finish = c.finish_scan(&HashSet::new(), true).unwrap();
        assert_eq!(finish.missing, 1);
        assert!(c.list(&Query::default(), false).unwrap().is_empty());
        assert_eq!(c.list(&Query::default(), true).unwrap().len(), 1);
    }

    #[test]
    fn what_a_person_said_survives_an_export_into_a_fresh_catalog() {
        let mut c = with_one_document();
        let id = c.list(&Query::default(), false).unwrap()[0].id;
        let sha = c.sha_of(id).unwrap();
        c.correct(&sha, Correction::Kind, Some("prior_written_notice"))
            .unwrap();
        c.correct(&sha, Correction::Date, Some("2023-10-03")).unwrap();
        c.set_tag(&sha, "ot", true).unwrap();
        c.set_setting("name", "Maya Rivera").unwrap();
        let event = crate::timeline::UserEvent {
            id: 0,
            date: chrono::NaiveDate::from_ymd_opt(2023, 9, 1).unwrap(),
            kind: "phone_call".into(),
            title: "Asked about OT".into(),
            note: None,
            tags: vec![],
            verbal: true,
            documents: vec![id],
        };
        c.add_event(&event, std::slice::from_ref(&sha)).unwrap();
        let row = &c.list(&Query::default(), false).unwrap()[0];
        assert_eq!(row.kind.as_deref(), Some("prior_written_notice"));
        assert_eq!(row.date.as_deref(), Some("2023-10-03"));
        assert!(row.tags.contains(&"ot".to_string()));

        let work = c.export_user_work().unwrap();
        let mut fresh = with_one_document();
        fresh.import_user_work(&work).unwrap();
        assert_eq!(fresh.export_user_work().unwrap(), work);
        let row = &fresh.list(&Query::default(), false).unwrap()[0];
        assert_eq!(row.kind.as_deref(), Some("prior_written_notice"));
        assert_eq!(fresh.user_events().unwrap().len(), 1);
        assert_eq!(fresh.setting("name").unwrap().as_deref(), Some("Maya Rivera"));
    }
}
