//! Choosing and ordering the exhibits, labelling them, and counting every page, without writing.
//!
//! The plan is the whole binder but its bytes: `--dry-run` prints it, `--diff` compares it with
//! the last build, and [`super::build`] writes exactly it.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use anyhow::Result;
use chrono::{Datelike, NaiveDate};

use super::font::Fonts;
use super::labels::{self, Style};
use super::{Body, Exhibit, FrontPage, LeftOut, Settings, front, image, source};
use crate::catalog::{Catalog, DocRow};
use crate::checks::Finding;
use crate::query::Query;

/// One line of the chronology: a dated event and the exhibits that show it.
#[derive(Clone, Debug)]
pub struct ChronoEntry {
    pub date: NaiveDate,
    pub text: String,
    pub exhibits: Vec<usize>,
    pub verbal: bool,
}

/// The binder, page by page, before it is written.
pub struct Plan {
    pub settings: Settings,
    pub exhibits: Vec<Exhibit>,
    pub front: Vec<FrontPage>,
    pub left_out: Vec<LeftOut>,
    pub warnings: Vec<String>,
    pub total_pages: u32,
    pub chronology: Vec<ChronoEntry>,
    pub findings: Vec<Finding>,
    pub disclosure_deadline: Option<NaiveDate>,
    pub fonts: Fonts,
}

impl Plan {
    pub fn front_pages(&self) -> u32 {
        self.front.len() as u32
    }

    pub fn exhibit_pages(&self) -> u32 {
        self.exhibits.iter().map(|e| e.pages).sum()
    }

    pub fn tab_pages(&self) -> u32 {
        self.exhibits.iter().filter(|e| e.tab_page.is_some()).count() as u32
    }

    /// Exhibits that are placeholders (could not be included).
    pub fn placeholders(&self) -> Vec<&Exhibit> {
        self.exhibits
            .iter()
            .filter(|e| matches!(e.body, Body::Placeholder(_)))
            .collect()
    }
}

/// What the plan needs besides the catalog.
pub struct Inputs<'a> {
    pub root: &'a Path,
    pub query: Option<Query>,
    pub style: Style,
    pub kept: BTreeMap<String, String>,
    pub findings: Vec<Finding>,
    pub disclosure_deadline: Option<NaiveDate>,
}

