//! Reading what is inside a file: text per page, metadata, and the documents it carries.
//!
//! One trait ([`Extractor`]), one file per format. An extractor gets bytes and a name and returns
//! plain data; it never touches the catalog or the disk. [`extract_file`] turns one source file
//! into the documents it holds (a plain file is one document; an mbox holds one per message; an
//! email's attachments are documents of their own, recursively), each identified by the SHA-256 of
//! its bytes. A reader that fails or panics on a hostile file yields a status and a one-line
//! reason instead: a bad file is a warning, never a crash.

pub mod docx;
pub mod email;
pub mod html;
pub mod image;
pub mod mbox;
pub mod pdf;
pub mod pdftext;
pub mod poppler;
pub mod text;
pub mod tools;

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::layout::PageLayout;

/// Bumped whenever extraction changes, so that a scan reads older documents again.
/// The effective version also counts the helper programs present: see [`tools::extractor_version`].
pub const EXTRACTOR_VERSION: i64 = 3;

/// How deep attachments inside attachments are followed.
const MAX_DEPTH: usize = 6;

/// How well a document could be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    NoText,
    Encrypted,
    Corrupt,
    Unsupported,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::NoText => "no_text",
            Status::Encrypted => "encrypted",
            Status::Corrupt => "corrupt",
            Status::Unsupported => "unsupported",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Some(match s {
            "ok" => Status::Ok,
            "no_text" => Status::NoText,
            "encrypted" => Status::Encrypted,
            "corrupt" => Status::Corrupt,
            "unsupported" => Status::Unsupported,
            _ => return None,
        })
    }
}

/// The file format a document was read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Pdf,
    Email,
    Docx,
    Text,
    Html,
    Image,
    Other,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Email => "email",
            Format::Docx => "docx",
            Format::Text => "text",
            Format::Html => "html",
            Format::Image => "image",
            Format::Other => "other",
        }
    }
}

/// Header facts of an email.
#[derive(Clone, Debug, Default, Serialize)]
pub struct EmailMeta {
    pub from: Option<String>,
    pub to: Option<String>,
    pub cc: Option<String>,
    pub subject: Option<String>,
    /// The Date header as written.
    pub date_raw: Option<String>,
    /// The sender's own calendar date (`YYYY-MM-DD`), when the header could be read.
    pub date: Option<String>,
    pub message_id: Option<String>,
    pub in_reply_to: Option<String>,
    /// Gmail labels (`X-Gmail-Labels`), as tags.
    pub labels: Vec<String>,
}

/// A file carried inside another (an email attachment). Its bytes live only in memory.
pub struct Attachment {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What an extractor found in one document.
pub struct Extracted {
    pub format: Format,
    pub status: Status,
    /// Why the status is not `ok`, in plain words, with what to do.
    pub reason: Option<String>,
    /// Text of each page (one entry for formats without pages).
    pub pages: Vec<String>,
    /// Where each page's lines sit, when the reader knows (`layout[i]` belongs to `pages[i]`;
    /// empty or shorter when it does not).
    pub layout: Vec<Option<PageLayout>>,
    /// Page count, for paged formats (PDF, images).
    pub page_count: Option<u32>,
    /// True when the text came from OCR rather than a text layer.
    pub ocr: bool,
    pub title: Option<String>,
    pub author: Option<String>,
    /// Format-specific facts (PDF info dates, image size, EXIF date, .docx core properties).
    pub meta: BTreeMap<String, serde_json::Value>,
    pub email: Option<EmailMeta>,
    pub attachments: Vec<Attachment>,
}

impl Extracted {
    pub fn new(format: Format) -> Extracted {
        Extracted {
            format,
            status: Status::Ok,
            reason: None,
            pages: Vec::new(),
            layout: Vec::new(),
            page_count: None,
            ocr: false,
            title: None,
            author: None,
            meta: BTreeMap::new(),
            email: None,
            attachments: Vec::new(),
        }
    }

    /// A document that could not be read, with its reason.
    pub fn failed(format: Format, status: Status, reason: impl Into<String>) -> Extracted {
        let mut e = Extracted::new(format);
        e.status = status;
        e.reason = Some(reason.into());
        e
    }

    pub fn set_meta(&mut self, key: &str, value: impl Into<serde_json::Value>) {
        self.meta.insert(key.to_string(), value.into());
    }

