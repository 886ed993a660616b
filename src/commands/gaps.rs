//! `casebinder gaps`: what is missing each school year; `--letter` asks the district for it.

use std::io::Write;

use anyhow::Result;

use super::Ctx;
use crate::case::settings::CaseSettings;
use crate::case::story;
use crate::checks::gaps;
use crate::cli::GapsArgs;
use crate::output;
use crate::query::Query;

pub fn run(ctx: &Ctx, args: GapsArgs) -> Result<u8> {
    let case = ctx.case()?;
    let catalog = case.open_catalog()?;
    let settings = CaseSettings::load(&catalog)?;
    let as_of = args.as_of.unwrap_or_else(crate::clock::today);
    let story = story::story(&catalog, &Query::default())?;
    let (years, note) = story::missing(&story, &settings, as_of)?;
    let mut buf: Vec<u8> = Vec::new();
    if args.letter {
        let letter = gaps::letter(
            &years,
            &settings.student_or_blank(),
            &settings.district_or_blank(),
            as_of,
            note.as_deref(),
        );
        buf.extend(letter.into_bytes());
    } else if args.json {
        output::write_json(&mut buf, &years)?;
    } else if years.is_empty() {
        writeln!(
            buf,
            "casebinder needs at least one dated IEP or evaluation to know which school years to look at."
        )?;
    } else {
        // Printed to a file: whole lines; on the screen: fitted to it.
        let width = if args.out.is_some() { None } else { ctx.width };
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
                let line = format!(
                    "  {mark} {}{}{extra}",
                    e.what,
                    if docs.is_empty() {
                        String::new()
                    } else {
                        format!(" ({docs})")
                    }
                );
                writeln!(buf, "{}", output::wrap(&line, width, 8))?;
            }
            writeln!(buf)?;
        }
        let missing: usize = years
            .iter()
            .map(|y| y.expected.iter().filter(|e| e.missing).count())
            .sum();
        let footer = if ctx.quiet {
            format!("{missing} thing(s) missing.")
        } else {
            format!(
                "{missing} thing(s) missing. Ask for them: casebinder gaps --letter --out records-request.txt"
            )
        };
        writeln!(buf, "{}", output::wrap(&footer, width, 2))?;
    }
    super::deliver(
        ctx,
        &case,
        &catalog,
        args.out.as_deref(),
        args.force,
        &buf,
        |path| format!("Wrote {}", path.display()),
    )?;
    Ok(0)
}
