//! PDF: text per page (later stages cite pages), page count, and the document-info fields.
//!
//! lopdf reads the file in memory with its decompression limits on, so a bomb fails one
//! document instead of the machine. A PDF that opens with the empty password is read; one that
//! needs a real password is `encrypted`. A PDF whose pages carry no text layer is a scan: `no_text`.

use std::time::Duration;

use lopdf::{Document, Object};

use super::tools::run_with_input;
use super::{Extracted, Extractor, Format, Input, Status};
use crate::layout::{TsvPage, parse_bbox};

/// Largest output accepted from pdftotext (its word boxes are about ten times the text).
const MAX_TEXT_OUTPUT: usize = 128 * 1024 * 1024;

/// Less than this many letters and digits over all pages means "a scan".
const MIN_TEXT_CHARS: usize = 16;
/// A single page's content larger than this (decompressed) is not read for text by the built-in
/// reader: its drawing instructions take some fifty times their size in memory once parsed, and
/// a real page's text sits in far less (poppler's reader and OCR still read such a page).
const MAX_PAGE_CONTENT: usize = 4 * 1024 * 1024;

pub struct PdfExtractor;

pub const SCAN_HINT: &str = "This PDF is a scan with no text layer. casebinder reads scans with OCR when \
     `tesseract` is installed (Debian/Ubuntu: sudo apt install tesseract-ocr poppler-utils); then run `casebinder scan` again.";

impl Extractor for PdfExtractor {
    fn format(&self) -> Format {
        Format::Pdf
    }

    fn extract(&self, input: &Input<'_>) -> Extracted {
        // With poppler, lopdf reads only what poppler does not give (the Info fields, whether a
        // password is needed): the document is parsed once, by poppler.
        // Poppler out of time on this file (a page that draws the same words a million times):
        // poppler is not asked again, and neither is OCR (its renderer is poppler too).
        let mut slow = false;
        if let Some(out) = read_with_poppler(input.bytes, &mut slow) {
            return finish(out, input.bytes, slow);
        }
        let doc = match Document::load_mem(input.bytes) {
            Ok(doc) => doc,
            Err(err) => return load_failure(&err.to_string(), input.bytes, slow),
        };
        if doc.is_encrypted() {
            let mut e = Extracted::failed(Format::Pdf, Status::Encrypted, LOCKED);
            let n = doc.get_pages().len() as u32;
            e.page_count = (n > 0).then_some(n);
            return e;
        }
        let mut out = Extracted::new(Format::Pdf);
        read_info(&doc, &mut out);
        let pages = doc.get_pages();
        if pages.is_empty() {
            out.status = Status::Corrupt;
            out.reason = Some(
                "This PDF has no pages casebinder can find (it may be damaged or cut short). \
                 Try downloading or saving it again."
                    .into(),
            );
            return out;
        }
        out.page_count = Some(pages.len() as u32);
        match poppler_pages(input.bytes, pages.len() as u64, slow) {
            Some(read) if read.len() == pages.len() => {
                for page in read {
                    out.pages.push(page.text);
                    out.layout.push(Some(page.layout));
                }
                out.set_meta("text_engine", "pdftotext");
            }
            _ => {
                // The built-in reader: positioned text (lines and cells where they are drawn);
                // lopdf's own text where that finds nothing on a page.
                let mut failed_pages = 0u64;
                for (number, page_id) in &pages {
                    if let Some(p) = super::pdftext::page_text(&doc, *page_id, MAX_PAGE_CONTENT)
                        .filter(|p| !p.text.trim().is_empty())
                    {
                        out.pages.push(p.text);
                        out.layout.push(Some(p.layout));
                        continue;
                    }
                    let chunks = doc.extract_text_chunks_with_limit(&[*number], MAX_PAGE_CONTENT);
                    let mut text = String::new();
                    let mut ok = false;
                    for chunk in chunks.into_iter().flatten() {
                        ok = true;
                        text.push_str(&chunk);
                    }
                    failed_pages += u64::from(!ok);
                    out.pages.push(tidy(&text));
                    out.layout.push(None);
                }
                out.set_meta("text_engine", "lopdf");
                if failed_pages > 0 {
                    out.set_meta("pages_without_text_layer", failed_pages);
                }
            }
        }
        finish(out, input.bytes, slow)
    }
}

