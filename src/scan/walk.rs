//! Walking a case folder: which files are sources, and which are skipped (and why).
//!
//! Skipped, counted, never errors: the `.casebinder` folder, hidden files and folders, junk
//! (.DS_Store, Thumbs.db, `~$` lock files…), zero-byte files, `.casebinderignore` patterns
//! (gitignore syntax) and files casebinder wrote itself (recorded outputs, and any binder with
//! its manifest, wherever it lies). The case folder is a boundary: a link that leads outside it
//! is not followed unless asked (`scan --follow-links`), and a folder that holds another case
//! (a demo, a sibling's case) is left to that case. Links inside are followed, loops are
//! detected and reported. Order is by name, so scans are deterministic.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::case::{DIR_NAME, IGNORE_NAME};

/// A source file found by the walk.
#[derive(Debug, Clone)]
pub struct Found {
    /// Path relative to the case root, with `/` separators (the locator).
    pub rel: String,
    /// Its path when the case folder joined with `rel` is not it (a name that is not UTF-8,
    /// which `rel` spells another way); None for every other file (no path is made for each
    /// file of the walk: most are never opened).
    pub abs: Option<PathBuf>,
    pub size: u64,
    pub mtime_ns: i64,
    /// It was a link (inside the case, or followed on request) when the walk saw it: a file
    /// that was not is read without following a link that took its place since.
    pub link: bool,
}

impl Found {
    /// Where the file is, for a walk of `root`.
    pub fn path(&self, root: &Path) -> PathBuf {
        match &self.abs {
            Some(abs) => abs.clone(),
            None => root.join(&self.rel),
        }
    }
}

/// A path the walk could not enter or read.
#[derive(Debug, Clone)]
pub struct WalkProblem {
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<Found>,
    pub skipped: BTreeMap<String, u64>,
    pub problems: Vec<WalkProblem>,
    /// A problem with the ignore file itself, to tell the user.
    pub ignore_warning: Option<String>,
    /// Folders that are cases of their own (relative paths): not read, and what this case read
    /// in them before stays as it was.
    pub nested_cases: Vec<String>,
    /// Every folder read (relative paths, "" for the case folder) with its modification time
    /// as it was just before it was read: a file added, removed or renamed in it since changes
    /// that time (what the desk looks at instead of every file).
    pub folders: Vec<(String, i64)>,
    /// The computer's time when the walk began (see `folders`: a folder changed as late as
    /// that may hold a change its time does not show).
    pub started_ns: i64,
}

/// Junk names that are never evidence.
fn is_junk_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        ".ds_store" | "thumbs.db" | "desktop.ini" | "ehthumbs.db" | "icon\r" | ".localized"
    ) || name.starts_with("~$")
        || name.starts_with(".~lock.")
        || name.starts_with("._")
}

/// A binder's manifest (`NAME-manifest.json` beside `NAME.pdf`), as casebinder writes it.
fn is_binder_manifest(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    if !meta.is_file() || meta.len() > 64 * 1024 * 1024 {
        return false;
    }
    std::fs::read(path)
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .is_some_and(|v| {
            v.get("casebinder").is_some() && v.get("binder").is_some() && v.get("exhibits").is_some()
        })
}

/// True when `path` is a binder casebinder made, or its index or manifest.
/// `manifests`: the names in the same folder that end in `-manifest.json`, lowercase (most
/// folders have none, and then no file is opened).
fn is_binder_output(path: impl FnOnce() -> PathBuf, name: &str, manifests: &HashSet<String>) -> bool {
    let stem = ["-manifest.json", "-index.csv", "-index.md", ".pdf"]
        .iter()
        .find_map(|suffix| {
            name.len()
                .checked_sub(suffix.len())
                .filter(|&n| name.is_char_boundary(n) && name[n..].eq_ignore_ascii_case(suffix))
                .map(|n| &name[..n])
        });
    match stem {
        Some(stem) if !stem.is_empty() => {
            let manifest = format!("{stem}-manifest.json");
            manifests.contains(&manifest.to_lowercase())
                && is_binder_manifest(&path().with_file_name(manifest))
        }
        _ => false,
    }
}

