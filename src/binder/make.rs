//! The whole binder job, for every caller (the `binder` command, the demo): load, plan, and
//! (when asked) write the PDF, its index and manifest, and remember the labels given.
//!
//! Returns what happened; the caller prints it.

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::outputs::{self, Manifest, ManifestExhibit};
use super::{Plan, Settings, build, load, plan, source};
use crate::case::Case;
use crate::case::settings::CaseSettings;
use crate::catalog::Catalog;
use crate::error::user_error;
use crate::extract::sha256_hex;
use crate::query::Query;

/// The folder binders go to by default.
pub const BINDERS_DIR: &str = "Binders";

/// Where a binder named `name` goes when no `--out` is given.
pub fn default_target(root: &Path, name: &str) -> PathBuf {
    root.join(BINDERS_DIR).join(format!("{name}.pdf"))
}

/// A planned binder and the last build of the same name.
pub struct Prepared {
    pub plan: Plan,
    pub previous: Option<Manifest>,
}

impl Prepared {
    /// The exhibits as the manifest will list them.
    pub fn exhibits(&self) -> Vec<ManifestExhibit> {
        outputs::exhibits(&self.plan)
    }
}

/// Plans the binder `settings` describe (nothing is written).
pub fn prepare(
    catalog: &Catalog,
    case: &Case,
    settings: Settings,
    query: Option<&Query>,
    renumber: bool,
) -> Result<Prepared> {
    if catalog.count_documents()? == 0 {
        return Err(user_error(
            "The catalog has no documents yet, so there is nothing to put in a binder.",
            "Run `casebinder scan` in the case folder first.",
        ));
    }
    crate::binder::convert::sweep(&case.private_dir().join("tmp"));
    let case_settings = CaseSettings::load(catalog)?;
    let selection = load::load(catalog, &case.root, &settings, &case_settings, query, renumber)?;
    let previous: Option<Manifest> = catalog
        .last_binder_build(&settings.name)?
        .and_then(|m| serde_json::from_str(&m).ok());
    let plan = plan::plan(selection, settings);
    if plan.exhibits.is_empty() {
        return Err(user_error(
            "No document matches, so the binder would be empty.",
            "Try `casebinder binder --dry-run` without filters, or check the filters with `casebinder list`.",
        ));
    }
    Ok(Prepared { plan, previous })
}

/// What a build wrote.
pub struct Made {
    pub target: PathBuf,
    pub csv: PathBuf,
    pub md: PathBuf,
    pub manifest: PathBuf,
    /// Labels of exhibits that were not in the last build.
    pub new_since_last: Vec<String>,
}

/// Writes the binder to `target` with its index and manifest beside it, and remembers the
/// labels given (`renumber`: the labels given before are replaced).
pub fn make(
    catalog: &mut Catalog,
    case: &Case,
    prepared: &mut Prepared,
    target: &Path,
    renumber: bool,
) -> Result<Made> {
    let plan = &mut prepared.plan;
    // A new folder is made private; a folder that exists (a Desktop) is left as it is.
    if let Some(dir) = target.parent().filter(|d| !d.exists()) {
        crate::case::create_private_dir(dir).map_err(|e| {
            user_error(
                format!("Could not create the folder {}: {e}", dir.display()),
                "Choose where to write the binder with --out FILE.pdf.",
            )
        })?;
    }
    let root = case.root.clone();
    let fetch = move |locator: &str, sha: &str| source::fetch_checked(&root, locator, sha);
    let built = build::to_file(plan, &fetch, target)?;
    let file_name = target
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default();
    let manifest = outputs::manifest(plan, &file_name, &built.sha256, built.size, built.fonts.clone());
    let (csv_path, md_path, json_path) = outputs::companions(target);
    let mut manifest_json = serde_json::to_string_pretty(&manifest)?;
    manifest_json.push('\n');
    let files: [(&PathBuf, Vec<u8>); 3] = [
        (&csv_path, outputs::index_csv(&manifest.exhibits).into_bytes()),
        (&md_path, outputs::index_md(plan, &manifest.exhibits).into_bytes()),
        (&json_path, manifest_json.clone().into_bytes()),
    ];
    for (path, bytes) in &files {
        write_atomic(path, bytes)?;
    }
    for path in [target, &csv_path, &md_path, &json_path] {
        if let Ok(rel) = path.strip_prefix(&case.root) {
            let rel = crate::scan::walk::rel_path(Path::new(""), rel);
            let sha = if path == target {
                built.sha256.clone()
            } else {
                sha256_hex(&std::fs::read(path).unwrap_or_default())
            };
            catalog.record_output(&rel, &sha)?;
        }
    }
    let given: Vec<(String, String)> = plan
        .exhibits
        .iter()
        .filter(|e| e.parent.is_none())
        .map(|e| (e.sha256.clone(), e.label.clone()))
        .collect();
    catalog.record_binder_build(&plan.settings.name, &given, &manifest_json, renumber)?;
    if !built.missing_chars.is_empty() {
        plan.warnings.push(format!(
            "No font on this computer has these characters, so they print as \"?\": {}. Install a font that has them (for example fonts-noto-cjk) and build again.",
            built.missing_chars
        ));
    }
    let new_since_last = match &prepared.previous {
        Some(prev) => manifest
            .exhibits
            .iter()
            .filter(|e| !prev.exhibits.iter().any(|p| p.sha256 == e.sha256))
            .map(|e| e.exhibit.clone())
            .collect(),
        None => Vec::new(),
    };
    Ok(Made {
        target: target.to_path_buf(),
        csv: csv_path,
        md: md_path,
        manifest: json_path,
        new_since_last,
    })
}

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = build::partial_path(path);
    std::fs::write(&tmp, bytes)
        .and_then(|_| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            user_error(
                format!("Could not write {}: {e}", path.display()),
                "Check that the disk has free space and the folder is writable.",
            )
        })
}
