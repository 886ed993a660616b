//! The scan issue's acceptance points, run on temporary copies of fixtures/ with the real binary.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::fs;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::process::Stdio;

use common::*;
use serde_json::Value;

const MBOX: &str = "Takeout/Mail/All mail Including Spam and Trash.mbox";

#[test]
fn init_makes_a_private_catalog_and_a_second_init_changes_nothing() {
    let (_tmp, case) = fixture_case();
    let out = run_ok(&case, &["init", "--name", "Maya Rivera", "--state", "ca"]);
    assert!(stdout(&out).contains("Next: casebinder scan"));
    let private = case.join(".casebinder");
    let catalog = private.join("catalog.sqlite");
    assert_eq!(
        fs::metadata(&private).unwrap().permissions().mode() & 0o777,
        0o700
    );
    assert_eq!(
        fs::metadata(&catalog).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let before = fs::read(&catalog).unwrap();
    let out = run_ok(&case, &["init"]);
    assert!(stdout(&out).contains("already a casebinder case; nothing was changed"));
    assert_eq!(before, fs::read(&catalog).unwrap());
    // After a scan, every file casebinder made (WAL, lock) is private too.
    run_ok(&case, &["scan"]);
    for entry in fs::read_dir(&private).unwrap() {
        let entry = entry.unwrap();
        let mode = entry.metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(
            mode & 0o077,
            0,
            "{:?} is readable by others: {mode:o}",
            entry.path()
        );
    }
}

#[test]
fn commands_outside_a_case_say_how_to_make_one() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_code(tmp.path(), &["list"], 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not inside a casebinder case"), "{err}");
    assert!(err.contains("hint:") && err.contains("casebinder init"), "{err}");
    // --case and CASEBINDER_CASE find it from anywhere.
    let (_t2, case) = fixture_case();
    run_ok(&case, &["init"]);
    run_ok(tmp.path(), &["--case", case.to_str().unwrap(), "scan"]);
    let out = cb(tmp.path())
        .env("CASEBINDER_CASE", &case)
        .args(["list", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    // And from a subfolder, by walking up.
    let docs = list(&case.join("IEPs"));
    assert!(!docs.is_empty());
}

#[test]
fn the_sample_case_is_read_with_a_status_for_every_file() {
    let (_tmp, case) = fixture_case();
    run_ok(&case, &["init"]);
    let summary = json(&case, &["scan", "--json"]);
    for key in [
        "new",
        "changed",
        "unchanged",
        "moved",
        "missing",
        "skipped",
        "failed",
        "bytes_read",
    ] {
        assert!(summary[key].is_u64(), "summary lacks {key}: {summary}");
    }
    assert_eq!(summary["new"], 35);
    // .DS_Store, Thumbs.db, ~$ lock file, a zero-byte file, a hidden file, an ignored folder.
    assert_eq!(summary["skipped"], 6, "{summary}");
    assert!(summary["bytes_read"].as_u64().unwrap() > 100_000);
    let docs = list(&case);
    assert_eq!(docs.len(), 38);
    let status = |loc: &str| doc(&docs, loc)["status"].as_str().unwrap().to_string();
    assert_eq!(status("District portal/Report card Q2 (locked).pdf"), "encrypted");
    assert_eq!(
        status("District portal/OT evaluation 2021 (download failed).pdf"),
        "corrupt"
    );
    assert_eq!(status("Notes/voice memo.m4a"), "unsupported");
    assert_eq!(status("IEPs/2022-10-04 IEP annual.pdf"), "ok");
    assert_eq!(status("Letters/Records request to district.docx"), "ok");
    assert_eq!(status("Emails/Reminder IEP meeting.eml"), "ok");
    // Every document that is not ok has a one-line reason in the scan summary.
    let failures = summary["failures"].as_array().unwrap();
    for d in &docs {
        if d["status"] != "ok" {
            let f = failures
                .iter()
                .find(|f| f["path"] == d["path"])
                .unwrap_or_else(|| panic!("no reason for {}", d["path"]));
            let reason = f["reason"].as_str().unwrap();
            assert!(!reason.is_empty() && !reason.contains('\n'), "{reason}");
        }
    }
    // Skipped junk and ignored files never become documents.
    for d in &docs {
        let p = d["path"].as_str().unwrap();
        assert!(
            !p.contains("DS_Store")
                && !p.contains("Thumbs")
                && !p.contains("~$")
                && !p.starts_with("Drafts/"),
            "{p}"
        );
    }
}

#[test]
fn list_json_has_the_contract_fields_messages_attachments_and_duplicates() {
    let (_tmp, case) = fixture_case();
    run_ok(&case, &["init"]);
    run_ok(&case, &["scan"]);
    let docs = list(&case);
    let expected: Vec<&str> = vec![
        "author",
        "date",
        "date_source",
        "duplicate_of",
        "id",
        "kind",
        "kind_source",
        "locations",
        "message_id",
        "pages",
        "parent_ids",
        "path",
        "sha256",
        "status",
        "tags",
        "title",
    ];
    for d in &docs {
        let mut keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(keys, expected);
        assert_eq!(d["sha256"].as_str().unwrap().len(), 64);
    }
    // Every mbox message is a document of its own, PATH#N in file order.
    for n in 0..3 {
        let m = doc(&docs, &format!("{MBOX}#{n}"));
        assert_eq!(m["kind"], "email");
        assert!(m["message_id"].is_string());
    }
    assert_eq!(doc(&docs, &format!("{MBOX}#2"))["date"], "2024-03-12"); // sent 21:47 -0700: the sender's day
    let tags = doc(&docs, &format!("{MBOX}#0"))["tags"].clone();
    let tags: Vec<&str> = tags
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(
        tags.contains(&"inbox") && tags.contains(&"iep") && tags.contains(&"speech"),
        "{tags:?}"
    );
    // Attachments are documents with their email as parent.
    let eml = doc(&docs, "Emails/RE_ OT minutes.eml");
    let log = doc(&docs, "Emails/RE_ OT minutes.eml::OT service log.pdf");
    assert!(log["parent_ids"].as_array().unwrap().contains(&eml["id"]));
    assert_eq!(log["pages"], 1);
    // The same message in the .eml and the mbox: one is the duplicate of the other.
    let copy = doc(&docs, &format!("{MBOX}#1"));
    assert_eq!(copy["duplicate_of"], eml["id"]);
    assert_eq!(copy["message_id"], eml["message_id"]);
    assert!(eml["duplicate_of"].is_null());
    // Byte-identical files and attachments are one document with every location.
    let progress = doc(&docs, "Progress reports/Progress Report Q1 2023-24.pdf");
    let locs: Vec<&str> = progress["locations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert_eq!(
        locs,
        vec![
            "Emails/RE_ OT minutes.eml::Progress Report.pdf",
            "Progress reports/Progress Report Q1 2023-24.pdf",
            &format!("{MBOX}#1::Progress Report.pdf"),
        ]
    );
    assert_eq!(
        progress["path"],
        "Progress reports/Progress Report Q1 2023-24.pdf"
    );
    let iep = doc(&docs, "IEPs/2022-10-04 IEP annual.pdf");
    assert_eq!(iep["locations"].as_array().unwrap().len(), 2);
    assert_eq!(iep["pages"], 2);
    // CSV has a header and one row per document.
    let csv = stdout(&run_ok(&case, &["list", "--csv"]));
    assert!(csv.starts_with("id,path,locations,"));
    assert_eq!(csv.lines().count(), docs.len() + 1);
}

#[test]
fn a_second_scan_reads_nothing_and_changes_nothing() {
    let (_tmp, case) = fixture_case();
    run_ok(&case, &["init"]);
    run_ok(&case, &["scan"]);
    let first = list(&case);
    let s = json(&case, &["scan", "--json"]);
    assert_eq!(s["bytes_read"], 0, "{s}");
    assert_eq!(s["new"], 0);
    assert_eq!(s["changed"], 0);
    assert_eq!(s["unchanged"], 35);
    assert_eq!(list(&case), first);
}

#[test]
fn rename_delete_and_modify_keep_documents_straight() {
    let (_tmp, case) = fixture_case();
    run_ok(&case, &["init"]);
    run_ok(&case, &["scan"]);
    let before = list(&case);
    let pwn_id = doc(&before, "Notices/PWN - OT increase refused.pdf")["id"].clone();

    // Rename (move to another folder): same document, new location.
    fs::create_dir(case.join("Key documents")).unwrap();
    fs::rename(
        case.join("Notices/PWN - OT increase refused.pdf"),
        case.join("Key documents/PWN 2023-10-03.pdf"),
    )
    .unwrap();
    // Delete: the location is marked missing; the document is kept.
    let notes_id = doc(&before, "Notes/What happened so far.md")["id"].clone();
    fs::remove_file(case.join("Notes/What happened so far.md")).unwrap();
    // Modify: new bytes, a new document at the same path.
    let phone = case.join("Notes/Phone call with Ms Ortiz.txt");
    let old_phone_id = doc(&before, "Notes/Phone call with Ms Ortiz.txt")["id"].clone();
    let mut text = fs::read_to_string(&phone).unwrap();
    text.push_str("Follow-up: she called back on 2/9/2024.\n");
    fs::write(&phone, text).unwrap();

    let s = json(&case, &["scan", "--json"]);
    assert_eq!(
        (
            s["moved"].as_u64(),
            s["missing"].as_u64(),
            s["changed"].as_u64(),
            s["new"].as_u64()
        ),
        (Some(1), Some(1), Some(1), Some(0)),
        "{s}"
    );
    let after = list(&case);
    let pwn = doc(&after, "Key documents/PWN 2023-10-03.pdf");
    assert_eq!(pwn["id"], pwn_id);
    assert_eq!(pwn["locations"].as_array().unwrap().len(), 1);
    assert!(!after.iter().any(|d| d["id"] == notes_id));
    let missing = json(&case, &["list", "--missing", "--json"]);
    assert!(missing.as_array().unwrap().iter().any(|d| d["id"] == notes_id));
    let phone_doc = doc(&after, "Notes/Phone call with Ms Ortiz.txt");
    assert_ne!(phone_doc["id"], old_phone_id);
    let shown = stdout(&run_ok(&case, &["show", &notes_id.to_string()]));
    assert!(shown.contains("(file is gone)"), "{shown}");
    // Putting the deleted file back brings its document back.
    fs::write(
        case.join("Notes/What happened so far.md"),
        fs::read(repo_root().join("fixtures/case/Notes/What happened so far.md")).unwrap(),
    )
    .unwrap();
    run_ok(&case, &["scan"]);
    assert_eq!(doc(&list(&case), "Notes/What happened so far.md")["id"], notes_id);
}

#[test]
fn no_source_file_is_ever_touched() {
    let (tmp, case) = fixture_case();
    let before = tree_snapshot(tmp.path());
    run_ok(&case, &["init"]);
    run_ok(&case, &["scan"]);
    run_ok(&case, &["scan", "--json"]);
    run_ok(&case, &["list"]);
    run_ok(&case, &["list", "--json", "kind:email"]);
    run_ok(&case, &["list", "--csv"]);
    run_ok(&case, &["show", "1", "--text"]);
    run_ok(&case, &["show", "Emails/RE_ OT minutes.eml", "--json"]);
    run_ok(&case, &["search", "occupational therapy"]);
    // Every other command, corrections and binders included.
    run_ok(&case, &["set", "1", "--title", "Checked", "--date", "2023-10-03"]);
    run_ok(&case, &["set", "2", "--exclude"]);
    run_ok(&case, &["tag", "1", "3", "+speech", "-esy"]);
    run_ok(&case, &["review"]);
    run_ok(&case, &["config", "breaks", "2023-12-18..2024-01-02"]);
    run_ok(&case, &["config"]);
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
            "Call",
        ],
    );
    run_ok(&case, &["event", "list"]);
    run_ok(&case, &["event", "rm", "1"]);
    run_ok(&case, &["timeline", "--format", "html"]);
    run_code(&case, &["check", "--as-of", "2024-05-01"], 1);
    run_ok(&case, &["gaps", "--as-of", "2024-05-01", "--letter"]);
    let work = tmp.path().join("work.json");
    run_ok(
        &case,
        &["export", "--corrections", "--out", work.to_str().unwrap()],
    );
    run_ok(&case, &["import", work.to_str().unwrap()]);
    let backup = tmp.path().join("b.sqlite");
    run_ok(&case, &["backup", backup.to_str().unwrap()]);
    run_ok(&case, &["restore", backup.to_str().unwrap(), "--yes"]);
    run_ok(&case, &["binder", "--dry-run"]);
    run_ok(
        &case,
        &["binder", "--date", "2024-05-01", "--purpose", "mediation"],
    );
    run_ok(
        &case,
        &[
            "binder",
            "--date",
            "2024-05-01",
            "--diff",
            "--purpose",
            "mediation",
        ],
    );
    run_ok(&case, &["verify", "Binders/mediation-binder.pdf"]);
    let mut after = tree_snapshot(tmp.path());
    // What casebinder wrote on purpose: binders, the export and the backup.
    after.retain(|k, _| !k.starts_with("Rivera case/Binders/") && k != "work.json" && k != "b.sqlite");
    // The case folder's own mtime changes when .casebinder is created; its files may not.
    after.remove("Rivera case/");
    let mut before = before;
    before.remove("Rivera case/");
    assert_eq!(before, after);
}

#[test]
fn hostile_attachment_names_create_no_file() {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("case");
    fs::create_dir(&case).unwrap();
    let eml = "From: x@example.org\r\nTo: y@example.org\r\nSubject: names\r\nDate: Tue, 3 Oct 2023 10:00:00 -0400\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nbody\r\n\
--B\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=\"../../etc/passwd\"\r\n\r\nroot:x:0:0\r\n\
--B\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=\"/evil/filename\"\r\n\r\nevil\r\n\
--B\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=\"..\\\\..\\\\win.ini\"\r\n\r\nwin\r\n--B--\r\n";
    fs::write(case.join("names.eml"), eml).unwrap();
    let passwd_before = fs::metadata("/etc/passwd").and_then(|m| m.modified()).ok();
    let before = tree_snapshot(tmp.path());
    run_ok(&case, &["init"]);
    run_ok(&case, &["scan"]);
    let docs = list(&case);
    let mut locators: Vec<String> = docs
        .iter()
        .flat_map(|d| {
            d["locations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l.as_str().unwrap().to_string())
        })
        .collect();
    locators.sort();
    assert_eq!(
        locators,
        vec![
            "names.eml",
            "names.eml::filename",
            "names.eml::passwd",
            "names.eml::win.ini"
        ]
    );
    let mut after = tree_snapshot(tmp.path());
    after.remove("case/");
    let mut before = before;
    before.remove("case/");
    assert_eq!(before, after, "the scan created or changed files");
    assert!(!std::path::Path::new("/evil").exists());
    assert_eq!(
        passwd_before,
        fs::metadata("/etc/passwd").and_then(|m| m.modified()).ok()
    );
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("many");
    fs::create_dir(&case).unwrap();
    for i in 0..1500 {
        fs::write(
            case.join(format!("note {i:04}.txt")),
            format!("Note number {i} about speech therapy.\n"),
        )
        .unwrap();
    }
    run_ok(&case, &["init"]);
    run_ok(&case, &["scan"]);
    for args in [
        &["list"][..],
        &["list", "--json"],
        &["list", "--csv"],
        &["search", "speech"],
    ] {
        let mut child = cb(&case)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        reader.read_line(&mut first).unwrap();
        drop(reader); // like `| head -1`
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?} printed: {err}");
        assert!(!first.is_empty());
    }
}

#[test]
fn two_scans_at_once_both_finish_and_the_catalog_is_sound() {
    let (_tmp, case) = fixture_case();
    for i in 0..300 {
        fs::write(
            case.join(format!("Notes/log {i:03}.txt")),
            format!("Log entry {i}.\n"),
        )
        .unwrap();
    }
    run_ok(&case, &["init"]);
    let a = cb(&case)
        .args(["scan", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let b = cb(&case)
        .args(["scan", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        assert!(!err.to_lowercase().contains("database is locked"), "{err}");
    }
    assert_eq!(integrity(&case), "ok");
    assert_eq!(list(&case).len(), 338);
}

#[test]
fn show_and_search_accept_what_people_type() {
    let (_tmp, case) = fixture_case();
    run_ok(&case, &["init"]);
    run_ok(&case, &["scan"]);
    let docs = list(&case);
    let pwn = doc(&docs, "Notices/PWN - OT increase refused.pdf");
    let id = pwn["id"].to_string();
    let sha_prefix = &pwn["sha256"].as_str().unwrap()[..10];
    for spec in [id.as_str(), "Notices/PWN - OT increase refused.pdf", sha_prefix] {
        let shown = json(&case, &["show", spec, "--json"]);
        assert_eq!(shown["id"], pwn["id"], "{spec}");
    }
    // A path relative to the current folder works too.
    let shown = json(
        &case.join("Notices"),
        &["show", "PWN - OT increase refused.pdf", "--json"],
    );
    assert_eq!(shown["id"], pwn["id"]);
    let text = stdout(&run_ok(&case, &["show", &id, "--text"]));
    assert!(
        text.contains("Prior Written Notice") && text.contains("--- page 1 ---"),
        "{text}"
    );
    // Pictures keep their size and the camera's date.
    let photo = json(&case, &["show", "Photos/IMG_2041.jpg", "--json"]);
    assert_eq!(photo["meta"]["exif_date_taken"], "2023-03-01");
    assert!(photo["meta"]["width"].as_u64().unwrap() > 500);
    // PDFs keep their document-info fields, .docx its core properties.
    let iep = json(&case, &["show", "IEPs/2022-10-04 IEP annual.pdf", "--json"]);
    assert_eq!(iep["meta"]["creation_date_day"], "2022-10-04");
    let letter = json(
        &case,
        &["show", "Letters/Records request to district.docx", "--json"],
    );
    assert_eq!(letter["meta"]["created"], "2024-01-08T09:00:00Z");
    assert_eq!(letter["author"], "Ana Rivera");
    let out = run_code(&case, &["show", "no such thing"], 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("hint:"));

    let hits = json(&case, &["search", "occupational", "therapy", "--json"]);
    let hits = hits.as_array().unwrap();
    assert!(hits.iter().any(|h| h["id"] == pwn["id"]));
    assert!(hits.iter().all(|h| h["snippet"].as_str().unwrap().contains('[')));
    // A word of the file names: the snippet marks it where it is (the title and file name
    // when the text does not have it).
    let hits = json(&case, &["search", "pdf", "--limit", "5", "--json"]);
    let hits = hits.as_array().unwrap();
    assert_eq!(hits.len(), 5);
    assert!(
        hits.iter()
            .all(|h| h["snippet"].as_str().unwrap().contains("[pdf]")),
        "{hits:?}"
    );
    for nasty in ["\"unbalanced", "a OR b NOT c", "title:x:y", "AT&T"] {
        run_ok(&case, &["search", nasty]);
        run_ok(&case, &["list", nasty]);
    }
    // What cannot be read as a query is refused with what was wrong and how to write it.
    for (nasty, why) in [
        ("AT&T (draft", "not closed"),
        ("NEAR(a b)", "no opening bracket"),
        ("*", "no letter or digit"),
        ("a OR", "nothing to combine"),
    ] {
        for command in ["search", "list"] {
            let out = run_code(&case, &[command, nasty], 2);
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                err.contains(why) && err.contains("help query"),
                "{command} {nasty}: {err}"
            );
        }
    }
    // The query syntax filters the listing.
    let emails = json(&case, &["list", "kind:email", "--json"]);
    assert_eq!(emails.as_array().unwrap().len(), 6);
    let dec = json(&case, &["list", "date:2023-12", "--json"]);
    assert_eq!(dec.as_array().unwrap().len(), 3);
    let ot = json(
        &case,
        &["list", "\"occupational therapy\"", "-kind:email", "--json"],
    );
    assert!(ot.as_array().unwrap().iter().any(|d| d["id"] == pwn["id"]));
    let bad = run_code(&case, &["list", "date:someday"], 2);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("YYYY-MM-DD"));
}

#[test]
fn without_helper_programs_the_built_in_pdf_reader_is_used() {
    let (_tmp, case) = fixture_case();
    run_ok(&case, &["init"]);
    let out = cb(&case)
        .env("CASEBINDER_NO_HELPERS", "1")
        .args(["scan", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let docs = list(&case);
    assert_eq!(doc(&docs, "IEPs/2022-10-04 IEP annual.pdf")["status"], "ok");
    assert_eq!(
        doc(&docs, "Letters/Scan - district letter IEE.pdf")["status"],
        "no_text"
    );
    let shown = json(&case, &["show", "IEPs/2022-10-04 IEP annual.pdf", "--json"]);
    assert_eq!(shown["meta"]["text_engine"], "lopdf");
}

#[test]
fn demo_writes_scans_and_lists_the_sample_case() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_ok(tmp.path(), &["demo"]);
    let text = stdout(&out);
    assert!(
        text.contains("$ casebinder list") && text.contains("Emails/RE_ OT minutes.eml"),
        "{text}"
    );
    let case = tmp.path().join("casebinder-demo");
    assert_eq!(list(&case).len(), 38);
    // Running it again reuses the case.
    let again = stdout(&run_ok(tmp.path(), &["demo"]));
    assert!(again.contains("Using the sample case already in"));
    // A non-empty folder that is not a case is refused with a hint.
    fs::create_dir(tmp.path().join("busy")).unwrap();
    fs::write(tmp.path().join("busy/file.txt"), "x").unwrap();
    let out = run_code(tmp.path(), &["demo", "busy"], 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("hint:"));
}

#[test]
fn init_stores_the_case_settings_and_refuses_bad_ones_before_creating_anything() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_code(tmp.path(), &["init", "--dob", "12 May"], 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("YYYY-MM-DD"));
    assert!(
        !tmp.path().join(".casebinder").exists(),
        "a refused init left a case behind"
    );
    run_ok(
        tmp.path(),
        &[
            "init",
            "--name",
            "Maya Rivera",
            "--state",
            "ca",
            "--dob",
            "2014-05-12",
            "--district",
            "Lakeside USD",
            "--school",
            "Lakeside Elementary",
            "--date-order",
            "day-first",
        ],
    );
    for (key, value) in [
        ("name", "Maya Rivera"),
        ("state", "CA"),
        ("dob", "2014-05-12"),
        ("district", "Lakeside USD"),
        ("school", "Lakeside Elementary"),
        ("date-order", "day-first"),
    ] {
        assert_eq!(
            stdout(&run_ok(tmp.path(), &["config", key])).trim(),
            value,
            "{key}"
        );
    }
}

/// A mailbox of `n` short messages, each its own document: message `k` says "fluency", and
/// every 1,000th also says "zebra".
fn mailbox(n: usize) -> String {
    let mut mbox = String::new();
    for k in 0..n {
        let rare = if k % 1000 == 7 { " zebra" } else { "" };
        mbox.push_str(&format!(
            "From sender@example.org Mon Jan  1 00:00:00 2024\nFrom: Ms. Ortiz <ortiz@example.org>\n\
             To: Ana <ana@example.org>\nSubject: Session note {k}\nDate: Mon, 1 Jan 2024 09:00:00 +0000\n\
             Message-ID: <note-{k}@example.org>\n\nReading fluency practice, session {k}.{rare}\n\n"
        ));
    }
    mbox
}

#[test]
fn search_finds_every_matching_document_as_list_does() {
    let (_tmp, case) = case_with(&[]);
    // More matching pages than any cap a search might keep (5,000 was one).
    fs::write(case.join("notes.mbox"), mailbox(5200)).unwrap();
    run_ok(&case, &["init"]);
    run_ok(&case, &["scan"]);
    let ids = |v: Value, key: &str| -> std::collections::BTreeSet<i64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|d| d[key].as_i64().unwrap())
            .collect()
    };
    for word in ["fluency", "zebra"] {
        let searched = ids(
            json(&case, &["search", "--limit", "100000", "--json", word]),
            "id",
        );
        let listed = ids(json(&case, &["list", "--json", word]), "id");
        assert_eq!(searched, listed, "search and list disagree on {word}");
        let expect = if word == "fluency" { 5200 } else { 6 };
        assert_eq!(searched.len(), expect, "{word}");
    }
    // The best match comes first, with a snippet from its own text.
    let top = json(&case, &["search", "--limit", "3", "--json", "zebra"]);
    let top = top.as_array().unwrap();
    assert_eq!(top.len(), 3);
    for hit in top {
        let snippet = hit["snippet"].as_str().unwrap();
        assert!(snippet.contains("[zebra]"), "{hit}");
    }
}

