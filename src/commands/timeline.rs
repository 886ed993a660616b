//! `casebinder timeline`: the story in order, as a table, JSON, CSV, Markdown or a web page.

use std::io::Write;

use anyhow::Result;

use super::Ctx;
use crate::cli::{TimelineArgs, TimelineFormat};
use crate::output::{self, csv_line, ellipsize};
use crate::query::{self, Field, Query};
use crate::timeline::{self, Event, describe};

/// User events follow the query when it filters only by date, tag or kind.
fn keep_user_event(e: &Event, q: &Query) -> bool {
    q.clauses.iter().all(|c| {
        let hit = match c.field {
            Field::Date => c.dates.iter().any(|d| match d {
                query::DateFilter::Undated => false,
                query::DateFilter::Range(a, b) => {
                    a.is_none_or(|a| e.date >= a) && b.is_none_or(|b| e.date <= b)
                }
            }),
            Field::Tag => c.values.iter().any(|v| e.tags.contains(v)),
            Field::Kind => c.values.contains(&e.kind),
            _ => false,
        };
        hit != c.negate
    }) && q
        .text
        .iter()
        .all(|w| e.title.to_lowercase().contains(&w.to_lowercase()))
}

pub fn run(ctx: &Ctx, args: TimelineArgs) -> Result<u8> {
    let case = ctx.case()?;
    let catalog = case.open_catalog()?;
    let q = query::parse(&args.query.join(" "))?;
    let docs = catalog.timeline_docs(&q)?;
    let users: Vec<_> = catalog.user_events()?;
    let mut events = timeline::build(&docs, &users);
    events.retain(|e| e.source != "user" || keep_user_event(e, &q));
    let mut buf: Vec<u8> = Vec::new();
    match args.format {
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
                output::table(&["date", "event", "what", "documents", "from"], rows)
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
                let title = e.title.replace('|', "\\\\|");
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
            let as_of = super::check::date_or_today(args.as_of.as_deref(), "--as-of")?;
            let report = super::check::report(&catalog, None, as_of, 30, None)?;
            let name = catalog.setting("name")?.unwrap_or_else(|| "the student".into());
            buf.extend(crate::output::html::timeline_page(&name, &events, &docs, &report).into_bytes());
        }
    }
    super::deliver(ctx, &case, &catalog, args.out.as_deref(), &buf, |path| {
        format!(
            "Wrote the timeline ({} events) to {}",
            events.len(),
            path.display()
        )
    })?;
    Ok(0)
}
