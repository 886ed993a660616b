//! Writing the planned binder as one PDF: front matter, tabs, exhibits (source PDF pages kept
//! as they are, other documents drawn), a footer stamp on every page, index links, bookmarks.
//!
//! [`write`] writes to any `io::Write` and reads sources through a function it is given, so it
//! can be run on memory; [`to_partial`] writes to a temporary name beside the target, which
//! [`Partial::finish`] renames once the file is on disk, so an interrupted build never leaves a
//! half binder under the real name (and the text check reads it meanwhile).

use std::path::{Path, PathBuf};

use anyhow::Result;
use lopdf::{Dictionary, Object, Stream};
use sha2::{Digest, Sha256};

use super::font::{MAX_FACES, resource_name};
use super::front;
use super::image::{self, Picture};
use super::layout::{Canvas, MARGIN, Paper, num};
use super::pdfout::{Copier, PdfOut, Sink};
use super::{Body, Exhibit, Plan};
use crate::error::user_error;
use crate::extract::pdftext::deref;

/// What a build produced.
pub struct Built {
    /// (exhibit label, what was done to include it faithfully)
    pub notes: Vec<(String, String)>,
    /// (exhibit label, [(page of the exhibit, scale)]): pages made smaller so the stamp sits on
    /// clear ground.
    pub scaled: Vec<(String, Vec<(u32, f32)>)>,
    pub sha256: String,
    pub size: u64,
    pub fonts: Vec<String>,
    pub missing_chars: String,
}

struct Ids {
    pages: u32,
    q: u32,
}

fn name(s: &str) -> Object {
    Object::Name(s.as_bytes().to_vec())
}

fn reference(id: u32) -> Object {
    Object::Reference((id, 0))
}

fn rect(r: [f32; 4]) -> Object {
    Object::Array(r.iter().map(|v| Object::Real(*v)).collect())
}

/// The temporary name a binder is written under before it is complete.
pub fn partial_path(target: &Path) -> PathBuf {
    let file = target
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_else(|| "binder.pdf".into());
    target.with_file_name(format!(".{file}.partial"))
}

/// Where the writer gets a source's bytes, and the helpers that save a source it cannot copy as
/// it is. The defaults help with nothing: a source that cannot be copied becomes placeholder pages.
pub trait Sources: Sync {
    /// The bytes of the source at `locator`, checked against its SHA-256.
    fn fetch(&self, locator: &str, sha256: &str) -> Result<Vec<u8>, String>;

    /// The PDF rewritten by a repairing tool (qpdf), if one is installed and it could.
    fn repair(&self, _pdf: &[u8]) -> Option<Vec<u8>> {
        None
    }

    /// Page `page` (1-based) of the PDF drawn as a picture (PNG), if a renderer is installed.
    fn render(&self, _pdf: &[u8], _page: u32) -> Option<Vec<u8>> {
        None
    }
}

/// A binder written in full under its partial name ([`partial_path`]) but not yet on disk for
/// sure nor under its own name: it can be read back (the text check) while it is made durable.
pub struct Partial {
    pub built: Built,
    /// Where it is while partial.
    pub path: std::path::PathBuf,
    file: std::fs::File,
    target: std::path::PathBuf,
}

impl Partial {
    /// Makes it durable (`fsync`); the file can be read meanwhile.
    pub fn sync(&self) -> std::io::Result<()> {
        self.file.sync_all()
    }

    /// Gives it its name once `synced`; on failure it is removed, and the error says what to do.
    pub fn finish(self, synced: std::io::Result<()>) -> Result<Built> {
        let Partial {
            built,
            path,
            file,
            target,
        } = self;
        drop(file);
        if let Err(e) = synced.and_then(|_| std::fs::rename(&path, &target)) {
            let _ = std::fs::remove_file(&path);
            return Err(user_error(
                format!("Could not finish writing {}: {e}", target.display()),
                "Check that the disk has free space and the folder is writable, then build again.",
            ));
        }
        Ok(built)
    }
}

