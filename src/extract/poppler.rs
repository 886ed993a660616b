//! Poppler's own text engine for many PDFs per process: the helper built from
//! `poppler/helper.cc` (the code of `pdftotext -bbox`, linked against libpoppler).
//!
//! Why: starting `pdftotext` loads poppler and its 28 libraries for every PDF; on a folder of
//! small PDFs that start costs several times the reading (measured: 7.3 ms a PDF as a process
//! each, 1.1 ms in one process). The helper is compiled by build.rs when poppler's headers are
//! installed, embedded in casebinder, and started once per reading thread from an anonymous
//! in-memory file (nothing is written to disk). It reads one document after another from a pipe
//! and answers with the words and boxes `pdftotext -bbox` would write, byte for byte.
//!
//! A hostile file can crash poppler; it crashes only the helper. The document is then read by a
//! one-shot `pdftotext` as before (its own process, its own limits) and the next document gets a
//! new helper. The helper runs under the same memory cap and time limit as every helper.

use std::cell::RefCell;
use std::io::{Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::layout::{TsvPage, parse_bbox};

#[cfg(poppler_helper)]
static HELPER: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/casebinder-poppler"));
#[cfg(not(poppler_helper))]
static HELPER: &[u8] = &[];

/// What the helper made of one PDF.
#[derive(Debug)]
pub enum Reply {
    /// Read: the Info strings (raw PDF text strings, by key) and every page's words.
    Read(Document),
    /// Poppler cannot open it (its error code: 4 = a password is needed); `pdftotext` would
    /// refuse it just the same.
    Refused(String),
    /// No helper here, or it crashed, hung or answered nonsense: read this one another way.
    Unavailable,
}

#[derive(Debug, Default)]
pub struct Document {
    pub info: Vec<(String, Vec<u8>)>,
    /// The pages read: every page, or those asked for.
    pub pages: Vec<TsvPage>,
    /// How many pages the document has.
    pub page_count: usize,
}

/// Set when the helper cannot be started at all on this machine (no memfd, libraries missing):
/// then nobody tries again in this process.
static BROKEN: AtomicBool = AtomicBool::new(false);

/// Consecutive failures after which a thread stops using the helper (a file that crashes it is
/// rare; a helper that crashes on everything must not cost a restart per PDF).
const MAX_FAILURES: u32 = 8;

/// Whether this build carries the helper and it has not been turned off
/// (`CASEBINDER_POPPLER_HELPER=0` reads every PDF with `pdftotext`, as a build without it does).
pub fn available() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    !HELPER.is_empty()
        && !BROKEN.load(Ordering::Relaxed)
        && *ON.get_or_init(|| std::env::var_os("CASEBINDER_POPPLER_HELPER").is_none_or(|v| v != "0"))
}

struct Session {
    child: Child,
    stdin: ChildStdin,
    stdout: ChildStdout,
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Default)]
struct Slot {
    session: Option<Session>,
    failures: u32,
}

thread_local! {
    static SLOT: RefCell<Slot> = RefCell::new(Slot::default());
}

/// What the helper is asked to read.
#[derive(Clone, Copy)]
struct Request<'a> {
    /// The PDF's bytes, or (`from_file`) its path.
    payload: &'a [u8],
    from_file: bool,
    /// Words in content-stream order, without poppler's reading-order analysis (a path only).
    raw: bool,
    /// The pages to read (1-based), in this order; empty: every page.
    pages: &'a [u32],
}

/// Reads one PDF with this thread's helper (started on first use).
pub fn read(bytes: &[u8], timeout: Duration, max_output: usize) -> Reply {
    let request = Request {
        payload: bytes,
        from_file: false,
        raw: false,
        pages: &[],
    };
    match answer(request, timeout, max_output) {
        // Every page was asked for: a reply with another number is not trusted.
        Ok(raw) => match parse_reply(&raw) {
            Some(Reply::Read(doc)) if doc.pages.len() != doc.page_count => {
                forget_session(true);
                Reply::Unavailable
            }
            Some(reply) => reply,
            None => {
                forget_session(true);
                Reply::Unavailable
            }
        },
        // Poppler works on it still: a pdftotext process would take as long again.
        Err(Failure::TimedOut) => Reply::Refused("timeout".into()),
        Err(Failure::Broken) => Reply::Unavailable,
    }
}

