//! `casebinder show DOC`: everything known about one document, and where each fact came from.

use std::io::Write;

use anyhow::Result;

use super::Ctx;
use crate::catalog::DocDetail;
use crate::classify::{Classification, kinds};
use crate::cli::ShowArgs;
use crate::output::{self, human_bytes};

pub fn run(ctx: &Ctx, args: ShowArgs) -> Result<u8> {
    let case = ctx.case()?;
    let catalog = case.open_catalog()?;
    let rel = ctx.case_relative(&case, &args.doc);
    let id = catalog.resolve(&args.doc, rel.as_deref())?;
    let d = catalog.detail(id, args.text)?;
    let mut out = output::stdout();
    if args.json {
        output::write_json(&mut out, &d)?;
    } else {
        print_detail(&mut out, &d, ctx)?;
    }
    out.flush()?;
    Ok(0)
}

fn field<W: Write>(out: &mut W, label: &str, value: &str) -> std::io::Result<()> {
    writeln!(out, "  {label:<12} {value}")
}

fn source(value: &Option<String>, src: &Option<String>) -> String {
    match (value, src) {
        (Some(v), Some(s)) if s == "user" => format!("{v}  (set by you)"),
        (Some(v), Some(s)) => format!("{v}  (from {s})"),
        (Some(v), None) => v.clone(),
        (None, _) => "not known yet".into(),
    }
}

fn print_detail<W: Write>(out: &mut W, d: &DocDetail, ctx: &Ctx) -> std::io::Result<()> {
    let width = ctx.width;
    let r = &d.row;
    writeln!(
        out,
        "Document {} · {}",
        r.id,
        if r.path.is_empty() {
            "(no file now)"
        } else {
            &r.path
        }
    )?;
    let status = match &d.reason {
        Some(reason) => format!("{} — {reason}", r.status),
        None => r.status.clone(),
    };
    field(out, "status", &status)?;
    field(out, "format", &d.format)?;
    field(out, "kind", &source(&r.kind, &r.kind_source))?;
    field(out, "date", &source(&r.date, &r.date_source))?;
    field(out, "title", r.title.as_deref().unwrap_or("-"))?;
    field(out, "author", r.author.as_deref().unwrap_or("-"))?;
    if let Some(p) = r.pages {
        field(out, "pages", &p.to_string())?;
    }
    field(out, "size", &human_bytes(d.size as u64))?;
    field(out, "sha256", &r.sha256)?;
    if !r.tags.is_empty() {
        field(out, "tags", &r.tags.join(", "))?;
    }
    if let Some(mid) = &r.message_id {
        field(out, "message-id", mid)?;
    }
    if let Some(dup) = r.duplicate_of {
        field(
            out,
            "duplicate",
            &format!("the same email as document {dup} (same Message-ID, other bytes)"),
        )?;
    }
    if !d.duplicates.is_empty() {
        let ids: Vec<String> = d.duplicates.iter().map(|i| i.to_string()).collect();
        let text = match ids.as_slice() {
            [one] => format!("document {one} is another copy of this email"),
            _ => format!("documents {} are other copies of this email", ids.join(", ")),
        };
        field(out, "copies", &text)?;
    }
    if d.excluded {
        field(out, "excluded", "yes (left out of binders)")?;
    }
    writeln!(out, "  locations")?;
    for l in &d.all_locations {
        let mut line = format!("    {}", l.locator);
        if let (Some(i), Some(off)) = (l.mbox_index, l.byte_offset) {
            line.push_str(&format!("   (message {i} of the mailbox, at byte {off})"));
        }
        if l.missing {
            line.push_str("   (file is gone)");
        }
        writeln!(out, "{line}")?;
    }
    if !r.parent_ids.is_empty() {
        let ids: Vec<String> = r.parent_ids.iter().map(|i| i.to_string()).collect();
        field(
            out,
            "attached to",
            &format!("email document(s) {}", ids.join(", ")),
        )?;
    }
    if !d.attachments.is_empty() {
        writeln!(out, "  attachments")?;
        for (id, loc) in &d.attachments {
            let name = loc.rsplit("::").next().unwrap_or(loc);
            writeln!(out, "    {id:>5}  {name}")?;
        }
    }
    if let Some(obj) = d.meta.as_object() {
        let facts: Vec<(&String, &serde_json::Value)> = obj.iter().filter(|(k, _)| *k != "email").collect();
        if !facts.is_empty() {
            writeln!(out, "  read from the file")?;
            for (k, v) in facts {
                let v = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
                writeln!(out, "    {k}: {v}")?;
            }
        }
        if let Some(email) = obj.get("email").and_then(|e| e.as_object()) {
            writeln!(out, "  email headers")?;
            for k in ["from", "to", "cc", "date_raw", "subject", "in_reply_to"] {
                if let Some(v) = email.get(k).and_then(|v| v.as_str()) {
                    writeln!(out, "    {}: {v}", if k == "date_raw" { "date" } else { k })?;
                }
            }
        }
    }
    if let Some(c) = &d.classification {
        print_evidence(out, d, c, width)?;
    }
    if !d.text_pages.is_empty() {
        for p in &d.text_pages {
            writeln!(out)?;
            writeln!(
                out,
                "--- page {}{} ---",
                p.page,
                if p.ocr { " (read by OCR)" } else { "" }
            )?;
            writeln!(out, "{}", p.text)?;
        }
    } else {
        if !ctx.quiet {
            writeln!(out)?;
            writeln!(out, "The text that was read: casebinder show {} --text", r.id)?;
        }
    }
    Ok(())
}

