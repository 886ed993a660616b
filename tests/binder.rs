//! The binder issue's acceptance points, on the real binary: a well-formed, stamped, linked and
//! bookmarked binder of the sample case; stamps bottom-right on rotated, cropped and offset
//! pages; Unicode text; byte-identical rebuilds; stable labels and `--diff`; placeholders and
//! `--strict`; `verify`; untouched sources. Needs qpdf and poppler-utils (CI installs them).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

use common::*;
use lopdf::{Document, Object};
use serde_json::Value;

const DATE: &str = "2024-05-01";

/// The text of each page, as pdftotext reads it.
fn page_texts(pdf: &Path, pages: u32) -> Vec<String> {
    (1..=pages)
        .map(|p| {
            let ps = p.to_string();
            let out = tool(
                "pdftotext",
                &["-f", &ps, "-l", &ps, "-layout", pdf.to_str().unwrap(), "-"],
            );
            String::from_utf8_lossy(&out.stdout).to_string()
        })
        .collect()
}

/// Page object id → 1-based page number.
fn page_numbers(doc: &Document) -> BTreeMap<lopdf::ObjectId, u32> {
    doc.get_pages().into_iter().map(|(n, id)| (id, n)).collect()
}

fn dest_page(_doc: &Document, dest: &Object, numbers: &BTreeMap<lopdf::ObjectId, u32>) -> u32 {
    let arr = dest.as_array().expect("explicit destination");
    numbers[&arr[0].as_reference().unwrap()]
}

#[test]
fn a_binder_of_the_sample_case_is_checked_stamped_linked_and_bookmarked() {
    let (_tmp, case) = sample_case();
    let before = tree_snapshot(&case);
    let out = run_ok(&case, &["binder", "--date", DATE, "--hearing-date", "2024-06-03"]);
    let text = stdout(&out);
    assert!(
        text.contains("Disclose the exhibits to the district by 2024-05-24"),
        "{text}"
    );
    let pdf = case.join("Binders/due-process-binder.pdf");

    // qpdf finds nothing wrong.
    let check = tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    let report = String::from_utf8_lossy(&check.stdout).to_string() + &String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(0), "{report}");
    assert!(!report.to_lowercase().contains("warning"), "{report}");

    // Page count = cover + index + chronology + tabs + exhibit pages.
    let m = manifest(&pdf);
    let exhibits = m["exhibits"].as_array().unwrap();
    let total = m["binder"]["pages"].as_u64().unwrap() as u32;
    let front = m["binder"]["front_pages"].as_u64().unwrap() as u32;
    let tabs = exhibits.iter().filter(|e| !e["tab_page"].is_null()).count() as u32;
    let exhibit_pages: u32 = exhibits.iter().map(|e| e["pages"].as_u64().unwrap() as u32).sum();
    let doc = Document::load(&pdf).unwrap();
    assert_eq!(doc.get_pages().len() as u32, total);
    assert_eq!(total, front + tabs + exhibit_pages);
    assert!(front >= 3, "cover, index and chronology");
    assert_eq!(m["binder"]["sha256"].as_str().unwrap(), sha256_file(&pdf));

    // Every page carries its binder page number; every exhibit page its label and Bates number.
    let texts = page_texts(&pdf, total);
    for (i, t) in texts.iter().enumerate() {
        assert!(
            t.contains(&format!("Page {} of {total}", i + 1)),
            "page {} lacks its number:\n{t}",
            i + 1
        );
    }
    let mut expected_bates = 1;
    for e in exhibits {
        let first = e["binder_first_page"].as_u64().unwrap() as usize;
        let last = e["binder_last_page"].as_u64().unwrap() as usize;
        let label = e["exhibit"].as_str().unwrap();
        for p in first..=last {
            let bates = format!("RIVERA-{expected_bates:06}");
            assert!(
                texts[p - 1].contains(&format!("{label} · {bates}")),
                "page {p} should carry {label} · {bates}:\n{}",
                texts[p - 1]
            );
            expected_bates += 1;
        }
        if let Some(tab) = e["tab_page"].as_u64() {
            assert_eq!(tab as usize, first - 1, "the tab sits right before {label}");
            assert!(texts[tab as usize - 1].contains(label));
            assert!(
                !texts[tab as usize - 1].contains("RIVERA-"),
                "tab pages carry no Bates number"
            );
        }
    }
    assert_eq!(
        expected_bates - 1,
        exhibit_pages as usize,
        "Bates numbers are continuous"
    );

    // The outline: cover, index, chronology, then one entry per exhibit at its first page.
    let numbers = page_numbers(&doc);
    let outlines = doc
        .catalog()
        .unwrap()
        .get(b"Outlines")
        .unwrap()
        .as_reference()
        .unwrap();
    let mut item = doc
        .get_dictionary(outlines)
        .unwrap()
        .get(b"First")
        .unwrap()
        .as_reference()
        .unwrap();
    let mut entries: Vec<(String, u32)> = Vec::new();
    loop {
        let d = doc.get_dictionary(item).unwrap();
        let title = lopdf::decode_text_string(d.get(b"Title").unwrap()).unwrap();
        entries.push((title.clone(), dest_page(&doc, d.get(b"Dest").unwrap(), &numbers)));
        if let Ok(first) = d.get(b"First") {
            let mut child = first.as_reference().unwrap();
            loop {
                let c = doc.get_dictionary(child).unwrap();
                let t = lopdf::decode_text_string(c.get(b"Title").unwrap()).unwrap();
                entries.push((t, dest_page(&doc, c.get(b"Dest").unwrap(), &numbers)));
                match c.get(b"Next") {
                    Ok(n) => child = n.as_reference().unwrap(),
                    Err(_) => break,
                }
            }
        }
        match d.get(b"Next") {
            Ok(n) => item = n.as_reference().unwrap(),
            Err(_) => break,
        }
    }
    assert_eq!(entries[0], ("Cover".to_string(), 1));
    assert_eq!(entries[1], ("Exhibit index".to_string(), 2));
    assert!(entries.iter().any(|e| e.0 == "Chronology"));
    let exhibit_entries: Vec<&(String, u32)> = entries.iter().filter(|e| e.0.contains(" · ")).collect();
    assert_eq!(exhibit_entries.len(), exhibits.len(), "one bookmark per exhibit");
    for e in exhibits {
        let label = e["exhibit"].as_str().unwrap();
        let first = e["binder_first_page"].as_u64().unwrap() as u32;
        let entry = exhibit_entries
            .iter()
            .find(|x| x.0.starts_with(&format!("{label} · ")))
            .unwrap_or_else(|| panic!("no bookmark for {label}"));
        assert_eq!(entry.1, first, "bookmark of {label}");
    }
    let pwn = exhibit_entries
        .iter()
        .find(|e| e.0.contains("Prior written notice"))
        .unwrap();
    assert!(pwn.0.contains("· 2023-10-03 ·"), "{}", pwn.0);

    // Every index row links to its exhibit's first page, in order.
    let mut links = Vec::new();
    for p in 2..=front {
        let page = doc.get_dictionary(doc.get_pages()[&p]).unwrap();
        let text = &texts[p as usize - 1];
        if !text.contains("Exhibit index") {
            continue;
        }
        if let Ok(annots) = page.get(b"Annots") {
            for a in annots.as_array().unwrap() {
                let a = doc.get_dictionary(a.as_reference().unwrap()).unwrap();
                links.push(dest_page(&doc, a.get(b"Dest").unwrap(), &numbers));
            }
        }
    }
    let firsts: Vec<u32> = exhibits
        .iter()
        .map(|e| e["binder_first_page"].as_u64().unwrap() as u32)
        .collect();
    assert_eq!(links, firsts, "index links");

    // Owner-only, like everything casebinder writes.
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        fs::metadata(case.join("Binders")).unwrap().permissions().mode() & 0o777,
        0o700
    );
    for f in fs::read_dir(case.join("Binders")).unwrap() {
        let f = f.unwrap();
        assert_eq!(
            f.metadata().unwrap().permissions().mode() & 0o777,
            0o600,
            "{:?}",
            f.file_name()
        );
    }

    // Index files beside the PDF.
    let csv = fs::read_to_string(case.join("Binders/due-process-binder-index.csv")).unwrap();
    assert!(csv.starts_with(
        "exhibit,date,kind,title,author,pages,binder_first_page,binder_last_page,bates_start,bates_end,locator,sha256,note\n"
    ));
    assert_eq!(csv.lines().count(), exhibits.len() + 1);
    let md = fs::read_to_string(case.join("Binders/due-process-binder-index.md")).unwrap();
    assert!(md.contains("| P-1 |"));

    // An attachment follows its email as a sub-exhibit, and nothing appears twice.
    let labels: Vec<&str> = exhibits.iter().map(|e| e["exhibit"].as_str().unwrap()).collect();
    let score = exhibits
        .iter()
        .find(|e| {
            e["locator"]
                .as_str()
                .unwrap()
                .ends_with("::Score report 2023.pdf")
        })
        .unwrap();
    let email = exhibits
        .iter()
        .find(|e| e["locator"] == "Emails/Fwd_ state test scores.eml")
        .unwrap();
    assert_eq!(
        score["exhibit"].as_str().unwrap(),
        format!("{}a", email["exhibit"].as_str().unwrap())
    );
    let mut shas: Vec<&str> = exhibits.iter().map(|e| e["sha256"].as_str().unwrap()).collect();
    shas.sort();
    shas.dedup();
    assert_eq!(shas.len(), exhibits.len(), "no document twice: {labels:?}");
    // Oldest first, undated last.
    let dates: Vec<Option<&str>> = exhibits
        .iter()
        .filter(|e| !e["exhibit"].as_str().unwrap().ends_with('a'))
        .map(|e| e["date"].as_str())
        .collect();
    let undated_from = dates.iter().position(Option::is_none).unwrap();
    assert!(dates[undated_from..].iter().all(Option::is_none));
    assert!(dates[..undated_from].windows(2).all(|w| w[0] <= w[1]));

    // The sources are untouched and the binder's files are never scanned as documents.
    assert_eq!(before, {
        let mut after = tree_snapshot(&case);
        after.retain(|k, _| !k.starts_with("Binders/"));
        after
    });
    let scan = json(&case, &["scan", "--json"]);
    assert_eq!(scan["new"], 0, "{scan}");
    assert_eq!(scan["new_documents"], 0, "{scan}");
    assert_eq!(
        scan["skipped_reasons"]["made by casebinder (binder or export)"], 4,
        "the PDF, CSV, MD and manifest: {scan}"
    );
}

