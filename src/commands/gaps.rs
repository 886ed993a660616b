//! `casebinder gaps`: what is missing each school year; `--letter` asks the district for it.

use std::io::Write;

use anyhow::Result;

use super::Ctx;
use crate::checks::gaps;
use crate::cli::GapsArgs;
use crate::output;
use crate::query::Query;
use crate::timeline;

pub fn run(ctx: &Ctx, args: GapsArgs) -> Result<u8> {
    let case = ctx.case()?;
    let catalog = case.open_catalog()?;
    let as_of = super::check::date_or_today(args.as_of.as_deref(), "--as-of")?;
    let docs = catalog.timeline_docs(&Query::default())?;
    let events = timeline::build(&docs, &catalog.user_events()?);
    let years = gaps::gaps(&events, &docs, as_of);
    let mut buf: Vec<u8> = Vec::new();
    if args.letter {
        let settings = catalog.settings()?;
        let student = settings
            .get("name")
            .cloned()
            .unwrap_or_else(|| "[the student's name]".into());
        let district = settings
            .get("district")
            .map(|d| d.split(';').next().unwrap_or(d).trim().to_string())
            .unwrap_or_else(|| "[the school district]".into());
        let note = match settings.get("state").map(String::as_str) {
            Some("CA") => Some("California Education Code 56504 requires copies within 5 business days"),
            _ => None,
        };
        buf.extend(gaps::letter(&years, &student, &district, as_of, note).into_bytes());
    } else if args.json {
        output::write_json(&mut buf, &years)?;
    } else if years.is_empty() {
        writeln!(
            buf,
            "casebinder needs at least one dated IEP or evaluation to know which school years to look at."
        )?;
    } else {
        for y in &years {
            writeln!(buf, "School year {} ({} to {})", y.school_year, y.start, y.end)?;
            for e in &y.expected {
                let docs = e
                    .found
                    .iter()
                    .map(|d| format!("#{d}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let mark = if e.missing { "MISSING" } else { "have   " };
                let extra = if e.note.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", e.note)
                };
                writeln!(
                    buf,
                    "  {mark} {}{}{extra}",
                    e.what,
                    if docs.is_empty() {
                        String::new()
                    } else {
                        format!(" ({docs})")
                    }
                )?;
            }
            writeln!(buf)?;
        }
        let missing: usize = years
            .iter()
            .map(|y| y.expected.iter().filter(|e| e.missing).count())
            .sum();
        writeln!(
            buf,
            "{missing} thing(s) missing. Ask for them: casebinder gaps --letter --out records-request.txt"
        )?;
    }
    super::deliver(ctx, &case, &catalog, args.out.as_deref(), &buf, |path| {
        format!("Wrote {}", path.display())
    })?;
    Ok(0)
}