/// Why a file casebinder wrote is not read.
const OUTPUT_REASON: &str = "made by casebinder (binder or export)";

pub fn walk(root: &Path, outputs: &HashSet<String>, follow_outside: bool) -> Walk {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    walk_on(root, outputs, follow_outside, threads)
}

/// [`walk`] with `threads` lookers (1: every file is looked at by the walking thread, for a
/// caller that already keeps each core busy with a walk of its own, as the desk does).
pub fn walk_on(root: &Path, outputs: &HashSet<String>, follow_outside: bool, threads: usize) -> Walk {
    let (ignore, ignore_warning) = load_ignore(root);
    let mut w = Walker {
        root,
        real_root: std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
        ignore,
        outputs,
        follow_outside,
        ancestors: Vec::new(),
        pending: Vec::new(),
        sink: None,
        batches: 0,
        skipped: BTreeMap::new(),
        out: Walk {
            ignore_warning,
            ..Walk::default()
        },
    };
    w.out.started_ns = crate::clock::file_time_now_ns();
    if let Ok(meta) = std::fs::metadata(root) {
        w.ancestors.push(identity(&meta));
        w.out.folders.push((String::new(), mtime_ns(&meta)));
    }
    if threads <= 1 {
        w.dir(root, "", true);
        w.send_pending();
        return w.finish();
    }
    // Files are looked at (a `statx` each) on every core while the folders are still being
    // read: batches of them go to the lookers as the walk finds them.
    let (tx, rx) = std::sync::mpsc::channel::<(usize, Vec<Pending>)>();
    let rx = std::sync::Mutex::new(rx);
    let looked = std::thread::scope(|scope| {
        let lookers: Vec<_> = (0..threads)
            .map(|_| {
                let rx = &rx;
                scope.spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        let job = match rx.lock() {
                            Ok(rx) => rx.recv(),
                            Err(_) => break,
                        };
                        let Ok((k, batch)) = job else { break };
                        let metas: Vec<std::io::Result<Seen>> = batch.iter().map(look).collect();
                        done.push((k, batch, metas));
                    }
                    done
                })
            })
            .collect();
        w.sink = Some(tx);
        w.dir(root, "", true);
        w.send_pending();
        w.sink = None; // the lookers stop when the last batch is taken
        let mut all: Vec<(usize, Vec<Pending>, Vec<std::io::Result<Seen>>)> = lookers
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect();
        all.sort_by_key(|(k, _, _)| *k);
        all
    });
    for (_, batch, metas) in looked {
        w.settle(batch, metas);
    }
    w.finish()
}

/// The walk without the files casebinder wrote itself (`outputs`, relative paths), counted as
/// skipped for that reason.
pub fn without_outputs(mut walk: Walk, outputs: &HashSet<String>) -> Walk {
    if outputs.is_empty() {
        return walk;
    }
    let before = walk.files.len();
    walk.files.retain(|f| !outputs.contains(&f.rel));
    let removed = (before - walk.files.len()) as u64;
    if removed > 0 {
        *walk.skipped.entry(OUTPUT_REASON.to_string()).or_default() += removed;
    }
    walk
}

/// A folder's identity (device and inode), to notice a link that leads back above itself.
fn identity(meta: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

/// The walk's state: one folder at a time, depth first, each folder's entries by name.
///
/// Each entry is looked at relative to its open folder (`DirEntry::metadata`, a `statx` on the
/// folder's handle), so the kernel never walks the whole path again for each file: a no-op
/// rescan costs what `git status` does.
struct Walker<'a> {
    root: &'a Path,
    real_root: PathBuf,
    ignore: Gitignore,
    outputs: &'a HashSet<String>,
    follow_outside: bool,
    ancestors: Vec<(u64, u64)>,
    pending: Vec<Pending>,
    /// Where full batches of `pending` go to be looked at (see [`walk`]).
    sink: Option<std::sync::mpsc::Sender<(usize, Vec<Pending>)>>,
    batches: usize,
    skipped: BTreeMap<String, u64>,
    out: Walk,
}

