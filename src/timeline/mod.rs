//! The story in order: events from documents (each dated document, and the typed dates inside it)
//! and events the user adds (a phone call, a verbal request) that have no document.
//!
//! Events are derived on demand from the catalog, never stored, so they follow every correction
//! the user makes to a document's kind or date.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What the timeline needs of a document.
#[derive(Debug, Clone, Serialize, Deserialize)]
// Kept for the desk as JSON (the case's story, `catalog::story_cache`): short names, as the desk
// reads many cases' stories at once.
pub struct DocFacts {
    #[serde(rename = "i")]
    pub id: i64,
    #[serde(rename = "k")]
    pub kind: String,
    #[serde(rename = "d")]
    pub date: Option<NaiveDate>,
    #[serde(rename = "t", default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(rename = "a", default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(rename = "p")]
    pub path: String,
    #[serde(rename = "g", default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Typed dates found inside (event kind, date, snippet).
    #[serde(rename = "n", default, skip_serializing_if = "Vec::is_empty")]
    pub inner: Vec<(String, NaiveDate, String)>,
    /// What the rules read of its text: for an IEP meeting's record, the phrases that say how
    /// often progress is reported (`checks::progress::reporting_marks`); else nothing.
    #[serde(rename = "x", default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// How sure the document date is (1.0 when the user set it).
    #[serde(rename = "c")]
    pub date_confidence: f64,
    /// The date could also be read day-first.
    #[serde(rename = "m", default, skip_serializing_if = "std::ops::Not::not")]
    pub date_ambiguous: bool,
    /// Where the date came from (`label`, `filename`, `revision`, `user`…).
    #[serde(rename = "s", default, skip_serializing_if = "Option::is_none")]
    pub date_source: Option<String>,
}

/// An event the user recorded.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserEvent {
    pub id: i64,
    pub date: NaiveDate,
    pub kind: String,
    pub title: String,
    pub note: Option<String>,
    pub tags: Vec<String>,
    pub verbal: bool,
    pub documents: Vec<i64>,
}

/// One entry of the timeline.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Event {
    pub date: NaiveDate,
    pub kind: String,
    pub title: String,
    /// `document` (its date), `inside` (a date written in it), `user`.
    pub source: String,
    /// Documents behind it.
    pub documents: Vec<i64>,
    /// The user event's id, for user events.
    pub event_id: Option<i64>,
    pub tags: Vec<String>,
    pub note: Option<String>,
    /// A verbal request or promise (no paper).
    pub verbal: bool,
    /// The document kind behind it, if any.
    pub doc_kind: Option<String>,
    pub author: Option<String>,
    /// How sure its date is (the document date's confidence; 1.0 for the user's events).
    pub confidence: f64,
    /// Its date could also be read day-first.
    pub ambiguous: bool,
    /// Whether it may start a deadline's clock: not a parent's notes or timeline, not a form
    /// dated only by its revision, not a decision.
    pub can_trigger: bool,
}

/// The event a document's own date stands for.
pub fn event_kind_of(doc_kind: &str) -> &'static str {
    match doc_kind {
        "iep" => "iep_meeting",
        "iep_amendment" => "iep_amendment",
        "evaluation" => "evaluation_report",
        "iee" => "iee_report",
        "eligibility" => "eligibility_determination",
        "fba" => "fba",
        "bip" => "bip",
        "plan_504" => "plan_504",
        "progress_report" => "progress_report",
        "report_card" => "report_card",
        "prior_written_notice" => "pwn_issued",
        "consent" => "consent_received",
        "meeting_notice" => "meeting_notice",
        "meeting_notes" => "meeting",
        "procedural_safeguards" => "safeguards_notice",
        "email" => "email",
        "parent_letter" => "parent_letter",
        "district_letter" => "district_letter",
        "medical" => "medical",
        "test_scores" => "test_scores",
        "work_sample" => "work_sample",
        "discipline" => "discipline",
        "manifestation_determination" => "manifestation_determination",
        "mediation_request" => "mediation_requested",
        "mediation_agreement" => "mediation_agreement",
        "settlement_agreement" => "settlement_agreement",
        "state_complaint" => "state_complaint_filed",
        "due_process" => "due_process_filed",
        "decision" => "decision_issued",
        "service_log" => "service_log",
        _ => "document",
    }
}

