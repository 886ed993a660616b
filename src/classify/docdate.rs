//! When a document is from: every date in it, what each one is, and the document date chosen
//! by the evidence that adds up behind it.
//!
//! Each date written in the document is a candidate with a role: `document` (it can be this
//! document's date), `event` (a typed date: a meeting proposed, testing, a review due),
//! `reference` (the date of another document it points at: "the BIP dated 05/03/2023", "since the
//! 03/11/2024 IEP"), `revision` (a form's own revision date) or `excluded` (a birth date, a
//! print banner). A `document` candidate carries one kind of support: a labelled field of this
//! document, a table cell beside its label, a signature line, the heading, a stamp, the file name,
//! a bare mention. A date's score combines its independent supports (1 − Π(1 − s)), so the
//! date printed in the field, on the signature line and in the file name outweighs a date the
//! text merely mentions, however often.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::dates::WEEKDAYS;
use super::dates::{DateOrder, find_dates, find_issue_mark, find_revision, find_title_edition};
use super::kinds;
use super::page::{Doc, is_heading_noise};
use super::titles;
use super::{Classification, DateCandidate, Input, Settings, Shape, fold, round2};

/// A chosen date needs at least this score; below it the document is undated (and says so).
pub const DATE_THRESHOLD: f64 = 0.45;

/// What a label says about the date next to it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LabelClass {
    Excluded(&'static str),
    Revision,
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
                "review date",
                "date of next",
                "next meeting",
                "to be reviewed",
                "due date",
                "due by",
                "date due",
                "expected",
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
                "3-year",
            ],
            Event("reevaluation_due"),
        ),
        (
            &["being amended", "iep amended", "amends the iep"],
            Event("iep_amended"),
        ),
        (
            &[
                "of evaluation",
                "of testing",
                "testing",
                "examination",
                "of assessment",
                "test date",
                "date(s) of",
                "dates of",
                "administered",
                "observation date",
                "date of observation",
                "observed on",
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
                "beginning",
                "from:",
                "services start",
            ],
            Event("iep_start"),
        ),
        (
            &[
                "end date",
                "expiration",
                "ending",
                "through",
                "ends",
                "to:",
                "duration",
            ],
            Event("iep_end"),
        ),
        (&["incident"], Event("incident")),
        (&["suspension", "suspended", "removal"], Event("suspension_day")),
        (
            &[
                "scheduled for",
                "will be held",
                "meeting on",
                "proposed meeting",
                "is scheduled",
                "held on",
                "will meet",
                "will take place",
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
                "date of request",
                "request date",
                "referral date",
                "date of referral",
                "referred on",
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
                "enrollment",
                "enrolled",
                "graduation",
                "exit date",
                "age of majority",
                "initial eligibility",
                "prior iep",
                "last iep",
                "previous iep",
                "date of last",
                "last annual",
            ],
            Excluded("another date on the form (not this document's date)"),
        ),
        (
            &[
                "consent received",
                "date consent received",
                "consent was received",
            ],
            Event("consent_received"),
        ),
        (
            &[
                "date plan sent",
                "date ap sent",
                "plan sent",
                "sent to parent",
                "sent home",
                "provided to parent",
                "given to parent",
            ],
            Event("sent_to_parent"),
        ),
        (
            &[
                "meeting date",
                "date of meeting",
                "iep date",
                "conference date",
                "ard date",
                "date of conference",
                "team meeting date",
                "date of iep",
                "date of the meeting",
                "date of team meeting",
                "date of cse",
                "date of ard",
                "date of mdr",
                "date of review",
            ],
            Document("meeting", 0.95),
        ),
        (
            &[
                "date of report",
                "report date",
                "date of the report",
                "date of evaluation report",
                "date completed",
                "completion date",
                "date report completed",
                "report completed",
                "date written",
                "date prepared",
                "prepared on",
                "prepared:",
            ],
            Document("report", 0.95),
        ),
        (
            &[
                "notice date",
                "date of notice",
                "date sent",
                "date mailed",
                "date of letter",
                "mailed",
                "date provided",
            ],
            Document("notice", 0.95),
        ),
        (
            &[
                "argued",
                "submitted",
                "record closed",
                "date of hearing",
                "hearing date",
                "hearing held",
                "heard on",
                "heard",
            ],
            Excluded("a hearing, argument or record date (not the decision's own)"),
        ),
        (
            &[
                "date issued",
                "issue date",
                "issued",
                "decided",
                "decision date",
                "date of decision",
                "decision date",
                "date of order",
                "entered",
            ],
            Document("issued", 0.95),
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
            &["date of service", "visit date", "date of visit", "encounter date"],
            Document("visit", 0.9),
        ),
        (&["date received", "received"], Document("received", 0.9)),
        (
            &[
                "date filed",
                "filing date",
                "date of complaint",
                "date of filing",
                "filed",
            ],
            Document("filing", 0.9),
        ),
    ]
};

/// A stretch between two dates that holds only months with their years and separators ("; July
/// 2012; " in "Rev. 12/17/10; July 2012; 11/14/13"): the dates around it are one list.
fn month_years_only(seg: &str) -> bool {
    let words: Vec<&str> = seg
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '&'))
        .filter(|w| !w.is_empty())
        .collect();
    !words.is_empty()
        && seg.contains([';', ','])
        && words.len() <= 6
        && words.chunks(2).all(|pair| {
            pair.len() == 2
                && super::dates::is_month_word(&pair[0].to_lowercase())
                && pair[1].len() == 4
                && pair[1].chars().all(|c| c.is_ascii_digit())
        })
}

