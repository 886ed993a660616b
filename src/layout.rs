//! Where each line of a page sits: the page's layout, kept beside its text.
//!
//! Reading order alone loses what a reader sees at a glance: that "Date of IEP Meeting:" sits in
//! one table cell and its date in the next, that a line is a heading because it is larger, that
//! the district's address is letterhead at the top of every page. Extraction keeps one box per
//! cell of text (poppler's `pdftotext -bbox`, tesseract's TSV for OCR): a line is cut into cells
//! where its words are far apart (table columns), the cells joined by tabs in the page's text.
//! The catalog stores the boxes compactly, and the classifier reads them.
//!
//! Coordinates are in the page's own units (points for PDFs, pixels for images), with the origin
//! at the top left and y growing downwards. Only relative positions and sizes are ever used.

/// A line's box: left, top, right, bottom.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl Rect {
    pub fn height(&self) -> f32 {
        (self.y1 - self.y0).max(0.0)
    }
    pub fn width(&self) -> f32 {
        (self.x1 - self.x0).max(0.0)
    }
    pub fn center_y(&self) -> f32 {
        (self.y0 + self.y1) / 2.0
    }
    pub fn center_x(&self) -> f32 {
        (self.x0 + self.x1) / 2.0
    }
}

/// The boxes of one page's cells: `lines[i]` is the box of the i-th non-empty cell of the page's
/// text, where a cell is a piece of a line between tabs (a line with no tab is one cell).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageLayout {
    pub width: f32,
    pub height: f32,
    pub lines: Vec<Rect>,
}

/// Format version of [`PageLayout::encode`].
const BLOB_VERSION: u8 = 1;

fn to_u16(v: f32) -> u16 {
    if v.is_finite() {
        v.round().clamp(0.0, 65535.0) as u16
    } else {
        0
    }
}

impl PageLayout {
    /// A compact blob for the catalog: a version byte, the page size, then four `u16` per line
    /// (whole units: a point is precise enough to tell rows, columns and sizes apart).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(5 + self.lines.len() * 8);
        out.push(BLOB_VERSION);
        out.extend_from_slice(&to_u16(self.width).to_le_bytes());
        out.extend_from_slice(&to_u16(self.height).to_le_bytes());
        for r in &self.lines {
            for v in [r.x0, r.y0, r.x1, r.y1] {
                out.extend_from_slice(&to_u16(v).to_le_bytes());
            }
        }
        out
    }

    /// Reads [`PageLayout::encode`]'s blob; anything else (another version, a torn blob) is none.
    pub fn decode(blob: &[u8]) -> Option<PageLayout> {
        let (&version, rest) = blob.split_first()?;
        if version != BLOB_VERSION || rest.len() < 4 || (rest.len() - 4) % 8 != 0 {
            return None;
        }
        let num = |i: usize| f32::from(u16::from_le_bytes([rest[i], rest[i + 1]]));
        let lines = (4..rest.len())
            .step_by(8)
            .map(|i| Rect {
                x0: num(i),
                y0: num(i + 2),
                x1: num(i + 4),
                y1: num(i + 6),
            })
            .collect();
        Some(PageLayout {
            width: num(0),
            height: num(2),
            lines,
        })
    }
}

/// Which program wrote a TSV: they share the columns but not the meaning of every level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TsvSource {
    /// `pdftotext -tsv`: level 3 is a flow (no blank line between flows, as in its plain text).
    Poppler,
    /// `tesseract … tsv`: level 2 is a block; a blank line separates blocks, as in its text.
    Tesseract,
}

/// A page read from a TSV: its text (one line per TSV line) and the box of each line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TsvPage {
    pub text: String,
    pub layout: PageLayout,
}

