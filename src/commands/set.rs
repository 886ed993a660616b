//! `casebinder set` and `casebinder tag`: what the user says about a document, kept by content.

use std::io::Write;

use anyhow::Result;

use super::Ctx;
use crate::catalog::Correction;
use crate::classify::kinds::KINDS;
use crate::cli::{SetArgs, TagArgs};
use crate::error::user_error;
use crate::output;
use crate::query::normalize_tag;

pub fn run_set(ctx: &Ctx, args: SetArgs) -> Result<u8> {
    let case = ctx.case()?;
    let catalog = case.open_catalog()?;
    let rel = ctx.case_relative(&case, &args.doc);
    let id = catalog.resolve(&args.doc, rel.as_deref())?;
    let sha = catalog.sha_of(id)?;
    let auto = |v: &str| v.eq_ignore_ascii_case("auto");
    let mut changes = Vec::new();
    if let Some(kind) = &args.kind {
        let k = crate::classify::kinds::kind_named(kind)
            .map_or_else(|| kind.to_ascii_lowercase(), str::to_string);
        if auto(&k) {
            catalog.correct(&sha, Correction::Kind, None)?;
            changes.push("kind: back to what casebinder found".to_string());
        } else if KINDS.contains(&k.as_str()) {
            catalog.correct(&sha, Correction::Kind, Some(&k))?;
            changes.push(format!("kind: {k}"));
        } else {
            return Err(user_error(
                format!(
                    "\"{kind}\" is not a kind casebinder knows.{}",
                    crate::error::suggestion(&k, KINDS.iter().copied())
                ),
                format!("Use one of: {}.", KINDS.join(", ")),
            ));
        }
    }
    if let Some(date) = &args.date {
        if auto(date) {
            catalog.correct(&sha, Correction::Date, None)?;
            changes.push("date: back to what casebinder found".to_string());
        } else if date.eq_ignore_ascii_case("none") {
            catalog.correct(&sha, Correction::Date, Some("none"))?;
            changes.push("date: none (this document has no date)".to_string());
        } else {
            let d = crate::day::parse(date).map_err(|_| {
                user_error(
                    format!("\"{date}\" is not a date casebinder can read."),
                    "Write it as YYYY-MM-DD (2023-10-03), or none, or auto.",
                )
            })?;
            let today = crate::clock::today();
            if d > today {
                return Err(user_error(
                    format!("{d} is after today ({today}): a paper cannot be dated in the future."),
                    "Check the year and set it again: casebinder set DOC --date YYYY-MM-DD",
                ));
            }
            let d = d.format("%Y-%m-%d").to_string();
            catalog.correct(&sha, Correction::Date, Some(&d))?;
            changes.push(format!("date: {d}"));
        }
    }
    for (value, field, name) in [
        (&args.title, Correction::Title, "title"),
        (&args.author, Correction::Author, "author"),
    ] {
        if let Some(v) = value {
            if auto(v) {
                catalog.correct(&sha, field, None)?;
                changes.push(format!("{name}: back to what casebinder found"));
            } else {
                catalog.correct(&sha, field, Some(v.trim()))?;
                changes.push(format!("{name}: {}", v.trim()));
            }
        }
    }
    // Named by the path of one copy of a document kept in several places: that copy.
    let named = {
        let locations = catalog.detail(id, false)?.row.locations;
        let typed = [rel.as_deref(), Some(args.doc.as_str())];
        let at = locations
            .iter()
            .find(|l| typed.contains(&Some(l.as_str())))
            .cloned();
        at.map(|at| (at, locations))
    };
    if args.exclude && !args.document {
        if let Some((at, locations)) = named.as_ref().filter(|(_, l)| l.len() > 1) {
            let left_out = catalog.excluded_locations()?;
            let others: Vec<&String> = locations
                .iter()
                .filter(|l| *l != at && !left_out.contains(*l))
                .collect();
            if others.is_empty() {
                return Err(user_error(
                    format!(
                        "{at} is the last copy of this document not left out yet: leaving it out would leave the document out of binders."
                    ),
                    format!("If that is what you mean: casebinder set \"{at}\" --exclude --document"),
                ));
            }
            catalog.exclude_location(at, true)?;
            changes.push(format!(
                "this copy ({at}) left out of binders; the same document stays in them from {} (to leave it out everywhere: casebinder set \"{at}\" --exclude --document)",
                others.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
            ));
        } else {
            catalog.correct(&sha, Correction::Excluded, Some("1"))?;
            changes.push("left out of binders".into());
        }
    } else if args.exclude {
        catalog.correct(&sha, Correction::Excluded, Some("1"))?;
        changes.push("left out of binders, wherever it is kept".into());
    }
    if let Some(deg) = args.rotate {
        if deg == 0 {
            catalog.correct(&sha, Correction::Rotate, None)?;
            changes.push("pages printed as they are".into());
        } else {
            catalog.correct(&sha, Correction::Rotate, Some(&deg.to_string()))?;
            changes.push(format!("pages turned {deg}° clockwise in binders"));
        }
    }
    if args.include {
        catalog.correct(&sha, Correction::Excluded, None)?;
        if let Some((at, _)) = &named {
            catalog.exclude_location(at, false)?;
        }
        changes.push("included in binders again".into());
    }
    let mut out = output::stdout();
    if changes.is_empty() {
        writeln!(
            out,
            "Nothing to change. Say what to set, e.g. casebinder set {id} --kind evaluation --date 2023-06-20"
        )?;
    } else {
        writeln!(out, "Document {id}: {}.", changes.join("; "))?;
        ctx.tip(
            &mut out,
            &format!(
                "Kept by content: it survives renames, moves and new scans. Check it: casebinder show {id}"
            ),
        )?;
    }
    out.flush()?;
    Ok(0)
}

