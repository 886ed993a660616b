//! The binder's one loader: everything the planner needs from the catalog, the case folder,
//! LibreOffice and the installed fonts, gathered in one place so the planner can stay pure.

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::Result;

use super::font::Fonts;
use super::{
    Content, DocxMode, Previous, Selection, Settings, Source, bates, convert, image, select, source,
};
use crate::case::Case;
use crate::case::settings::CaseSettings;
use crate::case::story::{self, CheckRequest};
use crate::catalog::{Catalog, DocRow};
use crate::query::Query;

/// How .docx files will become pages on this computer.
pub fn docx_mode() -> DocxMode {
    if convert::office().is_some() {
        DocxMode::LibreOffice
    } else {
        DocxMode::Text
    }
}

/// Reads what the binder described by `settings` needs. `renumber` forgets the labels given
/// before.
pub fn load(
    catalog: &Catalog,
    case: &Case,
    settings: &Settings,
    case_settings: &CaseSettings,
    query: Option<&Query>,
    renumber: bool,
) -> Result<Selection> {
    // The rules are resolved first, whatever the binder shows: a state casebinder has no rules
    // for is refused here as in `check`.
    case_settings.rules(settings.state.as_deref())?;
    let rows = catalog.list(query.unwrap_or(&Query::default()), false)?;
    let (mut chosen, mut left_out) = select::select(rows, settings, query.is_some());
    // Copies the family left out by their path: the document comes from its other places, and
    // the manifest names each copy left out.
    let copies_out = catalog.excluded_locations()?;
    if !copies_out.is_empty() {
        for row in &mut chosen {
            let (out, kept): (Vec<String>, Vec<String>) = row
                .locations
                .iter()
                .cloned()
                .partition(|l| copies_out.contains(l));
            if out.is_empty() || kept.is_empty() {
                continue;
            }
            if copies_out.contains(&row.path) {
                row.path = kept[0].clone();
            }
            row.locations = kept;
            for l in out {
                left_out.push(super::LeftOut {
                    reason: format!(
                        "a copy left out on purpose (set --exclude); the same document is in the binder from {}",
                        row.path
                    ),
                    locator: l,
                });
            }
        }
    }
    let mut warnings = Vec::new();
    let mut sources = Vec::with_capacity(chosen.len());
    // Pictures and Word files inside a mailbox's messages: the mailbox is located once.
    let mailboxes = source::MailboxIndex::from_scan(catalog.mailbox_places()?);
    // Word files laid out by LibreOffice take seconds each: the reading shows its progress.
    let bar = crate::output::progress(chosen.len() as u64, "Reading exhibits");
    for row in chosen {
        let content = content(catalog, case, &row, settings, &mut warnings, &mailboxes)?;
        let turns = catalog.quarter_turns(&row.sha256)?;
        sources.push(Source { row, content, turns });
        bar.inc(1);
    }
    bar.finish_and_clear();
    // Word files set as plain text because LibreOffice is not here: said, with how to do better.
    if settings.docx == DocxMode::Text {
        let words: Vec<&str> = sources
            .iter()
            .filter(|s| s.row.format == "docx")
            .map(|s| s.row.path.as_str())
            .collect();
        if !words.is_empty() {
            warnings.push(format!(
                "{} Word file(s) are set as plain text, without their tables, headers and fonts, because LibreOffice is not installed: {}. \
                 To set them as their authors laid them out, install LibreOffice (on Debian or Ubuntu: sudo apt-get install libreoffice-writer) and build again.",
                words.len(),
                words.join(", ")
            ));
        }
    }
    // The binder's date bounds its story: nothing dated after it is shown or judged.
    let whole = story::story(catalog, &Query::default())?.until(settings.date);
    let findings = if settings.findings {
        story::findings(
            &whole,
            case_settings,
            &CheckRequest {
                as_of: Some(settings.date),
                state: settings.state.as_deref(),
                soft_days: None,
                hearing: settings.hearing_date,
            },
        )?
        .findings
    } else {
        Vec::new()
    };
    // The picture of the case (its deadlines judged by the binder's rules on its date).
    let picture = if settings.timeline_page {
        let request = CheckRequest {
            as_of: Some(settings.date),
            state: settings.state.as_deref(),
            soft_days: None,
            hearing: settings.hearing_date,
        };
        let report = story::findings(&whole, case_settings, &request)?;
        let (gaps, _) = story::missing(&whole, case_settings, settings.date)?;
        Some(crate::picture::build(
            &whole.events,
            &whole.docs,
            &report,
            &gaps,
            &BTreeMap::new(),
            &catalog.document_hashes()?,
        ))
    } else {
        None
    };
    let kept = if renumber {
        BTreeMap::new()
    } else {
        catalog.binder_labels(&settings.name)?
    };
    let (previous, bates_learnt) = numbers_given(catalog, case, settings, renumber, &mut warnings)?;
    Ok(Selection {
        sources,
        left_out,
        events: whole.events,
        findings,
        picture,
        kept,
        previous: Some(previous),
        bates_learnt,
        fonts: Fonts::new(0),
        warnings,
    })
}

