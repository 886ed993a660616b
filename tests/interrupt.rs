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

/// A small deterministic sequence of fractions in [0, 1): kill points that differ run to run of
/// the loop but not between test runs.
fn fractions(n: usize, seed: u64) -> Vec<f64> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 11) as f64 / (1u64 << 53) as f64
        })
        .collect()
}

fn sha_of(path: &Path) -> Option<String> {
    use sha2::{Digest, Sha256};
    fs::read(path).ok().map(|b| hex::encode(Sha256::digest(b)))
}

#[test]
fn sigkill_during_binder_builds_leaves_no_half_binder_and_the_next_build_is_identical() {
    let (_tmp, case) = fixture_case();
    run_ok(&case, &["init", "--name", "Maya Rivera"]);
    run_ok(&case, &["scan"]);
    let pdf = case.join("Binders/due-process-binder.pdf");
    let args = ["binder", "--date", "2024-05-01"];
    let start = Instant::now();
    run_ok(&case, &args);
    let full = start.elapsed();
    let reference = sha_of(&pdf).unwrap();
    fs::remove_dir_all(case.join("Binders")).unwrap();
    let mut landed = 0;
    let points = fractions(20, 7);
    for (i, f) in points.iter().enumerate() {
        let mut child = cb(&case)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(full.mul_f64(*f));
        if child.try_wait().unwrap().is_none() {
            landed += 1;
        }
        child.kill().unwrap();
        child.wait().unwrap();
        // Either no binder under its name, or the whole, correct one.
        if let Some(sha) = sha_of(&pdf) {
            assert_eq!(
                sha, reference,
                "kill {i} at {f:.2}: a binder under the real name is complete"
            );
        }
        assert_eq!(integrity(&case), "ok", "kill {i}");
        run_ok(&case, &args);
        assert_eq!(
            sha_of(&pdf).unwrap(),
            reference,
            "kill {i}: the next build is identical"
        );
        fs::remove_dir_all(case.join("Binders")).unwrap();
    }
    eprintln!(
        "binder build {full:?}; {landed} of {} kills landed mid-build",
        points.len()
    );
    assert!(
        landed >= points.len() / 2,
        "too few kills landed during the build ({landed})"
    );
}

/// Runs `commands` one after another; at `deadline` the running one is SIGKILLed and the
/// batch stops. Returns how many finished, and whether the kill landed mid-command.
fn batch_until(case: &Path, commands: &[Vec<String>], deadline: Option<Duration>) -> (usize, bool) {
    let start = Instant::now();
    for (i, args) in commands.iter().enumerate() {
        let mut child = cb(case)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                assert!(status.success(), "{args:?} failed");
                break;
            }
            if deadline.is_some_and(|d| start.elapsed() >= d) {
                child.kill().unwrap(); // SIGKILL
                child.wait().unwrap();
                return (i, true);
            }
            // Polled often: a command takes a few milliseconds, and a coarse poll would leave
            // the kill to land between commands more often than in one.
            std::thread::sleep(Duration::from_micros(200));
        }
        if deadline.is_some_and(|d| start.elapsed() >= d) {
            return (i + 1, false);
        }
    }
    (commands.len(), false)
}

#[test]
fn sigkill_during_a_batch_of_corrections_loses_none_that_finished() {
    let (_tmp, case) = fixture_case();
    run_ok(&case, &["init"]);
    run_ok(&case, &["scan"]);
    let ids: Vec<i64> = list(&case)
        .iter()
        .map(|d| d["id"].as_i64().unwrap())
        .take(10)
        .collect();
    let round_commands = |round: usize| -> Vec<Vec<String>> {
        ids.iter()
            .flat_map(|id| {
                [
                    vec![
                        "set".to_string(),
                        id.to_string(),
                        "--title".into(),
                        format!("R{round} title {id}"),
                    ],
                    vec!["tag".to_string(), id.to_string(), format!("+r{round}")],
                ]
            })
            .collect()
    };
    let start = Instant::now();
    let (n, _) = batch_until(&case, &round_commands(0), None);
    assert_eq!(n, ids.len() * 2);
    let full = start.elapsed();
    let points = fractions(21, 11);
    let mut landed = 0;
    for (r, f) in points.iter().enumerate() {
        let round = r + 1;
        let commands = round_commands(round);
        let (finished, mid_command) = batch_until(&case, &commands, Some(full.mul_f64(*f)));
        if mid_command {
            landed += 1;
        }
        assert_eq!(integrity(&case), "ok", "round {round}");
        let docs = list(&case);
        for args in &commands[..finished] {
            let id: i64 = args[1].parse().unwrap();
            let d = docs.iter().find(|d| d["id"] == id).unwrap();
            if args[0] == "set" {
                assert_eq!(
                    d["title"],
                    args[3].as_str(),
                    "round {round}: a finished correction was lost"
                );
            } else {
                let tag = args[2].trim_start_matches('+');
                assert!(
                    d["tags"].as_array().unwrap().iter().any(|t| t == tag),
                    "round {round}: a finished tag was lost"
                );
            }
        }
    }
    eprintln!(
        "batch {full:?}; {landed} of {} kills landed mid-command",
        points.len()
    );
    assert!(
        landed >= points.len() / 2,
        "too few kills landed during a command ({landed})"
    );
}
