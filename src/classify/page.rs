//! The document as a reader sees it: its lines, where they sit, which are page furniture, which
//! are headings, and which value belongs to which label.
//!
//! Every rule reads the document through this model, so that the same questions get the same
//! answers everywhere. With a layout (boxes from pdftotext or OCR) the answers come from
//! positions: a value is the cell to the right of its label or below it, a heading is larger or
//! centred, furniture repeats at the same place on every page. Without one (a .docx, an email,
//! plain text) the same questions are answered from the order of lines alone.

use std::collections::HashMap;

use super::dates::{DateOrder, Mention, find_dates};
use crate::layout::{PageLayout, Rect};

/// One non-empty cell of the document: a line, or a piece of a line between tabs (a table's
/// cells, as extraction found them). Rules call them lines.
#[derive(Debug, Clone)]
pub struct Line<'a> {
    /// The cell, trimmed.
    pub text: &'a str,
    /// 0-based page.
    pub page: usize,
    /// 0-based index of its line in its page's text (blank lines counted).
    pub idx: usize,
    /// 0-based position among the cells of its line.
    pub col: usize,
    /// How many cells its line has.
    pub cols: usize,
    pub rect: Option<Rect>,
    /// Repeated at the top or bottom of pages (a running header, a footer, a page number).
    pub furniture: bool,
    /// A blank line (or a clear vertical gap) comes before it.
    pub gap_before: bool,
}

/// A page: its size and the range of its lines in [`Doc::lines`].
#[derive(Debug, Clone)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub laid_out: bool,
    pub start: usize,
    pub end: usize,
}

/// The document's lines, pages and the measures rules compare against.
#[derive(Debug, Clone)]
pub struct Doc<'a> {
    pub lines: Vec<Line<'a>>,
    pub pages: Vec<Page>,
    /// The usual height of a body line (median over laid-out lines), 0 without a layout.
    pub body_height: f32,
    /// The dates in each line, read in the case's order (found once, used by every rule).
    pub dates: Vec<Vec<Mention>>,
    /// The lines that can be the document's heading (see [`Doc::heading_candidates`]).
    heads: Vec<usize>,
}

/// Words that end a field's label: "Date:", "Date of Meeting", "Signed".
fn looks_like_label(text: &str) -> bool {
    let t = text.trim_end();
    if t.is_empty() || t.len() > 80 {
        return false;
    }
    let words = t.split_whitespace().count();
    if words > 8 {
        return false;
    }
    let lower = t.to_lowercase();
    let has_digit = t.chars().any(|c| c.is_ascii_digit());
    t.ends_with(':')
        || (!has_digit
            && words <= 6
            && lower
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == "date" || w == "dated"))
        || (!has_digit
            && words <= 2
            && ["received", "signed", "issued", "sent", "filed"]
                .iter()
                .any(|w| lower.ends_with(w)))
        || lower.ends_with("date")
        || lower.ends_with("dated")
        || lower.ends_with("date signed")
        || lower.ends_with("signed")
        || lower.ends_with("(mm/dd/yy)")
        || lower.ends_with("(mm/dd/yyyy)")
}

/// Short text that can caption a value: a few words, not a sentence (dates are checked apart).
fn is_caption_words(text: &str) -> bool {
    let t = text.trim();
    let letters = t.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 2 && t.split_whitespace().count() <= 8 && !t.ends_with('.')
}

/// Digits folded, case folded, spaces folded: how a running header looks on every page.
fn furniture_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_hash = false;
    for c in text.chars() {
        if c.is_ascii_digit() {
            if !last_hash {
                out.push('#');
            }
            last_hash = true;
        } else if c.is_whitespace() {
            last_hash = false;
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            last_hash = false;
            out.extend(c.to_lowercase());
        }
    }
    out.trim().to_string()
}

