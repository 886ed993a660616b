//! The timeline as one self-contained web page: no scripts, no fonts, no network; lanes by kind,
//! school-year bands, possible issues marked at their dates, each entry opening its details.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::checks::{Report, Status};
use crate::classify::dates::school_year_tag;
use crate::timeline::{DocFacts, Event, describe};

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The lanes, left to right, and which event kinds go in each.
const LANES: &[(&str, &[&str])] = &[
    (
        "IEPs & meetings",
        &[
            "iep_meeting",
            "iep_amendment",
            "meeting",
            "meeting_notice",
            "meeting_proposed",
            "eligibility_determination",
            "iep_start",
            "iep_end",
            "annual_review_due",
        ],
    ),
    (
        "Evaluations",
        &[
            "evaluation_report",
            "iee_report",
            "evaluation_testing",
            "consent_received",
            "reevaluation_due",
            "fba",
            "bip",
        ],
    ),
    (
        "Notices & progress",
        &[
            "pwn_issued",
            "progress_report",
            "report_card",
            "safeguards_notice",
            "test_scores",
        ],
    ),
    (
        "Letters & email",
        &["parent_letter", "district_letter", "email", "medical"],
    ),
    (
        "Requests & your notes",
        &[
            "records_requested",
            "records_received",
            "iee_requested",
            "evaluation_requested",
            "meeting_requested",
        ],
    ),
];

fn lane_of(e: &Event) -> usize {
    if e.source == "user" && !LANES[4].1.contains(&e.kind.as_str()) {
        return 4;
    }
    LANES
        .iter()
        .position(|(_, kinds)| kinds.contains(&e.kind.as_str()))
        .unwrap_or(3)
}

