//! The best page and the snippet of each document a search shows, found as FTS5 would find them
//! but without an index of their own.
//!
//! The catalog's index keeps no text (one copy of it lives in the pages table), so FTS5's
//! `snippet()` cannot run on it. A search used to fill a private in-memory FTS5 index with the
//! shown documents' text and ask it; making, filling and querying that index was a fifth of a
//! search for a common word. Here the text is cut by the index's own tokenizer (FTS5's `porter`
//! over `unicode61 remove_diacritics 2`, reached through FTS5's API, so every word is cut and
//! stemmed as the index cuts it), the query's phrases are found among its tokens, and the
//! snippet and the scores that pick a page are FTS5's algorithms (`snippet()` with its sentence
//! starts and coalesced highlights, `bm25()`; fts5_aux.c) on those tokens. A test holds both to
//! what FTS5 itself gives, byte for byte and bit for bit.

use std::ffi::{c_char, c_int, c_void};
use std::marker::PhantomData;

use anyhow::Result;
use rusqlite::{Connection, ffi};

use super::SearchHit;
use super::rank::{B, K1, WEIGHTS};

/// What marks a snippet's words and its cuts (as the search always asked `snippet()` for).
const OPEN: &[u8] = b"[";
const CLOSE: &[u8] = b"]";
const ELLIPSIS: &[u8] = "…".as_bytes();
/// Tokens in a snippet.
const SNIPPET_TOKENS: i64 = 12;
/// FTS5 keeps at most this many bytes of a token (FTS5_MAX_TOKEN_SIZE).
const MAX_TOKEN: usize = 32768;

/// For each hit, its best page and a snippet of it. The best page is the one where the query's
/// words occur most (found by the first letters of the stems the index gives them); the text
/// around their first occurrence there (a window, so that a long document costs what a short
/// one does) is cut into tokens with the document's title, and if every phrase of the query is
/// in one or the other, the snippet comes from them. A document where no window matches (its
/// words only in its title, or a stem's prefix that led astray) has all its pages weighed, each
/// with the title, and the title alone: the best is a page with the words (then the better
/// bm25, as an index of those pages would score them, then the earlier page).
pub(super) fn best_pages(conn: &Connection, terms: &[String], hits: &mut [SearchHit]) -> Result<()> {
    if hits.is_empty() {
        return Ok(());
    }
    const PAGE: i64 = 1 << 20;
    // FTS5 always has its porter tokenizer; were it missing, the hits are still shown (ranked
    // by the index), without a page or a snippet.
    let Some(tokenizer) = Tokenizer::new(conn) else {
        for h in hits.iter_mut() {
            h.page = None;
        }
        return Ok(());
    };
    let query = Query::new(&tokenizer, crate::query::fts_phrases(terms));
    // Their first letters are looked for in the text (a stem can end otherwise than its words:
    // fluency → fluenci).
    let prefixes = Prefixes::new(
        query
            .terms
            .iter()
            .map(|stem| {
                let stem = String::from_utf8_lossy(stem);
                let n = stem.chars().count();
                stem.chars().take(if n > 4 { n - 1 } else { n }).collect()
            })
            .collect(),
    );
    let titles: Vec<String> = hits
        .iter()
        .map(|h| {
            let leaf = h.path.rsplit("::").next().unwrap_or(&h.path);
            let leaf = leaf.rsplit('/').next().unwrap_or(leaf);
            [h.title.as_deref().unwrap_or(""), leaf].join(" ")
        })
        .collect();
    let mut pages =
        conn.prepare_cached("SELECT page_no, text FROM pages WHERE doc_id = ?1 ORDER BY page_no")?;
    let mut load = |id: i64| -> Result<Vec<(i64, String)>> {
        let rows = pages.query_map([id], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, super::text::Stored>(1)?.0))
        })?;
        Ok(rows
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .filter(|(n, _)| (1..PAGE).contains(n))
            .collect())
    };
    // Per hit: its page (0: the title alone) and snippet.
    let mut best: Vec<Option<(i64, Vec<u8>)>> = vec![None; hits.len()];
    // Each hit's pages, once read (the second pass reads no page twice).
    let mut read: Vec<Option<Vec<(i64, String)>>> = vec![None; hits.len()];
    // First pass: one window per document, where its words are.
    if !prefixes.list.is_empty() {
        for (i, h) in hits.iter().enumerate() {
            let pages = load(h.id)?;
            if let Some((page_no, window)) = best_window(&pages, &prefixes) {
                let row = Row::new(&tokenizer, &query, [&titles[i], &window]);
                if row.matches(&query) {
                    best[i] = Some((page_no, row.snippet(&query)));
                    continue;
                }
            }
            read[i] = Some(pages);
        }
    }
    // Second pass: every page of the documents no window found (or none matched), and their
    // titles alone, weighed together.
    let whole: Vec<usize> = (0..hits.len()).filter(|&i| best[i].is_none()).collect();
    if !whole.is_empty() {
        let mut texts: Vec<(usize, i64, String)> = Vec::new();
        for &i in &whole {
            texts.push((i, 0, String::new()));
            let pages = match read[i].take() {
                Some(pages) => pages,
                None => load(hits[i].id)?,
            };
            texts.extend(pages.into_iter().map(|(n, text)| (i, n, text)));
        }
        let rows: Vec<Row<'_>> = texts
            .iter()
            .map(|(i, _, text)| Row::new(&tokenizer, &query, [&titles[*i], text]))
            .collect();
        let scores = bm25(&rows, &query);
        let mut chosen: Vec<Option<(f64, i64, usize)>> = vec![None; hits.len()];
        for (r, ((i, page, _), row)) in texts.iter().zip(&rows).enumerate() {
            if !row.matches(&query) {
                continue;
            }
            let (page, rank) = (*page, scores[r]);
            let better = |b: &(f64, i64, usize)| (page == 0, rank, page) < (b.1 == 0, b.0, b.1);
            if chosen[*i].as_ref().is_none_or(better) {
                chosen[*i] = Some((rank, page, r));
            }
        }
        for (i, c) in chosen.into_iter().enumerate() {
            if let Some((_, page, r)) = c {
                best[i] = Some((page, rows[r].snippet(&query)));
            }
        }
    }
    for (h, b) in hits.iter_mut().zip(best) {
        if let Some((page, snippet)) = b {
            h.page = Some(page).filter(|p| *p > 0 && h.page.is_some());
            h.snippet = String::from_utf8_lossy(&snippet)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
        } else {
            h.page = None;
        }
    }
    Ok(())
}

