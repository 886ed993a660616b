//! Ranks the documents a search matches with FTS5's own bm25 formula, at a fraction of its cost.
//!
//! SQLite's `bm25()` runs once per match, and each time looks up the match's length in the
//! index's size table with a statement of its own: for a word found in every document, ranking
//! was most of a search. Here one call of a small FTS5 auxiliary function (`casebinder_rank`)
//! walks each phrase's documents inside FTS5 (its `xQueryPhrase`, which bm25 uses to count them)
//! and hands back every document with the phrase's weighted number of hits in it; the matches are
//! the documents every phrase has (the search ANDs its phrases); their lengths come from one
//! pass over the size table in row order (or a lookup each when they are few, so that a rare word
//! costs what it did); and the score is bm25's: same k1, b, idf and column weights, to the last
//! bit (a unit test holds the two to the same numbers). When anything here is not as expected,
//! the search ranks with `bm25()` itself.

use std::ffi::{c_int, c_void};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, ffi};

use anyhow::Result;

/// bm25's constants, as FTS5 sets them (fts5_aux.c).
pub(super) const K1: f64 = 1.2;
pub(super) const B: f64 = 0.75;

/// Column weights of the index (title, body), as the search has always passed them to bm25().
pub(super) const WEIGHTS: [f64; 2] = [4.0, 1.0];

/// This connection's FTS5 API (version 2 or later), or None when FTS5 does not give it.
pub(super) fn fts5_api(conn: &Connection) -> Option<*mut ffi::fts5_api> {
    let mut api: *mut ffi::fts5_api = std::ptr::null_mut();
    #[allow(unsafe_code)]
    // SAFETY: the documented way to reach FTS5's API (sqlite.org/fts5.html, "Extending FTS5"):
    // `SELECT fts5(?1)` with a pointer bound under the type "fts5_api_ptr", into which FTS5
    // writes its API. The statement is prepared, stepped and finalized on this open connection,
    // and `api` outlives it. The API lives as long as the connection.
    unsafe {
        let db = conn.handle();
        let mut stmt: *mut ffi::sqlite3_stmt = std::ptr::null_mut();
        let sql = c"SELECT fts5(?1)";
        if ffi::sqlite3_prepare_v2(db, sql.as_ptr(), -1, &raw mut stmt, std::ptr::null_mut())
            != ffi::SQLITE_OK
        {
            return None;
        }
        ffi::sqlite3_bind_pointer(stmt, 1, (&raw mut api).cast(), c"fts5_api_ptr".as_ptr(), None);
        ffi::sqlite3_step(stmt);
        ffi::sqlite3_finalize(stmt);
        (!api.is_null() && (*api).iVersion >= 2).then_some(api)
    }
}

/// Registers `casebinder_rank` with this connection's FTS5. Returns false when FTS5 did not give
/// its API (then the caller ranks with `bm25()`).
pub(super) fn register(conn: &Connection) -> bool {
    let Some(api) = fts5_api(conn) else {
        return false;
    };
    #[allow(unsafe_code)]
    // SAFETY: `api` is this open connection's FTS5 API; the functions registered live as long
    // as the connection.
    unsafe {
        let Some(create) = (*api).xCreateFunction else {
            return false;
        };
        create(
            api,
            c"casebinder_rank".as_ptr(),
            std::ptr::null_mut(),
            Some(rank_all),
            None,
        ) == ffi::SQLITE_OK
            && ffi::sqlite3_create_function_v2(
                conn.handle(),
                c"casebinder_sizes".as_ptr(),
                2,
                ffi::SQLITE_UTF8 | ffi::SQLITE_DETERMINISTIC,
                std::ptr::null_mut(),
                None,
                Some(sizes_step),
                Some(sizes_final),
                None,
            ) == ffi::SQLITE_OK
    }
}

