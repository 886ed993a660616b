//! `casebinder init`: make a folder into a case.

use std::io::Write;

use anyhow::Result;

use super::Ctx;
use crate::case::settings;
use crate::case::{self, InitOutcome};
use crate::cli::InitArgs;
use crate::output;

pub fn run(ctx: &Ctx, args: InitArgs) -> Result<u8> {
    let dir = args.dir.clone().unwrap_or_else(|| ctx.cwd.clone());
    let dir = case::absolute(&dir, &ctx.cwd);
    // Settings: checked before anything is created, stored after.
    let extra: Vec<(&str, &String)> = [
        ("name", &args.name),
        ("state", &args.state),
        ("dob", &args.dob),
        ("district", &args.district),
        ("school", &args.school),
        ("date-order", &args.date_order),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.as_ref().map(|v| (k, v)))
    .collect();
    for (key, value) in &extra {
        settings::validate(key, Some(value))?;
    }
    let mut out = output::stdout();
    let home = args.catalog.as_deref().map(|h| case::absolute(h, &ctx.cwd));
    // A folder inside a case is that case's already: a second case there would take its files.
    if !args.nested
        && home.is_none()
        && !dir.join(case::DIR_NAME).join(case::CATALOG_NAME).exists()
        && let Some(outer) = std::fs::canonicalize(&dir)
            .ok()
            .and_then(|d| d.parent().map(|p| p.to_path_buf()))
            .and_then(|p| case::Case::find(None, &p).ok())
    {
        return Err(crate::error::user_error(
            format!(
                "{} is inside the case in {}: its files are already that case's documents.",
                dir.display(),
                outer.root.display()
            ),
            format!(
                "Work on that case from here (casebinder scan, casebinder list), or move this folder out of it first. \
                 To make a separate case inside it on purpose: casebinder init --nested \"{}\"",
                dir.display()
            ),
        ));
    }
    match case::init(&dir, home.as_deref())? {
        InitOutcome::Created(case) => {
            let catalog = case.open_catalog()?;
            for (key, value) in &extra {
                settings::apply(&catalog, key, Some(value))?;
            }
            writeln!(out, "Created a case in {}", case.root.display())?;
            writeln!(
                out,
                "The catalog is {} (only you can read it).",
                case.catalog_path().display()
            )?;
            writeln!(out, "Your documents are never changed, moved or uploaded.")?;
            if !ctx.quiet {
                writeln!(out)?;
                if case.is_detached() {
                    writeln!(
                        out,
                        "Next: casebinder --case \"{}\" scan   (or run commands from that folder)",
                        case.home.display()
                    )?;
                } else {
                    writeln!(out, "Next: casebinder scan")?;
                }
            }
        }
        InitOutcome::AlreadyExists(case) => {
            writeln!(
                out,
                "{} is already a casebinder case; nothing was changed.",
                case.root.display()
            )?;
            if !ctx.quiet {
                writeln!(out, "Next: casebinder scan (to read new or changed files)")?;
            }
        }
    }
    out.flush()?;
    Ok(0)
}