pub fn plan(catalog: &Catalog, settings: Settings, inputs: Inputs<'_>) -> Result<Plan> {
    let rows = catalog.list(inputs.query.as_ref().unwrap_or(&Query::default()), false)?;
    let (chosen, left_out) = select(rows, &settings, inputs.query.is_some());
    let mut fonts = Fonts::new(0);
    let mut warnings = Vec::new();

    // Attachments follow their email unless they are exhibits of their own.
    let ids: HashSet<i64> = chosen.iter().map(|r| r.id).collect();
    let emails: HashSet<i64> = chosen
        .iter()
        .filter(|r| r.format == "email")
        .map(|r| r.id)
        .collect();
    let only_attached = |r: &DocRow| !r.locations.is_empty() && r.locations.iter().all(|l| l.contains("::"));
    let mut parent_of: HashMap<i64, i64> = HashMap::new();
    for r in &chosen {
        if only_attached(r)
            && let Some(p) = r.parent_ids.iter().find(|p| emails.contains(p) && **p != r.id)
        {
            parent_of.insert(r.id, *p);
        }
    }
    // An attachment of an attachment follows the top email.
    let top_of = |mut id: i64| {
        for _ in 0..8 {
            match parent_of.get(&id) {
                Some(p) if ids.contains(p) => id = *p,
                _ => break,
            }
        }
        id
    };
    let mut top: Vec<&DocRow> = chosen.iter().filter(|r| !parent_of.contains_key(&r.id)).collect();
    top.sort_by(|a, b| {
        (a.date.is_none(), &a.date, &a.path, a.id).cmp(&(b.date.is_none(), &b.date, &b.path, b.id))
    });
    let order: Vec<String> = top.iter().map(|r| r.sha256.clone()).collect();
    let assigned = labels::assign(&inputs.style, &order, &inputs.kept);
    let by_sha: HashMap<&str, &DocRow> = top.iter().map(|r| (r.sha256.as_str(), *r)).collect();

    let mut exhibits: Vec<Exhibit> = Vec::new();
    for (sha, label, new) in &assigned {
        let Some(row) = by_sha.get(sha.as_str()) else {
            continue;
        };
        let parent_index = exhibits.len();
        exhibits.push(exhibit(
            catalog,
            inputs.root,
            row,
            label.clone(),
            *new,
            None,
            &settings,
            &mut fonts,
            &mut warnings,
        )?);
        let mut subs: Vec<&DocRow> = chosen
            .iter()
            .filter(|r| parent_of.contains_key(&r.id) && top_of(r.id) == row.id)
            .collect();
        subs.sort_by(|a, b| (&a.path, a.id).cmp(&(&b.path, b.id)));
        for (k, sub) in subs.iter().enumerate() {
            let sub_label = inputs.style.sub(label, k as u64 + 1);
            let is_new = *new;
            exhibits.push(exhibit(
                catalog,
                inputs.root,
                sub,
                sub_label,
                is_new,
                Some(parent_index),
                &settings,
                &mut fonts,
                &mut warnings,
            )?);
        }
    }
    for e in &exhibits {
        if let Body::Placeholder(reason) = &e.body {
            warnings.push(format!(
                "{} ({}) could not be included: {reason} A page in the binder says so.",
                e.label, e.locator
            ));
        }
    }

    let chronology = if settings.chronology {
        chronology(catalog, &exhibits)?
    } else {
        Vec::new()
    };
    let findings = if settings.findings {
        inputs.findings
    } else {
        Vec::new()
    };
    let mut plan = Plan {
        settings,
        exhibits,
        front: Vec::new(),
        left_out,
        warnings,
        total_pages: 0,
        chronology,
        findings,
        disclosure_deadline: inputs.disclosure_deadline,
        fonts,
    };
    // The front matter's length moves every page number after it, and its index prints those
    // numbers: lay it out until the count settles (twice, in practice).
    let mut front_len = 2;
    for _ in 0..8 {
        number(&mut plan, front_len);
        let front = front::layout(&mut plan);
        let settled = front.len() as u32 == front_len;
        front_len = front.len() as u32;
        plan.front = front;
        if settled {
            break;
        }
    }
    number(&mut plan, front_len);
    Ok(plan)
}

/// Gives every exhibit its tab page, binder pages and Bates range.
fn number(plan: &mut Plan, front_len: u32) {
    let mut page = front_len + 1;
    let mut bates = plan.settings.bates_start;
    for e in &mut plan.exhibits {
        e.tab_page = None;
        if plan.settings.tabs && e.parent.is_none() {
            e.tab_page = Some(page);
            page += 1;
        }
        e.first_page = page;
        e.last_page = page + e.pages.max(1) - 1;
        e.bates_start = bates;
        e.bates_end = bates + u64::from(e.pages.max(1)) - 1;
        page += e.pages.max(1);
        bates += u64::from(e.pages.max(1));
    }
    plan.total_pages = page - 1;
}

