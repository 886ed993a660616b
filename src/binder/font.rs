//! The typefaces the binder writes with, embedded so that text in any script is readable.
//!
//! PDF's base-14 Helvetica only knows Latin-1: a Polish name, a Greek word or a Chinese email
//! would print as `?`. So every word casebinder writes (stamps, cover, index, rendered emails)
//! uses an embedded TrueType face: DejaVu Sans, bundled with the program (it covers Latin,
//! Greek, Cyrillic and more), and, for characters it lacks (Chinese, Japanese, Korean, Arabic…),
//! the first font installed on this computer that has them. Each face is embedded as a subset
//! (only the glyphs used) in a CID font with a `ToUnicode` map, so text can be searched and copied.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use lopdf::{Dictionary, Object, Stream};
use subsetter::GlyphRemapper;
use ttf_parser::{Face, GlyphId};

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// Where installed fonts are looked for when the bundled ones lack a character.
const FONT_DIRS: &[&str] = &[
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "C:\\Windows\\Fonts",
];

/// One embedded face and the glyphs used from it.
struct FaceSlot {
    name: String,
    data: &'static [u8],
    index: u32,
    face: Face<'static>,
    /// char → (glyph id in the subset, advance in 1/1000 em)
    glyphs: HashMap<char, (u16, f32)>,
    remapper: GlyphRemapper,
    /// subset glyph id → (text it stands for, advance)
    used: BTreeMap<u16, (char, f32)>,
}

impl FaceSlot {
    fn new(name: String, data: &'static [u8], index: u32) -> Option<FaceSlot> {
        let face = Face::parse(data, index).ok()?;
        Some(FaceSlot {
            name,
            data,
            index,
            face,
            glyphs: HashMap::new(),
            remapper: GlyphRemapper::new(),
            used: BTreeMap::new(),
        })
    }

    fn has(&self, c: char) -> bool {
        self.face.glyph_index(c).is_some_and(|g| g.0 != 0)
    }

    /// The subset glyph and advance of `c` (which the face must have).
    fn glyph(&mut self, c: char) -> (u16, f32) {
        if let Some(g) = self.glyphs.get(&c) {
            return *g;
        }
        let gid = self.face.glyph_index(c).unwrap_or(GlyphId(0));
        let upem = f32::from(self.face.units_per_em().max(1));
        let advance = f32::from(self.face.glyph_hor_advance(gid).unwrap_or(0)) * 1000.0 / upem;
        let new = self.remapper.remap(gid.0);
        self.used.entry(new).or_insert((c, advance));
        self.glyphs.insert(c, (new, advance));
        (new, advance)
    }

    /// Advance of `c` in 1/1000 em without marking it used.
    fn advance(&self, c: char) -> f32 {
        if let Some((_, a)) = self.glyphs.get(&c) {
            return *a;
        }
        let gid = self.face.glyph_index(c).unwrap_or(GlyphId(0));
        let upem = f32::from(self.face.units_per_em().max(1));
        f32::from(self.face.glyph_hor_advance(gid).unwrap_or(0)) * 1000.0 / upem
    }
}

/// How many faces one binder may embed; each has a reserved object number.
pub const MAX_FACES: usize = 12;

/// A run of text in one face: which face and the hex-encoded glyph string.
pub struct Run {
    pub slot: usize,
    pub hex: String,
}

/// The resource name of a face on a page: unusual, so it never collides with a source page's.
pub fn resource_name(slot: usize) -> String {
    format!("CBF{slot}")
}

/// All faces of one binder build.
pub struct Fonts {
    slots: Vec<FaceSlot>,
    /// Object number of the first face; face `i` is `base + i`.
    base: u32,
    /// Installed fonts, searched once, in a fixed order (for byte-identical binders).
    installed: Option<Vec<PathBuf>>,
    /// Installed font paths already tried and found unusable or lacking.
    tried: BTreeSet<PathBuf>,
    /// Characters no font could show.
    pub missing: BTreeSet<char>,
    extra_dirs: Vec<PathBuf>,
}

