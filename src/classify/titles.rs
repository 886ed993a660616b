//! The names forms and papers give themselves, read the way staff in any state write them.
//!
//! A district's "Written Prior Notice of Change of Placement", another's "Prior Written Notice"
//! and a vendor's "NOTICE - PRIOR WRITTEN" are one kind of paper. The names live in a sourced
//! table (`titles.tsv`: every row with the state, district or vendor it was seen at and the public
//! page it was seen on); a heading names a row when it holds every significant word of it, in any
//! order, whatever its case, punctuation, plurals, form codes and filler words. Rows of a single
//! significant word ("Minutes", "Addendum") match as whole phrases only.
//!
//! The table is data: adding a state's wording is adding a row, and a test classifies a document
//! headed by each row to the row's kind.

use std::collections::HashMap;

use super::fold;

/// One row of the table.
#[derive(Debug)]
pub struct Row {
    pub title: &'static str,
    pub kind: &'static str,
    pub rank: u8,
    /// Only under a case caption (a bare "ORDER").
    pub caption_only: bool,
    /// A title seen on a real paper (not generic wording): it names a heading that is this title,
    /// give or take a word or two (a district's name, a code), not one that merely holds its words.
    pub exact: bool,
    pub place: &'static str,
    pub source: &'static str,
    /// Its significant words, sorted and unique (token ids).
    tokens: Vec<u32>,
    /// Matched as a whole phrase (one significant word): the folded title.
    phrase: Option<String>,
}

/// A row named by a heading line.
#[derive(Debug, Clone)]
pub struct Hit {
    pub row: usize,
    pub kind: &'static str,
    pub rank: u8,
    /// Significant words the row has (more is more specific).
    pub size: usize,
    /// Byte position, in the folded line, of the row's first word there.
    pub pos: usize,
    /// The share of the line's significant words the row accounts for (1.0: the line is the
    /// name and nothing else).
    pub coverage: f32,
    /// The line is a title seen on a real paper, give or take a word or two.
    pub exact: bool,
}

/// The table, its vocabulary and an index from a word to the rows it can start.
pub struct Table {
    pub rows: Vec<Row>,
    vocab: HashMap<String, u32, foldhash::fast::FixedState>,
    /// Token rows by their rarest word: a heading is checked only against rows whose rarest
    /// word it holds.
    by_token: HashMap<u32, Vec<usize>, foldhash::fast::FixedState>,
    phrases: Option<aho_corasick::AhoCorasick>,
    phrase_rows: Vec<usize>,
}

/// The default rank of a kind's names: how it ranks against another kind named in the same
/// heading. A paper about another paper (a notice of a meeting, a consent for an evaluation, an
/// eligibility determination resting on an evaluation) is what it is about last.
pub fn default_rank(kind: &str) -> u8 {
    match kind {
        "decision" => 4,
        "iep_amendment"
        | "progress_report"
        | "report_card"
        | "consent"
        | "meeting_notice"
        | "meeting_notes"
        | "manifestation_determination"
        | "mediation_request"
        | "mediation_agreement"
        | "settlement_agreement"
        | "state_complaint"
        | "due_process"
        | "service_log"
        | "eligibility"
        | "letter" => 3,
        "iep" => 1,
        _ => 2,
    }
}

const TABLE: &str = include_str!("titles.tsv");

/// Words that say nothing of what a paper is.
const FILLER: &[&str] = &[
    "the",
    "of",
    "for",
    "a",
    "an",
    "and",
    "or",
    "to",
    "on",
    "in",
    "with",
    "by",
    "at",
    "from",
    "under",
    "regarding",
    "re",
    "about",
    "as",
    "form",
    "page",
    "pages",
    "copy",
    "its",
    "this",
    "that",
    "your",
    "my",
    "our",
    "his",
    "her",
    "their",
];

/// US states' and territories' names: a state's name in a title ("Kansas Written Prior Notice")
/// says where, not what.
const PLACES: &[&str] = &[
    "alabama",
    "alaska",
    "arizona",
    "arkansas",
    "california",
    "colorado",
    "connecticut",
    "delaware",
    "florida",
    "georgia",
    "hawaii",
    "idaho",
    "illinois",
    "indiana",
    "iowa",
    "kansas",
    "kentucky",
    "louisiana",
    "maine",
    "maryland",
    "massachusetts",
    "michigan",
    "minnesota",
    "mississippi",
    "missouri",
    "montana",
    "nebraska",
    "nevada",
    "ohio",
    "oklahoma",
    "oregon",
    "pennsylvania",
    "tennessee",
    "texas",
    "utah",
    "vermont",
    "virginia",
    "washington",
    "wisconsin",
    "wyoming",
];

