//! Plain text and Markdown notes (.txt, .md): decoded as UTF-8, UTF-16 or Windows-1252.

use super::{Extracted, Extractor, Format, Input, Status};

pub struct TextExtractor;

impl Extractor for TextExtractor {
    fn format(&self) -> Format {
        Format::Text
    }

    fn extract(&self, input: &Input<'_>) -> Extracted {
        let text = decode_text(input.bytes);
        if text.contains('\0') {
            return Extracted::failed(
                Format::Text,
                Status::Unsupported,
                "This file has a text name but holds binary data. If it is evidence, save it as PDF.",
            );
        }
        let mut out = Extracted::new(Format::Text);
        out.pages.push(text.replace("\r\n", "\n").trim_end().to_string());
        if out.text_chars() == 0 {
            out.status = Status::NoText;
            out.reason = Some("This text file is blank.".into());
        }
        out
    }
}

/// Bytes of unknown encoding as text: UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1252.
pub fn decode_text(bytes: &[u8]) -> String {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return text.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_common_encodings() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFhello"), "hello");
        assert_eq!(decode_text(b"caf\xe9"), "café");
        assert_eq!(decode_text(&[0xFF, 0xFE, b'h', 0, b'i', 0]), "hi");
    }
}
