//! `casebinder cases` and `casebinder desk`: the cases an advocate keeps, and every missed and
//! open deadline across them. Each case is read as it is (never scanned or migrated here); a
//! case that cannot be read is listed with its reason and the others still print.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use serde::Serialize;

use super::Ctx;
use crate::cli::{CasesArgs, CasesCommand, DeskArgs};
use crate::desk::{self, CaseView, Registry, Standing};
use crate::error::user_error;
use crate::output;

/// What `cases list` and `desk` say when no case was added yet.
const EMPTY_DESK: &str = "No case on the desk yet. Add them: casebinder cases add DIR… (or --under DIR)";

pub fn run_cases(ctx: &Ctx, args: CasesArgs) -> Result<u8> {
    let mut out = output::stdout();
    match args.command {
        CasesCommand::Add(a) => {
            let mut reg = Registry::load()?;
            let mut dirs: Vec<PathBuf> = a
                .dirs
                .iter()
                .map(|d| crate::case::absolute(d, &ctx.cwd))
                .collect();
            if let Some(under) = &a.under {
                let under = crate::case::absolute(under, &ctx.cwd);
                if !under.is_dir() {
                    return Err(user_error(
                        format!("{} is not a folder", under.display()),
                        "Give the folder that holds the families' case folders.",
                    ));
                }
                let found = desk::cases_under(&under);
                if found.is_empty() {
                    return Err(user_error(
                        format!("No case folder under {}", under.display()),
                        "A case folder is one made with casebinder init (it holds a .casebinder folder).",
                    ));
                }
                dirs.extend(found);
            }
            if dirs.is_empty() {
                return Err(user_error(
                    "No folder given",
                    "Name the case folders (casebinder cases add ~/Families/lee), or --under a folder that holds them.",
                ));
            }
            if a.label.is_some() && (dirs.len() > 1 || a.under.is_some()) {
                return Err(user_error(
                    "A label names one case",
                    "Add the case with its label one at a time: casebinder cases add DIR --label \"J.L.\"",
                ));
            }
            let mut added = 0;
            for d in dirs {
                let d = std::fs::canonicalize(&d).unwrap_or(d);
                if !crate::case::Case::at(d.clone()).catalog_path().is_file() {
                    return Err(user_error(
                        format!("{} is not a case folder (no catalog)", d.display()),
                        "Make it a case first: casebinder init and casebinder scan in that folder.",
                    ));
                }
                let new = reg.add(d.clone());
                if let Some(l) = &a.label {
                    reg.set_label(&d, Some(l));
                }
                let named = reg.label(&d).map(|l| format!("\"{l}\""));
                if new {
                    added += 1;
                    let named = named.map(|n| format!(" as {n}")).unwrap_or_default();
                    writeln!(out, "Added {}{named}", d.display())?;
                } else if a.label.is_some() {
                    writeln!(
                        out,
                        "Already on the desk: {}; {}",
                        d.display(),
                        match named {
                            Some(n) => format!("now labelled {n}"),
                            None => "its label is cleared".to_string(),
                        }
                    )?;
                } else {
                    writeln!(out, "Already on the desk: {}", d.display())?;
                }
            }
            reg.save()?;
            writeln!(out, "{added} case(s) added; {} on the desk.", reg.cases.len())?;
            ctx.tip(
                &mut out,
                "See them: casebinder cases list; every deadline: casebinder desk",
            )?;
        }
        CasesCommand::Rm(a) => {
            let mut reg = Registry::load()?;
            for d in &a.dirs {
                let abs = crate::case::absolute(d, &ctx.cwd);
                let canon = std::fs::canonicalize(&abs).unwrap_or_else(|_| abs.clone());
                if reg.remove(&canon) || reg.remove(&abs) {
                    writeln!(
                        out,
                        "Removed {} from the desk (the folder is untouched)",
                        abs.display()
                    )?;
                } else {
                    let known: Vec<String> = reg.cases.iter().map(|c| c.display().to_string()).collect();
                    return Err(user_error(
                        format!("{} is not on the desk", abs.display()),
                        format!(
                            "The cases on the desk: {}",
                            if known.is_empty() {
                                "none".into()
                            } else {
                                known.join(", ")
                            }
                        ),
                    ));
                }
            }
            reg.save()?;
        }
        CasesCommand::Scan(_) => {
            let reg = Registry::load()?;
            let bar = output::progress(reg.cases.len() as u64, "Scanning the cases");
            let mut failed = 0;
            let mut lines = Vec::new();
            for root in &reg.cases {
                bar.inc(1);
                let case = crate::case::Case::at(root.clone());
                let scanned = case.open_catalog().and_then(|mut catalog| {
                    crate::scan::scan(&case, &mut catalog, &crate::scan::ScanOptions::default())
                });
                match scanned {
                    Ok(s) => lines.push(format!(
                        "{}: {} new, {} changed, {} gone, {} unreadable; {} documents",
                        root.display(),
                        s.new,
                        s.changed,
                        s.missing,
                        s.failed,
                        s.documents
                    )),
                    Err(e) => {
                        failed += 1;
                        lines.push(format!("{}: not scanned: {e}", root.display()));
                    }
                }
            }
            bar.finish_and_clear();
            for l in lines {
                writeln!(out, "{}", output::wrap(&l, ctx.width, 2))?;
            }
            writeln!(
                out,
                "{} case(s) scanned, {failed} could not be.",
                reg.cases.len() - failed
            )?;
            out.flush()?;
            return Ok(u8::from(failed > 0) * 2);
        }
        CasesCommand::List(a) => {
            let reg = Registry::load()?;
            let as_of = a.as_of.unwrap_or_else(crate::clock::today);
            let standings = read_all(&reg, as_of, None, Some(a.files));
            let mut buf = Vec::new();
            if a.json {
                let items: Vec<CaseJson> = standings.iter().map(CaseJson::of).collect();
                output::write_json(&mut buf, &items)?;
            } else if reg.cases.is_empty() {
                writeln!(buf, "{EMPTY_DESK}")?;
            } else {
                let rows = standings
                    .iter()
                    .filter_map(|s| match s {
                        Standing::Read(v) => Some(vec![
                            label(v),
                            v.state.clone().unwrap_or_else(|| "-".into()),
                            v.documents.to_string(),
                            v.violated.to_string(),
                            v.flagged.to_string(),
                            v.open.to_string(),
                            v.next_deadline
                                .as_ref()
                                .map(|n| format!("{} {}", n.due, n.title))
                                .unwrap_or_else(|| "-".into()),
                            if v.unscanned_files == 0 {
                                "-".into()
                            } else {
                                v.unscanned_files.to_string()
                            },
                        ]),
                        Standing::Unavailable { .. } => None,
                    })
                    .collect();
                writeln!(
                    buf,
                    "{}",
                    output::fit_table(
                        &[
                            "case",
                            "state",
                            "docs",
                            "missed",
                            "flagged",
                            "open",
                            "next deadline",
                            "not scanned"
                        ],
                        rows,
                        ctx.width,
                        output::Fit::Wrap,
                        &[6, 0],
                    )
                )?;
                unavailable(&mut buf, &standings)?;
                writeln!(
                    buf,
                    "As of {as_of}. Every deadline in date order: casebinder desk"
                )?;
            }
            out.write_all(&buf)?;
        }
    }
    out.flush()?;
    Ok(0)
}

