//! Who wrote a letter or message: the family or the district.
//!
//! A letter's form says nothing about its sender: districts send "Dear …, Sincerely" letters on
//! letterhead, and form letters whose letterhead was left blank. The sender shows in how the
//! writer speaks of the child ("my son" against "your child"), in whom they greet ("Dear
//! Parent"), in the title under the signature ("Director of Special Education") and in the
//! letterhead. Every cue found is kept, and the side with more evidence wins.

use super::page::{Doc, is_letterhead_line};
use super::{Found, Settings, fold, has_phrase};

/// The side a letter comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sender {
    Parent,
    District,
}

impl Sender {
    pub fn kind(self) -> &'static str {
        match self {
            Sender::Parent => "parent_letter",
            Sender::District => "district_letter",
        }
    }
}

/// How a parent speaks of their child and of themselves, with how much each says.
pub(super) const PARENT_VOICE: &[(&str, u32)] = &[
    ("my son", 2),
    ("my daughter", 2),
    ("my child", 2),
    ("my son's", 2),
    ("my daughter's", 2),
    ("my child's", 2),
    ("our son", 2),
    ("our daughter", 2),
    ("our child", 2),
    ("our son's", 2),
    ("our daughter's", 2),
    ("our child's", 2),
    ("as the parent", 3),
    ("as his mother", 3),
    ("as her mother", 3),
    ("as his father", 3),
    ("as her father", 3),
    ("i am the parent", 3),
    ("i am writing to request", 1),
    ("i am requesting", 1),
    ("i request", 1),
    ("i disagree", 1),
    ("i do not agree", 1),
    ("we are requesting", 1),
    ("we request", 1),
];

/// How a district speaks to a parent, with how much each says.
pub(super) const DISTRICT_VOICE: &[(&str, u32)] = &[
    ("your child", 1),
    ("your child's", 1),
    ("your son", 1),
    ("your son's", 1),
    ("your daughter", 1),
    ("your daughter's", 1),
    ("your student", 1),
    ("your request", 1),
    ("your letter", 1),
    ("your email", 1),
    ("your concerns", 1),
    ("dear parent", 3),
    ("dear parents", 3),
    ("dear parent/guardian", 3),
    ("dear parent or guardian", 3),
    ("dear parent(s)", 3),
    ("dear family", 3),
    ("dear families", 3),
    // A district's form letter, its blanks still to fill: the parent greeted by a placeholder,
    // the letterhead a placeholder too.
    ("dear [parent", 3),
    ("dear (parent", 3),
    ("dear <parent", 3),
    ("[school letterhead]", 3),
    ("(school letterhead)", 3),
    ("[district letterhead]", 3),
    ("the district has", 1),
    ("the district will", 1),
    ("the district is", 1),
    ("in response to your", 2),
    ("has received your", 2),
    ("we have received your", 2),
    ("enclosed please find", 1),
    ("please sign and return", 1),
];

/// Titles a district employee signs with.
const STAFF_TITLES: &[&str] = &[
    "director",
    "coordinator",
    "principal",
    "superintendent",
    "case manager",
    "school psychologist",
    "psychologist",
    "special education teacher",
    "teacher",
    "specialist",
    "administrator",
    "supervisor",
    "special education",
    "student services",
    "pupil services",
    "speech-language pathologist",
    "counselor",
    "diagnostician",
    "compliance officer",
    "program manager",
];

/// Whom a letter to the school greets.
const SCHOOL_ADDRESSEES: &[&str] = &[
    "director",
    "superintendent",
    "principal",
    "coordinator",
    "iep team",
    "ard committee",
    "cse chair",
    "committee on special education",
    "team chair",
    "case manager",
    "special education",
    "school psychologist",
    "administrator",
];

/// Words a parent signs with.
const PARENT_TITLES: &[&str] = &[
    "parent",
    "mother",
    "father",
    "guardian",
    "mom",
    "dad",
    "parents of",
];

