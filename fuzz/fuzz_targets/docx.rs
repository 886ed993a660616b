//! .docx: the zip container, XML parts, size caps.
#![no_main]
use casebinder::extract::{docx::DocxExtractor, Extractor, Input};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = DocxExtractor.extract(&Input { bytes: data, name: "letter.docx" });
});
