//! What a document is, decided as a reader decides it: by the name it gives itself in its heading
//! first; by its form (an email, a letter, a case caption, a parent's list) when it names
//! nothing; by the words of its body only when neither says; by its file name last.
//!
//! A recognised heading is never overruled by body words: every kind quotes others (a notice
//! lists the IEP and the evaluation it rests on; a decision quotes everything), so the body
//! would vote for whatever it quotes most.

use std::collections::BTreeMap;

use super::docdate::with_article;
use super::kinds;
use super::kinds::{CAPTION_CUES, CUES, DISTRICT_CUES, PRIVATE_EVALUATOR_CUES, Priority};
use super::page::Doc;
use super::sender::{Sender, sender};
use super::titles;
use super::{Cue, Found, Settings, Shape, fold, has_phrase, round2};

/// The kind, its confidence, the cues behind it and the runner-up.
pub struct KindResult {
    /// The heading line that named it, when a heading did.
    pub heading: Option<String>,
    pub kind: String,
    pub confidence: f64,
    pub cues: Vec<Cue>,
    pub runner_up: Option<(String, f64)>,
    /// What the paper is by its shape (a publication, a template), for its dates.
    pub shape: Shape,
    /// The signals behind the confidence, in words.
    pub confidence_why: String,
}

/// A name found in a heading line.
#[derive(Debug, Clone)]
struct TitleMatch {
    phrase: &'static str,
    kind: &'static str,
    priority: Priority,
    /// Significant words of the name (more is more specific).
    size: usize,
    /// The share of the line's words the name accounts for.
    coverage: f32,
    /// The line is a real paper's title (from the sourced rows), give or take a word.
    exact: bool,
    /// The document line it was read on (`usize::MAX` for text without line breaks).
    line: usize,
    /// Byte position in the heading line.
    pos: usize,
}

/// How steeply the weighed evidence turns into a confidence.
const CONFIDENCE_SLOPE: f64 = 1.8;

/// A heading that is a meeting's name and nothing else ("IEP Meeting", "The Annual IEP Team
/// Meeting", "ARD Meeting").
fn names_the_meeting(folded: &str) -> bool {
    // A date beside it ("Monday, April 16, 2007 IEP Meeting") is the meeting's.
    let w: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .filter(|w| {
            !w.chars().all(|c| c.is_ascii_digit()) && crate::classify::dates::month_or_weekday(w).is_none()
        })
        .collect();
    w.last().is_some_and(|l| matches!(*l, "meeting" | "conference"))
        && w.len() <= 5
        && w.iter().all(|x| {
            matches!(
                *x,
                "the"
                    | "an"
                    | "a"
                    | "annual"
                    | "initial"
                    | "iep"
                    | "ard"
                    | "cse"
                    | "team"
                    | "meeting"
                    | "conference"
                    | "review"
                    | "our"
                    | "my"
            )
        })
}

/// The names a heading line gives itself (on word boundaries). A bare "IEP" counts only when the
/// line is an IEP's title ("IEP", "Annual IEP 2023"), not when it is about one ("Questions for
/// IEP"); bare "Decision" or "Order" only under a case caption.
fn title_matches(line: &str, caption: bool) -> Vec<TitleMatch> {
    let folded = fold(line);
    let mut out: Vec<TitleMatch> = Vec::new();
    let table = titles::table();
    for h in table.hits(line) {
        let row = &table.rows[h.row];
        if out.iter().any(|t| t.phrase == row.title) {
            continue;
        }
        if row.title == "iep" && !bare_iep_title(&folded) {
            continue;
        }
        // "The Annual IEP Meeting", "IEP Team Meeting": the meeting, not the program written
        // at it (its notice, its notes and a parent's account have their own names and cues).
        if h.kind == "iep" && !row.exact && names_the_meeting(&folded) {
            continue;
        }
        if row.caption_only {
            let extra = titles::words(&folded).len().saturating_sub(h.size);
            if !caption || extra > 3 {
                continue;
            }
        }
        out.push(TitleMatch {
            phrase: row.title,
            kind: h.kind,
            priority: h.rank,
            size: h.size,
            coverage: h.coverage,
            exact: h.exact,
            line: usize::MAX,
            pos: h.pos,
        });
    }
    // Names built from parts: "Notice/Consent for Formal Individual Evaluation", "Parent
    // Permission for Speech-Language Testing": consent words followed, within a few words, by
    // what the consent is for.
    let words: Vec<(usize, &str)> = word_positions(&folded);
    for (k, &(pos, w)) in words.iter().enumerate() {
        if matches!(w, "consent" | "permission" | "authorization") {
            let object = words[k + 1..]
                .iter()
                .take(7)
                .find(|(_, v)| CONSENT_OBJECTS.iter().any(|o| v.starts_with(o)));
            if let Some(&(_, o)) = object {
                out.push(TitleMatch {
                    size: 2,
                    coverage: 0.5,
                    exact: false,
                    line: usize::MAX,
                    phrase: if w == "consent" {
                        "consent for …"
                    } else {
                        "permission for …"
                    },
                    kind: "consent",
                    priority: 3,
                    pos,
                });
                let _ = o;
                break;
            }
        }
    }
    // A heading that asks for something ("Request for an Independent Evaluation", "Letter
    // Requesting an IEP Meeting") is a request letter, not the thing it asks for; so is a
    // letter's heading that names its topic ("Letter Re: Prior Written Notice").
    let letter_about = words
        .windows(2)
        .find(|w| {
            w[0].1 == "letter" && matches!(w[1].1, "re" | "regarding" | "about" | "to" | "responding" | "in")
        })
        .map(|w| w[0]);
    if let Some(&(rpos, _)) = words
        .iter()
        .find(|(_, w)| matches!(*w, "request" | "requesting" | "requests" | "requested"))
        .or(letter_about.as_ref())
    {
        for m in out.iter_mut() {
            let asks_for = m.pos > rpos
                && !m.exact
                && !matches!(
                    m.kind,
                    "mediation_request"
                        | "due_process"
                        | "state_complaint"
                        | "consent"
                        | "letter"
                        | "decision"
                );
            if asks_for {
                m.kind = "letter";
                m.priority = m.priority.max(3);
            }
        }
    }
    // A heading that calls the paper a letter and names nothing else ("A Letter to My Son's
    // IEP Team", "An Open Letter to My Son's Teacher", "Letter to Parents"): a letter, whoever
    // wrote it.
    if out.is_empty()
        && words.len() <= 12
        && let Some(&(pos, _)) = words.iter().find(|(_, w)| *w == "letter")
    {
        out.push(TitleMatch {
            phrase: "letter",
            kind: "letter",
            priority: 3,
            size: 1,
            coverage: 1.0 / words.len() as f32,
            exact: false,
            line: usize::MAX,
            pos,
        });
    }
    out
}

impl TitleMatch {
    /// The line is a real paper's title and nothing more: it names the paper, whatever other
    /// names the table has for parts of it.
    fn whole(&self) -> bool {
        self.exact && self.coverage >= 0.999
    }
}

/// What a consent form asks consent for.
const CONSENT_OBJECTS: &[&str] = &[
    "evaluat",
    "reevaluat",
    "re-evaluat",
    "assess",
    "test",
    "screen",
    "service",
    "placement",
    "provision",
    "release",
    "disclos",
    "exchange",
    "information",
    "record",
    "bill",
    "medicaid",
    "insurance",
    "fba",
    "functional",
    "observ",
    "excus",
    "attend",
    "invit",
    "agenc",
    "particip",
];

/// Words of a folded line with their byte positions.
fn word_positions(folded: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in folded.char_indices() {
        if c.is_alphanumeric() || c == '-' {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push((s, &folded[s..i]));
        }
    }
    if let Some(s) = start {
        out.push((s, &folded[s..]));
    }
    out
}

/// "IEP", "IEP — Annual Review 2023", "Draft IEP": the line is an IEP's own title.
fn bare_iep_title(folded: &str) -> bool {
    // A form's field caption ("IEP Date", "IEP Case Manager") names a field, not the document.
    const FIELD_WORDS: &[&str] = &[
        "date",
        "dates",
        "name",
        "number",
        "no",
        "id",
        "type",
        "code",
        "status",
        "manager",
        "team",
        "members",
        "goals",
        "services",
        "page",
        "for",
        "questions",
        "about",
        "notes",
        "mtg",
    ];
    if folded
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| FIELD_WORDS.contains(&w))
    {
        return false;
    }
    const ALLOWED: &[&str] = &[
        "iep",
        "annual",
        "initial",
        "review",
        "triennial",
        "draft",
        "interim",
        "transfer",
        "revised",
        "amended",
        "the",
        "student",
        "s",
        "final",
        "meeting",
        "document",
        "copy",
        "and",
        "of",
        "signed",
        "page",
    ];
    let other = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .filter(|w| !ALLOWED.contains(w))
        .filter(|w| !super::dates::is_month_word(w))
        .count();
    other <= 1
}

/// The case caption of a dispute (a decision, a complaint, an order): two or more caption cues
/// on page 1.
pub fn has_caption(doc: &Doc<'_>, body: &Found<'_>) -> bool {
    // A case citation at the top ("Fry v. Napoleon Cmty. Schs, No. 14-1137 (6th Cir. 2016)",
    // "M.C. v. Antelope Valley, 858 F.3d 1189"): a court's paper.
    let citation = doc.page_lines(0).iter().take(12).any(|l| {
        let t = l.text;
        (t.contains(" v. ") || t.contains(" V. "))
            && [
                " Cir.", "F.3d", "F.2d", "F.4th", "F. Supp", " U.S. ", "S. Ct.", "S.Ct.", "P.2d", "P.3d",
                "A.2d", "A.3d", "N.E.", "N.W.", "S.W.", "So. 2d", "LEXIS", "WL ",
            ]
            .iter()
            .any(|r| t.contains(r))
    });
    if citation {
        return true;
    }
    // No caption word anywhere in the paper: no caption (most papers; nothing is folded again).
    if !CAPTION_CUES.iter().any(|c| body.has(c)) {
        return false;
    }
    // A caption is set in short lines; a sentence that says "before the" is not one.
    let lines: Vec<String> = doc
        .page_lines(0)
        .iter()
        .take(60)
        .map(|l| {
            // A long line's first words only (no copy of the rest).
            let mut words = l.text.split_whitespace();
            if words.by_ref().nth(12).is_none() {
                return fold(l.text);
            }
            let end = l.text.split_whitespace().nth(5).map_or(l.text.len(), |w| {
                w.as_ptr() as usize - l.text.as_ptr() as usize + w.len()
            });
            fold(&l.text[..end])
        })
        .collect();
    let first = lines.join("\n");
    let versus = lines.iter().any(|l| {
        matches!(l.as_str(), "v." | "v" | "vs." | "vs" | "versus")
            || ((l.contains(" v. ") || l.contains(" vs. ") || l.contains(" v "))
                && l.split_whitespace().count() >= 3)
    });
    // An agency's name alone (a form's letterhead) is not a caption.
    let agency = ["department of education", "department of public instruction"]
        .iter()
        .filter(|c| has_phrase(&first, c))
        .count();
    let cues = caption_cues(&first);
    cues - agency + usize::from(versus) >= 2
        || (agency > 0 && cues - agency + usize::from(versus) >= 1 && cues >= 3)
}

