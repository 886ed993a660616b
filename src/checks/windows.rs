//! Filing windows (T17, T19): how long each possible issue can still be raised, by state
//! complaint (one year) or due process (two years).

use chrono::Months;

use super::clock::{anchor, of_kind};
use super::days::DayType;
use super::{Anchor, Finding, Options, Status};
use crate::timeline::Event;

/// T17/T19: a window per possible issue found so far.
pub(super) fn filing(events: &[Event], opts: &Options, findings: &[Finding]) -> Vec<Finding> {
    // T17/T19: filing windows for every possible issue found.
    let filed_sc = of_kind(events, &["state_complaint_filed"]);
    let filed_dp = of_kind(events, &["due_process_filed"]);
    let mut windows = Vec::new();
    for f in findings.iter().filter(|f| f.status.is_issue()) {
        let happened = f.due.unwrap_or(f.trigger.date);
        for (rule, title, cite, years, filed, what) in [
            (
                "state_complaint_1_year_window",
                "State complaint: 1-year window",
                "34 CFR 300.153(c)",
                1u32,
                &filed_sc,
                "a state complaint",
            ),
            (
                "due_process_2_year_window",
                "Due process: 2-year window",
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
                    Status::Met,
                    format!("{what} was filed on {}, inside the window.", e.date),
                ),
                _ if opts.as_of <= deadline => (
                    Status::Open,
                    format!(
                        "As of {}, {what} about it can still be filed until {deadline}.",
                        opts.as_of
                    ),
                ),
                _ => (
                    Status::Soft,
                    format!(
                        "The {years}-year window for {what} closed on {deadline}; exceptions exist, ask an advocate."
                    ),
                ),
            };
            windows.push(Finding {
                rule: rule.into(),
                title: title.into(),
                citation: cite.into(),
                status,
                trigger: Anchor {
                    date: happened,
                    documents: f.trigger.documents.clone(),
                    events: f.trigger.events.clone(),
                    description: format!("possible issue \"{}\" ({}) from {happened}", f.title, f.citation),
                    title: format!("{} ({})", f.title, f.citation),
                    verbal: false,
                },
                due: Some(deadline),
                satisfied_by: filing.map(anchor).into_iter().collect(),
                days_late: None,
                day_type: DayType::Calendar,
                explanation: format!(
                    "The possible issue \"{}\" dates from {happened}. Under {cite} {what} must concern something that happened within {years} year(s) before it is filed (state rules may differ). {text}",
                    f.title
                ),
                forum: Default::default(),
            });
        }
    }
    windows
}
