//! `verify`: is a binder still the file that was built, and are its sources unchanged? Each
//! check is compared with the manifest written beside the binder.
//!
//! Returns data; the command prints it (or prints it as JSON).

use std::path::Path;

use anyhow::Result;
use serde::Serialize;

use super::outputs::{self, Manifest};
use super::source;
use crate::error::user_error;
use crate::extract::sha256_hex;

/// How one file compares with the manifest.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Exactly as built (or scanned).
    Ok,
    /// Another file now.
    Changed,
    /// Not found or not readable.
    Missing,
    /// The binder's last build was cut short before the new binder took its name (the manifest
    /// names the binder still waiting beside it).
    Unfinished,
}

/// One exhibit's source, checked.
#[derive(Clone, Debug, Serialize)]
pub struct SourceCheck {
    pub exhibit: String,
    pub locator: String,
    pub state: State,
    /// Why it is missing.
    pub detail: Option<String>,
}

/// What `verify` found.
#[derive(Clone, Debug, Serialize)]
pub struct Verification {
    pub binder: State,
    pub binder_sha256: Option<String>,
    /// Why the binder could not be read.
    pub binder_detail: Option<String>,
    /// The sources, when the case folder was found.
    pub sources: Option<Vec<SourceCheck>>,
    /// How many exhibits the manifest lists.
    pub exhibits: usize,
}

impl Verification {
    /// Files that are not as built: the binder and each source.
    pub fn problems(&self) -> usize {
        usize::from(self.binder != State::Ok)
            + self
                .sources
                .iter()
                .flatten()
                .filter(|s| s.state != State::Ok)
                .count()
    }
}

/// The manifest written beside `pdf`.
pub fn read_manifest(pdf: &Path) -> Result<Manifest> {
    let (_, _, json) = outputs::companions(pdf);
    // Neither the binder nor its manifest: a name typed wrong, most likely.
    if !pdf.exists() && !json.exists() {
        let dir = pdf.parent().unwrap_or(Path::new("."));
        let binders: Vec<String> = std::fs::read_dir(dir)
            .map(|entries| {
                let mut v: Vec<String> = entries
                    .filter_map(|e| e.ok())
                    .filter_map(|e| e.file_name().to_str().map(str::to_string))
                    .filter(|n| n.ends_with(".pdf"))
                    .collect();
                v.sort();
                v
            })
            .unwrap_or_default();
        let typed = pdf.file_name().and_then(|n| n.to_str()).unwrap_or("");
        return Err(user_error(
            format!(
                "There is no binder {}.{}",
                pdf.display(),
                crate::error::suggestion(typed, binders.iter().map(String::as_str))
            ),
            if binders.is_empty() {
                format!(
                    "{} holds no binder. Build one with: casebinder binder",
                    dir.display()
                )
            } else {
                format!("The binders in {}: {}", dir.display(), binders.join(", "))
            },
        ));
    }
    let raw = std::fs::read_to_string(&json).map_err(|e| {
        user_error(
            format!("Could not read the manifest {}: {e}", json.display()),
            "verify needs the -manifest.json file written beside the binder; keep them in the same folder.",
        )
    })?;
    serde_json::from_str(&raw).map_err(|e| {
        user_error(
            format!("{} is not a casebinder manifest ({e}).", json.display()),
            "Build the binder again with `casebinder binder` to get a fresh manifest.",
        )
    })
}

/// Whether the binder the manifest names is the one still waiting beside `pdf` (a build cut
/// short between writing the manifest and giving the binder its name).
fn waiting_build(pdf: &Path, manifest: &Manifest) -> bool {
    crate::extract::sha256_file(&super::make::staged_path(pdf)).is_ok_and(|sha| sha == manifest.binder.sha256)
}

/// Checks the binder at `pdf` and, when the case folder `root` is known, every source.
pub fn verify(pdf: &Path, manifest: &Manifest, root: Option<&Path>) -> Verification {
    let (binder, binder_sha256, binder_detail) = match crate::extract::sha256_file(pdf) {
        Ok(sha) if sha == manifest.binder.sha256 => (State::Ok, Some(sha), None),
        Ok(sha) if waiting_build(pdf, manifest) => (State::Unfinished, Some(sha), None),
        Ok(sha) => (State::Changed, Some(sha), None),
        Err(_) if waiting_build(pdf, manifest) => (State::Unfinished, None, None),
        Err(e) => (State::Missing, None, Some(e.to_string())),
    };
    // A mailbox's messages are located once, in one streaming read, not the whole mailbox read
    // again for each message.
    let mailboxes = source::MailboxIndex::default();
    let bar = crate::output::progress(manifest.exhibits.len() as u64, "Checking the sources");
    let sources = root.map(|root| {
        manifest
            .exhibits
            .iter()
            .map(|e| {
                bar.inc(1);
                let (state, detail) = match source::fetch_with(root, &e.locator, Some(&mailboxes)) {
                    Ok(bytes) if sha256_hex(&bytes) == e.sha256 => (State::Ok, None),
                    Ok(_) => (State::Changed, None),
                    Err(err) => (State::Missing, Some(err)),
                };
                SourceCheck {
                    exhibit: e.exhibit.clone(),
                    locator: e.locator.clone(),
                    state,
                    detail,
                }
            })
            .collect()
    });
    bar.finish_and_clear();
    crate::failpoint::pause("verify-done");
    Verification {
        binder,
        binder_sha256,
        binder_detail,
        sources,
        exhibits: manifest.exhibits.len(),
    }
}
