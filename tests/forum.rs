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

/// The paragraphs of a .docx (its text, paragraph by paragraph).
fn docx_paragraphs(path: &std::path::Path) -> Vec<String> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    xml.split("</w:p>")
        .map(|p| {
            let mut text = String::new();
            let mut rest = p;
            while let Some(at) = rest.find("<w:t") {
                rest = &rest[at..];
                let Some(open) = rest.find('>') else { break };
                let Some(close) = rest.find("</w:t>") else { break };
                if !rest[..open].ends_with('/') {
                    text.push_str(&rest[open + 1..close]);
                }
                rest = &rest[close..];
            }
            text.replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
        })
        .filter(|t| !t.trim().is_empty())
        .collect()
}

/// Every way a document may write the day `iso` (YYYY-MM-DD).
fn date_forms(iso: &str) -> Vec<String> {
    let (y, m, d) = (
        &iso[..4],
        iso[5..7].parse::<usize>().unwrap(),
        iso[8..10].parse::<u32>().unwrap(),
    );
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month = MONTHS[m - 1];
    vec![
        iso.to_string(),
        format!("{m}/{d}/{y}"),
        format!("{m:02}/{d:02}/{y}"),
        format!("{m}/{d}/{}", &y[2..]),
        format!("{m:02}/{d:02}/{}", &y[2..]),
        format!("{month} {d}, {y}"),
        format!("{} {d}, {y}", &month[..3]),
        format!("{} {d}, {y}", &month[..4.min(month.len())]),
        format!("{d} {month} {y}"),
        format!("{d:02} {month} {y}"),
        format!("{d:02} {} {y}", &month[..3]),
        format!("{d} {} {y}", &month[..3]),
    ]
}

/// Text as dates are compared in it: lower case, no ordinal endings ("7th"), no period after a
/// month's short name ("Nov."), single spaces.
fn plain(text: &str) -> String {
    let lower = text.to_lowercase().replace('.', " ").replace(',', " , ");
    let mut words = Vec::new();
    for w in lower.split_whitespace() {
        let digits = w.chars().take_while(char::is_ascii_digit).count();
        let w = if digits > 0 && ["st", "nd", "rd", "th"].contains(&&w[digits..]) {
            &w[..digits]
        } else {
            w
        };
        words.push(w.to_string());
    }
    format!(" {} ", words.join(" "))
}

/// The dates (YYYY-MM-DD) and other numbers written in `text`.
fn figures(text: &str) -> (Vec<String>, Vec<String>) {
    let chars: Vec<char> = text.chars().collect();
    let (mut dates, mut numbers) = (Vec::new(), Vec::new());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_alphanumeric()) {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || ((chars[i] == '-' || chars[i] == '/' || chars[i] == '.')
                        && i + 1 < chars.len()
                        && chars[i + 1].is_ascii_digit()))
            {
                i += 1;
            }
            let token: String = chars[start..i].iter().collect();
            let is_iso = token.len() == 10 && token.as_bytes()[4] == b'-' && token.as_bytes()[7] == b'-';
            if is_iso {
                dates.push(token);
            } else {
                numbers.push(token);
            }
        } else {
            i += 1;
        }
    }
    (dates, numbers)
}

