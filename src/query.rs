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

impl Field {
    fn parse(name: &str) -> Option<Field> {
        Some(match name.to_ascii_lowercase().as_str() {
            "kind" | "type" => Field::Kind,
            "tag" | "tags" => Field::Tag,
            "date" => Field::Date,
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
        && Field::parse(name).is_some()
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
        let field = body
            .split_once(':')
            .and_then(|(name, value)| Field::parse(name).map(|f| (f, value)));
        match field {
            Some((field, value)) if !value.is_empty() || was_quoted => {
                let values: Vec<String> = value
                    .split(',')
                    .map(|v| v.trim().to_string())
                    .filter(|v| !v.is_empty())
                    .collect();
                let dates = if field == Field::Date {
                    values
                        .iter()
                        .map(|v| parse_date_filter(v))
                        .collect::<anyhow::Result<Vec<_>>>()?
                } else {
                    Vec::new()
                };
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
            let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
            Some((d, d))
        }
        _ => None,
    }
}

/// A tag as stored and matched: lowercase words joined by `-` (`"IEP, 2023"` → `iep-2023`).
pub fn normalize_tag(raw: &str) -> String {
    raw.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// An FTS5 MATCH expression in which every user word is a quoted literal (so `AT&T (draft` is safe).
/// Returns `None` when nothing searchable is left.
pub fn fts_expression(terms: &[String]) -> Option<String> {
    let parts: Vec<String> = terms
        .iter()
        .filter(|t| t.chars().any(char::is_alphanumeric))
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
    fn fts_terms_are_quoted() {
        assert_eq!(
            fts_expression(&["AT&T".into(), "(draft".into(), "say \"hi\"".into(), "*".into()]).as_deref(),
            Some(r#""AT&T" "(draft" "say ""hi""""#)
        );
        assert_eq!(fts_expression(&["()".into()]), None);
    }
}