/// Writes the binder to its partial name beside `target` (see [`Partial`]).
pub fn to_partial(plan: &mut Plan, sources: &dyn Sources, target: &Path) -> Result<Partial> {
    let tmp = partial_path(target);
    let file = crate::case::create_private_file(&tmp).map_err(|e| {
        user_error(
            format!("Could not create {}: {e}", tmp.display()),
            "Choose a folder you can write to (--out), with free space.",
        )
    })?;
    match write(plan, sources, file) {
        Ok((built, file)) => Ok(Partial {
            built,
            path: tmp,
            file,
            target: target.to_path_buf(),
        }),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Writes the binder to `out` in one pass; returns what was written and `out`.
pub fn write<W: Sink>(plan: &mut Plan, sources: &dyn Sources, out: W) -> Result<(Built, W)> {
    let io = |e: std::io::Error| {
        user_error(
            format!("Could not write the binder: {e}"),
            "Check that the disk has free space, then build again.",
        )
    };
    let mut out = PdfOut::new(out).map_err(io)?;
    let mut notes: Vec<(String, String)> = Vec::new();
    let mut scaled: Vec<(String, Vec<(u32, f32)>)> = Vec::new();
    let catalog_id = out.alloc();
    let pages_id = out.alloc();
    let info_id = out.alloc();
    let outlines_id = out.alloc();
    let font_base = out.alloc();
    for _ in 1..MAX_FACES {
        out.alloc();
    }
    plan.fonts.set_base(font_base);
    let q_id = out.alloc();
    out.write(
        q_id,
        &Object::Stream(Stream::new(Dictionary::new(), b"q\n".to_vec())),
    )
    .map_err(io)?;
    let ids = Ids {
        pages: pages_id,
        q: q_id,
    };
    let total = plan.total_pages;
    let page_ids: Vec<u32> = (0..total).map(|_| out.alloc()).collect();
    let paper = plan.settings.paper();

    // Front matter.
    let front = plan.front.clone();
    for (i, fp) in front.iter().enumerate() {
        let n = i as u32 + 1;
        let mut c = Canvas::default();
        for s in &fp.shapes {
            c.shape(s);
        }
        for (x1, y, x2, w, g) in &fp.rules {
            c.rule(*x1, *y, *x2, *w, *g);
        }
        for l in &fp.lines {
            c.line(l, &mut plan.fonts);
        }
        c.stamp(&mut plan.fonts, paper.w, &page_label(n, total), "");
        let mut annots = Vec::new();
        for (r, target) in &fp.links {
            let Some(e) = plan.exhibits.get(*target) else {
                continue;
            };
            let Some(dest) = page_ids.get(e.first_page as usize - 1) else {
                continue;
            };
            let id = out.alloc();
            let mut a = Dictionary::new();
            a.set("Type", name("Annot"));
            a.set("Subtype", name("Link"));
            a.set("Rect", rect(*r));
            a.set("Border", Object::Array(vec![0.into(), 0.into(), 0.into()]));
            a.set("Dest", Object::Array(vec![reference(*dest), name("Fit")]));
            out.write(id, &Object::Dictionary(a)).map_err(io)?;
            annots.push(reference(id));
        }
        let page_id = page_ids[i];
        write_page(&mut out, plan, &ids, page_id, paper, c, annots, Vec::new()).map_err(io)?;
    }

    // Exhibits. The source PDFs are read, checked and parsed ahead, on another core, while the
    // pages before them are written (a few at a time, in order).
    let ahead: Vec<(String, String, usize)> = plan
        .exhibits
        .iter()
        .filter(|e| matches!(e.body, Body::Pdf))
        .map(|e| (e.locator.clone(), e.sha256.clone(), e.pages as usize))
        .collect();
    std::thread::scope(|scope| -> Result<()> {
        // Reading, checking and parsing a source costs more than writing its pages, so there
        // is a reader a core (see `readers_ahead`), each taking every n-th PDF; their answers
        // are taken back in turn, so the order (and the file) is the same however many there
        // are.
        let n = readers_ahead(ahead.len());
        let mut inboxes = Vec::with_capacity(n);
        for k in 0..n {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Ahead>(READ_AHEAD);
            inboxes.push(rx);
            let mine: Vec<(String, String, usize)> = ahead.iter().skip(k).step_by(n).cloned().collect();
            scope.spawn(move || {
                for (locator, sha256, pages) in mine {
                    let bytes = sources.fetch(&locator, &sha256);
                    let opened = bytes
                        .as_ref()
                        .map(|b| open_pdf(b, pages))
                        .unwrap_or_else(|e| Err(e.clone()));
                    if tx.send(Ahead { bytes, opened }).is_err() {
                        break; // the build stopped
                    }
                }
            });
        }
        let mut taken = 0usize;
        let bar = crate::output::progress(plan.exhibits.len() as u64, "Writing the binder");
        for x in 0..plan.exhibits.len() {
            bar.inc(1);
            let e = plan.exhibits[x].clone();
            if let Some(t) = e.tab_page {
                let mut c = Canvas::default();
                for l in front::tab_page(&mut plan.fonts, paper, &e) {
                    c.line(&l, &mut plan.fonts);
                }
                c.stamp(&mut plan.fonts, paper.w, &page_label(t, total), "");
                write_page(
                    &mut out,
                    plan,
                    &ids,
                    page_ids[t as usize - 1],
                    paper,
                    c,
                    Vec::new(),
                    Vec::new(),
                )
                .map_err(io)?;
            }
            let first = e.first_page as usize - 1;
            let slots = &page_ids[first..first + e.pages as usize];
            let settings = plan.settings.clone();
            let stamp = |k: u32| {
                (
                    page_label(e.first_page + k, total),
                    exhibit_stamp(&settings, &e, k),
                )
            };
            match &e.body {
                Body::Pdf | Body::Converted(_) => {
                    // The source PDF (read ahead), or the one LibreOffice made of a .docx: the same
                    // page import.
                    let (bytes, opened) = match &e.body {
                        Body::Converted(pdf) => {
                            let opened = open_pdf(pdf, e.pages as usize);
                            (Ok(pdf.as_slice().to_vec()), opened)
                        }
                        _ => {
                            let got = inboxes[taken % n].recv().map_err(|_| {
                                user_error(
                                    "The binder's reader of source files stopped.",
                                    "Build the binder again.",
                                )
                            })?;
                            taken += 1;
                            (got.bytes, got.opened)
                        }
                    };
                    let stamps: Vec<(String, String)> = (0..e.pages).map(stamp).collect();
                    // A page the family turned is measured again by no one: its text's place on the
                    // page as read no longer says where the footer is.
                    let bottoms = if e.turns == 0 {
                        e.bottoms.clone()
                    } else {
                        Vec::new()
                    };
                    let turns = e.turns;
                    let mut shrunk = Vec::new();
                    let how = match &bytes {
                        Ok(b) => copy_or_save(
                            &mut out,
                            plan,
                            &ids,
                            sources,
                            b,
                            opened,
                            slots,
                            &stamps,
                            paper,
                            &bottoms,
                            turns,
                            &mut shrunk,
                        )
                        .map_err(io)?,
                        Err(err) => Saved::Placeholder(format!("{err}.")),
                    };
                    if let Saved::Placeholder(reason) = &how {
                        for (k, slot) in slots.iter().enumerate() {
                            let (left, right) = stamp(k as u32);
                            placeholder(&mut out, plan, &ids, *slot, paper, &e, reason, &left, &right)
                                .map_err(io)?;
                        }
                    }
                    if let Some(n) = how.note() {
                        notes.push((e.label.clone(), n));
                    }
                    if !shrunk.is_empty() {
                        scaled.push((e.label.clone(), shrunk));
                    }
                }
                Body::Text(pages) => {
                    for (k, lines) in pages.iter().enumerate() {
                        let mut c = Canvas::default();
                        for l in lines {
                            c.line(l, &mut plan.fonts);
                        }
                        let (left, right) = stamp(k as u32);
                        c.stamp(&mut plan.fonts, paper.w, &left, &right);
                        write_page(&mut out, plan, &ids, slots[k], paper, c, Vec::new(), Vec::new())
                            .map_err(io)?;
                    }
                }
                Body::Image => {
                    let drawn = sources.fetch(&e.locator, &e.sha256).and_then(|bytes| {
                        let pictures = image::pictures(&bytes)
                            .map_err(|err| format!("the picture could not be drawn ({err})"))?;
                        if pictures.len() != slots.len() {
                            return Err(
                                "the picture has another number of pages than when it was read".to_string()
                            );
                        }
                        Ok((image::turned(image::orientation(&bytes), e.turns), pictures))
                    });
                    let (orientation, pictures) = match drawn {
                        Ok(d) => d,
                        Err(reason) => {
                            for (k, slot) in slots.iter().enumerate() {
                                let (left, right) = stamp(k as u32);
                                placeholder(&mut out, plan, &ids, *slot, paper, &e, &reason, &left, &right)
                                    .map_err(io)?;
                            }
                            notes.push((e.label.clone(), format!("placeholder: {reason}")));
                            continue;
                        }
                    };
                    for (k, pic) in pictures.into_iter().enumerate() {
                        let (left, right) = stamp(k as u32);
                        image_page(
                            &mut out,
                            plan,
                            &ids,
                            slots[k],
                            paper,
                            pic,
                            orientation,
                            &left,
                            &right,
                        )
                        .map_err(io)?;
                    }
                }
                Body::Placeholder(reason) => {
                    let (left, right) = stamp(0);
                    placeholder(&mut out, plan, &ids, slots[0], paper, &e, reason, &left, &right)
                        .map_err(io)?;
                }
            }
        }
        bar.finish_and_clear();
        Ok(())
    })?;

    // Fonts, page tree, bookmarks, catalog.
    let mut font_objects = Vec::new();
    {
        let mut alloc = || out.alloc();
        font_objects.extend(plan.fonts.finish(&mut alloc).map_err(|e| {
            user_error(
                format!("Could not embed a font: {e}"),
                "Report this; build again meanwhile with --paper letter.",
            )
        })?);
    }
    for (id, obj) in &font_objects {
        out.write(*id, obj).map_err(io)?;
    }
    let mut pages = Dictionary::new();
    pages.set("Type", name("Pages"));
    pages.set(
        "Kids",
        Object::Array(page_ids.iter().map(|id| reference(*id)).collect()),
    );
    pages.set("Count", i64::from(total));
    out.write(pages_id, &Object::Dictionary(pages)).map_err(io)?;

    write_outline(&mut out, plan, outlines_id, &page_ids).map_err(io)?;

    let mut cat = Dictionary::new();
    cat.set("Type", name("Catalog"));
    cat.set("Pages", reference(pages_id));
    cat.set("Outlines", reference(outlines_id));
    cat.set("PageMode", name("UseOutlines"));
    out.write(catalog_id, &Object::Dictionary(cat)).map_err(io)?;

    let s = &plan.settings;
    let mut info = Dictionary::new();
    info.set(
        "Title",
        lopdf::text_string(&format!("Evidence binder: {}", s.case_title)),
    );
    if let Some(p) = &s.prepared_by {
        info.set("Author", lopdf::text_string(p));
    }
    let creator = format!("casebinder {}", env!("CARGO_PKG_VERSION"));
    info.set("Creator", lopdf::text_string(&creator));
    info.set("Producer", lopdf::text_string(&creator));
    let when = format!("D:{}000000Z", s.date.format("%Y%m%d"));
    info.set("CreationDate", Object::string_literal(when.clone()));
    info.set("ModDate", Object::string_literal(when));
    out.write(info_id, &Object::Dictionary(info)).map_err(io)?;

    // The file identifier: from the settings and the exhibits, so the same build is the same file.
    let mut h = Sha256::new();
    h.update(serde_json::to_string(&plan.settings).unwrap_or_default());
    for e in &plan.exhibits {
        h.update(e.label.as_bytes());
        h.update(e.sha256.as_bytes());
    }
    let file_id = h.finalize();
    let (sha256, size, file) = out.finish(catalog_id, info_id, &file_id[..16]).map_err(io)?;
    Ok((
        Built {
            notes,
            scaled,
            sha256,
            size,
            fonts: plan.fonts.faces_used(),
            missing_chars: plan.fonts.missing.iter().collect(),
        },
        file,
    ))
}

pub fn page_label(n: u32, total: u32) -> String {
    format!("Page {n} of {total}")
}

/// "P-12 · RIVERA-000123" for page `k` (0-based) of an exhibit.
pub fn exhibit_stamp(settings: &super::Settings, e: &Exhibit, k: u32) -> String {
    format!("{} · {}", e.label, settings.bates(e.bates_start + u64::from(k)))
}

fn font_resources(plan: &Plan, slots: &std::collections::BTreeSet<usize>) -> Dictionary {
    let mut fonts = Dictionary::new();
    for s in slots {
        fonts.set(resource_name(*s), reference(plan.fonts.object_of(*s)));
    }
    fonts
}

/// A page's own drawing: compressed when long (front pages); a stamp's few hundred bytes are
/// written as they are (compressing each cost a compressor's set-up per page, a tenth of the
/// binder's writing time, to save about a hundred bytes).
fn content_stream(ops: Vec<u8>) -> Object {
    let long = ops.len() >= 1024;
    let mut s = Stream::new(Dictionary::new(), ops);
    if long {
        let _ = s.compress();
    }
    Object::Stream(s)
}

#[allow(clippy::too_many_arguments)]
fn write_page<W: Sink>(
    out: &mut PdfOut<W>,
    plan: &Plan,
    ids: &Ids,
    page_id: u32,
    paper: Paper,
    canvas: Canvas,
    annots: Vec<Object>,
    xobjects: Vec<(String, u32)>,
) -> std::io::Result<()> {
    let content_id = out.alloc();
    out.write(content_id, &content_stream(canvas.ops.into_bytes()))?;
    let mut res = Dictionary::new();
    res.set("Font", Object::Dictionary(font_resources(plan, &canvas.slots)));
    if !xobjects.is_empty() {
        let mut x = Dictionary::new();
        for (n, id) in xobjects {
            x.set(n, reference(id));
        }
        res.set("XObject", Object::Dictionary(x));
    }
    let mut page = Dictionary::new();
    page.set("Type", name("Page"));
    page.set("Parent", reference(ids.pages));
    page.set("MediaBox", rect([0.0, 0.0, paper.w, paper.h]));
    page.set("Resources", Object::Dictionary(res));
    page.set("Contents", reference(content_id));
    if !annots.is_empty() {
        page.set("Annots", Object::Array(annots));
    }
    out.write(page_id, &Object::Dictionary(page))
}

#[allow(clippy::too_many_arguments)]
fn image_page<W: Sink>(
    out: &mut PdfOut<W>,
    plan: &mut Plan,
    ids: &Ids,
    page_id: u32,
    paper: Paper,
    pic: Picture,
    orientation: u32,
    left: &str,
    right: &str,
) -> std::io::Result<()> {
    let image_id = out.alloc();
    let mut img = pic.image;
    if let Some(mask) = pic.smask {
        let mask_id = out.alloc();
        out.write(mask_id, &Object::Stream(mask))?;
        img.dict.set("SMask", reference(mask_id));
    }
    out.write(image_id, &Object::Stream(img))?;
    // Upright proportions, fitted inside the margins (the footer keeps its own band).
    let (w, h) = if image::swaps(orientation) {
        (pic.height as f32, pic.width as f32)
    } else {
        (pic.width as f32, pic.height as f32)
    };
    let (bw, bh) = (paper.w - 2.0 * 36.0, paper.h - 36.0 - MARGIN);
    let scale = (bw / w).min(bh / h);
    let (dw, dh) = (w * scale, h * scale);
    let x = (paper.w - dw) / 2.0;
    let y = MARGIN + (bh - dh) / 2.0;
    let m = image::placement(orientation, x, y, dw, dh);
    let mut c = Canvas::default();
    c.ops.push_str(&format!(
        "q {} {} {} {} {} {} cm /CBIm0 Do Q\n",
        num(m[0]),
        num(m[1]),
        num(m[2]),
        num(m[3]),
        num(m[4]),
        num(m[5])
    ));
    c.stamp(&mut plan.fonts, paper.w, left, right);
    write_page(
        out,
        plan,
        ids,
        page_id,
        paper,
        c,
        Vec::new(),
        vec![("CBIm0".into(), image_id)],
    )
}

/// A page attribute, looked up the page tree (MediaBox, CropBox, Resources and Rotate inherit).
fn inherited<'a>(doc: &'a lopdf::Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut dict = page;
    for _ in 0..32 {
        if let Ok(v) = dict.get(key) {
            return Some(v);
        }
        let parent = dict.get(b"Parent").ok()?.as_reference().ok()?;
        dict = doc.get_dictionary(parent).ok()?;
    }
    None
}

fn as_rect(doc: &lopdf::Document, obj: Option<&Object>) -> Option<[f32; 4]> {
    let arr = deref(doc, obj?).as_array().ok()?;
    if arr.len() != 4 {
        return None;
    }
    let mut v = [0f32; 4];
    for (i, o) in arr.iter().enumerate() {
        v[i] = match deref(doc, o) {
            Object::Integer(n) => *n as f32,
            Object::Real(r) => *r,
            _ => return None,
        };
    }
    Some([v[0].min(v[2]), v[1].min(v[3]), v[0].max(v[2]), v[1].max(v[3])])
}

/// The `cm` that maps display space (origin at the bottom-left of the page as shown, after
/// /Rotate) to user space, and the displayed width.
pub fn display_transform(visible: [f32; 4], rotate: i64) -> ([f32; 6], f32) {
    let [x0, y0, x1, y1] = visible;
    match (rotate.rem_euclid(360) + 45) / 90 % 4 {
        1 => ([0.0, 1.0, -1.0, 0.0, x1, y0], y1 - y0),
        2 => ([-1.0, 0.0, 0.0, -1.0, x1, y1], x1 - x0),
        3 => ([0.0, -1.0, 1.0, 0.0, x0, y1], y1 - y0),
        _ => ([1.0, 0.0, 0.0, 1.0, x0, y0], x1 - x0),
    }
}

/// Copies a source PDF's pages into the binder under `slots`, each with its footer stamp.
/// Streams whose dictionary lacks a usable `/Length` are read as empty by the PDF reader (other
/// readers search for `endstream`, as this does): each gets its content back from the file's
/// bytes. Returns how many were mended.
pub fn mend_unmeasured_streams(doc: &mut lopdf::Document, bytes: &[u8]) -> usize {
    let find = |hay: &[u8], needle: &[u8], from: usize| -> Option<usize> {
        hay.get(from..)?
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|p| p + from)
    };
    let mut mended = 0;
    for (id, obj) in doc.objects.iter_mut() {
        let Object::Stream(st) = obj else { continue };
        if matches!(
            st.dict.get(b"Length"),
            Ok(Object::Integer(_)) | Ok(Object::Reference(_))
        ) {
            continue;
        }
        // The last definition of the object wins (incremental updates append).
        let header = format!("{} {} obj", id.0, id.1);
        let mut at = None;
        let mut from = 0;
        while let Some(p) = find(bytes, header.as_bytes(), from) {
            let starts_line = p == 0 || !bytes[p - 1].is_ascii_digit();
            if starts_line {
                at = Some(p);
            }
            from = p + 1;
        }
        let Some(at) = at else { continue };
        let Some(kw) = find(bytes, b"stream", at) else {
            continue;
        };
        let mut start = kw + b"stream".len();
        if bytes.get(start) == Some(&b'\r') {
            start += 1;
        }
        if bytes.get(start) == Some(&b'\n') {
            start += 1;
        }
        let Some(mut end) = find(bytes, b"endstream", start) else {
            continue;
        };
        if end > start && bytes[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        st.set_content(bytes[start..end].to_vec());
        mended += 1;
    }
    mended
}

/// How a source PDF made it into the binder.
enum Saved {
    /// Copied as it is (`mended` streams measured again).
    Copied { mended: usize },
    /// Rewritten by qpdf, then copied.
    Repaired,
    /// Drawn as pictures by poppler (its pages look the same; its text cannot be selected).
    Rendered,
    /// Not reproduced: placeholder pages say why.
    Placeholder(String),
}

impl Saved {
    /// What the index says about it.
    fn note(&self) -> Option<String> {
        match self {
            Saved::Copied { mended: 0 } => None,
            Saved::Copied { mended } => Some(format!(
                "mended: {mended} stream(s) without a length were measured again from the file, as other PDF readers do"
            )),
            Saved::Repaired => Some("repaired: the source PDF is damaged; it was rewritten by qpdf and then copied".into()),
            Saved::Rendered => Some(
                "rendered: the source PDF could not be copied; its pages are reproduced as pictures (their text cannot be selected)".into(),
            ),
            Saved::Placeholder(reason) => Some(format!("placeholder: {reason}")),
        }
    }
}

/// Copies a source PDF into `slots`, or saves what it can: repaired by qpdf, or drawn as
/// pictures page by page, or (when nothing works) a `Saved::Placeholder` for the caller to draw.
#[allow(clippy::too_many_arguments)]
fn copy_or_save<W: Sink>(
    out: &mut PdfOut<W>,
    plan: &mut Plan,
    ids: &Ids,
    sources: &dyn Sources,
    bytes: &[u8],
    first: Result<OpenPdf, String>,
    slots: &[u32],
    stamps: &[(String, String)],
    paper: Paper,
    bottoms: &[Option<f32>],
    turns: u32,
    scaled: &mut Vec<(u32, f32)>,
) -> std::io::Result<Saved> {
    let (pdf, saved) = match first {
        Ok(pdf) => {
            let mended = pdf.mended;
            (Some(pdf), Saved::Copied { mended })
        }
        Err(_) => match sources.repair(bytes).map(|b| open_pdf(&b, slots.len())) {
            Some(Ok(pdf)) => (Some(pdf), Saved::Repaired),
            _ => (None, Saved::Rendered),
        },
    };
    if let Some(pdf) = pdf {
        *scaled = import_pdf(out, &mut plan.fonts, ids, &pdf, slots, stamps, bottoms, turns)
            .map_err(std::io::Error::other)?;
        return Ok(saved);
    }
    let first_err = match open_pdf(bytes, slots.len()) {
        Err(e) => e,
        Ok(_) => String::new(),
    };
    // Drawn page by page; every page must be drawn, or the document is a placeholder.
    let mut pictures = Vec::with_capacity(slots.len());
    for k in 0..slots.len() {
        match sources
            .render(bytes, k as u32 + 1)
            .and_then(|png| image::pictures(&png).ok())
            .and_then(|mut p| (p.len() == 1).then(|| p.remove(0)))
        {
            Some(pic) => pictures.push(pic),
            None => {
                return Ok(Saved::Placeholder(format!(
                    "this PDF is damaged and could not be reproduced ({first_err})."
                )));
            }
        }
    }
    for ((pic, slot), (left, right)) in pictures.into_iter().zip(slots).zip(stamps) {
        image_page(out, plan, ids, *slot, paper, pic, 1, left, right)?;
    }
    Ok(Saved::Rendered)
}

/// A page that stands in for a document (or a page of one) that is not reproduced, and says why.
#[allow(clippy::too_many_arguments)]
fn placeholder<W: Sink>(
    out: &mut PdfOut<W>,
    plan: &mut Plan,
    ids: &Ids,
    slot: u32,
    paper: Paper,
    e: &Exhibit,
    reason: &str,
    left: &str,
    right: &str,
) -> std::io::Result<()> {
    let mut c = Canvas::default();
    for l in front::placeholder_page(&mut plan.fonts, paper, e, reason) {
        c.line(&l, &mut plan.fonts);
    }
    c.stamp(&mut plan.fonts, paper.w, left, right);
    write_page(out, plan, ids, slot, paper, c, Vec::new(), Vec::new())
}

/// A source PDF, read and checked so that copying it cannot fail half-way (nothing is written
/// before every page is known to be there).
/// How many source PDFs are read ahead of the one being written.
const READ_AHEAD: usize = 4;

/// How many threads read source PDFs ahead of the writing thread for `pdfs` PDFs: one a core
/// (four at most, never more than the PDFs). The writing thread waits on them more than they
/// on it, so they share its core too (measured on two cores, 600 PDFs: 0.51 s against 0.53 s
/// with one reader).
fn readers_ahead(pdfs: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores.clamp(1, 4).min(pdfs.max(1))
}

/// A source PDF read ahead: its bytes (checked against its SHA-256) and the document parsed
/// from them.
struct Ahead {
    bytes: Result<Vec<u8>, String>,
    opened: Result<OpenPdf, String>,
}

struct OpenPdf {
    doc: lopdf::Document,
    /// Streams measured again ([`mend_unmeasured_streams`]).
    mended: usize,
}

/// Reads a source PDF and checks that its `pages` pages can be copied.
fn open_pdf(bytes: &[u8], pages: usize) -> Result<OpenPdf, String> {
    let mut doc = crate::panic_guard::quietly(|| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| lopdf::Document::load_mem(bytes)))
    })
    .map_err(|_| "the PDF reader failed on it".to_string())?
    .map_err(|e| format!("the PDF could not be read ({e})"))?;
    let mended = mend_unmeasured_streams(&mut doc, bytes);
    if doc.is_encrypted() {
        return Err("it is locked with a password".into());
    }
    let found = doc.get_pages();
    if found.len() != pages {
        return Err(format!(
            "its page tree has {} pages where {} were read",
            found.len(),
            pages
        ));
    }
    for (k, id) in found.values().enumerate() {
        if doc.get_dictionary(*id).is_err() {
            return Err(format!("page {} is damaged", k + 1));
        }
        // What the page draws must decode and read as drawing instructions: a copy of broken
        // instructions would print wrong (and fail a PDF check), so such a page is not copied.
        if !page_draws(&doc, *id) {
            return Err(format!("the drawing instructions of page {} are damaged", k + 1));
        }
    }
    // Streams in an older compression (LZW, hex…) are written out decoded, so every reader (and
    // a PDF check) reads them the same way; one that does not decode, or a JPEG whose structure
    // is broken, means the document cannot be copied as it is.
    for (id, obj) in doc.objects.iter_mut() {
        let Object::Stream(st) = obj else { continue };
        let names = filters(&st.dict);
        if names.iter().any(|f| {
            matches!(
                f.as_slice(),
                b"LZWDecode" | b"RunLengthDecode" | b"ASCII85Decode" | b"ASCIIHexDecode"
            )
        }) && !names.iter().any(|f| f.as_slice() == b"DCTDecode")
            && st.decompress().is_err()
        {
            return Err(format!("a stream of the file (object {}) is damaged", id.0));
        }
        if names.last().is_some_and(|f| f.as_slice() == b"DCTDecode")
            && names.len() == 1
            && !image::jpeg_is_whole(&st.content)
        {
            return Err(format!("a picture in the file (object {}) is damaged", id.0));
        }
    }
    Ok(OpenPdf { doc, mended })
}