/// The messages of a mailbox larger than casebinder reads into memory (64 MiB): `n` messages,
/// each with a text attachment of about 90 KB (base64 in the message).
fn large_mailbox(n: usize) -> Vec<Vec<u8>> {
    use std::fmt::Write as _;
    let mut messages = Vec::new();
    for k in 0..n {
        let mut text = String::new();
        for line in 0..1500 {
            let _ = writeln!(text, "Session {k}, line {line}: reading fluency practice notes.");
        }
        let encoded = base64_lines(text.as_bytes());
        messages.push(
            format!(
                "From sender@example.org Mon Jan  1 00:00:00 2024\nFrom: Ms. Ortiz <ortiz@example.org>\n\
                 To: Ana <ana@example.org>\nSubject: Session log {k}\nDate: Mon, 1 Jan 2024 09:00:00 +0000\n\
                 Message-ID: <log-{k}@example.org>\nMIME-Version: 1.0\n\
                 Content-Type: multipart/mixed; boundary=\"b{k}\"\n\n--b{k}\nContent-Type: text/plain\n\n\
                 The log of session {k} is attached.\n--b{k}\nContent-Type: text/plain; name=\"log-{k}.txt\"\n\
                 Content-Disposition: attachment; filename=\"log-{k}.txt\"\nContent-Transfer-Encoding: base64\n\n\
                 {encoded}--b{k}--\n\n"
            )
            .into_bytes(),
        );
    }
    messages
}