impl Walker<'_> {
    /// The walk's answer, its problems in path order whichever step found them.
    fn finish(mut self) -> Walk {
        self.out.problems.sort_by(|a, b| a.path.cmp(&b.path));
        self.out.skipped = self.skipped;
        self.out
    }

    fn skip(&mut self, reason: &str) {
        *self.skipped.entry(reason.to_string()).or_insert(0) += 1;
    }

    fn problem(&mut self, path: &Path, reason: String) {
        let path = rel_path(self.root, path);
        self.out.problems.push(WalkProblem { path, reason });
    }

    /// `rel`: the folder's path in the case ("" for the case folder itself); `faithful`: the
    /// case folder joined with `rel` is this folder (every name on the way is UTF-8).
    fn dir(&mut self, dir: &Path, rel: &str, faithful: bool) {
        let entries = match std::fs::read_dir(dir) {
            Ok(rd) => rd,
            Err(err) => {
                let reason = if err.kind() == std::io::ErrorKind::PermissionDenied {
                    "casebinder is not allowed to open this (permission denied). Check that it belongs to you.".to_string()
                } else {
                    format!("casebinder could not open this: {err}")
                };
                self.problem(dir, reason);
                return;
            }
        };
        // Each name read once (a sort that asked the entries would copy it at every step).
        let mut entries: Vec<(std::ffi::OsString, std::fs::DirEntry)> = entries
            .filter_map(|e| match e {
                Ok(e) => Some((e.file_name(), e)),
                Err(err) => {
                    self.problem(dir, format!("casebinder could not open this: {err}"));
                    None
                }
            })
            .collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        const MANIFEST: &[u8] = b"-manifest.json";
        let manifests: HashSet<String> = entries
            .iter()
            .map(|(n, _)| n.as_encoded_bytes())
            .filter(|n| {
                n.len() >= MANIFEST.len() && n[n.len() - MANIFEST.len()..].eq_ignore_ascii_case(MANIFEST)
            })
            .map(|n| String::from_utf8_lossy(n).to_lowercase())
            .collect();
        self.pending.reserve(entries.len());
        for (name, entry) in entries {
            self.entry(entry, name, rel, faithful, &manifests);
        }
    }

    fn entry(
        &mut self,
        entry: std::fs::DirEntry,
        file_name: std::ffi::OsString,
        rel_dir: &str,
        faithful_dir: bool,
        manifests: &HashSet<String>,
    ) {
        // The entry's full path is made only where it is needed (a folder, a link, a problem,
        // a name `rel` cannot spell): not for each of the files, most of them never opened.
        let path = || entry.path();
        let faithful = faithful_dir && file_name.to_str().is_some();
        let name = file_name.to_string_lossy();
        let rel = match file_name.to_str() {
            // The common case without a copy of the name on the way.
            Some(plain) if !rel_dir.is_empty() => {
                let mut rel = String::with_capacity(rel_dir.len() + 1 + plain.len());
                rel.push_str(rel_dir);
                rel.push('/');
                rel.push_str(plain);
                rel
            }
            _ => {
                // A name that is not UTF-8 is spelled with `%XX` for its odd bytes; when a file
                // in the same folder is literally called that ("caf%E9.txt" beside the Latin-1
                // "caf\xe9.txt"), the odd bytes are spelled in lower case instead, so the two
                // never share a locator.
                let mut spelled = crate::case::name_of(&file_name);
                if std::fs::symlink_metadata(entry.path().with_file_name(&spelled)).is_ok() {
                    spelled = crate::case::name_of_lower(&file_name);
                }
                if rel_dir.is_empty() {
                    spelled
                } else {
                    format!("{rel_dir}/{spelled}")
                }
            }
        };
        let ignored = |rel: &str, dir: bool| {
            !self.ignore.is_empty() && self.ignore.matched_path_or_any_parents(rel, dir).is_ignore()
        };
        let Ok(file_type) = entry.file_type() else {
            self.problem(&path(), "casebinder could not look at this.".into());
            return;
        };
        // A link is followed (its target's kind and size count) if it stays in the case.
        let mut followed: Option<std::fs::Metadata> = None;
        if file_type.is_symlink() {
            let link = path();
            if !self.follow_outside {
                let inside = std::fs::canonicalize(&link).is_ok_and(|t| t.starts_with(&self.real_root));
                if !inside {
                    self.skip(
                        "link to outside the case folder (not followed; scan --follow-links includes it)",
                    );
                    return;
                }
            }
            match std::fs::metadata(&link) {
                Ok(m) => followed = Some(m),
                Err(err) => {
                    let reason = io_reason(&err);
                    self.problem(&link, reason);
                    return;
                }
            }
        }
        let is_dir = followed.as_ref().map_or(file_type.is_dir(), |m| m.is_dir());
        if is_dir {
            if name == DIR_NAME {
                return;
            }
            let path = path();
            // A link back to a folder above: said, not followed (before anything else is
            // asked of the folder it leads to).
            let meta = match &followed {
                Some(m) => Some(m.clone()),
                None => entry.metadata().ok(),
            };
            let id = meta.as_ref().map(identity);
            if id.is_some_and(|id| self.ancestors.contains(&id)) {
                self.problem(
                    &path,
                    "This is a link that loops back to a folder above it; casebinder did not follow it."
                        .into(),
                );
                return;
            }
            if path.join(DIR_NAME).join(crate::case::CATALOG_NAME).exists() {
                self.skip("another casebinder case inside this folder (it keeps its own documents)");
                self.out.nested_cases.push(rel.to_string());
                return;
            }
            if name.starts_with('.') {
                self.skip("hidden folder");
                return;
            }
            if ignored(&rel, true) {
                self.skip("ignored by .casebinderignore");
                return;
            }
            if let Some(id) = id {
                self.ancestors.push(id);
            }
            if let Some(m) = &meta {
                self.out.folders.push((rel.clone(), mtime_ns(m)));
            }
            self.dir(&path, &rel, faithful);
            if id.is_some() {
                self.ancestors.pop();
            }
            return;
        }
        if rel == IGNORE_NAME {
            return;
        }
        if is_junk_name(&name) {
            self.skip("junk file (.DS_Store, Thumbs.db, ~$ lock files…)");
            return;
        }
        if name.starts_with('.') {
            self.skip("hidden file");
            return;
        }
        if self.outputs.contains(&rel) || is_binder_output(path, &name, manifests) {
            self.skip(OUTPUT_REASON);
            return;
        }
        if ignored(&rel, false) {
            self.skip("ignored by .casebinderignore");
            return;
        }
        // Looked at later, many at a time (see `walk`).
        let abs = (!faithful).then(path);
        self.pending.push(Pending {
            rel,
            abs,
            meta: followed.as_ref().map(Seen::of).ok_or(entry),
        });
        if self.pending.len() >= LOOK_BATCH {
            self.send_pending();
        }
    }

    /// Hands the files found so far to the lookers (or keeps them, when there are none).
    fn send_pending(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let batch = std::mem::take(&mut self.pending);
        let Some(sink) = &self.sink else {
            // No lookers: looked at here.
            let metas = batch.iter().map(look).collect();
            self.settle(batch, metas);
            return;
        };
        if let Err(back) = sink.send((self.batches, batch)) {
            // No looker left (cannot happen while the walk runs): looked at here instead.
            let (_, batch) = back.0;
            let metas = batch.iter().map(look).collect();
            self.settle(batch, metas);
            return;
        }
        self.batches += 1;
    }

    /// Each file found, with what looking at it gave: kept with its size and time, or said
    /// why not.
    fn settle(&mut self, pending: Vec<Pending>, metas: Vec<std::io::Result<Seen>>) {
        self.out.files.reserve(pending.len());
        for (p, meta) in pending.into_iter().zip(metas) {
            let link = p.meta.is_ok();
            let meta = match meta {
                Ok(m) => m,
                Err(err) => {
                    self.out.problems.push(WalkProblem {
                        path: p.rel,
                        reason: io_reason(&err),
                    });
                    continue;
                }
            };
            if !meta.is_file {
                self.skip("not a regular file (device, socket or pipe)");
                continue;
            }
            if meta.size == 0 {
                self.skip("empty file (0 bytes)");
                continue;
            }
            self.out.files.push(Found {
                rel: p.rel,
                abs: p.abs,
                size: meta.size,
                mtime_ns: meta.mtime_ns,
                link,
            });
        }
    }
}