impl Fonts {
    /// `base`: the first of [`MAX_FACES`] object numbers reserved for the faces.
    pub fn new(base: u32) -> Fonts {
        let mut slots = Vec::new();
        for (name, data) in [("DejaVuSans", REGULAR), ("DejaVuSans-Bold", BOLD)] {
            if let Some(slot) = FaceSlot::new(name.to_string(), data, 0) {
                slots.push(slot);
            }
        }
        let extra_dirs = std::env::var_os("CASEBINDER_FONT_DIR")
            .map(|v| std::env::split_paths(&v).collect())
            .unwrap_or_default();
        Fonts {
            slots,
            base,
            installed: None,
            tried: BTreeSet::new(),
            missing: BTreeSet::new(),
            extra_dirs,
        }
    }

    /// The names of the faces used, for the manifest.
    pub fn faces_used(&self) -> Vec<String> {
        self.slots
            .iter()
            .filter(|s| !s.used.is_empty())
            .map(|s| s.name.clone())
            .collect()
    }

    /// Which face shows `c` (bold preferred when asked), loading an installed font if needed.
    fn slot_for(&mut self, c: char, bold: bool) -> Option<usize> {
        let first = usize::from(bold && self.slots.len() > 1);
        if self.slots.get(first).is_some_and(|s| s.has(c)) {
            return Some(first);
        }
        if let Some(i) = self.slots.iter().position(|s| s.has(c)) {
            return Some(i);
        }
        if c.is_control() || self.missing.contains(&c) || self.slots.len() >= MAX_FACES {
            return None;
        }
        self.load_installed_for(c)
    }

    fn load_installed_for(&mut self, c: char) -> Option<usize> {
        if self.installed.is_none() {
            let mut dirs: Vec<PathBuf> = self.extra_dirs.clone();
            dirs.extend(FONT_DIRS.iter().map(PathBuf::from));
            if let Some(home) = std::env::var_os("HOME") {
                dirs.push(Path::new(&home).join(".local/share/fonts"));
                dirs.push(Path::new(&home).join(".fonts"));
            }
            let mut found = Vec::new();
            for d in dirs {
                for entry in walkdir::WalkDir::new(&d)
                    .max_depth(6)
                    .sort_by_file_name()
                    .into_iter()
                    .flatten()
                {
                    let p = entry.path();
                    let ext = p
                        .extension()
                        .and_then(|e| e.to_str())
                        .map(str::to_ascii_lowercase);
                    if matches!(ext.as_deref(), Some("ttf" | "otf" | "ttc")) {
                        found.push(p.to_path_buf());
                    }
                }
            }
            self.installed = Some(found);
        }
        let candidates = self.installed.clone().unwrap_or_default();
        for path in candidates {
            if self.tried.contains(&path) {
                continue;
            }
            let Ok(bytes) = std::fs::read(&path) else {
                self.tried.insert(path);
                continue;
            };
            // Only a font that is used is kept (for the rest of the build); the others are dropped.
            let count = ttf_parser::fonts_in_collection(&bytes).unwrap_or(1);
            let usable = (0..count).find(|index| {
                Face::parse(&bytes, *index).is_ok_and(|f| f.glyph_index(c).is_some_and(|g| g.0 != 0))
                    && subset_kind(&bytes, *index).is_some()
            });
            let mut hit = None;
            if let Some(index) = usable {
                let data: &'static [u8] = Box::leak(bytes.into_boxed_slice());
                let name = format!(
                    "{}{}",
                    path.file_stem()
                        .and_then(|s| s.to_str())
                        .unwrap_or("Font")
                        .chars()
                        .filter(char::is_ascii_alphanumeric)
                        .collect::<String>(),
                    if count > 1 {
                        format!("-{index}")
                    } else {
                        String::new()
                    }
                );
                hit = FaceSlot::new(name, data, index);
            }
            self.tried.insert(path);
            if let Some(slot) = hit {
                self.slots.push(slot);
                return Some(self.slots.len() - 1);
            }
        }
        self.missing.insert(c);
        None
    }

    /// Width of `text` at `size` points.
    pub fn width(&mut self, text: &str, size: f32, bold: bool) -> f32 {
        let mut w = 0.0;
        for c in text.chars() {
            let c = printable(c);
            w += match self.slot_for(c, bold) {
                Some(i) => self.slots[i].advance(c),
                None => self.fallback_advance(bold),
            };
        }
        w * size / 1000.0
    }

    fn fallback_advance(&self, bold: bool) -> f32 {
        let i = usize::from(bold && self.slots.len() > 1);
        self.slots.get(i).map(|s| s.advance('?')).unwrap_or(500.0)
    }

