//! The pure planner: `selection + settings → Plan`. It chooses and orders the exhibits, labels
//! them, lays out the pages casebinder draws and counts every page, with no catalog, no disk and
//! no clock (the loader in [`super::load`] gathered what it needs).
//!
//! The plan is the whole binder but its bytes: `--dry-run` prints it, `--diff` compares it with
//! the last build, and [`super::build`] writes exactly it.

use std::collections::{HashMap, HashSet};

use super::{
    Body, ChronoEntry, Content, Exhibit, Plan, Previous, Selection, Settings, Source, front, labels,
};
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
        picture,
        kept,
        previous,
        bates_learnt: _,
        mut fonts,
        mut warnings,
    } = sel;

    let found_at: HashMap<String, String> = sources
        .iter()
        .flat_map(|s| s.row.locations.iter().map(|l| (l.clone(), s.row.sha256.clone())))
        .collect();
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
    // A binder's first build labels its exhibits in page order: documents the case numbered
    // before (in another binder) by their numbers, then the others by date.
    if kept.is_empty()
        && let Some(p) = previous.as_ref()
    {
        top.sort_by_key(|s| p.first_number_of(&s.row.sha256).unwrap_or(u64::MAX));
    }
    let order: Vec<String> = top.iter().map(|s| s.row.sha256.clone()).collect();
    let assigned = labels::assign(&settings.labels, &order, &kept);
    let by_sha: HashMap<&str, &Source> = top.iter().map(|s| (s.row.sha256.as_str(), *s)).collect();

    // Every exhibit with its attachments, in label order (date order for a first build).
    let mut groups: Vec<(Exhibit, Vec<Exhibit>)> = Vec::new();
    for (sha, label, new) in &assigned {
        let Some(src) = by_sha.get(sha.as_str()) else {
            continue;
        };
        let head = exhibit(src, label.clone(), *new, None, &settings, &mut fonts);
        let mut subs: Vec<&Source> = sources
            .iter()
            .filter(|s| parent_of.contains_key(&s.row.id) && top_of(s.row.id) == src.row.id)
            .collect();
        subs.sort_by(|a, b| (&a.row.path, a.row.id).cmp(&(&b.row.path, b.row.id)));
        let subs = subs
            .iter()
            .enumerate()
            .map(|(k, sub)| {
                exhibit(
                    sub,
                    settings.labels.sub(label, k as u64 + 1),
                    *new,
                    None,
                    &settings,
                    &mut fonts,
                )
            })
            .collect();
        groups.push((head, subs));
    }
    let exhibits = order_for_bates(groups, previous.as_ref());
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
        picture,
        disclosure_deadline,
        fonts,
        bates_high_water: 0,
    };
    // The front matter's length moves every page number after it, and its index prints those
    // numbers: lay it out until the count settles (twice, in practice).
    let mut front_len = 2;
    for _ in 0..8 {
        number(&mut plan, front_len, previous.as_ref());
        let front = front::layout(&mut plan);
        let settled = front.len() as u32 == front_len;
        front_len = front.len() as u32;
        plan.front = front;
        if settled {
            break;
        }
    }
    number(&mut plan, front_len, previous.as_ref());
    front::fill_attachment_lines(&mut plan, &found_at);
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

