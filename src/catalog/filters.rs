//! The query's filters as SQL over `doc_view`, with their parameters (never spliced into the SQL).

use rusqlite::types::Value;

use crate::query::{Clause, DateFilter, Field, Node, Query, fts_term};

/// SQL for the query over `doc_view v`, with its parameters. Every leaf is true or false (never
/// NULL), so NOT means not.
pub(super) fn filter_sql(query: &Query) -> (String, Vec<Value>) {
    let mut params = Vec::new();
    match &query.root {
        None => ("1".into(), params),
        Some(root) => {
            let sql = node_sql(root, &mut params);
            (sql, params)
        }
    }
}

fn node_sql(node: &Node, params: &mut Vec<Value>) -> String {
    let match_sql = |expr: String, params: &mut Vec<Value>| {
        params.push(Value::Text(expr));
        "v.id IN (SELECT rowid FROM fts_docs WHERE fts_docs MATCH ?)".to_string()
    };
    match node {
        Node::And(all) => {
            // The words of an AND are one search of the index (FTS5 ANDs its phrases).
            let words: Vec<String> = all
                .iter()
                .filter_map(|n| match n {
                    Node::Text(t) => Some(fts_term(t)),
                    _ => None,
                })
                .collect();
            let mut parts: Vec<String> = all
                .iter()
                .filter(|n| !matches!(n, Node::Text(_)))
                .map(|n| node_sql(n, params))
                .collect();
            if !words.is_empty() {
                parts.push(match_sql(words.join(" "), params));
            }
            format!("({})", parts.join(" AND "))
        }
        Node::Or(any) => format!(
            "({})",
            any.iter()
                .map(|n| node_sql(n, params))
                .collect::<Vec<_>>()
                .join(" OR ")
        ),
        Node::Not(inner) => format!("(NOT {})", node_sql(inner, params)),
        Node::Text(t) => match_sql(fts_term(t), params),
        Node::Filter(c) => {
            let (sql, mut p) = clause_sql(c);
            params.append(&mut p);
            format!("COALESCE(({sql}), 0)")
        }
    }
}

pub(super) fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

pub(super) fn clause_sql(c: &Clause) -> (String, Vec<Value>) {
    let escape = |v: &str| v.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    // Author, title and path hold the value anywhere; a `*` inside it is any text.
    let likes = || {
        c.values
            .iter()
            .map(|v| Value::Text(format!("%{}%", escape(&v.text).replace('*', "%"))))
            .collect::<Vec<_>>()
    };
    // Kinds, statuses and formats are few: a prefix is the known values it names.
    let known = |all: &[&str]| -> Vec<Value> {
        all.iter()
            .filter(|k| c.values.iter().any(|v| v.names(k)))
            .map(|k| Value::Text((*k).to_string()))
            .collect()
    };
    let one_of = |column: &str, values: Vec<Value>| {
        let n = values.len().max(1);
        (format!("{column} IN ({})", placeholders(n)), pad(values, n))
    };
    let n = c.values.len().max(1);
    match c.field {
        Field::Kind => one_of("v.kind", known(crate::classify::kinds::KINDS)),
        Field::Status => one_of("v.status", known(crate::query::STATUSES)),
        Field::Format => one_of("v.format", known(crate::query::FORMATS)),
        Field::Tag => {
            let mut tests = Vec::new();
            let mut params = Vec::new();
            for v in &c.values {
                if v.prefix {
                    tests.push("t.tag LIKE ? ESCAPE '\\'");
                    params.push(Value::Text(format!("{}%", escape(&v.text))));
                } else {
                    tests.push("t.tag = ?");
                    params.push(Value::Text(v.text.clone()));
                }
            }
            if tests.is_empty() {
                return ("0".into(), params);
            }
            (
                format!(
                    "EXISTS (SELECT 1 FROM tags t WHERE t.sha256 = v.sha256 AND t.removed = 0 AND ({}))",
                    tests.join(" OR ")
                ),
                params,
            )
        }
        Field::Author => (
            vec!["v.author LIKE ? ESCAPE '\\'"; n].join(" OR "),
            pad(likes(), n),
        ),
        Field::Title => (
            vec!["v.title LIKE ? ESCAPE '\\'"; n].join(" OR "),
            pad(likes(), n),
        ),
        Field::Path => (
            format!(
                "EXISTS (SELECT 1 FROM locations l WHERE l.doc_id = v.id AND l.missing = 0 AND ({}))",
                vec!["l.locator LIKE ? ESCAPE '\\'"; n].join(" OR ")
            ),
            pad(likes(), n),
        ),
        Field::Date => {
            let mut ors = Vec::new();
            let mut params = Vec::new();
            for d in &c.dates {
                match d {
                    DateFilter::Undated => ors.push("v.date IS NULL".to_string()),
                    DateFilter::Range(from, to) => {
                        let mut conds = vec!["v.date IS NOT NULL".to_string()];
                        if let Some(f) = from {
                            conds.push("v.date >= ?".into());
                            params.push(Value::Text(f.format("%Y-%m-%d").to_string()));
                        }
                        if let Some(t) = to {
                            conds.push("v.date <= ?".into());
                            params.push(Value::Text(t.format("%Y-%m-%d").to_string()));
                        }
                        ors.push(format!("({})", conds.join(" AND ")));
                    }
                }
            }
            if ors.is_empty() {
                ("1".into(), params)
            } else {
                (ors.join(" OR "), params)
            }
        }
    }
}

