//! Hostile folders and files: a symlink loop, non-UTF-8 and very long names, a zip bomb inside a
//! .docx, and a file too large to read (hashed by streaming). Each scan finishes, exits 0, and
//! says what happened.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::ffi::OsStr;
use std::fs;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;

use common::*;

#[test]
fn loops_odd_names_and_bombs_are_reported_not_fatal() {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("case");
    fs::create_dir_all(case.join("a/b")).unwrap();
    fs::write(case.join("a/b/note.txt"), "A note about speech therapy.\n").unwrap();
    // A symbolic link that loops back to a folder above it.
    std::os::unix::fs::symlink(&case, case.join("a/b/loop")).unwrap();
    // A file name that is not UTF-8, and one of 250 bytes.
    fs::write(
        case.join(OsStr::from_bytes(b"caf\xe9 notes.txt")),
        "Latin-1 name.\n",
    )
    .unwrap();
    // A folder whose name is not UTF-8, with a file whose name is.
    let latin_dir = case.join(OsStr::from_bytes(b"r\xe9sum\xe9s"));
    fs::create_dir(&latin_dir).unwrap();
    fs::write(latin_dir.join("inside.txt"), "In a Latin-1 folder.\n").unwrap();
    let long = format!("{}.txt", "x".repeat(246));
    fs::write(case.join(&long), "A long name.\n").unwrap();
    // A .docx whose body inflates to 300 MB of spaces.
    let bomb = case.join("bomb.docx");
    {
        let f = fs::File::create(&bomb).unwrap();
        let mut z = zip::ZipWriter::new(f);
        let opts =
            zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        z.start_file("word/document.xml", opts).unwrap();
        z.write_all(b"<w:document><w:body><w:p><w:r><w:t>").unwrap();
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..300 {
            z.write_all(&chunk).unwrap();
        }
        z.write_all(b"</w:t></w:r></w:p></w:body></w:document>").unwrap();
        z.finish().unwrap();
    }
    assert!(fs::metadata(&bomb).unwrap().len() < 2_000_000);
    run_ok(&case, &["init"]);
    let s = json(&case, &["scan", "--json"]);
    let failures = s["failures"].as_array().unwrap();
    assert!(
        failures
            .iter()
            .any(|f| f["path"].as_str().unwrap().contains("loop")
                && f["reason"].as_str().unwrap().contains("loops back")),
        "{s}"
    );
    let docs = list(&case);
    assert!(
        docs.iter().any(|d| d["path"] == "caf%E9 notes.txt"),
        "the non-UTF-8 name is listed, its byte kept as %E9"
    );
    assert!(docs.iter().any(|d| d["path"] == long.as_str()));
    let bomb_doc = doc(&docs, "bomb.docx");
    assert!(["ok", "no_text", "corrupt"].contains(&bomb_doc["status"].as_str().unwrap()));
    // The odd names can still be shown by id.
    let id = doc(&docs, "caf%E9 notes.txt")["id"].to_string();
    assert!(stdout(&run_ok(&case, &["show", &id, "--text"])).contains("Latin-1 name."));
    // A file in a folder whose name is not UTF-8 is read from where it is.
    let inside = doc(&docs, "r%E9sum%E9s/inside.txt");
    assert_eq!(inside["status"], "ok", "{inside}");
    let id = inside["id"].to_string();
    assert!(stdout(&run_ok(&case, &["show", &id, "--text"])).contains("In a Latin-1 folder."));
    // Nothing changed: nothing is read again.
    assert_eq!(json(&case, &["scan", "--json"])["bytes_read"], 0);
    assert_eq!(integrity(&case), "ok");
}

#[test]
fn a_file_too_large_to_read_is_hashed_by_streaming_and_listed() {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("case");
    fs::create_dir(&case).unwrap();
    // A 2 GB file (sparse: it takes no disk space, but every byte is read and hashed).
    let big = fs::File::create(case.join("whole scanner dump.pdf")).unwrap();
    big.set_len(2 * 1024 * 1024 * 1024).unwrap();
    drop(big);
    fs::write(case.join("small.txt"), "A small note.\n").unwrap();
    run_ok(&case, &["init"]);
    let s = json(&case, &["scan", "--json"]);
    assert_eq!(s["bytes_read"].as_u64().unwrap(), 2 * 1024 * 1024 * 1024 + 14);
    let f = s["failures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "whole scanner dump.pdf")
        .unwrap();
    assert_eq!(f["status"], "unsupported");
    assert!(
        f["reason"].as_str().unwrap().contains("larger than 512 MiB"),
        "{f}"
    );
    let d = doc(&list(&case), "whole scanner dump.pdf").clone();
    // The SHA-256 of 2 GiB of zero bytes.
    assert_eq!(d["sha256"], zeros_sha().as_str());
}

/// SHA-256 of 2 GiB of zeros, computed here by streaming.
fn zeros_sha() -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..2048 {
        h.update(&chunk);
    }
    hex::encode(h.finalize())
}

