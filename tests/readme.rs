//! The README's transcripts are real output. Every ```text block after a
//! `<!-- transcript: SPEC -->` line is run, in README order, on a fresh copy of the sample case
//! (as "/home/ana/Maya's IEP case", 100 columns), and its output must match what the README shows.
//! `REPLACE=1 cargo test --test readme` (or `scripts/readme-transcripts`) rewrites the blocks
//! from real output; review the change with `git diff README.md`.
//!
//! SPEC gives, for each `$ casebinder` line of the block, which output lines are shown: `all`,
//! `none`, or ranges such as `1-7,-1` (lines 1 to 7 and the last one); a `…` line marks each cut.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use common::*;

const HOME: &str = "/home/ana";
const MARK: &str = "<!-- transcript:";

/// The lines of `out` a spec keeps, with `…` where lines were cut.
fn shown(out: &str, spec: &str) -> Vec<String> {
    let lines: Vec<&str> = out.lines().collect();
    let n = lines.len();
    let spec = spec.trim();
    if spec == "none" {
        return Vec::new();
    }
    if spec == "all" || spec.is_empty() {
        return lines.iter().map(|l| l.to_string()).collect();
    }
    let mut keep = vec![false; n];
    for part in spec.split(',') {
        let part = part.trim();
        let (a, b) = if let Some(last) = part.strip_prefix('-') {
            let k: usize = last.parse().unwrap();
            (n.saturating_sub(k) + 1, n)
        } else if let Some((a, b)) = part.split_once('-') {
            (
                a.parse().unwrap(),
                if b.is_empty() { n } else { b.parse().unwrap() },
            )
        } else {
            let a: usize = part.parse().unwrap();
            (a, a)
        };
        for k in a.max(1)..=b.min(n) {
            keep[k - 1] = true;
        }
    }
    let mut out = Vec::new();
    let mut cut = false;
    for (k, line) in lines.iter().enumerate() {
        if keep[k] {
            if cut {
                out.push("…".to_string());
                cut = false;
            }
            out.push(line.to_string());
        } else {
            cut = true;
        }
    }
    if cut {
        out.push("…".to_string());
    }
    out
}

struct Sandbox {
    _tmp: tempfile::TempDir,
    home: PathBuf,
    cwd: PathBuf,
}

impl Sandbox {
    fn new() -> Sandbox {
        let tmp = tempfile::tempdir().unwrap();
        let home = tmp.path().join("home").join("ana");
        copy_dir(
            &repo_root().join("fixtures").join("case"),
            &home.join("Maya's IEP case"),
        );
        Sandbox {
            _tmp: tmp,
            cwd: home.clone(),
            home,
        }
    }

    /// Runs one `$` line; returns its output (stdout and stderr as a terminal shows them).
    fn run(&mut self, line: &str) -> Option<String> {
        let words = shell_words(line);
        match words.first().map(String::as_str) {
            Some("cd") => {
                self.cwd = self.cwd.join(&words[1]);
                None
            }
            Some("casebinder") => {
                let log = self.home.join(".transcript-output");
                let file = fs::File::create(&log).unwrap();
                let status = cb(&self.cwd)
                    .env("HOME", &self.home)
                    .env("COLUMNS", "100")
                    .args(&words[1..])
                    .stdout(Stdio::from(file.try_clone().unwrap()))
                    .stderr(Stdio::from(file))
                    .status()
                    .unwrap();
                let out = fs::read_to_string(&log).unwrap();
                fs::remove_file(&log).unwrap();
                assert!(
                    status.code().is_some_and(|c| c <= 1),
                    "the README's `{line}` failed ({status}):\n{out}"
                );
                Some(out.replace(self.home.to_str().unwrap(), HOME))
            }
            other => panic!("a transcript can only run casebinder and cd, not {other:?}: {line}"),
        }
    }
}

