//! The family's own papers for the forum: today the mediation packet. What goes in them is
//! composed here from what casebinder already knows (the binder's exhibits with their labels and
//! Bates numbers, the family's concerns, the deadline findings, the events the family recorded)
//! as plain blocks, and written as .docx (an editable file) by [`docx`]. Every fact carries its
//! cite ("P-3 at RIVERA-000005") or says that the family recorded it; a figure casebinder worked
//! out says so ("computed"). No catalog number, rule id or the program's name is written.

pub mod docx;
pub mod figures;

use crate::binder::Plan;
use crate::catalog::Concern;
use crate::checks::{Finding, Status};
use crate::timeline::UserEvent;

/// A piece of a document, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Title(String),
    Heading(String),
    Para(String),
    /// A line of a list.
    Item(String),
    /// A line of a numbered list (its number written in it).
    Numbered(String),
    /// A picture (PNG bytes, width and height in pixels), as wide as the text.
    Picture(Vec<u8>, u32, u32),
}

/// What the packet is made of.
pub struct Facts<'a> {
    pub plan: &'a Plan,
    pub student: Option<&'a str>,
    pub schools: &'a [String],
    pub districts: &'a [String],
    pub concerns: &'a [Concern],
    pub findings: &'a [Finding],
    pub events: &'a [UserEvent],
    /// Where each document's date came from (`text`, `label`, `filename`, `email_header`,
    /// `user`…), by catalog number: a date not on the document's own pages says so.
    pub date_sources: &'a std::collections::HashMap<i64, String>,
    /// The binder's pages that draw the case at a glance, as pictures (none without pdftoppm).
    pub pictures: &'a [(Vec<u8>, u32, u32)],
    /// The text of the binder's IEPs, service logs, progress reports and discipline records, by
    /// catalog number (for the figures).
    pub texts: &'a std::collections::HashMap<i64, String>,
}

impl Facts<'_> {
    /// "P-3 at RIVERA-000005" (or a range), for a document in the binder.
    fn cite(&self, doc: i64) -> Option<String> {
        let e = self.plan.exhibits.iter().find(|e| e.doc_id == doc)?;
        let s = &self.plan.settings;
        Some(if e.bates_end > e.bates_start {
            format!(
                "{} at {} to {}",
                e.label,
                s.bates(e.bates_start),
                s.bates(e.bates_end)
            )
        } else {
            format!("{} at {}", e.label, s.bates(e.bates_start))
        })
    }

    /// An exhibit's date as the packet writes it: a date not on its own pages says so.
    fn dated(&self, e: &crate::binder::Exhibit) -> String {
        let date = e.date.clone().unwrap_or_else(|| "undated".into());
        let from = match self.date_sources.get(&e.doc_id).map(String::as_str) {
            Some("filename") => " (the date in its file name, not on its pages)",
            Some("email_header") if e.kind != "email" => {
                " (the date of the e-mail that carried it, not on its pages)"
            }
            Some("user") => " (a date the family set)",
            _ => "",
        };
        format!("{date}{from}")
    }

    /// A document's line: its date, its title and where it is in the binder.
    fn fact(&self, doc: i64) -> Option<(String, String)> {
        let e = self.plan.exhibits.iter().find(|e| e.doc_id == doc)?;
        let date = e.date.clone().unwrap_or_else(|| "undated".into());
        Some((
            date,
            format!("{}: {} ({})", self.dated(e), e.title, self.cite(doc)?),
        ))
    }
}

