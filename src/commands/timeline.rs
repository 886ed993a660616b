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
            // The deadlines and gaps shown are the whole case's, as `check` and `gaps` give them.
            let whole = story::story(&catalog, &Query::default())?;
            let report = story::findings(
                &whole,
                &settings,
                &CheckRequest {
                    as_of: args.as_of,
                    ..CheckRequest::default()
                },
            )?;
            let (gaps, _) = story::missing(&whole, &settings, report.as_of)?;
            let picture = crate::picture::build(
                &events,
                &docs,
                &report,
                &gaps,
                &catalog.exhibit_labels()?,
                &catalog.document_hashes()?,
            );
            let base = link_base(
                &case.root,
                args.out.as_deref().map(|p| crate::case::absolute(p, &ctx.cwd)),
            );
            buf.extend(
                crate::output::html::timeline_page(settings.student.as_deref(), &picture, &report, &base)
                    .into_bytes(),
            );
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

/// The way from the folder a page is saved in to the case folder ("", "../", "../../"), for
/// the page's links to the documents; a page printed to the screen is taken to be saved in the
/// case folder. A page saved outside the case folder links by the case folder's full path.
fn link_base(root: &std::path::Path, out: Option<std::path::PathBuf>) -> String {
    let Some(dir) = out.as_deref().and_then(std::path::Path::parent) else {
        return String::new();
    };
    match dir.strip_prefix(root) {
        Ok(rel) => "../".repeat(rel.components().count()),
        Err(_) => format!("{}/", root.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    #[test]
    fn links_lead_from_the_page_back_to_the_case_folder() {
        let root = Path::new("/home/a/case");
        assert_eq!(link_base(root, None), "");
        assert_eq!(link_base(root, Some(PathBuf::from("/home/a/case/t.html"))), "");
        assert_eq!(
            link_base(root, Some(PathBuf::from("/home/a/case/out/x/t.html"))),
            "../../"
        );
        assert_eq!(
            link_base(root, Some(PathBuf::from("/tmp/t.html"))),
            "/home/a/case/"
        );
    }
}
