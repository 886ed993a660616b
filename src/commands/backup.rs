//! `casebinder backup|restore|export|import`: a family's work, kept safe and portable.

use std::io::{IsTerminal, Write};

use anyhow::Result;

use super::Ctx;
use crate::catalog::{Catalog, UserWork, safety};
use crate::cli::{BackupArgs, ExportArgs, ImportArgs, RestoreArgs};
use crate::error::user_error;
use crate::output;

pub fn run_backup(ctx: &Ctx, args: BackupArgs) -> Result<u8> {
    let case = ctx.case()?;
    let catalog = case.open_catalog()?;
    let path = match &args.path {
        Some(p) => crate::case::absolute(p, &ctx.cwd),
        None => {
            let dir = case.private_dir().join("backups");
            crate::case::create_private_dir(&dir)?;
            fresh_name(&dir, "catalog")
        }
    };
    if path.exists() {
        return Err(user_error(
            format!("{} already exists.", path.display()),
            "Choose a new file name; a backup never overwrites a file.",
        ));
    }
    catalog.backup_to(&path)?;
    let mut out = output::stdout();
    writeln!(out, "Saved a copy of the catalog to {}", path.display())?;
    ctx.tip(
        &mut out,
        &format!("Bring it back with: casebinder restore \"{}\"", path.display()),
    )?;
    out.flush()?;
    Ok(0)
}

pub fn run_restore(ctx: &Ctx, args: RestoreArgs) -> Result<u8> {
    let case = ctx.case()?;
    let backup = crate::case::absolute(&args.path, &ctx.cwd);
    let live = case.catalog_path();
    if backup == live {
        return Err(user_error(
            "That is the catalog itself, not a backup.",
            "Name a file made by `casebinder backup` (they are in the case's .casebinder/backups folder).",
        ));
    }
    // Checked before anything is touched: a foreign, newer, damaged or truncated file is refused
    // and the live catalog stays exactly as it is.
    let info = safety::inspect(&backup)?;
    // Another case's backup (a sibling's catalog) would put that child's name, corrections and
    // events into this case: refused unless asked for by name.
    if !args.from_other_case
        && let Ok(here) = safety::inspect(&live)
        && let Some(why) = other_case(&here, &info)
    {
        return Err(user_error(
            format!(
                "The backup {} belongs to another case{}: {why}. Nothing was changed.",
                backup.display(),
                info.whose
                    .as_deref()
                    .map(|w| format!(" ({w})"))
                    .unwrap_or_default()
            ),
            "Restore a backup of this case (they are in its .casebinder/backups folder). If you mean to bring that case's catalog here, add --from-other-case.",
        ));
    }
    let _lock = crate::scan::lock(&case)?;
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            return Err(user_error(
                "restore replaces the case's catalog, and there is no one here to ask.",
                "To do it without being asked (in a script): casebinder restore FILE --yes",
            ));
        }
        eprint!(
            "Replace the catalog of {} with the backup {} ({} documents, {} corrections)? The current catalog is kept as a safety copy. [y/N] ",
            case.root.display(),
            backup.display(),
            info.documents,
            info.corrections
        );
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
        if !matches!(answer.trim().to_lowercase().as_str(), "y" | "yes") {
            writeln!(output::stdout(), "Nothing was changed.")?;
            return Ok(0);
        }
    }
    let dir = case.private_dir().join("backups");
    crate::case::create_private_dir(&dir)?;
    let safety_copy = fresh_name(&dir, "before-restore");
    if live.exists() {
        // A sound catalog is copied through SQLite (consistent); a damaged one byte for byte.
        let copied = Catalog::open(&live).and_then(|c| c.backup_to(&safety_copy));
        if copied.is_err() {
            let _ = std::fs::remove_file(&safety_copy);
            safety::raw_copy(&live, &safety_copy)?;
        }
    }
    safety::swap_in(&live, &backup)?;
    let catalog = case.open_catalog()?;
    let mut out = output::stdout();
    writeln!(
        out,
        "Restored the catalog from {} ({} documents).",
        backup.display(),
        catalog.count_documents()?
    )?;
    if live.exists() {
        writeln!(
            out,
            "The catalog as it was is kept in {} (bring it back the same way).",
            safety_copy.display()
        )?;
    }
    if !ctx.quiet {
        writeln!(
            out,
            "Next: casebinder scan (to pick up files that changed since the backup)"
        )?;
    }
    out.flush()?;
    Ok(0)
}

