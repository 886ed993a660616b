//! The scan: from a case folder to an up-to-date catalog, never touching a source file.
//!
//! Walk (cheap, sorted) → skip files whose size and mtime are unchanged → read, hash and extract
//! the rest in parallel on all cores → write each batch in one transaction from this thread only →
//! mark what moved or went missing. Batches are written in path order, so an interrupted scan
//! followed by a new one leaves exactly the catalog an uninterrupted scan would have.

pub mod walk;

use std::collections::{BTreeMap, HashSet};
use std::fs::{self, File};
use std::io::{IsTerminal, Read};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::case::Case;
use crate::catalog::{Catalog, ClassifyJob, FileRecord, FileState, FileStream};
use crate::classify::{self, Classification, Input as ClassifyInput, Settings as ClassifySettings};
use crate::error::user_error;
use crate::extract::tools::extractor_version;
use crate::extract::{self, Extracted, Format, Item, Origin, Status};
use walk::Found;

/// Files larger than this are hashed (streaming) but not read for text.
pub const MAX_READ_BYTES: u64 = 512 * 1024 * 1024;

/// How a scan runs.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Files per transaction, at most.
    pub batch_files: usize,
    /// Bytes per transaction, about.
    pub batch_bytes: u64,
    /// Draw a progress bar (only ever on a terminal).
    pub progress: bool,
    /// Follow links that lead outside the case folder.
    pub follow_links: bool,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            batch_files: 64,
            batch_bytes: 64 * 1024 * 1024,
            progress: true,
            follow_links: false,
        }
    }
}

/// A file or document that could not be fully read.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub path: String,
    pub status: String,
    pub reason: String,
}

/// What a scan did, for people (a table) and programs (`scan --json`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScanSummary {
    pub files_seen: u64,
    pub new: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub moved: u64,
    pub missing: u64,
    pub skipped: u64,
    pub failed: u64,
    pub bytes_read: u64,
    /// Documents in the catalog now (files, messages, attachments; present ones).
    pub documents: i64,
    /// New documents created by this scan.
    pub new_documents: u64,
    pub skipped_reasons: BTreeMap<String, u64>,
    pub failures: Vec<Failure>,
    pub warnings: Vec<String>,
    /// Documents (re)classified by this scan.
    pub classified: u64,
    /// Files re-saved in place whose corrections, tags and notes moved to the new version.
    pub resaved: Vec<String>,
    /// Folders that became cases of their own, with how many of this case's files in each are
    /// kept as they were last read.
    pub nested_kept: Vec<(String, u64)>,
    /// Seconds spent reading files (hash, text, OCR) and writing them, and classifying.
    pub read_seconds: f64,
    pub classify_seconds: f64,
}

enum Outcome {
    Read {
        record: FileRecord,
        prev: Option<FileState>,
    },
    Touched {
        rel: String,
        mtime_ns: i64,
        size: u64,
    },
    Failed {
        rel: String,
        reason: String,
        bytes: u64,
    },
}

/// What a reading thread sends the writing one.
enum Sent {
    /// Documents of file `i` read so far (a new mailbox, read as a stream): written now.
    Part(usize, Vec<Item>),
    /// File `i` is read.
    Done(usize, Outcome),
}

/// Writes the files read so far, in one transaction.
fn flush(
    catalog: &mut Catalog,
    ready: &mut Vec<Outcome>,
    summary: &mut ScanSummary,
    new_files: &mut u64,
) -> Result<()> {
    if ready.is_empty() {
        return Ok(());
    }
    let (records, touched) = tally(std::mem::take(ready), summary, new_files);
    summary.new_documents += catalog.write_batch(&records, &touched)?;
    Ok(())
}

/// Holds the case's scan lock; a second scan waits for it.
pub struct ScanLock {
    _file: File,
}

/// Takes the case's scan lock; says whether it had to wait for another scan (or a binder).
pub fn lock(case: &Case) -> Result<(ScanLock, bool)> {
    let path = case.private_dir().join("scan.lock");
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("could not open the lock file {}", path.display()))?;
    let mut waited = false;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            waited = true;
            eprintln!(
                "Another casebinder scan or binder is working on this case; waiting for it to finish (Ctrl-C to stop waiting)…"
            );
            file.lock()
                .with_context(|| format!("could not lock {}", path.display()))?;
        }
        Err(fs::TryLockError::Error(e)) => {
            return Err(e).with_context(|| format!("could not lock {}", path.display()));
        }
    }
    Ok((ScanLock { _file: file }, waited))
}

