//! `casebinder prepare mediation`: the family's packet for a mediation session, with the
//! mediation binder it cites built beside it (the same labels and Bates numbers).

use std::io::Write;

use anyhow::Result;

use super::Ctx;
use crate::binder::request::{self, CaseFacts, Choices};
use crate::binder::{Purpose, convert, load, make};
use crate::case::settings::CaseSettings;
use crate::case::story::{self, CheckRequest};
use crate::cli::{PrepareArgs, PrepareCommand};
use crate::error::user_error;
use crate::filing::{self, Facts};
use crate::output;
use crate::query::Query;

pub fn run(ctx: &Ctx, args: PrepareArgs) -> Result<u8> {
    let PrepareCommand::Mediation(a) = args.command;
    let case = ctx.case()?;
    let _scanning = crate::scan::lock_shared(&case, "prepare")?;
    let mut catalog = case.open_catalog()?;
    let date = a.date.unwrap_or_else(crate::clock::today);
    let case_settings = CaseSettings::load(&catalog)?;
    let mut choices = Choices::new(Purpose::Mediation, date);
    choices.state = a.state.clone();
    let mut settings = request::settings(
        choices,
        &CaseFacts::of(&case_settings, &case.root),
        load::docx_mode(),
    );
    // The documents the packet cites are in the binder beside it, whatever their age.
    let (report, concerns) = facts(&catalog, &case_settings, date, a.state.as_deref())?;
    let mut cited = std::collections::BTreeSet::new();
    for c in &concerns {
        for d in &c.documents {
            cited.insert(catalog.sha_of(*d)?);
        }
    }
    for f in report.findings.iter().filter(|f| filing::raised(f)) {
        for a in std::iter::once(&f.trigger).chain(&f.satisfied_by) {
            for d in &a.documents {
                cited.insert(catalog.sha_of(*d)?);
            }
        }
    }
    settings.cited = cited.into_iter().collect();
    let mut prepared = make::prepare(&catalog, &case, settings, None, false)?;
    let binder = make::default_target(&case.home, &request::default_name(Purpose::Mediation));
    let made = make::make(&mut catalog, &case, &mut prepared, &binder, false, false, false)?;
    let events = catalog.user_events()?;
    let date_sources: std::collections::HashMap<i64, String> = catalog
        .list(&Query::default(), true)?
        .into_iter()
        .filter_map(|d| Some((d.id, d.date_source?)))
        .collect();
    let blocks = filing::mediation_packet(&Facts {
        plan: &prepared.plan,
        student: case_settings.student.as_deref(),
        schools: &case_settings.schools,
        districts: &case_settings.districts,
        concerns: &concerns,
        findings: &report.findings,
        events: &events,
        date_sources: &date_sources,
    });
    let docx = filing::docx::docx(&blocks).map_err(|e| {
        user_error(
            format!("The mediation packet could not be made: {e}."),
            "Run the same command again; if it fails again, report it.",
        )
    })?;
    let dir = binder.parent().unwrap_or(&case.home).to_path_buf();
    let docx_path = dir.join("mediation-packet.docx");
    let target = crate::case::outputs::check(&case, &catalog, &docx_path, false)?;
    crate::case::outputs::write(&catalog, &target, &docx)?;
    let mut out = output::stdout();
    writeln!(out, "Wrote {}", made.target.display())?;
    writeln!(out, "Wrote {} (to edit)", docx_path.display())?;
    match convert::office() {
        Some(office) => {
            let work = case
                .private_dir()
                .join("tmp")
                .join(format!("packet-{}", std::process::id()));
            match convert::docx_to_pdf(office, &work, &docx) {
                Ok(pdf) => {
                    let pdf_path = dir.join("mediation-packet.pdf");
                    let target = crate::case::outputs::check(&case, &catalog, &pdf_path, false)?;
                    crate::case::outputs::write(&catalog, &target, &pdf)?;
                    writeln!(out, "Wrote {}", pdf_path.display())?;
                }
                Err(e) => writeln!(
                    out,
                    "warning: the packet's PDF could not be made ({e}); open the .docx and save it as PDF."
                )?,
            }
        }
        None => writeln!(
            out,
            "warning: LibreOffice is not installed, so the packet is a .docx only: open it and save it as PDF (Debian/Ubuntu: sudo apt install libreoffice-writer)."
        )?,
    }
    if concerns.is_empty() {
        ctx.tip(
            &mut out,
            "The packet has no concern yet: add each with casebinder concern add \"…\" --kind service --ask \"…\", then prepare it again.",
        )?;
    }
    out.flush()?;
    super::print::warnings(&prepared.plan.warnings, ctx.width);
    Ok(0)
}

/// The deadline findings as of `date` and the family's concerns.
fn facts(
    catalog: &crate::catalog::Catalog,
    settings: &CaseSettings,
    date: chrono::NaiveDate,
    state: Option<&str>,
) -> Result<(crate::checks::Report, Vec<crate::catalog::Concern>)> {
    let story = story::story(catalog, &Query::default())?;
    let report = story::findings(
        &story,
        settings,
        &CheckRequest {
            as_of: Some(date),
            state,
            soft_days: None,
            hearing: None,
        },
    )?;
    Ok((report, catalog.concerns()?))
}
