//! Photos and scans (JPEG, PNG, TIFF): size, EXIF date and orientation.
//!
//! Words in a picture need OCR; until it has run the image is `no_text` with a hint that says
//! how to get it.

use std::io::Cursor;

use super::{Extracted, Extractor, Format, Input, Status};

pub struct ImageExtractor;

pub const IMAGE_HINT: &str = "This is a picture; casebinder reads the words in it with OCR when `tesseract` is installed \
     (Debian/Ubuntu: sudo apt install tesseract-ocr); then run `casebinder scan` again.";

impl Extractor for ImageExtractor {
    fn format(&self) -> Format {
        Format::Image
    }

    fn extract(&self, input: &Input<'_>) -> Extracted {
        let size = match imagesize::blob_size(input.bytes) {
            Ok(s) => s,
            Err(err) => {
                return Extracted::failed(
                    Format::Image,
                    Status::Corrupt,
                    format!(
                        "This picture is damaged and cannot be opened ({err}). Copy it again from the phone or scanner."
                    ),
                );
            }
        };
        let mut out = Extracted::new(Format::Image);
        out.page_count = Some(1);
        out.set_meta("width", size.width as u64);
        out.set_meta("height", size.height as u64);
        if let Ok(kind) = imagesize::image_type(input.bytes) {
            out.set_meta("image_type", format!("{kind:?}").to_lowercase());
        }
        read_exif(input.bytes, &mut out);
        let pixels = size.width as f64 * size.height as f64;
        if pixels > MAX_OCR_IMAGE_PIXELS {
            // OCR would need the whole picture in memory at once: several gigabytes for a
            // hostile or mistaken file. It is listed, with what to do.
            out.status = Status::NoText;
            out.reason = Some(format!(
                "This picture is too large to read ({} × {} pixels). Save a smaller copy (a photo of a letter needs about 3000 pixels across) in the case folder and scan again.",
                size.width, size.height
            ));
            return out;
        }
        if super::tools::can_ocr_images() {
            let page = super::tools::ocr_image(input.bytes, 1.0).unwrap_or_default();
            out.pages.push(page.text);
            out.layout.push(Some(page.layout));
            out.ocr = true;
            out.set_meta("text_engine", "tesseract (OCR)");
            if out.text_chars() < 16 {
                out.status = Status::NoText;
                out.reason =
                    Some("OCR found no readable words in this picture (a photo without text?).".into());
            }
        } else {
            out.status = Status::NoText;
            out.reason = Some(IMAGE_HINT.into());
        }
        out
    }
}

/// The largest picture OCR reads (about 100 megapixels: far more than any phone photo of a page).
pub const MAX_OCR_IMAGE_PIXELS: f64 = 100_000_000.0;

fn read_exif(bytes: &[u8], out: &mut Extracted) {
    let Ok(exif) = exif::Reader::new().read_from_container(&mut Cursor::new(bytes)) else {
        return;
    };
    for (tag, key) in [
        (exif::Tag::DateTimeOriginal, "exif_date_taken"),
        (exif::Tag::DateTime, "exif_date_modified"),
    ] {
        if let Some(field) = exif.get_field(tag, exif::In::PRIMARY)
            && let exif::Value::Ascii(ref parts) = field.value
            && let Some(first) = parts.first()
        {
            let raw = String::from_utf8_lossy(first).to_string();
            // "2024:03:14 09:30:00" -> "2024-03-14"
            let day: String = raw.chars().take(10).collect::<String>().replace(':', "-");
            if crate::day::parse(&day).is_ok() {
                out.set_meta(key, day);
            }
        }
    }
    if let Some(field) = exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY)
        && let Some(v) = field.value.get_uint(0)
    {
        out.set_meta("exif_orientation", v as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncated_png_is_corrupt() {
        let e = ImageExtractor.extract(&Input {
            bytes: b"\x89PNG\r\n\x1a\n",
            name: "a.png",
        });
        assert_eq!(e.status, Status::Corrupt);
    }
}