/// Takes the scan lock shared, for a command that reads every document whole (the binder): it
/// waits, saying so, while a scan is changing the catalog, and scans wait for it. `None` when
/// the case's private folder cannot be written (a read-only case, where no scan can run either).
pub fn lock_shared(case: &Case, what: &str) -> Result<Option<ScanLock>> {
    let path = case.private_dir().join("scan.lock");
    let Ok(file) = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .or_else(|_| fs::File::open(&path))
    else {
        return Ok(None);
    };
    match file.try_lock_shared() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            eprintln!(
                "A scan is running on this case; the {what} waits for it to finish so every document is read whole (Ctrl-C to stop waiting)…"
            );
            file.lock_shared()
                .with_context(|| format!("could not lock {}", path.display()))?;
        }
        Err(fs::TryLockError::Error(e)) => {
            return Err(e).with_context(|| format!("could not lock {}", path.display()));
        }
    }
    Ok(Some(ScanLock { _file: file }))
}

/// A walk of the case folder, started before the catalog is opened (a no-op rescan is mostly
/// the walk: it need not wait for the catalog). Files casebinder itself wrote (which the catalog
/// lists) are taken out of it afterwards.
pub struct Walking(std::thread::JoinHandle<walk::Walk>);

impl Walking {
    pub fn start(case: &Case, follow_links: bool) -> Walking {
        let root = case.root.clone();
        Walking(std::thread::spawn(move || {
            walk::walk(&root, &HashSet::new(), follow_links)
        }))
    }
}

/// Scans the case into its catalog.
pub fn scan(case: &Case, catalog: &mut Catalog, opts: &ScanOptions) -> Result<ScanSummary> {
    scan_walking(case, catalog, opts, Walking::start(case, opts.follow_links))
}

