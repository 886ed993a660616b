//! How closely the built-in PDF reader agrees with poppler's `pdftotext` (words and where their
//! lines sit) on real PDFs: ../shared/corpus/pdf-real, ../shared/real-docs and fixtures/.
//! Prints the figures, and holds the built-in reader to what it does now: on the PDFs whose fonts
//! are all plain standard fonts (`pdftext::reads_like_poppler`), the same words as poppler.
//! (`scan` still asks poppler whenever it is installed: the cells' boxes do not agree yet.)
//!
//! And how closely casebinder's poppler helper (poppler's text engine kept running for many
//! PDFs, `extract::poppler`) agrees with `pdftotext -bbox` itself: every word and every box,
//! on the same PDFs and the malformed ones of ../shared/corpus/pdf-malformed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::fs;
use std::path::PathBuf;

use casebinder::extract::pdftext;
use casebinder::layout::parse_bbox;
use common::*;

fn words(text: &str) -> HashMap<String, usize> {
    let mut m = HashMap::new();
    for w in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        *m.entry(w.to_lowercase()).or_insert(0) += 1;
    }
    m
}

fn f1(a: &HashMap<String, usize>, b: &HashMap<String, usize>) -> f64 {
    let (na, nb): (usize, usize) = (a.values().sum(), b.values().sum());
    if na + nb == 0 {
        return 1.0;
    }
    let common: usize = a.iter().map(|(w, n)| (*n).min(*b.get(w).unwrap_or(&0))).sum();
    2.0 * common as f64 / (na + nb) as f64
}

/// Each cell of a page (text between tabs, in order) with its box, as `TsvPage` pairs them.
fn cells(p: &casebinder::layout::TsvPage) -> Vec<(String, casebinder::layout::Rect)> {
    p.text
        .lines()
        .flat_map(|l| l.split('\t'))
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .zip(p.layout.lines.iter().copied())
        .map(|(c, r)| (c.to_string(), r))
        .collect()
}

/// (cells of poppler's that the built-in reader has with the same text, those whose box is
/// within 2 points of poppler's on every side, all of poppler's cells).
fn boxes_agree(a: &casebinder::layout::TsvPage, b: &casebinder::layout::TsvPage) -> (usize, usize, usize) {
    let (ca, mut cb) = (cells(a), cells(b));
    let (mut same_text, mut same_box) = (0, 0);
    for (text, r) in &ca {
        if let Some(i) = cb.iter().position(|(t, _)| t == text) {
            let (_, q) = cb.remove(i);
            same_text += 1;
            let close = (r.x0 - q.x0).abs() <= 2.0
                && (r.x1 - q.x1).abs() <= 2.0
                && (r.y0 - q.y0).abs() <= 2.0
                && (r.y1 - q.y1).abs() <= 2.0;
            same_box += usize::from(close);
        }
    }
    (same_text, same_box, ca.len())
}

fn pdfs() -> Vec<PathBuf> {
    let shared = repo_root().join("..").join("shared");
    pdfs_in(&[
        shared.join("corpus").join("pdf-real"),
        shared.join("real-docs"),
        repo_root().join("fixtures"),
    ])
}

fn pdfs_in(dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in dirs.iter().cloned() {
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            let Ok(rd) = fs::read_dir(&d) else { continue };
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("pdf")) {
                    out.push(p);
                }
            }
        }
    }
    out.sort();
    out
}