/// "Page 2 of 7", "- 3 -", "3", "p. 4": a page number line.
pub fn is_page_number(text: &str) -> bool {
    let t = text.trim().to_lowercase();
    if t.is_empty() || t.len() > 40 {
        return false;
    }
    let stripped: String = t
        .chars()
        .filter(|c| !matches!(c, '-' | '–' | '—' | '|' | '.' | '(' | ')' | ' '))
        .collect();
    if !stripped.is_empty() && stripped.chars().all(|c| c.is_ascii_digit()) && stripped.len() <= 3 {
        return true;
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    matches!(words.as_slice(), ["page", n] | ["p", n] | ["pg", n] | ["page", n, "of", _] if n.chars().all(|c| c.is_ascii_digit()))
}

/// A Markdown heading without its marks ("## Notes" → "Notes"); any other line as it is.
fn markdown_heading(t: &str) -> &str {
    let rest = t.trim_start_matches('#');
    let marks = t.len() - rest.len();
    if (1..=6).contains(&marks) && rest.starts_with(' ') {
        rest.trim()
    } else {
        t
    }
}

impl<'a> Doc<'a> {
    /// Builds the model from page texts and, where known, their layouts (a layout is used only
    /// when it has exactly one box per non-empty line of its page).
    pub fn new(pages: &'a [String], layout: &[Option<PageLayout>], order: DateOrder) -> Doc<'a> {
        let mut lines = Vec::new();
        let mut out_pages = Vec::new();
        for (p, text) in pages.iter().enumerate() {
            let start = lines.len();
            let nonempty: usize = text
                .lines()
                .map(|l| l.split('\t').filter(|c| !c.trim().is_empty()).count())
                .sum();
            let lay = layout
                .get(p)
                .and_then(Option::as_ref)
                .filter(|l| l.lines.len() == nonempty && nonempty > 0);
            let mut k = 0;
            let mut gap = false;
            for (idx, raw) in text.lines().enumerate() {
                let cells: Vec<&str> = raw.split('\t').map(str::trim).filter(|c| !c.is_empty()).collect();
                if cells.is_empty() {
                    gap = true;
                    continue;
                }
                let cols = cells.len();
                for (col, t) in cells.into_iter().enumerate() {
                    // A Markdown heading's marks ("## Timeline of Events") are not its words.
                    let t = markdown_heading(t);
                    let rect = lay.map(|l| l.lines[k]);
                    k += 1;
                    lines.push(Line {
                        text: t,
                        page: p,
                        idx,
                        col,
                        cols,
                        rect,
                        furniture: false,
                        gap_before: gap && col == 0,
                    });
                }
                gap = false;
            }
            out_pages.push(Page {
                width: lay.map_or(0.0, |l| l.width),
                height: lay.map_or(0.0, |l| l.height),
                laid_out: lay.is_some(),
                start,
                end: lines.len(),
            });
        }
        let mut heights: Vec<f32> = lines
            .iter()
            .filter_map(|l| l.rect.map(|r| r.height()))
            .filter(|h| *h > 0.0)
            .collect();
        heights.sort_by(f32::total_cmp);
        let body_height = heights.get(heights.len() / 2).copied().unwrap_or(0.0);
        let dates = lines.iter().map(|l| find_dates(l.text, order)).collect();
        let mut doc = Doc {
            lines,
            pages: out_pages,
            body_height,
            dates,
            heads: Vec::new(),
        };
        doc.mark_gaps();
        doc.mark_furniture();
        doc.heads = doc.find_heading_candidates();
        doc
    }

    /// The line starts with a date followed by words: an entry of a dated list.
    pub fn starts_with_date(&self, i: usize) -> bool {
        let t = self.lines[i].text;
        self.dates[i]
            .first()
            .is_some_and(|m| m.start <= 2 && t[m.end..].chars().filter(|c| c.is_alphabetic()).count() >= 3)
    }

    /// Short text that can caption a value beside it: a few words, no date, not a sentence.
    pub fn is_caption(&self, i: usize) -> bool {
        self.dates[i].is_empty() && is_caption_words(self.lines[i].text)
    }

    /// With a layout, a vertical gap of more than a line and a half also separates paragraphs.
    fn mark_gaps(&mut self) {
        for i in 1..self.lines.len() {
            let (a, b) = (&self.lines[i - 1], &self.lines[i]);
            if a.page != b.page {
                continue;
            }
            if let (Some(ra), Some(rb)) = (a.rect, b.rect) {
                let h = ra.height().max(rb.height()).max(1.0);
                if rb.y0 - ra.y1 > 1.5 * h {
                    self.lines[i].gap_before = true;
                }
            }
        }
    }

    /// Running headers and footers: lines near the top or bottom of a page that repeat (digits
    /// aside) on other pages, and page numbers.
    fn mark_furniture(&mut self) {
        let edge = |doc: &Doc<'_>, i: usize| -> bool {
            let l = &doc.lines[i];
            let page = &doc.pages[l.page];
            match l.rect {
                Some(r) if page.height > 0.0 => r.y1 < page.height * 0.12 || r.y0 > page.height * 0.88,
                _ => {
                    // Without positions: the first or last two lines of the page.
                    let pos = i - page.start;
                    pos < 2 || page.end - i <= 2
                }
            }
        };
        let mut seen: HashMap<String, Vec<usize>, foldhash::fast::FixedState> = HashMap::default();
        for i in 0..self.lines.len() {
            if edge(self, i) {
                seen.entry(furniture_key(self.lines[i].text))
                    .or_default()
                    .push(self.lines[i].page);
            }
        }
        let pages_with = |key: &str| -> usize {
            let mut p = seen.get(key).cloned().unwrap_or_default();
            p.dedup();
            p.len()
        };
        for i in 0..self.lines.len() {
            if !edge(self, i) {
                continue;
            }
            let text = self.lines[i].text;
            if is_page_number(text) || (self.pages.len() >= 2 && pages_with(&furniture_key(text)) >= 2) {
                self.lines[i].furniture = true;
            }
        }
    }

    /// Lines of page `p` (0-based).
    pub fn page_lines(&self, p: usize) -> &[Line<'a>] {
        self.pages
            .get(p)
            .map_or(&[][..], |pg| &self.lines[pg.start..pg.end])
    }

    /// How much larger than body text a line is (1.0 when unknown).
    pub fn size_ratio(&self, i: usize) -> f32 {
        match self.lines[i].rect {
            Some(r) if self.body_height > 0.0 => r.height() / self.body_height,
            _ => 1.0,
        }
    }

    /// Centred on its page (a form's title usually is).
    pub fn is_centered(&self, i: usize) -> bool {
        let l = &self.lines[i];
        match (l.rect, self.pages.get(l.page)) {
            (Some(r), Some(p)) if p.width > 0.0 => {
                let off = (r.center_x() - p.width / 2.0).abs();
                off < p.width * 0.06 && r.width() < p.width * 0.8
            }
            _ => false,
        }
    }

    /// Where on its page a line sits, from 0 (top) to 1 (bottom); by line order without a layout.
    pub fn vertical_place(&self, i: usize) -> f32 {
        let l = &self.lines[i];
        let page = &self.pages[l.page];
        match l.rect {
            Some(r) if page.height > 0.0 => r.y0 / page.height,
            _ => {
                let n = (page.end - page.start).max(1) as f32;
                (i - page.start) as f32 / n
            }
        }
    }

    /// The line that holds the value of the label on line `i`: with a layout, the nearest line to
    /// its right on the same row, else the nearest line just below and overlapping it; without,
    /// the next line (or the matching line of a column of values, see [`Doc::column_value`]).
    pub fn value_for(&self, i: usize) -> Option<usize> {
        let l = &self.lines[i];
        let page = &self.pages[l.page];
        if let Some(r) = l.rect {
            let h = r.height().max(1.0);
            let mut right: Option<(f32, usize)> = None;
            let mut below: Option<(f32, usize)> = None;
            for j in page.start..page.end {
                if j == i {
                    continue;
                }
                let Some(o) = self.lines[j].rect else { continue };
                let same_row = (o.center_y() - r.center_y()).abs() < h * 0.6;
                if same_row && o.x0 >= r.x1 - 2.0 {
                    let dx = o.x0 - r.x1;
                    if dx < page.width.max(600.0) * 0.5 && right.is_none_or(|(d, _)| dx < d) {
                        right = Some((dx, j));
                    }
                }
                let overlap = o.x0.max(r.x0) < o.x1.min(r.x1) + 4.0;
                if overlap && o.y0 >= r.y1 - h * 0.3 {
                    let dy = o.y0 - r.y1;
                    if dy < h * 2.5 && below.is_none_or(|(d, _)| dy < d) {
                        below = Some((dy, j));
                    }
                }
            }
            return right.or(below).map(|(_, j)| j);
        }
        if let Some(j) = self.column_value(i) {
            return Some(j);
        }
        let next = i + 1;
        if l.col + 1 < l.cols {
            return Some(next);
        }
        (next < page.end && !self.lines[next].furniture).then_some(next)
    }

    /// The label of a value on line `i`, read the other way: the line to its left on the same row,
    /// else just above it (a filled-in form), else (without a layout) the line before it when that
    /// line is a label. Only lines that read as labels are returned.
    pub fn label_for(&self, i: usize) -> Option<usize> {
        let l = &self.lines[i];
        let page = &self.pages[l.page];
        if let Some(r) = l.rect {
            let h = r.height().max(1.0);
            let mut left: Option<(f32, usize)> = None;
            let mut above: Option<(f32, usize)> = None;
            for j in page.start..page.end {
                if j == i {
                    continue;
                }
                let Some(o) = self.lines[j].rect else { continue };
                let same_row = (o.center_y() - r.center_y()).abs() < h * 0.6;
                if same_row && o.x1 <= r.x0 + 2.0 {
                    let dx = r.x0 - o.x1;
                    if dx < page.width.max(600.0) * 0.5 && left.is_none_or(|(d, _)| dx < d) {
                        left = Some((dx, j));
                    }
                }
                let overlap = o.x0.max(r.x0) < o.x1.min(r.x1) + 4.0;
                if overlap && o.y1 <= r.y0 + h * 0.3 {
                    let dy = r.y0 - o.y1;
                    if dy < h * 2.5 && above.is_none_or(|(d, _)| dy < d) {
                        above = Some((dy, j));
                    }
                }
            }
            // The cell just left of a value in its row is its caption, whatever its words.
            if let Some((_, j)) = left
                && self.is_caption(j)
            {
                return Some(j);
            }
            // Above it: a caption that reads as a label, or a header box's small caption.
            if let Some((_, j)) = above {
                let t = self.lines[j].text;
                let smaller = self.lines[j].rect.is_some_and(|o| o.height() < r.height() * 0.85);
                let caps = t.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
                if looks_like_label(t)
                    || (self.is_caption(j) && t.split_whitespace().count() <= 5 && (smaller || caps))
                {
                    return Some(j);
                }
            }
            return self.label_under(i);
        }
        if l.col > 0 && self.is_caption(i - 1) {
            return Some(i - 1);
        }
        // A header row above a row of values with as many cells: the header of the same column.
        if l.col < l.cols && l.cols >= 2 {
            let row_start = i - l.col;
            if row_start > page.start {
                let above_last = row_start - 1;
                let above = &self.lines[above_last];
                if above.cols == l.cols && above.idx + 1 >= l.idx {
                    let j = above_last + 1 - above.cols + l.col;
                    let t = self.lines[j].text;
                    if looks_like_label(t)
                        || (t.split_whitespace().count() <= 5
                            && super::dates::find_dates(t, super::dates::DateOrder::MonthFirst).is_empty())
                    {
                        return Some(j);
                    }
                }
            }
        }
        if let Some(j) = self.column_label(i) {
            return Some(j);
        }
        (i > page.start && l.col == 0 && looks_like_label(self.lines[i - 1].text)).then(|| i - 1)
    }

    /// A label printed under its value (a signature line: the date above, "Date" below).
    pub fn label_under(&self, i: usize) -> Option<usize> {
        let l = &self.lines[i];
        let page = &self.pages[l.page];
        let r = l.rect?;
        let h = r.height().max(1.0);
        (page.start..page.end)
            .filter(|&j| j != i)
            .filter_map(|j| self.lines[j].rect.map(|o| (j, o)))
            .filter(|(_, o)| {
                o.x0.max(r.x0) < o.x1.min(r.x1) + 4.0 && o.y0 >= r.y1 - h * 0.3 && o.y0 - r.y1 < h * 1.5
            })
            .filter(|(j, _)| {
                let t = self.lines[*j].text.to_lowercase();
                t.split_whitespace().count() <= 4 && (t.contains("date") || t.contains("signature"))
            })
            .min_by(|a, b| a.1.y0.total_cmp(&b.1.y0))
            .map(|(j, _)| j)
    }

    /// Without a layout, a table read column by column puts its labels in one run of lines and
    /// its values in the next ("Student:", "DOB:", "Meeting Date:", then "Ana", "5/12/2014",
    /// "10/4/2022"). The value of the k-th label is the k-th line of the run that follows.
    fn column_value(&self, i: usize) -> Option<usize> {
        let page = &self.pages[self.lines[i].page];
        let is_label = |j: usize| {
            let t = self.lines[j].text;
            t.ends_with(':') && t.split_whitespace().count() <= 6
        };
        if !is_label(i) {
            return None;
        }
        let mut start = i;
        while start > page.start && is_label(start - 1) {
            start -= 1;
        }
        let mut end = i + 1;
        while end < page.end && is_label(end) {
            end += 1;
        }
        let n = end - start;
        if n < 2 || end + n > page.end {
            return None;
        }
        // The values: the next n lines, none of them a label.
        if (end..end + n).any(is_label) {
            return None;
        }
        Some(end + (i - start))
    }

    fn column_label(&self, i: usize) -> Option<usize> {
        let page = &self.pages[self.lines[i].page];
        let is_label = |j: usize| {
            let t = self.lines[j].text;
            t.ends_with(':') && t.split_whitespace().count() <= 6
        };
        if is_label(i) {
            return None;
        }
        // Walk back over values to the run of labels before them.
        let mut v_start = i;
        while v_start > page.start && !is_label(v_start - 1) {
            v_start -= 1;
            if i - v_start > 12 {
                return None;
            }
        }
        let mut l_start = v_start;
        while l_start > page.start && is_label(l_start - 1) {
            l_start -= 1;
        }
        let n = v_start - l_start;
        let k = i - v_start;
        (n >= 2 && k < n && self.column_value(l_start + k) == Some(i)).then_some(l_start + k)
    }
}

/// A line of an address, a phone number, an email or web address: letterhead, never a title.
pub fn is_contact_line(text: &str) -> bool {
    let t = text.to_lowercase();
    let digits = t.chars().filter(char::is_ascii_digit).count();
    let has_phone = {
        let b = t.as_bytes();
        let mut run = 0;
        let mut found = false;
        for &c in b {
            if c.is_ascii_digit() {
                run += 1;
            } else if matches!(c, b'-' | b'.' | b'(' | b')' | b' ') {
                // separators inside a phone number
            } else {
                if run >= 10 {
                    found = true;
                }
                run = 0;
            }
        }
        found || run >= 10
    };
    let zip = t
        .split(|c: char| !c.is_ascii_alphanumeric())
        .collect::<Vec<_>>()
        .windows(2)
        .any(|w| {
            w[0].len() == 2
                && w[0].chars().all(|c| c.is_ascii_alphabetic())
                && w[1].len() == 5
                && w[1].chars().all(|c| c.is_ascii_digit())
        });
    // A house number first (cheap), then a street word.
    let street = t
        .split_whitespace()
        .next()
        .is_some_and(|f| f.chars().all(|c| c.is_ascii_digit()))
        && t.split(|c: char| !c.is_alphanumeric())
            .any(|tok| STREET_WORDS.contains(&tok));
    has_phone
        || zip
        || street
        || t.contains('@')
        || t.contains("www.")
        || t.contains("http")
        || [".org", ".com", ".edu", ".gov", ".net", ".us"]
            .iter()
            .any(|d| t.contains(d))
        || (["phone", "tel", "fax", "ph:", "cell"]
            .iter()
            .any(|p| t.starts_with(p))
            && digits >= 7
            && t.split_whitespace().count() <= 6)
        || t.contains(" | ") && digits >= 3
        || t.starts_with("p.o. box")
        || t.starts_with("po box")
}

const STREET_WORDS: &[&str] = &[
    "street",
    "st",
    "road",
    "rd",
    "avenue",
    "ave",
    "blvd",
    "boulevard",
    "drive",
    "dr",
    "lane",
    "ln",
    "way",
    "court",
    "ct",
    "place",
    "pl",
    "suite",
    "highway",
    "hwy",
    "parkway",
    "pkwy",
    "circle",
    "cir",
];

/// Words of an organisation's name (a district, a school, an office, a clinic): letterhead when
/// they stand alone at the top.
pub const ORG_WORDS: &[&str] = &[
    "school district",
    "public schools",
    "unified",
    "independent school district",
    "county schools",
    "city schools",
    "elementary",
    "middle school",
    "high school",
    "academy",
    "department of",
    "office of",
    "division of",
    "board of education",
    "county office of education",
    "special education department",
    "special education services",
    "student services",
    "pupil services",
    "selpa",
    "intermediate unit",
    "cooperative",
    "clinic",
    "associates",
    "llc",
    "pllc",
    "p.c.",
    "inc.",
    "hospital",
    "medical center",
    "pediatrics",
    "state of",
    "commonwealth of",
    "district of columbia",
    "superintendent",
    "law office",
    "law offices",
    "attorneys",
];

impl Doc<'_> {
    /// Lines at the top of page 1 that can be the document's own heading, in order: short, not a
    /// sentence, not an address or phone line, not a bullet or list item, not "label: value",
    /// not page furniture. The scan stops at a letter's salutation and at running text.
    pub fn heading_candidates(&self) -> &[usize] {
        &self.heads
    }

    fn find_heading_candidates(&self) -> Vec<usize> {
        let mut out = Vec::new();
        let Some(page) = self.pages.first() else {
            return out;
        };
        let mut prose = 0;
        // A document-sharing site's page opens with its own title, the uploader and a count of
        // views ("… by np6KJuHl / VIEWS: 5 PAGES: 8"), and may repeat the title: none of it is
        // the paper's heading.
        let host: Vec<&str> = (page.start..page.end.min(page.start + 6))
            .find(|&i| views_stamp(self.lines[i].text))
            .map(|v| (page.start..=v).map(|i| self.lines[i].text.trim()).collect())
            .unwrap_or_default();
        for i in page.start..page.end.min(page.start + 40) {
            let l = &self.lines[i];
            let t = l.text;
            if host.contains(&t.trim()) {
                continue;
            }
            let lower = t.to_lowercase();
            if lower.starts_with("dear ") || lower.starts_with("to whom it may concern") {
                break;
            }
            if let (Some(r), true) = (l.rect, page.height > 0.0)
                && r.y0 > page.height * 0.55
            {
                break;
            }
            let words = t.split_whitespace().count();
            let long_title = words <= 24 && !t.ends_with('.') && !t.ends_with(',') && title_cased(t);
            // A sentence with its full stop left off ("Make sure that you or your child asks
            // for any homework they might miss"): long, not title-cased, with a pronoun.
            let sentence = words >= 9
                && !title_cased(t)
                && t.split(|c: char| !c.is_alphanumeric()).any(|w| {
                    matches!(
                        w.to_ascii_lowercase().as_str(),
                        "you" | "they" | "we" | "he" | "she" | "it" | "i"
                    )
                });
            if (words > 14 && !long_title)
                || (words > 8 && (t.ends_with('.') || t.ends_with(',')))
                || sentence
            {
                prose += 1;
                if prose >= 3 && !out.is_empty() {
                    break;
                }
                continue;
            }
            // An item of a list whose bullet stands on the line above ("-" / "classroom work
            // samples") is one of the list's items, never the paper's title.
            let bulleted = i > page.start
                && matches!(
                    self.lines[i - 1].text.trim(),
                    "-" | "•" | "*" | "–" | "o" | "·" | "▪"
                );
            if l.furniture || self.starts_with_date(i) || is_heading_noise(t) || option_row(t) || bulleted {
                continue;
            }
            out.push(i);
        }
        out
    }
}