/// The words of every page exactly as the helper wrote them (the `<doc>` part of its answer,
/// in `pdftotext -bbox`'s format), or None when it did not read the file. For measuring the
/// helper against `pdftotext` (tests/reader_agreement.rs).
pub fn read_raw(bytes: &[u8], timeout: Duration) -> Option<String> {
    let request = Request {
        payload: bytes,
        from_file: false,
        raw: false,
        pages: &[],
    };
    let raw = answer(request, timeout, usize::MAX >> 1).ok()?;
    let text = String::from_utf8_lossy(&raw);
    if !text.starts_with("ok\n") {
        return None;
    }
    text.find("<doc>").map(|at| text[at..].to_string())
}

/// Some pages of a PDF file (1-based numbers, read in this order): each page's words in the
/// order the page draws them (`pdftotext -raw`), joined by spaces, or None when the helper cannot read them. The
/// binder checks its own pages this way; a file is read from its path (a binder is large: no
/// copy through a pipe).
pub fn read_file_pages(path: &std::path::Path, pages: &[u32], timeout: Duration) -> Option<Vec<String>> {
    use std::os::unix::ffi::OsStrExt;
    if pages.is_empty() {
        return Some(Vec::new());
    }
    let request = Request {
        payload: path.as_os_str().as_bytes(),
        from_file: true,
        raw: true,
        pages,
    };
    let raw = answer(request, timeout, usize::MAX >> 1).ok()?;
    let text = String::from_utf8_lossy(&raw);
    if !text.starts_with("ok\n") || !text.trim_end().ends_with("</doc>") {
        return None;
    }
    let words = crate::layout::page_words(&text[text.find("<doc>")?..]);
    (words.len() == pages.len()).then_some(words)
}

/// One exchange with this thread's helper, started if need be. A helper that crashed, hung or
/// broke the protocol is let go; the next document starts a new one.
fn answer(request: Request<'_>, timeout: Duration, max_output: usize) -> Result<Vec<u8>, Failure> {
    if !available() || request.payload.is_empty() {
        return Err(Failure::Broken);
    }
    let result = SLOT.with(|slot| {
        let Ok(mut slot) = slot.try_borrow_mut() else {
            return Err(Failure::Broken);
        };
        if slot.failures >= MAX_FAILURES {
            return Err(Failure::Broken);
        }
        if slot.session.is_none() {
            slot.session = start();
            if slot.session.is_none() {
                BROKEN.store(true, Ordering::Relaxed);
                return Err(Failure::Broken);
            }
        }
        match slot.session.as_mut() {
            Some(s) => exchange(s, request, timeout, max_output),
            None => Err(Failure::Broken),
        }
    });
    match result {
        Ok(_) => forget_failures(),
        Err(Failure::TimedOut) => forget_session(false),
        Err(Failure::Broken) => forget_session(true),
    }
    result
}

/// Ends this thread's helper (it is killed); `failed` counts toward giving up on it.
fn forget_session(failed: bool) {
    SLOT.with(|slot| {
        if let Ok(mut slot) = slot.try_borrow_mut() {
            slot.session = None;
            slot.failures += u32::from(failed);
        }
    });
}

fn forget_failures() {
    SLOT.with(|slot| {
        if let Ok(mut slot) = slot.try_borrow_mut() {
            slot.failures = 0;
        }
    });
}

