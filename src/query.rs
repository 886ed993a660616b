//! The one query language shared by `list`, `search`, `timeline` and `binder`.
//!
//! `kind:iep,evaluation tag:speech date:2023-01-01..2024-06-30 author:lakeside "occupational therapy"`
//!
//! A person types a query; it is read here, once, into a typed tree ([`Node`]) and refused with
//! a suggestion when it names something casebinder does not know, so that no command ever
//! answers a typo with a silent empty list. The grammar, loosest first:
//!
//! - `A OR B`: either; `A AND B` or just `A B`: both (AND binds tighter than OR, as in notmuch
//!   and Xapian); `NOT A` or `-A`: not; `( … )`: brackets.
//! - Filters are `field:value[,value…]` (any value matches): kind, tag, date, after, before,
//!   status, author, title, path, format. A value may end in `*` (`tag:sy2023*`, `kind:iep*`).
//! - Dates: `2024`, `2024-03`, `2024-03-05`, ranges `a..b` with either end open, `none`, and
//!   relative days: `today`, `yesterday`, `-90d`, `-6w`, `-3m`, `-1y` (`date:-90d` is the last
//!   90 days).
//! - Everything else is full-text: words, `"quoted phrases"`, and `word*` for any word that
//!   begins so. A word with a colon that is not a field (`Re:`) is text. `AND`, `OR` and `NOT`
//!   are operators only in capitals.

use chrono::{Months, NaiveDate};

use crate::error::user_error;

/// `casebinder help query`: the query language, with examples, in one place.
pub const HELP: &str = r#"Finding documents: the query language of list, search, timeline and binder

Words and phrases search the text of every document (titles and pages):
  casebinder search speech therapy          both words, anywhere in a document
  casebinder search "speech therapy"        the phrase
  casebinder search 'reev*'                 any word that begins so: reevaluation, reevaluate
  (Words are matched by their stem: "evaluations" finds "evaluation".)

Filters are field:value; several values, separated by commas, mean any of them:
  kind:iep,evaluation     the kind, also by its common name (kind:pwn, kind:504,
                          kind:progress-report, kind:ard, kind:mdr); kind:iep* is iep and
                          iep_amendment; every kind: casebinder set --help
  tag:speech  tag:sy2023* a tag (a * at the end: any tag that begins so)
  date:2023  date:2023-10  date:2023-10-03  date:2023-01-01..2024-06-30  date:2023..
  after:2023-09-01  before:2024   from that day on / up to the end of that year
  date:-90d  after:-90d  after:-6m  before:-1y  date:yesterday..today
                          days (d), weeks (w), months (m), years (y) back from today
  date:none               documents with no date
  author:lakeside  title:"prior written notice"  path:Emails   the text anywhere in it
  status:ok,no_text,encrypted,corrupt,unsupported   format:pdf,email,docx,text,html,image

Combine them:
  kind:iep tag:speech                       both (AND may be written out)
  kind:iep OR kind:evaluation               either
  NOT kind:email   -kind:email   -draft     not
  (tag:speech OR tag:ot) after:2024 -kind:email
  AND binds tighter than OR: a b OR c is (a b) OR c. AND, OR and NOT are operators only
  in capitals; "quote" a word to search for it (a word with a colon that is not a filter,
  such as Re:, is text).

A typo is refused with a suggestion, never answered with an empty list: kidn:iep, kind:iepp,
tag:speach, status:corupt. On a command line, put a query with brackets, OR or * in quotes:
  casebinder list '(kind:iep OR kind:evaluation) date:2023'
"#;

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
pub const FIELD_NAMES: &[&str] = &[
    "kind", "type", "tag", "tags", "date", "after", "since", "before", "until", "status", "author", "from",
    "title", "subject", "path", "file", "format",
];

/// What a document's `status:` can be.
pub const STATUSES: &[&str] = &["ok", "no_text", "encrypted", "corrupt", "unsupported"];

/// What a document's `format:` can be.
pub const FORMATS: &[&str] = &["pdf", "email", "docx", "text", "html", "image", "other"];

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

impl DateFilter {
    /// Whether a document dated `date` (or undated) is selected.
    pub fn holds(&self, date: Option<NaiveDate>) -> bool {
        match (self, date) {
            (DateFilter::Undated, d) => d.is_none(),
            (DateFilter::Range(..), None) => false,
            (DateFilter::Range(a, b), Some(d)) => a.is_none_or(|a| d >= a) && b.is_none_or(|b| d <= b),
        }
    }
}

