//! Knowing each document: its kind, its dates, its title, author and tags, with the evidence.
//!
//! Pure functions: text and metadata in, a [`Classification`] out, with every cue that matched and
//! every date candidate found (label, page, snippet, why it won or lost). No clock, no I/O: the same
//! text and settings always give the same answer. Precedence follows shared/domain.md ("Classifier
//! precedence"): the email container first, dispute documents by their caption, then title-zone
//! phrases, body fingerprints, letterhead and author, and the file name last.

pub mod dates;
pub mod kinds;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use dates::{DateOrder, find_dates, find_school_years, school_year_tag};
use kinds::{CUES, DISTRICT_CUES, LETTER_CUES, PARENT_CUES, PRIVATE_EVALUATOR_CUES};

/// Bumped whenever rules change: documents classified by an older version are classified again.
pub const CLASSIFIER_VERSION: i64 = 2;

/// A chosen date needs at least this score; below it the document is undated (and says so).
pub const DATE_THRESHOLD: f64 = 0.45;
/// A kind with less confidence than this is listed by `review`.
pub const LOW_CONFIDENCE: f64 = 0.5;

/// Case settings the rules use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub student: Option<String>,
    pub dob: Option<NaiveDate>,
    /// District names, lowercase.
    pub districts: Vec<String>,
    /// School names, lowercase.
    pub schools: Vec<String>,
    pub order: DateOrder,
}

impl Settings {
    /// A short stamp of everything that changes results (stored with each classification).
    pub fn stamp(&self) -> String {
        let raw = format!(
            "{CLASSIFIER_VERSION}|{:?}|{:?}|{:?}|{:?}|{:?}",
            self.student, self.dob, self.districts, self.schools, self.order
        );
        crate::extract::sha256_hex(raw.as_bytes())[..16].to_string()
    }
}

/// What the rules read.
pub struct Input<'a> {
    pub format: &'a str,
    pub pages: &'a [String],
    pub ocr: bool,
    /// Name of the file or attachment.
    pub file_name: &'a str,
    /// Extraction metadata (PDF info, .docx core properties, EXIF, email headers).
    pub meta: &'a serde_json::Value,
    /// Sent date of the email that carries this document as an attachment.
    pub parent_email_date: Option<NaiveDate>,
}

/// One matched cue.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Cue {
    pub kind: String,
    pub phrase: String,
    /// `title` (top of page 1), `body`, `file`, `letterhead`, `container`, `tie-break`.
    pub place: String,
    pub weight: f64,
}

/// A date found anywhere, with what it is and why it was (not) chosen.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DateCandidate {
    pub date: String,
    /// The label next to it, as written (e.g. "IEP Meeting Date:").
    pub label: Option<String>,
    /// 1-based page (0: not from the text).
    pub page: u32,
    pub snippet: String,
    /// `document` (can be the document date), `event` (typed, not the document date) or `excluded`.
    pub role: String,
    /// For events: what happened on that date (`evaluation_testing`, `iep_start`, ...).
    pub event: Option<String>,
    /// In plain words.
    pub why: String,
    pub score: f64,
    pub ambiguous: bool,
    /// `label`, `text`, `filename`, `metadata`, `email_header`, `ocr`.
    pub source: String,
}

/// A typed event date found in the document.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EventDate {
    pub event: String,
    pub date: String,
    pub page: u32,
    pub snippet: String,
}

/// Everything the rules concluded, with the evidence.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Classification {
    pub kind: String,
    pub kind_confidence: f64,
    pub cues: Vec<Cue>,
    pub runner_up: Option<(String, f64)>,
    pub date: Option<String>,
    pub date_source: Option<String>,
    pub date_confidence: f64,
    pub date_ambiguous: bool,
    /// Why this date (or why none).
    pub date_why: String,
    pub candidates: Vec<DateCandidate>,
    pub events: Vec<EventDate>,
    pub title: Option<String>,
    pub author: Option<String>,
    pub tags: Vec<String>,
    /// tag → the phrase that gave it.
    pub tag_cues: BTreeMap<String, String>,
}

/// Lowercase with runs of whitespace folded to one space.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// `needle` in `hay` on word boundaries (`hay` and `needle` lowercase).
pub fn has_phrase(hay: &str, needle: &str) -> bool {
    let nb = needle.as_bytes();
    let check_end = nb.last().is_some_and(u8::is_ascii_alphanumeric);
    let check_start = nb.first().is_some_and(u8::is_ascii_alphanumeric);
    for (i, _) in hay.match_indices(needle) {
        let hb = hay.as_bytes();
        let before_ok = !check_start || i == 0 || !hb[i - 1].is_ascii_alphanumeric();
        let end = i + needle.len();
        let after_ok = !check_end || end >= hb.len() || !hb[end].is_ascii_alphanumeric();
        if before_ok && after_ok {
            return true;
        }
    }
    false
}

/// Every cue phrase of every rule, found in one pass over a text (Aho-Corasick): a document's
/// body is read once, not once per phrase.
struct Vocabulary {
    automaton: Option<aho_corasick::AhoCorasick>,
    phrases: Vec<&'static str>,
    index: std::collections::HashMap<&'static str, usize>,
}

fn vocabulary() -> &'static Vocabulary {
    static V: std::sync::OnceLock<Vocabulary> = std::sync::OnceLock::new();
    V.get_or_init(|| {
        let mut phrases: Vec<&'static str> = Vec::new();
        for k in CUES {
            phrases.extend(k.title.iter().chain(k.strong).chain(k.weak));
        }
        phrases.extend(
            LETTER_CUES
                .iter()
                .chain(PARENT_CUES)
                .chain(DISTRICT_CUES)
                .chain(PRIVATE_EVALUATOR_CUES),
        );
        for (_, p) in SERVICE_TAGS.iter().chain(REQUEST_TAGS) {
            phrases.extend(p.iter());
        }
        phrases.extend(ASKING);
        phrases.push("independent educational evaluation");
        phrases.sort_unstable();
        phrases.dedup();
        let index = phrases.iter().enumerate().map(|(i, p)| (*p, i)).collect();
        let automaton = aho_corasick::AhoCorasick::new(&phrases).ok();
        Vocabulary {
            automaton,
            phrases,
            index,
        }
    })
}

/// A folded text with the cue phrases it contains (on word boundaries).
pub struct Found<'a> {
    pub text: &'a str,
    hits: Vec<bool>,
}

