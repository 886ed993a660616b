//! The pure planner: `selection + settings → Plan`. It chooses and orders the exhibits, labels
//! them, lays out the pages casebinder draws and counts every page, with no catalog, no disk and
//! no clock (the loader in [`super::load`] gathered what it needs).
//!
//! The plan is the whole binder but its bytes: `--dry-run` prints it, `--diff` compares it with
//! the last build, and [`super::build`] writes exactly it.

use std::collections::{HashMap, HashSet};

use super::{Body, ChronoEntry, Content, Exhibit, Plan, Selection, Settings, Source, front, labels};
use crate::catalog::DocRow;
use crate::checks::{Finding, Status};
use crate::timeline::Event;

/// The binder that `settings` describe, from what the loader read.
pub fn plan(sel: Selection, settings: Settings) -> Plan {
    let Selection {
        sources,
        left_out,
        events,
        findings,
        kept,
        mut fonts,
        mut warnings,
    } = sel;

    // Attachments follow their email unless they are exhibits of their own.
    let ids: HashSet<i64> = sources.iter().map(|s| s.row.id).collect();
    let emails: HashSet<i64> = sources
        .iter()
        .filter(|s| s.row.format == "email")
        .map(|s| s.row.id)
        .collect();
    let only_attached = |r: &DocRow| !r.locations.is_empty() && r.locations.iter().all(|l| l.contains("::"));
    let mut parent_of: HashMap<i64, i64> = HashMap::new();
    for s in &sources {
        let r = &s.row;
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
    let mut top: Vec<&Source> = sources
        .iter()
        .filter(|s| !parent_of.contains_key(&s.row.id))
        .collect();
    top.sort_by(|a, b| {
        let (a, b) = (&a.row, &b.row);
        (a.date.is_none(), &a.date, &a.path, a.id).cmp(&(b.date.is_none(), &b.date, &b.path, b.id))
    });
    let order: Vec<String> = top.iter().map(|s| s.row.sha256.clone()).collect();
    let assigned = labels::assign(&settings.labels, &order, &kept);
    let by_sha: HashMap<&str, &Source> = top.iter().map(|s| (s.row.sha256.as_str(), *s)).collect();

    let mut exhibits: Vec<Exhibit> = Vec::new();
    for (sha, label, new) in &assigned {
        let Some(src) = by_sha.get(sha.as_str()) else {
            continue;
        };
        let parent_index = exhibits.len();
        exhibits.push(exhibit(src, label.clone(), *new, None, &settings, &mut fonts));
        let mut subs: Vec<&Source> = sources
            .iter()
            .filter(|s| parent_of.contains_key(&s.row.id) && top_of(s.row.id) == src.row.id)
            .collect();
        subs.sort_by(|a, b| (&a.row.path, a.row.id).cmp(&(&b.row.path, b.row.id)));
        for (k, sub) in subs.iter().enumerate() {
            let sub_label = settings.labels.sub(label, k as u64 + 1);
            exhibits.push(exhibit(
                sub,
                sub_label,
                *new,
                Some(parent_index),
                &settings,
                &mut fonts,
            ));
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
        chronology(&events, &exhibits)
    } else {
        Vec::new()
    };
    let findings = if settings.findings {
        shown_findings(findings, &settings)
    } else {
        Vec::new()
    };
    let disclosure_deadline = settings.disclosure_deadline();
    let mut plan = Plan {
        settings,
        exhibits,
        front: Vec::new(),
        left_out,
        warnings,
        total_pages: 0,
        chronology,
        findings,
        disclosure_deadline,
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
    plan
}

/// The findings a binder shows: the possible issues (not the deadlines met), and for a state
/// complaint only those inside its one-year window.
pub fn shown_findings(findings: Vec<Finding>, settings: &Settings) -> Vec<Finding> {
    let window = settings.window();
    findings
        .into_iter()
        .filter(|f| f.status != Status::Met)
        .filter(|f| match window {
            Some((from, _)) => f.due.is_none_or(|d| d >= from),
            None => true,
        })
        .collect()
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

fn exhibit(
    src: &Source,
    label: String,
    new: bool,
    parent: Option<usize>,
    settings: &Settings,
    fonts: &mut super::font::Fonts,
) -> Exhibit {
    let row = &src.row;
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
    (e.body, e.pages) = match &src.content {
        Content::Pdf { pages } => (Body::Pdf, *pages),
        Content::Image { pages } => (Body::Image, *pages),
        Content::Converted { pdf, pages } => (Body::Converted(pdf.clone()), *pages),
        Content::Text(texts) => {
            let pages = front::text_exhibit(fonts, settings.paper(), &e, row.format.as_str(), texts);
            (Body::Text(pages.clone()), pages.len() as u32)
        }
        Content::Unreadable(reason) => (Body::Placeholder(reason.clone()), 1),
    };
    if matches!(e.body, Body::Placeholder(_)) {
        e.pages = 1;
    }
    e
}

/// The events behind the exhibits (and the events the family recorded), oldest first.
fn chronology(events: &[Event], exhibits: &[Exhibit]) -> Vec<ChronoEntry> {
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
    out
}
