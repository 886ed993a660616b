//! Date finding in text (both orders), school years, email Date headers, and the classifier.
#![no_main]
use casebinder::classify::dates::{find_dates, find_school_years, DateOrder};
use casebinder::extract::email::parse_email_date;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for order in [DateOrder::MonthFirst, DateOrder::DayFirst] {
        for m in find_dates(&text, order) {
            assert!(m.start < m.end && m.end <= text.len());
            assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
        }
    }
    let _ = find_school_years(&text);
    let _ = parse_email_date(&text);
    let pages = vec![text.to_string()];
    let meta = serde_json::Value::Null;
    let _ = casebinder::classify::classify(
        &casebinder::classify::Input {
            format: "pdf",
            pages: &pages,
            layout: &[],
            ocr: false,
            file_name: "scan.pdf",
            meta: &meta,
            parent_email_date: None,
        },
        &casebinder::classify::Settings::default(),
    );
});