/// Words that end a field label rather than a sentence.
fn classify_label(label: &str, line: &str) -> Option<LabelClass> {
    use LabelClass::*;
    let l = label;
    let any = |words: &[&str]| words.iter().any(|w| l.contains(w));
    // The word right before the date labels it ("… Date of Birth … Rev. 12/17/10").
    if [
        "rev.",
        "rev",
        "rev:",
        "revised",
        "revised:",
        "revision",
        "revision:",
    ]
    .iter()
    .any(|w| l == *w || l.ends_with(&format!(" {w}")))
    {
        return Some(Revision);
    }
    if any(&["birth", "dob", "d.o.b", "born"]) {
        return Some(Excluded("the student's date of birth"));
    }
    let line_has = |words: &[&str]| words.iter().any(|w| line.contains(w));
    if line_has(&["printed", "print date", "fax", "copyright", "©"]) && !any(&["date sent", "notice"]) {
        return Some(Excluded("a print or fax banner"));
    }
    if any(&["adopted", "date of adoption", "board approved"]) {
        return Some(Excluded("a policy's adoption date (when a board adopted it)"));
    }
    if any(&[
        "last updated",
        "updated:",
        "updated on",
        "page updated",
        "last modified",
        "posted on",
        "posted:",
        "post on",
        "date post",
        "post date",
        "date posted",
        "upload date",
        "upload:",
        "uploaded",
        "published on",
        "published:",
        "date accessed",
        "accessed on",
        "retrieved on",
        "latest update",
    ]) {
        return Some(Excluded(
            "a web page's or host's stamp (posted, updated, uploaded)",
        ));
    }
    // "Updated 6/11/2014" with no colon: a booklet's or a form's version line (a web page's
    // stamp reads "Last updated:", "Page updated", "Updated on", excluded above).
    if l.ends_with("rev.")
        || l.ends_with("rev")
        || any(&["rev. ", "revised", "revision", "form rev"])
        || l == "updated"
        || l.ends_with(" updated")
    {
        return Some(Revision);
    }
    if let Some((_, class)) = LABEL_RULES.iter().find(|(words, _)| any(words)) {
        return Some(*class);
    }
    // "Sent:" of a printed email, as a whole word ("consent:" is not it).
    if super::has_phrase(l, "sent") && (l.ends_with("sent:") || l.ends_with("sent") || l.ends_with("sent on"))
    {
        return Some(Document("sent", 0.9));
    }
    let dated_label = l.ends_with("date") || l.ends_with("date:") || l.ends_with("date :");
    if (dated_label && (line.contains("signature") || line.contains("signed")))
        || l.ends_with("date signed")
        || l.ends_with("date signed:")
        || l.ends_with("signed:")
        || l.ends_with("signed")
        || l.contains("signature")
    {
        return Some(Document("signature", 0.6));
    }
    if l.ends_with("dated") || l.ends_with("dated:") {
        return Some(Document("dated", 0.8));
    }
    if dated_label || l == "on:" {
        return Some(Document("date", 0.75));
    }
    // "Date Developed:", "Date Prepared:", "Date of Plan:": a form's own date field.
    let last = l.rsplit(['|', '\t']).next().unwrap_or(l).trim();
    if (last.starts_with("date ") || last.starts_with("date:"))
        && last.ends_with(':')
        && last.split_whitespace().count() <= 5
    {
        return Some(Document("date", 0.7));
    }
    None
}

/// Label classes each kind dates itself by (domain.md: "File an IEP under its meeting date").
fn preferred(kind: &str) -> &'static [&'static str] {
    match kind {
        "iep" | "meeting_notes" | "eligibility" | "manifestation_determination" | "plan_504" => &["meeting"],
        "iep_amendment" => &["amendment", "meeting"],
        "evaluation" | "iee" | "fba" => &["report"],
        "consent" => &["received", "signature"],
        "prior_written_notice" | "meeting_notice" | "procedural_safeguards" => &["notice"],
        "progress_report" | "report_card" => &["report", "notice"],
        "parent_letter" | "district_letter" => &["notice", "date", "dated"],
        "state_complaint" | "due_process" => &["filing", "received", "date"],
        "decision" => &["issued", "dated"],
        "medical" => &["visit", "report"],
        "email" => &["sent", "date"],
        _ => &[],
    }
}

/// Nouns naming a kind of document in a label; a field that names another kind's paper is that
/// paper's date ("IEP Date:" on a progress report), not this one's.
const DOC_NOUNS: &[&str] = &[
    "iep",
    "evaluation",
    "eval",
    "eligibility",
    "consent",
    "notice",
    "pwn",
    "bip",
    "fba",
    "plan",
    "meeting",
    "report",
    "amendment",
    "addendum",
    "referral",
    "complaint",
    "hearing",
    "decision",
    "letter",
    "request",
    "conference",
    "assessment",
    "progress",
    "504",
];

/// The nouns a kind's own date fields use.
fn own_nouns(kind: &str) -> &'static [&'static str] {
    match kind {
        "iep" => &["iep", "meeting", "conference", "review", "ard", "cse", "plan"],
        "iep_amendment" => &["amendment", "addendum", "meeting", "iep", "conference"],
        "evaluation" | "iee" => &["report", "evaluation", "eval", "assessment"],
        "eligibility" => &["eligibility", "meeting", "conference", "determination", "report"],
        "fba" => &["report", "assessment", "fba"],
        "bip" => &["plan", "bip", "meeting"],
        "plan_504" => &["plan", "504", "meeting", "conference"],
        "progress_report" => &["report", "progress"],
        "report_card" => &["report"],
        "prior_written_notice" => &["notice", "pwn", "letter"],
        "consent" => &["consent", "plan", "notice", "request"],
        "meeting_notice" => &["notice", "letter"],
        "meeting_notes" => &["meeting", "conference"],
        "manifestation_determination" => &["meeting", "review", "conference", "hearing"],
        "parent_letter" | "district_letter" => &["letter", "notice"],
        "state_complaint" | "due_process" | "mediation_request" => {
            &["complaint", "request", "filing", "letter"]
        }
        "decision" => &["decision", "order", "report", "letter", "hearing"],
        "medical" => &["report", "letter"],
        _ => &[],
    }
}

