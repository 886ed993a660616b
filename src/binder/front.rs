//! The pages casebinder composes: cover, exhibit index, chronology, findings appendix, tab
//! pages, placeholders, and emails or text files set as readable pages.
//!
//! Everything here is layout only (lines with positions); [`super::build`] draws it. The
//! index and chronology are tables whose rows wrap, repeat their header on each page, and
//! carry a link rectangle to the exhibit they name.

use super::font::Fonts;
use super::layout::{Flow, Line, MARGIN, Paper, wrap};
use super::{Body, Exhibit, FrontPage, Plan, Purpose, Section, Shape};
use crate::checks::Status;
use crate::classify::kinds;
use crate::picture::{LANES, Picture, SpanState};

const TABLE_SIZE: f32 = 8.5;

/// A cell: text, bold, gray.
struct Cell {
    text: String,
    bold: bool,
    gray: f32,
}

fn cell(text: impl Into<String>) -> Cell {
    Cell {
        text: text.into(),
        bold: false,
        gray: 0.0,
    }
}

struct Row {
    cells: Vec<Cell>,
    /// The whole row links to this exhibit.
    link: Option<usize>,
}

fn new_page(section: Section) -> FrontPage {
    FrontPage {
        section,
        lines: Vec::new(),
        rules: Vec::new(),
        links: Vec::new(),
        shapes: Vec::new(),
    }
}

fn push_line(page: &mut FrontPage, x: f32, y: f32, size: f32, bold: bool, gray: f32, text: &str) {
    page.lines.push(Line {
        x,
        y,
        size,
        bold,
        gray,
        text: text.to_string(),
    });
}

/// Lays out a titled table over as many pages as it needs.
fn table(
    fonts: &mut Fonts,
    paper: Paper,
    section: Section,
    intro: &[String],
    cols: &[(&str, f32)],
    rows: &[Row],
) -> Vec<FrontPage> {
    let scale = (paper.w - 2.0 * MARGIN) / cols.iter().map(|c| c.1).sum::<f32>();
    let widths: Vec<f32> = cols.iter().map(|c| c.1 * scale).collect();
    let xs: Vec<f32> = widths
        .iter()
        .scan(MARGIN, |x, w| {
            let at = *x;
            *x += w;
            Some(at)
        })
        .collect();
    let leading = TABLE_SIZE * 1.3;
    let mut pages = Vec::new();
    let mut page = new_page(section);
    let mut y = paper.h - MARGIN;

    let header = |fonts: &mut Fonts, page: &mut FrontPage, y: &mut f32, first: bool| {
        let title = if first {
            section.title().to_string()
        } else {
            format!("{} (continued)", section.title())
        };
        *y -= 16.0;
        push_line(page, MARGIN, *y, 16.0, true, 0.0, &title);
        *y -= 8.0;
        if first {
            for para in intro {
                for l in wrap(fonts, para, 9.0, false, paper.w - 2.0 * MARGIN) {
                    *y -= 12.0;
                    push_line(page, MARGIN, *y, 9.0, false, 0.3, &l);
                }
            }
            *y -= 6.0;
        }
        *y -= leading;
        for (i, (name, _)) in cols.iter().enumerate() {
            push_line(page, xs[i] + 2.0, *y, TABLE_SIZE, true, 0.0, name);
        }
        *y -= 4.0;
        page.rules.push((MARGIN, *y, paper.w - MARGIN, 0.8, 0.0));
    };
    header(fonts, &mut page, &mut y, true);
    for row in rows {
        let wrapped: Vec<Vec<String>> = row
            .cells
            .iter()
            .enumerate()
            .map(|(i, c)| wrap(fonts, &c.text, TABLE_SIZE, c.bold, widths[i] - 5.0))
            .collect();
        let height = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32 * leading + 4.0;
        if y - height < MARGIN + 6.0 {
            pages.push(std::mem::replace(&mut page, new_page(section)));
            y = paper.h - MARGIN;
            header(fonts, &mut page, &mut y, false);
        }
        let top = y;
        for (i, lines) in wrapped.iter().enumerate() {
            let c = &row.cells[i];
            for (k, l) in lines.iter().enumerate() {
                let ly = top - leading * (k as f32 + 1.0);
                push_line(&mut page, xs[i] + 2.0, ly, TABLE_SIZE, c.bold, c.gray, l);
            }
        }
        y -= height;
        page.rules.push((MARGIN, y + 2.0, paper.w - MARGIN, 0.3, 0.7));
        if let Some(target) = row.link {
            page.links
                .push(([MARGIN, y + 2.0, paper.w - MARGIN, top], target));
        }
    }
    pages.push(page);
    pages
}

