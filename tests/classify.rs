//! The classifier's promises on whole cases: dates that are never the document date, corrections
//! that survive, OCR, evidence and review. (Accuracy per set is measured in tests/accuracy.rs.)
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::fs;

use common::*;

fn ocr_available() -> bool {
    let ok = on_path("tesseract") && on_path("pdftoppm");
    if !ok && std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI must install tesseract-ocr and poppler-utils (see .ci/run)");
    }
    ok
}

#[test]
fn birth_dates_next_reviews_and_revision_footers_are_never_the_document_date() {
    let (_tmp, case) = case_with(&[
        (
            "only-distractors.txt",
            "Individualized Education Program\nDate of Birth: 05/12/2014\nNext Annual Review: 10/03/2023\nForm SE-IEP-1 Rev. 07/01/2019\nPrinted 08/30/2024 4:12 PM\n",
        ),
        (
            "birth.txt",
            "Individualized Education Program\nStudent DOB: 05/12/2014\nIEP Meeting Date: 10/04/2022\nGoals follow.\nDate of Birth 05/12/2014\n",
        ),
        (
            "review.txt",
            "Individualized Education Program\nNext IEP: 10/03/2023\nIEP Meeting Date: 10/04/2022\n",
        ),
        (
            "footer.txt",
            "Prior Written Notice\nForm PWN Rev. 09/11/2002\nDate Sent: 10/03/2023\nFaxed 10/05/2023 09:14\n",
        ),
    ]);
    let docs = list(&case);
    assert!(
        doc(&docs, "only-distractors.txt")["date"].is_null(),
        "a distractor was taken as the date"
    );
    assert_eq!(doc(&docs, "birth.txt")["date"], "2022-10-04");
    assert_eq!(doc(&docs, "review.txt")["date"], "2022-10-04");
    assert_eq!(doc(&docs, "footer.txt")["date"], "2023-10-03");
    let shown = json(&case, &["show", "only-distractors.txt", "--json"]);
    let candidates = shown["classification"]["candidates"].as_array().unwrap();
    let role = |date: &str| {
        candidates
            .iter()
            .find(|c| c["date"] == date)
            .map(|c| c["role"].as_str().unwrap().to_string())
    };
    assert_eq!(role("2014-05-12").as_deref(), Some("excluded"));
    assert_eq!(role("2023-10-03").as_deref(), Some("event")); // next annual review: a future event
    assert_eq!(role("2019-07-01").as_deref(), Some("revision")); // a filled-in form's revision footer
    assert_eq!(role("2024-08-30").as_deref(), Some("excluded"));
    assert!(
        shown["classification"]["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["event"] == "annual_review_due")
    );
    // In the sample case, no document is dated on the student's birthday.
    let (_t2, sample) = fixture_case();
    run_ok(&sample, &["init", "--dob", "2014-05-12"]);
    run_ok(&sample, &["scan"]);
    assert!(list(&sample).iter().all(|d| d["date"] != "2014-05-12"));
}

#[test]
fn corrections_survive_renames_rescans_and_new_settings() {
    let (_tmp, case) = fixture_case();
    run_ok(&case, &["init"]);
    run_ok(&case, &["scan"]);
    let notes = "Notes/What happened so far.md";
    run_ok(
        &case,
        &[
            "set",
            notes,
            "--kind",
            "meeting_notes",
            "--date",
            "2024-03-12",
            "--title",
            "Timeline by Ana",
            "--author",
            "Ana Rivera",
            "--exclude",
        ],
    );
    run_ok(&case, &["tag", notes, "+timeline", "-ot"]);
    // Rename and move the file, change a setting, and scan again.
    fs::create_dir(case.join("Mine")).unwrap();
    fs::rename(case.join(notes), case.join("Mine/timeline.md")).unwrap();
    run_ok(&case, &["config", "district", "Lakeside Unified School District"]);
    run_ok(&case, &["scan"]);
    let docs = list(&case);
    let d = doc(&docs, "Mine/timeline.md");
    assert_eq!(d["kind"], "meeting_notes");
    assert_eq!(d["kind_source"], "user");
    assert_eq!(d["date"], "2024-03-12");
    assert_eq!(d["date_source"], "user");
    assert_eq!(d["title"], "Timeline by Ana");
    assert_eq!(d["author"], "Ana Rivera");
    let tags: Vec<&str> = d["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(tags.contains(&"timeline") && !tags.contains(&"ot"), "{tags:?}");
    let shown = stdout(&run_ok(&case, &["show", "Mine/timeline.md"]));
    assert!(
        shown.contains("(set by you)") && shown.contains("excluded"),
        "{shown}"
    );
    // "auto" gives the rules back their say; "none" says there is no date.
    run_ok(
        &case,
        &["set", "Mine/timeline.md", "--kind", "auto", "--date", "none"],
    );
    let d = doc(&list(&case), "Mine/timeline.md").clone();
    assert_eq!(d["kind_source"], "rule");
    assert!(d["date"].is_null());
    assert_eq!(d["date_source"], "user");
    // Bad values are refused with a hint.
    let bad = run_code(&case, &["set", "Mine/timeline.md", "--kind", "memo"], 2);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("hint:"));
    let bad = run_code(&case, &["set", "Mine/timeline.md", "--date", "yesterday"], 2);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("YYYY-MM-DD"));
}

