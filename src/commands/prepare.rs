//! `casebinder prepare mediation` and `casebinder complaint`: the family's papers for a forum,
//! each with the binder it cites built beside it (the same labels and Bates numbers), and every
//! document it cites in that binder.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono::NaiveDate;

use super::Ctx;
use crate::binder::make::{self, Prepared};
use crate::binder::request::{self, CaseFacts, Choices};
use crate::binder::{Purpose, convert, load};
use crate::case::Case;
use crate::case::settings::CaseSettings;
use crate::case::story::{self, CheckRequest};
use crate::catalog::{Catalog, Concern};
use crate::checks::Report;
use crate::cli::{ComplaintArgs, PrepareArgs, PrepareCommand};
use crate::error::user_error;
use crate::filing::{self, Block, Facts, Parties};
use crate::output;
use crate::query::Query;

pub fn run(ctx: &Ctx, args: PrepareArgs) -> Result<u8> {
    let PrepareCommand::Mediation(a) = args.command;
    let date = a.date.unwrap_or_else(crate::clock::today);
    let paper = Paper::of(ctx, Purpose::Mediation, date, a.state.as_deref(), |f| {
        filing::raised(f)
    })?;
    let blocks = filing::mediation_packet(&paper.facts());
    let mut out = output::stdout();
    paper.write(&mut out, &blocks, "mediation-packet")?;
    if paper.concerns.is_empty() {
        ctx.tip(
            &mut out,
            "The packet has no concern yet: add each with casebinder concern add \"…\" --kind service --ask \"…\", then prepare it again.",
        )?;
    }
    out.flush()?;
    super::print::warnings(&paper.prepared.plan.warnings, ctx.width);
    Ok(0)
}

pub fn run_complaint(ctx: &Ctx, a: ComplaintArgs) -> Result<u8> {
    let date = a.date.unwrap_or_else(crate::clock::today);
    let paper = Paper::of(ctx, Purpose::StateComplaint, date, a.state.as_deref(), |f| {
        filing::raised(f) && f.forum.path == "state_complaint"
    })?;
    let profile = paper.settings.rules(a.state.as_deref())?;
    if profile.code == "federal" {
        return Err(user_error(
            "A state complaint is filed with a state: which one?",
            "Name it: casebinder complaint --state CA (or set the case's state: casebinder config state CA).",
        ));
    }
    let s = &paper.settings;
    let parties = Parties {
        state_name: profile.name,
        address: s.address.as_deref(),
        parent: s.parent.as_deref(),
        contact: s.contact.as_deref(),
        where_to_file: Vec::new(),
    };
    let blocks = filing::complaint_draft(&paper.facts(), &parties);
    let mut out = output::stdout();
    paper.write(&mut out, &blocks, "state-complaint-draft")?;
    let missing: Vec<&str> = [
        ("name", s.student.is_none()),
        ("address", s.address.is_none()),
        ("school", s.schools.is_empty()),
        ("district", s.districts.is_empty()),
        ("parent", s.parent.is_none()),
        ("contact", s.contact.is_none()),
    ]
    .into_iter()
    .filter(|(_, m)| *m)
    .map(|(k, _)| k)
    .collect();
    if !missing.is_empty() {
        // A complaint without them is refused by the state: said even when quiet.
        writeln!(
            out,
            "{}",
            output::wrap(
                &if ctx.quiet {
                    format!("The draft has blanks to fill in: {}.", missing.join(", "))
                } else {
                    format!(
                        "The draft has blanks to fill in: {}. Set each once for the case (casebinder config {} \"…\") and make the draft again, or fill them in the .docx.",
                        missing.join(", "),
                        missing[0]
                    )
                },
                ctx.width,
                2
            )
        )?;
    }
    let lines = where_to_file(profile.code);
    if !lines.is_empty() {
        writeln!(out)?;
        let head = format!(
            "Where to file in {} (as the state's pages said when casebinder was made: confirm on the official page):",
            profile.name
        );
        writeln!(out, "{}", output::wrap(&head, ctx.width, 2))?;
        for l in lines {
            writeln!(out, "{}", output::wrap(&format!("  {l}"), ctx.width, 4))?;
        }
    }
    out.flush()?;
    super::print::warnings(&paper.prepared.plan.warnings, ctx.width);
    Ok(0)
}