#[test]
fn the_same_catalog_and_date_give_the_same_binder_and_verify_notices_changes() {
    let (_tmp, case) = sample_case();
    run_ok(&case, &["binder", "--date", DATE]);
    let pdf = case.join("Binders/due-process-binder.pdf");
    let first = sha256_file(&pdf);
    let first_manifest = fs::read(case.join("Binders/due-process-binder-manifest.json")).unwrap();
    run_ok(&case, &["binder", "--date", DATE]);
    assert_eq!(sha256_file(&pdf), first, "a rebuild is byte-identical");
    assert_eq!(
        fs::read(case.join("Binders/due-process-binder-manifest.json")).unwrap(),
        first_manifest
    );

    let ok = run_ok(&case, &["verify", "Binders/due-process-binder.pdf"]);
    assert!(stdout(&ok).contains("exactly as built"), "{}", stdout(&ok));
    // A changed source and an edited binder are both reported, with exit 1.
    let notes = case.join("Notes/IEP meeting notes Nov 2023.txt");
    let mut bytes = fs::read(&notes).unwrap();
    bytes.extend_from_slice(b"\nAdded later.\n");
    fs::write(&notes, bytes).unwrap();
    let mut pdf_bytes = fs::read(&pdf).unwrap();
    pdf_bytes.extend_from_slice(b"\n% edited\n");
    fs::write(&pdf, pdf_bytes).unwrap();
    let bad = run_code(&case, &["verify", "Binders/due-process-binder.pdf"], 1);
    let text = stdout(&bad);
    assert!(text.contains("CHANGED   the binder PDF"), "{text}");
    assert!(text.contains("Notes/IEP meeting notes Nov 2023.txt"), "{text}");
}

