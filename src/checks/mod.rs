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
    /// `violated`, `met`, `open` or `soft`.
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
        .filter(|e| kinds.contains(&e.kind.as_str()))
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

    // T01: consent received → evaluation complete.
    let consents = of_kind(events, &["consent_received"]);
    let evals = of_kind(events, &["evaluation_report"]);
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
                satisfied: first_after(&evals, c.date),
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
            let due = cal.add(last.date, allowed, DayType::Calendar);
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
                        "the IEP says progress is reported {}, so a progress report should follow within about {} days (with {GRACE_DAYS} days' leeway), that is",
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

    // T11: records requests.
    let received = of_kind(events, &["records_received"]);
    for r in of_kind(events, &["records_requested"]) {
        let due = cal.add(r.date, p.records.days, p.records.day_type);
        findings.push(finish(
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
                what: "Records were received",
                soft: false,
            },
            opts,
        ));
    }

    // T12: IEE request → fund the IEE or file for due process, without unnecessary delay (soft).
    let answers = of_kind(events, &["iee_report", "due_process_filed"]);
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
        .filter(|f| f.status == "violated" || f.status == "soft")
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
}