/// Why the backup `theirs` is another case's than the catalog `here`, if it is: their case
/// identities differ, or (a backup made before casebinder kept one) both hold documents and they
/// share none.
fn other_case(here: &safety::CatalogFile, theirs: &safety::CatalogFile) -> Option<String> {
    match (&here.case_id, &theirs.case_id) {
        (Some(a), Some(b)) if a != b => Some("it was made in a different case folder".into()),
        (Some(_), Some(_)) => None,
        _ => {
            let mine: std::collections::HashSet<&String> = here.shas.iter().collect();
            (!here.shas.is_empty()
                && !theirs.shas.is_empty()
                && !theirs.shas.iter().any(|s| mine.contains(s)))
            .then(|| "none of its documents are this case's".into())
        }
    }
}

/// `PREFIX-YYYYMMDD-HHMMSS.sqlite` in `dir`, with `-2`, `-3`… when one of that second exists
/// (two repairs or backups in the same second each keep their own file).
fn fresh_name(dir: &std::path::Path, prefix: &str) -> std::path::PathBuf {
    let stamp = crate::clock::stamp();
    let taken = |p: &std::path::Path| p.exists() || p.with_extension("sqlite-wal").exists();
    let first = dir.join(format!("{prefix}-{stamp}.sqlite"));
    if !taken(&first) {
        return first;
    }
    (2u32..)
        .map(|n| dir.join(format!("{prefix}-{stamp}-{n}.sqlite")))
        .find(|p| !taken(p))
        .unwrap_or(first)
}

pub fn run_repair(ctx: &Ctx) -> Result<u8> {
    let case = ctx.case()?;
    let _lock = crate::scan::lock(&case)?;
    let dir = case.private_dir().join("backups");
    crate::case::create_private_dir(&dir)?;
    let into = fresh_name(&dir, "repaired");
    let got = safety::recover(&case.catalog_path(), &into)?;
    if got.total() == 0 {
        // An empty catalog is not a backup: nothing is left behind to be taken for one.
        for f in [
            into.clone(),
            into.with_extension("sqlite-wal"),
            into.with_extension("sqlite-shm"),
        ] {
            let _ = std::fs::remove_file(f);
        }
        return Err(user_error(
            format!(
                "Nothing could be read back from the catalog {}: no setting, correction, tag, event or exhibit label.",
                case.catalog_path().display()
            ),
            super::damaged_hint(ctx),
        ));
    }
    let mut out = output::stdout();
    writeln!(
        out,
        "Recovered from the catalog: {} setting(s), {} correction(s), {} tag(s), {} event(s), {} exhibit label(s).",
        got.rows("settings"),
        got.rows("corrections"),
        got.rows("tags"),
        got.rows("events"),
        got.rows("binder_labels")
    )?;
    if got.lost() > 0 {
        writeln!(
            out,
            "Some rows sat in the damaged part of the catalog and could not be read."
        )?;
    }
    writeln!(
        out,
        "Saved as a new catalog: {}. The catalog itself was not changed.",
        into.display()
    )?;
    ctx.tip(
        &mut out,
        &format!(
            "Next: casebinder restore \"{}\" --yes   then: casebinder scan   (the documents are read again from the folder)",
            into.display()
        ),
    )?;
    out.flush()?;
    Ok(0)
}

pub fn run_export(ctx: &Ctx, args: ExportArgs) -> Result<u8> {
    let case = ctx.case()?;
    let catalog = case.open_catalog()?;
    let work = catalog.export_user_work()?;
    let mut buf = serde_json::to_vec_pretty(&work)?;
    buf.push(b'\n');
    super::deliver(
        ctx,
        &case,
        &catalog,
        args.out.as_deref(),
        args.force,
        &buf,
        |path| {
            format!(
                "Exported {} correction(s), {} tag(s) and {} event(s) to {}",
                work.corrections.len(),
                work.tags.len(),
                work.events.len(),
                path.display()
            )
        },
    )?;
    Ok(0)
}

pub fn run_import(ctx: &Ctx, args: ImportArgs) -> Result<u8> {
    let case = ctx.case()?;
    let mut catalog = case.open_catalog()?;
    let path = crate::case::absolute(&args.path, &ctx.cwd);
    let bytes = std::fs::read(&path).map_err(|e| {
        user_error(
            format!("Could not read {}: {e}", path.display()),
            "Check the path of the exported file.",
        )
    })?;
    let work: UserWork = serde_json::from_slice(&bytes).map_err(|e| {
        user_error(
            format!("{} is not a casebinder export ({e}).", path.display()),
            "Use a file made by `casebinder export --corrections`.",
        )
    })?;
    let n = catalog.import_user_work(&work)?;
    crate::scan::classify_pending(&mut catalog)?;
    let mut out = output::stdout();
    writeln!(
        out,
        "Applied {n} item(s) from {}. They apply to documents with the same content, wherever they are.",
        path.display()
    )?;
    out.flush()?;
    Ok(0)
}