/// The words of a document (its title and pages, as the index cut them) whose stems begin as
/// the stem of `prefix` does, as written (lower case), each once, at most `max`: what a prefix
/// search (`reev*`) matched there, so its snippet can show them.
pub(super) fn words_beginning(
    conn: &Connection,
    doc_id: i64,
    title: &str,
    prefix: &str,
    max: usize,
) -> Result<Vec<String>> {
    let Some(tokenizer) = Tokenizer::new(conn) else {
        return Ok(Vec::new());
    };
    let mut stem = Vec::new();
    tokenizer.tokens(prefix, ffi::FTS5_TOKENIZE_QUERY, |t, _, _| {
        if stem.is_empty() {
            stem = t.to_vec();
        }
    });
    if stem.is_empty() {
        return Ok(Vec::new());
    }
    let mut out: Vec<String> = Vec::new();
    let mut pages = conn.prepare_cached("SELECT text FROM pages WHERE doc_id = ?1 ORDER BY page_no")?;
    let texts = std::iter::once(Ok(title.to_string())).chain(
        pages
            .query_map([doc_id], |r| Ok(r.get::<_, super::text::Stored>(0)?.0))?
            .collect::<Vec<_>>(),
    );
    for text in texts {
        let text = text?;
        tokenizer.tokens(&text, ffi::FTS5_TOKENIZE_DOCUMENT, |t, start, end| {
            if out.len() < max
                && t.starts_with(&stem)
                && let Some(word) = text.get(start..end)
            {
                let word = word.to_lowercase();
                if !out.contains(&word) {
                    out.push(word);
                }
            }
        });
        if out.len() >= max {
            break;
        }
    }
    Ok(out)
}

/// The index's tokenizer (`porter unicode61 remove_diacritics 2`), from this connection's FTS5.
struct Tokenizer<'c> {
    api: ffi::fts5_tokenizer,
    tokenizer: *mut ffi::Fts5Tokenizer,
    _conn: PhantomData<&'c Connection>,
}

