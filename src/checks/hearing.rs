//! The hearing's own deadline (T27): evaluations and recommendations disclosed at least five
//! business days before it.

use super::clock::{Clock, finish, of_kind};
use super::days::DayType;
use super::{Finding, Options};
use crate::timeline::Event;

/// T27: disclosure at least 5 business days before a hearing.
pub(super) fn disclosure(events: &[Event], opts: &Options, findings: &mut Vec<Finding>) {
    let cal = &opts.calendar;
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
                title: "Disclosure 5 business days before the hearing".into(),
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
}
