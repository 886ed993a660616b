//! `casebinder search TEXT`: full-text search with snippets, best match first.

use std::io::Write;

use anyhow::Result;

use super::Ctx;
use crate::cli::SearchArgs;
use crate::output::{self, ellipsize};

pub fn run(ctx: &Ctx, args: SearchArgs) -> Result<u8> {
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