/// The README with every transcript block replaced by real output.
fn regenerate(readme: &str) -> String {
    let mut sandbox = Sandbox::new();
    let mut out = Vec::new();
    let mut lines = readme.lines().peekable();
    while let Some(line) = lines.next() {
        out.push(line.to_string());
        let Some(spec) = line.trim().strip_prefix(MARK).and_then(|s| s.strip_suffix("-->")) else {
            continue;
        };
        let specs: Vec<&str> = spec.split(';').collect();
        let fence = lines.next().unwrap();
        assert_eq!(
            fence, "```text",
            "a transcript mark must stand right before a ```text block"
        );
        out.push(fence.to_string());
        let mut commands = 0;
        for body in lines.by_ref() {
            if body == "```" {
                out.push(body.to_string());
                break;
            }
            let Some(cmd) = body.strip_prefix("$ ") else {
                continue; // old output: replaced by what the command prints now
            };
            out.push(body.to_string());
            if let Some(printed) = sandbox.run(cmd) {
                let spec = specs.get(commands).copied().unwrap_or("all");
                commands += 1;
                out.extend(shown(&printed, spec));
            }
        }
    }
    let mut text = out.join("\n");
    if readme.ends_with('\n') {
        text.push('\n');
    }
    text
}

#[test]
fn the_readme_transcripts_are_what_casebinder_prints() {
    let path: &Path = &repo_root().join("README.md");
    let readme = fs::read_to_string(path).unwrap();
    assert!(
        readme.matches(MARK).count() >= 8,
        "the README's transcripts are marked"
    );
    let now = regenerate(&readme);
    if std::env::var("REPLACE").is_ok_and(|v| v == "1") {
        fs::write(path, &now).unwrap();
        return;
    }
    if now != readme {
        let (a, b): (Vec<&str>, Vec<&str>) = (readme.lines().collect(), now.lines().collect());
        let at = a
            .iter()
            .zip(&b)
            .position(|(x, y)| x != y)
            .unwrap_or(a.len().min(b.len()));
        panic!(
            "README.md line {} is not what casebinder prints now:\n  README: {:?}\n  now:    {:?}\n\
             If the change is intended: REPLACE=1 cargo test --test readme, then git diff README.md",
            at + 1,
            a.get(at).unwrap_or(&"<end>"),
            b.get(at).unwrap_or(&"<end>")
        );
    }
}

#[test]
fn specs_keep_the_lines_they_name() {
    let out = "a\nb\nc\nd\ne\n";
    assert_eq!(shown(out, "1-2,-1"), ["a", "b", "…", "e"]);
    assert_eq!(shown(out, "3-"), ["…", "c", "d", "e"]);
    assert_eq!(shown(out, "2"), ["…", "b", "…"]);
    assert!(shown(out, "none").is_empty());
    assert_eq!(
        shell_words("show \"A b.pdf\" --text   # why"),
        ["show", "A b.pdf", "--text"]
    );
}

/// The newest backup in `case`, for the README's example of a backup's name.
fn newest_backup(case: &Path) -> String {
    let dir = case.join(".casebinder").join("backups");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("catalog-") && n.ends_with(".sqlite"))
        .collect();
    names.sort();
    format!(".casebinder/backups/{}", names.last().expect("a backup"))
}

/// Every command the README shows, in transcripts and in ```sh blocks alike, runs on a copy of
/// the sample case in README order and exits 0 (or 1, `check`'s "a possible violation"). The one
/// stand-in: the example backup name (`catalog-20241101-093000.sqlite`) becomes the newest backup.
#[test]
fn every_command_the_readme_shows_runs() {
    let readme = fs::read_to_string(repo_root().join("README.md")).unwrap();
    let mut sandbox = Sandbox::new();
    let mut fence: Option<String> = None;
    let mut ran = 0;
    for line in readme.lines() {
        if let Some(lang) = line.strip_prefix("```") {
            fence = match fence {
                Some(_) => None,
                None => Some(lang.to_string()),
            };
            continue;
        }
        let Some(lang) = &fence else { continue };
        let cmd = match lang.as_str() {
            "sh" | "text" => line.strip_prefix("$ ").unwrap_or(line),
            _ => continue,
        };
        // Output lines of a transcript never start with the command's own name.
        if lang == "text" && !line.starts_with("$ ") {
            continue;
        }
        if !(cmd.starts_with("casebinder ") || cmd.starts_with("cd ")) {
            continue;
        }
        let mut words = shell_words(cmd);
        for w in words.iter_mut() {
            if w.starts_with(".casebinder/backups/catalog-") && !sandbox.cwd.join(&*w).exists() {
                *w = newest_backup(&sandbox.cwd);
            }
        }
        let quoted: Vec<String> = words
            .iter()
            .map(|w| {
                if w.contains(' ') || w.contains('\'') {
                    format!("\"{w}\"")
                } else {
                    w.clone()
                }
            })
            .collect();
        sandbox.run(&quoted.join(" "));
        ran += 1;
    }
    assert!(ran >= 35, "the README shows {ran} commands");
}
