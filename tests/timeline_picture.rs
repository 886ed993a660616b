//! The story at a glance (issue 25): the time-scaled web page in a real browser at a phone's,
//! a tablet's and a desktop's width, its network silence, its printed pages, and the same
//! picture as the binder's first chronology pages.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::*;

const AS_OF: &str = "2024-06-30";

/// Headless Chromium, if installed (CI installs it; elsewhere the browser tests are skipped).
fn chromium() -> Option<PathBuf> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find(|c| on_path(c))
        .map(PathBuf::from);
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI installs chromium for the timeline page's tests (.ci/run)"
        );
        eprintln!("chromium is not installed: the browser tests are skipped");
    }
    found
}

/// Runs Chromium headless with a fresh profile and no background traffic of its own.
fn chrome(browser: &Path, profile: &Path, args: &[&str]) -> std::process::Output {
    let mut cmd = Command::new(browser);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .args(args);
    let child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    rx.recv_timeout(Duration::from_secs(120))
        .expect("chromium did not finish within 2 minutes")
        .unwrap()
}

/// The sample case, its timeline page written beside it, and what `check` and `gaps` report.
struct Page {
    _tmp: tempfile::TempDir,
    case: PathBuf,
    html: PathBuf,
    /// Days late of each missed deadline (filing windows aside).
    late: Vec<i64>,
    /// Stretches of missing paper `gaps` reports.
    gaps: usize,
}

fn page() -> Page {
    let (tmp, case) = sample_case();
    let html = case.join("timeline.html");
    run_ok(
        &case,
        &[
            "timeline",
            "--format",
            "html",
            "--out",
            "timeline.html",
            "--as-of",
            AS_OF,
        ],
    );
    let check = check_json(&case, &["--as-of", AS_OF], 1);
    let late: Vec<i64> = check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "violated" && !f["rule"].as_str().unwrap().ends_with("_window"))
        .map(|f| f["days_late"].as_i64().unwrap())
        .collect();
    let years = json(&case, &["gaps", "--json", "--as-of", AS_OF]);
    let gaps = years
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|y| y["expected"].as_array().unwrap().iter())
        .filter(|e| e["missing"] == true)
        .map(|e| e["missing_spans"].as_array().map_or(1, |s| s.len().max(1)))
        .sum();
    Page {
        _tmp: tmp,
        case,
        html,
        late,
        gaps,
    }
}

