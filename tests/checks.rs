//! The timeline issue's acceptance points: findings on the sample case's story (missed and kept
//! timelines), a state profile that changes the outcome, user events that trigger and satisfy
//! rules, and the timeline in every format.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::fs;

use common::*;
use serde_json::Value;

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
        assert!(["violated", "unsure", "met", "open", "soft"].contains(&f["status"].as_str().unwrap()));
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
    // Answered: the district's letter agreeing to fund the IEE answers the IEE request.
    let iee = find(&r, "iee_response", "2024-03-12");
    assert_eq!(iee["status"], "met");
    assert_eq!(iee["satisfied_by"][0]["date"], "2024-03-28");
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
    // The birth date (09/18/2014 reads only month-first) settles how the other dates are written.
    fs::write(case.join("consent.txt"), "Consent for Evaluation\nStudent DOB: 09/18/2014\nCheck purpose: [X] Initial Evaluation\nI give consent for the evaluation.\nDate Received: 03/01/2023\n").unwrap();
    fs::write(case.join("report.txt"), "Psychoeducational Evaluation Report\nDate of Birth: 09/18/2014\nDate of Report: 05/03/2023\nReason for Referral\nTests Administered: WISC-V\n").unwrap();
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
    // The district's file, picked up in person: it answers the parent's January request (late).
    let out = run_ok(
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
    assert!(stdout(&out).contains("Added event 1"));
    let r = check_json(&case, &["--as-of", "2024-05-01"], 1);
    let jan = find(&r, "records_request_45_days", "2024-01-08");
    assert_eq!(jan["status"], "violated");
    assert_eq!(jan["satisfied_by"][0]["events"], serde_json::json!([1]));
    // A new request, made out loud at pickup after that, starts a clock of its own...
    run_ok(
        &case,
        &[
            "event",
            "add",
            "--date",
            "2024-04-01",
            "--kind",
            "records_requested",
            "--verbal",
            "--title",
            "Asked Ms. Ortiz for the OT logs at pickup",
            "--doc",
            "Notes/Phone call with Ms Ortiz.txt",
        ],
    );
    let timeline = json(&case, &["timeline", "--format", "json"]);
    let mine = timeline
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event_id"] == 2)
        .unwrap();
    assert_eq!(mine["source"], "user");
    assert_eq!(mine["verbal"], true);
    assert_eq!(mine["date"], "2024-04-01");
    assert_eq!(mine["documents"].as_array().unwrap().len(), 1);
    let r = check_json(&case, &["--as-of", "2024-06-01"], 1);
    let f = find(&r, "records_request_45_days", "2024-04-01");
    assert_eq!(f["status"], "violated");
    assert_eq!(f["trigger"]["events"], serde_json::json!([2]));
    assert!(f["trigger"]["description"].as_str().unwrap().contains("verbal"));
    // ...which records received in time satisfy.
    run_ok(
        &case,
        &[
            "event",
            "add",
            "--date",
            "2024-04-20",
            "--kind",
            "records_received",
            "--title",
            "The OT logs came by email",
        ],
    );
    let r = check_json(&case, &["--as-of", "2024-06-01"], 1);
    let f = find(&r, "records_request_45_days", "2024-04-01");
    assert_eq!(f["status"], "met");
    assert_eq!(f["satisfied_by"][0]["events"], serde_json::json!([3]));
    let listed = json(&case, &["event", "list", "--json"]);
    assert_eq!(listed.as_array().unwrap().len(), 3);
    run_ok(&case, &["event", "rm", "2"]);
    run_code(&case, &["event", "rm", "2"], 2);
    let timeline = json(&case, &["timeline", "--format", "json"]);
    assert!(!timeline.as_array().unwrap().iter().any(|e| e["event_id"] == 2));
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
        ">2023–24<",
        "class=\"sp late\"",
        "class=\"gap\"",
        "Open the document",
        "Timeline — Maya Rivera",
    ] {
        assert!(html.contains(present), "the page lacks {present}");
    }
    // A document opens from the page itself, not from a command to type.
    assert!(!html.contains("casebinder show"));
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

/// The second family's case holds six real violations (fixtures/second-family/findings.tsv) and
/// traps: a summer between progress reports, a district reply to a records request, a follow-up
/// e-mail, an FBA consent answered by the FBA, a consent with sent, signed and received dates,
/// a parent's notes and timeline, forms dated only by their revision, a refusal of an IEE.
#[test]
fn the_second_family_has_its_six_real_violations_and_no_other() {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("case");
    copy_dir(&repo_root().join("fixtures/second-family/case"), &case);
    run_ok(&case, &["init"]);
    run_ok(&case, &["scan"]);
    let r = check_json(&case, &["--as-of", "2025-07-01"], 1);
    let expected: Vec<(String, String)> =
        fs::read_to_string(repo_root().join("fixtures/second-family/findings.tsv"))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("rule\t"))
            .map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                (f[0].to_string(), f[1].to_string())
            })
            .collect();
    assert_eq!(expected.len(), 6);
    let mut violated: Vec<(String, String)> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "violated" || f["status"] == "unsure")
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["trigger"]["date"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    violated.sort();
    let mut want = expected.clone();
    want.sort();
    assert_eq!(violated, want, "the violations found and the real ones");
    for (rule, trigger) in &expected {
        assert_eq!(
            find(&r, rule, trigger)["status"],
            "violated",
            "{rule} {trigger} rests on sure dates"
        );
    }
    // The traps, each answered as a reader would.
    let records = find(&r, "records_request_45_days", "2024-05-06");
    assert!(
        records["explanation"]
            .as_str()
            .unwrap()
            .contains("followed up on 2024-06-10")
    );
    assert_eq!(find(&r, "records_request_45_days", "2023-09-05")["status"], "met");
    assert_eq!(
        find(&r, "initial_evaluation_60_days", "2024-02-20")["status"],
        "met"
    );
    assert_eq!(
        find(&r, "initial_evaluation_60_days", "2024-02-20")["satisfied_by"][0]["date"],
        "2024-04-05",
        "the FBA answers the consent for the FBA"
    );
    assert_eq!(find(&r, "iee_response", "2024-09-09")["status"], "soft");
    let findings = r["findings"].as_array().unwrap();
    let started = |rule: &str| -> Vec<&str> {
        findings
            .iter()
            .filter(|f| f["rule"] == rule)
            .map(|f| f["trigger"]["date"].as_str().unwrap())
            .collect()
    };
    // One consent, one clock; no clock from the parent's timeline or a blank form's revision.
    assert_eq!(
        started("initial_evaluation_60_days"),
        vec!["2021-10-12", "2022-09-12", "2024-02-20", "2024-10-03"]
    );
    assert_eq!(
        started("records_request_45_days"),
        vec!["2023-09-05", "2024-05-06"]
    );
    // June to November: the summer between two school years is not a gap.
    assert_eq!(find(&r, "progress_report_gap", "2022-06-10")["status"], "met");
    assert_eq!(find(&r, "progress_report_gap", "2024-06-07")["status"], "met");
}