/// Decides who wrote the document, with the evidence in words and how much more evidence the
/// winning side has (0: none either way, or as much each way).
pub fn sender(doc: &Doc<'_>, body: &Found<'_>, settings: &Settings) -> (Sender, String, u32) {
    // Evidence for each side: (weight, what it is).
    let mut parent: Vec<(u32, String)> = Vec::new();
    let mut district: Vec<(u32, String)> = Vec::new();
    for (p, w) in PARENT_VOICE {
        if body.has(p) {
            parent.push((*w, format!("\"{p}\"")));
        }
    }
    for (d, w) in DISTRICT_VOICE {
        if body.has(d) {
            district.push((*w, format!("\"{d}\"")));
        }
    }
    // The letterhead: the district's name or an organisation's at the very top of page 1, before
    // the letter's date (a parent's letter has their own address there, and the district's
    // only in the recipient's block under the date).
    let first = doc.pages.first().map_or(0, |p| p.start);
    let top: Vec<&str> = doc
        .page_lines(0)
        .iter()
        .enumerate()
        .take(4)
        .take_while(|(k, _)| doc.dates[first + k].is_empty())
        .map(|(_, l)| l.text)
        .collect();
    // The recipient's block before a salutation ("Director of Special Education / Cedar Valley
    // School District / Dear Director:") names the district too: with no date line above it,
    // an organisation's line just under a person's title is the addressee, not the letterhead.
    let person = |l: &str| {
        let f = fold(l);
        STAFF_TITLES.iter().any(|t| has_phrase(&f, t))
            || ["mr.", "ms.", "mrs.", "dr.", "name of"]
                .iter()
                .any(|p| f.starts_with(p) || f.contains(p))
    };
    for (k, line) in top.iter().enumerate() {
        // A template's placeholder ("(Name of School District)") is nobody's letterhead.
        if line.trim_start().starts_with(['(', '[', '<']) || (k > 0 && person(top[k - 1])) {
            continue;
        }
        let f = fold(line);
        // A sample's or a template's heading ("Template Letter To Request an Assessment from your
        // School District") is nobody's letterhead.
        if has_phrase(&f, "template") || has_phrase(&f, "sample") {
            continue;
        }
        // "Letter to the School District": a heading that names the addressee, the school.
        if f.starts_with("letter to ") || f.starts_with("a letter to ") {
            if SCHOOL_ADDRESSEES
                .iter()
                .chain(&["school", "district"])
                .any(|t| has_phrase(&f, t))
            {
                parent.push((3, format!("a letter to the school (\"{}\")", super::clip(line))));
            }
            continue;
        }
        if let Some(d) = settings
            .districts
            .iter()
            .find(|d| !d.is_empty() && f.contains(d.as_str()))
        {
            district.push((4, format!("the district's name at the top ({d})")));
            break;
        }
        if is_letterhead_line(line) && super::page::ORG_WORDS.iter().any(|w| f.contains(w)) {
            district.push((3, format!("letterhead \"{}\"", super::clip(line))));
            break;
        }
    }
    // A form letter addressed to the parent's placeholder ("Parent Name / Address / City,
    // State ZIP Code" at its top) is the district's.
    if let Some(l) = doc.page_lines(0).iter().take(4).find(|l| {
        matches!(
            fold(l.text).trim_matches(|c: char| !c.is_alphanumeric()),
            "parent name" | "parent/guardian name" | "name of parent" | "parent(s) name" | "parent's name"
        )
    }) {
        district.push((
            3,
            format!("addressed to the parent (\"{}\")", super::clip(l.text)),
        ));
    }
    // Whom it greets: a letter to a director, a principal or the IEP team is written to the
    // school ("Dear Director of Special Education:", "Dear (Name of Principal)").
    if let Some(t) = doc
        .lines
        .iter()
        .take(60)
        .find(|l| super::folded_starts_with(l.text, "dear "))
        .map(|l| fold(l.text))
        // "Dear families of students receiving Special Education services" greets the family.
        .filter(|g| {
            !["parent", "parents", "family", "families", "guardian", "guardians"]
                .iter()
                .any(|w| has_phrase(g, w))
        })
        .and_then(|g| SCHOOL_ADDRESSEES.iter().find(|t| has_phrase(&g, t)))
    {
        parent.push((3, format!("addressed to the school (\"{t}\")")));
    }
    // The signature: the lines after the closing.
    let lines: Vec<&str> = doc.lines.iter().map(|l| l.text).collect();
    if let Some(i) = lines.iter().rposition(|l| {
        super::kinds::LETTER_FORM[2..]
            .iter()
            .any(|c| super::folded_starts_with(l, c))
    }) {
        // What follows the closing on its own line ("Sincerely, Principal") signs it too.
        let closing = lines[i];
        let rest = closing
            .split_once(',')
            .map(|(_, r)| r.trim())
            .filter(|r| !r.is_empty());
        for l in rest.iter().chain(lines.iter().skip(i + 1).take(5)) {
            let f = fold(l);
            if copies_line(&f) {
                break;
            }
            if let Some(t) = STAFF_TITLES.iter().find(|t| has_phrase(&f, t)) {
                district.push((4, format!("signed by \"{}\" ({t})", super::clip(l))));
                break;
            }
            if let Some(t) = PARENT_TITLES.iter().find(|t| has_phrase(&f, t)) {
                parent.push((4, format!("signed \"{}\" ({t})", super::clip(l))));
                break;
            }
        }
    }
    // A note with no closing, signed at its end with a name and a title ("Justin Keleher /
    // Director of Special Services").
    if let Some((line, title)) = signed_at_end(doc) {
        let said = |v: &Vec<(u32, String)>| v.iter().any(|e| e.1.starts_with("signed"));
        if !said(&district) && !said(&parent) {
            if STAFF_TITLES.contains(&title) {
                district.push((4, format!("signed by \"{}\" ({title})", super::clip(line))));
            } else {
                parent.push((4, format!("signed \"{}\" ({title})", super::clip(line))));
            }
        }
    }
    // A memo's "From:" line names its writer ("FR: Nissan Bar-Lev, Director of Special
    // Education").
    if let Some(l) = doc.page_lines(0).iter().take(30).find(|l| {
        ["from:", "from :", "fr:", "fr :"]
            .iter()
            .any(|p| super::folded_starts_with(l.text, p))
    }) {
        let f = fold(l.text);
        if let Some(t) = STAFF_TITLES.iter().find(|t| has_phrase(&f, t)) {
            district.push((4, format!("from \"{}\" ({t})", super::clip(l.text))));
        } else if let Some(t) = PARENT_TITLES.iter().find(|t| has_phrase(&f, t)) {
            parent.push((4, format!("from \"{}\" ({t})", super::clip(l.text))));
        }
    }
    parent.sort_by_key(|e| std::cmp::Reverse(e.0));
    district.sort_by_key(|e| std::cmp::Reverse(e.0));
    let p: u32 = parent.iter().map(|e| e.0).sum::<u32>().min(10);
    let d: u32 = district.iter().map(|e| e.0).sum::<u32>().min(10);
    if d > p {
        (
            Sender::District,
            format!("written by the district: {}", district[0].1),
            d - p,
        )
    } else if p > d {
        (
            Sender::Parent,
            format!("written by a parent: {}", parent[0].1),
            p - d,
        )
    } else if d > 0 {
        (
            Sender::District,
            format!(
                "written by the district: {} (as much evidence either way)",
                district[0].1
            ),
            0,
        )
    } else {
        (
            Sender::Parent,
            "a letter with no district letterhead or staff signature".into(),
            0,
        )
    }
}