    /// Splits `text` into runs, one per face, marking the glyphs used.
    pub fn runs(&mut self, text: &str, bold: bool) -> Vec<Run> {
        let mut runs: Vec<(usize, String)> = Vec::new();
        for c in text.chars() {
            let c = printable(c);
            let (slot, c) = match self.slot_for(c, bold) {
                Some(i) => (i, c),
                None => (usize::from(bold && self.slots.len() > 1), '?'),
            };
            let Some(s) = self.slots.get_mut(slot) else {
                continue;
            };
            let (gid, _) = s.glyph(c);
            let hex = format!("{gid:04X}");
            match runs.last_mut() {
                Some((last, h)) if *last == slot => h.push_str(&hex),
                _ => runs.push((slot, hex)),
            }
        }
        runs.into_iter().map(|(slot, hex)| Run { slot, hex }).collect()
    }

    /// Moves the faces to the object numbers reserved in the file being written.
    pub fn set_base(&mut self, base: u32) {
        self.base = base;
    }

    /// The object number of a face.
    pub fn object_of(&self, slot: usize) -> u32 {
        self.base + slot as u32
    }

    /// The PDF objects of every face used: (object id, object). Ids for the descendant font,
    /// descriptor, font file and ToUnicode map come from `alloc`.
    pub fn finish(&mut self, alloc: &mut dyn FnMut() -> u32) -> Result<Vec<(u32, Object)>, String> {
        let mut out = Vec::new();
        for (i, slot) in self.slots.iter().enumerate() {
            if slot.used.is_empty() {
                continue;
            }
            let font_id = self.base + i as u32;
            let subset = subsetter::subset(slot.data, slot.index, &slot.remapper)
                .map_err(|e| format!("could not embed the font {}: {e}", slot.name))?;
            let cff = subset_kind(slot.data, slot.index) == Some(Outlines::Cff);
            let tag = subset_tag(&slot.used);
            let base = format!("{tag}+{}", slot.name);
            let (cid_id, desc_id, file_id, map_id) = (alloc(), alloc(), alloc(), alloc());

            let mut file = Stream::new(Dictionary::new(), subset);
            if cff {
                file.dict.set("Subtype", Object::Name(b"OpenType".to_vec()));
            }
            let _ = file.compress();
            out.push((file_id, Object::Stream(file)));

            let upem = f32::from(slot.face.units_per_em().max(1));
            let scale = |v: i16| (f32::from(v) * 1000.0 / upem).round() as i64;
            let bb = slot.face.global_bounding_box();
            let mut desc = Dictionary::new();
            desc.set("Type", Object::Name(b"FontDescriptor".to_vec()));
            desc.set("FontName", Object::Name(base.clone().into_bytes()));
            desc.set("Flags", 32);
            desc.set(
                "FontBBox",
                Object::Array(vec![
                    scale(bb.x_min).into(),
                    scale(bb.y_min).into(),
                    scale(bb.x_max).into(),
                    scale(bb.y_max).into(),
                ]),
            );
            desc.set("ItalicAngle", 0);
            desc.set("Ascent", scale(slot.face.ascender()));
            desc.set("Descent", scale(slot.face.descender()));
            desc.set(
                "CapHeight",
                scale(slot.face.capital_height().unwrap_or(slot.face.ascender())),
            );
            desc.set("StemV", 80);
            desc.set(
                if cff { "FontFile3" } else { "FontFile2" },
                Object::Reference((file_id, 0)),
            );
            out.push((desc_id, Object::Dictionary(desc)));

            let mut widths = Vec::new();
            for (gid, (_, adv)) in &slot.used {
                widths.push(Object::Integer(i64::from(*gid)));
                widths.push(Object::Array(vec![Object::Integer(adv.round() as i64)]));
            }
            let mut cid = Dictionary::new();
            cid.set("Type", Object::Name(b"Font".to_vec()));
            cid.set(
                "Subtype",
                Object::Name(if cff {
                    b"CIDFontType0".to_vec()
                } else {
                    b"CIDFontType2".to_vec()
                }),
            );
            cid.set("BaseFont", Object::Name(base.clone().into_bytes()));
            let mut info = Dictionary::new();
            info.set("Registry", Object::string_literal("Adobe"));
            info.set("Ordering", Object::string_literal("Identity"));
            info.set("Supplement", 0);
            cid.set("CIDSystemInfo", Object::Dictionary(info));
            cid.set("FontDescriptor", Object::Reference((desc_id, 0)));
            cid.set("W", Object::Array(widths));
            cid.set("DW", 1000);
            if !cff {
                cid.set("CIDToGIDMap", Object::Name(b"Identity".to_vec()));
            }
            out.push((cid_id, Object::Dictionary(cid)));

            let mut cmap = Stream::new(Dictionary::new(), to_unicode(&slot.used).into_bytes());
            let _ = cmap.compress();
            out.push((map_id, Object::Stream(cmap)));

            let mut font = Dictionary::new();
            font.set("Type", Object::Name(b"Font".to_vec()));
            font.set("Subtype", Object::Name(b"Type0".to_vec()));
            font.set("BaseFont", Object::Name(base.into_bytes()));
            font.set("Encoding", Object::Name(b"Identity-H".to_vec()));
            font.set(
                "DescendantFonts",
                Object::Array(vec![Object::Reference((cid_id, 0))]),
            );
            font.set("ToUnicode", Object::Reference((map_id, 0)));
            out.push((font_id, Object::Dictionary(font)));
        }
        Ok(out)
    }
}