#[test]
fn files_that_change_or_vanish_while_scanned_are_caught_and_the_next_scan_is_right() {
    let (_tmp, case) = fixture_case();
    for i in 0..200 {
        fs::write(case.join(format!("Notes/log {i:03}.txt")), format!("Log {i}.\n")).unwrap();
    }
    let busy = case.join("Notes/being saved.txt");
    let doomed: Vec<_> = (0..50)
        .map(|i| case.join(format!("Notes/temp {i:02}.txt")))
        .collect();
    for d in &doomed {
        fs::write(d, "A temporary file.\n").unwrap();
    }
    run_ok(&case, &["init"]);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (busy, stop, doomed) = (busy.clone(), stop.clone(), doomed.clone());
        std::thread::spawn(move || {
            let mut n = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                // An editor saving again and again, with different lengths.
                fs::write(&busy, "Saved again. ".repeat(1 + (n % 50) as usize)).unwrap();
                if let Some(d) = doomed.get(n as usize) {
                    let _ = fs::remove_file(d);
                }
                n += 1;
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            n
        })
    };
    let out = run_ok(&case, &["scan", "--json"]);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let saves = writer.join().unwrap();
    assert!(saves > 10, "the file was saved {saves} times during the scan");
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let failures = summary["failures"].as_array().unwrap();
    let moving: Vec<&serde_json::Value> = failures
        .iter()
        .filter(|f| {
            let p = f["path"].as_str().unwrap_or("");
            p == "Notes/being saved.txt" || p.starts_with("Notes/temp ")
        })
        .collect();
    for f in &moving {
        let reason = f["reason"].as_str().unwrap();
        assert!(reason.contains("disappeared") && reason.contains("scan"), "{f}");
    }
    eprintln!(
        "{saves} saves and deletions during the scan; {} caught mid-read",
        moving.len()
    );
    assert_eq!(integrity(&case), "ok");
    // Once nothing moves, the next scan records exactly what is on disk.
    run_ok(&case, &["scan"]);
    let docs = list(&case);
    let final_sha = sha256_bytes(&fs::read(&busy).unwrap());
    let d = doc(&docs, "Notes/being saved.txt");
    assert_eq!(d["sha256"], final_sha.as_str());
    for gone in &doomed {
        let name = format!("Notes/{}", gone.file_name().unwrap().to_string_lossy());
        assert!(
            !docs.iter().any(|d| d["path"] == name.as_str()),
            "{name} was deleted"
        );
    }
}

#[test]
fn a_full_disk_stops_with_a_clear_message_and_the_next_run_finishes() {
    let (_tmp, case) = fixture_case();
    run_ok(&case, &["init"]);
    // A write limit of 100 KiB (ulimit -f): the catalog of the sample case needs more.
    let bash = |args: &str| {
        let mut c = std::process::Command::new("bash");
        c.current_dir(&case)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap())
            .env("HOME", &case)
            .args(["-c", &format!("ulimit -f 100; exec '{}' {args}", bin().display())]);
        c.output().unwrap()
    };
    let out = bash("scan");
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("disk") && err.contains("hint:"), "{err}");
    assert!(!err.contains("panicked"));
    assert_eq!(integrity(&case), "ok");
    // The next run, with room, finishes the job; a correction made then survives a full disk later.
    run_ok(&case, &["scan"]);
    let docs = list(&case);
    assert_eq!(docs.len(), 38);
    let id = docs[0]["id"].to_string();
    run_ok(&case, &["set", &id, "--title", "Kept through a full disk"]);
    // A binder (about 200 KB) cannot be written under the limit: a clear error, no half file.
    let out = bash("binder --date 2024-05-01");
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("hint:"), "{err}");
    let binders = case.join("Binders");
    let left: Vec<_> = fs::read_dir(&binders)
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "nothing half-written is left: {left:?}");
    assert_eq!(integrity(&case), "ok");
    let docs = list(&case);
    assert_eq!(
        docs.iter().find(|d| d["id"].as_i64() == id.parse().ok()).unwrap()["title"],
        "Kept through a full disk"
    );
    run_ok(&case, &["binder", "--date", "2024-05-01"]);
}