/// `casebinder_sizes(id, sz)`, an aggregate over rows of the index's size table: each row's id
/// and length in tokens (the sum of its varints), as a blob of (i64, u64) pairs, native-endian,
/// in the rows' order. One call for the lengths of thousands of matches, not one row each.
#[allow(unsafe_code)]
unsafe extern "C" fn sizes_step(
    ctx: *mut ffi::sqlite3_context,
    n: c_int,
    args: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: SQLite calls this with `n` valid argument values; the aggregate context is memory
    // SQLite keeps for this aggregate (zeroed at first), holding a pointer to a boxed buffer
    // that `sizes_final` takes back.
    unsafe {
        let slot = ffi::sqlite3_aggregate_context(ctx, std::mem::size_of::<*mut Vec<u8>>() as c_int)
            .cast::<*mut Vec<u8>>();
        if slot.is_null() || n != 2 {
            return ffi::sqlite3_result_error_nomem(ctx);
        }
        if (*slot).is_null() {
            *slot = Box::into_raw(Box::new(Vec::<u8>::new()));
        }
        let out = &mut **slot;
        let id = ffi::sqlite3_value_int64(*args);
        let blob = ffi::sqlite3_value_blob(*args.add(1)).cast::<u8>();
        let len = usize::try_from(ffi::sqlite3_value_bytes(*args.add(1))).unwrap_or(0);
        let bytes = if blob.is_null() {
            &[][..]
        } else {
            std::slice::from_raw_parts(blob, len)
        };
        out.extend_from_slice(&id.to_ne_bytes());
        out.extend_from_slice(&total_size(bytes).to_ne_bytes());
    }
}

#[allow(unsafe_code)]
unsafe extern "C" fn sizes_final(ctx: *mut ffi::sqlite3_context) {
    // SAFETY: the aggregate context is the one `sizes_step` filled (or null when no row came);
    // the buffer is taken back from its box once and the slot cleared.
    unsafe {
        let slot = ffi::sqlite3_aggregate_context(ctx, 0).cast::<*mut Vec<u8>>();
        let out = if slot.is_null() || (*slot).is_null() {
            Box::new(Vec::new())
        } else {
            let taken = Box::from_raw(*slot);
            *slot = std::ptr::null_mut();
            taken
        };
        let Ok(len) = c_int::try_from(out.len()) else {
            return ffi::sqlite3_result_error_toobig(ctx);
        };
        ffi::sqlite3_result_blob(ctx, out.as_ptr().cast::<c_void>(), len, ffi::SQLITE_TRANSIENT());
    }
}

/// What `collect` gathers for one phrase: the column weights and, per document, its rowid and
/// the phrase's weighted hits in it.
struct Gather {
    weights: [f64; 4],
    rows: Vec<(i64, f64)>,
}

/// `casebinder_rank(fts, w0, w1, …)`, called for one match of a query: for each of the query's
/// phrases, every document of the index that has it, with its hits weighted by the weight of
/// the column they are in (1.0 for a column without one; up to four columns), as bm25 sums
/// them. A blob: per phrase a u64 count, then count × (i64 rowid, f64 hits), native-endian.
#[allow(unsafe_code)]
unsafe extern "C" fn rank_all(
    api: *const ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    ctx: *mut ffi::sqlite3_context,
    n_val: c_int,
    vals: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: FTS5 calls this with its extension API, the current match's context, the result
    // context and `n_val` argument values, all valid for the call. `gather` lives on this stack
    // for the whole of `xQueryPhrase`, which calls `collect` with it and returns before it is
    // dropped; nothing here outlives the call.
    unsafe {
        let fail = |ctx| ffi::sqlite3_result_error(ctx, c"casebinder_rank failed".as_ptr(), -1);
        let api = &*api;
        let (Some(phrase_count), Some(query_phrase)) = (api.xPhraseCount, api.xQueryPhrase) else {
            return fail(ctx);
        };
        let mut gather = Gather {
            weights: [1.0; 4],
            rows: Vec::new(),
        };
        let columns = usize::try_from(n_val).unwrap_or(0).min(gather.weights.len());
        for (i, w) in gather.weights.iter_mut().enumerate().take(columns) {
            *w = ffi::sqlite3_value_double(*vals.add(i));
        }
        // Every phrase's documents one after the other; `counts` says where each phrase's end.
        let mut counts = Vec::new();
        for phrase in 0..phrase_count(fts).max(0) {
            let before = gather.rows.len();
            let user = (&raw mut gather).cast::<c_void>();
            if query_phrase(fts, phrase, user, Some(collect)) != ffi::SQLITE_OK {
                return fail(ctx);
            }
            counts.push((gather.rows.len() - before) as u64);
        }
        // The answer is written once, into memory SQLite frees when it is done with it.
        let len = counts.len() * 8 + gather.rows.len() * 16;
        let Ok(c_len) = c_int::try_from(len) else {
            return fail(ctx);
        };
        let buf = ffi::sqlite3_malloc64(len.max(1) as u64).cast::<u8>();
        if buf.is_null() {
            return ffi::sqlite3_result_error_nomem(ctx);
        }
        let out = std::slice::from_raw_parts_mut(buf, len);
        let mut at = 0;
        let mut rows = gather.rows.iter();
        for n in counts {
            out[at..at + 8].copy_from_slice(&n.to_ne_bytes());
            at += 8;
            for (id, hits) in rows.by_ref().take(n as usize) {
                out[at..at + 8].copy_from_slice(&id.to_ne_bytes());
                out[at + 8..at + 16].copy_from_slice(&hits.to_ne_bytes());
                at += 16;
            }
        }
        ffi::sqlite3_result_blob(ctx, buf.cast::<c_void>(), c_len, Some(ffi::sqlite3_free));
    }
}

