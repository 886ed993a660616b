//! The story at a glance: where each document, each deadline and each missing paper falls on one
//! time axis. The web page (`timeline --format html`) and the binder's timeline page draw the same
//! picture from this model, so a screen, a phone and paper never tell different stories.
//!
//! Positions are kept as dates; each drawing maps them to its own width. Rows inside a lane are
//! given here (marks that would touch stack), so both drawings stack the same way.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};

use crate::checks::gaps::YearGaps;
use crate::checks::{Finding, Report, Status};
use crate::timeline::{DocFacts, Event, describe};

/// The lanes, top to bottom, and which event kinds go in each (events the family recorded go in
/// the last one, whatever their kind).
pub const LANES: &[(&str, &[&str])] = &[
    (
        "IEPs & meetings",
        &[
            "iep_meeting",
            "iep_amendment",
            "meeting",
            "meeting_notice",
            "meeting_proposed",
            "eligibility_determination",
            "iep_start",
            "iep_end",
            "annual_review_due",
            "plan_504",
        ],
    ),
    (
        "Evaluations",
        &[
            "evaluation_report",
            "iee_report",
            "evaluation_testing",
            "consent_received",
            "consent_given",
            "reevaluation_due",
            "fba",
            "bip",
        ],
    ),
    (
        "Notices & progress",
        &[
            "pwn_issued",
            "progress_report",
            "report_card",
            "safeguards_notice",
            "test_scores",
            "decision_issued",
        ],
    ),
    (
        "Letters & e-mail",
        &[
            "parent_letter",
            "district_letter",
            "email",
            "medical",
            "records_response",
            "iee_funded",
            "sent_to_parent",
        ],
    ),
    (
        "Requests & the family's events",
        &[
            "records_requested",
            "records_received",
            "iee_requested",
            "evaluation_requested",
            "meeting_requested",
        ],
    ),
];

/// The lane an event goes in.
pub fn lane_of(e: &Event) -> usize {
    let last = LANES.len() - 1;
    if e.source == "user" && !LANES[last].1.contains(&e.kind.as_str()) {
        return last;
    }
    LANES
        .iter()
        .position(|(_, kinds)| kinds.contains(&e.kind.as_str()))
        .unwrap_or(3)
}

/// A document behind a mark.
#[derive(Debug, Clone, PartialEq)]
pub struct MarkDoc {
    pub id: i64,
    /// Its path in the case folder.
    pub path: String,
    pub kind: String,
    pub sha256: Option<String>,
    /// Its exhibit label in the binder built last that holds it (`P-3`), with that binder's name.
    pub exhibit: Option<(String, String)>,
}

/// One event, drawn as a mark at its date.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub lane: usize,
    /// Its row inside the lane (marks that would touch stack).
    pub row: usize,
    pub date: NaiveDate,
    /// What happened, in words ("IEP meeting").
    pub what: String,
    pub title: String,
    pub verbal: bool,
    /// Recorded by the family (no paper).
    pub family: bool,
    pub docs: Vec<MarkDoc>,
}

/// How a deadline stands, as drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanState {
    Met,
    Late,
    /// Past due, resting on a date to confirm, or a "without delay" rule past the threshold.
    Doubt,
    Open,
}

/// One deadline: from what started the clock to when it was due, and to its answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub state: SpanState,
    /// What started the clock.
    pub from: NaiveDate,
    pub due: Option<NaiveDate>,
    /// Where the bar ends: the answer, or the as-of day while none came.
    pub to: NaiveDate,
    /// The answer came (for late and met deadlines).
    pub answered: bool,
    pub days_late: Option<i64>,
    pub title: String,
    pub citation: String,
    pub started_by: String,
    pub answered_by: Option<String>,
}

/// Something the family should have and does not, over the stretch it was missing.
#[derive(Debug, Clone, PartialEq)]
pub struct Gap {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub school_year: String,
    pub what: String,
    pub citation: String,
    pub note: String,
}