/// The mediation packet: a summary, each concern with its facts in date order, the procedural
/// issues the family may raise or hold back, the documents, and the chronology.
pub fn mediation_packet(f: &Facts<'_>) -> Vec<Block> {
    let mut out = Vec::new();
    let child = f.student.unwrap_or("the student");
    out.push(Block::Title(format!("Mediation: {child}")));
    let mut who = Vec::new();
    if !f.schools.is_empty() {
        who.push(format!("School: {}.", f.schools.join(", ")));
    }
    if !f.districts.is_empty() {
        who.push(format!("District: {}.", f.districts.join(", ")));
    }
    if !who.is_empty() {
        out.push(Block::Para(who.join(" ")));
    }
    out.push(Block::Para(
        "Mediation is voluntary and confidential: what is said there cannot be used as evidence later (34 CFR 300.506(b)(6)). Each document below is cited by its exhibit label and Bates number in the mediation binder that goes with this packet.".into(),
    ));

    out.push(Block::Heading("What the family asks for".into()));
    if f.concerns.is_empty() {
        out.push(Block::Para(
            "No concern is written down yet. Write each one with what the child gets now, what the family asks for and what it could accept.".into(),
        ));
    }
    for c in f.concerns {
        let ask = c.ask.as_deref().unwrap_or("(to say at the table)");
        out.push(Block::Item(format!("{}: {ask}", c.title)));
    }

    for c in f.concerns {
        out.push(Block::Heading(format!("Concern: {}", c.title)));
        if let Some(now) = &c.now {
            out.push(Block::Para(format!("What the child gets now: {now}.")));
        }
        if let Some(ask) = &c.ask {
            out.push(Block::Para(format!("What the family asks for: {ask}.")));
        }
        if let Some(could) = &c.could_accept {
            out.push(Block::Para(format!(
                "What the family could accept (for the family only; not to hand over): {could}."
            )));
        }
        let mut facts: Vec<(String, String)> = c.documents.iter().filter_map(|d| f.fact(*d)).collect();
        facts.sort();
        if facts.is_empty() {
            out.push(Block::Para(
                "No document in the binder is linked to this concern yet.".into(),
            ));
        } else {
            out.push(Block::Para("The documents that show it, in date order:".into()));
            out.extend(facts.into_iter().map(|(_, line)| Block::Item(line)));
        }
    }

    let issues: Vec<&Finding> = f.findings.iter().filter(|x| raised(x)).collect();
    out.push(Block::Heading("Deadlines the documents show were missed".into()));
    out.push(Block::Para(
        "The family may raise these at the table or hold them back for a state complaint, which does not wait for mediation. Each is a possible issue, not a legal conclusion.".into(),
    ));
    if issues.is_empty() {
        out.push(Block::Para("None found in these documents.".into()));
    }
    for x in issues {
        let in_binder = |a: &crate::checks::Anchor| {
            !a.events.is_empty() || a.documents.iter().any(|d| f.cite(*d).is_some())
        };
        if !in_binder(&x.trigger) {
            // Its facts would not be cited: named only, to look up in the case's findings.
            out.push(Block::Item(format!(
                "{} ({}): the document that started this deadline is not in the mediation binder; see the full findings before raising it.",
                x.title, x.citation
            )));
            continue;
        }
        let started = cited_anchor(f, &x.trigger);
        let done = match x.satisfied_by.first() {
            Some(s) if in_binder(s) => format!("Done {}", cited_anchor(f, s)),
            Some(_) => "Done, by a document not in the mediation binder".to_string(),
            None => "No document shows it was done".into(),
        };
        let late = match x.days_late {
            Some(d) => format!(", {d} {} after the deadline (computed)", x.day_type.words()),
            None => String::new(),
        };
        out.push(Block::Item(format!(
            "{} ({}). Started {started}. Due {} (computed). {done}{late}.",
            x.title,
            x.citation,
            x.due.map(|d| d.to_string()).unwrap_or_default()
        )));
    }

    out.extend(figure_blocks(f));

    out.push(Block::Heading("The documents".into()));
    for e in &f.plan.exhibits {
        if let Some(cite) = f.cite(e.doc_id) {
            let title = if e.parent.is_some() {
                format!("attached: {}", e.title)
            } else {
                e.title.clone()
            };
            out.push(Block::Item(format!("{cite}: {title}")));
        }
    }

    if !f.pictures.is_empty() {
        out.push(Block::Heading("The case at a glance".into()));
        out.push(Block::Para(
            "The first pages of the mediation binder's chronology: each school year on a time axis, with the deadlines and the papers the family does not have.".into(),
        ));
        for (png, w, h) in f.pictures {
            out.push(Block::Picture(png.clone(), *w, *h));
        }
    }
    out.push(Block::Heading("Chronology".into()));
    let mut lines: Vec<(String, String)> = f
        .plan
        .exhibits
        .iter()
        .filter(|e| e.parent.is_none())
        .filter_map(|e| f.fact(e.doc_id))
        .collect();
    for e in f.events.iter().filter(|e| e.date <= f.plan.settings.date) {
        let how = if e.verbal {
            "said; recorded by the family"
        } else {
            "recorded by the family"
        };
        lines.push((e.date.to_string(), format!("{}: {} ({how})", e.date, e.title)));
    }
    lines.sort();
    out.extend(lines.into_iter().map(|(_, l)| Block::Item(l)));
    out
}

/// Who the complaint is about and from, as the case's settings say ([`None`]: to fill in).
pub struct Parties<'a> {
    pub state_name: &'a str,
    pub address: Option<&'a str>,
    pub parent: Option<&'a str>,
    pub contact: Option<&'a str>,
    /// Where to file, from the state's profile: lines to show, each with its source.
    pub where_to_file: Vec<String>,
}

