//! `casebinder binder`: plan, print (`--dry-run`, `--diff`) or build the evidence binder, and
//! `casebinder verify`: check a binder and its sources against the manifest.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono::Datelike;

use super::Ctx;
use super::check::date_or_today;
use crate::binder::outputs::{self, Manifest, ManifestExhibit};
use crate::binder::plan::{self, Inputs, Plan};
use crate::binder::{Settings, build, labels, purpose_name, source};
use crate::case::Case;
use crate::catalog::Catalog;
use crate::checks::days::{Calendar, DayType};
use crate::cli::{BinderArgs, Paper, Purpose, VerifyArgs};
use crate::error::user_error;
use crate::extract::sha256_hex;
use crate::output;

/// The folder binders go to by default.
pub const BINDERS_DIR: &str = "Binders";

pub fn run(ctx: &Ctx, args: BinderArgs) -> Result<u8> {
    let case = ctx.case()?;
    let mut catalog = case.open_catalog()?;
    if catalog.count_documents()? == 0 {
        return Err(user_error(
            "The catalog has no documents yet, so there is nothing to put in a binder.",
            "Run `casebinder scan` in the case folder first.",
        ));
    }
    let (settings, target) = settings(ctx, &case, &catalog, &args)?;
    crate::binder::convert::sweep(&case.private_dir().join("tmp"));
    let style = labels::Style::parse(&args.labels).ok_or_else(|| {
        user_error(
            format!(
                "\"{}\" is not an exhibit label casebinder understands.",
                args.labels
            ),
            "Give the first label of the series: P-1, D-1, S-1, \"Exhibit A\" or \"Tab 1\".",
        )
    })?;
    let query = if args.query.is_empty() {
        None
    } else {
        Some(crate::query::parse(&args.query.join(" "))?)
    };
    let findings = if settings.findings {
        let report = super::check::report(
            &catalog,
            settings.state.as_deref(),
            settings.date,
            30,
            settings.hearing_date,
        )?;
        let from = settings
            .date
            .with_year(settings.date.year() - 1)
            .unwrap_or(settings.date);
        report
            .findings
            .into_iter()
            .filter(|f| f.status != "met")
            .filter(|f| settings.purpose != "state-complaint" || f.due.is_none_or(|d| d >= from))
            .collect()
    } else {
        Vec::new()
    };
    let disclosure_deadline = settings
        .hearing_date
        .map(|h| Calendar { breaks: Vec::new() }.add(h, -5, DayType::Business));
    let kept = if args.renumber {
        BTreeMap::new()
    } else {
        catalog.binder_labels(&settings.name)?
    };
    let previous: Option<Manifest> = catalog
        .last_binder_build(&settings.name)?
        .and_then(|m| serde_json::from_str(&m).ok());
    let mut plan = plan::plan(
        &catalog,
        settings,
        Inputs {
            root: &case.root,
            query,
            style,
            kept,
            findings,
            disclosure_deadline,
        },
    )?;
    let mut out = output::stdout();
    if plan.exhibits.is_empty() {
        return Err(user_error(
            "No document matches, so the binder would be empty.",
            "Try `casebinder binder --dry-run` without filters, or check the filters with `casebinder list`.",
        ));
    }
    let new_exhibits = outputs::exhibits(&plan);
    if args.diff {
        match &previous {
            Some(prev) => print_diff(&mut out, prev, &new_exhibits)?,
            None => writeln!(
                out,
                "This binder ({}) has not been built yet, so there is nothing to compare with.\nBuild it with: casebinder binder{}",
                plan.settings.name,
                if plan.settings.purpose == "due-process" {
                    String::new()
                } else {
                    format!(" --purpose {}", plan.settings.purpose)
                }
            )?,
        }
        out.flush()?;
        return Ok(0);
    }
    if args.dry_run {
        print_plan(&mut out, &plan)?;
        writeln!(
            out,
            "\nNothing was written (--dry-run). Build it with the same command without --dry-run."
        )?;
        out.flush()?;
        return Ok(strict_code(&args, &plan));
    }

    // A new folder is made private; a folder that exists (a Desktop) is left as it is.
    if let Some(dir) = target.parent().filter(|d| !d.exists()) {
        crate::case::create_private_dir(dir).map_err(|e| {
            user_error(
                format!("Could not create the folder {}: {e}", dir.display()),
                "Choose where to write the binder with --out FILE.pdf.",
            )
        })?;
    }
    let built = build::build(&mut plan, &case.root, &target)?;
    let file_name = target
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default();
    let manifest = outputs::manifest(&plan, &file_name, &built.sha256, built.size, built.fonts.clone());
    let (csv_path, md_path, json_path) = outputs::companions(&target);
    let mut manifest_json = serde_json::to_string_pretty(&manifest)?;
    manifest_json.push('\n');
    let files: [(&PathBuf, Vec<u8>); 3] = [
        (&csv_path, outputs::index_csv(&manifest.exhibits).into_bytes()),
        (
            &md_path,
            outputs::index_md(&plan, &manifest.exhibits).into_bytes(),
        ),
        (&json_path, manifest_json.clone().into_bytes()),
    ];
    for (path, bytes) in &files {
        write_atomic(path, bytes)?;
    }
    for path in [&target, &csv_path, &md_path, &json_path] {
        if let Ok(rel) = path.strip_prefix(&case.root) {
            let rel = crate::scan::walk::rel_path(Path::new(""), rel);
            let sha = if *path == target {
                built.sha256.clone()
            } else {
                sha256_hex(&std::fs::read(path).unwrap_or_default())
            };
            catalog.record_output(&rel, &sha)?;
        }
    }
    let given: Vec<(String, String)> = plan
        .exhibits
        .iter()
        .filter(|e| e.parent.is_none())
        .map(|e| (e.sha256.clone(), e.label.clone()))
        .collect();
    catalog.record_binder_build(&plan.settings.name, &given, &manifest_json, args.renumber)?;

    let shown = |p: &Path| {
        p.strip_prefix(&ctx.cwd)
            .map(|r| r.display().to_string())
            .unwrap_or_else(|_| p.display().to_string())
    };
    writeln!(out, "Wrote {}", shown(&target))?;
    writeln!(
        out,
        "  {} exhibits, {} pages: {} front pages, {} tab pages, {} exhibit pages",
        plan.exhibits.len(),
        plan.total_pages,
        plan.front_pages(),
        plan.tab_pages(),
        plan.exhibit_pages()
    )?;
    if let (Some(a), Some(b)) = (plan.exhibits.first(), plan.exhibits.last()) {
        writeln!(
            out,
            "  Bates {} to {}",
            plan.settings.bates(a.bates_start),
            plan.settings.bates(b.bates_end)
        )?;
    }
    if let Some(d) = plan.disclosure_deadline {
        writeln!(
            out,
            "  Disclose the exhibits to the district by {d} (5 business days before the hearing)."
        )?;
    }
    writeln!(
        out,
        "Beside it: {}, {}, {}",
        shown(&csv_path),
        shown(&md_path),
        shown(&json_path)
    )?;
    if let Some(prev) = &previous {
        let news: Vec<&str> = new_exhibits
            .iter()
            .filter(|e| !prev.exhibits.iter().any(|p| p.sha256 == e.sha256))
            .map(|e| e.exhibit.as_str())
            .collect();
        if !news.is_empty() {
            writeln!(
                out,
                "New since the last build: {} (`casebinder binder --diff` said what moved before this build).",
                news.join(", ")
            )?;
        }
    }
    if !built.missing_chars.is_empty() {
        plan.warnings.push(format!(
            "No font on this computer has these characters, so they print as \"?\": {}. Install a font that has them (for example fonts-noto-cjk) and build again.",
            built.missing_chars
        ));
    }
    out.flush()?;
    warn(&plan);
    writeln!(
        out,
        "Next: open the PDF and look through it. Later, `casebinder verify \"{}\"` checks that nothing changed.",
        shown(&target)
    )?;
    out.flush()?;
    Ok(strict_code(&args, &plan))
}