/// How many of the caption cues `text` holds as phrases (as [`has_phrase`] finds each one),
/// all found in one pass over the text.
fn caption_cues(text: &str) -> usize {
    static A: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> = std::sync::OnceLock::new();
    let Some(automaton) = A.get_or_init(|| aho_corasick::AhoCorasick::new(CAPTION_CUES).ok()) else {
        return CAPTION_CUES.iter().filter(|c| has_phrase(text, c)).count();
    };
    let b = text.as_bytes();
    let mut seen = vec![false; CAPTION_CUES.len()];
    for m in automaton.find_overlapping_iter(text) {
        let needle = CAPTION_CUES[m.pattern().as_usize()].as_bytes();
        let check_start = needle.first().is_some_and(u8::is_ascii_alphanumeric);
        let check_end = needle.last().is_some_and(u8::is_ascii_alphanumeric);
        let before_ok = !check_start || m.start() == 0 || !b[m.start() - 1].is_ascii_alphanumeric();
        let after_ok = !check_end || m.end() >= b.len() || !b[m.end()].is_ascii_alphanumeric();
        if before_ok && after_ok {
            seen[m.pattern().as_usize()] = true;
        }
    }
    seen.iter().filter(|s| **s).count()
}

/// What a paper is by its shape, before any of its words about other papers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// A salutation and a closing, or a memo's To/From block.
    Letter,
    /// A guide, handbook, FAQ, fact sheet, instructions: written for any reader, about papers.
    Publication,
    /// Neither: a form, a report, notes.
    Other,
}

/// Kinds a paper in letter form can be when its heading names them: notices and decisions are
/// often sent as letters, and a parent's request for mediation or a complaint is one. Any other
/// kind a letter's heading names is what the letter is about, not what it is.
const LETTER_KINDS: &[&str] = &[
    "prior_written_notice",
    "meeting_notice",
    "discipline",
    "decision",
    "medical",
    "mediation_request",
    "state_complaint",
    "due_process",
    "consent",
    "settlement_agreement",
    "mediation_agreement",
    "procedural_safeguards",
    "letter",
];

/// Kinds only a school or an agency writes: a parent's paper that names one is about it.
const DISTRICT_ONLY: &[&str] = &[
    "iep",
    "iep_amendment",
    "evaluation",
    "eligibility",
    "fba",
    "bip",
    "plan_504",
    "progress_report",
    "report_card",
    "prior_written_notice",
    "meeting_notice",
    "procedural_safeguards",
    "discipline",
    "manifestation_determination",
    "service_log",
    "decision",
];

/// Words that make a heading a publication about a kind rather than a paper of it: "A Parent's
/// Guide to Prior Written Notice", "Questions and Answers on Meeting Notices", "IEP Amendment
/// Procedures".
const PUBLICATION_WORDS: &[&str] = &[
    "rule",
    "rules",
    "regulation",
    "regulations",
    "tip",
    "tip of the day",
    "for parents",
    "for families",
    "guide",
    "guides",
    "guidance",
    "guidebook",
    "guideline",
    "guidelines",
    "handbook",
    "manual",
    "faq",
    "faqs",
    "frequently asked questions",
    "questions and answers",
    "questions & answers",
    "q&a",
    "q & a",
    "q and a",
    "overview",
    "tips",
    "fact sheet",
    "factsheet",
    "toolkit",
    "tool kit",
    "brochure",
    "technical assistance",
    "what is",
    "what are",
    "understanding",
    "introduction to",
    "webinar",
    "how to",
    "instructions",
    "directions",
    "procedures",
    "prep sheet",
    "meeting prep",
    "general information",
    "information for parents",
    "explained",
    "policy",
];

/// Phrases a publication uses of itself near its start.
const PUBLICATION_SELF: &[&str] = &[
    "this guide",
    "this handbook",
    "this booklet",
    "this brochure",
    "this fact sheet",
    "this publication",
    "this manual",
    "this toolkit",
    "this resource",
    "this q&a",
    "this document provides",
    "this document is intended",
    "this guidance",
    "this article",
    "this blog post",
    "this webinar",
    "frequently asked questions",
    "questions and answers",
];

/// How many of a prior written notice's required parts (34 CFR 300.503(b)(1)-(7)) the first
/// `bytes` of a text name: the action, why, the options considered, why they were rejected, what
/// the decision rests on, other factors.
fn pwn_parts(text: &str, bytes: usize) -> usize {
    const PARTS: &[&[&str]] = &[
        &[
            "description of the action proposed",
            "description of the action refused",
            "action proposed or refused",
            "action the district proposes",
            "action the school proposes",
            "proposed action",
        ],
        &[
            "explanation of why the agency",
            "explanation of why the district",
            "explanation of why the school",
            "why the agency proposes",
            "why the district proposes",
            "reasons for the action",
            "reason for the proposed action",
        ],
        &[
            "options the agency considered",
            "options the district considered",
            "other options considered",
            "options considered",
            "options that were considered",
        ],
        &[
            "were rejected",
            "reasons for rejecting",
            "why those options were rejected",
            "options rejected",
        ],
        &[
            "evaluation procedure, assessment, record, or report",
            "evaluation procedures, assessments, records or reports",
            "evaluation procedure, assessment, record or report",
            "used as a basis for",
        ],
        &[
            "other factors relevant",
            "other factors that are relevant",
            "factors relevant to",
        ],
    ];
    let mut end = bytes.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = fold(&text[..end]);
    PARTS
        .iter()
        .filter(|group| group.iter().any(|p| has_phrase(&head, p)))
        .count()
}

/// A form's own prompt under its heading: a label for the instructions that follow
/// ("Instructions for IEP Teams:") or a question the team answers about the student ("What are
/// the total service delivery needs of this student?"), not a publication's subtitle.
fn form_prompt(line: &str) -> bool {
    let t = line.trim();
    let f = fold(t);
    t.ends_with(':')
        || (t.ends_with('?')
            && ["this student", "the student", "this child", "the child"]
                .iter()
                .any(|w| has_phrase(&f, w)))
}

/// Whether the text calls itself `phrase` ("this guide explains…") within its first `bytes`:
/// not when the words point at an enclosure ("please review this brochure", "you received this
/// booklet", a notice sending the safeguards with it).
fn speaks_of_itself(text: &str, phrase: &str, bytes: usize) -> bool {
    let mut end = bytes.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let hay = &text[..end];
    let hb = hay.as_bytes();
    memchr::memmem::find_iter(hb, phrase.as_bytes()).any(|i| {
        let after = i + phrase.len();
        let bounded = (i == 0 || !hb[i - 1].is_ascii_alphanumeric())
            && (after >= hb.len() || !hb[after].is_ascii_alphanumeric());
        let mut from = i.saturating_sub(40);
        while !hay.is_char_boundary(from) {
            from += 1;
        }
        let before = fold(&hay[from..i]);
        let points_at = [
            "review", "read", "enclosed", "attached", "received", "receive", "copy of",
        ]
        .iter()
        .any(|w| has_phrase(&before, w));
        bounded && !points_at
    })
}

/// The publication word a heading holds, if any.
fn publication_word(line: &str) -> Option<&'static str> {
    let f = fold(line);
    PUBLICATION_WORDS.iter().copied().find(|w| has_phrase(&f, w))
}

/// A heading that presents a sample or model letter ("Sample Letter Requesting an IEE", "Letter
/// Template: Request for Records", "Letter to Revoke Consent for Special Education Services").
fn sample_letter(line: &str) -> bool {
    let f = fold(line);
    [
        "sample letter",
        "model letter",
        "letter template",
        "template letter",
        "sample request",
        "letter to request",
    ]
    .iter()
    .any(|p| has_phrase(&f, p))
        || asking_letter(&f)
}

/// A heading that names a letter by what it asks or does ("Letter to Revoke Consent …", "Letter
/// Requesting an IEE"), not by whom it is to ("Letter to Parents").
fn asking_letter(folded: &str) -> bool {
    let mut w = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    if w.next() != Some("letter") {
        return false;
    }
    const DOES: &[&str] = &[
        "request", "revoke", "withdraw", "ask", "decline", "refuse", "reject", "dispute", "disagree",
        "accept", "give", "notify", "demand", "appeal", "obtain",
    ];
    match w.next() {
        Some("to") => w.next().is_some_and(|v| DOES.contains(&v)),
        Some(v) => v.ends_with("ing") && DOES.iter().any(|d| v.starts_with(&d[..d.len().min(4)])),
        None => false,
    }
}

/// How many of a form's fields for the child are in its first lines ("Child's Name:", "Date
/// of Birth:", "Grade:"), however the text runs them together.
fn form_labels(body: &Found<'_>) -> usize {
    const LABELS: &[&str] = &[
        "name:",
        "date of birth:",
        "dob:",
        "grade:",
        "school:",
        "address:",
        "age:",
        "parent/guardian:",
        "case manager:",
        "date of meeting:",
        "meeting date:",
        "student id:",
        "phone:",
    ];
    let end = body.text.floor_char_boundary(2000);
    let start = &body.text[..end];
    LABELS.iter().filter(|l| start.contains(*l)).count()
}

/// An e-mail kept as text (a copy pasted into a page, a template): a "Subject:" line above its
/// greeting, or the words before the greeting say an e-mail follows ("I received the following
/// email", "her response to my email").
fn message_form(doc: &Doc<'_>, body: &Found<'_>) -> Option<&'static str> {
    let top = doc.page_lines(0);
    let first = doc.pages.first().map_or(0, |p| p.start);
    let subject_at = top
        .iter()
        .take(12)
        .position(|l| super::folded_starts_with(l.text.trim_start(), "subject:"));
    // A date line above the subject ("March 3, 2024", "{{todays_date}}", "Date") is a letter's:
    // an e-mail's date is in its header ("Sent:"), beside its "From:" and "To:".
    let dated_above = subject_at.is_some_and(|at| {
        (0..at).any(|k| {
            let t = fold(top[k].text);
            doc.dates.get(first + k).is_some_and(|d| !d.is_empty())
                || t.split(|c: char| !c.is_alphanumeric())
                    .any(|w| w == "date" || w.ends_with("_date"))
        })
    });
    let header = top.iter().take(12).any(|l| {
        ["from:", "sent:"]
            .iter()
            .any(|h| super::folded_starts_with(l.text.trim_start(), h))
    });
    let subject = subject_at.is_some() && (header || !dated_above);
    // The greetings near the top, folded once: a letter's "Dear …" or a message's "Hello".
    let greetings: Vec<String> = top
        .iter()
        .take(20)
        .map(|l| fold(l.text.trim_start_matches(['"', '\u{201c}', '\''])))
        .filter(|f| {
            ["hello", "hi ", "hi,", "hi-", "dear "]
                .iter()
                .any(|g| f.starts_with(g))
        })
        .collect();
    let greeting = !greetings.is_empty();
    // A letter with a subject line greets "Dear …"; a message, "Hello" or "Hi".
    let informal = greetings.iter().any(|f| !f.starts_with("dear "));
    if subject && informal {
        return Some("an e-mail: a \"Subject:\" line above its greeting");
    }
    let says = [
        "the following email",
        "the following e-mail",
        "response to my email",
        "response to my e-mail",
        "reply to my email",
        "reply to my e-mail",
    ]
    .iter()
    .any(|p| body.has_in_start(p, 400));
    (says && greeting).then_some("an e-mail: the words before its greeting say an e-mail follows")
}

