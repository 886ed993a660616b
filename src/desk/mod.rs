//! An advocate's desk: the cases one person keeps, and every deadline across them.
//!
//! The list of cases is a small file in the user's configuration folder holding only paths:
//! nothing of any case is copied out of its folder. Each case is read without changing it (its
//! catalog opened for reading only, never scanned or migrated); a case that is missing, moved,
//! unreadable, damaged or from another version of casebinder is reported with its reason and
//! the others are still read.

use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;

use crate::case::Case;
use crate::case::settings::CaseSettings;
use crate::case::story::{self, CheckRequest};
use crate::catalog::Catalog;
use crate::checks::{Finding, Status};
use crate::error::user_error;

/// Where the list of cases lives: `CASEBINDER_CONFIG_DIR`, else the platform's configuration
/// folder (XDG on Linux, Application Support on macOS, %APPDATA% on Windows).
pub fn config_dir() -> Option<PathBuf> {
    let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(d) = var("CASEBINDER_CONFIG_DIR") {
        return Some(d);
    }
    if cfg!(windows) {
        return var("APPDATA").map(|d| d.join("casebinder"));
    }
    if cfg!(target_os = "macos") {
        return var("HOME").map(|h| h.join("Library/Application Support/casebinder"));
    }
    var("XDG_CONFIG_HOME")
        .or_else(|| var("HOME").map(|h| h.join(".config")))
        .map(|d| d.join("casebinder"))
}

/// The cases an advocate keeps: folders, in the order they were added, each with the label
/// the advocate chose for it (what a shared calendar shows instead of the child's name).
#[derive(Debug, Clone, PartialEq)]
pub struct Registry {
    pub file: PathBuf,
    pub cases: Vec<PathBuf>,
    pub labels: std::collections::BTreeMap<PathBuf, String>,
}

const HEADER: &str = "# The case folders casebinder's desk reads (one a line; a tab, then the label you chose, if any).\n# Only paths and labels: no case's data is kept here.\n";

impl Registry {
    /// The list, or an empty one when none was made yet.
    pub fn load() -> Result<Registry> {
        let dir = config_dir().ok_or_else(|| {
            user_error(
                "casebinder cannot tell where your configuration folder is (HOME is not set).",
                "Set HOME, or CASEBINDER_CONFIG_DIR to a folder of your own, and run the command again.",
            )
        })?;
        Registry::load_from(dir.join("cases"))
    }

    /// The list kept in `file`, or an empty one when there is no such file.
    pub fn load_from(file: PathBuf) -> Result<Registry> {
        let text = match std::fs::read_to_string(&file) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => {
                return Err(user_error(
                    format!("Could not read the list of cases {}: {e}", file.display()),
                    "Check that the file is readable by you.",
                ));
            }
        };
        let mut cases = Vec::new();
        let mut labels = std::collections::BTreeMap::new();
        for line in text
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        {
            let (path, label) = line.split_once('\t').unwrap_or((line, ""));
            let path = PathBuf::from(path.trim());
            if !label.trim().is_empty() {
                labels.insert(path.clone(), label.trim().to_string());
            }
            if !cases.contains(&path) {
                cases.push(path);
            }
        }
        Ok(Registry { file, cases, labels })
    }

    /// Writes the list (owner-only), replacing the file in one step.
    pub fn save(&self) -> Result<()> {
        let dir = self.file.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| {
            user_error(
                format!("Could not make the folder {}: {e}", dir.display()),
                "Check that your configuration folder is writable by you.",
            )
        })?;
        let mut text = String::from(HEADER);
        for c in &self.cases {
            text.push_str(&c.to_string_lossy());
            if let Some(l) = self.labels.get(c) {
                text.push('\t');
                text.push_str(l);
            }
            text.push('\n');
        }
        let tmp = self.file.with_extension("tmp");
        {
            use std::io::Write;
            let mut f = crate::case::create_private_file(&tmp).map_err(|e| {
                user_error(
                    format!("Could not write {}: {e}", tmp.display()),
                    "Check that your configuration folder is writable by you.",
                )
            })?;
            f.write_all(text.as_bytes())?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, &self.file)?;
        Ok(())
    }

    /// Adds a case folder (kept once); true when it was new.
    pub fn add(&mut self, root: PathBuf) -> bool {
        if self.cases.contains(&root) {
            return false;
        }
        self.cases.push(root);
        true
    }

    /// Removes a case folder (and its label); true when it was there.
    pub fn remove(&mut self, root: &Path) -> bool {
        let before = self.cases.len();
        self.cases.retain(|c| c != root);
        self.labels.remove(root);
        self.cases.len() != before
    }

    /// Names a case the advocate's way (initials, a file number), or clears its label.
    pub fn set_label(&mut self, root: &Path, label: Option<&str>) {
        match label.map(str::trim).filter(|l| !l.is_empty()) {
            Some(l) => {
                // One line a case: a label holds no line break or tab.
                let l: String = l.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
                self.labels.insert(root.to_path_buf(), l);
            }
            None => {
                self.labels.remove(root);
            }
        }
    }

    /// The label the advocate chose for a case, if any.
    pub fn label(&self, root: &Path) -> Option<&str> {
        self.labels.get(root).map(String::as_str)
    }
}