/// `text` without what a paragraph may hold that is not a fact from a document: the cites
/// ("P-3 at RIVERA-000005 to RIVERA-000006"), regulations in brackets ("(34 CFR 300.506)"), and
/// the clauses marked "(computed)".
fn without_cites(text: &str, cites: &mut Vec<(String, String, Option<String>)>) -> String {
    // A date marked as not from the document's pages ("2023-12-04 (the date of the e-mail that
    // carried it, not on its pages)") goes with its mark.
    // A list's own number ("3. On …") is not a fact.
    let mut text = text.trim_start_matches(['•', ' ']).to_string();
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && text[digits..].starts_with(". ") {
        text.replace_range(..digits + 2, "");
    }
    for mark in ["not on its pages)", "a date the family set)"] {
        while let Some(end) = text.find(mark) {
            let open = text[..end].rfind('(').unwrap_or(end);
            let start = text[..open].trim_end().rfind(' ').map_or(0, |s| s + 1);
            text.replace_range(start..end + mark.len(), "");
        }
    }
    let mut out = String::new();
    for clause in text.split_inclusive([',', '.', ';', ':']) {
        if !clause.contains("(computed)")
            && !clause.contains("not on its pages")
            && !clause.contains("the family set")
        {
            out.push_str(clause);
        }
    }
    // Brackets that hold a regulation.
    let mut kept = String::new();
    let mut rest = out.as_str();
    while let Some(open) = rest.find('(') {
        // The bracket that closes this one ("(34 CFR 300.301(c)(1))" holds two more).
        let mut depth = 0;
        let Some(close) = rest[open..]
            .char_indices()
            .find(|(_, c)| {
                depth += match c {
                    '(' => 1,
                    ')' => -1,
                    _ => 0,
                };
                depth == 0
            })
            .map(|(at, _)| open + at)
        else {
            break;
        };
        let inner = &rest[open + 1..close];
        kept.push_str(&rest[..open]);
        if !(inner.contains("CFR") || inner.contains("Code")) {
            kept.push_str(&rest[open..=close]);
        }
        rest = &rest[close + 1..];
    }
    kept.push_str(rest);
    // Cites.
    let words: Vec<&str> = kept.split_whitespace().collect();
    let mut clean = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i].trim_start_matches('(');
        if i + 2 < words.len()
            && words[i + 1] == "at"
            && w.contains('-')
            && w.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        {
            let first = words[i + 2]
                .trim_end_matches([')', ',', ';', ':', '.'])
                .to_string();
            let mut last = None;
            i += 3;
            if i + 1 < words.len() && words[i - 1].ends_with(|c: char| c.is_ascii_digit()) && words[i] == "to"
            {
                last = Some(
                    words[i + 1]
                        .trim_end_matches([')', ',', ';', ':', '.'])
                        .to_string(),
                );
                i += 2;
            }
            cites.push((w.to_string(), first, last));
            continue;
        }
        clean.push(words[i]);
        i += 1;
    }
    clean.join(" ")
}

#[test]
fn the_mediation_packet_states_only_what_its_cited_pages_and_the_family_say() {
    let (_tmp, case) = sample_case();
    let docs = list(&case);
    let id_of = |locator: &str| doc(&docs, locator)["id"].as_i64().unwrap().to_string();
    let iep = id_of("IEPs/2022-10-04 IEP annual.pdf");
    let eval = id_of("Evaluations/Psychoeducational Evaluation 2023.pdf");
    packet_holds_only_cited_facts(&case, "2024-05-01", &format!("{iep},{eval}"), "2024-04-01");
    // What started a missed deadline is in the binder beside the packet, whatever its kind
    // (a consent is not part of a mediation working set otherwise).
    let whole = docx_paragraphs(&case.join("Binders/mediation-packet.docx")).join("\n");
    assert!(
        whole.contains("Started 2023-03-01: Consent for Reevaluation (P-"),
        "{whole}"
    );
    assert!(!whole.contains("not in the mediation binder"), "{whole}");
    // The OT service log, added up month by month against the minutes the IEP in effect sets,
    // each figure marked as computed; each goal's rating across the progress reports.
    assert!(
        whole.contains("November 2023, Occupational therapy (consultation): the IEP in effect (P-")
            && whole.contains("shows 0 minutes in 1 entry with 1 cancelled or missed — 30 fewer than the 30 set for the month (computed)"),
        "{whole}"
    );
    assert!(
        whole.contains("sets 30 minutes monthly; the log (P-")
            && whole.contains("Goal 1 (reading fluency): 2 - Partial progress on 2023-11-17 (P-")
            && whole.contains("the same rating in the last 2 of 2 reports (computed)"),
        "{whole}"
    );
}

/// The same on the second family's folder (other people, another state, other layouts), never
/// tuned to.
#[test]
fn the_second_familys_mediation_packet_states_only_what_its_cited_pages_say() {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("case");
    copy_dir(&repo_root().join("fixtures/second-family/case"), &case);
    run_ok(&case, &["init"]);
    run_ok(&case, &["scan"]);
    let docs = list(&case);
    let of_kind = |kind: &str| {
        docs.iter()
            .filter(|d| d["kind"] == kind)
            .map(|d| d["id"].as_i64().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let mut linked = of_kind("iep");
    linked.extend(of_kind("evaluation"));
    assert!(linked.len() >= 2, "the second family has IEPs and evaluations");
    packet_holds_only_cited_facts(&case, "2025-07-01", &linked.join(","), "2025-03-03");
    // Its figures: each goal across the year's progress reports, the suspension's incident.
    let whole = docx_paragraphs(&case.join("Binders/mediation-packet.docx")).join("\n");
    assert!(
        whole.contains(
            "Goal 1 - Reading: progressing (sufficient progress to meet the goal) on 2024-11-08 (P-"
        ) && whole.contains("December 2024 (P-")
            && whole.contains("1 incident in the discipline records (computed)"),
        "{whole}"
    );
}

/// Writes a concern (linked to `docs_arg`) and a family event on `event_day`, then checks the
/// mediation packet as of `date` ([`paper_holds_only_cited_facts`]).
fn packet_holds_only_cited_facts(case: &std::path::Path, date: &str, docs_arg: &str, event_day: &str) {
    let case = case.to_path_buf();
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
            docs_arg,
        ],
    );
    run_ok(
        &case,
        &[
            "event",
            "add",
            "--date",
            event_day,
            "--kind",
            "records_requested",
            "--verbal",
            "--title",
            "Asked for the file at pickup",
        ],
    );
    let family = format!(
        "30 min/week 60 min/week direct 45 min/week + consult {event_day} Asked for the file at pickup"
    );
    paper_holds_only_cited_facts(
        &case,
        &["prepare", "mediation", "--date", date],
        "mediation-packet",
        "mediation-binder",
        &family,
        "Concern: Speech therapy",
    );
}

