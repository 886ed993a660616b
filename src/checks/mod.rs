//! Procedural-deadline checks (shared/domain.md section 2), computed from the timeline.
//!
//! Each finding names its rule and regulation, the event that started the clock, the due date,
//! what satisfied it (if anything), how late, and a plain-language explanation worded as a
//! possible issue, never a legal conclusion. Soft rules ("without unnecessary delay") are flagged
//! against a threshold the user sets, never as violations. Pure: events and options in, a report out.

pub mod days;
pub mod gaps;
pub mod profiles;

use chrono::{Months, NaiveDate};
use serde::Serialize;

use crate::timeline::{DocFacts, Event, describe};
use days::{Calendar, DayType};
use profiles::Profile;

/// How a check runs.
#[derive(Debug, Clone)]
pub struct Options {
    pub as_of: NaiveDate,
    pub profile: &'static Profile,
    pub calendar: Calendar,
    /// Days after which a soft rule is flagged.
    pub soft_days: i64,
    pub hearing_date: Option<NaiveDate>,
}

/// Where a clock started or what stopped it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Anchor {
    pub date: NaiveDate,
    pub documents: Vec<i64>,
    pub events: Vec<i64>,
    pub description: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Finding {
    pub rule: String,
    pub citation: String,
    /// `violated`, `unsure` (it would be violated, but rests on a date to confirm), `met`,
    /// `open` or `soft`.
    pub status: String,
    pub trigger: Anchor,
    pub due: Option<NaiveDate>,
    pub satisfied_by: Vec<Anchor>,
    pub days_late: Option<i64>,
    pub day_type: DayType,
    pub explanation: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub profile: String,
    pub profile_name: String,
    pub as_of: NaiveDate,
    /// School days were counted without a declared school calendar.
    pub school_days_approximate: bool,
    pub soft_days: i64,
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn violations(&self) -> usize {
        self.findings.iter().filter(|f| f.status == "violated").count()
    }
}

const NOT_LEGAL_ADVICE: &str = "This is a possible timeline issue to look into, not a legal conclusion.";

fn anchor(e: &Event) -> Anchor {
    let who = match (&e.documents[..], e.event_id) {
        (_, Some(id)) => format!("your event {id}{}", if e.verbal { ", verbal" } else { "" }),
        ([id, ..], None) => format!("document {id}"),
        _ => String::new(),
    };
    Anchor {
        date: e.date,
        documents: e.documents.clone(),
        events: e.event_id.into_iter().collect(),
        description: format!("{} ({who})", e.title),
    }
}

fn of_kind<'a>(events: &'a [Event], kinds: &[&str]) -> Vec<&'a Event> {
    let mut v: Vec<&Event> = events
        .iter()
        .filter(|e| kinds.contains(&e.kind.as_str()) && e.can_trigger)
        .collect();
    v.sort_by_key(|e| e.date);
    // The same event found in several documents (a consent and the report that cites it) counts once.
    v.dedup_by(|a, b| a.date == b.date);
    v
}

struct Clock<'a> {
    rule: &'static str,
    citation: String,
    day_type: DayType,
    trigger: &'a Event,
    due: NaiveDate,
    satisfied: Option<&'a Event>,
    /// What should have happened, in words ("the evaluation should be complete").
    should: String,
    /// What happened instead, if late.
    what: &'static str,
    soft: bool,
}

/// A date casebinder is less sure of than this makes a finding that rests on it `unsure`.
pub const SURE_DATE: f64 = 0.6;

/// A date a finding should not rest on without the family confirming it.
fn shaky(e: &Event) -> bool {
    e.ambiguous || e.confidence < SURE_DATE
}