/// Every case on the desk with its catalog opened for reading (or why it could not be);
/// refused when the desk is empty.
pub fn open_all() -> Result<Vec<(PathBuf, Result<Catalog>)>> {
    let reg = Registry::load()?;
    if reg.cases.is_empty() {
        return Err(user_error(
            "No case on the desk yet",
            "Add the case folders first: casebinder cases add DIR… (or --under DIR).",
        ));
    }
    Ok(reg
        .cases
        .into_iter()
        .map(|root| {
            let catalog = Catalog::open_for_reading(&Case::at(root.clone()).catalog_path());
            (root, catalog)
        })
        .collect())
}

/// Case folders under `dir` (each folder holding a `.casebinder` catalog), in name order; a
/// case's own folders are not searched further.
pub fn cases_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut walk = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walk.next() {
        let Ok(entry) = entry else {
            continue;
        };
        if !entry.file_type().is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if entry.depth() > 0 && name.starts_with('.') {
            walk.skip_current_dir();
            continue;
        }
        if Case::at(entry.path().to_path_buf()).catalog_path().is_file() {
            out.push(entry.path().to_path_buf());
            walk.skip_current_dir();
        }
    }
    out
}

/// What the desk knows of one case.
#[derive(Debug, Clone, Serialize)]
pub struct CaseView {
    /// (Given beside it in `cases list --json`.)
    #[serde(skip)]
    pub path: String,
    /// The label the advocate chose for the case (`cases add DIR --label …`).
    pub label: Option<String>,
    pub student: Option<String>,
    pub state: Option<String>,
    pub documents: i64,
    /// When the case was last scanned (as recorded by the scan; none for a case last scanned
    /// by a casebinder older than the desk).
    pub last_scan: Option<String>,
    /// When its catalog was last written (a scan, a correction), from the file's time.
    pub catalog_written: Option<String>,
    pub violated: usize,
    /// Past a "without unnecessary delay" threshold, or resting on a date to confirm.
    pub flagged: usize,
    pub open: usize,
    /// The next deadline still open: its day and its rule.
    pub next_deadline: Option<NextDeadline>,
    /// Files in the folder that are new or changed since the last scan (found by their sizes and
    /// times, without reading them).
    pub unscanned_files: usize,
    #[serde(skip)]
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NextDeadline {
    pub due: NaiveDate,
    pub rule: String,
    pub title: String,
}

/// A case as the desk found it.
#[derive(Debug, Clone)]
pub enum Standing {
    Read(Box<CaseView>),
    /// Not read, and why (in words, with what to do).
    Unavailable {
        path: String,
        reason: String,
    },
}

impl Standing {
    pub fn path(&self) -> &str {
        match self {
            Standing::Read(v) => &v.path,
            Standing::Unavailable { path, .. } => path,
        }
    }
}

/// Reads one case without changing it, its deadlines judged as of `as_of` (with its own
/// state's rules, or `state`'s when given).
/// `count_unscanned`: look for files not yet scanned (`cases list`; the desk's deadlines need
/// none), `Some(true)` at every file, `Some(false)` by the folders' times first.
pub fn read_case(
    root: &Path,
    label: Option<&str>,
    as_of: NaiveDate,
    state: Option<&str>,
    count_unscanned: Option<bool>,
) -> Standing {
    let path = root.to_string_lossy().to_string();
    match read(root, as_of, state, count_unscanned) {
        Ok(mut v) => {
            v.label = label.map(str::to_string);
            Standing::Read(Box::new(v))
        }
        Err(e) => {
            let hint = crate::error::hint_of(&e)
                .map(|h| format!(" {h}"))
                .unwrap_or_default();
            Standing::Unavailable {
                path,
                reason: format!("{e}{hint}"),
            }
        }
    }
}

fn read(
    root: &Path,
    as_of: NaiveDate,
    state: Option<&str>,
    count_unscanned: Option<bool>,
) -> Result<CaseView> {
    if !root.is_dir() {
        return Err(user_error(
            format!(
                "the folder {} is not there (moved, renamed or on a disk not mounted)",
                root.display()
            ),
            "Mount the disk, or remove it from the desk: casebinder cases rm <DIR>.",
        ));
    }
    let case = Case::at(root.to_path_buf());
    let catalog_path = case.catalog_path();
    if let Err(e) = std::fs::read_dir(root) {
        return Err(user_error(
            format!(
                "the folder {} cannot be read ({})",
                root.display(),
                crate::scan::walk::io_reason(&e)
            ),
            "Check the folder's permissions (it may be locked, or another person's), or remove it from the desk: casebinder cases rm <DIR>.",
        ));
    }
    if !catalog_path.is_file() {
        return Err(user_error(
            format!("{} is not a case (no catalog)", root.display()),
            "Make it one with casebinder init and casebinder scan in that folder.",
        ));
    }
    let catalog = Catalog::open_for_reading(&catalog_path)?;
    let settings = CaseSettings::load(&catalog)?;
    let whole = story::whole_story(&catalog)?;
    let report = story::findings(
        &whole,
        &settings,
        &CheckRequest {
            as_of: Some(as_of),
            state,
            soft_days: None,
            hearing: None,
        },
    )?;
    let count = |s: &[Status]| report.findings.iter().filter(|f| s.contains(&f.status)).count();
    let next_deadline = report
        .findings
        .iter()
        .filter(|f| f.status == Status::Open)
        .filter_map(|f| f.due.map(|d| (d, f)))
        .min_by(|a, b| (a.0, &a.1.rule).cmp(&(b.0, &b.1.rule)))
        .map(|(due, f)| NextDeadline {
            due,
            rule: f.rule.clone(),
            title: f.title.clone(),
        });
    let catalog_written = ["", "-wal"]
        .iter()
        .filter_map(|s| std::fs::metadata(format!("{}{s}", catalog_path.display())).ok())
        .filter_map(|m| m.modified().ok())
        .max()
        .map(|t| {
            chrono::DateTime::<chrono::Utc>::from(t)
                .format("%Y-%m-%d %H:%M UTC")
                .to_string()
        });
    Ok(CaseView {
        path: root.to_string_lossy().to_string(),
        label: None,
        student: settings.student.clone(),
        state: settings.state.clone(),
        documents: catalog.count_documents()?,
        last_scan: catalog.last_scan()?,
        catalog_written,
        violated: count(&[Status::Violated]),
        flagged: count(&[Status::Soft, Status::Unsure]),
        open: count(&[Status::Open]),
        next_deadline,
        unscanned_files: if let Some(every_file) = count_unscanned {
            unscanned(&case, &catalog, every_file)?
        } else {
            0
        },
        findings: report.findings,
    })
}

/// Files new or changed since the last scan, by their sizes and times (as a no-op rescan finds
/// them), and files the catalog knows that are gone. Unless `every_file`, the folders the last
/// scan read are looked at first: when none has changed its time, no file was added, removed or
/// renamed in any of them (a folder's time moves with each), and no file is looked at; a file
/// rewritten in place under its old name is then left to `cases list --files` and the next scan.
fn unscanned(case: &Case, catalog: &Catalog, every_file: bool) -> Result<usize> {
    if !every_file {
        let folders = catalog.folder_times()?;
        let unchanged = !folders.is_empty()
            && folders.iter().all(|(rel, then)| {
                then.is_some_and(|t| {
                    std::fs::metadata(case.root.join(rel))
                        .is_ok_and(|m| m.is_dir() && crate::scan::walk::mtime_ns(&m) == t)
                })
            });
        if unchanged {
            return Ok(0);
        }
    }
    let walked = crate::scan::walk::walk_on(&case.root, &std::collections::HashSet::new(), false, 1);
    let walked = crate::scan::walk::without_outputs(walked, &catalog.output_paths()?);
    let states = catalog.file_states()?;
    let mut seen = std::collections::HashSet::new();
    let mut changed = 0;
    for f in &walked.files {
        seen.insert(f.rel.as_str());
        match states.get(&f.rel) {
            Some(s) if !s.missing && s.size == f.size as i64 && s.mtime_ns == f.mtime_ns => {}
            _ => changed += 1,
        }
    }
    changed += states
        .iter()
        .filter(|(p, s)| !s.missing && !seen.contains(p.as_str()))
        .count();
    Ok(changed)
}

/// One deadline on the desk.
#[derive(Debug, Clone, Serialize)]
pub struct DeskRow {
    pub case: String,
    /// The label the advocate chose for the case.
    pub label: Option<String>,
    pub student: Option<String>,
    pub state: Option<String>,
    pub rule: String,
    pub title: String,
    pub citation: String,
    pub status: String,
    pub due: NaiveDate,
    /// Days from the as-of day to the due day (negative: past it).
    pub days_left: i64,
    pub days_late: Option<i64>,
    /// The command that shows it in its case.
    pub show: String,
}

/// Every missed and open deadline across the cases read, in date order (then case, then rule):
/// those due within `within` days of `as_of` when given (missed ones always). The family's
/// filing windows are listed while they are open.
pub fn deadlines(views: &[&CaseView], as_of: NaiveDate, within: Option<i64>) -> Vec<DeskRow> {
    let mut rows: Vec<DeskRow> = views
        .iter()
        .flat_map(|v| {
            v.findings
                .iter()
                .filter(|f| f.status != Status::Met)
                .filter_map(move |f| f.due.map(|due| (v, f, due)))
        })
        // A filing window that has closed is no deadline left to meet.
        .filter(|(_, f, due)| !(f.rule.ends_with("_window") && *due < as_of))
        .filter(|(_, f, due)| {
            f.status == Status::Violated || within.is_none_or(|w| (*due - as_of).num_days() <= w)
        })
        .map(|(v, f, due)| DeskRow {
            case: v.path.clone(),
            label: v.label.clone(),
            student: v.student.clone(),
            state: v.state.clone(),
            rule: f.rule.clone(),
            title: f.title.clone(),
            citation: f.citation.clone(),
            status: f.status.as_str().to_string(),
            due,
            days_left: (due - as_of).num_days(),
            days_late: f.days_late,
            show: format!("casebinder --case {} check --as-of {as_of}", shell_quote(&v.path)),
        })
        .collect();
    rows.sort_by(|a, b| (a.due, &a.case, &a.rule, &a.title).cmp(&(b.due, &b.case, &b.rule, &b.title)));
    rows
}

/// A path as a shell word: as it is when it is plain, else in single quotes.
fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:@".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_quoted_for_the_shell_only_when_it_needs_it() {
        assert_eq!(shell_quote("/home/a/cases/lee"), "/home/a/cases/lee");
        assert_eq!(shell_quote("/home/a/O'Neil case"), "'/home/a/O'\\''Neil case'");
    }

    #[test]
    fn the_list_keeps_each_case_once_in_the_order_added() {
        let mut r = Registry {
            file: PathBuf::from("/x/cases"),
            cases: Vec::new(),
            labels: Default::default(),
        };
        assert!(r.add(PathBuf::from("/a")));
        assert!(r.add(PathBuf::from("/b")));
        assert!(!r.add(PathBuf::from("/a")));
        assert_eq!(r.cases, [PathBuf::from("/a"), PathBuf::from("/b")]);
        assert!(r.remove(Path::new("/a")));
        assert!(!r.remove(Path::new("/a")));
        assert_eq!(r.cases, [PathBuf::from("/b")]);
    }

    #[test]
    fn a_label_is_kept_beside_its_path_and_goes_with_it() {
        let dir = std::env::temp_dir().join(format!("casebinder-desk-{}", std::process::id()));
        let mut r = Registry {
            file: dir.join("cases"),
            cases: Vec::new(),
            labels: Default::default(),
        };
        r.add(PathBuf::from("/a/lee family"));
        r.add(PathBuf::from("/a/ortiz"));
        r.set_label(Path::new("/a/lee family"), Some("J.L.\t(file 12)\n"));
        r.save().unwrap();
        let back = Registry::load_from(dir.join("cases")).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(back.cases, r.cases);
        assert_eq!(back.label(Path::new("/a/lee family")), Some("J.L. (file 12)"));
        assert_eq!(back.label(Path::new("/a/ortiz")), None);
        let mut back = back;
        back.remove(Path::new("/a/lee family"));
        assert!(back.labels.is_empty());
    }
}