fn strict_code(args: &BinderArgs, plan: &Plan) -> u8 {
    if args.strict && !plan.placeholders().is_empty() {
        2
    } else {
        0
    }
}

fn warn(plan: &Plan) {
    let mut err = std::io::stderr().lock();
    for w in &plan.warnings {
        let _ = writeln!(err, "warning: {w}");
    }
}

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = build::partial_path(path);
    std::fs::write(&tmp, bytes)
        .and_then(|_| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            user_error(
                format!("Could not write {}: {e}", path.display()),
                "Check that the disk has free space and the folder is writable.",
            )
        })
}

/// The Bates prefix from the case: the student's last name, else the folder name, in capitals.
fn default_prefix(case: &Case, catalog: &Catalog) -> Result<String> {
    let clean = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_uppercase())
            .take(12)
            .collect()
    };
    if let Some(name) = catalog.setting("name")?
        && let Some(last) = name.split_whitespace().last()
        && !clean(last).is_empty()
    {
        return Ok(clean(last));
    }
    let folder = case
        .root
        .file_name()
        .map(|f| clean(&f.to_string_lossy()))
        .unwrap_or_default();
    Ok(if folder.is_empty() { "CASE".into() } else { folder })
}

fn settings(ctx: &Ctx, case: &Case, catalog: &Catalog, args: &BinderArgs) -> Result<(Settings, PathBuf)> {
    let purpose = purpose_name(args.purpose);
    let pick = |on: bool, off: bool, default: bool| {
        if on {
            true
        } else if off {
            false
        } else {
            default
        }
    };
    let date = date_or_today(args.date.as_deref(), "--date")?;
    let hearing_date = args
        .hearing_date
        .as_deref()
        .map(|h| date_or_today(Some(h), "--hearing-date"))
        .transpose()?;
    let bates_prefix = match &args.bates_prefix {
        Some(p) => {
            let p = p.trim().trim_end_matches('-').to_string();
            if p.is_empty()
                || p.len() > 20
                || !p
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                return Err(user_error(
                    format!("\"{p}\" cannot be a Bates prefix."),
                    "Use up to 20 letters, digits, - or _, for example RIVERA or LUSD.",
                ));
            }
            p
        }
        None => default_prefix(case, catalog)?,
    };
    let target = match &args.out {
        Some(p) => {
            let mut p = crate::case::absolute(p, &ctx.cwd);
            if p.extension().is_none_or(|e| !e.eq_ignore_ascii_case("pdf")) {
                p.set_extension("pdf");
            }
            p
        }
        None => case.root.join(BINDERS_DIR).join(format!("{purpose}-binder.pdf")),
    };
    let name = target
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| format!("{purpose}-binder"));
    let student = catalog.setting("name")?;
    let district = catalog.setting("district")?;
    let case_title = student.clone().unwrap_or_else(|| {
        case.root
            .file_name()
            .map(|f| f.to_string_lossy().to_string())
            .unwrap_or_else(|| "Case".into())
    });
    let s = Settings {
        name,
        purpose,
        query: args.query.join(" "),
        labels: args.labels.trim().to_string(),
        bates_prefix,
        bates_digits: args.bates_digits as usize,
        bates_start: args.bates_start,
        paper: match args.paper {
            Paper::Letter => "letter",
            Paper::A4 => "a4",
        },
        tabs: pick(args.tabs, args.no_tabs, args.purpose == Purpose::DueProcess),
        chronology: pick(args.chronology, args.no_chronology, true),
        findings: pick(
            args.findings,
            args.no_findings,
            args.purpose == Purpose::StateComplaint,
        ),
        date,
        hearing_date,
        prepared_by: args.prepared_by.clone().filter(|p| !p.trim().is_empty()),
        case_title,
        student,
        district,
        state: args.state.clone().or(catalog.setting("state")?),
        docx: if crate::binder::convert::office().is_some() {
            "libreoffice"
        } else {
            "text"
        },
    };
    Ok((s, target))
}