/// The documents for this purpose, and those left out with the reason.
fn select(rows: Vec<DocRow>, s: &Settings, query_given: bool) -> (Vec<DocRow>, Vec<LeftOut>) {
    let mut chosen = Vec::new();
    let mut left = Vec::new();
    let mut out = |r: &DocRow, reason: String| {
        left.push(LeftOut {
            locator: r.path.clone(),
            reason,
        })
    };
    let mut candidates = Vec::new();
    for r in rows {
        if r.excluded {
            out(
                &r,
                "you left it out of binders (casebinder set … --exclude)".into(),
            );
        } else if let Some(d) = r.duplicate_of {
            out(&r, format!("the same document as {d}, which is included once"));
        } else if r.status == "unsupported" {
            out(
                &r,
                "casebinder cannot read or draw this kind of file; save it as PDF to include it".into(),
            );
        } else {
            candidates.push(r);
        }
    }
    if query_given || s.purpose == "due-process" {
        return (candidates, left);
    }
    let date_of = |r: &DocRow| {
        r.date
            .as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    };
    if s.purpose == "state-complaint" {
        let from = s.date.with_year(s.date.year() - 1).unwrap_or(s.date);
        for r in candidates {
            match date_of(&r) {
                Some(d) if d >= from && d <= s.date => chosen.push(r),
                Some(_) => out(
                    &r,
                    format!("dated outside the one-year window ({from} to {})", s.date),
                ),
                None => out(
                    &r,
                    "undated: give it a date (casebinder set ID --date …) to include it".into(),
                ),
            }
        }
        return (chosen, left);
    }
    // Mediation: a working set. The current and prior IEP (and amendments since), the latest
    // evaluations, the latest school year's progress reports, and the notices and letters.
    let latest = |kinds: &[&str]| {
        candidates
            .iter()
            .filter(|r| r.kind.as_deref().is_some_and(|k| kinds.contains(&k)))
            .filter_map(date_of)
            .max()
    };
    let iep_dates: Vec<NaiveDate> = {
        let mut v: Vec<NaiveDate> = candidates
            .iter()
            .filter(|r| r.kind.as_deref() == Some("iep"))
            .filter_map(date_of)
            .collect();
        v.sort();
        v
    };
    let prior_iep = iep_dates
        .len()
        .checked_sub(2)
        .and_then(|i| iep_dates.get(i))
        .copied();
    let latest_eval = latest(&["evaluation", "iee", "eligibility", "fba"]);
    let latest_progress = latest(&["progress_report", "report_card", "service_log"]);
    for r in candidates {
        let kind = r.kind.clone().unwrap_or_default();
        let d = date_of(&r);
        let keep = match kind.as_str() {
            "iep" | "iep_amendment" => match (d, prior_iep.or(iep_dates.first().copied())) {
                (Some(d), Some(p)) => d >= p,
                (Some(_), None) => true,
                _ => false,
            },
            "evaluation" | "iee" | "eligibility" | "fba" | "bip" | "plan_504" => {
                matches!((d, latest_eval), (Some(d), Some(l)) if (l - d).num_days() <= 3 * 365)
            }
            "progress_report" | "report_card" | "service_log" => {
                matches!((d, latest_progress), (Some(d), Some(l)) if (l - d).num_days() <= 365)
            }
            "prior_written_notice"
            | "parent_letter"
            | "district_letter"
            | "medical"
            | "mediation_request" => true,
            _ => false,
        };
        if keep {
            chosen.push(r);
        } else {
            out(
                &r,
                "not part of a mediation working set (name it in the query to add it)".into(),
            );
        }
    }
    (chosen, left)
}

