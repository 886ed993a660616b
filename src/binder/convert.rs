//! A .docx set as its author laid it out, through LibreOffice when it is installed.
//!
//! casebinder's own rendering of a .docx is its text. LibreOffice keeps tables, headers and
//! fonts, so when `soffice` (or `libreoffice`) is on PATH the binder uses it. LibreOffice needs
//! a file: the document's bytes are copied into a private folder inside the case's
//! `.casebinder` (owner-only), converted there with a throw-away LibreOffice profile, and the
//! folder is removed. The source file is never opened by LibreOffice, so it can leave no lock
//! file beside it, and its HOME is that folder too, so it leaves no cache behind.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::extract::tools::run_with_input_env;

/// The LibreOffice program on this machine, if any (`CASEBINDER_NO_HELPERS=1` hides it).
pub fn office() -> Option<&'static PathBuf> {
    static OFFICE: OnceLock<Option<PathBuf>> = OnceLock::new();
    OFFICE
        .get_or_init(|| {
            if std::env::var_os("CASEBINDER_NO_HELPERS").is_some_and(|v| v == "1") {
                return None;
            }
            let path = std::env::var_os("PATH")?;
            ["soffice", "libreoffice"].iter().find_map(|name| {
                std::env::split_paths(&path)
                    .map(|dir| dir.join(name))
                    .find(|p| p.is_file())
            })
        })
        .as_ref()
}

/// Removes conversion folders left by builds that were killed (their process is gone), so a
/// stale LibreOffice profile never meets a new build. Folders of running builds are kept.
pub fn sweep(tmp: &Path) {
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let Some(pid) = name
            .strip_prefix("convert-")
            .and_then(|rest| rest.split('-').next())
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        let alive = Path::new("/proc").is_dir() && Path::new("/proc").join(pid.to_string()).exists();
        if !alive && Path::new("/proc").is_dir() {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// `file:///…` with every byte but the safe ones percent-encoded (case folders have spaces).
fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            url.push(char::from(b));
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

/// Set when LibreOffice hung once: the rest of the build does not wait on it again.
static GAVE_UP: AtomicBool = AtomicBool::new(false);

/// Converts a .docx to PDF; `work` is a private folder that is created and removed.
pub fn docx_to_pdf(office: &Path, work: &Path, bytes: &[u8]) -> Result<Vec<u8>, String> {
    if GAVE_UP.load(Ordering::Relaxed) {
        return Err("LibreOffice did not answer earlier in this build".into());
    }
    crate::case::create_private_dir(work).map_err(|e| e.to_string())?;
    let result = (|| {
        let input = work.join("document.docx");
        crate::case::create_private_file(&input)
            .and_then(|mut f| {
                use std::io::Write;
                f.write_all(bytes)
            })
            .map_err(|e| e.to_string())?;
        let profile = format!("-env:UserInstallation={}", file_url(&work.join("profile")));
        let outdir = work.join("out");
        let args = [
            "--headless",
            "--norestore",
            "--nolockcheck",
            profile.as_str(),
            "--convert-to",
            "pdf",
            "--outdir",
            &outdir.to_string_lossy(),
            &input.to_string_lossy(),
        ]
        .map(str::to_string);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        // LibreOffice writes caches under HOME: give it the private folder, removed afterwards.
        let home = work.join("home");
        run_with_input_env(
            &office.to_string_lossy(),
            &args,
            &[("HOME", home.as_os_str())],
            b"",
            Duration::from_secs(90),
            1 << 20,
        )
        .map_err(|e| {
            if matches!(e, crate::extract::tools::RunError::TimedOut) {
                GAVE_UP.store(true, Ordering::Relaxed);
            }
            format!("LibreOffice could not convert it ({e:?})")
        })?;
        std::fs::read(outdir.join("document.pdf")).map_err(|e| format!("LibreOffice made no PDF ({e})"))
    })();
    let _ = std::fs::remove_dir_all(work);
    result
}

/// One page of a PDF as a PNG (poppler's `pdftoppm`, at `dpi`), cut to the box `[x, y, width,
/// height]` in points from the top left, with its size in pixels; `None` when pdftoppm is not
/// installed or fails.
pub fn page_png(
    pdf: &[u8],
    page: u32,
    dpi: u32,
    [x, y, width_pt, height_pt]: [f32; 4],
) -> Option<(Vec<u8>, u32, u32)> {
    if !crate::extract::tools::tools().pdftoppm {
        return None;
    }
    let p = page.to_string();
    let r = dpi.to_string();
    let px = |pt: f32| ((pt * dpi as f32 / 72.0).round() as u32).to_string();
    let (x, y, w, h) = (px(x), px(y), px(width_pt), px(height_pt));
    let args = [
        "-png",
        "-f",
        &p,
        "-l",
        &p,
        "-r",
        &r,
        "-x",
        &x,
        "-y",
        &y,
        "-W",
        &w,
        "-H",
        &h,
        "-singlefile",
        "-",
    ];
    let png =
        crate::extract::tools::run_with_input("pdftoppm", &args, pdf, Duration::from_secs(60), 64 << 20)
            .ok()?;
    // The size is in the PNG's header (IHDR: width and height, big-endian, at bytes 16 and 20).
    let be = |at: usize| {
        png.get(at..at + 4)
            .and_then(|b| b.try_into().ok())
            .map(u32::from_be_bytes)
    };
    let (pw, ph) = (be(16)?, be(20)?);
    (png.starts_with(b"\x89PNG") && pw > 0 && ph > 0).then_some((png, pw, ph))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_urls_survive_spaces_and_accents() {
        assert_eq!(
            file_url(Path::new("/tmp/Rivera case/é")),
            "file:///tmp/Rivera%20case/%C3%A9"
        );
    }
}