fn print_plan<W: Write>(out: &mut W, plan: &Plan) -> std::io::Result<()> {
    let s = &plan.settings;
    let rows: Vec<Vec<String>> = plan
        .exhibits
        .iter()
        .map(|e| {
            let pages = if e.first_page == e.last_page {
                e.first_page.to_string()
            } else {
                format!("{}-{}", e.first_page, e.last_page)
            };
            vec![
                e.label.clone(),
                e.date.clone().unwrap_or_else(|| "undated".into()),
                crate::classify::kinds::label(&e.kind).to_string(),
                output::ellipsize(&e.title, 38),
                e.pages.to_string(),
                pages,
                format!("{}..{}", s.bates(e.bates_start), s.bates(e.bates_end)),
                match (&e.body, e.new) {
                    (crate::binder::Body::Placeholder(_), _) => "placeholder".into(),
                    (_, true) => "new since the last build".into(),
                    _ => String::new(),
                },
            ]
        })
        .collect();
    writeln!(
        out,
        "{}",
        output::table(
            &[
                "exhibit",
                "date",
                "kind",
                "title",
                "pages",
                "binder pages",
                "bates",
                "note"
            ],
            rows
        )
    )?;
    writeln!(
        out,
        "{} exhibits, {} binder pages: {} front pages (cover, index{}{}), {} tab pages, {} exhibit pages.",
        plan.exhibits.len(),
        plan.total_pages,
        plan.front_pages(),
        if s.chronology { ", chronology" } else { "" },
        if s.findings { ", findings" } else { "" },
        plan.tab_pages(),
        plan.exhibit_pages()
    )?;
    if !plan.left_out.is_empty() {
        writeln!(out, "Left out ({}):", plan.left_out.len())?;
        for l in &plan.left_out {
            writeln!(out, "  {}: {}", l.locator, l.reason)?;
        }
    }
    for w in &plan.warnings {
        writeln!(out, "warning: {w}")?;
    }
    Ok(())
}

