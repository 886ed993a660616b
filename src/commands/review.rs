//! `casebinder review`: what needs a human look, each with how to fix it.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use super::Ctx;
use crate::catalog::DocRow;
use crate::classify::docdate::UNDATED_SURE;
use crate::classify::{LOW_CONFIDENCE, UNSURE_DATE};
use crate::cli::ReviewArgs;
use crate::output::{self, Fit, ellipsize};
use crate::query::Query;

/// One thing to check.
#[derive(Debug, Serialize)]
pub struct ReviewItem {
    pub id: i64,
    pub path: String,
    /// `unreadable`, `undated`, `unsure_date`, `unsure_kind`, `ambiguous_date`, `duplicate`.
    pub problem: String,
    pub detail: String,
    pub fix: String,
}

/// Everything in the catalog that needs a look, in path order.
pub fn review_items(rows: &[DocRow], why_undated: impl Fn(i64) -> Option<String>) -> Vec<ReviewItem> {
    let mut items = Vec::new();
    for r in rows {
        let mut push = |problem: &str, detail: String, fix: String| {
            items.push(ReviewItem {
                id: r.id,
                path: r.path.clone(),
                problem: problem.into(),
                detail,
                fix,
            })
        };
        if r.status != "ok" {
            push(
                "unreadable",
                format!("{}: {}", r.status, r.reason.clone().unwrap_or_default()),
                if r.status == "no_text" {
                    format!(
                        "install OCR and scan again, or set what it is: casebinder set {} --kind K --date YYYY-MM-DD",
                        r.id
                    )
                } else {
                    "replace the file with a readable copy, then casebinder scan".into()
                },
            );
        }
        if let Some(of) = r.duplicate_of {
            push(
                "duplicate",
                format!("the same email as document {of}"),
                "nothing to do: a binder includes it once".into(),
            );
            continue;
        }
        // No date where one is expected (a blank form, a publication or the family's own
        // working paper has none of its own, and says so in `show`).
        if r.date.is_none()
            && r.date_source.as_deref() != Some("user")
            && r.date_confidence.is_none_or(|c| c < UNDATED_SURE)
        {
            push(
                "undated",
                why_undated(r.id).unwrap_or_else(|| "no date found".into()),
                format!(
                    "casebinder set {} --date YYYY-MM-DD   (or --date none if it truly has none)",
                    r.id
                ),
            );
        }
        // A date with little behind it (a date mentioned once, a file name, a file's own
        // timestamp): worth a look before it starts or ends a deadline.
        if let (Some(date), Some(conf)) = (&r.date, r.date_confidence)
            && !matches!(r.date_source.as_deref(), Some("user" | "revision"))
            && conf < UNSURE_DATE
        {
            push(
                "unsure_date",
                format!("dated {date} on weak evidence ({:.0}% sure)", conf * 100.0),
                format!(
                    "casebinder show {} says why; if it is wrong: casebinder set {} --date YYYY-MM-DD",
                    r.id, r.id
                ),
            );
        }
        if r.date_ambiguous && r.date_source.as_deref() != Some("user") {
            push(
                "ambiguous_date",
                format!(
                    "{} could also be read day-first",
                    r.date.clone().unwrap_or_default()
                ),
                format!(
                    "casebinder set {} --date YYYY-MM-DD, or casebinder config date-order day-first",
                    r.id
                ),
            );
        }
        if r.kind_source.as_deref() == Some("rule") && r.kind_confidence.is_some_and(|c| c < LOW_CONFIDENCE) {
            push(
                "unsure_kind",
                format!(
                    "best guess {} ({:.0}% sure)",
                    r.kind.clone().unwrap_or_default(),
                    r.kind_confidence.unwrap_or(0.0) * 100.0
                ),
                format!(
                    "casebinder set {} --kind KIND   (see casebinder show {})",
                    r.id, r.id
                ),
            );
        }
    }
    items
}

pub fn run(ctx: &Ctx, args: ReviewArgs) -> Result<u8> {
    let case = ctx.case()?;
    let catalog = case.open_catalog()?;
    let rows = catalog.list(&Query::default(), false)?;
    let items = review_items(&rows, |id| {
        catalog
            .detail(id, false)
            .ok()
            .and_then(|d| d.classification)
            .map(|c| c.date_why)
    });
    let mut out = output::stdout();
    if args.json {
        output::write_json(&mut out, &items)?;
    } else if items.is_empty() {
        writeln!(
            out,
            "Nothing needs a look: every document is read, dated and sure of its kind."
        )?;
    } else {
        let body = items
            .iter()
            .map(|i| {
                vec![
                    i.id.to_string(),
                    i.path.clone(),
                    i.problem.replace('_', " "),
                    ellipsize(&i.detail, 300),
                    i.fix.clone(),
                ]
            })
            .collect();
        writeln!(
            out,
            "{}",
            output::fit_table(
                &["id", "document", "check", "why", "what to do"],
                body,
                ctx.width,
                Fit::Wrap,
                &[3, 4, 1]
            )
        )?;
        let footer = if ctx.quiet {
            format!("{} thing(s) to check.", items.len())
        } else {
            format!(
                "{} thing(s) to check. The same list for scripts: casebinder review --json",
                items.len()
            )
        };
        writeln!(out, "{}", output::wrap(&footer, ctx.width, 2))?;
    }
    out.flush()?;
    Ok(0)
}
