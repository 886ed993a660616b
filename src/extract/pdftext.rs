//! Positioned text from the built-in PDF reader, for machines without poppler.
//!
//! lopdf gives a page's text as it sits in the content stream, without lines or places. This
//! module follows the page's text operators (the text and graphics matrices, font sizes, spacing
//! and the fonts' width tables) to learn where each string starts, how wide and how large it is,
//! then groups the strings into lines (top to bottom) and cells (split where words are far
//! apart), like poppler's word boxes. Widths come from the font's own table, else half an em:
//! approximate, and enough to tell rows, columns, headings and letterheads apart.

use std::collections::BTreeMap;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Encoding, Object, ObjectId};

use crate::layout::{PageLayout, Rect, TsvPage};

/// Content operations read at most on one page (a hostile stream cannot make the scan hang).
const MAX_OPERATIONS: usize = 2_000_000;

type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn mul(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

fn translate(tx: f32, ty: f32) -> Matrix {
    [1.0, 0.0, 0.0, 1.0, tx, ty]
}

/// A font's decoding and widths (thousandths of an em per code).
struct FontInfo<'a> {
    encoding: Option<Encoding<'a>>,
    /// Two bytes per code (a composite font), else one.
    two_byte: bool,
    widths: BTreeMap<u32, f32>,
    default_width: f32,
}

/// An object with its references followed (at most 8 hops: a reference loop ends as null).
pub fn deref<'a>(doc: &'a Document, obj: &'a Object) -> &'a Object {
    let mut o = obj;
    for _ in 0..8 {
        match o {
            Object::Reference(r) => match doc.get_object(*r) {
                Ok(next) => o = next,
                Err(_) => return &Object::Null,
            },
            _ => return o,
        }
    }
    o
}

fn num(doc: &Document, o: &Object) -> Option<f32> {
    deref(doc, o).as_float().ok().filter(|v| v.is_finite())
}

impl<'a> FontInfo<'a> {
    fn new(doc: &'a Document, font: &'a Dictionary, limit: usize) -> FontInfo<'a> {
        let encoding = font.get_font_encoding_with_limit(doc, limit).ok();
        let composite = font.get(b"Subtype").ok().and_then(|s| s.as_name().ok()) == Some(b"Type0".as_slice());
        let mut widths = BTreeMap::new();
        let mut default_width = 500.0;
        if composite {
            // The descendant CID font: /DW and /W ([c [w1 w2 …]] or [c1 c2 w]).
            let desc = font
                .get(b"DescendantFonts")
                .ok()
                .map(|d| deref(doc, d))
                .and_then(|d| d.as_array().ok())
                .and_then(|a| a.first())
                .map(|d| deref(doc, d))
                .and_then(|d| d.as_dict().ok());
            if let Some(desc) = desc {
                default_width = desc.get(b"DW").ok().and_then(|w| num(doc, w)).unwrap_or(1000.0);
                if let Some(w) = desc
                    .get(b"W")
                    .ok()
                    .map(|w| deref(doc, w))
                    .and_then(|w| w.as_array().ok())
                {
                    let mut i = 0;
                    while i < w.len() && widths.len() < 65_536 {
                        let Some(first) = num(doc, &w[i]) else { break };
                        match w.get(i + 1).map(|o| deref(doc, o)) {
                            Some(Object::Array(list)) => {
                                for (k, v) in list.iter().enumerate().take(65_536) {
                                    if let Some(v) = num(doc, v) {
                                        widths.insert(first as u32 + k as u32, v);
                                    }
                                }
                                i += 2;
                            }
                            Some(last) => {
                                let (Some(last), Some(v)) =
                                    (last.as_float().ok(), w.get(i + 2).and_then(|v| num(doc, v)))
                                else {
                                    break;
                                };
                                for c in (first as u32)..=(last as u32).min(first as u32 + 65_535) {
                                    widths.insert(c, v);
                                }
                                i += 3;
                            }
                            None => break,
                        }
                    }
                }
            }
        } else {
            let first = font
                .get(b"FirstChar")
                .ok()
                .and_then(|f| num(doc, f))
                .unwrap_or(0.0) as u32;
            if let Some(w) = font
                .get(b"Widths")
                .ok()
                .map(|w| deref(doc, w))
                .and_then(|w| w.as_array().ok())
            {
                for (k, v) in w.iter().enumerate().take(256) {
                    if let Some(v) = num(doc, v) {
                        widths.insert(first + k as u32, v);
                    }
                }
            }
        }
        FontInfo {
            encoding,
            two_byte: composite,
            widths,
            default_width,
        }
    }

    fn codes(&self, bytes: &[u8]) -> Vec<u32> {
        if self.two_byte {
            bytes
                .chunks(2)
                .map(|c| c.iter().fold(0u32, |a, b| a * 256 + u32::from(*b)))
                .collect()
        } else {
            bytes.iter().map(|b| u32::from(*b)).collect()
        }
    }

    fn width(&self, code: u32) -> f32 {
        match self.widths.get(&code) {
            Some(w) if *w > 0.0 => *w,
            _ => self.default_width,
        }
    }
}

