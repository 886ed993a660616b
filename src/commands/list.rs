//! `casebinder list`: the documents, as a table, JSON (the stable contract) or CSV.

use std::io::{IsTerminal, Write};

use anyhow::Result;

use super::Ctx;
use super::print;
use crate::catalog::DocRow;
use crate::cli::{ListArgs, ListSort};
use crate::output::{self, csv_line};
use crate::query;

pub fn run(ctx: &Ctx, args: ListArgs) -> Result<u8> {
    if args.all_cases {
        return run_all_cases(ctx, &args);
    }
    let case = ctx.case()?;
    let catalog = case.open_catalog()?;
    let q = query::parse(&args.query.join(" "))?;
    catalog.check_query_tags(&q)?;
    let mut rows = catalog.list(&q, args.missing)?;
    sort(&mut rows, args.sort);
    let mut out = output::stdout();
    if args.json {
        output::write_json(&mut out, &rows)?;
    } else if args.csv {
        write_csv(&mut out, &rows)?;
    } else if rows.is_empty() {
        if q.is_empty() && catalog.count_documents()? == 0 {
            writeln!(out, "The catalog is empty.")?;
            ctx.tip(&mut out, "Run `casebinder scan` to read the case folder.")?;
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

/// `list --all-cases`: the same query in every case on the desk, each case's rows under its
/// name (JSON: each row with its `case`). A tag unknown to one case is fine when another has it;
/// a case that cannot be read is said and the others go on.
fn run_all_cases(ctx: &Ctx, args: &ListArgs) -> Result<u8> {
    let q = query::parse(&args.query.join(" "))?;
    let mut out = output::stdout();
    let mut json_rows: Vec<serde_json::Value> = Vec::new();
    let mut tag_error = None;
    let mut any_tags_ok = false;
    let mut total = 0;
    for (root, catalog) in crate::desk::open_all()? {
        let catalog = match catalog {
            Ok(c) => c,
            Err(e) => {
                eprintln!("warning: not read: {}: {e}", root.display());
                continue;
            }
        };
        match catalog.check_query_tags(&q) {
            Ok(()) => any_tags_ok = true,
            Err(e) => {
                tag_error.get_or_insert(e);
                continue;
            }
        }
        let mut rows = catalog.list(&q, args.missing)?;
        sort(&mut rows, args.sort);
        total += rows.len();
        let case = root.to_string_lossy().to_string();
        if args.json || args.csv {
            for r in &rows {
                let mut v = serde_json::to_value(r)?;
                if let Some(o) = v.as_object_mut() {
                    o.insert("case".into(), serde_json::Value::String(case.clone()));
                }
                json_rows.push(v);
            }
            if args.csv {
                write_csv(&mut out, &rows)?;
            }
        } else if !rows.is_empty() {
            writeln!(out, "{case}")?;
            print::doc_table(&mut out, &rows, ctx.width)?;
        }
    }
    if !any_tags_ok && let Some(e) = tag_error {
        return Err(e);
    }
    if args.json {
        output::write_json(&mut out, &json_rows)?;
    } else if !args.csv && total == 0 {
        writeln!(out, "No documents match in any case on the desk.")?;
    }
    out.flush()?;
    Ok(0)
}

/// Puts the rows in the order asked for; ties keep the path order, then the id.
fn sort(rows: &mut [DocRow], by: ListSort) {
    let path = |a: &DocRow, b: &DocRow| natural(&a.path, &b.path).then(a.id.cmp(&b.id));
    // Undated last.
    let date = |a: &DocRow, b: &DocRow| {
        (a.date.is_none(), a.date.as_deref()).cmp(&(b.date.is_none(), b.date.as_deref()))
    };
    match by {
        ListSort::Date => rows.sort_by(|a, b| date(a, b).then_with(|| path(a, b))),
        ListSort::Kind => rows.sort_by(|a, b| {
            a.kind
                .cmp(&b.kind)
                .then_with(|| date(a, b))
                .then_with(|| path(a, b))
        }),
        ListSort::Path => rows.sort_by(path),
        ListSort::Added => rows.sort_by_key(|r| r.id),
    }
}

/// Compares paths as people read them: runs of digits by their value ("message #2" before
/// "message #10"), the rest by character.
pub fn natural(a: &str, b: &str) -> std::cmp::Ordering {
    let (mut x, mut y) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (x.peek().copied(), y.peek().copied()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return std::cmp::Ordering::Less,
            (Some(_), None) => return std::cmp::Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let take = |it: &mut std::iter::Peekable<std::str::Chars<'_>>| {
                    let mut n = String::new();
                    while let Some(c) = it.next_if(char::is_ascii_digit) {
                        n.push(c);
                    }
                    n
                };
                let (m, n) = (take(&mut x), take(&mut y));
                let (mt, nt) = (m.trim_start_matches('0'), n.trim_start_matches('0'));
                let o = mt.len().cmp(&nt.len()).then_with(|| mt.cmp(nt));
                if o != std::cmp::Ordering::Equal {
                    return o;
                }
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(&d);
                }
                x.next();
                y.next();
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use super::natural;

    #[test]
    fn numbers_in_paths_sort_by_value() {
        let mut v = vec![
            "All mail.mbox#10",
            "All mail.mbox#2",
            "All mail.mbox#1",
            "IEP 2021.pdf",
            "IEP 2021 (2).pdf",
        ];
        v.sort_by(|a, b| natural(a, b));
        assert_eq!(
            v,
            vec![
                "All mail.mbox#1",
                "All mail.mbox#2",
                "All mail.mbox#10",
                "IEP 2021 (2).pdf",
                "IEP 2021.pdf"
            ]
        );
    }
}
