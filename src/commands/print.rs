//! The printers several commands share (a scan's summary, the documents table, the binder's
//! plan, diff and result), so `demo` shows exactly what the commands show without calling them.

use std::io::Write;
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use super::Ctx;
use crate::binder::diff::Diff;
use crate::binder::make::{Made, Prepared};
use crate::binder::outputs::ManifestExhibit;
use crate::binder::{LeftOut, Plan, Settings};
use crate::catalog::DocRow;
use crate::classify::kinds;
use crate::output::{self, Fit, ellipsize, human_bytes};
use crate::scan::ScanSummary;

/// Files listed one by one in a scan's summary; the rest are counted.
const MAX_LISTED: usize = 40;

/// The human summary: counts, what needs a look, what was skipped, and what to do next.
pub fn scan_summary<W: Write>(out: &mut W, root: &str, s: &ScanSummary, ctx: &Ctx) -> std::io::Result<()> {
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
            let more = s.failures.len() - MAX_LISTED;
            if ctx.quiet {
                writeln!(out, "  … and {more} more")?;
            } else {
                writeln!(
                    out,
                    "  … and {more} more: casebinder list status:no_text,encrypted,corrupt,unsupported"
                )?;
            }
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
    if !s.resaved.is_empty() {
        writeln!(
            out,
            "Re-saved in place with the same text ({}): what you said about each (corrections, tags, notes, events) now applies to its new version:",
            s.resaved.len()
        )?;
        for p in s.resaved.iter().take(MAX_LISTED) {
            writeln!(out, "  {p}")?;
        }
    }
    for (folder, n) in &s.nested_kept {
        writeln!(
            out,
            "{folder}/ is now a case of its own: its {n} file(s) stay in this case as they were last read. \
             To read them again here, remove {folder}/{} (that case's catalog; back it up first).",
            crate::case::DIR_NAME
        )?;
    }
    if s.missing > 0 {
        writeln!(
            out,
            "{} file(s) are gone from the folder; their documents and everything you said about them are kept \
             (see `casebinder list --missing`).",
            s.missing
        )?;
    }
    if !ctx.quiet {
        writeln!(out)?;
        writeln!(
            out,
            "Next: casebinder list   (or: casebinder search \"speech therapy\")"
        )?;
    }
    Ok(())
}

/// A document as a row names it: its path, an email's subject, a duplicate mark.
fn describe(r: &DocRow) -> String {
    let mut s = ellipsize(&r.path, 64);
    if let Some(t) = r.title.as_deref().filter(|t| !t.is_empty())
        && r.format == "email"
    {
        s.push_str(" — ");
        s.push_str(&ellipsize(t, 40));
    }
    if r.duplicate_of.is_some() {
        s.push_str(" (duplicate)");
    }
    if r.earlier_version {
        s.push_str(" (earlier version)");
    }
    s
}

pub fn doc_table<W: Write>(out: &mut W, rows: &[DocRow], width: Option<usize>) -> std::io::Result<()> {
    let body = rows
        .iter()
        .map(|r| {
            vec![
                r.id.to_string(),
                r.date.clone().unwrap_or_else(|| "-".into()),
                r.kind.clone().unwrap_or_else(|| "-".into()),
                r.pages.map_or("-".into(), |p| p.to_string()),
                r.status.clone(),
                describe(r),
            ]
        })
        .collect();
    writeln!(
        out,
        "{}",
        output::fit_table(
            &["id", "date", "kind", "pages", "status", "document"],
            body,
            width,
            Fit::Shorten,
            &[5, 2]
        )
    )
}

