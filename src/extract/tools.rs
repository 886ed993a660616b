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

/// Reads the words of each page of a scanned PDF: pdftoppm renders a page, tesseract reads it.
pub fn ocr_pdf(pdf: &[u8], pages: u32) -> Option<Vec<TsvPage>> {
    let mut texts = Vec::new();
    let dpi = OCR_DPI.to_string();
    for page in 1..=pages.min(MAX_OCR_PAGES) {
        let p = page.to_string();
        let png = run_with_input(
            "pdftoppm",
            &[
                "-r",
                &dpi,
                "-gray",
                "-png",
                "-f",
                &p,
                "-l",
                &p,
                "-singlefile",
                "-",
            ],
            pdf,
            OCR_PAGE_TIMEOUT,
            256 << 20,
        )
        .ok()?;
        texts.push(ocr_image(&png, 72.0 / OCR_DPI as f32).unwrap_or_default());
    }
    Some(texts)
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

/// [`run_with_input`] with extra environment variables (e.g. a private HOME).
pub fn run_with_input_env(
    program: &str,
    args: &[&str],
    envs: &[(&str, &std::ffi::OsStr)],
    input: &[u8],
    timeout: Duration,
    max_output: usize,
) -> Result<Vec<u8>, RunError> {
    let mut child = Command::new(program)
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