/// A school year on the axis (July 1 to June 30), cut to the axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Year {
    /// `2023–24`.
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// The whole picture.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    /// The first and last day the axis shows.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub as_of: NaiveDate,
    pub years: Vec<Year>,
    pub marks: Vec<Mark>,
    /// Rows each lane needs.
    pub lane_rows: Vec<usize>,
    pub spans: Vec<Span>,
    pub gaps: Vec<Gap>,
    /// Deadlines still unanswered on the as-of day, when the axis stops before it.
    pub runs_past: bool,
}

/// How many days apart two marks in one row must be (about a mark's width on the page).
const MARK_DAYS: i64 = 6;
/// The most rows a lane stacks before marks share a row.
const MAX_ROWS: usize = 6;

/// Exhibit labels, by the document's SHA-256: (binder name, label).
pub type Exhibits = BTreeMap<String, (String, String)>;

/// Builds the picture of `events`, the findings of `report` and what `gaps` says is missing.
/// `sha` gives a document's SHA-256 (for its exhibit label).
pub fn build(
    events: &[Event],
    docs: &[DocFacts],
    report: &Report,
    gaps: &[YearGaps],
    exhibits: &Exhibits,
    sha: &BTreeMap<i64, String>,
) -> Picture {
    let as_of = report.as_of;
    let by_id: BTreeMap<i64, &DocFacts> = docs.iter().map(|d| (d.id, d)).collect();
    // The marks, lane by lane, oldest first.
    let mut marks: Vec<Mark> = events
        .iter()
        .filter(|e| e.date <= as_of)
        .map(|e| Mark {
            lane: lane_of(e),
            row: 0,
            date: e.date,
            what: describe(&e.kind),
            title: e.title.clone(),
            verbal: e.verbal,
            family: e.source == "user",
            docs: e
                .documents
                .iter()
                .map(|id| MarkDoc {
                    id: *id,
                    path: by_id.get(id).map(|d| d.path.clone()).unwrap_or_default(),
                    kind: by_id.get(id).map(|d| d.kind.clone()).unwrap_or_default(),
                    exhibit: sha.get(id).and_then(|s| exhibits.get(s)).cloned(),
                    sha256: sha.get(id).cloned(),
                })
                .collect(),
        })
        .collect();
    marks.sort_by_key(|m| (m.lane, m.date));
    let mut lane_rows = vec![1; LANES.len()];
    for (lane, rows) in lane_rows.iter_mut().enumerate() {
        let mut last: Vec<Option<NaiveDate>> = vec![None; MAX_ROWS];
        for m in marks.iter_mut().filter(|m| m.lane == lane) {
            let free = last
                .iter()
                .position(|d| d.is_none_or(|d| (m.date - d).num_days() >= MARK_DAYS));
            // Every row taken: the row whose last mark is oldest.
            let row = free.unwrap_or_else(|| {
                last.iter()
                    .enumerate()
                    .min_by_key(|(_, d)| **d)
                    .map_or(0, |(i, _)| i)
            });
            last[row] = Some(m.date);
            m.row = row;
            *rows = (*rows).max(row + 1);
        }
    }

    // Deadlines: every finding but the family's filing windows (they are not the district's).
    let mut findings: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| !f.rule.ends_with("_window") && f.trigger.date <= as_of)
        .collect();
    findings.sort_by(|a, b| (a.trigger.date, a.due, &a.rule).cmp(&(b.trigger.date, b.due, &b.rule)));
    let mut spans: Vec<Span> = findings
        .into_iter()
        .map(|f| {
            let answer = f.satisfied_by.iter().map(|a| a.date).min();
            let state = match f.status {
                Status::Met => SpanState::Met,
                Status::Violated => SpanState::Late,
                Status::Unsure | Status::Soft => SpanState::Doubt,
                Status::Open => SpanState::Open,
            };
            // Unanswered, a missed deadline runs to where its days late were counted: the as-of
            // day, or (calendar days) the end of the stretch the rule looked at ("no progress
            // report before the next IEP").
            let counted_to = match (f.status, f.due, f.days_late, f.day_type) {
                (Status::Violated, Some(due), Some(d), crate::checks::days::DayType::Calendar) if d > 0 => {
                    (due + Duration::days(d)).min(as_of)
                }
                _ => as_of,
            };
            let to = answer.unwrap_or(counted_to).max(f.trigger.date);
            Span {
                state,
                from: f.trigger.date,
                due: f.due,
                to,
                answered: answer.is_some(),
                days_late: f.days_late.filter(|d| *d > 0),
                title: f.title.clone(),
                citation: f.citation.clone(),
                started_by: f.trigger.title.clone(),
                answered_by: f.satisfied_by.first().map(|a| a.title.clone()),
            }
        })
        .collect();

    let mut gap_list: Vec<Gap> = gaps
        .iter()
        .flat_map(|y| {
            y.expected.iter().filter(|e| e.missing).flat_map(move |e| {
                let spans = if e.missing_spans.is_empty() {
                    vec![[y.start, y.end]]
                } else {
                    e.missing_spans.clone()
                };
                spans.into_iter().map(move |[from, to]| Gap {
                    from,
                    to: to.min(as_of).max(from),
                    school_year: y.school_year.replace('-', "–"),
                    what: e.what.clone(),
                    citation: e.citation.clone(),
                    note: e.note.clone(),
                })
            })
        })
        .collect();
    gap_list.sort_by(|a, b| (a.from, a.to, &a.what).cmp(&(b.from, b.to, &b.what)));

    // The axis: from the first month anything happens to the month after the last; the as-of
    // day is included when an open or unanswered deadline runs to it within a year.
    let firsts = marks
        .iter()
        .map(|m| m.date)
        .chain(spans.iter().map(|s| s.from))
        .chain(gap_list.iter().map(|g| g.from));
    let lasts = marks
        .iter()
        .map(|m| m.date)
        .chain(
            spans
                .iter()
                .flat_map(|s| [Some(if s.answered { s.to } else { s.from }), s.due])
                .flatten(),
        )
        .chain(gap_list.iter().map(|g| g.to));
    let first = firsts.min().unwrap_or(as_of);
    let mut last = lasts.max().unwrap_or(as_of).min(as_of);
    let runs_to_as_of = spans.iter().any(|s| !s.answered && s.state != SpanState::Met);
    let mut runs_past = false;
    if runs_to_as_of {
        if (as_of - last).num_days() <= 366 {
            last = as_of;
        } else {
            runs_past = true;
        }
    }
    let from = month_start(first);
    let to = month_end(last);
    for s in &mut spans {
        s.to = s.to.min(to);
    }

    Picture {
        from,
        to,
        as_of,
        years: school_years(from, to),
        marks,
        lane_rows,
        spans,
        gaps: gap_list,
        runs_past,
    }
}

