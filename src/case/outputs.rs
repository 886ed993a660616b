//! Where casebinder may write. The family's documents and the catalog are never a target, and a
//! file casebinder did not make (or that was changed since) is replaced only when asked with
//! `--force`. Every output is written under a temporary name and renamed when complete, so a
//! kill mid-write leaves the old file whole.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::Case;
use crate::catalog::Catalog;
use crate::error::user_error;
use crate::extract::sha256_hex;

/// A checked place to write.
#[derive(Debug, Clone)]
pub struct Target {
    /// Where the file goes (as the person named it).
    pub path: PathBuf,
    /// How the catalog remembers it: the path inside the case folder (so scans leave it alone),
    /// else the absolute path.
    key: String,
}

/// The path with every existing part resolved (links followed), the rest as named.
fn resolved(path: &Path) -> PathBuf {
    let mut rest = Vec::new();
    let mut cur = path.to_path_buf();
    loop {
        if let Ok(real) = fs::canonicalize(&cur) {
            let mut out = real;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (cur.file_name().map(|f| f.to_os_string()), cur.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                cur = parent.to_path_buf();
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// Checks that casebinder may write `path` (absolute). `force` allows replacing a file
/// casebinder did not make, never a document of the case or anything in `.casebinder`.
pub fn check(case: &Case, catalog: &Catalog, path: &Path, force: bool) -> Result<Target> {
    let real = resolved(path);
    let shown = path.display();
    if real.is_dir() {
        return Err(user_error(
            format!("{shown} is a folder."),
            "Name a file to write, for example timeline.html.",
        ));
    }
    let private = resolved(&case.private_dir());
    if real.starts_with(&private) {
        return Err(user_error(
            format!("{shown} is inside the case's private .casebinder folder, where the catalog lives."),
            "Write it somewhere else, for example in the case folder or your Documents folder.",
        ));
    }
    let root = resolved(&case.root);
    // A name inside the case folder that leads out of it (a `Binders` folder that is a link to
    // a shared drive) would put the child's records where nobody chose to put them.
    if path.starts_with(&case.root) && !real.starts_with(&root) {
        return Err(user_error(
            format!(
                "{shown} is inside the case folder, but a link there leads outside it, to {}.",
                real.display()
            ),
            "Remove the link, or, if that is where you want it, name that place itself with --out.",
        ));
    }
    let rel = real
        .strip_prefix(&root)
        .ok()
        .map(|r| crate::case::rel_path(Path::new(""), r));
    if let Some(rel) = &rel
        && catalog.is_source(rel)?
    {
        return Err(user_error(
            format!("{shown} is one of the case's documents; casebinder never writes over a document."),
            "Choose another file name (--out).",
        ));
    }
    let key = rel.unwrap_or_else(|| real.to_string_lossy().to_string());
    if real.exists() && !force {
        let ours = match catalog.output_sha(&key)? {
            // (A binder whose build was cut short after its manifest was written is still
            // casebinder's own: its manifest says so.)
            Some(sha) => {
                crate::extract::sha256_file(&real).is_ok_and(|now| now == sha) || is_intact_binder_file(&real)
            }
            None => is_intact_binder_file(&real),
        };
        if !ours {
            return Err(user_error(
                format!("{shown} already exists, and casebinder did not make it (or it was changed since)."),
                "Choose another file name, or add --force to replace it.",
            ));
        }
    }
    Ok(Target {
        path: path.to_path_buf(),
        key,
    })
}

/// True when `path` is a binder (or its index or manifest) whose manifest beside it shows the
/// binder is exactly as casebinder built it: casebinder's own, even if this catalog did not
/// record it (a catalog made again from the same folder).
fn is_intact_binder_file(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().to_string()) else {
        return false;
    };
    let Some(stem) = ["-manifest.json", "-index.csv", "-index.md", ".pdf"]
        .iter()
        .find_map(|suffix| name.strip_suffix(suffix))
    else {
        return false;
    };
    let manifest = path.with_file_name(format!("{stem}-manifest.json"));
    let pdf = path.with_file_name(format!("{stem}.pdf"));
    let recorded = fs::read(&manifest)
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|v| v.get("binder")?.get("sha256")?.as_str().map(str::to_string));
    recorded.is_some_and(|sha| crate::extract::sha256_file(&pdf).is_ok_and(|now| now == sha))
}

/// The temporary name an output is written under before it is complete.
pub fn partial_path(target: &Path) -> PathBuf {
    let file = target
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_else(|| "output".into());
    target.with_file_name(format!(".{file}.partial"))
}

/// Writes `bytes` to a checked target (temporary name, then rename) and remembers it as
/// casebinder's own.
pub fn write(catalog: &Catalog, target: &Target, bytes: &[u8]) -> Result<()> {
    let tmp = partial_path(&target.path);
    let written = super::create_private_file(&tmp)
        .and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        })
        .and_then(|_| fs::rename(&tmp, &target.path));
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(user_error(
            format!("Could not write {}: {e}", target.path.display()),
            "Check that the disk has free space and the folder is writable.",
        ));
    }
    record(catalog, target, &sha256_hex(bytes))
}

/// Remembers a file written by other means (the binder PDF) as casebinder's own.
pub fn record(catalog: &Catalog, target: &Target, sha256: &str) -> Result<()> {
    if catalog.is_read_only() {
        return Ok(()); // a case on a read-only disk: nothing can be remembered, nothing scanned
    }
    catalog.record_output(&target.key, sha256).with_context(|| {
        format!(
            "could not remember {} as casebinder's output",
            target.path.display()
        )
    })
}