/// Why a PDF that takes far too long to read is not copied into a binder (printed on its
/// placeholder page).
const TOO_SLOW_TO_DRAW: &str = "This PDF takes far too long to draw (a page draws far more than a page can show, as a damaged or hostile file does), so its pages are not copied here: they would stall the reader's PDF viewer. Print it to a new PDF, put that copy in the case folder, and scan again.";

/// The largest manifest file read back from the binders folder.
const MAX_MANIFEST_BYTES: u64 = 64 << 20;

/// The Bates numbers the case has given: its registry, and the numbers shown by binders already
/// made that the registry does not hold yet (built before it, or by a catalog since lost), as
/// (registry, ranges learnt). Says when the prefix is not the one of this binder's last build.
fn numbers_given(
    catalog: &Catalog,
    case: &Case,
    settings: &Settings,
    renumber: bool,
    warnings: &mut Vec<String>,
) -> Result<(Previous, Vec<bates::Range>)> {
    let mut registry = bates::Registry::new(catalog.bates_ranges()?);
    let mut learnt = Vec::new();
    let mut manifests: Vec<(String, super::outputs::Manifest)> = Vec::new();
    for (binder, json) in catalog.binder_builds()? {
        if let Ok(m) = serde_json::from_str(&json) {
            manifests.push((binder, m));
        }
    }
    manifests.extend(manifests_in(&super::default_target(&case.home, "x")));
    for (binder, m) in &manifests {
        learnt.extend(learn_manifest(&mut registry, m, binder));
    }
    let clashes = learnt.iter().filter(|r| r.retired).count();
    if clashes > 0 {
        warnings.push(format!(
            "Binders made before this version gave {clashes} run(s) of Bates numbers to pages that other binders numbered the same: those numbers are retired and never given again."
        ));
    }
    let last_prefix = manifests
        .iter()
        .find(|(b, _)| *b == settings.name)
        .and_then(|(_, m)| m.exhibits.first())
        .and_then(|e| bates::split(&e.bates_start).map(|(p, _)| p.to_string()));
    if let Some(was) = last_prefix.filter(|p| *p != settings.bates_prefix) {
        warnings.push(format!(
            "The Bates prefix is now {} (it was {was} in the last build of this binder): pages numbered under {} before keep those numbers; the others get new ones.",
            settings.bates_prefix, settings.bates_prefix
        ));
    }
    Ok((
        Previous {
            registry,
            prefix: settings.bates_prefix.clone(),
            renumber,
        },
        learnt,
    ))
}

/// Learns the numbers a binder's manifest shows (a binder made before the registry, or by
/// a catalog since lost): every exhibit's range under its prefix. Returns the ranges it did
/// not know (a clash among them is kept retired).
fn learn_manifest(
    reg: &mut bates::Registry,
    m: &super::outputs::Manifest,
    binder: &str,
) -> Vec<bates::Range> {
    let mut new = Vec::new();
    for e in &m.exhibits {
        let (Some((prefix, first)), Some((prefix2, last))) =
            (bates::split(&e.bates_start), bates::split(&e.bates_end))
        else {
            continue;
        };
        if prefix != prefix2 || last < first || last - first + 1 != u64::from(e.pages.max(1)) {
            continue;
        }
        let range = bates::Range {
            prefix: prefix.to_string(),
            first,
            last,
            sha256: e.sha256.clone(),
            pages: e.pages.max(1),
            binder: binder.to_string(),
            retired: false,
        };
        match reg.merge(range.clone()) {
            bates::Merged::Known | bates::Merged::Retired => {}
            bates::Merged::Added => new.push(range),
            bates::Merged::Clash => new.push(bates::Range {
                retired: true,
                ..range
            }),
        }
    }
    new
}

