//! An advocate's desk (issue 26): forty generated families in several states, read together;
//! the desk's deadlines are each case's own, none lost, none repeated, in date order; a case
//! that is missing or damaged is listed with its reason while the others still print.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::*;

const AS_OF: &str = "2024-06-30";
const STATES: [&str; 5] = ["CA", "TX", "PA", "IL", "federal"];

/// casebinder with a configuration folder of the test's own.
fn desk_cmd(config: &Path, args: &[&str]) -> std::process::Output {
    let out = std::process::Command::new(bin())
        .args(args)
        .env("CASEBINDER_CONFIG_DIR", config)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c == 0 || c == 1),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A generated family: an IEP, a records request and an evaluation request at dates that
/// differ family to family (some answered, most not), in the family's state.
fn family(root: &Path, n: usize) -> PathBuf {
    let case = root.join(format!("family-{n:02}"));
    fs::create_dir_all(case.join("Letters")).unwrap();
    fs::create_dir_all(case.join("IEPs")).unwrap();
    let month = 1 + n % 12;
    let year = 2022 + (n % 3) as i32;
    fs::write(
        case.join("IEPs/iep.txt"),
        format!(
            "Individualized Education Program (IEP)\nStudent: Child {n}\nIEP Meeting Date: {month:02}/10/{}\nAnnual goals: reading fluency.\nSpecial education services: speech 30 minutes weekly.\n",
            year - 1
        ),
    )
    .unwrap();
    fs::write(
        case.join("Letters/records request.txt"),
        format!(
            "{month:02}/{:02}/{year}\n\nDear Director of Special Education,\n\nI am writing to request copies of my son's complete education records under FERPA and IDEA.\n\nSincerely,\nParent {n}\n",
            5 + n % 20
        ),
    )
    .unwrap();
    if n.is_multiple_of(4) {
        fs::write(
            case.join("Letters/evaluation request.txt"),
            format!(
                "{:02}/02/{year}\n\nDear Principal,\n\nI am writing to request a full and individual evaluation of my son for special education services.\n\nSincerely,\nParent {n}\n",
                1 + (n + 3) % 12
            ),
        )
        .unwrap();
    }
    let state = STATES[n % STATES.len()];
    run_ok(
        &case,
        &["init", "--name", &format!("Child {n}"), "--state", state],
    );
    run_ok(&case, &["scan"]);
    case
}

/// (case, rule, due, status) of a finding.
type Key = (String, String, String, String);

