//! Property tests for every parser that reads untrusted text or bytes: whatever comes in, they
//! return (no panic), and what they return keeps its promises.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use casebinder::classify::dates::{DateOrder, find_dates, find_school_years};
use casebinder::classify::{Input, Settings, classify};
use casebinder::extract::{Detected, Status, email::parse_email_date, extract_guarded, mbox};
use casebinder::query::{fts_term, parse};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn dates_found_are_inside_the_line_and_plausible(line in "\\PC{0,80}", day_first in any::<bool>()) {
        let order = if day_first { DateOrder::DayFirst } else { DateOrder::MonthFirst };
        for m in find_dates(&line, order) {
            prop_assert!(m.start < m.end && m.end <= line.len());
            prop_assert!(line.is_char_boundary(m.start) && line.is_char_boundary(m.end));
            prop_assert!(casebinder::classify::dates::plausible(m.date));
        }
        let _ = find_school_years(&line);
        let _ = parse_email_date(&line);
    }

    #[test]
    fn numeric_dates_round_trip(y in 1990i32..2060, m in 1u32..=12, d in 1u32..=28) {
        let line = format!("Meeting Date: {m}/{d}/{y}");
        let found = find_dates(&line, DateOrder::MonthFirst);
        prop_assert_eq!(found.len(), 1);
        prop_assert_eq!(found[0].date, chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap());
    }

    #[test]
    fn any_query_parses_or_says_why_and_its_text_is_safe_for_fts(q in "\\PC{0,60}") {
        if let Ok(parsed) = parse(&q) {
            for t in parsed.wanted() {
                // Every word is one quoted FTS5 string: quotes balance.
                let expr = fts_term(t);
                prop_assert_eq!(expr.matches('"').count() % 2, 0);
            }
        }
    }

    #[test]
    fn mbox_spans_are_ordered_and_inside_the_file(bytes in proptest::collection::vec(any::<u8>(), 0..2000), seps in 0usize..4) {
        let mut data = Vec::new();
        for i in 0..seps {
            data.extend_from_slice(format!("From x{i}@y Mon Jan 1 00:00:00 2024\n").as_bytes());
            data.extend_from_slice(&bytes);
            data.extend_from_slice(b"\n\n");
        }
        let spans = mbox::split(&data);
        let mut last = 0;
        for s in &spans {
            prop_assert!(s.from_line >= last && s.from_line <= s.start && s.start <= s.end && s.end <= data.len());
            last = s.end;
            let _ = mbox::unescape(&data[s.start..s.end]);
        }
        prop_assert!(spans.len() >= seps.min(1));
    }

    #[test]
    fn readers_never_panic_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..3000)) {
        for (detected, name) in [
            (Detected::Email, "x.eml"),
            (Detected::Docx, "x.docx"),
            (Detected::Text, "x.txt"),
            (Detected::Html, "x.html"),
            (Detected::Image, "x.png"),
            (Detected::Pdf, "x.pdf"),
        ] {
            let e = extract_guarded(detected, &bytes, name);
            if e.status != Status::Ok {
                prop_assert!(e.reason.is_some(), "{detected:?} gave {:?} without a reason", e.status);
            }
        }
    }

    #[test]
    fn emails_with_random_headers_and_bodies_are_read(subject in "\\PC{0,40}", date in "\\PC{0,40}", body in "\\PC{0,200}") {
        let raw = format!("From: a@example.org\r\nSubject: {subject}\r\nDate: {date}\r\n\r\n{body}\r\n");
        let e = extract_guarded(Detected::Email, raw.as_bytes(), "m.eml");
        prop_assert!(e.email.is_some() || e.status != Status::Ok);
    }

    #[test]
    fn the_classifier_never_panics(text in "\\PC{0,400}", name in "\\PC{0,30}") {
        let pages = vec![text];
        let meta = serde_json::json!({});
        let c = classify(
            &Input { format: "pdf", pages: &pages, layout: &[], ocr: false, file_name: &name, meta: &meta, parent_email_date: None },
            &Settings::default(),
        );
        prop_assert!(casebinder::classify::kinds::KINDS.contains(&c.kind.as_str()));
        prop_assert!((0.0..=1.0).contains(&c.kind_confidence));
        if let Some(d) = &c.date {
            prop_assert!(chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok());
        }
    }
}
