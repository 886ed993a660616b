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
        // A page saved as text under an .html name (no markup at all) keeps its own lines: read
        // as HTML, every line break would be a space and its lines would run together.
        if has_markup(&source) {
            out.pages.push(html_to_text(source.as_bytes()));
        } else {
            out.pages.push(source.trim_end().to_string());
        }
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

/// Whether a text holds HTML markup: one of the common elements, a doctype or a comment.
fn has_markup(source: &str) -> bool {
    const TAGS: &[&str] = &[
        "<html",
        "<head",
        "<body",
        "<!doctype",
        "<!--",
        "<p>",
        "<p ",
        "<div",
        "<br",
        "<span",
        "<table",
        "<tr",
        "<td",
        "<h1",
        "<h2",
        "<h3",
        "<h4",
        "<h5",
        "<h6",
        "<a ",
        "<li",
        "<ul",
        "<ol",
        "<meta",
        "<title",
        "<img",
        "<b>",
        "<i>",
        "<strong",
        "<em>",
        "<font",
        "<center",
        "<pre",
        "<section",
        "<article",
        "<header",
        "<footer",
        "<main",
        "<nav",
        "<form",
        "<input",
        "<hr",
        "<blockquote",
        "<style",
        "<script",
    ];
    let mut end = source.len().min(65536);
    while !source.is_char_boundary(end) {
        end -= 1;
    }
    let lower = source[..end].to_ascii_lowercase();
    TAGS.iter().any(|t| lower.contains(t))
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
    fn a_page_saved_as_text_under_an_html_name_keeps_its_lines() {
        let e = HtmlExtractor.extract(&Input {
            bytes: "Case summary\n\nPrepared: February 12, 2026\nStudent: <child's name>\n".as_bytes(),
            name: "summary.html",
        });
        assert_eq!(
            e.pages[0].lines().collect::<Vec<_>>(),
            [
                "Case summary",
                "",
                "Prepared: February 12, 2026",
                "Student: <child's name>"
            ]
        );
        let e = HtmlExtractor.extract(&Input {
            bytes: b"<p>Case summary\nPrepared: February 12, 2026</p>",
            name: "summary.html",
        });
        assert!(
            e.pages[0].starts_with("Case summary Prepared"),
            "{:?}",
            e.pages[0]
        );
    }

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