fn words_of(s: &str) -> Vec<&str> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

/// The other document a label names, if it names one and not this kind's own paper.
fn other_document(label: &str, kind: &str) -> Option<&'static str> {
    let words = words_of(label);
    let own = own_nouns(kind);
    if words.iter().any(|w| own.contains(w)) {
        return None;
    }
    DOC_NOUNS.iter().copied().find(|n| words.contains(n))
}

/// Words a sentence uses to point at another document's date.
fn sentence_reference(tail: &[&str], after: &[&str]) -> Option<&'static str> {
    let tail: Vec<&str> = {
        let mut t = tail.to_vec();
        while t
            .last()
            .is_some_and(|w| matches!(*w, "the" | "a" | "an" | "our" | "your" | "my" | "his" | "her"))
        {
            t.pop();
        }
        t
    };
    let last = tail.last().copied().unwrap_or("");
    let near_noun = tail.iter().rev().take(4).any(|w| {
        DOC_NOUNS.contains(w) || matches!(*w, "ieps" | "reports" | "letters" | "emails" | "email" | "e-mail")
    });
    if last == "dated" {
        return Some("a sentence that points at a document dated then");
    }
    if last == "since" {
        return Some("\"since …\": a date the text looks back to");
    }
    if matches!(last, "of" | "from" | "on" | "in") && near_noun {
        return Some("the date of another document the text mentions");
    }
    let next = after
        .iter()
        .find(|w| !matches!(**w, "the" | "a" | "an"))
        .copied()
        .unwrap_or("");
    if DOC_NOUNS.contains(&next) || matches!(next, "ieps" | "email" | "e-mail" | "letter") {
        return Some("the date of another document the text mentions");
    }
    None
}

/// Words that caption a date alone at the start of a line ("Dated 12/21/2006", "Date received").
const FIELD_VERBS: &[&str] = &[
    "date", "dated", "signed", "received", "issued", "filed", "sent", "entered",
];

/// Words that make a label's text a sentence rather than a field's caption.
const SENTENCE_WORDS: &[&str] = &[
    "is", "was", "were", "are", "be", "been", "have", "has", "had", "will", "would", "we", "i", "you",
    "they", "he", "she", "reviewed", "received", "said", "sent", "since", "the",
];