    /// Number of letters and digits over all pages: how much text there really is.
    pub fn text_chars(&self) -> usize {
        self.pages
            .iter()
            .map(|p| p.chars().filter(|c| c.is_alphanumeric()).count())
            .sum()
    }
}

/// The bytes and the name of what is to be read.
pub struct Input<'a> {
    pub bytes: &'a [u8],
    /// File or attachment name (for the extension and messages).
    pub name: &'a str,
}

/// One reader for one format.
pub trait Extractor {
    fn format(&self) -> Format;
    fn extract(&self, input: &Input<'_>) -> Extracted;
}

/// What a file looks like, from its first bytes and its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detected {
    Pdf,
    Email,
    Mbox,
    Docx,
    Text,
    Html,
    Image,
    /// An Office format we cannot read yet (.doc, .msg, .xls…): the hint says what to do.
    OfficeLegacy,
    Other,
}

fn extension(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match base.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

/// Guesses the format from magic bytes first, then the extension.
pub fn detect(bytes: &[u8], name: &str) -> Detected {
    let ext = extension(name);
    let head = &bytes[..bytes.len().min(1024)];
    if memfind(head, b"%PDF-").is_some() {
        return Detected::Pdf;
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF])
        || bytes.starts_with(b"\x89PNG\r\n\x1a\n")
        || bytes.starts_with(b"II*\0")
        || bytes.starts_with(b"MM\0*")
    {
        return Detected::Image;
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return match ext.as_str() {
            "docx" | "docm" | "dotx" => Detected::Docx,
            "xlsx" | "pptx" | "odt" | "ods" | "odp" | "pages" | "numbers" | "key" => Detected::OfficeLegacy,
            _ if memfind(&bytes[..bytes.len().min(64 * 1024)], b"word/").is_some() => Detected::Docx,
            _ => Detected::Other,
        };
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        // OLE2: legacy Office, Outlook .msg, or a password-protected .docx.
        return if ext == "docx" {
            Detected::Docx
        } else {
            Detected::OfficeLegacy
        };
    }
    match ext.as_str() {
        "pdf" => return Detected::Pdf,
        "eml" | "msg822" => return Detected::Email,
        "mbox" | "mbx" => return Detected::Mbox,
        "docx" => return Detected::Docx,
        "html" | "htm" | "xhtml" => return Detected::Html,
        "txt" | "md" | "markdown" | "text" | "csv" | "tsv" | "log" => return Detected::Text,
        "jpg" | "jpeg" | "png" | "tif" | "tiff" => return Detected::Image,
        "doc" | "msg" | "xls" | "xlsx" | "ppt" | "pptx" | "rtf" | "odt" | "pages" | "heic" => {
            return Detected::OfficeLegacy;
        }
        _ => {}
    }
    if bytes.starts_with(b"From ") && mbox::looks_like_mbox(bytes) {
        return Detected::Mbox;
    }
    if email::looks_like_email(head) {
        return Detected::Email;
    }
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    if memfind(&lower, b"<html").is_some() || memfind(&lower, b"<!doctype html").is_some() {
        return Detected::Html;
    }
    Detected::Other
}

/// Position of `needle` in `hay`.
pub fn memfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

/// SHA-256 of bytes, as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The SHA-256 of a file, read in blocks (a binder or a mailbox can be large).
pub fn sha256_file(path: &std::path::Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex::encode(h.finalize()))
}

/// Where, inside its source file, a document sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The file itself.
    File,
    /// The N-th message of an mbox (0-based, file order), at a byte offset.
    MboxMessage { index: u32, offset: u64, len: u64 },
    /// An attachment of the item at `parent`.
    Attachment,
}

/// One document found in a source file.
pub struct Item {
    /// Its locator (`path`, `path#3`, `path::name`, `path#3::name`).
    pub locator: String,
    pub sha256: String,
    pub size: u64,
    /// Index, in the same list, of the email that carries it.
    pub parent: Option<usize>,
    pub origin: Origin,
    pub extracted: Extracted,
    /// Its classification, made where it was read (a new file's documents; the catalog stores
    /// it with the document it creates): None leaves it to the classification after the scan.
    pub classified: Option<Box<crate::classify::Classification>>,
}

/// Reads one message of an mbox (its bytes after the separator line) into `items`: the same as
/// [`extract_file`] does for each message, for mailboxes read as a stream.
pub fn extract_mbox_message(
    items: &mut Vec<Item>,
    rel_path: &str,
    index: u32,
    message: &mbox::StreamedMessage,
) {
    let raw = mbox::unescape(&message.bytes);
    let origin = Origin::MboxMessage {
        index,
        offset: message.from_line,
        len: message.len,
    };
    extract_into(
        items,
        format!("{rel_path}#{index}"),
        &raw,
        "message.eml",
        None,
        origin,
        0,
        true,
    );
}

