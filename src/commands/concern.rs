//! `casebinder concern add|list|edit|rm`: what the family disagrees with. A missed deadline is
//! found in the papers; a disagreement about services or placement is not, so the family says
//! it, with what it asks for and what it could accept, for `check` to name its forum and for the
//! family's own papers.

use std::io::Write;

use anyhow::Result;

use super::Ctx;
use crate::catalog::{CONCERN_KINDS, Catalog, ConcernEdit, ConcernRecord};
use crate::cli::{ConcernArgs, ConcernCommand};
use crate::error::user_error;
use crate::output;

pub fn run(ctx: &Ctx, args: ConcernArgs) -> Result<u8> {
    let case = ctx.case()?;
    let mut catalog = case.open_catalog()?;
    let mut out = output::stdout();
    match args.command {
        ConcernCommand::Add(a) => {
            let title = a.title.trim().to_string();
            if title.is_empty() {
                return Err(user_error(
                    "A concern needs a title.",
                    "For example: casebinder concern add \"Speech therapy\" --kind service",
                ));
            }
            let record = ConcernRecord {
                title,
                kind: kind(&a.kind)?,
                now: given(a.now.as_deref()),
                ask: given(a.ask.as_deref()),
                could_accept: given(a.could_accept.as_deref()),
                documents: shas(ctx, &case, &catalog, &a.docs)?,
            };
            let id = catalog.add_concern(&record)?;
            if a.json {
                let made = catalog.concerns()?.into_iter().find(|c| c.id == id);
                output::write_json(&mut out, &made)?;
                out.flush()?;
                return Ok(0);
            }
            writeln!(out, "Added concern {id}: {} · {}", record.title, record.kind)?;
            ctx.tip(
                &mut out,
                "casebinder check now names the path that fits it (mediation, an IEP meeting or a state complaint).",
            )?;
        }
        ConcernCommand::List(a) => {
            let concerns = catalog.concerns()?;
            if a.json {
                output::write_json(&mut out, &concerns)?;
            } else if concerns.is_empty() {
                writeln!(out, "No concerns yet.")?;
                ctx.tip(
                    &mut out,
                    "Add one: casebinder concern add \"Speech therapy\" --kind service --now \"30 min/week\" --ask \"60 min/week\"",
                )?;
            } else {
                let rows = concerns
                    .iter()
                    .map(|c| {
                        vec![
                            c.id.to_string(),
                            c.kind.clone(),
                            c.title.clone(),
                            c.now.clone().unwrap_or_default(),
                            c.ask.clone().unwrap_or_default(),
                            c.could_accept.clone().unwrap_or_default(),
                            c.documents
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
                        &[
                            "id",
                            "kind",
                            "concern",
                            "now",
                            "asks",
                            "could accept",
                            "documents"
                        ],
                        rows,
                        ctx.width,
                        output::Fit::Wrap,
                        &[2, 3, 4, 5]
                    )
                )?;
            }
        }
        ConcernCommand::Edit(a) => {
            let edit = ConcernEdit {
                title: match a.title.as_deref().map(str::trim) {
                    Some("") => {
                        return Err(user_error(
                            "A concern needs a title; it cannot be cleared.",
                            "Give a new one, or remove the concern: casebinder concern rm N",
                        ));
                    }
                    t => t.map(str::to_string),
                },
                kind: a.kind.as_deref().map(kind).transpose()?,
                now: a.now.as_deref().map(|v| given(Some(v))),
                ask: a.ask.as_deref().map(|v| given(Some(v))),
                could_accept: a.could_accept.as_deref().map(|v| given(Some(v))),
                documents: a
                    .docs
                    .as_ref()
                    .map(|d| shas(ctx, &case, &catalog, d))
                    .transpose()?,
            };
            if !catalog.edit_concern(a.id, &edit)? {
                return Err(no_such(a.id));
            }
            writeln!(out, "Changed concern {}.", a.id)?;
        }
        ConcernCommand::Rm(a) => {
            if !catalog.remove_concern(a.id)? {
                return Err(no_such(a.id));
            }
            writeln!(out, "Removed concern {}.", a.id)?;
        }
    }
    out.flush()?;
    Ok(0)
}

fn no_such(id: i64) -> anyhow::Error {
    user_error(
        format!("There is no concern {id}."),
        "See the numbers with: casebinder concern list",
    )
}

/// A value given, or None for an empty one ("" clears a field).
fn given(v: Option<&str>) -> Option<String> {
    v.map(str::trim).filter(|v| !v.is_empty()).map(str::to_string)
}

/// A kind of concern, refused with "did you mean" when it is not one.
fn kind(given: &str) -> Result<String> {
    let k = given.trim().to_lowercase().replace(['-', ' '], "_");
    // The common other words for the same kinds.
    let k = match k.as_str() {
        "services" | "related_service" | "related_services" | "therapy" => "service".to_string(),
        "lre" | "school" => "placement".to_string(),
        "eval" | "evaluations" | "assessment" => "evaluation".to_string(),
        "behaviour" | "discipline" => "behavior".to_string(),
        "not_implemented" | "implement" => "implementation".to_string(),
        _ => k,
    };
    if CONCERN_KINDS.contains(&k.as_str()) {
        return Ok(k);
    }
    let meant = crate::error::did_you_mean(&k, CONCERN_KINDS.iter().copied())
        .map(|m| format!(" Did you mean \"{m}\"?"))
        .unwrap_or_default();
    Err(user_error(
        format!("\"{given}\" is not a kind of concern.{meant}"),
        format!("Kinds: {}.", CONCERN_KINDS.join(", ")),
    ))
}

/// The documents named (numbers or paths), by content.
fn shas(ctx: &Ctx, case: &crate::case::Case, catalog: &Catalog, docs: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for d in docs.iter().map(|d| d.trim()).filter(|d| !d.is_empty()) {
        let rel = ctx.case_relative(case, d);
        let id = catalog.resolve(d, rel.as_deref())?;
        let sha = catalog.sha_of(id)?;
        if !out.contains(&sha) {
            out.push(sha);
        }
    }
    Ok(out)
}
