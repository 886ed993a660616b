//! The whole binder job, for every caller (the `binder` command, the demo): load, plan, and
//! (when asked) write the PDF, its index and manifest, and remember the labels given.
//!
//! Returns what happened; the caller prints it.

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::outputs::{self, Manifest, ManifestExhibit};
use super::{Plan, Settings, bates, build, load, plan, source};
use crate::case::Case;
use crate::case::outputs::{self as case_outputs, Target};
use crate::case::settings::CaseSettings;
use crate::catalog::Catalog;
use crate::error::user_error;
use crate::query::Query;

pub use super::{BINDERS_DIR, default_target};

/// A planned binder and the last build of the same name.
pub struct Prepared {
    pub plan: Plan,
    pub previous: Option<Manifest>,
    /// What the build adds to the case's Bates registry.
    pub bates: BatesChanges,
}

/// What a build records in the case's Bates registry before its binder is written.
#[derive(Debug, Default)]
pub struct BatesChanges {
    /// Numbers shown by binders already made that the registry did not hold.
    pub learnt: Vec<bates::Range>,
    /// Numbers `--renumber` stops using: never given again, to any page.
    pub retire: Vec<bates::Range>,
    /// This build's numbers.
    pub given: Vec<bates::Range>,
}

impl Prepared {
    /// The exhibits as the manifest will list them.
    pub fn exhibits(&self) -> Vec<ManifestExhibit> {
        outputs::exhibits(&self.plan)
    }
}

/// Plans the binder `settings` describe (nothing is written).
pub fn prepare(
    catalog: &Catalog,
    case: &Case,
    settings: Settings,
    query: Option<&Query>,
    renumber: bool,
) -> Result<Prepared> {
    if catalog.count_documents()? == 0 {
        return Err(user_error(
            "The catalog has no documents yet, so there is nothing to put in a binder.",
            "Run `casebinder scan` in the case folder first.",
        ));
    }
    crate::binder::convert::sweep(&case.private_dir().join("tmp"));
    let case_settings = CaseSettings::load(catalog)?;
    let mut selection = load::load(catalog, case, &settings, &case_settings, query, renumber)?;
    let previous: Option<Manifest> = catalog
        .last_binder_build(&settings.name)?
        .and_then(|m| serde_json::from_str(&m).ok());
    let learnt = std::mem::take(&mut selection.bates_learnt);
    let retire: Vec<bates::Range> = match &selection.previous {
        Some(p) if renumber => {
            let shas: Vec<String> = selection.sources.iter().map(|s| s.row.sha256.clone()).collect();
            p.registry.in_use_for(&p.prefix, &shas).cloned().collect()
        }
        _ => Vec::new(),
    };
    let plan = plan::plan(selection, settings);
    let given = plan
        .exhibits
        .iter()
        .map(|e| bates::Range {
            prefix: plan.settings.bates_prefix.clone(),
            first: e.bates_start,
            last: e.bates_end,
            sha256: e.sha256.clone(),
            pages: e.pages.max(1),
            binder: plan.settings.name.clone(),
            retired: false,
        })
        .collect();
    if plan.exhibits.is_empty() {
        return Err(user_error(
            "No document matches, so the binder would be empty.",
            "Try `casebinder binder --dry-run` without filters, or check the filters with `casebinder list`.",
        ));
    }
    Ok(Prepared {
        plan,
        previous,
        bates: BatesChanges {
            learnt,
            retire,
            given,
        },
    })
}

/// What a build wrote.
pub struct Made {
    pub target: PathBuf,
    pub csv: PathBuf,
    pub md: PathBuf,
    pub manifest: PathBuf,
    /// Labels of exhibits that were not in the last build.
    pub new_since_last: Vec<String>,
    /// Exhibit pages whose source page has words the binder page does not show (it may print
    /// blank): (label, page of the exhibit, binder page).
    pub unfaithful: Vec<(String, u32, u32)>,
}