/// Scans the case into its catalog, with a walk of its folder already started.
pub fn scan_walking(
    case: &Case,
    catalog: &mut Catalog,
    opts: &ScanOptions,
    walking: Walking,
) -> Result<ScanSummary> {
    let (_lock, waited) = lock(case)?;
    let started = Instant::now();
    let outputs = catalog.output_paths()?;
    // The folder is walked while the catalog says what it knew: one waits on the disk, the
    // other on SQLite. A walk made while another scan held the case is made again.
    let states = catalog.file_states()?;
    let walking = if waited {
        Walking::start(case, opts.follow_links)
    } else {
        walking
    };
    let walked = walking
        .0
        .join()
        .map_err(|_| anyhow::anyhow!("the walk of the case folder stopped unexpectedly"))?;
    let walked = walk::without_outputs(walked, &outputs);
    let (folders, walk_started) = (walked.folders.clone(), walked.started_ns);
    crate::failpoint::pause("scan-after-walk");

    let mut summary = ScanSummary {
        skipped_reasons: walked.skipped.clone(),
        skipped: walked.skipped.values().sum(),
        files_seen: walked.files.len() as u64,
        ..ScanSummary::default()
    };
    summary.warnings.extend(walked.ignore_warning.clone());
    for p in &walked.problems {
        summary.failures.push(Failure {
            path: p.path.clone(),
            status: "unreadable".into(),
            reason: p.reason.clone(),
        });
    }

    let mut todo: Vec<(&Found, Option<FileState>)> = Vec::new();
    let mut present_found = 0usize;
    for f in &walked.files {
        let state = states.get(&f.rel);
        present_found += usize::from(state.is_some_and(|s| !s.missing));
        match state {
            Some(s)
                if !s.missing
                    && s.size == f.size as i64
                    && s.mtime_ns == f.mtime_ns
                    && s.extractor_version >= extractor_version() =>
            {
                summary.unchanged += 1;
            }
            other => {
                let mut prev = other.cloned();
                if let Some(p) = prev.as_mut() {
                    p.sha256 = catalog.file_sha256(&f.rel)?;
                }
                todo.push((f, prev));
            }
        }
    }
    // Every file the catalog knew as present was found again, unchanged, and nothing new: the
    // catalog is already right (a no-op rescan ends here, reading nothing more).
    let present_before = states.values().filter(|s| !s.missing).count();
    let no_op = todo.is_empty() && walked.problems.is_empty() && present_found == present_before;

    if !todo.is_empty() {
        catalog.prepare_for_bulk_writes()?;
    }
    // A new file's documents are classified where they are read, on every core, and stored
    // classified as they are created; what is left (or met again) is classified after the scan.
    let settings = crate::case::settings::CaseSettings::load(catalog)?.classify();
    catalog.begin_classified_writes(&settings.stamp());
    let total: u64 = todo.iter().map(|(f, _)| f.size).sum();
    let bar = progress_bar(opts.progress && !todo.is_empty(), total);
    let mut new_files = 0u64;
    // Worker threads take files in turn and send what they read; this thread alone writes,
    // in path order, one transaction per run of `batch_files` files. Document ids therefore
    // never depend on timing, and a kill leaves a prefix of the work done.
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(todo.len().max(1));
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Sent>(opts.batch_files.max(1) * 2);
    let written: Result<()> = if todo.is_empty() {
        Ok(())
    } else {
        std::thread::scope(|scope| {
            for _ in 0..workers {
                let sender = sender.clone();
                let (next, todo, bar, settings) = (&next, &todo, &bar, &settings);
                scope.spawn(move || {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some((f, prev)) = todo.get(i) else { break };
                        let part = |items: Vec<Item>| {
                            let _ = sender.send(Sent::Part(i, items));
                        };
                        let abs = f.path(&case.root);
                        let outcome = read_one(f, &abs, prev.as_ref(), &part, settings);
                        bar.inc(f.size);
                        if sender.send(Sent::Done(i, outcome)).is_err() {
                            break; // the writer stopped on an error
                        }
                    }
                });
            }
            drop(sender);
            let mut pending: BTreeMap<usize, Outcome> = BTreeMap::new();
            let mut parts: BTreeMap<usize, Vec<Vec<Item>>> = BTreeMap::new();
            // The file at `head` while it is written part by part, with what its parts held.
            let mut stream: Option<(FileStream, u64, Vec<Failure>)> = None;
            let mut ready: Vec<Outcome> = Vec::new();
            let mut ready_bytes = 0u64;
            let mut head = 0usize;
            for sent in receiver {
                match sent {
                    Sent::Part(i, items) => parts.entry(i).or_default().push(items),
                    Sent::Done(i, outcome) => {
                        pending.insert(i, outcome);
                    }
                }
                loop {
                    if let Some(list) = parts.remove(&head) {
                        if stream.is_none() {
                            // Files before it are written first: the order stays the path order.
                            flush(catalog, &mut ready, &mut summary, &mut new_files)?;
                            ready_bytes = 0;
                            let s = catalog.begin_file_stream(&todo[head].0.rel, extractor_version())?;
                            stream = Some((s, 0, Vec::new()));
                        }
                        if let Some((s, new_docs, failures)) = stream.as_mut() {
                            for items in list {
                                item_failures(&items, failures);
                                *new_docs += catalog.write_file_part(s, &items)?;
                            }
                        }
                    }
                    let Some(o) = pending.remove(&head) else { break };
                    head += 1;
                    if let Some((s, new_docs, failures)) = stream.take() {
                        let record = match &o {
                            Outcome::Read { record, .. } => Some(record),
                            _ => None,
                        };
                        let last = catalog.finish_file_stream(s, record)?;
                        if record.is_some() {
                            summary.new_documents += new_docs + last;
                            summary.failures.extend(failures);
                        }
                        // The counts (and the last part's failures); its documents are written.
                        let _ = tally(vec![o], &mut summary, &mut new_files);
                        continue;
                    }
                    ready_bytes += todo[head - 1].0.size;
                    ready.push(o);
                    if ready.len() >= opts.batch_files.max(1) || ready_bytes >= opts.batch_bytes {
                        flush(catalog, &mut ready, &mut summary, &mut new_files)?;
                        ready_bytes = 0;
                    }
                }
            }
            if let Some((s, _, _)) = stream.take() {
                catalog.finish_file_stream(s, None)?;
            }
            flush(catalog, &mut ready, &mut summary, &mut new_files)?;
            Ok(())
        })
    };
    catalog.end_classified_writes();
    written?;
    bar.finish_and_clear();

    let finish = if no_op {
        Default::default()
    } else {
        let mut seen: HashSet<&str> = HashSet::with_capacity(walked.files.len());
        seen.extend(walked.files.iter().map(|f| f.rel.as_str()));
        for p in &walked.problems {
            // A folder we cannot enter still holds what we knew: keep its files out of "missing".
            let prefix = format!("{}/", p.path);
            seen.extend(
                states
                    .keys()
                    .filter(|k| k.starts_with(&prefix) || **k == p.path)
                    .map(String::as_str),
            );
        }
        // A folder that became a case of its own still holds this case's documents: they stay
        // as they were last read, never "gone".
        for nested in &walked.nested_cases {
            let prefix = format!("{nested}/");
            let kept: Vec<&str> = states
                .keys()
                .filter(|k| k.starts_with(&prefix))
                .map(String::as_str)
                .collect();
            if !kept.is_empty() {
                summary.nested_kept.push((nested.clone(), kept.len() as u64));
            }
            seen.extend(kept);
        }
        catalog.finish_scan(&seen, !todo.is_empty())?
    };
    summary.read_seconds = round3(started.elapsed().as_secs_f64());
    let classify_start = Instant::now();
    summary.classified = classify_pending(catalog)?;
    summary.classify_seconds = round3(classify_start.elapsed().as_secs_f64());
    summary.moved = finish.moved;
    summary.missing = finish.missing;
    summary.resaved = catalog.take_resaved();
    for (path, lost) in catalog.take_shrunk() {
        summary.warnings.push(format!(
            "{path} holds {lost} message(s) fewer than at the last scan (was it cut short by a copy, or pruned?): what you said about them is kept and comes back with them; if the mailbox was cut short, copy it again and scan."
        ));
    }
    summary.new = new_files.saturating_sub(finish.moved);
    summary.failed = summary.failures.len() as u64;
    summary.documents = catalog.count_documents()?;
    catalog.record_scan(&crate::clock::utc_minute(), summary.files_seen, summary.documents)?;
    // The folders as this scan read them, for the desk. A folder changed just before the walk
    // began vouches for nothing: a file's time is coarse, and a change made as the folder was
    // read may leave its time as it was. How coarse shows in the time itself: whole seconds
    // (FAT, HFS+, ext3: two seconds at most), else a tick of the system's coarse clock (Linux:
    // 10 ms at most; NTFS, APFS finer), kept clear of by a tenth of a second.
    let vouched: Vec<(String, Option<i64>)> = folders
        .iter()
        .map(|(rel, t)| {
            let coarse = if t % 1_000_000_000 == 0 {
                2_000_000_000
            } else {
                100_000_000
            };
            (rel.clone(), (*t < walk_started - coarse).then_some(*t))
        })
        .collect();
    if catalog.folder_times()? != vouched {
        catalog.record_folder_times(&vouched)?;
    }
    // The story as this scan leaves it, kept for the desk.
    crate::case::story::whole_story_kept(catalog)?;
    // The catalog lives in a folder a person can delete while the scan runs: then nothing was
    // kept, and saying "scanned" would be false.
    if !case.catalog_path().is_file() {
        return Err(user_error(
            format!(
                "The case's catalog {} disappeared while the scan ran (was the .casebinder folder deleted?); nothing was kept.",
                case.catalog_path().display()
            ),
            "If a backup exists, bring it back with casebinder restore FILE --yes; else make the case again: casebinder init, then casebinder scan.",
        ));
    }
    // What the walk and the catalog's file list hold (a few small allocations per file) is
    // freed on another thread: the answer does not wait for tens of thousands of frees.
    drop(todo);
    let garbage = (walked, states);
    let _ = std::thread::Builder::new().spawn(move || drop(garbage));
    Ok(summary)
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Classifies every document whose classification is missing or was made under other rules or
/// case settings, on all cores. Returns how many were classified.
///
/// Groups of documents are loaded from the catalog in turn; while one group is classified on
/// the worker threads, this thread stores what the group before it gave, in transactions of a
/// few thousand documents (a transaction per small group rewrote the same index pages again and
/// again).
pub fn classify_pending(catalog: &mut Catalog) -> Result<u64> {
    /// Documents loaded at a time (their pages are in memory while they are classified).
    const GROUP: usize = 512;
    /// Classifications stored per transaction, about.
    const STORE: usize = 8192;
    let settings = crate::case::settings::CaseSettings::load(catalog)?.classify();
    let stamp = settings.stamp();
    let ids = catalog.pending_classification(&stamp)?;
    if ids.is_empty() {
        return Ok(0);
    }
    catalog.prepare_for_bulk_writes()?;
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    type Done = Vec<(i64, String, Classification)>;
    std::thread::scope(|scope| -> Result<()> {
        let settings = &settings;
        let spawn = |jobs: Vec<ClassifyJob>| {
            let per = jobs.len().div_ceil(workers).max(1);
            let mut handles = Vec::new();
            let mut jobs = jobs.into_iter().peekable();
            while jobs.peek().is_some() {
                let slice: Vec<ClassifyJob> = jobs.by_ref().take(per).collect();
                handles.push(scope.spawn(move || {
                    slice
                        .iter()
                        .map(|job| classify_one(job, settings))
                        .collect::<Done>()
                }));
            }
            handles
        };
        let join = |handles: Vec<std::thread::ScopedJoinHandle<'_, Done>>, into: &mut Done| {
            for h in handles {
                into.extend(h.join().unwrap_or_default());
            }
        };
        let mut done: Done = Vec::new();
        let mut running = None;
        for group in ids.chunks(GROUP) {
            let jobs = catalog.classify_jobs(group)?;
            let next = spawn(jobs);
            if let Some(handles) = running.replace(next) {
                join(handles, &mut done);
            }
            if done.len() >= STORE {
                catalog.store_classifications(&done, &stamp)?;
                done.clear();
            }
        }
        if let Some(handles) = running.take() {
            join(handles, &mut done);
        }
        if !done.is_empty() {
            catalog.store_classifications(&done, &stamp)?;
        }
        Ok(())
    })?;
    Ok(ids.len() as u64)
}

