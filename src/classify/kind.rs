//! What a document is, decided as a reader decides it: by the name it gives itself in its heading
//! first; by its form (an email, a letter, a case caption, a parent's list) when it names
//! nothing; by the words of its body only when neither says; by its file name last.
//!
//! A recognised heading is never overruled by body words: every kind quotes others (a notice
//! lists the IEP and the evaluation it rests on; a decision quotes everything), so the body
//! would vote for whatever it quotes most.

use std::collections::BTreeMap;

use super::kinds::{
    CAPTION_CUES, CAPTION_ONLY, CUES, DISTRICT_CUES, PRIVATE_EVALUATOR_CUES, Priority, TITLES,
};
use super::page::Doc;
use super::sender::{Sender, sender};
use super::{Cue, Found, Settings, fold, has_phrase, round2};

/// The kind, its confidence, the cues behind it and the runner-up.
pub struct KindResult {
    /// The heading line that named it, when a heading did.
    pub heading: Option<String>,
    pub kind: String,
    pub confidence: f64,
    pub cues: Vec<Cue>,
    pub runner_up: Option<(String, f64)>,
}

/// A name found in a heading line.
#[derive(Debug, Clone)]
struct TitleMatch {
    phrase: &'static str,
    kind: &'static str,
    priority: Priority,
    /// Byte position in the heading line.
    pos: usize,
}