/// Writes the binder to `target` with its index and manifest beside it, and remembers the
/// labels given (`renumber`: the labels given before are replaced).
pub fn make(
    catalog: &mut Catalog,
    case: &Case,
    prepared: &mut Prepared,
    target: &Path,
    renumber: bool,
    force: bool,
    strict: bool,
) -> Result<Made> {
    let plan = &mut prepared.plan;
    // Every file the build writes is checked first: never a document, never the catalog, never a
    // file casebinder did not make (unless --force).
    let (csv_path, md_path, json_path) = outputs::companions(target);
    let checked: Vec<Target> = [target, &csv_path, &md_path, &json_path]
        .into_iter()
        .map(|p| case_outputs::check(case, catalog, p, force))
        .collect::<Result<_>>()?;
    // A new folder is made private; a folder that exists (a Desktop) is left as it is.
    if let Some(dir) = target.parent().filter(|d| !d.exists()) {
        crate::case::create_private_dir(dir).map_err(|e| {
            let read_only = e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::ReadOnlyFilesystem)
            });
            if read_only && dir.starts_with(&case.root) {
                e // said plainly by the error printer, with what still works
            } else if read_only {
                // The case may be fine: it is the folder named with --out that cannot be written.
                user_error(
                    format!(
                        "{} is on a read-only disk, so the binder cannot be written there.",
                        dir.display()
                    ),
                    "Choose a folder on a disk you can write to: --out FILE.pdf",
                )
            } else {
                user_error(
                    format!("Could not create the folder {}: {e}", dir.display()),
                    "Choose where to write the binder with --out FILE.pdf.",
                )
            }
        })?;
    }
    let sources = CaseSources {
        case,
        mailboxes: source::MailboxIndex::from_scan(catalog.mailbox_places()?),
    };
    // Built beside the target under another name; checked; then put in place, or (under
    // --strict, when a document could not be reproduced faithfully) removed: nothing written.
    // The numbers are the case's before any page shows them: a build cut short after this
    // point leaves them given to these pages, never free for others.
    if !catalog.is_read_only() {
        let b = &prepared.bates;
        catalog.record_bates(&b.learnt, &b.retire, &b.given)?;
    }
    let staged = staged_path(target);
    // The words each page must show are chosen on another core while the binder is written.
    let pages = source_pages(catalog, plan)?;
    // With poppler's helper only the first page of each exhibit is read back at first, so
    // only those words are chosen ahead; the others when an exhibit needs them.
    let firsts_only = crate::extract::poppler::available();
    let (partial, (expected, pages)) = std::thread::scope(|scope| {
        let chosen = scope.spawn(move || (expected_pages(&pages, firsts_only, |_| true), pages));
        let partial = build::to_partial(plan, &sources, &staged);
        (partial, chosen.join().unwrap_or_default())
    });
    let partial = partial?;
    // The binder's text is read back from the page cache while the disk is made sure of it
    // (an fsync is waiting, not work): the two side by side.
    let changed: std::collections::HashSet<String> = partial
        .built
        .notes
        .iter()
        .map(|(label, _)| label.clone())
        .chain(partial.built.scaled.iter().map(|(label, _)| label.clone()))
        .collect();
    let (synced, (unfaithful, unchecked)) = std::thread::scope(|scope| {
        let syncing = scope.spawn(|| partial.sync());
        let checked = check_text(expected, &pages, &changed, &partial.path);
        let synced = syncing
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("the disk did not answer")));
        (synced, checked)
    });
    let built = partial.finish(synced)?;
    if let Some(why) = unchecked {
        plan.warnings.push(why);
    }
    let not_reproduced = plan.placeholders().len()
        + built
            .notes
            .iter()
            .filter(|(_, n)| n.starts_with("placeholder"))
            .count()
        + unfaithful.len();
    if strict && not_reproduced > 0 {
        let _ = std::fs::remove_file(&staged);
        return Err(user_error(
            format!(
                "--strict: {not_reproduced} document(s) or page(s) could not be reproduced faithfully, so nothing was written."
            ),
            "See which with the same command without --strict (or --dry-run), then replace those files and scan again.",
        ));
    }
    let file_name = target
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut manifest = outputs::manifest(plan, &file_name, &built.sha256, built.size, built.fonts.clone());
    for (label, pages) in &built.scaled {
        if let Some(e) = manifest.exhibits.iter_mut().find(|e| &e.exhibit == label) {
            e.scaled_pages = pages.clone();
        }
    }
    for (label, note) in &built.notes {
        if let Some(e) = manifest.exhibits.iter_mut().find(|e| &e.exhibit == label) {
            e.note = Some(note.clone());
        }
        plan.warnings.push(format!("{label}: {note}."));
    }
    let mut manifest_json = serde_json::to_string_pretty(&manifest)?;
    manifest_json.push('\n');
    let files = [
        outputs::index_csv(&manifest.exhibits).into_bytes(),
        outputs::index_md(plan, &manifest.exhibits).into_bytes(),
        manifest_json.clone().into_bytes(),
    ];
    // The manifest first, then the binder under its name: a build cut short in between leaves
    // the old binder and a manifest that names the new one, still waiting beside it, which
    // `verify` reports as a build cut short (not an edited binder) and the next build replaces.
    for (t, bytes) in checked[1..].iter().zip(&files) {
        case_outputs::write(catalog, t, bytes)?;
    }
    crate::failpoint::hit("binder-before-rename");
    std::fs::rename(&staged, target).map_err(|e| {
        let _ = std::fs::remove_file(&staged);
        user_error(
            format!("Could not finish writing {}: {e}", target.display()),
            "Check that the disk has free space and the folder is writable, then build again.",
        )
    })?;
    case_outputs::record(catalog, &checked[0], &built.sha256)?;
    crate::failpoint::pause("binder-done");
    let given: Vec<(String, String)> = plan
        .exhibits
        .iter()
        .filter(|e| e.parent.is_none())
        .map(|e| (e.sha256.clone(), e.label.clone()))
        .collect();
    if !catalog.is_read_only() {
        catalog.record_binder_build(&plan.settings.name, &given, &manifest_json, renumber)?;
    }
    if !built.missing_chars.is_empty() {
        plan.warnings.push(format!(
            "No font on this computer has these characters, so they print as \"?\": {}. Install a font that has them (for example fonts-noto-cjk) and build again.",
            built.missing_chars
        ));
    }
    let new_since_last = match &prepared.previous {
        Some(prev) => manifest
            .exhibits
            .iter()
            .filter(|e| !prev.exhibits.iter().any(|p| p.sha256 == e.sha256))
            .map(|e| e.exhibit.clone())
            .collect(),
        None => Vec::new(),
    };
    for (label, k, page) in &unfaithful {
        plan.warnings.push(format!(
            "{label} page {k} (binder page {page}) does not show the words its source page has: it may print blank. Open the binder to check; if it is blank, print the source to a new PDF, put it in the case folder, scan and build again."
        ));
    }
    Ok(Made {
        unfaithful,
        target: target.to_path_buf(),
        csv: csv_path,
        md: md_path,
        manifest: json_path,
        new_since_last,
    })
}