/// Runs `work` on each job `next` gives, on every core, and returns the results in the jobs'
/// order (what one thread would give, so document ids never depend on timing). A mailbox's
/// messages are read this way: most of their cost is a helper process per PDF attachment.
/// At most a few jobs wait at a time; `next` runs on the calling thread.
pub fn fan_out<J: Send, T: Send>(next: impl FnMut() -> Option<J>, work: impl Fn(J) -> T + Sync) -> Vec<T> {
    let mut out = Vec::new();
    fan_out_each(next, work, |t| out.push(t));
    out
}

/// [`fan_out`] that hands each result to `emit` (on the calling thread, in the jobs' order) as
/// soon as it and every result before it are done, instead of keeping them all: a mailbox's
/// documents can be written while its later messages are still being read.
pub fn fan_out_each<J: Send, T: Send>(
    mut next: impl FnMut() -> Option<J>,
    work: impl Fn(J) -> T + Sync,
    mut emit: impl FnMut(T),
) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    if threads <= 1 {
        while let Some(job) = next() {
            emit(work(job));
        }
        return;
    }
    let (job_tx, job_rx) = std::sync::mpsc::sync_channel::<(usize, J)>(threads * 2);
    let job_rx = std::sync::Mutex::new(job_rx);
    let (done_tx, done_rx) = std::sync::mpsc::channel::<(usize, T)>();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let (done_tx, job_rx, work) = (done_tx.clone(), &job_rx, &work);
            scope.spawn(move || {
                loop {
                    let job = match job_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => break,
                    };
                    let Ok((i, job)) = job else { break };
                    if done_tx.send((i, work(job))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_tx);
        // Results come back in any order; they are handed on in the jobs' order.
        let mut waiting: BTreeMap<usize, T> = BTreeMap::new();
        let mut head = 0usize;
        let mut pass_on = |waiting: &mut BTreeMap<usize, T>, head: &mut usize| {
            while let Some(t) = waiting.remove(head) {
                emit(t);
                *head += 1;
            }
        };
        let mut i = 0;
        while let Some(job) = next() {
            if job_tx.send((i, job)).is_err() {
                break;
            }
            i += 1;
            while let Ok((k, t)) = done_rx.try_recv() {
                waiting.insert(k, t);
            }
            pass_on(&mut waiting, &mut head);
        }
        drop(job_tx);
        for (k, t) in done_rx.iter() {
            waiting.insert(k, t);
            pass_on(&mut waiting, &mut head);
        }
        pass_on(&mut waiting, &mut head);
    });
}

/// The items of several messages, each read on its own, as one list: each attachment's
/// `parent` (an index into its message's list) is moved to where its parent now sits.
pub fn join_items(parts: Vec<Vec<Item>>) -> Vec<Item> {
    let mut all = Vec::with_capacity(parts.iter().map(Vec::len).sum());
    for part in parts {
        let base = all.len();
        all.extend(part.into_iter().map(|mut item| {
            item.parent = item.parent.map(|p| p + base);
            item
        }));
    }
    all
}

/// Reads one source file (already in memory) into the documents it holds.
pub fn extract_file(rel_path: &str, bytes: &[u8]) -> Vec<Item> {
    let mut items = Vec::new();
    if detect(bytes, rel_path) == Detected::Mbox {
        let messages = mbox::split(bytes);
        if !messages.is_empty() {
            let mut jobs = messages.iter().enumerate();
            let per_message = fan_out(
                || jobs.next(),
                |(index, msg)| {
                    let mut items = Vec::new();
                    let raw = mbox::unescape(&bytes[msg.start..msg.end]);
                    let origin = Origin::MboxMessage {
                        index: index as u32,
                        offset: msg.from_line as u64,
                        len: (msg.end - msg.from_line) as u64,
                    };
                    let locator = format!("{rel_path}#{index}");
                    extract_into(&mut items, locator, &raw, "message.eml", None, origin, 0, true);
                    items
                },
            );
            return join_items(per_message);
        }
        let mut e = Extracted::failed(
            Format::Other,
            Status::Unsupported,
            "This mailbox file holds no messages casebinder can find (no line starts with \"From \").",
        );
        e.format = Format::Email;
        items.push(Item {
            classified: None,
            locator: rel_path.to_string(),
            sha256: sha256_hex(bytes),
            size: bytes.len() as u64,
            parent: None,
            origin: Origin::File,
            extracted: e,
        });
        return items;
    }
    extract_into(
        &mut items,
        rel_path.to_string(),
        bytes,
        rel_path,
        None,
        Origin::File,
        0,
        false,
    );
    items
}

