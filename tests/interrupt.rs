//! A scan killed with SIGKILL at several points leaves a sound catalog, and the next scan
//! produces exactly the catalog an uninterrupted scan would have.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::fs;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::*;

/// The sample case plus enough distinct files (and the real PDFs of the corpus, when present)
/// that a scan takes a while and commits many small batches.
fn build_source(dir: &Path) {
    copy_dir(&repo_root().join("fixtures").join("case"), dir);
    let bulk = dir.join("Bulk");
    fs::create_dir_all(&bulk).unwrap();
    for i in 0..400 {
        fs::write(
            bulk.join(format!("note {i:03}.txt")),
            format!("Therapy log entry {i}: speech session held.\n"),
        )
        .unwrap();
    }
    for i in 0..150 {
        let eml = format!(
            "From: teacher{i}@example.org\nTo: parent@example.com\nSubject: Update {i}\nDate: Mon, {} Oct 2023 10:00:00 -0400\nMessage-ID: <m{i}@example.org>\n\nWeekly update number {i}.\n",
            i % 28 + 1
        );
        fs::write(bulk.join(format!("update {i:03}.eml")), eml).unwrap();
    }
    // Real PDFs of many producers, but not the scans: OCR would make each scan minutes long.
    if let Some(corpus) = corpus() {
        let real = dir.join("Real PDFs");
        fs::create_dir_all(&real).unwrap();
        for e in fs::read_dir(corpus.join("pdf-real")).unwrap() {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().to_string();
            let scan = name.starts_with("ocrmypdf")
                || [
                    "issue5475.pdf",
                    "issue12213.pdf",
                    "issue10301.pdf",
                    "issue12963.pdf",
                    "issue5747.pdf",
                ]
                .contains(&name.as_str());
            if name.ends_with(".pdf") && !scan && e.metadata().unwrap().len() < 1_000_000 {
                fs::copy(e.path(), real.join(&name)).unwrap();
            }
        }
    }
}

#[test]
fn sigkill_at_any_point_leaves_a_sound_catalog_that_the_next_scan_completes() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("source");
    build_source(&source);

    // Reference: one uninterrupted scan.
    let reference_case = tmp.path().join("reference");
    copy_dir(&source, &reference_case);
    run_ok(&reference_case, &["init"]);
    let start = Instant::now();
    run_ok(&reference_case, &["scan", "--batch-files", "4"]);
    let full = start.elapsed();
    let reference = list(&reference_case);
    assert!(reference.len() > 560, "{}", reference.len());

    let fractions = [0.0, 0.02, 0.1, 0.25, 0.4, 0.55, 0.7, 0.85, 0.95];
    let mut interrupted = 0;
    for (i, f) in fractions.iter().enumerate() {
        let case = tmp.path().join(format!("run{i}"));
        copy_dir(&source, &case);
        run_ok(&case, &["init"]);
        let mut child = cb(&case)
            .args(["scan", "--batch-files", "4"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(full.mul_f64(*f));
        let finished = child.try_wait().unwrap().is_some();
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        if !finished {
            interrupted += 1;
        }
        assert_eq!(integrity(&case), "ok", "kill at {f} of the scan");
        run_ok(&case, &["scan"]);
        assert_eq!(integrity(&case), "ok");
        let after = list(&case);
        assert_eq!(after.len(), reference.len(), "kill at {f}");
        assert!(
            after == reference,
            "kill at {f}: the catalog differs from an uninterrupted scan"
        );
        fs::remove_dir_all(&case).unwrap();
    }
    eprintln!(
        "full scan {full:?}; {interrupted} of {} kills landed mid-scan",
        fractions.len()
    );
    assert!(
        interrupted >= fractions.len() / 2,
        "too few kills landed during the scan ({interrupted})"
    );
    let _ = Duration::ZERO;
}
