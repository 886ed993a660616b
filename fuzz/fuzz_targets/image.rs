//! Pictures for the binder (JPEG header, PNG, TIFF decoding) and EXIF orientation.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = casebinder::binder::image::pictures(data);
    let _ = casebinder::binder::image::page_count(data);
    let _ = casebinder::binder::image::orientation(data);
});
