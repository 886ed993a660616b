//! Issue 24: from findings to the right forum. The family states its concerns; `check` names
//! the path that fits every finding and every concern, in words and in `check --json`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use common::*;

#[test]
fn check_names_a_forum_for_every_finding_and_concern() {
    let (_tmp, case) = sample_case();
    // A typo in a kind is refused with the kind meant; nothing is added.
    let out = run_code(
        &case,
        &["concern", "add", "Speech therapy", "--kind", "servise"],
        2,
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Did you mean \"service\""), "{err}");
    let listed = json(&case, &["concern", "list", "--json"]);
    assert_eq!(listed.as_array().map(Vec::len), Some(0));
    // A document that is not in the case is refused too.
    run_code(
        &case,
        &["concern", "add", "Speech", "--kind", "service", "--docs", "9999"],
        2,
    );
    run_ok(
        &case,
        &[
            "concern",
            "add",
            "Speech therapy",
            "--kind",
            "service",
            "--now",
            "30 min/week",
            "--ask",
            "60 min/week direct",
            "--could-accept",
            "45 min/week + consult",
            "--docs",
            "3,19",
        ],
    );
    run_ok(
        &case,
        &["concern", "add", "OT sessions missed", "--kind", "implementation"],
    );
    run_ok(&case, &["concern", "add", "Placement", "--kind", "placement"]);
    run_ok(&case, &["concern", "rm", "3"]);
    run_ok(&case, &["concern", "edit", "1", "--could-accept", ""]);
    let listed = json(&case, &["concern", "list", "--json"]);
    let concerns = listed.as_array().unwrap();
    assert_eq!(concerns.len(), 2);
    assert_eq!(concerns[0]["documents"], serde_json::json!([3, 19]));
    assert!(concerns[0]["could_accept"].is_null(), "cleared");

    let report = check_json(&case, &["--as-of", "2024-05-01"], 1);
    let findings = report["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        let forum = &f["forum"];
        assert!(
            forum["path"].as_str().is_some_and(|p| !p.is_empty())
                && forum["why"].as_str().is_some_and(|w| !w.is_empty()),
            "a finding without a forum: {f}"
        );
        let window = forum["window_closes"].as_str();
        match (f["status"].as_str().unwrap(), forum["path"].as_str().unwrap()) {
            ("met", path) => assert_eq!(path, "none", "{f}"),
            // A missed deadline inside its year: a state complaint, closing a year after it.
            ("violated", "state_complaint") => {
                let due = f["due"].as_str().unwrap();
                let closes = window.expect("a state complaint's window");
                assert_eq!(&closes[4..], &due[4..], "{f}");
                assert_eq!(
                    closes[..4].parse::<i32>().unwrap(),
                    due[..4].parse::<i32>().unwrap() + 1
                );
                assert!(closes >= "2024-05-01", "{f}");
            }
            // Past its year: due process, and the complaint's window is said closed.
            ("violated", "due_process") => {
                let why = forum["why"].as_str().unwrap();
                assert!(why.contains("closed on"), "{why}");
            }
            _ => {}
        }
    }
    let path_of = |rule: &str| -> Vec<String> {
        findings
            .iter()
            .filter(|f| f["rule"] == rule && f["status"] == "violated")
            .map(|f| f["forum"]["path"].as_str().unwrap().to_string())
            .collect()
    };
    // The sample's annual review was 34 days late in November 2023: inside the year.
    assert_eq!(path_of("annual_review_365_days"), ["state_complaint"]);
    // Its evaluation was late in spring 2023: the state complaint window closed on 2024-04-30.
    assert_eq!(path_of("initial_evaluation_60_days"), ["due_process"]);

    let concerns = report["concerns"].as_array().unwrap();
    assert_eq!(concerns.len(), 2);
    assert_eq!(concerns[0]["title"], "Speech therapy");
    assert_eq!(concerns[0]["forum"]["path"], "mediation_or_iep_meeting");
    assert!(
        concerns[0]["forum"]["citation"]
            .as_str()
            .unwrap()
            .contains("300.506")
    );
    assert_eq!(concerns[1]["forum"]["path"], "state_complaint_and_mediation");
    let advice = report["advice"].as_str().unwrap();
    assert!(
        advice.starts_with("Both:") && advice.contains("In that order"),
        "{advice}"
    );

    // In words, for the family: each issue's path and the concerns with theirs.
    let said = stdout(&run_code(&case, &["check", "--as-of", "2024-05-01"], 1));
    assert!(
        said.contains("Path: A missed deadline is a procedural violation"),
        "{said}"
    );
    assert!(said.contains("Concerns the family stated:"), "{said}");
    assert!(said.contains("Which path: Both:"), "{said}");

    // Kept by content: exported and restored with the corrections, once.
    let exported = case.join("work.json");
    run_ok(
        &case,
        &["export", "--corrections", "--out", exported.to_str().unwrap()],
    );
    let work: serde_json::Value = serde_json::from_slice(&std::fs::read(&exported).unwrap()).unwrap();
    assert_eq!(work["concerns"].as_array().map(Vec::len), Some(2));
    assert_eq!(work["concerns"][0]["documents"].as_array().map(Vec::len), Some(2));
    run_ok(&case, &["concern", "rm", "1"]);
    run_ok(&case, &["import", exported.to_str().unwrap()]);
    run_ok(&case, &["import", exported.to_str().unwrap()]);
    let back = json(&case, &["concern", "list", "--json"]);
    let titles: Vec<&str> = back
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["OT sessions missed", "Speech therapy"]);
    let speech = back
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["title"] == "Speech therapy")
        .unwrap();
    assert_eq!(speech["documents"], serde_json::json!([3, 19]));
}

