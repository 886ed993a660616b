//! Drawing the pages casebinder writes itself: text that wraps and flows onto new pages,
//! rules, boxes and links, as PDF content-stream operators.
//!
//! Layout is split from drawing so the binder can count pages (for numbering, the index and
//! `--dry-run`) before it writes anything: [`Flow`] measures and breaks text into positioned
//! lines; [`Canvas`] turns lines into operators later.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::font::{Fonts, resource_name};

/// Page size in points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Paper {
    pub w: f32,
    pub h: f32,
}

pub const LETTER: Paper = Paper { w: 612.0, h: 792.0 };
pub const A4: Paper = Paper { w: 595.28, h: 841.89 };

/// Margin around text on generated pages; the footer stamp lives in the bottom one.
pub const MARGIN: f32 = 54.0;

/// A number as PDF writes it: at most two decimals, no trailing zeros.
pub fn num(v: f32) -> String {
    let r = (v * 100.0).round() / 100.0;
    let mut s = format!("{r:.2}");
    while s.ends_with('0') {
        s.pop();
    }
    if s.ends_with('.') {
        s.pop();
    }
    if s == "-0" { "0".into() } else { s }
}

/// One positioned line of text.
#[derive(Clone, Debug)]
pub struct Line {
    pub x: f32,
    pub y: f32,
    pub size: f32,
    pub bold: bool,
    pub gray: f32,
    pub text: String,
}

/// Marks a line [`Flow::reserve`] kept (a control character no document text keeps).
pub const RESERVED: &str = "\u{1}reserved\u{1}";

/// The key of a reserved line, if `line` is one.
pub fn reserved_key(line: &Line) -> Option<&str> {
    line.text.strip_prefix(RESERVED)
}

/// Breaks `text` into lines no wider than `width` (words longer than a line are cut).
pub fn wrap(fonts: &mut Fonts, text: &str, size: f32, bold: bool, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let para = para.trim_end();
        if para.is_empty() {
            lines.push(String::new());
            continue;
        }
        let indent: String = para.chars().take_while(|c| *c == ' ').collect();
        let mut line = indent.clone();
        let mut line_w = fonts.width(&line, size, bold);
        for word in para.split(' ').filter(|w| !w.is_empty()) {
            let sep = if line.trim().is_empty() { "" } else { " " };
            let w = fonts.width(&format!("{sep}{word}"), size, bold);
            if line_w + w <= width || line.trim().is_empty() && w <= width {
                line.push_str(sep);
                line.push_str(word);
                line_w += w;
                continue;
            }
            if !line.trim().is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word wider than the line: cut it.
            let mut piece = String::new();
            for c in word.chars() {
                let mut next = piece.clone();
                next.push(c);
                if fonts.width(&next, size, bold) > width && !piece.is_empty() {
                    lines.push(std::mem::take(&mut piece));
                    piece.push(c);
                } else {
                    piece = next;
                }
            }
            line = piece;
            line_w = fonts.width(&line, size, bold);
        }
        lines.push(line);
    }
    lines
}

/// Text flowing down pages between the margins.
pub struct Flow {
    pub paper: Paper,
    pub pages: Vec<Vec<Line>>,
    y: f32,
    top: f32,
}

impl Flow {
    pub fn new(paper: Paper) -> Flow {
        let top = paper.h - MARGIN;
        Flow {
            paper,
            pages: vec![Vec::new()],
            y: top,
            top,
        }
    }

    pub fn width(&self) -> f32 {
        self.paper.w - 2.0 * MARGIN
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = self.top;
    }

    /// Room for `height` more points on this page, else a new page.
    pub fn need(&mut self, height: f32) {
        if self.y - height < MARGIN && self.pages.last().is_some_and(|p| !p.is_empty()) {
            self.new_page();
        }
    }

    pub fn space(&mut self, points: f32) {
        if self.y < self.top {
            self.y -= points;
        }
    }

