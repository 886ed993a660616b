//! What a person types, done or refused in words (issue 23): each test is named after a defect
//! found by trying the commands as a new user would.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use common::*;

/// `check --json`, whatever its exit code (1 when something is violated).
fn findings(case: &std::path::Path) -> serde_json::Value {
    let out = cb(case)
        .args(["check", "--json", "--as-of", "2024-06-01"])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Defect 4: `cd IEPs && casebinder init` made a second case inside the first; the outer scan
/// then called its files gone and its findings dropped. `init` inside a case now refuses and says
/// where the case is; made on purpose (`--nested`), the outer case keeps what it read there.
#[test]
fn a_case_inside_a_case() {
    let (_tmp, case) = sample_case();
    let docs = list(&case).len();
    let before = findings(&case);
    assert!(
        before["findings"].as_array().is_some_and(|f| !f.is_empty()),
        "{before}"
    );
    let inner = case.join("IEPs");
    let out = run_code(&inner, &["init"], 2);
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("is inside the case in"), "{e}");
    assert!(
        e.contains(case.canonicalize().unwrap().to_str().unwrap()),
        "names the case: {e}"
    );
    assert!(e.contains("--nested"), "{e}");
    assert!(!inner.join(".casebinder").exists(), "nothing was made");
    // On purpose: the outer case keeps the folder's documents and its findings.
    run_ok(&inner, &["init", "--nested"]);
    let out = run_ok(&case, &["scan"]);
    let said = stdout(&out);
    assert!(said.contains("IEPs/ is now a case of its own"), "{said}");
    assert!(!said.contains("gone from the folder"), "{said}");
    assert_eq!(list(&case).len(), docs);
    assert_eq!(findings(&case)["findings"], before["findings"]);
}

/// Defect 3: input accepted that meant nothing. An event kind one letter off a kind the checks
/// count was kept and said to "count in the checks"; a date in the future was taken; `tag 34
/// speech` (no `+`) said "No document matches"; `tag 34 -nosuch` was accepted; a kind typo in
/// `set` had no "did you mean". Each is now refused with the word meant, or said in words.
#[test]
fn input_accepted_that_means_nothing() {
    let (_tmp, case) = sample_case();
    let before = json(&case, &["event", "list", "--json"])
        .as_array()
        .unwrap()
        .len();
    let out = run_code(
        &case,
        &[
            "event",
            "add",
            "--date",
            "2024-04-01",
            "--kind",
            "records_requestd",
            "--verbal",
            "--title",
            "Asked at pickup",
        ],
        2,
    );
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("Did you mean \"records_requested\""), "{e}");
    assert_eq!(
        json(&case, &["event", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        before
    );
    // A kind the checks do not count is kept, and said to be on the timeline only.
    let out = run_ok(
        &case,
        &[
            "event",
            "add",
            "--date",
            "2024-04-02",
            "--kind",
            "phone_call",
            "--title",
            "Called about OT",
        ],
    );
    let said = stdout(&out);
    assert!(said.contains("do not count a \"phone_call\""), "{said}");
    assert!(!said.contains("counts in the checks"), "{said}");
    let out = run_ok(
        &case,
        &[
            "event",
            "add",
            "--date",
            "2024-04-03",
            "--kind",
            "records_requested",
            "--title",
            "Asked for the file",
        ],
    );
    assert!(stdout(&out).contains("counts in the checks"));

    let docs = list(&case);
    let id = docs[0]["id"].to_string();
    let date = docs[0]["date"].clone();
    let out = run_code(&case, &["set", &id, "--date", "2031-01-01"], 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("after today"));
    assert_eq!(list(&case)[0]["date"], date, "the date is unchanged");
    let out = run_code(&case, &["set", &id, "--kind", "parent_leter"], 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("Did you mean \"parent_letter\""));

    let out = run_code(&case, &["tag", &id, "speech"], 2);
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("needs + or -") && e.contains("+speech"), "{e}");
    // A tag no document has is said in words; a near miss of one the case has is refused.
    let out = run_ok(&case, &["tag", &id, "-nosuch"]);
    assert!(
        stdout(&out).contains("None of them had the tag \"nosuch\""),
        "{}",
        stdout(&out)
    );
    run_ok(&case, &["tag", &id, "+speech"]);
    let out = run_code(&case, &["tag", &id, "-speach"], 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("Did you mean \"speech\""));
    run_ok(&case, &["tag", &id, "-speech"]);
}