/// A row of a form's options, not a title: four or more choices side by side, split by slashes
/// or check boxes ("Review or Revise IEP / Conduct Annual Review / Transition Planning /
/// Manifestation Determination / Other(specify)").
fn option_row(t: &str) -> bool {
    let boxes = t
        .matches(['\u{2610}', '\u{25a1}', '\u{2612}', '\u{2611}'])
        .count()
        + t.matches("[ ]").count();
    t.matches(" / ").count() >= 3 || boxes >= 3
}

/// A document-sharing site's count of views ("VIEWS: 5 PAGES: 8", "9 views 0", "1,204 views").
fn views_stamp(t: &str) -> bool {
    let lower = t.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != ',')
        .filter(|w| !w.is_empty())
        .collect();
    words.len() <= 8
        && words.contains(&"views")
        && words
            .iter()
            .any(|w| w.chars().all(|c| c.is_ascii_digit() || c == ','))
}

/// Most words capitalised ("Whose IDEA Is This? A Parent's Guide to the Individuals with
/// Disabilities Education Act"): a long title, not a sentence.
fn title_cased(t: &str) -> bool {
    const SMALL: &[&str] = &[
        "of", "and", "or", "for", "to", "the", "a", "an", "in", "on", "by", "at", "with", "under", "from",
        "as",
    ];
    let words: Vec<&str> = t
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    let counted: Vec<&&str> = words
        .iter()
        .filter(|w| !SMALL.contains(&w.to_lowercase().as_str()))
        .collect();
    let caps = counted
        .iter()
        .filter(|w| {
            w.chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(char::is_uppercase)
        })
        .count();
    !counted.is_empty() && caps * 10 >= counted.len() * 8
}