/// The events of an .ics file as a real iCalendar parser reads them: (UID, DTSTART, SUMMARY,
/// DESCRIPTION).
fn events(path: &std::path::Path) -> Vec<(String, String, String, String)> {
    let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    let mut out = Vec::new();
    for cal in ical::IcalParser::new(file) {
        let cal = cal.expect("the calendar parses");
        for e in cal.events {
            let prop = |name: &str| {
                e.properties
                    .iter()
                    .find(|p| p.name == name)
                    .and_then(|p| p.value.clone())
                    .unwrap_or_default()
            };
            out.push((prop("UID"), prop("DTSTART"), prop("SUMMARY"), prop("DESCRIPTION")));
        }
    }
    out
}

#[test]
fn the_calendar_holds_every_open_deadline_and_keeps_its_uids() {
    let (tmp, case) = sample_case();
    let as_of = "2024-05-01";
    run_ok(&case, &["calendar", "--as-of", as_of, "--out", "deadlines.ics"]);
    let first = events(&case.join("deadlines.ics"));
    // Every open deadline of `check`, on its due day, and nothing else.
    let report = check_json(&case, &["--as-of", as_of], 1);
    let mut open: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "open")
        .map(|f| f["due"].as_str().unwrap().replace('-', ""))
        .collect();
    let mut days: Vec<String> = first.iter().map(|e| e.1.clone()).collect();
    open.sort();
    days.sort();
    assert!(!days.is_empty());
    assert_eq!(days, open);
    // Windows closing are there, with the rule and citation in words.
    assert!(
        first
            .iter()
            .any(|e| e.2.contains("Last day to file a state complaint"))
    );
    assert!(first.iter().all(|e| e.3.contains("CFR") || e.3.contains("Code")));
    // Each UID once; the child by initials only, unless asked.
    let uids: std::collections::BTreeSet<&String> = first.iter().map(|e| &e.0).collect();
    assert_eq!(uids.len(), first.len());
    let text = std::fs::read_to_string(case.join("deadlines.ics")).unwrap();
    assert!(!text.contains("Maya") && !text.contains("Rivera"), "{text}");
    assert!(first.iter().all(|e| e.2.starts_with("M.R.: ")));
    let named = stdout(&run_ok(&case, &["calendar", "--as-of", as_of, "--full-name"]));
    assert!(named.contains("SUMMARY:Maya Rivera: "), "{named}");
    // The same case and day: the same file, byte for byte.
    run_ok(&case, &["calendar", "--as-of", as_of, "--out", "again.ics"]);
    assert_eq!(text, std::fs::read_to_string(case.join("again.ics")).unwrap());

    // A new document, scanned: no unchanged event changes its UID.
    std::fs::write(
        case.join("Letters/2024-04-20 note from the OT.txt"),
        "April 20, 2024\n\nDear Ms. Rivera,\n\nMaya did well in OT this week.\n\nJ. Lee, OTR/L\n",
    )
    .unwrap();
    run_ok(&case, &["scan"]);
    run_ok(&case, &["calendar", "--as-of", as_of, "--out", "deadlines.ics"]);
    let second = events(&case.join("deadlines.ics"));
    let mut kept = 0;
    for e in &first {
        if let Some(same) = second.iter().find(|s| s.1 == e.1 && s.2 == e.2 && s.3 == e.3) {
            assert_eq!(same.0, e.0, "the UID of an unchanged event changed: {e:?}");
            kept += 1;
        }
    }
    assert_eq!(kept, first.len(), "every deadline is still there");
    // A fresh catalog of the same folder gives the same UIDs (they come from the documents'
    // content, never from catalog numbers).
    let copy = tmp.path().join("copy");
    copy_dir(&case, &copy);
    std::fs::remove_dir_all(copy.join(".casebinder")).unwrap();
    std::fs::remove_file(copy.join("deadlines.ics")).unwrap();
    std::fs::remove_file(copy.join("again.ics")).unwrap();
    run_ok(&copy, &["init", "--name", "Maya Rivera", "--state", "CA"]);
    run_ok(&copy, &["scan"]);
    run_ok(&copy, &["calendar", "--as-of", as_of, "--out", "fresh.ics"]);
    let fresh = events(&copy.join("fresh.ics"));
    assert_eq!(
        fresh
            .iter()
            .map(|e| &e.0)
            .collect::<std::collections::BTreeSet<_>>(),
        second
            .iter()
            .map(|e| &e.0)
            .collect::<std::collections::BTreeSet<_>>()
    );
}