/// `binder --dry-run`: every exhibit with its pages and Bates numbers, and what is left out.
pub fn binder_plan<W: Write>(out: &mut W, plan: &Plan, width: Option<usize>) -> std::io::Result<()> {
    let s = &plan.settings;
    let rows: Vec<Vec<String>> = plan
        .exhibits
        .iter()
        .map(|e| {
            let pages = if e.first_page == e.last_page {
                e.first_page.to_string()
            } else {
                format!("{}-{}", e.first_page, e.last_page)
            };
            vec![
                e.label.clone(),
                e.date.clone().unwrap_or_else(|| "undated".into()),
                crate::classify::kinds::label(&e.kind).to_string(),
                output::ellipsize(&e.title, 38),
                e.pages.to_string(),
                pages,
                format!("{}..{}", s.bates(e.bates_start), s.bates(e.bates_end)),
                match (&e.body, e.new) {
                    (crate::binder::Body::Placeholder(_), _) => "placeholder".into(),
                    (_, true) => "new since the last build".into(),
                    _ => String::new(),
                },
            ]
        })
        .collect();
    writeln!(
        out,
        "{}",
        output::fit_table(
            &[
                "exhibit",
                "date",
                "kind",
                "title",
                "pages",
                "binder pages",
                "bates",
                "note"
            ],
            rows,
            width,
            Fit::Shorten,
            &[3, 2, 7, 6]
        )
    )?;
    let summary = format!(
        "{} exhibits, {} binder pages: {} front pages (cover, index{}{}), {} tab pages, {} exhibit pages.",
        plan.exhibits.len(),
        plan.total_pages,
        plan.front_pages(),
        if s.chronology { ", chronology" } else { "" },
        if s.findings { ", findings" } else { "" },
        plan.tab_pages(),
        plan.exhibit_pages()
    );
    writeln!(out, "{}", output::wrap(&summary, width, 2))?;
    if !plan.left_out.is_empty() {
        writeln!(out, "Left out ({}):", plan.left_out.len())?;
        for l in &plan.left_out {
            writeln!(
                out,
                "{}",
                output::wrap(&format!("  {}: {}", l.locator, l.reason), width, 4)
            )?;
        }
    }
    for w in &plan.warnings {
        writeln!(out, "{}", output::wrap(&format!("warning: {w}"), width, 2))?;
    }
    Ok(())
}

/// `binder --diff`: what changed since the last build.
pub fn binder_diff<W: Write>(out: &mut W, d: &Diff) -> std::io::Result<()> {
    writeln!(out, "Changes since the build of {} ({}):", d.built, d.file)?;
    for e in &d.new {
        writeln!(
            out,
            "  new      {}  {}  {}: {} (binder pages {}-{}, {} to {})",
            e.exhibit,
            e.date.as_deref().unwrap_or("undated"),
            kinds::label(&e.kind),
            e.title,
            e.binder_first_page,
            e.binder_last_page,
            e.bates_start,
            e.bates_end
        )?;
    }
    for e in &d.removed {
        writeln!(
            out,
            "  removed  {}  {}  {}: {} (was {} to {})",
            e.exhibit,
            e.date.as_deref().unwrap_or("undated"),
            kinds::label(&e.kind),
            e.title,
            e.bates_start,
            e.bates_end
        )?;
    }
    for r in &d.relabelled {
        writeln!(out, "  relabelled {} is now {}", r.was, r.now)?;
    }
    for r in &d.resized {
        writeln!(out, "  changed  {}: {} pages, was {}", r.exhibit, r.pages, r.was)?;
    }
    if !d.moved.is_empty() {
        writeln!(
            out,
            "  moved    {} exhibit(s) now sit on other pages and Bates numbers:",
            d.moved.len()
        )?;
        for m in &d.moved {
            writeln!(
                out,
                "           {} ({} to {}, was {} to {})",
                m.exhibit, m.bates_start, m.bates_end, m.was_start, m.was_end
            )?;
        }
    }
    if d.is_empty() {
        writeln!(
            out,
            "  nothing: the same exhibits, labels, pages and Bates numbers."
        )?;
    }
    Ok(())
}

/// `binder --dry-run --json`: the plan as data.
#[derive(Serialize)]
pub struct PlanJson<'a> {
    pub settings: &'a Settings,
    pub exhibits: Vec<ManifestExhibit>,
    pub pages: u32,
    pub front_pages: u32,
    pub left_out: &'a [LeftOut],
    pub warnings: &'a [String],
    pub disclosure_deadline: Option<NaiveDate>,
}

