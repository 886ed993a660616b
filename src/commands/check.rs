//! `casebinder check`: the deadline rules against the timeline; exit 1 when one was missed.

use std::io::Write;

use anyhow::Result;
use chrono::NaiveDate;

use super::Ctx;
use crate::catalog::Catalog;
use crate::checks::{self, Options, Report, days::Calendar, profiles};
use crate::cli::CheckArgs;
use crate::error::user_error;
use crate::output::{self, ellipsize};
use crate::query::Query;
use crate::timeline;

/// A date typed by the user, or today.
pub fn date_or_today(value: Option<&str>, what: &str) -> Result<NaiveDate> {
    match value {
        Some(v) => NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").map_err(|_| {
            user_error(
                format!("\"{v}\" is not a date for {what}."),
                "Write it as YYYY-MM-DD.",
            )
        }),
        None => Ok(chrono::Local::now().date_naive()),
    }
}

/// Runs the checks on the whole catalog.
pub fn report(
    catalog: &Catalog,
    state: Option<&str>,
    as_of: NaiveDate,
    soft_days: i64,
    hearing: Option<NaiveDate>,
) -> Result<Report> {
    let settings = catalog.settings()?;
    let code = state
        .map(str::to_string)
        .or_else(|| settings.get("state").cloned());
    let profile = match code.as_deref() {
        None => profiles::profile("federal"),
        Some(c) => profiles::profile(c).or_else(|| {
            // A state casebinder has no profile for: federal rules, said plainly in the output.
            profiles::profile("federal")
        }),
    }
    .ok_or_else(|| user_error("No rule profile is available.", "Reinstall casebinder."))?;
    if let Some(c) = &code
        && profiles::profile(c).is_none()
        && state.is_some()
    {
        let known: Vec<&str> = profiles::PROFILES.iter().map(|p| p.code).collect();
        return Err(user_error(
            format!("casebinder has no rules for the state \"{c}\" yet."),
            format!("Use one of: {}.", known.join(", ")),
        ));
    }
    let calendar = Calendar {
        breaks: settings
            .get("breaks")
            .and_then(|b| super::config::parse_breaks(b))
            .unwrap_or_default(),
    };
    let docs = catalog.timeline_docs(&Query::default())?;
    let events = timeline::build(&docs, &catalog.user_events()?);
    Ok(checks::check(
        &events,
        &docs,
        &Options {
            as_of,
            profile,
            calendar,
            soft_days: soft_days.max(1),
            hearing_date: hearing,
        },
    ))
}

pub fn run(ctx: &Ctx, args: CheckArgs) -> Result<u8> {
    let case = ctx.case()?;
    let catalog = case.open_catalog()?;
    let as_of = date_or_today(args.as_of.as_deref(), "--as-of")?;
    let hearing = args
        .hearing_date
        .as_deref()
        .map(|h| date_or_today(Some(h), "--hearing-date"))
        .transpose()?;
    let r = report(&catalog, args.state.as_deref(), as_of, args.soft_days, hearing)?;
    let mut out = output::stdout();
    if args.json {
        output::write_json(&mut out, &r)?;
    } else {
        print(&mut out, &r, args.all)?;
    }
    out.flush()?;
    Ok(if r.violations() > 0 { 1 } else { 0 })
}

fn print<W: Write>(out: &mut W, r: &Report, all: bool) -> std::io::Result<()> {
    let count = |s: &str| r.findings.iter().filter(|f| f.status == s).count();
    writeln!(
        out,
        "Rules: {} · as of {} · {} possible violation(s), {} unsure (a date to confirm), {} flagged (soft), {} open, {} met",
        r.profile_name,
        r.as_of,
        count("violated"),
        count("unsure"),
        count("soft"),
        count("open"),
        count("met")
    )?;
    let is_window = |f: &checks::Finding| f.rule.ends_with("_window");
    let shown: Vec<&checks::Finding> = r
        .findings
        .iter()
        .filter(|f| !is_window(f) && (all || f.status != "met"))
        .collect();
    let rows = shown
        .iter()
        .enumerate()
        .map(|(i, f)| {
            vec![
                (i + 1).to_string(),
                f.status.clone(),
                f.rule.clone(),
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
        output::table(
            &["#", "status", "rule", "started", "due", "done", "days late"],
            rows
        )
    )?;
    for (i, f) in shown.iter().enumerate() {
        if matches!(f.status.as_str(), "violated" | "unsure" | "soft") {
            writeln!(
                out,
                "{}. {} ({}): {}",
                i + 1,
                f.rule,
                f.citation,
                ellipsize(&f.explanation, 900)
            )?;
        }
    }
    let windows: Vec<&checks::Finding> = r.findings.iter().filter(|f| is_window(f)).collect();
    if !windows.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "Filing windows for these possible issues (34 CFR 300.153(c): state complaint, 1 year; 300.507(a)(2): due process, 2 years):"
        )?;
        for w in windows {
            let what = if w.rule.starts_with("state") {
                "state complaint"
            } else {
                "due process"
            };
            let state = match w.status.as_str() {
                "open" => format!("open until {}", w.due.map(|d| d.to_string()).unwrap_or_default()),
                "met" => "filed in time".to_string(),
                _ => format!("closed on {}", w.due.map(|d| d.to_string()).unwrap_or_default()),
            };
            writeln!(out, "  {what:<16} {state:<22} {}", w.trigger.description)?;
        }
    }
    writeln!(out)?;
    writeln!(
        out,
        "These are possible issues to look into with an advocate, not legal conclusions. Details: casebinder check --json"
    )?;
    Ok(())
}