#[allow(clippy::too_many_arguments)]
fn exhibit(
    catalog: &Catalog,
    root: &Path,
    row: &DocRow,
    label: String,
    new: bool,
    parent: Option<usize>,
    settings: &Settings,
    fonts: &mut Fonts,
    warnings: &mut Vec<String>,
) -> Result<Exhibit> {
    let kind = row.kind.clone().unwrap_or_else(|| "other".into());
    let title = row
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| {
            row.path
                .rsplit(['/', ':'])
                .next()
                .unwrap_or(&row.path)
                .to_string()
        });
    let mut e = Exhibit {
        label,
        doc_id: row.id,
        sha256: row.sha256.clone(),
        locator: row.path.clone(),
        kind,
        date: row.date.clone(),
        title,
        author: row.author.clone(),
        status: row.status.clone(),
        body: Body::Pdf,
        pages: 1,
        parent,
        new,
        tab_page: None,
        first_page: 0,
        last_page: 0,
        bates_start: 0,
        bates_end: 0,
    };
    let reason = |r: &DocRow| {
        r.reason
            .clone()
            .unwrap_or_else(|| format!("it could not be read ({})", r.status))
    };
    match (row.status.as_str(), row.format.as_str()) {
        ("encrypted" | "corrupt", _) => e.body = Body::Placeholder(reason(row)),
        (_, "pdf") => match row.pages {
            Some(n) if n > 0 => {
                e.body = Body::Pdf;
                e.pages = n as u32;
            }
            _ => e.body = Body::Placeholder("this PDF has no pages casebinder can find.".into()),
        },
        (_, "image") => match source::fetch_checked(root, &row.path, &row.sha256) {
            Ok(bytes) => {
                e.body = Body::Image;
                e.pages = image::page_count(&bytes);
            }
            Err(err) => {
                warnings.push(format!(
                    "{}: {err}. Run `casebinder scan` and build again.",
                    row.path
                ));
                e.body = Body::Placeholder(format!("{err}."));
            }
        },
        (_, "docx") if settings.docx == "libreoffice" && converted(root, row, &mut e, warnings) => {}
        (_, "email" | "text" | "docx" | "html") => {
            let texts = catalog.page_texts(row.id)?;
            let pages = front::text_exhibit(fonts, settings.paper(), &e, row.format.as_str(), &texts);
            e.pages = pages.len() as u32;
            e.body = Body::Text(pages);
        }
        _ => e.body = Body::Placeholder("casebinder cannot draw this kind of file.".into()),
    }
    if matches!(e.body, Body::Placeholder(_)) {
        e.pages = 1;
    }
    Ok(e)
}

/// Sets a .docx exhibit as LibreOffice lays it out; false (with a warning) when that fails.
fn converted(root: &Path, row: &DocRow, e: &mut Exhibit, warnings: &mut Vec<String>) -> bool {
    let Some(office) = super::convert::office() else {
        return false;
    };
    let work = root.join(crate::case::DIR_NAME).join("tmp").join(format!(
        "convert-{}-{}",
        std::process::id(),
        &row.sha256[..16.min(row.sha256.len())]
    ));
    let pdf = source::fetch_checked(root, &row.path, &row.sha256)
        .and_then(|bytes| super::convert::docx_to_pdf(office, &work, &bytes))
        .and_then(|pdf| {
            let n = lopdf::Document::load_mem(&pdf)
                .map(|d| d.get_pages().len())
                .map_err(|err| format!("LibreOffice's PDF could not be read ({err})"))?;
            if n == 0 {
                return Err("LibreOffice's PDF has no pages".into());
            }
            Ok((pdf, n))
        });
    match pdf {
        Ok((pdf, n)) => {
            e.pages = n as u32;
            e.body = Body::Converted(std::sync::Arc::new(pdf));
            true
        }
        Err(err) => {
            warnings.push(format!("{}: {err}; its text is used instead.", row.path));
            false
        }
    }
}

/// The events behind the exhibits (and the events the family recorded), oldest first.
fn chronology(catalog: &Catalog, exhibits: &[Exhibit]) -> Result<Vec<ChronoEntry>> {
    let docs = catalog.timeline_docs(&Query::default())?;
    let events = crate::timeline::build(&docs, &catalog.user_events()?);
    let index: HashMap<i64, usize> = exhibits.iter().enumerate().map(|(i, e)| (e.doc_id, i)).collect();
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for ev in events {
        let ex: Vec<usize> = ev
            .documents
            .iter()
            .filter_map(|d| index.get(d).copied())
            .collect();
        if ex.is_empty() && ev.source != "user" {
            continue;
        }
        let what = crate::timeline::describe(&ev.kind);
        let text = if ev.title.is_empty() || ev.title == what {
            what
        } else if ev.title.starts_with(&what) {
            ev.title.clone()
        } else {
            format!("{what}: {}", ev.title)
        };
        if !seen.insert((ev.date, text.clone(), ex.clone())) {
            continue;
        }
        out.push(ChronoEntry {
            date: ev.date,
            text,
            exhibits: ex,
            verbal: ev.verbal,
        });
    }
    Ok(out)
}
