//! Photos and scans (JPEG, PNG, TIFF) as PDF images, upright.
//!
//! A JPEG goes in as it is (DCTDecode), so a phone photo keeps its quality and size. PNG and
//! TIFF are decoded and stored losslessly (Flate), with PNG transparency as a soft mask. PDF
//! viewers ignore EXIF orientation, so the orientation is returned for the page to apply.

use std::io::{Cursor, Write};

use lopdf::{Dictionary, Object, Stream};

/// The most memory one decoded picture may take (a 600 dpi colour Letter scan needs ~100 MB).
const MAX_DECODED_BYTES: usize = 256 << 20;

/// One picture ready to place: its image XObject, an optional soft mask, its pixel size.
pub struct Picture {
    pub image: Stream,
    pub smask: Option<Stream>,
    pub width: u32,
    pub height: u32,
}

/// The pictures in an image file (a TIFF may hold several pages).
pub fn pictures(bytes: &[u8]) -> Result<Vec<Picture>, String> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        // The JPEG goes into the binder as it is: its structure must be whole.
        if !jpeg_is_whole(bytes) {
            return Err("this JPEG is damaged (its structure is broken)".into());
        }
        return jpeg(bytes).map(|p| vec![p]);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return png(bytes).map(|p| vec![p]);
    }
    if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        return tiff(bytes);
    }
    Err("this picture is not a JPEG, PNG or TIFF".into())
}

/// How many pages the file gives (without decoding the pixels).
pub fn page_count(bytes: &[u8]) -> u32 {
    if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        let Ok(mut d) = tiff::decoder::Decoder::new(Cursor::new(bytes)) else {
            return 1;
        };
        let mut n = 1;
        while d.more_images() && d.next_image().is_ok() && n < 2000 {
            n += 1;
        }
        return n;
    }
    1
}

/// EXIF orientation (1 to 8) of a JPEG; 1 when absent.
pub fn orientation(bytes: &[u8]) -> u32 {
    exif::Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .ok()
        .and_then(|e| {
            e.get_field(exif::Tag::Orientation, exif::In::PRIMARY)
                .and_then(|f| f.value.get_uint(0))
        })
        .filter(|o| (1..=8).contains(o))
        .unwrap_or(1)
}

fn image_dict(width: u32, height: u32, space: &str, bits: i64) -> Dictionary {
    let mut d = Dictionary::new();
    d.set("Type", Object::Name(b"XObject".to_vec()));
    d.set("Subtype", Object::Name(b"Image".to_vec()));
    d.set("Width", i64::from(width));
    d.set("Height", i64::from(height));
    d.set("ColorSpace", Object::Name(space.as_bytes().to_vec()));
    d.set("BitsPerComponent", bits);
    d
}

fn deflate(raw: &[u8]) -> Result<Vec<u8>, String> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
    z.write_all(raw).map_err(|e| e.to_string())?;
    z.finish().map_err(|e| e.to_string())
}

fn flate_stream(mut dict: Dictionary, raw: &[u8]) -> Result<Stream, String> {
    dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    Ok(Stream::new(dict, deflate(raw)?).with_compression(false))
}

fn jpeg(bytes: &[u8]) -> Result<Picture, String> {
    let (width, height, components, adobe) = jpeg_header(bytes).ok_or("the JPEG header is damaged")?;
    let space = match components {
        1 => "DeviceGray",
        4 => "DeviceCMYK",
        _ => "DeviceRGB",
    };
    let mut dict = image_dict(width, height, space, 8);
    dict.set("Filter", Object::Name(b"DCTDecode".to_vec()));
    if components == 4 && adobe {
        dict.set(
            "Decode",
            Object::Array(
                [1, 0, 1, 0, 1, 0, 1, 0]
                    .iter()
                    .map(|v| Object::Integer(*v))
                    .collect(),
            ),
        );
    }
    Ok(Picture {
        image: Stream::new(dict, bytes.to_vec()).with_compression(false),
        smask: None,
        width,
        height,
    })
}