/// `xQueryPhrase`'s callback: one document that has the phrase (phrase 0 of the context).
#[allow(unsafe_code)]
unsafe extern "C" fn collect(
    api: *const ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    user: *mut c_void,
) -> c_int {
    // SAFETY: called by `xQueryPhrase` inside `rank_all`, with the `Gather` it was given (alive
    // and not otherwise borrowed during the call) and a context valid for this call.
    unsafe {
        let api = &*api;
        let gather = &mut *user.cast::<Gather>();
        let (Some(rowid), Some(first)) = (api.xRowid, api.xPhraseFirst) else {
            return ffi::SQLITE_ERROR;
        };
        let mut iter = ffi::Fts5PhraseIter {
            a: std::ptr::null(),
            b: std::ptr::null(),
        };
        let (mut column, mut offset): (c_int, c_int) = (0, 0);
        let rc = first(fts, 0, &raw mut iter, &raw mut column, &raw mut offset);
        if rc != ffi::SQLITE_OK {
            return rc;
        }
        // The first instance is read; the rest of the position list is counted from its bytes
        // (a walk of the list one call per instance was most of the ranking's time).
        let rest: &[u8] = match (iter.a.is_null(), iter.b.offset_from(iter.a)) {
            (false, n) if n > 0 => std::slice::from_raw_parts(iter.a, n as usize),
            _ => &[],
        };
        let Some(hits) = weighted_hits(column, rest, &gather.weights) else {
            return ffi::SQLITE_CORRUPT;
        };
        gather.rows.push((rowid(fts), hits));
        ffi::SQLITE_OK
    }
}

