//! How often casebinder gets a document's kind and date right, on folders written by other hands:
//! ../shared/real-docs (real and third-party documents, labelled by the maintainers), the second
//! sample family (fixtures/second-family, other layouts than the rules were written beside) and
//! the Rivera sample case. Each set prints its figures, its confusion table and every miss, so a
//! CI log shows where the rules stand.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use common::*;

/// One labelled document: its kind, an acceptable alternative, its date (`?`: not graded,
/// `none`: it has no date).
struct Label {
    kind: String,
    also: Option<String>,
    date: String,
}

/// Reads `labels.tsv` (file, kind, also, date, …) or `truth.tsv` (locator, kind, date).
fn labels(path: &Path) -> BTreeMap<String, Label> {
    let text = fs::read_to_string(path).unwrap();
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name);
    let (file, kind, also, date) = (
        col("file").or(col("locator")).unwrap(),
        col("kind").unwrap(),
        col("also"),
        col("date").unwrap(),
    );
    lines
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .map(|f| {
            let date = match f.get(date).copied().unwrap_or("") {
                "" => "none",
                d => d,
            };
            (
                f[file].to_string(),
                Label {
                    kind: f[kind].to_string(),
                    also: also
                        .and_then(|a| f.get(a))
                        .filter(|a| !a.is_empty())
                        .map(|a| a.to_string()),
                    date: date.to_string(),
                },
            )
        })
        .collect()
}

/// Kind and date accuracy of one scanned set, printed with its confusion table, and how well
/// `review` tells the wrong answers from the right ones (its calibration).
struct Score {
    kinds: usize,
    kinds_of: usize,
    dates: usize,
    dates_of: usize,
    /// Wrong answers (kinds and dates) listed by `review`, of all wrong answers.
    wrong_flagged: usize,
    wrong: usize,
    /// Right answers listed by `review`, of all right answers.
    right_flagged: usize,
    right: usize,
}

/// What `review` lists for each document, by path.
fn review_problems(case: &Path) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for item in json(case, &["review", "--json"]).as_array().unwrap() {
        out.entry(item["path"].as_str().unwrap().to_string())
            .or_default()
            .push(item["problem"].as_str().unwrap().to_string());
    }
    out
}

fn score(name: &str, case: &Path, truth: &BTreeMap<String, Label>) -> Score {
    let docs = list(case);
    let review = review_problems(case);
    let mut s = Score {
        kinds: 0,
        kinds_of: 0,
        dates: 0,
        dates_of: 0,
        wrong_flagged: 0,
        wrong: 0,
        right_flagged: 0,
        right: 0,
    };
    let mut calibrate = |right: bool, flagged: bool| {
        if right {
            s.right += 1;
            s.right_flagged += usize::from(flagged);
        } else {
            s.wrong += 1;
            s.wrong_flagged += usize::from(flagged);
        }
    };
    let mut confusion: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut misses = Vec::new();
    for (loc, want) in truth {
        let d = doc(&docs, loc);
        if d["status"] == "no_text" {
            misses.push(format!("  not measured (needs OCR): {loc}"));
            continue;
        }
        let kind = d["kind"].as_str().unwrap_or("").to_string();
        let problems = review
            .get(d["path"].as_str().unwrap_or(""))
            .cloned()
            .unwrap_or_default();
        let listed = |p: &[&str]| problems.iter().any(|x| p.contains(&x.as_str()));
        let kind_flag = listed(&["unsure_kind", "unreadable"]);
        let date_flag = listed(&["undated", "unsure_date", "ambiguous_date", "unreadable"]);
        s.kinds_of += 1;
        let kind_right = kind == want.kind || want.also.as_deref() == Some(kind.as_str());
        if kind_right {
            s.kinds += 1;
        } else {
            misses.push(format!(
                "  kind  {loc}: {kind} (truth {}){}",
                want.kind,
                if kind_flag { " [listed by review]" } else { "" }
            ));
        }
        *confusion.entry((want.kind.clone(), kind)).or_default() += 1;
        calibrate(kind_right, kind_flag);
        if want.date != "?" {
            s.dates_of += 1;
            let got = d["date"].as_str().unwrap_or("none");
            let want_date = if want.date == "null" {
                "none"
            } else {
                want.date.as_str()
            };
            if got == want_date {
                s.dates += 1;
            } else {
                misses.push(format!(
                    "  date  {loc}: {got} (truth {}){}",
                    want.date,
                    if date_flag { " [listed by review]" } else { "" }
                ));
            }
            calibrate(got == want_date, date_flag);
        }
    }
    eprintln!(
        "{name}: kind {}/{} = {:.1}%, document date {}/{} = {:.1}%",
        s.kinds,
        s.kinds_of,
        pct(s.kinds, s.kinds_of),
        s.dates,
        s.dates_of,
        pct(s.dates, s.dates_of)
    );
    eprintln!(
        "  calibration: review lists {}/{} wrong answers ({:.0}%) and {}/{} right ones ({:.1}%)",
        s.wrong_flagged,
        s.wrong,
        pct(s.wrong_flagged, s.wrong),
        s.right_flagged,
        s.right,
        pct(s.right_flagged, s.right)
    );
    eprintln!("  confusion (truth -> found: count):");
    for ((want, got), n) in &confusion {
        let mark = if want == got { " " } else { "x" };
        eprintln!("  {mark} {want:<28} -> {got:<28} {n}");
    }
    for m in &misses {
        eprintln!("{m}");
    }
    s
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        100.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

#[test]
fn kinds_and_dates_on_the_shared_real_documents() {
    let root = repo_root().join("..").join("shared").join("real-docs");
    if !root.is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI runs with ../shared beside the clone: ../shared/real-docs is missing"
        );
        eprintln!("../shared/real-docs is not here: skipped");
        return;
    }
    let truth = labels(&root.join("labels.tsv"));
    let (_tmp, case) = scanned_copy(&root, &[]);
    let s = score("shared/real-docs", &case, &truth);
    assert!(s.kinds_of >= 30, "too few documents measured");
    assert!(pct(s.kinds, s.kinds_of) >= 95.0, "kind accuracy below 95%");
    assert!(pct(s.dates, s.dates_of) >= 95.0, "date accuracy below 95%");
    few_right_answers_listed("shared/real-docs", &s);
}