/// Where a stretch and its label lie in a window `[from, to]`: the stretch starts at the
/// window's edge at the earliest; its label reads right from there, or, where it would run
/// past the window's end, ends there.
fn with_label(
    start: NaiveDate,
    end: NaiveDate,
    chars: usize,
    from: NaiveDate,
    to: NaiveDate,
) -> (NaiveDate, NaiveDate) {
    let start = start.max(from);
    let len = Duration::days((chars as i64 * LABEL_TENTHS_OF_DAYS_PER_CHAR + 9) / 10);
    let label_start = if start + len > to {
        (to - len).max(from)
    } else {
        start
    };
    (start.min(label_start), end.max(label_start + len))
}

/// Rows for the deadlines drawn in the window `[from, to]` (a stretch that began before starts
/// at the window's edge), and how many rows they take. Labels count: none runs over another.
pub fn span_rows_in(spans: &[&Span], from: NaiveDate, to: NaiveDate) -> (Vec<usize>, usize) {
    let mut rows = vec![0; spans.len()];
    let used = stack(spans.iter().zip(rows.iter_mut()).map(|(s, row)| {
        let end = s.to.max(s.due.unwrap_or(s.to));
        let (a, b) = with_label(s.from, end, span_label(s).chars().count(), from, to);
        (a, b, row)
    }));
    (rows, used)
}

/// Rows for the missing papers drawn in the window `[from, to]`.
pub fn gap_rows_in(gaps: &[&Gap], from: NaiveDate, to: NaiveDate) -> (Vec<usize>, usize) {
    let mut rows = vec![0; gaps.len()];
    let used = stack(gaps.iter().zip(rows.iter_mut()).map(|(g, row)| {
        let (a, b) = with_label(g.from, g.to, g.what.chars().count() + 9, from, to);
        (a, b, row)
    }));
    (rows, used)
}

