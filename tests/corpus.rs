//! Every file of ../shared/corpus (real third-party PDFs, emails, .docx and images, many of them
//! malformed or hostile) is scanned without a panic or a hang; each gets a status, and each that
//! is not `ok` gets a one-line reason. Skipped with a printed note where the corpus is absent.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::collections::BTreeMap;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::*;

#[test]
fn the_whole_shared_corpus_scans_without_a_crash() {
    let Some(corpus) = corpus() else {
        eprintln!("note: ../shared/corpus is absent; the corpus sweep was skipped");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("corpus");
    copy_dir(&corpus, &case);
    let files_on_disk = walkdir_count(&case);
    run_ok(&case, &["init"]);

    let start = Instant::now();
    let mut child = cb(&case)
        .args(["scan", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let limit = Duration::from_secs(600);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > limit {
            child.kill().unwrap();
            panic!("the corpus scan hung for more than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let seen = summary["files_seen"].as_u64().unwrap() + summary["skipped"].as_u64().unwrap();
    assert_eq!(
        seen, files_on_disk,
        "every file is either read or skipped with a reason"
    );

    let docs = list(&case);
    let failures = summary["failures"].as_array().unwrap();
    let mut by_status: BTreeMap<String, usize> = BTreeMap::new();
    for d in &docs {
        let status = d["status"].as_str().unwrap().to_string();
        assert!(["ok", "no_text", "encrypted", "corrupt", "unsupported"].contains(&status.as_str()));
        if status != "ok" {
            let located: Vec<&serde_json::Value> = d["locations"].as_array().unwrap().iter().collect();
            let f = failures
                .iter()
                .find(|f| located.contains(&&f["path"]))
                .unwrap_or_else(|| panic!("{} is {status} without a reason", d["path"]));
            let reason = f["reason"].as_str().unwrap();
            assert!(
                !reason.trim().is_empty() && !reason.contains('\n'),
                "{}: {reason:?}",
                d["path"]
            );
        }
        *by_status.entry(status).or_default() += 1;
    }
    // Known-bad files get the status a person expects.
    let status_of = |loc: &str| doc(&docs, loc)["status"].as_str().unwrap().to_string();
    assert_eq!(
        status_of("pdf-malformed/qpdf-enc-R2_V1_U-view_O-master.pdf"),
        "encrypted"
    );
    assert_eq!(
        status_of("docx-real/malformed/poi-bug53475-password-is-pass.docx"),
        "encrypted"
    );
    assert_eq!(status_of("pdf-real/qpdf-minimal-signed-restricted.pdf"), "ok"); // opens with no password
    // A scan: read by OCR where tesseract is installed, else no_text with the hint.
    let scan = status_of("pdf-real/ocrmypdf-skew.pdf");
    assert!(scan == "ok" || scan == "no_text", "{scan}");
    assert_eq!(
        status_of("docx-real/malformed/poi-truncated62886.docx"),
        "corrupt"
    );
    eprintln!(
        "corpus: {} files, {} documents, {by_status:?}, scanned in {:?}",
        files_on_disk,
        docs.len(),
        start.elapsed()
    );

    // Nothing changed: the second scan reads no bytes.
    let again = json(&case, &["scan", "--json"]);
    assert_eq!(again["bytes_read"], 0);
    assert_eq!(integrity(&case), "ok");

    // A binder of every file: never stopped by one, and clean for a PDF checker.
    let out = run_ok(&case, &["binder", "--date", "2024-05-01"]);
    let pdf = case.join("Binders/due-process-binder.pdf");
    let check = tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&check.stdout).to_string() + &String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(0), "{said}");
    assert!(!said.contains("WARNING") && !said.contains("ERROR"), "{said}");
    let m = manifest(&pdf);
    let exhibits = m["exhibits"].as_array().unwrap();
    let noted: Vec<&str> = exhibits.iter().filter_map(|e| e["note"].as_str()).collect();
    assert!(noted.iter().any(|n| n.starts_with("placeholder")), "{noted:?}");
    assert!(
        noted
            .iter()
            .any(|n| n.starts_with("rendered") || n.starts_with("repaired")),
        "{noted:?}"
    );
    let count = |what: &str| noted.iter().filter(|n| n.starts_with(what)).count();
    eprintln!(
        "corpus binder: {} exhibits, {} pages; {} mended, {} repaired, {} rendered, {} placeholders; {} warnings",
        exhibits.len(),
        m["binder"]["pages"],
        count("mended"),
        count("repaired"),
        count("rendered"),
        count("placeholder"),
        String::from_utf8_lossy(&out.stderr)
            .lines()
            .filter(|l| l.starts_with("warning"))
            .count()
    );
}

fn walkdir_count(dir: &std::path::Path) -> u64 {
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            n += walkdir_count(&e.path());
        } else {
            n += 1;
        }
    }
    n
}