/// Fills the lines kept under each e-mail attachment's name with where that attachment is in
/// this binder: its label and Bates range, or that it is not in it.
/// `found_at` maps each place a chosen document was found (`Emails/a.eml::b.pdf`) to its
/// SHA-256: an attachment that is also a file of its own is one exhibit, wherever it sits.
pub fn fill_attachment_lines(plan: &mut Plan, found_at: &std::collections::HashMap<String, String>) {
    let by_sha: std::collections::HashMap<&str, usize> = plan
        .exhibits
        .iter()
        .enumerate()
        .map(|(i, e)| (e.sha256.as_str(), i))
        .collect();
    let mut by_locator: std::collections::HashMap<String, usize> = plan
        .exhibits
        .iter()
        .enumerate()
        .map(|(i, e)| (e.locator.clone(), i))
        .collect();
    for (at, sha) in found_at {
        if let Some(&i) = by_sha.get(sha.as_str()) {
            by_locator.entry(at.clone()).or_insert(i);
        }
    }
    let mut said: Vec<(usize, usize, usize, String)> = Vec::new();
    for (i, e) in plan.exhibits.iter().enumerate() {
        let Body::Text(pages) = &e.body else { continue };
        for (p, page) in pages.iter().enumerate() {
            for (l, line) in page.iter().enumerate() {
                let Some(key) = super::layout::reserved_key(line) else {
                    continue;
                };
                // The attachment as a sub-exhibit of this e-mail, else by the same name.
                let leaf = key.rsplit("::").next().unwrap_or(key);
                let found = by_locator.get(key).copied().or_else(|| {
                    plan.exhibits
                        .iter()
                        .position(|a| a.parent == Some(i) && a.locator.rsplit("::").next() == Some(leaf))
                });
                let text = match found {
                    Some(k) => {
                        let a = &plan.exhibits[k];
                        format!("Exhibit {}, {}", a.label, bates_range(plan, a))
                    }
                    None => "Not in this binder.".to_string(),
                };
                said.push((i, p, l, text));
            }
        }
    }
    for (i, p, l, text) in said {
        if let Body::Text(pages) = &mut plan.exhibits[i].body
            && let Some(line) = pages.get_mut(p).and_then(|page| page.get_mut(l))
        {
            line.text = text;
        }
    }
}

fn bates_range(plan: &Plan, e: &Exhibit) -> String {
    if e.bates_start == e.bates_end {
        plan.settings.bates(e.bates_start)
    } else {
        format!(
            "{} – {}",
            plan.settings.bates(e.bates_start),
            plan.settings.bates(e.bates_end)
        )
    }
}

fn page_range(e: &Exhibit) -> String {
    if e.first_page == e.last_page {
        e.first_page.to_string()
    } else {
        format!("{}–{}", e.first_page, e.last_page)
    }
}

/// Where an exhibit is cited: "P-12 at RIVERA-000123".
pub fn cite(plan: &Plan, i: usize) -> String {
    let e = &plan.exhibits[i];
    format!("{} at {}", e.label, plan.settings.bates(e.bates_start))
}