fn finish(c: Clock<'_>, opts: &Options) -> Finding {
    let cal = &opts.calendar;
    let t = anchor(c.trigger);
    let due = c.due;
    let (status, days_late, sat) = match c.satisfied {
        Some(s) if s.date <= due => ("met", Some(0), vec![anchor(s)]),
        Some(s) => (
            if c.soft { "soft" } else { "violated" },
            Some(cal.between(due, s.date, c.day_type)),
            vec![anchor(s)],
        ),
        None if opts.as_of > due => (
            if c.soft { "soft" } else { "violated" },
            Some(cal.between(due, opts.as_of, c.day_type)),
            vec![],
        ),
        None => ("open", None, vec![]),
    };
    let mut text = format!(
        "{} on {}: {}. Under {} ({}) {} by {due}.",
        describe(&c.trigger.kind),
        t.date,
        t.description,
        c.citation,
        opts.profile.name,
        c.should,
    );
    match (status, c.satisfied) {
        ("met", Some(s)) => text.push_str(&format!(
            " {} on {} ({}), in time.",
            c.what,
            s.date,
            anchor(s).description
        )),
        (_, Some(s)) => text.push_str(&format!(
            " {} only on {} ({}), {} {} after the deadline. {NOT_LEGAL_ADVICE}",
            c.what,
            s.date,
            anchor(s).description,
            days_late.unwrap_or(0),
            c.day_type.words()
        )),
        ("open", None) => text.push_str(&format!(
            " As of {} that date has not passed; nothing is due yet.",
            opts.as_of
        )),
        _ => text.push_str(&format!(
            " casebinder finds nothing showing it happened; as of {} that is {} {} after the deadline. \
             If it did happen, add the document or record it with `casebinder event add`. {NOT_LEGAL_ADVICE}",
            opts.as_of,
            days_late.unwrap_or(0),
            c.day_type.words()
        )),
    }
    if c.soft && status != "met" && status != "open" {
        text.push_str(&format!(
            " The rule says \"without unnecessary delay\" and sets no number of days: this is flagged because more than {} days passed (change it with --soft-days).",
            opts.soft_days
        ));
    }
    if c.day_type == DayType::School && cal.approximate() {
        text.push_str(" School days were counted as weekdays without holidays: approximate, as no school calendar was given.");
    }
    // A violation that rests on a date casebinder is not sure of is only a possibility to check.
    let mut status = status;
    if status == "violated" {
        let unsure: Vec<&Event> = std::iter::once(c.trigger)
            .chain(c.satisfied)
            .filter(|e| shaky(e) && e.event_id.is_none())
            .collect();
        if !unsure.is_empty() {
            status = "unsure";
            for e in unsure {
                let doc = e.documents.first().copied().unwrap_or(0);
                text.push_str(&format!(
                    " This rests on the date {} of document {doc}, which casebinder is not sure of{}: confirm it with `casebinder set {doc} --date YYYY-MM-DD` (or `casebinder show {doc}` to see why). Until then it is unsure, not a violation.",
                    e.date,
                    if e.ambiguous { " (it could also be read day-first)" } else { "" }
                ));
            }
        }
    }
    Finding {
        rule: c.rule.into(),
        citation: c.citation,
        status: status.into(),
        trigger: t,
        due: Some(due),
        satisfied_by: sat,
        days_late: days_late.filter(|d| *d > 0),
        day_type: c.day_type,
        explanation: text,
    }
}

fn first_after<'a>(events: &[&'a Event], date: NaiveDate) -> Option<&'a Event> {
    events.iter().copied().find(|e| e.date >= date)
}