/// The helper as an executable file: an anonymous in-memory file holding the embedded program,
/// opened once per process and named by its /proc path.
fn program() -> Option<&'static str> {
    static PATH: OnceLock<Option<String>> = OnceLock::new();
    PATH.get_or_init(|| {
        #[cfg(target_os = "linux")]
        {
            use std::os::fd::{AsRawFd, FromRawFd};
            #[allow(unsafe_code)]
            // SAFETY: memfd_create takes a NUL-terminated name and flags and returns a new file
            // descriptor (or -1), which is owned by nothing else.
            let fd = unsafe { libc::memfd_create(c"casebinder-poppler".as_ptr(), libc::MFD_CLOEXEC) };
            if fd < 0 {
                return None;
            }
            #[allow(unsafe_code)]
            // SAFETY: `fd` was just returned by memfd_create and is owned by this File alone.
            let mut file = unsafe { std::fs::File::from_raw_fd(fd) };
            file.write_all(HELPER).ok()?;
            let path = format!("/proc/{}/fd/{}", std::process::id(), file.as_raw_fd());
            // Kept open for the life of the process: the path names it while it is open.
            std::mem::forget(file);
            Some(path)
        }
        #[cfg(not(target_os = "linux"))]
        None
    })
    .as_deref()
}

fn start() -> Option<Session> {
    let program = program()?;
    let mut child = Command::new(program)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .env("LC_ALL", "C.UTF-8")
        .spawn()
        .ok()?;
    super::tools::limit_memory(&child);
    let stdin = child.stdin.take()?;
    let stdout = child.stdout.take()?;
    widen_pipe(&stdin);
    widen_pipe(&stdout);
    Some(Session { child, stdin, stdout })
}