/// The case's files, and the helpers installed on this computer that save a damaged PDF: qpdf
/// rewrites it (in the case's private folder, removed right after), poppler draws its pages.
struct CaseSources<'a> {
    case: &'a Case,
    /// Each mailbox's messages, located once per build.
    mailboxes: source::MailboxIndex,
}

impl build::Sources for CaseSources<'_> {
    fn fetch(&self, locator: &str, sha256: &str) -> Result<Vec<u8>, String> {
        source::fetch_checked_with(&self.case.root, locator, sha256, Some(&self.mailboxes))
    }

    fn repair(&self, pdf: &[u8]) -> Option<Vec<u8>> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static N: AtomicU64 = AtomicU64::new(0);
        let dir = self.case.private_dir().join("tmp").join(format!(
            "repair-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        crate::case::create_private_dir(&dir).ok()?;
        let (input, output) = (dir.join("in.pdf"), dir.join("out.pdf"));
        let written = crate::case::create_private_file(&input).and_then(|mut f| {
            use std::io::Write;
            f.write_all(pdf)
        });
        let repaired = written.ok().and_then(|()| {
            // qpdf exits 3 when it repaired with warnings: the output is what matters.
            let _ = crate::extract::tools::run_with_input(
                "qpdf",
                &[&input.to_string_lossy(), &output.to_string_lossy()],
                &[],
                std::time::Duration::from_secs(120),
                1 << 20,
            );
            std::fs::read(&output).ok()
        });
        let _ = std::fs::remove_dir_all(&dir);
        repaired.filter(|b| !b.is_empty())
    }

    fn render(&self, pdf: &[u8], page: u32) -> Option<Vec<u8>> {
        if !crate::extract::tools::tools().pdftoppm {
            return None;
        }
        let p = page.to_string();
        crate::extract::tools::run_with_input(
            "pdftoppm",
            &["-r", "150", "-png", "-f", &p, "-l", &p, "-singlefile", "-"],
            pdf,
            std::time::Duration::from_secs(120),
            256 << 20,
        )
        .ok()
        .filter(|b| !b.is_empty())
    }
}