impl<'a> Found<'a> {
    pub fn new(text: &'a str) -> Found<'a> {
        let v = vocabulary();
        let mut hits = vec![false; v.phrases.len()];
        if let Some(ac) = &v.automaton {
            let b = text.as_bytes();
            for m in ac.find_overlapping_iter(text) {
                let p = v.phrases[m.pattern().as_usize()].as_bytes();
                let start_ok = !p.first().is_some_and(u8::is_ascii_alphanumeric)
                    || m.start() == 0
                    || !b[m.start() - 1].is_ascii_alphanumeric();
                let end_ok = !p.last().is_some_and(u8::is_ascii_alphanumeric)
                    || m.end() >= b.len()
                    || !b[m.end()].is_ascii_alphanumeric();
                if start_ok && end_ok {
                    hits[m.pattern().as_usize()] = true;
                }
            }
        }
        Found { text, hits }
    }

    /// Whether `phrase` occurs (from the one pass when it is a known cue).
    pub fn has(&self, phrase: &str) -> bool {
        match vocabulary().index.get(phrase) {
            Some(&i) if vocabulary().automaton.is_some() => self.hits[i],
            _ => has_phrase(self.text, phrase),
        }
    }
}

/// The first non-empty lines of page 1: where a form's title and letterhead are.
fn title_zone(pages: &[String], lines: usize) -> Vec<String> {
    pages
        .first()
        .map(|p| {
            p.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .take(lines)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Classifies one document.
pub fn classify(input: &Input<'_>, settings: &Settings) -> Classification {
    let pages: Vec<String> = input.pages.iter().take(40).cloned().collect();
    let zone_lines = title_zone(&pages, 12);
    // Title cues count only on heading-like lines (a sentence that names a form is not its title).
    let headings: Vec<String> = zone_lines
        .iter()
        .map(|l| fold(l))
        .filter(|l| l.split_whitespace().count() <= 9 && !l.ends_with('.'))
        .filter(|l| {
            !["re:", "re :", "subject:", "regarding:"]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .collect();
    // The form's own title is in its first heading lines; later headings are its sections.
    let zone = Zone {
        top: headings.iter().take(3).cloned().collect::<Vec<_>>().join("\n"),
        rest: headings.iter().skip(3).cloned().collect::<Vec<_>>().join("\n"),
    };
    let body_text = fold(&pages.join("\n"));
    let body = Found::new(&body_text);
    let file = fold(&input.file_name.replace(['_', '-', '.'], " "));
    let mut c = Classification::default();

    // Kind.
    let is_email = input.format == "email" || looks_like_printed_email(&zone_lines);
    if is_email {
        c.kind = "email".into();
        c.kind_confidence = 1.0;
        c.cues.push(Cue {
            kind: "email".into(),
            phrase: "From / To / Subject / Date headers".into(),
            place: "container".into(),
            weight: 100.0,
        });
    } else {
        let (kind, conf, cues, runner) = score_kinds(&zone, &body, &file, &zone_lines, settings);
        c.kind = kind;
        c.kind_confidence = conf;
        c.cues = cues;
        c.runner_up = runner;
    }

    // Dates.
    let email_date = input
        .meta
        .get("email")
        .and_then(|e| e.get("date"))
        .and_then(|d| d.as_str())
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    c.candidates = date_candidates(input, &pages, &c.kind, settings);
    if let Some(d) = email_date.filter(|_| input.format == "email") {
        c.candidates.insert(
            0,
            DateCandidate {
                date: d.format("%Y-%m-%d").to_string(),
                label: Some("Date:".into()),
                page: 0,
                snippet: input
                    .meta
                    .pointer("/email/date_raw")
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string(),
                role: "document".into(),
                event: None,
                why: "the email's Date header, in the sender's own time zone".into(),
                score: 0.99,
                ambiguous: false,
                source: "email_header".into(),
            },
        );
    }
    choose_date(&mut c);
    c.events = c
        .candidates
        .iter()
        .filter(|d| d.role == "event")
        .filter_map(|d| {
            Some(EventDate {
                event: d.event.clone()?,
                date: d.date.clone(),
                page: d.page,
                snippet: d.snippet.clone(),
            })
        })
        .collect();

    // Title, author, tags.
    c.title = title_of(input, &zone_lines, &c.kind, settings);
    c.author = author_of(input, &pages, &zone_lines, &c.kind, settings);
    tags_of(&mut c, input, &body);
    c
}

fn looks_like_printed_email(zone: &[String]) -> bool {
    let heads = zone
        .iter()
        .take(10)
        .filter(|l| {
            let l = l.to_ascii_lowercase();
            ["from:", "sent:", "to:", "subject:", "date:", "cc:"]
                .iter()
                .any(|h| l.starts_with(h))
        })
        .count();
    heads >= 3
}

/// Heading lines at the top of page 1: the first three, and the rest of the title zone.
struct Zone {
    top: String,
    rest: String,
}

fn score_kinds(
    zone: &Zone,
    body: &Found<'_>,
    file: &str,
    zone_lines: &[String],
    settings: &Settings,
) -> (String, f64, Vec<Cue>, Option<(String, f64)>) {
    let mut scores: BTreeMap<&'static str, f64> = BTreeMap::new();
    let mut cues: Vec<Cue> = Vec::new();
    fn add(
        cues: &mut Vec<Cue>,
        kind: &'static str,
        phrase: &str,
        place: &str,
        weight: f64,
        scores: &mut BTreeMap<&'static str, f64>,
    ) {
        *scores.entry(kind).or_insert(0.0) += weight;
        cues.push(Cue {
            kind: kind.into(),
            phrase: phrase.into(),
            place: place.into(),
            weight,
        });
    }
    let dispute = [
        "state_complaint",
        "due_process",
        "mediation_agreement",
        "settlement_agreement",
        "mediation_request",
    ];
    for k in CUES {
        let mut title_hits = 0;
        for t in k.title {
            let (top, rest) = (has_phrase(&zone.top, t), has_phrase(&zone.rest, t));
            if top || rest {
                let w = match (top, title_hits) {
                    (true, 0) => 10.0,
                    (false, 0) => 5.0,
                    _ => 3.0,
                };
                let w = if dispute.contains(&k.kind) { w + 6.0 } else { w };
                add(&mut cues, k.kind, t, "title", w, &mut scores);
                title_hits += 1;
                if title_hits >= 2 {
                    break;
                }
            }
        }
        let body_factor = if dispute.contains(&k.kind) && title_hits == 0 {
            0.4
        } else {
            1.0
        };
        let mut strong = 0;
        for t in k.title.iter().filter(|t| t.len() > 5) {
            if title_hits == 0 && strong < 2 && body.has(t) {
                add(&mut cues, k.kind, t, "body", 3.0 * body_factor, &mut scores);
                strong += 1;
            }
        }
        for s in k.strong {
            if strong < 6 && body.has(s) {
                add(&mut cues, k.kind, s, "body", 3.0 * body_factor, &mut scores);
                strong += 1;
            }
        }
        let mut weak = 0;
        for w in k.weak {
            if weak < 3 && body.has(w) {
                add(&mut cues, k.kind, w, "body", 1.0 * body_factor, &mut scores);
                weak += 1;
            }
        }
        if let Some(f) = k.file.iter().find(|f| has_phrase(file, f)) {
            add(&mut cues, k.kind, f, "file", 2.0, &mut scores);
        }
    }
    // An amendment names the IEP it amends: "Amendment"/"Addendum" in the title wins.
    if scores.get("iep_amendment").is_some_and(|s| *s >= 10.0) && scores.contains_key("iep") {
        add(
            &mut cues,
            "iep_amendment",
            "amendment in the title of an IEP document",
            "tie-break",
            12.0,
            &mut scores,
        );
    }
    // Letters: a letter's form ("Dear…", "Sincerely") without a form title is a letter.
    let letter_hits: Vec<&str> = LETTER_CUES.iter().copied().filter(|l| body.has(l)).collect();
    let form_title = cues.iter().any(|c| c.place == "title" && c.weight >= 10.0);
    if letter_hits.len() >= 2 && !form_title {
        let lettered = letterhead_is_district(zone_lines, settings);
        let parent_hits: Vec<&str> = PARENT_CUES.iter().copied().filter(|p| body.has(p)).collect();
        let (kind, why) = if lettered.is_some() && parent_hits.is_empty() {
            (
                "district_letter",
                format!("district letterhead: {}", lettered.unwrap_or_default()),
            )
        } else if !parent_hits.is_empty() {
            (
                "parent_letter",
                format!("written by a parent: \"{}\"", parent_hits[0]),
            )
        } else if lettered.is_some() {
            ("district_letter", "district letterhead".to_string())
        } else {
            (
                "parent_letter",
                "a letter without a district letterhead".to_string(),
            )
        };
        for l in &letter_hits {
            add(&mut cues, kind, l, "body", 3.0, &mut scores);
        }
        add(&mut cues, kind, &why, "letterhead", 8.0, &mut scores);
    }
    // District evaluation vs independent evaluation: the author decides (domain.md K04).
    let eval = scores.get("evaluation").copied().unwrap_or(0.0);
    let iee = scores.get("iee").copied().unwrap_or(0.0);
    let evaluation_structure = cues.iter().any(|c| {
        (c.kind == "evaluation" && c.place != "file")
            || (c.kind == "iee" && c.place == "title" && c.weight >= 10.0)
    });
    if eval.max(iee) >= 10.0 && evaluation_structure {
        let district = letterhead_is_district(zone_lines, settings);
        let top_zone = format!("{}\n{}", zone.top, zone.rest);
        let private = PRIVATE_EVALUATOR_CUES.iter().find(|p| has_phrase(&top_zone, p));
        let independent =
            body.has("independent educational evaluation") || has_phrase(&zone.top, "neuropsychological");
        if (private.is_some() || independent) && district.is_none() {
            let why = private.map_or("independent educational evaluation".to_string(), |p| {
                format!("private evaluator's letterhead ({p})")
            });
            add(&mut cues, "iee", &why, "letterhead", eval.max(10.0), &mut scores);
        } else if let Some(d) = district
            && iee > 0.0
        {
            add(
                &mut cues,
                "evaluation",
                &format!("district letterhead: {d}"),
                "letterhead",
                iee.max(5.0),
                &mut scores,
            );
        }
    }
    let mut ranked: Vec<(&str, f64)> = scores.into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    let (top, top_score) = ranked.first().copied().unwrap_or(("other", 0.0));
    let second = ranked.get(1).copied();
    let runner = second.map(|(k, s)| (k.to_string(), round2(s / (s + top_score + 3.0))));
    // Without text (locked, damaged, not yet read by OCR) the file name is all there is.
    if body.text.trim().is_empty() && top_score >= 2.0 {
        cues.retain(|c| c.kind == top);
        return (
            top.to_string(),
            0.35,
            cues,
            second.map(|(k, s)| (k.to_string(), round2(s / (s + top_score + 3.0)))),
        );
    }
    if top_score < 4.0 {
        let conf = round2(0.6 - top_score / 10.0);
        return (
            "other".into(),
            conf.max(0.2),
            cues,
            ranked
                .first()
                .map(|(k, s)| (k.to_string(), round2(*s / (s + 3.0)))),
        );
    }
    let conf = round2(top_score / (top_score + second.map_or(0.0, |s| s.1) + 3.0));
    cues.retain(|c| c.kind == top);
    (top.to_string(), conf, cues, runner)
}

/// The district named at the top of page 1 (the case's district name, or generic district words).
fn letterhead_is_district(zone_lines: &[String], settings: &Settings) -> Option<String> {
    for line in zone_lines.iter().take(6) {
        let l = fold(line);
        if let Some(d) = settings
            .districts
            .iter()
            .find(|d| !d.is_empty() && l.contains(d.as_str()))
        {
            return Some(d.clone());
        }
        if let Some(c) = DISTRICT_CUES.iter().find(|c| has_phrase(&l, c)) {
            return Some((*c).to_string());
        }
    }
    None
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// What a label says about the date next to it.
#[derive(Clone, Copy)]
enum LabelClass {
    Excluded(&'static str),
    Event(&'static str),
    Document(&'static str, f64),
}

/// Labels in order: the first rule with a phrase in the label decides.
const LABEL_RULES: &[(&[&str], LabelClass)] = {
    use LabelClass::*;
    &[
        (
            &[
                "next annual",
                "annual review due",
                "next iep",
                "review due",
                "next review",
                "annual review date",
            ],
            Event("annual_review_due"),
        ),
        (
            &[
                "re-evaluation due",
                "reevaluation due",
                "re-eval",
                "triennial",
                "next eval",
                "reevaluation date",
                "re-evaluation date",
                "three-year",
            ],
            Event("reevaluation_due"),
        ),
        (&["being amended", "iep amended"], Event("iep_amended")),
        (
            &[
                "of evaluation",
                "of testing",
                "testing",
                "examination",
                "of assessment",
                "test date",
                "date(s) of",
            ],
            Event("evaluation_testing"),
        ),
        (
            &[
                "implementation",
                "begin date",
                "start date",
                "effective",
                "initiation",
                "begins",
            ],
            Event("iep_start"),
        ),
        (
            &["end date", "expiration", "ending", "through", "ends"],
            Event("iep_end"),
        ),
        (&["incident"], Event("incident")),
        (&["suspension", "suspended"], Event("suspension_day")),
        (
            &[
                "scheduled for",
                "will be held",
                "meeting on",
                "proposed meeting",
                "is scheduled",
                "held on",
            ],
            Event("meeting_proposed"),
        ),
        (
            &[
                "request of",
                "requested on",
                "request on",
                "requested by",
                "request dated",
                "requested",
            ],
            Event("request"),
        ),
        (
            &[
                "last eval",
                "original",
                "entry date",
                "safeguards given",
                "sg given",
                "screening",
            ],
            Excluded("another date on the form (not this document's date)"),
        ),
        (&["consent received"], Event("consent_received")),
        (
            &[
                "meeting date",
                "date of meeting",
                "iep date",
                "conference date",
                "ard date",
                "date of conference",
                "team meeting date",
            ],
            Document("meeting", 0.95),
        ),
        (
            &[
                "date of report",
                "report date",
                "date of the report",
                "date of evaluation report",
            ],
            Document("report", 0.95),
        ),
        (
            &[
                "notice date",
                "date of notice",
                "date sent",
                "date mailed",
                "date issued",
                "issue date",
                "date of letter",
            ],
            Document("notice", 0.95),
        ),
        (
            &[
                "amendment date",
                "addendum date",
                "date of amendment",
                "date of addendum",
            ],
            Document("amendment", 0.95),
        ),
        (
            &["date of service", "visit date", "date of visit"],
            Document("visit", 0.9),
        ),
        (&["date received", "received"], Document("received", 0.9)),
        (
            &[
                "decision date",
                "date of decision",
                "date filed",
                "filing date",
                "date of complaint",
                "date of filing",
            ],
            Document("filing", 0.9),
        ),
    ]
};

fn classify_label(label: &str, line: &str) -> Option<LabelClass> {
    use LabelClass::*;
    let l = label;
    let any = |words: &[&str]| words.iter().any(|w| l.contains(w));
    if any(&["birth", "dob", "d.o.b", "born"]) {
        return Some(Excluded("the student's date of birth"));
    }
    let line_has = |words: &[&str]| words.iter().any(|w| line.contains(w));
    if line_has(&["printed", "print date", "fax", "copyright", "©"]) && !any(&["date sent", "notice"]) {
        return Some(Excluded("a print or fax banner"));
    }
    if l.ends_with("rev.") || l.ends_with("rev") || any(&["rev. ", "revised", "revision", "form rev"]) {
        return Some(Excluded("a form revision date"));
    }
    if let Some((_, class)) = LABEL_RULES.iter().find(|(words, _)| any(words)) {
        return Some(*class);
    }
    // "Sent:" of a printed email, as a whole word ("consent:" is not it).
    if has_phrase(l, "sent") && (l.ends_with("sent:") || l.ends_with("sent") || l.ends_with("sent on")) {
        return Some(Document("sent", 0.9));
    }
    let dated_label = l.ends_with("date") || l.ends_with("date:") || l.ends_with("date :");
    if (dated_label && line.contains("signature"))
        || l.ends_with("date signed")
        || l.ends_with("date signed:")
    {
        return Some(Document("signature", 0.6));
    }
    if l.ends_with("dated") {
        return Some(Document("dated", 0.8));
    }
    if dated_label {
        return Some(Document("date", 0.75));
    }
    None
}

/// Label classes each kind dates itself by (domain.md: "File an IEP under its meeting date").
fn preferred(kind: &str) -> &'static [&'static str] {
    match kind {
        "iep" | "meeting_notes" | "eligibility" | "manifestation_determination" => &["meeting"],
        "iep_amendment" => &["amendment"],
        "evaluation" | "iee" | "fba" => &["report"],
        "consent" => &["received", "signature"],
        "prior_written_notice" | "meeting_notice" | "procedural_safeguards" => &["notice"],
        "progress_report" | "report_card" => &["report", "notice"],
        "parent_letter" | "district_letter" => &["letter", "date", "dated"],
        "state_complaint" | "due_process" => &["filing", "received"],
        "medical" => &["visit"],
        "email" => &["sent", "date"],
        _ => &[],
    }
}

/// The order this document's writer used for numeric dates: shown by a date only one reading
/// allows (09/18/2023), or by the student's birth date; else the case setting.
fn document_order(pages: &[String], settings: &Settings) -> (DateOrder, bool) {
    let mut month_first = 0;
    let mut day_first = 0;
    for line in pages.iter().flat_map(|p| p.lines()) {
        for m in find_dates(line, settings.order) {
            match m.order_hint {
                Some(DateOrder::MonthFirst) => month_first += 1,
                Some(DateOrder::DayFirst) => day_first += 1,
                None => {}
            }
            if let Some(dob) = settings.dob {
                if m.ambiguous && m.date == dob {
                    month_first += usize::from(settings.order == DateOrder::MonthFirst);
                    day_first += usize::from(settings.order == DateOrder::DayFirst);
                } else if m.other_reading == Some(dob) {
                    month_first += usize::from(settings.order == DateOrder::DayFirst);
                    day_first += usize::from(settings.order == DateOrder::MonthFirst);
                }
            }
        }
    }
    match (month_first, day_first) {
        (m, 0) if m > 0 => (DateOrder::MonthFirst, true),
        (0, d) if d > 0 => (DateOrder::DayFirst, true),
        _ => (settings.order, false),
    }
}

fn date_candidates(
    input: &Input<'_>,
    pages: &[String],
    kind: &str,
    settings: &Settings,
) -> Vec<DateCandidate> {
    let (order, settled) = document_order(pages, settings);
    let mut out: Vec<DateCandidate> = Vec::new();
    let mut birth_dates: BTreeSet<NaiveDate> = settings.dob.into_iter().collect();
    let pref = preferred(kind);
    let source_text = if input.ocr { "ocr" } else { "text" };
    for (p, page) in pages.iter().enumerate() {
        let lines: Vec<&str> = page.lines().collect();
        let mut quoted = false;
        let mut first_nonempty = true;
        for (li, raw) in lines.iter().enumerate() {
            let line = raw.trim_end();
            let lower_line = line.to_lowercase();
            if lower_line.trim_end().ends_with("wrote:") || lower_line.starts_with("-----original message") {
                quoted = true;
            }
            let mentions = find_dates(line, order);
            let is_first = first_nonempty && !line.trim().is_empty();
            if !line.trim().is_empty() {
                first_nonempty = false;
            }
            let mut prev_end = 0;
            for m in mentions {
                let label_raw = line[prev_end..m.start].trim();
                prev_end = m.end;
                let mut label = label_raw
                    .trim_matches(|c: char| c == ',' || c == '(' || c == '-')
                    .trim()
                    .to_string();
                if label.chars().filter(|c| c.is_alphabetic()).count() < 2 && li > 0 {
                    let prev = lines[..li]
                        .iter()
                        .rev()
                        .find(|l| !l.trim().is_empty())
                        .map_or("", |l| l.trim());
                    if prev.ends_with(':') {
                        label = prev.to_string();
                    }
                }
                // "IEP Meeting Date: Tuesday, Nov. 7th, 2023": the weekday belongs to the date.
                if let Some((head, last)) = label.rsplit_once(' ')
                    && WEEKDAYS.contains(&last.trim_end_matches(',').to_lowercase().as_str())
                {
                    label = head.trim_end().to_string();
                }
                let label_l = label.to_lowercase();
                // Only the words just before the date are its label.
                let tail: String = {
                    let words: Vec<&str> = label_l.split_whitespace().collect();
                    words[words.len().saturating_sub(6)..].join(" ")
                };
                let date = m.date.format("%Y-%m-%d").to_string();
                let snippet: String = line.trim().chars().take(120).collect();
                let page_no = p as u32 + 1;
                let mut cand = DateCandidate {
                    date: date.clone(),
                    label: (!label.is_empty()).then(|| label.chars().take(60).collect()),
                    page: page_no,
                    snippet,
                    role: "document".into(),
                    event: None,
                    why: String::new(),
                    score: 0.0,
                    ambiguous: m.ambiguous && !settled,
                    source: source_text.into(),
                };
                match classify_label(&tail, &lower_line) {
                    Some(LabelClass::Excluded(why)) => {
                        if why.contains("birth") {
                            birth_dates.insert(m.date);
                        }
                        cand.role = "excluded".into();
                        cand.why = format!("{why}: never the document date");
                    }
                    Some(LabelClass::Event(ev)) => {
                        cand.role = "event".into();
                        cand.event = Some(ev.into());
                        cand.why = format!("an event date ({}), not the document date", ev.replace('_', " "));
                    }
                    Some(LabelClass::Document(class, base)) => {
                        let boost = if pref.contains(&class) { 1.05 } else { 1.0 };
                        cand.score = base * boost;
                        cand.source = if input.ocr { "ocr".into() } else { "label".into() };
                        cand.why = if pref.contains(&class) {
                            format!(
                                "labelled \"{label}\", the date {} is filed under",
                                with_article(kinds::label(kind))
                            )
                        } else {
                            format!("labelled \"{label}\"")
                        };
                        if class == "signature" {
                            cand.why = "a signature date".into();
                        }
                        if class == "received" && kind == "consent" {
                            cand.why =
                                "the date the district received the signed consent (what starts the clock)"
                                    .into();
                        }
                    }
                    None => {
                        let rest = format!("{}{}", &line[..m.start], &line[m.end..]);
                        let letters = rest.chars().filter(|c| c.is_alphabetic()).count();
                        let weekday_only = fold(&rest)
                            .split(|c: char| !c.is_alphabetic())
                            .filter(|w| !w.is_empty())
                            .all(|w| WEEKDAYS.contains(&w));
                        if quoted || line.trim_start().starts_with('>') {
                            cand.score = 0.1;
                            cand.why = "inside quoted earlier correspondence".into();
                        } else if p == 0 && li < 30 && (letters < 4 || weekday_only) {
                            let letterish = pref.contains(&"letter") || kind == "other";
                            cand.score = if letterish { 0.85 } else { 0.7 };
                            cand.why =
                                "a date on a line of its own at the top of the first page (a letter's date)"
                                    .into();
                        } else if p == 0 && is_first {
                            cand.score = 0.65;
                            cand.why = "a date in the first line".into();
                        } else {
                            cand.score = 0.3;
                            cand.why = "a date mentioned in the text".into();
                        }
                    }
                }
                if cand.role == "document" {
                    if p > 0 {
                        cand.score *= if p == 1 { 0.9 } else { 0.8 };
                    }
                    if input.ocr {
                        cand.score *= 0.95;
                    }
                    if m.ambiguous && !settled {
                        cand.score *= 0.85;
                        cand.why.push_str(&format!(
                            " (ambiguous: read {}; set `casebinder config date-order` if your records are day-first)",
                            if order == DateOrder::MonthFirst { "month first" } else { "day first" }
                        ));
                    }
                }
                cand.score = round2(cand.score);
                out.push(cand);
            }
        }
    }
    // A date that is the student's birth date anywhere is never the document date anywhere.
    for c in out.iter_mut() {
        if let Ok(d) = NaiveDate::parse_from_str(&c.date, "%Y-%m-%d")
            && birth_dates.contains(&d)
            && c.role != "excluded"
        {
            c.role = "excluded".into();
            c.event = None;
            c.score = 0.0;
            c.why = "the student's date of birth: never the document date".into();
        }
    }
    // The file name, then metadata, then the carrying email.
    let stem = input.file_name.rsplit('/').next().unwrap_or(input.file_name);
    for m in find_dates(&stem.replace('_', " "), order) {
        out.push(DateCandidate {
            date: m.date.format("%Y-%m-%d").to_string(),
            label: None,
            page: 0,
            snippet: stem.to_string(),
            role: "document".into(),
            event: None,
            why: "a date in the file name".into(),
            score: if m.ambiguous { 0.47 } else { 0.55 },
            ambiguous: m.ambiguous,
            source: "filename".into(),
        });
    }
    for (key, why, score) in [
        (
            "creation_date_day",
            "when the PDF file was made (often a scan or print date)",
            0.3,
        ),
        ("created", "when the Word file was created", 0.35),
        ("exif_date_taken", "when the photo was taken", 0.35),
    ] {
        if let Some(v) = input.meta.get(key).and_then(|v| v.as_str()) {
            let day: String = v.chars().take(10).collect();
            if NaiveDate::parse_from_str(&day, "%Y-%m-%d").is_ok() {
                out.push(DateCandidate {
                    date: day,
                    label: Some(key.to_string()),
                    page: 0,
                    snippet: v.to_string(),
                    role: "document".into(),
                    event: None,
                    why: format!("{why}: a weak hint only"),
                    score,
                    ambiguous: false,
                    source: "metadata".into(),
                });
            }
        }
    }
    if let Some(d) = input.parent_email_date {
        out.push(DateCandidate {
            date: d.format("%Y-%m-%d").to_string(),
            label: None,
            page: 0,
            snippet: String::new(),
            role: "document".into(),
            event: None,
            why: "the sent date of the email that carried it".into(),
            score: 0.5,
            ambiguous: false,
            source: "email_header".into(),
        });
    }
    out
}

/// "an IEP", "a progress report".
fn with_article(name: &str) -> String {
    let lower = if name.chars().nth(1).is_some_and(char::is_uppercase) {
        name.to_string()
    } else {
        name.to_lowercase()
    };
    let article = if lower.starts_with(['a', 'e', 'i', 'o', 'u', 'I', 'E', 'A']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {lower}")
}

const WEEKDAYS: [&str; 14] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
];

fn choose_date(c: &mut Classification) {
    let best = c
        .candidates
        .iter()
        .enumerate()
        .filter(|(_, d)| d.role == "document")
        .max_by(|(ia, a), (ib, b)| a.score.total_cmp(&b.score).then(ib.cmp(ia)));
    match best {
        Some((_, d)) if d.score >= DATE_THRESHOLD => {
            c.date = Some(d.date.clone());
            c.date_source = Some(d.source.clone());
            c.date_confidence = d.score.min(0.99);
            c.date_ambiguous = d.ambiguous;
            c.date_why = d.why.clone();
        }
        Some((_, d)) => {
            c.date_why = format!(
                "no date is labelled as this document's date; the best hint ({}, {}) is too weak",
                d.date, d.why
            );
        }
        None => {
            c.date_why = "no date was found in the document".into();
        }
    }
}

fn title_of(input: &Input<'_>, zone: &[String], kind: &str, settings: &Settings) -> Option<String> {
    if kind == "email" && input.format == "email" {
        return input
            .meta
            .pointer("/email/subject")
            .and_then(|v| v.as_str())
            .map(str::to_string);
    }
    for line in zone.iter().chain(title_zone(input.pages, 40).iter()) {
        let l = line.trim();
        for prefix in ["re:", "subject:", "regarding:"] {
            // `get`: a line may start with a character of several bytes.
            if l.len() > prefix.len() + 2
                && l.get(..prefix.len())
                    .is_some_and(|h| h.eq_ignore_ascii_case(prefix))
                && let Some(rest) = l.get(prefix.len()..)
            {
                return Some(clip(rest.trim()));
            }
        }
    }
    if kind.ends_with("_letter") {
        // A letter without a subject line: its first sentence after "Dear …," says what it is about.
        let lines: Vec<&str> = input
            .pages
            .first()
            .map(|p| p.lines().map(str::trim).collect())
            .unwrap_or_default();
        if let Some(i) = lines.iter().position(|l| fold(l).starts_with("dear ")) {
            let body: Vec<&str> = lines[i + 1..]
                .iter()
                .copied()
                .take_while(|l| !l.is_empty())
                .take(3)
                .collect();
            let text = body.join(" ");
            let first = text
                .split_inclusive(['.', '?', '!'])
                .next()
                .unwrap_or(&text)
                .trim();
            if first.chars().filter(|c| c.is_alphabetic()).count() >= 10 {
                let short: String = first.chars().take(90).collect();
                let short = if first.chars().count() > 90 {
                    format!("{}…", short.trim_end())
                } else {
                    short
                };
                return Some(format!("Letter: {short}"));
            }
        }
    }
    for line in zone {
        let folded = fold(line);
        let letters = line.chars().filter(|c| c.is_alphabetic()).count();
        let is_org = letterhead_is_district(std::slice::from_ref(line), settings).is_some()
            || settings.schools.iter().any(|s| folded.contains(s.as_str()));
        let mostly_date = !find_dates(line, settings.order).is_empty() && letters < 12;
        if letters >= 4 && !is_org && !mostly_date && line.len() <= 120 && !folded.starts_with("student") {
            return Some(clip(line.trim()));
        }
    }
    let meta_title = input.meta.get("title").and_then(|v| v.as_str()).unwrap_or("");
    let junk = meta_title.is_empty()
        || fold(meta_title).starts_with("microsoft word")
        || fold(meta_title) == "untitled"
        || meta_title.ends_with(".doc")
        || meta_title.ends_with(".docx")
        || meta_title.ends_with(".pdf");
    if !junk {
        return Some(clip(meta_title));
    }
    let stem = input.file_name.rsplit('/').next().unwrap_or(input.file_name);
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
    (!stem.is_empty()).then(|| clip(stem))
}

fn clip(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 120 {
        s.chars().take(119).collect::<String>() + "…"
    } else {
        s
    }
}

fn author_of(
    input: &Input<'_>,
    pages: &[String],
    zone: &[String],
    kind: &str,
    settings: &Settings,
) -> Option<String> {
    if input.format == "email" {
        let from = input.meta.pointer("/email/from").and_then(|v| v.as_str())?;
        let name = from
            .split('<')
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches('"')
            .trim();
        return Some(if name.is_empty() {
            from.trim_matches(['<', '>']).to_string()
        } else {
            name.to_string()
        });
    }
    let labelled = |labels: &[&str]| -> Option<String> {
        for line in pages.iter().flat_map(|p| p.lines()).take(200) {
            let l = line.trim();
            for lab in labels {
                if l.len() > lab.len()
                    && l.get(..lab.len()).is_some_and(|h| h.eq_ignore_ascii_case(lab))
                    && let Some(rest) = l.get(lab.len()..)
                {
                    let v = rest.trim().trim_end_matches(',');
                    if v.chars().filter(|c| c.is_alphabetic()).count() >= 3 {
                        return Some(clip(v));
                    }
                }
            }
        }
        None
    };
    let signature = || -> Option<String> {
        let all: Vec<&str> = pages.iter().flat_map(|p| p.lines()).collect();
        for (i, l) in all.iter().enumerate() {
            let f = fold(l);
            if [
                "sincerely",
                "respectfully",
                "yours truly",
                "best regards",
                "regards",
                "thank you,",
            ]
            .iter()
            .any(|s| f.starts_with(s))
                && let Some(name) = all[i + 1..]
                    .iter()
                    .take(4)
                    .map(|s| s.trim())
                    .find(|s| !s.is_empty())
                && name.chars().filter(|c| c.is_alphabetic()).count() >= 3
                && name.len() < 80
            {
                return Some(clip(name));
            }
        }
        None
    };
    let district = || -> Option<String> {
        for line in zone.iter().take(6) {
            let folded = fold(line);
            if let Some(d) = settings
                .districts
                .iter()
                .find(|d| !d.is_empty() && folded.contains(d.as_str()))
            {
                // Keep the district's name as written.
                if let Some(pos) = folded.find(d.as_str()) {
                    return line.get(pos..pos + d.len()).map(clip).or_else(|| Some(clip(d)));
                }
            }
            for cue in ["school district", "public schools", "independent school district"] {
                if let Some(pos) = folded.find(cue) {
                    let end = pos + cue.len();
                    let start = folded[..pos].rfind(['-', ',', '|']).map_or(0, |i| i + 1);
                    if let Some(v) = line.get(start..end) {
                        return Some(clip(v.trim()));
                    }
                }
            }
        }
        None
    };
    let letterhead_person = || -> Option<String> {
        for line in zone.iter().take(6) {
            let f = fold(line);
            if ["ph.d.", "psy.d.", "m.d.", "phd", "psyd"]
                .iter()
                .any(|c| f.contains(c))
            {
                let name = line
                    .split("  ")
                    .next()
                    .unwrap_or(line)
                    .split(" - ")
                    .next()
                    .unwrap_or(line);
                return Some(clip(name.trim()));
            }
        }
        None
    };
    let meta_author = || {
        input
            .meta
            .get("author")
            .and_then(|v| v.as_str())
            .map(str::trim)
            .filter(|a| {
                let f = fold(a);
                !f.is_empty()
                    && ![
                        "user",
                        "owner",
                        "admin",
                        "administrator",
                        "seis",
                        "windows user",
                        "microsoft office user",
                    ]
                    .contains(&f.as_str())
            })
            .map(clip)
    };
    match kind {
        "parent_letter" | "district_letter" | "medical" => signature().or_else(district).or_else(meta_author),
        "evaluation" => labelled(&[
            "evaluator:",
            "examiner:",
            "school psychologist:",
            "psychologist:",
            "prepared by:",
        ])
        .or_else(district)
        .or_else(meta_author),
        "iee" => letterhead_person()
            .or_else(|| labelled(&["evaluator:", "examiner:", "prepared by:"]))
            .or_else(meta_author),
        "other" | "meeting_notes" | "work_sample" => meta_author().or_else(signature).or_else(district),
        _ => district()
            .or_else(|| labelled(&["prepared by:", "case manager:"]))
            .or_else(meta_author),
    }
}

const SERVICE_TAGS: &[(&str, &[&str])] = &[
    (
        "speech",
        &[
            "speech",
            "speech-language",
            "articulation",
            "slp",
            "language therapy",
        ],
    ),
    ("ot", &["occupational therapy", "occupational therapist"]),
    ("pt", &["physical therapy", "physical therapist"]),
    ("reading", &["reading", "dyslexia", "literacy", "phonological"]),
    ("math", &["math", "mathematics"]),
    ("writing", &["writing", "handwriting", "written expression"]),
    ("behavior", &["behavior", "behaviour", "behavioral"]),
    ("counseling", &["counseling", "counselling"]),
    ("transportation", &["transportation", "bus"]),
    (
        "assistive-technology",
        &["assistive technology", "aac device", "augmentative"],
    ),
    ("esy", &["extended school year", "esy"]),
    ("placement", &["placement", "least restrictive environment"]),
];

const REQUEST_TAGS: &[(&str, &[&str])] = &[
    (
        "records-request",
        &[
            "inspect and review",
            "educational records",
            "copies of all",
            "records request",
            "300.613",
            "copy of my child's records",
            "request copies",
        ],
    ),
    ("iee-request", &["independent educational evaluation"]),
    (
        "evaluation-request",
        &[
            "request an evaluation",
            "request a reevaluation",
            "request a re-evaluation",
            "be evaluated",
            "request a full evaluation",
        ],
    ),
    (
        "meeting-request",
        &[
            "request a meeting",
            "request an iep meeting",
            "request a team meeting",
            "like to meet",
            "schedule a meeting",
        ],
    ),
];

/// Words that make a text a request by its writer.
const ASKING: &[&str] = &[
    "i request",
    "i am requesting",
    "i am writing to request",
    "request",
    "i would like",
    "please provide",
    "i disagree",
    "requesting",
];

fn tags_of(c: &mut Classification, input: &Input<'_>, body: &Found<'_>) {
    let mut tags: BTreeMap<String, String> = BTreeMap::new();
    for (tag, phrases) in SERVICE_TAGS {
        if let Some(p) = phrases.iter().find(|p| body.has(p)) {
            tags.insert((*tag).into(), format!("\"{p}\""));
        }
    }
    let raw: String = input
        .pages
        .iter()
        .take(40)
        .cloned()
        .collect::<Vec<_>>()
        .join("\n");
    if !tags.contains_key("ot") && has_phrase(&raw, "OT") {
        tags.insert("ot".into(), "\"OT\"".into());
    }
    if !tags.contains_key("pt") && has_phrase(&raw, "PT") {
        tags.insert("pt".into(), "\"PT\"".into());
    }
    let requester = matches!(
        c.kind.as_str(),
        "parent_letter" | "email" | "other" | "meeting_notes" | "mediation_request"
    );
    if requester && ASKING.iter().any(|a| body.has(a)) {
        for (tag, phrases) in REQUEST_TAGS {
            if let Some(p) = phrases.iter().find(|p| body.has(p)) {
                // A reply that quotes the request is not itself a request.
                let quoted_only = input.format == "email" && !first_message(body.text).contains(p);
                if !quoted_only {
                    tags.insert((*tag).into(), format!("\"{p}\" in a request"));
                }
            }
        }
    }
    if let Some(d) = c
        .date
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    {
        tags.insert(school_year_tag(d), format!("the document date {d}"));
    }
    for line in input.pages.iter().take(3).flat_map(|p| p.lines()) {
        for y in find_school_years(line) {
            tags.entry(format!("sy{}-{:02}", y, (y + 1) % 100))
                .or_insert_with(|| format!("\"{}\"", line.trim()));
        }
    }
    c.tags = tags.keys().cloned().collect();
    c.tag_cues = tags;
}

/// The part of an email body before any quoted earlier message.
fn first_message(body: &str) -> &str {
    let cut = [" wrote: ", "-----original message", "\n>"]
        .iter()
        .filter_map(|m| body.find(m))
        .min()
        .unwrap_or(body.len());
    &body[..cut]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, name: &str) -> Classification {
        let pages = vec![text.to_string()];
        let meta = serde_json::json!({});
        classify(
            &Input {
                format: "pdf",
                pages: &pages,
                ocr: false,
                file_name: name,
                meta: &meta,
                parent_email_date: None,
            },
            &Settings {
                districts: vec!["lakeside unified school district".into()],
                ..Settings::default()
            },
        )
    }

    #[test]
    fn birth_dates_next_reviews_and_revision_footers_are_never_the_date() {
        let c = run(
            "Individualized Education Program\nDate of Birth: 05/12/2014\nNext Annual Review: 10/03/2023\n\
             Re-evaluation Due: 03/15/2025\nForm SE-IEP-1 Rev. 07/01/2019\nPrinted 08/30/2024\n\nSome text.",
            "x.pdf",
        );
        assert_eq!(c.date, None, "{:?}", c.candidates);
        let c = run(
            "Individualized Education Program\nDOB: 05/12/2014   IEP Meeting Date: 10/04/2022\nNext IEP: 10/03/2023",
            "x.pdf",
        );
        assert_eq!(c.date.as_deref(), Some("2022-10-04"));
        assert_eq!(c.kind, "iep");
        assert!(
            c.events
                .iter()
                .any(|e| e.event == "annual_review_due" && e.date == "2023-10-03")
        );
    }

    #[test]
    fn the_birth_date_is_recognised_on_every_page_even_unlabelled() {
        let pages = vec![
            "Progress Report\nStudent DOB 05/12/2014\nReport Date: 11/17/2023".to_string(),
            "Goal 1 partial progress\n05/12/2014".to_string(),
        ];
        let meta = serde_json::json!({});
        let c = classify(
            &Input {
                format: "pdf",
                pages: &pages,
                ocr: false,
                file_name: "p.pdf",
                meta: &meta,
                parent_email_date: None,
            },
            &Settings::default(),
        );
        assert_eq!(c.date.as_deref(), Some("2023-11-17"));
        assert!(
            c.candidates
                .iter()
                .filter(|d| d.date == "2014-05-12")
                .all(|d| d.role == "excluded")
        );
    }

    #[test]
    fn letters_are_dated_by_their_date_line_and_split_by_author() {
        let c = run(
            "Ana Rivera\n55 Willow Lane\nJanuary 8, 2024\n\nRe: Request to inspect and review records\nDear Director,\n\
             I am writing to request copies of all educational records of my daughter.\nSincerely,\nAna Rivera",
            "letter.docx",
        );
        assert_eq!(c.kind, "parent_letter");
        assert_eq!(c.date.as_deref(), Some("2024-01-08"));
        assert_eq!(c.title.as_deref(), Some("Request to inspect and review records"));
        assert_eq!(c.author.as_deref(), Some("Ana Rivera"));
        assert!(c.tags.contains(&"records-request".to_string()), "{:?}", c.tags);
        assert!(c.tags.contains(&"sy2023-24".to_string()));
        let d = run(
            "Lakeside Unified School District\nOffice of Special Education\nMarch 28, 2024\nDear Mr. and Mrs. Rivera,\n\
             The district agrees to fund an independent educational evaluation.\nSincerely,\nMargaret Hale",
            "scan.pdf",
        );
        assert_eq!(d.kind, "district_letter");
        assert_eq!(d.author.as_deref(), Some("Margaret Hale"));
    }

    #[test]
    fn amendment_beats_iep_and_iee_beats_district_evaluation() {
        let a = run(
            "IEP Amendment\nLakeside Unified School District\nAmendment Date: February 14, 2023\nDate of IEP being amended: 10/04/2022",
            "a.pdf",
        );
        assert_eq!(a.kind, "iep_amendment");
        assert_eq!(a.date.as_deref(), Some("2023-02-14"));
        let e = run(
            "Psychoeducational Evaluation Report\nLakeside Unified School District\nDate of Report: June 20, 2023\nReason for Referral\nTests Administered: WISC-V",
            "e.pdf",
        );
        assert_eq!(e.kind, "evaluation");
        let i = run(
            "Independent Educational Evaluation\nHelen Brooks, Ph.D. - Bayside Child Neuropsychology\nReport Date: 08/15/2024\nTests Administered: WISC-V",
            "i.pdf",
        );
        assert_eq!(i.kind, "iee");
        assert_eq!(i.author.as_deref(), Some("Helen Brooks, Ph.D."));
    }

    #[test]
    fn pwn_is_not_a_meeting_notice_and_the_proposed_meeting_is_an_event() {
        let p = run(
            "Prior Written Notice\nDate Sent: 10/03/2023\nDescription of the action proposed or refused",
            "n.pdf",
        );
        assert_eq!(p.kind, "prior_written_notice");
        let m = run(
            "Notice of Meeting\nDate of Notice: October 20, 2023\nA meeting is scheduled for Tuesday, November 7, 2023 at 3:30 PM.\nPurpose of the meeting: annual review",
            "m.pdf",
        );
        assert_eq!(m.kind, "meeting_notice");
        assert_eq!(m.date.as_deref(), Some("2023-10-20"));
        assert!(
            m.events
                .iter()
                .any(|e| e.event == "meeting_proposed" && e.date == "2023-11-07")
        );
    }

    #[test]
    fn no_honest_date_means_undated() {
        let c = run(
            "Notes\n- the evaluation was late\n- we met in 2023 and again on 3/1/2023 at school",
            "notes.md",
        );
        assert_eq!(c.date, None);
        assert!(c.date_why.contains("too weak"), "{}", c.date_why);
    }

    #[test]
    fn ambiguous_dates_say_so() {
        let c = run("Notice of Meeting\nDate of Notice: 04/05/2023", "m.pdf");
        assert_eq!(c.date.as_deref(), Some("2023-04-05"));
        assert!(c.date_ambiguous);
    }
}

#[cfg(test)]
mod more_tests {
    use super::*;

    #[test]
    fn a_clinic_letterhead_makes_a_medical_record() {
        let pages = vec!["Bayside Pediatrics\nLin Chen, M.D. - 410 Shore Drive, Bayside, CA\nPatient: Maya Rivera DOB: 05/12/2014\nDate of Service: 02/20/2024\nTo whom it may concern:\nDiagnosis: dyslexia (ICD-10 F81.0)\nSincerely,\nLin Chen, M.D.".to_string()];
        let meta = serde_json::json!({});
        let c = classify(
            &Input {
                format: "pdf",
                pages: &pages,
                ocr: false,
                file_name: "Dr Chen letter.pdf",
                meta: &meta,
                parent_email_date: None,
            },
            &Settings::default(),
        );
        assert_eq!(c.kind, "medical", "{:?}", c.cues);
        assert!(
            c.kind_confidence >= 0.6,
            "{} {:?} {:?}",
            c.kind_confidence,
            c.cues,
            c.runner_up
        );
        assert_eq!(c.date.as_deref(), Some("2024-02-20"));
    }
}

#[cfg(test)]
mod printed_email_tests {
    use super::*;

    #[test]
    fn a_printed_email_is_an_email_dated_by_its_sent_line() {
        let pages = vec!["From: Daniela Ortiz\nSent: Tuesday, October 3, 2023 4:15 PM\nTo: Ana Rivera\nSubject: OT minutes\n\nHi Ms. Rivera,\nThe team met on 9/28/2023.".to_string()];
        let meta = serde_json::json!({});
        let c = classify(
            &Input {
                format: "pdf",
                pages: &pages,
                ocr: false,
                file_name: "email.pdf",
                meta: &meta,
                parent_email_date: None,
            },
            &Settings::default(),
        );
        assert!(classify_label("parent consent:", "parent consent: 03/01/2023").is_none());
        assert_eq!(c.kind, "email");
        assert_eq!(c.date.as_deref(), Some("2023-10-03"), "{:?}", c.candidates);
    }
}

#[cfg(test)]
mod regressions {
    use super::*;

    /// Found by tests/properties.rs: a heading line starting with a multi-byte character made the
    /// "Re:" and "Evaluator:" look-ups slice inside it.
    #[test]
    fn lines_starting_with_multibyte_characters() {
        let pages = vec!["🕴0{֎ heading\n֎Re: x\n¹Evaluator: ü\nDear Sir,\nSincerely,\n𖫲 name".to_string()];
        let meta = serde_json::json!({});
        for kind_input in ["pdf", "text"] {
            let c = classify(
                &Input {
                    format: kind_input,
                    pages: &pages,
                    ocr: false,
                    file_name: "x.pdf",
                    meta: &meta,
                    parent_email_date: None,
                },
                &Settings::default(),
            );
            assert!(kinds::KINDS.contains(&c.kind.as_str()));
        }
    }
}