/// Width, height, colour components and whether an Adobe marker is present.
fn jpeg_header(b: &[u8]) -> Option<(u32, u32, u8, bool)> {
    let mut i = 2;
    let mut adobe = false;
    while i + 4 <= b.len() {
        if b[i] != 0xFF {
            i += 1;
            continue;
        }
        let marker = b[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        if marker == 0xD8 || (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            i += 2;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
        if marker == 0xEE && b.get(i + 4..i + 9) == Some(b"Adobe".as_slice()) {
            adobe = true;
        }
        let sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if sof {
            let seg = b.get(i + 4..i + 2 + len)?;
            let h = u32::from(u16::from_be_bytes([*seg.get(1)?, *seg.get(2)?]));
            let w = u32::from(u16::from_be_bytes([*seg.get(3)?, *seg.get(4)?]));
            let c = *seg.get(5)?;
            return (w > 0 && h > 0).then_some((w, h, c, adobe));
        }
        i += 2 + len;
    }
    None
}

fn png(bytes: &[u8]) -> Result<Picture, String> {
    let mut decoder = ::png::Decoder::new_with_limits(
        Cursor::new(bytes),
        ::png::Limits {
            bytes: MAX_DECODED_BYTES,
        },
    );
    decoder.set_transformations(::png::Transformations::EXPAND | ::png::Transformations::STRIP_16);
    let mut reader = decoder
        .read_info()
        .map_err(|e| format!("the PNG is damaged or too large ({e})"))?;
    // A header may claim any size: refuse before allocating what it claims.
    let size = reader
        .output_buffer_size()
        .filter(|s| *s <= MAX_DECODED_BYTES)
        .ok_or("the PNG is too large to draw (over 256 MB once decoded); save it as JPEG or PDF")?;
    let mut buf = vec![0; size];
    let info = reader
        .next_frame(&mut buf)
        .map_err(|e| format!("the PNG is damaged ({e})"))?;
    buf.truncate(info.buffer_size());
    let (w, h) = (info.width, info.height);
    let (space, channels, alpha) = match info.color_type {
        ::png::ColorType::Grayscale => ("DeviceGray", 1, false),
        ::png::ColorType::GrayscaleAlpha => ("DeviceGray", 2, true),
        ::png::ColorType::Rgba => ("DeviceRGB", 4, true),
        _ => ("DeviceRGB", 3, false),
    };
    split_alpha(&buf, w, h, space, channels, alpha)
}

fn split_alpha(
    buf: &[u8],
    w: u32,
    h: u32,
    space: &str,
    channels: usize,
    alpha: bool,
) -> Result<Picture, String> {
    let (color, smask) = if alpha {
        let mut color = Vec::with_capacity(buf.len());
        let mut mask = Vec::with_capacity(buf.len() / channels);
        for px in buf.chunks_exact(channels) {
            color.extend_from_slice(&px[..channels - 1]);
            mask.push(px[channels - 1]);
        }
        let smask = if mask.iter().all(|a| *a == 255) {
            None
        } else {
            Some(flate_stream(image_dict(w, h, "DeviceGray", 8), &mask)?)
        };
        (color, smask)
    } else {
        (buf.to_vec(), None)
    };
    Ok(Picture {
        image: flate_stream(image_dict(w, h, space, 8), &color)?,
        smask,
        width: w,
        height: h,
    })
}

fn tiff(bytes: &[u8]) -> Result<Vec<Picture>, String> {
    use tiff::ColorType as C;
    use tiff::decoder::{Decoder, DecodingResult};
    let damaged =
        |e: tiff::TiffError| format!("the TIFF is damaged or of a kind casebinder cannot draw ({e})");
    let mut d = Decoder::new(Cursor::new(bytes)).map_err(damaged)?;
    let mut out = Vec::new();
    loop {
        let (w, h) = d.dimensions().map_err(damaged)?;
        let color = d.colortype().map_err(damaged)?;
        let white_is_zero = d
            .get_tag_u32(tiff::tags::Tag::PhotometricInterpretation)
            .is_ok_and(|p| p == 0);
        let data = match d.read_image().map_err(damaged)? {
            DecodingResult::U8(v) => v,
            DecodingResult::U16(v) => v.iter().map(|x| (x >> 8) as u8).collect(),
            _ => {
                return Err(
                    "this TIFF uses a pixel format casebinder cannot draw; save it as PDF or JPEG".into(),
                );
            }
        };
        let pic = match color {
            C::Gray(1) => {
                let mut dict = image_dict(w, h, "DeviceGray", 1);
                if white_is_zero {
                    dict.set("Decode", Object::Array(vec![1.into(), 0.into()]));
                }
                Picture {
                    image: flate_stream(dict, &data)?,
                    smask: None,
                    width: w,
                    height: h,
                }
            }
            C::Gray(8) | C::Gray(16) => {
                let data: Vec<u8> = if white_is_zero {
                    data.iter().map(|v| 255 - v).collect()
                } else {
                    data
                };
                split_alpha(&data, w, h, "DeviceGray", 1, false)?
            }
            C::GrayA(8) | C::GrayA(16) => split_alpha(&data, w, h, "DeviceGray", 2, true)?,
            C::RGB(8) | C::RGB(16) => split_alpha(&data, w, h, "DeviceRGB", 3, false)?,
            C::RGBA(8) | C::RGBA(16) => split_alpha(&data, w, h, "DeviceRGB", 4, true)?,
            C::CMYK(8) => split_alpha(&data, w, h, "DeviceCMYK", 4, false)?,
            other => {
                return Err(format!(
                    "this TIFF's colours ({other:?}) cannot be drawn by casebinder; save it as PDF or JPEG"
                ));
            }
        };
        out.push(pic);
        if !d.more_images() || out.len() >= 2000 {
            break;
        }
        d.next_image().map_err(damaged)?;
    }
    Ok(out)
}

/// The `cm` matrix that draws an image of `w`×`h` pixels upright, for an EXIF orientation,
/// into the box at (`x`, `y`) of size `bw`×`bh` (which already has the upright proportions).
pub fn placement(orientation: u32, x: f32, y: f32, bw: f32, bh: f32) -> [f32; 6] {
    // The unit square is the image; each case maps it to the box with the needed turn/flip.
    match orientation {
        2 => [-bw, 0.0, 0.0, bh, x + bw, y],
        3 => [-bw, 0.0, 0.0, -bh, x + bw, y + bh],
        4 => [bw, 0.0, 0.0, -bh, x, y + bh],
        5 => [0.0, -bh, -bw, 0.0, x + bw, y + bh],
        6 => [0.0, -bh, bw, 0.0, x, y + bh],
        7 => [0.0, bh, bw, 0.0, x, y],
        8 => [0.0, bh, -bw, 0.0, x + bw, y],
        _ => [bw, 0.0, 0.0, bh, x, y],
    }
}

/// The EXIF orientation that shows a picture as `orientation` does and then turned `turns`
/// quarter turns clockwise. An orientation is a mirror (or not) followed by a turn.
pub fn turned(orientation: u32, turns: u32) -> u32 {
    // (mirrored, quarter turns clockwise) of orientations 1 to 8.
    const PARTS: [(bool, u32); 8] = [
        (false, 0),
        (true, 0),
        (false, 2),
        (true, 2),
        (true, 3),
        (false, 1),
        (true, 1),
        (false, 3),
    ];
    let Some(&(mirrored, q)) = PARTS.get(orientation.wrapping_sub(1) as usize) else {
        return turned(1, turns);
    };
    let q = (q + turns) % 4;
    PARTS
        .iter()
        .position(|&p| p == (mirrored, q))
        .map_or(1, |i| i as u32 + 1)
}

/// Whether an orientation turns the picture a quarter (width and height swap).
pub fn swaps(orientation: u32) -> bool {
    (5..=8).contains(&orientation)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(m: [f32; 6], u: f32, v: f32) -> (f32, f32) {
        (m[0] * u + m[2] * v + m[4], m[1] * u + m[3] * v + m[5])
    }

    #[test]
    fn orientation_six_turns_the_top_of_the_picture_to_the_top_of_the_page() {
        // Orientation 6: the picture's top row (v = 1 in PDF image space) is shown on the right.
        // Rotated 90° clockwise for display, so image top-left (0,1) lands at the box's top-right.
        let m = placement(6, 0.0, 0.0, 100.0, 200.0);
        let (x, y) = apply(m, 0.0, 1.0);
        assert!((x - 100.0).abs() < 0.01 && (y - 200.0).abs() < 0.01, "{x},{y}");
        let (x, y) = apply(m, 1.0, 1.0);
        assert!((x - 100.0).abs() < 0.01 && y.abs() < 0.01, "{x},{y}");
    }

    #[test]
    fn a_turn_the_family_asks_for_comes_after_the_cameras() {
        assert_eq!(turned(1, 1), 6); // upright, turned 90° clockwise
        assert_eq!(turned(1, 2), 3);
        assert_eq!(turned(1, 3), 8);
        assert_eq!(turned(6, 3), 1); // the camera's quarter turn undone
        assert_eq!(turned(2, 2), 4); // a mirror turned half way is a flip
        assert_eq!(turned(5, 1), 2);
        assert_eq!(turned(0, 1), 6); // no orientation is upright
        for o in 1..=8 {
            assert_eq!(turned(o, 0), o);
            assert_eq!(turned(turned(o, 1), 3), o);
        }
    }

    #[test]
    fn every_orientation_fills_the_box_exactly() {
        for o in 1..=8 {
            let m = placement(o, 10.0, 20.0, 100.0, 200.0);
            let corners: Vec<(f32, f32)> = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)]
                .iter()
                .map(|(u, v)| apply(m, *u, *v))
                .collect();
            let xs: Vec<f32> = corners.iter().map(|c| c.0).collect();
            let ys: Vec<f32> = corners.iter().map(|c| c.1).collect();
            let min = |v: &[f32]| v.iter().cloned().fold(f32::MAX, f32::min);
            let max = |v: &[f32]| v.iter().cloned().fold(f32::MIN, f32::max);
            assert_eq!((min(&xs), max(&xs)), (10.0, 110.0), "orientation {o}");
            assert_eq!((min(&ys), max(&ys)), (20.0, 220.0), "orientation {o}");
        }
    }

    #[test]
    fn png_transparency_becomes_a_soft_mask() {
        let mut bytes = Vec::new();
        {
            let mut enc = ::png::Encoder::new(&mut bytes, 3, 2);
            enc.set_color(::png::ColorType::Rgba);
            enc.set_depth(::png::BitDepth::Eight);
            let mut w = enc.write_header().unwrap();
            let mut data = vec![200u8; 3 * 2 * 4];
            data[3] = 0; // one transparent pixel
            w.write_image_data(&data).unwrap();
        }
        let pics = pictures(&bytes).unwrap();
        assert_eq!(pics.len(), 1);
        assert_eq!((pics[0].width, pics[0].height), (3, 2));
        assert!(pics[0].smask.is_some());
        assert_eq!(page_count(&bytes), 1);
    }

    #[test]
    fn a_png_that_claims_a_huge_size_is_refused_not_allocated() {
        // Found by the `image` fuzz target: the header claims 51 GB of pixels; allocating that
        // aborted the process.
        let bytes = include_bytes!("../../fuzz/regressions/image/png-claims-51-gb.png");
        let err = pictures(bytes).err().expect("refused");
        assert!(err.contains("too large"), "{err}");
    }

    #[test]
    fn every_page_of_a_tiff_becomes_a_picture() {
        let mut bytes = std::io::Cursor::new(Vec::new());
        {
            let mut enc = tiff::encoder::TiffEncoder::new(&mut bytes).unwrap();
            for shade in [0u8, 255] {
                enc.write_image::<tiff::encoder::colortype::Gray8>(4, 5, &[shade; 20])
                    .unwrap();
            }
        }
        let bytes = bytes.into_inner();
        assert_eq!(page_count(&bytes), 2);
        let pics = pictures(&bytes).unwrap();
        assert_eq!(pics.len(), 2);
        assert_eq!((pics[1].width, pics[1].height), (4, 5));
        assert!(
            pictures(b"II*\0garbage").is_err(),
            "a damaged TIFF is an error, not a panic"
        );
    }

    #[test]
    fn jpeg_headers_give_size_and_colours() {
        // SOI, SOF0 (8-bit, 20x10, 3 components), EOI.
        let mut b = vec![0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 8, 0, 10, 0, 20, 3];
        b.extend_from_slice(&[1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1, 0xFF, 0xD9]);
        assert_eq!(jpeg_header(&b), Some((20, 10, 3, false)));
        assert!(jpeg_header(&[0xFF, 0xD8, 0xFF]).is_none());
    }
}