/// The front matter for the plan's current numbering.
pub fn layout(plan: &mut Plan) -> Vec<FrontPage> {
    let paper = plan.settings.paper();
    let mut pages = vec![cover(plan, paper)];

    // The index reads in date order (an attachment under its e-mail), whatever the order of the
    // pages: a supplement of newcomers sits after the exhibits first produced.
    let mut order: Vec<usize> = (0..plan.exhibits.len()).collect();
    let group_key = |i: usize| {
        let head = plan.exhibits[i].parent.unwrap_or(i);
        let h = &plan.exhibits[head];
        (
            h.date.is_none(),
            h.date.clone(),
            head,
            plan.exhibits[i].parent.is_some(),
            i,
        )
    };
    order.sort_by_key(|i| group_key(*i));
    let rows: Vec<Row> = order
        .iter()
        .map(|&i| (i, &plan.exhibits[i]))
        .map(|(i, e)| {
            let mut desc = e.describe();
            if let super::Body::Placeholder(_) = e.body {
                desc.push_str(" — not included, see its page");
            }
            Row {
                cells: vec![
                    Cell {
                        text: if e.parent.is_some() {
                            format!("  {}", e.label)
                        } else {
                            e.label.clone()
                        },
                        bold: true,
                        gray: 0.0,
                    },
                    match &e.date {
                        Some(d) => cell(d.clone()),
                        None => Cell {
                            text: "undated".into(),
                            bold: false,
                            gray: 0.45,
                        },
                    },
                    cell(kinds::label(&e.kind)),
                    cell(desc),
                    cell(page_range(e)),
                    cell(bates_range(plan, e)),
                ],
                link: Some(i),
            }
        })
        .collect();
    let undated = plan.exhibits.iter().filter(|e| e.date.is_none()).count();
    let mut intro = vec![format!(
        "{} exhibits, oldest first. Click a row to go to the exhibit. Pages are binder pages; every exhibit page also carries its Bates number.",
        plan.exhibits.len()
    )];
    if plan
        .exhibits
        .windows(2)
        .any(|w| w[0].date.is_some() && w[1].date.is_some() && w[1].date < w[0].date && w[1].parent.is_none())
    {
        intro.push(
            "Exhibits added after this binder was first produced follow the others, with Bates numbers after the highest produced before: the numbers already given never change.".to_string(),
        );
    }
    if undated > 0 {
        intro.push(format!(
            "{undated} undated document(s) are at the end, marked \"undated\"."
        ));
    }
    let cols = [
        ("Exhibit", 44.0),
        ("Date", 58.0),
        ("Kind", 72.0),
        ("Description", 172.0),
        ("Pages", 40.0),
        ("Bates", 118.0),
    ];
    pages.extend(table(
        &mut plan.fonts,
        paper,
        Section::Index,
        &intro,
        &cols,
        &rows,
    ));

    // The picture of the case opens the chronology.
    if plan.settings.timeline_page {
        pages.extend(timeline_pages(plan, paper));
    }

    // No dated event in the exhibits: no chronology page (an empty table says nothing).
    if plan.settings.chronology && !plan.chronology.is_empty() {
        let rows: Vec<Row> = plan
            .chronology
            .iter()
            .map(|c| {
                let where_ = if c.exhibits.is_empty() {
                    if c.verbal {
                        "said in person; recorded by the family".to_string()
                    } else {
                        "recorded by the family (no document)".to_string()
                    }
                } else {
                    c.exhibits
                        .iter()
                        .map(|i| cite(plan, *i))
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                Row {
                    cells: vec![
                        cell(c.date.format("%Y-%m-%d").to_string()),
                        cell(c.text.clone()),
                        cell(where_),
                    ],
                    link: c.exhibits.first().copied(),
                }
            })
            .collect();
        let cols = [("Date", 58.0), ("What happened", 290.0), ("Shown by", 156.0)];
        let intro = vec![
            "Each event cites the exhibit and Bates page that shows it. Click a row to go there.".to_string(),
        ];
        let mut chrono = table(&mut plan.fonts, paper, Section::Chronology, &intro, &cols, &rows);
        if plan.settings.purpose == Purpose::Mediation && chrono.len() > 1 {
            // A working binder keeps its chronology to one page: the most recent events.
            let mut keep = rows.len();
            while keep > 1 && chrono.len() > 1 {
                keep -= 1;
                let mut short: Vec<Row> = rows[rows.len() - keep..]
                    .iter()
                    .map(|r| Row {
                        cells: r
                            .cells
                            .iter()
                            .map(|c| Cell {
                                text: c.text.clone(),
                                bold: c.bold,
                                gray: c.gray,
                            })
                            .collect(),
                        link: r.link,
                    })
                    .collect();
                short.insert(
                    0,
                    Row {
                        cells: vec![
                            cell(""),
                            Cell {
                                text: format!(
                                    "… {} earlier events are left out of this one-page chronology.",
                                    rows.len() - keep
                                ),
                                bold: false,
                                gray: 0.45,
                            },
                            cell(""),
                        ],
                        link: None,
                    },
                );
                chrono = table(&mut plan.fonts, paper, Section::Chronology, &intro, &cols, &short);
            }
        }
        pages.extend(chrono);
    }

    if plan.settings.findings {
        pages.extend(findings(plan, paper));
    }
    pages
}

fn cover(plan: &mut Plan, paper: Paper) -> FrontPage {
    let s = plan.settings.clone();
    let fonts = &mut plan.fonts;
    let mut page = new_page(Section::Cover);
    let width = paper.w - 2.0 * MARGIN;
    let mut y = paper.h - 2.0 * MARGIN;
    push_line(&mut page, MARGIN, y, 12.0, false, 0.35, "EVIDENCE BINDER");
    y -= 36.0;
    for l in wrap(fonts, &s.case_title, 26.0, true, width) {
        push_line(&mut page, MARGIN, y, 26.0, true, 0.0, &l);
        y -= 32.0;
    }
    let purpose = match s.purpose {
        Purpose::Mediation => "Mediation: working binder",
        Purpose::StateComplaint => "State complaint: supporting documents",
        Purpose::DueProcess => "Due process hearing: exhibits",
    };
    push_line(&mut page, MARGIN, y, 15.0, false, 0.0, purpose);
    y -= 20.0;
    if let Some(d) = &s.district {
        push_line(&mut page, MARGIN, y, 12.0, false, 0.25, &format!("and {d}"));
        y -= 18.0;
    }
    y -= 10.0;
    page.rules.push((MARGIN, y, paper.w - MARGIN, 1.0, 0.0));
    y -= 26.0;
    let first = plan.exhibits.first().map(|e| e.bates_start);
    let last = plan.exhibits.last().map(|e| e.bates_end);
    let mut facts: Vec<(String, String)> = Vec::new();
    if let Some(st) = &s.student {
        facts.push(("Student".into(), st.clone()));
    }
    if let Some(p) = &s.prepared_by {
        facts.push(("Prepared by".into(), p.clone()));
    }
    facts.push(("Date".into(), s.date.format("%B %-d, %Y").to_string()));
    if let Some(h) = s.hearing_date {
        facts.push(("Hearing date".into(), h.format("%B %-d, %Y").to_string()));
    }
    if let Some(d) = plan.disclosure_deadline {
        facts.push((
            "Disclose exhibits by".into(),
            format!(
                "{} (5 business days before the hearing, 34 CFR 300.512(b)(1))",
                d.format("%B %-d, %Y")
            ),
        ));
    }
    let exhibit_pages: u32 = plan.exhibits.iter().map(|e| e.pages).sum();
    facts.push((
        "Exhibits".into(),
        format!(
            "{} ({} pages), labelled {} to {}",
            plan.exhibits.len(),
            exhibit_pages,
            plan.exhibits.first().map(|e| e.label.as_str()).unwrap_or("-"),
            plan.exhibits
                .iter()
                .rev()
                .find(|e| e.parent.is_none())
                .map(|e| e.label.as_str())
                .unwrap_or("-"),
        ),
    ));
    if let (Some(a), Some(b)) = (first, last) {
        facts.push((
            "Bates numbers".into(),
            format!("{} to {}", s.bates(a), s.bates(b)),
        ));
    }
    facts.push(("Binder pages".into(), plan.total_pages.to_string()));
    for (k, v) in facts {
        push_line(&mut page, MARGIN, y, 11.0, true, 0.0, &k);
        for (i, l) in wrap(fonts, &v, 11.0, false, width - 140.0).iter().enumerate() {
            push_line(
                &mut page,
                MARGIN + 140.0,
                y - i as f32 * 14.0,
                11.0,
                false,
                0.0,
                l,
            );
            if i > 0 {
                y -= 14.0;
            }
        }
        y -= 20.0;
    }
    y -= 14.0;
    let notes = [
        "Exhibits are in date order, oldest first; undated documents are last and marked \"undated\". \
         An attachment follows its email as a lettered sub-exhibit.",
        "Every page shows its binder page number at the bottom left; every exhibit page shows its \
         exhibit label and Bates number at the bottom right.",
        "The manifest beside this file lists the SHA-256 of every source document and of this binder, \
         so any later change to either can be detected.",
    ];
    for n in notes {
        for l in wrap(fonts, n, 9.0, false, width) {
            push_line(&mut page, MARGIN, y, 9.0, false, 0.3, &l);
            y -= 12.0;
        }
        y -= 6.0;
    }
    page
}

fn findings(plan: &mut Plan, paper: Paper) -> Vec<FrontPage> {
    let index: std::collections::HashMap<i64, usize> = plan
        .exhibits
        .iter()
        .enumerate()
        .map(|(i, e)| (e.doc_id, i))
        .collect();
    // Where an anchor is shown in this binder: "P-9 at RIVERA-000010", or how it is known.
    let shown_by = |a: &crate::checks::Anchor| -> String {
        let cites: Vec<String> = a
            .documents
            .iter()
            .filter_map(|d| index.get(d))
            .map(|i| cite(plan, *i))
            .collect();
        match (cites.is_empty(), a.events.is_empty(), a.verbal) {
            (false, _, _) => cites.join("; "),
            (true, false, true) => "said in person; recorded by the family".into(),
            (true, false, false) => "recorded by the family".into(),
            (true, true, _) => "no exhibit".into(),
        }
    };
    // The filing windows are the family's strategy (which claims can still be raised, and
    // where), for the family's own papers and the terminal: a binder goes to the district and
    // the hearing officer as well, and carries the deadlines as facts only.
    let issues: Vec<&crate::checks::Finding> = plan
        .findings
        .iter()
        .filter(|f| !f.rule.ends_with("_window"))
        .collect();
    let mut texts: Vec<(String, Vec<String>)> = Vec::new();
    for f in &issues {
        let status = match (f.status, f.days_late) {
            (Status::Violated, Some(d)) => format!("Missed by {d} {}", f.day_type.words()),
            (Status::Violated, None) => "Missed".to_string(),
            (Status::Unsure, _) => "Missed, if the date shown is right".to_string(),
            (Status::Open, _) => "Not yet due".to_string(),
            (Status::Soft, Some(d)) => format!("No action shown after {d} more days"),
            (Status::Soft, None) => "No action shown".to_string(),
            (Status::Met, _) => "Met".to_string(),
        };
        let mut lines = vec![format!(
            "Started {}: {} ({}).",
            f.trigger.date,
            f.trigger.title,
            shown_by(&f.trigger)
        )];
        if let Some(due) = f.due {
            lines.push(format!("Due {due}."));
        }
        match f.satisfied_by.first() {
            Some(s) => lines.push(format!("Done {}: {} ({}).", s.date, s.title, shown_by(s))),
            None if f.status != Status::Open => {
                lines.push("No document or recorded event shows it was done.".into())
            }
            None => {}
        }
        if f.status == Status::Unsure {
            lines.push("The date of a document it rests on is uncertain and should be confirmed.".into());
        }
        texts.push((format!("{status}: {} ({})", f.title, f.citation), lines));
    }
    let fonts = &mut plan.fonts;
    let mut flow = Flow::new(paper);
    flow.para(fonts, Section::Findings.title(), 16.0, true, 0.0, 0.0);
    flow.space(6.0);
    flow.para(
        fonts,
        "Deadlines of the IDEA and the state's rules that look missed or are still open, from the documents in this \
         binder and the events the family recorded. These are possible timeline issues to look into, not legal conclusions.",
        9.0,
        false,
        0.3,
        0.0,
    );
    if texts.is_empty() {
        flow.space(10.0);
        flow.para(fonts, "No deadline looks missed.", 10.0, false, 0.0, 0.0);
    }
    for (head, lines) in &texts {
        flow.space(8.0);
        flow.need(40.0);
        flow.para(fonts, head, 10.0, true, 0.0, 0.0);
        for l in lines {
            flow.para(fonts, l, 9.0, false, 0.0, 10.0);
        }
    }
    flow.pages
        .into_iter()
        .map(|lines| FrontPage {
            section: Section::Findings,
            lines,
            rules: Vec::new(),
            links: Vec::new(),
            shapes: Vec::new(),
        })
        .collect()
}

/// An email, text file, .docx or web page set as readable pages.
pub fn text_exhibit(
    fonts: &mut Fonts,
    paper: Paper,
    e: &Exhibit,
    format: &str,
    texts: &[String],
) -> Vec<Vec<Line>> {
    let mut flow = Flow::new(paper);
    let what = match format {
        "email" => "Email",
        "docx" => "Word document (its text)",
        "html" => "Web page (its text)",
        _ => "Text file",
    };
    flow.para(fonts, &format!("{what} · {}", e.locator), 8.0, false, 0.45, 0.0);
    flow.space(8.0);
    let text = texts.join("\n\n");
    let mut body = text.as_str();
    if format == "email" {
        // The header block the reader put first: From, To, Cc, Date, Subject.
        let (head, rest) = match text.split_once("\n\n") {
            Some((h, r)) => (h, r),
            None => (text.as_str(), ""),
        };
        for line in head.lines() {
            match line.split_once(": ") {
                Some((k, v)) if ["From", "To", "Cc", "Date", "Subject"].contains(&k) => {
                    flow.field(fonts, &format!("{k}:"), v, 10.0, 58.0);
                }
                _ => flow.para(fonts, line, 10.0, false, 0.0, 0.0),
            }
        }
        body = rest;
    }
    flow.space(6.0);
    // An e-mail's list of attachments gets a line under each name for where it is in the binder
    // (its label and Bates numbers are known once the pages are numbered).
    let (body, attached) = match body.trim_end().rsplit_once("\n\nAttachments:\n") {
        Some((b, list)) if format == "email" => (b, list),
        _ => (body.trim_end(), ""),
    };
    flow.para(fonts, body, 10.0, false, 0.0, 0.0);
    if !attached.is_empty() {
        flow.space(10.0);
        flow.para(fonts, "Attachments:", 10.0, true, 0.0, 0.0);
        for name in attached.lines().map(str::trim).filter(|n| !n.is_empty()) {
            flow.para(fonts, name, 10.0, false, 0.0, 14.0);
            flow.reserve(format!("{}::{name}", e.locator), 9.0, 0.35, 28.0);
        }
    }
    flow.pages.retain(|p| !p.is_empty());
    if flow.pages.is_empty() {
        flow.pages.push(Vec::new());
    }
    flow.pages
}

/// A tab page: the exhibit's label large, and what it is.
pub fn tab_page(fonts: &mut Fonts, paper: Paper, e: &Exhibit) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut centered = |fonts: &mut Fonts, text: &str, y: f32, size: f32, bold: bool, gray: f32| {
        let w = fonts.width(text, size, bold);
        lines.push(Line {
            x: (paper.w - w) / 2.0,
            y,
            size,
            bold,
            gray,
            text: text.to_string(),
        });
    };
    let mid = paper.h / 2.0 + 40.0;
    centered(fonts, &e.label, mid, 44.0, true, 0.0);
    let sub = format!(
        "{} · {}",
        e.date.as_deref().unwrap_or("undated"),
        kinds::label(&e.kind)
    );
    centered(fonts, &sub, mid - 40.0, 13.0, false, 0.25);
    let mut y = mid - 62.0;
    for l in wrap(fonts, &e.describe(), 12.0, false, paper.w - 4.0 * MARGIN) {
        centered(fonts, &l, y, 12.0, false, 0.0);
        y -= 16.0;
    }
    lines
}