/// A phrase's hits in a document, each weighted by its column's weight: the first in column
/// `first` (negative: none), the others in `rest`, the rest of FTS5's position list. The list
/// is a run of varints: a position (its value 2 or more) is a hit in the current column; the
/// value 1 is followed by the number of the column the next positions are in. Counts are added
/// per column and multiplied by the weights, which gives bm25's sum of weights one hit at a time
/// to the bit (counts and weights are whole numbers). None when the list ends inside a varint.
///
/// The positions are counted, not read: a varint ends at each byte without its high bit, so a
/// run of positions holds as many as it has such bytes (counted eight bytes at a time). Column
/// markers are the bytes 0x01 that start a varint (a byte that ends a longer varint can be 0x01
/// too), and are rare.
fn weighted_hits(first: c_int, rest: &[u8], weights: &[f64; 4]) -> Option<f64> {
    let Ok(mut column) = usize::try_from(first) else {
        return Some(0.0);
    };
    if rest.last().is_some_and(|b| b & 0x80 != 0) {
        return None; // cut inside a varint
    }
    let mut counts = [0u64; 5];
    counts[column.min(4)] += 1;
    let mut from = 0; // where the current run of positions starts
    let mut look = 0; // where the next column marker is looked for
    while let Some(at) = memchr::memchr(0x01, &rest[look..]).map(|i| look + i) {
        if at > from && rest[at - 1] & 0x80 != 0 {
            look = at + 1; // the last byte of a longer varint
            continue;
        }
        counts[column.min(4)] += varint_ends(&rest[from..at]);
        let (c, n) = varint(rest.get(at + 1..)?);
        if n == 0 {
            return None;
        }
        column = usize::try_from(c).unwrap_or(usize::MAX);
        from = at + 1 + n;
        look = from;
    }
    counts[column.min(4)] += varint_ends(rest.get(from..)?);
    let mut hits = 0.0;
    for (c, &n) in counts.iter().enumerate() {
        hits += n as f64 * weights.get(c).copied().unwrap_or(1.0);
    }
    Some(hits)
}

/// How many varints end in `b`: its bytes without the high bit.
fn varint_ends(b: &[u8]) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = b.chunks_exact(8);
    let mut n = 0;
    for c in chunks.by_ref() {
        let w = u64::from_ne_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        n += u64::from(8 - (w & HIGH).count_ones());
    }
    n + chunks.remainder().iter().filter(|&&x| x & 0x80 == 0).count() as u64
}

/// Reads one SQLite varint (the form FTS5 keeps its sizes in): the value and the bytes it took.
fn varint(b: &[u8]) -> (u64, usize) {
    let mut v = 0u64;
    for (i, &c) in b.iter().enumerate().take(8) {
        v = (v << 7) | u64::from(c & 0x7f);
        if c & 0x80 == 0 {
            return (v, i + 1);
        }
    }
    match b.get(8) {
        Some(&c) => ((v << 8) | u64::from(c), 9),
        None => (v, b.len()),
    }
}

/// The sum of the varints in a blob: a document's length in tokens over all its columns.
fn total_size(mut b: &[u8]) -> u64 {
    let mut sum = 0;
    while !b.is_empty() {
        let (v, n) = varint(b);
        sum += v;
        b = &b[n.max(1).min(b.len())..];
    }
    sum
}

/// Reads `rank_all`'s blob: per phrase, its documents in rowid order with their weighted hits.
/// None when the blob is not what `phrases` phrases give.
fn phrase_lists(blob: &[u8], phrases: usize) -> Option<Vec<Vec<(i64, f64)>>> {
    let mut lists = Vec::with_capacity(phrases);
    let mut at = 0;
    let word = |at: usize| -> Option<[u8; 8]> { blob.get(at..at + 8)?.try_into().ok() };
    for _ in 0..phrases {
        let n = usize::try_from(u64::from_ne_bytes(word(at)?)).ok()?;
        at += 8;
        let mut list = Vec::with_capacity(n.min(blob.len() / 16));
        for _ in 0..n {
            list.push((i64::from_ne_bytes(word(at)?), f64::from_ne_bytes(word(at + 8)?)));
            at += 16;
        }
        list.sort_by_key(|r| r.0);
        lists.push(list);
    }
    (at == blob.len()).then_some(lists)
}