/// Measures the page from inside it, as the browser lays it out in a frame `width` pixels
/// wide: what overflows, the lanes' names (before and after scrolling to the end), the bars of
/// missed deadlines and the missing papers drawn.
fn measure(browser: &Path, dir: &Path, html: &str, width: u32) -> serde_json::Value {
    let probe = r#"<script>(function(){
  var vw = document.documentElement.clientWidth;
  var out = {vw: vw, scrollWidth: document.documentElement.scrollWidth, overflow: [], labels: [], late: [], gaps: 0, marks: 0};
  var all = document.querySelectorAll('body *');
  for (var i = 0; i < all.length; i++) {
    var e = all[i];
    if (e.closest('.scroll') || e.closest('.tw') || e.closest('.print-years')) continue;
    var r = e.getBoundingClientRect();
    if (r.width > 0 && (r.right > vw + 0.5 || r.left < -0.5)) out.overflow.push(e.tagName + '.' + e.className);
  }
  var scroll = document.querySelector('.screen .scroll');
  var sr = scroll.getBoundingClientRect();
  if (sr.right > vw + 0.5) out.overflow.push('the scrolling axis');
  var labs = document.querySelectorAll('.screen .lab');
  var seen = function(l) { var r = l.getBoundingClientRect(); return r.width > 20 && r.height > 8 && r.left >= sr.left - 0.5 && r.right <= Math.min(vw, sr.right) + 0.5; };
  for (var j = 0; j < labs.length; j++) out.labels.push({text: labs[j].textContent, visible: seen(labs[j])});
  scroll.scrollLeft = scroll.scrollWidth;
  for (var k = 0; k < labs.length; k++) out.labels[k].visible_scrolled = seen(labs[k]);
  out.scrolled = scroll.scrollLeft > 0 || scroll.scrollWidth <= scroll.clientWidth;
  scroll.scrollLeft = 0;
  var late = document.querySelectorAll('.screen .sp.late');
  for (var m = 0; m < late.length; m++) { var r4 = late[m].getBoundingClientRect(); out.late.push({label: late[m].getAttribute('aria-label'), drawn: r4.width > 0 && r4.height > 0}); }
  var gaps = document.querySelectorAll('.screen .gap');
  for (var n = 0; n < gaps.length; n++) { var r5 = gaps[n].getBoundingClientRect(); if (r5.width > 0 && r5.height > 0) out.gaps++; }
  out.marks = document.querySelectorAll('.screen .m').length;
  parent.postMessage(JSON.stringify(out), '*');
})();</script></body></html>"#;
    let probed = html.replace("</body></html>", probe);
    fs::write(dir.join("probed.html"), probed).unwrap();
    let host = format!(
        "<!DOCTYPE html><html><body style=\"margin:0\"><iframe src=\"probed.html\" style=\"width:{width}px;height:900px;border:0\"></iframe>\
         <script>window.addEventListener('message',function(e){{var p=document.createElement('pre');p.id='probe';p.textContent=e.data;document.body.appendChild(p);}});</script></body></html>"
    );
    let host_path = dir.join(format!("host{width}.html"));
    fs::write(&host_path, host).unwrap();
    let out = chrome(
        browser,
        &dir.join(format!("profile{width}")),
        &[
            "--window-size=1600,1000",
            "--virtual-time-budget=5000",
            "--dump-dom",
            &format!("file://{}", host_path.display()),
        ],
    );
    let dom = String::from_utf8_lossy(&out.stdout).to_string();
    let start = dom.find("<pre id=\"probe\">").expect("the probe answered") + "<pre id=\"probe\">".len();
    let end = start + dom[start..].find("</pre>").unwrap();
    let text = dom[start..end]
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    serde_json::from_str(&text).unwrap()
}

#[test]
fn the_picture_fits_every_width_and_draws_every_missed_deadline_and_gap() {
    let Some(browser) = chromium() else {
        return;
    };
    let p = page();
    assert!(
        !p.late.is_empty() && p.gaps > 0,
        "the sample case has missed deadlines and gaps"
    );
    let html = fs::read_to_string(&p.html).unwrap();
    let work = tempfile::tempdir().unwrap();
    for width in [360, 800, 1400] {
        let m = measure(&browser, work.path(), &html, width);
        assert!(
            m["overflow"].as_array().unwrap().is_empty(),
            "{width}px: elements run past the right edge: {}",
            m["overflow"]
        );
        assert!(
            m["scrollWidth"].as_u64() <= m["vw"].as_u64(),
            "{width}px: the page scrolls sideways: {m}"
        );
        let labels: BTreeSet<String> = m["labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                assert_eq!(l["visible"], true, "{width}px: lane name hidden: {l}");
                assert_eq!(
                    l["visible_scrolled"], true,
                    "{width}px: lane name lost when scrolled: {l}"
                );
                l["text"].as_str().unwrap().to_string()
            })
            .collect();
        for lane in [
            "School year",
            "IEPs & meetings",
            "Evaluations",
            "Notices & progress",
            "Letters & e-mail",
            "Requests & the family's events",
            "Deadlines",
            "Missing papers",
        ] {
            assert!(labels.contains(lane), "{width}px: no lane {lane}: {labels:?}");
        }
        assert_eq!(m["scrolled"], true, "{width}px: the axis scrolls");
        let late = m["late"].as_array().unwrap();
        assert_eq!(
            late.len(),
            p.late.len(),
            "{width}px: every missed deadline is drawn once"
        );
        for days in &p.late {
            assert!(
                late.iter().any(|l| l["drawn"] == true
                    && l["label"].as_str().unwrap().starts_with(&format!("{days} day"))),
                "{width}px: no bar for the deadline missed by {days} days: {late:?}"
            );
        }
        assert_eq!(
            m["gaps"].as_u64().unwrap() as usize,
            p.gaps,
            "{width}px: every missing paper is drawn"
        );
        assert!(
            m["marks"].as_u64().unwrap() >= 40,
            "{width}px: the documents are drawn"
        );
    }
}