/// A line near the top that names who published the paper ("A publication of the National
/// Dissemination Center for Children with Disabilities", "Published by …").
fn publisher_line(doc: &Doc<'_>) -> Option<&'static str> {
    doc.page_lines(0).iter().take(12).find_map(|l| {
        let f = fold(l.text.trim_start());
        ["a publication of ", "published by ", "a product of "]
            .iter()
            .any(|p| f.starts_with(p))
            .then_some("a line that names its publisher")
    })
}

/// A table of contents in its first pages: the words, or three lines of dot leaders ending in
/// a page number ("Individualized Education Program . . . . 14"). Text kept without line breaks
/// runs the entries together, so the leaders are counted too.
fn table_of_contents(doc: &Doc<'_>, body: &Found<'_>) -> Option<&'static str> {
    if body.has_in_start("table of contents", 3000) {
        return Some("a table of contents");
    }
    let start = &body.text[..body.text.floor_char_boundary(4000)];
    let leaders = start.matches(". . . . .").count() + start.matches(".....").count();
    let lines = doc
        .lines
        .iter()
        .take(80)
        .filter(|l| {
            let t = l.text.trim_end();
            (t.contains(". . .") || t.contains("....")) && t.ends_with(|c: char| c.is_ascii_digit())
        })
        .count();
    (lines >= 3 || leaders >= 3).then_some("a table of contents")
}

