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

/// The ids of a JSON list of documents, in order.
fn sorted_ids(docs: &serde_json::Value) -> Vec<i64> {
    let mut v: Vec<i64> = docs
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_i64().unwrap())
        .collect();
    v.sort_unstable();
    v
}

/// Defect 2: `list kind:iep OR kind:evaluation` was empty, `list 'NOT kind:email'` returned
/// e-mails, `search kind:email speech` ignored the filter, `search 'reev*'` found nothing, and
/// `kind:pwn`, `kind:504`, `kind:progress-report` and `tag:speach` printed "No documents match."
/// with no suggestion. One query language now serves list, search, timeline and binder (OR, NOT,
/// `-`, brackets, prefix wildcards, relative dates and years), and what it does not know is
/// refused with the name meant. (The 10,000-query property test against a reference evaluator
/// is `ten_thousand_random_queries_select_what_the_reference_evaluator_selects`, beside the SQL
/// it checks, in src/catalog/filters.rs.)
#[test]
fn queries_are_misread_in_silence() {
    let (_tmp, case) = sample_case();
    let ids = |args: &[&str]| -> Vec<i64> {
        let mut all = vec!["list"];
        all.extend_from_slice(args);
        all.push("--json");
        sorted_ids(&json(&case, &all))
    };
    let every = ids(&[]);
    let ieps = ids(&["kind:iep"]);
    let evals = ids(&["kind:evaluation"]);
    let emails = ids(&["kind:email"]);
    assert!(!ieps.is_empty() && !evals.is_empty() && !emails.is_empty());
    // OR, typed as separate words the way a shell passes them, and in one quoted argument.
    let mut either: Vec<i64> = ieps.iter().chain(&evals).copied().collect();
    either.sort_unstable();
    assert_eq!(ids(&["kind:iep", "OR", "kind:evaluation"]), either);
    assert_eq!(ids(&["kind:iep OR kind:evaluation"]), either);
    // NOT, as a word and as a dash.
    let not_email: Vec<i64> = every.iter().copied().filter(|i| !emails.contains(i)).collect();
    assert_eq!(ids(&["NOT kind:email"]), not_email);
    assert_eq!(ids(&["-kind:email"]), not_email);
    // Brackets, and a year.
    let in_2023 = ids(&["date:2023-01-01..2023-12-31"]);
    let both: Vec<i64> = either.iter().copied().filter(|i| in_2023.contains(i)).collect();
    assert!(!both.is_empty());
    assert_eq!(ids(&["(kind:iep OR kind:evaluation) date:2023"]), both);
    // Relative dates count back from today (here fixed by SOURCE_DATE_EPOCH: 2024-06-01).
    let relative = |q: &str| -> Vec<i64> {
        let out = cb(&case)
            .args(["list", q, "--json"])
            .env("SOURCE_DATE_EPOCH", "1717200000")
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        sorted_ids(&serde_json::from_slice(&out.stdout).unwrap())
    };
    let recent = relative("after:-90d");
    assert!(!recent.is_empty() && recent.len() < every.len());
    assert_eq!(recent, ids(&["after:2024-03-03"]));
    // search takes the same filters: only e-mails about speech.
    let hits = json(&case, &["search", "kind:email", "speech", "--json"]);
    let hits = hits.as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h["kind"] == "email"), "{hits:?}");
    let hits = json(&case, &["search", "speech", "-kind:email", "--json"]);
    assert!(hits.as_array().unwrap().iter().all(|h| h["kind"] != "email"));
    // A prefix finds the words that begin so, and the snippet shows them.
    let hits = json(&case, &["search", "reev*", "--json"]);
    let hits = hits.as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(
        hits.iter().any(|h| h["snippet"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("[reevaluation]")),
        "{hits:?}"
    );
    // The language is documented in one place.
    let help = stdout(&run_ok(&case, &["help", "query"]));
    for part in ["OR", "NOT", "after:-90d", "reev*", "kind:pwn", "tag:sy2023*"] {
        assert!(help.contains(part), "help query lacks {part}");
    }
    // What it does not know is refused with the name meant.
    for (q, meant) in [
        ("kidn:iep", "kind:"),
        ("kind:parent_leter", "parent_letter"),
        ("tag:speach", "speech"),
    ] {
        for command in ["list", "search", "timeline"] {
            let out = run_code(&case, &[command, q], 2);
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                err.contains(&format!("Did you mean \"{meant}")),
                "{command} {q}: {err}"
            );
        }
    }
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