/// The page asks nothing of the network: Chromium's network log holds no request made by the
/// page (a page that does load a picture from the web is caught by the same reading).
#[test]
fn the_page_asks_nothing_of_the_network() {
    let Some(browser) = chromium() else {
        return;
    };
    let p = page();
    let work = tempfile::tempdir().unwrap();
    let page_requests = |html: &Path, name: &str| -> Vec<String> {
        let log = work.path().join(format!("{name}.json"));
        chrome(
            &browser,
            &work.path().join(format!("profile-{name}")),
            &[
                &format!("--log-net-log={}", log.display()),
                "--virtual-time-budget=3000",
                "--dump-dom",
                &format!("file://{}", html.display()),
            ],
        );
        let v: serde_json::Value = serde_json::from_str(&fs::read_to_string(&log).unwrap()).unwrap();
        let start_job = v["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
            .as_i64()
            .unwrap();
        v["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["type"].as_i64() == Some(start_job))
            // The browser's own requests have no page behind them.
            .filter(|e| e["params"]["initiator"].as_str() != Some("not an origin"))
            .filter_map(|e| e["params"]["url"].as_str().map(str::to_string))
            .collect()
    };
    let control = work.path().join("control.html");
    fs::write(
        &control,
        "<!DOCTYPE html><html><body><img src=\"http://example.invalid/a.png\"></body></html>",
    )
    .unwrap();
    assert!(
        page_requests(&control, "control")
            .iter()
            .any(|u| u.contains("example.invalid")),
        "the reading finds a page's request"
    );
    let requests = page_requests(&p.html, "timeline");
    assert!(
        requests.is_empty(),
        "the timeline page asked the network: {requests:?}"
    );
}

/// Printed, each school year is a landscape page with its legend and its days late.
#[test]
fn printed_each_school_year_is_a_page_with_its_legend() {
    let Some(browser) = chromium() else {
        return;
    };
    if !on_path("pdftotext") {
        assert!(std::env::var_os("CI").is_none(), "CI installs poppler-utils");
        return;
    }
    let p = page();
    let work = tempfile::tempdir().unwrap();
    let pdf = work.path().join("printed.pdf");
    chrome(
        &browser,
        &work.path().join("profile"),
        &[
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
            &format!("file://{}", p.html.display()),
        ],
    );
    let info = String::from_utf8_lossy(&tool("pdfinfo", &[pdf.to_str().unwrap()]).stdout).to_string();
    assert!(info.contains("792 x 612"), "landscape pages: {info}");
    let years = ["2021–22", "2022–23", "2023–24"];
    for (n, year) in years.iter().enumerate() {
        let page_no = (n + 1).to_string();
        let text = String::from_utf8_lossy(
            &tool(
                "pdftotext",
                &["-f", &page_no, "-l", &page_no, pdf.to_str().unwrap(), "-"],
            )
            .stdout,
        )
        .to_string();
        assert!(
            text.contains(&format!("school year {year}")),
            "page {page_no}: {text}"
        );
        assert!(text.contains("deadline missed"), "page {page_no} has its legend");
    }
    let all = String::from_utf8_lossy(&tool("pdftotext", &[pdf.to_str().unwrap(), "-"]).stdout).to_string();
    for days in &p.late {
        assert!(
            all.contains(&format!("{days} days late")),
            "{days} days late printed"
        );
    }
}

/// The same picture on paper: the mediation binder opens its chronology with it (one school
/// year a page); every year label and every missed deadline's days late are on those pages.
#[test]
fn the_binder_opens_its_chronology_with_the_picture() {
    let p = page();
    let case = &p.case;
    run_ok(case, &["binder", "--purpose", "mediation", "--date", AS_OF]);
    let pdf = case.join("Binders/mediation-binder.pdf");
    if on_path("qpdf") {
        let out = tool("qpdf", &["--check", pdf.to_str().unwrap()]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    } else {
        assert!(std::env::var_os("CI").is_none(), "CI installs qpdf");
    }
    if !on_path("pdftotext") {
        assert!(std::env::var_os("CI").is_none(), "CI installs poppler-utils");
        return;
    }
    let text = |pdf: &Path| {
        String::from_utf8_lossy(&tool("pdftotext", &[pdf.to_str().unwrap(), "-"]).stdout).to_string()
    };
    let all = text(&pdf);
    let pages: Vec<&str> = all.split('\u{c}').collect();
    let picture: Vec<&&str> = pages
        .iter()
        .filter(|t| t.contains("The case at a glance"))
        .collect();
    assert_eq!(picture.len(), 3, "one page a school year");
    for year in ["2021–22", "2022–23", "2023–24"] {
        assert!(
            picture.iter().any(|t| t.contains(&format!("school year {year}"))),
            "{year} on the picture pages"
        );
    }
    for days in &p.late {
        assert!(
            picture.iter().any(|t| t.contains(&format!("{days} days late"))),
            "{days} days late on the picture pages"
        );
    }
    // The picture opens the chronology: its first page comes right after the index.
    let first = pages
        .iter()
        .position(|t| t.contains("The case at a glance"))
        .unwrap();
    assert!(pages[first].starts_with("Chronology"), "{}", pages[first]);
    // The family's choice: left out of this binder, added to another.
    run_ok(
        case,
        &[
            "binder",
            "--purpose",
            "mediation",
            "--date",
            AS_OF,
            "--no-timeline-page",
            "--out",
            "Binders/plain.pdf",
        ],
    );
    assert!(!text(&case.join("Binders/plain.pdf")).contains("The case at a glance"));
    run_ok(case, &["binder", "--date", AS_OF, "--out", "Binders/dp.pdf"]);
    assert!(
        !text(&case.join("Binders/dp.pdf")).contains("The case at a glance"),
        "off for due process"
    );
    run_ok(
        case,
        &[
            "binder",
            "--date",
            AS_OF,
            "--timeline-page",
            "--out",
            "Binders/dp2.pdf",
        ],
    );
    assert!(text(&case.join("Binders/dp2.pdf")).contains("The case at a glance"));
}

/// The mediation packet carries the same picture (the binder's pages, where poppler's pdftoppm
/// is installed to draw them), one a school year, the same bytes each time.
#[test]
fn the_mediation_packet_carries_the_picture() {
    if !on_path("pdftoppm") {
        assert!(std::env::var_os("CI").is_none(), "CI installs poppler-utils");
        return;
    }
    let p = page();
    let case = &p.case;
    run_ok(case, &["prepare", "mediation", "--date", AS_OF]);
    let docx = case.join("Binders/mediation-packet.docx");
    let first = fs::read(&docx).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(first.clone())).unwrap();
    let pictures: Vec<String> = (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().unwrap().to_string())
        .filter(|n| n.starts_with("word/media/") && n.ends_with(".png"))
        .collect();
    assert_eq!(pictures.len(), 3, "one picture a school year: {pictures:?}");
    let mut body = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut body).unwrap();
    assert!(body.contains("The case at a glance"));
    run_ok(case, &["prepare", "mediation", "--date", AS_OF]);
    assert!(
        fs::read(&docx).unwrap() == first,
        "the same packet, byte for byte"
    );
}

/// `--as-of` bounds the picture as it bounds the checks: nothing later is drawn.
#[test]
fn the_as_of_day_bounds_the_picture() {
    let (_tmp, case) = sample_case();
    let html =
        String::from_utf8(run_ok(&case, &["timeline", "--format", "html", "--as-of", "2023-06-30"]).stdout)
            .unwrap();
    assert!(html.contains("as of 2023-06-30"));
    for later in ["2023-11-07", "2024-01-08", "2024-02-09"] {
        assert!(!html.contains(later), "{later} is after the as-of day");
    }
    // With no name set, the page does not call the child "the student".
    let (_tmp2, bare) = scanned_copy(&repo_root().join("fixtures").join("case"), &[]);
    let html = String::from_utf8(run_ok(&bare, &["timeline", "--format", "html"]).stdout).unwrap();
    assert!(html.contains("<title>Timeline of the case</title>"));
    assert!(!html.contains("the student"));
}