/// A state complaint draft (34 CFR 300.153(b)): the statement, the child and school, one
/// allegation per missed deadline inside the one-year window with its facts in date order, each
/// cited, a proposed resolution to edit, the signature and contact block, the certificate of the
/// copy sent to the district, and the exhibits attached.
pub fn complaint_draft(f: &Facts<'_>, p: &Parties<'_>) -> Vec<Block> {
    let fill =
        |v: Option<&str>, what: &str| v.map_or_else(|| format!("[to fill in: {what}]"), str::to_string);
    let child = f
        .student
        .map_or_else(|| "[to fill in: the child's name]".to_string(), str::to_string);
    let district = if f.districts.is_empty() {
        "[to fill in: the school district]".to_string()
    } else {
        f.districts.join(", ")
    };
    let mut out = vec![Block::Title(format!("State complaint: {child}"))];
    out.push(Block::Para(format!(
        "To: the state education agency of {}, special education complaints.",
        p.state_name
    )));
    out.push(Block::Heading("Statement".into()));
    out.push(Block::Para(format!(
        "I state that {district} has violated requirements of Part B of the Individuals with Disabilities Education Act, as set out in each allegation below (34 CFR 300.153(b)(1)). Each fact is shown by the document cited, attached as an exhibit. This complaint states facts; whether they are violations is for the state to decide."
    )));
    out.push(Block::Heading("The child".into()));
    out.push(Block::Item(format!("Name: {child}")));
    out.push(Block::Item(format!(
        "Address: {}",
        fill(p.address, "the child's address")
    )));
    let school = if f.schools.is_empty() {
        "[to fill in: the school]".to_string()
    } else {
        f.schools.join(", ")
    };
    out.push(Block::Item(format!("School: {school}")));
    out.push(Block::Item(format!("District: {district}")));

    let allegations: Vec<&Finding> = f
        .findings
        .iter()
        .filter(|x| raised(x) && x.forum.path == "state_complaint")
        .collect();
    if allegations.is_empty() {
        out.push(Block::Heading("Allegations".into()));
        out.push(Block::Para(
            "[No missed deadline inside the one-year window was found in the documents. Write what happened, with the documents that show it.]".into(),
        ));
    }
    for (n, x) in allegations.iter().enumerate() {
        out.push(Block::Heading(format!(
            "Allegation {}: {} ({})",
            n + 1,
            x.title,
            x.citation
        )));
        let mut facts = vec![format!("On {}.", cited_anchor(f, &x.trigger))];
        if let Some(due) = x.due {
            facts.push(format!("The deadline was {due} (computed)."));
        }
        match x.satisfied_by.first() {
            Some(s) => facts.push(format!(
                "On {}, {} after the deadline (computed).",
                cited_anchor(f, s),
                x.days_late
                    .map(|d| format!("{d} {}", x.day_type.words()))
                    .unwrap_or_default()
            )),
            None => facts.push("No document shows that it was done by the date of this complaint.".into()),
        }
        out.push(Block::Para("Facts, in date order:".into()));
        out.extend(
            facts
                .into_iter()
                .enumerate()
                .map(|(i, t)| Block::Numbered(format!("{}. {t}", i + 1))),
        );
        out.push(Block::Para(
            "Proposed resolution (keep what fits, edit, delete the rest):".into(),
        ));
        out.extend(
            resolutions(&x.rule)
                .into_iter()
                .map(|r| Block::Numbered(format!("[ ] {r}"))),
        );
    }

    out.push(Block::Heading("Signature and contact".into()));
    out.push(Block::Para(
        "Signed: ______________________________    Date: ______________".into(),
    ));
    out.push(Block::Item(format!(
        "Name: {}",
        fill(p.parent, "the parent's name")
    )));
    out.push(Block::Item(format!(
        "Phone or e-mail: {}",
        fill(p.contact, "a phone number or e-mail")
    )));
    out.push(Block::Para(format!(
        "I certify that I sent a copy of this complaint to {district} at the same time as I filed it with the state (34 CFR 300.153(d)). Signed: ______________________________"
    )));

    out.push(Block::Heading("Exhibits attached".into()));
    for e in &f.plan.exhibits {
        if let Some(cite) = f.cite(e.doc_id) {
            out.push(Block::Item(format!("{cite}: {}", e.title)));
        }
    }
    if !p.where_to_file.is_empty() {
        out.push(Block::Heading(
            "Where to file (for the family: confirm on the official page)".into(),
        ));
        out.extend(p.where_to_file.iter().map(|l| Block::Item(l.clone())));
    }
    out
}

