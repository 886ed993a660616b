//! The integration tests' toolbox: temporary copies of fixtures/ (scanned or not), the real
//! binary with a scrubbed environment, hashes, helper programs, binder manifests, snapshots of a
//! source tree (content, names, mtimes) and golden files (`REPLACE=1` rewrites them).
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sha2::{Digest, Sha256};

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_casebinder"))
}

/// The binary, run in `dir`, with only PATH and a private HOME set.
pub fn cb(dir: &Path) -> Command {
    let mut c = Command::new(bin());
    c.current_dir(dir).env_clear();
    if let Some(path) = std::env::var_os("PATH") {
        c.env("PATH", path);
    }
    c.env("HOME", dir).env("LC_ALL", "C.UTF-8");
    c
}

/// Runs and returns the output; panics with stderr when the exit code is not `code`.
pub fn run_ok(dir: &Path, args: &[&str]) -> Output {
    run_code(dir, args, 0)
}

pub fn run_code(dir: &Path, args: &[&str], code: i32) -> Output {
    let out = cb(dir).args(args).output().expect("run casebinder");
    assert_eq!(
        out.status.code(),
        Some(code),
        "casebinder {args:?} exited {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked"),
        "panic in casebinder {args:?}:\n{stderr}"
    );
    out
}

pub fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let out = run_ok(dir, args);
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// ../shared/corpus, when it is there.
pub fn corpus() -> Option<PathBuf> {
    let p = repo_root().join("..").join("shared").join("corpus");
    p.is_dir().then_some(p)
}

/// Copies a folder (hidden files included); symlinks are not expected in fixtures.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A fresh copy of the sample case in a temporary folder: (guard, case path).
pub fn fixture_case() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("Rivera case");
    copy_dir(&repo_root().join("fixtures").join("case"), &case);
    (tmp, case)
}

/// Every file under `root` except `.casebinder/`: path → (sha256, size, mtime in ns).
pub fn tree_snapshot(root: &Path) -> BTreeMap<String, (String, u64, i128)> {
    let mut out = BTreeMap::new();
    snapshot_into(root, root, &mut out);
    out
}

fn snapshot_into(root: &Path, dir: &Path, out: &mut BTreeMap<String, (String, u64, i128)>) {
    let mut entries: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap()).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        if e.file_name() == ".casebinder" {
            continue;
        }
        let meta = fs::symlink_metadata(&path).unwrap();
        let rel = path.strip_prefix(root).unwrap().to_string_lossy().into_owned();
        let mtime = meta
            .modified()
            .unwrap()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as i128;
        if meta.is_dir() {
            out.insert(format!("{rel}/"), (String::new(), 0, mtime));
            snapshot_into(root, &path, out);
        } else {
            let bytes = fs::read(&path).unwrap();
            out.insert(rel, (hex::encode(Sha256::digest(&bytes)), meta.len(), mtime));
        }
    }
}

/// `list --json` as a vector of objects.
pub fn list(dir: &Path) -> Vec<serde_json::Value> {
    json(dir, &["list", "--json"]).as_array().unwrap().clone()
}

/// The document whose locations include `locator`.
pub fn doc<'a>(docs: &'a [serde_json::Value], locator: &str) -> &'a serde_json::Value {
    docs.iter()
        .find(|d| d["locations"].as_array().unwrap().iter().any(|l| l == locator))
        .unwrap_or_else(|| panic!("no document at {locator}"))
}

/// Opens the catalog with the library and runs SQLite's integrity check.
pub fn integrity(case: &Path) -> String {
    let catalog =
        casebinder::catalog::Catalog::open(&case.join(".casebinder").join("catalog.sqlite")).unwrap();
    catalog.integrity_check().unwrap()
}

/// The sample case, initialised as the Rivera family's (California) and scanned.
pub fn sample_case() -> (tempfile::TempDir, PathBuf) {
    let (tmp, case) = fixture_case();
    run_ok(&case, &["init", "--name", "Maya Rivera", "--state", "CA"]);
    run_ok(&case, &["scan"]);
    (tmp, case)
}

