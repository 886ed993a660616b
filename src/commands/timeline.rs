//! `casebinder timeline`: the story in order, as a table, JSON, CSV, Markdown or a web page.

use std::io::Write;

use anyhow::Result;

use super::Ctx;
use crate::case::settings::CaseSettings;
use crate::case::story::{self, CheckRequest};
use crate::cli::{TimelineArgs, TimelineFormat};
use crate::output::{self, csv_line, ellipsize};
use crate::query::{self, Query};
use crate::timeline::describe;

pub fn run(ctx: &Ctx, args: TimelineArgs) -> Result<u8> {
    let case = ctx.case()?;
    let catalog = case.open_catalog()?;
    let q = query::parse(&args.query.join(" "))?;
    catalog.check_query_tags(&q)?;
    let settings = CaseSettings::load(&catalog)?;
    // The timeline carries the deadlines' events: a state without rules is refused here too.
    settings.rules(None)?;
    let whole = story::story(&catalog, &q)?;
    // --as-of: the story as it stood that day.
    let story::Story { docs, events } = match args.as_of {
        Some(day) => whole.until(day),
        None => whole,
    };
    let mut buf: Vec<u8> = Vec::new();
    let format = if args.json {
        TimelineFormat::Json
    } else {
        args.format
    };
    match format {
        TimelineFormat::Table => {
            let rows = events
                .iter()
                .map(|e| {
                    vec![
                        e.date.to_string(),
                        describe(&e.kind),
                        format!(
                            "{}{}",
                            ellipsize(&e.title, 70),
                            if e.verbal { " (verbal)" } else { "" }
                        ),
                        e.documents
                            .iter()
                            .map(|d| d.to_string())
                            .collect::<Vec<_>>()
                            .join(","),
                        e.source.clone(),
                    ]
                })
                .collect();
            writeln!(
                buf,
                "{}",
                output::fit_table(
                    &["date", "event", "what", "documents", "from"],
                    rows,
                    ctx.width,
                    output::Fit::Shorten,
                    &[2, 1, 3]
                )
            )?;
        }
        TimelineFormat::Json => output::write_json(&mut buf, &events)?,
        TimelineFormat::Csv => {
            writeln!(buf, "date,event,title,documents,source,verbal,tags")?;
            for e in &events {
                let docs = e
                    .documents
                    .iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join(";");
                writeln!(
                    buf,
                    "{}",
                    csv_line(&[
                        e.date.to_string(),
                        e.kind.clone(),
                        e.title.clone(),
                        docs,
                        e.source.clone(),
                        e.verbal.to_string(),
                        e.tags.join(";")
                    ])
                )?;
            }
        }
        TimelineFormat::Md => {
            writeln!(buf, "| Date | Event | What | Documents |")?;
            writeln!(buf, "|---|---|---|---|")?;
            for e in &events {
                let docs = e
                    .documents
                    .iter()
                    .map(|d| format!("#{d}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let title = output::md_text(&e.title);
                writeln!(
                    buf,
                    "| {} | {} | {}{} | {} |",
                    e.date,
                    describe(&e.kind),
                    title,
                    if e.verbal { " *(verbal)*" } else { "" },
                    docs
                )?;
            }
        }
        TimelineFormat::Html => {
            // The findings shown beside the story are the whole case's, as `check` gives them.
            let whole = story::story(&catalog, &Query::default())?;
            let report = story::findings(
                &whole,
                &settings,
                &CheckRequest {
                    as_of: args.as_of,
                    ..CheckRequest::default()
                },
            )?;
            let name = settings.student.clone().unwrap_or_else(|| "the student".into());
            buf.extend(crate::output::html::timeline_page(&name, &events, &docs, &report).into_bytes());
        }
    }
    super::deliver(
        ctx,
        &case,
        &catalog,
        args.out.as_deref(),
        args.force,
        &buf,
        |path| {
            format!(
                "Wrote the timeline ({} events) to {}",
                events.len(),
                path.display()
            )
        },
    )?;
    Ok(0)
}