/// What a family may ask the state to order, by the kind of deadline missed (to edit).
fn resolutions(rule: &str) -> Vec<String> {
    let mut out = Vec::new();
    let first = if rule.contains("evaluation") {
        "The district completes the evaluation and holds the team meeting on its results by [date]."
    } else if rule.contains("iep") || rule.contains("annual_review") {
        "The district holds the IEP meeting by [date]."
    } else if rule.contains("progress") {
        "The district gives the parent a progress report on every goal by [date], and on schedule after that."
    } else if rule.contains("records") {
        "The district gives the parent a complete copy of the education records by [date]."
    } else if rule.contains("iee") {
        "The district funds the independent evaluation, or files for due process to defend its own, by [date]."
    } else {
        "The district meets this requirement by [date]."
    };
    out.push(first.to_string());
    out.push("Compensatory services for the time lost: [hours] of [service], by [date].".into());
    out.push("Training for the district's staff on this requirement.".into());
    out.push("Reimbursement of [costs] the family paid because of it.".into());
    out
}

/// The figures a mediator can check, each worked out from the cited pages and marked
/// "computed": the minutes the IEP in effect sets against those a service log shows, month by
/// month; each goal's rating across the progress reports; incidents per month in the
/// discipline records. Nothing where the documents do not hold them.
fn figure_blocks(f: &Facts<'_>) -> Vec<Block> {
    use figures::Per;
    let mut out = Vec::new();
    let day = |e: &crate::binder::Exhibit| {
        e.date
            .as_deref()
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    };
    let text = |e: &crate::binder::Exhibit| f.texts.get(&e.doc_id).map(String::as_str);
    let mut exhibits: Vec<&crate::binder::Exhibit> = f.plan.exhibits.iter().collect();
    exhibits.sort_by_key(|e| (day(e), e.first_page));
    let of_kind = |kinds: &[&str]| -> Vec<&crate::binder::Exhibit> {
        exhibits
            .iter()
            .copied()
            .filter(|e| kinds.contains(&e.kind.as_str()) && f.cite(e.doc_id).is_some())
            .collect()
    };

    // Services: the IEP in effect (the latest in the binder dated before the month began)
    // against each month of each service log.
    let ieps: Vec<(chrono::NaiveDate, &crate::binder::Exhibit, Vec<figures::Service>)> =
        of_kind(&["iep", "iep_amendment"])
            .into_iter()
            .filter_map(|e| Some((day(e)?, e, figures::iep_services(text(e)?))))
            .filter(|(_, _, s)| !s.is_empty())
            .collect();
    let mut services = Vec::new();
    for log in of_kind(&["service_log"]) {
        let (Some(body), Some(log_cite)) = (text(log), f.cite(log.doc_id)) else {
            continue;
        };
        let entries = figures::log_entries(body);
        let head: String = body.chars().take(300).collect();
        let area = figures::area_of(&log.title).or_else(|| figures::area_of(&head));
        for m in figures::by_month(&entries) {
            let month = m.name();
            let entries = format!(
                "{} {}",
                m.entries,
                if m.entries == 1 { "entry" } else { "entries" }
            );
            let in_effect = ieps
                .iter()
                .rev()
                .find(|(d, _, _)| *d < m.first)
                .and_then(|(_, e, s)| {
                    let mut same = s.iter().filter(|x| Some(x.area) == area);
                    match (same.next(), same.next()) {
                        (Some(one), None) => Some((*e, one)),
                        _ => None,
                    }
                });
            let Some((iep, s)) = in_effect else {
                services.push(Block::Item(format!(
                    "{month} ({log_cite}): {} minutes logged in {entries} with {} cancelled or missed (computed).",
                    m.minutes, m.missed
                )));
                continue;
            };
            let Some(iep_cite) = f.cite(iep.doc_id) else {
                continue;
            };
            let rate = if s.times > 1 {
                format!("{} x {} minutes {}", s.times, s.minutes, s.per.words())
            } else {
                format!("{} minutes {}", s.minutes, s.per.words())
            };
            let set = match s.per {
                Per::Month => Some((s.total(), "for the month".to_string())),
                Per::Week => {
                    let weeks = figures::weeks_beginning_in(m.first);
                    Some((
                        s.total() * weeks,
                        format!("for the {weeks} weeks that begin in the month"),
                    ))
                }
                Per::Day => None,
            };
            let against = match set {
                Some((expected, span)) => match m.minutes.cmp(&expected) {
                    std::cmp::Ordering::Less => {
                        format!(" — {} fewer than the {expected} set {span}", expected - m.minutes)
                    }
                    std::cmp::Ordering::Greater => {
                        format!(" — {} more than the {expected} set {span}", m.minutes - expected)
                    }
                    std::cmp::Ordering::Equal => format!(" — all {expected} set {span}"),
                },
                None => String::new(),
            };
            services.push(Block::Item(format!(
                "{month}, {}: the IEP in effect ({iep_cite}) sets {rate}; the log ({log_cite}) shows {} minutes in {entries} with {} cancelled or missed{against} (computed).",
                s.name, m.minutes, m.missed
            )));
        }
    }
    if !services.is_empty() {
        out.push(Block::Heading(
            "Services set and services logged, month by month".into(),
        ));
        out.push(Block::Para(
            "Added up from the dated entries of the service logs and set against the minutes in the IEP in effect that month; a week is counted in the month its Monday falls in, and school holidays are not taken off. Each figure can be checked against the pages cited.".into(),
        ));
        out.extend(services);
    }

    // Progress: each goal's rating in each report, in date order.
    // (what the goal is known by, its name, each report's (rating in lower case, line)).
    type Goal = (String, String, Vec<(String, String)>);
    let mut goals: Vec<Goal> = Vec::new();
    for report in of_kind(&["progress_report"]) {
        let (Some(body), Some(cite)) = (text(report), f.cite(report.doc_id)) else {
            continue;
        };
        let when = f.dated(report);
        for r in figures::goal_ratings(body) {
            let seen = format!("{} on {when} ({cite})", r.rating);
            match goals.iter_mut().find(|g| g.0 == r.key) {
                Some(g) => g.2.push((r.rating.to_lowercase(), seen)),
                None => goals.push((r.key, r.goal, vec![(r.rating.to_lowercase(), seen)])),
            }
        }
    }
    let rated: Vec<Block> = goals
        .into_iter()
        .filter(|(_, _, seen)| seen.len() >= 2)
        .map(|(_, goal, seen)| {
            let last = &seen[seen.len() - 1].0;
            let run = seen.iter().rev().take_while(|(r, _)| r == last).count();
            let summary = if run >= 2 {
                format!(
                    "the same rating in the last {run} of {} reports (computed)",
                    seen.len()
                )
            } else {
                format!("{} reports (computed)", seen.len())
            };
            let lines: Vec<String> = seen.into_iter().map(|(_, s)| s).collect();
            Block::Item(format!("{goal}: {}; {summary}.", lines.join("; ")))
        })
        .collect();
    if !rated.is_empty() {
        out.push(Block::Heading("Progress on each goal, report by report".into()));
        out.push(Block::Para(
            "Each rating as the progress report writes it, in date order.".into(),
        ));
        out.extend(rated);
    }

    // Incidents: the discipline records' incidents, month by month.
    let mut months: std::collections::BTreeMap<chrono::NaiveDate, (u32, Vec<String>)> = Default::default();
    for record in of_kind(&["discipline"]) {
        let (Some(body), Some(cite)) = (text(record), f.cite(record.doc_id)) else {
            continue;
        };
        for d in figures::incidents(body, day(record)) {
            let Some(first) = chrono::Datelike::with_day(&d, 1) else {
                continue;
            };
            let m = months.entry(first).or_default();
            m.0 += 1;
            if !m.1.contains(&cite) {
                m.1.push(cite.clone());
            }
        }
    }
    if !months.is_empty() {
        out.push(Block::Heading(
            "Incidents in the discipline records, month by month".into(),
        ));
        for (first, (n, cites)) in months {
            out.push(Block::Item(format!(
                "{} ({}): {n} {} in the discipline records (computed).",
                first.format("%B %Y"),
                cites.join("; "),
                if n == 1 { "incident" } else { "incidents" }
            )));
        }
    }
    out
}

/// A finding the packet lists: a deadline the documents show was missed (or would be, once a
/// date is confirmed).
pub fn raised(f: &Finding) -> bool {
    !f.rule.ends_with("_window") && matches!(f.status, Status::Violated | Status::Unsure)
}

/// "2023-03-01: Consent for Reevaluation (P-9 at RIVERA-000010)", or how it is known.
fn cited_anchor(f: &Facts<'_>, a: &crate::checks::Anchor) -> String {
    let cites: Vec<String> = a.documents.iter().filter_map(|d| f.cite(*d)).collect();
    let how = if !cites.is_empty() {
        cites.join("; ")
    } else if a.verbal {
        "said; recorded by the family".into()
    } else {
        "recorded by the family".into()
    };
    format!("{}: {} ({how})", a.date, a.title)
}
