//! The timeline issue's acceptance points: findings on the sample case's story (missed and kept
//! timelines), a state profile that changes the outcome, user events that trigger and satisfy
//! rules, and the timeline in every format.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::fs;

use common::*;
use serde_json::Value;

fn check_json(case: &std::path::Path, extra: &[&str], code: i32) -> Value {
    let mut args = vec!["check", "--json"];
    args.extend(extra);
    let out = run_code(case, &args, code);
    serde_json::from_slice(&out.stdout).unwrap()
}

fn find<'a>(r: &'a Value, rule: &str, trigger: &str) -> &'a Value {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule && f["trigger"]["date"] == trigger)
        .unwrap_or_else(|| panic!("no {rule} finding started on {trigger}"))
}

#[test]
fn the_sample_story_shows_its_missed_and_kept_timelines() {
    let (_tmp, case) = fixture_case();
    run_ok(&case, &["init"]);
    run_ok(&case, &["scan"]);
    let r = check_json(&case, &["--as-of", "2024-05-01"], 1);
    assert_eq!(r["profile"], "federal");
    assert_eq!(r["as_of"], "2024-05-01");
    for f in r["findings"].as_array().unwrap() {
        for key in [
            "rule",
            "citation",
            "status",
            "trigger",
            "due",
            "satisfied_by",
            "days_late",
            "explanation",
        ] {
            assert!(f.get(key).is_some(), "finding lacks {key}: {f}");
        }
        assert!(["violated", "met", "open", "soft"].contains(&f["status"].as_str().unwrap()));
    }
    // Missed: consent then an evaluation report 111 days later.
    let eval = find(&r, "initial_evaluation_60_days", "2023-03-01");
    assert_eq!(eval["status"], "violated");
    assert_eq!(eval["due"], "2023-04-30");
    assert_eq!(eval["days_late"], 51);
    assert_eq!(eval["satisfied_by"][0]["date"], "2023-06-20");
    assert!(
        eval["explanation"]
            .as_str()
            .unwrap()
            .contains("not a legal conclusion")
    );
    // Missed: an annual IEP held more than a year after the last.
    let annual = find(&r, "annual_review_365_days", "2022-10-04");
    assert_eq!(annual["status"], "violated");
    assert_eq!(annual["days_late"], 34);
    // Missed: a records request with no response in 45 days.
    let rec = find(&r, "records_request_45_days", "2024-01-08");
    assert_eq!(rec["status"], "violated");
    assert_eq!(rec["due"], "2024-02-22");
    // Flagged, never violated: an IEE request with neither an IEE nor a due-process filing for months.
    let iee = find(&r, "iee_response", "2024-03-12");
    assert_eq!(iee["status"], "soft");
    // Missed: no progress report in the reporting period of the 2022 IEP.
    assert_eq!(
        find(&r, "progress_report_gap", "2022-10-04")["status"],
        "violated"
    );
    // Kept elsewhere: no false violation.
    assert_eq!(
        find(&r, "initial_evaluation_60_days", "2021-09-13")["status"],
        "met"
    );
    assert_eq!(find(&r, "initial_iep_30_days", "2021-09-21")["status"], "met");
    assert_eq!(find(&r, "annual_review_365_days", "2021-10-05")["status"], "met");
    assert_eq!(find(&r, "reevaluation_3_years", "2021-09-14")["status"], "met");
    assert_eq!(find(&r, "progress_report_gap", "2023-11-07")["status"], "met");
    assert_eq!(find(&r, "progress_report_gap", "2023-11-17")["status"], "met");
    assert_eq!(find(&r, "annual_review_365_days", "2023-11-07")["status"], "open");
    let violated: Vec<String> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "violated")
        .map(|f| {
            format!(
                "{} {}",
                f["rule"].as_str().unwrap(),
                f["trigger"]["date"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        violated,
        vec![
            "initial_evaluation_60_days 2023-03-01",
            "annual_review_365_days 2022-10-04",
            "progress_report_gap 2021-10-05",
            "progress_report_gap 2022-10-04",
            "records_request_45_days 2024-01-08",
        ]
    );
    // The re-eligibility of 2023 is not an initial eligibility: no initial-IEP clock.
    assert!(
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| !(f["rule"] == "initial_iep_30_days" && f["trigger"]["date"] == "2023-06-27"))
    );
    // The one-year state-complaint window, as of two dates.
    let w = |r: &Value| {
        find(r, "state_complaint_1_year_window", "2023-10-04")["status"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(w(&r), "open");
    let later = check_json(&case, &["--as-of", "2024-12-01"], 1);
    assert_eq!(w(&later), "soft");
    // The human table names the rules used and exits 1.
    let text = stdout(&run_code(&case, &["check", "--as-of", "2024-05-01"], 1));
    assert!(
        text.contains("Rules: Federal") && text.contains("not legal conclusions"),
        "{text}"
    );
}

#[test]
fn a_state_profile_changes_the_outcome() {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("tx");
    fs::create_dir(&case).unwrap();
    fs::write(case.join("consent.txt"), "Consent for Evaluation\nCheck purpose: [X] Initial Evaluation\nI give consent for the evaluation.\nDate Received: 03/01/2023\n").unwrap();
    fs::write(case.join("report.txt"), "Psychoeducational Evaluation Report\nDate of Report: 05/03/2023\nReason for Referral\nTests Administered: WISC-V\n").unwrap();
    run_ok(&case, &["init"]);
    run_ok(&case, &["scan"]);
    let fed = check_json(&case, &["--as-of", "2023-12-01"], 1);
    let f = find(&fed, "initial_evaluation_60_days", "2023-03-01");
    assert_eq!(f["status"], "violated");
    assert_eq!(f["day_type"], "calendar");
    // Texas: 45 school days, not 60 calendar days: the same dates are in time.
    let tx = check_json(&case, &["--as-of", "2023-12-01", "--state", "TX"], 0);
    assert_eq!(tx["profile"], "TX");
    let t = find(&tx, "initial_evaluation_60_days", "2023-03-01");
    assert_eq!(t["status"], "met");
    assert_eq!(t["day_type"], "school");
    assert!(t["citation"].as_str().unwrap().contains("Tex. Educ. Code"));
    // The case setting picks the profile too; an unknown state is refused with the list.
    run_ok(&case, &["config", "state", "TX"]);
    assert_eq!(check_json(&case, &["--as-of", "2023-12-01"], 0)["profile"], "TX");
    let bad = run_code(&case, &["check", "--state", "ZZ"], 2);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("CA, TX"));
}

#[test]
fn user_events_appear_in_the_timeline_and_drive_the_rules() {
    let (_tmp, case) = fixture_case();
    run_ok(&case, &["init"]);
    run_ok(&case, &["scan"]);
    let out = run_ok(
        &case,
        &[
            "event",
            "add",
            "--date",
            "2024-03-01",
            "--kind",
            "records_requested",
            "--verbal",
            "--title",
            "Asked Ms. Ortiz for Maya's file at pickup",
            "--doc",
            "Notes/Phone call with Ms Ortiz.txt",
        ],
    );
    assert!(stdout(&out).contains("Added event 1"));
    let timeline = json(&case, &["timeline", "--format", "json"]);
    let mine = timeline
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event_id"] == 1)
        .unwrap();
    assert_eq!(mine["source"], "user");
    assert_eq!(mine["verbal"], true);
    assert_eq!(mine["date"], "2024-03-01");
    assert_eq!(mine["documents"].as_array().unwrap().len(), 1);
    // The verbal request starts a clock...
    let r = check_json(&case, &["--as-of", "2024-05-01"], 1);
    let f = find(&r, "records_request_45_days", "2024-03-01");
    assert_eq!(f["status"], "violated");
    assert_eq!(f["trigger"]["events"], serde_json::json!([1]));
    assert!(f["trigger"]["description"].as_str().unwrap().contains("verbal"));
    // ...which records received in time satisfy.
    run_ok(
        &case,
        &[
            "event",
            "add",
            "--date",
            "2024-03-20",
            "--kind",
            "records_received",
            "--title",
            "Picked up a copy of the file",
        ],
    );
    let r = check_json(&case, &["--as-of", "2024-05-01"], 1);
    let f = find(&r, "records_request_45_days", "2024-03-01");
    assert_eq!(f["status"], "met");
    assert_eq!(f["satisfied_by"][0]["events"], serde_json::json!([2]));
    let listed = json(&case, &["event", "list", "--json"]);
    assert_eq!(listed.as_array().unwrap().len(), 2);
    run_ok(&case, &["event", "rm", "1"]);
    run_code(&case, &["event", "rm", "1"], 2);
    let timeline = json(&case, &["timeline", "--format", "json"]);
    assert!(!timeline.as_array().unwrap().iter().any(|e| e["event_id"] == 1));
    let bad = run_code(
        &case,
        &["event", "add", "--date", "soon", "--kind", "x", "--title", "y"],
        2,
    );
    assert!(String::from_utf8_lossy(&bad.stderr).contains("YYYY-MM-DD"));
}

#[test]
fn the_timeline_comes_in_every_format_and_the_page_is_self_contained() {
    let (_tmp, case) = fixture_case();
    run_ok(&case, &["init", "--name", "Maya Rivera"]);
    run_ok(&case, &["scan"]);
    let events = json(&case, &["timeline", "--format", "json"]);
    let dates: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["date"].as_str().unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "the timeline is in date order");
    let kinds: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    for k in [
        "iep_meeting",
        "evaluation_report",
        "consent_received",
        "records_requested",
        "iee_requested",
        "annual_review_due",
        "pwn_issued",
    ] {
        assert!(kinds.contains(&k), "no {k} event");
    }
    // A query narrows it like list.
    let year = json(
        &case,
        &[
            "timeline",
            "date:2023-07-01..2024-06-30",
            "kind:iep",
            "--format",
            "json",
        ],
    );
    assert!(
        year.as_array()
            .unwrap()
            .iter()
            .all(|e| e["date"].as_str().unwrap() >= "2023-07-01")
    );
    assert!(
        stdout(&run_ok(&case, &["timeline", "--format", "md"]))
            .starts_with("| Date | Event | What | Documents |")
    );
    assert!(
        stdout(&run_ok(&case, &["timeline", "--format", "csv"]))
            .starts_with("date,event,title,documents,source,verbal,tags")
    );
    assert!(stdout(&run_ok(&case, &["timeline"])).contains("IEP meeting"));
    // The web page: one file, no scripts or anything fetched, lanes, school-year bands, issues, details.
    let page = case.join("timeline.html");
    run_ok(
        &case,
        &[
            "timeline",
            "--format",
            "html",
            "--out",
            page.to_str().unwrap(),
            "--as-of",
            "2024-05-01",
        ],
    );
    let html = fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    for absent in ["<script", "http://", "https://", "<link", "@import", "url("] {
        assert!(!html.contains(absent), "the page contains {absent}");
    }
    for present in [
        "IEPs &amp; meetings",
        "Evaluations",
        "School year 2023–24",
        "class=\"issue violated\"",
        "<details>",
        "casebinder show",
        "Timeline — Maya Rivera",
    ] {
        assert!(html.contains(present), "the page lacks {present}");
    }
    // The page is an output: a later scan does not read it as a source.
    let s = json(&case, &["scan", "--json"]);
    assert_eq!(s["new"], 0, "{s}");
}

#[test]
fn gaps_name_what_is_missing_each_school_year_and_the_letter_asks_for_it() {
    let (_tmp, case) = fixture_case();
    run_ok(
        &case,
        &[
            "init",
            "--name",
            "Maya Rivera",
            "--district",
            "Lakeside Unified School District",
        ],
    );
    run_ok(&case, &["scan"]);
    let years = json(&case, &["gaps", "--as-of", "2024-05-01", "--json"]);
    let years = years.as_array().unwrap();
    let names: Vec<&str> = years.iter().map(|y| y["school_year"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["2021-22", "2022-23", "2023-24"]);
    let missing = |y: usize, what: &str| {
        years[y]["expected"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["what"].as_str().unwrap().contains(what) && e["missing"] == true)
    };
    let have = |y: usize, what: &str| {
        years[y]["expected"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["what"].as_str().unwrap().contains(what) && e["missing"] == false)
    };
    assert!(have(1, "The IEP in effect"));
    assert!(
        missing(1, "Progress reports (quarterly): 4 expected"),
        "{}",
        years[1]
    );
    assert!(missing(0, "procedural safeguards"));
    assert!(missing(2, "A written answer to the request of 2024-01-08"));
    assert!(have(2, "A written answer to the request of 2024-03-12"));
    let text = stdout(&run_ok(&case, &["gaps", "--as-of", "2024-05-01"]));
    assert!(
        text.contains("MISSING") && text.contains("casebinder gaps --letter"),
        "{text}"
    );
    let letter_path = case.join("records-request.txt");
    run_ok(
        &case,
        &[
            "gaps",
            "--as-of",
            "2024-05-01",
            "--letter",
            "--out",
            letter_path.to_str().unwrap(),
        ],
    );
    let letter = fs::read_to_string(&letter_path).unwrap();
    for needle in [
        "34 CFR 300.613",
        "Maya Rivera",
        "Lakeside Unified School District",
        "School year 2022-23: Progress reports",
        "[Your signature]",
        "May 1, 2024",
    ] {
        assert!(letter.contains(needle), "the letter lacks {needle}:\n{letter}");
    }
    assert_eq!(
        json(&case, &["scan", "--json"])["new"],
        0,
        "the letter is an output, not a source"
    );
}

#[test]
fn disclosure_is_due_five_business_days_before_the_hearing() {
    let (_tmp, case) = fixture_case();
    run_ok(&case, &["init"]);
    run_ok(&case, &["scan"]);
    // Hearing on Monday 2024-06-17: evidence is due by Monday 2024-06-10.
    let r = check_json(
        &case,
        &["--as-of", "2024-06-01", "--hearing-date", "2024-06-17"],
        1,
    );
    let f = find(&r, "disclosure_5_business_days", "2024-06-17");
    assert_eq!(f["status"], "open");
    assert_eq!(f["due"], "2024-06-10");
    assert_eq!(f["day_type"], "business");
    run_ok(
        &case,
        &[
            "event",
            "add",
            "--date",
            "2024-06-12",
            "--kind",
            "disclosure",
            "--title",
            "Sent exhibits to the district",
        ],
    );
    run_ok(
        &case,
        &[
            "event",
            "add",
            "--date",
            "2024-06-17",
            "--kind",
            "hearing",
            "--title",
            "Due process hearing",
        ],
    );
    let r = check_json(&case, &["--as-of", "2024-06-20"], 1);
    let f = find(&r, "disclosure_5_business_days", "2024-06-17");
    assert_eq!(f["status"], "violated", "{f}");
    assert_eq!(f["days_late"], 2);
}