/// Hyphenated prefixes that make one word with what follows ("re-evaluation", "psycho-educational").
const JOINED_PREFIXES: &[&str] = &[
    "re", "psycho", "pre", "non", "co", "multi", "inter", "sub", "self", "post",
];

/// One word brought to the form the table uses: plural and spelling variants folded.
fn normal_word(w: &str) -> Option<String> {
    if w.is_empty() {
        return None;
    }
    // Form codes and numbers ("7b", "09.14", "pr-01", "2023") are not words of a name; 504 is.
    if w.chars().any(|c| c.is_ascii_digit()) {
        return (w == "504").then(|| w.to_string());
    }
    let w = match w {
        "behavioral" | "behavioural" | "behaviour" | "behaviors" | "behaviours" => "behavior",
        "parental" | "parents" | "parent" => "parent",
        "individualized" | "individualised" => "individual",
        "educational" => "education",
        "programme" => "program",
        "notification" => "notice",
        "reevaluations" => "reevaluation",
        "determinations" => "determination",
        _ => w,
    };
    let w = if let Some(stem) = w.strip_suffix("ies").filter(|s| s.len() >= 3) {
        format!("{stem}y")
    } else if w.len() > 3
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
        && !w.ends_with("ies")
    {
        w[..w.len() - 1].to_string()
    } else {
        w.to_string()
    };
    Some(w)
}

/// The significant words of a line, each with its byte position in the folded line.
pub fn words(folded: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < folded.len() {
        let c = folded[i..].chars().next().unwrap_or(' ');
        if !c.is_alphanumeric() {
            i += c.len_utf8();
            continue;
        }
        let start = i;
        let mut end = i;
        while end < folded.len() {
            let ch = folded[end..].chars().next().unwrap_or(' ');
            let joins = (ch == '-' || ch == '\'' || ch == '’' || ch == '.')
                && folded[end + ch.len_utf8()..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric);
            if ch.is_alphanumeric() || joins {
                end += ch.len_utf8();
            } else {
                break;
            }
        }
        let raw = &folded[start..end];
        i = end;
        // Possessives: "parent's", "parents'".
        let raw = raw
            .strip_suffix("'s")
            .or_else(|| raw.strip_suffix("’s"))
            .unwrap_or(raw);
        let raw = raw.trim_end_matches(['\'', '’']);
        let mut parts: Vec<String> = Vec::new();
        let pieces: Vec<&str> = raw.split('-').collect();
        let mut k = 0;
        while k < pieces.len() {
            let p = pieces[k];
            if JOINED_PREFIXES.contains(&p) && k + 1 < pieces.len() {
                parts.push(format!("{p}{}", pieces[k + 1]));
                k += 2;
            } else {
                parts.push(p.to_string());
                k += 1;
            }
        }
        for p in parts {
            // "d.o.b", "u.s.": dots out.
            let p: String = p
                .chars()
                .filter(|c| *c != '.' && *c != '\'' && *c != '’')
                .collect();
            // One letter alone is no word of a name: "Member(s)", "Part B", "Form A".
            let single_letter = p.chars().count() == 1 && p.chars().all(char::is_alphabetic);
            if single_letter || FILLER.contains(&p.as_str()) || PLACES.contains(&p.as_str()) {
                continue;
            }
            if let Some(w) = normal_word(&p) {
                out.push((w, start));
            }
        }
    }
    out
}

