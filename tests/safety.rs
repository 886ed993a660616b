//! Nothing a family owns can be lost or leaked through casebinder. Each test reproduces a break
//! found by attacking the landed code (named after it) and shows it cannot happen now.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

fn catalog_bytes(case: &Path) -> (String, Option<String>) {
    let db = case.join(".casebinder/catalog.sqlite");
    let wal = case.join(".casebinder/catalog.sqlite-wal");
    (sha256_file(&db), wal.is_file().then(|| sha256_file(&wal)))
}

fn err(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

#[test]
fn out_pointed_at_a_source_the_catalog_or_the_private_folder_is_refused_by_every_command() {
    let (_tmp, case) = sample_case();
    let before = tree_snapshot(&case);
    let catalog_before = catalog_bytes(&case);
    let source = "IEPs/IEP 2021 initial.pdf";
    let catalog = ".casebinder/catalog.sqlite";
    let private = ".casebinder/notes.txt";
    for target in [source, catalog, private] {
        for args in [
            vec!["timeline", "--format", "csv", "--out", target],
            vec!["export", "--corrections", "--out", target],
            vec!["gaps", "--letter", "--out", target],
            vec!["binder", "--date", "2024-05-01", "--out", target],
        ] {
            for force in [false, true] {
                let mut a = args.clone();
                if force {
                    a.push("--force"); // --force never reaches a document or the catalog
                }
                let out = run_code(&case, &a, 2);
                let e = err(&out);
                assert!(
                    e.contains("one of the case's documents") || e.contains("private .casebinder folder"),
                    "{a:?}: {e}"
                );
            }
        }
    }
    assert_eq!(tree_snapshot(&case), before, "no source changed");
    assert_eq!(
        catalog_bytes(&case).0,
        catalog_before.0,
        "the catalog is untouched"
    );
    // A symlink in the case that points at a document is no way around it.
    std::os::unix::fs::symlink(case.join(source), case.join("Notes/alias.pdf")).unwrap();
    let out = run_code(&case, &["timeline", "--out", "Notes/alias.pdf"], 2);
    assert!(err(&out).contains("one of the case's documents"), "{}", err(&out));
    fs::remove_file(case.join("Notes/alias.pdf")).unwrap();
    // A file casebinder did not make: refused, unless --force.
    fs::write(case.join("my letter.txt"), "My own words.\n").unwrap();
    let out = run_code(&case, &["export", "--corrections", "--out", "my letter.txt"], 2);
    assert!(err(&out).contains("casebinder did not make it"));
    assert_eq!(
        fs::read_to_string(case.join("my letter.txt")).unwrap(),
        "My own words.\n"
    );
    run_ok(
        &case,
        &["export", "--corrections", "--out", "my letter.txt", "--force"],
    );
    // Its own output is replaced freely, and a file changed since is not.
    run_ok(&case, &["export", "--corrections", "--out", "work.json"]);
    run_ok(&case, &["export", "--corrections", "--out", "work.json"]);
    fs::write(case.join("work.json"), "edited by hand\n").unwrap();
    run_code(&case, &["export", "--corrections", "--out", "work.json"], 2);
    // The binder and its companions follow the same rule, and are rebuilt over themselves.
    run_ok(&case, &["binder", "--date", "2024-05-01", "--out", "b.pdf"]);
    run_ok(&case, &["binder", "--date", "2024-05-01", "--out", "b.pdf"]);
    fs::write(case.join("c-index.md"), "someone's notes\n").unwrap();
    let out = run_code(&case, &["binder", "--date", "2024-05-01", "--out", "c.pdf"], 2);
    assert!(err(&out).contains("c-index.md"), "{}", err(&out));
    assert!(
        !case.join("c.pdf").exists(),
        "nothing is written when a companion is refused"
    );
}

#[test]
fn an_output_killed_mid_write_leaves_the_old_file_whole() {
    let (_tmp, case) = sample_case();
    run_ok(
        &case,
        &[
            "event",
            "add",
            "--date",
            "2024-04-01",
            "--kind",
            "phone_call",
            "--title",
            "Called",
        ],
    );
    run_ok(&case, &["export", "--corrections", "--out", "work.json"]);
    let good = fs::read(case.join("work.json")).unwrap();
    // A write limit smaller than the export makes the write fail midway, as a full disk would.
    let out = Command::new("sh")
        .current_dir(&case)
        .arg("-c")
        .arg(format!(
            "ulimit -f 0; exec \"{}\" export --corrections --out work.json",
            bin().display()
        ))
        .env("HOME", &case)
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    assert_eq!(
        fs::read(case.join("work.json")).unwrap(),
        good,
        "the old export is whole"
    );
}

fn make_backup(case: &Path, name: &str) -> PathBuf {
    let path = case.parent().unwrap().join(name);
    run_ok(case, &["backup", path.to_str().unwrap()]);
    path
}

#[test]
fn restore_checks_the_backup_before_it_touches_anything() {
    let (_tmp, case) = sample_case();
    run_ok(&case, &["set", "1", "--kind", "evaluation"]);
    let dir = case.parent().unwrap();
    // A foreign SQLite file, a backup of a newer casebinder, a truncated backup, an empty file.
    let foreign = dir.join("foreign.sqlite");
    let c = rusqlite::Connection::open(&foreign).unwrap();
    c.execute_batch("CREATE TABLE photos(x); PRAGMA user_version = 4;")
        .unwrap();
    drop(c);
    let newer = make_backup(&case, "newer.sqlite");
    let c = rusqlite::Connection::open(&newer).unwrap();
    c.pragma_update(None, "user_version", 99).unwrap();
    drop(c);
    let good = make_backup(&case, "good.sqlite");
    let truncated = dir.join("truncated.sqlite");
    let bytes = fs::read(&good).unwrap();
    fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let empty = dir.join("empty.sqlite");
    fs::write(&empty, b"").unwrap();
    let before = catalog_bytes(&case);
    for (file, says) in [
        (&foreign, "not a casebinder catalog"),
        (&newer, "newer casebinder"),
        (&truncated, "cannot be used"),
        (&empty, "empty"),
    ] {
        let out = run_code(&case, &["restore", file.to_str().unwrap(), "--yes"], 2);
        assert!(err(&out).contains(says), "{file:?}: {}", err(&out));
        assert!(err(&out).contains("Nothing was changed"));
        assert_eq!(
            catalog_bytes(&case),
            before,
            "{file:?}: the live catalog is byte-identical"
        );
    }
    // Without a terminal and without --yes, restore does not guess.
    let out = run_code(&case, &["restore", good.to_str().unwrap()], 2);
    assert!(err(&out).contains("--yes"));
    assert_eq!(catalog_bytes(&case), before);
    // A good backup comes back over a damaged catalog, and the damaged one is kept.
    let db = case.join(".casebinder/catalog.sqlite");
    let len = fs::metadata(&db).unwrap().len();
    fs::OpenOptions::new()
        .write(true)
        .open(&db)
        .unwrap()
        .set_len(len / 3)
        .unwrap();
    let out = run_code(&case, &["list"], 2);
    let e = err(&out);
    assert!(e.contains("damaged") || e.contains("cannot be used"), "{e}");
    let out = run_ok(&case, &["restore", good.to_str().unwrap(), "--yes"]);
    assert!(stdout(&out).contains("kept in"), "{}", stdout(&out));
    let docs = list(&case);
    assert_eq!(docs.iter().find(|d| d["id"] == 1).unwrap()["kind"], "evaluation");
    let kept: Vec<_> = fs::read_dir(case.join(".casebinder/backups"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with("before-restore-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
}

#[test]
fn a_damaged_or_empty_catalog_names_the_newest_backup_and_repair_recovers_the_work() {
    let (_tmp, case) = sample_case();
    run_ok(
        &case,
        &["set", "2", "--kind", "evaluation", "--date", "2024-04-29"],
    );
    run_ok(&case, &["tag", "2", "+behavior-plan"]);
    run_ok(
        &case,
        &[
            "event",
            "add",
            "--date",
            "2024-04-01",
            "--kind",
            "phone_call",
            "--title",
            "Called",
        ],
    );
    let out = run_ok(&case, &["backup"]);
    let backup_line = stdout(&out);
    let db = case.join(".casebinder/catalog.sqlite");
    // A bad sector in the pages that hold the documents' text (most of a catalog's bytes).
    let (page_size, root): (i64, i64) = {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
        (
            c.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap(),
            c.query_row(
                "SELECT rootpage FROM sqlite_master WHERE name = 'pages'",
                [],
                |r| r.get(0),
            )
            .unwrap(),
        )
    };
    let mut bytes = fs::read(&db).unwrap();
    let at = ((root - 1) * page_size) as usize;
    for b in &mut bytes[at..at + page_size as usize] {
        *b ^= 0x5a;
    }
    fs::write(&db, &bytes).unwrap();
    let out = run_code(&case, &["show", "2", "--text"], 2);
    let e = err(&out);
    assert!(e.contains("damaged"), "{e}");
    assert!(e.contains("casebinder restore"), "{e}");
    assert!(
        e.contains(".casebinder/backups/catalog-"),
        "the newest backup is named: {e}"
    );
    assert!(e.contains("casebinder repair"), "{e}");
    // Repair recovers the person's work into a new catalog; the damaged one stays as it was.
    let _ = fs::remove_file(case.join(".casebinder/catalog.sqlite-wal"));
    let damaged = sha256_file(&db);
    let out = run_ok(&case, &["repair"]);
    let said = stdout(&out);
    assert_eq!(sha256_file(&db), damaged);
    let repaired = said
        .lines()
        .find_map(|l| l.strip_prefix("Saved as a new catalog: "))
        .and_then(|l| l.split(". The catalog").next())
        .unwrap()
        .to_string();
    run_ok(&case, &["restore", &repaired, "--yes"]);
    run_ok(&case, &["scan"]);
    let docs = list(&case);
    let d2 = docs
        .iter()
        .find(|d| d["path"] == "Behavior/FBA spring 2024.pdf")
        .unwrap();
    assert_eq!(d2["kind"], "evaluation", "{said}");
    assert!(
        d2["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "behavior-plan")
    );
    assert_eq!(
        json(&case, &["event", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // A catalog emptied to 0 bytes is never a fresh start.
    fs::write(&db, b"").unwrap();
    let _ = fs::remove_file(case.join(".casebinder/catalog.sqlite-wal"));
    for args in [vec!["list"], vec!["scan"], vec!["config", "name", "X"]] {
        let out = run_code(&case, &args, 2);
        assert!(err(&out).contains("empty"), "{args:?}: {}", err(&out));
        assert_eq!(fs::metadata(&db).unwrap().len(), 0, "{args:?} started over");
    }
    assert!(backup_line.contains("Saved a copy"));
}

#[test]
fn a_case_on_a_read_only_disk_is_listed_searched_and_checked() {
    let (_tmp, case) = sample_case();
    run_ok(&case, &["set", "1", "--kind", "evaluation"]);
    let Some(ro) = ReadOnlyMount::new(&case) else {
        assert!(
            std::env::var("CI").is_err(),
            "CI must be able to make a read-only bind mount (run as root)"
        );
        eprintln!("skipped: this machine cannot make a read-only bind mount");
        return;
    };
    let at = &ro.at;
    assert_eq!(list(at).len(), list(&case).len());
    run_ok(at, &["search", "therapy"]);
    run_code(at, &["check", "--as-of", "2024-05-01"], 1);
    run_ok(at, &["timeline"]);
    run_ok(at, &["gaps", "--as-of", "2024-05-01"]);
    run_ok(at, &["show", "1"]);
    run_ok(at, &["export", "--corrections"]);
    let elsewhere = case.parent().unwrap().join("binder-from-cd.pdf");
    run_ok(
        at,
        &[
            "binder",
            "--date",
            "2024-05-01",
            "--out",
            elsewhere.to_str().unwrap(),
        ],
    );
    assert!(elsewhere.is_file());
    for args in [
        vec!["scan"],
        vec!["set", "1", "--kind", "iep"],
        vec!["binder", "--date", "2024-05-01"],
    ] {
        let out = run_code(at, &args, 2);
        let e = err(&out).to_lowercase();
        assert!(
            e.contains("read-only") || e.contains("read only"),
            "{args:?}: {e}"
        );
    }
}

#[test]
fn a_catalog_kept_off_the_documents_scans_a_read_only_folder() {
    let (tmp, folder) = fixture_case();
    // The documents on a read-only disk (a CD, a write-protected stick) where this machine can.
    let mount = ReadOnlyMount::new(&folder);
    let case = mount.as_ref().map_or(folder.clone(), |m| m.at.clone());
    let home = tmp.path().join("Maya case catalog");
    run_ok(
        tmp.path(),
        &[
            "init",
            case.to_str().unwrap(),
            "--catalog",
            home.to_str().unwrap(),
            "--name",
            "Maya Rivera",
        ],
    );
    assert!(
        !folder.join(".casebinder").exists(),
        "nothing is written beside the documents"
    );
    run_ok(&home, &["scan"]);
    assert_eq!(list(&home).len(), 38);
    run_ok(&home, &["binder", "--date", "2024-05-01"]);
    assert!(home.join("Binders/due-process-binder.pdf").is_file());
    run_ok(tmp.path(), &["--case", home.to_str().unwrap(), "list"]);
}

#[test]
fn links_out_of_the_case_other_cases_and_casebinder_outputs_are_never_evidence() {
    let (tmp, case) = fixture_case();
    let outside = tmp.path().join("private");
    fs::create_dir_all(&outside).unwrap();
    fs::write(
        outside.join("id_rsa"),
        "-----BEGIN OPENSSH PRIVATE KEY----- secret\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.join("id_rsa"), case.join("Notes/key.txt")).unwrap();
    std::os::unix::fs::symlink(&outside, case.join("Notes/outside")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", case.join("Notes/passwd.txt")).unwrap();
    // A link that stays inside the case is followed.
    std::os::unix::fs::symlink(case.join("Medical"), case.join("Notes/medical-link")).unwrap();
    run_ok(&case, &["init"]);
    let out = run_ok(&case, &["scan"]);
    assert!(
        stdout(&out).contains("link to outside the case folder"),
        "{}",
        stdout(&out)
    );
    let docs = list(&case);
    let paths: Vec<String> = docs
        .iter()
        .flat_map(|d| {
            d["locations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l.as_str().unwrap().to_string())
        })
        .collect();
    assert!(
        !paths
            .iter()
            .any(|p| p.contains("key.txt") || p.contains("outside/") || p.contains("passwd"))
    );
    assert!(
        paths.iter().any(|p| p.starts_with("Notes/medical-link/")),
        "{paths:?}"
    );
    let out = run_ok(&case, &["search", "PRIVATE"]);
    assert!(!stdout(&out).contains("key.txt"));
    // Asked for, links out are followed.
    run_ok(&case, &["scan", "--follow-links"]);
    assert!(list(&case).iter().any(|d| d["path"] == "Notes/key.txt"));
    run_ok(&case, &["scan"]);
    assert!(!list(&case).iter().any(|d| d["path"] == "Notes/key.txt"));
    // The demo run inside the case, and a binder copied into it, add nothing.
    let n = list(&case).len();
    run_ok(&case, &["demo", "sample inside"]);
    run_ok(
        &case,
        &[
            "binder",
            "--date",
            "2024-05-01",
            "--out",
            tmp.path().join("b.pdf").to_str().unwrap(),
        ],
    );
    for f in ["b.pdf", "b-index.csv", "b-index.md", "b-manifest.json"] {
        fs::copy(tmp.path().join(f), case.join("Notes").join(f)).unwrap();
    }
    let out = run_ok(&case, &["scan"]);
    assert_eq!(list(&case).len(), n, "{}", stdout(&out));
    assert!(stdout(&out).contains("another casebinder case"));
}

#[test]
fn a_scan_whose_private_folder_is_deleted_midway_does_not_report_success() {
    let (_tmp, case) = fixture_case();
    for i in 0..400 {
        fs::write(
            case.join(format!("Notes/log {i:03}.txt")),
            format!("Log {i}, about speech therapy.\n"),
        )
        .unwrap();
    }
    run_ok(&case, &["init"]);
    let mut child = cb(&case).args(["scan", "--no-progress"]).spawn().unwrap();
    // Delete the private folder while the scan runs.
    std::thread::sleep(std::time::Duration::from_millis(150));
    let _ = fs::remove_dir_all(case.join(".casebinder"));
    let status = child.wait().unwrap();
    if case.join(".casebinder/catalog.sqlite").is_file() {
        return; // the scan had not started writing: nothing to prove on this run
    }
    assert_ne!(
        status.code(),
        Some(0),
        "a scan whose catalog vanished reported success"
    );
}

/// A one-page PDF whose content stream has no /Length (poppler and qpdf read it anyway).
fn pdf_without_length(words: &str) -> Vec<u8> {
    let content = format!("BT /F1 20 Tf 72 700 Td ({words}) Tj ET");
    let objs = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< >>\nstream\n{content}\nendstream"),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).into_bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).into_bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").into_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .into_bytes(),
    );
    out
}

#[test]
fn a_pdf_whose_stream_lacks_its_length_is_not_blank_in_the_binder() {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("case");
    fs::create_dir(&case).unwrap();
    fs::write(
        case.join("Prior written notice.pdf"),
        pdf_without_length("Prior Written Notice refusing occupational therapy minutes"),
    )
    .unwrap();
    run_ok(&case, &["init"]);
    run_ok(&case, &["scan"]);
    let out = run_ok(&case, &["binder", "--date", "2024-05-01", "--strict"]);
    assert!(err(&out).contains("mended"), "the index says so: {}", err(&out));
    let pdf = case.join("Binders/due-process-binder.pdf");
    let m = manifest(&pdf);
    let page = m["exhibits"][0]["binder_first_page"]
        .as_u64()
        .unwrap()
        .to_string();
    let text = tool(
        "pdftotext",
        &["-f", &page, "-l", &page, pdf.to_str().unwrap(), "-"],
    );
    assert!(String::from_utf8_lossy(&text.stdout).contains("occupational therapy"));
    assert!(m["exhibits"][0]["note"].as_str().unwrap().contains("mended"));
    let csv = fs::read_to_string(case.join("Binders/due-process-binder-index.csv")).unwrap();
    assert!(csv.contains("mended"));
    let check = tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

#[test]
fn text_from_documents_is_safe_in_the_terminal_in_markdown_and_on_binder_pages() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("case");
    fs::create_dir(&case).unwrap();
    // An email whose Subject and From carry terminal escapes and Markdown, with a long title.
    let long = "Re: services ".repeat(900);
    fs::write(
        case.join("hostile.eml"),
        format!(
            "From: \"Evil \u{1b}]8;;http://evil.example/\u{7}click\u{1b}]8;;\u{7}\" <e@x.example>\r\nTo: parent@x.example\r\nSubject: \u{1b}]0;owned\u{7}![pic](http://evil.example/p.png) <img src=x> {long}\r\nDate: Mon, 4 Dec 2023 10:00:00 -0800\r\n\r\nHello.\r\n"
        ),
    )
    .unwrap();
    // File names with an escape, not UTF-8, and decomposed accents (as macOS writes them).
    fs::write(case.join("note \u{1b}[2J.txt"), "A note about the IEP meeting.\n").unwrap();
    let latin1 = std::ffi::OsStr::from_bytes(b"r\xe9sum\xe9 letter.txt");
    fs::write(
        case.join(latin1),
        "A letter from the district about speech therapy.\n",
    )
    .unwrap();
    let nfd = "E\u{301}valuation.txt"; // É, decomposed
    fs::write(case.join(nfd), "Evaluation report for the reevaluation.\n").unwrap();
    run_ok(&case, &["init"]);
    run_ok(&case, &["scan"]);
    for args in [
        vec!["list"],
        vec!["show", "1"],
        vec!["timeline"],
        vec!["search", "IEP"],
        vec!["list", "--csv"],
    ] {
        let out = run_ok(&case, &args);
        assert!(
            !out.stdout.contains(&0x1b) && !out.stdout.contains(&0x07),
            "{args:?} printed raw control characters"
        );
    }
    let listed = stdout(&run_ok(&case, &["list"]));
    assert!(
        listed.contains("\\x1b"),
        "the escape is shown, not obeyed: {listed}"
    );
    // The composed name finds the decomposed file.
    run_ok(&case, &["show", "\u{c9}valuation.txt"]);
    // The binder: Markdown is inert, titles are capped, every source verifies.
    run_ok(&case, &["binder", "--date", "2024-05-01"]);
    let md = fs::read_to_string(case.join("Binders/due-process-binder-index.md")).unwrap();
    assert!(
        !md.contains("](http") && !md.contains(" <img") && !md.contains("://"),
        "{md}"
    );
    let m = manifest(&case.join("Binders/due-process-binder.pdf"));
    let longest = m["exhibits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["title"].as_str().unwrap().chars().count())
        .max()
        .unwrap();
    assert!(longest <= 240, "a title of {longest} characters");
    let out = run_ok(&case, &["verify", "Binders/due-process-binder.pdf"]);
    assert!(stdout(&out).contains("all 4 sources match"), "{}", stdout(&out));
}

#[test]
fn a_subject_of_a_hundred_thousand_encoded_words_is_decoded_up_to_a_bound() {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("case");
    fs::create_dir(&case).unwrap();
    let subject = "=?UTF-8?B?w6k=?= ".repeat(100_000);
    fs::write(
        case.join("flood.eml"),
        format!(
            "From: a@x.example\r\nSubject: {subject}\r\nDate: Mon, 4 Dec 2023 10:00:00 -0800\r\n\r\nBody.\r\n"
        ),
    )
    .unwrap();
    run_ok(&case, &["init"]);
    // (How long it takes is measured by bench/hostile.sh, not here.)
    run_ok(&case, &["scan"]);
    let docs = list(&case);
    let title = docs[0]["title"].as_str().unwrap();
    assert!(
        title.starts_with('é') && title.chars().count() < 20_000,
        "{}",
        title.len()
    );
}