#[test]
fn a_rebuild_keeps_labels_and_the_diff_names_the_newcomer() {
    let (_tmp, case) = sample_case();
    run_ok(&case, &["binder", "--date", DATE]);
    let pdf = case.join("Binders/due-process-binder.pdf");
    let before: BTreeMap<String, String> = manifest(&pdf)["exhibits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["sha256"].as_str().unwrap().to_string(),
                e["exhibit"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // A letter from December 2023 arrives after the disclosure.
    fs::write(
        case.join("Letters/Letter about OT minutes.txt"),
        "December 10, 2023\n\nDear Ms. Ortiz,\n\nI am writing about the OT minutes in Maya's IEP.\n\nSincerely,\nAna Rivera\n",
    )
    .unwrap();
    run_ok(&case, &["scan"]);
    let diff = stdout(&run_ok(&case, &["binder", "--date", DATE, "--diff"]));
    let new_line = diff.lines().find(|l| l.trim_start().starts_with("new")).unwrap();
    let new_label = new_line
        .split_whitespace()
        .find(|w| w.starts_with("P-") && w.ends_with(".1"))
        .unwrap_or_else(|| panic!("a label slotted between two others: {diff}"))
        .to_string();
    assert!(new_line.contains("2023-12-10"), "{diff}");
    assert!(new_line.contains("I am writing about the OT minutes"), "{diff}");
    assert!(
        !diff.contains("moved"),
        "no exhibit moves to other Bates numbers: {diff}"
    );
    run_ok(&case, &["binder", "--date", DATE]);
    let after = manifest(&pdf);
    for e in after["exhibits"].as_array().unwrap() {
        if let Some(label) = before.get(e["sha256"].as_str().unwrap()) {
            assert_eq!(e["exhibit"].as_str().unwrap(), label, "kept label");
        }
    }
    let labels: Vec<&str> = after["exhibits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["exhibit"].as_str().unwrap())
        .collect();
    // Its label follows the exhibit before it in time (the December 4 email); its pages follow the
    // exhibits first produced (a supplement), so that no Bates number moves.
    let base = new_label.trim_end_matches(".1");
    let base_date = after["exhibits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["exhibit"] == base)
        .and_then(|e| e["date"].as_str())
        .unwrap();
    assert!(base_date <= "2023-12-10", "{labels:?}");
    assert_eq!(labels.last(), Some(&new_label.as_str()), "{labels:?}");
    // --renumber starts over.
    run_ok(&case, &["binder", "--date", DATE, "--renumber"]);
    let renumbered: Vec<String> = manifest(&pdf)["exhibits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["exhibit"].as_str().unwrap().to_string())
        .collect();
    assert!(!renumbered.iter().any(|l| l.contains('.')), "{renumbered:?}");
}

#[test]
fn locked_and_damaged_files_get_placeholder_pages_and_strict_fails() {
    let (_tmp, case) = sample_case();
    let out = run_ok(&case, &["binder", "--date", DATE, "--dry-run"]);
    let text = stdout(&out);
    assert!(text.contains("placeholder"), "{text}");
    assert!(text.contains("Nothing was written"));
    assert!(!case.join("Binders").exists(), "--dry-run writes nothing");

    let out = run_ok(&case, &["binder", "--date", DATE]);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        err.contains("Report card Q2 (locked).pdf") && err.contains("password"),
        "{err}"
    );
    assert!(err.contains("OT evaluation 2021 (download failed).pdf"), "{err}");
    let pdf = case.join("Binders/due-process-binder.pdf");
    let m = manifest(&pdf);
    let locked = m["exhibits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["locator"] == "District portal/Report card Q2 (locked).pdf")
        .unwrap();
    assert_eq!(locked["placeholder"], true);
    let p = locked["binder_first_page"].as_u64().unwrap() as u32;
    let text = &page_texts(&pdf, p)[p as usize - 1];
    assert!(
        text.contains("not reproduced") && text.contains("password"),
        "{text}"
    );
    assert!(
        !text.contains("casebinder") && !text.contains("scan"),
        "no advice to the family: {text}"
    );
    // --strict fails and writes nothing: the binder from before stays exactly as it was.
    let before = sha256_file(&pdf);
    run_ok(
        &case,
        &[
            "set",
            "District portal/Report card Q2 (locked).pdf",
            "--title",
            "Q2 report card",
        ],
    );
    let out = run_code(&case, &["binder", "--date", DATE, "--strict"], 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing was written"));
    assert_eq!(sha256_file(&pdf), before);
    let fresh = case.join("strict.pdf");
    run_code(
        &case,
        &[
            "binder",
            "--date",
            DATE,
            "--strict",
            "--out",
            fresh.to_str().unwrap(),
        ],
        2,
    );
    assert!(!fresh.exists() && !case.join("strict-manifest.json").exists());
}

/// A PDF whose pages are rotated, cropped and offset: what a scanner or a portal produces.
fn awkward_pdf() -> Vec<u8> {
    use lopdf::{Dictionary, Stream, dictionary};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let inner_id = doc.new_object_id();
    let font =
        doc.add_object(dictionary! {"Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica"});
    let resources = doc.add_object(dictionary! {"Font" => dictionary! {"F1" => font}});
    let page = |doc: &mut Document, parent, label: &str, extra: Dictionary| {
        let content = format!("BT /F1 14 Tf 150 300 Td ({label}) Tj ET");
        let c = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
        let mut d =
            dictionary! {"Type" => "Page", "Parent" => parent, "Contents" => c, "Resources" => resources};
        for (k, v) in extra.iter() {
            d.set(k.clone(), v.clone());
        }
        doc.add_object(d)
    };
    let box_ = |a: f32, b: f32, c: f32, d: f32| Object::Array(vec![a.into(), b.into(), c.into(), d.into()]);
    let p1 = page(&mut doc, pages_id, "upright", dictionary! {});
    let p2 = page(&mut doc, pages_id, "rotated 90", dictionary! {"Rotate" => 90});
    let p3 = page(&mut doc, pages_id, "rotated 180", dictionary! {"Rotate" => 180});
    let p4 = page(&mut doc, inner_id, "rotated -90 inherited", dictionary! {});
    let p5 = page(
        &mut doc,
        pages_id,
        "cropped",
        dictionary! {"CropBox" => box_(100.0, 100.0, 500.0, 700.0)},
    );
    let p6 = page(
        &mut doc,
        pages_id,
        "offset origin",
        dictionary! {"MediaBox" => box_(-300.0, -400.0, 312.0, 392.0)},
    );
    doc.objects.insert(
        inner_id,
        Object::Dictionary(dictionary! {"Type" => "Pages", "Parent" => pages_id, "Kids" => vec![p4.into()], "Count" => 1, "Rotate" => -90}),
    );
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![p1.into(), p2.into(), p3.into(), inner_id.into(), p5.into(), p6.into()],
            "Count" => 6,
            "MediaBox" => box_(0.0, 0.0, 612.0, 792.0),
        }),
    );
    let catalog = doc.add_object(dictionary! {"Type" => "Catalog", "Pages" => pages_id});
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn stamps_sit_bottom_right_as_displayed_and_any_script_is_readable() {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("Nowak case");
    fs::create_dir_all(&case).unwrap();
    fs::write(case.join("Scanned letter.pdf"), awkward_pdf()).unwrap();
    fs::write(
        case.join("From grandma.eml"),
        "From: =?UTF-8?Q?=C5=81ucja_Nowak?= <lucja@example.org>\r\nTo: Ana <ana@example.org>\r\n\
         Subject: =?UTF-8?Q?Zaj=C4=99cia_=CE=9F=CE=A4?=\r\nDate: Tue, 5 Mar 2024 14:22:00 +0100\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         Łucja wrote: Ελληνικά κείμενα και ÅÄÖ. Zażółć gęślą jaźń. 中文信件\r\n"
            .as_bytes(),
    )
    .unwrap();
    run_ok(&case, &["init"]);
    run_ok(&case, &["scan"]);
    let built = run_ok(
        &case,
        &[
            "binder",
            "--date",
            DATE,
            "--no-tabs",
            "--no-chronology",
            "--bates-prefix",
            "NOWAK",
        ],
    );
    let pdf = case.join("Binders/due-process-binder.pdf");
    let check = tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let m = manifest(&pdf);
    let letter = m["exhibits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["locator"] == "Scanned letter.pdf")
        .unwrap();
    let first = letter["binder_first_page"].as_u64().unwrap();
    let bbox = tool(
        "pdftotext",
        &[
            "-bbox",
            "-f",
            &first.to_string(),
            "-l",
            &(first + 5).to_string(),
            pdf.to_str().unwrap(),
            "-",
        ],
    );
    let html = String::from_utf8_lossy(&bbox.stdout).to_string();
    let pages: Vec<&str> = html.split("<page ").skip(1).collect();
    assert_eq!(pages.len(), 6);
    let attr = |s: &str, name: &str| -> f64 {
        let at = s.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        s[at..].split('"').next().unwrap().parse().unwrap()
    };
    for (k, page) in pages.iter().enumerate() {
        let (w, h) = (attr(page, "width"), attr(page, "height"));
        let bates = format!(
            "NOWAK-{:06}",
            letter["bates_start"].as_str().unwrap()[6..]
                .parse::<u64>()
                .unwrap()
                + k as u64
        );
        let word = page
            .split("<word ")
            .find(|wd| wd.contains(&format!(">{bates}<")))
            .unwrap_or_else(|| panic!("page {k}: no {bates} in {page}"));
        let (x_max, y_max) = (attr(word, "xMax"), attr(word, "yMax"));
        // pdftotext measures from the top-left of the page as shown (turned, in MediaBox
        // space); the visible area, as shown, for each of the six pages:
        let shown = [
            (0.0, 0.0, w, h),
            (0.0, 0.0, h, w),
            (0.0, 0.0, w, h),
            (0.0, 0.0, h, w),
            (100.0, 92.0, 500.0, 692.0),
            (0.0, 0.0, w, h),
        ][k];
        assert!(
            x_max <= shown.2 && x_max > shown.2 - 40.0,
            "page {k}: Bates ends at x {x_max}, the visible right edge is {}",
            shown.2
        );
        assert!(
            y_max <= shown.3 && y_max > shown.3 - 20.0,
            "page {k}: Bates ends at y {y_max}, the visible bottom is {}",
            shown.3
        );
    }
    let email = m["exhibits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["locator"] == "From grandma.eml")
        .unwrap();
    let p = email["binder_first_page"].as_u64().unwrap() as u32;
    let text = &page_texts(&pdf, p)[p as usize - 1];
    for words in ["Łucja Nowak", "Ελληνικά κείμενα", "Zażółć gęślą jaźń", "ÅÄÖ"] {
        assert!(text.contains(words), "{words} missing from:\n{text}");
    }
    // Chinese needs an installed font (CI installs fonts-wqy-zenhei); without one, a warning.
    let warnings = String::from_utf8_lossy(&built.stderr).to_string();
    let cjk_font = Command::new("fc-list")
        .arg(":lang=zh")
        .output()
        .is_ok_and(|o| !o.stdout.is_empty());
    if std::env::var_os("CI").is_some() {
        assert!(cjk_font, "CI installs fonts-wqy-zenhei for this test");
    }
    if cjk_font {
        assert!(text.contains("中文信件"), "{text}");
        assert!(!text.contains('?'), "no character became ?:\n{text}");
    } else {
        assert!(warnings.contains('中'), "{warnings}");
    }
}

#[test]
fn a_docx_is_laid_out_by_libreoffice_when_installed_and_as_text_otherwise() {
    let has_office = ["soffice", "libreoffice"].iter().any(|n| {
        Command::new("which")
            .arg(n)
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if !has_office {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI installs libreoffice-writer-nogui for this test"
        );
        eprintln!("LibreOffice is not installed: only the text rendering is tested");
    }
    let (_tmp, case) = sample_case();
    let page_of = |pdf: &Path| {
        let m = manifest(pdf);
        let e = m["exhibits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["locator"] == "Letters/Records request to district.docx")
            .unwrap()
            .clone();
        (
            m["settings"]["docx"].as_str().unwrap().to_string(),
            e["binder_first_page"].as_u64().unwrap() as u32,
            e["exhibit"].as_str().unwrap().to_string(),
        )
    };
    let mut text_run = cb(&case);
    text_run
        .args(["binder", "--date", DATE, "--out", "text.pdf"])
        .env("CASEBINDER_NO_HELPERS", "1");
    assert!(text_run.output().unwrap().status.success());
    let (how, p, _) = page_of(&case.join("text.pdf"));
    assert_eq!(how, "text");
    let text = &page_texts(&case.join("text.pdf"), p)[p as usize - 1];
    assert!(
        text.contains("Word document (its text)") && text.contains("34 CFR 300.613"),
        "{text}"
    );
    if has_office {
        run_ok(&case, &["binder", "--date", DATE, "--out", "office.pdf"]);
        let (how, p, label) = page_of(&case.join("office.pdf"));
        assert_eq!(how, "libreoffice");
        let text = &page_texts(&case.join("office.pdf"), p)[p as usize - 1];
        assert!(
            !text.contains("Word document (its text)") && text.contains("34 CFR 300.613"),
            "{text}"
        );
        assert!(
            text.contains(&format!("{label} · RIVERA-")),
            "stamped like any page: {text}"
        );
        let first = sha256_file(&case.join("office.pdf"));
        run_ok(&case, &["binder", "--date", DATE, "--out", "office.pdf"]);
        assert_eq!(
            sha256_file(&case.join("office.pdf")),
            first,
            "LibreOffice's pages are the same each build"
        );
        assert!(
            fs::read_dir(case.join(".casebinder/tmp"))
                .map(|d| d.count() == 0)
                .unwrap_or(true),
            "no copy left behind"
        );
    }
}

#[test]
fn each_purpose_picks_its_documents() {
    let (_tmp, case) = sample_case();
    let labels_of = |args: &[&str]| -> Vec<Value> {
        let mut a = vec!["binder", "--date", DATE];
        a.extend(args);
        run_ok(&case, &a);
        let name = args
            .iter()
            .position(|x| *x == "--out")
            .map(|i| args[i + 1])
            .unwrap();
        manifest(&case.join(name))["exhibits"].as_array().unwrap().clone()
    };
    let all = labels_of(&["--out", "all.pdf"]);
    let mediation = labels_of(&["--purpose", "mediation", "--out", "mediation.pdf"]);
    let complaint = labels_of(&["--purpose", "state-complaint", "--out", "complaint.pdf"]);
    let kinds = |v: &[Value]| {
        v.iter()
            .map(|e| e["kind"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert!(mediation.len() < all.len() && complaint.len() < all.len());
    // Mediation: the current and prior IEPs, not the 2021 one; the letters and notices.
    let ieps: Vec<&str> = mediation
        .iter()
        .filter(|e| e["kind"] == "iep")
        .map(|e| e["date"].as_str().unwrap())
        .collect();
    assert_eq!(ieps, ["2022-10-04", "2023-11-07"]);
    assert!(kinds(&mediation).contains(&"prior_written_notice".to_string()));
    assert!(!kinds(&mediation).contains(&"email".to_string()));
    // State complaint: only what is dated in the year before the build date, with findings.
    for e in &complaint {
        let d = e["date"].as_str().expect("dated");
        assert!(
            ("2023-05-01".."2024-05-02").contains(&d),
            "{d} is outside the window"
        );
    }
    let m = manifest(&case.join("complaint.pdf"));
    assert_eq!(m["settings"]["findings"], true);
    let pdf = case.join("complaint.pdf");
    let front = m["binder"]["front_pages"].as_u64().unwrap() as u32;
    let texts = page_texts(&pdf, front);
    assert!(
        texts.iter().any(|t| t.contains("Deadline findings")),
        "the findings appendix is in the front matter"
    );
    // Another series, Bates style and paper.
    let district = labels_of(&[
        "--labels",
        "Exhibit A",
        "--bates-prefix",
        "LUSD",
        "--bates-digits",
        "8",
        "--bates-start",
        "101",
        "--paper",
        "a4",
        "--out",
        "district.pdf",
    ]);
    assert_eq!(district[0]["exhibit"], "Exhibit A");
    assert_eq!(district[0]["bates_start"], "LUSD-00000101");
    assert!(
        district.iter().any(|e| e["exhibit"] == "Exhibit Z")
            && district.iter().any(|e| e["exhibit"] == "Exhibit AA")
    );
    let doc = Document::load(case.join("district.pdf")).unwrap();
    let cover = doc.get_dictionary(doc.get_pages()[&1]).unwrap();
    let media = cover.get(b"MediaBox").unwrap().as_array().unwrap();
    assert!(
        (media[2].as_float().unwrap() - 595.28).abs() < 0.1,
        "A4 width: {media:?}"
    );
    // Mediation keeps its chronology table to one page, after the picture of the case (one page
    // a school year).
    let mm = manifest(&case.join("mediation.pdf"));
    let mtexts = page_texts(
        &case.join("mediation.pdf"),
        mm["binder"]["front_pages"].as_u64().unwrap() as u32,
    );
    let picture = mtexts
        .iter()
        .filter(|t| t.contains("The case at a glance"))
        .count();
    assert_eq!(picture, 3, "the sample case spans three school years");
    assert_eq!(
        mtexts
            .iter()
            .filter(|t| t.contains("Chronology") && !t.contains("The case at a glance"))
            .count(),
        1
    );
}

#[test]
fn a_phone_photo_is_turned_as_its_exif_orientation_says() {
    let (_tmp, case) = fixture_case();
    // The sample photo says "upright as stored" (EXIF orientation 1); make it say "turn 90°
    // clockwise to view", as a phone held the other way writes it. PDF viewers ignore EXIF.
    let photo = case.join("Photos/IMG_2041.jpg");
    let mut bytes = fs::read(&photo).unwrap();
    let tag = [0x12u8, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00];
    let at = bytes
        .windows(tag.len())
        .position(|w| w == tag)
        .expect("orientation tag");
    bytes[at + 8] = 6;
    fs::write(&photo, &bytes).unwrap();
    run_ok(&case, &["init"]);
    run_ok(&case, &["scan"]);
    // The matrix that draws the photo on its binder page.
    let drawn = |query: &str, name: &str| -> Vec<f64> {
        run_ok(&case, &["binder", "--date", DATE, query]);
        // A binder chosen by a query has a name (and labels) of its own.
        let pdf = case.join(format!("Binders/{name}.pdf"));
        let m = manifest(&pdf);
        let e = &m["exhibits"][0];
        assert!(e["locator"].as_str().unwrap().ends_with(".jpg"), "{e}");
        let doc = Document::load(&pdf).unwrap();
        let page = doc.get_pages()[&(e["binder_first_page"].as_u64().unwrap() as u32)];
        let content = String::from_utf8_lossy(&doc.get_page_content(page)).to_string();
        let line = content.lines().find(|l| l.contains("/CBIm0 Do")).unwrap();
        line.split_whitespace()
            .skip(1)
            .take(6)
            .map(|v| v.parse().unwrap())
            .collect()
    };
    let m = drawn(
        "path:Photos/IMG_2041.jpg",
        "due-process-binder-path-photos-img-2041-jpg",
    );
    // A quarter turn: the matrix swaps axes, and the drawn box is wider than tall.
    assert_eq!(m[0], 0.0, "{m:?}");
    assert_eq!(m[3], 0.0, "{m:?}");
    let (drawn_w, drawn_h) = (m[2].abs(), m[1].abs());
    assert!(
        drawn_w > drawn_h,
        "a portrait picture turned a quarter is shown landscape: {m:?}"
    );

    // The camera was wrong: the family turns it back (a quarter turn the other way). The turn
    // is kept by content, so it survives a rename and a new scan.
    let typo = run_code(&case, &["set", "Photos/IMG_2041.jpg", "--rotate", "45"], 2);
    let said = String::from_utf8_lossy(&typo.stderr);
    assert!(said.contains("90, 180 or 270"), "{said}");
    run_ok(&case, &["set", "Photos/IMG_2041.jpg", "--rotate", "270"]);
    fs::rename(&photo, case.join("Photos/consent form.jpg")).unwrap();
    run_ok(&case, &["scan"]);
    let m = drawn("path:Photos/consent", "due-process-binder-path-photos-consent");
    assert!(
        m[0] > 0.0 && m[3] > 0.0 && m[1] == 0.0 && m[2] == 0.0,
        "upright: {m:?}"
    );
    assert!(m[3] > m[0], "the portrait picture is portrait again: {m:?}");
    // And it travels with the family's other corrections.
    let exported = case.join("work.json");
    run_ok(
        &case,
        &["export", "--corrections", "--out", exported.to_str().unwrap()],
    );
    let work: Value = serde_json::from_str(&fs::read_to_string(&exported).unwrap()).unwrap();
    assert!(
        work["corrections"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["rotate"] == 270),
        "{work}"
    );
}

#[test]
fn a_scan_a_binder_build_and_corrections_at_once_all_finish() {
    use std::process::Stdio;
    let (_tmp, case) = sample_case();
    // New files so that the second scan has work while the others run.
    for i in 0..300 {
        fs::write(
            case.join(format!("Notes/log {i:03}.txt")),
            format!("Therapy log {i}.\n"),
        )
        .unwrap();
    }
    let ids: Vec<String> = list(&case).iter().take(8).map(|d| d["id"].to_string()).collect();
    let scan = cb(&case)
        .args(["scan", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let binder = cb(&case)
        .args(["binder", "--date", DATE])
        .env("CASEBINDER_NO_HELPERS", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    for id in &ids {
        let out = run_ok(&case, &["set", id, "--title", &format!("Checked {id}")]);
        assert!(
            !String::from_utf8_lossy(&out.stderr)
                .to_lowercase()
                .contains("locked")
        );
    }
    for child in [scan, binder] {
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        assert!(!err.to_lowercase().contains("database is locked"), "{err}");
    }
    assert_eq!(integrity(&case), "ok");
    let docs = list(&case);
    assert_eq!(docs.len(), 38 + 300, "the scan finished");
    for id in &ids {
        let d = docs.iter().find(|d| &d["id"].to_string() == id).unwrap();
        assert_eq!(d["title"], format!("Checked {id}"), "no correction lost");
    }
    let check = tool(
        "qpdf",
        &[
            "--check",
            case.join("Binders/due-process-binder.pdf").to_str().unwrap(),
        ],
    );
    assert_eq!(check.status.code(), Some(0));
}

#[test]
fn the_pages_casebinder_writes_speak_to_the_mediator_not_the_parent() {
    let (_tmp, case) = sample_case();
    let said = "Asked for the file at pickup";
    let event = ["event", "add", "--date", "2024-04-01", "--kind"];
    let kind = ["records_requested", "--verbal", "--title", said];
    run_ok(&case, &[&event[..], &kind[..]].concat());
    let hearing = ["--findings", "--hearing-date", "2024-06-03"];
    run_ok(&case, &[&["binder", "--date", DATE][..], &hearing[..]].concat());
    let pdf = case.join("Binders/due-process-binder.pdf");
    let m = manifest(&pdf);
    let front = m["binder"]["front_pages"].as_u64().unwrap() as u32;
    let mut pages: Vec<u32> = (1..=front).collect();
    for e in m["exhibits"].as_array().unwrap() {
        if e["placeholder"] == true {
            pages.push(e["binder_first_page"].as_u64().unwrap() as u32);
        }
        if let Some(t) = e["tab_page"].as_u64() {
            pages.push(t as u32);
        }
    }
    let all = page_texts(&pdf, *pages.iter().max().unwrap());
    let rule_ids = [
        "initial_evaluation_60_days",
        "initial_iep_30_days",
        "annual_review_365_days",
        "reevaluation_3_years",
        "progress_report_gap",
        "records_request_45_days",
        "iee_response",
        "disclosure_5_business_days",
        "state_complaint_1_year_window",
        "due_process_2_year_window",
    ];
    for p in pages {
        let text = &all[p as usize - 1];
        // Words of casebinder's own; a document's title may say "Your request…" and is quoted as it is.
        for bad in [
            " your ",
            "(your",
            "casebinder",
            "()",
            "document 1",
            "document 2",
            "document 3",
            "#1",
            "#2",
            "#3",
        ] {
            assert!(!text.contains(bad), "page {p} says {bad:?}:\n{text}");
        }
        for id in rule_ids {
            assert!(!text.contains(id), "page {p} names the rule id {id}:\n{text}");
        }
    }
    let findings = all.iter().find(|t| t.contains("Deadline findings")).unwrap();
    assert!(
        findings.contains("Records within 5 business days (Cal. Ed. Code 56504)"),
        "{findings}"
    );
    assert!(
        findings.contains("at RIVERA-"),
        "exhibits are cited by label and Bates number"
    );
    assert!(
        all.iter().any(|t| t.contains("said in person; recorded by the")),
        "the chronology says how an event is known"
    );
}

#[test]
fn bates_numbers_never_move_and_newcomers_follow_the_highest() {
    let (_tmp, case) = sample_case();
    run_ok(&case, &["binder", "--date", DATE]);
    let pdf = case.join("Binders/due-process-binder.pdf");
    let first = manifest(&pdf);
    let number = |b: &Value| {
        b.as_str()
            .unwrap()
            .rsplit('-')
            .next()
            .unwrap()
            .parse::<u64>()
            .unwrap()
    };
    let before: BTreeMap<String, (u64, u64)> = first["exhibits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["sha256"].as_str().unwrap().to_string(),
                (number(&e["bates_start"]), number(&e["bates_end"])),
            )
        })
        .collect();
    let highest = before.values().map(|r| r.1).max().unwrap();
    // Two documents dated before existing exhibits arrive.
    fs::write(
        case.join("Notes/Call with Dr Chen 2022-01-12.txt"),
        "I called Dr. Chen about Maya's sensory needs on 2022-01-12. We talked about OT.\n",
    )
    .unwrap();
    fs::copy(
        case.join("Medical/Dr Chen letter.pdf"),
        case.join("Medical/Dr Chen letter (fax copy).pdf"),
    )
    .unwrap();
    fs::write(
        case.join("Letters/Letter to principal 2021.txt"),
        "Dear Principal Gomez,\nI am writing about the bus on 2021-09-20.\nSincerely,\nAna Rivera\n",
    )
    .unwrap();
    run_ok(&case, &["scan"]);
    let diff = json(&case, &["binder", "--date", DATE, "--diff", "--json"]);
    let new: Vec<&Value> = diff["new"].as_array().unwrap().iter().collect();
    assert_eq!(new.len(), 2, "{diff}");
    assert!(diff["moved"].as_array().unwrap().is_empty(), "{diff}");
    run_ok(&case, &["binder", "--date", DATE]);
    let second = manifest(&pdf);
    let mut by_page: Vec<(u64, u64)> = Vec::new();
    for e in second["exhibits"].as_array().unwrap() {
        let sha = e["sha256"].as_str().unwrap();
        let range = (number(&e["bates_start"]), number(&e["bates_end"]));
        match before.get(sha) {
            Some(old) => assert_eq!(*old, range, "{} moved", e["exhibit"]),
            None => assert!(range.0 > highest, "a newcomer reuses a number: {e}"),
        }
        by_page.push((e["binder_first_page"].as_u64().unwrap(), range.0));
    }
    by_page.sort();
    assert!(
        by_page.windows(2).all(|w| w[0].1 < w[1].1),
        "Bates order is page order: {by_page:?}"
    );
    assert!(second["bates_high_water"].as_u64().unwrap() > highest);
    // --renumber starts over with numbers never given before, and says which it retires.
    let out = run_ok(&case, &["binder", "--date", DATE, "--renumber"]);
    let said = stdout(&out);
    assert!(said.contains("RIVERA-000001 to RIVERA-"), "{said}");
    assert!(said.contains("never be given to any page again"), "{said}");
    let high = second["bates_high_water"].as_u64().unwrap();
    for e in manifest(&pdf)["exhibits"].as_array().unwrap() {
        assert!(
            number(&e["bates_start"]) > high,
            "a retired number came back: {e}"
        );
    }
}

#[test]
fn the_familys_own_papers_later_documents_and_left_out_emails_stay_out() {
    let (_tmp, case) = sample_case();
    run_ok(&case, &["set", "Emails/RE_ OT minutes.eml", "--exclude"]);
    run_ok(&case, &["binder", "--date", DATE]);
    let m = manifest(&case.join("Binders/due-process-binder.pdf"));
    let exhibits = m["exhibits"].as_array().unwrap();
    let located: Vec<&str> = exhibits.iter().map(|e| e["locator"].as_str().unwrap()).collect();
    assert!(
        !located.contains(&"Notes/What happened so far.md"),
        "the family's narrative is work product"
    );
    assert!(
        located.contains(&"Notes/IEP meeting notes Nov 2023.txt"),
        "meeting notes are evidence"
    );
    assert!(
        located.contains(&"Notes/Phone call with Ms Ortiz.txt"),
        "notes of a call are evidence"
    );
    assert!(
        !located.iter().any(|l| l.starts_with("Emails/RE_ OT minutes.eml")),
        "{located:?}"
    );
    // Nothing dated after the binder's date.
    assert!(
        exhibits
            .iter()
            .all(|e| e["date"].as_str().is_none_or(|d| d <= DATE)),
        "{located:?}"
    );
    let left: Vec<String> = m["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| format!("{}: {}", l["locator"], l["reason"]))
        .collect();
    assert!(
        left.iter()
            .any(|l| l.contains("What happened so far") && l.contains("work product")),
        "{left:?}"
    );
    assert!(
        left.iter()
            .any(|l| l.contains("OT service log.pdf") && l.contains("attached to an e-mail")),
        "{left:?}"
    );
    assert!(
        left.iter().any(|l| l.contains("after the binder's date")),
        "{left:?}"
    );
    // Named in a query, the narrative goes in.
    let out = run_ok(&case, &["binder", "--date", DATE, "--dry-run", "path:Notes"]);
    assert!(stdout(&out).contains("What happened"), "{}", stdout(&out));
    // A check judged before a deadline reports it as open, whatever came later.
    let early = check_json(&case, &["--as-of", "2021-10-01"], 0);
    assert!(
        early["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["status"] != "violated"),
        "{early}"
    );
}

#[test]
fn an_email_page_says_where_each_attachment_is_in_the_binder() {
    let (_tmp, case) = sample_case();
    // Leave one attachment out, so the page has to say so.
    run_ok(
        &case,
        &[
            "binder",
            "--date",
            DATE,
            "-path:\"Emails/Fwd_ state test scores.eml::Score report 2023.pdf\"",
        ],
    );
    // The query gives the binder a name of its own; it is the one PDF in Binders/.
    let pdf = fs::read_dir(case.join("Binders"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "pdf"))
        .unwrap();
    let m = manifest(&pdf);
    let exhibits = m["exhibits"].as_array().unwrap();
    let by_locator = |loc: &str| exhibits.iter().find(|e| e["locator"] == loc);
    let text_of = |e: &Value| {
        let p = e["binder_first_page"].as_u64().unwrap() as u32;
        let ps = p.to_string();
        let out = tool(
            "pdftotext",
            &["-f", &ps, "-l", &ps, "-layout", pdf.to_str().unwrap(), "-"],
        );
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    // A sub-exhibit and a document that is also a file of its own are cited by label and Bates.
    let email = by_locator("Emails/RE_ OT minutes.eml").expect("the OT e-mail");
    let page = text_of(email);
    let log = by_locator("Emails/RE_ OT minutes.eml::OT service log.pdf").expect("its log");
    let said = format!(
        "Exhibit {}, {}",
        log["exhibit"].as_str().unwrap(),
        log["bates_start"].as_str().unwrap()
    );
    assert!(page.contains(&said), "{said:?} on the e-mail page:\n{page}");
    let report = by_locator("Progress reports/Progress Report Q1 2023-24.pdf").expect("report");
    let said = format!("Exhibit {},", report["exhibit"].as_str().unwrap());
    assert!(page.contains(&said), "{said:?} on the e-mail page:\n{page}");
    // One left out is said to be left out; no line is left blank or shows a marker.
    let fwd = by_locator("Emails/Fwd_ state test scores.eml").expect("the forwarded scores");
    let page = text_of(fwd);
    let after = page.split("Score report 2023.pdf").nth(1).unwrap();
    let next = after.lines().map(str::trim).find(|l| !l.is_empty()).unwrap();
    assert_eq!(next, "Not in this binder.", "{page}");
    assert!(!page.contains("reserved"), "{page}");
}

/// A form printed to the edge of the page, as district forms and phone scans are: lines of text
/// from the top down to the last few points at the bottom. One page upright, one turned 180°
/// (its bottom as shown is the top of its page space).
fn full_bleed_form() -> Vec<u8> {
    use lopdf::{Stream, dictionary};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font =
        doc.add_object(dictionary! {"Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica"});
    let resources = doc.add_object(dictionary! {"Font" => dictionary! {"F1" => font}});
    let mut kids = Vec::new();
    for rotate in [0, 180] {
        let mut content = String::new();
        let mut y = 770;
        while y > 60 {
            content.push_str(&format!(
                "BT /F1 11 Tf 20 {y} Td (Notice of meeting item line {y}) Tj ET\n"
            ));
            y -= 40;
        }
        // The last lines, in what would be the footer: a signature block to the very edge.
        let last = [
            (30, "Parent Guardian Signature Received"),
            (6, "Districtform Footerline Revised"),
        ];
        for (y, words) in last {
            // On the turned page, the bottom as shown is the top of page space, upside down.
            let (x, y, m) = if rotate == 180 {
                (592, 792 - y, "-1 0 0 -1")
            } else {
                (20, y, "1 0 0 1")
            };
            content.push_str(&format!("BT /F1 11 Tf {m} {x} {y} Tm ({words}) Tj ET\n"));
        }
        let c = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
        kids.push(Object::from(doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => c, "Resources" => resources,
            "Rotate" => rotate,
        })));
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => 2,
            "MediaBox" => Object::Array(vec![0.into(), 0.into(), 612.into(), 792.into()]),
        }),
    );
    let catalog = doc.add_object(dictionary! {"Type" => "Catalog", "Pages" => pages_id});
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// (word, yMin, yMax) for each word of a page, from `pdftotext -bbox`, with the page's height.
fn word_boxes(pdf: &Path, page: u32) -> (f32, Vec<(String, f32, f32)>) {
    let p = page.to_string();
    let out = tool(
        "pdftotext",
        &["-bbox", "-f", &p, "-l", &p, pdf.to_str().unwrap(), "-"],
    );
    let html = String::from_utf8_lossy(&out.stdout).to_string();
    let attr = |tag: &str, name: &str| -> f32 {
        let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[at..].split('"').next().unwrap().parse().unwrap()
    };
    let page_tag = html.split("<page ").nth(1).unwrap();
    let height = attr(page_tag, "height");
    let words = html
        .split("<word ")
        .skip(1)
        .map(|w| {
            let text = w
                .split('>')
                .nth(1)
                .unwrap()
                .split('<')
                .next()
                .unwrap()
                .to_string();
            (text, attr(w, "yMin"), attr(w, "yMax"))
        })
        .collect();
    (height, words)
}

#[test]
fn the_stamp_never_covers_the_bottom_line_of_a_full_bleed_form() {
    if !on_path("pdftotext") {
        eprintln!("skipped: needs poppler's pdftotext (the layout of each page comes from it)");
        return;
    }
    let (_tmp, case) = case_with(&[]);
    fs::write(case.join("Notice of meeting form.pdf"), full_bleed_form()).unwrap();
    run_ok(&case, &["init"]);
    run_ok(&case, &["scan"]);
    run_ok(&case, &["binder", "--date", DATE, "--no-tabs"]);
    let pdf = case.join("Binders/due-process-binder.pdf");
    let m = manifest(&pdf);
    let e = &m["exhibits"][0];
    // Both pages were made smaller, and the manifest says by how much.
    let scaled = e["scaled_pages"]
        .as_array()
        .expect("scaled pages in the manifest");
    assert_eq!(scaled.len(), 2, "{e}");
    for s in scaled {
        let f = s[1].as_f64().unwrap();
        assert!(f > 0.9 && f < 1.0, "just enough: {f}");
    }
    let first = e["binder_first_page"].as_u64().unwrap() as u32;
    for page in [first, first + 1] {
        let (h, words) = word_boxes(&pdf, page);
        // The stamp's white bands run from 11 to 23 pt above the bottom edge.
        let (band_top, band_bottom) = (h - 23.0, h - 11.0);
        let form: Vec<&(String, f32, f32)> = words
            .iter()
            .filter(|(w, _, _)| ["Signature", "Footerline", "Districtform"].contains(&w.as_str()))
            .collect();
        assert_eq!(
            form.len(),
            3,
            "the form's last words are on page {page}: {words:?}"
        );
        for (w, y0, y1) in form {
            assert!(
                *y1 <= band_top || *y0 >= band_bottom,
                "\"{w}\" ({y0}–{y1}) meets the stamp band ({band_top}–{band_bottom}) on page {page}"
            );
        }
        // And the stamp itself is there, in the band.
        assert!(
            words
                .iter()
                .any(|(w, y0, _)| w.contains("-000") && *y0 >= band_top - 1.0),
            "{words:?}"
        );
    }
    let check = tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(0));
}

#[test]
fn a_binder_carries_the_evidence_and_the_family_keeps_its_strategy() {
    // Issue 24 (6): forum advice and filing windows belong to the family's papers; a binder goes
    // to the district and the hearing officer as well.
    let (_tmp, case) = sample_case();
    let front_text = |args: &[&str], out: &str| -> String {
        let mut a = vec!["binder", "--date", DATE, "--out", out];
        a.extend(args);
        run_ok(&case, &a);
        let m = manifest(&case.join(out));
        page_texts(
            &case.join(out),
            m["binder"]["front_pages"].as_u64().unwrap() as u32,
        )
        .join("\n")
    };
    let due_process = front_text(&[], "dp.pdf");
    assert!(due_process.contains("Chronology"), "the neutral chronology stays");
    assert!(
        !due_process.contains("Deadline findings"),
        "no findings page by default"
    );
    let complaint = front_text(&["--purpose", "state-complaint"], "sc.pdf");
    assert!(
        complaint.contains("Deadline findings"),
        "a state complaint's findings are the filing"
    );
    let asked = front_text(&["--findings"], "dp-findings.pdf");
    assert!(
        asked.contains("Deadline findings"),
        "--findings adds them when asked"
    );
    for (name, text) in [
        ("due process", &due_process),
        ("state complaint", &complaint),
        ("--findings", &asked),
    ] {
        for strategy in [
            "Filing windows",
            "window closed",
            "can be filed until",
            "time-barred",
        ] {
            assert!(
                !text.contains(strategy),
                "the {name} binder tells the reader {strategy:?}"
            );
        }
    }
    // The terminal still tells the family.
    let out = stdout(&run_code(&case, &["check", "--as-of", DATE], 1));
    assert!(out.contains("Filing windows"), "{out}");
}
