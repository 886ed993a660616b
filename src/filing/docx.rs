//! A family paper as a Word document (.docx) the family can edit, written with docx-rs: the same
//! blocks give the same bytes (the document's dates are fixed, never the time it was made).

use docx_rs::{Docx, LineSpacing, Paragraph, Pic, Run, SpecialIndentType};

use super::Block;

/// The .docx of these blocks.
pub fn docx(blocks: &[Block]) -> Result<Vec<u8>, String> {
    let mut doc = Docx::new();
    let mut pictures = 0;
    for b in blocks {
        if let Block::Picture(png, w, h) = b {
            // As wide as the text (6.5 inches, in English Metric Units), its shape kept; named by
            // its order, so the same blocks give the same bytes.
            pictures += 1;
            let width: u64 = 6_5 * 914_400 / 10;
            let height = width * u64::from(*h) / u64::from((*w).max(1));
            let mut pic = Pic::new_with_dimensions(png.clone(), *w, *h)
                .size(width as u32, height.min(u64::from(u32::MAX)) as u32);
            pic.id = format!("rIdImage{pictures}");
            doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_image(pic)));
            continue;
        }
        // Sizes in half-points, spacing in twentieths of a point.
        let (run, before, after, indent) = match b {
            Block::Title(t) => (Run::new().add_text(t).bold().size(36), 0, 160, None),
            Block::Heading(t) => (Run::new().add_text(t).bold().size(28), 280, 100, None),
            Block::Para(t) => (Run::new().add_text(t).size(22), 0, 100, None),
            Block::Item(t) => (Run::new().add_text(format!("• {t}")).size(22), 0, 80, Some(360)),
            Block::Numbered(t) => (Run::new().add_text(t).size(22), 0, 80, Some(360)),
            Block::Picture(..) => continue,
        };
        let mut p = Paragraph::new()
            .add_run(run)
            .line_spacing(LineSpacing::new().before(before).after(after));
        if let Some(left) = indent {
            // The bullet hangs in the margin; the text's lines align.
            p = p.indent(Some(left), Some(SpecialIndentType::Hanging(180)), None, None);
        }
        doc = doc.add_paragraph(p);
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut buf)
        .map_err(|e| format!("the Word document could not be written ({e})"))?;
    Ok(buf.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_blocks_give_the_same_file_and_the_text_is_in_it() {
        let blocks = vec![
            Block::Title("Mediation: M.".into()),
            Block::Item("2023-03-01: Consent (P-9 at RIVERA-000010)".into()),
        ];
        let a = docx(&blocks).unwrap();
        assert_eq!(a, docx(&blocks).unwrap());
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(a)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
        assert!(xml.contains("P-9 at RIVERA-000010"), "{xml}");
    }
}