#[test]
fn the_desk_holds_every_cases_own_deadlines_in_date_order() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("config");
    let families = tmp.path().join("families");
    let cases: Vec<PathBuf> = (0..40).map(|n| family(&families, n)).collect();
    let out = desk_cmd(&config, &["cases", "add", "--under", families.to_str().unwrap()]);
    assert!(stdout(&out).contains("40 case(s) added"), "{}", stdout(&out));
    // The list file holds only paths.
    let list = fs::read_to_string(config.join("cases")).unwrap();
    assert_eq!(list.lines().filter(|l| !l.starts_with('#')).count(), 40);
    assert!(!list.contains("Child"), "no case's data in the list");

    // What each case's own check reports, as the desk should show it.
    let mut expected: Vec<Key> = Vec::new();
    let mut any_missed = false;
    for case in &cases {
        let out = cb(case)
            .args(["check", "--json", "--as-of", AS_OF, "--all"])
            .output()
            .unwrap();
        assert!(matches!(out.status.code(), Some(0 | 1)));
        let check: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let canon = fs::canonicalize(case).unwrap().to_string_lossy().to_string();
        for f in check["findings"].as_array().unwrap() {
            let (Some(due), status, rule) = (
                f["due"].as_str(),
                f["status"].as_str().unwrap(),
                f["rule"].as_str().unwrap(),
            ) else {
                continue;
            };
            if status == "met" || (rule.ends_with("_window") && due < AS_OF) {
                continue;
            }
            any_missed |= status == "violated";
            expected.push((
                canon.clone(),
                rule.to_string(),
                due.to_string(),
                status.to_string(),
            ));
        }
    }
    assert!(any_missed, "the generated families have missed deadlines");
    let states: std::collections::BTreeSet<&str> = (0..40).map(|n| STATES[n % STATES.len()]).collect();
    assert!(states.len() >= 4);

    let out = desk_cmd(&config, &["desk", "--json", "--as-of", AS_OF]);
    assert_eq!(out.status.code(), Some(1), "exit 1: a deadline was missed");
    let desk: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = desk["deadlines"].as_array().unwrap();
    let got: Vec<Key> = rows
        .iter()
        .map(|r| {
            (
                r["case"].as_str().unwrap().to_string(),
                r["rule"].as_str().unwrap().to_string(),
                r["due"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let count = |v: &[Key]| {
        let mut m: BTreeMap<Key, usize> = BTreeMap::new();
        for k in v {
            *m.entry(k.clone()).or_default() += 1;
        }
        m
    };
    assert_eq!(
        count(&got),
        count(&expected),
        "the same findings, none lost, none repeated"
    );
    let dues: Vec<&str> = rows.iter().map(|r| r["due"].as_str().unwrap()).collect();
    assert!(dues.windows(2).all(|w| w[0] <= w[1]), "date order");
    assert!(desk["unavailable"].as_array().unwrap().is_empty());
    for r in rows {
        assert!(r["show"].as_str().unwrap().starts_with("casebinder --case "));
        assert!(!r["citation"].as_str().unwrap().is_empty());
    }

    // --within keeps the missed ones and those due soon; --state keeps that state's cases.
    let soon = desk_cmd(&config, &["desk", "--json", "--as-of", AS_OF, "--within", "30d"]);
    let soon: serde_json::Value = serde_json::from_slice(&soon.stdout).unwrap();
    for r in soon["deadlines"].as_array().unwrap() {
        assert!(
            r["status"] == "violated" || r["days_left"].as_i64().unwrap() <= 30,
            "{r}"
        );
    }
    let tx = desk_cmd(&config, &["desk", "--json", "--as-of", AS_OF, "--state", "TX"]);
    let tx: serde_json::Value = serde_json::from_slice(&tx.stdout).unwrap();
    let tx_rows = tx["deadlines"].as_array().unwrap();
    assert!(!tx_rows.is_empty());
    assert!(tx_rows.iter().all(|r| r["state"] == "TX"));

    // One calendar for the desk: each case's own events (the same UIDs), none doubled.
    let uids = |ics: &str| -> Vec<String> {
        let mut v: Vec<String> = ics
            .lines()
            .filter_map(|l| l.strip_prefix("UID:"))
            .map(|u| u.trim().to_string())
            .collect();
        v.sort();
        v
    };
    let mut each: Vec<String> = Vec::new();
    for case in &cases {
        let out = cb(case).args(["calendar", "--as-of", AS_OF]).output().unwrap();
        assert!(out.status.success());
        each.extend(uids(&String::from_utf8_lossy(&out.stdout)));
    }
    each.sort();
    let ics_path = tmp.path().join("desk.ics");
    desk_cmd(
        &config,
        &[
            "calendar",
            "--all-cases",
            "--as-of",
            AS_OF,
            "--out",
            ics_path.to_str().unwrap(),
        ],
    );
    let desk_ics = fs::read_to_string(&ics_path).unwrap();
    assert!(!each.is_empty());
    assert_eq!(
        uids(&desk_ics),
        each,
        "the desk's calendar holds each case's events"
    );
    assert!(
        !desk_ics.contains("Child 1"),
        "the children are named by initials"
    );

    // Search and list across the cases, each hit with its case.
    let hits: serde_json::Value = serde_json::from_slice(
        &desk_cmd(
            &config,
            &["search", "--all-cases", "complete education records", "--json"],
        )
        .stdout,
    )
    .unwrap();
    let hit_cases: std::collections::BTreeSet<&str> = hits
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["case"].as_str().unwrap())
        .collect();
    assert_eq!(hit_cases.len(), 40, "the same request letter in every family");
    let ieps: serde_json::Value =
        serde_json::from_slice(&desk_cmd(&config, &["list", "--all-cases", "kind:iep", "--json"]).stdout)
            .unwrap();
    let ieps = ieps.as_array().unwrap();
    assert_eq!(ieps.len(), 40);
    assert!(ieps.iter().all(|r| r["kind"] == "iep" && r["case"].is_string()));

    // Reading the desk changes no case: no catalog was written.
    let before: Vec<_> = cases
        .iter()
        .map(|c| tree_snapshot(&c.join(".casebinder")))
        .collect();
    desk_cmd(&config, &["desk", "--as-of", AS_OF]);
    desk_cmd(&config, &["cases", "list", "--as-of", AS_OF]);
    let after: Vec<_> = cases
        .iter()
        .map(|c| tree_snapshot(&c.join(".casebinder")))
        .collect();
    assert!(before == after, "the desk reads the cases without writing them");
}

#[test]
fn a_case_that_cannot_be_read_is_listed_with_its_reason_and_the_others_still_print() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("config");
    let families = tmp.path().join("families");
    let cases: Vec<PathBuf> = (0..4).map(|n| family(&families, n)).collect();
    desk_cmd(&config, &["cases", "add", "--under", families.to_str().unwrap()]);
    // One moved away, one with a damaged catalog, one (when not run as root) locked.
    fs::rename(&cases[0], tmp.path().join("moved")).unwrap();
    let catalog = cases[1].join(".casebinder/catalog.sqlite");
    let mut bytes = fs::read(&catalog).unwrap();
    for b in bytes.iter_mut().take(4096) {
        *b = 0x5a;
    }
    fs::write(&catalog, bytes).unwrap();
    // Locked (0000). Root reads through any mode, so as root the desk is read as another user
    // (nobody, through setpriv), to whom everything else is readable.
    let root = unsafe_is_root();
    let setpriv = root && on_path("setpriv");
    if setpriv {
        let out = std::process::Command::new("chmod")
            .args(["-R", "a+rX", tmp.path().to_str().unwrap()])
            .output()
            .unwrap();
        assert!(out.status.success());
    }
    set_mode(&cases[2], 0o000);
    let out = if setpriv {
        std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(bin())
            .args(["cases", "list", "--json", "--as-of", AS_OF])
            .env("CASEBINDER_CONFIG_DIR", &config)
            .output()
            .unwrap()
    } else {
        desk_cmd(&config, &["cases", "list", "--json", "--as-of", AS_OF])
    };
    set_mode(&cases[2], 0o755);
    let locked_tested = !root || setpriv;
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = list.as_array().unwrap();
    assert_eq!(items.len(), 4);
    let reason = |i: usize| items[i]["reason"].as_str().unwrap_or("").to_string();
    assert_eq!(items[0]["ok"], false);
    assert!(reason(0).contains("not there"), "{}", reason(0));
    assert_eq!(items[1]["ok"], false);
    assert!(!reason(1).is_empty());
    if locked_tested {
        assert_eq!(items[2]["ok"], false, "a locked folder is listed with its reason");
        assert!(reason(2).contains("cannot be read"), "{}", reason(2));
        eprintln!("the locked case: {}", reason(2));
    }
    assert_eq!(items[3]["ok"], true, "the other cases still print");
    assert_eq!(items[3]["student"], "Child 3");
    // The table says the same, and the desk goes on with the cases it can read.
    let text = stdout(&desk_cmd(&config, &["cases", "list", "--as-of", AS_OF]));
    assert!(text.contains("Not read: "), "{text}");
    assert!(text.contains("Child 3"), "{text}");
    let desk: serde_json::Value =
        serde_json::from_slice(&desk_cmd(&config, &["desk", "--json", "--as-of", AS_OF]).stdout).unwrap();
    assert!(desk["unavailable"].as_array().unwrap().len() >= 2);
    assert!(!desk["deadlines"].as_array().unwrap().is_empty());
    // A new file in a case shows as not scanned, without being read; `cases scan` reads it.
    fs::write(
        cases[3].join("Letters/new note.txt"),
        "Called the school on 05/01/2024.\n",
    )
    .unwrap();
    let list: serde_json::Value =
        serde_json::from_slice(&desk_cmd(&config, &["cases", "list", "--json", "--as-of", AS_OF]).stdout)
            .unwrap();
    assert_eq!(list[3]["unscanned_files"], 1, "{}", list[3]);
    let out = std::process::Command::new(bin())
        .args(["cases", "scan"])
        .env("CASEBINDER_CONFIG_DIR", &config)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(
        out.status.code(),
        Some(2),
        "two cases could not be scanned: {text}"
    );
    assert!(text.contains("not scanned"), "{text}");
    assert!(text.contains("1 new"), "{text}");
    let list: serde_json::Value =
        serde_json::from_slice(&desk_cmd(&config, &["cases", "list", "--json", "--as-of", AS_OF]).stdout)
            .unwrap();
    assert_eq!(list[3]["unscanned_files"], 0);

    // A folder that is not a case is refused when added; removing leaves the folder alone.
    let plain = tmp.path().join("plain");
    fs::create_dir(&plain).unwrap();
    let out = std::process::Command::new(bin())
        .args(["cases", "add", plain.to_str().unwrap()])
        .env("CASEBINDER_CONFIG_DIR", &config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a case folder"));
    desk_cmd(&config, &["cases", "rm", cases[3].to_str().unwrap()]);
    assert!(cases[3].join(".casebinder").is_dir());
    let list = fs::read_to_string(config.join("cases")).unwrap();
    assert!(!list.contains("family-03"));
}

fn unsafe_is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn a_case_keeps_the_label_its_advocate_chose_and_a_newer_catalog_is_named_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("config");
    let families = tmp.path().join("families");
    let cases: Vec<PathBuf> = (0..3).map(|n| family(&families, n)).collect();
    desk_cmd(&config, &["cases", "add", "--under", families.to_str().unwrap()]);
    // A label names one case; adding it again with another label changes it.
    let out = desk_cmd(
        &config,
        &["cases", "add", cases[1].to_str().unwrap(), "--label", "File 7"],
    );
    assert!(
        stdout(&out).contains("now labelled \"File 7\""),
        "{}",
        stdout(&out)
    );
    let out = std::process::Command::new(bin())
        .args([
            "cases",
            "add",
            "--under",
            families.to_str().unwrap(),
            "--label",
            "x",
        ])
        .env("CASEBINDER_CONFIG_DIR", &config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a label for many cases is refused");
    // A catalog written by a newer casebinder.
    let c = rusqlite::Connection::open(cases[2].join(".casebinder/catalog.sqlite")).unwrap();
    c.pragma_update(None, "user_version", 999).unwrap();
    drop(c);

    let list: serde_json::Value =
        serde_json::from_slice(&desk_cmd(&config, &["cases", "list", "--json", "--as-of", AS_OF]).stdout)
            .unwrap();
    let items = list.as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[1]["label"], "File 7");
    assert!(items[0]["label"].is_null());
    // The last scan is the one the scan recorded (a minute in UTC), not a file's time.
    let scanned = items[0]["last_scan"].as_str().unwrap();
    assert!(scanned.len() == 20 && scanned.ends_with(" UTC"), "{scanned}");
    assert_eq!(items[2]["ok"], false);
    let reason = items[2]["reason"].as_str().unwrap();
    assert!(reason.contains("newer casebinder"), "{reason}");
    assert!(reason.contains("Update casebinder"), "{reason}");
    // Nothing was changed in the newer case's catalog by reading it.
    let c = rusqlite::Connection::open(cases[2].join(".casebinder/catalog.sqlite")).unwrap();
    let v: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v, 999);

    // The desk and its calendar name the labelled case by its label, the others by initials.
    let desk: serde_json::Value =
        serde_json::from_slice(&desk_cmd(&config, &["desk", "--json", "--as-of", AS_OF]).stdout).unwrap();
    let rows = desk["deadlines"].as_array().unwrap();
    assert!(rows.iter().any(|r| r["label"] == "File 7"));
    let text = stdout(&desk_cmd(&config, &["desk", "--as-of", AS_OF]));
    assert!(text.contains("File 7"), "{text}");
    let ics = stdout(&desk_cmd(
        &config,
        &["calendar", "--all-cases", "--as-of", "2022-06-01"],
    ));
    let summaries: Vec<&str> = ics.lines().filter(|l| l.starts_with("SUMMARY:")).collect();
    assert!(summaries.iter().any(|s| s.contains("File 7: ")), "{summaries:?}");
    assert!(summaries.iter().any(|s| s.contains("C.: ")), "{summaries:?}");
    assert!(
        !summaries.iter().any(|s| s.contains("Child")),
        "no child's full name unless asked: {summaries:?}"
    );
}