#[test]
fn scans_and_photos_are_read_by_ocr_or_say_how() {
    // Without OCR: no_text, with a hint that names tesseract.
    let (_t1, plain) = fixture_case();
    run_ok(&plain, &["init"]);
    let out = cb(&plain)
        .env("CASEBINDER_NO_HELPERS", "1")
        .args(["scan", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for loc in ["Letters/Scan - district letter IEE.pdf", "Photos/IMG_2041.jpg"] {
        let f = summary["failures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == loc)
            .unwrap();
        assert_eq!(f["status"], "no_text");
        assert!(f["reason"].as_str().unwrap().contains("tesseract"), "{f}");
    }
    if !ocr_available() {
        eprintln!("note: tesseract or pdftoppm is not installed; the OCR half of this test was skipped");
        return;
    }
    let (_t2, case) = fixture_case();
    run_ok(&case, &["init"]);
    run_ok(&case, &["scan"]);
    let docs = list(&case);
    let letter = doc(&docs, "Letters/Scan - district letter IEE.pdf");
    assert_eq!(letter["status"], "ok");
    assert_eq!(letter["kind"], "district_letter");
    assert_eq!(letter["date"], "2024-03-28");
    assert_eq!(letter["date_source"], "ocr");
    let photo = doc(&docs, "Photos/IMG_2041.jpg");
    assert_eq!(photo["kind"], "consent");
    assert_eq!(photo["date"], "2023-03-01");
    let shown = json(&case, &["show", "Photos/IMG_2041.jpg", "--json", "--text"]);
    assert_eq!(shown["ocr"], true);
    assert_eq!(shown["text_pages"][0]["ocr"], true);
    let text = stdout(&run_ok(
        &case,
        &["show", "Letters/Scan - district letter IEE.pdf", "--text"],
    ));
    assert!(text.contains("(read by OCR)"), "{text}");
}

#[test]
fn show_explains_and_review_lists_what_needs_a_look() {
    let (_tmp, case) = fixture_case();
    run_ok(&case, &["init", "--district", "Lakeside Unified School District"]);
    run_ok(&case, &["scan"]);
    let text = stdout(&run_ok(&case, &["show", "IEPs/IEP 2023 annual review.pdf"]));
    for needle in [
        "Why this kind: IEP",
        "individualized education program",
        "runner-up",
        "Why this date: 2023-11-07",
        "IEP Meeting Date",
        "date of birth",
        "annual review due",
    ] {
        assert!(
            text.to_lowercase().contains(&needle.to_lowercase()),
            "show lacks {needle:?}:\n{text}"
        );
    }
    let items = json(&case, &["review", "--json"]);
    let items = items.as_array().unwrap();
    let has = |path: &str, problem: &str| items.iter().any(|i| i["path"] == path && i["problem"] == problem);
    // Sure answers are not listed: the family's own timeline needs no date, a safeguards
    // booklet is dated by its revision (SPEC), a date from the carrying email is unsure.
    let listed = |path: &str| items.iter().any(|i| i["path"] == path);
    assert!(!listed("Notes/What happened so far.md"));
    assert!(!listed("Notices/Procedural safeguards notice.pdf"));
    assert!(has(
        "Emails/RE_ OT minutes.eml::OT service log.pdf",
        "unsure_date"
    ));
    assert!(has("District portal/Report card Q2 (locked).pdf", "unreadable"));
    assert!(has(
        "Takeout/Mail/All mail Including Spam and Trash.mbox#1",
        "duplicate"
    ));
    assert!(
        !items
            .iter()
            .any(|i| i["path"] == "IEPs/IEP 2023 annual review.pdf"),
        "a sure, dated IEP was listed"
    );
    assert!(items.iter().all(|i| !i["fix"].as_str().unwrap().is_empty()));
    // The query syntax reaches the new fields.
    let ieps = json(&case, &["list", "kind:iep", "author:lakeside", "--json"]);
    assert_eq!(ieps.as_array().unwrap().len(), 3);
    let year = json(
        &case,
        &[
            "list",
            "tag:sy2023-24",
            "kind:progress_report,report_card",
            "--json",
        ],
    );
    assert_eq!(year.as_array().unwrap().len(), 3);
    let speech = json(
        &case,
        &["list", "tag:speech", "date:2021-01-01..2021-12-31", "--json"],
    );
    assert!(
        speech
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["kind"] == "evaluation")
    );
}

#[test]
fn the_date_order_setting_reads_ambiguous_dates_again() {
    let (_tmp, case) = case_with(&[(
        "notice.txt",
        "Notice of Meeting\nDate of Notice: 04/05/2023\nPurpose of the meeting: review\n",
    )]);
    let d = doc(&list(&case), "notice.txt").clone();
    assert_eq!(d["date"], "2023-04-05");
    let items = json(&case, &["review", "--json"]);
    assert!(
        items
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["problem"] == "ambiguous_date")
    );
    let out = stdout(&run_ok(&case, &["config", "date-order", "day-first"]));
    assert!(out.contains("Read 1 document(s) again"), "{out}");
    assert_eq!(doc(&list(&case), "notice.txt")["date"], "2023-05-04");
    let bad = run_code(&case, &["config", "date-order", "sideways"], 2);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("hint:"));
}

