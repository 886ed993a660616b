//! Keeping a family's catalog safe when files are swapped: what a catalog file is (checked
//! before anything is replaced), a safety copy, the swap itself, and recovering what a damaged
//! catalog still holds into a new one.
//!
//! Everything a person said is keyed by content (SHA-256), so a new catalog that gets the
//! settings, corrections, tags, events and exhibit labels back, and then scans the folder again,
//! has lost nothing that cannot be read again.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rusqlite::{Connection, OpenFlags, types::Value};

use super::{Catalog, schema};
use crate::error::user_error;

/// The first bytes of every SQLite database file.
const SQLITE_HEADER: &[u8] = b"SQLite format 3\0";

/// Tables every casebinder catalog has.
const REQUIRED_TABLES: &[&str] = &[
    "settings",
    "documents",
    "files",
    "locations",
    "corrections",
    "tags",
];

/// The tables that hold what a person said (a scan cannot make them again), in an order that
/// keeps references whole (events before the documents they name).
const USER_TABLES: &[&str] = &[
    "settings",
    "corrections",
    "tags",
    "events",
    "event_docs",
    "concerns",
    "concern_docs",
    "binder_labels",
    "binder_builds",
    "bates_numbers",
    "excluded_locations",
    "outputs",
];

/// What a catalog file holds, checked without changing it.
#[derive(Debug, Clone)]
pub struct CatalogFile {
    /// Its schema version.
    pub version: i64,
    pub documents: i64,
    pub corrections: i64,
    /// The case it belongs to (catalogs made before casebinder kept one have none).
    pub case_id: Option<String>,
    /// Whose case it is, in words: the student's name, the district (settings it holds).
    pub whose: Option<String>,
    /// A sample of its documents' SHA-256 (to tell a case without an identity from another).
    pub shas: Vec<String>,
}

/// Why a file is not a usable catalog, in words, or `None` when it looks like a database at all.
fn not_a_database(path: &Path) -> Option<String> {
    let meta = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) => return Some(format!("it cannot be read ({e})")),
    };
    if meta.len() == 0 {
        return Some("it is empty (0 bytes)".into());
    }
    let mut head = [0u8; 16];
    match fs::File::open(path).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head)) {
        Ok(()) if head == SQLITE_HEADER => None,
        Ok(()) => Some("it is not a SQLite database".into()),
        Err(_) => Some("it is too short to be a database".into()),
    }
}

/// Opens a catalog file without writing to it or beside it (no journal, no lock files): for
/// files on read-only media and for files being checked.
pub fn open_untouched(path: &Path) -> rusqlite::Result<Connection> {
    // A URI filename: `?`, `#` and `%` would be read as its syntax, so they are escaped.
    let mut uri = String::from("file:");
    for c in path.to_string_lossy().chars() {
        match c {
            '?' | '#' | '%' => uri.push_str(&format!("%{:02X}", c as u32)),
            c => uri.push(c),
        }
    }
    Connection::open_with_flags(
        format!("{uri}?immutable=1"),
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
}

/// Checks that `path` is a sound casebinder catalog this casebinder can use: a database, whole
/// (SQLite's integrity check), of a schema version it knows, with casebinder's tables.
pub fn inspect(path: &Path) -> Result<CatalogFile> {
    let refuse = |why: String| {
        user_error(
            format!("{} cannot be used as a catalog: {why}.", path.display()),
            "Nothing was changed. Choose a file made by `casebinder backup` (they are in the case's .casebinder/backups folder).",
        )
    };
    if let Some(why) = not_a_database(path) {
        return Err(refuse(why));
    }
    let conn = open_untouched(path).map_err(|e| refuse(format!("it cannot be opened ({e})")))?;
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| refuse(format!("it is damaged ({e})")))?;
    if ok != "ok" {
        return Err(refuse(format!("it is damaged (SQLite says: {ok})")));
    }
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| refuse(format!("it cannot be read ({e})")))?;
    let known = schema::MIGRATIONS.len() as i64;
    if version > known {
        return Err(refuse(format!(
            "it was made by a newer casebinder (catalog version {version}; this casebinder knows up to {known}); install the newer casebinder to use it"
        )));
    }
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect())
        .map_err(|e| refuse(format!("it cannot be read ({e})")))?;
    let missing: Vec<&str> = REQUIRED_TABLES
        .iter()
        .copied()
        .filter(|t| !tables.iter().any(|x| x == t))
        .collect();
    if version == 0 || !missing.is_empty() {
        return Err(refuse("it is a database, but not a casebinder catalog".into()));
    }
    let count = |t: &str| -> i64 {
        conn.query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get(0))
            .unwrap_or(0)
    };
    let case_id: Option<String> = conn
        .query_row("SELECT id FROM case_identity LIMIT 1", [], |r| r.get(0))
        .ok();
    let setting = |k: &str| -> Option<String> {
        conn.query_row("SELECT value FROM settings WHERE key = ?1", [k], |r| r.get(0))
            .ok()
    };
    let whose = match (setting("name"), setting("district")) {
        (Some(n), Some(d)) => Some(format!("{n}'s case ({d})")),
        (Some(n), None) => Some(format!("{n}'s case")),
        (None, Some(d)) => Some(format!("a case with {d}")),
        (None, None) => None,
    };
    let shas: Vec<String> = conn
        .prepare("SELECT sha256 FROM documents ORDER BY sha256 LIMIT 5000")
        .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect())
        .unwrap_or_default();
    Ok(CatalogFile {
        version,
        documents: count("documents"),
        corrections: count("corrections"),
        case_id,
        whose,
        shas,
    })
}