/// Runs `command`, reads the paper `NAME.docx` it writes beside `BINDER.pdf`, and checks it:
/// every date and number of every paragraph is in the pages it cites or in `family` (what the
/// family said); every cite is an exhibit of the binder with its Bates range; no catalog number,
/// rule id or program name; the same command writes the same file again.
fn paper_holds_only_cited_facts(
    case: &std::path::Path,
    command: &[&str],
    name: &str,
    binder: &str,
    family: &str,
    heading: &str,
) {
    let case = case.to_path_buf();
    let docs = list(&case);
    let date = command[command.iter().position(|a| *a == "--date").unwrap() + 1];
    let out = stdout(&run_ok(&case, command));
    assert!(out.contains(&format!("{name}.docx")), "{out}");
    let packet = case.join(format!("Binders/{name}.docx"));
    let paragraphs = docx_paragraphs(&packet);
    let whole = paragraphs.join("\n");
    assert!(whole.contains(heading), "{whole}");

    // The binder built beside it, and each exhibit's text.
    let manifest = manifest(&case.join(format!("Binders/{binder}.pdf")));
    let exhibits = manifest["exhibits"].as_array().unwrap();
    // An exhibit's text: what its pages in the binder show (an e-mail's headers too) and what
    // the scan read on them (a photo's words, by OCR).
    let binder_pdf = case.join(format!("Binders/{binder}.pdf"));
    let text_of = |e: &serde_json::Value| -> String {
        let mut shown_text = String::new();
        if on_path("pdftotext") {
            let (first, last) = (
                e["binder_first_page"].as_u64().unwrap().to_string(),
                e["binder_last_page"].as_u64().unwrap().to_string(),
            );
            let out = tool(
                "pdftotext",
                &["-q", "-f", &first, "-l", &last, binder_pdf.to_str().unwrap(), "-"],
            );
            shown_text = String::from_utf8_lossy(&out.stdout).to_string();
        }
        let d = docs.iter().find(|d| d["sha256"] == e["sha256"]).unwrap();
        let shown = json(
            &case,
            &["show", &d["id"].as_i64().unwrap().to_string(), "--json", "--text"],
        );
        shown["text_pages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["text"].as_str().unwrap_or_default())
            .chain(std::iter::once(shown_text.as_str()))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut checked = 0;
    for p in &paragraphs {
        let mut cites = Vec::new();
        let bare = without_cites(p, &mut cites);
        let mut sources = vec![family.to_string()];
        for (label, first, last) in &cites {
            let e = exhibits
                .iter()
                .find(|e| e["exhibit"] == label.as_str())
                .unwrap_or_else(|| panic!("{label} is not an exhibit of the binder: {p}"));
            assert_eq!(e["bates_start"].as_str(), Some(first.as_str()), "{p}");
            let end = last.as_deref().unwrap_or(first);
            assert_eq!(e["bates_end"].as_str(), Some(end), "{p}");
            sources.push(text_of(e));
        }
        let (dates, numbers) = figures(&bare);
        for d in &dates {
            assert!(
                sources
                    .iter()
                    .any(|s| date_forms(d).iter().any(|f| plain(s).contains(&plain(f)))),
                "{d} is in no cited page and not the family's: {p}"
            );
            checked += 1;
        }
        for n in &numbers {
            assert!(
                sources.iter().any(|s| s.contains(n.as_str())),
                "{n} is in no cited page: {p}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 8, "the check looked at {checked} figures only");
    // Nothing of the program's own in what the family hands over.
    let report = check_json(&case, &["--as-of", date], 1);
    for f in report["findings"].as_array().unwrap() {
        let rule = f["rule"].as_str().unwrap();
        assert!(!whole.contains(rule), "rule id {rule} in the packet");
    }
    assert!(!whole.to_lowercase().contains("casebinder"), "{whole}");
    assert!(!whole.contains("(document "), "a catalog number: {whole}");
    // Determinism: the same case and date, the same packet.
    let before = std::fs::read(&packet).unwrap();
    run_ok(&case, command);
    assert_eq!(before, std::fs::read(&packet).unwrap());
    // The PDF, where LibreOffice is installed, holds the same cites.
    let pdf = case.join(format!("Binders/{name}.pdf"));
    if pdf.exists() && on_path("pdftotext") {
        let text = stdout(&tool("pdftotext", &[pdf.to_str().unwrap(), "-"]));
        assert!(text.contains(heading) && text.contains("P-1 at "), "{text}");
    }
}

#[test]
fn the_complaint_draft_states_only_what_its_cited_pages_and_the_family_say() {
    let (_tmp, case) = sample_case();
    run_ok(
        &case,
        &["config", "address", "12 Harbor Lane, Lakeside, CA 95000"],
    );
    run_ok(&case, &["config", "parent", "Ana Rivera"]);
    run_ok(&case, &["config", "school", "Lakeside Elementary School"]);
    run_ok(&case, &["config", "district", "Lakeside Unified School District"]);
    run_ok(&case, &["config", "contact", "ana.rivera@example.com, 555-0142"]);
    let family = "12 Harbor Lane, Lakeside, CA 95000 Ana Rivera ana.rivera@example.com, 555-0142";
    paper_holds_only_cited_facts(
        &case,
        &["complaint", "--state", "CA", "--date", "2024-05-01"],
        "state-complaint-draft",
        "state-complaint-binder",
        family,
        "Allegation 1:",
    );
    let draft = docx_paragraphs(&case.join("Binders/state-complaint-draft.docx")).join("\n");
    // What 34 CFR 300.153(b) asks for, and the copy to the district (300.153(d)).
    for part in [
        "has violated requirements of Part B",
        "Address: 12 Harbor Lane",
        "School: Lakeside Elementary School",
        "Proposed resolution",
        "Signed: ____",
        "Name: Ana Rivera",
        "I certify that I sent a copy of this complaint to Lakeside Unified School District",
        "Exhibits attached",
    ] {
        assert!(draft.contains(part), "{part:?} missing:\n{draft}");
    }
    assert!(draft.contains("states facts; whether they are violations is for the state to decide"));
    // Only what is inside the one-year window is alleged: the 2023 annual review (due 2023-10-04)
    // and the records (2024-01-16), never the evaluation of spring 2023 (its window closed).
    assert!(draft.contains("Allegation 1: IEP reviewed every year"), "{draft}");
    assert!(draft.contains("Allegation 2: Records"), "{draft}");
    assert!(!draft.contains("Allegation 3"), "{draft}");
    assert!(!draft.contains("Evaluation within 60"), "{draft}");
    // The binder beside it carries the findings (they are the filing).
    let m = manifest(&case.join("Binders/state-complaint-binder.pdf"));
    assert_eq!(m["settings"]["findings"], true);
    // The state is needed; the terminal says where to file, with sources.
    let out = stdout(&run_ok(
        &case,
        &["complaint", "--state", "CA", "--date", "2024-05-01"],
    ));
    assert!(
        out.contains("Where to file in California") && out.contains("cde.ca.gov"),
        "{out}"
    );
}

#[test]
fn the_second_familys_complaint_draft_states_only_what_its_cited_pages_say() {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("case");
    copy_dir(&repo_root().join("fixtures/second-family/case"), &case);
    run_ok(&case, &["init"]);
    run_ok(&case, &["scan"]);
    // No state set: the command asks for one.
    let out = run_code(&case, &["complaint", "--date", "2025-07-01"], 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--state"));
    paper_holds_only_cited_facts(
        &case,
        &["complaint", "--state", "IL", "--date", "2025-07-01"],
        "state-complaint-draft",
        "state-complaint-binder",
        "",
        "Statement",
    );
    let out = stdout(&run_ok(
        &case,
        &["complaint", "--state", "IL", "--date", "2025-07-01"],
    ));
    assert!(out.contains("blanks to fill in: name, address"), "{out}");
}