/// The words of a page worth looking for: letters only, four or more, lowercased.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() >= 4)
        .map(str::to_lowercase)
        .collect()
}

/// The source pages of a build's PDF exhibits, as the catalog read them: (label, first page in
/// the binder, pages, each page's OCR flag and text). Read before the build, so that the words
/// to look for are chosen while the binder is written.
type SourcePages = Vec<(String, u32, u32, Vec<(bool, String)>)>;

fn source_pages(catalog: &Catalog, plan: &Plan) -> Result<SourcePages> {
    let mut all = Vec::new();
    if !crate::extract::tools::tools().pdftotext {
        return Ok(all);
    }
    for e in &plan.exhibits {
        if matches!(e.body, super::Body::Pdf) {
            all.push((
                e.label.clone(),
                e.first_page,
                e.pages,
                catalog.page_texts_with_ocr(e.doc_id)?,
            ));
        }
    }
    Ok(all)
}

/// The pages to check and a sample of the words each must show, for the exhibits `wanted`
/// accepts: each one's first page that has words to look for, or (`firsts_only` false) every
/// page that has.
fn expected_pages(sources: &SourcePages, firsts_only: bool, wanted: impl Fn(&str) -> bool) -> Vec<Expected> {
    let mut expected: Vec<Expected> = Vec::new();
    for (label, first_page, pages, texts) in sources {
        if !wanted(label) {
            continue;
        }
        for (k, (ocr, text)) in texts.iter().enumerate() {
            if *ocr || k as u32 >= *pages {
                continue;
            }
            let w = words(text);
            if w.len() < 3 {
                continue;
            }
            let mut sample: Vec<String> = w
                .into_iter()
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            sample.truncate(40);
            expected.push((label.clone(), k as u32 + 1, first_page + k as u32, sample));
            if firsts_only {
                break;
            }
        }
    }
    expected
}