/// One `field:value,value…` filter (any value matches). Values of kind, tag, status and format
/// are lower case; a value ending in `*` (`prefix`) matches every value that begins so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub field: Field,
    pub values: Vec<Value>,
    /// For `date:`/`after:`/`before:`, the ranges (any matches).
    pub dates: Vec<DateFilter>,
}

/// One value of a filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    pub text: String,
    /// Written with a trailing `*`: any value that begins with `text`.
    pub prefix: bool,
}

impl Value {
    /// Whether `candidate` is what this value names (case-insensitively; a prefix value, any
    /// candidate beginning with it).
    pub fn names(&self, candidate: &str) -> bool {
        let c = candidate.to_lowercase();
        let t = self.text.to_lowercase();
        if self.prefix { c.starts_with(&t) } else { c == t }
    }
}

/// Full-text: a word or a quoted phrase; `prefix`: its last word may be any word beginning so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub text: String,
    pub prefix: bool,
}

/// A query as a tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    Filter(Clause),
    Text(Term),
}

/// A leaf of the tree, as an evaluator sees it.
pub enum Leaf<'a> {
    Filter(&'a Clause),
    Text(&'a Term),
}

impl Node {
    /// Evaluates the tree, asking `leaf` about each leaf it reaches.
    pub fn eval(&self, leaf: &mut impl FnMut(Leaf<'_>) -> bool) -> bool {
        match self {
            Node::And(all) => all.iter().all(|n| n.eval(leaf)),
            Node::Or(any) => any.iter().any(|n| n.eval(leaf)),
            Node::Not(n) => !n.eval(leaf),
            Node::Filter(c) => leaf(Leaf::Filter(c)),
            Node::Text(t) => leaf(Leaf::Text(t)),
        }
    }

    fn visit<'a>(&'a self, negated: bool, f: &mut impl FnMut(Leaf<'a>, bool)) {
        match self {
            Node::And(all) | Node::Or(all) => all.iter().for_each(|n| n.visit(negated, f)),
            Node::Not(n) => n.visit(!negated, f),
            Node::Filter(c) => f(Leaf::Filter(c), negated),
            Node::Text(t) => f(Leaf::Text(t), negated),
        }
    }
}

/// A parsed query (empty: every document).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub root: Option<Node>,
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.root.is_none()
    }

    /// Whether a document is selected, `leaf` answering for each filter and term.
    pub fn matches(&self, mut leaf: impl FnMut(Leaf<'_>) -> bool) -> bool {
        self.root.as_ref().is_none_or(|r| r.eval(&mut leaf))
    }

    /// Every filter, with whether it sits under an odd number of NOTs.
    pub fn filters(&self) -> Vec<(&Clause, bool)> {
        let mut out = Vec::new();
        if let Some(r) = &self.root {
            r.visit(false, &mut |l, neg| {
                if let Leaf::Filter(c) = l {
                    out.push((c, neg));
                }
            });
        }
        out
    }

    /// The words and phrases a match is ranked by and its snippet shows: those not under a NOT.
    pub fn wanted(&self) -> Vec<&Term> {
        let mut out: Vec<&Term> = Vec::new();
        if let Some(r) = &self.root {
            r.visit(false, &mut |l, neg| {
                if let Leaf::Text(t) = l
                    && !neg
                    && !out.contains(&t)
                {
                    out.push(t);
                }
            });
        }
        out
    }

    /// [`Query::wanted`] as text, each once.
    pub fn wanted_terms(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in self.wanted() {
            if !out.contains(&t.text) {
                out.push(t.text.clone());
            }
        }
        out
    }

    /// The words and phrases of a query made only of them (all must match, none a prefix), as
    /// the search has always ranked them; `None` for any other query.
    pub fn plain_terms(&self) -> Option<Vec<String>> {
        let plain = |n: &Node| match n {
            Node::Text(t) if !t.prefix => Some(t.text.clone()),
            _ => None,
        };
        match self.root.as_ref()? {
            Node::And(all) => all.iter().map(plain).collect(),
            n => plain(n).map(|t| vec![t]),
        }
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

/// A piece of a query as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Open,
    Close,
    And,
    Or,
    Not,
    /// A word, `field:value` or phrase. `quoted`: it began with a quote (always text);
    /// `star`: it ended with a `*` outside quotes.
    Atom {
        text: String,
        quoted: bool,
        has_quote: bool,
        star: bool,
    },
}

/// Splits a query into brackets, operators and atoms, keeping "quoted phrases" (and
/// `field:"quoted value"`) together; `-`/`~` before an atom or a bracket is NOT.
fn tokens(input: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut chars = input.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(&first) = chars.peek() else { break };
        match first {
            '(' => {
                chars.next();
                out.push(Tok::Open);
                continue;
            }
            ')' => {
                chars.next();
                out.push(Tok::Close);
                continue;
            }
            '-' | '~' => {
                chars.next();
                match chars.peek() {
                    Some(c) if !c.is_whitespace() && *c != ')' => {
                        out.push(Tok::Not);
                        continue;
                    }
                    _ => {
                        out.push(Tok::Atom {
                            text: first.to_string(),
                            quoted: false,
                            has_quote: false,
                            star: false,
                        });
                        continue;
                    }
                }
            }
            _ => {}
        }
        let mut text = String::new();
        let mut in_quotes = false;
        let quoted = first == '"';
        let mut has_quote = false;
        let mut star = false;
        while let Some(&c) = chars.peek() {
            if !in_quotes && (c.is_whitespace() || c == ')') {
                break;
            }
            chars.next();
            match c {
                '"' => {
                    in_quotes = !in_quotes;
                    has_quote = true;
                }
                '*' if !in_quotes && chars.peek().is_none_or(|n| n.is_whitespace() || *n == ')') => {
                    star = true;
                }
                c => text.push(c),
            }
        }
        out.push(match text.as_str() {
            "AND" if !has_quote && !star => Tok::And,
            "OR" if !has_quote && !star => Tok::Or,
            "NOT" if !has_quote && !star => Tok::Not,
            _ => Tok::Atom {
                text,
                quoted,
                has_quote,
                star,
            },
        });
    }
    out
}

/// How to write a query, for the hints of its errors.
const SYNTAX_HINT: &str = "Combine filters and words with AND (or a space), OR, NOT (or -) and brackets, \
for example: kind:iep OR kind:evaluation; (tag:speech OR tag:ot) -kind:email. \
See casebinder help query.";

/// Parses a query against today's date (for relative dates such as `after:-90d`).
pub fn parse(input: &str) -> anyhow::Result<Query> {
    parse_at(input, crate::clock::today())
}

/// Parses a query; relative dates count back from `today`. A malformed query (a bracket not
/// closed, an operator with nothing beside it, a bad date, an unknown field or value) is an
/// error that says how to write it.
pub fn parse_at(input: &str, today: NaiveDate) -> anyhow::Result<Query> {
    let toks = tokens(input);
    let mut p = Parser { toks, at: 0, today };
    if p.toks.is_empty() {
        return Ok(Query::default());
    }
    let root = p.or_expr()?;
    if let Some(t) = p.toks.get(p.at) {
        return Err(match t {
            Tok::Close => user_error(
                "A closing bracket \")\" in the query has no opening bracket.",
                SYNTAX_HINT,
            ),
            _ => user_error("I could not read the query.", SYNTAX_HINT),
        });
    }
    Ok(Query { root: Some(root) })
}

struct Parser {
    toks: Vec<Tok>,
    at: usize,
    today: NaiveDate,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at)
    }

    fn or_expr(&mut self) -> anyhow::Result<Node> {
        let mut any = vec![self.and_expr("OR")?];
        while self.peek() == Some(&Tok::Or) {
            self.at += 1;
            any.push(self.and_expr("OR")?);
        }
        Ok(if any.len() == 1 {
            any.remove(0)
        } else {
            Node::Or(any)
        })
    }

    fn and_expr(&mut self, after: &str) -> anyhow::Result<Node> {
        let mut all = vec![self.unary(after)?];
        loop {
            match self.peek() {
                None | Some(Tok::Or) | Some(Tok::Close) => break,
                Some(Tok::And) => {
                    self.at += 1;
                    all.push(self.unary("AND")?);
                }
                Some(_) => all.push(self.unary("AND")?),
            }
        }
        Ok(if all.len() == 1 {
            all.remove(0)
        } else {
            Node::And(all)
        })
    }

    fn unary(&mut self, after: &str) -> anyhow::Result<Node> {
        let missing = |what: &str| {
            user_error(
                format!("\"{what}\" in the query has nothing to combine on one side."),
                SYNTAX_HINT,
            )
        };
        let Some(tok) = self.toks.get(self.at).cloned() else {
            return Err(missing(after));
        };
        self.at += 1;
        match tok {
            Tok::Not => Ok(Node::Not(Box::new(self.unary("NOT")?))),
            Tok::Open => {
                if self.peek() == Some(&Tok::Close) {
                    return Err(user_error("The query has empty brackets \"()\".", SYNTAX_HINT));
                }
                let inner = self.or_expr()?;
                if self.peek() != Some(&Tok::Close) {
                    return Err(user_error(
                        "A bracket \"(\" in the query is not closed.",
                        SYNTAX_HINT,
                    ));
                }
                self.at += 1;
                Ok(inner)
            }
            Tok::Close => Err(if after == "OR" && self.at == 1 {
                user_error(
                    "A closing bracket \")\" in the query has no opening bracket.",
                    SYNTAX_HINT,
                )
            } else {
                missing(after)
            }),
            Tok::And => Err(missing("AND")),
            Tok::Or => Err(missing("OR")),
            Tok::Atom {
                text,
                quoted,
                has_quote,
                star,
            } => atom(&text, quoted, has_quote, star, self.today),
        }
    }
}

