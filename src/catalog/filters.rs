//! The query's filters as SQL over `doc_view`, with their parameters (never spliced into the SQL).

use rusqlite::types::Value;

use crate::query::{Clause, DateFilter, Field, Query, fts_expression};

/// SQL for the query's filters over `doc_view v`, with its parameters.
pub(super) fn filter_sql(query: &Query) -> (String, Vec<Value>) {
    let mut parts: Vec<String> = Vec::new();
    let mut params: Vec<Value> = Vec::new();
    for clause in &query.clauses {
        let (sql, mut p) = clause_sql(clause);
        parts.push(if clause.negate {
            format!("NOT COALESCE(({sql}), 0)")
        } else {
            format!("({sql})")
        });
        params.append(&mut p);
    }
    if !query.text.is_empty() {
        match fts_expression(&query.text) {
            Some(expr) => {
                parts.push("v.id IN (SELECT rowid FROM fts_docs WHERE fts_docs MATCH ?)".into());
                params.push(Value::Text(expr));
            }
            None => parts.push("0".into()),
        }
    }
    if parts.is_empty() {
        ("1".into(), params)
    } else {
        (parts.join(" AND "), params)
    }
}

pub(super) fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

pub(super) fn clause_sql(c: &Clause) -> (String, Vec<Value>) {
    let texts = || {
        c.values
            .iter()
            .map(|v| Value::Text(v.clone()))
            .collect::<Vec<_>>()
    };
    let likes = || {
        c.values
            .iter()
            .map(|v| {
                Value::Text(format!(
                    "%{}%",
                    v.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
                ))
            })
            .collect::<Vec<_>>()
    };
    let n = c.values.len().max(1);
    match c.field {
        Field::Kind => (format!("v.kind IN ({})", placeholders(n)), pad(texts(), n)),
        Field::Status => (format!("v.status IN ({})", placeholders(n)), pad(texts(), n)),
        Field::Format => (format!("v.format IN ({})", placeholders(n)), pad(texts(), n)),
        Field::Tag => (
            format!(
                "EXISTS (SELECT 1 FROM tags t WHERE t.sha256 = v.sha256 AND t.removed = 0 AND t.tag IN ({}))",
                placeholders(n)
            ),
            pad(texts(), n),
        ),
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
