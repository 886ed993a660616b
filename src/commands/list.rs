//! `casebinder list`: the documents, as a table, JSON (the stable contract) or CSV.

use std::io::{IsTerminal, Write};

use anyhow::Result;

use super::Ctx;
use super::print;
use crate::catalog::DocRow;
use crate::cli::ListArgs;
use crate::output::{self, csv_line};
use crate::query;

pub fn run(ctx: &Ctx, args: ListArgs) -> Result<u8> {
    let case = ctx.case()?;
    let catalog = case.open_catalog()?;
    let q = query::parse(&args.query.join(" "))?;
    catalog.check_query_tags(&q)?;
    let rows = catalog.list(&q, args.missing)?;
    let mut out = output::stdout();
    if args.json {
        output::write_json(&mut out, &rows)?;
    } else if args.csv {
        write_csv(&mut out, &rows)?;
    } else if rows.is_empty() {
        if q.is_empty() && catalog.count_documents()? == 0 {
            writeln!(
                out,
                "The catalog is empty. Run `casebinder scan` to read the case folder."
            )?;
        } else {
            writeln!(out, "No documents match.")?;
        }
    } else {
        print::doc_table(&mut out, &rows, ctx.width)?;
        if std::io::stdout().is_terminal() && !ctx.quiet {
            writeln!(
                out,
                "{} document(s). Details of one: casebinder show ID",
                rows.len()
            )?;
        }
    }
    out.flush()?;
    Ok(0)
}

pub const CSV_HEADER: [&str; 16] = [
    "id",
    "path",
    "locations",
    "message_id",
    "parent_ids",
    "sha256",
    "kind",
    "kind_source",
    "date",
    "date_source",
    "title",
    "author",
    "pages",
    "status",
    "tags",
    "duplicate_of",
];

fn write_csv<W: Write>(out: &mut W, rows: &[DocRow]) -> std::io::Result<()> {
    writeln!(out, "{}", CSV_HEADER.join(","))?;
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    for r in rows {
        let fields = vec![
            r.id.to_string(),
            r.path.clone(),
            r.locations.join("; "),
            opt(&r.message_id),
            r.parent_ids
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(";"),
            r.sha256.clone(),
            opt(&r.kind),
            opt(&r.kind_source),
            opt(&r.date),
            opt(&r.date_source),
            opt(&r.title),
            opt(&r.author),
            r.pages.map(|p| p.to_string()).unwrap_or_default(),
            r.status.clone(),
            r.tags.join(";"),
            r.duplicate_of.map(|d| d.to_string()).unwrap_or_default(),
        ];
        writeln!(out, "{}", csv_line(&fields))?;
    }
    Ok(())
}