/// Why a document is not reproduced, for the reader of the binder: the fact only (the advice
/// to the family that comes with it stays in the terminal).
pub fn reader_reason(reason: &str) -> String {
    let r = reason.trim().trim_start_matches("placeholder: ");
    let first = match r.find(". ") {
        Some(i) => &r[..=i],
        None => r,
    };
    let first = first.trim();
    if first.ends_with('.') {
        first.to_string()
    } else {
        format!("{first}.")
    }
}

/// The page standing in for a document (or a page of one) that is not reproduced.
pub fn placeholder_page(fonts: &mut Fonts, paper: Paper, e: &Exhibit, reason: &str) -> Vec<Line> {
    let mut flow = Flow::new(paper);
    flow.para(
        fonts,
        &format!("{}: not reproduced", e.label),
        16.0,
        true,
        0.0,
        0.0,
    );
    flow.space(12.0);
    flow.field(fonts, "Document", &e.title, 10.0, 90.0);
    flow.field(fonts, "Kind", kinds::label(&e.kind), 10.0, 90.0);
    flow.field(fonts, "Date", e.date.as_deref().unwrap_or("undated"), 10.0, 90.0);
    flow.field(fonts, "File", &e.locator, 10.0, 90.0);
    flow.field(fonts, "SHA-256", &e.sha256, 10.0, 90.0);
    flow.space(8.0);
    flow.field(fonts, "Why", &reader_reason(reason), 10.0, 90.0);
    flow.space(8.0);
    flow.para(
        fonts,
        "This page keeps the document's place, label and Bates number in the binder. The SHA-256 above identifies the original file.",
        9.0,
        false,
        0.3,
        0.0,
    );
    flow.pages.into_iter().next().unwrap_or_default()
}

