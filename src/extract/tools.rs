//! Optional helper programs (poppler's `pdftotext`/`pdftoppm`, `tesseract`), found on PATH and
//! run with a time limit, input on stdin and a cap on output. None of them touches the network;
//! none gets a file name for an attachment (its bytes never reach the disk).
//!
//! Which helpers exist is part of the extractor version: install poppler or tesseract later and
//! the next scan reads again the documents that were read without them.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{OnceLock, mpsc};
use std::time::Duration;

use crate::layout::{TsvPage, TsvSource, parse_tsv};

/// Which helpers this machine has.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tools {
    pub pdftotext: bool,
    pub pdftoppm: bool,
    pub tesseract: bool,
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Helpers found on PATH (once per process). `CASEBINDER_NO_HELPERS=1` turns them all off.
pub fn tools() -> Tools {
    static TOOLS: OnceLock<Tools> = OnceLock::new();
    *TOOLS.get_or_init(|| {
        if std::env::var_os("CASEBINDER_NO_HELPERS").is_some_and(|v| v == "1") {
            return Tools::default();
        }
        Tools {
            pdftotext: on_path("pdftotext").is_some(),
            pdftoppm: on_path("pdftoppm").is_some(),
            tesseract: on_path("tesseract").is_some(),
        }
    })
}

/// The extractor version for this machine: the code's version plus the helpers present.
pub fn extractor_version() -> i64 {
    let t = tools();
    super::EXTRACTOR_VERSION * 8 + i64::from(t.pdftotext) + 2 * i64::from(t.pdftoppm && t.tesseract)
}

/// Pages OCR reads at most in one document.
pub const MAX_OCR_PAGES: u32 = 300;
/// Time allowed to render or read one page.
const OCR_PAGE_TIMEOUT: Duration = Duration::from_secs(90);

/// True when scans can be read: tesseract, and pdftoppm for PDFs.
pub fn can_ocr_images() -> bool {
    tools().tesseract
}

pub fn can_ocr_pdfs() -> bool {
    tools().tesseract && tools().pdftoppm
}

/// Reads the words in a picture (JPEG, PNG, TIFF) with tesseract, with the box of each line.
/// `scale` turns the picture's pixels into the page's units (72/dpi for a rendered PDF page).
pub fn ocr_image(image: &[u8], scale: f32) -> Option<TsvPage> {
    let out = run_with_input(
        "tesseract",
        &["stdin", "stdout", "-l", "eng", "tsv"],
        image,
        OCR_PAGE_TIMEOUT,
        64 << 20,
    )
    .ok()?;
    let tsv = String::from_utf8_lossy(&out);
    Some(
        parse_tsv(&tsv, TsvSource::Tesseract, scale)
            .into_iter()
            .next()
            .unwrap_or_default(),
    )
}

/// The resolution scanned PDF pages are rendered at for OCR.
const OCR_DPI: u32 = 200;

/// The most pixels a page is rendered with for OCR: a US letter page at 300 dpi. A larger page
/// is rendered at a lower resolution, so one odd page can never take the memory of the machine.
pub const OCR_MAX_PIXELS: f64 = 8.5 * 300.0 * 11.0 * 300.0;

/// The resolution that keeps a page of `w` × `h` points within the pixel budget.
pub fn ocr_dpi(w: f64, h: f64) -> u32 {
    let inches = (w / 72.0).max(0.01) * (h / 72.0).max(0.01);
    let fit = (OCR_MAX_PIXELS / inches).sqrt();
    (fit.floor() as u32).clamp(1, OCR_DPI)
}

/// Each page's size in points, as poppler's `pdfinfo` reads it.
fn page_sizes(pdf: &[u8], pages: u32) -> Vec<Option<(f64, f64)>> {
    let last = pages.to_string();
    let out = run_with_input(
        "pdfinfo",
        &["-f", "1", "-l", &last, "-"],
        pdf,
        OCR_PAGE_TIMEOUT,
        1 << 20,
    )
    .unwrap_or_default();
    let text = String::from_utf8_lossy(&out);
    let mut sizes = vec![None; pages as usize];
    for line in text.lines() {
        // "Page    3 size:  612 x 792 pts (letter)"
        let Some(rest) = line.strip_prefix("Page") else {
            continue;
        };
        let Some((n, dims)) = rest.split_once("size:") else {
            continue;
        };
        let n: usize = n.trim().parse().unwrap_or(0);
        let mut it = dims.split_whitespace();
        let (w, x, h) = (it.next(), it.next(), it.next());
        if let (Some(w), Some("x"), Some(h)) = (w, x, h)
            && let (Ok(w), Ok(h)) = (w.parse::<f64>(), h.parse::<f64>())
            && (1..=sizes.len()).contains(&n)
        {
            sizes[n - 1] = Some((w, h));
        }
    }
    sizes
}