/// The fast path: poppler alone, in casebinder's long-running helper (the Info fields, the page
/// count and every word in one reading), or else lopdf's metadata reader (trailer, Info, page
/// count, no page content) and a `pdftotext` process. None when poppler cannot read the file:
/// the full path then tells a locked file from a damaged one, and repairs what it can.
fn read_with_poppler(bytes: &[u8], slow: &mut bool) -> Option<Extracted> {
    if !super::tools::tools().pdftotext {
        return None;
    }
    match super::poppler::read(bytes, poppler_timeout(bytes, 1), MAX_TEXT_OUTPUT) {
        super::poppler::Reply::Read(doc) => {
            let fields: Vec<(&str, Option<String>)> = doc
                .info
                .iter()
                .filter_map(|(key, raw)| {
                    let field = match key.as_str() {
                        "Title" => "title",
                        "Author" => "author",
                        "Subject" => "subject",
                        "Creator" => "creator",
                        "Producer" => "producer",
                        "CreationDate" => "creation_date",
                        "ModDate" => "mod_date",
                        _ => return None,
                    };
                    Some((field, Some(decode_text_string(raw))))
                })
                .collect();
            return poppler_document(&fields, doc.pages);
        }
        super::poppler::Reply::Refused(why) => {
            *slow = why == "timeout";
            return None;
        }
        super::poppler::Reply::Unavailable => {}
    }
    let meta = Document::load_metadata_mem(bytes).ok()?;
    if meta.encrypted && meta.page_count == 0 {
        return None; // a password is needed: the full path says so
    }
    let read = pdftotext_pages(bytes, u64::from(meta.page_count.max(1)))?;
    let fields = [
        ("title", meta.title),
        ("author", meta.author),
        ("subject", meta.subject),
        ("creator", meta.creator),
        ("producer", meta.producer),
        ("creation_date", meta.creation_date),
        ("mod_date", meta.modification_date),
    ];
    poppler_document(&fields, read)
}

/// A document read by poppler: its Info fields and its pages.
fn poppler_document(fields: &[(&str, Option<String>)], pages: Vec<TsvPage>) -> Option<Extracted> {
    if pages.is_empty() {
        return None;
    }
    let mut out = Extracted::new(Format::Pdf);
    for (field, value) in fields {
        let Some(value) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) else {
            continue;
        };
        match *field {
            "title" => out.title = Some(value.to_string()),
            "author" => out.author = Some(value.to_string()),
            _ => {}
        }
        if let Some(date) = field.ends_with("_date").then(|| pdf_date(value)).flatten() {
            out.set_meta(&format!("{field}_day"), date);
        }
        out.set_meta(field, value);
    }
    out.page_count = Some(pages.len() as u32);
    for page in pages {
        out.pages.push(page.text);
        out.layout.push(Some(page.layout));
    }
    out.set_meta("text_engine", "pdftotext");
    Some(out)
}

/// What every path ends with: a cut-short file, and a scan read by OCR (or said so).
fn finish(mut out: Extracted, bytes: &[u8], slow: bool) -> Extracted {
    let truncated = is_truncated(bytes);
    if truncated {
        out.set_meta("truncated", true);
    }
    if slow {
        // Poppler gave up at its deadline: whatever the built-in reader found is kept, said to
        // be read only in part; with no text, the binder draws a placeholder instead of the
        // pages (a reader's PDF viewer would stall on them as poppler did).
        out.set_meta("too_slow", true);
        if out.text_chars() >= MIN_TEXT_CHARS {
            out.set_meta("read_in_part", READ_IN_PART);
        }
    }
    if out.text_chars() < MIN_TEXT_CHARS {
        if truncated {
            out.status = Status::Corrupt;
            out.reason = Some(CUT_SHORT.into());
        } else if slow {
            out.status = Status::NoText;
            out.reason = Some(TOO_SLOW.into());
        } else if super::tools::can_ocr_pdfs() {
            let pages = out.page_count.unwrap_or(1);
            read_by_ocr(&mut out, bytes, pages);
        } else {
            out.status = Status::NoText;
            out.reason = Some(SCAN_HINT.into());
        }
    }
    out
}

const TOO_SLOW: &str = "This PDF takes too long to read (a page draws far more than a page can show, as a damaged \
     or hostile file does): it is kept, without its text. If it matters, print it to a new PDF and put that copy in the case folder.";

const READ_IN_PART: &str = "The PDF reader gave up on this file at its time limit (a page or its form fields draw far more \
     than a page can show, as a damaged or hostile file does); casebinder's own reader read what it could, and may have missed \
     some text. If it matters, print it to a new PDF, put that copy in the case folder, and scan again.";