#[test]
fn the_built_in_reader_agrees_with_pdftotext() {
    if !on_path("pdftotext") {
        eprintln!("skipped: needs pdftotext");
        return;
    }
    let mut rows = Vec::new();
    let mut totals = (0usize, 0usize, 0usize);
    for path in pdfs() {
        let bytes = fs::read(&path).unwrap();
        let Ok(doc) = lopdf::Document::load_mem(&bytes) else {
            continue;
        };
        if doc.is_encrypted() {
            continue;
        }
        let out = tool("pdftotext", &["-q", "-bbox", path.to_str().unwrap(), "-"]);
        let poppler = parse_bbox(&String::from_utf8_lossy(&out.stdout), 1.0);
        let pages = doc.get_pages();
        if poppler.len() != pages.len() || pages.len() > 60 {
            continue;
        }
        let mut a = String::new();
        let mut b = String::new();
        let mut cells_seen = (0, 0, 0);
        for ((_, id), p) in pages.iter().zip(&poppler) {
            a.push_str(&p.text);
            a.push('\n');
            if let Some(t) = pdftext::page_text(&doc, *id, 8 << 20) {
                b.push_str(&t.text);
                b.push('\n');
                let (x, y, z) = boxes_agree(p, &t);
                cells_seen = (cells_seen.0 + x, cells_seen.1 + y, cells_seen.2 + z);
            }
        }
        let (wa, wb) = (words(&a), words(&b));
        let gate = if pdftext::reads_like_poppler(&doc) {
            "READ "
        } else {
            "     "
        };
        if !gate.trim().is_empty() {
            totals = (
                totals.0 + cells_seen.0,
                totals.1 + cells_seen.1,
                totals.2 + cells_seen.2,
            );
        }
        if wa.values().sum::<usize>() < 20 {
            continue; // scans and near-empty files: nothing to compare
        }
        rows.push((
            f1(&wa, &wb),
            gate.to_string()
                + &path
                    .strip_prefix(repo_root().join(".."))
                    .unwrap_or(&path)
                    .display()
                    .to_string(),
        ));
    }
    rows.sort_by(|x, y| x.0.total_cmp(&y.0));
    for (f, p) in &rows {
        eprintln!("{f:.3}  {p}");
    }
    let n = rows.len();
    if n == 0 {
        eprintln!("skipped: no PDFs with text found (../shared beside the repository?)");
        return;
    }
    let good = rows.iter().filter(|r| r.0 >= 0.98).count();
    eprintln!(
        "{n} PDFs with text; word F1 >= 0.98 on {good}; median {:.3}",
        rows[n / 2].0
    );
    let plain: Vec<f64> = rows
        .iter()
        .filter(|r| r.1.starts_with("READ"))
        .map(|r| r.0)
        .collect();
    let worst = plain.iter().copied().fold(1.0f64, f64::min);
    eprintln!(
        "plain standard fonts: {} PDFs, lowest word F1 {worst:.3}",
        plain.len()
    );
    eprintln!(
        "plain standard fonts: cells with poppler's text {} of {}, and its box (within 2 pt) {}",
        totals.0, totals.2, totals.1
    );
    assert!(!plain.is_empty(), "the fixtures alone have plain standard fonts");
    assert!(
        worst >= 0.99,
        "the built-in reader lost words on a plain PDF: {worst:.3}"
    );
}

/// Every word of `pdftotext -bbox` (its text and box, to the thousandth of a point), page by
/// page: what the helper must give, byte for byte.
fn words_and_boxes(html: &str) -> Vec<Vec<String>> {
    let mut pages: Vec<Vec<String>> = Vec::new();
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            pages.push(Vec::new());
        } else if line.starts_with("<word ")
            && let Some(page) = pages.last_mut()
        {
            page.push(line.to_string());
        }
    }
    pages
}

#[test]
fn the_poppler_helper_reads_as_pdftotext_does() {
    if !on_path("pdftotext") {
        eprintln!("skipped: needs pdftotext");
        return;
    }
    if !casebinder::extract::poppler::available() {
        eprintln!("skipped: this build has no poppler helper (see build.rs)");
        return;
    }
    let shared = repo_root().join("..").join("shared");
    let mut files = pdfs();
    files.extend(pdfs_in(&[shared.join("corpus").join("pdf-malformed")]));
    let (mut docs, mut same_docs, mut words, mut same_words, mut refused) = (0, 0, 0, 0, 0);
    let mut differ = Vec::new();
    for path in files {
        let bytes = fs::read(&path).unwrap();
        // pdftotext on its own, with a time limit: a bomb in the corpus is left out of the count.
        let Some(out) = tool_with_timeout(
            "pdftotext",
            &["-q", "-bbox", "-enc", "UTF-8", path.to_str().unwrap(), "-"],
            std::time::Duration::from_secs(15),
        ) else {
            continue;
        };
        let theirs = words_and_boxes(&String::from_utf8_lossy(&out.stdout));
        let reply = casebinder::extract::poppler::read_raw(&bytes, std::time::Duration::from_secs(60));
        let Some(ours) = reply else {
            // Poppler could not open it: pdftotext must not have read a word either.
            refused += 1;
            assert!(
                theirs.iter().all(Vec::is_empty),
                "the helper refused {} but pdftotext read it",
                path.display()
            );
            continue;
        };
        let ours = words_and_boxes(&ours);
        docs += 1;
        let n: usize = theirs.iter().map(Vec::len).sum();
        words += n;
        if ours == theirs {
            same_docs += 1;
            same_words += n;
        } else {
            let a: Vec<&String> = theirs.iter().flatten().collect();
            let b: Vec<&String> = ours.iter().flatten().collect();
            same_words += a.iter().zip(&b).filter(|(x, y)| x == y).count();
            differ.push(path.display().to_string());
        }
    }
    eprintln!(
        "poppler helper vs pdftotext -bbox: {same_docs} of {docs} PDFs word for word and box for box; \
         {same_words} of {words} words; {refused} refused by both"
    );
    for d in &differ {
        eprintln!("  differs: {d}");
    }
    assert!(
        docs > 100,
        "too few PDFs compared ({docs}): is ../shared beside the repository?"
    );
    assert!(
        differ.is_empty(),
        "the helper read these otherwise than pdftotext: {differ:?}"
    );
}