/// After a build: each exhibit page copied from a PDF whose source page had words must still
/// show them. A page that shows none of them may print blank. Pages read by OCR are pictures,
/// with no words to find, and are not checked.
///
/// With casebinder's poppler helper, pages are read back on every core: every page of an
/// exhibit the build had to mend, repair or scale, and the first page of the others, then every
/// page of an exhibit whose first page lost its words. A plain copy that goes wrong goes wrong
/// for the document (its resources, its fonts), and each content stream was checked as it was
/// copied. Without the helper, `pdftotext` reads the whole binder.
fn check_text(
    chosen: Vec<Expected>,
    sources: &SourcePages,
    changed: &std::collections::HashSet<String>,
    pdf: &Path,
) -> (Vec<Unshown>, Option<String>) {
    use crate::extract::poppler;
    if chosen.is_empty() {
        return (Vec::new(), None);
    }
    // A budget for the whole check: a page that takes minutes to read (a hostile PDF drawing
    // the same words a million times) leaves the check unfinished, said plainly, never the
    // binder waiting.
    let checkable: usize = sources.iter().map(|s| s.3.len()).sum();
    let budget = CHECK_BUDGET + std::time::Duration::from_millis(50) * checkable as u32;
    let deadline = std::time::Instant::now() + budget;
    let left = || deadline.saturating_duration_since(std::time::Instant::now());
    let unchecked = || {
        Some(format!(
            "The binder's text could not be checked against the documents within {} s (a page takes too long to read); open the binder and look through it.",
            budget.as_secs()
        ))
    };
    if poppler::available() {
        // `chosen` holds each exhibit's first checkable page. Every page of the exhibits the
        // build changed, the first of the others; then every page of those that failed.
        let mut first_round: Vec<Expected> = chosen
            .into_iter()
            .filter(|x| !changed.contains(x.0.as_str()))
            .chain(expected_pages(sources, false, |label| changed.contains(label)))
            .collect();
        first_round.sort_by_key(|x| x.2);
        let refs: Vec<&Expected> = first_round.iter().collect();
        if let Some(failed) = unshown_by_helper(pdf, &refs, left()) {
            let labels: std::collections::HashSet<&str> = failed.iter().map(|f| f.0.as_str()).collect();
            let rest = expected_pages(sources, false, |label| labels.contains(label));
            let refs: Vec<&Expected> = rest.iter().collect();
            if let Some(all) = unshown_by_helper(pdf, &refs, left()) {
                return (all, None);
            }
        }
        if left().is_zero() {
            return (Vec::new(), unchecked());
        }
        // The helper could not read the binder: `pdftotext` reads every checkable page.
        return match unshown_by_pdftotext(pdf, expected_pages(sources, false, |_| true), left()) {
            Some(lost) => (lost, None),
            None => (Vec::new(), left().is_zero().then(unchecked).flatten()),
        };
    }
    match unshown_by_pdftotext(pdf, chosen, left()) {
        Some(lost) => (lost, None),
        // The check needs pdftotext in time; without it the build stands as it is.
        None => (Vec::new(), left().is_zero().then(unchecked).flatten()),
    }
}

/// Without the helper: the expected pages that `pdftotext`, in raw order (no reading-order
/// analysis), does not find on the binder's pages; it reads the pages from the first checked to
/// the last, in as many runs side by side as there are cores. None when it could not read them
/// in time.
fn unshown_by_pdftotext(
    pdf: &Path,
    expected: Vec<Expected>,
    timeout: std::time::Duration,
) -> Option<Vec<Unshown>> {
    let first = expected.iter().map(|x| x.2).min()?;
    let last = expected.iter().map(|x| x.2).max()?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8) as u32;
    let per = (last - first + 1).div_ceil(threads).max(1);
    let path = pdf.to_string_lossy().to_string();
    let parts: Vec<Option<Vec<u8>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (first..=last)
            .step_by(per as usize)
            .map(|from| {
                let to = (from + per - 1).min(last);
                let path = &path;
                scope.spawn(move || {
                    let (f, l) = (from.to_string(), to.to_string());
                    let args = ["-q", "-raw", "-enc", "UTF-8", "-f", &f, "-l", &l, path, "-"];
                    crate::extract::tools::run_with_input("pdftotext", &args, &[], timeout, 1 << 30).ok()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().ok().flatten()).collect()
    });
    // The pages before the first checked are blank here: each ends with a form feed, as
    // pdftotext ends each page.
    let mut text = "\u{c}".repeat(first as usize - 1);
    for part in parts {
        text.push_str(&String::from_utf8_lossy(&part?));
    }
    Some(unshown(expected, &text))
}