/// One shown string, in device space (origin bottom left, y up).
struct Run {
    text: String,
    x0: f32,
    x1: f32,
    baseline: f32,
    size: f32,
}

/// The text state the operators change.
#[derive(Clone)]
struct State {
    ctm: Matrix,
    font: Option<Vec<u8>>,
    size: f32,
    char_space: f32,
    word_space: f32,
    scale: f32,
    leading: f32,
    rise: f32,
}

/// The fonts whose glyphs and widths every PDF reader knows: the standard 14.
const STANDARD_FONTS: &[&str] = &[
    "Helvetica",
    "Helvetica-Bold",
    "Helvetica-Oblique",
    "Helvetica-BoldOblique",
    "Times-Roman",
    "Times-Bold",
    "Times-Italic",
    "Times-BoldItalic",
    "Courier",
    "Courier-Bold",
    "Courier-Oblique",
    "Courier-BoldOblique",
    "Symbol",
    "ZapfDingbats",
];

/// Whether this reader reads a PDF as poppler's `pdftotext` does: every font of every page is
/// one of the standard 14, not embedded, in a standard encoding (no glyph renamed, no CID
/// font, no Type 3 font): then a character code is its letter and the font's width table is
/// known, and the words come out the same (tests/reader_agreement.rs: 72 such PDFs, every word
/// alike). PDFs from simple generators (many district systems, form fillers) are this kind.
/// The cells' boxes do not agree yet (no width tables for the standard fonts, cells split
/// differently), so a scan with poppler installed still asks poppler.
pub fn reads_like_poppler(doc: &Document) -> bool {
    let pages = doc.get_pages();
    if pages.is_empty() || pages.len() > 500 {
        return false;
    }
    for page_id in pages.values() {
        let Ok(fonts) = doc.get_page_fonts(*page_id) else {
            return false;
        };
        if fonts.is_empty() {
            return false; // a scan, or text drawn as paths: poppler (and OCR) decide
        }
        for font in fonts.values() {
            let name = |key: &[u8]| font.get(key).ok().and_then(|o| o.as_name().ok());
            if name(b"Subtype") != Some(b"Type1".as_slice()) {
                return false;
            }
            let standard = name(b"BaseFont")
                .and_then(|b| std::str::from_utf8(b).ok())
                .is_some_and(|b| STANDARD_FONTS.contains(&b));
            if !standard || font.has(b"FontDescriptor") || font.has(b"ToUnicode") {
                return false;
            }
            match font.get(b"Encoding").ok() {
                None => {}
                Some(Object::Name(e))
                    if matches!(
                        e.as_slice(),
                        b"WinAnsiEncoding" | b"StandardEncoding" | b"MacRomanEncoding"
                    ) => {}
                Some(_) => return false,
            }
        }
    }
    true
}