/// Requests a parent makes, and the district's answers, from the document's tags.
const REQUESTS: [(&str, &str); 6] = [
    ("records-request", "records_requested"),
    ("iee-request", "iee_requested"),
    ("evaluation-request", "evaluation_requested"),
    ("meeting-request", "meeting_requested"),
    ("records-response", "records_response"),
    ("iee-funded", "iee_funded"),
];

/// Papers a family writes for itself (notes, timelines, lists): they record, they never start
/// a clock.
fn parent_paper(kind: &str) -> bool {
    matches!(kind, "meeting_notes" | "other")
}

/// The event kinds the checks count (a family's `event add` of any other kind is on the
/// timeline only).
pub const COUNTED_KINDS: &[&str] = &[
    "records_requested",
    "records_received",
    "records_response",
    "iee_requested",
    "iee_funded",
    "iee_report",
    "evaluation_requested",
    "meeting_requested",
    "consent_received",
    "iep_meeting",
    "evaluation_report",
    "eligibility_determination",
    "progress_report",
    "fba",
    "hearing",
    "disclosure",
    "exhibits_disclosed",
    "state_complaint_filed",
    "due_process_filed",
];

/// Plain words for an event kind.
pub fn describe(kind: &str) -> String {
    match kind {
        "iep_meeting" => "IEP meeting".into(),
        "iep_start" => "IEP begins".into(),
        "iep_end" => "IEP ends".into(),
        "annual_review_due" => "Annual review due".into(),
        "reevaluation_due" => "Reevaluation due".into(),
        "evaluation_testing" => "Evaluation testing".into(),
        "evaluation_report" => "Evaluation report".into(),
        "iee_report" => "Independent evaluation report".into(),
        "consent_received" => "Consent received by the district".into(),
        "consent_given" => "Consent given (not to an evaluation)".into(),
        "pwn_issued" => "Prior written notice".into(),
        "meeting_proposed" => "Meeting proposed".into(),
        "records_requested" => "Records requested".into(),
        "records_received" => "Records received".into(),
        "iee_requested" => "IEE requested".into(),
        "evaluation_requested" => "Evaluation requested".into(),
        "meeting_requested" => "Meeting requested".into(),
        "safeguards_notice" => "Procedural safeguards notice".into(),
        "fba" => "FBA".into(),
        "bip" => "BIP".into(),
        "iep_amendment" => "IEP amendment".into(),
        "plan_504" => "504 plan".into(),
        "records_response" => "The district answered about records".into(),
        "iee_funded" => "The district agreed to fund an IEE".into(),
        "decision_issued" => "Decision issued".into(),
        "sent_to_parent" => "Sent to the parent".into(),
        other => {
            let s = other.replace('_', " ");
            let mut c = s.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        }
    }
}

