//! Golden files: `list --json` (the stable contract), `check --json` and a readable snapshot of
//! the sample case's binder (its plan, its index and the text of its front pages), compared with
//! `tests/golden/`. A change in any of them fails here; if it is intended, `REPLACE=1 cargo test
//! --test golden` rewrites them, and `git diff tests/golden` shows what changed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::fs;

use common::*;

#[test]
fn list_json_matches_its_golden_file() {
    let (_tmp, case) = sample_case();
    golden("list.json", &stdout(&run_ok(&case, &["list", "--json"])));
}

#[test]
fn check_json_matches_its_golden_file() {
    let (_tmp, case) = sample_case();
    let out = run_code(&case, &["check", "--json", "--as-of", "2024-05-01"], 1);
    golden("check.json", &stdout(&out));
}

#[test]
fn the_sample_binder_reads_as_its_golden_snapshot() {
    let (_tmp, case) = sample_case();
    let args = [
        "binder",
        "--date",
        "2024-05-01",
        "--hearing-date",
        "2024-06-03",
        "--findings",
        "--prepared-by",
        "Ana Rivera (parent)",
    ];
    // Without LibreOffice a .docx is set as its text, so the snapshot is the same on every machine.
    let plan = cb(&case)
        .env("CASEBINDER_NO_HELPERS", "1")
        .args(args)
        .args(["--dry-run", "--wide"])
        .output()
        .unwrap();
    assert_eq!(plan.status.code(), Some(0));
    let built = cb(&case)
        .env("CASEBINDER_NO_HELPERS", "1")
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        built.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let pdf = case.join("Binders/due-process-binder.pdf");
    let index = fs::read_to_string(case.join("Binders/due-process-binder-index.md")).unwrap();
    let front = manifest(&pdf)["binder"]["front_pages"]
        .as_u64()
        .unwrap()
        .to_string();
    let text = tool(
        "pdftotext",
        &["-layout", "-f", "1", "-l", &front, pdf.to_str().unwrap(), "-"],
    );
    let front_text: String = String::from_utf8_lossy(&text.stdout)
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n");
    let snapshot = format!(
        "== casebinder {} --dry-run --wide\n{}\n== Binders/due-process-binder-index.md\n{}\n== the front pages ({front}), as pdftotext reads them\n{}\n",
        args.join(" "),
        stdout(&plan),
        index,
        front_text.replace('\u{c}', "\n-- next page --\n")
    );
    golden("binder.txt", &snapshot);
}