/// The time the check of a binder's text may take, plus 50 ms per page it checks.
const CHECK_BUDGET: std::time::Duration = std::time::Duration::from_secs(10);

/// An exhibit page the binder does not show as its source did: (label, its page within the
/// exhibit, its page in the binder).
type Unshown = (String, u32, u32);

/// An exhibit page to check: (label, its page within the exhibit, its page in the binder, a
/// sample of the words its source page had).
type Expected = (String, u32, u32, Vec<String>);

/// The expected pages that the binder's pages do not show, read by the poppler helper on every
/// core; None when the helper could not read them (then `pdftotext` reads the binder).
fn unshown_by_helper(
    pdf: &Path,
    expected: &[&Expected],
    timeout: std::time::Duration,
) -> Option<Vec<(String, u32, u32)>> {
    if expected.is_empty() {
        return Some(Vec::new());
    }
    if timeout.is_zero() {
        return None;
    }
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8)
        .min(expected.len());
    // Dealt round the readers like cards, so that each gets its share of long and short pages
    // wherever they sit in the binder (halves in order left one reader idle a third of the time).
    let mut hands: Vec<Vec<&Expected>> = vec![Vec::new(); threads];
    for (i, x) in expected.iter().enumerate() {
        hands[i % threads].push(x);
    }
    let parts: Vec<Option<Vec<(String, u32, u32)>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = hands
            .iter()
            .map(|chunk| {
                scope.spawn(move || {
                    let pages: Vec<u32> = chunk.iter().map(|x| x.2).collect();
                    let read = crate::extract::poppler::read_file_pages(pdf, &pages, timeout)?;
                    // Each page's text on its own page of a "binder" for `unshown`.
                    let mut text = String::new();
                    let mut renumbered = Vec::with_capacity(chunk.len());
                    for (i, (x, page)) in chunk.iter().zip(read).enumerate() {
                        text.push_str(&page);
                        text.push('\u{c}');
                        renumbered.push((x.0.clone(), x.1, i as u32 + 1, x.3.clone()));
                    }
                    let lost = unshown(renumbered, &text);
                    // Back to the binder's page numbers.
                    Some(
                        lost.into_iter()
                            .map(|(label, k, i)| (label, k, chunk[i as usize - 1].2))
                            .collect(),
                    )
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().ok().flatten()).collect()
    });
    let mut all = Vec::new();
    for part in parts {
        all.extend(part?);
    }
    Some(all)
}

/// The expected pages that `text` (the binder's text, pages split by form feeds) does not show:
/// fewer than a quarter of their words are on the binder page.
fn unshown(expected: Vec<Expected>, text: &str) -> Vec<(String, u32, u32)> {
    let pages: Vec<std::collections::HashSet<String>> = text
        .split('\u{c}')
        .map(|p| words(p).into_iter().collect())
        .collect();
    expected
        .into_iter()
        .filter(|(_, _, page, sample)| {
            let shown = pages.get(*page as usize - 1);
            let found = sample
                .iter()
                .filter(|w| shown.is_some_and(|s| s.contains(*w)))
                .count();
            // A faithful page shows most of its words; a blank one shows none.
            found * 4 < sample.len()
        })
        .map(|(label, k, page, _)| (label, k, page))
        .collect()
}

