//! The house's conventions, checked on the real binary and the source: one resolver for the
//! state, every subcommand's `--help` examples run, completions and the manual page, tables that
//! fit 80 columns, `-q`, and module boundaries (no `cli` outside the commands, no command calling
//! another, no import circle).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use common::*;

/// A state stored before casebinder refused unsupported ones (an old catalog, a hand edit).
fn set_stored_state(case: &Path, code: &str) {
    let catalog = casebinder::catalog::Catalog::open(&case.join(".casebinder/catalog.sqlite")).unwrap();
    catalog.set_setting("state", code).unwrap();
}

#[test]
fn an_unsupported_state_is_refused_the_same_way_by_every_command() {
    let (_tmp, case) = sample_case();
    set_stored_state(&case, "OR");
    let mut answers = BTreeSet::new();
    for args in [
        vec!["check"],
        vec!["gaps"],
        vec!["timeline"],
        vec!["binder", "--dry-run"],
        vec!["binder", "--dry-run", "--purpose", "state-complaint"],
    ] {
        let out = run_code(&case, &args, 2);
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(err.contains("no rules for the state OR"), "{args:?}: {err}");
        assert!(err.contains("CA, TX, PA, IL, MA, NY, AR, AL"), "{args:?}: {err}");
        assert!(err.contains("casebinder config state federal"), "{args:?}: {err}");
        answers.insert(err);
    }
    assert_eq!(answers.len(), 1, "every command answers the same: {answers:#?}");
    // Typed on the command line or in the settings, an unsupported state is refused before anything.
    let out = run_code(&case, &["check", "--state", "WA"], 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no rules for the state WA"));
    let out = run_code(&case, &["config", "state", "ZZ"], 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a U.S. state"));
    // Chosen on purpose, federal rules are said plainly.
    run_ok(&case, &["config", "state", "federal"]);
    let out = run_code(&case, &["check", "--as-of", "2024-05-01"], 1);
    assert!(stdout(&out).starts_with("Rules: Federal (IDEA, 34 CFR Part 300)"));
    run_ok(
        &case,
        &[
            "binder",
            "--dry-run",
            "--purpose",
            "state-complaint",
            "--date",
            "2024-05-01",
        ],
    );
}

/// The example commands of a `--help` text (the lines under "Examples:").
fn examples(help: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in help.lines() {
        if line.trim_end() == "Examples:" {
            inside = true;
            continue;
        }
        if inside {
            let Some(cmd) = line.strip_prefix("  casebinder ") else {
                inside = false;
                continue;
            };
            out.push(shell_words(cmd));
        }
    }
    out
}

/// Every subcommand (and sub-subcommand) path, from the top-level help.
fn subcommands(dir: &Path, path: &[String]) -> Vec<Vec<String>> {
    let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
    args.push("--help");
    let help = stdout(&run_ok(dir, &args));
    let mut found = Vec::new();
    let mut inside = false;
    for line in help.lines() {
        if line.starts_with("Commands:") {
            inside = true;
            continue;
        }
        if inside {
            if !line.starts_with("  ") {
                break;
            }
            if line.starts_with("   ") {
                continue; // a description wrapped onto the next line
            }
            let name = line.split_whitespace().next().unwrap_or("");
            if name.is_empty() || name == "help" {
                continue;
            }
            let mut p = path.to_vec();
            p.push(name.to_string());
            found.push(p.clone());
            found.extend(subcommands(dir, &p));
        }
    }
    found
}

#[test]
fn every_subcommand_has_an_example_in_its_help_and_each_one_runs() {
    let (_tmp, case) = sample_case();
    let subs = subcommands(&case, &[]);
    assert!(subs.len() >= 22, "{subs:?}");
    let mut all: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
    for sub in &subs {
        let mut args: Vec<&str> = sub.iter().map(String::as_str).collect();
        args.push("--help");
        let help = stdout(&run_ok(&case, &args));
        let ex = examples(&help);
        assert!(
            !ex.is_empty(),
            "`casebinder {} --help` has no example:\n{help}",
            sub.join(" ")
        );
        for e in &ex {
            assert!(
                e.starts_with(sub),
                "an example of {sub:?} runs another command: {e:?}"
            );
        }
        all.insert(sub.join(" "), ex);
    }
    // Run them in an order where each finds what it needs (a binder before verify, a backup
    // before restore, an export before import); the demo in an empty folder of its own.
    let order = [
        "init",
        "scan",
        "list",
        "show",
        "search",
        "set",
        "tag",
        "review",
        "config",
        "event",
        "event add",
        "event list",
        "event rm",
        "concern",
        "concern add",
        "concern list",
        "concern edit",
        "concern rm",
        "timeline",
        "check",
        "calendar",
        "gaps",
        "binder",
        "prepare",
        "prepare mediation",
        "complaint",
        "cases",
        "cases add",
        "cases list",
        "cases scan",
        "desk",
        "cases rm",
        "verify",
        "backup",
        "repair",
        "restore",
        "export",
        "import",
        "completions",
        "man",
    ];
    let listed: BTreeSet<&str> = all.keys().map(String::as_str).collect();
    let ordered: BTreeSet<&str> = order.iter().copied().chain(["demo"]).collect();
    assert_eq!(listed, ordered, "the order below names every subcommand");
    for name in order {
        for e in &all[name] {
            let args: Vec<&str> = e.iter().map(String::as_str).collect();
            let out = cb(&case).args(&args).output().unwrap();
            let code = out.status.code();
            // `check` exits 1 when it finds a possible violation: that is its answer, not a failure.
            // So does `desk` when a deadline was missed in any case.
            let fine = code == Some(0) || (matches!(name, "check" | "desk") && code == Some(1));
            assert!(
                fine,
                "the example `casebinder {}` exited {code:?}:\n{}{}",
                args.join(" "),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    let empty = tempfile::tempdir().unwrap();
    for e in &all["demo"] {
        let args: Vec<&str> = e.iter().map(String::as_str).collect();
        run_ok(empty.path(), &args);
    }
}

#[test]
fn completions_and_the_manual_page_come_from_the_same_definitions() {
    let tmp = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout(&run_ok(tmp.path(), &["completions", shell]));
        for word in ["binder", "timeline", "hearing-date", "purpose"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
    }
    let out = run_code(tmp.path(), &["completions", "tcsh"], 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("bash"));
    let man = stdout(&run_ok(tmp.path(), &["man"]));
    assert!(
        man.starts_with(".ie") || man.contains(".TH casebinder 1"),
        "{}",
        &man[..200.min(man.len())]
    );
    for section in [
        "CASEBINDER BINDER",
        "CASEBINDER CHECK",
        "hearing\\-date",
        "Examples:",
    ] {
        assert!(man.contains(section), "the manual page lacks {section}");
    }
    if on_path("man") {
        let mut child = std::process::Command::new("man")
            .args(["-l", "-"])
            .env("MANWIDTH", "80")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child.stdin.take().unwrap().write_all(man.as_bytes()).unwrap();
        let shown = child.wait_with_output().unwrap();
        assert!(String::from_utf8_lossy(&shown.stdout).contains("casebinder"));
    }
}

#[test]
fn at_80_columns_no_line_of_list_review_or_a_dry_run_is_wider_and_wide_gives_it_all() {
    let (_tmp, case) = sample_case();
    for args in [
        vec!["list"],
        vec!["review"],
        vec!["binder", "--dry-run", "--date", "2024-05-01"],
        vec!["check", "--as-of", "2024-05-01"],
        vec!["timeline"],
        vec!["gaps", "--as-of", "2024-05-01"],
        vec!["search", "therapy"],
    ] {
        let out = cb(&case).env("COLUMNS", "80").args(&args).output().unwrap();
        assert!(out.status.code().is_some_and(|c| c <= 1), "{args:?}");
        let text = stdout(&out);
        let widest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        assert!(widest <= 80, "{args:?}: a line of {widest} characters:\n{text}");
        assert!(text.lines().count() > 3, "{args:?} printed next to nothing");
    }
    // --wide: the full text, whatever the terminal.
    let narrow = stdout(&cb(&case).env("COLUMNS", "80").args(["list"]).output().unwrap());
    let wide = stdout(
        &cb(&case)
            .env("COLUMNS", "80")
            .args(["list", "--wide"])
            .output()
            .unwrap(),
    );
    assert!(narrow.contains('…'));
    assert!(wide.contains("Takeout/Mail/All mail Including Spam and Trash.mbox#1"));
    // Review's advice is never cut: each fix is there in full, wrapped.
    let review = stdout(&cb(&case).env("COLUMNS", "80").args(["review"]).output().unwrap());
    let joined: String = review.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(joined.contains("| casebinder set"), "{review}");
}

#[test]
fn quiet_leaves_out_tips_but_not_results() {
    let (_tmp, case) = fixture_case();
    let loud = stdout(&run_ok(&case, &["init"]));
    assert!(loud.contains("Next: casebinder scan"));
    let quiet = stdout(&run_ok(&case, &["-q", "scan", "--no-progress"]));
    assert!(quiet.contains("documents in the catalog"), "{quiet}");
    assert!(!quiet.contains("Next:"), "{quiet}");
    let loud = stdout(&run_ok(&case, &["scan"]));
    assert!(loud.contains("Next:"));
}

#[test]
fn typos_in_filters_and_dates_are_refused_with_a_suggestion() {
    let (_tmp, case) = sample_case();
    for (args, says) in [
        (vec!["list", "kidn:iep"], "Did you mean \"kind:\""),
        (vec!["list", "kind:iepp"], "Did you mean \"iep\""),
        (vec!["list", "status:corupt"], "Did you mean \"corrupt\""),
        (
            vec!["binder", "--dry-run", "kind:evaluaton"],
            "Did you mean \"evaluation\"",
        ),
        (vec!["check", "--as-of", "2024-13-01"], "is not a date"),
        (
            vec!["binder", "--labels", "P-x", "--dry-run"],
            "not an exhibit label",
        ),
        (
            vec!["binder", "--bates-prefix", "a b", "--dry-run"],
            "cannot be a Bates prefix",
        ),
    ] {
        let out = run_code(&case, &args, 2);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let after = json(&case, &["list", "after:2024-01-01", "--json"]);
    assert!(
        after
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["date"].as_str().is_some_and(|d| d >= "2024-01-01"))
    );
    run_ok(
        &case,
        &["binder", "kind:iep,evaluation", "after:2023-01-01", "--dry-run"],
    );
}

/// Rust files under `dir`, with their module path (`binder::plan`).
fn modules(src: &Path) -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    for entry in walk(src) {
        let rel = entry.strip_prefix(src).unwrap().with_extension("");
        let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().to_string()).collect();
        if parts
            .last()
            .is_some_and(|p| p == "mod" || p == "lib" || p == "main")
        {
            parts.pop();
        }
        out.insert(parts.join("::"), entry);
    }
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// The code of a file without comments, string literals and its `#[cfg(test)]` module.
fn code_of(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap();
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => &text,
    };
    text.lines()
        .map(|l| {
            let t = l.trim_start();
            if t.starts_with("//") { "" } else { l }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths after each `prefix` in the code: `crate::a::b::C` → `a::b::C`; a group
/// `crate::a::{b, c::D}` → `a::b` and `a::c::D`.
fn paths_after(code: &str, prefix: &str) -> Vec<String> {
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    for (i, _) in code.match_indices(prefix) {
        if i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_' || bytes[i - 1] == b':') {
            continue;
        }
        let rest = &code[i + prefix.len()..];
        let head: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        let after = &rest[head.len()..];
        let base = head.trim_end_matches(':').to_string();
        if after.starts_with('{') {
            // The group, up to its closing brace (groups may nest).
            let mut depth = 0;
            let mut end = after.len();
            for (k, c) in after.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = k;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let inner = &after[1..end];
            let mut depth = 0;
            let mut item = String::new();
            for c in inner.chars().chain([',']) {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        let it: String = item
                            .trim()
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                            .collect();
                        let it = it.trim_end_matches(':');
                        if !it.is_empty() && it != "self" {
                            out.push(if base.is_empty() {
                                it.to_string()
                            } else {
                                format!("{base}::{it}")
                            });
                        } else if it == "self" && !base.is_empty() {
                            out.push(base.clone());
                        }
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
        } else if !base.is_empty() {
            out.push(base);
        }
    }
    out
}

/// The modules a file names (`crate::…` and `super::…` paths), resolved to known modules.
fn deps(module: &str, code: &str, known: &BTreeMap<String, PathBuf>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let parent = module.rsplit_once("::").map_or("", |p| p.0);
    let resolve = |path: &str| -> Option<String> {
        let parts: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
        (1..=parts.len())
            .rev()
            .map(|n| parts[..n].join("::"))
            .find(|m| known.contains_key(m))
    };
    for p in paths_after(code, "crate::") {
        if let Some(m) = resolve(&p) {
            out.insert(m);
        }
    }
    for p in paths_after(code, "super::") {
        let full = if parent.is_empty() {
            p
        } else {
            format!("{parent}::{p}")
        };
        out.insert(resolve(&full).unwrap_or_else(|| parent.to_string()));
    }
    out.remove(module);
    out
}

#[test]
fn cli_stays_in_the_commands_no_command_calls_another_and_no_modules_import_each_other() {
    let src = repo_root().join("src");
    let known = modules(&src);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, path) in &known {
        let code = code_of(path);
        let in_commands = module == "commands" || module.starts_with("commands::");
        if code.contains("crate::cli") {
            assert!(
                in_commands || module.is_empty() || module == "cli",
                "{} reads the command line (crate::cli): only main.rs and commands/ may",
                path.display()
            );
        }
        if module.starts_with("commands::") && module != "commands::print" {
            for d in deps(module, &code, &known) {
                assert!(
                    !d.starts_with("commands::") || d == "commands::print",
                    "{} calls into another command ({d}): share it through the stage or commands/print.rs",
                    path.display()
                );
            }
        }
        graph.insert(module.clone(), deps(module, &code, &known));
    }
    // Sibling modules at every level (binder::front and binder::plan; binder and checks) may not
    // import each other in a circle. A module and its own children may (a parent's types, a
    // child's functions).
    let is_within = |a: &str, b: &str| b.is_empty() || a == b || a.starts_with(&format!("{b}::"));
    let mut lifted: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (a, ds) in &graph {
        for b in ds {
            if is_within(a, b) || is_within(b, a) {
                continue;
            }
            // Lift both to the children of their closest common ancestor.
            let pa: Vec<&str> = a.split("::").collect();
            let pb: Vec<&str> = b.split("::").collect();
            let common = pa.iter().zip(&pb).take_while(|(x, y)| x == y).count();
            let la = pa[..=common].join("::");
            let lb = pb[..=common].join("::");
            lifted.entry(la).or_default().insert(lb);
        }
    }
    // The graph is the real one (not empty because a path went unread).
    let edges: usize = graph.values().map(BTreeSet::len).sum();
    assert!(
        edges > 150 && lifted.len() > 15,
        "{edges} imports, {} lifted modules",
        lifted.len()
    );
    assert!(
        graph["binder::plan"].contains("binder::front") && graph["commands::check"].contains("case::story")
    );
    // Depth-first search for a circle.
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(n) {
            Some(1) => {
                let at = stack.iter().position(|s| s == n).unwrap_or(0);
                let mut c = stack[at..].to_vec();
                c.push(n.to_string());
                return Some(c);
            }
            Some(2) => return None,
            _ => {}
        }
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for m in g.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, g, state, stack) {
                return Some(c);
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in lifted.keys() {
        if let Some(circle) = visit(n, &lifted, &mut state, &mut Vec::new()) {
            panic!("modules import each other in a circle: {}", circle.join(" → "));
        }
    }
}