pub fn run_tag(ctx: &Ctx, args: TagArgs) -> Result<u8> {
    let case = ctx.case()?;
    let catalog = case.open_catalog()?;
    let mut ops: Vec<(String, bool)> = Vec::new();
    let mut ids: Vec<i64> = Vec::new();
    for item in &args.items {
        if let Some(t) = item.strip_prefix('+') {
            ops.push((normalize_tag(t), true));
        } else if let Some(t) = item.strip_prefix('-').filter(|t| !t.is_empty()) {
            ops.push((normalize_tag(t), false));
        } else {
            let rel = ctx.case_relative(&case, item);
            match catalog.resolve(item, rel.as_deref()) {
                Ok(id) => ids.push(id),
                // A word that names no document was meant as a tag.
                Err(_) if !item.contains(['/', '.']) && item.parse::<i64>().is_err() => {
                    return Err(user_error(
                        format!("\"{item}\" is not a document, and a tag needs + or - before it."),
                        format!(
                            "To add it: casebinder tag DOC +{t}   To remove it: casebinder tag DOC -{t}",
                            t = normalize_tag(item)
                        ),
                    ));
                }
                Err(e) => return Err(e),
            }
        }
    }
    ops.retain(|(t, _)| !t.is_empty());
    // Removing a tag none of the documents has: a near miss of a tag in the case is a typo
    // (refused, with the tag meant); any other is said in words, and nothing is removed for it.
    let mut not_there: Vec<String> = Vec::new();
    for (tag, add) in &ops {
        if *add {
            continue;
        }
        let mut theirs = false;
        for &id in &ids {
            theirs |= catalog.detail(id, false)?.row.tags.iter().any(|t| t == tag);
        }
        if theirs {
            continue;
        }
        let mut in_case: Vec<String> = catalog
            .list(&crate::query::Query::default(), false)?
            .into_iter()
            .flat_map(|r| r.tags)
            .collect();
        in_case.sort();
        in_case.dedup();
        if !in_case.contains(tag)
            && let Some(meant) = crate::error::did_you_mean(tag, in_case.iter().map(String::as_str))
        {
            return Err(user_error(
                format!("No document has the tag \"{tag}\". Did you mean \"{meant}\"?"),
                format!("To remove it: casebinder tag DOC -{meant}"),
            ));
        }
        not_there.push(tag.clone());
    }
    for &id in &ids {
        let sha = catalog.sha_of(id)?;
        for (tag, add) in &ops {
            catalog.set_tag(&sha, tag, *add)?;
        }
    }
    let mut out = output::stdout();
    let said: Vec<String> = ops
        .iter()
        .map(|(t, add)| format!("{}{t}", if *add { "+" } else { "-" }))
        .collect();
    let docs: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
    writeln!(out, "Tagged document(s) {}: {}.", docs.join(", "), said.join(" "))?;
    for tag in &not_there {
        writeln!(
            out,
            "None of them had the tag \"{tag}\": nothing was removed for it."
        )?;
    }
    out.flush()?;
    Ok(0)
}