/// Tabs and other invisible characters print as a space.
fn printable(c: char) -> char {
    if c == '\t' || c.is_control() || c == '\u{00A0}' {
        ' '
    } else {
        c
    }
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Outlines {
    TrueType,
    Cff,
}

/// Whether a face can be embedded, and how.
fn subset_kind(data: &[u8], index: u32) -> Option<Outlines> {
    let face = Face::parse(data, index).ok()?;
    let t = face.tables();
    if t.glyf.is_some() {
        Some(Outlines::TrueType)
    } else if t.cff.is_some() {
        Some(Outlines::Cff)
    } else {
        None
    }
}

/// Six capital letters derived from the glyphs used: the same subset always gets the same tag.
fn subset_tag(used: &BTreeMap<u16, (char, f32)>) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for (gid, (c, _)) in used {
        for b in gid.to_be_bytes().iter().chain((*c as u32).to_be_bytes().iter()) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    (0..6)
        .map(|i| char::from(b'A' + ((h >> (i * 5)) % 26) as u8))
        .collect()
}

/// The CMap that lets readers copy and search the text.
fn to_unicode(used: &BTreeMap<u16, (char, f32)>) -> String {
    let mut s = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(&u16, &(char, f32))> = used.iter().collect();
    for chunk in entries.chunks(100) {
        s.push_str(&format!("{} beginbfchar\n", chunk.len()));
        for (gid, (c, _)) in chunk {
            let mut buf = [0u16; 2];
            let units: String = c
                .encode_utf16(&mut buf)
                .iter()
                .map(|u| format!("{u:04X}"))
                .collect();
            s.push_str(&format!("<{gid:04X}> <{units}>\n"));
        }
        s.push_str("endbfchar\n");
    }
    s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_greek_and_polish_come_from_the_bundled_face() {
        let mut f = Fonts::new(1);
        let mut next = 100;
        let mut alloc = || {
            next += 1;
            next
        };
        let runs = f.runs("Łukasz Ωμέγα", false);
        assert_eq!(runs.len(), 1, "one face holds all of it");
        assert_eq!(runs[0].slot, 0);
        assert_eq!(runs[0].hex.len(), 12 * 4);
        assert!(f.missing.is_empty());
        let objects = f.finish(&mut alloc).unwrap();
        assert_eq!(objects.len(), 5, "font, descendant, descriptor, file, map");
    }

    #[test]
    fn widths_grow_with_text_and_size() {
        let mut f = Fonts::new(1);
        let a = f.width("Prior written notice", 10.0, false);
        let b = f.width("Prior written notice", 20.0, false);
        assert!(a > 50.0 && (b - 2.0 * a).abs() < 0.01);
        assert!(f.width("WWW", 10.0, true) > f.width("iii", 10.0, true));
    }

    #[test]
    fn the_map_says_which_character_each_glyph_is() {
        let mut used = BTreeMap::new();
        used.insert(3u16, ('Ł', 500.0));
        let cmap = to_unicode(&used);
        assert!(cmap.contains("<0003> <0141>"));
    }
}
