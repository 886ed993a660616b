//! Procedural-deadline checks (shared/domain.md section 2), computed from the timeline.
//!
//! Each finding names its rule and regulation, the event that started the clock, the due date,
//! what satisfied it (if anything), how late, and a plain-language explanation worded as a
//! possible issue, never a legal conclusion. Soft rules ("without unnecessary delay") are flagged
//! against a threshold the user sets, never as violations. Pure: events and options in, a report out.

pub mod days;
pub mod forum;
pub mod gaps;
pub mod profiles;

mod clock;
mod evaluation;
mod hearing;
mod iee;
mod iep;
pub mod progress;
mod records;
mod windows;

use chrono::NaiveDate;
use serde::Serialize;

use crate::timeline::{DocFacts, Event};
use days::{Calendar, DayType};
use profiles::Profile;

pub use progress::reporting_period;

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
    /// What it was, in its own words (no catalog numbers): for papers written for others.
    pub title: String,
    /// Said, not written (an event the family recorded).
    pub verbal: bool,
}

/// Where a deadline stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Missed.
    Violated,
    /// It would be missed, but rests on a date to confirm.
    Unsure,
    Met,
    /// Not due yet.
    Open,
    /// A "without unnecessary delay" rule past the case's threshold (never a violation).
    Soft,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Violated => "violated",
            Status::Unsure => "unsure",
            Status::Met => "met",
            Status::Open => "open",
            Status::Soft => "soft",
        }
    }

    /// A possible issue to look into (violated, unsure or flagged).
    pub fn is_issue(self) -> bool {
        matches!(self, Status::Violated | Status::Unsure | Status::Soft)
    }
}

impl PartialEq<&str> for Status {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Finding {
    /// The rule's id (a contract: SPEC names them).
    pub rule: String,
    /// The rule in words, with the state profile's own numbers ("Records within 5 business days").
    pub title: String,
    pub citation: String,
    pub status: Status,
    pub trigger: Anchor,
    pub due: Option<NaiveDate>,
    pub satisfied_by: Vec<Anchor>,
    pub days_late: Option<i64>,
    pub day_type: DayType,
    pub explanation: String,
    /// Which path fits it (a state complaint, due process, or none), and why.
    pub forum: forum::Forum,
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
        self.findings
            .iter()
            .filter(|f| f.status == Status::Violated)
            .count()
    }
}

/// A date casebinder is less sure of than this makes a finding that rests on it `unsure`.
pub const SURE_DATE: f64 = 0.6;

/// Runs every rule, in the order their findings are listed.
pub fn check(events: &[Event], docs: &[DocFacts], opts: &Options) -> Report {
    let mut findings = Vec::new();
    evaluation::initial(events, opts, &mut findings);
    iep::initial(events, opts, &mut findings);
    iep::annual_review(events, opts, &mut findings);
    evaluation::reevaluation(events, opts, &mut findings);
    progress::gaps(events, docs, opts, &mut findings);
    records::requests(events, opts, &mut findings);
    iee::response(events, opts, &mut findings);
    hearing::disclosure(events, opts, &mut findings);
    let windows = windows::filing(events, opts, &findings);
    findings.extend(windows);
    for f in &mut findings {
        f.forum = forum::for_finding(f, events, opts);
    }
    let p = opts.profile;
    Report {
        profile: p.code.into(),
        profile_name: p.name.into(),
        as_of: opts.as_of,
        school_days_approximate: opts.calendar.approximate(),
        soft_days: opts.soft_days,
        findings,
    }
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
            .map(|f| (f.trigger.date.to_string(), f.status.to_string()))
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

    /// Issue 21, class 8: an evaluation in several reports is done with its last one.
    #[test]
    fn an_evaluation_in_parts_is_done_with_its_last_part() {
        let docs = vec![
            doc(1, "consent", d(2024, 1, 2)),
            doc(2, "evaluation", d(2024, 2, 15)),
            doc(3, "evaluation", d(2024, 3, 12)),
            doc(4, "eligibility", d(2024, 3, 20)),
            doc(5, "evaluation", d(2025, 2, 1)),
        ];
        let r = run_docs(&docs, d(2025, 6, 1));
        let f = r
            .findings
            .iter()
            .find(|f| f.rule == "initial_evaluation_60_days")
            .unwrap();
        assert_eq!(f.status, "violated", "{}", f.explanation);
        assert_eq!(f.satisfied_by[0].documents, vec![3]);
        assert_eq!(f.days_late, Some(10));
        assert!(f.explanation.contains("2 reports"), "{}", f.explanation);
    }

    /// Issue 21, class 8: a request for mediation is not a records request.
    #[test]
    fn a_request_for_mediation_starts_no_records_clock() {
        let mut m = doc(1, "mediation_request", d(2024, 3, 1));
        m.tags = vec!["records-request".into()];
        let r = run_docs(&[m], d(2025, 3, 1));
        assert!(
            statuses(&r, "records_request_45_days").is_empty(),
            "{:?}",
            r.findings
        );
    }

    /// Issue 21, class 8: a first IEP written in February owes that year's progress reports from
    /// February on.
    #[test]
    fn a_first_iep_in_february_owes_reports_from_february() {
        let mut iep = doc(1, "iep", d(2024, 2, 12));
        iep.text = "Progress toward the annual goals will be reported quarterly.".into();
        let docs = vec![
            iep,
            doc(2, "progress_report", d(2024, 4, 19)),
            doc(3, "progress_report", d(2024, 6, 14)),
        ];
        let events = crate::timeline::build(&docs, &[]);
        let years = gaps::gaps(&events, &docs, d(2024, 6, 30));
        let year = years.iter().find(|y| y.school_year == "2023-24").unwrap();
        let progress = year
            .expected
            .iter()
            .find(|e| e.what.starts_with("Progress reports"))
            .unwrap();
        assert!(!progress.missing, "{:?}", progress);
        assert!(
            progress.what.contains(": 1 expected") || progress.what.contains(": 2 expected"),
            "{}",
            progress.what
        );
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