/// A scanned copy of any folder, initialised with `init` arguments.
pub fn scanned_copy(from: &Path, init: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("case");
    copy_dir(from, &case);
    let mut args = vec!["init"];
    args.extend(init);
    run_ok(&case, &args);
    run_ok(&case, &["scan"]);
    (tmp, case)
}

/// A scanned case made of these (file name, text) pairs.
pub fn case_with(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("case");
    fs::create_dir(&case).unwrap();
    for (name, text) in files {
        fs::write(case.join(name), text).unwrap();
    }
    run_ok(&case, &["init"]);
    run_ok(&case, &["scan"]);
    (tmp, case)
}

/// `check --json` with extra arguments, expecting exit `code`.
pub fn check_json(case: &Path, extra: &[&str], code: i32) -> serde_json::Value {
    let mut args = vec!["check", "--json"];
    args.extend(extra);
    let out = run_code(case, &args, code);
    serde_json::from_slice(&out.stdout).unwrap()
}

/// SHA-256 of bytes, in hex.
pub fn sha256_bytes(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// SHA-256 of a file, in hex.
pub fn sha256_file(path: &Path) -> String {
    sha256_bytes(&fs::read(path).unwrap())
}

/// True when a program is on PATH.
pub fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()))
        .unwrap_or(false)
}

/// Runs a helper program the test needs (qpdf, pdftotext…), saying how to install it if absent.
pub fn tool(name: &str, args: &[&str]) -> Output {
    Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!("{name} is needed for this test (apt-get install qpdf poppler-utils): {e}")
    })
}

/// [`tool`] with a time limit: None when it ran longer (it is killed).
pub fn tool_with_timeout(name: &str, args: &[&str], limit: std::time::Duration) -> Option<Output> {
    let mut child = Command::new(name)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{name} is needed for this test (apt-get install poppler-utils): {e}"));
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stdout, &mut buf);
        buf
    });
    let start = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let stdout = reader.join().unwrap();
            return Some(Output {
                status,
                stdout,
                stderr: Vec::new(),
            });
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            let _ = reader.join();
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// The manifest written beside a binder.
pub fn manifest(pdf: &Path) -> serde_json::Value {
    let stem = pdf.file_stem().unwrap().to_string_lossy().to_string();
    let m = pdf.with_file_name(format!("{stem}-manifest.json"));
    serde_json::from_slice(&fs::read(m).unwrap()).unwrap()
}

/// Compares `actual` with the golden file `tests/golden/NAME`; with `REPLACE=1` in the
/// environment, writes it instead (then review the change with `git diff`).
pub fn golden(name: &str, actual: &str) {
    let path = repo_root().join("tests").join("golden").join(name);
    if std::env::var("REPLACE").is_ok_and(|v| v == "1") {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "golden file {} is missing ({e}): run REPLACE=1 cargo test to write it",
            path.display()
        )
    });
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from the output, first at line {}:\n  golden: {:?}\n  now:    {:?}\n\
             If the change is intended, run REPLACE=1 cargo test and review it with git diff.",
            path.display(),
            first + 1,
            expected.lines().nth(first).unwrap_or("<end>"),
            actual.lines().nth(first).unwrap_or("<end>"),
        );
    }
}

/// Splits a command line the way a shell would (quotes; `#` starts a comment).
pub fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut in_word = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (None, '#') if !in_word => break,
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, c) => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}

/// Mounts `dir` read-only at a new place; `None` where this machine cannot mount.
pub struct ReadOnlyMount {
    pub at: PathBuf,
}

impl ReadOnlyMount {
    pub fn new(dir: &Path) -> Option<ReadOnlyMount> {
        let at = dir.with_file_name(format!("{}-ro", dir.file_name()?.to_string_lossy()));
        fs::create_dir_all(&at).ok()?;
        let ok = Command::new("mount")
            .arg("--bind")
            .arg(dir)
            .arg(&at)
            .status()
            .ok()?
            .success();
        if !ok {
            return None;
        }
        let ro = Command::new("mount")
            .args(["-o", "remount,ro,bind"])
            .arg(&at)
            .status()
            .ok()?
            .success();
        let m = ReadOnlyMount { at };
        (ro && fs::write(m.at.join("probe"), b"x").is_err()).then_some(m)
    }
}

impl Drop for ReadOnlyMount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.at).status();
    }
}
