//! Independent educational evaluations (T12): the district funds it or files for a hearing,
//! "without unnecessary delay" (a soft rule, flagged against the case's threshold).

use super::clock::{Clock, finish, first_after, of_kind};
use super::days::DayType;
use super::{Finding, Options};
use crate::timeline::Event;

/// T12: IEE request → fund the IEE or file for due process.
pub(super) fn response(events: &[Event], opts: &Options, findings: &mut Vec<Finding>) {
    let cal = &opts.calendar;
    let answers = of_kind(events, &["iee_report", "due_process_filed", "iee_funded"]);
    for r in of_kind(events, &["iee_requested"]) {
        findings.push(finish(
            Clock {
                rule: "iee_response",
                title: "Answer to a request for an independent evaluation".into(),
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
}