/// The sourced profiles of where each state takes a complaint (assets/).
const PROFILES: &str = include_str!("../../assets/state-complaint-profiles.json");

/// What the state's profile says of filing, each fact on a line, with its sources last.
fn where_to_file(code: &str) -> Vec<String> {
    let Ok(all) = serde_json::from_str::<serde_json::Value>(PROFILES) else {
        return Vec::new();
    };
    let Some(p) = all["states"]
        .as_array()
        .and_then(|a| a.iter().find(|s| s["state"] == code))
    else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    for (key, label) in [
        ("agency", "Office"),
        ("form", "Form"),
        ("how", "How"),
        ("signature", "Signature"),
        ("languages", "Languages"),
    ] {
        if let Some(v) = p[key].as_str().filter(|v| !v.trim().is_empty()) {
            lines.push(format!("{label}: {v}"));
        }
    }
    if let Some(sources) = p["source"].as_array() {
        let urls: Vec<&str> = sources.iter().filter_map(|s| s.as_str()).collect();
        if !urls.is_empty() {
            lines.push(format!("Sources: {}", urls.join(" ; ")));
        }
    }
    lines
}

/// A family paper in the making: the binder built beside it and the facts it is made of.
struct Paper {
    case: Case,
    catalog: Catalog,
    settings: CaseSettings,
    prepared: Prepared,
    binder: PathBuf,
    report: Report,
    concerns: Vec<Concern>,
    events: Vec<crate::timeline::UserEvent>,
    date_sources: std::collections::HashMap<i64, String>,
    texts: std::collections::HashMap<i64, String>,
    /// The binder's timeline pages as pictures, for the packet.
    pictures: Vec<(Vec<u8>, u32, u32)>,
}

impl Paper {
    /// Builds the purpose's binder as of `date`, holding whatever the paper will cite: the
    /// concerns' documents and those of the findings `cites` keeps.
    fn of(
        ctx: &Ctx,
        purpose: Purpose,
        date: NaiveDate,
        state: Option<&str>,
        cites: impl Fn(&crate::checks::Finding) -> bool,
    ) -> Result<Paper> {
        let case = ctx.case()?;
        let _scanning = crate::scan::lock_shared(&case, "prepare")?;
        let mut catalog = case.open_catalog()?;
        let settings = CaseSettings::load(&catalog)?;
        let mut choices = Choices::new(purpose, date);
        choices.state = state.map(str::to_string);
        let mut binder_settings =
            request::settings(choices, &CaseFacts::of(&settings, &case.root), load::docx_mode());
        let story = story::story(&catalog, &Query::default())?;
        let report = story::findings(
            &story,
            &settings,
            &CheckRequest {
                as_of: Some(date),
                state,
                soft_days: None,
                hearing: None,
            },
        )?;
        let concerns = catalog.concerns()?;
        // The documents the paper cites are in the binder beside it, whatever their age.
        let mut cited = std::collections::BTreeSet::new();
        let concern_docs = concerns.iter().flat_map(|c| c.documents.iter());
        let finding_docs = report
            .findings
            .iter()
            .filter(|f| cites(f))
            .flat_map(|f| std::iter::once(&f.trigger).chain(&f.satisfied_by))
            .flat_map(|a| a.documents.iter());
        for d in concern_docs.chain(finding_docs) {
            cited.insert(catalog.sha_of(*d)?);
        }
        binder_settings.cited = cited.into_iter().collect();
        let mut prepared = make::prepare(&catalog, &case, binder_settings, None, false)?;
        let binder = make::default_target(&case.home, &request::default_name(purpose));
        let made = make::make(&mut catalog, &case, &mut prepared, &binder, false, false, false)?;
        let events = catalog.user_events()?;
        let date_sources = catalog
            .list(&Query::default(), true)?
            .into_iter()
            .filter_map(|d| Some((d.id, d.date_source?)))
            .collect();
        let mut texts = std::collections::HashMap::new();
        let figured = [
            "iep",
            "iep_amendment",
            "service_log",
            "progress_report",
            "discipline",
        ];
        for e in prepared
            .plan
            .exhibits
            .iter()
            .filter(|e| figured.contains(&e.kind.as_str()))
        {
            let pages = catalog.page_texts_with_ocr(e.doc_id)?;
            let text: Vec<String> = pages.into_iter().map(|(_, t)| t).collect();
            texts.insert(e.doc_id, text.join("\n"));
        }
        // The binder's pages that draw the case at a glance (its front pages with shapes), cut
        // below their last rule, as pictures for the packet.
        let mut pictures = Vec::new();
        if prepared.plan.front.iter().any(|p| !p.shapes.is_empty())
            && let Ok(pdf) = std::fs::read(&made.target)
        {
            let paper_size = prepared.plan.settings.paper();
            for (i, fp) in prepared
                .plan
                .front
                .iter()
                .enumerate()
                .filter(|(_, p)| !p.shapes.is_empty())
            {
                let bottom = fp.rules.iter().map(|r| r.1).fold(paper_size.h, f32::min);
                let margin = crate::binder::layout::MARGIN;
                let top = margin - 10.0;
                let height = (paper_size.h - bottom + 12.0 - top).min(paper_size.h - top);
                let cut = [margin - 8.0, top, paper_size.w - 2.0 * margin + 16.0, height];
                if let Some(png) = convert::page_png(&pdf, i as u32 + 1, 200, cut) {
                    pictures.push(png);
                }
            }
        }
        Ok(Paper {
            pictures,
            case,
            catalog,
            settings,
            prepared,
            binder: made.target,
            report,
            concerns,
            events,
            date_sources,
            texts,
        })
    }