/// Classifies a new file's documents where they were read, with what the classification after
/// the scan would read back from the catalog for them (the same metadata, page layouts as the
/// catalog keeps them, the date of the email that carries an attachment, the name of its place).
fn classify_items(items: &mut [Item], settings: &ClassifySettings) {
    let email_dates: Vec<Option<chrono::NaiveDate>> = items
        .iter()
        .map(|item| match &item.extracted.email {
            Some(m) if item.extracted.format == Format::Email => {
                m.date.as_deref().and_then(|d| crate::day::parse(d).ok())
            }
            _ => None,
        })
        .collect();
    for item in items.iter_mut() {
        let parent_email_date = item.parent.and_then(|p| email_dates.get(p).copied().flatten());
        let e = &item.extracted;
        let Ok(meta) = crate::catalog::document_meta(e)
            .and_then(|m| serde_json::from_str::<serde_json::Value>(&m.to_string()).map_err(Into::into))
        else {
            continue; // left to the classification after the scan
        };
        let layout: Vec<Option<crate::layout::PageLayout>> = (0..e.pages.len())
            .map(|p| {
                e.layout
                    .get(p)
                    .and_then(Option::as_ref)
                    .and_then(|l| crate::layout::PageLayout::decode(&l.encode()))
            })
            .collect();
        let leaf = item.locator.rsplit("::").next().unwrap_or(&item.locator);
        let job = ClassifyJob {
            id: 0,
            sha256: String::new(),
            format: e.format.as_str().to_string(),
            ocr: e.ocr,
            meta,
            file_name: leaf.rsplit('/').next().unwrap_or(leaf).to_string(),
            parent_email_date,
            pages: e.pages.clone(),
            layout,
        };
        let (_, _, c) = classify_one(&job, settings);
        item.classified = Some(Box::new(c));
    }
}