impl<'a> PlanJson<'a> {
    pub fn of(p: &'a Prepared) -> PlanJson<'a> {
        PlanJson {
            settings: &p.plan.settings,
            exhibits: p.exhibits(),
            pages: p.plan.total_pages,
            front_pages: p.plan.front_pages(),
            left_out: &p.plan.left_out,
            warnings: &p.plan.warnings,
            disclosure_deadline: p.plan.disclosure_deadline,
        }
    }
}

/// `binder --json`: what a build wrote, as data.
#[derive(Serialize)]
pub struct MadeJson<'a> {
    pub binder: String,
    pub index_csv: String,
    pub index_md: String,
    pub manifest: String,
    #[serde(flatten)]
    pub plan: PlanJson<'a>,
    pub new_since_last: &'a [String],
    /// Bates numbers retired by --renumber, as runs ("RIVERA-000001 to RIVERA-000038").
    pub retired: Option<String>,
}

impl<'a> MadeJson<'a> {
    pub fn of(cwd: &Path, p: &'a Prepared, made: &'a Made, retired: Option<String>) -> MadeJson<'a> {
        MadeJson {
            binder: shown(cwd, &made.target),
            index_csv: shown(cwd, &made.csv),
            index_md: shown(cwd, &made.md),
            manifest: shown(cwd, &made.manifest),
            plan: PlanJson::of(p),
            new_since_last: &made.new_since_last,
            retired,
        }
    }
}

/// What a binder build wrote.
pub fn binder_made<W: Write>(
    out: &mut W,
    cwd: &Path,
    plan: &Plan,
    made: &Made,
    width: Option<usize>,
) -> std::io::Result<()> {
    let shown = |p: &Path| shown(cwd, p);
    writeln!(out, "Wrote {}", shown(&made.target))?;
    writeln!(
        out,
        "  {} exhibits, {} pages: {} front pages, {} tab pages, {} exhibit pages",
        plan.exhibits.len(),
        plan.total_pages,
        plan.front_pages(),
        plan.tab_pages(),
        plan.exhibit_pages()
    )?;
    if let (Some(a), Some(b)) = (plan.exhibits.first(), plan.exhibits.last()) {
        writeln!(
            out,
            "  Bates {} to {}",
            plan.settings.bates(a.bates_start),
            plan.settings.bates(b.bates_end)
        )?;
    }
    if let Some(d) = plan.disclosure_deadline {
        writeln!(
            out,
            "  Disclose the exhibits to the district by {d} (5 business days before the hearing)."
        )?;
    }
    writeln!(
        out,
        "Beside it: {}, {}, {}",
        shown(&made.csv),
        shown(&made.md),
        shown(&made.manifest)
    )?;
    if !plan.left_out.is_empty() {
        writeln!(out, "Left out ({}):", plan.left_out.len())?;
        for l in plan.left_out.iter().take(10) {
            writeln!(
                out,
                "{}",
                output::wrap(&format!("  {}: {}", l.locator, l.reason), width, 4)
            )?;
        }
        if plan.left_out.len() > 10 {
            writeln!(
                out,
                "  … and {} more (the manifest lists them all, with the reason)",
                plan.left_out.len() - 10
            )?;
        }
    }
    if !made.new_since_last.is_empty() {
        writeln!(
            out,
            "New since the last build: {} (`casebinder binder --diff` said what moved before this build).",
            made.new_since_last.join(", ")
        )?;
    }
    Ok(())
}

/// What to do with a binder just built.
pub fn binder_next<W: Write>(out: &mut W, cwd: &Path, made: &Made) -> std::io::Result<()> {
    writeln!(
        out,
        "Next: open the PDF and look through it. Later, `casebinder verify \"{}\"` checks that nothing changed.",
        shown(cwd, &made.target)
    )
}

/// Warnings, on standard error, fitted to `width`.
pub fn warnings(list: &[String], width: Option<usize>) {
    // A warning names files: their names are shown, never obeyed as terminal escapes.
    let mut err = output::Escaped::new(std::io::stderr().lock());
    for w in list {
        let _ = writeln!(err, "{}", output::wrap(&format!("warning: {w}"), width, 2));
    }
}

/// A path as the person would type it from where they are.
pub fn shown(cwd: &Path, p: &Path) -> String {
    p.strip_prefix(cwd)
        .map(|r| r.display().to_string())
        .unwrap_or_else(|_| p.display().to_string())
}
