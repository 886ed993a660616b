//! A title a person would write: the document's own heading and what tells it apart from its
//! siblings ("IEP — annual review, 2023-01-16"; a letter's "Re:" line; "Decision — OAH Case No.
//! 2013071293"), never the letterhead, an address, a phone number, a bullet or a list item.

use super::page::{Doc, is_contact_line, is_heading_noise, is_letterhead_line};
use super::{Input, Settings, clip, fold, has_phrase};

/// Short words kept in capitals when an all-caps heading is written in title case.
const ACRONYMS: &[&str] = &[
    "IEP", "IEE", "PWN", "FBA", "BIP", "OT", "PT", "SLP", "ARD", "CSE", "NOREP", "MDR", "OAH", "ALJ", "IDEA",
    "FAPE", "LRE", "ESY", "USD", "ISD", "SELPA", "II", "III", "IV", "504", "PLAAFP", "REED", "ETR", "FIE",
    "DCPS", "OSSE",
];

/// "PRIOR WRITTEN NOTICE" → "Prior Written Notice" (acronyms kept); other text as written.
fn tidy_case(s: &str) -> String {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    if letters.len() < 6 || upper * 10 < letters.len() * 9 {
        return s.to_string();
    }
    const SMALL: &[&str] = &[
        "of", "and", "or", "for", "to", "the", "a", "an", "in", "on", "by", "at",
    ];
    s.split(' ')
        .enumerate()
        .map(|(i, w)| {
            let core: String = w.chars().filter(|c| c.is_alphanumeric()).collect();
            if ACRONYMS.contains(&core.as_str()) || core.chars().any(|c| c.is_ascii_digit()) {
                w.to_string()
            } else if i > 0 && SMALL.contains(&core.to_lowercase().as_str()) {
                w.to_lowercase()
            } else {
                let mut out = String::new();
                let mut first = true;
                for c in w.chars() {
                    if first && c.is_alphabetic() {
                        out.extend(c.to_uppercase());
                        first = false;
                    } else {
                        out.extend(c.to_lowercase());
                    }
                }
                out
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A heading line without the organisation or form code beside it ("PINE HOLLOW COUNTY SCHOOLS -
/// PRIOR WRITTEN NOTICE" → "PRIOR WRITTEN NOTICE").
fn strip_org(line: &str) -> String {
    let normal = line.split_whitespace().collect::<Vec<_>>().join(" ");
    let kept: Vec<&str> = normal
        .split(" - ")
        .flat_map(|p| p.split(" — "))
        .flat_map(|p| p.split(" | "))
        .map(str::trim)
        .filter(|p| !p.is_empty() && !is_letterhead_line(p))
        .collect();
    if kept.is_empty() { normal } else { kept.join(" - ") }
}

/// The subject line of a letter or notice ("Re: …", "Subject: …", "Regarding: …").
fn subject_line(doc: &Doc<'_>) -> Option<String> {
    for l in doc.lines.iter().take(60) {
        let t = l.text;
        for prefix in ["re:", "re :", "subject:", "regarding:", "subj:"] {
            if t.len() > prefix.len() + 2
                && t.get(..prefix.len())
                    .is_some_and(|h| h.eq_ignore_ascii_case(prefix))
                && let Some(rest) = t.get(prefix.len()..)
                // A template's blank ("Re: Student's Complete Name") is not a subject.
                && !super::page::is_label_line(rest)
            {
                return Some(clip(rest.trim()));
            }
        }
    }
    None
}

/// What kind of IEP meeting a document records.
fn iep_type(body: &str) -> Option<&'static str> {
    let first: String = body.chars().take(4000).collect();
    for (words, name) in [
        (
            &["annual review", "annual iep", "annual meeting"][..],
            "annual review",
        ),
        (
            &["triennial", "three-year reevaluation", "3-year reevaluation"],
            "triennial review",
        ),
        (
            &[
                "initial iep",
                "initial eligibility",
                "initial meeting",
                "initial placement",
            ],
            "initial",
        ),
        (&["transfer iep", "interim iep", "transfer meeting"], "transfer"),
        (&["reevaluation", "re-evaluation"], "reevaluation"),
    ] {
        // A checkbox form lists every type; the checked one is marked.
        for w in words {
            for (pos, _) in first.match_indices(w) {
                let before = &first[pos.saturating_sub(4)..pos];
                let checked = before.contains('☒')
                    || before.contains('☑')
                    || before.contains("[x]")
                    || before.contains("x ]");
                let unchecked = before.contains('☐') || before.contains('□') || before.contains("[ ]");
                if checked || (!unchecked && has_phrase(&first, w)) {
                    return Some(name);
                }
            }
        }
    }
    None
}

/// The title: for an email its subject; for a letter its subject line or first sentence; for
/// other documents their heading and what distinguishes them.
pub fn title(
    doc: &Doc<'_>,
    input: &Input<'_>,
    kind: &str,
    named_by: Option<&str>,
    date: Option<&str>,
    body_folded: &str,
    settings: &Settings,
) -> Option<String> {
    if kind == "email" && input.format == "email" {
        return input
            .meta
            .pointer("/email/subject")
            .and_then(|v| v.as_str())
            .map(clip);
    }
    let subject = subject_line(doc);
    if kind.ends_with("_letter") || kind == "email" {
        if let Some(s) = subject {
            return Some(s);
        }
        // A letter without a subject line: its first sentence after "Dear …," says what it is about.
        if let Some(i) = doc
            .lines
            .iter()
            .position(|l| super::folded_starts_with(l.text, "dear "))
        {
            let text: String = doc.lines[i + 1..]
                .iter()
                .take(3)
                .map(|l| l.text)
                .collect::<Vec<_>>()
                .join(" ");
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
    // The heading: the first heading line that is not letterhead, a name of the student or the
    // school, or a date alone.
    let heading = doc
        .heading_candidates()
        .iter()
        .map(|&i| doc.lines[i].text)
        .find(|t| {
            let f = fold(t);
            let letters = t.chars().filter(|c| c.is_alphabetic()).count();
            let mostly_date = !super::dates::find_dates(t, settings.order).is_empty() && letters < 12;
            let org_only = is_letterhead_line(t) && strip_org(t) == t.trim();
            let names_only =
                settings.schools.contains(&f) || settings.student.as_deref().is_some_and(|n| f == fold(n));
            let rejected = letters < 4
                || mostly_date
                || is_contact_line(t)
                || org_only
                || names_only
                || f.starts_with("student")
                || f.starts_with("confidential")
                || is_heading_noise(t);
            !rejected
        });
    // The heading line that named the kind, when one did; else the first that reads as a title.
    let heading = named_by.or(heading).map(|h| tidy_case(&strip_org(h)));
    match (kind, heading) {
        ("iep", h) => {
            let kind_words = iep_type(body_folded);
            let base = h.filter(|h| h.len() <= 60).unwrap_or_else(|| "IEP".to_string());
            let base = if fold(&base).contains("individualized education") || fold(&base) == "iep" {
                "IEP".to_string()
            } else {
                base
            };
            let mut parts = vec![base];
            if let Some(t) = kind_words {
                parts.push(t.to_string());
            }
            if let Some(d) = date {
                parts.push(d.to_string());
            }
            Some(match parts.len() {
                1 => parts.remove(0),
                _ => format!("{} — {}", parts[0], parts[1..].join(", ")),
            })
        }
        ("decision", h) => {
            let case = doc.lines.iter().take(60).find_map(|l| {
                let f = fold(l.text);
                [
                    "case no",
                    "case number",
                    "oah case",
                    "docket no",
                    "complaint no",
                    "case #",
                ]
                .iter()
                .any(|c| f.contains(c))
                .then(|| clip(l.text))
            });
            let base = h.unwrap_or_else(|| "Decision".into());
            Some(match case {
                Some(c) if !fold(&base).contains(&fold(&c)) => format!("{base} — {c}"),
                _ => base,
            })
        }
        (_, Some(h)) => Some(match subject {
            Some(s) if !fold(&h).contains(&fold(&s)) && h.len() < 60 => format!("{h}: {s}"),
            _ => h,
        }),
        (_, None) => {
            if let Some(s) = subject {
                return Some(s);
            }
            let meta_title = input.meta.get("title").and_then(|v| v.as_str()).unwrap_or("");
            let junk = meta_title.trim().is_empty()
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_caps_headings_read_in_title_case_and_lose_their_letterhead() {
        assert_eq!(tidy_case("PRIOR WRITTEN NOTICE"), "Prior Written Notice");
        assert_eq!(tidy_case("NOTICE OF IEP MEETING"), "Notice of IEP Meeting");
        assert_eq!(
            strip_org("PINE HOLLOW COUNTY SCHOOLS - PRIOR WRITTEN NOTICE"),
            "PRIOR WRITTEN NOTICE"
        );
        assert_eq!(
            tidy_case("Evaluation Summary Report"),
            "Evaluation Summary Report"
        );
    }
}