fn classify_one(job: &ClassifyJob, settings: &ClassifySettings) -> (i64, String, Classification) {
    let input = ClassifyInput {
        format: &job.format,
        pages: &job.pages,
        layout: &job.layout,
        ocr: job.ocr,
        file_name: &job.file_name,
        meta: &job.meta,
        parent_email_date: job.parent_email_date,
    };
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        crate::panic_guard::quietly(|| classify::classify(&input, settings))
    }));
    let c = result.unwrap_or_else(|_| Classification {
        kind: "other".into(),
        date_why: "the rules could not read this document".into(),
        ..Classification::default()
    });
    (job.id, job.sha256.clone(), c)
}

/// Counts what a batch did and splits it into what the catalog must write.
fn tally(
    outcomes: Vec<Outcome>,
    summary: &mut ScanSummary,
    new_files: &mut u64,
) -> (Vec<FileRecord>, Vec<(String, i64)>) {
    let mut records = Vec::new();
    let mut touched = Vec::new();
    for outcome in outcomes {
        match outcome {
            Outcome::Read { record, prev } => {
                summary.bytes_read += record.size;
                match &prev {
                    Some(p) if !p.missing && p.sha256 != record.sha256 => summary.changed += 1,
                    Some(p) if !p.missing => summary.unchanged += 1,
                    _ => *new_files += 1,
                }
                item_failures(&record.items, &mut summary.failures);
                records.push(record);
            }
            Outcome::Touched { rel, mtime_ns, size } => {
                summary.bytes_read += size;
                summary.unchanged += 1;
                touched.push((rel, mtime_ns));
            }
            Outcome::Failed { rel, reason, bytes } => {
                summary.bytes_read += bytes;
                summary.failures.push(Failure {
                    path: rel,
                    status: "unreadable".into(),
                    reason,
                });
            }
        }
    }
    (records, touched)
}