/// The roles a date can have, in plain words.
const ROLES: &[(&str, &str)] = &[
    (
        "document",
        "can be this document's own date; the scores of its supports add up",
    ),
    (
        "event",
        "a date of something that happens (a meeting proposed, testing, a review due), not this document's date",
    ),
    (
        "reference",
        "the date of another paper this one points at (\"the BIP dated …\", \"since …\", a list of records): never this document's date",
    ),
    (
        "revision",
        "the form's own revision date (\"Rev. 07/2019\"): dates a blank form or a booklet that has no other date, nothing else",
    ),
    (
        "excluded",
        "never a document date (a birth date, a print or fax banner, another date on the form)",
    ),
];

/// Why this kind and this date: the cues, the runner-up, and every date candidate.
fn print_evidence<W: Write>(
    out: &mut W,
    d: &DocDetail,
    c: &Classification,
    width: Option<usize>,
) -> std::io::Result<()> {
    writeln!(out)?;
    if d.row.kind_source.as_deref() == Some("user") {
        writeln!(out, "Why this kind: you set it (the rules said {}).", c.kind)?;
    } else {
        writeln!(
            out,
            "Why this kind: {} (confidence {:.0}%)",
            kinds::label(&c.kind),
            c.kind_confidence * 100.0
        )?;
        if c.cues.is_empty() {
            writeln!(out, "  no cue of any kind matched")?;
        }
        for cue in &c.cues {
            writeln!(
                out,
                "  + {:<9} \"{}\"  ({:+.0})",
                cue.place, cue.phrase, cue.weight
            )?;
        }
        if let Some((k, conf)) = &c.runner_up {
            writeln!(out, "  runner-up: {} ({:.0}%)", k, conf * 100.0)?;
        }
        if !c.kind_confidence_why.is_empty() {
            writeln!(out, "  how sure: {}", c.kind_confidence_why)?;
        }
    }
    writeln!(out)?;
    match (&d.row.date, d.row.date_source.as_deref()) {
        (_, Some("user")) => writeln!(out, "Why this date: you set it.")?,
        (Some(date), _) => writeln!(
            out,
            "Why this date: {date} ({}), confidence {:.0}%{}",
            c.date_why,
            c.date_confidence * 100.0,
            if d.row.date_ambiguous { ", AMBIGUOUS" } else { "" }
        )?,
        (None, _) => writeln!(out, "Undated: {}.", c.date_why)?,
    }
    if !c.candidates.is_empty() {
        let rows = c
            .candidates
            .iter()
            .map(|k| {
                let chosen = d.row.date.as_deref() == Some(k.date.as_str())
                    && d.row.date_source.as_deref() == Some(k.source.as_str());
                vec![
                    format!("{}{}", if chosen { "> " } else { "  " }, k.date),
                    if k.page > 0 {
                        k.page.to_string()
                    } else {
                        k.source.clone()
                    },
                    k.role.clone(),
                    if k.role == "document" {
                        format!("{:.2}", k.score)
                    } else {
                        "-".into()
                    },
                    output::ellipsize(&k.why, 70),
                    output::ellipsize(&k.snippet, 50),
                ]
            })
            .collect();
        writeln!(
            out,
            "{}",
            output::fit_table(
                &["date", "page", "role", "score", "why", "where"],
                rows,
                width,
                output::Fit::Wrap,
                &[4, 5]
            )
        )?;
        // What each role means, for the roles this document has.
        let has = |role: &str| c.candidates.iter().any(|k| k.role == role);
        for (role, meaning) in ROLES {
            if has(role) {
                writeln!(out, "  {role:<9} {meaning}")?;
            }
        }
        if c.candidates
            .iter()
            .any(|k| k.why.contains("beside it in the form's table"))
        {
            writeln!(
                out,
                "  table     a label and its value sat in different cells of a table (or a caption above its box): read together"
            )?;
        }
    }
    if !c.tag_cues.is_empty() {
        let tags: Vec<String> = c.tag_cues.iter().map(|(t, why)| format!("{t} ({why})")).collect();
        writeln!(out, "Tags from rules: {}", tags.join(", "))?;
    }
    Ok(())
}