#[allow(clippy::too_many_arguments)]
fn extract_into(
    items: &mut Vec<Item>,
    locator: String,
    bytes: &[u8],
    name: &str,
    parent: Option<usize>,
    origin: Origin,
    depth: usize,
    force_email: bool,
) {
    let detected = if force_email {
        Detected::Email
    } else {
        detect(bytes, name)
    };
    let mut extracted = extract_guarded(detected, bytes, name);
    let attachments = std::mem::take(&mut extracted.attachments);
    let index = items.len();
    items.push(Item {
        classified: None,
        locator: locator.clone(),
        sha256: sha256_hex(bytes),
        size: bytes.len() as u64,
        parent,
        origin,
        extracted,
    });
    if depth >= MAX_DEPTH {
        if !attachments.is_empty() {
            let item = &mut items[index];
            item.extracted.reason = Some(format!(
                "{} attachment(s) nested deeper than {MAX_DEPTH} levels were not read.",
                attachments.len()
            ));
        }
        return;
    }
    let mut used: BTreeMap<String, u32> = BTreeMap::new();
    for att in attachments {
        let clean = unique_name(&sanitize_name(&att.name), &mut used);
        extract_into(
            items,
            format!("{locator}::{clean}"),
            &att.bytes,
            &clean,
            Some(index),
            Origin::Attachment,
            depth + 1,
            false,
        );
    }
}

/// Runs the reader for `detected`, turning a panic into a `corrupt` status.
pub fn extract_guarded(detected: Detected, bytes: &[u8], name: &str) -> Extracted {
    let input = Input { bytes, name };
    let format = format_of(detected);
    if bytes.is_empty() {
        return Extracted::failed(format, Status::Unsupported, "The file is empty (0 bytes).");
    }
    let result = catch_unwind(AssertUnwindSafe(|| {
        crate::panic_guard::quietly(|| run(detected, &input))
    }));
    match result {
        Ok(e) => e,
        Err(_) => Extracted::failed(
            format,
            Status::Corrupt,
            format!(
                "The {} reader could not make sense of this file (it may be damaged). \
                 Try opening it and saving a fresh copy.",
                format.as_str().to_uppercase()
            ),
        ),
    }
}

fn format_of(detected: Detected) -> Format {
    match detected {
        Detected::Pdf => Format::Pdf,
        Detected::Email | Detected::Mbox => Format::Email,
        Detected::Docx => Format::Docx,
        Detected::Text => Format::Text,
        Detected::Html => Format::Html,
        Detected::Image => Format::Image,
        Detected::OfficeLegacy | Detected::Other => Format::Other,
    }
}

fn run(detected: Detected, input: &Input<'_>) -> Extracted {
    match detected {
        Detected::Pdf => pdf::PdfExtractor.extract(input),
        Detected::Email | Detected::Mbox => email::EmailExtractor.extract(input),
        Detected::Docx => docx::DocxExtractor.extract(input),
        Detected::Text => text::TextExtractor.extract(input),
        Detected::Html => html::HtmlExtractor.extract(input),
        Detected::Image => image::ImageExtractor.extract(input),
        Detected::OfficeLegacy => Extracted::failed(
            Format::Other,
            Status::Unsupported,
            format!(
                "casebinder cannot read .{} files yet. Open it and save a copy as PDF (or .docx) in the case folder.",
                extension(input.name)
            ),
        ),
        Detected::Other => Extracted::failed(
            Format::Other,
            Status::Unsupported,
            "casebinder does not know this kind of file. If it is evidence, save it as PDF in the case folder.",
        ),
    }
}

/// The bytes of the attachment called `name` (as its locator names it) inside an email.
pub fn attachment_of(email: &[u8], name: &str) -> Option<Vec<u8>> {
    let extracted = extract_guarded(Detected::Email, email, "message.eml");
    let mut used: BTreeMap<String, u32> = BTreeMap::new();
    extracted
        .attachments
        .into_iter()
        .find(|att| unique_name(&sanitize_name(&att.name), &mut used) == name)
        .map(|att| att.bytes)
}