/// Parses the TSV that `pdftotext -tsv` and tesseract both write (`level page_num par_num
/// block_num line_num word_num left top width height conf text`) into pages of text with line
/// boxes. `scale` turns the TSV's units into the page's (72/dpi for OCR of a rendered page).
/// Malformed rows are skipped: the text that can be read is kept.
pub fn parse_tsv(tsv: &str, source: TsvSource, scale: f32) -> Vec<TsvPage> {
    let mut pages: Vec<TsvPage> = Vec::new();
    let mut words: Vec<(Rect, String)> = Vec::new();
    let mut block_seen = false;
    for row in tsv.lines() {
        let mut cols = row.splitn(12, '\t');
        let Some(level) = cols.next().and_then(|l| l.trim().parse::<u8>().ok()) else {
            continue; // the header, or a torn row
        };
        let rest: Vec<&str> = cols.collect();
        if rest.len() < 11 {
            continue;
        }
        let num = |i: usize| rest[i].trim().parse::<f32>().ok().filter(|v| v.is_finite());
        let (Some(left), Some(top), Some(width), Some(height)) = (num(5), num(6), num(7), num(8)) else {
            continue;
        };
        let rect = Rect {
            x0: left * scale,
            y0: top * scale,
            x1: (left + width) * scale,
            y1: (top + height) * scale,
        };
        let text = rest[10].trim();
        match level {
            1 => {
                close_line(&mut pages, &mut words);
                pages.push(TsvPage {
                    text: String::new(),
                    layout: PageLayout {
                        width: width * scale,
                        height: height * scale,
                        lines: Vec::new(),
                    },
                });
                block_seen = false;
            }
            2 if source == TsvSource::Tesseract => {
                close_line(&mut pages, &mut words);
                if block_seen
                    && let Some(page) = pages.last_mut()
                    && !page.text.is_empty()
                    && !page.text.ends_with("\n\n")
                {
                    page.text.push('\n');
                }
                block_seen = true;
            }
            3 | 4 => close_line(&mut pages, &mut words),
            5 if !text.is_empty() && !pages.is_empty() => words.push((rect, text.to_string())),
            _ => {}
        }
    }
    close_line(&mut pages, &mut words);
    for p in &mut pages {
        let trimmed = p.text.trim_end().len();
        p.text.truncate(trimmed);
    }
    pages
}

/// Parses the HTML that `pdftotext -bbox` writes: per page its size, then every word with its box,
/// in reading order. Lines are rebuilt from the words' places (a word lower down, or back to the
/// left, starts a new line) and cut into cells where words are far apart, as for a TSV.
pub fn parse_bbox(html: &str, scale: f32) -> Vec<TsvPage> {
    let mut pages: Vec<TsvPage> = Vec::new();
    let mut words: Vec<(Rect, String)> = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let Some(close) = rest.find('>') else { break };
        let tag = &rest[..close];
        rest = &rest[close + 1..];
        if let Some(attrs) = tag.strip_prefix("page ") {
            close_line(&mut pages, &mut words);
            pages.push(TsvPage {
                text: String::new(),
                layout: PageLayout {
                    width: attr(attrs, "width").unwrap_or(0.0) * scale,
                    height: attr(attrs, "height").unwrap_or(0.0) * scale,
                    lines: Vec::new(),
                },
            });
        } else if let Some(attrs) = tag.strip_prefix("word ") {
            let Some(end) = rest.find("</word>") else { break };
            let text = unescape(rest[..end].trim());
            rest = &rest[end + "</word>".len()..];
            let (Some(x0), Some(y0), Some(x1), Some(y1)) = (
                attr(attrs, "xMin"),
                attr(attrs, "yMin"),
                attr(attrs, "xMax"),
                attr(attrs, "yMax"),
            ) else {
                continue;
            };
            if text.is_empty() || pages.is_empty() {
                continue;
            }
            let r = Rect {
                x0: x0 * scale,
                y0: y0 * scale,
                x1: x1 * scale,
                y1: y1 * scale,
            };
            // A new line: the word sits lower or higher than the line's, or goes back left.
            if let (Some((first, _)), Some((last, _))) = (words.first(), words.last()) {
                let h = first.height().max(r.height()).max(1.0);
                let other_row = (r.center_y() - first.center_y()).abs() > h * 0.5;
                if other_row || r.x0 < last.x0 - 1.0 {
                    close_line(&mut pages, &mut words);
                }
            }
            words.push((r, text));
        }
    }
    close_line(&mut pages, &mut words);
    pages
}