/// Runs every rule.
pub fn check(events: &[Event], docs: &[DocFacts], opts: &Options) -> Report {
    let cal = &opts.calendar;
    let p = opts.profile;
    let mut findings = Vec::new();

    // T01: consent received → evaluation complete (any evaluation report answers it, an FBA
    // included).
    let consents = of_kind(events, &["consent_received"]);
    let evals = of_kind(events, &["evaluation_report"]);
    let answers_consent = of_kind(events, &["evaluation_report", "fba"]);
    for c in &consents {
        let due = cal.add(c.date, p.evaluation.days, p.evaluation.day_type);
        let reevaluation = c.title.to_lowercase().contains("reevaluation")
            || c.title.to_lowercase().contains("re-evaluation");
        let mut f = finish(
            Clock {
                rule: "initial_evaluation_60_days",
                citation: p.evaluation.citation.into(),
                day_type: p.evaluation.day_type,
                trigger: c,
                due,
                satisfied: first_after(&answers_consent, c.date),
                should: format!(
                    "the evaluation should be complete within {} {}, that is",
                    p.evaluation.days,
                    p.evaluation.day_type.words()
                ),
                what: "The evaluation report is dated",
                soft: false,
            },
            opts,
        );
        if reevaluation {
            f.explanation.push_str(
                " This consent is for a reevaluation: the federal 60-day rule is written for initial evaluations; \
                 many states apply the same timeline to reevaluations (check your state's rule).",
            );
        }
        findings.push(f);
    }

    // T03: eligibility → initial IEP meeting (only where no IEP came before).
    let ieps = of_kind(events, &["iep_meeting"]);
    for e in of_kind(events, &["eligibility_determination"]) {
        if ieps.iter().any(|i| i.date < e.date) {
            continue;
        }
        let due = cal.add(e.date, p.initial_iep.days, p.initial_iep.day_type);
        findings.push(finish(
            Clock {
                rule: "initial_iep_30_days",
                citation: p.initial_iep.citation.into(),
                day_type: p.initial_iep.day_type,
                trigger: e,
                due,
                satisfied: first_after(&ieps, e.date),
                should: format!(
                    "a meeting to develop the first IEP should be held within {} {}, that is",
                    p.initial_iep.days,
                    p.initial_iep.day_type.words()
                ),
                what: "The IEP meeting was held",
                soft: false,
            },
            opts,
        ));
    }

    // T06: annual review (amendments do not reset it).
    for (i, iep) in ieps.iter().enumerate() {
        findings.push(finish(
            Clock {
                rule: "annual_review_365_days",
                citation: "34 CFR 300.324(b)(1)(i)".into(),
                day_type: DayType::Calendar,
                trigger: iep,
                due: cal.add(iep.date, 365, DayType::Calendar),
                satisfied: ieps.get(i + 1).copied(),
                should: "the IEP team should review the IEP not less than once a year, that is".into(),
                what: "The next IEP meeting was held",
                soft: false,
            },
            opts,
        ));
    }

    // T07: reevaluation at least every 3 years.
    for (i, e) in evals.iter().enumerate() {
        let due = e.date.checked_add_months(Months::new(36)).unwrap_or(e.date);
        findings.push(finish(
            Clock {
                rule: "reevaluation_3_years",
                citation: "34 CFR 300.303(b)(2)".into(),
                day_type: DayType::Calendar,
                trigger: e,
                due,
                satisfied: evals.get(i + 1).copied(),
                should: "a reevaluation should happen at least once every 3 years (unless parent and district agree it is unnecessary), that is".into(),
                what: "The next evaluation report is dated",
                soft: false,
            },
            opts,
        ));
    }

    // T09: progress reports at the IEP's schedule.
    let reports = of_kind(events, &["progress_report"]);
    for (i, iep) in ieps.iter().enumerate() {
        let Some(period) = iep
            .documents
            .first()
            .and_then(|id| docs.iter().find(|d| d.id == *id))
            .and_then(|d| reporting_period(&d.text))
        else {
            continue;
        };
        let end = ieps.get(i + 1).map_or(opts.as_of, |n| n.date);
        let mut last = *iep;
        let in_term: Vec<&Event> = reports
            .iter()
            .copied()
            .filter(|r| r.date >= iep.date && r.date < end)
            .collect();
        let allowed = period.0 + GRACE_DAYS;
        let mut idx = 0;
        loop {
            // Counted within the school year: the summer between two school years is skipped.
            let due = cal.add_school_days_of_year(last.date, allowed);
            let next = in_term.get(idx).copied();
            if next.is_none() && due >= end && ieps.get(i + 1).is_some() {
                break; // the next IEP came before another report was due
            }
            let f = finish(
                Clock {
                    rule: "progress_report_gap",
                    citation: "34 CFR 300.320(a)(3)(ii)".into(),
                    day_type: DayType::Calendar,
                    trigger: last,
                    due,
                    satisfied: next,
                    should: format!(
                        "the IEP says progress is reported {}, so a progress report should follow within about {} days of the school year (with {GRACE_DAYS} days' leeway; summer not counted), that is",
                        period.1, period.0
                    ),
                    what: "The next progress report is dated",
                    soft: false,
                },
                opts,
            );
            let stop = next.is_none();
            let mut f = f;
            if next.is_none() && ieps.get(i + 1).is_some() && f.status == "violated" {
                // The IEP's term ended at the next IEP: count the gap up to it, not up to today.
                f.days_late = Some(cal.between(due, end, DayType::Calendar)).filter(|d| *d > 0);
                if let Some(cut) = f.explanation.find(" casebinder finds nothing") {
                    f.explanation.truncate(cut);
                    f.explanation.push_str(&format!(
                        " casebinder finds no progress report between {} and the next IEP on {end}. \
                         If there was one, add it to the case folder. {NOT_LEGAL_ADVICE}",
                        last.date
                    ));
                }
            }
            findings.push(f);
            match next {
                Some(n) => {
                    last = n;
                    idx += 1;
                }
                None => break,
            }
            if stop {
                break;
            }
        }
    }

    // T11: records requests. A request asked again before it was answered is a follow-up of the
    // first (one finding); the district's reply answers it.
    let received = of_kind(events, &["records_received", "records_response"]);
    let mut chains: Vec<(&Event, Vec<&Event>)> = Vec::new();
    for r in of_kind(events, &["records_requested"]) {
        match chains.last_mut() {
            Some((first, follow)) if first_after(&received, first.date).is_none_or(|a| a.date > r.date) => {
                follow.push(r);
            }
            _ => chains.push((r, Vec::new())),
        }
    }
    for (r, follow) in chains {
        let due = cal.add(r.date, p.records.days, p.records.day_type);
        let mut f = finish(
            Clock {
                rule: "records_request_45_days",
                citation: p.records.citation.into(),
                day_type: p.records.day_type,
                trigger: r,
                due,
                satisfied: first_after(&received, r.date),
                should: format!(
                    "the district should let the parent inspect the records without unnecessary delay and within {} {}, that is",
                    p.records.days,
                    p.records.day_type.words()
                ),
                what: "The district answered (records sent, or a reply about them)",
                soft: false,
            },
            opts,
        );
        if !follow.is_empty() {
            let list: Vec<String> = follow
                .iter()
                .map(|e| {
                    format!(
                        "{} (document {})",
                        e.date,
                        e.documents.first().map_or("-".to_string(), |d| d.to_string())
                    )
                })
                .collect();
            f.explanation.push_str(&format!(
                " The parent followed up on {} before any answer.",
                list.join(", ")
            ));
        }
        findings.push(f);
    }

    // T12: IEE request → fund the IEE or file for due process, without unnecessary delay (soft).
    let answers = of_kind(events, &["iee_report", "due_process_filed", "iee_funded"]);
    for r in of_kind(events, &["iee_requested"]) {
        findings.push(finish(
            Clock {
                rule: "iee_response",
                citation: "34 CFR 300.502(b)(2)".into(),
                day_type: DayType::Calendar,
                trigger: r,
                due: cal.add(r.date, opts.soft_days, DayType::Calendar),
                satisfied: first_after(&answers, r.date),
                should: "the district should, without unnecessary delay, either ensure the independent evaluation is provided at public expense or file for a due process hearing; casebinder looks for either within the threshold, that is".into(),
                what: "An independent evaluation report or a due-process filing is dated",
                soft: true,
            },
            opts,
        ));
    }

    // T27: disclosure at least 5 business days before a hearing.
    let hearing = opts
        .hearing_date
        .or_else(|| of_kind(events, &["hearing"]).last().map(|e| e.date));
    if let Some(h) = hearing {
        let disclosed = of_kind(events, &["disclosure", "exhibits_disclosed"]);
        let due = cal.add(h, -5, DayType::Business);
        let sat = disclosed.iter().copied().rfind(|d| d.date <= h);
        let trigger = Event {
            date: h,
            kind: "hearing".into(),
            title: "Due process hearing".into(),
            source: "user".into(),
            documents: vec![],
            event_id: None,
            tags: vec![],
            note: None,
            verbal: false,
            doc_kind: None,
            author: None,
            confidence: 1.0,
            ambiguous: false,
            can_trigger: true,
        };
        let mut f = finish(
            Clock {
                rule: "disclosure_5_business_days",
                citation: "34 CFR 300.512(b)".into(),
                day_type: DayType::Business,
                trigger: &trigger,
                due,
                satisfied: sat,
                should: "evaluations and recommendations to be used at the hearing must be disclosed at least 5 business days before it, that is".into(),
                what: "Disclosure happened",
                soft: false,
            },
            opts,
        );
        f.explanation = f
            .explanation
            .replacen("Due process hearing on", "A hearing is set for", 1);
        findings.push(f);
    }

    // T17/T19: filing windows for every possible issue found.
    let mut windows = Vec::new();
    let filed_sc = of_kind(events, &["state_complaint_filed"]);
    let filed_dp = of_kind(events, &["due_process_filed"]);
    for f in findings
        .iter()
        .filter(|f| matches!(f.status.as_str(), "violated" | "soft" | "unsure"))
    {
        let happened = f.due.unwrap_or(f.trigger.date);
        for (rule, cite, years, filed, what) in [
            (
                "state_complaint_1_year_window",
                "34 CFR 300.153(c)",
                1u32,
                &filed_sc,
                "a state complaint",
            ),
            (
                "due_process_2_year_window",
                "34 CFR 300.507(a)(2)",
                2,
                &filed_dp,
                "a due process complaint",
            ),
        ] {
            let deadline = happened
                .checked_add_months(Months::new(12 * years))
                .unwrap_or(happened);
            let filing = filed.iter().copied().find(|e| e.date >= happened);
            let (status, text) = match filing {
                Some(e) if e.date <= deadline => (
                    "met",
                    format!("{what} was filed on {}, inside the window.", e.date),
                ),
                _ if opts.as_of <= deadline => (
                    "open",
                    format!(
                        "As of {}, {what} about it can still be filed until {deadline}.",
                        opts.as_of
                    ),
                ),
                _ => (
                    "soft",
                    format!(
                        "The {years}-year window for {what} closed on {deadline}; exceptions exist, ask an advocate."
                    ),
                ),
            };
            windows.push(Finding {
                rule: rule.into(),
                citation: cite.into(),
                status: status.into(),
                trigger: Anchor {
                    date: happened,
                    documents: f.trigger.documents.clone(),
                    events: f.trigger.events.clone(),
                    description: format!("possible issue {} ({}) from {happened}", f.rule, f.citation),
                },
                due: Some(deadline),
                satisfied_by: filing.map(anchor).into_iter().collect(),
                days_late: None,
                day_type: DayType::Calendar,
                explanation: format!(
                    "The possible issue \"{}\" dates from {happened}. Under {cite} {what} must concern something that happened within {years} year(s) before it is filed (state rules may differ). {text}",
                    f.rule
                ),
            });
        }
    }
    findings.extend(windows);
    Report {
        profile: p.code.into(),
        profile_name: p.name.into(),
        as_of: opts.as_of,
        school_days_approximate: cal.approximate(),
        soft_days: opts.soft_days,
        findings,
    }
}