/// True when `path` is where a catalog should be but holds nothing a catalog could (empty, or
/// another kind of file): an error, never a fresh start.
pub fn refuse_non_catalog(path: &Path) -> Result<()> {
    match not_a_database(path) {
        None => Ok(()),
        Some(why) => Err(user_error(
            format!("The catalog {} cannot be used: {why}.", path.display()),
            format!(
                "casebinder will not start over on its own (that would lose your corrections and events). \
                 Bring back a backup: casebinder restore FILE (backups are in {}), or recover what the \
                 catalog still holds: casebinder repair",
                path.parent()
                    .map(|p| p.join("backups").display().to_string())
                    .unwrap_or_default()
            ),
        )),
    }
}

/// The sidecar files SQLite keeps beside a catalog.
fn sidecars(path: &Path) -> [PathBuf; 2] {
    ["-wal", "-shm"].map(|s| {
        let mut p = path.as_os_str().to_owned();
        p.push(s);
        PathBuf::from(p)
    })
}

/// Copies the catalog at `live` (and its write-ahead log, which may hold its latest changes) to
/// `to`, byte for byte: works on a catalog too damaged to open.
pub fn raw_copy(live: &Path, to: &Path) -> Result<()> {
    copy_private(live, to)?;
    let [wal, _] = sidecars(live);
    if wal.is_file() {
        let [to_wal, _] = sidecars(to);
        copy_private(&wal, &to_wal)?;
    }
    Ok(())
}

fn copy_private(from: &Path, to: &Path) -> Result<()> {
    fs::copy(from, to).with_context(|| format!("could not copy {} to {}", from.display(), to.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(to, fs::Permissions::from_mode(0o600))
            .with_context(|| format!("could not make {} private", to.display()))?;
    }
    Ok(())
}

/// Puts the catalog file `with` in the place of `live`: copied beside it under a temporary
/// name, made durable, and renamed over it; the old write-ahead log goes (it belongs to the old
/// file). An interruption leaves either the old catalog or the new one, never a mix.
pub fn swap_in(live: &Path, with: &Path) -> Result<()> {
    let tmp = live.with_file_name(format!(
        ".{}.incoming",
        live.file_name()
            .map(|f| f.to_string_lossy().to_string())
            .unwrap_or_default()
    ));
    copy_private(with, &tmp)?;
    fs::File::open(&tmp)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("could not save {}", tmp.display()))?;
    for side in sidecars(live) {
        if side.exists() {
            fs::remove_file(&side).with_context(|| format!("could not remove {}", side.display()))?;
        }
    }
    fs::rename(&tmp, live)
        .with_context(|| format!("could not put the catalog in place at {}", live.display()))?;
    Ok(())
}

/// What [`recover`] brought back.
#[derive(Debug, Default, Clone)]
pub struct Recovered {
    /// (table, rows copied, rows lost)
    pub tables: Vec<(String, u64, u64)>,
}

