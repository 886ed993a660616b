//! `casebinder scan`: bring the catalog up to date with the case folder, and say what happened.

use std::io::Write;

use anyhow::Result;

use super::Ctx;
use super::print;
use crate::cli::ScanArgs;
use crate::output;
use crate::scan::{self, ScanOptions};

pub fn run(ctx: &Ctx, args: ScanArgs) -> Result<u8> {
    let case = ctx.case()?;
    // The folder is walked while the catalog is opened and read.
    let walking = scan::Walking::start(&case, args.follow_links);
    let mut catalog = case.open_catalog()?;
    let opts = ScanOptions {
        batch_files: args.batch_files.max(1),
        progress: !args.no_progress && !args.json && !ctx.quiet,
        follow_links: args.follow_links,
        ..ScanOptions::default()
    };
    let summary = scan::scan_walking(&case, &mut catalog, &opts, walking)?;
    let mut out = output::stdout();
    if args.json {
        output::write_json(&mut out, &summary)?;
    } else {
        print::scan_summary(&mut out, &case.root.display().to_string(), &summary, ctx)?;
    }
    out.flush()?;
    Ok(0)
}