const CUT_SHORT: &str = "This PDF is cut short (an interrupted download or copy?): its end is missing and no text could be read. \
     Download or copy it again.";

/// A complete PDF ends with `%%EOF` (readers look in the last kilobyte or so).
pub fn is_truncated(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(2048)..];
    super::memfind(tail, b"%%EOF").is_none()
}

/// Reads a scan's pages with OCR; the text is marked as OCR text.
fn read_by_ocr(out: &mut Extracted, bytes: &[u8], pages: u32) {
    match super::tools::ocr_pdf(bytes, pages) {
        Some(read) => {
            out.pages.clear();
            out.layout.clear();
            if !read.reduced.is_empty() {
                let list: Vec<String> = read
                    .reduced
                    .iter()
                    .map(|(p, dpi)| format!("page {p} at {dpi} dpi"))
                    .collect();
                out.set_meta(
                    "ocr_reduced_resolution",
                    format!(
                        "very large pages were read at a lower resolution, to bound memory: {}",
                        list.join(", ")
                    ),
                );
            }
            for page in read.pages {
                out.pages.push(page.text);
                out.layout.push(Some(page.layout));
            }
            if let Some(done) = read.stopped_after {
                // The rest of the pages stay, without text: the binder still prints them.
                for _ in done..pages.min(super::tools::MAX_OCR_PAGES) {
                    out.pages.push(String::new());
                    out.layout.push(None);
                }
                out.set_meta(
                    "ocr_incomplete",
                    format!(
                        "OCR stopped after page {done} of {pages}: this scan's pages take too long to read, so the rest has no text. Print it to a new PDF at a normal page size, put that in the case folder, and scan again."
                    ),
                );
            }
            out.ocr = true;
            out.set_meta("text_engine", "tesseract (OCR)");
            if pages > super::tools::MAX_OCR_PAGES {
                out.set_meta("ocr_pages", super::tools::MAX_OCR_PAGES);
            }
            if out.text_chars() < MIN_TEXT_CHARS {
                out.status = Status::NoText;
                out.reason = Some(
                    "This PDF is a scan and OCR found no readable words in it (a blank or very faint page?)."
                        .into(),
                );
            }
        }
        None => {
            out.status = Status::NoText;
            out.reason =
                Some("This PDF is a scan and OCR could not read it (it timed out or failed).".into());
        }
    }
}

const LOCKED: &str = "This PDF is locked with a password. Open it with the password, save or print it as a new PDF \
     without one, and put that copy in the case folder.";

/// Time allowed to poppler for one document: generous for real documents (a 352-page book
/// takes under a second), short for a bomb.
fn poppler_timeout(bytes: &[u8], expected_pages: u64) -> Duration {
    let millis = 10_000 + expected_pages * 50 + (bytes.len() as u64 / 1_000_000) * 2_000;
    Duration::from_millis(millis.min(180_000))
}

/// Text per page from poppler (better reading order and line breaks than lopdf), when it is
/// installed, with the box of every word: from the helper, else from a `pdftotext` process.
fn poppler_pages(bytes: &[u8], expected_pages: u64, slow: bool) -> Option<Vec<TsvPage>> {
    if !super::tools::tools().pdftotext || slow {
        return None;
    }
    match super::poppler::read(bytes, poppler_timeout(bytes, expected_pages), MAX_TEXT_OUTPUT) {
        super::poppler::Reply::Read(doc) => Some(doc.pages),
        // pdftotext is the same poppler: it would refuse the file just the same.
        super::poppler::Reply::Refused(_) => None,
        super::poppler::Reply::Unavailable => pdftotext_pages(bytes, expected_pages),
    }
}

/// Text per page from a `pdftotext -bbox` process (one process gives text and boxes; of its
/// outputs with boxes it costs the least, measured against plain text).
fn pdftotext_pages(bytes: &[u8], expected_pages: u64) -> Option<Vec<TsvPage>> {
    let out = run_with_input(
        "pdftotext",
        &["-q", "-bbox", "-enc", "UTF-8", "-eol", "unix", "-", "-"],
        bytes,
        poppler_timeout(bytes, expected_pages),
        MAX_TEXT_OUTPUT,
    )
    .ok()?;
    let html = String::from_utf8_lossy(&out);
    Some(parse_bbox(&html, 1.0))
}

