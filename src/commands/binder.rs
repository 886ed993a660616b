//! `casebinder binder`: plan, print (`--dry-run`, `--diff`) or build the evidence binder, and
//! `casebinder verify`: check a binder and its sources against the manifest.
//!
//! The rules live in [`crate::binder`]; this file turns the command line into choices and prints
//! what the binder core returns.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use super::Ctx;
use super::print;
use crate::binder::make;
use crate::binder::request::{self, CaseFacts, Choices};
use crate::binder::verify::{self, State};
use crate::binder::{Plan, Purpose, diff, load};
use crate::case::Case;
use crate::case::settings::CaseSettings;
use crate::cli::{BinderArgs, VerifyArgs};
use crate::output;

/// `--tabs` / `--no-tabs` / neither (the purpose's default).
fn pick(on: bool, off: bool) -> Option<bool> {
    if on {
        Some(true)
    } else if off {
        Some(false)
    } else {
        None
    }
}

pub fn run(ctx: &Ctx, args: BinderArgs) -> Result<u8> {
    let case = ctx.case()?;
    // Not while a scan is changing the catalog: a document half-scanned is a placeholder.
    let _scanning = crate::scan::lock_shared(&case, "binder")?;
    let mut catalog = case.open_catalog()?;
    let purpose = Purpose::from(args.purpose);
    let date = args.date.unwrap_or_else(crate::clock::today);
    let target = match &args.out {
        Some(p) => {
            let mut p = crate::case::absolute(p, &ctx.cwd);
            if p.extension().is_none_or(|e| !e.eq_ignore_ascii_case("pdf")) {
                p.set_extension("pdf");
            }
            p
        }
        None => make::default_target(&case.home, &request::name_for(purpose, &args.query.join(" "))),
    };
    let name = target
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| request::default_name(purpose));
    let choices = Choices {
        purpose,
        name,
        query: args.query.join(" "),
        labels: args.labels.clone(),
        bates_prefix: args.bates_prefix.clone(),
        bates_digits: args.bates_digits as usize,
        bates_start: args.bates_start,
        paper: args.paper.into(),
        tabs: pick(args.tabs, args.no_tabs),
        chronology: pick(args.chronology, args.no_chronology),
        findings: pick(args.findings, args.no_findings),
        timeline_page: pick(args.timeline_page, args.no_timeline_page),
        date,
        hearing_date: args.hearing_date,
        prepared_by: args.prepared_by.clone(),
        state: args.state.clone(),
    };
    let query = if args.query.is_empty() {
        None
    } else {
        Some(crate::query::parse(&args.query.join(" "))?)
    };
    if let Some(q) = &query {
        catalog.check_query_tags(q)?;
    }
    let settings = request::settings(
        choices,
        &CaseFacts::of(&CaseSettings::load(&catalog)?, &case.root),
        load::docx_mode(),
    );
    let mut prepared = make::prepare(&catalog, &case, settings, query.as_ref(), args.renumber)?;
    let mut out = output::stdout();
    if args.diff {
        match &prepared.previous {
            Some(prev) => {
                let d = diff::diff(prev, &prepared.exhibits());
                if args.json {
                    output::write_json(&mut out, &d)?;
                } else {
                    print::binder_diff(&mut out, &d)?;
                }
            }
            None if args.json => output::write_json(&mut out, &serde_json::Value::Null)?,
            None => {
                let s = &prepared.plan.settings;
                writeln!(
                    out,
                    "This binder ({}) has not been built yet, so there is nothing to compare with.\nBuild it with: casebinder binder{}",
                    s.name,
                    if s.purpose == Purpose::DueProcess {
                        String::new()
                    } else {
                        format!(" --purpose {}", s.purpose.name())
                    }
                )?
            }
        }
        out.flush()?;
        return Ok(0);
    }
    if args.dry_run {
        if args.json {
            output::write_json(&mut out, &print::PlanJson::of(&prepared))?;
        } else {
            print::binder_plan(&mut out, &prepared.plan, ctx.width)?;
            writeln!(
                out,
                "\n{}",
                output::wrap(
                    "Nothing was written (--dry-run). Build it with the same command without --dry-run.",
                    ctx.width,
                    0
                )
            )?;
        }
        out.flush()?;
        return Ok(strict_code(&args, &prepared.plan));
    }
    let made = make::make(
        &mut catalog,
        &case,
        &mut prepared,
        &target,
        args.renumber,
        args.force,
        args.strict,
    )?;
    let retired: Vec<&crate::binder::bates::Range> = prepared.bates.retire.iter().collect();
    if args.json {
        let runs = (args.renumber && !retired.is_empty())
            .then(|| crate::binder::bates::runs(&retired, prepared.plan.settings.bates_digits));
        output::write_json(&mut out, &print::MadeJson::of(&ctx.cwd, &prepared, &made, runs))?;
        out.flush()?;
        print::warnings(&prepared.plan.warnings, ctx.width);
        return Ok(0);
    }
    print::binder_made(&mut out, &ctx.cwd, &prepared.plan, &made, ctx.width)?;
    out.flush()?;
    print::warnings(&prepared.plan.warnings, ctx.width);
    if args.renumber {
        let s = &prepared.plan.settings;
        let first_new = prepared
            .plan
            .exhibits
            .iter()
            .map(|e| e.bates_start)
            .min()
            .map(|n| s.bates(n));
        let text = if retired.is_empty() {
            "Renumbered: these documents had no Bates numbers in use, so none were retired.".to_string()
        } else {
            format!(
                "Renumbered: {} are retired. They named these pages in earlier binders and will never be given to any page again; this binder numbers from {}. Tell everyone who has an earlier binder, and use this one from now on.",
                crate::binder::bates::runs(&retired, s.bates_digits),
                first_new.unwrap_or_default()
            )
        };
        writeln!(out, "{}", output::wrap(&text, ctx.width, 2))?;
    }
    if !ctx.quiet {
        print::binder_next(&mut out, &ctx.cwd, &made)?;
    }
    out.flush()?;
    Ok(0)
}