impl Recovered {
    pub fn rows(&self, table: &str) -> u64 {
        self.tables.iter().find(|t| t.0 == table).map_or(0, |t| t.1)
    }

    pub fn lost(&self) -> u64 {
        self.tables.iter().map(|t| t.2).sum()
    }

    /// Rows copied in all.
    pub fn total(&self) -> u64 {
        self.tables.iter().map(|t| t.1).sum()
    }
}

/// Reads what a damaged catalog still holds of a person's work into a new catalog at `into`
/// (which must not exist): row by row, going around what cannot be read. Documents are not
/// copied: a scan reads them again from the folder.
pub fn recover(damaged: &Path, into: &Path) -> Result<Recovered> {
    // Read from a private copy made whole in length, with its write-ahead log (the latest
    // corrections may be there only); the damaged file itself is never opened for writing.
    let copy = salvage_copy(damaged, into);
    let opened = match &copy {
        Ok(c) => Connection::open_with_flags(
            c,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .or_else(|_| open_untouched(damaged)),
        Err(_) => open_untouched(damaged),
    };
    let result = opened
        .map_err(|e| {
            user_error(
                format!("The catalog {} cannot be opened at all ({e}).", damaged.display()),
                "Bring back a backup with `casebinder restore FILE`, or start a new catalog: move the .casebinder folder away, then casebinder init and casebinder scan.",
            )
        })
        .and_then(|old| recover_from(&old, into));
    if let Ok(c) = &copy {
        for f in std::iter::once(c.clone()).chain(sidecars(c)) {
            let _ = fs::remove_file(f);
        }
    }
    result
}

/// A private copy of a damaged catalog beside `near` (and of its write-ahead log), padded with
/// empty pages to the length its header promises: SQLite refuses every query of a file cut
/// short, but reads the pages that are there once the file has its full length.
fn salvage_copy(damaged: &Path, near: &Path) -> Result<PathBuf> {
    let copy = near.with_file_name(format!(".salvage-{}.sqlite", std::process::id()));
    raw_copy(damaged, &copy)?;
    let bytes = fs::read(&copy).with_context(|| format!("could not read {}", copy.display()))?;
    if bytes.len() >= 100 && bytes.starts_with(SQLITE_HEADER) {
        let size = match u16::from_be_bytes([bytes[16], bytes[17]]) {
            1 => 65536,
            n => u64::from(n),
        };
        let pages = u64::from(u32::from_be_bytes([bytes[28], bytes[29], bytes[30], bytes[31]]));
        let want = size.saturating_mul(pages);
        // (A header gone wild is not followed: at most 1 GiB of padding.)
        if want > bytes.len() as u64 && want <= bytes.len() as u64 + (1 << 30) {
            let f = fs::OpenOptions::new()
                .write(true)
                .open(&copy)
                .with_context(|| format!("could not open {}", copy.display()))?;
            f.set_len(want)
                .with_context(|| format!("could not extend {}", copy.display()))?;
        }
    }
    Ok(copy)
}

/// [`recover`] from an open damaged catalog.
fn recover_from(old: &Connection, into: &Path) -> Result<Recovered> {
    let fresh = Catalog::create(into)?;
    // The same case: its identity comes along, so its older backups still restore.
    if let Ok(id) = old.query_row("SELECT id FROM case_identity LIMIT 1", [], |r| {
        r.get::<_, String>(0)
    }) {
        fresh.conn.execute("UPDATE case_identity SET id = ?1", [id])?;
    }
    let mut report = Recovered::default();
    for table in USER_TABLES {
        let cols_of = |c: &Connection| -> Vec<String> {
            c.prepare(&format!("PRAGMA table_info({table})"))
                .and_then(|mut st| st.query_map([], |r| r.get::<_, String>(1))?.collect())
                .unwrap_or_default()
        };
        let new_cols = cols_of(&fresh.conn);
        let cols: Vec<String> = cols_of(old)
            .into_iter()
            .filter(|c| new_cols.contains(c))
            .collect();
        if cols.is_empty() {
            report.tables.push((table.to_string(), 0, 0));
            continue;
        }
        let list = cols.join(", ");
        let marks = vec!["?"; cols.len()].join(", ");
        let insert = format!("INSERT OR IGNORE INTO {table} ({list}) VALUES ({marks})");
        // The last row, or (when the table's end is where the damage is) a bound far above
        // what a family's catalog holds, searched range by range.
        let max: i64 = match old.query_row(&format!("SELECT max(rowid) FROM {table}"), [], |r| {
            r.get::<_, Option<i64>>(0)
        }) {
            Ok(m) => m.unwrap_or(0),
            Err(_) => 1 << 16,
        };
        let (mut copied, mut lost) = (0u64, 0u64);
        let copy_range = |a: i64, b: i64| -> std::result::Result<(u64, u64), ()> {
            let mut st = old
                .prepare(&format!(
                    "SELECT {list} FROM {table} WHERE rowid BETWEEN ?1 AND ?2"
                ))
                .map_err(|_| ())?;
            let rows: Vec<Vec<Value>> = st
                .query_map([a, b], |r| {
                    (0..cols.len()).map(|i| r.get::<_, Value>(i)).collect()
                })
                .map_err(|_| ())?
                .collect::<rusqlite::Result<_>>()
                .map_err(|_| ())?;
            let mut n = 0;
            for row in rows {
                if fresh
                    .conn
                    .execute(&insert, rusqlite::params_from_iter(row))
                    .is_ok()
                {
                    n += 1;
                }
            }
            Ok((n, 0))
        };
        let chunk = 256;
        let mut a = 1;
        while a <= max {
            let b = (a + chunk - 1).min(max);
            match copy_range(a, b) {
                Ok((n, _)) => copied += n,
                Err(()) => {
                    // Row by row around the damage.
                    for id in a..=b {
                        match copy_range(id, id) {
                            Ok((n, _)) => copied += n,
                            Err(()) => lost += 1,
                        }
                    }
                }
            }
            a = b + 1;
        }
        report.tables.push((table.to_string(), copied, lost));
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_foreign_newer_and_damaged_files_are_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.sqlite");
        fs::write(&empty, b"").unwrap();
        assert!(inspect(&empty).unwrap_err().to_string().contains("empty"));
        assert!(refuse_non_catalog(&empty).is_err());

        let text = dir.path().join("notes.sqlite");
        fs::write(&text, b"just some notes, not a database at all").unwrap();
        assert!(
            inspect(&text)
                .unwrap_err()
                .to_string()
                .contains("not a SQLite database")
        );

        let foreign = dir.path().join("foreign.sqlite");
        let c = Connection::open(&foreign).unwrap();
        c.execute_batch("CREATE TABLE t(x); PRAGMA user_version = 3;")
            .unwrap();
        drop(c);
        assert!(
            inspect(&foreign)
                .unwrap_err()
                .to_string()
                .contains("not a casebinder catalog")
        );

        let good = dir.path().join("good.sqlite");
        drop(Catalog::create(&good).unwrap());
        assert_eq!(inspect(&good).unwrap().version, schema::MIGRATIONS.len() as i64);
        refuse_non_catalog(&good).unwrap();

        let newer = dir.path().join("newer.sqlite");
        fs::copy(&good, &newer).unwrap();
        let c = Connection::open(&newer).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
        drop(c);
        assert!(
            inspect(&newer)
                .unwrap_err()
                .to_string()
                .contains("newer casebinder")
        );
    }

    #[test]
    fn a_damaged_catalog_gives_back_what_a_person_said() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("catalog.sqlite");
        {
            let c = Catalog::create(&path).unwrap();
            c.set_setting("name", "Maya Rivera").unwrap();
            for i in 0..400 {
                c.correct(&format!("{i:064x}"), super::super::Correction::Kind, Some("iep"))
                    .unwrap();
            }
            c.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
        }
        // A bad sector in the last pages (where the corrections were written).
        let mut bytes = fs::read(&path).unwrap();
        let at = bytes.len() - 4096 - 1500;
        for b in &mut bytes[at..at + 600] {
            *b ^= 0x5a;
        }
        fs::write(&path, &bytes).unwrap();
        assert!(inspect(&path).unwrap_err().to_string().contains("damaged"));
        let into = dir.path().join("repaired.sqlite");
        let got = recover(&path, &into).unwrap();
        assert_eq!(got.rows("settings"), 1, "{got:?}");
        assert!(got.rows("corrections") > 100, "{got:?}");
        let repaired = inspect(&into).unwrap();
        assert_eq!(repaired.corrections as u64, got.rows("corrections"));
    }
}