fn load_failure(message: &str, bytes: &[u8], slow: bool) -> Extracted {
    let lower = message.to_ascii_lowercase();
    if lower.contains("decrypt") || lower.contains("password") || lower.contains("encrypt") {
        return Extracted::failed(Format::Pdf, Status::Encrypted, LOCKED);
    }
    // lopdf gave up; poppler repairs more damage. If it reads real text, the document is usable.
    if let Some(pages) = poppler_pages(bytes, 1, slow) {
        let mut out = Extracted::new(Format::Pdf);
        out.page_count = Some(pages.len() as u32);
        for page in pages {
            out.pages.push(page.text);
            out.layout.push(Some(page.layout));
        }
        out.set_meta("text_engine", "pdftotext");
        out.set_meta("repaired", true);
        if out.text_chars() >= MIN_TEXT_CHARS {
            return out;
        }
    }
    let short: String = message.chars().take(120).collect();
    Extracted::failed(
        Format::Pdf,
        Status::Corrupt,
        format!("This PDF is damaged and cannot be opened ({short}). Try downloading or saving it again."),
    )
}

/// Joins lopdf's fragments into readable lines.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let line = line.trim_end();
        out.push_str(line);
        out.push('\n');
    }
    out.trim_end().to_string()
}

fn read_info(doc: &Document, out: &mut Extracted) {
    let Ok(info) = doc.trailer.get(b"Info").and_then(|o| match o {
        Object::Reference(id) => doc.get_dictionary(*id),
        Object::Dictionary(d) => Ok(d),
        _ => Err(lopdf::Error::DictType {
            expected: "Dictionary",
            found: o.enum_variant().to_string(),
        }),
    }) else {
        return;
    };
    for (key, field) in [
        (&b"Title"[..], "title"),
        (b"Author", "author"),
        (b"Subject", "subject"),
        (b"Creator", "creator"),
        (b"Producer", "producer"),
        (b"CreationDate", "creation_date"),
        (b"ModDate", "mod_date"),
    ] {
        let value = match info.get(key) {
            Ok(Object::String(bytes, _)) => decode_text_string(bytes),
            Ok(Object::Reference(id)) => match doc.get_object(*id) {
                Ok(Object::String(bytes, _)) => decode_text_string(bytes),
                _ => continue,
            },
            _ => continue,
        };
        let value = value.trim().to_string();
        if value.is_empty() {
            continue;
        }
        match field {
            "title" => out.title = Some(value.clone()),
            "author" => out.author = Some(value.clone()),
            _ => {}
        }
        if let Some(date) = (field.ends_with("_date")).then(|| pdf_date(&value)).flatten() {
            out.set_meta(&format!("{field}_day"), date);
        }
        out.set_meta(field, value);
    }
}

/// Decodes a PDF text string: UTF-16BE with a BOM, UTF-8 with a BOM, else PDFDocEncoding (≈ Latin-1).
pub fn decode_text_string(bytes: &[u8]) -> String {
    if bytes.starts_with(&[0xFE, 0xFF]) {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    bytes.iter().map(|&b| b as char).collect()
}

/// `D:20240314093000-05'00'` → `2024-03-14` (the calendar date as written).
pub fn pdf_date(value: &str) -> Option<String> {
    let digits: String = value
        .trim_start_matches("D:")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    if digits.len() < 8 {
        return None;
    }
    let y: i32 = digits[0..4].parse().ok()?;
    let m: u32 = digits[4..6].parse().ok()?;
    let d: u32 = digits[6..8].parse().ok()?;
    let date = chrono::NaiveDate::from_ymd_opt(y, m, d)?;
    (1980..=2100)
        .contains(&y)
        .then(|| date.format("%Y-%m-%d").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates_keep_the_written_day() {
        assert_eq!(pdf_date("D:20240314093000-05'00'").as_deref(), Some("2024-03-14"));
        assert_eq!(pdf_date("D:2024").as_deref(), None);
        assert_eq!(pdf_date("D:19000101").as_deref(), None);
        assert_eq!(pdf_date("D:20241340").as_deref(), None);
    }

    #[test]
    fn text_strings_decode_utf16_and_latin1() {
        assert_eq!(decode_text_string(&[0xFE, 0xFF, 0, b'H', 0, b'i']), "Hi");
        assert_eq!(decode_text_string(b"Caf\xe9"), "Café");
    }

    #[test]
    fn garbage_is_corrupt_not_a_panic() {
        let e = PdfExtractor.extract(&Input {
            bytes: b"%PDF-1.4\n%%EOF",
            name: "x.pdf",
        });
        assert_ne!(e.status, Status::Ok);
        assert!(e.reason.is_some());
    }
}