/// All events, oldest first (ties: documents before what is inside them, then by id).
pub fn build(docs: &[DocFacts], user: &[UserEvent]) -> Vec<Event> {
    let mut out = Vec::new();
    for d in docs {
        let may_trigger =
            !parent_paper(&d.kind) && d.kind != "decision" && d.date_source.as_deref() != Some("revision");
        let base = |date: NaiveDate, kind: &str, source: &str, title: String| Event {
            date,
            kind: kind.to_string(),
            title,
            source: source.to_string(),
            documents: vec![d.id],
            event_id: None,
            tags: d.tags.clone(),
            note: None,
            verbal: false,
            doc_kind: Some(d.kind.clone()),
            author: d.author.clone(),
            confidence: if source == "document" {
                d.date_confidence
            } else {
                0.9
            },
            ambiguous: source == "document" && d.date_ambiguous,
            can_trigger: may_trigger,
        };
        let title = d.title.clone().unwrap_or_else(|| d.path.clone());
        // A consent to release records or to start services is not a consent to evaluate.
        let own_kind = match event_kind_of(&d.kind) {
            "consent_received"
                if d.tags
                    .iter()
                    .any(|t| t.starts_with("consent-") && t != "consent-evaluation") =>
            {
                "consent_given"
            }
            k => k,
        };
        if let Some(date) = d.date {
            out.push(base(date, own_kind, "document", title.clone()));
            if matches!(
                d.kind.as_str(),
                "parent_letter" | "email" | "district_letter" | "prior_written_notice"
            ) {
                for (tag, kind) in REQUESTS {
                    if d.tags.iter().any(|t| t == tag) {
                        out.push(base(
                            date,
                            kind,
                            "document",
                            format!("{}: {title}", describe(kind)),
                        ));
                    }
                }
            }
        }
        for (kind, date, snippet) in &d.inner {
            if *kind == "request" || *kind == "iep_amended" {
                continue;
            }
            // One trigger per document: its own date stands for its own event (a consent's
            // "sent" and "signed" dates are not second consents).
            if event_kind_of(&d.kind) == kind {
                continue;
            }
            out.push(base(
                *date,
                kind,
                "inside",
                format!("{} (in: {title}) — {snippet}", describe(kind)),
            ));
        }
    }
    for u in user {
        out.push(Event {
            date: u.date,
            kind: u.kind.clone(),
            title: u.title.clone(),
            source: "user".into(),
            documents: u.documents.clone(),
            event_id: Some(u.id),
            tags: u.tags.clone(),
            note: u.note.clone(),
            verbal: u.verbal,
            doc_kind: None,
            author: None,
            confidence: 1.0,
            ambiguous: false,
            can_trigger: true,
        });
    }
    // Sorted by small keys (the events themselves are large to move), ties kept in the order
    // they were made, as a stable sort keeps them.
    let order: Vec<usize> = {
        let mut keys: Vec<_> = out
            .iter()
            .enumerate()
            .map(|(i, e)| {
                (
                    e.date,
                    source_rank(&e.source),
                    e.documents.first().copied(),
                    e.event_id,
                    e.kind.as_str(),
                    i,
                )
            })
            .collect();
        keys.sort_unstable();
        keys.into_iter().map(|k| k.5).collect()
    };
    let mut slots: Vec<Option<Event>> = out.into_iter().map(Some).collect();
    let mut out: Vec<Event> = order.iter().filter_map(|&i| slots[i].take()).collect();
    out.dedup_by(|a, b| {
        a.date == b.date && a.kind == b.kind && a.documents == b.documents && a.event_id == b.event_id
    });
    out
}

fn source_rank(s: &str) -> u8 {
    match s {
        "document" => 0,
        "user" => 1,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn documents_requests_and_inner_dates_become_events_in_order() {
        let docs = vec![
            DocFacts {
                id: 2,
                kind: "parent_letter".into(),
                date: Some(d(2024, 1, 8)),
                title: Some("Records request".into()),
                author: None,
                path: "a.docx".into(),
                tags: vec!["records-request".into()],
                inner: vec![],
                text: String::new(),
                date_confidence: 0.9,
                date_ambiguous: false,
                date_source: Some("label".into()),
            },
            DocFacts {
                id: 1,
                kind: "iep".into(),
                date: Some(d(2023, 11, 7)),
                title: Some("IEP".into()),
                author: None,
                path: "iep.pdf".into(),
                tags: vec![],
                inner: vec![(
                    "annual_review_due".into(),
                    d(2024, 11, 6),
                    "Next Annual Review: 11/06/2024".into(),
                )],
                text: String::new(),
                date_confidence: 0.9,
                date_ambiguous: false,
                date_source: Some("label".into()),
            },
        ];
        let user = vec![UserEvent {
            id: 1,
            date: d(2024, 2, 6),
            kind: "phone_call".into(),
            title: "Asked about OT".into(),
            note: None,
            tags: vec![],
            verbal: false,
            documents: vec![],
        }];
        let ev = build(&docs, &user);
        let kinds: Vec<&str> = ev.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(
            kinds,
            vec![
                "iep_meeting",
                "parent_letter",
                "records_requested",
                "phone_call",
                "annual_review_due"
            ]
        );
    }
}