pub fn run_desk(ctx: &Ctx, args: DeskArgs) -> Result<u8> {
    let reg = Registry::load()?;
    let as_of = args.as_of.unwrap_or_else(crate::clock::today);
    let standings = read_all(&reg, as_of, None, None);
    let views: Vec<&CaseView> = standings
        .iter()
        .filter_map(|s| match s {
            Standing::Read(v) => Some(v.as_ref()),
            Standing::Unavailable { .. } => None,
        })
        .filter(|v| {
            args.state
                .as_deref()
                .is_none_or(|st| v.state.as_deref().unwrap_or("federal").eq_ignore_ascii_case(st))
        })
        .collect();
    let rows = desk::deadlines(&views, as_of, args.within);
    let missed = rows.iter().any(|r| r.status == "violated");
    let mut buf = Vec::new();
    if args.json {
        #[derive(Serialize)]
        struct DeskJson<'a> {
            as_of: chrono::NaiveDate,
            deadlines: &'a [desk::DeskRow],
            unavailable: Vec<CaseJson>,
        }
        let unavailable = standings
            .iter()
            .filter(|s| matches!(s, Standing::Unavailable { .. }))
            .map(CaseJson::of)
            .collect();
        output::write_json(
            &mut buf,
            &DeskJson {
                as_of,
                deadlines: &rows,
                unavailable,
            },
        )?;
    } else if reg.cases.is_empty() {
        writeln!(buf, "{EMPTY_DESK}")?;
    } else {
        let table: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                vec![
                    r.due.to_string(),
                    r.label
                        .clone()
                        .or_else(|| r.student.clone())
                        .unwrap_or_else(|| folder_name(&r.case)),
                    r.title.clone(),
                    match (r.status.as_str(), r.days_late) {
                        ("violated", Some(d)) => format!("missed, {d} days late"),
                        ("violated", None) => "missed".into(),
                        (_, _) if r.rule.ends_with("_window") => format!("closes in {} days", r.days_left),
                        ("open", _) if r.days_left >= 0 => format!("open, {} days left", r.days_left),
                        ("soft", _) => "past the case's threshold".into(),
                        ("unsure", _) => "missed? a date to confirm".into(),
                        (s, _) => s.to_string(),
                    },
                    r.citation.clone(),
                ]
            })
            .collect();
        writeln!(
            buf,
            "{}",
            output::fit_table(
                &["due", "case", "deadline", "where it stands", "rule"],
                table,
                ctx.width,
                // A deadline's name and its rule are read whole: long ones wrap.
                output::Fit::Wrap,
                &[2, 4, 1],
            )
        )?;
        unavailable(&mut buf, &standings)?;
        writeln!(
            buf,
            "{} deadline(s) across {} case(s), as of {as_of}{}.",
            rows.len(),
            views.len(),
            if missed { "; some were missed" } else { "" }
        )?;
        if !ctx.quiet
            && let Some(r) = rows.first()
        {
            writeln!(buf, "See one in its case: {}", r.show)?;
        }
    }
    let mut out = output::stdout();
    out.write_all(&buf)?;
    out.flush()?;
    Ok(u8::from(missed))
}