/// Files handed to the lookers at a time.
const LOOK_BATCH: usize = 256;

/// A file's kind, size and time: from a followed link's metadata, else asked of its folder.
fn look(p: &Pending) -> std::io::Result<Seen> {
    match &p.meta {
        Ok(m) => Ok(*m),
        Err(entry) => entry.metadata().map(|m| Seen::of(&m)),
    }
}

/// A file the walk keeps, to be looked at: its metadata when a followed link gave it, else
/// its entry in its open folder.
struct Pending {
    rel: String,
    /// Its path when the case folder joined with `rel` is not it (see [`Found::abs`]).
    abs: Option<PathBuf>,
    meta: Result<Seen, std::fs::DirEntry>,
}

/// What the walk keeps of a file's metadata.
#[derive(Clone, Copy)]
struct Seen {
    is_file: bool,
    size: u64,
    mtime_ns: i64,
}

impl Seen {
    fn of(m: &std::fs::Metadata) -> Seen {
        Seen {
            is_file: m.is_file(),
            size: m.len(),
            mtime_ns: mtime_ns(m),
        }
    }
}

/// Modification time in nanoseconds since 1970 (negative before).
pub fn mtime_ns(meta: &std::fs::Metadata) -> i64 {
    match meta.modified() {
        Ok(t) => match t.duration_since(UNIX_EPOCH) {
            Ok(d) => d.as_nanos().min(i64::MAX as u128) as i64,
            Err(e) => -(e.duration().as_nanos().min(i64::MAX as u128) as i64),
        },
        Err(_) => 0,
    }
}

