//! HTML pages and HTML-only email bodies, turned into readable text.

use super::{Extracted, Extractor, Format, Input, Status};

pub struct HtmlExtractor;

impl Extractor for HtmlExtractor {
    fn format(&self) -> Format {
        Format::Html
    }

    fn extract(&self, input: &Input<'_>) -> Extracted {
        let mut out = Extracted::new(Format::Html);
        let source = super::text::decode_text(input.bytes);
        out.title = html_title(&source);
        if let Some(t) = &out.title {
            out.set_meta("title", t.clone());
        }
        out.pages.push(html_to_text(source.as_bytes()));
        if out.text_chars() == 0 {
            out.status = Status::NoText;
            out.reason = Some("This web page has no text.".into());
        }
        out
    }
}

/// Readable text of an HTML document (no links or images fetched: nothing leaves the machine).
pub fn html_to_text(html: &[u8]) -> String {
    match html2text::from_read(html, 100) {
        Ok(t) => t.trim_end().to_string(),
        Err(_) => String::from_utf8_lossy(html).into_owned(),
    }
}

fn html_title(source: &str) -> Option<String> {
    let lower = source.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + lower[start..].find('>')? + 1;
    let close = open_end + lower[open_end..].find("</title")?;
    let title = source
        .get(open_end..close)?
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!title.is_empty()).then_some(title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_and_text() {
        let e = HtmlExtractor.extract(&Input {
            bytes: b"<html><head><title>Team  notes</title></head><body><p>Speech &amp; OT</p></body></html>",
            name: "n.html",
        });
        assert_eq!(e.title.as_deref(), Some("Team notes"));
        assert!(e.pages[0].contains("Speech & OT"));
    }
}
