//! Records requests (T11): a request, its follow-ups, and the district's answer.

use super::clock::{Clock, finish, first_after, of_kind};
use super::{Finding, Options};
use crate::timeline::Event;

/// T11: a request asked again before it was answered is a follow-up of the first (one
/// finding); the district's reply answers it.
pub(super) fn requests(events: &[Event], opts: &Options, findings: &mut Vec<Finding>) {
    let cal = &opts.calendar;
    let p = opts.profile;
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
                title: format!("Records within {} {}", p.records.days, p.records.day_type.words()),
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
                .map(|e| match e.documents.first() {
                    Some(d) => format!("{} (document {d})", e.date),
                    None if e.verbal => format!("{} (in person, as the family recorded it)", e.date),
                    None => format!("{} (as the family recorded it)", e.date),
                })
                .collect();
            f.explanation.push_str(&format!(
                " The parent followed up on {} before any answer.",
                list.join(", ")
            ));
        }
        findings.push(f);
    }
}