/// A line of advice: it names a command to run next. (A table's rows, such as `review`'s "what
/// to do" column, and a numbered finding's explanation, as `check --json` gives it too, are
/// results.)
fn tips(text: &str) -> Vec<String> {
    const COMMANDS: &[&str] = &[
        "init", "scan", "list", "show", "search", "set", "tag", "review", "config", "event", "concern",
        "timeline", "check", "gaps", "binder", "verify", "backup", "restore", "repair", "export", "import",
        "demo", "help", "--case",
    ];
    let advice = |l: &str| {
        l.match_indices("casebinder ").any(|(at, m)| {
            let rest = &l[at + m.len()..];
            COMMANDS.iter().any(|c| {
                rest.strip_prefix(c)
                    .is_some_and(|after| after.is_empty() || after.starts_with([' ', '`', '"', ')', ',']))
            })
        })
    };
    let numbered = |l: &str| {
        let digits = l.trim_start().chars().take_while(char::is_ascii_digit).count();
        digits > 0 && l.trim_start()[digits..].starts_with(". ")
    };
    text.lines()
        .filter(|l| advice(l) && !l.contains(" | ") && !numbered(l) && !l.starts_with("$ "))
        .map(str::to_string)
        .collect()
}

/// Defect 5: `-q` still printed tips in `set`, `event add`, `gaps`, `check` and `init`;
/// `binder --json` built a binder and printed text; `timeline` needed `--format json` while the
/// others took `--json`; `config` and `event add` had no JSON. Every subcommand is run here with
/// `-q` (no line of advice may print) and every command that prints data with `--json` (its
/// output must parse).
#[test]
fn modes_that_do_not_hold() {
    let (tmp, case) = sample_case();
    let fresh = tmp.path().join("fresh");
    std::fs::create_dir_all(&fresh).unwrap();
    std::fs::write(fresh.join("note.txt"), "A note about speech therapy.\n").unwrap();
    let quiet = |dir: &std::path::Path, args: &[&str], code: i32| {
        let mut all = vec!["-q"];
        all.extend_from_slice(args);
        let out = run_code(dir, &all, code);
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(tips(&said).is_empty(), "-q {args:?} gave advice:\n{said}");
        said
    };
    quiet(&fresh, &["init"], 0);
    quiet(&fresh, &["init"], 0);
    quiet(&fresh, &["scan"], 0);
    quiet(&fresh, &["list"], 0);
    quiet(&fresh, &["review"], 0);
    quiet(&fresh, &["gaps"], 0);
    quiet(&fresh, &["event", "list"], 0);
    quiet(&case, &["scan"], 0);
    quiet(&case, &["list"], 0);
    quiet(&case, &["show", "3"], 0);
    quiet(&case, &["search", "speech"], 0);
    quiet(&case, &["set", "3", "--title", "IEP 2022"], 0);
    quiet(&case, &["set", "3", "--title", "auto"], 0);
    quiet(&case, &["tag", "3", "+quiet"], 0);
    quiet(&case, &["review"], 0);
    quiet(&case, &["config"], 0);
    quiet(&case, &["config", "soft-days", "30"], 0);
    quiet(
        &case,
        &[
            "event",
            "add",
            "--date",
            "2024-04-01",
            "--kind",
            "phone_call",
            "--title",
            "Call",
        ],
        0,
    );
    quiet(&case, &["event", "list"], 0);
    quiet(&case, &["event", "rm", "1"], 0);
    quiet(
        &case,
        &["concern", "add", "Speech therapy", "--kind", "service"],
        0,
    );
    quiet(&case, &["concern", "list"], 0);
    quiet(&case, &["concern", "edit", "1", "--ask", "60 min/week"], 0);
    quiet(&case, &["concern", "rm", "1"], 0);
    quiet(&fresh, &["concern", "list"], 0);
    quiet(&case, &["timeline"], 0);
    quiet(&case, &["check", "--as-of", "2024-06-01"], 1);
    quiet(&case, &["gaps", "--as-of", "2024-06-01"], 0);
    quiet(
        &case,
        &["calendar", "--as-of", "2024-06-01", "--out", "deadlines.ics"],
        0,
    );
    quiet(&case, &["prepare", "mediation", "--date", "2024-05-01"], 0);
    quiet(&case, &["complaint", "--state", "CA", "--date", "2024-05-01"], 0);
    quiet(&case, &["binder", "--date", "2024-05-01", "--dry-run"], 0);
    quiet(&case, &["binder", "--date", "2024-05-01"], 0);
    quiet(&case, &["verify", "Binders/due-process-binder.pdf"], 0);
    quiet(&case, &["backup"], 0);
    quiet(&case, &["export", "--corrections", "--out", "work.json"], 0);
    quiet(&case, &["import", "work.json"], 0);
    let backups = case.join(".casebinder/backups");
    let newest = std::fs::read_dir(&backups)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("catalog-"))
        })
        .max()
        .unwrap();
    quiet(&case, &["restore", &newest.to_string_lossy(), "--yes"], 0);
    quiet(&case, &["repair"], 0);
    quiet(&case, &["completions", "bash"], 0);
    // The manual page is the commands' documentation, examples and all: its text is the result.
    run_ok(&case, &["-q", "man"]);
    // A reader that stops early (`| head`) is not an error, for generated text too.
    for args in [&["completions", "bash"][..], &["man"], &["list"]] {
        let mut child = cb(&case)
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    // The demo prints its commands as a transcript ("$ casebinder scan"): results, not advice.
    let demo = quiet(tmp.path(), &["demo", "demo-case"], 0);
    assert!(
        demo.contains("$ casebinder scan") && !demo.contains("Try next"),
        "{demo}"
    );

    // --json on every command that prints data, with one spelling.
    let parses = |args: &[&str], code: i32| -> serde_json::Value {
        let out = run_code(&case, args, code);
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}\n{}", String::from_utf8_lossy(&out.stdout)))
    };
    for args in [
        &["list", "--json"][..],
        &["show", "3", "--json"],
        &["search", "speech", "--json"],
        &["review", "--json"],
        &["scan", "--json"],
        &["timeline", "--json"],
        &["gaps", "--as-of", "2024-06-01", "--json"],
        &["config", "--json"],
        &["event", "list", "--json"],
        &["concern", "list", "--json"],
        &["binder", "--date", "2024-05-01", "--dry-run", "--json"],
        &["verify", "Binders/due-process-binder.pdf", "--json"],
    ] {
        parses(args, 0);
    }
    parses(&["check", "--as-of", "2024-06-01", "--json"], 1);
    // timeline --json is --format json.
    assert_eq!(
        stdout(&run_ok(&case, &["timeline", "--json"])),
        stdout(&run_ok(&case, &["timeline", "--format", "json"]))
    );
    // event add --json gives the event made.
    let made = parses(
        &[
            "event",
            "add",
            "--date",
            "2024-04-02",
            "--kind",
            "phone_call",
            "--title",
            "Call back",
            "--json",
        ],
        0,
    );
    assert_eq!(made["title"], "Call back");
    assert!(made["id"].as_i64().is_some(), "{made}");
    // binder --json builds the binder and prints its summary as JSON.
    let built = parses(
        &[
            "binder",
            "--date",
            "2024-05-01",
            "--out",
            "Binders/json.pdf",
            "--json",
        ],
        0,
    );
    assert!(
        built["exhibits"].as_array().is_some_and(|e| !e.is_empty()),
        "{built}"
    );
    assert!(case.join("Binders/json.pdf").exists());
    // config --json: every setting, set or not.
    let settings = parses(&["config", "--json"], 0);
    assert!(
        settings.get("state").is_some() && settings.get("soft-days").is_some(),
        "{settings}"
    );
    let out = run_code(&case, &["config", "stat"], 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("Did you mean \"state\""));

    // Messages suggest only what works then: before a case exists, `config` cannot run.
    let new = tmp.path().join("new-case");
    std::fs::create_dir_all(&new).unwrap();
    let out = run_code(&new, &["init", "--state", "WA"], 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--state federal"), "{err}");
    assert!(!new.join(".casebinder").exists());
    run_ok(&new, &["init", "--state", "federal"]);
    // verify of a binder that is not there says so (not a word about manifests), with the
    // binders that are.
    let out = run_code(&case, &["verify", "Binders/due-proces-binder.pdf"], 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("There is no binder") && err.contains("Did you mean \"due-process-binder.pdf\""),
        "{err}"
    );
    assert!(!err.contains("manifest"), "{err}");
}

