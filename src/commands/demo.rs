//! `casebinder demo [DIR]`: writes the bundled sample case (a fictional family), then inits,
//! scans and lists it, so a new user sees the whole job in one command.

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use super::Ctx;
use crate::case::{self, InitSettings};
use crate::cli::DemoArgs;
use crate::error::user_error;
use crate::output;
use crate::query::Query;
use crate::scan::{self, ScanOptions};

/// The sample story is judged as of this day, so the demo shows the same findings every year.
const DEMO_AS_OF: chrono::NaiveDate = match chrono::NaiveDate::from_ymd_opt(2024, 5, 1) {
    Some(d) => d,
    None => chrono::NaiveDate::MIN,
};

pub fn run(ctx: &Ctx, args: DemoArgs) -> Result<u8> {
    let dir = case::absolute(
        &args.dir.clone().unwrap_or_else(|| "casebinder-demo".into()),
        &ctx.cwd,
    );
    let mut out = output::stdout();
    let existing_case = dir.join(case::DIR_NAME).join(case::CATALOG_NAME).is_file();
    if dir.exists() && !existing_case && fs::read_dir(&dir).map(|mut d| d.next().is_some()).unwrap_or(true) {
        return Err(user_error(
            format!("{} already exists and is not empty.", dir.display()),
            "Name another folder: casebinder demo /tmp/casebinder-demo",
        ));
    }
    if !existing_case {
        write_sample(&dir)?;
        writeln!(
            out,
            "Wrote the sample case (the fictional Rivera family) to {}",
            dir.display()
        )?;
    } else {
        writeln!(out, "Using the sample case already in {}", dir.display())?;
    }
    let settings = InitSettings {
        name: Some(crate::sample::STUDENT.into()),
        state: None,
    };
    let case = match case::init(&dir, &settings)? {
        case::InitOutcome::Created(c) | case::InitOutcome::AlreadyExists(c) => c,
    };
    let mut catalog = case.open_catalog()?;
    for (key, value) in crate::sample::SETTINGS {
        super::config::apply(&catalog, key, Some(value))?;
    }
    let summary = scan::scan(&case, &mut catalog, &ScanOptions::default())?;
    writeln!(out)?;
    writeln!(out, "$ casebinder scan")?;
    super::scan::print_summary(&mut out, &case.root.display().to_string(), &summary)?;
    writeln!(out, "$ casebinder list")?;
    let rows = catalog.list(&Query::default(), false)?;
    super::list::write_table(&mut out, &rows)?;
    writeln!(out)?;
    writeln!(out, "$ casebinder check --as-of 2024-05-01")?;
    let report = super::check::report(&catalog, None, DEMO_AS_OF, 30, None)?;
    let count = |st: &str| report.findings.iter().filter(|f| f.status == st).count();
    writeln!(
        out,
        "Rules: {} · {} possible violation(s), {} unsure, {} flagged, {} open, {} met. For example:",
        report.profile_name,
        count("violated"),
        count("unsure"),
        count("soft"),
        count("open"),
        count("met")
    )?;
    for f in report.findings.iter().filter(|f| f.status == "violated").take(3) {
        writeln!(out, "  - {}: {}", f.rule, output::ellipsize(&f.explanation, 230))?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "$ casebinder binder --date 2024-05-01 --hearing-date 2024-06-03 --findings --prepared-by \"Ana Rivera (parent)\""
    )?;
    out.flush()?;
    let binder_ctx = Ctx {
        cwd: case.root.clone(),
        case_arg: Some(case.root.clone()),
    };
    super::binder::run(
        &binder_ctx,
        crate::cli::BinderArgs {
            query: Vec::new(),
            purpose: crate::cli::Purpose::DueProcess,
            out: None,
            labels: "P-1".into(),
            bates_prefix: None,
            bates_digits: 6,
            bates_start: 1,
            paper: crate::cli::Paper::Letter,
            tabs: false,
            no_tabs: false,
            chronology: false,
            no_chronology: false,
            findings: true,
            no_findings: false,
            date: Some(DEMO_AS_OF.format("%Y-%m-%d").to_string()),
            hearing_date: Some("2024-06-03".into()),
            prepared_by: Some("Ana Rivera (parent)".into()),
            state: None,
            dry_run: false,
            diff: false,
            renumber: false,
            strict: false,
        },
    )?;
    writeln!(out)?;
    writeln!(out, "Try next:")?;
    writeln!(out, "  cd \"{}\"", case.root.display())?;
    writeln!(
        out,
        "  casebinder timeline --format html --out timeline.html   (open it in a browser)"
    )?;
    writeln!(
        out,
        "  open \"Binders/due-process-binder.pdf\"            (the evidence binder)"
    )?;
    writeln!(out, "  casebinder binder --purpose mediation --date 2024-05-01")?;
    writeln!(out, "  casebinder verify Binders/due-process-binder.pdf")?;
    writeln!(out, "  casebinder check --as-of 2024-05-01")?;
    writeln!(out, "  casebinder gaps --as-of 2024-05-01 --letter")?;
    writeln!(out, "  casebinder search \"occupational therapy\"")?;
    writeln!(out, "  casebinder show 1")?;
    writeln!(out, "  casebinder list --json")?;
    out.flush()?;
    Ok(0)
}

fn write_sample(dir: &Path) -> Result<()> {
    for (rel, bytes) in crate::sample::FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("could not create {}", parent.display()))?;
        }
        fs::write(&path, bytes).with_context(|| format!("could not write {}", path.display()))?;
    }
    Ok(())
}
