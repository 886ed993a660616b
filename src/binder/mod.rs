//! The evidence binder: which documents become exhibits, in what order, under which labels and
//! Bates numbers, and the one PDF (with its index and manifest) that carries them.
//!
//! The I/O sits at the edges so the rules in the middle can be tested alone:
//! - [`request`] turns the typed choices and the case's facts into [`Settings`] (purpose
//!   defaults, the one-year window, the disclosure date, the Bates prefix);
//! - [`load`] is the only part that touches the catalog, the disk, LibreOffice and fonts: it
//!   gathers a [`load::Selection`];
//! - [`plan`] is pure (`selection + settings → Plan`): it selects, orders, labels and paginates,
//!   so `--dry-run` and `--diff` are exact;
//! - [`build`] writes the plan to any `io::Write` in one streaming pass, and [`outputs`] makes the
//!   index and manifest; [`make`] runs the whole job and writes the files;
//! - [`diff`] and [`verify`] return data; commands print it (or print it as JSON);
//! - [`bates`] is the case's Bates registry (kept in the catalog): every number ever given, so a
//!   number names one page in every binder, whatever its name.

pub use crate::catalog::bates;

/// The folder binders go to by default.
pub const BINDERS_DIR: &str = "Binders";

/// Where a binder named `name` goes when no `--out` is given.
pub fn default_target(root: &std::path::Path, name: &str) -> std::path::PathBuf {
    root.join(BINDERS_DIR).join(format!("{name}.pdf"))
}

pub mod build;
pub mod convert;
pub mod diff;
pub mod font;
pub mod front;
pub mod image;
pub mod labels;
pub mod layout;
pub mod load;
pub mod make;
pub mod outputs;
pub mod pdfout;
pub mod plan;
pub mod request;
pub mod select;
pub mod source;
pub mod verify;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::catalog::DocRow;
use crate::checks::Finding;
use crate::checks::days::{Calendar, DayType};
use crate::timeline::Event;
use font::Fonts;
use labels::Style;
use layout::{Line, Paper};

/// The highest first Bates number a person may ask for: far above any real case, and far enough
/// below the counter's limit that adding a binder's pages can never wrap it around.
pub const MAX_BATES: u64 = 999_999_999_999;

/// What a binder is for; it sets which documents go in and the defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Purpose {
    /// A working binder: current IEPs, latest evaluations, progress reports, notices and letters.
    Mediation,
    /// The documents of the one-year filing window, with the deadline findings.
    StateComplaint,
    /// Every document as an exhibit, with tabs and Bates numbers.
    DueProcess,
}

impl Purpose {
    /// The name used on the command line and in file names: `due-process`.
    pub fn name(self) -> &'static str {
        match self {
            Purpose::Mediation => "mediation",
            Purpose::StateComplaint => "state-complaint",
            Purpose::DueProcess => "due-process",
        }
    }
}

/// The paper size of the pages casebinder draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PaperSize {
    Letter,
    A4,
}

/// How a .docx becomes pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DocxMode {
    /// As LibreOffice lays it out.
    LibreOffice,
    /// Its text, set by casebinder.
    Text,
}

/// Everything that decides the binder's bytes (the manifest records all of it).
#[derive(Clone, Debug, Serialize)]
pub struct Settings {
    /// The binder's name (the file stem); labels are kept per name.
    pub name: String,
    pub purpose: Purpose,
    /// The filters chosen, or empty for the purpose's default selection.
    pub query: String,
    pub labels: Style,
    pub bates_prefix: String,
    pub bates_digits: usize,
    pub bates_start: u64,
    pub paper: PaperSize,
    pub tabs: bool,
    pub chronology: bool,
    pub findings: bool,
    /// The picture of the case on a time axis as the first chronology pages.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub timeline_page: bool,
    pub date: NaiveDate,
    pub hearing_date: Option<NaiveDate>,
    pub prepared_by: Option<String>,
    pub case_title: String,
    pub student: Option<String>,
    pub district: Option<String>,
    pub state: Option<String>,
    /// How .docx files become pages.
    pub docx: DocxMode,
    /// Documents (by SHA-256) a family paper cites, kept in a mediation working set whatever
    /// their kind or age (the packet's concerns and missed deadlines).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cited: Vec<String>,
}

impl Settings {
    pub fn paper(&self) -> Paper {
        match self.paper {
            PaperSize::A4 => layout::A4,
            PaperSize::Letter => layout::LETTER,
        }
    }

    pub fn bates(&self, n: u64) -> String {
        format!("{}-{:0width$}", self.bates_prefix, n, width = self.bates_digits)
    }

    /// The one-year window a state complaint may reach back (34 CFR 300.153(c)), ending on the
    /// binder's date; none for other purposes. Both the documents and the findings use it.
    pub fn window(&self) -> Option<(NaiveDate, NaiveDate)> {
        (self.purpose == Purpose::StateComplaint).then(|| {
            let from = self.date.with_year(self.date.year() - 1).unwrap_or(self.date);
            (from, self.date)
        })
    }