impl Table {
    fn load() -> Table {
        let mut rows = Vec::new();
        let mut vocab: HashMap<String, u32, foldhash::fast::FixedState> = HashMap::default();
        let mut counts: HashMap<u32, usize, foldhash::fast::FixedState> = HashMap::default();
        for line in TABLE.lines() {
            if line.starts_with('#') || line.trim().is_empty() || line.starts_with("title\t") {
                continue;
            }
            let f: Vec<&'static str> = line.split('\t').collect();
            let (Some(&title), Some(&kind)) = (f.first(), f.get(1)) else {
                continue;
            };
            let rank = f
                .get(2)
                .and_then(|r| r.trim().parse().ok())
                .unwrap_or_else(|| default_rank(kind));
            let folded = fold(&unglue(title));
            let ws = words(&folded);
            let mut tokens: Vec<u32> = ws
                .iter()
                .map(|(w, _)| {
                    let n = vocab.len() as u32;
                    *vocab.entry(w.clone()).or_insert(n)
                })
                .collect();
            tokens.sort_unstable();
            tokens.dedup();
            for t in &tokens {
                *counts.entry(*t).or_default() += 1;
            }
            let phrase = (tokens.len() <= 1).then(|| folded.clone());
            rows.push(Row {
                title,
                kind,
                rank,
                caption_only: f.get(3).is_some_and(|w| w.trim() == "caption"),
                exact: f.get(4).is_some_and(|w| w.trim() != "any"),
                place: f.get(4).copied().unwrap_or(""),
                source: f.get(5).copied().unwrap_or(""),
                tokens,
                phrase,
            });
        }
        let mut by_token: HashMap<u32, Vec<usize>, foldhash::fast::FixedState> = HashMap::default();
        let mut phrase_rows = Vec::new();
        let mut phrase_texts = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            if let Some(p) = &r.phrase {
                phrase_rows.push(i);
                phrase_texts.push(p.clone());
            } else if let Some(rarest) = r
                .tokens
                .iter()
                .min_by_key(|t| (counts.get(t).copied().unwrap_or(0), **t))
            {
                by_token.entry(*rarest).or_default().push(i);
            }
        }
        let phrases = aho_corasick::AhoCorasick::new(&phrase_texts).ok();
        Table {
            rows,
            vocab,
            by_token,
            phrases,
            phrase_rows,
        }
    }

    /// The rows a heading line names (each row once).
    pub fn hits(&self, line: &str) -> Vec<Hit> {
        let folded = fold(&unglue(line));
        let ws = words(&folded);
        // (token id, index among the line's significant words, byte position)
        let mut ids: Vec<(u32, usize, usize)> = ws
            .iter()
            .enumerate()
            .filter_map(|(k, (w, pos))| self.vocab.get(w).map(|id| (*id, k, *pos)))
            .collect();
        let significant = ws.len().max(1);
        ids.sort_unstable();
        let mut set: Vec<u32> = ids.iter().map(|(i, _, _)| *i).collect();
        set.dedup();
        let mut out: Vec<Hit> = Vec::new();
        for &t in &set {
            let Some(rows) = self.by_token.get(&t) else {
                continue;
            };
            for &r in rows {
                let row = &self.rows[r];
                if !row.tokens.iter().all(|x| set.binary_search(x).is_ok()) {
                    continue;
                }
                // The name's words stand together: at most two other words among them ("Report
                // of Progress on Annual Goals" names a progress report; "Score Report ...
                // Assessment of Student Performance and Progress" does not).
                let crowded = row.exact && significant > row.tokens.len() + allowed_extra(row.tokens.len());
                if let Some((pos, first, last)) = window(&ids, &row.tokens, row.tokens.len() + 2) {
                    // Too many other words, unless the name is a paper's own noun ("Referral for
                    // Evaluation") and the words are before it, saying who issues it ("Student
                    // Support and Interventions Team Referral for Comprehensive Evaluation").
                    if crowded {
                        let own_noun = row.tokens.iter().any(|t| {
                            OTHER_PAPER
                                .iter()
                                .any(|w| self.vocab.get(*w).is_some_and(|id| id == t))
                        });
                        let after = significant.saturating_sub(last + 1);
                        let inside = (last + 1 - first).saturating_sub(row.tokens.len());
                        if !own_noun || first > 6 || after + inside > allowed_extra(row.tokens.len()) {
                            continue;
                        }
                    }
                    // A word left over that names another paper ("Section 504 Notice to Parent"
                    // inside "Section 504 Notice of Parent Rights") makes the heading another
                    // paper's title, not this one give or take a word.
                    let other_paper = row.exact
                        && ws.iter().any(|(w, _)| {
                            OTHER_PAPER.contains(&w.as_str())
                                && self
                                    .vocab
                                    .get(w)
                                    .is_none_or(|id| row.tokens.binary_search(id).is_err())
                        });
                    if other_paper {
                        continue;
                    }
                    if names_another_object(row.tokens.len(), &ws) {
                        continue;
                    }
                    out.push(Hit {
                        row: r,
                        kind: row.kind,
                        rank: row.rank,
                        size: row.tokens.len(),
                        pos,
                        coverage: row.tokens.len() as f32 / significant as f32,
                        exact: row.exact,
                    });
                }
            }
        }
        if let Some(ac) = &self.phrases {
            let hb = folded.as_bytes();
            for m in ac.find_overlapping_iter(&folded) {
                let (start, end) = (m.start(), m.end());
                let bounded = (start == 0 || !hb[start - 1].is_ascii_alphanumeric())
                    && (end >= hb.len() || !hb[end].is_ascii_alphanumeric());
                if !bounded {
                    continue;
                }
                let r = self.phrase_rows[m.pattern().as_usize()];
                if out.iter().any(|h| h.row == r) {
                    continue;
                }
                let row = &self.rows[r];
                let size = row.tokens.len().max(1);
                if (row.exact && significant > size + allowed_extra(size)) || names_another_object(size, &ws)
                {
                    continue;
                }
                out.push(Hit {
                    row: r,
                    kind: row.kind,
                    rank: row.rank,
                    size,
                    pos: start,
                    coverage: size as f32 / significant as f32,
                    exact: row.exact,
                });
            }
        }
        out
    }
}