/// Places in a line where a word runs into the next one with no space ("EvaluationReevaluation"):
/// a lowercase run of three letters or more, then a capital (so "McKinney" and "SpEd" are none).
fn glued_words(t: &str) -> usize {
    let mut joins = 0;
    let mut lower_run = 0;
    for c in t.chars() {
        if c.is_lowercase() {
            lower_run += 1;
        } else {
            if c.is_uppercase() && lower_run >= 3 {
                joins += 1;
            }
            lower_run = 0;
        }
    }
    joins
}

/// Bullets, list items, "label: value" lines, checkboxes and fill-in blanks: never a heading.
pub fn is_heading_noise(text: &str) -> bool {
    let t = text.trim().trim_matches(|c: char| c == '|' || c.is_whitespace());
    let lower = t.to_lowercase();
    let first = t.chars().next().unwrap_or(' ');
    if matches!(
        first,
        '•' | '·'
            | '*'
            | '-'
            | '–'
            | '▪'
            | '■'
            | '□'
            | '☐'
            | '☑'
            | '☒'
            | '○'
            | '●'
            | '>'
            | '['
            | '_'
    ) {
        return true;
    }
    // A row of check-box options whose boxes were lost with the spaces between them
    // ("Initial EvaluationReevaluationFunctional Behavioral AssessmentTransition").
    if glued_words(t) >= 2 {
        return true;
    }
    // "3. annual IEP", "a) ...", "(2) ...", "iv. ..."
    let head: String = t.chars().take_while(|c| !c.is_whitespace()).collect();
    let core = head.trim_start_matches('(').trim_end_matches(['.', ')', ':']);
    if head.len() > core.len()
        && !core.is_empty()
        && core.len() <= 3
        && (core.chars().all(|c| c.is_ascii_digit())
            || (core.len() == 1 && core.chars().all(|c| c.is_ascii_lowercase()))
            || core.chars().all(|c| matches!(c, 'i' | 'v' | 'x')))
        && t.split_whitespace().count() > 1
    {
        return true;
    }
    if [
        "re:",
        "re :",
        "subject:",
        "regarding:",
        "from:",
        "to:",
        "cc:",
        "date:",
        "sent:",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
    {
        return true;
    }
    // "Student: Maya Rivera", "Date of Birth: 05/12/2014": a field, not a title. A title in two
    // parts ("Section 504: Eligibility Determination", "PART XII: PRIOR WRITTEN NOTICE") is not.
    if let Some((label, value)) = t.split_once(':')
        && !value.trim().is_empty()
        && label.split_whitespace().count() <= 5
        && !two_part_title(label, value)
    {
        return true;
    }
    let letters = t.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 3 || t.chars().filter(|c| *c == '_').count() >= 3 {
        return true;
    }
    // A field's label with its blank after it ("Problem Behavior (As described in FBA):"); an
    // all-capital heading may end with a colon ("PRIOR WRITTEN NOTICE:").
    if t.trim_end().ends_with(':') && t.chars().any(char::is_lowercase) && t.split_whitespace().count() <= 8 {
        return true;
    }
    is_label_line(t) || is_form_code(t) || is_web_chrome(&lower) || is_contact_line(t)
}

/// What a web page or a document host prints around a saved page: navigation, download and
/// sharing buttons, page counters ("Skip to main content", "Download as pdf or txt", "You are
/// on page 1 of 5").
pub fn is_web_chrome(lower: &str) -> bool {
    const STARTS: &[&str] = &[
        "skip to",
        "skip navigation",
        "download as",
        "download pdf",
        "download now",
        "you are on page",
        "jump to",
        "toggle navigation",
        "main menu",
        "search this site",
        "share this",
        "print this",
        "print page",
        "embed size",
        "report this",
        "click here",
        "sign in",
        "log in",
        "home >",
        "home »",
        "home /",
        "back to",
        "uploaded by",
        "post on ",
        "views:",
        "related documents",
        "scroll to top",
        "menu",
    ];
    // A site builder's names for its widgets, read aloud to screen readers ("Utility Container",
    // "Mobile Menu Trigger (container)", "Off Canvas Navigation Container"), and breadcrumbs
    // whose separators are icons ("Home Arrow Icon Laws & Regulations Arrow Icon …").
    let widget = lower.split_whitespace().count() <= 6
        && (lower.ends_with(" container") || lower.ends_with("(container)") || lower.ends_with(" trigger"));
    STARTS.iter().any(|p| lower.starts_with(p))
        || lower == "home"
        || lower == "search"
        || lower == "print"
        || widget
        || (lower.starts_with("home ") && lower.contains(" arrow icon "))
}

/// Words of a form's fields: the labels printed beside or above the blanks a form asks to fill.
const FIELD_WORDS: &[&str] = &[
    "student",
    "students",
    "name",
    "names",
    "date",
    "dates",
    "dob",
    "birth",
    "birthdate",
    "grade",
    "school",
    "teacher",
    "complete",
    "session",
    "id",
    "number",
    "no",
    "parent",
    "parents",
    "guardian",
    "guardians",
    "address",
    "phone",
    "telephone",
    "city",
    "state",
    "zip",
    "age",
    "district",
    "county",
    "case",
    "manager",
    "sex",
    "gender",
    "language",
    "home",
    "time",
    "location",
    "place",
    "of",
    "and",
    "or",
    "the",
    "s",
    "email",
    "e-mail",
    "signature",
    "title",
    "position",
    "building",
    "campus",
    "attending",
    "resident",
    "lea",
    "sasid",
    "lasid",
    "ssid",
    "suid",
    "osis",
    "child",
    "childs",
    "pupil",
    "ssn",
    "eis",
    "wveis",
    "local",
    "primary",
    "ethnicity",
    "race",
    "initial",
    "full",
    "first",
    "last",
    "middle",
    "mi",
    "contact",
    "person",
    "cell",
    "work",
    "to",
    "from",
    "cc",
    "re",
    "subject",
    "attn",
    "attention",
    "regarding",
    "via",
    "copy",
    "file",
    "program",
    "meeting",
    "team",
    "chair",
    "year",
    "current",
    "by",
    "for",
    "dear",
    "adult",
    "surrogate",
    "legal",
    "mother",
    "father",
];

/// A line made only of field labels ("Student Name", "Date", "Name: DOB: Grade:"): the top of a
/// form, never its title.
pub fn is_label_line(text: &str) -> bool {
    let words: Vec<String> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    !words.is_empty()
        && words.len() <= 12
        && words
            .iter()
            .all(|w| FIELD_WORDS.contains(&w.as_str()) || w.chars().all(|c| c.is_ascii_digit()))
        && words.iter().any(|w| {
            matches!(
                w.as_str(),
                "name"
                    | "date"
                    | "dob"
                    | "birth"
                    | "grade"
                    | "school"
                    | "id"
                    | "number"
                    | "address"
                    | "phone"
                    | "age"
                    | "district"
                    | "student"
                    | "child"
                    | "pupil"
                    | "teacher"
                    | "parent"
                    | "guardian"
                    | "birthdate"
            )
        })
}

/// A form's code or revision mark standing alone ("SpEd 7b 09.14", "PR-01", "Form 9", "ISBE
/// 34-57A (3/08)", "XED0168 Rev 9/02", "Page 1 of 3"): never its title.
pub fn is_form_code(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() || words.len() > 5 {
        return false;
    }
    let coded = |w: &str| {
        let w = w.trim_matches(|c: char| matches!(c, '(' | ')' | '[' | ']' | ',' | ';' | '#'));
        w.chars().any(|c| c.is_ascii_digit())
    };
    let plain = |w: &str| {
        let l = w.to_lowercase();
        let l = l.trim_matches(|c: char| !c.is_alphanumeric());
        matches!(
            l,
            "form"
                | "rev"
                | "revised"
                | "revision"
                | "page"
                | "of"
                | "p"
                | "pg"
                | "no"
                | "sped"
                | "sp"
                | "ed"
                | "se"
                | "ese"
                | "isbe"
                | "dec"
                | "ver"
                | "version"
                | "updated"
                | "eff"
                | "effective"
                | "code"
                | "doc"
                | "document"
                | "appendix"
                | "exhibit"
                | "attachment"
                | "fm"
        ) || l.len() <= 2
    };
    words.iter().any(|w| coded(w)) && words.iter().all(|w| coded(w) || plain(w))
}

/// "Section 504: Eligibility Determination", "PART XII: PRIOR WRITTEN NOTICE", "Offer of FAPE:
/// Services": both sides of the colon read as a title's words, neither as a field and its value.
fn two_part_title(label: &str, value: &str) -> bool {
    let v = value.trim();
    let field_label = is_label_line(label)
        || label
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .all(|w| FIELD_WORDS.contains(&w.to_lowercase().as_str()));
    let value_like = v.chars().any(|c| c.is_ascii_digit())
        || v.contains("__")
        || v.contains(',')
        || v.split_whitespace().count() > 10
        || v.ends_with('.');
    if field_label || value_like {
        return false;
    }
    // The value side starts with a capital (a title's next words), as does the label side.
    let caps = |s: &str| {
        s.trim()
            .chars()
            .find(|c| c.is_alphabetic())
            .is_some_and(char::is_uppercase)
    };
    caps(label) && caps(v)
}

/// A line that is only an organisation's name (letterhead), or contact details.
pub fn is_letterhead_line(text: &str) -> bool {
    if is_contact_line(text) {
        return true;
    }
    let lower = text.to_lowercase();
    // "Avon Local Schools", "Lincoln Elementary School", "Harbor School District": a name that
    // ends in what it is.
    let words: Vec<&str> = lower.split_whitespace().collect();
    if (2..=6).contains(&words.len())
        && matches!(
            words
                .last()
                .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric())),
            Some(
                "schools" | "school" | "district" | "academy" | "institute" | "clinic" | "center" | "centre"
            )
        )
    {
        return true;
    }
    ORG_WORDS.iter().any(|w| lower.contains(w)) && text.split_whitespace().count() <= 12
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(x0: f32, y0: f32, x1: f32, y1: f32) -> Rect {
        Rect { x0, y0, x1, y1 }
    }

    #[test]
    fn a_value_in_the_next_cell_or_below_pairs_with_its_label() {
        // Two cells on one row come out of pdftotext as separate lines, with other cells between.
        let pages = vec!["Date of IEP Meeting:\nStudent:\nMaya Rivera\n10/04/2022".to_string()];
        let layout = vec![Some(PageLayout {
            width: 612.0,
            height: 792.0,
            lines: vec![
                rect(72.0, 100.0, 180.0, 110.0),
                rect(72.0, 130.0, 120.0, 140.0),
                rect(200.0, 130.0, 280.0, 140.0),
                rect(200.0, 100.0, 250.0, 110.0),
            ],
        })];
        let doc = Doc::new(&pages, &layout, DateOrder::MonthFirst);
        assert_eq!(doc.value_for(0), Some(3));
        assert_eq!(doc.label_for(3), Some(0));
        assert_eq!(doc.value_for(1), Some(2));
    }

    #[test]
    fn a_column_of_labels_then_a_column_of_values_pairs_in_order_without_layout() {
        let pages = vec![
            "Student:\nDate of Birth:\nMeeting Date:\nMaya Rivera\n05/12/2014\n10/04/2022\nGoals".to_string(),
        ];
        let doc = Doc::new(&pages, &[], DateOrder::MonthFirst);
        assert_eq!(doc.value_for(2), Some(5));
        assert_eq!(doc.label_for(5), Some(2));
        assert_eq!(doc.label_for(4), Some(1));
    }

    #[test]
    fn cells_of_a_row_and_a_header_row_pair_without_layout() {
        let pages = vec!["Student:\tTheo\tDate of Meeting:\t02/03/2022\nStudent\tDOB\tMeeting Date\nTheo\t08/19/2013\t04/03/2023".to_string()];
        let doc = Doc::new(&pages, &[], DateOrder::MonthFirst);
        assert_eq!(doc.lines.len(), 10);
        assert_eq!(doc.label_for(3), Some(2));
        assert_eq!(doc.value_for(2), Some(3));
        assert_eq!(doc.lines[9].text, "04/03/2023");
        assert_eq!(doc.label_for(9), Some(6));
    }

    #[test]
    fn running_headers_and_page_numbers_are_furniture() {
        let pages = vec![
            "Lakeside USD IEP printed 10/05/2023\nIndividualized Education Program\nbody\nmore\nPage 1 of 2"
                .to_string(),
            "Lakeside USD IEP printed 10/05/2023\nGoals\nbody\nmore\nPage 2 of 2".to_string(),
        ];
        let doc = Doc::new(&pages, &[], DateOrder::MonthFirst);
        assert!(doc.lines[0].furniture);
        assert!(!doc.lines[1].furniture);
        assert!(doc.lines[4].furniture);
        assert!(is_page_number("- 3 -"));
        assert!(!is_page_number("2023"));
    }

    #[test]
    fn a_layout_that_does_not_match_the_text_is_ignored() {
        let pages = vec!["one\ntwo".to_string()];
        let layout = vec![Some(PageLayout {
            width: 612.0,
            height: 792.0,
            lines: vec![rect(0.0, 0.0, 1.0, 1.0)],
        })];
        let doc = Doc::new(&pages, &layout, DateOrder::MonthFirst);
        assert!(doc.lines.iter().all(|l| l.rect.is_none()));
    }
}