    /// The last day to disclose exhibits: 5 business days before the hearing (34 CFR 300.512(b)).
    pub fn disclosure_deadline(&self) -> Option<NaiveDate> {
        self.hearing_date
            .map(|h| Calendar { breaks: Vec::new() }.add(h, -5, DayType::Business))
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
    /// How far down each source page its text reaches (share of the height), where known: a
    /// page whose text runs into the footer band is scaled to clear it.
    pub bottoms: Vec<Option<f32>>,
    /// Quarter turns clockwise the family asked for, after any the file itself records.
    pub turns: u32,
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
    /// Coloured shapes (the timeline picture), drawn under the lines.
    pub shapes: Vec<Shape>,
}

/// A coloured shape on a front page, in points from the bottom left; colours are RGB in 0..1.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// A filled rectangle.
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        rgb: [f32; 3],
    },
    /// A rectangle's outline, dashed or not.
    Frame {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        rgb: [f32; 3],
        dashed: bool,
    },
    /// A straight line, dashed or not.
    Stroke {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        rgb: [f32; 3],
        dashed: bool,
    },
}

/// One line of the chronology: a dated event and the exhibits that show it.
#[derive(Clone, Debug)]
pub struct ChronoEntry {
    pub date: NaiveDate,
    pub text: String,
    pub exhibits: Vec<usize>,
    pub verbal: bool,
}

/// The binder, page by page, before it is written.
pub struct Plan {
    pub settings: Settings,
    pub exhibits: Vec<Exhibit>,
    pub front: Vec<FrontPage>,
    pub left_out: Vec<LeftOut>,
    pub warnings: Vec<String>,
    pub total_pages: u32,
    pub chronology: Vec<ChronoEntry>,
    pub findings: Vec<Finding>,
    pub picture: Option<crate::picture::Picture>,
    pub disclosure_deadline: Option<NaiveDate>,
    pub fonts: Fonts,
    /// The highest Bates number this binder has ever given (this build included).
    pub bates_high_water: u64,
}

impl Plan {
    pub fn front_pages(&self) -> u32 {
        self.front.len() as u32
    }

    pub fn exhibit_pages(&self) -> u32 {
        self.exhibits.iter().map(|e| e.pages).sum()
    }

    pub fn tab_pages(&self) -> u32 {
        self.exhibits.iter().filter(|e| e.tab_page.is_some()).count() as u32
    }

    /// Exhibits that are placeholders (could not be included).
    pub fn placeholders(&self) -> Vec<&Exhibit> {
        self.exhibits
            .iter()
            .filter(|e| matches!(e.body, Body::Placeholder(_)))
            .collect()
    }
}

/// What a chosen document holds, as the loader found it.
#[derive(Clone, Debug)]
pub enum Content {
    /// A PDF with this many pages, and how far down each page its text reaches (a share of
    /// the page's height), where that is known.
    Pdf { pages: u32, bottoms: Vec<Option<f32>> },
    /// A picture (a multi-page TIFF has several pages).
    Image { pages: u32 },
    /// A .docx as LibreOffice laid it out.
    Converted { pdf: Arc<Vec<u8>>, pages: u32 },
    /// Text casebinder sets as pages (one string per source page).
    Text(Vec<String>),
    /// It cannot be included; the reason is printed on a placeholder page.
    Unreadable(String),
}

/// A chosen document and what it holds.
#[derive(Clone, Debug)]
pub struct Source {
    pub row: DocRow,
    pub content: Content,
    /// Quarter turns clockwise the family asked for (`set DOC --rotate`).
    pub turns: u32,
}

/// Everything the planner needs, read.
pub struct Selection {
    /// The chosen documents with what they hold, in catalog order.
    pub sources: Vec<Source>,
    pub left_out: Vec<LeftOut>,
    /// The case's whole story, for the chronology.
    pub events: Vec<Event>,
    /// The case's findings as of the binder's date (the planner keeps those the binder shows).
    pub findings: Vec<Finding>,
    /// The picture of the case for the timeline pages (when they are asked for).
    pub picture: Option<crate::picture::Picture>,
    /// Labels given by earlier builds of this binder (SHA-256 → label).
    pub kept: BTreeMap<String, String>,
    /// The Bates numbers the case has given (none: a case that never built a binder).
    pub previous: Option<Previous>,
    /// Numbers shown by binders already made that the registry did not hold yet (recorded with
    /// the build).
    pub bates_learnt: Vec<bates::Range>,
    pub fonts: Fonts,
    pub warnings: Vec<String>,
}

/// The Bates numbers the case has given, as the planner needs them: a page keeps the number it
/// was given under the binder's prefix, and a new page gets numbers after the highest ever given.
#[derive(Clone, Debug, Default)]
pub struct Previous {
    pub registry: bates::Registry,
    /// The binder's prefix.
    pub prefix: String,
    /// `--renumber`: no page keeps its numbers (new ones follow the highest ever given).
    pub renumber: bool,
}

impl Previous {
    /// Where an exhibit's numbers start, if this document with these pages has numbers in use.
    pub fn start_of(&self, sha256: &str, pages: u32) -> Option<u64> {
        if self.renumber {
            return None;
        }
        self.registry.start_of(&self.prefix, sha256, pages)
    }

    /// The first number in use for a document under the prefix, whatever its pages.
    pub fn first_number_of(&self, sha256: &str) -> Option<u64> {
        if self.renumber {
            return None;
        }
        self.registry.first_number_of(&self.prefix, sha256)
    }

    /// The highest number ever given under the prefix.
    pub fn high_water(&self) -> u64 {
        self.registry.high(&self.prefix)
    }
}

/// A document that is not in the binder, and why.
#[derive(Clone, Debug, Serialize)]
pub struct LeftOut {
    pub locator: String,
    pub reason: String,
}