/// RGB of a `#rrggbb` colour.
fn rgb(hex: &str) -> [f32; 3] {
    let h = hex.trim_start_matches('#');
    let part = |i: usize| {
        h.get(i..i + 2)
            .and_then(|p| u8::from_str_radix(p, 16).ok())
            .map_or(0.0, |v| f32::from(v) / 255.0)
    };
    [part(0), part(2), part(4)]
}

/// The lanes' colours, as on the web page.
const LANE_RGB: [&str; 5] = ["#2f6fb3", "#7b4fb3", "#2e8b57", "#8a8f98", "#c77d1a"];
const LATE_RGB: &str = "#c0392b";
const MET_RGB: &str = "#7fbf8e";
const SPAN_RGB: &str = "#9db4d3";
const DOUBT_RGB: &str = "#f0c36b";
const GAP_RGB: &str = "#b03a2e";
const GAP_FILL: &str = "#fbe3e0";

/// `text` cut to `width` points with an ellipsis.
fn fit(fonts: &mut Fonts, text: &str, size: f32, bold: bool, width: f32) -> String {
    if fonts.width(text, size, bold) <= width {
        return text.to_string();
    }
    let mut out: String = text.to_string();
    while !out.is_empty() && fonts.width(&format!("{out}…"), size, bold) > width {
        out.pop();
    }
    format!("{}…", out.trim_end())
}

