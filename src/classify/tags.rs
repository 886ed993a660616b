//! Tags from rules: the services a document speaks of (speech, OT, reading…), the requests a
//! parent makes in it (records, an IEE, an evaluation, a meeting), the district's answers to
//! them, and the school year it belongs to.

use std::collections::BTreeMap;

use super::dates::{find_school_years, school_year_tag};
use super::{Classification, Found, Input, has_phrase};

pub(crate) const SERVICE_TAGS: &[(&str, &[&str])] = &[
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

pub(super) const REQUEST_TAGS: &[(&str, &[&str])] = &[
    (
        "records-request",
        &[
            "inspect and review",
            "educational records",
            "education records",
            "copies of all",
            "records request",
            "300.613",
            "copy of my child's records",
            "request copies",
            "my son's records",
            "my daughter's records",
            "my child's records",
            "his records",
            "her records",
            "student records",
            "school records",
            "cumulative file",
            "cum file",
            "special education file",
            "complete file",
            "his file",
            "her file",
            "records for",
            "copies of the records",
            "copy of the records",
        ],
    ),
    (
        "iee-request",
        &[
            "independent educational evaluation",
            "independent evaluation",
            "iee at public expense",
            "an iee",
        ],
    ),
    (
        "evaluation-request",
        &[
            "request an evaluation",
            "request a reevaluation",
            "request a re-evaluation",
            "be evaluated",
            "request a full evaluation",
            "request a full and individual evaluation",
            "evaluate my son",
            "evaluate my daughter",
            "evaluate my child",
            "evaluated for special education",
            "tested for special education",
            "request testing",
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

/// Words that make a text a request by its writer (in the first person: a district's "your
/// request" is an answer, not a request).
pub(super) const ASKING: &[&str] = &[
    "i request",
    "i am requesting",
    "i am writing to request",
    "i would like to request",
    "i'd like to request",
    "we request",
    "we are requesting",
    "we would like to request",
    "i would like",
    "we would like",
    "please provide",
    "please send",
    "can you send",
    "could you send",
    "i disagree",
    "i am asking",
    "we are asking",
    "i ask that",
    "we ask that",
    "request that",
    "i formally request",
    "this is a request",
    "this letter is a request",
];

/// Words of an answer to a request.
pub(super) const ANSWERING: &[&str] = &[
    "in response to your",
    "your request",
    "we have received your",
    "we received your",
    "enclosed are",
    "enclosed please find",
    "attached are",
    "are available for",
    "available for your review",
    "you may review",
    "you may inspect",
    "copies of the records",
];

/// Words of a district agreeing to pay for an independent evaluation.
pub(super) const IEE_FUNDED: &[&str] = &[
    "agrees to fund",
    "agree to fund",
    "will fund",
    "has approved",
    "approves your request",
    "grants your request",
    "agrees to provide an independent",
    "will pay for",
];

/// Words of a refusal: a paper that refuses an IEE does not fund it, whatever else it quotes.
pub(super) const REFUSING: &[&str] = &[
    "refuse", "refuses", "refused", "refusal", "deny", "denies", "denied", "decline", "declines",
];

/// Tags for the document; `from_parent` says whether its writer is the family (only the family's
/// own letters and messages make requests; the district's answer them).
pub fn tags(c: &mut Classification, input: &Input<'_>, body: &Found<'_>, from_parent: bool) {
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
    // Only the family's letters and messages start a request's clock: never its notes or
    // timelines (they record, they do not ask), never the district's replies.
    // A request for mediation asks for mediation: the records or evaluations it mentions are
    // its story, not new requests.
    let requester = from_parent && matches!(c.kind.as_str(), "parent_letter" | "email");
    let head = first_message(body.text);
    // Outside an email the whole text is the writer's own: the one-pass lookup answers.
    let whole = head.len() == body.text.len();
    let said = |p: &str| if whole { body.has(p) } else { has_phrase(head, p) };
    if requester && ASKING.iter().any(|a| said(a)) {
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
    // What a consent is for: only a consent to evaluate starts the evaluation clock (a release of
    // records, a consent to services or its revocation do not).
    if c.kind == "consent" {
        let head: String = body.text.chars().take(2500).collect();
        let title = super::fold(c.title.as_deref().unwrap_or(""));
        let in_title = |words: &[&str]| words.iter().any(|w| title.contains(w));
        let in_head = |words: &[&str]| words.iter().any(|w| head.contains(w));
        const RELEASE: &[&str] = &[
            "release",
            "disclos",
            "exchange",
            "authoriz",
            "medicaid",
            "insurance",
            "bill",
        ];
        const REVOKE: &[&str] = &["revoc", "revoke"];
        const SERVICES: &[&str] = &["services", "placement", "provision"];
        const EVALUATE: &[&str] = &["evaluat", "assess", "testing", "observ", "functional behavior"];
        let purpose = if in_title(REVOKE) {
            "consent-revocation"
        } else if in_title(RELEASE) {
            "consent-release"
        } else if in_title(EVALUATE) {
            "consent-evaluation"
        } else if in_title(SERVICES) {
            "consent-services"
        } else if in_head(EVALUATE) {
            "consent-evaluation"
        } else if in_head(RELEASE) {
            "consent-release"
        } else {
            "consent-services"
        };
        tags.insert(
            purpose.into(),
            format!(
                "what the consent is for (\"{}\")",
                c.title.as_deref().unwrap_or("its text")
            ),
        );
    }
    // The district's answers: records sent or made available, an IEE it agrees to fund.
    let district_paper = !from_parent
        && matches!(
            c.kind.as_str(),
            "district_letter" | "email" | "prior_written_notice" | "other"
        );
    if district_paper {
        let records = REQUEST_TAGS[0]
            .1
            .iter()
            .chain(["records", "cumulative file"].iter())
            .find(|p| said(p));
        if let (Some(r), Some(a)) = (records, ANSWERING.iter().find(|a| said(a))) {
            tags.insert(
                "records-response".into(),
                format!("the district answers about records: \"{a}\" … \"{r}\""),
            );
        }
        let about_iee = said("independent educational evaluation") || said("iee");
        let refuses = REFUSING.iter().any(|r| said(r));
        // The agreement must be about the IEE: in the same sentence as it ("the district has
        // approved your request for a meeting" funds nothing).
        if about_iee
            && !refuses
            && let Some(f) = IEE_FUNDED.iter().find(|f| {
                head.split(['.', ';', '\n']).any(|sentence| {
                    has_phrase(sentence, f)
                        && (has_phrase(sentence, "iee") || has_phrase(sentence, "independent"))
                })
            })
        {
            tags.insert(
                "iee-funded".into(),
                format!("the district agrees to an IEE: \"{f}\""),
            );
        }
    }
    if let Some(d) = c.date.as_deref().and_then(|d| crate::day::parse(d).ok()) {
        tags.insert(school_year_tag(d), format!("the document date {d}"));
    }
    for line in input.pages.iter().take(3).flat_map(|p| p.lines()) {
        for y in find_school_years(line) {
            tags.entry(format!("sy{}-{:02}", y, (y + 1) % 100))
                .or_insert_with(|| format!("\"{}\"", line.trim()));
        }
    }
    // The family's own working papers (a timeline of what happened, a list of questions for
    // the meeting, notes for the advocate, a draft): work product for the family and its
    // advocate, not evidence. Binders leave them out unless they are chosen. Known by what they
    // are: written by the family, and shaped or headed as a list of its own.
    if let Some(why) = work_product(c, input, body, from_parent) {
        tags.insert(WORK_PRODUCT.into(), why.into());
    }
    // Notes of a mediation session: what is said in mediation may not be used as evidence in a
    // later hearing (34 CFR 300.506(b)(6)); binders leave them out. An agreement signed there is
    // evidence (a mediation_agreement), and so are notes of IEP meetings.
    if c.kind == "meeting_notes" {
        let title = super::fold(c.title.as_deref().unwrap_or(""));
        let top = super::fold(
            &input
                .pages
                .first()
                .map(|p| p.chars().take(600).collect::<String>())
                .unwrap_or_default(),
        );
        let named = has_phrase(&title, "mediation")
            || has_phrase(&top, "mediation session")
            || has_phrase(&top, "at mediation");
        if named || body.has("mediator") || body.has("the mediator") {
            tags.insert(
                MEDIATION.into(),
                "notes of a mediation session (not evidence in a later hearing: 34 CFR 300.506(b)(6))".into(),
            );
        }
    }
    c.tags = tags.keys().cloned().collect();
    c.tag_cues = tags;
}

/// The tag of a family's working papers (binders leave them out unless chosen).
pub const WORK_PRODUCT: &str = "work-product";

/// The tag of notes of a mediation session (binders leave them out unless chosen).
pub const MEDIATION: &str = "mediation";

/// Headings a family gives its own working papers.
const OWN_HEADINGS: &[&str] = &[
    "timeline",
    "chronology",
    "what happened",
    "questions",
    "our concerns",
    "my concerns",
    "parent concerns",
    "parent input",
    "to do",
    "to-do",
    "agenda",
    "notes for",
    "summary for",
    "for the advocate",
    "for our advocate",
    "for the attorney",
    "for our attorney",
    "for the lawyer",
    "for our lawyer",
    "talking points",
    "draft",
];

/// Why a paper is the family's own working paper, if it is one.
fn work_product(
    c: &Classification,
    input: &Input<'_>,
    body: &Found<'_>,
    from_parent: bool,
) -> Option<&'static str> {
    if matches!(input.format, "email") {
        return None;
    }
    let informal = matches!(input.format, "text" | "docx" | "html");
    let first_person = ["i ", " i ", "we ", " we ", " my ", " our "].iter().any(|w| {
        body.text
            .get(..body.text.len().min(3000))
            .is_some_and(|t| t.contains(w))
    });
    let by_family = informal || (from_parent && first_person);
    if !by_family {
        return None;
    }
    let shaped = c.cues.iter().any(|k| {
        k.place == "form"
            && (k.phrase.starts_with("a dated list")
                || k.phrase.starts_with("a list of questions")
                || k.phrase.starts_with("a summary of the case's papers"))
    });
    if shaped {
        return Some("the family's own list (a timeline or questions), not a record of the case");
    }
    let title = super::fold(c.title.as_deref().unwrap_or(""));
    let name = super::fold(input.file_name);
    let headed = matches!(
        c.kind.as_str(),
        "other" | "meeting_notes" | "parent_letter" | "state_complaint" | "due_process"
    ) && OWN_HEADINGS
        .iter()
        .any(|h| has_phrase(&title, h) || (*h == "draft" && has_phrase(&name, h)));
    // Notes of a meeting or a call are a record, unless they are headed as the family's list.
    let listed = [
        "timeline",
        "chronology",
        "questions",
        "concerns",
        "to do",
        "agenda",
        "advocate",
        "attorney",
        "lawyer",
        "talking points",
    ]
    .iter()
    .any(|h| has_phrase(&title, h));
    let record = c.kind == "meeting_notes" && !listed;
    (headed && !record).then_some(if has_phrase(&title, "draft") || has_phrase(&name, "draft") {
        "a draft, by its name"
    } else {
        "the family's own working paper (headed as a timeline, questions or notes for the advocate)"
    })
}

/// The part of an email body before any quoted earlier message.
fn first_message(body: &str) -> &str {
    let cut = [" wrote: ", "-----original message", "\n>"]
        .iter()
        .filter_map(|m| memchr::memmem::find(body.as_bytes(), m.as_bytes()))
        .min()
        .unwrap_or(body.len());
    &body[..cut]
}

/// A tag as stored and matched: lowercase words joined by `-` (`"IEP, 2023"` → `iep-2023`).
pub fn normalize_tag(raw: &str) -> String {
    raw.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}
