//! `casebinder calendar`: every open deadline as an all-day event in an iCalendar file, for the
//! family's own calendar (or an advocate's). Each event's UID comes from what started its clock
//! (the rule, the documents by content, the date), never from a catalog number or the time of
//! export: importing a new export updates the events and doubles none. The child is named by
//! initials unless asked, since calendars are shared and synced.

use std::io::{IsTerminal, Write};

use anyhow::Result;
use chrono::{NaiveDate, TimeZone};
use icalendar::{Calendar, Component, Event, EventLike};
use sha2::{Digest, Sha256};

use super::Ctx;
use crate::case::settings::CaseSettings;
use crate::case::story::{self, CheckRequest};
use crate::catalog::Catalog;
use crate::checks::{Finding, Status};
use crate::cli::CalendarArgs;
use crate::query::Query;

pub fn run(ctx: &Ctx, args: CalendarArgs) -> Result<u8> {
    if args.all_cases {
        return run_all_cases(ctx, &args);
    }
    let case = ctx.case()?;
    let catalog = case.open_catalog()?;
    let (report, deadlines) = case_deadlines(&catalog, &args)?;
    let ics = ics(&deadlines, report.as_of);
    let n = deadlines.len();
    if args.out.is_none() && !std::io::stdout().is_terminal() {
        // Redirected to a file or a program: the calendar as it is, line ends and all (on a
        // terminal its control characters are shown escaped, as every output is).
        let mut raw = std::io::stdout().lock();
        raw.write_all(ics.as_bytes())?;
        raw.flush()?;
        return Ok(0);
    }
    super::deliver(
        ctx,
        &case,
        &catalog,
        args.out.as_deref(),
        args.force,
        ics.as_bytes(),
        |path| {
            crate::output::wrap(
                &format!(
                    "Wrote {} ({n} open deadline(s) as of {}). Import it into your calendar; importing a newer one updates these events.",
                    path.display(),
                    report.as_of
                ),
                ctx.width,
                2,
            )
        },
    )?;
    Ok(0)
}

/// The open deadlines of one case as calendar events, with its report.
fn case_deadlines(catalog: &Catalog, args: &CalendarArgs) -> Result<(crate::checks::Report, Vec<Deadline>)> {
    let settings = CaseSettings::load(catalog)?;
    let story = story::story(catalog, &Query::default())?;
    let report = story::findings(
        &story,
        &settings,
        &CheckRequest {
            as_of: args.as_of,
            state: args.state.as_deref(),
            soft_days: None,
            hearing: args.hearing_date,
        },
    )?;
    let who = match (&settings.student, args.full_name) {
        (Some(name), true) => Some(name.clone()),
        (Some(name), false) => Some(initials(name)),
        (None, _) => None,
    };
    let mut deadlines = Vec::new();
    for f in report.findings.iter().filter(|f| f.status == Status::Open) {
        let Some(due) = f.due else { continue };
        deadlines.push(Deadline {
            uid: uid(catalog, f)?,
            due,
            summary: summary_for(&f.title, &f.rule, who.as_deref()),
            description: description(f),
            rule: f.rule.clone(),
            finding_title: f.title.clone(),
        });
    }
    Ok((report, deadlines))
}

/// One calendar for the whole desk: each case read without changing it, its events named by
/// the child's initials (or the folder's name); a case that cannot be read is said and skipped.
/// The UIDs are each case's own, so importing the desk's calendar and a case's doubles nothing.
fn run_all_cases(ctx: &Ctx, args: &CalendarArgs) -> Result<u8> {
    let reg = crate::desk::Registry::load()?;
    if reg.cases.is_empty() {
        return Err(crate::error::user_error(
            "No case on the desk yet",
            "Add the case folders first: casebinder cases add DIR… (or --under DIR).",
        ));
    }
    let as_of = args.as_of.unwrap_or_else(crate::clock::today);
    let mut all = Vec::new();
    let mut skipped = 0;
    for root in &reg.cases {
        let case = crate::case::Case::at(root.clone());
        let read = Catalog::open_for_reading(&case.catalog_path()).and_then(|c| {
            let (_, mut d) = case_deadlines(
                &c,
                &CalendarArgs {
                    as_of: Some(as_of),
                    ..args.clone()
                },
            )?;
            // The advocate's label, else the child's initials (as one case's calendar gives
            // them), else the folder's name.
            let student = CaseSettings::load(&c)?.student;
            let name = match (reg.label(root), &student) {
                (Some(l), _) => Some(l.to_string()),
                (None, Some(_)) => None,
                (None, None) => root.file_name().map(|f| f.to_string_lossy().to_string()),
            };
            if let Some(name) = name {
                for x in &mut d {
                    x.summary = summary_for(&x.finding_title, &x.rule, Some(&name));
                }
            }
            Ok(d)
        });
        match read {
            Ok(d) => all.extend(d),
            Err(e) => {
                skipped += 1;
                eprintln!("warning: not read: {}: {e}", root.display());
            }
        }
    }
    all.sort_by(|a, b| (a.due, &a.uid).cmp(&(b.due, &b.uid)));
    let ics = ics(&all, as_of);
    let Some(out) = &args.out else {
        let mut raw = std::io::stdout().lock();
        raw.write_all(ics.as_bytes())?;
        raw.flush()?;
        return Ok(0);
    };
    let path = crate::case::absolute(out, &ctx.cwd);
    if path.exists() && !args.force {
        return Err(crate::error::user_error(
            format!("{} already exists", path.display()),
            "Choose another name, or add --force to replace it.",
        ));
    }
    let tmp = path.with_extension("ics.partial");
    {
        let mut f = crate::case::create_private_file(&tmp)?;
        f.write_all(ics.as_bytes())?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, &path)?;
    let mut o = crate::output::stdout();
    writeln!(
        o,
        "{}",
        crate::output::wrap(
            &format!(
                "Wrote {} ({} open deadline(s) across {} case(s) as of {as_of}{}). Import it into your calendar; importing a newer one updates these events.",
                path.display(),
                all.len(),
                reg.cases.len() - skipped,
                if skipped > 0 {
                    format!("; {skipped} case(s) could not be read")
                } else {
                    String::new()
                }
            ),
            ctx.width,
            2,
        )
    )?;
    o.flush()?;
    Ok(0)
}