/// An empty value list still needs one parameter for its single placeholder.
pub(super) fn pad(mut v: Vec<Value>, n: usize) -> Vec<Value> {
    while v.len() < n {
        v.push(Value::Null);
    }
    v
}

#[cfg(test)]
mod tests {
    //! The query language held to a straightforward reference evaluator: random documents in a
    //! real catalog, random queries (every field, AND, OR, NOT, `-`, brackets, wildcards,
    //! relative dates) written out as a person would type them, parsed, and run by `list` and
    //! `search`; each must select exactly the documents the reference picks from the query it
    //! was written from.

    use chrono::{Datelike, Days, NaiveDate};

    use super::super::{Catalog, FileRecord};
    use crate::query::parse_at;

    use super::super::test_rng::Rng;

    /// Words whose stems differ and begin with their first four letters (so `spee*` finds
    /// "speech" as the index stems it), none starting with x or t (the files are x1.txt…).
    const WORDS: &[&str] = &[
        "speech", "math", "behavior", "language", "autism", "fluency", "consent", "hearing", "writing",
        "social", "motor", "reading",
    ];
    const KINDS: &[&str] = &[
        "iep",
        "iep_amendment",
        "evaluation",
        "email",
        "prior_written_notice",
        "progress_report",
        "other",
    ];
    const TAGS: &[&str] = &["speech", "ot", "sy2023-2024", "sy2024-2025", "esy", "spam"];
    const AUTHORS: &[&str] = &["Lakeside District", "Dr. Anna Patel", "Maria Rivera"];
    const FOLDERS: &[&str] = &["IEPs", "Letters", "Mail", "School/Notes"];
    const TITLES: &[&str] = &[
        "Annual IEP",
        "Speech evaluation",
        "Prior written notice",
        "Email thread",
    ];
    const FORMATS: &[&str] = &["pdf", "email", "text"];

    struct Doc {
        id: i64,
        kind: Option<&'static str>,
        date: Option<NaiveDate>,
        tags: Vec<&'static str>,
        author: Option<&'static str>,
        title: &'static str,
        path: String,
        status: &'static str,
        format: &'static str,
        words: Vec<&'static str>,
    }

