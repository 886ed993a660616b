//! What is missing each school year: the documents a family should have (the IEP in effect,
//! progress reports at the IEP's schedule, the yearly procedural safeguards notice, a written
//! answer to each request, a reevaluation within three years) and which are absent.

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

use super::reporting_period;
use crate::timeline::{DocFacts, Event};

/// One thing a family should have for a school year.
#[derive(Debug, Clone, Serialize)]
pub struct Expected {
    pub what: String,
    pub citation: String,
    /// Documents found for it.
    pub found: Vec<i64>,
    pub missing: bool,
    pub note: String,
    /// When it was missing: the stretches of time with none (a quarter without a progress
    /// report, a request left unanswered), for the picture of the case.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_spans: Vec<[NaiveDate; 2]>,
}

#[derive(Debug, Clone, Serialize)]
pub struct YearGaps {
    /// `2023-24`.
    pub school_year: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub expected: Vec<Expected>,
}

fn sy_start(d: NaiveDate) -> i32 {
    if d.month() >= 7 { d.year() } else { d.year() - 1 }
}

/// Every school year from the first IEP (or evaluation) to the one holding `as_of`.
pub fn gaps(events: &[Event], docs: &[DocFacts], as_of: NaiveDate) -> Vec<YearGaps> {
    let dated = |kinds: &[&str]| -> Vec<&Event> {
        let mut v: Vec<&Event> = events
            .iter()
            // A form dated only by its revision says nothing of when it was given.
            .filter(|e| kinds.contains(&e.kind.as_str()) && e.source != "inside" && e.can_trigger)
            .collect();
        v.sort_by_key(|e| e.date);
        v
    };
    let ieps = dated(&["iep_meeting"]);
    let evals = dated(&["evaluation_report"]);
    let reports = dated(&["progress_report"]);
    let safeguards = dated(&["safeguards_notice"]);
    let requests = dated(&[
        "evaluation_requested",
        "iee_requested",
        "meeting_requested",
        "records_requested",
    ]);
    let answers = dated(&[
        "pwn_issued",
        "consent_received",
        "district_letter",
        "iee_report",
        "evaluation_report",
        "due_process_filed",
        "records_received",
        "records_response",
        "iee_funded",
        "meeting_notice",
    ]);
    let undated_safeguards = docs.iter().any(|d| {
        d.kind == "procedural_safeguards"
            && (d.date.is_none() || d.date_source.as_deref() == Some("revision"))
    });
    let Some(first) = ieps
        .first()
        .map(|e| e.date)
        .or_else(|| evals.first().map(|e| e.date))
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for y in sy_start(first)..=sy_start(as_of) {
        let (Some(start), Some(year_end)) = (
            NaiveDate::from_ymd_opt(y, 7, 1),
            NaiveDate::from_ymd_opt(y + 1, 6, 30),
        ) else {
            continue;
        };
        let end = year_end.min(as_of);
        let in_year = |e: &&Event| e.date >= start && e.date <= end;
        let mut expected = Vec::new();

        // The IEP in effect: one dated within a year before the school year or during it.
        let in_effect: Vec<&Event> = ieps
            .iter()
            .copied()
            .filter(|e| {
                e.date <= end
                    && e.date
                        .checked_add_months(Months::new(12))
                        .is_some_and(|x| x >= start)
            })
            .collect();
        expected.push(Expected {
            what: "The IEP in effect".into(),
            citation: "34 CFR 300.323(a)".into(),
            found: in_effect.iter().flat_map(|e| e.documents.clone()).collect(),
            missing: in_effect.is_empty(),
            note: if in_effect.is_empty() {
                "no IEP dated within a year before or during this school year".into()
            } else {
                String::new()
            },
            missing_spans: if in_effect.is_empty() {
                vec![[start, end]]
            } else {
                vec![]
            },
        });

        // Progress reports at the schedule of the IEP(s) in effect.
        // The most recent IEP in effect sets the schedule.
        let schedule = in_effect
            .iter()
            .rev()
            .filter_map(|e| {
                e.documents
                    .first()
                    .and_then(|id| docs.iter().find(|d| d.id == *id))
            })
            .find_map(|d| reporting_period(&d.text));
        if let Some((period, words)) = schedule {
            // Reports are due from the day an IEP is in effect: a first IEP written in
            // February owes that school year's reports from February on, not four of them.
            let from = if in_effect.iter().any(|e| e.date < start) {
                start
            } else {
                in_effect.first().map_or(start, |e| e.date.max(start))
            };
            let days = (end - from).num_days().max(0);
            let due = (days / period) as usize;
            let got: Vec<&Event> = reports.iter().copied().filter(in_year).collect();
            if due > 0 {
                expected.push(Expected {
                    what: format!("Progress reports ({words}): {due} expected by {end}"),
                    citation: "34 CFR 300.320(a)(3)(ii)".into(),
                    found: got.iter().flat_map(|e| e.documents.clone()).collect(),
                    missing: got.len() < due,
                    note: if got.len() < due {
                        format!("{} of {due} found", got.len())
                    } else {
                        String::new()
                    },
                    missing_spans: if got.len() < due {
                        unreported_periods(from, period, due, &got)
                    } else {
                        vec![]
                    },
                });
            }
        }

        // The procedural safeguards notice, once a year.
        let sg: Vec<&Event> = safeguards.iter().copied().filter(in_year).collect();
        expected.push(Expected {
            what: "The procedural safeguards notice (once a school year)".into(),
            citation: "34 CFR 300.504(a)".into(),
            found: sg.iter().flat_map(|e| e.documents.clone()).collect(),
            missing: sg.is_empty(),
            missing_spans: if sg.is_empty() { vec![[start, end]] } else { vec![] },
            note: if sg.is_empty() && undated_safeguards {
                "a safeguards notice with no date of its own (at most a form revision date) is in the folder; ask when it was given".into()
            } else {
                String::new()
            },
        });

        // A written answer to each request (a prior written notice when the district refuses).
        for r in requests.iter().copied().filter(in_year) {
            let answer = answers
                .iter()
                .copied()
                .find(|a| a.date >= r.date && (a.date - r.date).num_days() <= 60);
            expected.push(Expected {
                what: format!("A written answer to the request of {} ({})", r.date, r.title),
                citation: "34 CFR 300.503(a)".into(),
                found: answer.map(|a| a.documents.clone()).unwrap_or_default(),
                missing: answer.is_none(),
                missing_spans: if answer.is_none() {
                    vec![[r.date, end.max(r.date)]]
                } else {
                    vec![]
                },
                note: if answer.is_none() {
                    "nothing from the district within 60 days; a refusal needs a prior written notice".into()
                } else {
                    String::new()
                },
            });
        }

        // An evaluation within three years.
        let last_eval = evals.iter().copied().rfind(|e| e.date <= end);
        let overdue = last_eval.is_none_or(|e| {
            e.date
                .checked_add_months(Months::new(36))
                .is_some_and(|d| d < end)
        });
        if overdue {
            expected.push(Expected {
                what: "An evaluation report within the last three years".into(),
                citation: "34 CFR 300.303(b)(2)".into(),
                found: vec![],
                missing: true,
                missing_spans: vec![[
                    last_eval
                        .and_then(|e| e.date.checked_add_months(Months::new(36)))
                        .map_or(start, |d| d.max(start)),
                    end,
                ]],
                note: last_eval.map_or("no evaluation report found".into(), |e| {
                    format!("the last one is dated {}", e.date)
                }),
            });
        }
        out.push(YearGaps {
            school_year: format!("{}-{:02}", y, (y + 1) % 100),
            start,
            end,
            expected,
        });
    }
    out
}