/// A web log post: a "Posted on …" or "Posted by …" byline, or comments, near its start.
fn blog_post(doc: &Doc<'_>) -> Option<&'static str> {
    doc.page_lines(0).iter().take(40).find_map(|l| {
        // Most lines are none of these: only a line that mentions posting, comments, questions
        // or answers is folded.
        let t = l.text.as_bytes();
        let maybe = t
            .first()
            .is_some_and(|c| matches!(c.to_ascii_lowercase(), b'p' | b'l' | b'c' | b'q' | b'e' | b'a'))
            || memchr::memmem::find(t, b"osted on").is_some();
        if !maybe {
            return None;
        }
        let f = fold(l.text);
        if f.starts_with("posted on ") || f.starts_with("posted by ") || f.contains(" posted on ") {
            Some("a post with its byline (\"posted on …\")")
        } else if f.starts_with("leave a comment") || f.starts_with("leave a reply") {
            Some("a post with comments")
        } else if f.starts_with("question:")
            || f.starts_with("expert:")
            || f.starts_with("asked by")
            || f.starts_with("answer:")
        {
            Some("a question and its answer on a forum")
        } else {
            None
        }
    })
}

/// A page of a web site or a newspaper, by the parts a site or paper puts around what it
/// says: its navigation ("Skip to main content", "You are here", "Back to top"), its sharing
/// and printing links, a "Last updated" line, a news story's dateline ("BRADENTON -- …") or a
/// letter to the editor. A record printed from a site keeps its own heading, which is read
/// before this.
fn site_page(doc: &Doc<'_>) -> Option<&'static str> {
    const CHROME: &[&str] = &[
        "skip to main content",
        "skip to content",
        "skip navigation",
        "skip to navigation",
        "jump to navigation",
        "jump to a section",
        "you are here",
        "toggle navigation",
        "main navigation",
        "search this site",
        "back to top",
        "print this page",
        "share this page",
        "email this page",
        "last updated",
        "page last updated",
        "last modified",
        "related links",
        "quick links",
        "site map",
        "select language",
        "printer-friendly version",
        "printer friendly version",
        "print-friendly version",
    ];
    let lines = doc.page_lines(0);
    let n = lines.len();
    // The top and the foot of the first page, where a site puts its parts.
    let chrome = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i < 40 || *i + 15 >= n)
        .map(|(_, l)| l.text.trim())
        .filter(|t| t.len() <= 60)
        .find_map(|t| {
            let f = fold(t);
            let f = f.trim_end_matches([':', '.', ' ']);
            CHROME
                .iter()
                .find(|c| f == **c || (f.starts_with(**c) && f.len() <= c.len() + 25))
                .map(|_| "a page of a web site (its navigation and links around the text)")
        });
    if chrome.is_some() {
        return chrome;
    }
    lines.iter().take(12).find_map(|l| {
        let t = l.text.trim();
        let f = fold(t);
        if f == "to the editor" || f == "to the editor:" || f.starts_with("letter to the editor") {
            return Some("a letter to the editor of a newspaper");
        }
        // A dateline: a place in capitals, then " -- " or " — ", then the story.
        let (place, rest) = t.split_once(" -- ").or_else(|| t.split_once(" — "))?;
        let place = place
            .trim()
            .trim_end_matches(|c: char| c == ',' || c.is_ascii_digit());
        let capitals = !place.is_empty()
            && place.len() <= 40
            && place.chars().any(|c| c.is_ascii_uppercase())
            && place
                .chars()
                .all(|c| c.is_ascii_uppercase() || matches!(c, ' ' | '.' | ',' | '\'' | '(' | ')'));
        (capitals && rest.split_whitespace().count() >= 8).then_some("a news story (its dateline)")
    })
}

/// A page that explains under its own questions ("What is a functional behavioral
/// assessment?", "What are my rights?"): a guide, not a record.
fn explains_in_questions(doc: &Doc<'_>) -> Option<&'static str> {
    doc.page_lines(0).iter().take(40).find_map(|l| {
        let t = l.text.trim();
        if !t.ends_with('?') || t.split_whitespace().count() > 12 {
            return None;
        }
        let f = fold(t);
        [
            "what is a ",
            "what is an ",
            "what is the ",
            "what are ",
            "what is ",
            "why is a ",
            "how do i ",
            "how can i ",
        ]
        .iter()
        .any(|q| f.starts_with(q))
        .then_some("a guide that explains under its own questions (\"What is …?\")")
    })
}

/// A letter from a doctor or a therapist about their patient ("a patient in my practice",
/// "under my care"): a medical record, whoever asked for it.
fn clinician_letter(body: &Found<'_>) -> bool {
    [
        "under my care",
        "my patient",
        "is a patient of mine",
        "a patient in my",
        "patient in my practice",
        "i have been treating",
        "i have treated",
        "i am his pediatrician",
        "i am her pediatrician",
        "i am his physician",
        "i am her physician",
        "has been my client",
        "my client in psychotherapy",
        "i am currently seeing him",
        "i am currently seeing her",
        "i have been seeing him",
        "i have been seeing her",
        "in my clinical opinion",
        "[patient]",
    ]
    .iter()
    .any(|p| body.has(p))
}

/// A memo's head: "MEMORANDUM" with To and From lines at the top.
fn is_memo(doc: &Doc<'_>) -> bool {
    let top: Vec<String> = doc
        .page_lines(0)
        .iter()
        .take(30)
        .filter(|l| {
            l.text
                .bytes()
                .next()
                .is_some_and(|c| matches!(c.to_ascii_lowercase(), b'm' | b't' | b'f'))
        })
        .map(|l| fold(l.text))
        .collect();
    let named = top
        .iter()
        .any(|l| l == "memorandum" || l == "memo" || l.starts_with("memorandum ") || l.starts_with("memo "));
    let to = top.iter().any(|l| l.starts_with("to:") || l.starts_with("to :"));
    let from = top
        .iter()
        .any(|l| l.starts_with("from:") || l.starts_with("from :"));
    // Its subject line is below "From:" (a memo's head may leave out "To:" when it lists its
    // readers on their own lines).
    let subject = doc
        .page_lines(0)
        .iter()
        .take(30)
        .any(|l| super::folded_starts_with(l.text, "subject:"));
    // A head of "TO:", "FR:" and "RE:" lines is a memo's, named or not.
    let short_from = top.iter().any(|l| l.starts_with("fr:") || l.starts_with("fr :"));
    let re = doc
        .page_lines(0)
        .iter()
        .take(30)
        .any(|l| super::folded_starts_with(l.text, "re:"));
    (named && from && (to || subject)) || (to && (from || short_from) && (re || subject))
}

/// Decides the kind, and the paper's shape.
pub fn decide(doc: &Doc<'_>, body: &Found<'_>, file: &str, format: &str, settings: &Settings) -> KindResult {
    let mut r = decide_kind(doc, body, file, format, settings);
    // A summary of the case's own papers, written for the family or its advocate ("Documents
    // in this case file … What it is … Key evidence"): the family's working paper, whatever
    // kinds its lines name.
    if r.kind != "other"
        && let Some(why) = case_summary(body)
    {
        r.is_other_by(why.into(), "form", "a summary of the case's papers, by its words");
    }
    // A heading that names its kind in the plural ("State Complaint Investigations", "Hearing
    // Summaries"): a page about, or listing, many such papers, not one of them. (Real papers
    // are named "Child Complaint Decisions" or "Request for Due Process Hearings": those plurals
    // are no sign.)
    if matches!(r.kind.as_str(), "decision" | "state_complaint" | "due_process")
        && let Some(h) = r.heading.as_deref()
        && let Some(last) = fold(h)
            .split(|c: char| !c.is_alphanumeric())
            .rfind(|w| !w.is_empty())
            .map(str::to_string)
        && ["investigations", "summaries"].contains(&last.as_str())
    {
        let why = format!(
            "the heading names many (\"{}\"): a page about such papers, not one",
            super::clip(h)
        );
        r.is_other_by(why, "heading", "the heading names such papers in the plural");
    }
    // An education agency's letter that answers someone's question about the law (OSEP's
    // letters, a state's letters of clarification) is published guidance, whoever asked: no
    // letter in the family's correspondence, no notice, no decision.
    if matches!(
        r.kind.as_str(),
        "parent_letter" | "district_letter" | "meeting_notice" | "prior_written_notice"
    ) && let Some(why) = policy_letter(body)
    {
        r.is_other_by(
            why.into(),
            "letter",
            "an agency's answer to a question about the law, by its words",
        );
    }
    // A school's or an evaluator's record never speaks as the child's parent: a formal kind
    // read from a text that opens with "my son", "our daughter" (a parent's post, question or
    // letter about one) is a guess.
    if r.kind_is_a_record() && parent_voice(body) {
        const WEIGHT: f64 = -1.5;
        let c = r.confidence.clamp(0.01, 0.99);
        let logit = (c / (1.0 - c)).ln() + WEIGHT * CONFIDENCE_SLOPE;
        r.confidence = round2(1.0 / (1.0 + (-logit).exp()));
        r.confidence_why.push_str(&format!(
            "; it speaks as the child's parent (\"my son\", \"our child\") ({WEIGHT:.1})"
        ));
    }
    let heading = r.heading.as_deref().unwrap_or("");
    r.shape = Shape {
        // A memo's head (to, from, subject) makes it a dated record, whatever it explains.
        publication: r.kind == "other"
            && !is_memo(doc)
            && r.cues
                .iter()
                .any(|c| c.place == "form" && c.phrase.contains("publication")),
        template: sample_letter(heading)
            || placeholders(doc) >= 2
            || publication_word(heading).is_some_and(|w| w == "template")
            // A letter whose own date line leaves the year to fill in ("June 25, 20___").
            || (matches!(r.kind.as_str(), "parent_letter" | "district_letter")
                && blank_year(doc)),
    };
    r
}

/// A date line in the first lines whose year is left blank to fill in ("Date: June 25, 20___",
/// "__/__/20__"): the paper is a sample, whatever date stands above it.
fn blank_year(doc: &Doc<'_>) -> bool {
    doc.lines.iter().take(40).any(|l| {
        let b = l.text.as_bytes();
        b.windows(4).enumerate().any(|(i, w)| {
            (w.starts_with(b"20") || w.starts_with(b"19"))
                && w[2] == b'_'
                && w[3] == b'_'
                && (i == 0 || !b[i - 1].is_ascii_digit())
        }) && fold(l.text).contains("date")
    })
}

/// The parent's own voice in the first lines of a text: "my son", "our daughter", "my child".
fn parent_voice(body: &Found<'_>) -> bool {
    const SAYS: &[&str] = &[
        "my son",
        "my daughter",
        "my child",
        "my sons",
        "my kid",
        "our son",
        "our daughter",
        "our child",
    ];
    SAYS.iter().any(|p| body.has_in_start(p, 1500))
}

impl KindResult {
    /// What the paper says of itself overrules the kind found before: it is none of the
    /// evidence kinds. The kind it had becomes the runner-up; the confidence is a plain 72%,
    /// just above what `review` lists (one signal, read from the paper's own words).
    fn is_other_by(&mut self, why: String, place: &str, sure: &str) {
        self.cues.insert(
            0,
            Cue {
                kind: "other".into(),
                phrase: why,
                place: place.into(),
                weight: 12.0,
            },
        );
        self.runner_up = Some((self.kind.clone(), round2(self.confidence.min(0.5))));
        self.kind = "other".into();
        self.confidence = 0.72;
        self.confidence_why = format!("{sure} (+2.0)");
    }

    /// A record a school, an evaluator, a hearing officer or the parties write (not a letter,
    /// a message, notes, a filing, a consent the parent signs or a paper of no known kind).
    fn kind_is_a_record(&self) -> bool {
        !matches!(
            self.kind.as_str(),
            "parent_letter"
                | "district_letter"
                | "email"
                | "meeting_notes"
                | "other"
                | "state_complaint"
                | "due_process"
                | "mediation_request"
                | "medical"
                | "work_sample"
                // A parent signs a consent in the first person ("I give permission for my
                // child to be evaluated"); a notice of rights asks the parent's questions ("Can I
                // see my child's records?").
                | "consent"
                | "procedural_safeguards"
        )
    }
}

/// Placeholders a template leaves for the writer ("[Date]", "(Name of School District)",
/// "<child's name>", "[Your Name]").
fn placeholders(doc: &Doc<'_>) -> usize {
    doc.lines
        .iter()
        .take(80)
        .filter(|l| l.text.contains(['[', '(', '<']))
        .filter(|l| {
            let f = fold(l.text);
            [
                "[date]",
                "[your name",
                "[name",
                "(name of",
                "<name",
                "[child",
                "(child's name",
                "[student",
                "[insert",
                "(insert",
                "[school",
                "[address",
                "(date)",
                "<date>",
                "[parent",
            ]
            .iter()
            .any(|p| f.contains(p))
        })
        .count()
}

fn decide_kind(doc: &Doc<'_>, body: &Found<'_>, file: &str, format: &str, settings: &Settings) -> KindResult {
    let caption = has_caption(doc, body);
    let fields = form_fields(body);
    let (body_scores, body_cues) = body_fingerprints(body, file);
    let memo = is_memo(doc);
    let letter_shape = if memo {
        Some("a memo (To:, From:, Re:)")
    } else {
        letter_form(doc, body)
    };
    let letter = letter_shape.is_some();
    let mut heading = best_heading(doc, caption);
    // Under a court's caption, the complaint named is the case the court decides ("In re
    // Special Education Complaint 22-027C, Court of Appeals of Minnesota").
    if caption
        && let Some((m, _)) = heading.as_mut()
        && matches!(m.kind, "state_complaint" | "due_process")
        && court_paper(doc)
    {
        m.kind = "decision";
        m.priority = 4;
    }
    // A publication names itself so in its first headings ("Questions and Answers on …", "…
    // for Parents"), speaks of itself ("this guide"), or is a post with its byline.
    // Above the heading that names a kind ("QUESTIONS AND ANSWERS ON … / Meeting Notice Form"),
    // or in it and the line under it ("Postsecondary Transition Planning / for Parents").
    let heading_at = heading.as_ref().map_or(usize::MAX, |(m, _)| m.line);
    let published_above = doc
        .heading_candidates()
        .iter()
        .take(4)
        .filter(|&&i| i < heading_at)
        .find_map(|&i| publication_word(doc.lines[i].text));
    let published_heading = published_above
        .or_else(|| heading.as_ref().and_then(|(_, line)| publication_word(line)))
        .or_else(|| {
            doc.heading_candidates()
                .iter()
                .find(|&&i| i == heading_at.wrapping_add(1))
                .filter(|&&i| !form_prompt(doc.lines[i].text))
                .and_then(|&i| publication_word(doc.lines[i].text))
        });
    // A blank form's heading cites the rule it carries out ("Maine Unified Special Education
    // Regulations (MUSER IX.3.G.) Individualized Education Program"): a form, not a publication.
    let published_heading = published_heading.filter(|w| {
        !(matches!(*w, "rule" | "rules" | "regulation" | "regulations")
            && (super::docdate::is_blank_form(doc) || form_labels(body) >= 3))
    });
    let self_published = PUBLICATION_SELF
        .iter()
        .copied()
        .find(|p| speaks_of_itself(body.text, p, 3000))
        .or_else(|| blog_post(doc))
        .or_else(|| explains_in_questions(doc))
        // A decision or a notice of rights published on a site is still that.
        .or_else(|| {
            let top = ranked(&body_scores).first().map_or("other", |t| t.0);
            site_page(doc).filter(|w| {
                w.starts_with("a news")
                    || w.contains("editor")
                    || !caption && !matches!(top, "decision" | "procedural_safeguards")
            })
        });
    // A book's parts: a table of contents, or a line naming its publisher ("A publication of
    // the National Dissemination Center …"). Either makes it a publication even when it holds
    // sample letters.
    // (A notice of rights, a decision or a report with a table of contents is still that.)
    let book = publisher_line(doc).or_else(|| {
        let top = ranked(&body_scores).first().map_or("other", |t| t.0);
        table_of_contents(doc, body).filter(|_| {
            !matches!(
                top,
                "procedural_safeguards" | "decision" | "evaluation" | "iee" | "fba"
            )
        })
    });
    let self_published = self_published.or(book);
    let form = match (published_heading, self_published) {
        _ if book.is_some() => Form::Publication,
        (Some(_), _) => Form::Publication,
        (_, Some(_)) if !letter => Form::Publication,
        _ if letter => Form::Letter,
        _ => Form::Other,
    };
    // Every kind the file name names ("Decision of state complaints officer" names two).
    let file_kinds: Vec<String> = body_cues
        .iter()
        .filter(|c| c.place == "file")
        .map(|c| c.kind.clone())
        .collect();
    let file_kind = &file_kinds[..];

    // A few of a kind's words deep in the page ("Discussed evaluation results…" on an IEP's
    // fourth line) name what the paper speaks of, not what it is, when its body is plainly
    // another kind's.
    let heading = heading.filter(|(m, _)| {
        let early = m.line == usize::MAX || doc.heading_candidates().iter().take(2).any(|&i| i == m.line);
        let (top, top_score) = ranked(&body_scores).first().copied().unwrap_or(("other", 0.0));
        let body_for = body_scores.get(m.kind).copied().unwrap_or(0.0);
        m.exact || m.coverage >= 0.5 || early || top == m.kind || top_score < 9.0 || body_for >= 3.0
    });

    // 1. A heading that names the paper.
    if let Some((m, line)) = heading {
        let mut cues = vec![Cue {
            kind: m.kind.into(),
            phrase: format!("{} — the heading reads: {}", m.phrase, super::clip(&line)),
            place: "heading".into(),
            weight: 20.0 + f64::from(m.priority),
        }];
        let mut kind = m.kind.to_string();
        let early = m.line == usize::MAX || doc.heading_candidates().iter().take(2).any(|&i| i == m.line);
        let mut ev = Evidence::new(if m.whole() {
            Source::WholeTitle
        } else if m.exact {
            Source::Title
        } else if m.coverage >= 0.5 {
            Source::Heading
        } else {
            Source::PartHeading
        });
        ev.early = Some(early);
        if let (Some(k), Some(why)) = evaluator(doc, body, settings, m.kind) {
            kind = k.into();
            cues.push(Cue {
                kind: kind.clone(),
                phrase: why,
                place: "letterhead".into(),
                weight: 10.0,
            });
        }
        if let Some(w) = published_heading
            .or(self_published)
            .filter(|_| {
                // A publication's heading that names such papers in the plural ("Behavior
                // Intervention Plans") is its topic even when it is a known title.
                let last = |t: &str| {
                    fold(t)
                        .split(|c: char| !c.is_alphanumeric())
                        .rfind(|w| !w.is_empty())
                        .map(str::to_string)
                };
                let plural = matches!((last(&line), last(m.phrase)), (Some(h), Some(p)) if h == format!("{p}s"));
                form == Form::Publication && (!m.whole() || plural || published_above.is_some() || book.is_some())
            })
            && !matches!(kind.as_str(), "procedural_safeguards" | "other" | "decision")
            // A report long enough to have a table of contents is still the report.
            && !(book.is_some() && published_heading.is_none() && matches!(kind.as_str(), "evaluation" | "iee" | "fba"))
            // A request named in a publication's heading ("Parent Requests for Evaluation
            // Procedures") is its topic, unless the paper holds the letter or presents one.
            && !(kind == "letter" && book.is_none() && (letter || sample_letter(&line)))
        {
            cues.push(Cue {
                kind: "other".into(),
                phrase: format!(
                    "\"{w}\" in the heading: a publication about {}, not one",
                    kinds::label(&kind).to_lowercase()
                ),
                place: "form".into(),
                weight: 15.0,
            });
            kind = "other".into();
        }
        // A district's generic report heading ("Assessment Report") over a functional
        // behavioral assessment's parts is the FBA.
        if kind == "evaluation"
            && !m.exact
            && body_scores.get("fba").copied().unwrap_or(0.0) >= 6.0
            && body_scores.get("fba") > body_scores.get("evaluation")
        {
            cues.push(Cue {
                kind: "fba".into(),
                phrase: "a behavior assessment's parts under a general report heading".into(),
                place: "body".into(),
                weight: 10.0,
            });
            kind = "fba".into();
        }
        // A notice's required parts (34 CFR 300.503(b)) right under a heading that names its
        // subject ("Individualized Education Program", "Determination (Re-Evaluation)"): the
        // paper is the prior written notice about that subject.
        if !matches!(
            kind.as_str(),
            "prior_written_notice" | "consent" | "meeting_notice" | "procedural_safeguards" | "decision"
        ) && pwn_parts(body.text, 2500) >= if m.exact { 4 } else { 3 }
        {
            cues.push(Cue {
                kind: "prior_written_notice".into(),
                phrase: format!(
                    "a prior written notice's parts (the action proposed, why, the options considered) under a heading about {}",
                    with_article(kinds::label(&kind)).to_lowercase()
                ),
                place: "body".into(),
                weight: 12.0,
            });
            kind = "prior_written_notice".into();
        }
        let (who, why, strength) = sender(doc, body, settings);
        // A sample letter published for parents is the parent's letter, whatever words of the
        // district it quotes ("your child" in its instructions).
        // A heading that asks for something is the asker's: a family asks for evaluations,
        // records, meetings and IEEs.
        let sample = sample_letter(&line) || (m.kind == "letter" && m.phrase != "letter");
        let (who, why, strength) = if sample && !(who == Sender::District && strength >= 3) {
            (
                Sender::Parent,
                format!("a sample letter for parents (\"{}\")", super::clip(&line)),
                3,
            )
        } else {
            (who, why, strength)
        };
        let topic_only = memo || (kind == "other" && form == Form::Letter);
        if letter
            && (memo || !m.whole())
            && (topic_only || !LETTER_KINDS.contains(&kind.as_str()))
            && kind != "letter"
        {
            // A letter about an IEP, an evaluation or a notice is a letter.
            cues.push(Cue {
                kind: who.kind().into(),
                phrase: format!(
                    "a letter (salutation and closing) about {}: what the paper is comes before what it is about",
                    with_article(kinds::label(&kind))
                ),
                place: "letter".into(),
                weight: 12.0,
            });
            kind = "letter".into();
        } else if letter && who == Sender::Parent && strength >= 3 && DISTRICT_ONLY.contains(&kind.as_str()) {
            cues.push(Cue {
                kind: "parent_letter".into(),
                phrase: format!(
                    "written by the parent, so about {} rather than one",
                    with_article(kinds::label(&kind))
                ),
                place: "sender".into(),
                weight: 12.0,
            });
            kind = "letter".into();
        }
        if kind == "letter" {
            kind = agency_ruling(body)
                .map(|_| "decision")
                .or_else(|| pwn_letter(body, who))
                .or_else(|| (who == Sender::District && discipline_letter(body)).then_some("discipline"))
                .or_else(|| parent_filing(body, who))
                .or_else(|| (strength < 3 && clinician_letter(body)).then_some("medical"))
                .unwrap_or(who.kind())
                .into();
            cues.push(Cue {
                kind: kind.clone(),
                phrase: why,
                place: "sender".into(),
                weight: 8.0,
            });
            ev.sender = Some(strength);
        }
        // The heading named what the paper is about; its form or its parts said what it is: the
        // heading's weight goes to what decided, and the disagreement counts against.
        // (A publication's heading names both: "A Guide to the IEP".)
        if kind != m.kind && m.kind != "letter" && kind != "other" {
            ev.source = if matches!(kind.as_str(), "parent_letter" | "district_letter" | "email") {
                Source::Letter
            } else {
                Source::Parts
            };
            ev.early = None;
            ev.heading_other = true;
        }
        ev.weigh(&kind, &body_scores, file_kind, form, fields);
        cues.extend(body_cues.iter().filter(|c| c.kind == kind).cloned());
        let runner_up = runner(&body_scores, &kind);
        return KindResult {
            heading: Some(line),
            confidence: ev.confidence(),
            confidence_why: ev.explain(),
            kind,
            cues,
            runner_up,
            shape: Shape::default(),
        };
    }

    // 2. No heading names it: its form.
    if caption {
        let mut r = dispute_by_body(body, &body_scores, body_cues);
        let mut ev = Evidence::new(Source::Caption);
        ev.weigh(&r.kind, &body_scores, file_kind, form, fields);
        r.confidence = ev.confidence();
        r.confidence_why = ev.explain();
        return r;
    }
    if let Some(why) = message_form(doc, body) {
        let mut ev = Evidence::new(Source::Letter);
        ev.weigh("email", &body_scores, file_kind, form, fields);
        return KindResult {
            shape: Shape::default(),
            heading: None,
            kind: "email".into(),
            confidence: ev.confidence(),
            confidence_why: ev.explain(),
            cues: vec![Cue {
                kind: "email".into(),
                phrase: why.into(),
                place: "letter".into(),
                weight: 10.0,
            }],
            runner_up: runner(&body_scores, "email"),
        };
    }
    if let Some(mut r) = family_paper(doc, format) {
        let mut ev = Evidence::new(Source::FamilyPaper);
        ev.weigh(&r.kind, &body_scores, file_kind, form, fields);
        r.confidence = ev.confidence();
        r.confidence_why = ev.explain();
        return r;
    }
    // An agency's letter or report that closes a complaint (its findings, its disposition) is
    // a decision on it.
    if let Some(agency) = agency_ruling(body) {
        let mut ev = Evidence::new(if letter { Source::Letter } else { Source::Body });
        ev.weigh("decision", &body_scores, file_kind, form, fields);
        return KindResult {
            heading: None,
            kind: "decision".into(),
            confidence: ev.confidence(),
            confidence_why: ev.explain(),
            cues: vec![Cue {
                kind: "decision".into(),
                phrase: format!("a letter from {agency} that rules on a complaint"),
                place: "letter".into(),
                weight: 12.0,
            }],
            runner_up: runner(&body_scores, "decision"),
            shape: Shape::default(),
        };
    }
    // A district's notice sent as a letter: its body holds the notice's required parts
    // (a prior written notice's action proposed or refused and why, a meeting's time and
    // purpose).
    if letter && book.is_none() {
        let (who, why, strength) = sender(doc, body, settings);
        let notice = district_notice(body, who);
        let kind = notice.or_else(|| parent_filing(body, who)).unwrap_or(who.kind());
        let mut cues = vec![
            Cue {
                kind: kind.into(),
                phrase: letter_shape.unwrap_or("a letter").into(),
                place: "letter".into(),
                weight: 10.0,
            },
            Cue {
                kind: kind.into(),
                phrase: why,
                place: "sender".into(),
                weight: 8.0,
            },
        ];
        if let Some(k) = notice {
            cues.extend(body_cues.iter().filter(|c| c.kind == k).cloned());
        } else if kind != who.kind() {
            cues.push(Cue {
                kind: kind.into(),
                phrase:
                    "the letter says what it is (a request for mediation, a complaint) in its first lines"
                        .into(),
                place: "letter".into(),
                weight: 10.0,
            });
        }
        let mut ev = Evidence::new(Source::Letter);
        ev.sender = Some(strength);
        ev.weigh(kind, &body_scores, file_kind, form, fields);
        return KindResult {
            shape: Shape::default(),
            heading: None,
            kind: kind.into(),
            confidence: ev.confidence(),
            confidence_why: ev.explain(),
            cues,
            runner_up: runner(&body_scores, kind),
        };
    }
    if form == Form::Publication {
        let mut ev = Evidence::new(Source::Publication);
        ev.weigh("other", &body_scores, file_kind, form, fields);
        return KindResult {
            shape: Shape::default(),
            heading: None,
            kind: "other".into(),
            confidence: ev.confidence(),
            confidence_why: ev.explain(),
            cues: vec![Cue {
                kind: "other".into(),
                phrase: format!(
                    "a publication: it calls itself \"{}\"",
                    self_published.unwrap_or("a guide")
                ),
                place: "form".into(),
                weight: 10.0,
            }],
            runner_up: runner(&body_scores, "other"),
        };
    }

    // 3. The body's fingerprints, then the file name. A prior written notice's parts in its
    // first lines make it one, whatever else it speaks of.
    let mut r = if pwn_parts(body.text, 2500) >= 3 {
        let mut cues: Vec<Cue> = body_cues
            .into_iter()
            .filter(|c| c.kind == "prior_written_notice")
            .collect();
        cues.push(Cue {
            kind: "prior_written_notice".into(),
            phrase: "a prior written notice's parts (the action proposed, why, the options considered)"
                .into(),
            place: "body".into(),
            weight: 12.0,
        });
        KindResult {
            shape: Shape::default(),
            confidence_why: String::new(),
            heading: None,
            kind: "prior_written_notice".into(),
            confidence: 0.0,
            cues,
            runner_up: runner(&body_scores, "prior_written_notice"),
        }
    } else {
        by_scores(body, &body_scores, body_cues)
    };
    let mut ev = Evidence::new(if r.kind == "other" {
        Source::Nothing
    } else if body.text.trim().is_empty() {
        Source::FileName
    } else {
        Source::Body
    });
    ev.weigh(&r.kind, &body_scores, file_kind, form, fields);
    // A form's kind read from words alone, in a text with no form in it (no fields, no blanks):
    // a page about such papers as likely as one of them.
    ev.prose = ev.source == Source::Body && FORM_KINDS.contains(&r.kind.as_str()) && fields <= 2;
    // Such prose that sends its reader on ("please contact …", "for more information") is a
    // page that explains those papers to the public: not one of them.
    if ev.prose
        && let Some(w) = INFO_PAGE.iter().find(|w| body.has(w))
    {
        let about = kinds::label(&r.kind).to_lowercase();
        r.cues.push(Cue {
            kind: "other".into(),
            phrase: format!("a page that explains {about} to its readers (\"{w}\"), with no form in it"),
            place: "form".into(),
            weight: 10.0,
        });
        r.runner_up = Some((r.kind.clone(), 0.0));
        r.kind = "other".into();
        let mut nothing = Evidence::new(Source::Nothing);
        nothing.weigh("other", &body_scores, file_kind, form, fields);
        r.confidence = nothing.confidence();
        r.confidence_why = nothing.explain();
        return r;
    }
    r.confidence = ev.confidence();
    r.confidence_why = ev.explain();
    r
}

/// What a page written for the public says to send its reader on.
const INFO_PAGE: &[&str] = &[
    "please contact",
    "for more information",
    "for additional information",
    "for further information",
    "learn more",
    "click here",
    "visit our",
    "our website",
    "this page",
];

/// Kinds that are forms a district fills in (a page about one reads as prose).
const FORM_KINDS: &[&str] = &[
    "iep",
    "iep_amendment",
    "prior_written_notice",
    "meeting_notice",
    "consent",
    "progress_report",
    "plan_504",
    "eligibility",
    "bip",
    "fba",
    "manifestation_determination",
    "discipline",
    "test_scores",
    "service_log",
    "evaluation",
    "due_process",
    "state_complaint",
    "records_request",
];

/// How many fields a form would have in the first lines: labels with their colon ("Student:",
/// "Date of Meeting:"), fill-in lines and check boxes.
fn form_fields(body: &Found<'_>) -> usize {
    let start = &body.text[..body.text.floor_char_boundary(2000)];
    let b = start.as_bytes();
    let labels = (1..b.len())
        .filter(|&i| {
            b[i] == b':'
                && (b[i - 1].is_ascii_alphabetic() || b[i - 1] == b')')
                && b.get(i + 1).is_none_or(|c| c.is_ascii_whitespace())
        })
        .count();
    let blanks = start.matches("___").count()
        + start.matches('\u{2610}').count()
        + start.matches('\u{25a1}').count()
        + start.matches("[ ]").count();
    labels + blanks
}

/// Where a kind came from: how much it says on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// The heading is, word for word, a title seen on real papers of that kind.
    WholeTitle,
    /// The heading is such a title, give or take a word (a district's name).
    Title,
    /// The heading holds a kind's name and little else.
    Heading,
    /// The heading holds a kind's name among other words.
    PartHeading,
    /// A letter's form, with its sender.
    Letter,
    /// A case caption.
    Caption,
    /// The family's own list or notes, by their shape.
    FamilyPaper,
    /// A publication, by what it says of itself.
    Publication,
    /// Its parts under a heading about something else (a notice's required parts, a behavior
    /// assessment's sections under a general report heading).
    Parts,
    /// The body's words alone.
    Body,
    /// The file name alone (no text).
    FileName,
    /// Nothing names it.
    Nothing,
}

/// The independent signals behind a kind, weighed into a confidence. Each signal that agrees
/// with the kind (the body's words, the file name, the letter's sender) adds to it; each that
/// names another kind takes from it. The weights were set on the labelled sets beside the
/// project (tests/accuracy.rs prints how well the confidence tells right answers from wrong).
struct Evidence {
    source: Source,
    /// The heading stood at the top of the first page.
    early: Option<bool>,
    /// How much more evidence the letter's sender has than the other side.
    sender: Option<u32>,
    /// Body words for this kind; for the best other kind.
    body_for: f64,
    body_other: f64,
    /// The file name names this kind (true) or another (false).
    file: Option<bool>,
    /// The paper reads as a publication but the kind is not one.
    publication_conflict: bool,
    /// The paper reads as a publication and the kind says so.
    publication_agrees: bool,
    /// The heading names another kind (what the paper is about).
    heading_other: bool,
    /// A form's kind from words alone, in a text with no form in it.
    prose: bool,
    /// A form's kind on a paper laid out as a form.
    form_layout: bool,
}

impl Evidence {
    fn new(source: Source) -> Evidence {
        Evidence {
            source,
            early: None,
            sender: None,
            body_for: 0.0,
            body_other: 0.0,
            file: None,
            publication_conflict: false,
            publication_agrees: false,
            heading_other: false,
            prose: false,
            form_layout: false,
        }
    }

    fn weigh(
        &mut self,
        kind: &str,
        body: &BTreeMap<&'static str, f64>,
        file_kinds: &[String],
        form: Form,
        fields: usize,
    ) {
        // A form's kind on a paper laid out as a form (fields, blanks): layout and kind agree.
        self.form_layout = FORM_KINDS.contains(&kind) && fields >= 3;
        self.body_for = body.get(kind).copied().unwrap_or(0.0);
        self.body_other = body
            .iter()
            .filter(|(k, _)| **k != kind)
            .map(|(_, v)| *v)
            .fold(0.0, f64::max);
        let neutral = matches!(kind, "other" | "parent_letter" | "district_letter" | "email");
        self.file = if file_kinds.iter().any(|f| f == kind) {
            Some(true)
        } else if !file_kinds.is_empty() && !neutral {
            Some(false)
        } else {
            None
        };
        self.publication_agrees = form == Form::Publication && kind == "other";
        self.publication_conflict = form == Form::Publication
            && !matches!(
                kind,
                "other" | "procedural_safeguards" | "parent_letter" | "decision"
            );
    }

    /// Each signal's weight, in words.
    fn terms(&self) -> Vec<(&'static str, f64)> {
        let mut t: Vec<(&'static str, f64)> = vec![match self.source {
            Source::WholeTitle => ("the heading is a title seen on real papers of this kind", 3.2),
            Source::Title => ("the heading is such a title, give or take a word", 2.8),
            Source::Heading => ("the heading names it", 2.3),
            Source::PartHeading => ("the heading names it among other words", 1.7),
            Source::Letter => ("a letter, by its form", 1.9),
            Source::Caption => ("a case caption", 2.0),
            Source::FamilyPaper => ("the family's own list or notes, by their shape", 1.7),
            Source::Publication => ("a publication, by what it says of itself", 1.8),
            Source::Parts => ("its parts are this kind's", 2.0),
            Source::Body => ("the body's words alone", 0.2 + (self.body_for / 10.0).min(0.9)),
            Source::FileName => ("the file name alone", 0.2),
            Source::Nothing => ("nothing names it", 0.0),
        }];
        if self.heading_other {
            t.push(("the heading names another kind (what it is about)", -0.3));
        }
        match self.early {
            Some(true) => t.push(("the heading is at the top of the first page", 0.3)),
            Some(false) => t.push(("the heading is not at the top of the first page", -0.5)),
            None => {}
        }
        if self.body_for >= 6.0 {
            t.push(("the body's words agree", 0.6));
        } else if self.body_for >= 3.0 {
            t.push(("some of the body's words agree", 0.3));
        }
        if self.body_other >= 9.0 && self.body_for < 3.0 && self.source != Source::WholeTitle {
            t.push(("the body's words are another kind's", -1.0));
        } else if self.body_other >= 6.0
            && self.body_other >= self.body_for
            && self.source != Source::WholeTitle
        {
            t.push(("the body's words favour another kind as much", -0.5));
        }
        // A heading alone: nothing else in the paper says the same.
        let heading = matches!(self.source, Source::Title | Source::Heading | Source::PartHeading);
        if self.publication_agrees && self.source != Source::Publication {
            t.push(("it reads as a publication", 0.4));
        }
        if heading
            && self.body_for < 3.0
            && self.file != Some(true)
            && self.sender.is_none_or(|s| s < 3)
            && !self.publication_agrees
        {
            t.push(("nothing else in the paper says the same", -0.5));
        }
        match self.file {
            Some(true) => t.push(("the file name agrees", 0.3)),
            Some(false) => t.push(("the file name names another kind", -0.5)),
            None => {}
        }
        match self.sender {
            Some(0) => t.push(("who wrote it is not clear", -0.7)),
            Some(1 | 2) => {}
            Some(_) => t.push(("who wrote it is clear", 0.5)),
            None => {}
        }
        if self.publication_conflict {
            t.push(("it reads as a publication", -1.5));
        }
        if self.prose {
            t.push((
                "a form's kind, but the text has no form in it (no fields, no blanks)",
                -0.8,
            ));
        }
        if self.form_layout && self.source != Source::WholeTitle {
            t.push(("it is laid out as a form (fields, blanks), as this kind is", 0.4));
        }
        t
    }

    /// The weighed evidence as a probability-like confidence in 0..1.
    fn confidence(&self) -> f64 {
        let s: f64 = self.terms().iter().map(|(_, w)| w).sum();
        // Never certain: a rule can always be wrong on a paper nobody here has seen.
        round2((1.0 / (1.0 + (-(s - 1.2) * CONFIDENCE_SLOPE).exp())).min(0.97))
    }

    /// The signals behind the confidence, for `show`.
    fn explain(&self) -> String {
        self.terms()
            .iter()
            .map(|(what, w)| format!("{what} ({}{w:.1})", if *w >= 0.0 { "+" } else { "" }))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A summary of a case's papers for the family or its advocate: it says it lists the case file
/// and, for each paper, what it is or what it shows.
fn case_summary(body: &Found<'_>) -> Option<&'static str> {
    let file = [
        "documents in this case file",
        "documents in the case file",
        "in this case file",
        "case file summary",
        "summary of the case file",
        "documents reviewed",
    ]
    .iter()
    .any(|p| body.has_in_start(p, 2000));
    let each = [
        "what it is:",
        "key evidence:",
        "why it matters:",
        "what it shows:",
    ]
    .iter()
    .filter(|p| body.has_in_start(p, 4000))
    .count();
    (file && each >= 2).then_some("a summary of the case's papers (a case file, what each paper is and shows), written for the family or its advocate")
}

/// An education agency's answer to a question about the law, by its own words: it names itself
/// as the federal or a state office and says it answers an inquiry or gives a clarification.
fn policy_letter(body: &Found<'_>) -> Option<&'static str> {
    if body.has_in_start("letter of clarification", 1500) {
        return Some("a letter of clarification from an education agency: published guidance");
    }
    let agency = [
        "office of special education programs",
        "osep",
        "office of special education and rehabilitative services",
        "state superintendent",
    ]
    .iter()
    .any(|p| body.has_in_start(p, 2000));
    let answers = [
        "request for clarification",
        "you ask whether",
        "you ask for clarification",
        "you asked whether",
        "your specific inquiry",
        "your specific questions",
        "referred to the office of special education programs",
        "forwarded to the office of special education programs",
        "responds to your",
        "this is in response to your",
    ]
    .iter()
    .any(|p| body.has_in_start(p, 3000));
    (agency && answers).then_some(
        "an education agency's answer to a question about the law (OSEP, a state office): published guidance",
    )
}

/// A district's notice sent as a letter: its body holds the notice's required parts (a prior
/// written notice's action proposed or refused and why, a meeting's time and purpose), or it
/// says it is the written notice of 34 CFR 300.503.
fn district_notice(body: &Found<'_>, who: Sender) -> Option<&'static str> {
    if who != Sender::District {
        return None;
    }
    pwn_letter(body, who)
        .or_else(|| {
            ["prior_written_notice", "meeting_notice"].into_iter().find(|k| {
                // Its parts, not its name: a letter that names a notice is about one.
                CUES.iter()
                    .find(|c| c.kind == *k)
                    .is_some_and(|c| c.strong.iter().filter(|p| body.has(p)).count() >= 2)
            })
        })
        .or_else(|| discipline_letter(body).then_some("discipline"))
}

/// A district's letter that tells the family of a suspension or an expulsion for an incident,
/// in its first lines: the discipline notice itself, whatever else it says.
fn discipline_letter(body: &Found<'_>) -> bool {
    let removes = [
        "suspended from school",
        "is suspended",
        "been suspended",
        "out-of-school suspension",
        "suspension of",
        "expelled",
        "expulsion",
    ]
    .iter()
    .any(|w| body.has_in_start(w, 2000));
    let incident = [
        "incident",
        "disciplinary",
        "code of conduct",
        "code of student conduct",
        "violation of",
        "infraction",
    ]
    .iter()
    .any(|w| body.has_in_start(w, 2500));
    removes && incident
}

/// A district's letter that gives the written notice 34 CFR 300.503 requires: it cites the
/// rule and proposes or refuses an action in its first lines ("Pursuant to … Section 300.503,
/// the District is required to provide written notice … The District is proposing …").
fn pwn_letter(body: &Found<'_>, who: Sender) -> Option<&'static str> {
    if who != Sender::District {
        return None;
    }
    let cites = body.has_in_start("300.503", 3000);
    let acts = [
        "is proposing",
        "proposes to",
        "is refusing",
        "refuses to",
        "has decided to",
    ]
    .iter()
    .any(|w| body.has_in_start(w, 3000));
    (cites && acts).then_some("prior_written_notice")
}

/// An agency (not a district) whose letter rules on a complaint: its letterhead at the top, and
/// the complaint's findings or disposition in its first lines.
fn agency_ruling(body: &Found<'_>) -> Option<&'static str> {
    const AGENCIES: &[&str] = &[
        "office for civil rights",
        "office of administrative hearings",
        "department of education",
        "department of public instruction",
        "state board of education",
        "office of special education programs",
    ];
    // Its letterhead or its first sentence names it (text kept without line breaks runs them).
    let agency = AGENCIES.iter().copied().find(|a| body.has_in_start(a, 1500))?;
    let rules = [
        "disposition",
        "findings",
        "investigation",
        "resolution agreement",
        "corrective action",
    ]
    .iter()
    .any(|w| body.has_in_start(w, 2500));
    (body.has_in_start("complaint", 2500) && rules).then_some(agency)
}

/// A parent's letter that says, in its subject or its first lines, that it is a request for
/// mediation, a state complaint or a due-process complaint ("I am requesting mediation", "Re:
/// Request for Due Process Hearing"). A letter that mentions these as what the district could do
/// ("…or file for due process") is not one.
fn parent_filing(body: &Found<'_>, who: Sender) -> Option<&'static str> {
    if who != Sender::Parent {
        return None;
    }
    const SAYS: &[(&str, &[&str])] = &[
        (
            "mediation_request",
            &[
                "re: request for mediation",
                "re: mediation request",
                "subject: request for mediation",
                "i am requesting mediation",
                "i request mediation",
                "we are requesting mediation",
                "we request mediation",
                "i would like to request mediation",
                "this letter is a request for mediation",
                "please accept this letter as my request for mediation",
            ],
        ),
        (
            "state_complaint",
            &[
                "re: state complaint",
                "re: formal complaint",
                "subject: state complaint",
                "i am filing this complaint",
                "i am filing a complaint",
                "i am filing a state complaint",
                "we are filing this complaint",
                "we are filing a complaint",
                "this is a formal complaint",
                "this letter is a formal complaint",
                "please accept this letter as a formal complaint",
                "please accept this letter as my complaint",
            ],
        ),
        (
            "due_process",
            &[
                "re: due process complaint",
                "re: request for due process",
                "subject: due process complaint",
                "i am requesting a due process hearing",
                "i request a due process hearing",
                "we are requesting a due process hearing",
                "we request a due process hearing",
                "this is a due process complaint",
                "please accept this letter as my due process complaint",
                "this letter is my due process complaint",
            ],
        ),
    ];
    SAYS.iter()
        .find(|(_, phrases)| phrases.iter().any(|p| body.has_in_start(p, 1500)))
        .map(|(k, _)| *k)
}

/// The heading that names the paper: the first heading line (with the line after it: a title on
/// two lines, or a subtitle) that names a kind; the most specific name wins, then the first. In
/// text kept without line breaks, a run of capitals or the words before the first blank.
fn best_heading(doc: &Doc<'_>, caption: bool) -> Option<(TitleMatch, String)> {
    let heads = doc.heading_candidates();
    for (n, &i) in heads.iter().enumerate() {
        let mut lines = vec![(i, doc.lines[i].text.to_string())];
        if let Some(&j) = heads.get(n + 1)
            && j == i + 1
        {
            lines.push((j, doc.lines[j].text.to_string()));
            lines.push((i, format!("{} {}", doc.lines[i].text, doc.lines[j].text)));
        }
        let mut found: Vec<(TitleMatch, usize, String)> = Vec::new();
        for (order, (at, text)) in lines.iter().enumerate() {
            for mut m in title_matches(text, caption) {
                m.line = *at;
                found.push((m, order.min(1), text.clone()));
            }
        }
        if found.is_empty() {
            continue;
        }
        found.sort_by(|a, b| {
            b.0.whole()
                .cmp(&a.0.whole())
                .then(b.0.priority.cmp(&a.0.priority))
                .then(a.1.cmp(&b.1))
                .then(b.0.size.cmp(&a.0.size))
                .then(b.0.exact.cmp(&a.0.exact))
                .then(a.0.pos.cmp(&b.0.pos))
        });
        let mut best = found.into_iter().next().map(|(m, _, line)| (m, line));
        // A topic's heading ("Consent Revocation") over a heading that presents a letter
        // ("Letter to Revoke Consent …") on a page that holds a salutation: the page is that
        // letter, whatever it is about.
        if best
            .as_ref()
            .is_some_and(|b| !matches!(b.0.kind, "letter" | "parent_letter" | "district_letter" | "email"))
            && let Some(&k) = heads
                .iter()
                .skip(n + 1)
                .take(2)
                .find(|&&k| asking_letter(&fold(doc.lines[k].text)))
            && doc.lines.iter().any(|l| fold(l.text).starts_with("dear "))
        {
            let text = doc.lines[k].text.to_string();
            best = Some((
                TitleMatch {
                    phrase: "letter",
                    kind: "letter",
                    priority: 3,
                    size: text.split_whitespace().count(),
                    coverage: 1.0,
                    exact: false,
                    line: k,
                    pos: 0,
                },
                text,
            ));
        }
        // A general section name ("Measurable Annual Goal") over a form's fields: the form's own
        // name, whole on a line of its own a few lines on ("Periodic Report on Progress"), is
        // what the paper is.
        if best.as_ref().is_some_and(|b| b.0.priority <= 1 && !b.0.whole()) {
            for &k in heads.iter().skip(n + 1).take(10) {
                if let Some(mut m) = title_matches(doc.lines[k].text, caption)
                    .into_iter()
                    .filter(|m| m.whole() && m.priority >= 2)
                    .max_by_key(|m| m.priority)
                {
                    m.line = k;
                    best = Some((m, doc.lines[k].text.to_string()));
                    break;
                }
            }
        }
        // A complaint's caption names the case ("IDEA Formal Complaint No. …"); the paper's own
        // name follows it: a report of findings or a decision on that complaint.
        if best
            .as_ref()
            .is_some_and(|b| matches!(b.0.kind, "state_complaint" | "due_process"))
        {
            for &k in heads.iter().skip(n + 1).take(12) {
                if let Some(mut m) = title_matches(doc.lines[k].text, true)
                    .into_iter()
                    .find(|m| m.kind == "decision" && m.priority >= 4)
                {
                    m.line = k;
                    best = Some((m, doc.lines[k].text.to_string()));
                    break;
                }
            }
        }
        return best;
    }
    // Text kept without its line breaks (a web page's, a copy-paste): the heading is a run of
    // capitals inside a long first line ("… Respondent. FINAL ORDER ON APPEAL PROTECTIVE …"), or
    // the words before a form's first blank ("Specific Learning Disabilities Team Report ____").
    for run in run_on_heads(doc) {
        let mut found = title_matches(&run, caption);
        found.sort_by(|a, b| {
            b.whole()
                .cmp(&a.whole())
                .then(b.priority.cmp(&a.priority))
                .then(b.size.cmp(&a.size))
                .then(b.exact.cmp(&a.exact))
                .then(a.pos.cmp(&b.pos))
        });
        if let Some(m) = found.into_iter().next() {
            return Some((m, run));
        }
    }
    None
}

/// Headings inside the long lines at the start of page 1 (text kept without its line breaks):
/// the words a long first line opens with, up to a form's first blank or field label, then runs of
/// two or more words in capitals.
fn run_on_heads(doc: &Doc<'_>) -> Vec<String> {
    let mut out = Vec::new();
    let mut budget = 2500usize;
    for (n, l) in doc.page_lines(0).iter().enumerate() {
        if budget == 0 {
            break;
        }
        budget = budget.saturating_sub(l.text.len());
        if l.text.split_whitespace().count() <= 14 {
            continue;
        }
        if n < 3 {
            let mut head: Vec<&str> = Vec::new();
            let mut cut = false;
            let ws: Vec<&str> = l.text.split_whitespace().collect();
            for (k, &w) in ws.iter().enumerate() {
                let lower = w.to_lowercase();
                // A field's label: a word with its colon, or a label word before a blank
                // ("Student ______"); not "School" in "The School Board of …".
                let blank_next = ws.get(k + 1).is_some_and(|n| n.starts_with('_'));
                let field = w.contains("__")
                    || w.ends_with(':')
                    || (blank_next
                        && matches!(
                            lower.trim_matches(|c: char| !c.is_alphanumeric()),
                            "student" | "student's" | "name" | "date" | "dob" | "school" | "grade"
                        ));
                if field {
                    cut = true;
                    break;
                }
                head.push(w);
            }
            // Only a form's opening words before its first field: a sentence is no heading.
            if cut && (2..=20).contains(&head.len()) {
                out.push(head.join(" "));
            }
        }
        // Capitals deep in a page that has its line breaks are a sentence's acronyms ("an
        // upcoming ARD (IEP) meeting"), not a heading run on into the text.
        if n >= 3 {
            continue;
        }
        let mut run: Vec<&str> = Vec::new();
        for w in l.text.split_whitespace().chain(std::iter::once("·")) {
            let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
            let caps = letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase());
            if caps {
                run.push(w);
            } else {
                if run.len() >= 2 {
                    out.push(run.join(" "));
                }
                run.clear();
            }
        }
    }
    out
}

/// A court's paper: a court named among the first lines.
fn court_paper(doc: &Doc<'_>) -> bool {
    doc.page_lines(0).iter().take(30).any(|l| {
        let f = fold(l.text);
        [
            "court of appeals",
            "supreme court",
            "district court",
            "circuit court",
            "court of appeal",
            "superior court",
        ]
        .iter()
        .any(|c| has_phrase(&f, c))
    })
}

/// A district's evaluation and an independent one share a layout: the evaluator decides
/// (domain.md K04). A private practice's letterhead, or the report calling itself independent,
/// makes it an IEE; the district's letterhead makes it the district's evaluation.
fn evaluator(
    doc: &Doc<'_>,
    body: &Found<'_>,
    settings: &Settings,
    kind: &str,
) -> (Option<&'static str>, Option<String>) {
    if !matches!(kind, "evaluation" | "iee") {
        return (None, None);
    }
    let top: Vec<String> = doc.page_lines(0).iter().take(8).map(|l| fold(l.text)).collect();
    let district = top.iter().find_map(|l| {
        settings
            .districts
            .iter()
            .find(|d| !d.is_empty() && l.contains(d.as_str()))
            .cloned()
            .or_else(|| {
                DISTRICT_CUES
                    .iter()
                    .find(|c| has_phrase(l, c))
                    .map(|c| (*c).to_string())
            })
    });
    let private = top.iter().find_map(|l| {
        PRIVATE_EVALUATOR_CUES
            .iter()
            .find(|p| has_phrase(l, p))
            .map(|p| (*p).to_string())
    });
    let independent = body.has("independent educational evaluation");
    match (kind, district, private) {
        ("evaluation", None, Some(p)) => (
            Some("iee"),
            Some(format!("a private evaluator's letterhead ({p})")),
        ),
        ("evaluation", None, None) if independent => (
            Some("iee"),
            Some("the report calls itself an independent educational evaluation".into()),
        ),
        ("iee", Some(d), None) if !independent => (
            Some("evaluation"),
            Some(format!("the district's letterhead ({d})")),
        ),
        _ => (None, None),
    }
}

fn runner(scores: &BTreeMap<&'static str, f64>, kind: &str) -> Option<(String, f64)> {
    let mut ranked: Vec<(&str, f64)> = scores
        .iter()
        .map(|(k, v)| (*k, *v))
        .filter(|(k, _)| *k != kind)
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    ranked
        .first()
        .map(|(k, s)| (k.to_string(), round2(s / (s + 10.0))))
}

/// A letter's form, said in words: a salutation and a closing; or, when a notice posted for
/// families left out its salutation, a closing on a line of its own in a text that speaks to a
/// parent of their child (or as one), a letter's opening sentence ("We are writing to you about
/// your child's …"), or a short note signed at its end with a name and a title.
fn letter_form(doc: &Doc<'_>, body: &Found<'_>) -> Option<&'static str> {
    let salutation = super::kinds::LETTER_FORM[..2].iter().any(|s| body.has(s));
    let closing = super::kinds::LETTER_FORM[2..].iter().any(|c| body.has(c));
    let closing_line = || {
        doc.lines.iter().any(|l| {
            l.text.len() < 24
                && matches!(
                    fold(l.text).trim_end_matches([',', '.']).trim(),
                    "sincerely" | "respectfully" | "sincerely yours" | "respectfully yours" | "yours truly"
                )
        })
    };
    let addressed = || {
        [
            "your child",
            "your son",
            "your daughter",
            "my son",
            "my daughter",
            "my child",
        ]
        .iter()
        .any(|w| body.has(w))
    };
    // Spoken to a reader ("you", "your"): a note to families signed by a staff member.
    let spoken_to = || body.has("you") || body.has("your");
    if salutation && closing {
        Some("a letter (salutation and closing)")
    } else if salutation_at_top(doc) {
        Some("a letter (a salutation at the top)")
    } else if closing && closing_line() && addressed() {
        Some("a letter (a closing, and it speaks of the child to a parent or as one)")
    } else if closing && greeting_at_top(doc) {
        Some("a message (a greeting and a closing)")
    } else if writing_opening(doc) && addressed() {
        Some("a letter (it opens \"I am writing\" or \"we are writing\" and speaks of the child)")
    } else if body.text.len() < 3000 && super::sender::signed_at_end(doc).is_some() && spoken_to() {
        // (a short text only: a report ends with its writer's name and title too)
        Some("a note to the reader, signed at its end with a name and a title")
    } else {
        None
    }
}

/// A letter's opening sentence at the start of its text ("We are writing to you about your
/// child's services", "I am writing to request …"): a letter whose salutation was left out.
fn writing_opening(doc: &Doc<'_>) -> bool {
    doc.page_lines(0)
        .iter()
        .filter(|l| !l.text.trim().is_empty())
        .take(3)
        .any(|l| {
            let f = fold(l.text.trim_start());
            [
                "we are writing to ",
                "i am writing to ",
                "i'm writing to ",
                "we're writing to ",
                "this letter is to ",
                "the purpose of this letter is ",
            ]
            .iter()
            .any(|p| f.starts_with(p))
        })
}

/// A message's informal greeting on a line of its own near the top ("Hello,", "Hi Ms. Ortiz,",
/// "Good morning,"): with a closing, a letter or a message.
fn greeting_at_top(doc: &Doc<'_>) -> bool {
    doc.page_lines(0).iter().take(30).any(|l| {
        let f = fold(l.text.trim_start_matches(['"', '\u{201c}', '\'']));
        let f = f.trim_end();
        let greets = [
            "hello",
            "hi ",
            "hi,",
            "good morning",
            "good afternoon",
            "greetings",
        ]
        .iter()
        .any(|g| f.starts_with(g));
        greets && f.split_whitespace().count() <= 5 && f.ends_with([',', ':', '-', '!'])
    })
}

/// A letter's salutation on a line of its own near the top of page 1 ("Dear Parent/Guardian:",
/// "To the Parents of ____:"): a letter even when its closing is on a page not kept.
fn salutation_at_top(doc: &Doc<'_>) -> bool {
    doc.page_lines(0).iter().take(30).any(|l| {
        if !l
            .text
            .bytes()
            .next()
            .is_some_and(|c| matches!(c.to_ascii_lowercase(), b'd' | b't'))
        {
            return false;
        }
        let f = fold(l.text);
        ((f.starts_with("dear ") || f == "dear" || f == "dear,") && f.split_whitespace().count() <= 12)
            || ((f.starts_with("to the parent") || f.starts_with("to parent")) && f.trim_end().ends_with(':'))
    })
}

/// Body fingerprints per kind (a form's name quoted in the body, its section headings and
/// clauses, weaker words) and file-name tokens.
fn body_fingerprints(body: &Found<'_>, file: &str) -> (BTreeMap<&'static str, f64>, Vec<Cue>) {
    let mut scores: BTreeMap<&'static str, f64> = BTreeMap::new();
    let mut cues = Vec::new();
    let mut add = |kind: &'static str, phrase: &str, place: &str, w: f64| {
        *scores.entry(kind).or_insert(0.0) += w;
        cues.push(Cue {
            kind: kind.into(),
            phrase: phrase.into(),
            place: place.into(),
            weight: w,
        });
    };
    for k in CUES {
        let mut strong = 0;
        for t in k.title.iter().filter(|t| t.len() > 5) {
            if strong < 2 && body.has(t) {
                add(k.kind, t, "body", 3.0);
                strong += 1;
            }
        }
        for s in k.strong {
            if strong < 6 && body.has(s) {
                add(k.kind, s, "body", 3.0);
                strong += 1;
            }
        }
        let mut weak = 0;
        for w in k.weak {
            if weak < 3 && body.has(w) {
                add(k.kind, w, "body", 1.0);
                weak += 1;
            }
        }
        if let Some(f) = k.file.iter().find(|f| has_phrase(file, f)) {
            add(k.kind, f, "file", 2.0);
        }
    }
    (scores, cues)
}

fn ranked(scores: &BTreeMap<&'static str, f64>) -> Vec<(&'static str, f64)> {
    let mut r: Vec<(&'static str, f64)> = scores.iter().map(|(k, v)| (*k, *v)).collect();
    r.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    r
}

/// Scores alone decide: the best-scoring kind with enough evidence, else `other`.
fn by_scores(body: &Found<'_>, scores: &BTreeMap<&'static str, f64>, mut cues: Vec<Cue>) -> KindResult {
    let r = ranked(scores);
    let (top, top_score) = r.first().copied().unwrap_or(("other", 0.0));
    let second = r.get(1).copied();
    // Without text (locked, damaged, not yet read by OCR) the file name is all there is.
    if body.text.trim().is_empty() && top_score >= 2.0 {
        cues.retain(|c| c.kind == top);
        return KindResult {
            shape: Shape::default(),
            confidence_why: String::new(),
            heading: None,
            kind: top.into(),
            confidence: 0.35,
            cues,
            runner_up: second.map(|(k, s)| (k.to_string(), round2(s / (s + top_score + 3.0)))),
        };
    }
    let specific = cues
        .iter()
        .any(|c| c.kind == top && c.place != "file" && c.weight >= 3.0);
    if top_score < 4.0 || !specific {
        return KindResult {
            shape: Shape::default(),
            confidence_why: String::new(),
            heading: None,
            kind: "other".into(),
            confidence: round2((0.6 - top_score / 15.0).max(0.2)),
            cues,
            runner_up: r.first().map(|(k, s)| (k.to_string(), round2(*s / (s + 6.0)))),
        };
    }
    let confidence = round2(top_score / (top_score + second.map_or(0.0, |s| s.1) + 4.0)).min(0.85);
    cues.retain(|c| c.kind == top);
    KindResult {
        shape: Shape::default(),
        confidence_why: String::new(),
        heading: None,
        kind: top.into(),
        confidence,
        cues,
        runner_up: second.map(|(k, s)| (k.to_string(), round2(s / (s + top_score + 6.0)))),
    }
}

/// Under a case caption: a decision or order when the body decides, else the filing itself.
fn dispute_by_body(body: &Found<'_>, scores: &BTreeMap<&'static str, f64>, cues: Vec<Cue>) -> KindResult {
    let decision = scores.get("decision").copied().unwrap_or(0.0);
    let filing = scores
        .get("due_process")
        .copied()
        .unwrap_or(0.0)
        .max(scores.get("state_complaint").copied().unwrap_or(0.0));
    // A court's or an officer's own voice: whatever the case is about (a complaint, a
    // request), the paper deciding it is a decision.
    const DECIDES: &[&str] = &[
        "considered and decided by",
        "opinion of the court",
        "we affirm",
        "we reverse",
        "it is so ordered",
        "it is hereby ordered",
        "presiding judge",
    ];
    let decides = DECIDES.iter().any(|p| body.has_in_start(p, 6000));
    let kind = if decision >= filing || decides {
        "decision"
    } else if scores.get("state_complaint").copied().unwrap_or(0.0)
        > scores.get("due_process").copied().unwrap_or(0.0)
    {
        "state_complaint"
    } else {
        "due_process"
    };
    let mut cues: Vec<Cue> = cues.into_iter().filter(|c| c.kind == kind).collect();
    cues.insert(
        0,
        Cue {
            kind: kind.into(),
            phrase: "a case caption (before the…, petitioner, respondent, case no.)".into(),
            place: "caption".into(),
            weight: 12.0,
        },
    );
    KindResult {
        shape: Shape::default(),
        confidence_why: String::new(),
        heading: None,
        kind: kind.into(),
        confidence: 0.75,
        cues,
        runner_up: None,
    }
}

/// A family's own papers without a heading that names them: a dated list (a timeline), a list
/// of questions, or notes of a call or meeting, written in the first person.
fn family_paper(doc: &Doc<'_>, format: &str) -> Option<KindResult> {
    let lines: Vec<&str> = doc
        .lines
        .iter()
        .filter(|l| !l.furniture)
        .map(|l| l.text)
        .collect();
    if lines.len() < 3 {
        return None;
    }
    let dated_starts = doc
        .lines
        .iter()
        .enumerate()
        .filter(|(i, l)| {
            let stripped = l.text.trim_start_matches(['-', '*', '•', ' ']);
            !l.furniture
                && doc.dates[*i]
                    .first()
                    .is_some_and(|m| m.start <= l.text.len() - stripped.len() + 1)
        })
        .count();
    let questions = lines.iter().filter(|l| l.trim_end().ends_with('?')).count();
    let (kind, why) = if dated_starts >= 3 && dated_starts * 3 >= lines.len() {
        (
            "other",
            format!("a dated list ({dated_starts} lines start with a date): a timeline, not one event"),
        )
    } else if questions >= 3 && questions * 3 >= lines.len() {
        (
            "other",
            format!("a list of questions ({questions} lines end with \"?\")"),
        )
    } else {
        let informal = matches!(format, "text" | "docx" | "html");
        let first_person = lines.iter().take(30).any(|l| {
            let f = fold(l);
            f.starts_with("i ")
                || f.contains(" i ")
                || f.starts_with("we ")
                || f.contains(" we ")
                || f.contains(" my ")
        });
        let talk = lines.iter().take(12).map(|l| fold(l)).any(|f| {
            [
                "called",
                "phone call",
                "spoke with",
                "spoke to",
                "talked to",
                "talked with",
                "conversation with",
                "met with",
                "call with",
                "voicemail",
                "mediation",
                "mediator",
            ]
            .iter()
            .any(|w| has_phrase(&f, w))
        });
        // A paper that opens with "Dear …" is a letter, whatever it tells of a call.
        let salutation = lines.iter().take(12).any(|l| fold(l).starts_with("dear "));
        // Notes are jotted: short lines. A page of long paragraphs telling of a call or a
        // meeting is a story of it (a post, a news story, a letter), not the notes.
        let paragraphs = lines.iter().take(12).filter(|l| l.len() > 250).count();
        if informal && first_person && talk && !salutation && paragraphs <= 1 {
            (
                "meeting_notes",
                "notes of a call or meeting, in the writer's own words".to_string(),
            )
        } else {
            return None;
        }
    };
    Some(KindResult {
        shape: Shape::default(),
        confidence_why: String::new(),
        heading: None,
        kind: kind.into(),
        confidence: 0.7,
        cues: vec![Cue {
            kind: kind.into(),
            phrase: why,
            place: "form".into(),
            weight: 10.0,
        }],
        runner_up: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caption_cues_are_counted_as_has_phrase_counts_them() {
        for text in [
            "before the office of administrative hearings\nin the matter of: student v. district",
            "beforehand in the matters of nothing",
            "",
            "in re student\nbefore the\nbefore the",
        ] {
            let expected = CAPTION_CUES.iter().filter(|c| has_phrase(text, c)).count();
            assert_eq!(caption_cues(text), expected, "{text:?}");
        }
    }

    #[test]
    fn a_bare_iep_names_the_iep_only_as_its_title() {
        assert!(bare_iep_title("iep"));
        assert!(bare_iep_title("annual iep 2023-24"));
        assert!(bare_iep_title("iep - november 7, 2023"));
        assert!(!bare_iep_title("questions for iep"));
        assert!(!bare_iep_title("iep mtg 2/3/22 - notes"));
    }

    #[test]
    fn the_most_specific_name_in_a_heading_wins() {
        let m = title_matches(
            "Team Evaluation Summary Report and Written Prior Notice of Eligibility Determination",
            false,
        );
        let mut m = m;
        m.sort_by(|a, b| {
            b.priority
                .cmp(&a.priority)
                .then(b.size.cmp(&a.size))
                .then(a.pos.cmp(&b.pos))
        });
        assert_eq!(m[0].kind, "eligibility");
        let m = title_matches("Decision", false);
        assert!(m.is_empty(), "bare Decision needs a caption");
        let m = title_matches("DECISION", true);
        assert_eq!(m[0].kind, "decision");
    }
}