#[test]
fn show_explains_references_revisions_and_table_pairs() {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("case");
    copy_dir(&repo_root().join("fixtures/second-family/case"), &case);
    run_ok(&case, &["init"]);
    run_ok(&case, &["scan"]);
    let text = |doc: &str| stdout(&run_ok(&case, &["show", doc]));
    // A letter that quotes other papers' dates: they are references, and say so.
    let letter = text("2023-24/letter to principal about BIP.pdf");
    assert!(letter.contains("Why this date: 2024-05-20"), "{letter}");
    assert!(
        letter.contains("reference") && letter.contains("points at"),
        "{letter}"
    );
    // A form's revision footer.
    let consent = text("2021-22/SS-12 notice and consent signed.pdf");
    assert!(
        consent.contains("revision") && consent.contains("Rev. 06/2019"),
        "{consent}"
    );
    // A two-column table: the meeting date sits in the cell beside its label.
    let iep = text("IEP docs/IEP 2023.pdf");
    assert!(iep.contains("beside it in the form's table"), "{iep}");
    assert!(iep.contains("read together"), "{iep}");
    // A booklet dated only by its revision says so.
    let booklet = json(&case, &["show", "Downloads/Parent rights booklet.pdf", "--json"]);
    assert_eq!(booklet["date"], "2023-08-01");
    assert_eq!(booklet["date_source"], "revision");
}
