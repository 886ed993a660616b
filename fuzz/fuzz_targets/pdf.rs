//! PDF loading and text extraction (lopdf; helper programs off), then the binder's page import.
#![no_main]
use casebinder::extract::{pdf::PdfExtractor, Extractor, Input};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    std::env::set_var("CASEBINDER_NO_HELPERS", "1");
    let e = PdfExtractor.extract(&Input { bytes: data, name: "file.pdf" });
    if e.status == casebinder::extract::Status::Ok {
        let _ = casebinder::binder::build::check_import(data);
    }
});