/// One open deadline, ready for the calendar.
struct Deadline {
    uid: String,
    due: NaiveDate,
    summary: String,
    description: String,
    /// The finding's rule and title (the summary is made of them and a name).
    rule: String,
    finding_title: String,
}

/// "Maya Rivera" → "M.R.".
fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().find(|c| c.is_alphabetic()))
        .flat_map(|c| c.to_uppercase().chain(std::iter::once('.')))
        .collect()
}

/// A stable identity: the rule and what started its clock, by content.
fn uid(catalog: &Catalog, f: &Finding) -> Result<String> {
    let mut h = Sha256::new();
    h.update(f.rule.as_bytes());
    h.update([0]);
    h.update(f.trigger.date.to_string().as_bytes());
    let mut shas: Vec<String> = f
        .trigger
        .documents
        .iter()
        .map(|d| catalog.sha_of(*d))
        .collect::<Result<_>>()?;
    shas.sort();
    for s in shas {
        h.update([0]);
        h.update(s.as_bytes());
    }
    for e in &f.trigger.events {
        h.update([1]);
        h.update(e.to_string().as_bytes());
    }
    if f.rule.ends_with("_window") {
        // A window per possible issue: the issue is in its description.
        h.update([2]);
        h.update(f.trigger.description.as_bytes());
    }
    Ok(format!("{}@casebinder", hex::encode(&h.finalize()[..16])))
}

fn summary_for(title: &str, rule: &str, who: Option<&str>) -> String {
    let what = if rule.starts_with("state_complaint") {
        "Last day to file a state complaint".to_string()
    } else if rule.starts_with("due_process") {
        "Last day to file for due process".to_string()
    } else {
        format!("Due: {title}")
    };
    match who {
        Some(w) => format!("{w}: {what}"),
        None => what,
    }
}

/// The rule, its citation and what started the clock, in words; no names, no catalog numbers.
fn description(f: &Finding) -> String {
    let started = if f.rule.ends_with("_window") {
        format!(
            "About the possible issue {} (from {}).",
            f.trigger.title, f.trigger.date
        )
    } else {
        format!("The clock started on {}.", f.trigger.date)
    };
    format!(
        "{} ({}). {started} {} Made by casebinder from the case's documents: confirm the dates before relying on them.",
        f.title, f.citation, f.forum.why
    )
}

/// The calendar, byte for byte the same for the same deadlines.
fn ics(deadlines: &[Deadline], as_of: NaiveDate) -> String {
    let mut cal = Calendar::empty();
    cal.append_property(("VERSION", "2.0"));
    cal.append_property(("PRODID", "-//casebinder//IEP deadlines//EN"));
    cal.append_property(("CALSCALE", "GREGORIAN"));
    cal.append_property(("METHOD", "PUBLISH"));
    cal.name("IEP deadlines");
    // The stamp is the as-of day: two exports for the same day are the same file.
    let stamp = chrono::Utc.from_utc_datetime(&as_of.and_hms_opt(0, 0, 0).unwrap_or_default());
    for d in deadlines {
        cal.push(
            Event::new()
                .uid(&d.uid)
                .timestamp(stamp)
                .starts(d.due)
                .ends(d.due.succ_opt().unwrap_or(d.due))
                .summary(&d.summary)
                .description(&d.description)
                .add_property("TRANSP", "TRANSPARENT")
                .done(),
        );
    }
    cal.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_name_no_one() {
        assert_eq!(initials("Maya Rivera"), "M.R.");
        assert_eq!(initials("  josé  de la  Cruz "), "J.D.L.C.");
        assert_eq!(initials(""), "");
    }

    #[test]
    fn the_same_deadlines_give_the_same_file() {
        let d = |uid: &str, day: u32| Deadline {
            uid: uid.into(),
            due: NaiveDate::from_ymd_opt(2024, 11, day).unwrap(),
            summary: "M.R.: Due: IEP reviewed every year".into(),
            description: "IEP reviewed every year (34 CFR 300.324(b)(1)(i)).".into(),
            rule: "annual_review".into(),
            finding_title: "IEP reviewed every year".into(),
        };
        let as_of = NaiveDate::from_ymd_opt(2024, 5, 1).unwrap();
        let a = ics(&[d("a@casebinder", 6), d("b@casebinder", 7)], as_of);
        assert_eq!(a, ics(&[d("a@casebinder", 6), d("b@casebinder", 7)], as_of));
        assert!(a.contains("DTSTART;VALUE=DATE:20241106"), "{a}");
        assert!(a.contains("DTEND;VALUE=DATE:20241107"), "{a}");
        assert!(a.contains("DTSTAMP:20240501T000000Z"), "{a}");
        assert!(a.contains("UID:a@casebinder"), "{a}");
    }
}