/// Defect 5, Ctrl-C: a scan stopped with Ctrl-C ended without a word. It now says what was kept
/// and how to go on, and the next scan goes on from there.
#[cfg(unix)]
#[test]
fn modes_that_do_not_hold_ctrl_c_says_what_was_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("many");
    std::fs::create_dir_all(&case).unwrap();
    run_ok(&case, &["init"]);
    let mut files = 0;
    // Enough files that the scan is still reading when the signal comes (more each try).
    for round in 0..4 {
        for i in files..4000 << round {
            std::fs::write(
                case.join(format!("note{i}.txt")),
                format!("Phone call with the school about speech therapy, number {i}.\n"),
            )
            .unwrap();
        }
        files = 4000 << round;
        let child = cb(&case)
            .arg("scan")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(400));
        std::process::Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        let out = child.wait_with_output().unwrap();
        if out.status.code() == Some(0) {
            continue; // it finished first: try with more files
        }
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(130), "{err}");
        assert!(
            err.contains("Stopped (Ctrl-C). What was finished is kept"),
            "{err}"
        );
        assert!(err.contains("run the same command again"), "{err}");
        // The next scan goes on and ends with every file read.
        let summary = json(&case, &["scan", "--json"]);
        let docs = list(&case).len();
        assert_eq!(docs, files, "{summary}");
        return;
    }
    panic!("the scan always finished before Ctrl-C");
}