/// The compressions every PDF reader decodes (a content stream in another, such as a
/// prototype's BrotliDecode, prints blank in most readers).
const KNOWN_FILTERS: &[&[u8]] = &[
    b"FlateDecode",
    b"LZWDecode",
    b"ASCII85Decode",
    b"ASCIIHexDecode",
    b"RunLengthDecode",
];

/// The filter names of a stream, in order.
fn filters(dict: &Dictionary) -> Vec<Vec<u8>> {
    match dict.get(b"Filter") {
        Ok(Object::Name(n)) => vec![n.clone()],
        Ok(Object::Array(a)) => a
            .iter()
            .filter_map(|o| o.as_name().ok().map(<[u8]>::to_vec))
            .collect(),
        _ => Vec::new(),
    }
}

/// The most drawing instructions of one page parsed to see that they read as such (bytes).
const MAX_PARSED_CONTENT: usize = 4 << 20;

/// True when every content stream of the page decodes (its filters) and reads as drawing
/// instructions.
fn page_draws(doc: &lopdf::Document, page: lopdf::ObjectId) -> bool {
    let mut all = Vec::new();
    for id in doc.get_page_contents(page) {
        let Ok(Object::Stream(st)) = doc.get_object(id) else {
            return false;
        };
        if !filters(&st.dict)
            .iter()
            .all(|f| KNOWN_FILTERS.contains(&f.as_slice()))
        {
            return false;
        }
        if st.dict.has(b"Filter") {
            match st.decompressed_content() {
                Ok(d) => all.extend(d),
                Err(_) => return false,
            }
        } else {
            all.extend_from_slice(&st.content);
        }
        all.push(b'\n');
    }
    // Drawing instructions are parsed into memory some fifty times their size: past a few
    // megabytes (a page drawing the same words a million times) the decoded streams are taken
    // as they are, and the check of the binder's text speaks for the page instead.
    if all.len() > MAX_PARSED_CONTENT {
        return true;
    }
    crate::panic_guard::quietly(|| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            lopdf::content::Content::decode(&all).is_ok()
        }))
    })
    .unwrap_or(false)
}