pub use crate::case::rel_path;

fn load_ignore(root: &Path) -> (Gitignore, Option<String>) {
    let file = root.join(IGNORE_NAME);
    let mut builder = GitignoreBuilder::new(root);
    let mut warning = None;
    if file.is_file()
        && let Some(err) = builder.add(&file)
    {
        warning = Some(format!(
            "Some lines of {IGNORE_NAME} could not be understood and were left out ({err}). It uses the same patterns as .gitignore."
        ));
    }
    match builder.build() {
        Ok(g) => (g, warning),
        Err(err) => (
            Gitignore::empty(),
            Some(format!(
                "{IGNORE_NAME} could not be used ({err}); nothing was ignored."
            )),
        ),
    }
}

/// Plain words for why a file could not be read.
pub fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::PermissionDenied => {
            "casebinder is not allowed to read this file (permission denied). Check that it belongs to you."
                .into()
        }
        std::io::ErrorKind::NotFound => {
            "This file disappeared while casebinder was scanning. Run `casebinder scan` again.".into()
        }
        _ => format!("casebinder could not read this file ({err})."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn junk_names() {
        for n in [
            ".DS_Store",
            "Thumbs.db",
            "~$IEP draft.docx",
            "._photo.jpg",
            "desktop.ini",
        ] {
            assert!(is_junk_name(n), "{n}");
        }
        for n in ["IEP 2023.pdf", "thumbs.pdf", "notes.txt"] {
            assert!(!is_junk_name(n), "{n}");
        }
    }
}