/// Defect 1: the README's own example, `set "Copies for Grandma/Maya IEP (copy).pdf" --exclude`,
/// removed the 2022-10-04 IEP from the binder (the copy has the IEP's bytes), with no warning.
/// Excluding a path now leaves out that copy; the binder keeps the IEP from IEPs/ and names the
/// copy it left out; the last copy asks for --document.
#[test]
fn a_correction_meant_for_a_copy_removes_the_evidence() {
    let (_tmp, case) = sample_case();
    let copy = "Copies for Grandma/Maya IEP (copy).pdf";
    let original = "IEPs/2022-10-04 IEP annual.pdf";
    let sha = doc(&list(&case), copy)["sha256"].as_str().unwrap().to_string();
    let out = run_ok(&case, &["set", copy, "--exclude"]);
    let said = stdout(&out);
    assert!(said.contains("this copy") && said.contains(original), "{said}");
    run_ok(&case, &["binder", "--date", "2024-05-01"]);
    let m = manifest(&case.join("Binders/due-process-binder.pdf"));
    let iep = m["exhibits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["sha256"] == sha.as_str())
        .expect("the IEP is still an exhibit");
    assert_eq!(iep["locator"], original);
    let named = m["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["locator"] == copy)
        .expect("the manifest names the copy left out");
    assert!(named["reason"].as_str().unwrap().contains(original));
    // The last copy: the document itself, only when said.
    let out = run_code(&case, &["set", original, "--exclude"], 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--document"));
    run_ok(&case, &["set", original, "--exclude", "--document"]);
    run_ok(&case, &["binder", "--date", "2024-05-01"]);
    let m = manifest(&case.join("Binders/due-process-binder.pdf"));
    assert!(
        !m["exhibits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["sha256"] == sha.as_str())
    );
    // Put back: the whole document and the copy.
    run_ok(&case, &["set", copy, "--include"]);
    run_ok(&case, &["binder", "--date", "2024-05-01"]);
    let m = manifest(&case.join("Binders/due-process-binder.pdf"));
    assert!(
        m["exhibits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["sha256"] == sha.as_str())
    );
}

/// Defect 2, in part: `kind:pwn`, `kind:504` and `kind:progress-report` were refused or empty,
/// and `tag:speach` printed "No documents match." with no suggestion. A kind's common names are
/// that kind, and a tag no document has is refused with the tag meant. (OR, NOT, brackets,
/// wildcards and relative dates are still to come.)
#[test]
fn queries_misread_in_silence_kinds_by_their_common_names_and_tag_typos() {
    let (_tmp, case) = sample_case();
    let kinds = |q: &str| -> Vec<String> {
        json(&case, &["list", q, "--json"])
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["kind"].as_str().unwrap().to_string())
            .collect()
    };
    for (common, kind) in [
        ("kind:pwn", "prior_written_notice"),
        ("kind:progress-report", "progress_report"),
        ("kind:ARD", "iep"),
    ] {
        let got = kinds(common);
        assert!(
            !got.is_empty() && got.iter().all(|k| k == kind),
            "{common}: {got:?}"
        );
        assert_eq!(got, kinds(&format!("kind:{kind}")), "{common}");
    }
    let out = run_code(&case, &["list", "tag:speach"], 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("Did you mean \"speech\""));
    let out = run_code(&case, &["binder", "tag:speach", "--dry-run"], 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("Did you mean \"speech\""));
    // Leaving out a tag nobody has leaves out nothing, and is not an error.
    let all = list(&case).len();
    assert_eq!(
        json(&case, &["list", "--json", "--", "-tag:nosuch"])
            .as_array()
            .unwrap()
            .len(),
        all
    );
    run_ok(&case, &["set", "1", "--kind", "504"]);
    assert_eq!(
        list(&case).iter().find(|d| d["id"] == 1).unwrap()["kind"],
        "plan_504"
    );
}
