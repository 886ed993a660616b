//! `casebinder event add|list|rm`: what happened without paper.

use std::io::Write;

use anyhow::Result;

use super::Ctx;
use crate::cli::{EventAddArgs, EventArgs, EventCommand};
use crate::error::user_error;
use crate::output;
use crate::query::normalize_tag;
use crate::timeline::{COUNTED_KINDS, UserEvent};

pub fn run(ctx: &Ctx, args: EventArgs) -> Result<u8> {
    let case = ctx.case()?;
    let mut catalog = case.open_catalog()?;
    let mut out = output::stdout();
    match args.command {
        EventCommand::Add(a) => {
            let id = add(ctx, &case, &mut catalog, &a)?;
            let kind = normalize_tag(&a.kind).replace('-', "_");
            if a.json {
                let made = catalog.user_events()?.into_iter().find(|e| e.id == id);
                output::write_json(&mut out, &made)?;
                out.flush()?;
                return Ok(0);
            }
            writeln!(out, "Added event {id}: {} · {kind} · {}", a.date, a.title)?;
            if COUNTED_KINDS.contains(&kind.as_str()) {
                ctx.tip(
                    &mut out,
                    "It is on the timeline (casebinder timeline) and counts in the checks (casebinder check).",
                )?;
            } else {
                // A warning: said even when quiet.
                writeln!(
                    out,
                    "{}The checks do not count a \"{kind}\" (they count {}).",
                    if ctx.quiet {
                        ""
                    } else {
                        "It is on the timeline (casebinder timeline). "
                    },
                    COUNTED_KINDS.join(", ")
                )?;
            }
        }
        EventCommand::List(a) => {
            let events = catalog.user_events()?;
            if a.json {
                output::write_json(&mut out, &events)?;
            } else if events.is_empty() {
                writeln!(out, "No events yet.")?;
                ctx.tip(
                    &mut out,
                    "Add one: casebinder event add --date YYYY-MM-DD --kind phone_call --title \"...\"",
                )?;
            } else {
                let rows = events
                    .iter()
                    .map(|e| {
                        vec![
                            e.id.to_string(),
                            e.date.to_string(),
                            e.kind.clone(),
                            format!("{}{}", e.title, if e.verbal { " (verbal)" } else { "" }),
                            e.documents
                                .iter()
                                .map(|d| d.to_string())
                                .collect::<Vec<_>>()
                                .join(", "),
                        ]
                    })
                    .collect();
                writeln!(
                    out,
                    "{}",
                    output::fit_table(
                        &["id", "date", "kind", "what happened", "documents"],
                        rows,
                        ctx.width,
                        output::Fit::Wrap,
                        &[3, 4]
                    )
                )?;
            }
        }
        EventCommand::Rm(a) => {
            if !catalog.remove_event(a.id)? {
                return Err(user_error(
                    format!("There is no event {}.", a.id),
                    "See the numbers with: casebinder event list",
                ));
            }
            writeln!(out, "Removed event {}.", a.id)?;
        }
    }
    out.flush()?;
    Ok(0)
}

fn add(
    ctx: &Ctx,
    case: &crate::case::Case,
    catalog: &mut crate::catalog::Catalog,
    a: &EventAddArgs,
) -> Result<i64> {
    let date = a.date;
    let kind = normalize_tag(&a.kind).replace('-', "_");
    if kind.is_empty() || a.title.trim().is_empty() {
        return Err(user_error(
            "An event needs a kind and a title.",
            "For example: --kind phone_call --title \"Asked about OT minutes\"",
        ));
    }
    // A near miss of a kind the checks count is a typo, not a new kind: it would count nowhere.
    if !COUNTED_KINDS.contains(&kind.as_str())
        && let Some(meant) = crate::error::did_you_mean(&kind, COUNTED_KINDS.iter().copied())
    {
        return Err(user_error(
            format!("\"{kind}\" is not an event kind the checks know. Did you mean \"{meant}\"?"),
            format!(
                "Kinds the checks count: {}. Any other word (phone_call, meeting) is kept on the timeline only.",
                COUNTED_KINDS.join(", ")
            ),
        ));
    }
    let mut shas = Vec::new();
    for d in &a.docs {
        let rel = ctx.case_relative(case, d);
        let id = catalog.resolve(d, rel.as_deref())?;
        shas.push(catalog.sha_of(id)?);
    }
    let event = UserEvent {
        id: 0,
        date,
        kind,
        title: a.title.trim().to_string(),
        note: a.note.clone(),
        tags: a
            .tags
            .iter()
            .map(|t| normalize_tag(t))
            .filter(|t| !t.is_empty())
            .collect(),
        verbal: a.verbal,
        documents: Vec::new(),
    };
    catalog.add_event(&event, &shas)
}