/// A one-word name beside what it is done to, when that is not the child's program
/// ("Amendment of Records": a right under FERPA, not an IEP amendment; "Addendum to Board
/// Policy").
fn names_another_object(size: usize, ws: &[(String, usize)]) -> bool {
    size == 1
        && ws
            .iter()
            .any(|(w, _)| matches!(w.as_str(), "record" | "policy" | "policie" | "contract" | "lease"))
}

/// Words that name a paper of their own: one of them beside a real title, and not in it, means
/// the heading is another paper's title.
const OTHER_PAPER: &[&str] = &[
    "right",
    "safeguard",
    "consent",
    "permission",
    "minute",
    "agreement",
    "complaint",
    "decision",
    "log",
    "invitation",
    "amendment",
    "addendum",
    "referral",
    "checklist",
    "investigation",
];

/// Words a heading may hold beside a real title and still be that title (a district's name, a
/// program's): one for a short title, two for a longer one.
fn allowed_extra(size: usize) -> usize {
    if size >= 5 { 2 } else { 1 }
}

/// The smallest run of the line's words holding every token of a name, if it spans at most
/// `limit` words: the byte position of its first word, and the indexes of its first and last
/// words among the line's significant words.
fn window(ids: &[(u32, usize, usize)], tokens: &[u32], limit: usize) -> Option<(usize, usize, usize)> {
    // Occurrences of the name's words, in line order.
    let mut occ: Vec<(usize, u32, usize)> = ids
        .iter()
        .filter(|(t, _, _)| tokens.binary_search(t).is_ok())
        .map(|(t, k, p)| (*k, *t, *p))
        .collect();
    occ.sort_unstable();
    let mut best: Option<(usize, usize, usize, usize)> = None;
    for (a, &(start, _, pos)) in occ.iter().enumerate() {
        let mut seen: Vec<u32> = Vec::with_capacity(tokens.len());
        for &(k, t, _) in &occ[a..] {
            if !seen.contains(&t) {
                seen.push(t);
            }
            if seen.len() == tokens.len() {
                let span = k - start + 1;
                if span <= limit && best.is_none_or(|(s, ..)| span < s) {
                    best = Some((span, pos, start, k));
                }
                break;
            }
        }
    }
    best.map(|(_, pos, first, last)| (pos, first, last))
}

/// Words a PDF's text lost the space between ("CommunicationAssessment", "placementTo"),
/// parted where a lowercase letter meets a capital.
fn unglue(line: &str) -> std::borrow::Cow<'_, str> {
    let b = line.as_bytes();
    if !(1..b.len()).any(|i| b[i - 1].is_ascii_lowercase() && b[i].is_ascii_uppercase()) {
        return std::borrow::Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len() + 4);
    let mut prev_lower = false;
    for c in line.chars() {
        if prev_lower && c.is_ascii_uppercase() {
            out.push(' ');
        }
        prev_lower = c.is_ascii_lowercase();
        out.push(c);
    }
    std::borrow::Cow::Owned(out)
}