fn base64_lines(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for (i, c) in bytes.chunks(3).enumerate() {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for j in 0..4 {
            if j <= c.len() {
                out.push(A[((n >> (18 - 6 * j)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
        if i % 19 == 18 {
            out.push('\n');
        }
    }
    out.push('\n');
    out
}

/// A new mailbox too large for memory is written while it is read (a few hundred documents at a
/// time, in one transaction that ends with the file's row): the catalog is the one a reading in
/// one piece gives (messages in order, each attachment under its own message), a kill part way
/// leaves a sound catalog that the next scan completes, and a changed mailbox is read again.
#[test]
fn a_large_new_mailbox_is_written_as_it_is_read() {
    let (_tmp, case) = case_with(&[]);
    let n = 760;
    let path = case.join("All mail.mbox");
    let messages = large_mailbox(n + 1);
    fs::write(&path, messages[..n].concat()).unwrap();
    assert!(fs::metadata(&path).unwrap().len() > 64 << 20);
    run_ok(&case, &["init"]);
    // Killed part way: nothing half-written is left.
    let mut child = cb(&case)
        .args(["scan", "-q", "--no-progress"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(integrity(&case), "ok");
    run_ok(&case, &["scan"]);
    let docs = list(&case);
    assert_eq!(docs.len(), 2 * n);
    let mut last_message_id = 0;
    for k in 0..n {
        let message = doc(&docs, &format!("All mail.mbox#{k}"));
        let attachment = doc(&docs, &format!("All mail.mbox#{k}::log-{k}.txt"));
        let id = message["id"].as_i64().unwrap();
        assert!(id > last_message_id, "messages keep their order: #{k}");
        last_message_id = id;
        assert_eq!(attachment["parent_ids"], serde_json::json!([id]), "#{k}");
    }
    let first_id = doc(&docs, "All mail.mbox#0")["id"].clone();
    // Nothing changed: nothing read. A message more: read again, the others keep their ids.
    let again = json(&case, &["scan", "--json", "--no-progress"]);
    assert_eq!(again["unchanged"], 1, "{again}");
    // Touched, its bytes the same: read again and found unchanged (its fingerprint is its
    // documents'). Moved to another folder: found where it went, its documents the same.
    let later = fs::metadata(&path).unwrap().modified().unwrap() + std::time::Duration::from_secs(5);
    fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(later)
        .unwrap();
    let touched = json(&case, &["scan", "--json", "--no-progress"]);
    assert_eq!(
        (touched["unchanged"].as_u64(), touched["changed"].as_u64()),
        (Some(1), Some(0)),
        "{touched}"
    );
    fs::create_dir(case.join("Mail")).unwrap();
    let path = case.join("Mail").join("All mail.mbox");
    fs::rename(case.join("All mail.mbox"), &path).unwrap();
    let moved = json(&case, &["scan", "--json", "--no-progress"]);
    assert_eq!(moved["moved"], 1, "{moved}");
    let docs: Vec<Value> = list(&case);
    assert_eq!(docs.len(), 2 * n);
    assert_eq!(doc(&docs, "Mail/All mail.mbox#0")["id"], first_id);
    fs::write(&path, messages.concat()).unwrap();
    run_ok(&case, &["scan"]);
    let after = list(&case);
    assert_eq!(after.len(), 2 * (n + 1));
    for k in [0, n / 2, n - 1] {
        let locator = format!("Mail/All mail.mbox#{k}");
        assert_eq!(doc(&after, &locator)["id"], doc(&docs, &locator)["id"]);
    }
    assert_eq!(integrity(&case), "ok");
}

/// A new file's documents are classified where they are read and stored with that
/// classification; what `config` then reads again with the classification after the scan (every
/// document, from the catalog) is the same, field for field, for the sample case (files and a
/// small mailbox) and for a large mailbox read as a stream, where one letter is attached to two
/// emails sent on different days (its date hint comes from the earlier).
#[test]
fn documents_classified_as_they_are_read_match_the_classification_after_the_scan() {
    let (_tmp, case) = fixture_case();
    let n = 760;
    let mut messages = large_mailbox(n);
    let letter = base64_lines(
        b"Dear Ms. Rivera,\nThis letter confirms the IEP meeting for Maya.\nSincerely,\nDr. Hale, Principal\n",
    );
    for (k, day) in [(n, "Tue, 5 Mar 2024"), (n + 1, "Mon, 4 Mar 2024")] {
        messages.push(
            format!(
                "From sender@example.org Mon Jan  1 00:00:00 2024\nFrom: Dr. Hale <hale@example.org>\n\
                 To: Ana <ana@example.org>\nSubject: Meeting letter {k}\nDate: {day} 09:00:00 +0000\n\
                 Message-ID: <letter-{k}@example.org>\nMIME-Version: 1.0\n\
                 Content-Type: multipart/mixed; boundary=\"b{k}\"\n\n--b{k}\nContent-Type: text/plain\n\n\
                 The letter is attached.\n--b{k}\nContent-Type: text/plain; name=\"letter.txt\"\n\
                 Content-Disposition: attachment; filename=\"letter.txt\"\nContent-Transfer-Encoding: base64\n\n\
                 {letter}--b{k}--\n\n"
            )
            .into_bytes(),
        );
    }
    let big = case.join("Takeout").join("All mail.mbox");
    fs::write(&big, messages.concat()).unwrap();
    assert!(fs::metadata(&big).unwrap().len() > 64 << 20);
    run_ok(&case, &["init"]);
    let scan = json(&case, &["scan", "--json", "--no-progress"]);
    let documents = list(&case);
    // Classified as read: only documents met twice are left to the classification after it.
    let after = scan["classified"].as_u64().unwrap();
    assert!(
        after * 20 < documents.len() as u64,
        "{after} of {} classified after the scan",
        documents.len()
    );
    let letter_doc = doc(&documents, "Takeout/All mail.mbox#760::letter.txt");
    assert_eq!(letter_doc["parent_ids"].as_array().unwrap().len(), 2);
    // Each document's evidence too (`show`): the sample case's, the letter, one in fifty others.
    let shown = |case: &std::path::Path| -> Vec<Value> {
        documents
            .iter()
            .filter(|d| {
                let places = d["locations"].to_string();
                !places.contains("Takeout/All mail.mbox#")
                    || places.contains("letter.txt")
                    || d["id"].as_i64().unwrap() % 50 == 0
            })
            .map(|d| json(case, &["show", &d["id"].to_string(), "--json"]))
            .collect()
    };
    let before = shown(&case);
    // Every document read again from the catalog, under other settings and then these.
    run_ok(&case, &["config", "school", "Nowhere Elementary"]);
    run_ok(&case, &["config", "school", "--unset"]);
    let again = list(&case);
    assert_eq!(again.len(), documents.len());
    for (a, b) in documents.iter().zip(&again) {
        assert_eq!(a, b, "classified as read, then after the scan");
    }
    for (a, b) in before.iter().zip(&shown(&case)) {
        assert_eq!(a, b, "classified as read, then after the scan");
    }
}
