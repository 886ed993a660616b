//! `casebinder search TEXT`: full-text search with snippets, best match first.

use std::io::Write;

use anyhow::Result;

use super::Ctx;
use crate::cli::SearchArgs;
use crate::output::{self, ellipsize};

pub fn run(ctx: &Ctx, args: SearchArgs) -> Result<u8> {
    if args.all_cases {
        return run_all_cases(ctx, &args);
    }
    let case = ctx.case()?;
    let catalog = case.open_catalog()?;
    let query = crate::query::parse(&args.text.join(" "))?;
    catalog.check_query_tags(&query)?;
    let hits = catalog.search(&query, args.limit)?;
    let mut out = output::stdout();
    if args.json {
        output::write_json(&mut out, &hits)?;
    } else if hits.is_empty() {
        writeln!(out, "Nothing found for {}.", args.text.join(" "))?;
        writeln!(
            out,
            "Try fewer or other words; scanned pictures need OCR before their words can be found."
        )?;
    } else {
        for h in &hits {
            let page = h.page.map(|p| format!(", page {p}")).unwrap_or_default();
            let date = h.date.as_deref().map(|d| format!("{d}  ")).unwrap_or_default();
            let head = format!("{:>5}  {date}{}{page}", h.id, ellipsize(&h.path, 80));
            writeln!(out, "{}", output::wrap(&head, ctx.width, 7))?;
            let snippet = format!("       {}", ellipsize(&h.snippet, 160));
            writeln!(out, "{}", output::wrap(&snippet, ctx.width, 0))?;
        }
    }
    out.flush()?;
    Ok(0)
}

/// `search --all-cases`: every case on the desk searched in turn, each case's hits (best first)
/// under its path; JSON: each hit with its `case`. The same wording sent to several families is
/// what an advocate looks for.
fn run_all_cases(ctx: &Ctx, args: &SearchArgs) -> Result<u8> {
    let query = crate::query::parse(&args.text.join(" "))?;
    let mut out = output::stdout();
    let mut json_hits: Vec<serde_json::Value> = Vec::new();
    let mut found = 0;
    for (root, catalog) in crate::desk::open_all()? {
        let catalog = match catalog {
            Ok(c) => c,
            Err(e) => {
                eprintln!("warning: not read: {}: {e}", root.display());
                continue;
            }
        };
        if catalog.check_query_tags(&query).is_err() {
            continue; // a tag this case does not use: nothing of it matches
        }
        let hits = catalog.search(&query, args.limit)?;
        found += hits.len();
        let case = root.to_string_lossy().to_string();
        if args.json {
            for h in &hits {
                let mut v = serde_json::to_value(h)?;
                if let Some(o) = v.as_object_mut() {
                    o.insert("case".into(), serde_json::Value::String(case.clone()));
                }
                json_hits.push(v);
            }
        } else if !hits.is_empty() {
            writeln!(out, "{case}")?;
            for h in &hits {
                let date = h.date.as_deref().map(|d| format!("{d}  ")).unwrap_or_default();
                let head = format!("{:>5}  {date}{}", h.id, ellipsize(&h.path, 80));
                writeln!(out, "{}", output::wrap(&head, ctx.width, 7))?;
                writeln!(
                    out,
                    "{}",
                    output::wrap(&format!("       {}", ellipsize(&h.snippet, 160)), ctx.width, 0)
                )?;
            }
        }
    }
    if args.json {
        output::write_json(&mut out, &json_hits)?;
    } else if found == 0 {
        writeln!(
            out,
            "Nothing found for {} in any case on the desk.",
            args.text.join(" ")
        )?;
    }
    out.flush()?;
    Ok(0)
}