/// Runs casebinder as an unprivileged user when the tests run as root (root ignores file
/// permissions), else as the current user.
fn as_user(case: &std::path::Path, args: &[&str]) -> std::process::Output {
    let root = unsafe_free_euid() == 0;
    let mut c = if root {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]);
        c.arg(bin());
        c
    } else {
        std::process::Command::new(bin())
    };
    c.args(args)
        .current_dir(case)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap())
        .env("HOME", case)
        .env("LC_ALL", "C.UTF-8");
    c.output().unwrap()
}

/// The effective user id, from /proc (no unsafe code in tests).
fn unsafe_free_euid() -> u32 {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("Uid:"))
        .and_then(|l| l.split_whitespace().nth(2))
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000)
}

fn chown_tree(path: &std::path::Path) {
    if unsafe_free_euid() != 0 {
        return;
    }
    std::os::unix::fs::chown(path, Some(65534), Some(65534)).unwrap();
    if path.is_dir() && !path.is_symlink() {
        for e in fs::read_dir(path).unwrap() {
            chown_tree(&e.unwrap().path());
        }
    }
}

#[test]
fn refused_files_and_folders_and_a_read_only_catalog_are_explained() {
    use std::os::unix::fs::PermissionsExt;
    let (tmp, case) = fixture_case();
    fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o755)).unwrap();
    fs::create_dir_all(case.join("Locked folder")).unwrap();
    fs::write(
        case.join("Locked folder/letter.txt"),
        "Dear Ms. Ortiz, about the OT minutes.\n",
    )
    .unwrap();
    fs::copy(
        case.join("Notes/Phone call with Ms Ortiz.txt"),
        case.join("Private note.txt"),
    )
    .unwrap();
    chown_tree(&case);
    fs::set_permissions(case.join("Private note.txt"), fs::Permissions::from_mode(0o000)).unwrap();
    fs::set_permissions(case.join("Locked folder"), fs::Permissions::from_mode(0o000)).unwrap();

    let ok = |out: &std::process::Output| {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    ok(&as_user(&case, &["init"]));
    let summary: serde_json::Value = serde_json::from_str(&ok(&as_user(&case, &["scan", "--json"]))).unwrap();
    let text = summary.to_string();
    assert!(
        text.contains("Private note.txt") && text.contains("permission denied"),
        "{text}"
    );
    assert!(
        text.contains("Locked folder"),
        "the refused folder is named: {text}"
    );
    let listed = ok(&as_user(&case, &["list", "--json"]));
    assert!(
        listed.contains("Notices/PWN - OT increase refused.pdf"),
        "the rest was scanned"
    );

    // A read-only catalog: reading works, writing says so plainly, and nothing is lost.
    let catalog = case.join(".casebinder/catalog.sqlite");
    fs::set_permissions(&catalog, fs::Permissions::from_mode(0o400)).unwrap();
    ok(&as_user(&case, &["list"]));
    let out = as_user(&case, &["set", "1", "--title", "Changed"]);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("read-only") && err.contains("hint:"), "{err}");
    // Writable again: the next commands work (even after SQLite's side files were made read-only).
    fs::set_permissions(&catalog, fs::Permissions::from_mode(0o600)).unwrap();
    ok(&as_user(&case, &["set", "1", "--title", "Changed"]));
    fs::set_permissions(case.join("Private note.txt"), fs::Permissions::from_mode(0o600)).unwrap();
    fs::set_permissions(case.join("Locked folder"), fs::Permissions::from_mode(0o700)).unwrap();
    ok(&as_user(&case, &["scan"]));
    let listed = ok(&as_user(&case, &["list", "--json"]));
    assert!(
        listed.contains("Private note.txt") && listed.contains("Locked folder/letter.txt"),
        "{listed}"
    );
    assert_eq!(integrity(&case), "ok");
}
