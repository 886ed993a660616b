//! The binder's one loader: everything the planner needs from the catalog, the case folder,
//! LibreOffice and the installed fonts, gathered in one place so the planner can stay pure.

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::Result;

use super::font::Fonts;
use super::{Content, DocxMode, Previous, Selection, Settings, Source, convert, image, select, source};
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
    let (chosen, left_out) = select::select(rows, settings, query.is_some());
    let mut warnings = Vec::new();
    let mut sources = Vec::with_capacity(chosen.len());
    // Pictures and Word files inside a mailbox's messages: the mailbox is located once.
    let mailboxes = source::MailboxIndex::default();
    for row in chosen {
        let content = content(catalog, case, &row, settings, &mut warnings, &mailboxes)?;
        let turns = catalog.quarter_turns(&row.sha256)?;
        sources.push(Source { row, content, turns });
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
    let kept = if renumber {
        BTreeMap::new()
    } else {
        catalog.binder_labels(&settings.name)?
    };
    let previous = if renumber {
        None
    } else {
        catalog
            .last_binder_build(&settings.name)?
            .and_then(|m| serde_json::from_str::<super::outputs::Manifest>(&m).ok())
            .and_then(|m| previous_numbers(&m, settings, &mut warnings))
    };
    Ok(Selection {
        sources,
        left_out,
        events: whole.events,
        findings,
        kept,
        previous,
        fonts: Fonts::new(0),
        warnings,
    })
}

/// The Bates numbers of the last build, when they can be kept (the same prefix).
fn previous_numbers(
    m: &super::outputs::Manifest,
    settings: &Settings,
    warnings: &mut Vec<String>,
) -> Option<Previous> {
    let prefix = format!("{}-", settings.bates_prefix);
    let number = |b: &str| b.strip_prefix(&prefix).and_then(|n| n.parse::<u64>().ok());
    let mut p = Previous {
        high_water: m.bates_high_water,
        ..Previous::default()
    };
    for e in &m.exhibits {
        let (Some(start), Some(end)) = (number(&e.bates_start), number(&e.bates_end)) else {
            warnings.push(format!(
                "The Bates prefix is now {} (it was {} in the last build): every page gets a new number.",
                settings.bates_prefix,
                e.bates_start
                    .rsplit_once('-')
                    .map_or(e.bates_start.as_str(), |x| x.0)
            ));
            return None;
        };
        p.starts.insert(e.sha256.clone(), (start, e.pages.max(1)));
        p.high_water = p.high_water.max(end);
    }
    Some(p)
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