/// About how many tenths of a day of the axis a label's letter takes (a school year is about a
/// page wide on paper and 1,100 pixels on the screen).
const LABEL_TENTHS_OF_DAYS_PER_CHAR: i64 = 36;

/// Gives each stretch (from, the end of it and its label) the first row where it touches
/// nothing. Returns the rows used.
fn stack<'a>(items: impl Iterator<Item = (NaiveDate, NaiveDate, &'a mut usize)>) -> usize {
    let mut ends: Vec<NaiveDate> = Vec::new();
    for (from, until, row) in items {
        match ends.iter().position(|e| *e < from) {
            Some(r) => {
                ends[r] = until;
                *row = r;
            }
            None => {
                ends.push(until);
                *row = ends.len() - 1;
            }
        }
    }
    ends.len()
}

fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn month_end(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).map_or(d, |n| n - Duration::days(1))
}

/// The school years (July to June) the axis crosses, each cut to it.
fn school_years(from: NaiveDate, to: NaiveDate) -> Vec<Year> {
    let first = if from.month() >= 7 {
        from.year()
    } else {
        from.year() - 1
    };
    let mut out = Vec::new();
    for y in first..=to.year() {
        let (Some(s), Some(e)) = (
            NaiveDate::from_ymd_opt(y, 7, 1),
            NaiveDate::from_ymd_opt(y + 1, 6, 30),
        ) else {
            continue;
        };
        if s > to || e < from {
            continue;
        }
        out.push(Year {
            label: format!("{}–{:02}", y, (y + 1) % 100),
            start: s.max(from),
            end: e.min(to),
        });
    }
    out
}

impl Picture {
    /// Days from the axis start to `d`, as a fraction of the window `[from, to]`.
    pub fn frac(from: NaiveDate, to: NaiveDate, d: NaiveDate) -> f64 {
        let whole = ((to - from).num_days() + 1).max(1) as f64;
        ((d - from).num_days() as f64 / whole).clamp(0.0, 1.0)
    }

    /// The months of a window, each with its first day (for the axis ticks).
    pub fn months(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        let mut d = month_start(from);
        while d <= to {
            out.push(d);
            d = month_end(d) + Duration::days(1);
        }
        out
    }

    /// The late deadlines, for a legend's count.
    pub fn late(&self) -> usize {
        self.spans.iter().filter(|s| s.state == SpanState::Late).count()
    }
}

/// "1 day", "23 days".
fn days(n: i64) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

/// What a deadline's bar says: for a missed one, the days late first (a cut label keeps them).
pub fn span_label(s: &Span) -> String {
    match s.state {
        SpanState::Late => match s.days_late {
            Some(d) if s.answered => format!("{} late: {}", days(d), s.title),
            Some(d) => format!("{} late, nothing found: {}", days(d), s.title),
            None => format!("Missed: {}", s.title),
        },
        SpanState::Met => format!("Met: {}", s.title),
        SpanState::Doubt => format!("To look into: {}", s.title),
        SpanState::Open => format!("Open: {}", s.title),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn stretches_that_overlap_stack_and_others_share_a_row() {
        let mut rows = [9usize; 3];
        let [a, b, c] = &mut rows;
        let used = stack(
            [
                (d("2024-01-01"), d("2024-03-01"), a),
                (d("2024-02-01"), d("2024-02-10"), b),
                (d("2024-09-01"), d("2024-10-01"), c),
            ]
            .into_iter(),
        );
        assert_eq!(used, 2);
        assert_eq!(rows, [0, 1, 0]);
    }

    #[test]
    fn school_years_cut_to_the_axis() {
        let ys = school_years(d("2023-03-01"), d("2024-09-30"));
        let labels: Vec<&str> = ys.iter().map(|y| y.label.as_str()).collect();
        assert_eq!(labels, ["2022–23", "2023–24", "2024–25"]);
        assert_eq!(ys[0].start, d("2023-03-01"));
        assert_eq!(ys[2].end, d("2024-09-30"));
        assert_eq!(month_end(d("2024-02-10")), d("2024-02-29"));
    }
}
