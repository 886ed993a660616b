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
        docs.iter().any(|d| d["path"] == "caf\u{fffd} notes.txt"),
        "the non-UTF-8 name is listed"
    );
    assert!(docs.iter().any(|d| d["path"] == long.as_str()));
    let bomb_doc = doc(&docs, "bomb.docx");
    assert!(["ok", "no_text", "corrupt"].contains(&bomb_doc["status"].as_str().unwrap()));
    // The odd names can still be shown by id.
    let id = doc(&docs, "caf\u{fffd} notes.txt")["id"].to_string();
    assert!(stdout(&run_ok(&case, &["show", &id, "--text"])).contains("Latin-1 name."));
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
