//! What casebinder promises a family, as tests: work is never lost (backup during a scan, export
//! and re-import), and nothing leaves the machine (no command opens an internet socket).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::fs;
use std::process::{Command, Stdio};

use common::*;

#[test]
fn a_backup_taken_during_a_scan_restores_with_every_earlier_correction() {
    let (_tmp, case) = fixture_case();
    run_ok(&case, &["init"]);
    run_ok(&case, &["scan"]);
    run_ok(
        &case,
        &[
            "set",
            "Notes/What happened so far.md",
            "--kind",
            "meeting_notes",
            "--date",
            "2024-03-12",
        ],
    );
    run_ok(&case, &["tag", "IEPs/IEP 2021 initial.pdf", "+first-iep"]);
    run_ok(
        &case,
        &[
            "event",
            "add",
            "--date",
            "2024-02-06",
            "--kind",
            "phone_call",
            "--title",
            "Asked about OT",
        ],
    );
    // Many new files, so that the next scan is still running when the backup is taken.
    let bulk = case.join("Bulk");
    fs::create_dir(&bulk).unwrap();
    for i in 0..600 {
        fs::write(
            bulk.join(format!("note {i:03}.txt")),
            format!("Note {i} about speech therapy on 3/{}/2024.\n", i % 28 + 1),
        )
        .unwrap();
    }
    let scan = cb(&case)
        .args(["scan", "--batch-files", "2"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let backup = case.parent().unwrap().join("backup.sqlite");
    run_ok(&case, &["backup", backup.to_str().unwrap()]);
    let out = scan.wait_with_output().unwrap();
    assert!(out.status.success());
    // Work done after the backup...
    run_ok(
        &case,
        &["set", "IEPs/IEP 2021 initial.pdf", "--title", "After the backup"],
    );
    // ...is gone after a restore; work done before it is all there.
    let out = stdout(&run_ok(&case, &["restore", backup.to_str().unwrap(), "--yes"]));
    assert!(out.contains("Restored the catalog"), "{out}");
    assert_eq!(integrity(&case), "ok");
    let docs = list(&case);
    let notes = doc(&docs, "Notes/What happened so far.md");
    assert_eq!(notes["kind"], "meeting_notes");
    assert_eq!(notes["date"], "2024-03-12");
    let iep = doc(&docs, "IEPs/IEP 2021 initial.pdf");
    assert!(iep["tags"].as_array().unwrap().iter().any(|t| t == "first-iep"));
    assert_ne!(iep["title"], "After the backup");
    assert_eq!(
        json(&case, &["event", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // The next scan finishes whatever the backup did not hold.
    run_ok(&case, &["scan"]);
    assert_eq!(list(&case).len(), 38 + 600);
    // A backup never overwrites a file, and restore refuses what is not a catalog.
    run_code(&case, &["backup", backup.to_str().unwrap()], 2);
    let junk = case.parent().unwrap().join("junk.sqlite");
    fs::write(&junk, "not a database").unwrap();
    let bad = run_code(&case, &["restore", junk.to_str().unwrap(), "--yes"], 2);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("hint:"));
}

#[test]
fn exported_corrections_reapply_to_a_fresh_catalog_of_the_same_folder() {
    let (_tmp, case) = fixture_case();
    run_ok(&case, &["init", "--dob", "2014-05-12"]);
    run_ok(&case, &["scan"]);
    run_ok(
        &case,
        &[
            "set",
            "Notes/What happened so far.md",
            "--kind",
            "meeting_notes",
            "--date",
            "2024-03-12",
            "--exclude",
        ],
    );
    run_ok(
        &case,
        &["tag", "Photos/IMG_2041.jpg", "+consent-photo", "-speech"],
    );
    run_ok(
        &case,
        &[
            "event",
            "add",
            "--date",
            "2024-04-01",
            "--kind",
            "records_requested",
            "--verbal",
            "--title",
            "Asked at pickup",
            "--doc",
            "Photos/IMG_2041.jpg",
        ],
    );
    // Exhibit numbers given by a binder build are work too: after a disclosure they must stay.
    run_ok(&case, &["binder", "--dry-run"]);
    let binder = case.parent().unwrap().join("binder.pdf");
    let labels = |case: &std::path::Path| -> Vec<(String, String)> {
        run_ok(
            case,
            &[
                "binder",
                "--date",
                "2024-05-01",
                "--out",
                binder.to_str().unwrap(),
            ],
        );
        let m: serde_json::Value =
            serde_json::from_slice(&fs::read(case.parent().unwrap().join("binder-manifest.json")).unwrap())
                .unwrap();
        m["exhibits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["sha256"].as_str().unwrap().to_string(),
                    e["exhibit"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    // A first build, then a document the family excludes: the second build keeps the gap.
    let first = labels(&case);
    run_ok(&case, &["set", "Notes/Phone call with Ms Ortiz.txt", "--exclude"]);
    let given = labels(&case);
    assert!(given.len() < first.len());
    let file = case.parent().unwrap().join("my-work.json");
    run_ok(
        &case,
        &["export", "--corrections", "--out", file.to_str().unwrap()],
    );
    let before = list(&case);
    // A new catalog of the same folder (e.g. after a disk failure), then the import.
    fs::remove_dir_all(case.join(".casebinder")).unwrap();
    run_ok(&case, &["init"]);
    run_ok(&case, &["scan"]);
    run_ok(&case, &["import", file.to_str().unwrap()]);
    let after = list(&case);
    for loc in ["Notes/What happened so far.md", "Photos/IMG_2041.jpg"] {
        let (a, b) = (doc(&before, loc), doc(&after, loc));
        for key in ["kind", "kind_source", "date", "date_source", "tags"] {
            assert_eq!(a[key], b[key], "{loc} {key}");
        }
    }
    assert_eq!(stdout(&run_ok(&case, &["config", "dob"])).trim(), "2014-05-12");
    assert_eq!(
        labels(&case),
        given,
        "the exhibit labels came back with the import"
    );
    let events = json(&case, &["event", "list", "--json"]);
    assert_eq!(events[0]["verbal"], true);
    assert_eq!(events[0]["documents"].as_array().unwrap().len(), 1);
    // Importing twice does not double the events.
    run_ok(&case, &["import", file.to_str().unwrap()]);
    assert_eq!(
        json(&case, &["event", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn no_command_opens_an_internet_socket() {
    if Command::new("strace").arg("-V").output().is_err() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("CI must install strace (see .ci/run)");
        }
        eprintln!("note: strace is not installed; the network test was skipped");
        return;
    }
    let (tmp, case) = fixture_case();
    let c = case.to_str().unwrap().to_string();
    let out_dir = tmp.path().to_str().unwrap().to_string();
    let commands: Vec<Vec<String>> = [
        vec!["init", "--name", "Maya Rivera"],
        vec!["scan"],
        vec!["list", "--json"],
        vec!["show", "1", "--text"],
        vec!["search", "occupational therapy"],
        vec!["set", "1", "--title", "x"],
        vec!["tag", "1", "+x"],
        vec!["review"],
        vec!["config", "district", "Lakeside Unified School District"],
        vec![
            "event",
            "add",
            "--date",
            "2024-02-06",
            "--kind",
            "phone_call",
            "--title",
            "call",
        ],
        vec!["timeline", "--format", "html", "--out", "OUT/t.html"],
        vec!["check", "--as-of", "2024-05-01"],
        vec!["gaps", "--letter", "--out", "OUT/letter.txt"],
        vec!["backup", "OUT/b.sqlite"],
        vec!["export", "--corrections", "--out", "OUT/w.json"],
        // The binder runs LibreOffice for the .docx when it is installed: traced too (-f).
        vec!["binder", "--date", "2024-05-01", "--out", "OUT/binder.pdf"],
        vec!["verify", "OUT/binder.pdf"],
    ]
    .iter()
    .map(|v| v.iter().map(|s| s.replace("OUT", &out_dir)).collect())
    .collect();
    for (i, args) in commands.iter().enumerate() {
        let log = tmp.path().join(format!("strace-{i}.log"));
        let status = Command::new("strace")
            .args([
                "-f",
                "-qq",
                "-e",
                "trace=socket,connect,sendto",
                "-o",
                log.to_str().unwrap(),
            ])
            .arg(bin())
            .args(["--case", &c])
            .args(args)
            .current_dir(&case)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(
            status.code().is_some_and(|c| c <= 1),
            "{args:?} failed under strace"
        );
        let trace = fs::read_to_string(&log).unwrap_or_default();
        for family in ["AF_INET", "AF_INET6", "AF_PACKET"] {
            assert!(
                !trace.contains(family),
                "casebinder {args:?} opened a {family} socket:\n{trace}"
            );
        }
    }
}
