//! The IEP's own clocks: eligibility → the first IEP meeting (T03); the annual review (T06).

use super::clock::{Clock, finish, first_after, of_kind};
use super::days::DayType;
use super::{Finding, Options};
use crate::timeline::Event;

/// T03: eligibility → the first IEP meeting (only where no IEP came before).
pub(super) fn initial(events: &[Event], opts: &Options, findings: &mut Vec<Finding>) {
    let cal = &opts.calendar;
    let p = opts.profile;
    let ieps = of_kind(events, &["iep_meeting"]);
    for e in of_kind(events, &["eligibility_determination"]) {
        if ieps.iter().any(|i| i.date < e.date) {
            continue;
        }
        let due = cal.add(e.date, p.initial_iep.days, p.initial_iep.day_type);
        findings.push(finish(
            Clock {
                rule: "initial_iep_30_days",
                title: format!(
                    "First IEP meeting within {} {}",
                    p.initial_iep.days,
                    p.initial_iep.day_type.words()
                ),
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
}

/// T06: the annual review (amendments do not reset it).
pub(super) fn annual_review(events: &[Event], opts: &Options, findings: &mut Vec<Finding>) {
    let cal = &opts.calendar;
    let ieps = of_kind(events, &["iep_meeting"]);
    for (i, iep) in ieps.iter().enumerate() {
        findings.push(finish(
            Clock {
                rule: "annual_review_365_days",
                title: "IEP reviewed every year".into(),
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
}