/// The exhibits in the order of their pages, so that Bates order is page order. Documents the
/// case already numbered keep their place (and, in [`number`], their Bates numbers); newcomers
/// follow them as a supplement, in date order, numbered after the highest number ever given; an
/// attachment that is new follows in the supplement too, still labelled after its email.
fn order_for_bates(groups: Vec<(Exhibit, Vec<Exhibit>)>, previous: Option<&Previous>) -> Vec<Exhibit> {
    let kept_start = |e: &Exhibit| previous.and_then(|p| p.start_of(&e.sha256, e.pages));
    let mut olds: Vec<(u64, Exhibit, Vec<Exhibit>)> = Vec::new();
    let mut news: Vec<(Exhibit, Vec<Exhibit>)> = Vec::new();
    let mut late_subs: Vec<(String, Exhibit)> = Vec::new(); // (parent sha, attachment)
    for (head, subs) in groups {
        match kept_start(&head) {
            Some(start) => {
                let (old_subs, new_subs): (Vec<Exhibit>, Vec<Exhibit>) =
                    subs.into_iter().partition(|s| kept_start(s).is_some());
                late_subs.extend(new_subs.into_iter().map(|s| (head.sha256.clone(), s)));
                olds.push((start, head, old_subs));
            }
            None => news.push((head, subs)),
        }
    }
    olds.sort_by_key(|(start, ..)| *start);
    let mut out: Vec<Exhibit> = Vec::new();
    let push_group = |out: &mut Vec<Exhibit>, head: Exhibit, subs: Vec<Exhibit>| {
        let at = out.len();
        out.push(head);
        for mut s in subs {
            s.parent = Some(at);
            out.push(s);
        }
    };
    for (_, head, mut subs) in olds {
        subs.sort_by_key(|s| kept_start(s).unwrap_or(u64::MAX));
        push_group(&mut out, head, subs);
    }
    for (head, subs) in news {
        push_group(&mut out, head, subs);
    }
    for (parent_sha, mut s) in late_subs {
        s.parent = out
            .iter()
            .position(|e| e.sha256 == parent_sha && e.parent.is_none());
        out.push(s);
    }
    out
}

/// Gives every exhibit its tab page, binder pages and Bates range: a document the case already
/// numbered (under this prefix, with these pages) keeps its numbers; a newcomer gets numbers
/// after the highest ever given.
fn number(plan: &mut Plan, front_len: u32, previous: Option<&Previous>) {
    let mut page = front_len + 1;
    let high = previous.map_or(0, |p| p.high_water());
    let mut next = high.saturating_add(1).max(plan.settings.bates_start);
    let mut high_water = high;
    for e in &mut plan.exhibits {
        e.tab_page = None;
        if plan.settings.tabs && e.parent.is_none() {
            e.tab_page = Some(page);
            page += 1;
        }
        let n = u64::from(e.pages.max(1));
        e.first_page = page;
        e.last_page = page + e.pages.max(1) - 1;
        let start = match previous.and_then(|p| p.start_of(&e.sha256, e.pages)) {
            Some(start) => start,
            None => {
                let s = next;
                next = next.saturating_add(n);
                s
            }
        };
        e.bates_start = start;
        e.bates_end = start.saturating_add(n - 1);
        high_water = high_water.max(e.bates_end);
        page += e.pages.max(1);
    }
    plan.total_pages = page - 1;
    plan.bates_high_water = high_water;
}