    fn facts(&self) -> Facts<'_> {
        Facts {
            plan: &self.prepared.plan,
            student: self.settings.student.as_deref(),
            schools: &self.settings.schools,
            districts: &self.settings.districts,
            concerns: &self.concerns,
            findings: &self.report.findings,
            events: &self.events,
            date_sources: &self.date_sources,
            texts: &self.texts,
            pictures: &self.pictures,
        }
    }

    /// Writes `NAME.docx` beside the binder, and `NAME.pdf` where LibreOffice is installed.
    fn write<W: Write>(&self, out: &mut W, blocks: &[Block], name: &str) -> Result<()> {
        let docx = filing::docx::docx(blocks).map_err(|e| {
            user_error(
                format!("The {name} could not be made: {e}."),
                "Run the same command again; if it fails again, report it.",
            )
        })?;
        let dir = self.binder.parent().unwrap_or(&self.case.home).to_path_buf();
        let docx_path = dir.join(format!("{name}.docx"));
        self.save(&docx_path, &docx)?;
        writeln!(out, "Wrote {}", self.binder.display())?;
        writeln!(out, "Wrote {} (to edit)", docx_path.display())?;
        match convert::office() {
            Some(office) => {
                let work = self
                    .case
                    .private_dir()
                    .join("tmp")
                    .join(format!("{name}-{}", std::process::id()));
                match convert::docx_to_pdf(office, &work, &docx) {
                    Ok(pdf) => {
                        let pdf_path = dir.join(format!("{name}.pdf"));
                        self.save(&pdf_path, &pdf)?;
                        writeln!(out, "Wrote {}", pdf_path.display())?;
                    }
                    Err(e) => writeln!(
                        out,
                        "warning: the PDF could not be made ({e}); open the .docx and save it as PDF."
                    )?,
                }
            }
            None => writeln!(
                out,
                "warning: LibreOffice is not installed, so this is a .docx only: open it and save it as PDF (Debian/Ubuntu: sudo apt install libreoffice-writer)."
            )?,
        }
        Ok(())
    }

    fn save(&self, path: &Path, bytes: &[u8]) -> Result<()> {
        let target = crate::case::outputs::check(&self.case, &self.catalog, path, false)?;
        crate::case::outputs::write(&self.catalog, &target, bytes)
    }
}