/// The text of one page with the box of each cell, from its content stream; None when the page
/// cannot be read at all.
pub fn page_text(doc: &Document, page_id: ObjectId, limit: usize) -> Option<TsvPage> {
    let page = doc.get_dictionary(page_id).ok()?;
    let media = media_box(doc, page).unwrap_or([0.0, 0.0, 612.0, 792.0]);
    let fonts: BTreeMap<Vec<u8>, FontInfo<'_>> = doc
        .get_page_fonts(page_id)
        .ok()?
        .into_iter()
        .map(|(name, dict)| (name, FontInfo::new(doc, dict, limit)))
        .collect();
    let data = doc.get_page_content_with_limit(page_id, limit).ok()?;
    let content = Content::decode(&data).ok()?;
    let mut runs: Vec<Run> = Vec::new();
    let mut st = State {
        ctm: IDENTITY,
        font: None,
        size: 0.0,
        char_space: 0.0,
        word_space: 0.0,
        scale: 1.0,
        leading: 0.0,
        rise: 0.0,
    };
    let mut stack: Vec<State> = Vec::new();
    let (mut tm, mut tlm) = (IDENTITY, IDENTITY);
    for op in content.operations.iter().take(MAX_OPERATIONS) {
        let n = |i: usize| {
            op.operands
                .get(i)
                .and_then(|o| o.as_float().ok())
                .filter(|v| v.is_finite())
        };
        match op.operator.as_str() {
            "q" if stack.len() < 256 => stack.push(st.clone()),
            "Q" => {
                if let Some(s) = stack.pop() {
                    st = s;
                }
            }
            "cm" => {
                if let (Some(a), Some(b), Some(c), Some(d), Some(e), Some(f)) =
                    (n(0), n(1), n(2), n(3), n(4), n(5))
                {
                    st.ctm = mul(&[a, b, c, d, e, f], &st.ctm);
                }
            }
            "BT" => {
                tm = IDENTITY;
                tlm = IDENTITY;
            }
            "Tf" => {
                st.font = op
                    .operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .map(<[u8]>::to_vec);
                st.size = n(1).unwrap_or(0.0);
            }
            "Tc" => st.char_space = n(0).unwrap_or(0.0),
            "Tw" => st.word_space = n(0).unwrap_or(0.0),
            "Tz" => st.scale = n(0).unwrap_or(100.0) / 100.0,
            "TL" => st.leading = n(0).unwrap_or(0.0),
            "Ts" => st.rise = n(0).unwrap_or(0.0),
            "Td" | "TD" => {
                let (tx, ty) = (n(0).unwrap_or(0.0), n(1).unwrap_or(0.0));
                if op.operator == "TD" {
                    st.leading = -ty;
                }
                tlm = mul(&translate(tx, ty), &tlm);
                tm = tlm;
            }
            "Tm" => {
                if let (Some(a), Some(b), Some(c), Some(d), Some(e), Some(f)) =
                    (n(0), n(1), n(2), n(3), n(4), n(5))
                {
                    tlm = [a, b, c, d, e, f];
                    tm = tlm;
                }
            }
            "T*" => {
                tlm = mul(&translate(0.0, -st.leading), &tlm);
                tm = tlm;
            }
            "Tj" | "'" | "\"" | "TJ" => {
                if op.operator == "'" || op.operator == "\"" {
                    if op.operator == "\"" {
                        st.word_space = n(0).unwrap_or(st.word_space);
                        st.char_space = n(1).unwrap_or(st.char_space);
                    }
                    tlm = mul(&translate(0.0, -st.leading), &tlm);
                    tm = tlm;
                }
                let Some(font) = st.font.as_ref().and_then(|f| fonts.get(f)) else {
                    continue;
                };
                let items: Vec<&Object> = match op.operator.as_str() {
                    "TJ" => op
                        .operands
                        .first()
                        .and_then(|a| a.as_array().ok())
                        .map(|a| a.iter().collect())
                        .unwrap_or_default(),
                    "\"" => op.operands.get(2).into_iter().collect(),
                    _ => op.operands.first().into_iter().collect(),
                };
                for item in items {
                    match item {
                        Object::String(bytes, _) => {
                            show(bytes, font, &st, &mut tm, &mut runs);
                        }
                        Object::Integer(_) | Object::Real(_) => {
                            let adj = item.as_float().unwrap_or(0.0);
                            let tx = -adj / 1000.0 * st.size * st.scale;
                            tm = mul(&translate(tx, 0.0), &tm);
                            // A large negative adjustment is a space between words.
                            if adj < -200.0
                                && let Some(last) = runs.last_mut()
                                && !last.text.ends_with(' ')
                            {
                                last.text.push(' ');
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    Some(arrange(runs, media))
}

/// Shows one string: where it starts, how wide it is, then moves the text matrix past it.
fn show(bytes: &[u8], font: &FontInfo<'_>, st: &State, tm: &mut Matrix, runs: &mut Vec<Run>) {
    let mut text = String::new();
    if let Some(enc) = &font.encoding
        && enc.write_to_string(bytes, &mut text).is_err()
    {
        text.clear();
    }
    let mut advance = 0.0f32;
    for code in font.codes(bytes) {
        let w = font.width(code) / 1000.0 * st.size;
        let space = if !font.two_byte && code == 32 {
            st.word_space
        } else {
            0.0
        };
        advance += (w + st.char_space + space) * st.scale;
    }
    let trm = mul(
        &mul(&[st.size * st.scale, 0.0, 0.0, st.size, 0.0, st.rise], tm),
        &st.ctm,
    );
    let device = mul(tm, &st.ctm);
    let x_scale = (device[0] * device[0] + device[1] * device[1]).sqrt().max(1e-6);
    let size = (trm[2] * trm[2] + trm[3] * trm[3]).sqrt();
    let x0 = trm[4];
    let x1 = x0 + advance * x_scale;
    if !text.trim().is_empty() && size.is_finite() && x0.is_finite() && trm[5].is_finite() && size > 0.0 {
        runs.push(Run {
            text,
            x0,
            x1,
            baseline: trm[5],
            size,
        });
    }
    *tm = mul(&translate(advance, 0.0), tm);
}

/// Lines from top to bottom (strings whose baselines are close), each left to right; a wide gap
/// starts a new cell, a small one a new word.
fn arrange(mut runs: Vec<Run>, media: [f32; 4]) -> TsvPage {
    let [mx0, _, mx1, my1] = media;
    runs.sort_by(|a, b| b.baseline.total_cmp(&a.baseline).then(a.x0.total_cmp(&b.x0)));
    let mut lines: Vec<Vec<Run>> = Vec::new();
    for r in runs {
        match lines.last_mut() {
            Some(line) if (line[0].baseline - r.baseline).abs() < 0.4 * line[0].size.max(r.size) => {
                line.push(r)
            }
            _ => lines.push(vec![r]),
        }
    }
    let mut page = TsvPage {
        text: String::new(),
        layout: PageLayout {
            width: (mx1 - mx0).abs(),
            height: (my1 - media[1]).abs(),
            lines: Vec::new(),
        },
    };
    for mut line in lines {
        line.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        let mut cells: Vec<(Rect, String)> = Vec::new();
        for r in line {
            let top = my1 - (r.baseline + 0.8 * r.size);
            let bottom = my1 - (r.baseline - 0.2 * r.size);
            let rect = Rect {
                x0: r.x0 - mx0,
                y0: top,
                x1: r.x1 - mx0,
                y1: bottom,
            };
            let t = r.text.trim_end().to_string();
            match cells.last_mut() {
                Some((cr, ct)) if rect.x0 - cr.x1 <= 0.9 * cr.height().max(rect.height()) => {
                    if rect.x0 - cr.x1 > 0.15 * r.size && !ct.ends_with(' ') && !t.starts_with(' ') {
                        ct.push(' ');
                    }
                    ct.push_str(&t);
                    cr.x1 = cr.x1.max(rect.x1);
                    cr.y0 = cr.y0.min(rect.y0);
                    cr.y1 = cr.y1.max(rect.y1);
                }
                _ => cells.push((rect, t.trim_start().to_string())),
            }
        }
        let cells: Vec<(Rect, String)> = cells
            .into_iter()
            .map(|(r, t)| (r, t.split_whitespace().collect::<Vec<_>>().join(" ")))
            .filter(|(_, t)| !t.is_empty())
            .collect();
        if cells.is_empty() {
            continue;
        }
        if !page.text.is_empty() {
            page.text.push('\n');
        }
        page.text.push_str(
            &cells
                .iter()
                .map(|(_, t)| t.as_str())
                .collect::<Vec<_>>()
                .join("\t"),
        );
        page.layout.lines.extend(cells.into_iter().map(|(r, _)| r));
    }
    page
}

/// The page's MediaBox, looked up the page tree.
fn media_box(doc: &Document, page: &Dictionary) -> Option<[f32; 4]> {
    let mut dict = page;
    for _ in 0..32 {
        if let Ok(v) = dict.get(b"MediaBox") {
            let arr = deref(doc, v).as_array().ok()?;
            let v: Vec<f32> = arr.iter().filter_map(|o| num(doc, o)).collect();
            return (v.len() == 4).then(|| [v[0].min(v[2]), v[1].min(v[3]), v[0].max(v[2]), v[1].max(v[3])]);
        }
        let parent = dict.get(b"Parent").ok()?.as_reference().ok()?;
        dict = doc.get_dictionary(parent).ok()?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-page PDF with Helvetica text drawn at the given places.
    fn pdf(ops: &str) -> Vec<u8> {
        let stream = ops.as_bytes();
        let objs = [
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".to_string(),
            format!("<< /Length {} >>\nstream\n{ops}\nendstream", stream.len()),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_string(),
        ];
        let mut out = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objs.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
        }
        let xref = out.len();
        out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
        for off in offsets {
            out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objs.len() + 1
            )
            .as_bytes(),
        );
        out
    }

    #[test]
    fn strings_become_lines_and_cells_where_they_are_drawn() {
        let bytes = pdf("BT /F1 16 Tf 200 740 Td (Notice of Meeting) Tj ET\n\
             BT /F1 10 Tf 72 700 Td (Date of Notice:) Tj ET\n\
             BT /F1 10 Tf 300 700 Td (10/20/2023) Tj ET\n\
             BT /F1 10 Tf 72 680 Td [(Stu) -20 (dent) -400 (Maya)] TJ ET");
        let doc = Document::load_mem(&bytes).unwrap();
        let page_id = *doc.get_pages().get(&1).unwrap();
        let p = page_text(&doc, page_id, 1 << 20).unwrap();
        assert_eq!(
            p.text,
            "Notice of Meeting\nDate of Notice:\t10/20/2023\nStudent Maya"
        );
        assert_eq!(p.layout.lines.len(), 4);
        let heading = p.layout.lines[0];
        let label = p.layout.lines[1];
        assert!(heading.height() > label.height() * 1.4, "{heading:?} {label:?}");
        assert!((label.x0 - 72.0).abs() < 0.5 && label.y0 > heading.y1);
        assert!((p.layout.lines[2].x0 - 300.0).abs() < 0.5);
    }

    #[test]
    fn hostile_operators_do_not_panic() {
        let bytes =
            pdf("q q Q Q Q BT /F9 12 Tf (x) Tj ET BT /F1 1e38 Tf 1e38 1e38 Td (big) Tj ET cm Tm Td TJ");
        let doc = Document::load_mem(&bytes).unwrap();
        let page_id = *doc.get_pages().get(&1).unwrap();
        let _ = page_text(&doc, page_id, 1 << 20);
    }
}
