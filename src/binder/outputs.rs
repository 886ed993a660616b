//! What goes beside the binder PDF: the index as CSV and Markdown (for the exhibit list a
//! hearing office asks for) and the manifest (settings, each source's SHA-256 and page map,
//! the binder's SHA-256) that `casebinder verify` checks against.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Body, LeftOut, Plan, Settings};
use crate::output::csv_line;

pub const INDEX_COLUMNS: [&str; 13] = [
    "exhibit",
    "date",
    "kind",
    "title",
    "author",
    "pages",
    "binder_first_page",
    "binder_last_page",
    "bates_start",
    "bates_end",
    "locator",
    "sha256",
    "note",
];

/// One exhibit in the manifest.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ManifestExhibit {
    pub exhibit: String,
    pub date: Option<String>,
    pub kind: String,
    pub title: String,
    pub author: Option<String>,
    pub pages: u32,
    pub binder_first_page: u32,
    pub binder_last_page: u32,
    pub bates_start: String,
    pub bates_end: String,
    pub locator: String,
    pub sha256: String,
    pub tab_page: Option<u32>,
    /// Drawn as a page saying why it could not be included.
    pub placeholder: bool,
    /// [binder page, source page] for every page.
    pub page_map: Vec<[u32; 2]>,
    /// What was done to include it faithfully (a mended source), or why it is a placeholder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Pages whose text ran into the footer band, made smaller (about their top centre) so the
    /// stamp covers nothing: [page of the exhibit, scale].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scaled_pages: Vec<(u32, f32)>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ManifestBinder {
    pub file: String,
    pub sha256: String,
    pub pages: u32,
    pub bytes: u64,
    pub front_pages: u32,
    pub fonts: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub casebinder: String,
    /// The highest Bates number this binder has ever given: a later build never gives it again.
    #[serde(default)]
    pub bates_high_water: u64,
    pub binder: ManifestBinder,
    pub settings: serde_json::Value,
    pub exhibits: Vec<ManifestExhibit>,
    pub left_out: Vec<LeftOutEntry>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LeftOutEntry {
    pub locator: String,
    pub reason: String,
}

impl From<&LeftOut> for LeftOutEntry {
    fn from(l: &LeftOut) -> Self {
        LeftOutEntry {
            locator: l.locator.clone(),
            reason: l.reason.clone(),
        }
    }
}

/// The files that go with `pdf`: (index.csv, index.md, manifest.json).
pub fn companions(pdf: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let stem = pdf
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "binder".into());
    let with = |suffix: &str| pdf.with_file_name(format!("{stem}{suffix}"));
    (with("-index.csv"), with("-index.md"), with("-manifest.json"))
}

pub fn exhibits(plan: &Plan) -> Vec<ManifestExhibit> {
    let s: &Settings = &plan.settings;
    plan.exhibits
        .iter()
        .map(|e| ManifestExhibit {
            exhibit: e.label.clone(),
            date: e.date.clone(),
            kind: e.kind.clone(),
            title: e.title.clone(),
            author: e.author.clone(),
            pages: e.pages,
            binder_first_page: e.first_page,
            binder_last_page: e.last_page,
            bates_start: s.bates(e.bates_start),
            bates_end: s.bates(e.bates_end),
            locator: e.locator.clone(),
            sha256: e.sha256.clone(),
            tab_page: e.tab_page,
            placeholder: matches!(e.body, Body::Placeholder(_)),
            page_map: (0..e.pages).map(|k| [e.first_page + k, k + 1]).collect(),
            note: match &e.body {
                Body::Placeholder(reason) => Some(format!("placeholder: {reason}")),
                _ => None,
            },
            scaled_pages: Vec::new(),
        })
        .collect()
}

pub fn manifest(plan: &Plan, file: &str, sha256: &str, bytes: u64, fonts: Vec<String>) -> Manifest {
    Manifest {
        casebinder: env!("CARGO_PKG_VERSION").to_string(),
        bates_high_water: plan.bates_high_water,
        binder: ManifestBinder {
            file: file.to_string(),
            sha256: sha256.to_string(),
            pages: plan.total_pages,
            bytes,
            front_pages: plan.front_pages(),
            fonts,
        },
        settings: serde_json::to_value(&plan.settings).unwrap_or_default(),
        exhibits: exhibits(plan),
        left_out: plan.left_out.iter().map(LeftOutEntry::from).collect(),
    }
}

fn row(e: &ManifestExhibit) -> Vec<String> {
    let clean = |s: &str| s.chars().filter(|c| !c.is_control()).collect::<String>();
    let cells = vec![
        e.exhibit.clone(),
        e.date.clone().unwrap_or_default(),
        e.kind.clone(),
        e.title.clone(),
        e.author.clone().unwrap_or_default(),
        e.pages.to_string(),
        e.binder_first_page.to_string(),
        e.binder_last_page.to_string(),
        e.bates_start.clone(),
        e.bates_end.clone(),
        e.locator.clone(),
        e.sha256.clone(),
        e.note.clone().unwrap_or_default(),
    ];
    cells.iter().map(|c| clean(c)).collect()
}

pub fn index_csv(exhibits: &[ManifestExhibit]) -> String {
    let mut out = csv_line(&INDEX_COLUMNS.map(String::from));
    out.push('\n');
    for e in exhibits {
        out.push_str(&csv_line(&row(e)));
        out.push('\n');
    }
    out
}

fn md_cell(s: &str) -> String {
    crate::output::md_text(s)
}

pub fn index_md(plan: &Plan, exhibits: &[ManifestExhibit]) -> String {
    let s = &plan.settings;
    let mut out = format!(
        "# Exhibit index: {}\n\n{} · built {} · {} exhibits · {} binder pages\n\n",
        md_cell(&s.case_title),
        s.purpose.name(),
        s.date,
        exhibits.len(),
        plan.total_pages
    );
    out.push_str(&format!("| {} |\n", INDEX_COLUMNS.join(" | ")));
    out.push_str(&format!("|{}\n", "---|".repeat(INDEX_COLUMNS.len())));
    for e in exhibits {
        let cells: Vec<String> = row(e).iter().map(|c| md_cell(c)).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn companion_files_sit_beside_the_binder() {
        let (csv, md, json) = companions(Path::new("/case/Binders/due-process-binder.pdf"));
        assert_eq!(csv, Path::new("/case/Binders/due-process-binder-index.csv"));
        assert_eq!(md, Path::new("/case/Binders/due-process-binder-index.md"));
        assert_eq!(json, Path::new("/case/Binders/due-process-binder-manifest.json"));
    }

    #[test]
    fn markdown_cells_cannot_break_the_table() {
        assert_eq!(md_cell("a|b\nc"), "a\\|b c");
    }

    #[test]
    fn index_cells_lose_control_characters() {
        let e = ManifestExhibit {
            exhibit: "P-1".into(),
            date: None,
            kind: "iep".into(),
            title: "IEP\u{0}\u{1b}[31m".into(),
            author: None,
            pages: 1,
            binder_first_page: 1,
            binder_last_page: 1,
            bates_start: "X-1".into(),
            bates_end: "X-1".into(),
            locator: "a.pdf".into(),
            sha256: "0".into(),
            tab_page: None,
            placeholder: false,
            page_map: Vec::new(),
            note: None,
            scaled_pages: Vec::new(),
        };
        let csv = index_csv(&[e]);
        assert!(!csv.contains('\u{0}') && !csv.contains('\u{1b}'), "{csv:?}");
    }
}
