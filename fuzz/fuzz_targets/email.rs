//! One email: headers, dates, MIME parts, attachments (the reader itself, without the panic guard).
#![no_main]
use casebinder::extract::{email::EmailExtractor, Extractor, Input};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let e = EmailExtractor.extract(&Input { bytes: data, name: "message.eml" });
    for att in &e.attachments {
        let _ = casebinder::extract::sanitize_name(&att.name);
    }
});