/// The bytes of message `index` of an mbox file, as it was read at scan time.
pub fn mbox_message(mbox_bytes: &[u8], index: usize) -> Option<Vec<u8>> {
    let messages = mbox::split(mbox_bytes);
    let msg = messages.get(index)?;
    Some(mbox::unescape(mbox_bytes.get(msg.start..msg.end)?).into_owned())
}

/// An attachment name made safe to show and to use in a locator: no folders, no control
/// characters, no `::`. Attachments are never written to disk, but names are shown everywhere.
pub fn sanitize_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .replace("::", "_")
        .replace('#', "_");
    let trimmed = cleaned.trim().trim_start_matches('.').trim();
    if trimmed.is_empty() || trimmed == ".." {
        "attachment".to_string()
    } else {
        trimmed.chars().take(200).collect()
    }
}

fn unique_name(name: &str, used: &mut BTreeMap<String, u32>) -> String {
    let count = used.entry(name.to_string()).or_insert(0);
    *count += 1;
    if *count == 1 {
        return name.to_string();
    }
    let n = *count;
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem} ({n}).{ext}"),
        _ => format!("{name} ({n})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_attachment_names_become_plain_names() {
        assert_eq!(sanitize_name("../../etc/passwd"), "passwd");
        assert_eq!(sanitize_name("/evil/filename"), "filename");
        assert_eq!(sanitize_name("C:\\Users\\x\\report.pdf"), "report.pdf");
        assert_eq!(sanitize_name(".."), "attachment");
        assert_eq!(sanitize_name(""), "attachment");
        assert_eq!(sanitize_name("a::b#c.pdf"), "a_b_c.pdf");
    }

    #[test]
    fn each_attachment_in_a_mailbox_names_its_own_message_as_parent() {
        // Messages are read on several threads; their items must join as one thread wrote them.
        let mut mbox = String::new();
        for k in 0..40 {
            mbox.push_str(&format!(
                "From x@example.org Mon Jan  1 00:00:00 2024\nFrom: x@example.org\nSubject: m{k}\n\
                 MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=B\n\n--B\n\
                 Content-Type: text/plain\n\nBody {k}\n--B\nContent-Type: text/plain\n\
                 Content-Disposition: attachment; filename=\"note{k}.txt\"\n\nNote {k}\n--B--\n\n"
            ));
        }
        let items = extract_file("All mail.mbox", mbox.as_bytes());
        assert_eq!(items.len(), 80);
        for (i, item) in items.iter().enumerate() {
            let k = i / 2;
            if i % 2 == 0 {
                assert_eq!(item.locator, format!("All mail.mbox#{k}"));
                assert_eq!(item.parent, None);
            } else {
                assert_eq!(item.locator, format!("All mail.mbox#{k}::note{k}.txt"));
                assert_eq!(item.parent, Some(i - 1), "{}", item.locator);
            }
        }
    }

    #[test]
    fn repeated_names_are_numbered() {
        let mut used = BTreeMap::new();
        assert_eq!(unique_name("a.pdf", &mut used), "a.pdf");
        assert_eq!(unique_name("a.pdf", &mut used), "a (2).pdf");
        assert_eq!(unique_name("notes", &mut used), "notes");
        assert_eq!(unique_name("notes", &mut used), "notes (2)");
    }

    #[test]
    fn detection_uses_magic_before_extension() {
        assert_eq!(detect(b"%PDF-1.4 ...", "scan.jpg"), Detected::Pdf);
        assert_eq!(detect(b"\xFF\xD8\xFF\xE0", "photo.pdf"), Detected::Image);
        assert_eq!(detect(b"hello", "notes.txt"), Detected::Text);
        assert_eq!(detect(b"hello", "old.doc"), Detected::OfficeLegacy);
        assert_eq!(detect(b"PK\x03\x04....", "budget.xlsx"), Detected::OfficeLegacy);
        assert_eq!(detect(b"PK\x03\x04....", "photos.zip"), Detected::Other);
        assert_eq!(
            detect(b"From: a@b.c\r\nSubject: x\r\n\r\nhi", "noext"),
            Detected::Email
        );
    }

    #[test]
    fn empty_bytes_are_reported_not_read() {
        let e = extract_guarded(Detected::Pdf, b"", "x.pdf");
        assert_eq!(e.status, Status::Unsupported);
    }
}
