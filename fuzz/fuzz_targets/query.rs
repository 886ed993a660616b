//! The query syntax and the full-text expression made from it.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(q) = casebinder::query::parse(&text) {
        if let Some(expr) = casebinder::query::fts_expression(&q.text) {
            assert_eq!(expr.matches('"').count() % 2, 0);
        }
    }
    let _ = casebinder::query::shield_negated_filter(std::ffi::OsString::from(text.to_string()));
});