/// Leeway after a reporting period (reports come with report cards, not on the day).
const GRACE_DAYS: i64 = 30;

/// The progress-reporting schedule an IEP states, in days and words.
pub fn reporting_period(text: &str) -> Option<(i64, &'static str)> {
    let t = text.to_lowercase();
    let has = |w: &str| t.contains(w);
    if has("progress") || has("report card") {
        if has("quarterly") || has("each quarter") || has("every nine weeks") || has("every 9 weeks") {
            return Some((91, "quarterly"));
        }
        if has("trimester") {
            return Some((122, "each trimester"));
        }
        if has("semester") || has("twice a year") || has("twice yearly") {
            return Some((183, "each semester"));
        }
        if has("monthly") && has("progress report") {
            return Some((31, "monthly"));
        }
        if has("with report cards") {
            return Some((91, "with report cards (quarterly)"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn ev(date: NaiveDate, kind: &str, doc: i64) -> Event {
        Event {
            date,
            kind: kind.into(),
            title: kind.into(),
            source: "document".into(),
            documents: vec![doc],
            event_id: None,
            tags: vec![],
            note: None,
            verbal: false,
            doc_kind: None,
            author: None,
            confidence: 0.9,
            ambiguous: false,
            can_trigger: true,
        }
    }

    fn opts(code: &str, as_of: NaiveDate) -> Options {
        Options {
            as_of,
            profile: profiles::profile(code).unwrap(),
            calendar: Calendar::default(),
            soft_days: 30,
            hearing_date: None,
        }
    }

    #[test]
    fn texas_counts_school_days_where_federal_counts_calendar_days() {
        // Consent on Wed 2023-03-01, report 2023-04-28: 58 calendar days, 42 school days.
        let events = vec![
            ev(d(2023, 3, 1), "consent_received", 1),
            ev(d(2023, 4, 28), "evaluation_report", 2),
        ];
        let fed = check(&events, &[], &opts("federal", d(2023, 12, 1)));
        assert_eq!(fed.findings[0].status, "met");
        // Report on 2023-05-10: 70 calendar days (late federally), 50 weekdays (late in TX too).
        let events = vec![
            ev(d(2023, 3, 1), "consent_received", 1),
            ev(d(2023, 5, 3), "evaluation_report", 2),
        ];
        let fed = check(&events, &[], &opts("federal", d(2023, 12, 1)));
        let tx = check(&events, &[], &opts("TX", d(2023, 12, 1)));
        assert_eq!(fed.findings[0].status, "violated");
        assert_eq!(fed.findings[0].days_late, Some(3));
        assert_eq!(tx.findings[0].status, "met", "{}", tx.findings[0].explanation);
        assert!(tx.findings[0].explanation.contains("approximate"));
    }

    #[test]
    fn annual_reviews_and_open_clocks() {
        let events = vec![
            ev(d(2022, 10, 4), "iep_meeting", 1),
            ev(d(2023, 11, 7), "iep_meeting", 2),
        ];
        let r = check(&events, &[], &opts("federal", d(2024, 5, 1)));
        let annual: Vec<&Finding> = r
            .findings
            .iter()
            .filter(|f| f.rule == "annual_review_365_days")
            .collect();
        assert_eq!(annual[0].status, "violated");
        assert_eq!(annual[0].days_late, Some(34));
        assert_eq!(annual[1].status, "open");
        assert!(
            r.findings
                .iter()
                .any(|f| f.rule == "state_complaint_1_year_window" && f.status == "open")
        );
        assert!(annual[0].explanation.contains("not a legal conclusion"));
    }

    #[test]
    fn soft_rules_are_never_violations() {
        let events = vec![
            ev(d(2024, 3, 12), "iee_requested", 1),
            ev(d(2024, 8, 15), "iee_report", 2),
        ];
        let r = check(&events, &[], &opts("federal", d(2024, 9, 1)));
        assert_eq!(r.findings[0].status, "soft");
        assert_eq!(r.violations(), 0);
    }

    #[test]
    fn schedules_are_read_from_the_iep() {
        assert_eq!(
            reporting_period("Progress reports: quarterly, with report cards.").map(|p| p.0),
            Some(91)
        );
        assert_eq!(
            reporting_period("Progress will be reported each trimester").map(|p| p.0),
            Some(122)
        );
        assert_eq!(reporting_period("no schedule here"), None);
    }

    fn doc(id: i64, kind: &str, date: NaiveDate) -> DocFacts {
        DocFacts {
            id,
            kind: kind.into(),
            date: Some(date),
            title: Some(kind.into()),
            author: None,
            path: format!("{id}.pdf"),
            tags: vec![],
            inner: vec![],
            text: String::new(),
            date_confidence: 0.95,
            date_ambiguous: false,
            date_source: Some("label".into()),
        }
    }

    fn statuses(r: &Report, rule: &str) -> Vec<(String, String)> {
        r.findings
            .iter()
            .filter(|f| f.rule == rule)
            .map(|f| (f.trigger.date.to_string(), f.status.clone()))
            .collect()
    }

    fn run_docs(docs: &[DocFacts], as_of: NaiveDate) -> Report {
        let events = crate::timeline::build(docs, &[]);
        check(&events, docs, &opts("federal", as_of))
    }

    #[test]
    fn an_fba_answers_the_consent_for_it() {
        let docs = vec![
            doc(1, "consent", d(2024, 2, 20)),
            doc(2, "fba", d(2024, 4, 5)),
            doc(3, "evaluation", d(2025, 11, 1)),
        ];
        let r = run_docs(&docs, d(2026, 1, 1));
        let f = r
            .findings
            .iter()
            .find(|f| f.rule == "initial_evaluation_60_days")
            .unwrap();
        assert_eq!(f.status, "met");
        assert_eq!(f.satisfied_by[0].documents, vec![2]);
    }

    #[test]
    fn one_consent_gives_one_clock_whatever_dates_it_carries() {
        let mut consent = doc(1, "consent", d(2023, 3, 10));
        consent.inner = vec![
            (
                "sent_to_parent".into(),
                d(2023, 3, 1),
                "Date sent: 03/01/2023".into(),
            ),
            (
                "consent_received".into(),
                d(2023, 3, 8),
                "signed 03/08/2023".into(),
            ),
        ];
        let r = run_docs(&[consent, doc(2, "evaluation", d(2023, 5, 1))], d(2023, 12, 1));
        assert_eq!(
            statuses(&r, "initial_evaluation_60_days"),
            vec![("2023-03-10".into(), "met".into())]
        );
    }

    #[test]
    fn a_parents_notes_timelines_and_revision_dated_forms_never_start_a_clock() {
        let mut notes = doc(1, "meeting_notes", d(2023, 2, 1));
        notes.inner = vec![(
            "consent_received".into(),
            d(2023, 1, 10),
            "10/01 signed consent".into(),
        )];
        let mut timeline = doc(2, "other", d(2023, 2, 2));
        timeline.inner = vec![(
            "consent_received".into(),
            d(2022, 10, 6),
            "signed assessment plan".into(),
        )];
        let mut blank = doc(3, "consent", d(2020, 1, 1));
        blank.date_source = Some("revision".into());
        let r = run_docs(
            &[notes, timeline, blank, doc(4, "evaluation", d(2023, 9, 1))],
            d(2024, 1, 1),
        );
        assert!(
            statuses(&r, "initial_evaluation_60_days").is_empty(),
            "{:?}",
            r.findings
        );
    }

    #[test]
    fn the_districts_reply_answers_a_records_request_and_a_follow_up_joins_it() {
        let mut ask = doc(1, "parent_letter", d(2024, 5, 6));
        ask.tags = vec!["records-request".into()];
        let mut again = doc(2, "email", d(2024, 6, 10));
        again.tags = vec!["records-request".into()];
        let mut reply = doc(3, "district_letter", d(2024, 7, 15));
        reply.tags = vec!["records-response".into()];
        let r = run_docs(&[ask, again, reply], d(2024, 12, 1));
        let rec = statuses(&r, "records_request_45_days");
        assert_eq!(
            rec,
            vec![("2024-05-06".into(), "violated".into())],
            "one finding, not two"
        );
        let f = r
            .findings
            .iter()
            .find(|f| f.rule == "records_request_45_days")
            .unwrap();
        assert_eq!(f.satisfied_by[0].documents, vec![3]);
        assert!(
            f.explanation.contains("followed up on 2024-06-10"),
            "{}",
            f.explanation
        );
        // After an answer, a new request is a new request.
        let tagged = |id, kind: &str, date, tag: &str| {
            let mut x = doc(id, kind, date);
            x.tags = vec![tag.into()];
            x
        };
        let docs = vec![
            tagged(1, "parent_letter", d(2024, 5, 6), "records-request"),
            tagged(3, "district_letter", d(2024, 7, 15), "records-response"),
            tagged(4, "parent_letter", d(2024, 9, 2), "records-request"),
        ];
        let r = run_docs(&docs, d(2024, 12, 1));
        assert_eq!(statuses(&r, "records_request_45_days").len(), 2);
    }

    #[test]
    fn the_summer_between_progress_reports_is_not_a_gap() {
        let mut iep = doc(1, "iep", d(2023, 4, 3));
        iep.text = "Progress will be reported quarterly with report cards.".into();
        let docs = vec![
            iep,
            doc(2, "progress_report", d(2023, 6, 9)),
            doc(3, "progress_report", d(2023, 11, 3)),
            doc(4, "progress_report", d(2024, 1, 26)),
            doc(5, "iep", d(2024, 3, 28)),
        ];
        let r = run_docs(&docs, d(2024, 3, 1));
        assert!(
            statuses(&r, "progress_report_gap")
                .iter()
                .all(|(_, s)| s == "met" || s == "open"),
            "{:?}",
            statuses(&r, "progress_report_gap")
        );
    }

    #[test]
    fn a_finding_on_an_unsure_date_is_unsure_and_says_what_to_confirm() {
        let mut consent = doc(7, "consent", d(2023, 3, 1));
        consent.date_ambiguous = true;
        let r = run_docs(&[consent, doc(8, "evaluation", d(2023, 6, 20))], d(2023, 12, 1));
        let f = r
            .findings
            .iter()
            .find(|f| f.rule == "initial_evaluation_60_days")
            .unwrap();
        assert_eq!(f.status, "unsure");
        assert!(
            f.explanation.contains("casebinder set 7 --date"),
            "{}",
            f.explanation
        );
        assert_eq!(r.violations(), 0);
        let mut weak = doc(7, "consent", d(2023, 3, 1));
        weak.date_confidence = 0.5;
        let r = run_docs(&[weak, doc(8, "evaluation", d(2023, 6, 20))], d(2023, 12, 1));
        assert_eq!(r.findings[0].status, "unsure");
    }

    #[test]
    fn a_consent_to_release_records_starts_no_evaluation_clock() {
        let mut release = doc(1, "consent", d(2023, 3, 1));
        release.tags = vec!["consent-release".into()];
        let mut services = doc(2, "consent", d(2023, 4, 1));
        services.tags = vec!["consent-services".into()];
        let r = run_docs(&[release, services], d(2024, 1, 1));
        assert!(
            statuses(&r, "initial_evaluation_60_days").is_empty(),
            "{:?}",
            r.findings
        );
        let mut evaluate = doc(3, "consent", d(2023, 3, 1));
        evaluate.tags = vec!["consent-evaluation".into()];
        let r = run_docs(&[evaluate], d(2024, 1, 1));
        assert_eq!(statuses(&r, "initial_evaluation_60_days").len(), 1);
    }
}