/// The order this document's writer used for numeric dates: shown by a date only one reading
/// allows (09/18/2023), or by the student's birth date; else the case setting.
pub fn document_order(doc: &Doc<'_>, settings: &Settings) -> (DateOrder, bool) {
    let mut month_first = 0;
    let mut day_first = 0;
    for mentions in &doc.dates {
        for m in mentions {
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

/// A time of day ("3:14 PM", "14:32"): on a top or bottom line with a date, a print or fax banner.
fn has_time(text: &str) -> bool {
    let b = text.as_bytes();
    (1..b.len().saturating_sub(2)).any(|i| {
        b[i] == b':' && b[i - 1].is_ascii_digit() && b[i + 1].is_ascii_digit() && b[i + 2].is_ascii_digit()
    })
}

/// "an IEP", "a progress report".
pub fn with_article(name: &str) -> String {
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

/// The segment of `text` that is the date's own cell: after the last tab, run of spaces or bar.
fn cell(seg: &str) -> (&str, bool) {
    // A label with its colon, then spaces to line the values up ("Date:      January 15,
    // 2016"): the spaces are not a new cell.
    let trimmed = seg.trim_end();
    let seg = if trimmed.ends_with(':') { trimmed } else { seg };
    let cut = [
        seg.rfind('\t').map(|i| i + 1),
        seg.rfind("  ").map(|i| i + 2),
        seg.rfind('|').map(|i| i + 1),
    ]
    .into_iter()
    .flatten()
    .max();
    match cut {
        Some(i) => (&seg[i..], true),
        None => (seg, false),
    }
}

/// Every date in the document, with its role, support and score.
pub fn candidates(
    doc: &Doc<'_>,
    input: &Input<'_>,
    kind: &str,
    shape: Shape,
    settings: &Settings,
    (order, settled): (DateOrder, bool),
) -> Vec<DateCandidate> {
    let mut out: Vec<DateCandidate> = Vec::new();
    let mut birth_dates: BTreeSet<NaiveDate> = settings.dob.into_iter().collect();
    let pref = preferred(kind);
    let text_source = if input.ocr { "ocr" } else { "text" };
    let heads: BTreeSet<usize> = doc.heading_candidates().iter().copied().collect();
    // A timeline: many lines start with a date; those dates are its entries, not its date.
    let dated_starts = doc
        .lines
        .iter()
        .enumerate()
        .filter(|(i, _)| doc.dates[*i].first().is_some_and(|m| m.start <= 2))
        .count();
    let dated_list = dated_starts >= 3 && dated_starts * 3 >= doc.lines.len();
    let letterish = matches!(
        kind,
        "parent_letter" | "district_letter" | "other" | "meeting_notes" | "decision" | "email"
    );
    let mut quoted = false;
    let mut closing_at: Option<usize> = None;
    for (i, line) in doc.lines.iter().enumerate() {
        let text = line.text;
        let lower = text.to_lowercase();
        if lower.ends_with("wrote:")
            || lower.starts_with("-----original message")
            || lower.starts_with("-------- forwarded")
        {
            quoted = true;
        }
        if [
            "sincerely",
            "respectfully",
            "yours truly",
            "best regards",
            "regards,",
        ]
        .iter()
        .any(|c| lower.starts_with(c))
        {
            closing_at = Some(i);
        }
        let page_no = line.page as u32 + 1;
        let snippet: String = text.chars().take(120).collect();
        // The case's reading, unless this document's own dates show the other order.
        let recomputed;
        let mentions: &[super::dates::Mention] = if order == settings.order {
            &doc.dates[i]
        } else {
            recomputed = find_dates(text, order);
            &recomputed
        };
        // A form's revision mark ("Rev. 07/2019") may carry no day; nor may the month a paper
        // was issued, printed at its top or in its footer ("September 2010", "SpEd 8 09.14").
        let near_edge = (line.page == 0 && i < doc.pages[0].start + 15)
            || line.furniture
            || doc.pages.get(line.page).is_some_and(|p| p.end - i <= 3);
        let mark = find_revision(text).or_else(|| {
            if !near_edge {
                return None;
            }
            // The mark may sit in the line's last cell ("District name      SpEd 5a 09.14").
            find_issue_mark(text)
                .or_else(|| {
                    let cut = text.rfind("  ").or_else(|| text.rfind('\t'))?;
                    find_issue_mark(&text[cut..]).map(|(d, s, e)| (d, cut + s, cut + e))
                })
                // A notice of rights' edition beside its title on its first line.
                .or_else(|| {
                    let first = line.page == 0 && i < doc.pages[0].start + 2;
                    let rights = || {
                        let f = fold(text);
                        f.contains("safeguards") || f.contains("rights")
                    };
                    (first && rights()).then(|| find_title_edition(text)).flatten()
                })
        });
        if let Some((d, s, e)) = mark
            && !mentions.iter().any(|m| m.start >= s && m.end <= e)
        {
            out.push(DateCandidate {
                date: d.format("%Y-%m-%d").to_string(),
                label: Some(text[s..e].chars().take(60).collect()),
                page: page_no,
                snippet: snippet.clone(),
                role: "revision".into(),
                event: None,
                why: "the form's own revision date: never the date of a filled-in document".into(),
                score: 0.0,
                ambiguous: false,
                source: text_source.into(),
                support: None,
            });
        }
        let mut prev_end = 0;
        let mut prev_label: Option<String> = None;
        for m in mentions {
            let seg = &text[prev_end..m.start];
            prev_end = m.end;
            let (own_cell, after_separator) = cell(seg);
            let mut label = own_cell
                .trim()
                .trim_matches(|c: char| c == ',' || c == '(' || c == '-' || c == '–')
                .trim()
                .to_string();
            // "Dates of Testing: 09/12/2023, 09/19/2023": a date listed after another shares
            // its label.
            let months_between = month_years_only(seg);
            let listed = matches!(
                seg.trim()
                    .trim_matches(|c: char| matches!(c, ',' | ';' | '&' | '-' | '–'))
                    .trim(),
                "" | "and" | "to" | "through" | "&"
            ) || months_between;
            if listed
                && let Some(p) = prev_label.as_ref().filter(|_| {
                    months_between
                        || matches!(
                            label.trim_matches(|c: char| !c.is_alphanumeric()),
                            "" | "and" | "to" | "through"
                        )
                })
            {
                label = p.clone();
            }
            prev_label = Some(label.clone());
            // "IEP Meeting Date: Tuesday, Nov. 7th, 2023": the weekday belongs to the date.
            if let Some((head, last)) = label.rsplit_once(' ')
                && WEEKDAYS.contains(&last.trim_end_matches(',').to_lowercase().as_str())
            {
                label = head.trim_end().to_string();
            } else if WEEKDAYS.contains(&label.trim_end_matches(',').to_lowercase().as_str()) {
                label.clear();
            }
            let mut paired = false;
            let alone = label.chars().filter(|c| c.is_alphabetic()).count() < 2;
            if alone && let Some(j) = doc.label_for(i) {
                label = doc.lines[j].text.to_string();
                paired = true;
            }
            let label_l = label.to_lowercase();
            let label_words = words_of(&label_l);
            // Only the last words before the date are its label.
            let tail_words: Vec<&str> = label_words[label_words.len().saturating_sub(6)..].to_vec();
            let tail: String = {
                let ws: Vec<&str> = label_l.split_whitespace().collect();
                ws[ws.len().saturating_sub(6)..].join(" ")
            };
            let after_words: Vec<&str> = words_of(&text[m.end..]).into_iter().take(3).collect::<Vec<_>>();
            let after_l: Vec<String> = after_words.iter().map(|w| w.to_lowercase()).collect();
            let after_l: Vec<&str> = after_l.iter().map(String::as_str).collect();
            // A field: a short label ending in a colon, or alone in its cell, or beside the value.
            // A short caption with the word "date" ("Meeting Date 10/04/2022"), not a sentence
            // ("The team reviewed the BIP dated …").
            let caption_with_date = label_words.len() <= 5
                && (after_separator || prev_is_line_start(text, seg))
                && label_words.contains(&"date")
                && !label_words.iter().any(|w| SENTENCE_WORDS.contains(w));
            let field = paired
                || label.ends_with(':')
                || caption_with_date
                || (label_words.len() <= 2
                    && prev_is_line_start(text, seg)
                    && label_words.first().is_some_and(|w| FIELD_VERBS.contains(w))
                    && label_words.last().is_some_and(|w| FIELD_VERBS.contains(w)));
            let date = m.date.format("%Y-%m-%d").to_string();
            let mut c = DateCandidate {
                date,
                label: (!label.is_empty()).then(|| label.chars().take(60).collect()),
                page: page_no,
                snippet: snippet.clone(),
                role: "document".into(),
                event: None,
                why: String::new(),
                score: 0.0,
                ambiguous: m.ambiguous && !settled,
                source: text_source.into(),
                support: None,
            };
            let class = match (kind, classify_label(&tail, &lower)) {
                // On a consent form, the date it came back to the district is its own date, and
                // the date it was sent out is an event before it.
                ("consent", Some(LabelClass::Event("consent_received"))) => {
                    Some(LabelClass::Document("received", 0.9))
                }
                ("consent", Some(LabelClass::Document("notice", _))) => {
                    Some(LabelClass::Event("sent_to_parent"))
                }
                // A notice is dated by the day it went to the parent ("Date Written Notice Sent
                // to Parent: 9-2-08"), not by the meeting it reports.
                ("prior_written_notice" | "meeting_notice", Some(LabelClass::Event("sent_to_parent"))) => {
                    Some(LabelClass::Document("sent", 0.95))
                }
                (_, class) => class,
            };
            if quoted || text.starts_with('>') {
                c.role = "reference".into();
                c.why = "inside quoted earlier correspondence".into();
            } else if matches!(class, Some(LabelClass::Excluded(_))) {
                if let Some(LabelClass::Excluded(why)) = class {
                    if why.contains("birth") {
                        birth_dates.insert(m.date);
                    }
                    c.role = "excluded".into();
                    c.why = format!("{why}: never the document date");
                }
            } else if matches!(class, Some(LabelClass::Revision)) {
                c.role = "revision".into();
                c.why = "the form's own revision date: never the date of a filled-in document".into();
            } else if line.furniture && (has_time(text) || !field) {
                c.role = "excluded".into();
                c.why = "a running header or footer (printed on every page)".into();
            } else if i < 2
                && line.page == 0
                && has_time(text)
                && !field
                && doc.lines.len() > 3
                && (text.split_whitespace().count() <= 8
                    || ["fax", "page", "p.", "from", "to:"]
                        .iter()
                        .any(|w| lower.contains(w)))
            {
                c.role = "excluded".into();
                c.why = "a fax or print header (a date with a time at the top of the page)".into();
            } else if let Some(LabelClass::Event(ev)) = class {
                if event_fits(kind, ev, field, &lower) {
                    c.role = "event".into();
                    c.event = Some(ev.into());
                    c.why = format!("an event date ({}), not the document date", ev.replace('_', " "));
                } else {
                    // "Federal regulations effective October 13, 2006", "the 60-day timeline
                    // ends on …": a date the paper quotes, not an event of this case.
                    c.role = "reference".into();
                    c.why = format!(
                        "a date {} quotes (\"{}\"), not an event of this case",
                        with_article(kinds::label(kind)),
                        tail.trim()
                    );
                }
            } else if field && let Some(LabelClass::Document(class, base)) = class {
                if kind == "meeting_notice" && class == "meeting" {
                    c.role = "event".into();
                    c.event = Some("meeting_proposed".into());
                    c.why = "the meeting this notice proposes, not the date of the notice".into();
                } else if let Some(other) = other_document(&tail, kind).filter(|_| !pref.contains(&class)) {
                    c.score = 0.5;
                    c.support = Some("other-label".into());
                    c.why = format!(
                        "labelled \"{label}\": the date of another paper it names ({other}), used only when nothing better dates this one"
                    );
                } else {
                    let boost = if pref.contains(&class) { 1.05 } else { 1.0 };
                    c.score = base * boost;
                    c.source = if input.ocr { "ocr".into() } else { "label".into() };
                    c.support = Some(
                        if class == "signature" {
                            "signature"
                        } else {
                            "label"
                        }
                        .into(),
                    );
                    c.why = if pref.contains(&class) {
                        format!(
                            "labelled \"{label}\", the date {} is filed under",
                            with_article(kinds::label(kind))
                        )
                    } else if class == "signature" {
                        "a signature date".into()
                    } else {
                        format!("labelled \"{label}\"")
                    };
                    if class == "received" && kind == "consent" {
                        c.why = "the date the district received the signed consent (what starts the clock)"
                            .into();
                    }
                    if class == "received" && !matches!(kind, "consent" | "state_complaint" | "due_process") {
                        c.score = 0.55;
                        c.support = Some("stamp".into());
                        c.why = format!("a \"{label}\" stamp (when it arrived, not when it was written)");
                    }
                    if paired {
                        c.why.push_str(" (the value beside it in the form's table)");
                    }
                }
            } else if label.ends_with(':')
                && class.is_none()
                && !titles::table().hits(label.trim_end_matches(':')).is_empty()
            {
                // "IEP Meeting Notes: November 7, 2013": the paper's own title, dated.
                c.score = 0.8;
                c.support = Some("title".into());
                c.why = format!(
                    "the date in the paper's title line (\"{}\")",
                    label.trim_end_matches(':')
                );
            } else if dated_list && m.start <= 2 {
                c.role = "reference".into();
                c.why = "an entry of a dated list (a timeline): not the list's own date".into();
            } else if let Some(LabelClass::Document(class, base)) = class
                && pref.contains(&class)
                && !matches!(class, "date" | "dated" | "signature")
                && sentence_reference(&tail_words, &after_l).is_none()
            {
                // "… report completed February 20, 2024": the words of this kind's own date
                // field, written as a sentence.
                c.score = round2(base * 0.7);
                c.support = Some("label".into());
                c.why = format!("\"{}\", this paper's own date in a sentence", tail.trim());
            } else if kind == "decision"
                && !field
                && tail_words
                    .iter()
                    .rev()
                    .take(3)
                    .any(|w| matches!(*w, "issued" | "entered" | "rendered" | "decided"))
            {
                // "… and the Decision was timely issued on August 22, 2016."
                c.score = 0.7;
                c.support = Some("label".into());
                c.why = "the sentence that says when the decision was issued".into();
            } else if !field && let Some(why) = sentence_reference(&tail_words, &after_l) {
                c.role = "reference".into();
                c.why = why.into();
            } else if is_heading_noise(text)
                && DOC_NOUNS.iter().any(|n| words_of(&lower).contains(n))
                && !text.contains(':')
            {
                c.role = "reference".into();
                c.why = "a document listed among others (records reviewed, enclosures)".into();
            } else {
                let rest = format!("{}{}", &text[..m.start], &text[m.end..]);
                let letters = rest.chars().filter(|c| c.is_alphabetic()).count();
                let weekday_only = fold(&rest)
                    .split(|c: char| !c.is_alphabetic())
                    .filter(|w| !w.is_empty())
                    .all(|w| WEEKDAYS.contains(&w));
                let signed = closing_at.is_some_and(|k| i > k && i <= k + 6) || doc.label_under(i).is_some();
                let stamp = text.split_whitespace().count() <= 9
                    && ["received", "filed", "office", "clerk", "entered"]
                        .iter()
                        .any(|w| lower.contains(w));
                if signed {
                    c.score = 0.55;
                    c.support = Some("signature".into());
                    c.why = "a date on the signature line".into();
                } else if stamp && kind == "consent" && lower.contains("received") {
                    c.score = 0.9;
                    c.support = Some("label".into());
                    c.why =
                        "the date the district received the signed consent (what starts the clock)".into();
                } else if stamp {
                    c.score = if kind == "decision" { 0.7 } else { 0.55 };
                    c.support = Some("stamp".into());
                    c.why = "a date stamp".into();
                } else if line.page == 0
                    && i - doc.pages[0].start < 30
                    && (letters < 4 || weekday_only)
                    && !dated_list
                {
                    c.score = if letterish { 0.85 } else { 0.7 };
                    c.support = Some("heading".into());
                    c.why = "a date on a line of its own at the top of the first page (a letter's or notice's date)".into();
                } else if heads.contains(&i) && !dated_list {
                    c.score = 0.75;
                    c.support = Some("title".into());
                    c.why = "a date in the document's heading".into();
                } else if line.page == 0 && i == doc.pages[0].start && !dated_list {
                    c.score = 0.6;
                    c.support = Some("heading".into());
                    c.why = "a date in the first line".into();
                } else {
                    c.score = 0.2;
                    c.support = Some("mention".into());
                    c.why = "a date mentioned in the text".into();
                }
            }
            if c.role == "document" {
                if line.page > 0 && c.support.as_deref() != Some("signature") {
                    c.score *= if line.page == 1 { 0.9 } else { 0.8 };
                }
                if input.ocr {
                    c.score *= 0.95;
                }
            }
            c.score = round2(c.score);
            out.push(c);
        }
    }
    // A publication, a template, a notice of rights or a decision tells of rules and of other
    // cases' histories: none of its dates is an event of this case.
    if shape.publication || shape.template || matches!(kind, "procedural_safeguards" | "decision" | "other") {
        for c in out.iter_mut().filter(|c| c.role == "event") {
            c.role = "reference".into();
            c.event = None;
            c.why = format!(
                "a date {} speaks of, not an event of this case",
                with_article(kinds::label(kind))
            );
        }
    }
    // A sample or a template's dates are examples; a publication's, the dates it speaks of
    // (only a labelled date or the month it was issued are its own).
    for c in out.iter_mut().filter(|c| c.role == "document") {
        if shape.template && c.support.as_deref() != Some("label") {
            c.role = "reference".into();
            c.score = 0.0;
            c.support = None;
            c.why = "an example date in a sample or template".into();
        } else if shape.publication && c.support.as_deref() != Some("label") {
            c.role = "reference".into();
            c.score = 0.0;
            c.support = None;
            c.why = "a date a publication speaks of, not its own".into();
        }
    }
    // A date that is the student's birth date anywhere is never the document date anywhere.
    for c in out.iter_mut() {
        if let Ok(d) = crate::day::parse(&c.date)
            && birth_dates.contains(&d)
            && c.role != "excluded"
        {
            c.role = "excluded".into();
            c.event = None;
            c.score = 0.0;
            c.support = None;
            c.why = "the student's date of birth: never the document date".into();
        }
    }
    // The file name, then metadata, then the carrying email.
    let stem = input.file_name.rsplit('/').next().unwrap_or(input.file_name);
    let stem_clean = stem.replace('_', " ");
    for m in find_dates(&stem_clean, order) {
        let d = m.date;
        if birth_dates.contains(&d) {
            continue;
        }
        // "ARSD 24-05-30" in a name is a rule's number: a short date read only against the
        // case's order (day first in a month-first case) is no date of the paper's.
        if m.end - m.start <= 8 && m.order_hint.is_some_and(|h| h != order) {
            continue;
        }
        out.push(DateCandidate {
            date: d.format("%Y-%m-%d").to_string(),
            label: None,
            page: 0,
            snippet: stem.to_string(),
            role: "document".into(),
            event: None,
            why: "a date in the file name".into(),
            score: if m.ambiguous && !settled { 0.42 } else { 0.5 },
            ambiguous: m.ambiguous && !settled,
            source: "filename".into(),
            support: Some("filename".into()),
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
            if crate::day::parse(&day).is_ok() {
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
                    support: Some("metadata".into()),
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
            support: Some("carrier".into()),
        });
    }
    out
}

/// Whether a paper of this kind records an event of this type at this place: an IEP's start and
/// end are fields of an IEP, an amendment or a plan, never a sentence; no event is a date that
/// sits beside the words of a law or a rule.
fn event_fits(kind: &str, event: &str, field: bool, line: &str) -> bool {
    let law = [
        "regulation",
        "federal",
        "statute",
        "law ",
        "u.s.c",
        "cfr",
        "rule ",
        "act of",
        "amended",
    ]
    .iter()
    .any(|w| line.contains(w));
    if law && !field {
        return false;
    }
    match event {
        "iep_start" | "iep_end" => {
            field
                && matches!(
                    kind,
                    "iep"
                        | "iep_amendment"
                        | "plan_504"
                        | "bip"
                        | "service_log"
                        | "meeting_notes"
                        | "progress_report"
                )
        }
        "annual_review_due" | "reevaluation_due" => !matches!(kind, "consent" | "mediation_request"),
        _ => true,
    }
}

/// True when the segment before a date starts the line (the date's label is the line's start).
fn prev_is_line_start(text: &str, seg: &str) -> bool {
    std::ptr::eq(text.as_ptr(), seg.as_ptr()) || text.starts_with(seg)
}

/// How much each bare mention adds, up to a cap: repetition supports a date, but never alone.
const MENTION_FIRST: f64 = 0.2;
const MENTION_MORE: f64 = 0.08;
const MENTION_CAP: f64 = 0.4;

/// One date's combined evidence.
struct Tally {
    date: String,
    score: f64,
    /// Supports, strongest first: (support, score, why).
    supports: Vec<(String, f64, String)>,
    best: usize,
    first: usize,
    ambiguous: bool,
}

/// Chooses the document date: the date whose independent supports add up highest.
pub fn choose(c: &mut Classification, blank_form: bool, shape: Shape) {
    let mut by_date: BTreeMap<String, Tally> = BTreeMap::new();
    for (idx, d) in c.candidates.iter().enumerate() {
        if d.role != "document" || d.score <= 0.0 {
            continue;
        }
        let t = by_date.entry(d.date.clone()).or_insert_with(|| Tally {
            date: d.date.clone(),
            score: 0.0,
            supports: Vec::new(),
            best: idx,
            first: idx,
            ambiguous: false,
        });
        let support = d.support.clone().unwrap_or_else(|| "mention".into());
        t.ambiguous |= d.ambiguous;
        if d.score > c.candidates[t.best].score {
            t.best = idx;
        }
        match t.supports.iter_mut().find(|s| s.0 == support) {
            Some(s) if support == "mention" => {
                s.1 = (s.1 + MENTION_MORE).min(MENTION_CAP);
            }
            Some(s) => {
                if d.score > s.1 {
                    s.1 = d.score;
                    s.2 = d.why.clone();
                }
            }
            None => {
                let score = if support == "mention" {
                    MENTION_FIRST.min(d.score.max(MENTION_FIRST))
                } else {
                    d.score
                };
                t.supports.push((support, score, d.why.clone()));
            }
        }
    }
    let mut tallies: Vec<Tally> = by_date
        .into_values()
        .map(|mut t| {
            t.supports.sort_by(|a, b| b.1.total_cmp(&a.1));
            t.score = 1.0 - t.supports.iter().map(|s| 1.0 - s.1.min(0.99)).product::<f64>();
            if t.ambiguous {
                t.score *= 0.9;
            }
            t
        })
        .collect();
    tallies.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.first.cmp(&b.first)));
    match tallies.first() {
        Some(t) if t.score >= DATE_THRESHOLD => {
            let best = &c.candidates[t.best];
            c.date = Some(t.date.clone());
            c.date_source = Some(best.source.clone());
            c.date_confidence = round2(t.score.min(0.99));
            // Another date with as much behind it: either could be the paper's own.
            let rival = tallies
                .get(1)
                .filter(|u| u.score >= t.score - 0.01)
                .map(|u| u.date.clone());
            if rival.is_some() {
                c.date_confidence = c.date_confidence.min(0.55);
            }
            // A form left blank whose date no label names (a date under its heading): often the
            // form's issue date, not the date of a record; a person should say.
            let labelled = t
                .supports
                .iter()
                .any(|s| matches!(s.0.as_str(), "label" | "signature" | "stamp" | "carrier"));
            let unlabelled_on_blank_form = blank_form && !labelled;
            if unlabelled_on_blank_form {
                c.date_confidence = c.date_confidence.min(0.55);
            }
            c.date_ambiguous = t.ambiguous;
            let mut why = t.supports[0].2.clone();
            let also: Vec<String> = t.supports[1..]
                .iter()
                .map(|s| match s.0.as_str() {
                    "mention" => "mentioned again in the text".to_string(),
                    "filename" => "the file name".to_string(),
                    "signature" => "a signature date".to_string(),
                    "metadata" => "the file's own date".to_string(),
                    "carrier" => "the email that carried it".to_string(),
                    _ => s.2.clone(),
                })
                .collect();
            if !also.is_empty() {
                why.push_str(&format!("; also: {}", also.join("; ")));
            }
            if t.ambiguous {
                why.push_str(
                    " (ambiguous: read month first; set `casebinder config date-order` if your records are day-first)",
                );
            }
            if let Some(other) = rival {
                why.push_str(&format!("; but {other} has as much behind it"));
            }
            if unlabelled_on_blank_form {
                why.push_str(
                    "; but the form is blank and no label names this date: it may be the form's issue date",
                );
            }
            c.date_why = why;
        }
        best => {
            // A blank form or a booklet whose only date is its own revision is dated by it.
            let revision = c.candidates.iter().find(|d| d.role == "revision");
            if let Some(r) = revision.filter(|_| {
                blank_form || shape.publication || shape.template || c.kind == "procedural_safeguards"
            }) {
                c.date = Some(r.date.clone());
                c.date_source = Some("revision".into());
                c.date_confidence = 0.75;
                c.date_why = format!(
                    "the only date is the form's own revision (\"{}\"): a blank form or a booklet is dated by its revision",
                    r.label.clone().unwrap_or_default()
                );
                return;
            }
            // An evaluation without a report date is dated by its last day of testing.
            if matches!(c.kind.as_str(), "evaluation" | "iee" | "fba")
                && let Some(t) = c
                    .candidates
                    .iter()
                    .filter(|d| d.role == "event" && d.event.as_deref() == Some("evaluation_testing"))
                    .max_by(|a, b| a.date.cmp(&b.date))
            {
                c.date = Some(t.date.clone());
                c.date_source = Some(t.source.clone());
                c.date_confidence = 0.6;
                c.date_ambiguous = t.ambiguous;
                c.date_why = format!(
                    "no report date: the last day of testing (\"{}\")",
                    t.label.clone().unwrap_or_default()
                );
                return;
            }
            // A blank form, a publication or a template has no date of its own: undated is the
            // answer, not a gap. Anything else without a date needs a person to say when.
            let own = if shape.template {
                Some("a sample or template: its dates are examples")
            } else if shape.publication {
                Some("a publication (a guide, a handbook, a post): it has no date of its own")
            } else if blank_form {
                Some("a blank form: it has no date of its own")
            } else if c.kind == "procedural_safeguards" {
                Some("a notice of rights: it has no date of its own")
            } else if c.candidates.is_empty() {
                Some(
                    "no date is written anywhere in it (if you know when it was written or received: casebinder set … --date)",
                )
            } else {
                None
            };
            c.date_confidence = if own.is_some() { UNDATED_SURE } else { 0.3 };
            c.date_why = match (own, best) {
                (Some(own), _) => own.to_string(),
                (None, Some(t)) => format!(
                    "no date is labelled as this document's date; the best hint ({}, {}) is too weak",
                    t.date, t.supports[0].2
                ),
                (None, None) => "no date was found in the document".into(),
            };
        }
    }
}

/// How sure "no date" is for a paper that has none of its own (a blank form, a publication).
pub const UNDATED_SURE: f64 = 0.8;

/// A form printed blank: labels with nothing filled in (fill-in lines, empty fields).
pub fn is_blank_form(doc: &Doc<'_>) -> bool {
    // A forms site's page names what it shows: "Blank … Form", "Fillable … PDF Form".
    let named_blank = doc.lines.iter().take(3).any(|l| {
        let t = l.text.to_ascii_lowercase();
        let has = |w: &str| t.split(|c: char| !c.is_ascii_alphanumeric()).any(|x| x == w);
        (has("blank") || has("fillable") || has("printable")) && (has("form") || has("forms"))
    });
    if named_blank {
        return true;
    }
    let blanks = doc
        .lines
        .iter()
        .filter(|l| {
            l.text.contains("___") || (l.text.ends_with(':') && l.text.split_whitespace().count() <= 5)
        })
        .count();
    let checkboxes = doc
        .lines
        .iter()
        .filter(|l| l.text.contains('☐') || l.text.contains('□') || l.text.contains("[ ]"))
        .count();
    if blanks + checkboxes >= 5 && (blanks + checkboxes) * 4 >= doc.lines.len() {
        return true;
    }
    // Text kept without its layout (a web page's copy of a form): fields left empty run into
    // each other ("Student Name: DOB: Age:", "Date: ____", "Click here to enter text").
    let empty: usize = doc.lines.iter().take(400).map(|l| empty_fields(l.text)).sum();
    let filled_dates = doc.dates.iter().take(400).map(Vec::len).sum::<usize>();
    empty >= 6 && filled_dates <= empty / 3
}

/// Fields on a line whose value is left empty: a short label ending in a colon followed by
/// nothing, by a fill-in line, or by the next label.
fn empty_fields(text: &str) -> usize {
    let b = text.as_bytes();
    let click = memchr::memmem::find(b, b"lick here to enter").is_some();
    let underscores = memchr::memchr(b'_', b).is_some();
    if !click && !underscores && memchr::memchr(b':', b).is_none() {
        return 0;
    }
    let mut n = usize::from(click);
    // Fill-in lines in text kept without its line breaks: each run of underscores is a field.
    if underscores {
        let mut run = 0;
        for &c in b {
            if c == b'_' {
                run += 1;
            } else {
                n += usize::from(run >= 3);
                run = 0;
            }
        }
        n += usize::from(run >= 3);
        // The runs that end a "Label:" are counted below as well: count each field once.
        n = n.saturating_sub(text.matches(":_").count() + text.matches(": _").count());
    }
    for (i, _) in text.match_indices(':') {
        // A label: letters just before the colon.
        if i == 0 || !b[i - 1].is_ascii_alphabetic() && b[i - 1] != b')' {
            continue;
        }
        let rest = text[i + 1..].trim_start();
        let next_label = rest
            .split_whitespace()
            .take(5)
            .position(|w| w.ends_with(':'))
            .is_some_and(|k| {
                rest.split_whitespace().take(k + 1).all(|w| {
                    w.chars()
                        .next()
                        .is_some_and(|c| c.is_uppercase() || c == '(' || c == '#')
                })
            });
        if rest.is_empty() || rest.starts_with("__") || next_label {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_their_kind_of_date() {
        assert_eq!(
            classify_label("date of birth:", ""),
            Some(LabelClass::Excluded("the student's date of birth"))
        );
        assert!(matches!(
            classify_label("next annual review:", ""),
            Some(LabelClass::Event("annual_review_due"))
        ));
        assert!(matches!(
            classify_label("bip review date:", ""),
            Some(LabelClass::Event("annual_review_due"))
        ));
        assert!(matches!(
            classify_label("iep meeting date:", ""),
            Some(LabelClass::Document("meeting", _))
        ));
        assert!(matches!(
            classify_label("date issued:", ""),
            Some(LabelClass::Document("issued", _))
        ));
        assert!(matches!(classify_label("rev.", ""), Some(LabelClass::Revision)));
        assert!(classify_label("parent consent:", "parent consent: 03/01/2023").is_none());
    }

    #[test]
    fn a_field_naming_another_paper_is_that_papers_date() {
        assert_eq!(other_document("iep date", "progress_report"), Some("iep"));
        assert_eq!(other_document("report date", "progress_report"), None);
        assert_eq!(
            other_document("date of iep meeting", "prior_written_notice"),
            Some("iep")
        );
        assert_eq!(other_document("iep meeting date", "iep"), None);
    }

    #[test]
    fn sentences_that_point_at_other_papers_are_references() {
        assert!(sentence_reference(&["pediatrician", "letter", "dated"], &[]).is_some());
        assert!(sentence_reference(&["a", "progress", "report", "since"], &[]).is_some());
        assert!(sentence_reference(&["goal", "has", "not", "changed", "since", "the"], &["iep"]).is_some());
        assert!(sentence_reference(&["we", "met", "on"], &["to"]).is_none());
    }
}
