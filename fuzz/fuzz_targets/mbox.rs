//! mbox splitting and un-escaping, then every message read as an email.
#![no_main]
use casebinder::extract::{email::EmailExtractor, mbox, Extractor, Input};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for span in mbox::split(data) {
        assert!(span.from_line <= span.start && span.start <= span.end && span.end <= data.len());
        let msg = mbox::unescape(&data[span.start..span.end]);
        let _ = EmailExtractor.extract(&Input { bytes: &msg, name: "message.eml" });
    }
});