impl<'c> Tokenizer<'c> {
    fn new(conn: &'c Connection) -> Option<Tokenizer<'c>> {
        let fts5 = super::rank::fts5_api(conn)?;
        #[allow(unsafe_code)]
        // SAFETY: `fts5` is this open connection's FTS5 API (it lives as long as the
        // connection, which this borrows). xFindTokenizer fills `api` and `user`; xCreate gets
        // the arguments the index was made with (C strings that outlive the call) and gives a
        // tokenizer that `Drop` deletes.
        unsafe {
            let find = (*fts5).xFindTokenizer?;
            let mut user: *mut c_void = std::ptr::null_mut();
            let mut api = ffi::fts5_tokenizer {
                xCreate: None,
                xDelete: None,
                xTokenize: None,
            };
            if find(fts5, c"porter".as_ptr(), &raw mut user, &raw mut api) != ffi::SQLITE_OK {
                return None;
            }
            let (create, _, _) = (api.xCreate?, api.xDelete?, api.xTokenize?);
            let mut args = [
                c"unicode61".as_ptr(),
                c"remove_diacritics".as_ptr(),
                c"2".as_ptr(),
            ];
            let mut tokenizer: *mut ffi::Fts5Tokenizer = std::ptr::null_mut();
            if create(user, args.as_mut_ptr(), args.len() as c_int, &raw mut tokenizer) != ffi::SQLITE_OK
                || tokenizer.is_null()
            {
                return None;
            }
            Some(Tokenizer {
                api,
                tokenizer,
                _conn: PhantomData,
            })
        }
    }

    /// Calls `each` with every token of `text` (as FTS5 keeps it: at most `MAX_TOKEN` bytes)
    /// and its byte range in `text`, in order.
    fn tokens(&self, text: &str, flags: c_int, mut each: impl FnMut(&[u8], usize, usize)) {
        let mut sink: &mut dyn FnMut(&[u8], usize, usize) = &mut each;
        let len = c_int::try_from(text.len()).unwrap_or(c_int::MAX);
        let Some(tokenize) = self.api.xTokenize else {
            return;
        };
        #[allow(unsafe_code)]
        // SAFETY: the tokenizer was made by this API's xCreate and is alive; `text` is valid
        // for `len` bytes during the call; `sink` lives on this stack for the whole call and is
        // only used by `one_token`, which FTS5 calls during it.
        unsafe {
            tokenize(
                self.tokenizer,
                (&raw mut sink).cast::<c_void>(),
                flags,
                text.as_ptr().cast::<c_char>(),
                len,
                Some(one_token),
            );
        }
    }
}

impl Drop for Tokenizer<'_> {
    fn drop(&mut self) {
        if let Some(delete) = self.api.xDelete {
            #[allow(unsafe_code)]
            // SAFETY: made by this API's xCreate, deleted once.
            unsafe {
                delete(self.tokenizer);
            }
        }
    }
}

/// The tokenizer's callback: hands each token (not the colocated ones, which FTS5 does not
/// count as positions) to the closure `Tokenizer::tokens` passed.
#[allow(unsafe_code)]
unsafe extern "C" fn one_token(
    ctx: *mut c_void,
    flags: c_int,
    token: *const c_char,
    len: c_int,
    start: c_int,
    end: c_int,
) -> c_int {
    if flags & ffi::FTS5_TOKEN_COLOCATED != 0 {
        return ffi::SQLITE_OK;
    }
    // SAFETY: `ctx` is the `&mut dyn FnMut` that `Tokenizer::tokens` passed, alive for the
    // tokenizer's call; `token` is valid for `len` bytes during this call.
    unsafe {
        let sink = &mut *ctx.cast::<&mut dyn FnMut(&[u8], usize, usize)>();
        let len = usize::try_from(len).unwrap_or(0).min(MAX_TOKEN);
        let bytes = if token.is_null() || len == 0 {
            &[][..]
        } else {
            std::slice::from_raw_parts(token.cast::<u8>(), len)
        };
        sink(
            bytes,
            usize::try_from(start).unwrap_or(0),
            usize::try_from(end).unwrap_or(0),
        );
    }
    ffi::SQLITE_OK
}

/// A search's phrases as the index's tokens: each phrase a run of terms (indexes into `terms`,
/// the distinct terms in byte order). A phrase with no token at all is left out, as FTS5 leaves
/// it out of the query.
struct Query {
    terms: Vec<Vec<u8>>,
    phrases: Vec<Vec<u32>>,
}

