//! The one query syntax shared by `list`, `timeline` and `binder`.
//!
//! `kind:iep,evaluation tag:speech date:2023-01-01..2024-06-30 author:lakeside "occupational therapy"`
//! Filters are `field:value[,value…]` (any value matches), `-field:value` negates, and
//! everything else is full-text: words and "quoted phrases", all of which must match. A word
//! with a colon that is not a known field (`Re:`) is plain text.

use chrono::NaiveDate;

use crate::error::user_error;

/// Fields a filter can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Kind,
    Tag,
    Date,
    Status,
    Author,
    Title,
    Path,
    Format,
}

/// The names a filter can be written with (for suggestions).
const FIELD_NAMES: &[&str] = &[
    "kind", "type", "tag", "tags", "date", "after", "since", "before", "until", "status", "author", "from",
    "title", "subject", "path", "file", "format",
];

/// What a document's `status:` can be.
const STATUSES: &[&str] = &["ok", "no_text", "encrypted", "corrupt", "unsupported"];

/// What a document's `format:` can be.
const FORMATS: &[&str] = &["pdf", "email", "docx", "text", "html", "image", "other"];

impl Field {
    fn parse(name: &str) -> Option<Field> {
        Some(match name.to_ascii_lowercase().as_str() {
            "kind" | "type" => Field::Kind,
            "tag" | "tags" => Field::Tag,
            "date" | "after" | "since" | "before" | "until" => Field::Date,
            "status" => Field::Status,
            "author" | "from" => Field::Author,
            "title" | "subject" => Field::Title,
            "path" | "file" => Field::Path,
            "format" => Field::Format,
            _ => return None,
        })
    }
}

/// A date range, both ends inclusive; `None` bounds are open. `undated` selects documents with no date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateFilter {
    Range(Option<NaiveDate>, Option<NaiveDate>),
    Undated,
}

/// One `field:values` filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub field: Field,
    pub values: Vec<String>,
    pub dates: Vec<DateFilter>,
    pub negate: bool,
}

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub clauses: Vec<Clause>,
    /// Words and phrases for the full-text index; all must match.
    pub text: Vec<String>,
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty() && self.text.is_empty()
    }
}

/// `-kind:email` on a command line looks like a flag to the argument parser; this rewrites it to
/// the equivalent `~kind:email` before parsing. Other arguments are returned unchanged.
pub fn shield_negated_filter(arg: std::ffi::OsString) -> std::ffi::OsString {
    let Some(s) = arg.to_str() else { return arg };
    if let Some(rest) = s.strip_prefix('-')
        && let Some((name, _)) = rest.split_once(':')
        && (Field::parse(name).is_some()
            || (name.chars().all(|c| c.is_ascii_alphabetic())
                && crate::error::did_you_mean(name, FIELD_NAMES.iter().copied()).is_some()))
    {
        return format!("~{rest}").into();
    }
    arg
}

/// Splits on whitespace, keeping "quoted phrases" (and `field:"quoted value"`) together.
fn tokens(input: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut had_quote = false;
    for c in input.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                had_quote = true;
            }
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    out.push((std::mem::take(&mut current), had_quote));
                }
                had_quote = false;
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push((current, had_quote));
    }
    out
}

