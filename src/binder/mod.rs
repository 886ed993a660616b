//! The evidence binder: which documents become exhibits, in what order, under which labels and
//! Bates numbers, and the one PDF (with its index and manifest) that carries them.
//!
//! Work is split so that everything a person may want to check first can be computed without
//! writing a byte: [`plan`] selects, orders, labels and paginates (so `--dry-run` and `--diff`
//! are exact), [`build`] then writes the PDF in one streaming pass, and [`outputs`] writes the
//! index and manifest beside it.

pub mod build;
pub mod convert;
pub mod font;
pub mod front;
pub mod image;
pub mod labels;
pub mod layout;
pub mod outputs;
pub mod pdfout;
pub mod plan;
pub mod source;

use chrono::NaiveDate;
use serde::Serialize;

use crate::cli::Purpose;
use layout::{Line, Paper};

/// Everything that decides the binder's bytes (the manifest records all of it).
#[derive(Clone, Debug, Serialize)]
pub struct Settings {
    /// The binder's name (the file stem); labels are kept per name.
    pub name: String,
    pub purpose: &'static str,
    /// The filters chosen, or empty for the purpose's default selection.
    pub query: String,
    pub labels: String,
    pub bates_prefix: String,
    pub bates_digits: usize,
    pub bates_start: u64,
    pub paper: &'static str,
    pub tabs: bool,
    pub chronology: bool,
    pub findings: bool,
    pub date: NaiveDate,
    pub hearing_date: Option<NaiveDate>,
    pub prepared_by: Option<String>,
    pub case_title: String,
    pub student: Option<String>,
    pub district: Option<String>,
    pub state: Option<String>,
    /// How .docx files become pages: `libreoffice` (as laid out) or `text`.
    pub docx: &'static str,
}

impl Settings {
    pub fn paper(&self) -> Paper {
        if self.paper == "a4" {
            layout::A4
        } else {
            layout::LETTER
        }
    }

    pub fn bates(&self, n: u64) -> String {
        format!("{}-{:0width$}", self.bates_prefix, n, width = self.bates_digits)
    }
}

pub fn purpose_name(p: Purpose) -> &'static str {
    match p {
        Purpose::Mediation => "mediation",
        Purpose::StateComplaint => "state-complaint",
        Purpose::DueProcess => "due-process",
    }
}

/// How an exhibit becomes pages.
#[derive(Clone, Debug)]
pub enum Body {
    /// The source PDF's own pages.
    Pdf,
    /// A .docx as LibreOffice laid it out (the PDF it made).
    Converted(std::sync::Arc<Vec<u8>>),
    /// Text casebinder lays out (emails, text files, .docx, web pages): lines per page.
    Text(Vec<Vec<Line>>),
    /// A photo or scan: one page per picture.
    Image,
    /// A page that says why the document could not be included.
    Placeholder(String),
}

/// One exhibit and where it sits in the binder.
#[derive(Clone, Debug)]
pub struct Exhibit {
    pub label: String,
    pub doc_id: i64,
    pub sha256: String,
    pub locator: String,
    pub kind: String,
    pub date: Option<String>,
    pub title: String,
    pub author: Option<String>,
    pub status: String,
    pub body: Body,
    /// Pages of the exhibit itself (a tab page is extra).
    pub pages: u32,
    /// The email this attachment follows (an index into the exhibits).
    pub parent: Option<usize>,
    /// First given a label in this build (not in the previous one).
    pub new: bool,
    pub tab_page: Option<u32>,
    pub first_page: u32,
    pub last_page: u32,
    pub bates_start: u64,
    pub bates_end: u64,
}

impl Exhibit {
    /// "P-12 · 2023-10-03 · Prior written notice: OT increase refused"
    pub fn headline(&self) -> String {
        let kind = crate::classify::kinds::label(&self.kind);
        let date = self.date.as_deref().unwrap_or("undated");
        if self.title.is_empty() || self.title.eq_ignore_ascii_case(kind) {
            format!("{} · {date} · {kind}", self.label)
        } else {
            format!("{} · {date} · {kind}: {}", self.label, self.title)
        }
    }

    pub fn describe(&self) -> String {
        match &self.author {
            Some(a) if !a.is_empty() => format!("{}; {a}", self.title),
            _ => self.title.clone(),
        }
    }
}

/// A section of pages casebinder writes before the exhibits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Cover,
    Index,
    Chronology,
    Findings,
}

impl Section {
    pub fn title(self) -> &'static str {
        match self {
            Section::Cover => "Cover",
            Section::Index => "Exhibit index",
            Section::Chronology => "Chronology",
            Section::Findings => "Deadline findings",
        }
    }
}

/// A page of front matter: its lines, rules, and links to exhibits.
#[derive(Clone, Debug)]
pub struct FrontPage {
    pub section: Section,
    pub lines: Vec<Line>,
    /// (x1, y, x2, width, gray)
    pub rules: Vec<(f32, f32, f32, f32, f32)>,
    /// (rectangle [x0, y0, x1, y1], exhibit index)
    pub links: Vec<([f32; 4], usize)>,
}

/// A document that is not in the binder, and why.
#[derive(Clone, Debug, Serialize)]
pub struct LeftOut {
    pub locator: String,
    pub reason: String,
}