/// The documents that could not be read, as the summary lists them.
fn item_failures(items: &[Item], out: &mut Vec<Failure>) {
    for item in items {
        if item.extracted.status != Status::Ok {
            out.push(Failure {
                path: item.locator.clone(),
                status: item.extracted.status.as_str().into(),
                reason: item.extracted.reason.clone().unwrap_or_default(),
            });
        } else if let Some(why) = ["ocr_incomplete", "read_in_part"]
            .iter()
            .find_map(|k| item.extracted.meta.get(*k).and_then(|v| v.as_str()))
        {
            // Catalogued, but only in part: the family hears of it like a file not read.
            out.push(Failure {
                path: item.locator.clone(),
                status: "partly read".into(),
                reason: why.to_string(),
            });
        }
    }
}

fn progress_bar(show: bool, total: u64) -> ProgressBar {
    if !show || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("Reading {bar:30} {decimal_bytes}/{decimal_total_bytes} ({eta} left)")
    {
        bar.set_style(style);
    }
    bar
}

fn failed(f: &Found, reason: String, bytes: u64) -> Outcome {
    Outcome::Failed {
        rel: f.rel.clone(),
        reason,
        bytes,
    }
}

fn read_ok(f: &Found, prev: Option<&FileState>, sha256: String, items: Vec<Item>) -> Outcome {
    Outcome::Read {
        record: FileRecord {
            path: f.rel.clone(),
            size: f.size,
            mtime_ns: f.mtime_ns,
            sha256,
            items,
            extractor_version: extractor_version(),
        },
        prev: prev.cloned(),
    }
}

/// Documents of a new mailbox written at a time while the rest of it is read.
const STREAM_PART_DOCUMENTS: usize = 512;

/// Mailboxes larger than this are read as a stream, one message at a time.
pub const MBOX_STREAM_BYTES: u64 = 64 * 1024 * 1024;

/// True when the file starts like an mbox (a `From ` separator line).
fn starts_like_mbox(path: &std::path::Path) -> bool {
    let mut head = [0u8; 5];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| extract::mbox::looks_like_mbox(&head))
}

/// A file whose date changed but whose content did not (and was read by this extractor): only
/// its date is recorded.
fn unchanged_content(f: &Found, prev: Option<&FileState>, sha: &str) -> Option<Outcome> {
    let p = prev?;
    (!p.missing && p.sha256 == sha && p.extractor_version >= extractor_version()).then(|| Outcome::Touched {
        rel: f.rel.clone(),
        mtime_ns: f.mtime_ns,
        size: f.size,
    })
}

/// Reads one file. `part` takes the documents of a new large mailbox as they are read (they
/// are written while the rest is read); every other file's come back in the outcome.
fn read_one(
    f: &Found,
    abs: &Path,
    prev: Option<&FileState>,
    part: &dyn Fn(Vec<Item>),
    settings: &ClassifySettings,
) -> Outcome {
    if f.size > MBOX_STREAM_BYTES && starts_like_mbox(abs) {
        return read_mbox_stream(f, abs, prev, part, settings);
    }
    if f.size > MAX_READ_BYTES {
        return read_huge(f, abs, prev);
    }
    let bytes = match open_found(abs, f).and_then(|mut file| {
        let mut b = Vec::with_capacity(f.size as usize);
        file.read_to_end(&mut b).map(|_| b)
    }) {
        Ok(b) => b,
        Err(err) => {
            return failed(f, walk::io_reason(&err), 0);
        }
    };
    if let Some(reason) = changed_while_reading(abs, f, bytes.len() as u64) {
        return failed(f, reason, bytes.len() as u64);
    }
    let sha = extract::sha256_hex(&bytes);
    if let Some(touched) = unchanged_content(f, prev, &sha) {
        return touched;
    }
    let mut items = extract::extract_file(&f.rel, &bytes);
    if prev.is_none() {
        classify_items(&mut items, settings);
    }
    read_ok(f, prev, sha, items)
}