impl Query {
    fn new<'a>(tokenizer: &Tokenizer<'_>, phrases: impl Iterator<Item = &'a str>) -> Query {
        let mut raw: Vec<Vec<Vec<u8>>> = Vec::new();
        for phrase in phrases {
            let mut tokens = Vec::new();
            tokenizer.tokens(phrase, ffi::FTS5_TOKENIZE_QUERY, |t, _, _| {
                tokens.push(t.to_vec())
            });
            if !tokens.is_empty() {
                raw.push(tokens);
            }
        }
        let mut terms: Vec<Vec<u8>> = raw.iter().flatten().cloned().collect();
        terms.sort();
        terms.dedup();
        let phrases = raw
            .iter()
            .map(|p| {
                p.iter()
                    .map(|t| terms.binary_search(t).map_or(u32::MAX, |i| i as u32))
                    .collect()
            })
            .collect();
        Query { terms, phrases }
    }

    /// The number of tokens of phrase `p`.
    fn len(&self, p: usize) -> i64 {
        self.phrases.get(p).map_or(1, |t| t.len() as i64)
    }
}

/// A token of a column: its byte range and which of the query's terms it is (`NONE`: none).
/// Twelve bytes (a page's text is at most 64 MiB, so its offsets fit in 32 bits).
#[derive(Clone, Copy)]
struct Token {
    start: u32,
    end: u32,
    term: u32,
}

impl Token {
    fn start(self) -> usize {
        self.start as usize
    }

    fn end(self) -> usize {
        self.end as usize
    }
}

const NONE: u32 = u32::MAX;

