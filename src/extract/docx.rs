//! Word .docx: body text with tables, headers, footers, footnotes and endnotes; core properties.
//!
//! A .docx is a zip of XML parts. Each part is read with a size cap (a zip bomb fails the
//! document, not the machine), and only `w:t` text is kept, so field codes and deleted text do
//! not leak in. Entities other than XML's five are never resolved (no XXE).

use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::Event;

use super::{Extracted, Extractor, Format, Input, Status};

/// Largest XML part read, decompressed.
const MAX_PART: u64 = 64 * 1024 * 1024;

pub struct DocxExtractor;

impl Extractor for DocxExtractor {
    fn format(&self) -> Format {
        Format::Docx
    }

    fn extract(&self, input: &Input<'_>) -> Extracted {
        if input.bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            return Extracted::failed(
                Format::Docx,
                Status::Encrypted,
                "This Word file is protected by a password. Open it in Word with the password and save a copy without one.",
            );
        }
        let mut zip = match zip::ZipArchive::new(Cursor::new(input.bytes)) {
            Ok(z) => z,
            Err(err) => {
                return Extracted::failed(
                    Format::Docx,
                    Status::Corrupt,
                    format!(
                        "This Word file is damaged ({err}). Open it in Word and save it again, or save it as PDF."
                    ),
                );
            }
        };
        let Some(body) = read_part(&mut zip, "word/document.xml") else {
            return Extracted::failed(
                Format::Docx,
                Status::Corrupt,
                "This Word file has no readable body (word/document.xml is missing or damaged). Open it in Word and save it again.",
            );
        };
        let mut text = xml_text(&body);
        let mut extra_names: Vec<String> = zip
            .file_names()
            .filter_map(Result::ok)
            .map(|n| n.into_owned())
            .filter(|n| {
                let n = n.to_ascii_lowercase();
                (n.starts_with("word/header") || n.starts_with("word/footer")) && n.ends_with(".xml")
                    || n == "word/footnotes.xml"
                    || n == "word/endnotes.xml"
            })
            .collect();
        extra_names.sort();
        for name in extra_names {
            if let Some(xml) = read_part(&mut zip, &name) {
                let t = xml_text(&xml);
                if !t.trim().is_empty() {
                    text.push_str("\n\n");
                    text.push_str(t.trim());
                }
            }
        }
        let mut out = Extracted::new(Format::Docx);
        if let Some(core) = read_part(&mut zip, "docProps/core.xml") {
            for (tag, key) in [
                ("title", "title"),
                ("creator", "author"),
                ("created", "created"),
                ("modified", "modified"),
                ("lastModifiedBy", "last_modified_by"),
            ] {
                if let Some(v) = element_text(&core, tag) {
                    match key {
                        "title" => out.title = Some(v.clone()),
                        "author" => out.author = Some(v.clone()),
                        _ => {}
                    }
                    out.set_meta(key, v);
                }
            }
        }
        out.pages.push(text.trim().to_string());
        if out.text_chars() == 0 {
            out.status = Status::NoText;
            out.reason = Some("This Word file has no text (it may hold only pictures).".into());
        }
        out
    }
}

fn read_part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<String> {
    let file = zip.by_name(name).ok()?;
    let mut buf = Vec::new();
    file.take(MAX_PART).read_to_end(&mut buf).ok()?;
    Some(String::from_utf8_lossy(&buf).into_owned())
}

/// Text of a WordprocessingML part: paragraphs become lines; a table row becomes one line with
/// its cells separated by tabs (paragraphs inside a cell joined by spaces), so that a label and
/// its value stay side by side as they are on the page.
pub fn xml_text(xml: &str) -> String {
    let mut reader = Reader::from_str(xml);
    let mut out = String::new();
    let mut in_text = false;
    // How many table cells we are inside (tables nest).
    let mut cells = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                "t" => in_text = true,
                "tc" => cells += 1,
                _ => {}
            },
            Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                "tab" => out.push(if cells > 0 { ' ' } else { '\t' }),
                "br" | "cr" => out.push(if cells > 0 { ' ' } else { '\n' }),
                _ => {}
            },
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => out.push(if cells > 0 { ' ' } else { '\n' }),
                "tc" => {
                    cells = cells.saturating_sub(1);
                    while out.ends_with(' ') {
                        out.pop();
                    }
                    out.push(if cells > 0 { ' ' } else { '\t' });
                }
                "tr" if cells == 0 => {
                    while out.ends_with('\t') || out.ends_with(' ') {
                        out.pop();
                    }
                    out.push('\n');
                }
                _ => {}
            },
            Ok(Event::Text(t)) if in_text => out.push_str(&t.xml10_content()),
            Ok(Event::CData(t)) if in_text => out.push_str(&t.xml10_content()),
            Ok(Event::GeneralRef(r)) if in_text => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    out.push(c);
                } else if let Some(c) = predefined_entity(&r) {
                    out.push(c);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

fn predefined_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}

/// Text of the first element with this local name (for docProps/core.xml).
fn element_text(xml: &str, local: &str) -> Option<String> {
    let mut reader = Reader::from_str(xml);
    let mut inside = false;
    let mut value = String::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.local_name().as_ref() == local => inside = true,
            Ok(Event::End(e)) if inside && e.local_name().as_ref() == local => break,
            Ok(Event::Text(t)) if inside => value.push_str(&t.xml10_content()),
            Ok(Event::GeneralRef(r)) if inside => {
                if let Some(c) = predefined_entity(&r) {
                    value.push(c);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    let v = value.trim().to_string();
    (!v.is_empty()).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_tables_and_entities() {
        let xml = r#"<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>IEP &amp; goals</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Speech</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>30 min</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p><w:r><w:instrText>AUTHOR</w:instrText><w:t xml:space="preserve">Done</w:t></w:r></w:p></w:body></w:document>"#;
        let t = xml_text(xml);
        assert!(t.contains("IEP & goals"), "{t}");
        assert!(
            t.contains("\nSpeech\t30 min\n"),
            "a row is one line of tab-separated cells: {t:?}"
        );
        assert!(!t.contains("AUTHOR"), "{t}");
    }

    #[test]
    fn a_cell_of_several_paragraphs_stays_in_its_row() {
        let xml = r#"<w:document xmlns:w="x"><w:body><w:tbl><w:tr><w:tc><w:p><w:r><w:t>Date of</w:t></w:r></w:p><w:p><w:r><w:t>Meeting</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>03/20/2025</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:p><w:r><w:t>Next</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr></w:tbl></w:body></w:document>"#;
        assert_eq!(xml_text(xml), "Date of Meeting\t03/20/2025\nNext\n");
    }

    #[test]
    fn not_a_zip_is_corrupt() {
        let e = DocxExtractor.extract(&Input {
            bytes: b"PK\x03\x04garbage",
            name: "a.docx",
        });
        assert_eq!(e.status, Status::Corrupt);
    }
}