/// Every case on the desk, read in turn (one failing never stops the others).
fn read_all(
    reg: &Registry,
    as_of: chrono::NaiveDate,
    state: Option<&str>,
    count_unscanned: Option<bool>,
) -> Vec<Standing> {
    let bar = output::progress(reg.cases.len() as u64, "Reading the cases");
    // Each case is read on its own (its own catalog, nothing shared): one case per core at a
    // time, the answers kept in the desk's order.
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8)
        .min(reg.cases.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut out: Vec<Option<Standing>> = vec![None; reg.cases.len()];
    let done: Vec<(usize, Standing)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(c) = reg.cases.get(i) else { break };
                        mine.push((i, desk::read_case(c, reg.label(c), as_of, state, count_unscanned)));
                        bar.inc(1);
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    for (i, s) in done {
        out[i] = Some(s);
    }
    bar.finish_and_clear();
    // A case whose reader stopped (it never should) is said, not lost.
    out.into_iter()
        .zip(&reg.cases)
        .map(|(s, c)| {
            s.unwrap_or_else(|| Standing::Unavailable {
                path: c.to_string_lossy().to_string(),
                reason:
                    "it could not be read (an internal error); run casebinder check in that case to see why."
                        .into(),
            })
        })
        .collect()
}

fn folder_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_else(|| path.to_string())
}

fn label(v: &CaseView) -> String {
    v.label
        .clone()
        .or_else(|| v.student.clone())
        .unwrap_or_else(|| folder_name(&v.path))
}

/// The cases that could not be read, each with its reason.
fn unavailable(buf: &mut Vec<u8>, standings: &[Standing]) -> Result<()> {
    for s in standings {
        if let Standing::Unavailable { path, reason } = s {
            writeln!(buf, "Not read: {path}: {reason}")?;
        }
    }
    Ok(())
}

/// One case in `cases list --json` (and the unreadable ones in `desk --json`).
#[derive(Serialize)]
struct CaseJson {
    path: String,
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    view: Option<CaseView>,
}

impl CaseJson {
    fn of(s: &Standing) -> CaseJson {
        match s {
            Standing::Read(v) => CaseJson {
                path: v.path.clone(),
                ok: true,
                reason: None,
                view: Some((**v).clone()),
            },
            Standing::Unavailable { path, reason } => CaseJson {
                path: path.clone(),
                ok: false,
                reason: Some(reason.clone()),
                view: None,
            },
        }
    }
}