/// What OCR of a scanned PDF read, page by page, and the pages read at a lower resolution.
pub struct OcrPdf {
    pub pages: Vec<TsvPage>,
    /// (page, dpi) for pages too large to render at the usual resolution.
    pub reduced: Vec<(u32, u32)>,
    /// The pages read before the document's time ran out, when it did.
    pub stopped_after: Option<u32>,
}

/// The time OCR may take over one document: a minute, and ten seconds a page, at most twenty
/// minutes (a real scan reads at a few seconds a page; 300 huge pages at 30 s each would take
/// hours). A debug build (the tests) may set it with `CASEBINDER_OCR_BUDGET_MS`.
fn ocr_budget(pages: u32) -> Duration {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var("CASEBINDER_OCR_BUDGET_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        return Duration::from_millis(ms);
    }
    (Duration::from_secs(60) + Duration::from_secs(10) * pages).min(Duration::from_secs(20 * 60))
}

/// Reads the words of each page of a scanned PDF: pdftoppm renders a page (within the pixel
/// budget), tesseract reads it.
pub fn ocr_pdf(pdf: &[u8], pages: u32) -> Option<OcrPdf> {
    let mut texts = Vec::new();
    let mut reduced = Vec::new();
    let pages = pages.min(MAX_OCR_PAGES);
    let sizes = page_sizes(pdf, pages);
    let started = std::time::Instant::now();
    let budget = ocr_budget(pages);
    let mut stopped_after = None;
    for page in 1..=pages {
        if page > 1 && started.elapsed() > budget {
            stopped_after = Some(page - 1);
            break;
        }
        let dpi = match sizes.get(page as usize - 1).copied().flatten() {
            Some((w, h)) => ocr_dpi(w, h),
            // Without its size, the page is rendered to fit the budget's box whatever it is.
            None => 0,
        };
        if dpi > 0 && dpi < OCR_DPI {
            reduced.push((page, dpi));
        }
        let p = page.to_string();
        let res = dpi.to_string();
        let fit = ((OCR_MAX_PIXELS.sqrt() * 1.3) as u32).to_string();
        let mut args = vec!["-gray", "-png", "-f", &p, "-l", &p, "-singlefile"];
        if dpi > 0 {
            args.extend(["-r", res.as_str()]);
        } else {
            args.extend(["-scale-to", fit.as_str()]);
        }
        args.push("-");
        let png = run_with_input("pdftoppm", &args, pdf, OCR_PAGE_TIMEOUT, 256 << 20).ok()?;
        let scale = if dpi > 0 {
            72.0 / dpi as f32
        } else {
            72.0 / OCR_DPI as f32
        };
        texts.push(ocr_image(&png, scale).unwrap_or_default());
    }
    Some(OcrPdf {
        pages: texts,
        reduced,
        stopped_after,
    })
}

/// Why a helper run gave nothing.
#[derive(Debug)]
pub enum RunError {
    Spawn(String),
    TimedOut,
    Failed(i32),
    TooMuchOutput,
}

/// Runs `program args…` with `input` on stdin; returns stdout. Kills it after `timeout`.
pub fn run_with_input(
    program: &str,
    args: &[&str],
    input: &[u8],
    timeout: Duration,
    max_output: usize,
) -> Result<Vec<u8>, RunError> {
    run_with_input_env(program, args, &[], input, timeout, max_output)
}

/// The most memory a helper may take (address space): a hostile file makes it fail, not the
/// machine swap.
pub const HELPER_MEMORY: u64 = 768 << 20;

/// LibreOffice maps far more than it uses: it gets a wider cap of its own.
pub const OFFICE_MEMORY: u64 = 4 << 30;

/// Caps the address space of a helper that has just started. Set from outside (`prlimit`)
/// rather than between fork and exec: a command with no code to run in the child starts by
/// `posix_spawn`, without copying casebinder's memory map (a fork per PDF cost a mailbox scan
/// half its time). The helper is still loading when the cap lands; its work comes after.
pub(crate) fn limit_memory(child: &std::process::Child) {
    limit_memory_to(child, HELPER_MEMORY);
}