/// A number attribute `name="…"` of a tag.
fn attr(attrs: &str, name: &str) -> Option<f32> {
    let at = attrs.find(&format!("{name}=\""))? + name.len() + 2;
    let end = attrs[at..].find('"')? + at;
    attrs[at..end].parse::<f32>().ok().filter(|v| v.is_finite())
}

/// Each page's words in the order `pdftotext -bbox` wrote them, joined by spaces: the text
/// without its layout, several times cheaper to read than [`parse_bbox`] (the binder's check
/// needs the words, not where they are).
pub fn page_words(html: &str) -> Vec<String> {
    let mut pages: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        if rest.starts_with("page ") {
            pages.push(String::new());
        } else if rest.starts_with("word ") {
            let Some(close) = rest.find('>') else { break };
            rest = &rest[close + 1..];
            let Some(end) = rest.find("</word>") else { break };
            if let Some(page) = pages.last_mut() {
                if !page.is_empty() {
                    page.push(' ');
                }
                page.push_str(&unescape(rest[..end].trim()));
            }
            rest = &rest[end + "</word>".len()..];
        }
    }
    pages
}

/// The entities poppler writes in a word (`&amp;` and its kin).
fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// A gap between two words wider than this many line heights starts a new cell (a table column).
const CELL_GAP: f32 = 0.9;

/// Ends the current line: its words become cells (split where the words are far apart), the
/// cells a line of the page's text joined by tabs, and each cell's box is kept.
fn close_line(pages: &mut [TsvPage], words: &mut Vec<(Rect, String)>) {
    let Some(page) = pages.last_mut() else {
        words.clear();
        return;
    };
    if words.is_empty() {
        return;
    }
    let mut cells: Vec<(Rect, String)> = Vec::new();
    for (r, w) in words.drain(..) {
        // A tab inside a word would break the cell structure: keep it a space.
        let w = w.replace('\t', " ");
        match cells.last_mut() {
            Some((cr, ct))
                if r.x0 - cr.x1 <= CELL_GAP * cr.height().max(r.height()).max(1.0) && r.x0 >= cr.x0 =>
            {
                ct.push(' ');
                ct.push_str(&w);
                cr.x1 = cr.x1.max(r.x1);
                cr.y0 = cr.y0.min(r.y0);
                cr.y1 = cr.y1.max(r.y1);
            }
            _ => cells.push((r, w)),
        }
    }
    if !page.text.is_empty() {
        page.text.push('\n');
    }
    let line: Vec<&str> = cells.iter().map(|(_, t)| t.as_str()).collect();
    page.text.push_str(&line.join("\t"));
    page.layout.lines.extend(cells.into_iter().map(|(r, _)| r));
}

#[cfg(test)]
mod tests {
    use super::*;

    const POPPLER: &str =
        "level\tpage_num\tpar_num\tblock_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext
1\t1\t0\t0\t0\t0\t0\t0\t612\t792\t-1\t###PAGE###
3\t1\t0\t0\t0\t0\t72\t76\t277\t12.6\t-1\t###FLOW###
4\t1\t0\t0\t0\t0\t72\t76\t277\t12.6\t-1\t###LINE###
5\t1\t0\t0\t0\t0\t72\t76\t45\t12.6\t100\tIEP
5\t1\t0\t0\t0\t1\t140\t76\t31\t12.6\t100\tMeeting
3\t1\t0\t1\t0\t0\t72\t105\t100\t10\t-1\t###FLOW###
4\t1\t0\t1\t0\t0\t72\t105\t100\t10\t-1\t###LINE###
5\t1\t0\t1\t0\t0\t72\t105\t100\t10\t100\t09/08/2025
1\t2\t0\t0\t0\t0\t0\t0\t612\t792\t-1\t###PAGE###
";