    /// Adds a paragraph, wrapped, at `indent` from the left margin.
    #[allow(clippy::too_many_arguments)]
    pub fn para(&mut self, fonts: &mut Fonts, text: &str, size: f32, bold: bool, gray: f32, indent: f32) {
        let lines = wrap(fonts, text, size, bold, self.width() - indent);
        // A short paragraph is never split across pages.
        if lines.len() <= 3 {
            self.need(lines.len() as f32 * size * 1.3);
        }
        for line in lines {
            self.one_line(line, size, bold, gray, indent);
        }
    }

    /// One line of text as it is (not wrapped), on the next line of the flow.
    fn one_line(&mut self, text: String, size: f32, bold: bool, gray: f32, indent: f32) {
        let leading = size * 1.3;
        self.need(leading);
        self.y -= leading;
        if let Some(page) = self.pages.last_mut() {
            page.push(Line {
                x: MARGIN + indent,
                y: self.y + size * 0.25,
                size,
                bold,
                gray,
                text,
            });
        }
    }

    /// One line kept for text known only later (the e-mail page's attachment lines, filled in
    /// once the pages are numbered).
    pub fn reserve(&mut self, key: String, size: f32, gray: f32, indent: f32) {
        self.one_line(format!("{RESERVED}{key}"), size, false, gray, indent);
    }

    /// A label in bold followed by its value, the value wrapping under itself.
    pub fn field(&mut self, fonts: &mut Fonts, label: &str, value: &str, size: f32, label_w: f32) {
        let leading = size * 1.3;
        let lines = wrap(fonts, value, size, false, self.width() - label_w);
        for (i, line) in lines.into_iter().enumerate() {
            self.need(leading);
            self.y -= leading;
            if let Some(page) = self.pages.last_mut() {
                if i == 0 {
                    page.push(Line {
                        x: MARGIN,
                        y: self.y + size * 0.25,
                        size,
                        bold: true,
                        gray: 0.0,
                        text: label.to_string(),
                    });
                }
                page.push(Line {
                    x: MARGIN + label_w,
                    y: self.y + size * 0.25,
                    size,
                    bold: false,
                    gray: 0.0,
                    text: line,
                });
            }
        }
    }
}

/// The operators of one page, and which faces they use.
#[derive(Default)]
pub struct Canvas {
    pub ops: String,
    pub slots: BTreeSet<usize>,
}

impl Canvas {
    pub fn text(&mut self, fonts: &mut Fonts, x: f32, y: f32, size: f32, bold: bool, text: &str) {
        if text.trim().is_empty() {
            return;
        }
        let runs = fonts.runs(text, bold);
        let _ = write!(self.ops, "BT 1 0 0 1 {} {} Tm", num(x), num(y));
        for run in runs {
            self.slots.insert(run.slot);
            let _ = write!(
                self.ops,
                " /{} {} Tf <{}> Tj",
                resource_name(run.slot),
                num(size),
                run.hex
            );
        }
        self.ops.push_str(" ET\n");
    }

    pub fn gray(&mut self, g: f32) {
        let _ = writeln!(self.ops, "{} g", num(g));
    }

