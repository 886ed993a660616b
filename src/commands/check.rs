//! `casebinder check`: the deadline rules against the timeline; exit 1 when one was missed.

use std::io::Write;

use anyhow::Result;

use super::Ctx;
use crate::case::settings::CaseSettings;
use crate::case::story::{self, CheckRequest};
use crate::checks::{self, Report, Status};
use crate::cli::CheckArgs;
use crate::output::{self, Fit, ellipsize};

pub fn run(ctx: &Ctx, args: CheckArgs) -> Result<u8> {
    let case = ctx.case()?;
    let catalog = case.open_catalog()?;
    let settings = CaseSettings::load(&catalog)?;
    let story = story::whole_story_kept(&catalog)?;
    let r = story::findings(
        &story,
        &settings,
        &CheckRequest {
            as_of: args.as_of,
            state: args.state.as_deref(),
            soft_days: args.soft_days,
            hearing: args.hearing_date,
        },
    )?;
    let concerns: Vec<ConcernForum> = catalog
        .concerns()?
        .into_iter()
        .map(|c| ConcernForum {
            forum: checks::forum::for_concern(&c.kind),
            concern: c,
        })
        .collect();
    let advice = checks::forum::advice(
        &r.findings,
        &concerns.iter().map(|c| &c.forum).collect::<Vec<_>>(),
    );
    let mut out = output::stdout();
    if args.json {
        output::write_json(
            &mut out,
            &CheckJson {
                report: &r,
                concerns: &concerns,
                advice: advice.as_deref(),
            },
        )?;
    } else {
        print(&mut out, &r, args.all, ctx.width)?;
        print_paths(&mut out, &concerns, advice.as_deref(), ctx.width)?;
        closing(&mut out, ctx.width, ctx.quiet)?;
    }
    out.flush()?;
    Ok(if r.violations() > 0 { 1 } else { 0 })
}

/// `check --json`: the report, the family's concerns with their paths, and the advice for both.
#[derive(serde::Serialize)]
struct CheckJson<'a> {
    #[serde(flatten)]
    report: &'a Report,
    concerns: &'a [ConcernForum],
    /// Which paths fit the case as a whole, and in what order (absent when nothing to raise).
    #[serde(skip_serializing_if = "Option::is_none")]
    advice: Option<&'a str>,
}

/// A concern the family stated, with the path that fits it.
#[derive(serde::Serialize)]
struct ConcernForum {
    #[serde(flatten)]
    concern: crate::catalog::Concern,
    forum: checks::forum::Forum,
}

/// The concerns and which path fits the case: the family's strategy, for the terminal only.
fn print_paths<W: Write>(
    out: &mut W,
    concerns: &[ConcernForum],
    advice: Option<&str>,
    width: Option<usize>,
) -> std::io::Result<()> {
    if !concerns.is_empty() {
        writeln!(out)?;
        writeln!(out, "Concerns the family stated:")?;
        for c in concerns {
            let asks = c
                .concern
                .ask
                .as_deref()
                .map(|a| format!(" The family asks for: {a}."))
                .unwrap_or_default();
            let text = format!(
                "{}. {} ({}).{asks} Path: {} ({})",
                c.concern.id, c.concern.title, c.concern.kind, c.forum.why, c.forum.citation
            );
            writeln!(out, "{}", output::wrap(&text, width, 3))?;
        }
    }
    if let Some(a) = advice {
        writeln!(out)?;
        writeln!(out, "{}", output::wrap(&format!("Which path: {a}"), width, 2))?;
    }
    Ok(())
}

fn print<W: Write>(out: &mut W, r: &Report, all: bool, width: Option<usize>) -> std::io::Result<()> {
    let count = |s: Status| r.findings.iter().filter(|f| f.status == s).count();
    let head = format!(
        "Rules: {} · as of {} · {} possible violation(s), {} unsure (a date to confirm), {} flagged (soft), {} open, {} met",
        r.profile_name,
        r.as_of,
        count(Status::Violated),
        count(Status::Unsure),
        count(Status::Soft),
        count(Status::Open),
        count(Status::Met)
    );
    writeln!(out, "{}", output::wrap(&head, width, 2))?;
    let is_window = |f: &checks::Finding| f.rule.ends_with("_window");
    let shown: Vec<&checks::Finding> = r
        .findings
        .iter()
        .filter(|f| !is_window(f) && (all || f.status != Status::Met))
        .collect();
    let rows = shown
        .iter()
        .enumerate()
        .map(|(i, f)| {
            vec![
                (i + 1).to_string(),
                f.status.to_string(),
                f.title.clone(),
                f.trigger.date.to_string(),
                f.due.map(|d| d.to_string()).unwrap_or_default(),
                f.satisfied_by
                    .first()
                    .map(|s| s.date.to_string())
                    .unwrap_or_else(|| "-".into()),
                f.days_late.map(|d| d.to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    writeln!(
        out,
        "{}",
        output::fit_table(
            &["#", "status", "rule", "started", "due", "done", "days late"],
            rows,
            width,
            Fit::Wrap,
            &[2]
        )
    )?;
    for (i, f) in shown.iter().enumerate() {
        if f.status.is_issue() {
            let text = format!(
                "{}. {} ({}): {} Path: {}",
                i + 1,
                f.title,
                f.citation,
                ellipsize(&f.explanation, 900),
                f.forum.why
            );
            writeln!(out, "{}", output::wrap(&text, width, 3))?;
        }
    }
    let windows: Vec<&checks::Finding> = r.findings.iter().filter(|f| is_window(f)).collect();
    if !windows.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            output::wrap(
                "Filing windows for these possible issues (34 CFR 300.153(c): state complaint, 1 year; 300.507(a)(2): due process, 2 years):",
                width,
                2
            )
        )?;
        for w in windows {
            let what = if w.rule.starts_with("state") {
                "state complaint"
            } else {
                "due process"
            };
            let state = match w.status {
                Status::Open => format!("open until {}", w.due.map(|d| d.to_string()).unwrap_or_default()),
                Status::Met => "filed in time".to_string(),
                _ => format!("closed on {}", w.due.map(|d| d.to_string()).unwrap_or_default()),
            };
            let line = format!("  {what:<16} {state:<22} {}", w.trigger.description);
            writeln!(out, "{}", output::wrap(&line, width, 4))?;
        }
    }
    Ok(())
}

fn closing<W: Write>(out: &mut W, width: Option<usize>, quiet: bool) -> std::io::Result<()> {
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        output::wrap(
            if quiet {
                "These are possible issues to look into with an advocate, not legal conclusions."
            } else {
                "These are possible issues to look into with an advocate, not legal conclusions. Details: casebinder check --json"
            },
            width,
            0
        )
    )?;
    Ok(())
}
