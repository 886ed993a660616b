//! `casebinder backup|restore|export|import`: a family's work, kept safe and portable.

use std::io::Write;

use anyhow::Result;

use super::Ctx;
use crate::catalog::UserWork;
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
            dir.join(format!("catalog-{}.sqlite", crate::clock::stamp()))
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
    writeln!(
        out,
        "Bring it back with: casebinder restore \"{}\"",
        path.display()
    )?;
    out.flush()?;
    Ok(0)
}

pub fn run_restore(ctx: &Ctx, args: RestoreArgs) -> Result<u8> {
    let case = ctx.case()?;
    let _lock = crate::scan::lock(&case)?;
    let mut catalog = case.open_catalog()?;
    let path = crate::case::absolute(&args.path, &ctx.cwd);
    catalog.restore_from(&path)?;
    let mut out = output::stdout();
    writeln!(
        out,
        "Restored the catalog from {} ({} documents).",
        path.display(),
        catalog.count_documents()?
    )?;
    if !ctx.quiet {
        writeln!(
            out,
            "Next: casebinder scan (to pick up files that changed since the backup)"
        )?;
    }
    out.flush()?;
    Ok(0)
}

pub fn run_export(ctx: &Ctx, args: ExportArgs) -> Result<u8> {
    let case = ctx.case()?;
    let catalog = case.open_catalog()?;
    let work = catalog.export_user_work()?;
    let mut buf = serde_json::to_vec_pretty(&work)?;
    buf.push(b'\n');
    super::deliver(ctx, &case, &catalog, args.out.as_deref(), &buf, |path| {
        format!(
            "Exported {} correction(s), {} tag(s) and {} event(s) to {}",
            work.corrections.len(),
            work.tags.len(),
            work.events.len(),
            path.display()
        )
    })?;
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
