//! Documents as the commands see them: `list` rows (the SPEC contract), one document's details
//! for `show`, identifiers typed by people, and full-text search.

use std::collections::{BTreeMap, HashMap};

use anyhow::Result;
use rusqlite::{OptionalExtension, params_from_iter};
use serde::Serialize;

use super::Catalog;
use super::filters::filter_sql;
use super::user_work::CorrectionRow;
use crate::classify::Classification;
use crate::classify::dates::DateOrder;
use crate::error::user_error;
use crate::query::{Query, fts_expression};

/// One row of `list`: the stable machine contract of SPEC (`list --json`).
#[derive(Debug, Clone, Serialize)]
pub struct DocRow {
    pub id: i64,
    pub path: String,
    pub locations: Vec<String>,
    pub message_id: Option<String>,
    pub parent_ids: Vec<i64>,
    pub sha256: String,
    pub kind: Option<String>,
    pub kind_source: Option<String>,
    pub date: Option<String>,
    pub date_source: Option<String>,
    pub title: Option<String>,
    pub author: Option<String>,
    pub pages: Option<i64>,
    pub status: String,
    pub tags: Vec<String>,
    pub duplicate_of: Option<i64>,
    #[serde(skip)]
    pub reason: Option<String>,
    #[serde(skip)]
    pub format: String,
    #[serde(skip)]
    pub kind_confidence: Option<f64>,
    #[serde(skip)]
    pub date_ambiguous: bool,
    /// How sure the date (or "no date of its own") is; `None` for a catalog classified before
    /// casebinder kept it.
    #[serde(skip)]
    pub date_confidence: Option<f64>,
    #[serde(skip)]
    pub excluded: bool,
    /// No file holds it now: its file changed, and `path` is where this earlier version was.
    #[serde(skip)]
    pub earlier_version: bool,
}

/// A location with its details, for `show`.
#[derive(Debug, Clone, Serialize)]
pub struct LocationInfo {
    pub locator: String,
    pub origin: String,
    pub missing: bool,
    pub mbox_index: Option<i64>,
    pub byte_offset: Option<i64>,
    pub byte_len: Option<i64>,
}

/// Everything known about one document, for `show`.
#[derive(Debug, Clone, Serialize)]
pub struct DocDetail {
    #[serde(flatten)]
    pub row: DocRow,
    pub format: String,
    pub reason: Option<String>,
    pub size: i64,
    pub ocr: bool,
    pub in_reply_to: Option<String>,
    pub excluded: bool,
    pub all_locations: Vec<LocationInfo>,
    pub attachments: Vec<(i64, String)>,
    pub duplicates: Vec<i64>,
    pub meta: serde_json::Value,
    pub user_set: Vec<String>,
    pub text_pages: Vec<PageText>,
    /// What the rules concluded, with the evidence (absent until classified).
    pub classification: Option<Classification>,
}

/// Text of one page.
#[derive(Debug, Clone, Serialize)]
pub struct PageText {
    pub page: i64,
    pub ocr: bool,
    pub text: String,
}

/// A full-text hit, best page of a document.
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub id: i64,
    pub path: String,
    pub page: Option<i64>,
    pub kind: Option<String>,
    pub date: Option<String>,
    pub title: Option<String>,
    pub snippet: String,
    pub rank: f64,
}