/// The names a heading line gives itself (on word boundaries). A bare "IEP" counts only when the
/// line is an IEP's title ("IEP", "Annual IEP 2023"), not when it is about one ("Questions for
/// IEP"); bare "Decision" or "Order" only under a case caption.
fn title_matches(line: &str, caption: bool) -> Vec<TitleMatch> {
    let folded = fold(line);
    let mut out: Vec<TitleMatch> = Vec::new();
    let hb = folded.as_bytes();
    let Some(automaton) = titles_automaton() else {
        return out;
    };
    for m in automaton.find_overlapping_iter(&folded) {
        let (phrase, kind, priority) = TITLES[m.pattern().as_usize()];
        let (start, end) = (m.start(), m.end());
        let bounded = (start == 0 || !hb[start - 1].is_ascii_alphanumeric())
            && (end >= hb.len() || !hb[end].is_ascii_alphanumeric());
        if !bounded || out.iter().any(|t| t.phrase == phrase) {
            continue;
        }
        if phrase == "iep" && !bare_iep_title(&folded) {
            continue;
        }
        if CAPTION_ONLY.contains(&phrase) {
            let extra = folded.split_whitespace().count() - phrase.split_whitespace().count();
            if !caption || extra > 3 {
                continue;
            }
        }
        out.push(TitleMatch {
            phrase,
            kind,
            priority,
            pos: start,
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
    // Requesting an IEP Meeting") is a request letter, not the thing it asks for.
    if let Some(&(rpos, _)) = words
        .iter()
        .find(|(_, w)| matches!(*w, "request" | "requesting" | "requests" | "requested"))
    {
        for m in out.iter_mut() {
            let asks_for = m.pos > rpos
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
    out
}

/// Every name of [`TITLES`], found in one pass over a heading line.
/// (Built once; the table is a constant of short phrases, so building cannot fail: if it ever
/// did, no heading would match and the other rules would decide.)
fn titles_automaton() -> Option<&'static aho_corasick::AhoCorasick> {
    static A: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> = std::sync::OnceLock::new();
    A.get_or_init(|| aho_corasick::AhoCorasick::new(TITLES.iter().map(|t| t.0)).ok())
        .as_ref()
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
pub fn has_caption(doc: &Doc<'_>) -> bool {
    let lines: Vec<String> = doc.page_lines(0).iter().take(60).map(|l| fold(l.text)).collect();
    let first = lines.join("\n");
    let versus = lines
        .iter()
        .any(|l| matches!(l.as_str(), "v." | "v" | "vs." | "vs" | "versus"));
    caption_cues(&first) + usize::from(versus) >= 2
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

/// Decides the kind.
pub fn decide(doc: &Doc<'_>, body: &Found<'_>, file: &str, format: &str, settings: &Settings) -> KindResult {
    let caption = has_caption(doc);
    let (body_scores, body_cues) = body_fingerprints(body, file);

    // 1. The heading: the first heading line that names a kind, with the line after it (a title
    // on two lines, or a subtitle); the most specific name wins, then the first.
    let heads = doc.heading_candidates();
    let mut best: Option<(TitleMatch, usize, String)> = None;
    for (n, &i) in heads.iter().enumerate() {
        let mut lines = vec![(i, doc.lines[i].text.to_string())];
        if let Some(&j) = heads.get(n + 1)
            && j == i + 1
        {
            lines.push((j, doc.lines[j].text.to_string()));
            lines.push((i, format!("{} {}", doc.lines[i].text, doc.lines[j].text)));
        }
        let mut found: Vec<(TitleMatch, usize, String)> = Vec::new();
        for (order, (_, text)) in lines.iter().enumerate() {
            for m in title_matches(text, caption) {
                found.push((m, order.min(1), text.clone()));
            }
        }
        if found.is_empty() {
            continue;
        }
        found.sort_by(|a, b| {
            b.0.priority
                .cmp(&a.0.priority)
                .then(a.1.cmp(&b.1))
                .then(a.0.pos.cmp(&b.0.pos))
                .then(b.0.phrase.len().cmp(&a.0.phrase.len()))
        });
        best = found.into_iter().next();
        // A complaint's caption names the case ("IDEA Formal Complaint No. …"); the paper's own
        // name follows it: a report of findings or a decision on that complaint.
        if best
            .as_ref()
            .is_some_and(|b| matches!(b.0.kind, "state_complaint" | "due_process"))
        {
            for &k in heads.iter().skip(n + 1).take(12) {
                if let Some(m) = title_matches(doc.lines[k].text, true)
                    .into_iter()
                    .find(|m| m.kind == "decision" && m.priority >= 4)
                {
                    best = Some((m, 0, doc.lines[k].text.to_string()));
                    break;
                }
            }
        }
        break;
    }
    if best.is_none() {
        // Text kept without its line breaks (a web page's, a copy-paste): the heading is a run of
        // capitals inside a long first line ("… Respondent. FINAL ORDER ON APPEAL PROTECTIVE …").
        for run in caps_runs(doc) {
            let mut found = title_matches(&run, caption);
            found.sort_by(|a, b| b.priority.cmp(&a.priority).then(a.pos.cmp(&b.pos)));
            if let Some(m) = found.into_iter().next() {
                best = Some((m, 0, run));
                break;
            }
        }
    }
    if let Some((m, _, line)) = best {
        let (evaluator_kind, evaluator_why) = evaluator(doc, body, settings, m.kind);
        let mut cues = vec![Cue {
            kind: m.kind.into(),
            phrase: format!("{} — the heading reads: {}", m.phrase, super::clip(&line)),
            place: "heading".into(),
            weight: 20.0 + f64::from(m.priority),
        }];
        let mut kind = m.kind.to_string();
        if let (Some(k), Some(why)) = (evaluator_kind, evaluator_why) {
            kind = k.into();
            cues.push(Cue {
                kind: kind.clone(),
                phrase: why,
                place: "letterhead".into(),
                weight: 10.0,
            });
        }
        if kind == "letter" {
            let (who, why) = sender(doc, body, settings);
            kind = who.kind().into();
            cues.push(Cue {
                kind: kind.clone(),
                phrase: why,
                place: "sender".into(),
                weight: 8.0,
            });
        }
        let agree = body_scores.get(kind.as_str()).copied().unwrap_or(0.0);
        cues.extend(body_cues.iter().filter(|c| c.kind == kind).cloned());
        let confidence = match m.priority {
            0 | 1 => 0.75,
            _ => 0.9,
        } + if agree >= 6.0 { 0.05 } else { 0.0 };
        let runner_up = runner(&body_scores, &kind);
        return KindResult {
            heading: Some(line),
            kind,
            confidence: round2(confidence),
            cues,
            runner_up,
        };
    }

    // 2. No heading names it: its form.
    if caption {
        return dispute_by_body(body, body_scores, body_cues);
    }
    if let Some(r) = family_paper(doc, format) {
        return r;
    }
    if is_letter(body) {
        let (who, why) = sender(doc, body, settings);
        // A letter asking for mediation or filing a complaint is that request.
        for (kind, phrases) in [
            (
                "mediation_request",
                &[
                    "request for mediation",
                    "request mediation",
                    "requesting mediation",
                ][..],
            ),
            (
                "state_complaint",
                &[
                    "state complaint",
                    "formal complaint",
                    "file a complaint",
                    "filing a complaint",
                    "this complaint",
                ][..],
            ),
            (
                "due_process",
                &[
                    "due process complaint",
                    "request for due process",
                    "request a due process hearing",
                ][..],
            ),
        ] {
            if who == Sender::Parent
                && let Some(p) = phrases.iter().find(|p| body.has_in_start(p, 1500))
            {
                return KindResult {
                    heading: None,
                    kind: kind.into(),
                    confidence: 0.7,
                    cues: vec![Cue {
                        kind: kind.into(),
                        phrase: format!("a letter from the parent: \"{p}\""),
                        place: "letter".into(),
                        weight: 10.0,
                    }],
                    runner_up: Some((who.kind().into(), 0.3)),
                };
            }
        }
        let kind = who.kind();
        return KindResult {
            heading: None,
            kind: kind.into(),
            confidence: 0.8,
            cues: vec![
                Cue {
                    kind: kind.into(),
                    phrase: "a letter (salutation and closing)".into(),
                    place: "letter".into(),
                    weight: 10.0,
                },
                Cue {
                    kind: kind.into(),
                    phrase: why,
                    place: "sender".into(),
                    weight: 8.0,
                },
            ],
            runner_up: runner(&body_scores, kind),
        };
    }

    // 3. The body's fingerprints, then the file name.
    by_scores(body, body_scores, body_cues)
}

/// Runs of two or more words in capitals within the long lines at the start of page 1.
fn caps_runs(doc: &Doc<'_>) -> Vec<String> {
    let mut out = Vec::new();
    let mut budget = 2500usize;
    for l in doc.page_lines(0) {
        if budget == 0 {
            break;
        }
        budget = budget.saturating_sub(l.text.len());
        if l.text.split_whitespace().count() <= 14 {
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

/// A letter's form: a salutation and a closing.
fn is_letter(body: &Found<'_>) -> bool {
    let salutation = super::kinds::LETTER_FORM[..2].iter().any(|s| body.has(s));
    let closing = super::kinds::LETTER_FORM[2..].iter().any(|c| body.has(c));
    salutation && closing
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
fn by_scores(body: &Found<'_>, scores: BTreeMap<&'static str, f64>, mut cues: Vec<Cue>) -> KindResult {
    let r = ranked(&scores);
    let (top, top_score) = r.first().copied().unwrap_or(("other", 0.0));
    let second = r.get(1).copied();
    // Without text (locked, damaged, not yet read by OCR) the file name is all there is.
    if body.text.trim().is_empty() && top_score >= 2.0 {
        cues.retain(|c| c.kind == top);
        return KindResult {
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
        heading: None,
        kind: top.into(),
        confidence,
        cues,
        runner_up: second.map(|(k, s)| (k.to_string(), round2(s / (s + top_score + 6.0)))),
    }
}

/// Under a case caption: a decision or order when the body decides, else the filing itself.
fn dispute_by_body(body: &Found<'_>, scores: BTreeMap<&'static str, f64>, cues: Vec<Cue>) -> KindResult {
    let decision = scores.get("decision").copied().unwrap_or(0.0);
    let filing = scores
        .get("due_process")
        .copied()
        .unwrap_or(0.0)
        .max(scores.get("state_complaint").copied().unwrap_or(0.0));
    let kind = if decision >= filing {
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
    let _ = body;
    KindResult {
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
            ]
            .iter()
            .any(|w| has_phrase(&f, w))
        });
        if informal && first_person && talk {
            (
                "meeting_notes",
                "notes of a call or meeting, in the writer's own words".to_string(),
            )
        } else {
            return None;
        }
    };
    Some(KindResult {
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
        m.sort_by(|a, b| b.priority.cmp(&a.priority).then(a.pos.cmp(&b.pos)));
        assert_eq!(m[0].kind, "evaluation");
        let m = title_matches("Decision", false);
        assert!(m.is_empty(), "bare Decision needs a caption");
        let m = title_matches("DECISION", true);
        assert_eq!(m[0].kind, "decision");
    }
}