/// True when a JPEG's structure is sound: its segments follow one another to the image data,
/// and each Huffman table is well formed (the damage PDF checkers report first). The pixels are
/// not decoded.
pub fn jpeg_is_whole(jpeg: &[u8]) -> bool {
    if !jpeg.starts_with(&[0xff, 0xd8]) {
        return false;
    }
    let mut i = 2;
    loop {
        // Skip fill bytes before a marker.
        while jpeg.get(i) == Some(&0xff) && jpeg.get(i + 1) == Some(&0xff) {
            i += 1;
        }
        let (Some(&0xff), Some(&marker)) = (jpeg.get(i), jpeg.get(i + 1)) else {
            return false;
        };
        i += 2;
        match marker {
            0xd8 | 0x01 | 0xd0..=0xd7 => continue,
            0xd9 => return false, // the end, before any image data
            _ => {}
        }
        let Some(len) = jpeg
            .get(i..i + 2)
            .map(|b| usize::from(b[0]) << 8 | usize::from(b[1]))
        else {
            return false;
        };
        if len < 2 || i + len > jpeg.len() {
            return false;
        }
        let seg = &jpeg[i + 2..i + len];
        if marker == 0xc4 {
            // DHT: tables of 1 + 16 counts + that many symbols, back to back.
            let mut t = 0;
            while t < seg.len() {
                let Some(counts) = seg.get(t + 1..t + 17) else {
                    return false;
                };
                let n: usize = counts.iter().map(|c| usize::from(*c)).sum();
                if n > 256 || seg[t] & 0x0f > 3 || seg[t] >> 4 > 1 {
                    return false;
                }
                // The codes of each length must fit in that many bits.
                let mut code: u32 = 0;
                for (len, c) in counts.iter().enumerate() {
                    code += u32::from(*c);
                    if code > 1 << (len + 1) {
                        return false;
                    }
                    code <<= 1;
                }
                t += 17 + n;
            }
            if t != seg.len() {
                return false;
            }
        }
        i += len;
        if marker == 0xda {
            // The entropy-coded data follows; its end is the image's end.
            return true;
        }
    }
}

#[cfg(test)]
mod jpeg_tests {
    use super::*;

    #[test]
    fn a_jpeg_with_a_broken_huffman_table_is_not_whole() {
        // SOI, a DHT with one table of 2 symbols, SOS header, data, EOI.
        let mut ok = vec![0xff, 0xd8, 0xff, 0xc4, 0x00, 0x15, 0x00];
        ok.extend([0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        ok.extend([1, 2]);
        ok.extend([0xff, 0xda, 0x00, 0x02, 0x12, 0x34, 0xff, 0xd9]);
        assert!(jpeg_is_whole(&ok));
        let mut bogus = ok.clone();
        bogus[8] = 200; // a count that runs past the segment
        assert!(!jpeg_is_whole(&bogus));
        assert!(!jpeg_is_whole(b"not a jpeg"));
        assert!(!jpeg_is_whole(&ok[..10]));
    }
}