/// The reporting periods from `from` (each `period` days, `due` of them) that no report
/// answers: a report belongs to the period it falls in, or to the one just before when it came
/// within 30 days of that period's end (report cards come after the quarter closes).
fn unreported_periods(from: NaiveDate, period: i64, due: usize, got: &[&Event]) -> Vec<[NaiveDate; 2]> {
    let mut used = vec![false; got.len()];
    let mut out = Vec::new();
    for i in 0..due as i64 {
        let p_start = from + chrono::Duration::days(i * period);
        let p_end = from + chrono::Duration::days((i + 1) * period - 1);
        let grace = p_end + chrono::Duration::days(30);
        let hit = got
            .iter()
            .enumerate()
            .find(|(j, e)| !used[*j] && e.date >= p_start && e.date <= grace)
            .map(|(j, _)| j);
        match hit {
            Some(j) => used[j] = true,
            None => out.push([p_start, p_end]),
        }
    }
    out
}

/// A request to inspect records, listing what is missing, ready to sign.
pub fn letter(
    years: &[YearGaps],
    student: &str,
    district: &str,
    today: NaiveDate,
    state_note: Option<&str>,
) -> String {
    let mut items = Vec::new();
    for y in years {
        for e in y.expected.iter().filter(|e| e.missing) {
            items.push(format!("- School year {}: {}", y.school_year, e.what));
        }
    }
    let mut l = String::new();
    l.push_str("[Your name]\n[Your address]\n\n");
    l.push_str(&format!("{}\n\n", today.format("%B %-d, %Y")));
    l.push_str(&format!("Director of Special Education\n{district}\n\n"));
    l.push_str(&format!(
        "Re: Request to inspect and review the education records of {student}\n\n"
    ));
    l.push_str("Dear Director,\n\n");
    l.push_str(&format!(
        "Under the Individuals with Disabilities Education Act, 34 CFR 300.613, and the Family Educational Rights and Privacy Act, \
         I request to inspect and review, and to receive copies of, all education records of {student}. In particular I ask for \
         the following documents, which I do not have:\n\n"
    ));
    if items.is_empty() {
        l.push_str("- every record from the last three school years\n");
    } else {
        for i in &items {
            l.push_str(i);
            l.push('\n');
        }
    }
    l.push_str(
        "\nIf any of these documents does not exist, please tell me so in writing. Under 34 CFR 300.613(a) the district must \
         comply without unnecessary delay, before any IEP meeting or hearing, and in no case more than 45 days after this request",
    );
    if let Some(n) = state_note {
        l.push_str(&format!(" ({n})"));
    }
    l.push_str(".\n\nThank you.\n\nSincerely,\n\n\n[Your signature]\n[Your name]\n");
    l
}