/// Parses a query; a malformed filter (a bad date) is an error that says how to write it.
pub fn parse(input: &str) -> anyhow::Result<Query> {
    let mut q = Query::default();
    for (token, was_quoted) in tokens(input) {
        let (negate, body) = match token.strip_prefix('-').or_else(|| token.strip_prefix('~')) {
            Some(rest) if rest.contains(':') => (true, rest),
            _ => (false, token.as_str()),
        };
        let named = body.split_once(':');
        if let Some((name, value)) = named
            && !was_quoted
            && !value.is_empty()
            && Field::parse(name).is_none()
            && name.chars().all(|c| c.is_ascii_alphabetic())
            && let Some(near) = crate::error::did_you_mean(name, FIELD_NAMES.iter().copied())
        {
            return Err(user_error(
                format!("There is no filter called \"{name}:\". Did you mean \"{near}:\"?"),
                format!(
                    "The filters are {}. To search for the words themselves, put them in quotes: \"{token}\"",
                    FIELD_NAMES
                        .iter()
                        .map(|f| format!("{f}:"))
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
            ));
        }
        let field =
            named.and_then(|(name, value)| Field::parse(name).map(|f| (f, name.to_ascii_lowercase(), value)));
        match field {
            Some((field, name, value)) if !value.is_empty() || was_quoted => {
                let values: Vec<String> = value
                    .split(',')
                    .map(|v| v.trim().to_string())
                    .filter(|v| !v.is_empty())
                    // A kind's common names (pwn, 504, progress-report, ARD) are that kind.
                    .map(|v| match field {
                        Field::Kind => crate::classify::kinds::kind_named(&v).map_or(v, str::to_string),
                        _ => v,
                    })
                    .collect();
                let dates = if field == Field::Date {
                    values
                        .iter()
                        .map(|v| match name.as_str() {
                            // after:2023-01-01 is date:2023-01-01.., before:2024-06-30 is date:..2024-06-30
                            "after" | "since" => parse_date_filter(&format!("{v}..")),
                            "before" | "until" => parse_date_filter(&format!("..{v}")),
                            _ => parse_date_filter(v),
                        })
                        .collect::<anyhow::Result<Vec<_>>>()?
                } else {
                    Vec::new()
                };
                let known: &[&str] = match field {
                    Field::Kind => crate::classify::kinds::KINDS,
                    Field::Status => STATUSES,
                    Field::Format => FORMATS,
                    _ => &[],
                };
                if let Some(bad) = values
                    .iter()
                    .find(|v| !known.is_empty() && !known.iter().any(|k| k.eq_ignore_ascii_case(v)))
                {
                    return Err(user_error(
                        format!(
                            "\"{bad}\" is not a {name} casebinder knows.{}",
                            crate::error::suggestion(bad, known.iter().copied())
                        ),
                        format!(
                            "The {} are: {}.",
                            if name.ends_with('s') {
                                format!("{name}es")
                            } else {
                                format!("{name}s")
                            },
                            known.join(", ")
                        ),
                    ));
                }
                let values = if field == Field::Kind
                    || field == Field::Tag
                    || field == Field::Status
                    || field == Field::Format
                {
                    values.into_iter().map(|v| v.to_lowercase()).collect()
                } else {
                    values
                };
                q.clauses.push(Clause {
                    field,
                    values,
                    dates,
                    negate,
                });
            }
            _ => q.text.push(token),
        }
    }
    Ok(q)
}

fn parse_date_filter(v: &str) -> anyhow::Result<DateFilter> {
    let lower = v.to_ascii_lowercase();
    if matches!(lower.as_str(), "none" | "undated" | "missing") {
        return Ok(DateFilter::Undated);
    }
    let bad = || {
        user_error(
            format!("I could not read the date filter \"date:{v}\"."),
            "Write dates as YYYY-MM-DD, a year (2023), a month (2023-10), or a range: \
             date:2023-01-01..2024-06-30, date:2023.., date:..2024-06-30, or date:none for undated documents.",
        )
    };
    if let Some((a, b)) = v.split_once("..") {
        let from = if a.is_empty() {
            None
        } else {
            Some(period(a).ok_or_else(bad)?.0)
        };
        let to = if b.is_empty() {
            None
        } else {
            Some(period(b).ok_or_else(bad)?.1)
        };
        return Ok(DateFilter::Range(from, to));
    }
    let (from, to) = period(v).ok_or_else(bad)?;
    Ok(DateFilter::Range(Some(from), Some(to)))
}

/// First and last day of `2023`, `2023-10` or `2023-10-03`.
fn period(s: &str) -> Option<(NaiveDate, NaiveDate)> {
    let parts: Vec<&str> = s.split('-').collect();
    let year: i32 = parts.first()?.parse().ok()?;
    if !(1900..=2200).contains(&year) || parts[0].len() != 4 {
        return None;
    }
    match parts.len() {
        1 => Some((
            NaiveDate::from_ymd_opt(year, 1, 1)?,
            NaiveDate::from_ymd_opt(year, 12, 31)?,
        )),
        2 => {
            let month: u32 = parts[1].parse().ok()?;
            let first = NaiveDate::from_ymd_opt(year, month, 1)?;
            let next = if month == 12 {
                NaiveDate::from_ymd_opt(year + 1, 1, 1)?
            } else {
                NaiveDate::from_ymd_opt(year, month + 1, 1)?
            };
            Some((first, next.pred_opt()?))
        }
        3 => {
            let d = crate::day::parse(s).ok()?;
            Some((d, d))
        }
        _ => None,
    }
}

pub use crate::classify::tags::normalize_tag;

/// The search words and quoted phrases that become phrases of the index's query (those with a
/// letter or digit), in order.
pub fn fts_phrases(terms: &[String]) -> impl Iterator<Item = &str> {
    terms
        .iter()
        .map(String::as_str)
        .filter(|t| t.chars().any(char::is_alphanumeric))
}

/// An FTS5 MATCH expression in which every user word is a quoted literal (so `AT&T (draft` is safe).
/// Returns `None` when nothing searchable is left.
pub fn fts_expression(terms: &[String]) -> Option<String> {
    let parts: Vec<String> = fts_phrases(terms)
        .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_spec_example() {
        let q = parse(r#"kind:iep,evaluation tag:speech date:2023-01-01..2024-06-30 author:lakeside "occupational therapy""#)
            .unwrap();
        assert_eq!(q.clauses.len(), 4);
        assert_eq!(q.clauses[0].values, vec!["iep", "evaluation"]);
        assert_eq!(
            q.clauses[2].dates,
            vec![DateFilter::Range(
                NaiveDate::from_ymd_opt(2023, 1, 1),
                NaiveDate::from_ymd_opt(2024, 6, 30)
            )]
        );
        assert_eq!(q.text, vec!["occupational therapy"]);
    }

    #[test]
    fn unknown_fields_and_negation() {
        let q = parse("Re: -tag:esy subject:\"OT minutes\"").unwrap();
        assert_eq!(q.text, vec!["Re:"]);
        assert!(q.clauses[0].negate);
        assert_eq!(q.clauses[1].field, Field::Title);
        assert_eq!(q.clauses[1].values, vec!["OT minutes"]);
    }

    #[test]
    fn negated_filters_survive_the_command_line() {
        assert_eq!(shield_negated_filter("-kind:email".into()), "~kind:email");
        assert_eq!(shield_negated_filter("--json".into()), "--json");
        assert_eq!(shield_negated_filter("-x:y".into()), "-x:y");
        assert!(parse("~kind:email").unwrap().clauses[0].negate);
    }

    #[test]
    fn partial_dates_cover_their_period() {
        let q = parse("date:2024-02 date:2023.. date:none").unwrap();
        assert_eq!(
            q.clauses[0].dates,
            vec![DateFilter::Range(
                NaiveDate::from_ymd_opt(2024, 2, 1),
                NaiveDate::from_ymd_opt(2024, 2, 29)
            )]
        );
        assert_eq!(
            q.clauses[1].dates,
            vec![DateFilter::Range(NaiveDate::from_ymd_opt(2023, 1, 1), None)]
        );
        assert_eq!(q.clauses[2].dates, vec![DateFilter::Undated]);
        assert!(parse("date:March").is_err());
    }

    #[test]
    fn after_and_before_are_open_date_ranges() {
        let q = parse("after:2023-09-01 before:2024").unwrap();
        assert_eq!(
            q.clauses[0].dates,
            vec![DateFilter::Range(NaiveDate::from_ymd_opt(2023, 9, 1), None)]
        );
        assert_eq!(
            q.clauses[1].dates,
            vec![DateFilter::Range(None, NaiveDate::from_ymd_opt(2024, 12, 31))]
        );
        assert!(parse("after:soon").is_err());
    }

    #[test]
    fn typos_in_filters_and_values_are_refused_with_a_suggestion() {
        let e = parse("kidn:iep").unwrap_err();
        assert!(e.to_string().contains("Did you mean \"kind:\""), "{e}");
        let e = parse("kind:iepp").unwrap_err();
        assert!(e.to_string().contains("Did you mean \"iep\""), "{e}");
        let e = parse("status:encrypted,corupt").unwrap_err();
        assert!(e.to_string().contains("Did you mean \"corrupt\""), "{e}");
        assert!(parse("format:pdff").is_err());
        // Words with a colon that are not near a filter stay text, as does a quoted one.
        assert_eq!(parse("Note:call Re:").unwrap().text, vec!["Note:call", "Re:"]);
        assert_eq!(parse("\"kidn:iep\"").unwrap().text, vec!["kidn:iep"]);
        assert_eq!(shield_negated_filter("-kidn:iep".into()), "~kidn:iep");
        assert!(parse("KIND:IEP status:OK").is_ok());
    }

    #[test]
    fn fts_terms_are_quoted() {
        assert_eq!(
            fts_expression(&["AT&T".into(), "(draft".into(), "say \"hi\"".into(), "*".into()]).as_deref(),
            Some(r#""AT&T" "(draft" "say ""hi""""#)
        );
        assert_eq!(fts_expression(&["()".into()]), None);
    }
}