    pub fn line(&mut self, l: &Line, fonts: &mut Fonts) {
        if l.gray != 0.0 {
            self.gray(l.gray);
        }
        self.text(fonts, l.x, l.y, l.size, l.bold, &l.text);
        if l.gray != 0.0 {
            self.gray(0.0);
        }
    }

    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, gray: f32) {
        let _ = writeln!(
            self.ops,
            "{} g {} {} {} {} re f 0 g",
            num(gray),
            num(x),
            num(y),
            num(w),
            num(h)
        );
    }

    pub fn rule(&mut self, x1: f32, y: f32, x2: f32, width: f32, gray: f32) {
        let _ = writeln!(
            self.ops,
            "{} G {} w {} {} m {} {} l S 0 G",
            num(gray),
            num(width),
            num(x1),
            num(y),
            num(x2),
            num(y)
        );
    }

    /// A coloured shape of a front page (the timeline picture).
    pub fn shape(&mut self, s: &super::Shape) {
        let rgb = |c: &[f32; 3]| format!("{} {} {}", num(c[0]), num(c[1]), num(c[2]));
        let dash = |d: bool| if d { "[2 1.5] 0 d" } else { "[] 0 d" };
        match s {
            super::Shape::Fill { x, y, w, h, rgb: c } => {
                let _ = writeln!(
                    self.ops,
                    "{} rg {} {} {} {} re f 0 g",
                    rgb(c),
                    num(*x),
                    num(*y),
                    num(*w),
                    num(*h)
                );
            }
            super::Shape::Frame {
                x,
                y,
                w,
                h,
                rgb: c,
                dashed,
            } => {
                let _ = writeln!(
                    self.ops,
                    "{} RG 0.5 w {} {} {} {} {} re S [] 0 d 0 G",
                    rgb(c),
                    dash(*dashed),
                    num(*x),
                    num(*y),
                    num(*w),
                    num(*h)
                );
            }
            super::Shape::Stroke {
                x1,
                y1,
                x2,
                y2,
                width,
                rgb: c,
                dashed,
            } => {
                let _ = writeln!(
                    self.ops,
                    "{} RG {} w {} {} {} m {} {} l S [] 0 d 0 G",
                    rgb(c),
                    num(*width),
                    dash(*dashed),
                    num(*x1),
                    num(*y1),
                    num(*x2),
                    num(*y2)
                );
            }
        }
    }

    /// The height of the footer band the stamp needs on a page `w` wide, with a little air
    /// above it: content that reaches lower is scaled up and away from it.
    pub fn stamp_band(w: f32) -> f32 {
        if w < 320.0 { 24.0 } else { 27.0 }
    }

    /// The footer stamp, in display space of a page `w` wide: `left` at the left edge,
    /// `right` at the right edge, each on a white band so they read on a full-bleed scan.
    pub fn stamp(&mut self, fonts: &mut Fonts, w: f32, left: &str, right: &str) {
        let size = if w < 320.0 { 6.0 } else { 8.0 };
        let inset = if w < 320.0 { 10.0 } else { 24.0 };
        let y = 14.0;
        let lw = fonts.width(left, size, false);
        let rw = fonts.width(right, size, true);
        if !left.is_empty() {
            self.rect(inset - 2.0, y - 3.0, lw + 4.0, size + 4.0, 1.0);
            self.text(fonts, inset, y, size, false, left);
        }
        if !right.is_empty() {
            self.rect(w - inset - rw - 2.0, y - 3.0, rw + 4.0, size + 4.0, 1.0);
            self.text(fonts, w - inset - rw, y, size, true, right);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.5), "12.5");
        assert_eq!(num(0.333), "0.33");
        assert_eq!(num(-0.001), "0");
    }

    #[test]
    fn wrapping_keeps_every_word_and_respects_the_width() {
        let mut f = Fonts::new(1);
        let text = "The district refused the request for an increase in occupational therapy minutes \
                    and proposed to keep the current level of service. Supercalifragilisticexpialidocious";
        let lines = wrap(&mut f, text, 10.0, false, 120.0);
        assert!(lines.len() > 3);
        for l in &lines {
            assert!(f.width(l, 10.0, false) <= 120.0 + 0.01, "{l}");
        }
        let joined: String = lines.join(" ");
        for w in text.split_whitespace().filter(|w| w.len() < 20) {
            assert!(joined.contains(w), "{w}");
        }
    }

    #[test]
    fn a_long_text_flows_onto_more_pages() {
        let mut f = Fonts::new(1);
        let mut flow = Flow::new(LETTER);
        for i in 0..200 {
            flow.para(
                &mut f,
                &format!("Line {i} of the meeting notes."),
                10.0,
                false,
                0.0,
                0.0,
            );
        }
        assert!(flow.pages.len() >= 4);
        for page in &flow.pages {
            for l in page {
                assert!(l.y >= MARGIN && l.y <= LETTER.h - MARGIN);
            }
        }
    }
}