/// A large mailbox (a Gmail Takeout "All mail" export of several gigabytes): read as a stream,
/// each message extracted as it comes; memory holds one message at a time plus what was read
/// from the messages so far.
///
/// The file's own hash (the catalog's `files.sha256`, which says whether a touched file changed
/// and whether a vanished one moved) is, for such a mailbox, a fingerprint of its documents
/// ([`MailboxFingerprint`]), not the SHA-256 of its bytes: every message and attachment is
/// hashed already, and hashing gigabytes a second time was a third of the CPU such a scan took.
fn read_mbox_stream(
    f: &Found,
    abs: &Path,
    prev: Option<&FileState>,
    part: &dyn Fn(Vec<Item>),
    settings: &ClassifySettings,
) -> Outcome {
    let file = match open_found(abs, f) {
        Ok(file) => file,
        Err(err) => return failed(f, walk::io_reason(&err), 0),
    };
    let reader = std::io::BufReader::with_capacity(1 << 20, file);
    let mut fingerprint = MailboxFingerprint::new(&f.rel);
    let mut split = extract::mbox::StreamSplitter::new(reader);
    // Messages are split here, in order, and extracted on every core as they come.
    let mut index = 0u32;
    let mut broken: Option<std::io::Error> = None;
    // A mailbox the catalog does not know yet is written as it is read, a few hundred documents
    // at a time; one it knows keeps its documents until its content is known to have changed.
    let stream = prev.is_none();
    let mut items: Vec<Item> = Vec::new();
    let mut base = 0usize;
    extract::fan_out_each(
        || match split.next_message() {
            Ok(Some(message)) => {
                index += 1;
                Some((index - 1, message))
            }
            Ok(None) => None,
            Err(err) => {
                broken = Some(err);
                None
            }
        },
        |(index, message)| {
            let mut items = Vec::new();
            extract::extract_mbox_message(&mut items, &f.rel, index, &message);
            if stream {
                classify_items(&mut items, settings);
            }
            items
        },
        |mut message_items: Vec<Item>| {
            // An attachment's parent indexes its message's list: moved to the whole file's.
            for item in &mut message_items {
                fingerprint.add(item);
                item.parent = item.parent.map(|p| p + base);
            }
            base += message_items.len();
            items.append(&mut message_items);
            if stream && items.len() >= STREAM_PART_DOCUMENTS {
                part(std::mem::take(&mut items));
            }
        },
    );
    if let Some(err) = broken {
        return failed(f, walk::io_reason(&err), split.position());
    }
    let read = split.position();
    if let Some(reason) = changed_while_reading(abs, f, read) {
        return failed(f, reason, read);
    }
    let sha = fingerprint.finish();
    if let Some(touched) = unchanged_content(f, prev, &sha) {
        return touched;
    }
    read_ok(f, prev, sha, items)
}

/// What a mailbox read as a stream holds, as the catalog keeps it, in one SHA-256: each document
/// in order with its hash, its place in the file (message number, byte offset and length), its
/// name under its message and the document that carries it. Two mailboxes with the same
/// fingerprint give the same documents at the same places (so a touched mailbox with the same
/// fingerprint is unchanged, and one found under another name moved); bytes the documents do
/// not come from (before the first message) change nothing the catalog holds. The prefix keeps
/// a fingerprint from ever equalling a file's own SHA-256.
struct MailboxFingerprint<'a> {
    rel: &'a str,
    hasher: Sha256,
}

