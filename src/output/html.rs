//! The timeline as one self-contained web page (no scripts, no fonts, no network): the case on
//! a time axis marked by school years and months, a lane for each sort of paper, each deadline a
//! bar from what started its clock to its answer (the days late in red), each missing paper a
//! hatched stretch; one school year a landscape page in print; the same facts as tables.

use std::fmt::Write;

use chrono::NaiveDate;

use crate::checks::{Report, Status};
use crate::picture::{Gap, LANES, Mark, Picture, Span, SpanState, gap_rows_in, span_label, span_rows_in};

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str = "
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
header{background:#23395d;color:#fff;padding:16px 20px}
header h1{margin:0 0 4px;font-size:21px}
header p{margin:0;opacity:.9}
main{padding:14px 20px}
h2{font-size:17px;margin:22px 0 8px}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;font-size:13px;margin:0 0 10px;padding:0;list-style:none}
.legend li{display:flex;align-items:center;gap:6px}
.sw{display:inline-block;width:22px;height:10px;border-radius:3px}
.dot{width:11px;height:11px;border-radius:50%}
.scroll{overflow-x:auto;background:#fff;border:1px solid #d9dde3;border-radius:8px;max-width:100%}
.pic{position:relative;min-width:100%}
.row{display:flex;border-top:1px solid #eef0f3}
.lab{position:sticky;left:0;z-index:3;flex:0 0 132px;width:132px;background:#f2f4f7;border-right:1px solid #d9dde3;font-size:12.5px;font-weight:600;padding:4px 8px;color:#34405a}
.track{position:relative;flex:1 1 auto}
.axis .track{height:40px}
.yb{position:absolute;top:0;bottom:0;border-left:2px solid #23395d;font-size:12px;font-weight:700;color:#23395d;padding:2px 4px;white-space:nowrap;overflow:hidden}
.yb.y1{background:#f4f7fb}
.mo{position:absolute;top:22px;font-size:10.5px;color:#6a7487;border-left:1px solid #c9cfd8;padding-left:2px;height:18px;overflow:hidden}
.asof{position:absolute;top:0;bottom:0;border-left:2px dashed #23395d;z-index:1;pointer-events:none}
.m{position:absolute;width:12px;height:12px;margin-left:-6px;border-radius:50%;border:2px solid #fff;box-shadow:0 0 0 1px rgba(0,0,0,.25);cursor:pointer;z-index:2}
.m.verbal{border-radius:2px;transform:rotate(45deg)}
.l0{background:#2f6fb3}.l1{background:#7b4fb3}.l2{background:#2e8b57}.l3{background:#8a8f98}.l4{background:#c77d1a}
.sp{position:absolute;height:9px;border-radius:5px;z-index:2;cursor:pointer}
.sp.met{background:#7fbf8e}.sp.late{background:#9db4d3}.sp.doubt{background:#f0c36b}.sp.open{background:repeating-linear-gradient(90deg,#9db4d3 0 6px,transparent 6px 10px)}
.over{position:absolute;top:-2px;height:13px;right:0;background:#c0392b;border-radius:0 5px 5px 0}
.due{position:absolute;top:-4px;width:2px;height:17px;background:#1d2430}
.sl{position:absolute;font-size:11px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;color:#1d2430;z-index:1}
.sl.late{color:#a02a1e;font-weight:600}
.gap{position:absolute;height:18px;border:1px dashed #b03a2e;background:repeating-linear-gradient(45deg,#fbe3e0 0 5px,#fff 5px 10px);border-radius:3px;z-index:2;cursor:pointer;min-width:6px}
.gl{position:absolute;font-size:11px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;color:#8a2a1f;z-index:1;padding-left:3px}
.tip{display:none;position:absolute;top:16px;left:0;z-index:9;width:min(280px,70vw);background:#fff;color:#1d2430;border:1px solid #b8c0cc;border-radius:6px;box-shadow:0 2px 8px rgba(0,0,0,.2);padding:7px 9px;font-size:12.5px;font-weight:400;white-space:normal;transform:none}
.tip.r{left:auto;right:0}
.m .tip{transform:rotate(0)}
.m.verbal .tip{transform:rotate(-45deg)}
.m:hover .tip,.m:focus .tip,.m:focus-within .tip,.sp:hover .tip,.sp:focus .tip,.sp:focus-within .tip,.gap:hover .tip,.gap:focus .tip,.gap:focus-within .tip{display:block}
.tip a{color:#1f5fa8}
.note{font-size:13px;color:#4a5567;margin:6px 0}
.tw{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;background:#fff;font-size:13px;min-width:100%}
th,td{border:1px solid #dde1e7;padding:4px 7px;text-align:left;vertical-align:top}
th{background:#eef1f5}
td.late{color:#a02a1e;font-weight:600}
.print-years{display:none}
footer{padding:14px 20px;font-size:12.5px;color:#5a6474}
@media (max-width:600px){.lab{flex-basis:84px;width:84px;font-size:11px;padding:3px 5px}main{padding:10px}header{padding:12px}}
@media print{
@page{size:landscape;margin:10mm}
body{background:#fff;font-size:11px}
header{background:#fff;color:#000;padding:0 0 6px}
.screen{display:none}
.print-years{display:block}
.py{break-after:page;page-break-after:always}
.py .lab{position:static}
.tip{display:none!important}
.m,.sp,.over,.gap,.sw,.dot,.yb.y1{-webkit-print-color-adjust:exact;print-color-adjust:exact}
.tables{break-before:page}
}
";

/// Colours of the lanes, in `picture::LANES` order.
const LANE_COLORS: [&str; 5] = ["#2f6fb3", "#7b4fb3", "#2e8b57", "#8a8f98", "#c77d1a"];

/// A path in the case folder as a relative link from where the page is saved (`base`: the way
/// from the page's folder to the case folder, "" or "../", ending in "/").
fn href(base: &str, path: &str) -> String {
    let mut out = String::from(base);
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    esc(&out)
}

/// Percent of a window, to two decimals (positions are stable text: the page is byte-for-byte
/// the same for the same case).
fn pct(from: NaiveDate, to: NaiveDate, d: NaiveDate) -> String {
    format!("{:.2}", Picture::frac(from, to, d) * 100.0)
}

fn state_class(s: SpanState) -> &'static str {
    match s {
        SpanState::Met => "met",
        SpanState::Late => "late",
        SpanState::Doubt => "doubt",
        SpanState::Open => "open",
    }
}

/// The legend: every colour and shape the picture uses.
fn legend(h: &mut String) {
    h.push_str("<ul class=\"legend\">");
    for (i, (lane, _)) in LANES.iter().enumerate() {
        let _ = write!(
            h,
            "<li><i class=\"sw dot\" style=\"background:{}\"></i>{}</li>",
            LANE_COLORS[i],
            esc(lane)
        );
    }
    h.push_str(
        "<li><i class=\"sw\" style=\"background:#7fbf8e\"></i>deadline met</li>\
         <li><i class=\"sw\" style=\"background:linear-gradient(90deg,#9db4d3 60%,#c0392b 60%)\"></i>deadline missed (red: the days late)</li>\
         <li><i class=\"sw\" style=\"background:#f0c36b\"></i>to look into</li>\
         <li><i class=\"sw\" style=\"background:repeating-linear-gradient(90deg,#9db4d3 0 6px,transparent 6px 10px)\"></i>still open</li>\
         <li><i class=\"sw\" style=\"border:1px dashed #b03a2e;background:repeating-linear-gradient(45deg,#fbe3e0 0 5px,#fff 5px 10px)\"></i>missing paper</li>\
         <li><i class=\"sw\" style=\"border-left:2px dashed #23395d;width:4px\"></i>as of</li></ul>",
    );
}

/// One mark's pop-up: what, when, the exhibit and a link to open each document.
fn mark_tip(m: &Mark, right: bool, base: &str) -> String {
    let mut t = format!(
        "<span class=\"tip{}\"><b>{}</b> · {}<br>{}{}",
        if right { " r" } else { "" },
        esc(&m.what),
        m.date,
        esc(&m.title),
        if m.verbal {
            " (said, not written)"
        } else if m.family {
            " (recorded by the family)"
        } else {
            ""
        }
    );
    for d in &m.docs {
        t.push_str("<br>");
        if let Some((binder, label)) = &d.exhibit {
            let _ = write!(t, "Exhibit {} ({}) · ", esc(label), esc(binder));
        }
        let _ = write!(t, "<a href=\"{}\">Open the document</a>", href(base, &d.path));
    }
    t.push_str("</span>");
    t
}

/// The picture over the days `from` to `to` (positions in percent of the track), `width` in
/// pixels for the screen (None: the page's width, for print).
fn draw(h: &mut String, p: &Picture, from: NaiveDate, to: NaiveDate, width: Option<u32>, base: &str) {
    let inside = |d: NaiveDate| d >= from && d <= to;
    let _ = write!(
        h,
        "<div class=\"pic\"{}>",
        width
            .map(|w| format!(" style=\"width:{w}px\""))
            .unwrap_or_default()
    );
    // The axis: school years and months.
    h.push_str("<div class=\"row axis\"><div class=\"lab\">School year</div><div class=\"track\">");
    for (i, y) in p
        .years
        .iter()
        .filter(|y| y.end >= from && y.start <= to)
        .enumerate()
    {
        let a = y.start.max(from);
        let b = y.end.min(to);
        let left = Picture::frac(from, to, a) * 100.0;
        let right = Picture::frac(from, to, b + chrono::Duration::days(1)) * 100.0;
        let _ = write!(
            h,
            "<div class=\"yb y{}\" style=\"left:{left:.2}%;width:{:.2}%\">{}</div>",
            i % 2,
            (right - left).max(0.0),
            esc(&y.label)
        );
    }
    for m in Picture::months(from, to) {
        let _ = write!(
            h,
            "<div class=\"mo\" style=\"left:{}%\">{}</div>",
            pct(from, to, m),
            m.format("%b")
        );
    }
    if inside(p.as_of) {
        let _ = write!(
            h,
            "<div class=\"asof\" style=\"left:{}%\" title=\"as of {}\"></div>",
            pct(from, to, p.as_of),
            p.as_of
        );
    }
    h.push_str("</div></div>");
    // The lanes of documents and events.
    for (lane, (name, _)) in LANES.iter().enumerate() {
        // Only the rows this window uses (a school year on paper is one page).
        let rows = p
            .marks
            .iter()
            .filter(|m| m.lane == lane && inside(m.date))
            .map(|m| m.row + 1)
            .max()
            .unwrap_or(1);
        let _ = write!(
            h,
            "<div class=\"row\"><div class=\"lab\">{}</div><div class=\"track\" style=\"height:{}px\">",
            esc(name),
            rows * 16 + 6
        );
        for m in p.marks.iter().filter(|m| m.lane == lane && inside(m.date)) {
            let x = Picture::frac(from, to, m.date);
            let _ = write!(
                h,
                "<span class=\"m l{lane}{}\" style=\"left:{:.2}%;top:{}px\" tabindex=\"0\" aria-label=\"{} {}: {}\">{}</span>",
                if m.verbal { " verbal" } else { "" },
                x * 100.0,
                m.row * 16 + 3,
                m.date,
                esc(&m.what),
                esc(&m.title),
                mark_tip(m, x > 0.6, base)
            );
        }
        h.push_str("</div></div>");
    }
    // Deadlines: from what started the clock to the answer (or the as-of day).
    let spans: Vec<&Span> = p
        .spans
        .iter()
        .filter(|s| s.from <= to && s.to.max(s.due.unwrap_or(s.to)) >= from)
        .collect();
    let (span_rows, span_count) = span_rows_in(&spans, from, to);
    let _ = write!(
        h,
        "<div class=\"row\"><div class=\"lab\">Deadlines</div><div class=\"track\" style=\"height:{}px\">",
        span_count.max(1) * 26 + 6
    );
    for (s, row) in spans.iter().zip(&span_rows) {
        let a = s.from.max(from);
        let end = s.to.max(s.due.unwrap_or(s.to)).min(to);
        let left = Picture::frac(from, to, a) * 100.0;
        let right = Picture::frac(from, to, end + chrono::Duration::days(1)) * 100.0;
        let width = (right - left).max(0.3);
        let top = row * 26 + 14;
        let class = state_class(s.state);
        let label = span_label(s);
        let mut inner = String::new();
        // The overrun, in red: from the due day to the answer (or the as-of day).
        if s.state == SpanState::Late
            && let Some(due) = s.due
            && s.to > due
        {
            let total = ((end - a).num_days() + 1).max(1) as f64;
            let over = ((end - due.max(a)).num_days().max(0)) as f64 / total * 100.0;
            let _ = write!(inner, "<i class=\"over\" style=\"width:{over:.2}%\"></i>");
        }
        if let Some(due) = s.due.filter(|d| *d >= a && *d <= end) {
            let total = ((end - a).num_days() + 1).max(1) as f64;
            let _ = write!(
                inner,
                "<i class=\"due\" style=\"left:{:.2}%\"></i>",
                (due - a).num_days() as f64 / total * 100.0
            );
        }
        let tip = format!(
            "<span class=\"tip{}\"><b>{}</b><br>Started: {} ({})<br>Due: {}<br>{}<br>{}</span>",
            if left > 60.0 { " r" } else { "" },
            esc(&label),
            s.from,
            esc(&s.started_by),
            s.due
                .map_or_else(|| "no fixed day".to_string(), |d| d.to_string()),
            match (&s.answered_by, s.answered) {
                (Some(b), true) => format!("Answered: {} ({})", s.to, esc(b)),
                _ => format!("No answer by {}", p.as_of),
            },
            esc(&s.citation)
        );
        let _ = write!(
            h,
            "<div class=\"sl {class}\" style=\"left:{left:.2}%;top:{}px;max-width:{:.2}%\">{}</div>\
             <div class=\"sp {class}\" style=\"left:{left:.2}%;width:{width:.2}%;top:{top}px\" tabindex=\"0\" aria-label=\"{}\">{inner}{tip}</div>",
            top - 13,
            100.0 - left,
            esc(&label),
            esc(&label),
        );
    }
    h.push_str("</div></div>");
    // What never came.
    let gaps: Vec<&Gap> = p.gaps.iter().filter(|g| g.from <= to && g.to >= from).collect();
    let (gap_rows, gap_count) = gap_rows_in(&gaps, from, to);
    let _ = write!(
        h,
        "<div class=\"row\"><div class=\"lab\">Missing papers</div><div class=\"track\" style=\"height:{}px\">",
        gap_count.max(1) * 34 + 6
    );
    for (g, row) in gaps.iter().zip(&gap_rows) {
        let a = g.from.max(from);
        let b = g.to.min(to);
        let left = Picture::frac(from, to, a) * 100.0;
        let right = Picture::frac(from, to, b + chrono::Duration::days(1)) * 100.0;
        let top = row * 34 + 16;
        let label = format!("Missing: {}", g.what);
        let _ = write!(
            h,
            "<div class=\"gl\" style=\"left:{left:.2}%;top:{}px;max-width:{:.2}%\">{}</div>\
             <div class=\"gap\" style=\"left:{left:.2}%;width:{:.2}%;top:{top}px\" tabindex=\"0\" aria-label=\"{}\">\
             <span class=\"tip{}\"><b>{}</b><br>School year {} · {} to {}{}<br>{}</span></div>",
            top - 14,
            100.0 - left,
            esc(&label),
            (right - left).max(0.3),
            esc(&label),
            if left > 60.0 { " r" } else { "" },
            esc(&label),
            esc(&g.school_year),
            g.from,
            g.to,
            if g.note.is_empty() {
                String::new()
            } else {
                format!("<br>{}", esc(&g.note))
            },
            esc(&g.citation)
        );
    }
    h.push_str("</div></div></div>");
}

/// Pixels per day of the scrolling picture (a school year is about 1,100 px wide).
const PX_PER_DAY: f64 = 3.0;

/// The whole page: the time-scaled picture (it scrolls sideways; the lanes' names stay), one
/// picture per school year for print, and the same facts as tables for keyboards and screen
/// readers. `student`: the name, if the case has one. `base`: the way from the folder the page
/// is saved in to the case folder, for the documents' links.
pub fn timeline_page(student: Option<&str>, p: &Picture, report: &Report, base: &str) -> String {
    let mut h = String::new();
    let count = |s: Status| {
        report
            .findings
            .iter()
            .filter(|f| f.status == s && !f.rule.ends_with("_window"))
            .count()
    };
    let heading = match student {
        Some(n) => format!("Timeline — {}", esc(n)),
        None => "Timeline of the case".to_string(),
    };
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{heading}</title><style>{STYLE}</style></head><body>\
         <header><h1>{heading}</h1><p>{} to {} · {} documents and events · rules: {} · as of {} · {} deadline(s) missed, {} to look into, {} open · {} missing paper(s)</p></header><main>",
        p.from,
        p.to,
        p.marks.len(),
        esc(&report.profile_name),
        p.as_of,
        count(Status::Violated),
        count(Status::Soft) + count(Status::Unsure),
        count(Status::Open),
        p.gaps.len(),
    );
    // On the screen: the whole case on one scrolling axis.
    h.push_str("<section class=\"screen\">");
    legend(&mut h);
    h.push_str("<p class=\"note\">Scroll sideways to move in time. Point at or tap a mark, a bar or a missing paper for its details; each document opens from its pop-up.</p>");
    if p.runs_past {
        let _ = write!(
            h,
            "<p class=\"note\">Some requests were still unanswered on {}, past the right edge of the picture.</p>",
            p.as_of
        );
    }
    let days_shown = ((p.to - p.from).num_days() + 1) as f64;
    let width = (days_shown * PX_PER_DAY).round() as u32 + 132;
    h.push_str("<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"The case on a time axis (the tables below hold the same facts)\">");
    draw(&mut h, p, p.from, p.to, Some(width), base);
    h.push_str("</div></section>");
    // On paper: one school year a page, each with its legend.
    h.push_str("<section class=\"print-years\" aria-hidden=\"true\">");
    for y in &p.years {
        let _ = write!(
            h,
            "<div class=\"py\"><h2>{heading} · school year {}</h2>",
            esc(&y.label)
        );
        legend(&mut h);
        draw(&mut h, p, y.start, y.end, None, base);
        h.push_str("</div>");
    }
    h.push_str("</section>");
    tables(&mut h, p, base);
    h.push_str("</main><footer>Made by casebinder on this computer; nothing was sent anywhere. Missed deadlines are possible issues to look into with an advocate, not legal conclusions.</footer></body></html>\n");
    h
}

/// The same facts as tables (a screen reader's way through the picture).
fn tables(h: &mut String, p: &Picture, base: &str) {
    h.push_str("<section class=\"tables\"><h2>Documents and events</h2><div class=\"tw\"><table><thead><tr><th>Date</th><th>Lane</th><th>What</th><th>Title</th><th>Document</th></tr></thead><tbody>");
    let mut marks: Vec<&Mark> = p.marks.iter().collect();
    marks.sort_by_key(|m| (m.date, m.lane));
    for m in marks {
        let docs = m
            .docs
            .iter()
            .map(|d| {
                format!(
                    "{}<a href=\"{}\">{}</a>",
                    d.exhibit
                        .as_ref()
                        .map(|(_, l)| format!("Exhibit {} · ", esc(l)))
                        .unwrap_or_default(),
                    href(base, &d.path),
                    esc(&d.path)
                )
            })
            .collect::<Vec<_>>()
            .join("<br>");
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td><td>{}</td></tr>",
            m.date,
            esc(LANES[m.lane].0),
            esc(&m.what),
            esc(&m.title),
            if m.verbal { " (said, not written)" } else { "" },
            docs
        );
    }
    h.push_str("</tbody></table></div><h2>Deadlines</h2><div class=\"tw\"><table><thead><tr><th>Deadline</th><th>Started</th><th>Due</th><th>Answered</th><th>Where it stands</th><th>Rule</th></tr></thead><tbody>");
    for s in &p.spans {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{} ({})</td><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td>{}</td></tr>",
            esc(&s.title),
            s.from,
            esc(&s.started_by),
            s.due.map(|d| d.to_string()).unwrap_or_default(),
            if s.answered {
                format!("{} ({})", s.to, esc(s.answered_by.as_deref().unwrap_or("")))
            } else {
                "no answer".into()
            },
            state_class(s.state),
            esc(&span_label(s)),
            esc(&s.citation)
        );
    }
    h.push_str("</tbody></table></div><h2>Missing papers</h2><div class=\"tw\"><table><thead><tr><th>School year</th><th>What is missing</th><th>When</th><th>Rule</th><th>Note</th></tr></thead><tbody>");
    for g in &p.gaps {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{} to {}</td><td>{}</td><td>{}</td></tr>",
            esc(&g.school_year),
            esc(&g.what),
            g.from,
            g.to,
            esc(&g.citation),
            esc(&g.note)
        );
    }
    h.push_str("</tbody></table></div></section>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(esc("<b>\"A&B\"</b>"), "&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;");
    }
}