/// Copies a checked source PDF's pages into the binder.
#[allow(clippy::too_many_arguments)]
fn import_pdf<W: Sink>(
    out: &mut PdfOut<W>,
    fonts: &mut super::font::Fonts,
    ids: &Ids,
    pdf: &OpenPdf,
    slots: &[u32],
    stamps: &[(String, String)],
    bottoms: &[Option<f32>],
    turns: u32,
) -> Result<Vec<(u32, f32)>, String> {
    let mut scaled = Vec::new();
    let doc = &pdf.doc;
    let pages = doc.get_pages();
    let faces = fonts;
    let mut copier = Copier::new(doc);
    for ((_, old), new) in pages.iter().zip(slots) {
        copier.claim(*old, *new);
    }
    for (k, (_, old)) in pages.iter().enumerate() {
        let Ok(src) = doc.get_dictionary(*old) else {
            return Err(format!("page {} is damaged", k + 1));
        };
        let media = as_rect(doc, inherited(doc, src, b"MediaBox")).unwrap_or([0.0, 0.0, 612.0, 792.0]);
        let crop = as_rect(doc, inherited(doc, src, b"CropBox"));
        let visible = match crop {
            Some(c) => {
                let v = [
                    c[0].max(media[0]),
                    c[1].max(media[1]),
                    c[2].min(media[2]),
                    c[3].min(media[3]),
                ];
                if v[2] > v[0] && v[3] > v[1] { v } else { media }
            }
            None => media,
        };
        let rotate = match inherited(doc, src, b"Rotate").map(|o| deref(doc, o)) {
            Some(Object::Integer(r)) => *r,
            Some(Object::Real(r)) => *r as i64,
            _ => 0,
        } + 90 * i64::from(turns);
        let mut resources = match inherited(doc, src, b"Resources").map(|o| deref(doc, o)) {
            Some(Object::Dictionary(d)) => d.clone(),
            _ => Dictionary::new(),
        };
        let mut fonts = match resources.get(b"Font").ok().map(|o| deref(doc, o)) {
            Some(Object::Dictionary(d)) => d.clone(),
            _ => Dictionary::new(),
        };
        let contents: Vec<Object> = match src.get(b"Contents").ok() {
            Some(Object::Array(a)) => a.clone(),
            Some(Object::Reference(r)) => match doc.get_object(*r) {
                Ok(Object::Array(a)) => a.clone(),
                _ => vec![Object::Reference(*r)],
            },
            _ => Vec::new(),
        };

        let mut page = Dictionary::new();
        for (key, value) in src.iter() {
            match key.as_slice() {
                b"Parent" | b"StructParents" | b"Contents" | b"Resources" | b"MediaBox" | b"CropBox"
                | b"Rotate" | b"B" | b"Type" => {}
                _ => page.set(key.clone(), value.clone()),
            }
        }
        copier.renumber_dict(out, &mut page);
        copier.renumber_dict(out, &mut resources);
        copier.renumber_dict(out, &mut fonts);
        let mut contents: Vec<Object> = contents;
        for c in &mut contents {
            copier.renumber(out, c);
        }
        contents.retain(|c| matches!(c, Object::Reference(_)));

        // The stamp, drawn in display space and mapped onto the page as it is shown.
        let (m, display_w) = display_transform(visible, rotate);
        let mut c = Canvas::default();
        let (left, right) = &stamps[k];
        c.stamp(faces, display_w, left, right);
        for s in &c.slots {
            fonts.set(resource_name(*s), reference(faces.object_of(*s)));
        }
        let stamp_ops = format!(
            "Q\nq {} {} {} {} {} {} cm\n{}Q\n",
            num(m[0]),
            num(m[1]),
            num(m[2]),
            num(m[3]),
            num(m[4]),
            num(m[5]),
            c.ops
        );
        let stamp_id = out.alloc();
        out.write(stamp_id, &content_stream(stamp_ops.into_bytes()))
            .map_err(|e| e.to_string())?;
        // Text that runs into the footer band: the page is made smaller, about its top centre,
        // just enough for the stamp to sit on clear ground.
        let display_h = if (rotate.rem_euclid(360) + 45) / 90 % 2 == 1 {
            visible[2] - visible[0]
        } else {
            visible[3] - visible[1]
        };
        let opening = match bottoms.get(k).copied().flatten() {
            Some(low) => match clearing_scale(low, display_h, Canvas::stamp_band(display_w)) {
                Some(s) => {
                    scaled.push((k as u32 + 1, s));
                    let shrink = [s, 0.0, 0.0, s, (1.0 - s) * display_w / 2.0, (1.0 - s) * display_h];
                    let cm = affine_mul(affine_mul(affine_invert(m), shrink), m);
                    let ops = format!(
                        "q {} {} {} {} {} {} cm\n",
                        num(cm[0]),
                        num(cm[1]),
                        num(cm[2]),
                        num(cm[3]),
                        num(cm[4]),
                        num(cm[5])
                    );
                    let id = out.alloc();
                    out.write(id, &content_stream(ops.into_bytes()))
                        .map_err(|e| e.to_string())?;
                    id
                }
                None => ids.q,
            },
            None => ids.q,
        };
        let mut all = vec![reference(opening)];
        all.extend(contents);
        all.push(reference(stamp_id));

        resources.set("Font", Object::Dictionary(fonts));
        page.set("Type", name("Page"));
        page.set("Parent", reference(ids.pages));
        page.set("MediaBox", rect(media));
        if let Some(c) = crop
            && c != media
        {
            page.set("CropBox", rect(c));
        }
        if rotate.rem_euclid(360) != 0 {
            page.set("Rotate", rotate.rem_euclid(360) / 90 * 90);
        }
        page.set("Resources", Object::Dictionary(resources));
        page.set("Contents", Object::Array(all));
        out.write(slots[k], &Object::Dictionary(page))
            .map_err(|e| e.to_string())?;
    }
    copier.drain(out).map_err(|e| e.to_string())?;
    Ok(scaled)
}

