//! `casebinder scan`: bring the catalog up to date with the case folder, and say what happened.

use std::io::Write;

use anyhow::Result;

use super::Ctx;
use crate::cli::ScanArgs;
use crate::output::{self, human_bytes};

/// Files listed one by one in the summary; the rest are counted.
const MAX_LISTED: usize = 40;
use crate::scan::{self, ScanOptions, ScanSummary};

pub fn run(ctx: &Ctx, args: ScanArgs) -> Result<u8> {
    let case = ctx.case()?;
    let mut catalog = case.open_catalog()?;
    let opts = ScanOptions {
        batch_files: args.batch_files.max(1),
        progress: !args.no_progress && !args.json,
        ..ScanOptions::default()
    };
    let summary = scan::scan(&case, &mut catalog, &opts)?;
    let mut out = output::stdout();
    if args.json {
        output::write_json(&mut out, &summary)?;
    } else {
        print_summary(&mut out, &case.root.display().to_string(), &summary)?;
    }
    out.flush()?;
    Ok(0)
}

/// The human summary: counts, what needs a look, what was skipped, and what to do next.
pub fn print_summary<W: Write>(out: &mut W, root: &str, s: &ScanSummary) -> std::io::Result<()> {
    writeln!(
        out,
        "Scanned {root}: {} files, {} documents in the catalog.",
        s.files_seen, s.documents
    )?;
    let header = [
        "new",
        "changed",
        "unchanged",
        "moved",
        "missing",
        "skipped",
        "failed",
        "read",
    ];
    let row = vec![
        s.new.to_string(),
        s.changed.to_string(),
        s.unchanged.to_string(),
        s.moved.to_string(),
        s.missing.to_string(),
        s.skipped.to_string(),
        s.failed.to_string(),
        human_bytes(s.bytes_read),
    ];
    writeln!(out, "{}", output::table(&header, vec![row]))?;
    for w in &s.warnings {
        writeln!(out, "warning: {w}")?;
    }
    if !s.failures.is_empty() {
        writeln!(out)?;
        writeln!(out, "Could not be fully read ({}):", s.failures.len())?;
        for f in s.failures.iter().take(MAX_LISTED) {
            writeln!(out, "  {}", f.path)?;
            writeln!(out, "      {}: {}", f.status, f.reason)?;
        }
        if s.failures.len() > MAX_LISTED {
            writeln!(
                out,
                "  … and {} more: casebinder list status:no_text,encrypted,corrupt,unsupported",
                s.failures.len() - MAX_LISTED
            )?;
        }
    }
    if !s.skipped_reasons.is_empty() {
        let parts: Vec<String> = s
            .skipped_reasons
            .iter()
            .map(|(r, n)| format!("{n} {r}"))
            .collect();
        writeln!(out, "Skipped: {}.", parts.join("; "))?;
    }
    if s.missing > 0 {
        writeln!(
            out,
            "{} file(s) are gone from the folder; their documents and everything you said about them are kept \
             (see `casebinder list --missing`).",
            s.missing
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "Next: casebinder list   (or: casebinder search \"speech therapy\")"
    )?;
    Ok(())
}