impl<'a> MailboxFingerprint<'a> {
    fn new(rel: &'a str) -> MailboxFingerprint<'a> {
        let mut hasher = Sha256::new();
        hasher.update(b"casebinder mailbox fingerprint 1\n");
        MailboxFingerprint { rel, hasher }
    }

    /// One document of the mailbox, in file order (`parent` as its message's list gives it).
    fn add(&mut self, item: &Item) {
        let (index, offset, len) = match item.origin {
            extract::Origin::MboxMessage { index, offset, len } => {
                (i64::from(index), offset as i64, len as i64)
            }
            _ => (-1, -1, -1),
        };
        // The locator without the mailbox's own path (a moved mailbox keeps its fingerprint).
        let place = item.locator.strip_prefix(self.rel).unwrap_or(&item.locator);
        let parent = item.parent.map_or(-1, |p| p as i64);
        for field in [place.as_bytes(), item.sha256.as_bytes()] {
            self.hasher.update((field.len() as u64).to_le_bytes());
            self.hasher.update(field);
        }
        for n in [index, offset, len, parent] {
            self.hasher.update(n.to_le_bytes());
        }
    }

    fn finish(self) -> String {
        hex::encode(self.hasher.finalize())
    }
}

/// A file too large to read into memory: hashed in a stream, catalogued without text.
fn read_huge(f: &Found, abs: &Path, prev: Option<&FileState>) -> Outcome {
    let mut file = match open_found(abs, f) {
        Ok(file) => file,
        Err(err) => {
            return failed(f, walk::io_reason(&err), 0);
        }
    };
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut read = 0u64;
    loop {
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                hasher.update(&buf[..n]);
                read += n as u64;
            }
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(err) => {
                return failed(f, walk::io_reason(&err), read);
            }
        }
    }
    if let Some(reason) = changed_while_reading(abs, f, read) {
        return failed(f, reason, read);
    }
    let sha = hex::encode(hasher.finalize());
    let extracted = Extracted::failed(
        Format::Other,
        Status::Unsupported,
        format!(
            "This file is larger than {} MiB; casebinder recorded it but did not read it. \
             If it is a long scan, split it into smaller PDFs.",
            MAX_READ_BYTES / (1024 * 1024)
        ),
    );
    let item = Item {
        classified: None,
        locator: f.rel.clone(),
        sha256: sha.clone(),
        size: read,
        parent: None,
        origin: Origin::File,
        extracted,
    };
    read_ok(f, prev, sha, vec![item])
}

/// Opens a file the walk found. One that was not a link is opened without following a link
/// that took its place since (it would read a file outside the case).
fn open_found(abs: &Path, f: &Found) -> std::io::Result<File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    if !f.link {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    options.open(abs)
}

fn changed_while_reading(path: &Path, f: &Found, read: u64) -> Option<String> {
    let after = if f.link {
        fs::metadata(path).ok()
    } else {
        fs::symlink_metadata(path).ok().filter(|m| m.is_file())
    };
    let same = after
        .as_ref()
        .is_some_and(|m| m.len() == f.size && walk::mtime_ns(m) == f.mtime_ns)
        && read == f.size;
    (!same).then(|| {
        "This file changed or disappeared while casebinder was reading it. Run `casebinder scan` again once it is saved.".to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{Extracted, Format, Origin, Status};

    fn item(locator: &str, sha: &str, parent: Option<usize>, origin: Origin) -> Item {
        Item {
            locator: locator.into(),
            sha256: sha.into(),
            size: 1,
            parent,
            origin,
            extracted: Extracted::failed(Format::Other, Status::Unsupported, "test"),
            classified: None,
        }
    }

    fn fingerprint(rel: &str, items: &[Item]) -> String {
        let mut f = MailboxFingerprint::new(rel);
        for i in items {
            f.add(i);
        }
        f.finish()
    }

    #[test]
    fn a_mailboxs_fingerprint_changes_with_its_documents_and_their_places_only() {
        let message = |rel: &str, k: u32, sha: &str, offset: u64| {
            item(
                &format!("{rel}#{k}"),
                sha,
                None,
                Origin::MboxMessage {
                    index: k,
                    offset,
                    len: 100,
                },
            )
        };
        let base = |rel: &str| {
            vec![
                message(rel, 0, "aa", 0),
                item(&format!("{rel}#0::a.pdf"), "bb", Some(0), Origin::Attachment),
                message(rel, 1, "cc", 120),
            ]
        };
        let here = fingerprint("Mail/all.mbox", &base("Mail/all.mbox"));
        // The same documents under another name: the same fingerprint (a move is seen).
        assert_eq!(here, fingerprint("Old/all.mbox", &base("Old/all.mbox")));
        // Never a file's own SHA-256 of the same length.
        assert_eq!(here.len(), 64);
        assert_ne!(here, crate::extract::sha256_hex(b""));
        // Anything the catalog keeps of them changes it.
        let mut changed = Vec::new();
        let mut v = base("m");
        v[2].sha256 = "cd".into();
        changed.push(v);
        let mut v = base("m");
        v[2].origin = Origin::MboxMessage {
            index: 1,
            offset: 121,
            len: 100,
        };
        changed.push(v);
        let mut v = base("m");
        v[1].locator = "m#0::b.pdf".into();
        changed.push(v);
        let mut v = base("m");
        v[1].parent = None;
        changed.push(v);
        let mut v = base("m");
        v.pop();
        changed.push(v);
        for v in changed {
            assert_ne!(fingerprint("m", &v), fingerprint("m", &base("m")));
        }
    }
}