/// An atom: a filter, or a word or phrase of text.
fn atom(text: &str, quoted: bool, has_quote: bool, star: bool, today: NaiveDate) -> anyhow::Result<Node> {
    let named = (!quoted).then(|| text.split_once(':')).flatten();
    if let Some((name, value)) = named
        && !value.is_empty()
        && !has_quote
        && Field::parse(name).is_none()
        && name.chars().all(|c| c.is_ascii_alphabetic())
        && let Some(near) = crate::error::did_you_mean(name, FIELD_NAMES.iter().copied())
    {
        return Err(user_error(
            format!("There is no filter called \"{name}:\". Did you mean \"{near}:\"?"),
            format!(
                "The filters are {}. To search for the words themselves, put them in quotes: \"{text}\"",
                FIELD_NAMES
                    .iter()
                    .map(|f| format!("{f}:"))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        ));
    }
    if let Some((name, value)) = named
        && let Some(field) = Field::parse(name)
    {
        if value.is_empty() && !has_quote && !star {
            return Err(user_error(
                format!("\"{name}:\" needs a value after the colon."),
                format!(
                    "For example kind:iep, tag:speech, after:2024-01-01. To search for the word itself, put it in quotes: \"{text}\". {SYNTAX_HINT}"
                ),
            ));
        }
        return filter(field, &name.to_ascii_lowercase(), value, star, today).map(Node::Filter);
    }
    if !text.chars().any(char::is_alphanumeric) {
        return Err(user_error(
            format!(
                "\"{text}{}\" has no letter or digit to search for.",
                if star { "*" } else { "" }
            ),
            format!("Search for words or \"quoted phrases\", or leave it out. {SYNTAX_HINT}"),
        ));
    }
    Ok(Node::Text(Term {
        text: text.to_string(),
        prefix: star,
    }))
}

/// A `field:value,value…` filter, checked against what the field can hold.
fn filter(field: Field, name: &str, value: &str, star: bool, today: NaiveDate) -> anyhow::Result<Clause> {
    let raw: Vec<&str> = value
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect();
    let last = raw.len().saturating_sub(1);
    let mut values: Vec<Value> = raw
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let prefix = v.ends_with('*') || (star && i == last);
            let text = v.trim_end_matches('*').to_string();
            Value { text, prefix }
        })
        .filter(|v| !v.text.is_empty() || v.prefix)
        .collect();
    if field == Field::Date {
        let dates = values
            .iter()
            .map(|v| match name {
                // after:2023-01-01 is date:2023-01-01.., before:2024-06-30 is date:..2024-06-30
                "after" | "since" => parse_date_filter(&format!("{}..", v.text), today),
                "before" | "until" => parse_date_filter(&format!("..{}", v.text), today),
                _ => parse_date_filter(&v.text, today),
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        return Ok(Clause { field, values, dates });
    }
    let known: &[&str] = match field {
        Field::Kind => crate::classify::kinds::KINDS,
        Field::Status => STATUSES,
        Field::Format => FORMATS,
        _ => &[],
    };
    for v in &mut values {
        if matches!(field, Field::Kind | Field::Tag | Field::Status | Field::Format) {
            v.text = v.text.to_lowercase();
        }
        // A kind's common names (pwn, 504, progress-report, ARD) are that kind.
        if field == Field::Kind
            && !v.prefix
            && let Some(k) = crate::classify::kinds::kind_named(&v.text)
        {
            v.text = k.to_string();
        }
        if !known.is_empty() && !known.iter().any(|k| v.names(k)) {
            let shown = if v.prefix {
                format!("{}*", v.text)
            } else {
                v.text.clone()
            };
            return Err(user_error(
                format!(
                    "\"{shown}\" is not a {name} casebinder knows.{}",
                    crate::error::suggestion(&v.text, known.iter().copied())
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
    }
    Ok(Clause {
        field,
        values,
        dates: Vec::new(),
    })
}

fn parse_date_filter(v: &str, today: NaiveDate) -> anyhow::Result<DateFilter> {
    let lower = v.to_ascii_lowercase();
    if matches!(lower.as_str(), "none" | "undated" | "missing") {
        return Ok(DateFilter::Undated);
    }
    let bad = || {
        user_error(
            format!("I could not read the date filter \"date:{v}\"."),
            "Write dates as YYYY-MM-DD, a year (2023), a month (2023-10), days back from today \
             (-90d, -6w, -3m, -1y, today, yesterday), or a range: date:2023-01-01..2024-06-30, \
             date:2023.., date:..2024-06-30, after:-90d, or date:none for undated documents.",
        )
    };
    if let Some((a, b)) = lower.split_once("..") {
        let from = if a.is_empty() {
            None
        } else {
            Some(period(a, today).ok_or_else(bad)?.0)
        };
        let to = if b.is_empty() {
            None
        } else {
            Some(period(b, today).ok_or_else(bad)?.1)
        };
        return Ok(DateFilter::Range(from, to));
    }
    // `date:-90d` alone is the last 90 days.
    if let Some(day) = relative(&lower, today) {
        return Ok(DateFilter::Range(Some(day.min(today)), Some(day.max(today))));
    }
    let (from, to) = period(&lower, today).ok_or_else(bad)?;
    Ok(DateFilter::Range(Some(from), Some(to)))
}

/// `today`, `yesterday`, or days, weeks, months or years back from today (`-90d`, `6w`, `-3m`,
/// `-1y`: a sign is optional; the count is back).
fn relative(s: &str, today: NaiveDate) -> Option<NaiveDate> {
    match s {
        "today" => return Some(today),
        "yesterday" => return today.pred_opt(),
        _ => {}
    }
    let body = s.strip_prefix('-').unwrap_or(s);
    let unit = body.chars().last()?;
    let n: u32 = body[..body.len() - unit.len_utf8()].parse().ok()?;
    if n > 100_000 {
        return None;
    }
    match unit {
        'd' => today.checked_sub_days(chrono::Days::new(n.into())),
        'w' => today.checked_sub_days(chrono::Days::new(u64::from(n) * 7)),
        'm' => today.checked_sub_months(Months::new(n)),
        'y' => today.checked_sub_months(Months::new(n.checked_mul(12)?)),
        _ => None,
    }
}

/// First and last day of `2023`, `2023-10`, `2023-10-03` or a relative day.
fn period(s: &str, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    if let Some(d) = relative(s, today) {
        return Some((d, d));
    }
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
    let parts: Vec<String> = fts_phrases(terms).map(fts_phrase).collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// One phrase as an FTS5 string literal.
pub fn fts_phrase(t: &str) -> String {
    format!("\"{}\"", t.replace('"', "\"\""))
}

/// One term as FTS5 MATCH syntax: a quoted literal, with `*` when it is a prefix.
pub fn fts_term(t: &Term) -> String {
    if t.prefix {
        format!("{} *", fts_phrase(&t.text))
    } else {
        fts_phrase(&t.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn q(s: &str) -> Node {
        parse_at(s, day(2024, 6, 15)).unwrap().root.unwrap()
    }

    fn text(s: &str) -> Node {
        Node::Text(Term {
            text: s.into(),
            prefix: false,
        })
    }

    fn kinds(n: &Node) -> Vec<String> {
        match n {
            Node::Filter(c) => c.values.iter().map(|v| v.text.clone()).collect(),
            _ => panic!("not a filter: {n:?}"),
        }
    }

    #[test]
    fn parses_the_spec_example() {
        let Node::And(all) = q(
            r#"kind:iep,evaluation tag:speech date:2023-01-01..2024-06-30 author:lakeside "occupational therapy""#,
        ) else {
            panic!()
        };
        assert_eq!(all.len(), 5);
        assert_eq!(kinds(&all[0]), vec!["iep", "evaluation"]);
        let Node::Filter(c) = &all[2] else { panic!() };
        assert_eq!(
            c.dates,
            vec![DateFilter::Range(Some(day(2023, 1, 1)), Some(day(2024, 6, 30)))]
        );
        assert_eq!(all[4], text("occupational therapy"));
    }

    #[test]
    fn and_binds_tighter_than_or_and_brackets_group() {
        assert_eq!(
            q("a b OR c"),
            Node::Or(vec![Node::And(vec![text("a"), text("b")]), text("c")])
        );
        assert_eq!(
            q("a AND (b OR c)"),
            Node::And(vec![text("a"), Node::Or(vec![text("b"), text("c")])])
        );
        assert_eq!(q("(((a)))"), text("a"));
        assert_eq!(
            q("NOT a b"),
            Node::And(vec![Node::Not(Box::new(text("a"))), text("b")])
        );
        assert_eq!(
            q("-(a OR b)"),
            Node::Not(Box::new(Node::Or(vec![text("a"), text("b")])))
        );
        // Lower-case words are words: "did not provide" is a search for three words.
        assert_eq!(
            q("not or and"),
            Node::And(vec![text("not"), text("or"), text("and")])
        );
        assert_eq!(q("\"OR\""), text("OR"));
    }

    #[test]
    fn negation_of_filters_and_words() {
        for s in ["-kind:email", "~kind:email", "NOT kind:email"] {
            let Node::Not(inner) = q(s) else { panic!("{s}") };
            assert_eq!(kinds(&inner), vec!["email"]);
        }
        assert_eq!(q("-draft"), Node::Not(Box::new(text("draft"))));
        // A dash inside a word or a value is the word's.
        assert_eq!(q("e-mail"), text("e-mail"));
    }

    #[test]
    fn wildcards_on_words_and_values() {
        assert_eq!(
            q("reev*"),
            Node::Text(Term {
                text: "reev".into(),
                prefix: true
            })
        );
        assert_eq!(
            q("\"speech th\"*"),
            Node::Text(Term {
                text: "speech th".into(),
                prefix: true
            })
        );
        let Node::Filter(c) = q("tag:sy2023*") else {
            panic!()
        };
        assert_eq!(
            c.values,
            vec![Value {
                text: "sy2023".into(),
                prefix: true
            }]
        );
        let Node::Filter(c) = q("kind:iep*") else { panic!() };
        assert!(c.values[0].names("iep_amendment") && !c.values[0].names("fba"));
        assert!(parse_at("kind:zz*", day(2024, 1, 1)).is_err());
    }

    #[test]
    fn relative_dates_and_years() {
        let dates = |s: &str| match q(s) {
            Node::Filter(c) => c.dates,
            n => panic!("{n:?}"),
        };
        assert_eq!(
            dates("after:-90d"),
            vec![DateFilter::Range(Some(day(2024, 3, 17)), None)]
        );
        assert_eq!(
            dates("date:-90d"),
            vec![DateFilter::Range(Some(day(2024, 3, 17)), Some(day(2024, 6, 15)))]
        );
        assert_eq!(
            dates("before:-1y"),
            vec![DateFilter::Range(None, Some(day(2023, 6, 15)))]
        );
        assert_eq!(
            dates("date:-6m..today"),
            vec![DateFilter::Range(Some(day(2023, 12, 15)), Some(day(2024, 6, 15)))]
        );
        assert_eq!(
            dates("date:-2w..yesterday"),
            vec![DateFilter::Range(Some(day(2024, 6, 1)), Some(day(2024, 6, 14)))]
        );
        assert_eq!(
            dates("date:2024"),
            vec![DateFilter::Range(Some(day(2024, 1, 1)), Some(day(2024, 12, 31)))]
        );
        assert_eq!(
            dates("date:2024-02"),
            vec![DateFilter::Range(Some(day(2024, 2, 1)), Some(day(2024, 2, 29)))]
        );
        assert_eq!(
            dates("date:2023.."),
            vec![DateFilter::Range(Some(day(2023, 1, 1)), None)]
        );
        assert_eq!(dates("date:none"), vec![DateFilter::Undated]);
        for bad in ["date:March", "after:soon", "date:-5x", "date:2024-13"] {
            assert!(parse_at(bad, day(2024, 1, 1)).is_err(), "{bad}");
        }
    }

    #[test]
    fn malformed_queries_say_how_to_write_them() {
        let err = |s: &str| parse_at(s, day(2024, 1, 1)).unwrap_err().to_string();
        assert!(err("(kind:iep OR tag:x").contains("not closed"));
        assert!(err("kind:iep)").contains("no opening bracket"));
        assert!(err("kind:iep OR").contains("\"OR\""));
        assert!(err("OR kind:iep").contains("\"OR\""));
        assert!(err("a AND AND b").contains("\"AND\""));
        assert!(err("NOT").contains("\"NOT\""));
        assert!(err("()").contains("empty brackets"));
        assert!(err("kind:").contains("needs a value"));
        assert!(err("&").contains("no letter or digit"));
        let e = err("kidn:iep");
        assert!(e.contains("Did you mean \"kind:\""), "{e}");
        assert!(err("kind:iepp").contains("Did you mean \"iep\""));
        assert!(err("status:encrypted,corupt").contains("Did you mean \"corrupt\""));
        assert!(parse_at("format:pdff", day(2024, 1, 1)).is_err());
        assert!(parse_at("", day(2024, 1, 1)).unwrap().is_empty());
    }

    #[test]
    fn words_with_colons_and_quotes_stay_text() {
        assert_eq!(
            q("Note:call Re:"),
            Node::And(vec![text("Note:call"), text("Re:")])
        );
        assert_eq!(q("\"kidn:iep\""), text("kidn:iep"));
        assert_eq!(q("\"kind:iep\""), text("kind:iep"));
        let Node::Filter(c) = q("subject:\"OT minutes\"") else {
            panic!()
        };
        assert_eq!((c.field, c.values[0].text.as_str()), (Field::Title, "OT minutes"));
        assert!(parse_at("KIND:IEP status:OK", day(2024, 1, 1)).is_ok());
        assert_eq!(kinds(&q("kind:pwn")), vec!["prior_written_notice"]);
    }

    #[test]
    fn negated_filters_survive_the_command_line() {
        assert_eq!(shield_negated_filter("-kind:email".into()), "~kind:email");
        assert_eq!(shield_negated_filter("--json".into()), "--json");
        assert_eq!(shield_negated_filter("-x:y".into()), "-x:y");
        assert_eq!(shield_negated_filter("-kidn:iep".into()), "~kidn:iep");
    }

    #[test]
    fn wanted_terms_leave_out_what_is_negated() {
        let query = parse_at(
            "speech (therapy OR \"pull out\") -email NOT (a b)",
            day(2024, 1, 1),
        )
        .unwrap();
        assert_eq!(query.wanted_terms(), vec!["speech", "therapy", "pull out"]);
        assert_eq!(query.plain_terms(), None);
        let plain = parse_at("speech \"pull out\"", day(2024, 1, 1)).unwrap();
        assert_eq!(
            plain.plain_terms(),
            Some(vec!["speech".into(), "pull out".into()])
        );
    }

    #[test]
    fn fts_terms_are_quoted() {
        assert_eq!(
            fts_expression(&["AT&T".into(), "(draft".into(), "say \"hi\"".into(), "*".into()]).as_deref(),
            Some(r#""AT&T" "(draft" "say ""hi""""#)
        );
        assert_eq!(fts_expression(&["()".into()]), None);
        assert_eq!(
            fts_term(&Term {
                text: "reev".into(),
                prefix: true
            }),
            "\"reev\" *"
        );
    }
}
