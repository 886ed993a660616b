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

/// How a parent speaks of their child and of themselves.
const PARENT_VOICE: &[&str] = &[
    "my son",
    "my daughter",
    "my child",
    "my son's",
    "my daughter's",
    "my child's",
    "our son",
    "our daughter",
    "our child",
    "our son's",
    "our daughter's",
    "our child's",
    "as the parent",
    "as his mother",
    "as her mother",
    "as his father",
    "as her father",
    "i am the parent",
    "i am writing to request",
    "i am requesting",
    "i request",
    "i disagree",
    "i do not agree",
    "we are requesting",
    "we request",
];

/// How a district speaks to a parent.
const DISTRICT_VOICE: &[&str] = &[
    "your child",
    "your child's",
    "your son",
    "your son's",
    "your daughter",
    "your daughter's",
    "your student",
    "your request",
    "your letter",
    "your email",
    "your concerns",
    "dear parent",
    "dear parents",
    "dear parent/guardian",
    "dear parent or guardian",
    "dear parent(s)",
    "dear family",
    "the district has",
    "the district will",
    "the district is",
    "the school district",
    "in response to your",
    "we have received your",
    "enclosed please find",
    "please sign and return",
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

/// Decides who wrote the document, with the evidence in words.
pub fn sender(doc: &Doc<'_>, body: &Found<'_>, settings: &Settings) -> (Sender, String) {
    let mut parent: Vec<String> = Vec::new();
    let mut district: Vec<String> = Vec::new();
    for p in PARENT_VOICE {
        if body.has(p) {
            parent.push(format!("\"{p}\""));
        }
    }
    for d in DISTRICT_VOICE {
        if body.has(d) {
            district.push(format!("\"{d}\""));
        }
    }
    // The letterhead: the district's name or an organisation's at the very top of page 1, before
    // the letter's date (a parent's letter has their own address there, and the district's
    // only in the recipient's block under the date).
    let top: Vec<&str> = doc
        .page_lines(0)
        .iter()
        .take(4)
        .map(|l| l.text)
        .take_while(|t| super::dates::find_dates(t, settings.order).is_empty())
        .collect();
    for line in &top {
        let f = fold(line);
        if let Some(d) = settings
            .districts
            .iter()
            .find(|d| !d.is_empty() && f.contains(d.as_str()))
        {
            district.push(format!("the district's name at the top ({d})"));
            district.push("letterhead".into());
            break;
        }
        if is_letterhead_line(line) && super::page::ORG_WORDS.iter().any(|w| f.contains(w)) {
            district.push(format!("letterhead \"{}\"", super::clip(line)));
            break;
        }
    }
    // The signature: the lines after the closing.
    let lines: Vec<&str> = doc.lines.iter().map(|l| l.text).collect();
    if let Some(i) = lines.iter().rposition(|l| {
        let f = fold(l);
        [
            "sincerely",
            "respectfully",
            "yours truly",
            "best regards",
            "regards",
            "thank you",
        ]
        .iter()
        .any(|c| f.starts_with(c))
    }) {
        for l in lines.iter().skip(i + 1).take(5) {
            let f = fold(l);
            if let Some(t) = STAFF_TITLES.iter().find(|t| has_phrase(&f, t)) {
                district.push(format!("signed by \"{}\" ({t})", super::clip(l)));
                district.push("a staff title".into());
                break;
            }
            if let Some(t) = PARENT_TITLES.iter().find(|t| has_phrase(&f, t)) {
                parent.push(format!("signed \"{}\" ({t})", super::clip(l)));
                parent.push("a parent's signature".into());
                break;
            }
        }
    }
    let p = parent.len().min(6);
    let d = district.len().min(6);
    if d > p {
        (
            Sender::District,
            format!("written by the district: {}", district[0]),
        )
    } else if p > d {
        (Sender::Parent, format!("written by a parent: {}", parent[0]))
    } else if d > 0 {
        (
            Sender::District,
            format!(
                "written by the district: {} (as much evidence either way)",
                district[0]
            ),
        )
    } else {
        (
            Sender::Parent,
            "a letter with no district letterhead or staff signature".into(),
        )
    }
}
