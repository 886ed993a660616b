//! Evaluations: consent to evaluate → the evaluation complete (T01); a reevaluation at least
//! every three years (T07).

use chrono::Months;

use super::clock::{Clock, finish, first_after, of_kind};
use super::days::DayType;
use super::{Finding, Options};
use crate::timeline::Event;

/// T01: consent received → evaluation complete.
pub(super) fn initial(events: &[Event], opts: &Options, findings: &mut Vec<Finding>) {
    let cal = &opts.calendar;
    let p = opts.profile;
    let consents = of_kind(events, &["consent_received"]);
    let answers_consent = of_kind(events, &["evaluation_report", "fba"]);
    let meetings = of_kind(events, &["eligibility_determination", "iep_meeting"]);
    for (k, c) in consents.iter().enumerate() {
        // An evaluation is done when its last part is: the reports written after this consent
        // (and before the next one) up to the meeting that reviews them, or within 60 days of
        // the first when no meeting follows.
        let next_consent = consents.get(k + 1).map(|n| n.date);
        let first = first_after(&answers_consent, c.date).filter(|f| next_consent.is_none_or(|n| f.date < n));
        let parts: Vec<&Event> = first.map_or_else(Vec::new, |first| {
            let review = meetings.iter().find(|m| m.date >= first.date).map(|m| m.date);
            let limit = review.unwrap_or(first.date + chrono::Duration::days(60));
            answers_consent
                .iter()
                .copied()
                .filter(|r| {
                    r.date >= first.date && r.date <= limit && next_consent.is_none_or(|n| r.date < n)
                })
                .collect()
        });
        let done = parts.last().copied();
        let due = cal.add(c.date, p.evaluation.days, p.evaluation.day_type);
        let reevaluation = c.title.to_lowercase().contains("reevaluation")
            || c.title.to_lowercase().contains("re-evaluation");
        let mut f = finish(
            Clock {
                rule: "initial_evaluation_60_days",
                title: format!(
                    "Evaluation within {} {}",
                    p.evaluation.days,
                    p.evaluation.day_type.words()
                ),
                citation: p.evaluation.citation.into(),
                day_type: p.evaluation.day_type,
                trigger: c,
                due,
                satisfied: done,
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
        if parts.len() > 1 {
            f.explanation.push_str(&format!(
                " The evaluation came in {} reports ({}); it was complete with the last.",
                parts.len(),
                parts
                    .iter()
                    .map(|p| p.date.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if reevaluation {
            f.explanation.push_str(
                " This consent is for a reevaluation: the federal 60-day rule is written for initial evaluations; \
                 many states apply the same timeline to reevaluations (check your state's rule).",
            );
        }
        findings.push(f);
    }
}

/// T07: a reevaluation at least every 3 years.
pub(super) fn reevaluation(events: &[Event], opts: &Options, findings: &mut Vec<Finding>) {
    let evals = of_kind(events, &["evaluation_report"]);
    for (i, e) in evals.iter().enumerate() {
        let due = e.date.checked_add_months(Months::new(36)).unwrap_or(e.date);
        findings.push(finish(
            Clock {
                rule: "reevaluation_3_years",
                title: "Reevaluation every 3 years".into(),
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
}