/// One row as an index would hold it: the title (column 0) and the text (column 1), their
/// tokens, and where each phrase of the query is in them, in FTS5's order (by column, then
/// position, then phrase).
struct Row<'t> {
    columns: [(&'t str, Vec<Token>); 2],
    /// (phrase, column, position of its first token).
    found: Vec<(usize, usize, i64)>,
}

impl<'t> Row<'t> {
    fn new(tokenizer: &Tokenizer<'_>, query: &Query, texts: [&'t str; 2]) -> Row<'t> {
        let columns = texts.map(|text| {
            let mut tokens = Vec::new();
            tokenizer.tokens(text, ffi::FTS5_TOKENIZE_DOCUMENT, |t, start, end| {
                let term = query.terms.binary_search_by(|q| q.as_slice().cmp(t));
                tokens.push(Token {
                    start: u32::try_from(start).unwrap_or(u32::MAX),
                    end: u32::try_from(end).unwrap_or(u32::MAX),
                    term: term.map_or(NONE, |i| i as u32),
                });
            });
            (text, tokens)
        });
        let mut found = Vec::new();
        for (c, (_, tokens)) in columns.iter().enumerate() {
            for (p, phrase) in query.phrases.iter().enumerate() {
                if phrase.is_empty() || phrase.len() > tokens.len() {
                    continue;
                }
                for at in 0..=tokens.len() - phrase.len() {
                    if tokens[at..at + phrase.len()]
                        .iter()
                        .zip(phrase)
                        .all(|(t, &q)| t.term == q && q != NONE)
                    {
                        found.push((p, c, at as i64));
                    }
                }
            }
        }
        found.sort_unstable_by_key(|&(p, c, at)| (c, at, p));
        Row { columns, found }
    }

    /// True when every phrase of the query is in the row (in either column): FTS5's match of
    /// phrases joined by AND.
    fn matches(&self, query: &Query) -> bool {
        !query.phrases.is_empty() && (0..query.phrases.len()).all(|p| self.found.iter().any(|f| f.0 == p))
    }

    /// The row's length in tokens, both columns.
    fn size(&self) -> usize {
        self.columns.iter().map(|(_, t)| t.len()).sum()
    }

    /// `snippet(row, -1, '[', ']', '…', 12)`, as fts5_aux.c makes it: the best run of 12 tokens
    /// of either column (a phrase not yet seen in it scores 1000, one seen 1; a run may start at
    /// a sentence's start for 100 more, 120 at the column's start), the query's phrases in it
    /// marked (overlapping ones as one), an ellipsis where it cuts the text.
    fn snippet(&self, query: &Query) -> Vec<u8> {
        let n = SNIPPET_TOKENS;
        let mut seen = vec![false; query.phrases.len()];
        let (mut best_col, mut best_start, mut best_score, mut col_size) = (0usize, 0i64, 0i64, 0i64);
        for (c, (text, tokens)) in self.columns.iter().enumerate() {
            let starts = sentence_starts(text.as_bytes(), tokens);
            let size = tokens.len() as i64;
            for &(_, col, at) in &self.found {
                if col != c {
                    continue;
                }
                seen.fill(false);
                let (score, adjusted) = self.score(query, size, &mut seen, c, at, n);
                if score > best_score {
                    (best_score, best_col, best_start, col_size) = (score, c, adjusted, size);
                }
                if !starts.is_empty() && size > n {
                    let mut j = 0;
                    while j + 1 < starts.len() && starts[j + 1] <= at {
                        j += 1;
                    }
                    if starts[j] < at {
                        seen.fill(false);
                        let (score, _) = self.score(query, size, &mut seen, c, starts[j], n);
                        let score = score + if starts[j] == 0 { 120 } else { 100 };
                        if score > best_score {
                            (best_score, best_col, best_start, col_size) = (score, c, starts[j], size);
                        }
                    }
                }
            }
        }
        let (text, tokens) = &self.columns[best_col];
        let z = text.as_bytes();
        if col_size == 0 {
            col_size = tokens.len() as i64;
        }
        let mut out = Vec::new();
        let append = |out: &mut Vec<u8>, from: usize, to: usize| {
            // SQLite copies with "%.*s", which stops at a NUL byte.
            let part = z.get(from..to).unwrap_or(&[]);
            let part = part.split(|&b| b == 0).next().unwrap_or(&[]);
            out.extend_from_slice(part);
        };
        let (range_start, range_end) = (best_start, best_start + n - 1);
        if best_start > 0 {
            out.extend_from_slice(ELLIPSIS);
        }
        let mut marks = Coalesced::new(best_col);
        marks.advance(self, query);
        while marks.start >= 0 && marks.start < best_start {
            marks.advance(self, query);
        }
        let (mut off, mut open) = (0usize, false);
        for (pos, t) in tokens.iter().enumerate() {
            let pos = pos as i64;
            if pos < range_start || pos > range_end {
                continue;
            }
            if range_start != 0 && pos == range_start {
                off = t.start();
            }
            if open && (pos <= marks.start || marks.start < 0) && t.start() > off {
                out.extend_from_slice(CLOSE);
                open = false;
            }
            if pos == marks.start && !open {
                append(&mut out, off, t.start());
                out.extend_from_slice(OPEN);
                off = t.start();
                open = true;
            }
            if pos == marks.end {
                if !open {
                    out.extend_from_slice(OPEN);
                    open = true;
                }
                append(&mut out, off, t.end());
                off = t.end();
                marks.advance(self, query);
            }
            if pos == range_end {
                if open {
                    if marks.start >= 0 && pos >= marks.start {
                        append(&mut out, off, t.end());
                        off = t.end();
                    }
                    out.extend_from_slice(CLOSE);
                    open = false;
                }
                append(&mut out, off, t.end());
                off = t.end();
            }
        }
        if open {
            out.extend_from_slice(CLOSE);
        }
        if range_end >= col_size - 1 {
            append(&mut out, off, z.len());
        } else {
            out.extend_from_slice(ELLIPSIS);
        }
        out
    }

    /// fts5SnippetScore: the score of the `n` tokens of column `col` from `from`, and where a
    /// run of `n` tokens centred on the phrases found in them would start.
    fn score(
        &self,
        query: &Query,
        size: i64,
        seen: &mut [bool],
        col: usize,
        from: i64,
        n: i64,
    ) -> (i64, i64) {
        let (mut score, mut first, mut last) = (0i64, -1i64, 0i64);
        for &(p, c, at) in &self.found {
            if c == col && at >= from && at < from + n {
                score += if seen[p] { 1 } else { 1000 };
                seen[p] = true;
                if first < 0 {
                    first = at;
                }
                last = at + query.len(p);
            }
        }
        let mut adjusted = first - (n - (last - first)) / 2;
        if adjusted + n > size {
            adjusted = size - n;
        }
        (score, adjusted.max(0))
    }
}

/// The positions of the tokens that start a sentence (fts5SentenceFinderCb): the first, and
/// each one after white space that follows a full stop or a colon.
fn sentence_starts(z: &[u8], tokens: &[Token]) -> Vec<i64> {
    let mut starts = Vec::new();
    for (pos, t) in tokens.iter().enumerate() {
        if pos == 0 {
            starts.push(0);
            continue;
        }
        let mut i = t.start() as i64 - 1;
        let mut c = 0u8;
        while i >= 0 {
            c = z.get(i as usize).copied().unwrap_or(0);
            if !matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
                break;
            }
            i -= 1;
        }
        if i != t.start() as i64 - 1 && (c == b'.' || c == b':') {
            starts.push(pos as i64);
        }
    }
    starts
}