const STYLE: &str = "
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
header{background:#23395d;color:#fff;padding:18px 28px}
header h1{margin:0 0 4px;font-size:22px}
header p{margin:0;opacity:.85}
main{padding:18px 28px}
.legend span{display:inline-block;margin-right:14px;font-size:13px}
.dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:5px;vertical-align:middle}
.grid{display:grid;grid-template-columns:110px repeat(5,minmax(150px,1fr));gap:0;background:#fff;border:1px solid #d9dde3;border-radius:8px;overflow:hidden}
.head{position:sticky;top:0;background:#eef1f5;font-weight:600;font-size:13px;padding:8px;border-bottom:1px solid #d9dde3}
.year{grid-column:1/-1;padding:6px 10px;font-weight:700;font-size:13px;letter-spacing:.04em;color:#23395d;border-top:2px solid #23395d}
.y0{background:#eef4fb}.y1{background:#fbf6ee}
.date{padding:6px 8px;font-variant-numeric:tabular-nums;font-size:13px;color:#4a5567;border-top:1px solid #eef0f3}
.cell{padding:4px 6px;border-top:1px solid #eef0f3;border-left:1px solid #f1f2f5}
details{border-radius:6px;padding:4px 7px;background:#f2f5fa;border-left:4px solid #8aa0bf}
details[open]{background:#fff;box-shadow:0 1px 4px rgba(0,0,0,.12)}
summary{cursor:pointer;font-size:13.5px}
summary b{display:block;font-size:11.5px;text-transform:uppercase;letter-spacing:.03em;color:#4a5567}
details p{margin:6px 0 2px;font-size:12.5px;color:#333}
code{background:#eef0f3;padding:1px 4px;border-radius:3px;font-size:12px}
.l0 details{border-color:#2f6fb3}.l1 details{border-color:#7b4fb3}.l2 details{border-color:#2e8b57}.l3 details{border-color:#8a8f98}.l4 details{border-color:#c77d1a}
.issue{grid-column:2/-1;margin:3px 6px;padding:6px 10px;border-radius:6px;font-size:13px}
.violated{background:#fde8e8;border-left:5px solid #c0392b}
.soft{background:#fff4dc;border-left:5px solid #d68910}
.open{background:#e8f4fd;border-left:5px solid #2f6fb3}
.verbal{font-style:italic}
footer{padding:14px 28px;font-size:12.5px;color:#5a6474}
";

/// The whole page.
pub fn timeline_page(student: &str, events: &[Event], docs: &[DocFacts], report: &Report) -> String {
    let by_id: BTreeMap<i64, &DocFacts> = docs.iter().map(|d| (d.id, d)).collect();
    let mut h = String::new();
    let count = |s: &str| report.findings.iter().filter(|f| f.status == s).count();
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Timeline — {name}</title><style>{STYLE}</style></head><body>\
         <header><h1>Timeline — {name}</h1><p>{n} events · rules: {profile} · as of {as_of} · {v} possible violation(s), {s} flagged, {o} open</p></header><main>",
        name = esc(student),
        n = events.len(),
        profile = esc(&report.profile_name),
        as_of = report.as_of,
        v = count("violated"),
        s = count("soft"),
        o = count("open"),
    );
    h.push_str("<p class=\"legend\">");
    for (i, (lane, _)) in LANES.iter().enumerate() {
        let color = ["#2f6fb3", "#7b4fb3", "#2e8b57", "#8a8f98", "#c77d1a"][i];
        let _ = write!(
            h,
            "<span><i class=\"dot\" style=\"background:{color}\"></i>{}</span>",
            esc(lane)
        );
    }
    h.push_str("<span><i class=\"dot\" style=\"background:#c0392b\"></i>possible issue</span></p>");
    h.push_str("<div class=\"grid\" role=\"table\"><div class=\"head\">Date</div>");
    for (lane, _) in LANES {
        let _ = write!(h, "<div class=\"head\">{}</div>", esc(lane));
    }
    // Possible issues, placed at their due dates.
    let mut issues: Vec<&crate::checks::Finding> = report
        .findings
        .iter()
        .filter(|f| f.status != Status::Met && !f.rule.ends_with("_window"))
        .collect();
    issues.sort_by_key(|f| f.due);
    let mut issue_iter = issues.into_iter().peekable();
    let mut year = String::new();
    let mut band = 0;
    let emit_issue = |h: &mut String, f: &crate::checks::Finding| {
        let _ = write!(
            h,
            "<div class=\"date\">{}</div><div class=\"issue {}\"><strong>{}: {}</strong> ({}) — {}</div>",
            f.due.map(|d| d.to_string()).unwrap_or_default(),
            esc(f.status.as_str()),
            if f.status == Status::Violated {
                "Possible issue"
            } else if f.status == Status::Soft {
                "Worth asking"
            } else {
                "Coming up"
            },
            esc(&f.rule.replace('_', " ")),
            esc(&f.citation),
            esc(&f.explanation),
        );
    };
    for e in events {
        while let Some(f) = issue_iter.peek() {
            if f.due.is_some_and(|d| d <= e.date) {
                if let Some(f) = issue_iter.next() {
                    emit_issue(&mut h, f);
                }
            } else {
                break;
            }
        }
        let sy = school_year_tag(e.date);
        if sy != year {
            year = sy;
            band = 1 - band;
            let _ = write!(
                h,
                "<div class=\"year y{band}\">School year {}</div>",
                esc(&year[2..].replace('-', "–"))
            );
        }
        let lane = lane_of(e);
        let _ = write!(h, "<div class=\"date y{band}\">{}</div>", e.date);
        for l in 0..LANES.len() {
            if l != lane {
                h.push_str("<div class=\"cell\"></div>");
                continue;
            }
            let _ = write!(
                h,
                "<div class=\"cell l{l}\"><details><summary{}><b>{}</b>{}</summary>",
                if e.verbal { " class=\"verbal\"" } else { "" },
                esc(&describe(&e.kind)),
                esc(&e.title)
            );
            for id in &e.documents {
                if let Some(d) = by_id.get(id) {
                    let _ = write!(
                        h,
                        "<p>Document {id}: {} · {} · dated {}<br><code>{}</code><br>{}See it: <code>casebinder show {id}</code></p>",
                        esc(crate::classify::kinds::label(&d.kind)),
                        esc(d.author.as_deref().unwrap_or("author unknown")),
                        d.date.map(|x| x.to_string()).unwrap_or_else(|| "undated".into()),
                        esc(&d.path),
                        if d.tags.is_empty() {
                            String::new()
                        } else {
                            format!("Tags: {}<br>", esc(&d.tags.join(", ")))
                        },
                    );
                } else {
                    let _ = write!(h, "<p>Document {id}: <code>casebinder show {id}</code></p>");
                }
            }
            if e.source == "user" {
                let _ = write!(
                    h,
                    "<p>Recorded by you{}{}</p>",
                    if e.verbal { " (said, not written)" } else { "" },
                    e.note
                        .as_deref()
                        .map(|n| format!(": {}", esc(n)))
                        .unwrap_or_default()
                );
            }
            h.push_str("</details></div>");
        }
    }
    for f in issue_iter {
        emit_issue(&mut h, f);
    }
    h.push_str("</div></main><footer>Made by casebinder on this computer; nothing was sent anywhere. Possible issues are things to look into with an advocate, not legal conclusions.</footer></body></html>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(esc("<b>\"A&B\"</b>"), "&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;");
    }
}