    /// A leaf as the reference knows it: what it selects, said plainly.
    enum Leaf {
        Kinds(Vec<&'static str>),
        Tags {
            exact: Vec<&'static str>,
            prefixes: Vec<String>,
        },
        Dates(Vec<Option<(Option<NaiveDate>, Option<NaiveDate>)>>),
        Author(String),
        Title(String),
        Path(String),
        Status(&'static str),
        Formats(Vec<&'static str>),
        Word(&'static str),
        Phrase(&'static str, &'static str),
        Prefix(String),
    }

    enum Ref {
        And(Vec<Ref>),
        Or(Vec<Ref>),
        Not(Box<Ref>),
        Leaf(Leaf, String),
    }

    fn holds(leaf: &Leaf, d: &Doc) -> bool {
        let has =
            |s: &Option<&str>, sub: &str| s.is_some_and(|s| s.to_lowercase().contains(&sub.to_lowercase()));
        match leaf {
            Leaf::Kinds(ks) => d.kind.is_some_and(|k| ks.contains(&k)),
            Leaf::Tags { exact, prefixes } => d
                .tags
                .iter()
                .any(|t| exact.contains(t) || prefixes.iter().any(|p| t.starts_with(p.as_str()))),
            Leaf::Dates(ranges) => ranges.iter().any(|r| match (r, d.date) {
                (None, date) => date.is_none(),
                (Some(_), None) => false,
                (Some((a, b)), Some(x)) => a.is_none_or(|a| x >= a) && b.is_none_or(|b| x <= b),
            }),
            Leaf::Author(s) => has(&d.author, s),
            Leaf::Title(s) => has(&Some(d.title), s),
            Leaf::Path(s) => d.path.to_lowercase().contains(&s.to_lowercase()),
            Leaf::Status(s) => d.status == *s,
            Leaf::Formats(fs) => fs.contains(&d.format),
            Leaf::Word(w) => d.words.contains(w),
            Leaf::Phrase(a, b) => d.words.windows(2).any(|p| p[0] == *a && p[1] == *b),
            Leaf::Prefix(p) => d.words.iter().any(|w| w.starts_with(p.as_str())),
        }
    }

    fn eval(r: &Ref, d: &Doc) -> bool {
        match r {
            Ref::And(all) => all.iter().all(|n| eval(n, d)),
            Ref::Or(any) => any.iter().any(|n| eval(n, d)),
            Ref::Not(n) => !eval(n, d),
            Ref::Leaf(l, _) => holds(l, d),
        }
    }

    fn collect_leaves<'a>(r: &'a Ref, out: &mut Vec<(&'a Leaf, &'a str)>) {
        match r {
            Ref::And(all) | Ref::Or(all) => all.iter().for_each(|n| collect_leaves(n, out)),
            Ref::Not(n) => collect_leaves(n, out),
            Ref::Leaf(l, s) => out.push((l, s)),
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn some_day(rng: &mut Rng) -> NaiveDate {
        day(2022, 1, 1) + Days::new(rng.below(4 * 365) as u64)
    }

    fn leaf(rng: &mut Rng, today: NaiveDate) -> (Leaf, String) {
        match rng.below(11) {
            0 => {
                let a = *rng.pick(KINDS);
                match rng.below(4) {
                    0 => (Leaf::Kinds(vec!["iep", "iep_amendment"]), "kind:iep*".into()),
                    1 => (Leaf::Kinds(vec!["prior_written_notice"]), "type:pwn".into()),
                    2 => {
                        let b = *rng.pick(KINDS);
                        (Leaf::Kinds(vec![a, b]), format!("kind:{a},{}", b.to_uppercase()))
                    }
                    _ => (Leaf::Kinds(vec![a]), format!("kind:{a}")),
                }
            }
            1 => {
                if rng.chance(30) {
                    (
                        Leaf::Tags {
                            exact: vec![],
                            prefixes: vec!["sy20".into()],
                        },
                        "tag:sy20*".into(),
                    )
                } else {
                    let t = *rng.pick(TAGS);
                    (
                        Leaf::Tags {
                            exact: vec![t],
                            prefixes: vec![],
                        },
                        format!("tag:{t}"),
                    )
                }
            }
            2 | 3 => {
                let a = some_day(rng);
                let b = some_day(rng);
                let (a, b) = (a.min(b), a.max(b));
                let f = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
                match rng.below(8) {
                    0 => (Leaf::Dates(vec![None]), "date:none".into()),
                    1 => {
                        let y = 2022 + rng.below(4) as i32;
                        (
                            Leaf::Dates(vec![Some((Some(day(y, 1, 1)), Some(day(y, 12, 31))))]),
                            format!("date:{y}"),
                        )
                    }
                    2 => {
                        let first = day(a.year(), a.month(), 1);
                        let last = first
                            .checked_add_months(chrono::Months::new(1))
                            .unwrap()
                            .pred_opt()
                            .unwrap();
                        (
                            Leaf::Dates(vec![Some((Some(first), Some(last)))]),
                            format!("date:{}", first.format("%Y-%m")),
                        )
                    }
                    3 => (
                        Leaf::Dates(vec![Some((Some(a), Some(b)))]),
                        format!("date:{}..{}", f(a), f(b)),
                    ),
                    4 => (
                        Leaf::Dates(vec![Some((Some(a), None))]),
                        format!("after:{}", f(a)),
                    ),
                    5 => (
                        Leaf::Dates(vec![Some((None, Some(b)))]),
                        format!("before:{}", f(b)),
                    ),
                    6 => {
                        let n = 30 + rng.below(1400) as u64;
                        (
                            Leaf::Dates(vec![Some((Some(today - Days::new(n)), None))]),
                            format!("after:-{n}d"),
                        )
                    }
                    _ => (
                        Leaf::Dates(vec![None, Some((Some(a), Some(a)))]),
                        format!("date:none,{}", f(a)),
                    ),
                }
            }
            4 => {
                let s = *rng.pick(&["lake", "PATEL", "rivera", "dr. a"][..]);
                (Leaf::Author(s.into()), format!("author:\"{s}\""))
            }
            5 => {
                let s = *rng.pick(&["iep", "notice", "email thr"][..]);
                (Leaf::Title(s.into()), format!("title:\"{s}\""))
            }
            6 => {
                let s = *rng.pick(&["IEPs/", "letters", "x1", "School/Notes/x2"][..]);
                (Leaf::Path(s.into()), format!("path:{s}"))
            }
            7 => {
                if rng.chance(50) {
                    let s = *rng.pick(&["ok", "no_text"][..]);
                    (Leaf::Status(s), format!("status:{s}"))
                } else {
                    (Leaf::Formats(vec!["pdf", "email"]), "format:pdf,email".into())
                }
            }
            8 => {
                let (a, b) = (*rng.pick(WORDS), *rng.pick(WORDS));
                (Leaf::Phrase(a, b), format!("\"{a} {b}\""))
            }
            9 => {
                let w = *rng.pick(WORDS);
                let p = &w[..1 + rng.below(4)];
                (Leaf::Prefix(p.into()), format!("{p}*"))
            }
            _ => {
                let w = *rng.pick(WORDS);
                (Leaf::Word(w), w.to_string())
            }
        }
    }

    fn tree(rng: &mut Rng, depth: usize, today: NaiveDate) -> Ref {
        if depth == 0 || rng.chance(35) {
            let (l, s) = leaf(rng, today);
            return Ref::Leaf(l, s);
        }
        let n = 2 + rng.below(2);
        let which = rng.below(5);
        if which == 4 {
            return Ref::Not(Box::new(tree(rng, depth - 1, today)));
        }
        let kids = (0..n).map(|_| tree(rng, depth - 1, today)).collect::<Vec<_>>();
        if which < 2 { Ref::And(kids) } else { Ref::Or(kids) }
    }

    /// The query as a person would type it: brackets only where needed (now and then more),
    /// AND written or not, NOT as a word or a dash.
    fn render(r: &Ref, rng: &mut Rng, outer: u8) -> String {
        let (own, s) = match r {
            Ref::Leaf(_, s) => (3, s.clone()),
            Ref::Not(n) => {
                let inner = render(n, rng, 3);
                (
                    3,
                    if rng.chance(50) {
                        format!("NOT {inner}")
                    } else {
                        format!("-{inner}")
                    },
                )
            }
            Ref::And(all) => {
                let sep = if rng.chance(50) { " AND " } else { " " };
                (
                    2,
                    all.iter()
                        .map(|n| render(n, rng, 2))
                        .collect::<Vec<_>>()
                        .join(sep),
                )
            }
            Ref::Or(any) => (
                1,
                any.iter()
                    .map(|n| render(n, rng, 2))
                    .collect::<Vec<_>>()
                    .join(" OR "),
            ),
        };
        if own < outer || rng.chance(8) {
            format!("({s})")
        } else {
            s
        }
    }

    fn catalog(rng: &mut Rng) -> (Catalog, Vec<Doc>) {
        let mut c = Catalog::in_memory().unwrap();
        let mut docs = Vec::new();
        let mut records = Vec::new();
        for i in 0..48 {
            let words: Vec<&'static str> = (0..2 + rng.below(9)).map(|_| *rng.pick(WORDS)).collect();
            let path = format!("{}/x{i}.txt", rng.pick(FOLDERS));
            let body = format!("{}\n", words.join(" "));
            let items = crate::extract::extract_file(&path, body.as_bytes());
            records.push(FileRecord {
                path: path.clone(),
                size: body.len() as u64,
                mtime_ns: 1,
                sha256: items[0].sha256.clone(),
                items,
                extractor_version: 1,
            });
            docs.push(Doc {
                id: 0,
                kind: (!rng.chance(10)).then(|| *rng.pick(KINDS)),
                date: (!rng.chance(20)).then(|| some_day(rng)),
                tags: TAGS.iter().copied().filter(|_| rng.chance(25)).collect(),
                author: (!rng.chance(25)).then(|| *rng.pick(AUTHORS)),
                title: rng.pick::<&str>(TITLES),
                path,
                status: if rng.chance(15) { "no_text" } else { "ok" },
                format: rng.pick::<&str>(FORMATS),
                words,
            });
        }
        c.write_batch(&records, &[]).unwrap();
        for (d, r) in docs.iter_mut().zip(&records) {
            d.id = c
                .conn
                .query_row("SELECT id FROM documents WHERE sha256 = ?1", [&r.sha256], |r| {
                    r.get(0)
                })
                .unwrap();
            c.conn
                .execute(
                    "UPDATE documents SET kind = ?2, date = ?3, author = ?4, title = ?5, status = ?6, format = ?7
                     WHERE id = ?1",
                    rusqlite::params![
                        d.id,
                        d.kind,
                        d.date.map(|x| x.format("%Y-%m-%d").to_string()),
                        d.author,
                        d.title,
                        d.status,
                        d.format
                    ],
                )
                .unwrap();
            for t in &d.tags {
                c.conn
                    .execute(
                        "INSERT OR IGNORE INTO tags(sha256, tag, source) VALUES (?1, ?2, 'user')",
                        [&r.sha256, *t],
                    )
                    .unwrap();
            }
            // A tag taken off is not a tag.
            c.conn
                .execute(
                    "INSERT OR IGNORE INTO tags(sha256, tag, source, removed) VALUES (?1, 'esy', 'user', 1)",
                    [&r.sha256],
                )
                .unwrap();
        }
        (c, docs)
    }

    #[test]
    fn ten_thousand_random_queries_select_what_the_reference_evaluator_selects() {
        let today = day(2025, 6, 30);
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut checked = 0;
        let mut nonempty = 0;
        for round in 0..4 {
            let (c, docs) = catalog(&mut rng);
            for i in 0..2500 {
                let r = tree(&mut rng, 3, today);
                let typed = render(&r, &mut rng, 0);
                let query = parse_at(&typed, today).unwrap_or_else(|e| panic!("{typed}: {e}"));
                let mut want: Vec<i64> = docs.iter().filter(|d| eval(&r, d)).map(|d| d.id).collect();
                want.sort_unstable();
                let mut got: Vec<i64> = c.list(&query, false).unwrap().iter().map(|d| d.id).collect();
                got.sort_unstable();
                if got != want {
                    // Name the first leaf that selects otherwise, to say where the fault is.
                    let mut leaves = Vec::new();
                    collect_leaves(&r, &mut leaves);
                    for (l, s) in leaves {
                        let q = parse_at(s, today).unwrap();
                        let mut got: Vec<i64> = c.list(&q, false).unwrap().iter().map(|d| d.id).collect();
                        got.sort_unstable();
                        let want: Vec<i64> = docs.iter().filter(|d| holds(l, d)).map(|d| d.id).collect();
                        assert_eq!(got, want, "round {round}, query {i}, leaf {s} of {typed}");
                    }
                }
                assert_eq!(got, want, "round {round}, query {i}: {typed}");
                if i % 10 == 0 {
                    let mut found: Vec<i64> = c.search(&query, 1000).unwrap().iter().map(|h| h.id).collect();
                    found.sort_unstable();
                    assert_eq!(found, want, "search, round {round}, query {i}: {typed}");
                }
                checked += 1;
                nonempty += usize::from(!want.is_empty() && want.len() < docs.len());
            }
        }
        assert_eq!(checked, 10_000);
        // The queries tell documents apart: most select some but not all.
        assert!(
            nonempty > 5_000,
            "only {nonempty} queries selected some but not all documents"
        );
    }
}