/// A pipe of 1 MiB instead of 64 KiB: a PDF and its words pass in one or two writes, not a
/// dozen, each a switch between casebinder and the helper.
fn widen_pipe(fd: &impl std::os::fd::AsRawFd) {
    #[cfg(target_os = "linux")]
    {
        #[allow(unsafe_code)]
        // SAFETY: F_SETPIPE_SZ on a pipe this process holds open; a failure leaves it as it was.
        unsafe {
            libc::fcntl(fd.as_raw_fd(), libc::F_SETPIPE_SZ, 1 << 20);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = fd;
}

/// Why an exchange with the helper gave no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failure {
    TimedOut,
    Broken,
}

/// Sends one request and waits for its answer, at most `timeout`.
fn exchange(
    s: &mut Session,
    request: Request<'_>,
    timeout: Duration,
    max_output: usize,
) -> Result<Vec<u8>, Failure> {
    let deadline = Instant::now() + timeout;
    let mut head = Vec::with_capacity(13 + 4 * request.pages.len());
    let len = 1 + 4 + 4 * request.pages.len() + request.payload.len();
    head.extend_from_slice(&(len as u64).to_le_bytes());
    head.push(match (request.from_file, request.raw) {
        (true, true) => b'R',
        (true, false) => b'P',
        (false, _) => b'B',
    });
    head.extend_from_slice(&(request.pages.len() as u32).to_le_bytes());
    for p in request.pages {
        head.extend_from_slice(&p.to_le_bytes());
    }
    let sent = s
        .stdin
        .write_all(&head)
        .and_then(|()| s.stdin.write_all(request.payload))
        .and_then(|()| s.stdin.flush());
    sent.map_err(|_| Failure::Broken)?;
    let mut header = [0u8; 8];
    read_exact_by(&mut s.stdout, &mut header, deadline)?;
    let len = u64::from_le_bytes(header);
    if len > max_output as u64 {
        return Err(Failure::Broken);
    }
    let mut reply = vec![0u8; len as usize];
    read_exact_by(&mut s.stdout, &mut reply, deadline)?;
    Ok(reply)
}

/// Fills `buf` from the helper's output, giving up at `deadline` or at its end.
fn read_exact_by(r: &mut ChildStdout, buf: &mut [u8], deadline: Instant) -> Result<(), Failure> {
    let mut filled = 0;
    while filled < buf.len() {
        if !readable_by(r, deadline) {
            return Err(Failure::TimedOut);
        }
        match r.read(&mut buf[filled..]) {
            Ok(0) => return Err(Failure::Broken),
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return Err(Failure::Broken),
        }
    }
    Ok(())
}

/// Waits until the pipe has something to read (or is closed), or the deadline passes.
fn readable_by(r: &ChildStdout, deadline: Instant) -> bool {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            let mut fds = libc::pollfd {
                fd: r.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
            let ms = left.as_millis().clamp(1, i32::MAX as u128) as i32;
            #[allow(unsafe_code)]
            // SAFETY: one valid pollfd, owned by this frame, for the duration of the call.
            let n = unsafe { libc::poll(&mut fds, 1, ms) };
            if n > 0 {
                return true;
            }
            if n == 0 {
                continue; // woke at the timeout: the loop checks the deadline
            }
            if std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
                return false;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (r, deadline);
        true
    }
}

/// Parses the helper's answer; None when it is not one (the helper is then not trusted again).
fn parse_reply(reply: &[u8]) -> Option<Reply> {
    let text = String::from_utf8_lossy(reply);
    let (first, rest) = text.split_once('\n')?;
    if let Some(code) = first.strip_prefix("error ") {
        return Some(Reply::Refused(code.trim().to_string()));
    }
    if first != "ok" {
        return None;
    }
    let mut doc = Document::default();
    let mut rest = rest;
    let mut expected = None;
    while !rest.starts_with("<doc>") {
        let (line, tail) = rest.split_once('\n')?;
        rest = tail;
        if let Some(info) = line.strip_prefix("info ") {
            let (key, hex) = info.split_once(' ')?;
            doc.info.push((key.to_string(), hex::decode(hex).ok()?));
        } else if let Some(n) = line.strip_prefix("pages ") {
            expected = Some(n.trim().parse::<usize>().ok()?);
        } else {
            return None;
        }
    }
    if !rest.trim_end().ends_with("</doc>") {
        return None;
    }
    doc.pages = parse_bbox(rest, 1.0);
    doc.page_count = expected?;
    Some(Reply::Read(doc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_is_parsed_or_refused() {
        let ok = "ok\ninfo Title 4869\npages 1\n<doc>\n  <page width=\"612.000000\" height=\"792.000000\">\n    <word xMin=\"72.000000\" yMin=\"61.2\" xMax=\"107.0\" yMax=\"75.1\">Prior</word>\n  </page>\n</doc>\n";
        match parse_reply(ok.as_bytes()) {
            Some(Reply::Read(doc)) => {
                assert_eq!(doc.info, vec![("Title".to_string(), b"Hi".to_vec())]);
                assert_eq!(doc.pages.len(), 1);
                assert_eq!(doc.pages[0].text, "Prior");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(parse_reply(b"error 4\n"), Some(Reply::Refused(c)) if c == "4"));
        // The pages asked for, and how many the document has.
        match parse_reply(b"ok\npages 2\n<doc>\n  <page width=\"1\" height=\"1\">\n  </page>\n</doc>\n") {
            Some(Reply::Read(doc)) => assert_eq!((doc.pages.len(), doc.page_count), (1, 2)),
            other => panic!("{other:?}"),
        }
        // A reply cut short is not trusted.
        assert!(parse_reply(b"ok\npages 1\n<doc>\n  <page").is_none());
        assert!(parse_reply(b"garbage").is_none());
    }

    /// The helper reads a PDF as pdftotext does, and a crash (here: a killed helper) costs one
    /// answer, not the next.
    #[test]
    fn the_helper_reads_and_recovers() {
        if !available() {
            eprintln!("skipped: this build has no poppler helper");
            return;
        }
        let pdf = crate::sample::FILES
            .iter()
            .find(|(name, _)| name.ends_with(".pdf"))
            .map(|(_, bytes)| *bytes)
            .unwrap();
        let timeout = Duration::from_secs(30);
        let Reply::Read(first) = read(pdf, timeout, 1 << 26) else {
            panic!("the helper did not read the sample PDF");
        };
        assert!(!first.pages.is_empty() && !first.pages[0].text.is_empty());
        SLOT.with(|slot| {
            if let Some(s) = slot.borrow_mut().session.as_mut() {
                let _ = s.child.kill();
                let _ = s.child.wait();
            }
        });
        assert!(matches!(read(pdf, timeout, 1 << 26), Reply::Unavailable));
        let Reply::Read(again) = read(pdf, timeout, 1 << 26) else {
            panic!("a new helper did not start");
        };
        assert_eq!(again.pages, first.pages);
        assert!(matches!(
            read(b"%PDF-1.4\nnot really", timeout, 1 << 26),
            Reply::Refused(_)
        ));
    }
}