/// FTS5's iterator over a column's phrase instances with overlapping ones joined (CInstIter).
struct Coalesced {
    col: usize,
    next: usize,
    start: i64,
    end: i64,
}

impl Coalesced {
    fn new(col: usize) -> Coalesced {
        Coalesced {
            col,
            next: 0,
            start: -1,
            end: -1,
        }
    }

    fn advance(&mut self, row: &Row<'_>, query: &Query) {
        self.start = -1;
        self.end = -1;
        while let Some(&(p, c, at)) = row.found.get(self.next) {
            if c == self.col {
                let end = at - 1 + query.len(p);
                if self.start < 0 {
                    (self.start, self.end) = (at, end);
                } else if at <= self.end {
                    self.end = self.end.max(end);
                } else {
                    break;
                }
            }
            self.next += 1;
        }
    }
}

/// `bm25(t, 4.0, 1.0)` of each row of an index `t` that holds exactly `rows` (idf from the rows
/// that have each phrase, lengths over both columns), to the bit; meaningful for the rows that
/// match.
fn bm25(rows: &[Row<'_>], query: &Query) -> Vec<f64> {
    let n_rows = rows.len() as i64;
    let total: i64 = rows.iter().map(|r| r.size() as i64).sum();
    let avgdl = total as f64 / n_rows as f64;
    let idf: Vec<f64> = (0..query.phrases.len())
        .map(|p| {
            let with = rows.iter().filter(|r| r.found.iter().any(|f| f.0 == p)).count() as i64;
            let v = (((n_rows - with) as f64 + 0.5) / (with as f64 + 0.5)).ln();
            if v <= 0.0 { 1e-6 } else { v }
        })
        .collect();
    let mut freq = vec![0.0f64; query.phrases.len()];
    rows.iter()
        .map(|r| {
            freq.fill(0.0);
            for &(p, c, _) in &r.found {
                freq[p] += WEIGHTS.get(c).copied().unwrap_or(1.0);
            }
            let d = r.size() as f64;
            let mut score = 0.0;
            for (f, idf) in freq.iter().zip(&idf) {
                score += idf * ((f * (K1 + 1.0)) / (f + K1 * (1.0 - B + B * d / avgdl)));
            }
            -score
        })
        .collect()
}

/// Characters kept before and after the first occurrence of the query's words in a window.
const WINDOW_BEFORE: usize = 160;
const WINDOW_AFTER: usize = 480;

/// The first letters of the query's stems, and for ASCII ones a case-blind automaton that finds
/// them in ASCII text at the speed of a memory scan.
struct Prefixes {
    list: Vec<String>,
    ascii: Option<aho_corasick::AhoCorasick>,
}

impl Prefixes {
    fn new(list: Vec<String>) -> Prefixes {
        let ascii = (!list.is_empty() && list.iter().all(|p| p.is_ascii() && !p.is_empty()))
            .then(|| {
                aho_corasick::AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .build(&list)
                    .ok()
            })
            .flatten();
        Prefixes { list, ascii }
    }
}

/// The page where the words starting with `prefixes` occur most (the earlier page on a tie),
/// and the text around their first occurrence there. None when no page has them.
fn best_window(pages: &[(i64, String)], prefixes: &Prefixes) -> Option<(i64, String)> {
    let mut best: Option<(usize, i64, usize, &str)> = None;
    for (page_no, text) in pages {
        let (count, first) = occurrences(text, prefixes);
        if count > 0 && best.is_none_or(|b| count > b.0) {
            best = Some((count, *page_no, first, text));
        }
    }
    let (_, page_no, first, text) = best?;
    let start = text[..first]
        .char_indices()
        .rev()
        .nth(WINDOW_BEFORE)
        .map_or(0, |(at, _)| at);
    // Whole words: the window starts after a space and ends before one.
    let start = if start == 0 {
        0
    } else {
        text[start..first]
            .find(char::is_whitespace)
            .map_or(start, |s| start + s)
    };
    let end = text[first..]
        .char_indices()
        .nth(WINDOW_AFTER)
        .map_or(text.len(), |(at, _)| first + at);
    let end = if end == text.len() {
        end
    } else {
        text[first..end]
            .rfind(char::is_whitespace)
            .map_or(end, |e| first + e)
    };
    Some((page_no, text[start..end].to_string()))
}

/// How many words of `text` start with one of `prefixes` (compared without case or accents),
/// and the byte offset of the first.
fn occurrences(text: &str, prefixes: &Prefixes) -> (usize, usize) {
    if let Some(ac) = &prefixes.ascii
        && text.is_ascii()
    {
        return occurrences_found(text.as_bytes(), ac);
    }
    occurrences_folded(text, &prefixes.list)
}

/// [`occurrences`] for ASCII text and prefixes (folding an ASCII letter is lowering it): each
/// place a prefix starts, counted when it starts a word. The prefixes are letters and digits,
/// so a match inside a word ends inside it and cannot hide one at the start of the next.
fn occurrences_found(text: &[u8], ac: &aho_corasick::AhoCorasick) -> (usize, usize) {
    let mut count = 0;
    let mut first = usize::MAX;
    for m in ac.find_iter(text) {
        let at = m.start();
        if at == 0 || !text[at - 1].is_ascii_alphanumeric() {
            count += 1;
            first = first.min(at);
        }
    }
    (count, if count > 0 { first } else { 0 })
}

/// [`occurrences`] for ASCII text and prefixes, byte by byte (the same answer: folding an ASCII
/// letter is lowering it).
#[cfg(test)]
fn occurrences_ascii(text: &[u8], prefixes: &[String]) -> (usize, usize) {
    let mut count = 0;
    let mut first = usize::MAX;
    let mut prev_alnum = false;
    for (at, c) in text.iter().enumerate() {
        let alnum = c.is_ascii_alphanumeric();
        if alnum && !prev_alnum {
            let rest = &text[at..];
            let hit = prefixes.iter().any(|p| {
                rest.get(..p.len())
                    .is_some_and(|r| r.eq_ignore_ascii_case(p.as_bytes()))
            });
            if hit {
                count += 1;
                first = first.min(at);
            }
        }
        prev_alnum = alnum;
    }
    (count, if count > 0 { first } else { 0 })
}

/// [`occurrences`] for any text: each word compared with the prefixes without case or accents.
fn occurrences_folded(text: &str, prefixes: &[String]) -> (usize, usize) {
    use unicode_normalization::char::decompose_canonical;
    let fold = |c: char| -> char {
        if c.is_ascii() {
            return c.to_ascii_lowercase();
        }
        let mut base = c;
        decompose_canonical(c, |d| {
            if base == c {
                base = d;
            }
        });
        base.to_lowercase().next().unwrap_or(base)
    };
    let mut count = 0;
    let mut first = usize::MAX;
    let mut prev_alnum = false;
    for (at, c) in text.char_indices() {
        let alnum = c.is_alphanumeric();
        if alnum && !prev_alnum {
            let rest = &text[at..];
            let hit = prefixes.iter().any(|p| {
                let mut folded = rest.chars().map(fold);
                p.chars().all(|pc| folded.next() == Some(pc))
            });
            if hit {
                count += 1;
                first = first.min(at);
            }
        }
        prev_alnum = alnum;
    }
    (count, if count > 0 { first } else { 0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_text_is_searched_as_any_text_is() {
        let prefixes: Vec<String> = ["fluenc", "occup", "ot"].map(String::from).to_vec();
        let built = Prefixes::new(prefixes.clone());
        let ac = built.ascii.as_ref().expect("ASCII prefixes get an automaton");
        for text in [
            "Reading fluency: FLUENCY goals (fluencies) and OT; occupational-therapy, 2nd OT.",
            "",
            "ot",
            "no match here at all",
            "x-ray Fluency9 9fluency _fluency fluenc",
            "otot ot. Ot",
        ] {
            assert_eq!(
                occurrences_ascii(text.as_bytes(), &prefixes),
                occurrences_folded(text, &prefixes),
                "{text:?}"
            );
            assert_eq!(
                occurrences_found(text.as_bytes(), ac),
                occurrences_folded(text, &prefixes),
                "{text:?}"
            );
            assert_eq!(
                occurrences(text, &built),
                occurrences_folded(text, &prefixes),
                "{text:?}"
            );
        }
        // Accented text takes the folding way.
        assert_eq!(occurrences("Élève fluency", &built), (1, 8));
    }

    /// Words and what comes between them, chosen for what the snippet and the tokenizer treat
    /// apart: stems shared by several words, case and accents, sentence ends, runs of white
    /// space, a word longer than the stemmer takes, a combining mark the tokenizer drops, a NUL.
    const WORDS: &[&str] = &[
        "fluency",
        "fluent",
        "Fluency",
        "FLUENCIES",
        "reading",
        "reads",
        "speech",
        "language",
        "occupational",
        "therapy",
        "OT",
        "évaluation",
        "Evaluation",
        "the",
        "district",
        "of",
        "minutes",
        "2024",
        "élève",
        "naïve",
        "x",
        "ab",
        "supercalifragilistic",
        "\u{345}",
    ];
    const BETWEEN: &[&str] = &[
        " ", " ", " ", "  ", ". ", ": ", ".", "\n", "\t", "\r\n", ":\r\n", ", ", " — ", "(", ") ", ".\n\n",
        "\0",
    ];

    use super::super::test_rng::Rng;

    fn text(rng: &mut Rng, words: usize) -> String {
        let mut t = String::new();
        if rng.below(5) == 0 {
            t.push_str(BETWEEN[rng.below(BETWEEN.len())]);
        }
        for i in 0..words {
            if i > 0 {
                t.push_str(BETWEEN[rng.below(BETWEEN.len())]);
            }
            let w = WORDS[rng.below(WORDS.len())];
            if w == "supercalifragilistic" {
                t.push_str(&w.repeat(4)); // longer than the porter stemmer's 64 bytes
            } else {
                t.push_str(w);
            }
        }
        t
    }

    #[test]
    fn snippets_and_scores_are_fts5s() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE VIRTUAL TABLE s USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2');",
        )
        .unwrap();
        let tokenizer = Tokenizer::new(&conn).expect("FTS5's porter tokenizer");
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let mut compared = 0;
        for round in 0..60 {
            conn.execute("DELETE FROM s", []).unwrap();
            let rows: Vec<[String; 2]> = (0..1 + rng.below(12))
                .map(|_| {
                    let n = rng.below(4);
                    let title = text(&mut rng, n);
                    let n = [0, 3, 12, 13, 40, 150][rng.below(6)];
                    let body = text(&mut rng, n);
                    [title, body]
                })
                .collect();
            for (id, [title, body]) in rows.iter().enumerate() {
                conn.execute(
                    "INSERT INTO s(rowid, title, body) VALUES (?1, ?2, ?3)",
                    rusqlite::params![id as i64, title, body],
                )
                .unwrap();
            }
            for _ in 0..12 {
                // One to three phrases of one or two words; now and then a phrase the tokenizer
                // makes nothing of.
                let terms: Vec<String> = (0..1 + rng.below(3))
                    .map(|_| {
                        let n = 1 + rng.below(2);
                        (0..n)
                            .map(|_| WORDS[rng.below(WORDS.len())].to_lowercase())
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .collect();
                let Some(expr) = crate::query::fts_expression(&terms) else {
                    continue;
                };
                let mut stmt = conn
                    .prepare(
                        "SELECT rowid, bm25(s, 4.0, 1.0), snippet(s, -1, '[', ']', '…', 12) FROM s WHERE s MATCH ?1",
                    )
                    .unwrap();
                let theirs: Vec<(i64, f64, Vec<u8>)> = stmt
                    .query_map([&expr], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?.into_bytes()))
                    })
                    .unwrap()
                    .map(Result::unwrap)
                    .collect();
                let query = Query::new(&tokenizer, crate::query::fts_phrases(&terms));
                let ours_rows: Vec<Row<'_>> = rows
                    .iter()
                    .map(|[t, b]| Row::new(&tokenizer, &query, [t.as_str(), b.as_str()]))
                    .collect();
                let scores = bm25(&ours_rows, &query);
                let ours: Vec<(i64, f64, Vec<u8>)> = ours_rows
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| r.matches(&query))
                    .map(|(id, r)| (id as i64, scores[id], r.snippet(&query)))
                    .collect();
                let ids = |v: &[(i64, f64, Vec<u8>)]| v.iter().map(|r| r.0).collect::<Vec<_>>();
                assert_eq!(ids(&ours), ids(&theirs), "round {round}, query {expr}");
                for (o, t) in ours.iter().zip(&theirs) {
                    assert_eq!(
                        String::from_utf8_lossy(&o.2),
                        String::from_utf8_lossy(&t.2),
                        "round {round}, query {expr}, row {:?}",
                        rows[o.0 as usize]
                    );
                    assert_eq!(o.1.to_bits(), t.1.to_bits(), "round {round}, query {expr}");
                    compared += 1;
                }
            }
        }
        // The comparison is not empty: many rows matched.
        assert!(compared > 500, "only {compared} rows compared");
    }
}