/// A folded line that lists copies or enclosures ("cc: Ms. Lee, Principal"): it names others,
/// not the writer.
fn copies_line(folded: &str) -> bool {
    [
        "cc",
        "c:",
        "bcc",
        "copy to",
        "copies to",
        "enclosure",
        "encl",
        "attachment",
    ]
    .iter()
    .any(|p| folded.starts_with(p))
}

/// The title under the name that ends a note or a letter ("Justin Keleher / Director of Special
/// Services", "Maria Lopez / Parent"): the line and the title (a staff title or a parent's).
/// Only the last three lines with words count, and the line above the title must read as a
/// person's name (two to four capitalised words, no digits, no colon).
pub fn signed_at_end<'a>(doc: &Doc<'a>) -> Option<(&'a str, &'static str)> {
    let last: Vec<&str> = doc
        .lines
        .iter()
        .rev()
        .map(|l| l.text.trim())
        .filter(|t| !t.is_empty())
        .take(4)
        .collect();
    // last[0] is the last line; a title among the last three, with a name just above it.
    for k in 0..last.len().min(3) {
        let (title_line, name) = (last[k], *last.get(k + 1)?);
        let f = fold(title_line);
        if copies_line(&f) {
            continue;
        }
        if f.split_whitespace().count() > 8 {
            continue;
        }
        let title = STAFF_TITLES
            .iter()
            .chain(PARENT_TITLES)
            .copied()
            .find(|t| has_phrase(&f, t));
        let words: Vec<&str> = name.split_whitespace().collect();
        let named = (2..=4).contains(&words.len())
            && name.len() <= 40
            && !name.contains(':')
            && !name.chars().any(|c| c.is_ascii_digit())
            && words
                .iter()
                .all(|w| w.chars().next().is_some_and(char::is_uppercase));
        if let (Some(t), true) = (title, named) {
            return Some((title_line, t));
        }
    }
    None
}
