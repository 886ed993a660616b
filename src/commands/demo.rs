//! `casebinder demo [DIR]`: writes the bundled sample case (a fictional family), then inits,
//! scans and lists it, so a new user sees the whole job in one command.

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use chrono::NaiveDate;

use super::{Ctx, print};
use crate::binder::request::{self, CaseFacts, Choices};
use crate::binder::{Purpose, load, make};
use crate::case::settings::{self, CaseSettings};
use crate::case::{self, story};
use crate::checks::Status;
use crate::cli::DemoArgs;
use crate::error::user_error;
use crate::output;
use crate::query::Query;
use crate::scan::{self, ScanOptions};

/// The sample story is judged as of this day, so the demo shows the same findings every year.
const DEMO_AS_OF: NaiveDate = match NaiveDate::from_ymd_opt(2024, 5, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// The sample family's hearing date.
const DEMO_HEARING: NaiveDate = match NaiveDate::from_ymd_opt(2024, 6, 3) {
    Some(d) => d,
    None => NaiveDate::MIN,
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
    let case = match case::init(&dir, None)? {
        case::InitOutcome::Created(c) | case::InitOutcome::AlreadyExists(c) => c,
    };
    let mut catalog = case.open_catalog()?;
    settings::apply(&catalog, "name", Some(crate::sample::STUDENT))?;
    for (key, value) in crate::sample::SETTINGS {
        settings::apply(&catalog, key, Some(value))?;
    }
    let summary = scan::scan(&case, &mut catalog, &ScanOptions::default())?;
    writeln!(out)?;
    writeln!(out, "$ casebinder scan")?;
    print::scan_summary(&mut out, &case.root.display().to_string(), &summary, ctx)?;
    writeln!(out, "$ casebinder list")?;
    let rows = catalog.list(&Query::default(), false)?;
    print::doc_table(&mut out, &rows, ctx.width)?;
    writeln!(out)?;
    writeln!(out, "$ casebinder check --as-of 2024-05-01")?;
    let story = story::story(&catalog, &Query::default())?;
    let report = story::findings(
        &story,
        &CaseSettings::load(&catalog)?,
        &story::CheckRequest {
            as_of: Some(DEMO_AS_OF),
            ..Default::default()
        },
    )?;
    let count = |st: Status| report.findings.iter().filter(|f| f.status == st).count();
    writeln!(
        out,
        "Rules: {} · {} possible violation(s), {} unsure, {} flagged, {} open, {} met. For example:",
        report.profile_name,
        count(Status::Violated),
        count(Status::Unsure),
        count(Status::Soft),
        count(Status::Open),
        count(Status::Met)
    )?;
    for f in report
        .findings
        .iter()
        .filter(|f| f.status == Status::Violated)
        .take(3)
    {
        writeln!(out, "  - {}: {}", f.rule, output::ellipsize(&f.explanation, 230))?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "$ casebinder binder --date 2024-05-01 --hearing-date 2024-06-03 --findings --prepared-by \"Ana Rivera (parent)\""
    )?;
    out.flush()?;
    let mut choices = Choices::new(Purpose::DueProcess, DEMO_AS_OF);
    choices.findings = Some(true);
    choices.hearing_date = Some(DEMO_HEARING);
    choices.prepared_by = Some("Ana Rivera (parent)".into());
    let case_settings = CaseSettings::load(&catalog)?;
    let settings = request::settings(
        choices,
        &CaseFacts::of(&case_settings, &case.root),
        load::docx_mode(),
    );
    let name = settings.name.clone();
    let mut prepared = make::prepare(&catalog, &case, settings, None, false)?;
    let made = make::make(
        &mut catalog,
        &case,
        &mut prepared,
        &make::default_target(&case.home, &name),
        false,
        false,
        false,
    )?;
    print::binder_made(&mut out, &case.root, &prepared.plan, &made, ctx.width)?;
    out.flush()?;
    print::warnings(&prepared.plan.warnings, ctx.width);
    if !ctx.quiet {
        writeln!(out)?;
        writeln!(out, "Try next:")?;
        writeln!(out, "  cd \"{}\"", case.root.display())?;
        writeln!(
            out,
            "  casebinder timeline --format html --out timeline.html   # open it in a browser"
        )?;
        writeln!(
            out,
            "  open \"Binders/due-process-binder.pdf\"            # the evidence binder"
        )?;
        writeln!(out, "  casebinder binder --purpose mediation --date 2024-05-01")?;
        writeln!(out, "  casebinder verify Binders/due-process-binder.pdf")?;
        writeln!(out, "  casebinder check --as-of 2024-05-01")?;
        writeln!(out, "  casebinder gaps --as-of 2024-05-01 --letter")?;
        writeln!(out, "  casebinder search \"occupational therapy\"")?;
        writeln!(out, "  casebinder show 1")?;
        writeln!(out, "  casebinder list --json")?;
    }
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