/// The longest title a binder prints (index rows, tab pages, bookmarks).
pub const MAX_TITLE_CHARS: usize = 240;

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
    // What a document calls itself is printed on the binder's pages: no control characters,
    // and never longer than a few lines (a hostile or broken title can be 10,000 characters).
    let title: String = title
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let title = crate::output::ellipsize(&title, MAX_TITLE_CHARS);
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
        bottoms: Vec::new(),
        turns: src.turns,
    };
    (e.body, e.pages) = match &src.content {
        Content::Pdf { pages, bottoms } => {
            e.bottoms = bottoms.clone();
            (Body::Pdf, *pages)
        }
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

#[cfg(test)]
mod tests {
    //! The planner alone: rows and contents made here, no catalog, no disk, no clock.

    use std::collections::BTreeMap;

    use chrono::NaiveDate;

    use super::super::font::Fonts;
    use super::super::labels::Style;
    use super::super::request::{self, CaseFacts, Choices};
    use super::*;
    use crate::checks::days::DayType;
    use crate::checks::{Anchor, Finding, Status};

    fn day(s: &str) -> NaiveDate {
        crate::day::parse(s).unwrap()
    }

    fn row(id: i64, path: &str, kind: &str, date: Option<&str>, format: &str) -> DocRow {
        DocRow {
            earlier_version: false,
            id,
            path: path.into(),
            locations: vec![path.into()],
            message_id: None,
            parent_ids: Vec::new(),
            sha256: format!("{id:064x}"),
            kind: Some(kind.into()),
            kind_source: Some("rule".into()),
            date: date.map(str::to_string),
            date_source: None,
            title: Some(format!("{kind} {id}")),
            author: None,
            pages: None,
            status: "ok".into(),
            tags: Vec::new(),
            duplicate_of: None,
            reason: None,
            format: format.into(),
            kind_confidence: Some(0.9),
            date_ambiguous: false,
            date_confidence: None,
            excluded: false,
        }
    }

    fn finding(rule: &str, status: Status, due: &str) -> Finding {
        Finding {
            rule: rule.into(),
            title: rule.into(),
            citation: "34 CFR".into(),
            status,
            trigger: Anchor {
                date: day(due),
                documents: vec![2],
                events: Vec::new(),
                description: String::new(),
                title: "IEP meeting".into(),
                verbal: false,
            },
            due: Some(day(due)),
            satisfied_by: Vec::new(),
            days_late: None,
            day_type: DayType::Calendar,
            explanation: String::new(),
            forum: Default::default(),
        }
    }

    fn event(date: &str, doc: i64) -> crate::timeline::Event {
        crate::timeline::Event {
            date: day(date),
            kind: "iep_meeting".into(),
            title: "IEP meeting".into(),
            source: "document".into(),
            documents: vec![doc],
            event_id: None,
            tags: Vec::new(),
            note: None,
            verbal: false,
            doc_kind: Some("iep".into()),
            author: None,
            confidence: 1.0,
            ambiguous: false,
            can_trigger: true,
        }
    }

    fn selection(kept: BTreeMap<String, String>) -> Selection {
        let mut email = row(4, "Emails/re.eml", "email", Some("2023-12-04"), "email");
        email.title = Some("RE: OT minutes".into());
        let mut attachment = row(
            5,
            "Emails/re.eml::log.pdf",
            "service_log",
            Some("2023-12-01"),
            "pdf",
        );
        attachment.parent_ids = vec![4];
        Selection {
            sources: vec![
                Source {
                    row: row(2, "IEPs/2023.pdf", "iep", Some("2023-11-07"), "pdf"),
                    content: Content::Pdf {
                        pages: 3,
                        bottoms: Vec::new(),
                    },
                    turns: 0,
                },
                Source {
                    row: row(1, "IEPs/2021.pdf", "iep", Some("2021-10-05"), "pdf"),
                    content: Content::Pdf {
                        pages: 2,
                        bottoms: Vec::new(),
                    },
                    turns: 0,
                },
                Source {
                    row: row(3, "Notes/undated.txt", "other", None, "text"),
                    content: Content::Text(vec!["A note without a date.".into()]),
                    turns: 0,
                },
                Source {
                    row: email,
                    content: Content::Text(vec![
                        "From: Ortiz\nSubject: RE: OT minutes\n\nSee the log.".into(),
                    ]),
                    turns: 0,
                },
                Source {
                    row: attachment,
                    content: Content::Pdf {
                        pages: 1,
                        bottoms: Vec::new(),
                    },
                    turns: 0,
                },
                Source {
                    row: row(6, "Locked.pdf", "report_card", Some("2024-01-20"), "pdf"),
                    content: Content::Unreadable("This PDF is locked with a password.".into()),
                    turns: 0,
                },
            ],
            left_out: Vec::new(),
            events: vec![event("2021-10-05", 1), event("2023-11-07", 2)],
            findings: vec![
                finding("old", Status::Violated, "2022-01-01"),
                finding("recent", Status::Violated, "2024-02-01"),
                finding("kept", Status::Met, "2024-03-01"),
            ],
            picture: None,
            kept,
            previous: None,
            bates_learnt: Vec::new(),
            fonts: Fonts::new(0),
            warnings: Vec::new(),
        }
    }

    fn settings(purpose: crate::binder::Purpose) -> Settings {
        let case = CaseFacts {
            student: Some("Maya Rivera".into()),
            folder: "case".into(),
            ..CaseFacts::default()
        };
        let mut c = Choices::new(purpose, day("2024-05-01"));
        c.findings = Some(true);
        request::settings(c, &case, crate::binder::DocxMode::Text)
    }

    #[test]
    fn exhibits_are_ordered_labelled_paginated_and_bates_numbered() {
        let plan = plan(
            selection(BTreeMap::new()),
            settings(crate::binder::Purpose::DueProcess),
        );
        let labels: Vec<(&str, i64)> = plan
            .exhibits
            .iter()
            .map(|e| (e.label.as_str(), e.doc_id))
            .collect();
        // Oldest first, undated last; the attachment follows its email as P-3a.
        assert_eq!(
            labels,
            [
                ("P-1", 1),
                ("P-2", 2),
                ("P-3", 4),
                ("P-3a", 5),
                ("P-4", 6),
                ("P-5", 3)
            ]
        );
        let first = &plan.exhibits[0];
        assert_eq!((first.pages, first.bates_start, first.bates_end), (2, 1, 2));
        // Due process: a tab page before each exhibit (not before an attachment).
        assert_eq!(first.tab_page, Some(plan.front_pages() + 1));
        assert_eq!(first.first_page, plan.front_pages() + 2);
        assert!(plan.exhibits[3].tab_page.is_none());
        // Bates numbers run on without a gap, one per exhibit page.
        for w in plan.exhibits.windows(2) {
            assert_eq!(w[1].bates_start, w[0].bates_end + 1);
        }
        let locked = &plan.exhibits[4];
        assert!(matches!(locked.body, Body::Placeholder(_)) && locked.pages == 1);
        assert!(
            plan.warnings
                .iter()
                .any(|w| w.contains("P-4") && w.contains("locked"))
        );
        assert_eq!(plan.total_pages, plan.exhibits.last().unwrap().last_page);
        assert_eq!(plan.settings.bates(plan.exhibits[1].bates_start), "RIVERA-000003");
        // The chronology cites the exhibits behind each event.
        assert_eq!(plan.chronology.len(), 2);
        assert_eq!(plan.chronology[1].exhibits, vec![1]);
        // Findings: the possible issues only, never the deadlines met.
        assert_eq!(
            plan.findings.iter().map(|f| f.rule.as_str()).collect::<Vec<_>>(),
            ["old", "recent"]
        );
    }

    #[test]
    fn labels_given_before_are_kept_and_a_newcomer_slots_in() {
        let mut kept = BTreeMap::new();
        kept.insert(format!("{:064x}", 1), "P-1".to_string());
        kept.insert(format!("{:064x}", 4), "P-2".to_string());
        kept.insert(format!("{:064x}", 6), "P-3".to_string());
        kept.insert(format!("{:064x}", 3), "P-4".to_string());
        let plan = plan(selection(kept), settings(crate::binder::Purpose::DueProcess));
        let got: BTreeMap<i64, &str> = plan
            .exhibits
            .iter()
            .map(|e| (e.doc_id, e.label.as_str()))
            .collect();
        assert_eq!(got[&1], "P-1");
        assert_eq!(got[&4], "P-2");
        assert_eq!(got[&3], "P-4");
        // Document 2 is new: after the exhibit it follows in time, never a label already given.
        assert_eq!(got[&2], "P-1.1");
        assert!(plan.exhibits.iter().any(|e| e.doc_id == 2 && e.new));
    }

    #[test]
    fn a_state_complaint_shows_the_findings_of_its_window_without_tabs_and_a_letter_series() {
        let mut s = settings(crate::binder::Purpose::StateComplaint);
        s.labels = Style::parse("Exhibit A").unwrap();
        let plan = plan(selection(BTreeMap::new()), s);
        assert_eq!(
            plan.findings.iter().map(|f| f.rule.as_str()).collect::<Vec<_>>(),
            ["recent"]
        );
        assert!(plan.exhibits.iter().all(|e| e.tab_page.is_none()));
        assert_eq!(plan.exhibits[0].label, "Exhibit A");
        assert_eq!(plan.exhibits[3].label, "Exhibit C-1");
        assert!(plan.front_pages() >= 3, "cover, index and findings");
    }
}