/// Where a binder is built and checked before it takes its name.
pub fn staged_path(target: &Path) -> PathBuf {
    target.with_file_name(format!(
        ".{}.checking",
        target
            .file_name()
            .map(|f| f.to_string_lossy().to_string())
            .unwrap_or_default()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PDF whose pages show these texts (an empty one shows nothing).
    fn pdf_of(pages: &[&str]) -> Vec<u8> {
        use lopdf::{Document, Object, Stream, dictionary};
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font =
            doc.add_object(dictionary! {"Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica"});
        let mut kids = Vec::new();
        for text in pages {
            let content = if text.is_empty() {
                String::new()
            } else {
                format!("BT /F1 12 Tf 72 700 Td ({text}) Tj ET")
            };
            let c = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
            let page = doc.add_object(dictionary! {
                "Type" => "Page", "Parent" => pages_id, "Contents" => c,
                "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
                "Resources" => dictionary! {"Font" => dictionary! {"F1" => font}},
            });
            kids.push(Object::Reference(page));
        }
        let count = kids.len() as i64;
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {"Type" => "Pages", "Kids" => kids, "Count" => count}),
        );
        let catalog = doc.add_object(dictionary! {"Type" => "Catalog", "Pages" => pages_id});
        doc.trailer.set("Root", catalog);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    #[test]
    fn the_helper_finds_a_page_that_lost_its_words() {
        if !crate::extract::poppler::available() {
            eprintln!("skipped: this build has no poppler helper");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("binder.pdf");
        std::fs::write(
            &pdf,
            pdf_of(&[
                "Prior written notice refuses therapy minutes",
                "",
                "Progress report reading fluency goals",
            ]),
        )
        .unwrap();
        let expect = |label: &str, k: u32, page: u32, text: &str| -> Expected {
            (label.to_string(), k, page, words(text))
        };
        let p1 = expect("P-1", 1, 1, "Prior written notice refuses therapy minutes");
        let p2a = expect("P-2", 1, 2, "Evaluation report cognitive testing results");
        let p2b = expect("P-2", 2, 3, "Progress report reading fluency goals");
        let lost = unshown_by_helper(&pdf, &[&p1, &p2a, &p2b], std::time::Duration::from_secs(60)).unwrap();
        assert_eq!(lost, vec![("P-2".to_string(), 1, 2)]);
        assert_eq!(
            unshown_by_helper(&pdf, &[&p2b, &p1], std::time::Duration::from_secs(60)).unwrap(),
            vec![]
        );
    }

    #[test]
    fn without_the_helper_pdftotext_finds_a_page_that_lost_its_words() {
        if !crate::extract::tools::tools().pdftotext {
            eprintln!("skipped: pdftotext is not installed");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("binder.pdf");
        std::fs::write(
            &pdf,
            pdf_of(&[
                "Cover page of the binder",
                "Prior written notice refuses therapy minutes",
                "",
                "Progress report reading fluency goals",
            ]),
        )
        .unwrap();
        let expect = |label: &str, k: u32, page: u32, text: &str| -> Expected {
            (label.to_string(), k, page, words(text))
        };
        let all = vec![
            expect("P-1", 1, 2, "Prior written notice refuses therapy minutes"),
            expect("P-2", 1, 3, "Evaluation report cognitive testing results"),
            expect("P-2", 2, 4, "Progress report reading fluency goals"),
        ];
        let timeout = std::time::Duration::from_secs(60);
        let lost = unshown_by_pdftotext(&pdf, all.clone(), timeout).unwrap();
        assert_eq!(lost, vec![("P-2".to_string(), 1, 3)]);
        // One page alone, far from the first: still read as that page.
        assert_eq!(
            unshown_by_pdftotext(&pdf, all[2..].to_vec(), timeout).unwrap(),
            vec![]
        );
        assert_eq!(
            unshown_by_pdftotext(&pdf, all[1..2].to_vec(), timeout).unwrap(),
            vec![("P-2".to_string(), 1, 3)]
        );
    }

    #[test]
    fn a_page_that_lost_its_words_is_found() {
        let expect = |label: &str, page: u32, text: &str| (label.to_string(), 1, page, words(text));
        let binder = "Cover\u{c}Prior written notice: the district refuses more therapy minutes. P-1\u{c}P-2 RIVERA-000002\u{c}";
        let found = unshown(
            vec![
                expect(
                    "P-1",
                    2,
                    "Prior Written Notice. The district refuses more therapy minutes.",
                ),
                expect("P-2", 3, "Psychoeducational evaluation report with scores"),
            ],
            binder,
        );
        assert_eq!(found, vec![("P-2".to_string(), 1, 3)]);
    }
}