fn strict_code(args: &BinderArgs, plan: &Plan) -> u8 {
    if args.strict && !plan.placeholders().is_empty() {
        2
    } else {
        0
    }
}

pub fn run_verify(ctx: &Ctx, args: VerifyArgs) -> Result<u8> {
    let pdf = crate::case::absolute(&args.binder, &ctx.cwd);
    let manifest = verify::read_manifest(&pdf)?;
    let case = ctx
        .case()
        .or_else(|_| Case::find(None, pdf.parent().unwrap_or(Path::new("."))));
    let v = verify::verify(&pdf, &manifest, case.as_ref().ok().map(|c| c.root.as_path()));
    let mut out = output::stdout();
    if args.json {
        output::write_json(&mut out, &v)?;
    } else {
        print_verification(&mut out, &v)?;
    }
    out.flush()?;
    Ok(if v.problems() > 0 { 1 } else { 0 })
}

fn print_verification<W: Write>(out: &mut W, v: &verify::Verification) -> std::io::Result<()> {
    match (&v.binder, &v.binder_sha256) {
        (State::Ok, Some(sha)) => writeln!(
            out,
            "ok        the binder PDF is exactly as built (SHA-256 {}…)",
            &sha[..16.min(sha.len())]
        )?,
        (State::Unfinished, _) => writeln!(
            out,
            "UNFINISHED the last build of this binder was cut short before the new binder took its name: run the same `casebinder binder` command again"
        )?,
        (State::Changed, _) => writeln!(
            out,
            "CHANGED   the binder PDF is not the file that was built (it was edited, re-saved or replaced)"
        )?,
        _ => writeln!(
            out,
            "MISSING   the binder PDF: {}",
            v.binder_detail.as_deref().unwrap_or("not found")
        )?,
    }
    match &v.sources {
        Some(sources) => {
            for s in sources {
                match s.state {
                    State::Ok => {}
                    State::Changed => writeln!(
                        out,
                        "CHANGED   {} {}: the source file is different now",
                        s.exhibit, s.locator
                    )?,
                    State::Missing | State::Unfinished => writeln!(
                        out,
                        "MISSING   {} {}: {}",
                        s.exhibit,
                        s.locator,
                        s.detail.as_deref().unwrap_or("not found")
                    )?,
                }
            }
            if sources.iter().all(|s| s.state == State::Ok) {
                writeln!(out, "ok        all {} sources match their SHA-256", v.exhibits)?;
            }
        }
        None => writeln!(
            out,
            "skipped   the sources: the case folder was not found (use --case DIR)"
        )?,
    }
    let problems = v.problems();
    if problems > 0 {
        writeln!(
            out,
            "{problems} problem(s). If the changes are expected, run `casebinder scan` and build the binder again."
        )?;
    }
    Ok(())
}