/// Defect 6: at 80 columns every mailbox row read "Takeout/Mail/All …" (what tells them apart was
/// cut); at 60 columns `check` split values across lines ("2021-10|-06", "violate|d"); `list`
/// sorted by path only (message #10 before #2) with no `--sort`; a "(2)" copy was shown as the
/// document's path; `list --missing` showed a changed file's earlier version with a blank path.
#[test]
fn tables_and_lists() {
    let (_tmp, case) = sample_case();
    let at = |columns: &str, args: &[&str]| -> String {
        let out = cb(&case).args(args).env("COLUMNS", columns).output().unwrap();
        assert!(out.status.code().is_some_and(|c| c <= 1), "{args:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // Each mailbox row keeps its message number.
    let mail = at("80", &["list", "path:Takeout"]);
    let rows: Vec<&str> = mail.lines().filter(|l| l.contains("Takeout")).collect();
    assert!(rows.len() >= 3, "{mail}");
    for (i, row) in rows.iter().enumerate() {
        assert!(
            row.contains(&format!("#{i}")),
            "row {i} lost its message number:\n{mail}"
        );
        assert!(row.chars().count() <= 80, "{row}");
    }
    // At 60 columns no date or status is split: each is whole on one line.
    let check = at("60", &["check", "--as-of", "2024-06-01", "--all"]);
    let findings = check_json(&case, &["--as-of", "2024-06-01", "--all"], 1);
    let mut values: Vec<String> = Vec::new();
    for f in findings["findings"].as_array().unwrap() {
        values.push(f["status"].as_str().unwrap().to_string());
        values.push(f["trigger"]["date"].as_str().unwrap().to_string());
        if let Some(due) = f["due"].as_str() {
            values.push(due.to_string());
        }
    }
    assert!(values.len() > 6);
    for v in &values {
        assert!(
            check.contains(v.as_str()),
            "{v} is split or missing at 60 columns:\n{check}"
        );
    }
    assert!(check.lines().all(|l| l.chars().count() <= 60), "{check}");
    // list sorts by date by default (undated last); --sort path orders numbers by value.
    let by_date = json(&case, &["list", "--json"]);
    let dates: Vec<Option<&str>> = by_date
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["date"].as_str())
        .collect();
    let first_undated = dates.iter().position(Option::is_none).unwrap();
    assert!(dates[first_undated..].iter().all(Option::is_none), "{dates:?}");
    assert!(
        dates[..first_undated].windows(2).all(|w| w[0] <= w[1]),
        "{dates:?}"
    );
    let paths = stdout(&run_ok(
        &case,
        &["--wide", "list", "--sort", "path", "path:Takeout"],
    ));
    let at_1 = paths.find("mbox#1").unwrap();
    let at_2 = paths.find("mbox#2").unwrap();
    assert!(at_1 < at_2, "{paths}");
    run_code(&case, &["list", "--sort", "dat"], 2);
    // A "(2)" copy is not the document's name: the shortest path is.
    let original = "IEPs/IEP 2021 initial.pdf";
    std::fs::copy(case.join(original), case.join("IEPs/IEP 2021 initial (2).pdf")).unwrap();
    run_ok(&case, &["scan"]);
    let docs = list(&case);
    let d = doc(&docs, "IEPs/IEP 2021 initial (2).pdf");
    assert_eq!(d["path"], original);
    assert_eq!(d["locations"].as_array().unwrap().len(), 2);
    // A changed file's earlier version is named by the file it was in.
    let notes = case.join("Notes/IEP meeting notes Nov 2023.txt");
    let mut text = std::fs::read_to_string(&notes).unwrap();
    text.push_str("\nAdded later: the team agreed to meet again in January.\n");
    std::fs::write(&notes, text).unwrap();
    run_ok(&case, &["scan"]);
    let all = at("120", &["list", "--missing"]);
    assert!(
        all.lines()
            .any(|l| l.contains("Notes/IEP meeting notes Nov 2023.txt (earlier version)")),
        "{all}"
    );
    let gone = json(&case, &["list", "--missing", "--json"]);
    assert!(
        gone.as_array()
            .unwrap()
            .iter()
            .all(|d| !d["path"].as_str().unwrap().is_empty()),
        "{gone}"
    );
}

/// Defect 7: the binder (24 s for a family folder with Word exhibits) showed no progress, and
/// without LibreOffice its .docx exhibits were set as plain text without a word. On a terminal
/// the binder now shows what it is doing (never with -q, never into a pipe), and a Word file
/// set as text is named in a warning that says how to do better.
#[test]
fn long_work_without_progress() {
    let (_tmp, case) = sample_case();
    // No LibreOffice (CASEBINDER_NO_HELPERS hides it): the .docx exhibit is named.
    let out = cb(&case)
        .args(["binder", "--date", "2024-05-01"])
        .env("CASEBINDER_NO_HELPERS", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("set as plain text") && err.contains("LibreOffice is not installed"),
        "{err}"
    );
    assert!(err.contains("Letters/Records request to district.docx"), "{err}");
    assert!(err.contains("apt-get install libreoffice-writer"), "{err}");
    // Into a pipe: no progress drawn.
    assert!(
        !err.contains("Reading exhibits") && !err.contains("Writing the binder"),
        "{err}"
    );
    // On a terminal (script(1) gives it one): the progress is drawn; with -q it is not.
    let on_terminal = |quiet: bool| -> String {
        let cmd = format!(
            "{} {}binder --date 2024-05-01 --out Binders/progress.pdf --force",
            bin().display(),
            if quiet { "-q " } else { "" }
        );
        let out = std::process::Command::new("script")
            .args(["-qec", &cmd, "/dev/null"])
            .current_dir(&case)
            .env("HOME", &case)
            .env("CASEBINDER_NO_HELPERS", "1")
            .env("COLUMNS", "100")
            .output()
            .expect("script(1), from util-linux");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let shown = on_terminal(false);
    assert!(
        shown.contains("Reading exhibits") && shown.contains("Writing the binder"),
        "{shown}"
    );
    let quiet = on_terminal(true);
    assert!(
        !quiet.contains("Reading exhibits") && !quiet.contains("Writing the binder"),
        "{quiet}"
    );
}