    #[test]
    fn poppler_tsv_gives_lines_and_boxes_per_page() {
        let pages = parse_tsv(POPPLER, TsvSource::Poppler, 1.0);
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[0].text, "IEP\tMeeting\n09/08/2025");
        assert_eq!(pages[0].layout.lines.len(), 3, "two cells, then a line");
        assert_eq!(pages[0].layout.lines[2].y0, 105.0);
        assert_eq!(pages[0].layout.width, 612.0);
        assert_eq!(pages[1].text, "");
    }

    #[test]
    fn tesseract_blocks_are_separated_by_a_blank_line_and_scaled() {
        let tsv =
            "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext
1\t1\t0\t0\t0\t0\t0\t0\t1700\t2200\t-1\t
2\t1\t1\t0\t0\t0\t200\t200\t400\t50\t-1\t
4\t1\t1\t1\t1\t0\t200\t200\t400\t50\t-1\t
5\t1\t1\t1\t1\t1\t200\t200\t100\t50\t96\tDear
5\t1\t1\t1\t1\t2\t320\t200\t100\t50\t95\t
2\t1\t2\t0\t0\t0\t200\t400\t400\t50\t-1\t
4\t1\t2\t1\t1\t0\t200\t400\t400\t50\t-1\t
5\t1\t2\t1\t1\t1\t200\t400\t100\t50\t91\tSincerely,
";
        let pages = parse_tsv(tsv, TsvSource::Tesseract, 0.5);
        assert_eq!(pages[0].text, "Dear\n\nSincerely,");
        assert_eq!(pages[0].layout.lines.len(), 2);
        assert_eq!(pages[0].layout.lines[0].x0, 100.0);
        assert_eq!(pages[0].layout.height, 1100.0);
    }

    #[test]
    fn poppler_bbox_words_make_lines_and_cells() {
        let html = r#"<doc>
  <page width="612.000000" height="792.000000">
    <word xMin="72.0" yMin="76.0" xMax="100.0" yMax="88.0">Date</word>
    <word xMin="103.0" yMin="76.0" xMax="115.0" yMax="88.0">of</word>
    <word xMin="118.0" yMin="76.0" xMax="160.0" yMax="88.0">Meeting:</word>
    <word xMin="300.0" yMin="76.5" xMax="360.0" yMax="88.0">09/08/2025</word>
    <word xMin="72.0" yMin="100.0" xMax="120.0" yMax="112.0">A&amp;B</word>
  </page>
  <page width="612.000000" height="792.000000">
  </page>
</doc>"#;
        let pages = parse_bbox(html, 1.0);
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[0].text, "Date of Meeting:\t09/08/2025\nA&B");
        assert_eq!(pages[0].layout.lines.len(), 3);
        assert_eq!(pages[0].layout.lines[1].x0, 300.0);
        assert_eq!(pages[1].text, "");
        assert!(parse_bbox("<word xMin=\"1\">x</word><page", 1.0).is_empty());
        // The words alone, page by page, the same text without its lines.
        let words = page_words(html);
        assert_eq!(words.len(), 2);
        assert_eq!(
            words[0].split(' ').collect::<Vec<_>>(),
            pages[0].text.split_whitespace().collect::<Vec<_>>()
        );
        assert_eq!(words[1], "");
        assert!(page_words("<word xMin=\"1\">x</word><page").is_empty());
    }

    #[test]
    fn torn_rows_are_skipped_and_blobs_round_trip() {
        let pages = parse_tsv("1\t1\tx\n4\t1\n\u{0}\t\t\t", TsvSource::Poppler, 1.0);
        assert!(pages.is_empty());
        let l = PageLayout {
            width: 612.0,
            height: 792.0,
            lines: vec![Rect {
                x0: 72.0,
                y0: 76.0,
                x1: 349.0,
                y1: 89.0,
            }],
        };
        assert_eq!(PageLayout::decode(&l.encode()), Some(l));
        assert_eq!(PageLayout::decode(&[1, 2, 3]), None);
        assert_eq!(PageLayout::decode(&[]), None);
        assert_eq!(PageLayout::decode(&[9, 0, 0, 0, 0]), None);
    }
}