/// The scale that lifts text reaching `low` of a page `height` tall (a share, from the top) out
/// of a footer band `band` high, or `None` when it is clear already.
pub fn clearing_scale(low: f32, height: f32, band: f32) -> Option<f32> {
    if !(low.is_finite() && height > band * 2.0) {
        return None;
    }
    let lowest = low.clamp(0.0, 1.0) * height;
    if lowest <= height - band {
        return None;
    }
    // Rounded down to a thousandth, so the printed figure is the one used.
    Some(((height - band) / lowest * 1000.0).floor() / 1000.0)
}

/// `a` then `b`, for PDF matrices `[a b c d e f]` (row vectors, as `cm` composes them).
fn affine_mul(a: [f32; 6], b: [f32; 6]) -> [f32; 6] {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

/// The inverse of a PDF matrix (the display transforms are rotations: always invertible).
fn affine_invert(m: [f32; 6]) -> [f32; 6] {
    let det = m[0] * m[3] - m[1] * m[2];
    if det.abs() < f32::EPSILON {
        return [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
    }
    let (a, b, c, d) = (m[3] / det, -m[1] / det, -m[2] / det, m[0] / det);
    [a, b, c, d, -(m[4] * a + m[5] * c), -(m[4] * b + m[5] * d)]
}

#[cfg(test)]
mod scale_tests {
    use super::*;

    #[test]
    fn text_in_the_footer_band_is_lifted_just_clear_of_it() {
        // Letter paper, band 27 pt: text down to 750 pt of 792 is clear; to 780 is not.
        assert_eq!(clearing_scale(750.0 / 792.0, 792.0, 27.0), None);
        let s = clearing_scale(780.0 / 792.0, 792.0, 27.0).unwrap();
        assert!(s < 1.0 && 780.0 * s <= 792.0 - 27.0 && 780.0 * (s + 0.002) > 792.0 - 27.0);
        assert_eq!(clearing_scale(f32::NAN, 792.0, 27.0), None);
        // Scaling about the top centre in display space, mapped through a /Rotate 90 page, is
        // the same point mapping as doing it by hand.
        let (m, w) = display_transform([0.0, 0.0, 792.0, 612.0], 90);
        let h = 792.0;
        let s = 0.9;
        let shrink = [s, 0.0, 0.0, s, (1.0 - s) * w / 2.0, (1.0 - s) * h];
        let cm = affine_mul(affine_mul(affine_invert(m), shrink), m);
        let apply =
            |t: [f32; 6], p: (f32, f32)| (p.0 * t[0] + p.1 * t[2] + t[4], p.0 * t[1] + p.1 * t[3] + t[5]);
        // A display point: the bottom-left corner (0, 0) goes to ((1-s)w/2, (1-s)h).
        let user = apply(m, (0.0, 0.0));
        let moved = apply(cm, user);
        let expect = apply(m, ((1.0 - s) * w / 2.0, (1.0 - s) * h));
        assert!((moved.0 - expect.0).abs() < 0.01 && (moved.1 - expect.1).abs() < 0.01);
    }
}

/// Runs a PDF through the binder's page import into nothing (for the fuzzer): every page is
/// copied and stamped as in a real build. Returns the number of pages.
pub fn check_import(bytes: &[u8]) -> Result<usize, String> {
    let mut out = PdfOut::new(std::io::sink()).map_err(|e| e.to_string())?;
    let ids = Ids {
        pages: out.alloc(),
        q: out.alloc(),
    };
    let base = out.alloc();
    for _ in 1..MAX_FACES {
        out.alloc();
    }
    let mut fonts = super::font::Fonts::new(base);
    let n = lopdf::Document::load_mem(bytes)
        .map_err(|e| e.to_string())?
        .get_pages()
        .len();
    let slots: Vec<u32> = (0..n).map(|_| out.alloc()).collect();
    let stamps: Vec<(String, String)> = (0..n)
        .map(|k| (format!("Page {k}"), "P-1 · X-000001".into()))
        .collect();
    let pdf = open_pdf(bytes, n)?;
    import_pdf(&mut out, &mut fonts, &ids, &pdf, &slots, &stamps, &[], 0)?;
    Ok(n)
}

/// Bookmarks: cover, index, chronology, findings, then each exhibit with its attachments.
fn write_outline<W: Sink>(
    out: &mut PdfOut<W>,
    plan: &Plan,
    outlines_id: u32,
    page_ids: &[u32],
) -> std::io::Result<()> {
    struct Node {
        title: String,
        page: u32,
        children: Vec<Node>,
    }
    let mut nodes: Vec<Node> = Vec::new();
    let mut seen_sections = Vec::new();
    for (i, fp) in plan.front.iter().enumerate() {
        if !seen_sections.contains(&fp.section) {
            seen_sections.push(fp.section);
            nodes.push(Node {
                title: fp.section.title().to_string(),
                page: i as u32 + 1,
                children: Vec::new(),
            });
        }
    }
    // Exhibits in order; an attachment goes under its email's bookmark.
    let mut exhibit_node: Vec<Option<usize>> = Vec::new();
    for e in &plan.exhibits {
        let node = Node {
            title: e.headline(),
            page: e.first_page,
            children: Vec::new(),
        };
        match e.parent.and_then(|p| exhibit_node.get(p).copied().flatten()) {
            Some(at) => {
                nodes[at].children.push(node);
                exhibit_node.push(None);
            }
            None => {
                nodes.push(node);
                exhibit_node.push(Some(nodes.len() - 1));
            }
        }
    }
    fn write_level<W: Sink>(
        out: &mut PdfOut<W>,
        nodes: &[Node],
        parent: u32,
        page_ids: &[u32],
    ) -> std::io::Result<(u32, u32, i64)> {
        let ids: Vec<u32> = nodes.iter().map(|_| out.alloc()).collect();
        for (i, n) in nodes.iter().enumerate() {
            let mut d = Dictionary::new();
            d.set("Title", lopdf::text_string(&n.title));
            d.set("Parent", reference(parent));
            if i > 0 {
                d.set("Prev", reference(ids[i - 1]));
            }
            if i + 1 < ids.len() {
                d.set("Next", reference(ids[i + 1]));
            }
            if let Some(p) = page_ids.get(n.page.saturating_sub(1) as usize) {
                d.set("Dest", Object::Array(vec![reference(*p), name("Fit")]));
            }
            if !n.children.is_empty() {
                let (first, last, c) = write_level(out, &n.children, ids[i], page_ids)?;
                d.set("First", reference(first));
                d.set("Last", reference(last));
                // Closed: the attachments show when the email's bookmark is opened.
                d.set("Count", -c);
            }
            out.write(ids[i], &Object::Dictionary(d))?;
        }
        Ok((ids[0], ids[ids.len() - 1], nodes.len() as i64))
    }
    let mut root = Dictionary::new();
    root.set("Type", name("Outlines"));
    if !nodes.is_empty() {
        let (first, last, count) = write_level(out, &nodes, outlines_id, page_ids)?;
        root.set("First", reference(first));
        root.set("Last", reference(last));
        root.set("Count", count);
    }
    out.write(outlines_id, &Object::Dictionary(root))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(m: [f32; 6], x: f32, y: f32) -> (f32, f32) {
        (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
    }

    #[test]
    fn the_stamp_corner_is_the_displayed_bottom_right() {
        // A page [10 20 610 820]; the displayed bottom-right corner in user space, per rotation.
        let v = [10.0, 20.0, 610.0, 820.0];
        let cases = [
            (0, (610.0, 20.0)),
            (90, (610.0, 820.0)),
            (180, (10.0, 820.0)),
            (270, (10.0, 20.0)),
            (-90, (10.0, 20.0)),
        ];
        for (rot, want) in cases {
            let (m, w) = display_transform(v, rot);
            let got = apply(m, w, 0.0);
            assert!(
                (got.0 - want.0).abs() < 0.01 && (got.1 - want.1).abs() < 0.01,
                "rotate {rot}: {got:?}"
            );
        }
    }
}