fn print_diff<W: Write>(out: &mut W, prev: &Manifest, now: &[ManifestExhibit]) -> std::io::Result<()> {
    let before: HashMap<&str, &ManifestExhibit> =
        prev.exhibits.iter().map(|e| (e.sha256.as_str(), e)).collect();
    let after: HashMap<&str, &ManifestExhibit> = now.iter().map(|e| (e.sha256.as_str(), e)).collect();
    let built = prev
        .settings
        .get("date")
        .and_then(|d| d.as_str())
        .unwrap_or("the last build");
    writeln!(out, "Changes since the build of {built} ({}):", prev.binder.file)?;
    let mut any = false;
    for e in now {
        if !before.contains_key(e.sha256.as_str()) {
            any = true;
            writeln!(
                out,
                "  new      {}  {}  {}: {} (binder pages {}-{}, {} to {})",
                e.exhibit,
                e.date.as_deref().unwrap_or("undated"),
                crate::classify::kinds::label(&e.kind),
                e.title,
                e.binder_first_page,
                e.binder_last_page,
                e.bates_start,
                e.bates_end
            )?;
        }
    }
    for e in &prev.exhibits {
        if !after.contains_key(e.sha256.as_str()) {
            any = true;
            writeln!(
                out,
                "  removed  {}  {}  {}: {} (was {} to {})",
                e.exhibit,
                e.date.as_deref().unwrap_or("undated"),
                crate::classify::kinds::label(&e.kind),
                e.title,
                e.bates_start,
                e.bates_end
            )?;
        }
    }
    let mut moved = Vec::new();
    for e in now {
        if let Some(p) = before.get(e.sha256.as_str()) {
            if p.exhibit != e.exhibit {
                any = true;
                writeln!(out, "  relabelled {} is now {}", p.exhibit, e.exhibit)?;
            }
            if p.pages != e.pages {
                any = true;
                writeln!(
                    out,
                    "  changed  {}: {} pages, was {}",
                    e.exhibit, e.pages, p.pages
                )?;
            } else if p.bates_start != e.bates_start || p.binder_first_page != e.binder_first_page {
                moved.push(format!(
                    "{} ({} to {}, was {} to {})",
                    e.exhibit, e.bates_start, e.bates_end, p.bates_start, p.bates_end
                ));
            }
        }
    }
    if !moved.is_empty() {
        any = true;
        writeln!(
            out,
            "  moved    {} exhibit(s) now sit on other pages and Bates numbers:",
            moved.len()
        )?;
        for m in moved {
            writeln!(out, "           {m}")?;
        }
    }
    if !any {
        writeln!(
            out,
            "  nothing: the same exhibits, labels, pages and Bates numbers."
        )?;
    }
    Ok(())
}