/// (rule, due, status) of each deadline the desk lists for its only case.
fn desk_rows(config: &Path) -> Vec<(String, String, String)> {
    let out = desk_cmd(config, &["desk", "--json", "--as-of", AS_OF]);
    let desk: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    desk["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["rule"].as_str().unwrap().to_string(),
                r["due"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_desk_reads_a_kept_story_only_while_nothing_it_is_made_of_has_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("config");
    let case = family(&tmp.path().join("families"), 3);
    desk_cmd(&config, &["cases", "add", case.to_str().unwrap()]);
    // The scan kept the case's story for the desk.
    let catalog = rusqlite::Connection::open(case.join(".casebinder/catalog.sqlite")).unwrap();
    let kept = |c: &rusqlite::Connection| -> bool {
        c.query_row(
            "SELECT count(*) FROM story_cache s, story_generation g WHERE s.generation = g.n",
            [],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
            == 1
    };
    assert!(kept(&catalog), "the scan keeps the story");
    let before = desk_rows(&config);
    let annual = |rows: &[(String, String, String)]| {
        rows.iter()
            .find(|r| r.0.starts_with("annual_review"))
            .map(|r| r.1.clone())
    };
    assert!(annual(&before).is_some(), "{before:?}");
    // A correction of the IEP's date: the story kept before it is not used again.
    let docs = list(&case);
    let iep = docs.iter().find(|d| d["kind"] == "iep").unwrap()["id"]
        .as_i64()
        .unwrap()
        .to_string();
    run_ok(&case, &["set", &iep, "--date", "2023-12-01"]);
    assert!(!kept(&catalog), "a correction leaves the kept story unused");
    let after = desk_rows(&config);
    let out = cb(&case)
        .args(["check", "--json", "--as-of", AS_OF])
        .output()
        .unwrap();
    let check: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let checked = check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"].as_str().unwrap().starts_with("annual_review"))
        .and_then(|f| f["due"].as_str())
        .map(str::to_string);
    assert!(checked.as_deref().is_some_and(|d| d > "2024-11-01"), "{check}");
    assert_eq!(annual(&after), checked, "{after:?}");
    assert_ne!(annual(&before), annual(&after));
    // `check` (run above) read the records and kept the story again; the desk says the same.
    assert!(kept(&catalog));
    assert_eq!(desk_rows(&config), after);
}

/// Every folder of a case set back to a day in 2024 (as a case whose files arrived a while
/// before its scan has them): the scan then vouches for the folders' times.
fn age_folders(dir: &Path) {
    let then = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_704_067_200);
    let mut folders = vec![dir.to_path_buf()];
    let mut i = 0;
    while i < folders.len() {
        for e in fs::read_dir(&folders[i]).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() && e.file_name() != ".casebinder" {
                folders.push(e.path());
            }
        }
        i += 1;
    }
    for f in folders {
        fs::File::open(&f).unwrap().set_modified(then).unwrap();
    }
}

fn unscanned(config: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["cases", "list", "--json", "--as-of", AS_OF];
    args.extend_from_slice(extra);
    let list: serde_json::Value = serde_json::from_slice(&desk_cmd(config, &args).stdout).unwrap();
    list[0]["unscanned_files"].clone()
}

#[test]
fn cases_list_sees_files_added_removed_or_renamed_by_the_folders_times_and_every_change_with_files() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("config");
    let case = family(tmp.path(), 7);
    age_folders(&case);
    let out = cb(&case).args(["scan", "-q"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    desk_cmd(&config, &["cases", "add", case.to_str().unwrap()]);
    assert_eq!(unscanned(&config, &[]), 0);
    assert_eq!(unscanned(&config, &["--files"]), 0);
    // Added in a subfolder: its folder's time moved.
    fs::write(
        case.join("Letters/reply.txt"),
        "Dear Parent, we received your request.\n",
    )
    .unwrap();
    assert_eq!(unscanned(&config, &[]), 1);
    // Removed again: the folder's time moved again, and every file is as scanned.
    fs::remove_file(case.join("Letters/reply.txt")).unwrap();
    assert_eq!(unscanned(&config, &[]), 0);
    // A file the scan read, renamed: gone under one name, new under another.
    fs::rename(case.join("IEPs/iep.txt"), case.join("IEPs/iep 2023.txt")).unwrap();
    assert_eq!(unscanned(&config, &[]), 2);
    fs::rename(case.join("IEPs/iep 2023.txt"), case.join("IEPs/iep.txt")).unwrap();
    // Scanned again with the folders aged once more: nothing to scan.
    age_folders(&case);
    assert!(cb(&case).args(["scan", "-q"]).output().unwrap().status.success());
    assert_eq!(unscanned(&config, &[]), 0);
    // Rewritten in place under its old name: no folder's time moves, so only --files, which
    // looks at every file's size and time as a re-scan does, sees it.
    fs::write(
        case.join("IEPs/iep.txt"),
        "Individualized Education Program (IEP)\nAmended.\n",
    )
    .unwrap();
    assert_eq!(unscanned(&config, &[]), 0);
    assert_eq!(unscanned(&config, &["--files"]), 1);
}
