//! Which path fits each possible issue and each concern, in plain words with its citation.
//!
//! Parents' guides and state mediation programs tell families the same thing: a procedural
//! violation (a missed timeline, no prior written notice, an IEP not carried out) is for a state
//! complaint, a 60-day investigation that can order the district to put it right, filed within
//! one year (34 CFR 300.151-300.153); a disagreement about services or placement is for an IEP
//! meeting or mediation, free, voluntary and confidential (300.506), and due process after them.
//! This is the family's strategy: it is printed by `check` and kept out of every binder.

use chrono::{Months, NaiveDate};
use serde::Serialize;

use super::{Finding, Options, Status};
use crate::timeline::Event;

/// A path and why it fits.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Forum {
    /// `state_complaint`, `due_process`, `mediation_or_iep_meeting`,
    /// `state_complaint_and_mediation`, or `none` (nothing to raise, or nothing yet).
    pub path: &'static str,
    /// The path in words, and why.
    pub why: String,
    pub citation: &'static str,
    /// The last day a state complaint about it can be filed (when that is the path).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window_closes: Option<NaiveDate>,
}

const SC: &str = "34 CFR 300.151-300.153";
const DP: &str = "34 CFR 300.507(a)(2)";
const MED: &str = "34 CFR 300.506; 300.324";

/// A state complaint (or, once its year has passed, due process) for a possible issue; nothing
/// for a deadline met or not yet due.
pub fn for_finding(f: &Finding, events: &[Event], opts: &Options) -> Forum {
    let happened = f.due.unwrap_or(f.trigger.date);
    let years = |n: u32| {
        happened
            .checked_add_months(Months::new(12 * n))
            .unwrap_or(happened)
    };
    let (sc_closes, dp_closes) = (years(1), years(2));
    if f.rule.ends_with("_window") {
        let (path, citation, what) = if f.rule.starts_with("state") {
            ("state_complaint", SC, "a state complaint")
        } else {
            ("due_process", DP, "a due process complaint")
        };
        return match f.status {
            Status::Open => Forum {
                path,
                why: format!(
                    "{what} about it can be filed until {}.",
                    f.due.unwrap_or(happened)
                ),
                citation,
                window_closes: f.due,
            },
            Status::Met => none(format!("{what} about it was filed in time.")),
            _ => none(format!(
                "The window for {what} closed on {}; exceptions exist: ask an advocate.",
                f.due.unwrap_or(happened)
            )),
        };
    }
    match f.status {
        Status::Met => none("Met: nothing to raise.".into()),
        Status::Open => none(match f.due {
            Some(due) => format!(
                "Not due until {due}. If it passes with nothing done, it is a procedural violation: a state complaint ({SC})."
            ),
            None => format!("Not due yet. If it is missed, a state complaint ({SC})."),
        }),
        Status::Violated | Status::Unsure | Status::Soft => {
            let filed = |kind: &str| {
                events
                    .iter()
                    .find(|e| e.kind == kind && e.date >= happened)
                    .map(|e| e.date)
            };
            if let Some(on) = filed("state_complaint_filed") {
                return none(format!(
                    "A state complaint was filed on {on}; the state decides within 60 days (34 CFR 300.152(a))."
                ));
            }
            let hedge = match f.status {
                Status::Unsure => " (once the date it rests on is confirmed)",
                Status::Soft => {
                    " (a delay past the case's threshold, not a missed deadline: say how long it took)"
                }
                _ => "",
            };
            if opts.as_of <= sc_closes {
                Forum {
                    path: "state_complaint",
                    why: format!(
                        "A missed deadline is a procedural violation{hedge}: a state complaint asks the state to investigate (it decides within 60 days) and can order the district to put it right, such as compensatory services. File it by {sc_closes}, one year after it happened, and send a copy to the district at the same time."
                    ),
                    citation: SC,
                    window_closes: Some(sc_closes),
                }
            } else if opts.as_of <= dp_closes {
                if let Some(on) = filed("due_process_filed") {
                    return none(format!("A due process complaint was filed on {on}."));
                }
                Forum {
                    path: "due_process",
                    why: format!(
                        "The one-year window for a state complaint closed on {sc_closes}; a due process complaint can still raise it until {dp_closes} (two years){hedge}. Ask an advocate first."
                    ),
                    citation: DP,
                    window_closes: None,
                }
            } else {
                none(format!(
                    "Both windows have closed (a state complaint on {sc_closes}, due process on {dp_closes}); exceptions exist: ask an advocate. It can still be part of the story."
                ))
            }
        }
    }
}

/// The path for a concern the family stated, by its kind.
pub fn for_concern(kind: &str) -> Forum {
    let talk = |about: &str| Forum {
        path: "mediation_or_iep_meeting",
        why: format!(
            "A disagreement about {about} is not a missed deadline: ask for an IEP meeting (the team can change the IEP) or mediation (free, voluntary and confidential; what is said there cannot be used later as evidence). If neither settles it, a due process complaint."
        ),
        citation: MED,
        window_closes: None,
    };
    match kind {
        "service" => talk("services (what, how much, how often)"),
        "placement" => talk("placement"),
        "behavior" => talk("behavior supports"),
        "evaluation" => {
            let mut f = talk("an evaluation's results");
            f.why.push_str(" The family can also ask for an independent evaluation at public expense (34 CFR 300.502).");
            f
        }
        "implementation" => Forum {
            path: "state_complaint_and_mediation",
            why: "An IEP not carried out as written is a violation a state complaint can investigate, and it can order the services lost made up; mediation or an IEP meeting can settle how. Both, in that order: the complaint's one-year window does not wait.".into(),
            citation: "34 CFR 300.153; 300.506",
            window_closes: None,
        },
        _ => talk("this"),
    }
}

/// One plain paragraph for the whole case: which paths, and in what order when both fit.
pub fn advice(findings: &[Finding], concern_forums: &[&Forum]) -> Option<String> {
    let complaints: Vec<NaiveDate> = findings
        .iter()
        .filter(|f| !f.rule.ends_with("_window") && f.forum.path == "state_complaint")
        .filter_map(|f| f.forum.window_closes)
        .collect();
    let talks = concern_forums
        .iter()
        .filter(|f| f.path == "mediation_or_iep_meeting")
        .count();
    let implementation = concern_forums
        .iter()
        .filter(|f| f.path == "state_complaint_and_mediation")
        .count();
    let first_close = complaints.iter().min();
    match (complaints.len() + implementation, talks) {
        (0, 0) => None,
        (n, 0) => Some(format!(
            "{n} possible procedural issue(s): a state complaint fits ({SC}){}.",
            first_close
                .map(|d| format!("; the first window closes on {d}"))
                .unwrap_or_default()
        )),
        (0, t) => Some(format!(
            "{t} concern(s) about services or placement: an IEP meeting or mediation fits ({MED})."
        )),
        (n, t) => Some(format!(
            "Both: {n} possible procedural issue(s) for a state complaint ({SC}){}, and {t} concern(s) for an IEP meeting or mediation ({MED}). In that order: file the complaint while its window is open; mediation can go on while the state investigates, and the state may extend its 60 days for it (34 CFR 300.152(b)(1)(ii)).",
            first_close
                .map(|d| format!(", the first window closing on {d}"))
                .unwrap_or_default()
        )),
    }
}

fn none(why: String) -> Forum {
    Forum {
        path: "none",
        why,
        citation: "",
        window_closes: None,
    }
}
