//! Progress reports at the schedule the IEP itself states (T09), the summer not counted.

use super::clock::{Clock, NOT_LEGAL_ADVICE, finish, of_kind};
use super::days::DayType;
use super::{Finding, Options, Status};
use crate::timeline::{DocFacts, Event};

/// T09: a progress report within each reporting period the IEP states.
pub(super) fn gaps(events: &[Event], docs: &[DocFacts], opts: &Options, findings: &mut Vec<Finding>) {
    let cal = &opts.calendar;
    let ieps = of_kind(events, &["iep_meeting"]);
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
                    title: format!("Progress reports {}", period.1),
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
            if next.is_none() && ieps.get(i + 1).is_some() && f.status == Status::Violated {
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
}

/// Leeway after a reporting period (reports come with report cards, not on the day).
const GRACE_DAYS: i64 = 30;

/// The progress-reporting schedule an IEP states, in days and words.
/// Every phrase [`reporting_period`] looks for.
const REPORTING_WORDS: &[&str] = &[
    "progress",
    "report card",
    "quarterly",
    "each quarter",
    "every nine weeks",
    "every 9 weeks",
    "trimester",
    "semester",
    "twice a year",
    "twice yearly",
    "monthly",
    "progress report",
    "with report cards",
];

/// What [`reporting_period`] reads of a text: the phrases it looks for that the text holds,
/// one a line. Read from these it says what it says of the whole text; a case's story keeps
/// these instead of its IEPs' pages.
pub fn reporting_marks(text: &str) -> String {
    let t = text.to_lowercase();
    REPORTING_WORDS
        .iter()
        .filter(|w| t.contains(**w))
        .copied()
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn reporting_period(text: &str) -> Option<(i64, &'static str)> {
    let t = text.to_lowercase();
    let has = |w: &str| {
        debug_assert!(REPORTING_WORDS.contains(&w), "{w} is not in REPORTING_WORDS");
        t.contains(w)
    };
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