impl Catalog {
    /// Refuses a query whose tag no document has, with the tag meant when one is close: a
    /// typo would otherwise list nothing, without a word.
    pub fn check_query_tags(&self, query: &Query) -> Result<()> {
        let wanted: Vec<(&crate::query::Value, bool)> = query
            .filters()
            .into_iter()
            .filter(|(c, _)| c.field == crate::query::Field::Tag)
            .flat_map(|(c, negate)| c.values.iter().map(move |v| (v, negate)))
            .collect();
        if wanted.is_empty() {
            return Ok(());
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT DISTINCT tag FROM tags WHERE removed = 0 ORDER BY tag")?;
        let tags: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        // Leaving out a tag no document has leaves out nothing: fine (`-tag:spam` in a script),
        // unless it is a near miss of one in use.
        let near = |w: &str| crate::error::did_you_mean(w, tags.iter().map(String::as_str)).is_some();
        if let Some((bad, _)) = wanted
            .into_iter()
            .find(|(w, negate)| !tags.iter().any(|t| w.names(t)) && (!negate || near(&w.text)))
        {
            let bad = if bad.prefix {
                format!("{}*", bad.text)
            } else {
                bad.text.clone()
            };
            let bad = bad.as_str();
            return Err(crate::error::user_error(
                format!(
                    "No document has the tag \"{bad}\".{}",
                    crate::error::suggestion(bad, tags.iter().map(String::as_str))
                ),
                "See the tags in use with: casebinder list --json (each document's \"tags\"), or add one with casebinder tag DOC +TAG.",
            ));
        }
        Ok(())
    }

    pub fn count_documents(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            // Documents with a present location (one pass over the locations, no lookups).
            "SELECT COUNT(DISTINCT doc_id) FROM locations WHERE missing = 0",
            [],
            |r| r.get(0),
        )?)
    }

    /// Documents matching the query, with at least one present location, in path order.
    pub fn list(&self, query: &Query, include_missing: bool) -> Result<Vec<DocRow>> {
        let (filter_sql, filter_params) = filter_sql(query);
        let presence = if include_missing {
            "1"
        } else {
            "EXISTS (SELECT 1 FROM locations l WHERE l.doc_id = v.id AND l.missing = 0)"
        };
        let sql = format!(
            "SELECT v.id, v.sha256, v.kind, v.kind_source, v.date, v.date_source, v.title, v.author, v.pages,
                    v.status, v.message_id, v.duplicate_of, v.reason, v.format, v.kind_confidence,
                    v.date_ambiguous, v.excluded, v.date_confidence
             FROM doc_view v WHERE {presence} AND {filter_sql}"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows: Vec<DocRow> = stmt
            .query_map(params_from_iter(filter_params), |r| {
                Ok(DocRow {
                    id: r.get(0)?,
                    sha256: r.get(1)?,
                    kind: r.get(2)?,
                    kind_source: r.get(3)?,
                    date: r.get(4)?,
                    date_source: r.get(5)?,
                    title: r.get(6)?,
                    author: r.get(7)?,
                    pages: r.get(8)?,
                    status: r.get(9)?,
                    message_id: r.get(10)?,
                    duplicate_of: r.get(11)?,
                    reason: r.get(12)?,
                    format: r.get(13)?,
                    kind_confidence: r.get(14)?,
                    date_ambiguous: r.get::<_, i64>(15)? != 0,
                    excluded: r.get::<_, i64>(16)? != 0,
                    date_confidence: r.get(17)?,
                    path: String::new(),
                    locations: Vec::new(),
                    parent_ids: Vec::new(),
                    tags: Vec::new(),
                    earlier_version: false,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        self.fill_locations_and_tags(&mut rows, include_missing)?;
        if self.date_order_settled()? {
            for r in &mut rows {
                r.date_ambiguous = false;
            }
        }
        rows.sort_by(|a, b| a.path.cmp(&b.path).then(a.id.cmp(&b.id)));
        Ok(rows)
    }

    /// True when the case's own documents settle how its numeric dates are written
    /// ([`DateOrder::settled_by`]).
    pub fn date_order_settled(&self) -> Result<bool> {
        let case_order = DateOrder::from_setting(self.setting("date-order")?.as_deref()).evidence();
        let mut stmt = self.conn.prepare_cached(
            "SELECT date_order_evidence, COUNT(*) FROM documents WHERE date_order_evidence IS NOT NULL GROUP BY 1",
        )?;
        let counts: Vec<(String, i64)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let agree = counts
            .iter()
            .filter(|(o, _)| o == case_order)
            .map(|c| c.1)
            .sum::<i64>();
        let disagree = counts
            .iter()
            .filter(|(o, _)| o != case_order)
            .map(|c| c.1)
            .sum::<i64>();
        Ok(DateOrder::settled_by(agree, disagree))
    }

    pub(super) fn fill_locations_and_tags(&self, rows: &mut [DocRow], include_missing: bool) -> Result<()> {
        let mut locs: HashMap<i64, Vec<(String, String, Option<i64>)>> = HashMap::new();
        {
            let mut stmt = self.conn.prepare_cached(
                "SELECT doc_id, locator, origin, parent_doc_id, missing FROM locations ORDER BY locator",
            )?;
            let mut q = stmt.query([])?;
            while let Some(r) = q.next()? {
                let missing: i64 = r.get(4)?;
                if missing != 0 && !include_missing {
                    continue;
                }
                locs.entry(r.get(0)?)
                    .or_default()
                    .push((r.get(1)?, r.get(2)?, r.get(3)?));
            }
        }
        let mut tags: HashMap<String, Vec<String>> = HashMap::new();
        {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT sha256, tag FROM tags WHERE removed = 0 ORDER BY tag")?;
            let mut q = stmt.query([])?;
            while let Some(r) = q.next()? {
                tags.entry(r.get(0)?).or_default().push(r.get(1)?);
            }
        }
        // Where the earlier versions of changed files were (only asked for with the gone ones).
        let mut former: HashMap<i64, String> = HashMap::new();
        if include_missing {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT doc_id, locator FROM former_locations")?;
            let mut q = stmt.query([])?;
            while let Some(r) = q.next()? {
                former.insert(r.get(0)?, r.get(1)?);
            }
        }
        for row in rows.iter_mut() {
            let l = locs.remove(&row.id).unwrap_or_default();
            if l.is_empty()
                && let Some(was) = former.remove(&row.id)
            {
                row.path = was;
                row.earlier_version = true;
            }
            // Among copies, the shortest path names the document ("IEP.pdf", not "IEP (2).pdf").
            if let Some(path) = l
                .iter()
                .filter(|(_, origin, _)| origin == "file")
                .min_by_key(|(loc, _, _)| (loc.chars().count(), loc.clone()))
                .or_else(|| l.first())
                .map(|(loc, _, _)| loc.clone())
            {
                row.path = path;
            }
            row.locations = l.iter().map(|(loc, _, _)| loc.clone()).collect();
            let mut parents: Vec<i64> = l.iter().filter_map(|(_, _, p)| *p).collect();
            parents.sort_unstable();
            parents.dedup();
            row.parent_ids = parents;
            row.tags = tags.remove(&row.sha256).unwrap_or_default();
        }
        Ok(())
    }

    /// Finds a document from what a user typed: an id, a locator, a path, or a SHA-256 prefix.
    pub fn resolve(&self, spec: &str, cwd_relative: Option<&str>) -> Result<i64> {
        let spec = spec.trim();
        if let Ok(id) = spec.parse::<i64>() {
            let found: Option<i64> = self
                .conn
                .query_row("SELECT id FROM documents WHERE id = ?1", [id], |r| r.get(0))
                .optional()?;
            if let Some(id) = found {
                return Ok(id);
            }
        }
        let mut candidates = vec![spec.replace('\\', "/")];
        if let Some(rel) = cwd_relative {
            candidates.push(rel.to_string());
        }
        for c in &candidates {
            let found: Option<i64> = self
                .conn
                .query_row(
                    "SELECT doc_id FROM locations WHERE locator = ?1 ORDER BY missing LIMIT 1",
                    [c],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(id) = found {
                return Ok(id);
            }
        }
        // The same name in another Unicode form: macOS stores "é" decomposed (e + ´), a person
        // types it composed; they are the same name.
        {
            use unicode_normalization::UnicodeNormalization;
            let wanted: Vec<String> = candidates.iter().map(|c| c.nfc().collect()).collect();
            if candidates.iter().any(|c| !c.is_ascii()) {
                let mut stmt = self
                    .conn
                    .prepare_cached("SELECT locator, doc_id FROM locations ORDER BY missing, locator")?;
                let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
                for row in rows {
                    let (locator, id) = row?;
                    if !locator.is_ascii() && wanted.contains(&locator.nfc().collect::<String>()) {
                        return Ok(id);
                    }
                }
            }
        }
        let hex = spec.to_ascii_lowercase();
        if hex.len() >= 6 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            let mut stmt = self
                .conn
                .prepare("SELECT id FROM documents WHERE sha256 >= ?1 AND sha256 < ?1 || 'g' LIMIT 2")?;
            let ids: Vec<i64> = stmt
                .query_map([&hex], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            match ids.as_slice() {
                [id] => return Ok(*id),
                [_, _] => {
                    return Err(user_error(
                        format!("More than one document has a SHA-256 starting with {hex}."),
                        "Type more characters of the SHA-256, or use the document's id from `casebinder list`.",
                    ));
                }
                _ => {}
            }
        }
        Err(user_error(
            format!("No document matches \"{spec}\"."),
            "Use a document id from `casebinder list`, a path inside the case (as `list` shows it), \
             or the first characters of its SHA-256. If the file is new, run `casebinder scan` first.",
        ))
    }

    /// Everything about one document.
    pub fn detail(&self, id: i64, with_text: bool) -> Result<DocDetail> {
        let mut rows = self.list_ids(&[id])?;
        let row = rows.pop().ok_or_else(|| {
            user_error(
                format!("No document has id {id}."),
                "See `casebinder list` for the ids.",
            )
        })?;
        let classification: Option<String> =
            self.conn
                .query_row("SELECT classification FROM documents WHERE id = ?1", [id], |r| {
                    r.get(0)
                })?;
        let classification = classification.and_then(|c| serde_json::from_str(&c).ok());
        let (format, reason, size, ocr, in_reply_to, excluded, meta_json): (
            String,
            Option<String>,
            i64,
            i64,
            Option<String>,
            i64,
            String,
        ) = self.conn.query_row(
            "SELECT format, reason, size, ocr, in_reply_to, excluded, meta_json FROM doc_view WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            },
        )?;
        let all_locations = {
            let mut stmt = self.conn.prepare(
                "SELECT locator, origin, missing, mbox_index, byte_offset, byte_len FROM locations WHERE doc_id = ?1 ORDER BY missing, locator",
            )?;
            stmt.query_map([id], |r| {
                Ok(LocationInfo {
                    locator: r.get(0)?,
                    origin: r.get(1)?,
                    missing: r.get::<_, i64>(2)? != 0,
                    mbox_index: r.get(3)?,
                    byte_offset: r.get(4)?,
                    byte_len: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?
        };
        let attachments = {
            let mut stmt = self.conn.prepare(
                "SELECT DISTINCT doc_id, locator FROM locations WHERE parent_doc_id = ?1 AND missing = 0 ORDER BY locator",
            )?;
            stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?
        };
        let duplicates = {
            let mut stmt = self
                .conn
                .prepare("SELECT id FROM documents WHERE duplicate_of = ?1 ORDER BY id")?;
            stmt.query_map([id], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()?
        };
        let user_set = {
            let c: Option<CorrectionRow> = self
                .conn
                .query_row(
                    "SELECT kind, date, title, author, excluded FROM corrections WHERE sha256 = ?1",
                    [&row.sha256],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                )
                .optional()?;
            let mut set = Vec::new();
            if let Some((k, d, t, a, e)) = c {
                for (name, present) in [
                    ("kind", k.is_some()),
                    ("date", d.is_some()),
                    ("title", t.is_some()),
                    ("author", a.is_some()),
                    ("excluded", e != 0),
                ] {
                    if present {
                        set.push(name.to_string());
                    }
                }
            }
            set
        };
        let text_pages = if with_text {
            let mut stmt = self
                .conn
                .prepare("SELECT page_no, ocr, text FROM pages WHERE doc_id = ?1 ORDER BY page_no")?;
            stmt.query_map([id], |r| {
                Ok(PageText {
                    page: r.get(0)?,
                    ocr: r.get::<_, i64>(1)? != 0,
                    text: r.get::<_, super::text::Stored>(2)?.0,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?
        } else {
            Vec::new()
        };
        Ok(DocDetail {
            row,
            format,
            reason,
            size,
            ocr: ocr != 0,
            in_reply_to,
            excluded: excluded != 0,
            all_locations,
            attachments,
            duplicates,
            meta: serde_json::from_str(&meta_json).unwrap_or(serde_json::Value::Null),
            user_set,
            text_pages,
            classification,
        })
    }

    pub(super) fn list_ids(&self, ids: &[i64]) -> Result<Vec<DocRow>> {
        let mut rows = self.list(&Query::default(), true)?;
        rows.retain(|r| ids.contains(&r.id));
        Ok(rows)
    }

    /// Full-text search with the query language: the documents the query selects, best match
    /// first by the words it wants (those not under a NOT), each with its best page and snippet.
    /// A query of words alone is ranked from the index alone ([`Catalog::search_words`]).
    pub fn search(&self, query: &Query, limit: usize) -> Result<Vec<SearchHit>> {
        if let Some(terms) = query.plain_terms() {
            return self.search_words(&terms, limit);
        }
        let _read = self.conn.unchecked_transaction()?;
        let (filter_sql, filter_params) = filter_sql(query);
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT v.id FROM doc_view v WHERE {filter_sql}"))?;
        let selected: Vec<i64> = stmt
            .query_map(params_from_iter(filter_params), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        // Scores by the wanted words, any of them (0, the worst, for a document without them).
        let wanted: Vec<String> = query.wanted().into_iter().map(crate::query::fts_term).collect();
        let mut score: HashMap<i64, f64> = HashMap::new();
        if !wanted.is_empty() {
            let [title, body] = super::rank::WEIGHTS;
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT rowid, bm25(fts_docs, {title}, {body}) FROM fts_docs WHERE fts_docs MATCH ?1"
            ))?;
            let rows = stmt.query_map([wanted.join(" OR ")], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, f64>(1)?))
            })?;
            for row in rows {
                let (id, s) = row?;
                score.insert(id, s);
            }
        }
        let ranked = selected
            .into_iter()
            .map(|id| (score.get(&id).copied().unwrap_or(0.0), id))
            .collect();
        let mut hits = self.shown(ranked, limit)?;
        // Each hit's snippet shows the wanted words it has (a prefix, the words it matched).
        let mut has = self
            .conn
            .prepare_cached("SELECT 1 FROM fts_docs WHERE fts_docs MATCH ?1 AND rowid = ?2")?;
        for i in 0..hits.len() {
            let mut terms: Vec<String> = Vec::new();
            for t in query.wanted() {
                if !has.exists(rusqlite::params![crate::query::fts_term(t), hits[i].id])? {
                    continue;
                }
                if t.prefix {
                    let title = hits[i].title.clone().unwrap_or_default();
                    terms.extend(super::snippets::words_beginning(
                        &self.conn, hits[i].id, &title, &t.text, 3,
                    )?);
                } else {
                    terms.push(t.text.clone());
                }
            }
            // Words on different pages: the snippet shows the first where it is.
            let one = &mut hits[i..=i];
            super::snippets::best_pages(&self.conn, &terms, one)?;
            if one[0].snippet.is_empty() && terms.len() > 1 {
                super::snippets::best_pages(&self.conn, &terms[..1], one)?;
            }
        }
        Ok(hits)
    }

    /// Full-text search over titles and page text, best first, one hit per document: every
    /// matching document is ranked from the index alone (no text read), and only the documents
    /// shown are read: their best page and its snippet. Nothing caps the matches.
    pub fn search_words(&self, terms: &[String], limit: usize) -> Result<Vec<SearchHit>> {
        let Some(expr) = fts_expression(terms) else {
            return Ok(Vec::new());
        };
        let phrases = terms
            .iter()
            .filter(|t| fts_expression(std::slice::from_ref(t)).is_some())
            .count();
        // One read transaction for all that is read here (not a lock and unlock per statement).
        let _read = self.conn.unchecked_transaction()?;
        let ranked = if *self.ranking.get_or_init(|| super::rank::register(&self.conn)) {
            super::rank::rank(&self.conn, &expr, phrases)?
        } else {
            None
        };
        let ranked = match ranked {
            Some(ranked) => ranked,
            None => {
                let [title, body] = super::rank::WEIGHTS;
                let mut stmt = self.conn.prepare_cached(&format!(
                    "SELECT rowid, bm25(fts_docs, {title}, {body}) FROM fts_docs WHERE fts_docs MATCH ?1"
                ))?;
                let rows = stmt.query_map([&expr], |r| Ok((r.get::<_, f64>(1)?, r.get::<_, i64>(0)?)))?;
                rows.collect::<rusqlite::Result<_>>()?
            }
        };
        let mut hits = self.shown(ranked, limit)?;
        super::snippets::best_pages(&self.conn, terms, &mut hits)?;
        Ok(hits)
    }

    /// The first `limit` of the ranked documents that are still in the folder (as `list` shows
    /// them), best first (then by id), with what a hit shows but its page and snippet. Only the
    /// part of the ranking that is shown is put in order.
    fn shown(&self, mut ranked: Vec<(f64, i64)>, limit: usize) -> Result<Vec<SearchHit>> {
        let order = |a: &(f64, i64), b: &(f64, i64)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
        let mut doc = self
            .conn
            .prepare_cached("SELECT v.kind, v.date, v.title, v.pages FROM doc_view v WHERE v.id = ?1")?;
        let mut place = self.conn.prepare_cached(
            "SELECT locator FROM locations WHERE doc_id = ?1 AND missing = 0
             ORDER BY origin <> 'file', locator LIMIT 1",
        )?;
        let mut hits = Vec::new();
        let mut from = 0;
        while hits.len() < limit && from < ranked.len() {
            // The next few in order (more than are missing, as a rule), the rest left unsorted.
            let rest = &mut ranked[from..];
            let take = limit
                .saturating_sub(hits.len())
                .saturating_mul(2)
                .max(32)
                .min(rest.len());
            if take < rest.len() {
                rest.select_nth_unstable_by(take - 1, order);
            }
            rest[..take].sort_unstable_by(order);
            for &(rank, id) in &rest[..take] {
                if hits.len() >= limit {
                    break;
                }
                let Some(path): Option<String> = place.query_row([id], |r| r.get(0)).optional()? else {
                    continue;
                };
                let (kind, date, title, pages): (
                    Option<String>,
                    Option<String>,
                    Option<String>,
                    Option<i64>,
                ) = doc.query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
                hits.push(SearchHit {
                    id,
                    path,
                    page: pages.map(|_| 0),
                    kind,
                    date,
                    title,
                    snippet: String::new(),
                    rank,
                });
            }
            from += take;
        }
        Ok(hits)
    }

    /// Counts of documents by status (present ones).
    pub fn status_counts(&self) -> Result<BTreeMap<String, i64>> {
        let mut stmt = self.conn.prepare(
            "SELECT status, COUNT(*) FROM documents d WHERE EXISTS (SELECT 1 FROM locations l WHERE l.doc_id = d.id AND l.missing = 0) GROUP BY status",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
