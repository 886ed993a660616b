//! Walking a case folder: which files are sources, and which are skipped (and why).
//!
//! Skipped, counted, never errors: the `.casebinder` folder, hidden files and folders, junk
//! (.DS_Store, Thumbs.db, `~$` lock files…), zero-byte files, `.casebinderignore` patterns
//! (gitignore syntax) and files casebinder wrote itself (recorded outputs, and any binder with
//! its manifest, wherever it lies). The case folder is a boundary: a link that leads outside it
//! is not followed unless asked (`scan --follow-links`), and a folder that holds another case
//! (a demo, a sibling's case) is left to that case. Links inside are followed, loops are
//! detected and reported. Order is by name, so scans are deterministic.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use walkdir::WalkDir;

use crate::case::{DIR_NAME, IGNORE_NAME};

/// A source file found by the walk.
#[derive(Debug, Clone)]
pub struct Found {
    /// Path relative to the case root, with `/` separators (the locator).
    pub rel: String,
    pub abs: PathBuf,
    pub size: u64,
    pub mtime_ns: i64,
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
fn is_binder_output(path: &Path, name: &str) -> bool {
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
            is_binder_manifest(&path.with_file_name(format!("{stem}-manifest.json")))
        }
        _ => false,
    }
}

pub fn walk(root: &Path, outputs: &HashSet<String>, follow_outside: bool) -> Walk {
    let (ignore, ignore_warning) = load_ignore(root);
    let real_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let skipped: RefCell<BTreeMap<String, u64>> = RefCell::new(BTreeMap::new());
    let skip = |reason: &str| *skipped.borrow_mut().entry(reason.to_string()).or_insert(0) += 1;
    let mut out = Walk {
        ignore_warning,
        ..Walk::default()
    };

    let walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            let name = e.file_name().to_string_lossy();
            let is_dir = e.file_type().is_dir();
            if is_dir && name == DIR_NAME {
                return false;
            }
            if e.path_is_symlink() && !follow_outside {
                let inside = std::fs::canonicalize(e.path()).is_ok_and(|t| t.starts_with(&real_root));
                if !inside {
                    skip("link to outside the case folder (not followed; scan --follow-links includes it)");
                    return false;
                }
            }
            if is_dir && e.path().join(DIR_NAME).join(crate::case::CATALOG_NAME).exists() {
                skip("another casebinder case inside this folder (it keeps its own documents)");
                return false;
            }
            if is_dir && name.starts_with('.') {
                skip("hidden folder");
                return false;
            }
            if is_dir {
                let rel = rel_path(root, e.path());
                if ignore.matched_path_or_any_parents(&rel, true).is_ignore() {
                    skip("ignored by .casebinderignore");
                    return false;
                }
            }
            true
        });

    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err
                    .path()
                    .map(|p| rel_path(root, p))
                    .unwrap_or_else(|| "(unknown)".into());
                let reason = if err.loop_ancestor().is_some() {
                    "This is a link that loops back to a folder above it; casebinder did not follow it."
                        .to_string()
                } else if err
                    .io_error()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::PermissionDenied)
                {
                    "casebinder is not allowed to open this (permission denied). Check that it belongs to you.".to_string()
                } else {
                    format!("casebinder could not open this: {err}")
                };
                out.problems.push(WalkProblem { path, reason });
                continue;
            }
        };
        if entry.depth() == 0 || entry.file_type().is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().to_string();
        let rel = rel_path(root, entry.path());
        if rel == IGNORE_NAME {
            continue;
        }
        if is_junk_name(&name) {
            skip("junk file (.DS_Store, Thumbs.db, ~$ lock files…)");
            continue;
        }
        if name.starts_with('.') {
            skip("hidden file");
            continue;
        }
        if outputs.contains(&rel) || is_binder_output(entry.path(), &name) {
            skip("made by casebinder (binder or export)");
            continue;
        }
        if ignore.matched_path_or_any_parents(&rel, false).is_ignore() {
            skip("ignored by .casebinderignore");
            continue;
        }
        let meta = match entry.metadata() {
            Ok(m) => m,
            Err(err) => {
                let reason = match err.io_error() {
                    Some(io) => io_reason(io),
                    None => format!("casebinder could not look at this file: {err}"),
                };
                out.problems.push(WalkProblem { path: rel, reason });
                continue;
            }
        };
        if !meta.is_file() {
            skip("not a regular file (device, socket or pipe)");
            continue;
        }
        if meta.len() == 0 {
            skip("empty file (0 bytes)");
            continue;
        }
        out.files.push(Found {
            rel,
            abs: entry.path().to_path_buf(),
            size: meta.len(),
            mtime_ns: mtime_ns(&meta),
        });
    }
    out.skipped = skipped.into_inner();
    out
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