/// `review` lists few right answers on any set: a family is not asked to check what is sure.
fn few_right_answers_listed(name: &str, s: &Score) {
    assert!(
        pct(s.right_flagged, s.right) <= 15.0,
        "{name}: review lists {} of {} right answers",
        s.right_flagged,
        s.right
    );
}

#[test]
fn kinds_and_dates_on_the_shared_real_forms() {
    let root = repo_root().join("..").join("shared").join("real-forms");
    if !root.is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI runs with ../shared beside the clone: ../shared/real-forms is missing"
        );
        eprintln!("../shared/real-forms is not here: skipped");
        return;
    }
    // Its labels name files under docs/.
    let truth: BTreeMap<String, Label> = labels(&root.join("labels.tsv"))
        .into_iter()
        .map(|(k, v)| (format!("docs/{k}"), v))
        .collect();
    let (_tmp, case) = scanned_copy(&root, &[]);
    let s = score("shared/real-forms", &case, &truth);
    assert!(s.kinds_of >= 75, "too few documents measured");
    assert!(pct(s.kinds, s.kinds_of) >= 95.0, "kind accuracy below 95%");
    assert!(pct(s.dates, s.dates_of) >= 95.0, "date accuracy below 95%");
    few_right_answers_listed("shared/real-forms", &s);
}

#[test]
fn kinds_and_dates_on_the_second_family() {
    let root = repo_root().join("fixtures").join("second-family");
    let truth = labels(&root.join("truth.tsv"));
    let (_tmp, case) = scanned_copy(&root.join("case"), &[]);
    let s = score("fixtures/second-family", &case, &truth);
    assert!(s.kinds_of >= 50, "too few documents measured");
    assert!(pct(s.kinds, s.kinds_of) >= 95.0, "kind accuracy below 95%");
    assert!(pct(s.dates, s.dates_of) >= 95.0, "date accuracy below 95%");
    few_right_answers_listed("fixtures/second-family", &s);
}

#[test]
fn kinds_and_dates_on_the_sample_case_stay_exact() {
    let truth = labels(&repo_root().join("fixtures").join("truth.tsv"));
    for (label, settings) in [
        (
            "fixtures/case with the case settings",
            vec![
                "--dob",
                "2014-05-12",
                "--district",
                "Lakeside Unified School District",
                "--school",
                "Lakeside Elementary School",
            ],
        ),
        ("fixtures/case with no settings", vec![]),
    ] {
        let (_tmp, case) = scanned_copy(&repo_root().join("fixtures").join("case"), &settings);
        let s = score(label, &case, &truth);
        few_right_answers_listed(label, &s);
        assert!(s.kinds_of >= 30);
        assert_eq!(s.kinds, s.kinds_of, "{label}: every kind right");
        assert_eq!(s.dates, s.dates_of, "{label}: every date right");
    }
}

/// Without poppler (a family's computer often lacks it), PDFs are read by the built-in reader,
/// which places every string where it is drawn: the layout rules keep working. Scans need OCR
/// and are left out.
#[test]
fn kinds_and_dates_on_the_second_family_without_poppler() {
    let root = repo_root().join("fixtures").join("second-family");
    let truth = labels(&root.join("truth.tsv"));
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("case");
    copy_dir(&root.join("case"), &case);
    for args in [&["init"][..], &["scan"][..]] {
        let out = cb(&case)
            .args(args)
            .env("CASEBINDER_NO_HELPERS", "1")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let s = score("fixtures/second-family, built-in PDF reader", &case, &truth);
    assert!(s.kinds_of >= 50, "too few documents measured");
    assert!(pct(s.kinds, s.kinds_of) >= 95.0, "kind accuracy below 95%");
    assert!(pct(s.dates, s.dates_of) >= 95.0, "date accuracy below 95%");
}

/// Folders the maintainers keep outside the repository (held-out sets laid out like
/// ../shared/real-forms: a `labels.tsv` whose `file` column names paths under the folder),
/// named in `CASEBINDER_OUTSIDE_SETS` (separated by `:`). Each prints its figures and
/// calibration; nothing is asserted, so a held-out set measures the rules without steering them.
#[test]
fn kinds_and_dates_on_outside_sets() {
    let Some(sets) = std::env::var_os("CASEBINDER_OUTSIDE_SETS") else {
        eprintln!("CASEBINDER_OUTSIDE_SETS is not set: no outside set measured");
        return;
    };
    for root in std::env::split_paths(&sets) {
        let labels_file = root.join("labels.tsv");
        assert!(labels_file.is_file(), "{} has no labels.tsv", root.display());
        let truth = labels(&labels_file);
        let (_tmp, case) = scanned_copy(&root, &[]);
        score(&root.display().to_string(), &case, &truth);
    }
}