/// Every match of `expr` (the `phrases` ANDed, as `fts_expression` writes them) with its score
/// (lower is better, as bm25() gives it), in rowid order; None when the ranking function is not
/// there or its answer does not fit the query (the caller then ranks with bm25()).
pub(super) fn rank(conn: &Connection, expr: &str, phrases: usize) -> Result<Option<Vec<(f64, i64)>>> {
    let weights = WEIGHTS.map(|w| w.to_string()).join(", ");
    let lists = {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT casebinder_rank(fts_docs, {weights}) FROM fts_docs WHERE fts_docs MATCH ?1 LIMIT 1"
        ))?;
        let mut rows = stmt.query([expr])?;
        let Some(row) = rows.next()? else {
            return Ok(Some(Vec::new())); // no document matches
        };
        let ValueRef::Blob(blob) = row.get_ref(0)? else {
            return Ok(None);
        };
        match phrase_lists(blob, phrases) {
            Some(lists) if !lists.is_empty() => lists,
            _ => return Ok(None),
        }
    };
    // The matches: the documents every phrase has, each with its hits of each phrase (`ids[i]`
    // has `hits[i * n .. (i + 1) * n]`).
    let n = lists.len();
    let (ids, hits): (Vec<i64>, Vec<f64>) = if let [one] = lists.as_slice() {
        one.iter().copied().unzip()
    } else {
        let shortest = (0..n).min_by_key(|&i| lists[i].len()).unwrap_or(0);
        let mut ids = Vec::with_capacity(lists[shortest].len());
        let mut hits = Vec::with_capacity(lists[shortest].len() * n);
        let mut cursors = vec![0usize; n];
        let mut these = Vec::with_capacity(n);
        'rows: for &(id, _) in &lists[shortest] {
            these.clear();
            for (list, at) in lists.iter().zip(cursors.iter_mut()) {
                while *at < list.len() && list[*at].0 < id {
                    *at += 1;
                }
                match list.get(*at) {
                    Some(&(found, h)) if found == id => these.push(h),
                    _ => continue 'rows,
                }
            }
            ids.push(id);
            hits.extend_from_slice(&these);
        }
        (ids, hits)
    };
    if ids.is_empty() {
        return Ok(Some(Vec::new()));
    }
    // The index's row count and total size (its "averages" record, id 1).
    let averages: Option<Vec<u8>> = conn
        .query_row("SELECT block FROM fts_docs_data WHERE id = 1", [], |r| r.get(0))
        .optional()?;
    let Some(averages) = averages else {
        return Ok(None);
    };
    let (rows, at) = varint(&averages);
    let total = total_size(&averages[at.min(averages.len())..]);
    if rows == 0 {
        return Ok(None);
    }
    let avgdl = total as f64 / rows as f64;
    // Each phrase's idf, from the number of documents that have it.
    let idf: Vec<f64> = lists
        .iter()
        .map(|list| {
            // As fts5_aux.c writes it, to the last bit: log((nRow - nHit + 0.5) / (nHit + 0.5)).
            let with = list.len() as i64;
            let v = (((rows as i64 - with) as f64 + 0.5) / (with as f64 + 0.5)).ln();
            if v <= 0.0 { 1e-6 } else { v }
        })
        .collect();
    drop(lists);
    let lens = sizes(conn, &ids)?;
    Ok(Some(
        ids.iter()
            .zip(hits.chunks_exact(n))
            .zip(lens)
            .map(|((id, hits), len)| {
                let d = len as f64;
                let score: f64 = hits
                    .iter()
                    .zip(&idf)
                    .map(|(freq, idf)| idf * ((freq * (K1 + 1.0)) / (freq + K1 * (1.0 - B + B * d / avgdl))))
                    .sum();
                (-score, *id)
            })
            .collect(),
    ))
}