/// A bar's label: it reads right from the bar's start, or ends at the page's right edge when it
/// would run past it, cut to fit. `style`: size, bold, gray; `bounds`: the track's left and right.
fn bar_label(
    page: &mut FrontPage,
    fonts: &mut Fonts,
    label: &str,
    style: (f32, bool, f32),
    at: (f32, f32),
    bounds: (f32, f32),
) {
    let (size, bold, gray) = style;
    let (x0, right) = bounds;
    let lw = fonts.width(label, size, bold);
    let lx = if at.0 + lw <= right {
        at.0
    } else {
        (right - lw).max(x0)
    };
    let text = fit(fonts, label, size, bold, right - lx);
    push_line(page, lx, at.1, size, bold, gray, &text);
}

/// The picture of the case as the first chronology pages, one school year a page: lanes of
/// documents (each with its exhibit label when it is in this binder, linked to it), the
/// deadlines as bars (the days late in red, with the number), the missing papers hatched.
pub fn timeline_pages(plan: &mut Plan, paper: Paper) -> Vec<FrontPage> {
    let Some(p) = plan.picture.clone() else {
        return Vec::new();
    };
    if p.marks.is_empty() && p.spans.is_empty() {
        return Vec::new();
    }
    let by_sha: std::collections::HashMap<&str, usize> = plan
        .exhibits
        .iter()
        .enumerate()
        .map(|(i, e)| (e.sha256.as_str(), i))
        .collect();
    let hashes: std::collections::HashMap<i64, usize> = p
        .marks
        .iter()
        .flat_map(|m| m.docs.iter())
        .filter_map(|d| {
            d.sha256
                .as_deref()
                .and_then(|s| by_sha.get(s))
                .map(|i| (d.id, *i))
        })
        .collect();
    let mut pages = Vec::new();
    for year in &p.years {
        let (from, to) = (year.start, year.end);
        let mut page = new_page(Section::Chronology);
        let fonts = &mut plan.fonts;
        let left = MARGIN;
        let right = paper.w - MARGIN;
        let lab_w = 82.0;
        let x0 = left + lab_w;
        let tw = right - x0;
        let x_of = |d: chrono::NaiveDate| x0 + tw * Picture::frac(from, to, d) as f32;
        let mut y = paper.h - MARGIN - 16.0;
        push_line(&mut page, left, y, 16.0, true, 0.0, "Chronology");
        y -= 18.0;
        push_line(
            &mut page,
            left,
            y,
            11.0,
            true,
            0.0,
            &format!("The case at a glance: school year {}", year.label),
        );
        y -= 4.0;
        let intro = "Each mark is a document or an event, in the row of its sort, with its exhibit label when it is in this binder (click it to go there). \
                     Each bar is a deadline of the IDEA or the state's rules, from what started it to its answer; red shows the days past the deadline. \
                     Hatched bars are papers the family does not have. The dashed line is this binder's date.";
        for l in wrap(fonts, intro, 8.0, false, right - left) {
            y -= 10.0;
            push_line(&mut page, left, y, 8.0, false, 0.3, &l);
        }
        // The legend.
        y -= 14.0;
        let mut lx = left;
        let legend_item = |page: &mut FrontPage,
                           fonts: &mut Fonts,
                           lx: &mut f32,
                           y: &mut f32,
                           fill: [f32; 3],
                           text: &str| {
            let w = fonts.width(text, 7.0, false) + 16.0;
            if *lx + w > right {
                *lx = left;
                *y -= 11.0;
            }
            page.shapes.push(Shape::Fill {
                x: *lx,
                y: *y - 1.0,
                w: 9.0,
                h: 6.0,
                rgb: fill,
            });
            push_line(page, *lx + 12.0, *y, 7.0, false, 0.2, text);
            *lx += w + 6.0;
        };
        for (i, (name, _)) in LANES.iter().enumerate() {
            legend_item(&mut page, fonts, &mut lx, &mut y, rgb(LANE_RGB[i]), name);
        }
        legend_item(&mut page, fonts, &mut lx, &mut y, rgb(MET_RGB), "deadline met");
        legend_item(
            &mut page,
            fonts,
            &mut lx,
            &mut y,
            rgb(LATE_RGB),
            "days past a deadline",
        );
        legend_item(&mut page, fonts, &mut lx, &mut y, rgb(DOUBT_RGB), "to look into");
        legend_item(
            &mut page,
            fonts,
            &mut lx,
            &mut y,
            rgb(SPAN_RGB),
            "waiting or open",
        );
        legend_item(&mut page, fonts, &mut lx, &mut y, rgb(GAP_FILL), "missing paper");

        // The axis: the months.
        y -= 20.0;
        let axis_top = y + 8.0;
        for m in Picture::months(from, to) {
            let x = x_of(m);
            page.shapes.push(Shape::Stroke {
                x1: x,
                y1: y - 3.0,
                x2: x,
                y2: y + 7.0,
                width: 0.4,
                rgb: [0.6, 0.6, 0.6],
                dashed: false,
            });
            push_line(
                &mut page,
                x + 1.5,
                y,
                6.5,
                false,
                0.35,
                &m.format("%b %Y").to_string(),
            );
        }
        push_line(&mut page, left, y, 7.5, true, 0.0, &year.label);
        y -= 6.0;
        page.rules.push((left, y, right, 0.6, 0.3));

        // The lanes of marks.
        let mark_rows: Vec<usize> = (0..LANES.len())
            .map(|lane| {
                p.marks
                    .iter()
                    .filter(|m| m.lane == lane && m.date >= from && m.date <= to)
                    .map(|m| m.row + 1)
                    .max()
                    .unwrap_or(1)
            })
            .collect();
        let spans: Vec<&crate::picture::Span> = p
            .spans
            .iter()
            .filter(|s| s.from <= to && s.to.max(s.due.unwrap_or(s.to)) >= from)
            .collect();
        let gaps: Vec<&crate::picture::Gap> =
            p.gaps.iter().filter(|g| g.from <= to && g.to >= from).collect();
        let (span_rows, span_count) = crate::picture::span_rows_in(&spans, from, to);
        let (gap_rows, gap_count) = crate::picture::gap_rows_in(&gaps, from, to);
        // Rows shrink to fit the page (never below 60%).
        let needed: f32 = mark_rows.iter().map(|r| *r as f32 * 11.0 + 8.0).sum::<f32>()
            + span_count.max(1) as f32 * 19.0
            + 10.0
            + gap_count.max(1) as f32 * 17.0
            + 10.0;
        let room = y - MARGIN - 10.0;
        let k = (room / needed).clamp(0.6, 1.0);
        for (lane, (name, _)) in LANES.iter().enumerate() {
            let h = (mark_rows[lane] as f32 * 11.0 + 8.0) * k;
            let top = y;
            for (n, l) in wrap(fonts, name, 7.0, true, lab_w - 6.0)
                .iter()
                .take(2)
                .enumerate()
            {
                push_line(&mut page, left, top - 8.0 - 8.0 * n as f32, 7.0, true, 0.15, l);
            }
            let color = rgb(LANE_RGB[lane]);
            let marks: Vec<&crate::picture::Mark> = p
                .marks
                .iter()
                .filter(|m| m.lane == lane && m.date >= from && m.date <= to)
                .collect();
            for (n, m) in marks.iter().enumerate() {
                let x = x_of(m.date);
                let my = top - 8.0 * k - m.row as f32 * 11.0 * k;
                page.shapes.push(Shape::Fill {
                    x: x - 2.5,
                    y: my - 2.5,
                    w: 5.0,
                    h: 5.0,
                    rgb: color,
                });
                let target = m.docs.iter().find_map(|d| hashes.get(&d.id).copied());
                if let Some(t) = target {
                    page.links.push(([x - 4.0, my - 4.0, x + 4.0, my + 4.0], t));
                    // The exhibit's label, where the next mark of its row leaves room.
                    let label = plan.exhibits[t].label.clone();
                    let lw = fonts.width(&label, 5.5, false);
                    let room = marks[n + 1..]
                        .iter()
                        .find(|o| o.row == m.row)
                        .map_or(right - x, |o| x_of(o.date) - x);
                    if room > lw + 6.0 && x + 3.5 + lw <= right {
                        push_line(&mut page, x + 3.5, my - 2.0, 5.5, false, 0.25, &label);
                    }
                }
            }
            y -= h;
            page.rules.push((left, y, right, 0.3, 0.8));
        }

        // Deadlines.
        let top = y;
        push_line(&mut page, left, top - 9.0, 7.0, true, 0.15, "Deadlines");
        for (s, row) in spans.iter().zip(&span_rows) {
            let row = *row as f32;
            let by = top - 14.0 * k - row * 19.0 * k;
            let a = s.from.max(from);
            let end = s.to.max(s.due.unwrap_or(s.to)).min(to);
            let xa = x_of(a);
            let xb = x_of(end + chrono::Duration::days(1)).max(xa + 1.5);
            let fill = match s.state {
                SpanState::Met => MET_RGB,
                SpanState::Doubt => DOUBT_RGB,
                SpanState::Late | SpanState::Open => SPAN_RGB,
            };
            page.shapes.push(Shape::Fill {
                x: xa,
                y: by - 4.0,
                w: xb - xa,
                h: 4.0,
                rgb: rgb(fill),
            });
            if s.state == SpanState::Late
                && let Some(due) = s.due.filter(|d| *d < end)
            {
                let xd = x_of(due.max(a));
                page.shapes.push(Shape::Fill {
                    x: xd,
                    y: by - 5.0,
                    w: xb - xd,
                    h: 6.0,
                    rgb: rgb(LATE_RGB),
                });
            }
            if let Some(due) = s.due.filter(|d| *d >= a && *d <= end) {
                let xd = x_of(due);
                page.shapes.push(Shape::Stroke {
                    x1: xd,
                    y1: by - 6.0,
                    x2: xd,
                    y2: by + 2.0,
                    width: 0.8,
                    rgb: [0.1, 0.1, 0.1],
                    dashed: false,
                });
            }
            let label = crate::picture::span_label(s);
            let bold = s.state == SpanState::Late;
            let gray = if bold { 0.0 } else { 0.25 };
            let style = (6.5, bold, gray);
            bar_label(&mut page, fonts, &label, style, (xa, by + 2.5), (x0, right));
        }
        y -= (span_count.max(1) as f32 * 19.0 + 10.0) * k;
        page.rules.push((left, y, right, 0.3, 0.8));

        // Missing papers.
        let top = y;
        push_line(&mut page, left, top - 9.0, 7.0, true, 0.15, "Missing papers");
        for (g, row) in gaps.iter().zip(&gap_rows) {
            let row = *row as f32;
            let by = top - 13.0 * k - row * 17.0 * k;
            let xa = x_of(g.from.max(from));
            let xb = x_of(g.to.min(to) + chrono::Duration::days(1)).max(xa + 2.0);
            page.shapes.push(Shape::Fill {
                x: xa,
                y: by - 5.0,
                w: xb - xa,
                h: 5.0,
                rgb: rgb(GAP_FILL),
            });
            page.shapes.push(Shape::Frame {
                x: xa,
                y: by - 5.0,
                w: xb - xa,
                h: 5.0,
                rgb: rgb(GAP_RGB),
                dashed: true,
            });
            let label = format!("Missing: {}", g.what);
            bar_label(
                &mut page,
                fonts,
                &label,
                (6.0, false, 0.2),
                (xa, by + 1.5),
                (x0, right),
            );
        }
        y -= (gap_count.max(1) as f32 * 17.0 + 10.0) * k;
        page.rules.push((left, y, right, 0.6, 0.3));
        // The binder's date.
        if p.as_of >= from && p.as_of <= to {
            let x = x_of(p.as_of);
            page.shapes.push(Shape::Stroke {
                x1: x,
                y1: y,
                x2: x,
                y2: axis_top,
                width: 0.8,
                rgb: rgb("#23395d"),
                dashed: true,
            });
        }
        pages.push(page);
    }
    pages
}
