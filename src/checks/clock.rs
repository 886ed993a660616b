//! The clock every deadline rule shares: from the event that started it to what satisfied it
//! (or the day judged), with the status, the days late and the plain-language explanation.

use chrono::NaiveDate;

use super::days::DayType;
use super::{Anchor, Finding, Options, SURE_DATE, Status};
use crate::timeline::{Event, describe};

pub(super) const NOT_LEGAL_ADVICE: &str =
    "This is a possible timeline issue to look into, not a legal conclusion.";

pub(super) fn anchor(e: &Event) -> Anchor {
    let who = match (&e.documents[..], e.event_id) {
        (_, Some(id)) => format!("your event {id}{}", if e.verbal { ", verbal" } else { "" }),
        ([id, ..], None) => format!("document {id}"),
        _ => String::new(),
    };
    Anchor {
        date: e.date,
        documents: e.documents.clone(),
        events: e.event_id.into_iter().collect(),
        description: if who.is_empty() {
            e.title.clone()
        } else {
            format!("{} ({who})", e.title)
        },
        title: e.title.clone(),
        verbal: e.verbal,
    }
}

pub(super) fn of_kind<'a>(events: &'a [Event], kinds: &[&str]) -> Vec<&'a Event> {
    let mut v: Vec<&Event> = events
        .iter()
        .filter(|e| kinds.contains(&e.kind.as_str()) && e.can_trigger)
        .collect();
    v.sort_by_key(|e| e.date);
    // The same event found in several documents (a consent and the report that cites it) counts once.
    v.dedup_by(|a, b| a.date == b.date);
    v
}

/// One deadline: the rule, what started it, when it was due and what (if anything) met it.
pub(super) struct Clock<'a> {
    pub rule: &'static str,
    /// The rule in words, with the profile's own numbers ("Records within 5 business days").
    pub title: String,
    pub citation: String,
    pub day_type: DayType,
    pub trigger: &'a Event,
    pub due: NaiveDate,
    pub satisfied: Option<&'a Event>,
    /// What should have happened, in words ("the evaluation should be complete").
    pub should: String,
    /// What happened instead, if late.
    pub what: &'static str,
    pub soft: bool,
}

/// A date a finding should not rest on without the family confirming it.
fn shaky(e: &Event) -> bool {
    e.ambiguous || e.confidence < SURE_DATE
}

pub(super) fn finish(c: Clock<'_>, opts: &Options) -> Finding {
    let cal = &opts.calendar;
    let t = anchor(c.trigger);
    let due = c.due;
    let (status, days_late, sat) = match c.satisfied {
        Some(s) if s.date <= due => (Status::Met, Some(0), vec![anchor(s)]),
        Some(s) => (
            if c.soft { Status::Soft } else { Status::Violated },
            Some(cal.between(due, s.date, c.day_type)),
            vec![anchor(s)],
        ),
        None if opts.as_of > due => (
            if c.soft { Status::Soft } else { Status::Violated },
            Some(cal.between(due, opts.as_of, c.day_type)),
            vec![],
        ),
        None => (Status::Open, None, vec![]),
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
        (Status::Met, Some(s)) => text.push_str(&format!(
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
        (Status::Open, None) => text.push_str(&format!(
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
    if c.soft && status != Status::Met && status != Status::Open {
        text.push_str(&format!(
            " The rule says \"without unnecessary delay\" and sets no number of days: this is flagged because more than {} days passed (change it with --soft-days, or for the case: casebinder config soft-days N).",
            opts.soft_days
        ));
    }
    if c.day_type == DayType::School && cal.approximate() {
        text.push_str(" School days were counted as weekdays without holidays: approximate, as no school calendar was given.");
    }
    // A violation that rests on a date casebinder is not sure of is only a possibility to check.
    let mut status = status;
    if status == Status::Violated {
        let unsure: Vec<&Event> = std::iter::once(c.trigger)
            .chain(c.satisfied)
            .filter(|e| shaky(e) && e.event_id.is_none())
            .collect();
        if !unsure.is_empty() {
            status = Status::Unsure;
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
        title: c.title,
        citation: c.citation,
        status,
        trigger: t,
        due: Some(due),
        satisfied_by: sat,
        days_late: days_late.filter(|d| *d > 0),
        day_type: c.day_type,
        explanation: text,
        forum: Default::default(),
    }
}

pub(super) fn first_after<'a>(events: &[&'a Event], date: NaiveDate) -> Option<&'a Event> {
    events.iter().copied().find(|e| e.date >= date)
}