/// The table, loaded once.
pub fn table() -> &'static Table {
    static T: std::sync::OnceLock<Table> = std::sync::OnceLock::new();
    T.get_or_init(Table::load)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds_of(line: &str) -> Vec<&'static str> {
        let mut h = table().hits(line);
        h.sort_by(|a, b| {
            b.rank
                .cmp(&a.rank)
                .then(b.size.cmp(&a.size))
                .then(a.pos.cmp(&b.pos))
        });
        h.iter().map(|h| h.kind).collect()
    }

    #[test]
    fn words_fold_plurals_hyphens_possessives_and_codes() {
        let w: Vec<String> = words(&fold(
            "Parents' Rights — Re-Evaluation of Behavioural Plans, SpEd 7b 09.14 (504)",
        ))
        .into_iter()
        .map(|(w, _)| w)
        .collect();
        assert_eq!(
            w,
            [
                "parent",
                "right",
                "reevaluation",
                "behavior",
                "plan",
                "sped",
                "504"
            ]
        );
    }

    #[test]
    fn word_order_case_and_filler_do_not_matter() {
        assert_eq!(
            kinds_of("WRITTEN PRIOR NOTICE OF CHANGE OF PLACEMENT")[0],
            "prior_written_notice"
        );
        assert_eq!(kinds_of("Notice - Prior Written")[0], "prior_written_notice");
        assert_eq!(kinds_of("Amendment to IEP")[0], "iep_amendment");
        assert_eq!(
            kinds_of("Report of Progress on Annual Goals")[0],
            "progress_report"
        );
        // Who issues a paper may stand before its name.
        assert_eq!(
            kinds_of("Student Support and Interventions Team Referral For Comprehensive Evaluation")[0],
            "other"
        );
        // "(s)" marks a plural, not a word: the title is still the excusal form's.
        assert_eq!(kinds_of("Excusal of Required IEP Team Member(s)")[0], "consent");
    }

    /// A name made only of words any paper may print ("Additional Information", "Cover Sheet",
    /// "Annual Review") says nothing of what a paper is on its own: such a heading on a web page
    /// or inside another paper would be taken for the form.
    #[test]
    fn no_row_is_made_only_of_words_any_paper_prints() {
        const GENERIC: &[&str] = &[
            "additional",
            "information",
            "cover",
            "sheet",
            "interim",
            "student",
            "profile",
            "annual",
            "review",
            "action",
            "plan",
            "summary",
            "general",
            "page",
            "contact",
            "data",
            "record",
            "document",
            "other",
            "team",
        ];
        for row in &table().rows {
            let words: Vec<&str> = row
                .tokens
                .iter()
                .filter_map(|t| {
                    table()
                        .vocab
                        .iter()
                        .find(|(_, id)| *id == t)
                        .map(|(w, _)| w.as_str())
                })
                .collect();
            assert!(
                words.is_empty() || !words.iter().all(|w| GENERIC.contains(w)),
                "a row of generic words only: {words:?}"
            );
        }
    }

    #[test]
    fn every_row_has_a_known_kind_and_a_source() {
        for r in &table().rows {
            assert!(
                super::super::kinds::KINDS.contains(&r.kind) || r.kind == "letter",
                "{}: {}",
                r.title,
                r.kind
            );
            assert!(!r.source.trim().is_empty(), "{} has no source", r.title);
            assert!(!r.place.trim().is_empty(), "{} says nowhere", r.title);
            assert!(
                !r.tokens.is_empty() || r.phrase.is_some(),
                "{} has no words",
                r.title
            );
        }
    }
}

#[cfg(test)]
mod every_row {
    use super::super::{Settings, classify_text};
    use super::*;

    /// A form headed by each row of the table, with the label lines forms print around their
    /// title, classifies to the row's kind.
    #[test]
    fn every_row_names_its_kind() {
        let mut wrong = Vec::new();
        for r in table().rows.iter().filter(|r| !r.caption_only) {
            let text = format!(
                "Student Name: ____________ Date: ________\n{}\nSchool: ____________ Grade: ____\nParent/Guardian: ____________\n",
                r.title
            );
            let c = classify_text(&text, "scan.pdf", "pdf", &Settings::default());
            let ok = match r.kind {
                "letter" => matches!(c.kind.as_str(), "parent_letter" | "district_letter"),
                k => c.kind == k,
            };
            if !ok {
                wrong.push(format!("{} ({}): {} [{}]", r.title, r.kind, c.kind, r.place));
            }
        }
        assert!(
            wrong.is_empty(),
            "{} rows classify to another kind:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
    }
}