pub fn run_verify(ctx: &Ctx, args: VerifyArgs) -> Result<u8> {
    let pdf = crate::case::absolute(&args.binder, &ctx.cwd);
    let (_, _, json) = outputs::companions(&pdf);
    let raw = std::fs::read_to_string(&json).map_err(|e| {
        user_error(
            format!("Could not read the manifest {}: {e}", json.display()),
            "verify needs the -manifest.json file written beside the binder; keep them in the same folder.",
        )
    })?;
    let manifest: Manifest = serde_json::from_str(&raw).map_err(|e| {
        user_error(
            format!("{} is not a casebinder manifest ({e}).", json.display()),
            "Build the binder again with `casebinder binder` to get a fresh manifest.",
        )
    })?;
    let mut out = output::stdout();
    let mut problems = 0;
    match hash_file(&pdf) {
        Ok(sha) if sha == manifest.binder.sha256 => writeln!(
            out,
            "ok        the binder PDF is exactly as built (SHA-256 {}…)",
            &sha[..16]
        )?,
        Ok(_) => {
            problems += 1;
            writeln!(
                out,
                "CHANGED   the binder PDF is not the file that was built (it was edited, re-saved or replaced)"
            )?;
        }
        Err(e) => {
            problems += 1;
            writeln!(out, "MISSING   the binder PDF: {e}")?;
        }
    }
    let case = ctx
        .case()
        .or_else(|_| Case::find(None, pdf.parent().unwrap_or(Path::new("."))));
    match case {
        Ok(case) => {
            let mut changed = 0;
            for e in &manifest.exhibits {
                match source::fetch(&case.root, &e.locator) {
                    Ok(bytes) if sha256_hex(&bytes) == e.sha256 => {}
                    Ok(_) => {
                        changed += 1;
                        writeln!(
                            out,
                            "CHANGED   {} {}: the source file is different now",
                            e.exhibit, e.locator
                        )?;
                    }
                    Err(err) => {
                        changed += 1;
                        writeln!(out, "MISSING   {} {}: {err}", e.exhibit, e.locator)?;
                    }
                }
            }
            if changed == 0 {
                writeln!(
                    out,
                    "ok        all {} sources match their SHA-256",
                    manifest.exhibits.len()
                )?;
            }
            problems += changed;
        }
        Err(_) => {
            writeln!(
                out,
                "skipped   the sources: the case folder was not found (use --case DIR)"
            )?;
        }
    }
    if problems > 0 {
        writeln!(
            out,
            "{problems} problem(s). If the changes are expected, run `casebinder scan` and build the binder again."
        )?;
    }
    out.flush()?;
    Ok(if problems > 0 { 1 } else { 0 })
}

fn hash_file(path: &Path) -> std::io::Result<String> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex::encode(h.finalize()))
}