/// The manifests in the folder of `target` (binder name, manifest), read without following links.
fn manifests_in(target: &std::path::Path) -> Vec<(String, super::outputs::Manifest)> {
    let Some(dir) = target.parent() else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<std::path::PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with("-manifest.json"))
        .collect();
    names.sort();
    names
        .into_iter()
        .filter_map(|p| {
            let meta = std::fs::symlink_metadata(&p).ok()?;
            if !meta.is_file() || meta.len() > MAX_MANIFEST_BYTES {
                return None;
            }
            let m: super::outputs::Manifest = serde_json::from_slice(&std::fs::read(&p).ok()?).ok()?;
            let stem = p
                .file_name()?
                .to_string_lossy()
                .trim_end_matches("-manifest.json")
                .to_string();
            Some((stem, m))
        })
        .collect()
}

/// What one chosen document holds, as far as the binder needs to know before writing.
fn content(
    catalog: &Catalog,
    case: &Case,
    row: &DocRow,
    settings: &Settings,
    warnings: &mut Vec<String>,
    mailboxes: &source::MailboxIndex,
) -> Result<Content> {
    let root = &case.root;
    let unreadable = |r: &DocRow| {
        r.reason
            .clone()
            .unwrap_or_else(|| format!("it could not be read ({})", r.status))
    };
    Ok(match (row.status.as_str(), row.format.as_str()) {
        ("encrypted" | "corrupt", _) => Content::Unreadable(unreadable(row)),
        // Poppler could not read a word of it in its time: a reader's PDF viewer would stall
        // on these pages too, so the binder says so instead of copying them.
        ("no_text", "pdf") if catalog.doc_meta(row.id)?["too_slow"] == serde_json::Value::Bool(true) => {
            Content::Unreadable(TOO_SLOW_TO_DRAW.into())
        }
        (_, "pdf") => match row.pages {
            Some(n) if n > 0 => Content::Pdf {
                pages: n as u32,
                bottoms: catalog.page_bottoms(row.id)?,
            },
            _ => Content::Unreadable("this PDF has no pages casebinder can find.".into()),
        },
        (_, "image") => match source::fetch_checked_with(root, &row.path, &row.sha256, Some(mailboxes)) {
            Ok(bytes) => Content::Image {
                pages: image::page_count(&bytes),
            },
            Err(err) => {
                warnings.push(format!(
                    "{}: {err}. Run `casebinder scan` and build again.",
                    row.path
                ));
                Content::Unreadable(format!("{err}."))
            }
        },
        (_, "docx") if settings.docx == DocxMode::LibreOffice => match converted(case, row, mailboxes) {
            Ok((pdf, pages)) => Content::Converted { pdf, pages },
            Err(err) => {
                warnings.push(format!("{}: {err}; its text is used instead.", row.path));
                Content::Text(catalog.page_texts(row.id)?)
            }
        },
        (_, "email" | "text" | "docx" | "html") => Content::Text(catalog.page_texts(row.id)?),
        _ => Content::Unreadable("casebinder cannot draw this kind of file.".into()),
    })
}

/// A .docx as LibreOffice lays it out: the PDF it made and its page count.
fn converted(
    case: &Case,
    row: &DocRow,
    mailboxes: &source::MailboxIndex,
) -> Result<(Arc<Vec<u8>>, u32), String> {
    let office = convert::office().ok_or("LibreOffice is not installed")?;
    let root = &case.root;
    let work = case.private_dir().join("tmp").join(format!(
        "convert-{}-{}",
        std::process::id(),
        &row.sha256[..16.min(row.sha256.len())]
    ));
    let pdf = source::fetch_checked_with(root, &row.path, &row.sha256, Some(mailboxes))
        .and_then(|bytes| convert::docx_to_pdf(office, &work, &bytes))?;
    let n = lopdf::Document::load_mem(&pdf)
        .map(|d| d.get_pages().len())
        .map_err(|err| format!("LibreOffice's PDF could not be read ({err})"))?;
    if n == 0 {
        return Err("LibreOffice's PDF has no pages".into());
    }
    Ok((Arc::new(pdf), n as u32))
}