/// The length of each document of `ids` (in rowid order) in tokens: one pass over the size table
/// (one call of `casebinder_sizes`) when they are many for the span of ids they are in, a lookup
/// each when they are few.
fn sizes(conn: &Connection, ids: &[i64]) -> Result<Vec<u64>> {
    let mut out = Vec::with_capacity(ids.len());
    let (Some(&first), Some(&last)) = (ids.first(), ids.last()) else {
        return Ok(out);
    };
    if (ids.len() as u64).saturating_mul(8) < last.abs_diff(first) {
        let mut stmt = conn.prepare_cached("SELECT sz FROM fts_docs_docsize WHERE id = ?1")?;
        for id in ids {
            let sz: Option<Vec<u8>> = stmt.query_row([id], |r| r.get(0)).optional()?;
            out.push(sz.map_or(0, |b| total_size(&b)));
        }
        return Ok(out);
    }
    let blob: Vec<u8> = conn
        .prepare_cached("SELECT casebinder_sizes(id, sz) FROM fts_docs_docsize WHERE id BETWEEN ?1 AND ?2")?
        .query_row([first, last], |r| r.get(0))?;
    let mut rows = blob.chunks_exact(16).map(|pair| {
        let (id, len) = pair.split_at(8);
        (
            i64::from_ne_bytes(id.try_into().unwrap_or([0; 8])),
            u64::from_ne_bytes(len.try_into().unwrap_or([0; 8])),
        )
    });
    let mut next = rows.next();
    for id in ids {
        let mut size = 0;
        while let Some((at, len)) = next {
            if at > *id {
                break;
            }
            if at == *id {
                size = len;
            }
            next = rows.next();
        }
        out.push(size);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An index like the catalog's, with documents of different lengths, words in titles and
    /// bodies, and deleted rows.
    fn index() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE VIRTUAL TABLE fts_docs USING fts5(title, body, content = '', contentless_delete = 1,
                 tokenize = 'porter unicode61 remove_diacritics 2');",
        )
        .unwrap();
        let words = [
            "fluency",
            "reading",
            "speech",
            "goal",
            "minutes",
            "therapy",
            "occupational",
            "baseline",
        ];
        let mut ins = conn
            .prepare("INSERT INTO fts_docs(rowid, title, body) VALUES (?1, ?2, ?3)")
            .unwrap();
        for id in 1..=400i64 {
            let n = 3 + (id * 37 % 211) as usize;
            let body: Vec<&str> = (0..n)
                .map(|i| words[(i * 7 + id as usize * 3) % words.len()])
                .collect();
            let title = if id % 5 == 0 {
                "Reading fluency report"
            } else {
                "Progress"
            };
            let body = if id % 9 == 0 {
                "occupational therapy twice weekly".to_string()
            } else {
                body.join(" ")
            };
            ins.execute(rusqlite::params![id * 3, title, body]).unwrap();
        }
        drop(ins);
        conn.execute("DELETE FROM fts_docs WHERE rowid % 7 = 0", [])
            .unwrap();
        conn
    }

    #[test]
    fn scores_are_bm25s() {
        let conn = index();
        assert!(register(&conn));
        for terms in [
            vec!["fluency"],
            vec!["report"],
            vec!["therapy"],
            vec!["occupational therapy"],
            vec!["fluency", "goal"],
            vec!["reading", "occupational therapy", "minutes"],
            vec!["nothing"],
        ] {
            let terms: Vec<String> = terms.into_iter().map(String::from).collect();
            let expr = crate::query::fts_expression(&terms).unwrap();
            let ours = rank(&conn, &expr, terms.len())
                .unwrap()
                .expect("the ranking function answers");
            let mut stmt = conn
                .prepare("SELECT bm25(fts_docs, 4.0, 1.0), rowid FROM fts_docs WHERE fts_docs MATCH ?1 ORDER BY rowid")
                .unwrap();
            let theirs: Vec<(f64, i64)> = stmt
                .query_map([&expr], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            assert_eq!(ours.len(), theirs.len(), "{terms:?}");
            if terms[0] != "nothing" {
                assert!(!ours.is_empty(), "{terms:?}");
            }
            for (a, b) in ours.iter().zip(&theirs) {
                assert_eq!(a.1, b.1, "{terms:?}");
                assert_eq!(
                    a.0.to_bits(),
                    b.0.to_bits(),
                    "{terms:?}: {a:?} against bm25 {b:?}"
                );
            }
        }
    }

    #[test]
    fn few_matches_are_looked_up_and_many_are_read_in_one_pass() {
        // Both ways of reading the lengths give bm25's scores: the test above reads them in one
        // pass ("fluency" is in most documents), a rare word's are looked up.
        let conn = index();
        assert!(register(&conn));
        conn.execute(
            "INSERT INTO fts_docs(rowid, title, body) VALUES (5000, 'Zebra', 'a zebra and a zebra')",
            [],
        )
        .unwrap();
        let expr = "\"zebra\"".to_string();
        let ours = rank(&conn, &expr, 1).unwrap().unwrap();
        let theirs: f64 = conn
            .query_row(
                "SELECT bm25(fts_docs, 4.0, 1.0) FROM fts_docs WHERE fts_docs MATCH ?1",
                [&expr],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(ours.len(), 1);
        assert_eq!(ours[0].0.to_bits(), theirs.to_bits());
    }

    #[test]
    fn hits_are_counted_from_the_position_list() {
        let w = [4.0, 1.0, 1.0, 1.0];
        // First hit in the title; then two more there, one of them a two-byte varint that ends
        // in 0x01 (not a column marker); then column 1 with three hits.
        let rest = [0x05, 0x81, 0x01, 0x01, 0x01, 0x02, 0x03, 0x04];
        assert_eq!(weighted_hits(0, &rest, &w), Some(3.0 * 4.0 + 3.0));
        assert_eq!(weighted_hits(1, &[0x02, 0x02], &w), Some(3.0));
        assert_eq!(weighted_hits(-1, &[], &w), Some(0.0));
        assert_eq!(weighted_hits(0, &[], &w), Some(4.0));
        // A list cut inside a varint is refused.
        assert_eq!(weighted_hits(0, &[0x85], &w), None);
        assert_eq!(weighted_hits(0, &[0x01], &w), None);
    }

    /// The list read one varint at a time, as FTS5 writes it.
    fn weighted_hits_slowly(first: c_int, rest: &[u8], weights: &[f64; 4]) -> Option<f64> {
        let Ok(mut column) = usize::try_from(first) else {
            return Some(0.0);
        };
        let mut hits = weights[column.min(3)];
        let mut i = 0;
        while i < rest.len() {
            let end = i + rest[i..].iter().position(|b| b & 0x80 == 0)? + 1;
            let (v, _) = varint(&rest[i..end]);
            i = end;
            if v == 1 {
                let end = i + rest.get(i..)?.iter().position(|b| b & 0x80 == 0)? + 1;
                column = varint(&rest[i..end]).0 as usize;
                i = end;
            } else {
                hits += weights.get(column).copied().unwrap_or(1.0);
            }
        }
        Some(hits)
    }

    /// Writes `v` as SQLite writes a varint (up to 2^56 here).
    fn put_varint(out: &mut Vec<u8>, v: u64) {
        let mut groups = vec![(v & 0x7f) as u8];
        let mut rest = v >> 7;
        while rest > 0 {
            groups.push((rest & 0x7f) as u8 | 0x80);
            rest >>= 7;
        }
        out.extend(groups.iter().rev());
    }

    #[test]
    fn counted_hits_agree_with_a_list_read_varint_by_varint() {
        let w = [4.0, 1.0, 3.0, 1.0];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let mut list = Vec::new();
            for _ in 0..next() % 40 {
                if next() % 9 == 0 {
                    list.push(0x01);
                    put_varint(&mut list, next() % 3);
                } else {
                    // Positions of every size, among them varints whose last byte is 0x01.
                    let v = match next() % 4 {
                        0 => 2 + next() % 126,
                        1 => (next() % 500) * 128 + 1,
                        _ => 2 + next() % 300_000,
                    };
                    put_varint(&mut list, v);
                }
            }
            let first = (next() % 3) as c_int - 1;
            assert_eq!(
                weighted_hits(first, &list, &w),
                weighted_hits_slowly(first, &list, &w),
                "{list:x?}"
            );
            // Cut anywhere, a list is refused or read as the slow reader reads it.
            let cut = &list[..(next() as usize) % (list.len() + 1)];
            let fast = weighted_hits(first, cut, &w);
            assert!(
                fast.is_none() || fast == weighted_hits_slowly(first, cut, &w),
                "{cut:x?}"
            );
        }
    }

    #[test]
    fn varints_read_as_sqlite_writes_them() {
        assert_eq!(varint(&[0x05]), (5, 1));
        assert_eq!(varint(&[0x81, 0x00]), (128, 2));
        assert_eq!(varint(&[0xff, 0x7f]), (16383, 2));
        assert_eq!(total_size(&[0x03, 0x81, 0x00]), 131);
        assert_eq!(varint(&[]), (0, 0));
    }
}