/// [`limit_memory`] to `bytes`.
pub(crate) fn limit_memory_to(child: &std::process::Child, bytes: u64) {
    #[cfg(target_os = "linux")]
    {
        let lim = libc::rlimit {
            rlim_cur: bytes as libc::rlim_t,
            rlim_max: bytes as libc::rlim_t,
        };
        #[allow(unsafe_code)]
        // SAFETY: prlimit reads `lim` and writes nothing back (the old limit is not asked for);
        // it changes only the child's own limits, and fails harmlessly if the child is gone.
        unsafe {
            libc::prlimit(
                child.id() as libc::pid_t,
                libc::RLIMIT_AS,
                &lim,
                std::ptr::null_mut(),
            );
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (child, bytes);
}

#[cfg(all(test, target_os = "linux"))]
mod limit_tests {
    use super::*;

    #[test]
    fn a_helper_runs_under_the_memory_cap() {
        let mut child = Command::new("sleep").arg("2").spawn().unwrap();
        limit_memory(&child);
        let limits = std::fs::read_to_string(format!("/proc/{}/limits", child.id())).unwrap();
        let _ = child.kill();
        let _ = child.wait();
        let line = limits
            .lines()
            .find(|l| l.starts_with("Max address space"))
            .unwrap();
        assert!(line.contains(&HELPER_MEMORY.to_string()), "{line}");
    }
}

/// Makes a helper die with the thread that started it (which waits for it): killed or stopped,
/// casebinder leaves no OCR or PDF reader running on. The cost is a fork instead of a spawn, paid
/// only by the helpers run through here (OCR, repairs, a second reading), never per document.
fn die_with_parent(command: &mut Command) {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        let parent = std::process::id() as libc::pid_t;
        #[allow(unsafe_code)]
        // SAFETY: between fork and exec the closure calls only async-signal-safe functions
        // (prctl, getppid) and allocates nothing.
        unsafe {
            command.pre_exec(move || {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                if libc::getppid() != parent {
                    return Err(std::io::Error::other("casebinder is gone"));
                }
                Ok(())
            });
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = command;
}

/// [`run_with_input`] with extra environment variables (e.g. a private HOME).
pub fn run_with_input_env(
    program: &str,
    args: &[&str],
    envs: &[(&str, &std::ffi::OsStr)],
    input: &[u8],
    timeout: Duration,
    max_output: usize,
) -> Result<Vec<u8>, RunError> {
    let mut command = Command::new(program);
    die_with_parent(&mut command);
    let mut child = command
        .args(args)
        .envs(envs.iter().map(|(k, v)| (*k, *v)))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .env("LC_ALL", "C.UTF-8")
        // One thread per helper: casebinder already runs one helper per core.
        .env("OMP_THREAD_LIMIT", "1")
        .spawn()
        .map_err(|e| RunError::Spawn(e.to_string()))?;
    let office = std::path::Path::new(program)
        .file_name()
        .is_some_and(|n| n == "soffice" || n == "libreoffice");
    limit_memory_to(&child, if office { OFFICE_MEMORY } else { HELPER_MEMORY });
    let mut stdin = child.stdin.take();
    let mut stdout = child.stdout.take();
    std::thread::scope(|s| {
        s.spawn(move || {
            if let Some(mut w) = stdin.take() {
                // The helper may stop reading early (a damaged file): that is not our error.
                let _ = w.write_all(input);
            }
        });
        // The reader reports when the helper closed its output (it exited) or sent too much.
        let (done_tx, done_rx) = mpsc::channel::<Vec<u8>>();
        s.spawn(move || {
            let mut buf = Vec::new();
            if let Some(r) = stdout.take() {
                let _ = r.take(max_output as u64 + 1).read_to_end(&mut buf);
            }
            let _ = done_tx.send(buf);
        });
        match done_rx.recv_timeout(timeout) {
            Ok(out) if out.len() > max_output => {
                let _ = child.kill();
                let _ = child.wait();
                Err(RunError::TooMuchOutput)
            }
            Ok(out) => match child.wait() {
                Ok(st) if st.success() => Ok(out),
                Ok(st) => Err(RunError::Failed(st.code().unwrap_or(-1))),
                Err(e) => Err(RunError::Spawn(e.to_string())),
            },
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                Err(RunError::TimedOut)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_rendered_within_the_pixel_budget() {
        assert_eq!(ocr_dpi(612.0, 792.0), OCR_DPI);
        let giant = ocr_dpi(60000.0, 60000.0);
        assert!(giant < 10, "{giant}");
        let (w, h) = (60000.0 / 72.0 * giant as f64, 60000.0 / 72.0 * giant as f64);
        assert!(w * h <= OCR_MAX_PIXELS, "{w} x {h}");
        assert_eq!(ocr_dpi(0.0, 0.0), OCR_DPI);
    }

    #[test]
    fn runs_with_input_and_times_out() {
        let out = run_with_input("cat", &[], b"hello", Duration::from_secs(5), 100);
        assert_eq!(out.ok().as_deref(), Some(&b"hello"[..]));
        let slow = run_with_input("sleep", &["5"], b"", Duration::from_millis(100), 100);
        assert!(matches!(slow, Err(RunError::TimedOut)));
        let big = run_with_input("cat", &[], &[b'x'; 1000], Duration::from_secs(5), 10);
        assert!(matches!(big, Err(RunError::TooMuchOutput)));
        assert!(matches!(
            run_with_input("no-such-program-xyz", &[], b"", Duration::from_secs(1), 10),
            Err(RunError::Spawn(_))
        ));
    }
}
