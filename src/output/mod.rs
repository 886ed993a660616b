//! Printing: tables for people, JSON and CSV for programs.
//!
//! Stages return plain data; this module renders it. Everything goes through a buffered
//! writer and returns `io::Result`, so a closed pipe (`casebinder list | head`) is an error
//! that `main` treats as success, never a panic.

pub mod html;

use std::io::{self, BufWriter, Write};

use std::io::IsTerminal;

use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;
use tabled::builder::Builder;
use tabled::settings::object::Columns;
use tabled::settings::{Modify, Style, Width};

/// Buffered standard output, with control characters shown escaped: text from a document (an
/// email's Subject, a file name) can never move the cursor, retitle the window or plant a link.
pub fn stdout() -> BufWriter<Escaped<io::StdoutLock<'static>>> {
    BufWriter::new(Escaped::new(io::stdout().lock()))
}

/// A writer that shows control characters (other than line breaks and tabs) as `\x1b`-style
/// escapes, and C1 controls (U+0080–U+009F) as `\u{9b}`.
pub struct Escaped<W: Write> {
    inner: W,
    /// A 0xC2 byte seen at the end of the last write (the first half of a C1 control?).
    pending_c2: bool,
}

impl<W: Write> Escaped<W> {
    pub fn new(inner: W) -> Self {
        Escaped {
            inner,
            pending_c2: false,
        }
    }
}

impl<W: Write> Write for Escaped<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut out = Vec::with_capacity(buf.len());
        let mut bytes = buf.iter().copied().peekable();
        if self.pending_c2 {
            self.pending_c2 = false;
            match bytes.peek() {
                Some(b @ 0x80..=0x9f) => {
                    out.extend_from_slice(format!("\\u{{{b:x}}}").as_bytes());
                    bytes.next();
                }
                _ => out.push(0xc2),
            }
        }
        while let Some(b) = bytes.next() {
            match b {
                b'\n' | b'\t' => out.push(b),
                0x00..=0x1f | 0x7f => out.extend_from_slice(format!("\\x{b:02x}").as_bytes()),
                0xc2 => match bytes.peek() {
                    Some(c @ 0x80..=0x9f) => {
                        out.extend_from_slice(format!("\\u{{{c:x}}}").as_bytes());
                        bytes.next();
                    }
                    Some(_) => out.push(b),
                    None => self.pending_c2 = true,
                },
                _ => out.push(b),
            }
        }
        self.inner.write_all(&out)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.pending_c2 {
            self.pending_c2 = false;
            self.inner.write_all(&[0xc2])?;
        }
        self.inner.flush()
    }
}

/// Text for a Markdown file: characters that Markdown or HTML would act on are escaped, so a
/// title or a file name can never become a link, an image fetched on preview, or markup.
pub fn md_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '<' | '>' | '(' | ')' | '#' | '!' | '|'
            | '~' => {
                out.push('\\');
                out.push(c);
            }
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    // A bare address would still be linked by some previews.
    out.replace("://", ":\\/\\/")
}

/// Pretty JSON followed by a newline.
pub fn write_json<W: Write, T: Serialize + ?Sized>(w: &mut W, value: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, value)?;
    writeln!(w)
}

/// A plain table with a header row, as wide as its cells.
pub fn table(header: &[&str], rows: Vec<Vec<String>>) -> String {
    fit_table(header, rows, None, Fit::Shorten, &[])
}

/// How a table too wide for the terminal is made to fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fit {
    /// Long cells are cut with "…" (the full text: `--wide` or `--json`).
    Shorten,
    /// Long cells are wrapped onto more lines, at word breaks where possible.
    Wrap,
}

/// `-q`: no progress anywhere in this run.
static QUIET: AtomicBool = AtomicBool::new(false);

/// Sets `-q` for the run (progress bars stay hidden).
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// A progress bar on standard error for long work (`what`: "Reading exhibits"), drawn only on
/// a terminal and never with `-q`; a finished bar is cleared.
pub fn progress(total: u64, what: &str) -> indicatif::ProgressBar {
    if QUIET.load(Ordering::Relaxed) || !io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::with_draw_target(Some(total), indicatif::ProgressDrawTarget::stderr());
    if let Ok(style) =
        indicatif::ProgressStyle::with_template(&format!("{what} {{bar:30}} {{pos}}/{{len}} ({{eta}} left)"))
    {
        bar.set_style(style);
    }
    bar
}

/// `cell` cut to `width` characters by leaving out the part it shares with another cell of
/// `column` (from the start, after its first folder), so that what differs (from the last `/`,
/// `#` or `:` of the shared part: a file, a message number) stays; its own end gives way if it
/// must. `None` when nothing shared can be left out.
fn shorten_shared(cell: &str, column: &[String], width: usize) -> Option<String> {
    let chars: Vec<char> = cell.chars().collect();
    let shared = column
        .iter()
        .filter(|o| o.as_str() != cell)
        .map(|o| o.chars().zip(&chars).take_while(|(a, b)| a == *b).count())
        .max()
        .unwrap_or(0);
    if shared < 4 {
        return None;
    }
    // What differs starts at a boundary, so "#12" stays whole rather than "2".
    let start = chars[..shared]
        .iter()
        .rposition(|c| matches!(c, '/' | '#' | ':'))
        .unwrap_or(shared);
    let distinct = &chars[start..];
    // The start of the shared part (its folder, as a rule), then what differs; if what differs
    // is still too long, its own end gives way.
    let head = chars[..=start.min(chars.len() - 1)]
        .iter()
        .position(|c| *c == '/')
        .map(|slash| slash + 1)
        .filter(|h| *h <= width / 2)
        .unwrap_or(4.min(start));
    // Nothing shared to leave out between them: the end gives way as usual.
    if head >= start {
        return None;
    }
    let room = width.checked_sub(head + 1)?;
    if room < 4 {
        return None;
    }
    let mut out: String = chars[..head].iter().chain(['…'].iter()).collect();
    if distinct.len() <= room {
        out.extend(distinct);
    } else {
        out.extend(&distinct[..room - 1]);
        out.push('…');
    }
    Some(out)
}

/// A table too wide for the screen, one block per row: its first cell, then each other
/// "header value" (empty ones left out), wrapped at spaces, so no value is ever split.
fn stacked(header: &[&str], rows: &[Vec<String>], width: usize) -> String {
    let mut out = String::new();
    for r in rows {
        let mut parts: Vec<String> = Vec::new();
        for (i, cell) in r.iter().enumerate() {
            let cell = cell.trim();
            if cell.is_empty() || cell == "-" && i > 0 {
                continue;
            }
            parts.push(if i == 0 {
                format!("{} {cell}", header[0])
            } else {
                format!("{}: {cell}", header[i])
            });
        }
        out.push_str(&wrap(&parts.join(" · "), Some(width), 2));
        out.push('\n');
    }
    out.trim_end().to_string()
}

/// A table no wider than `width` characters (none: as wide as its cells). Only the columns in
/// `give` (all, when empty) give way, the widest first, so short ones (ids, dates) stay whole;
/// if that is not enough, every column does.
pub fn fit_table(
    header: &[&str],
    rows: Vec<Vec<String>>,
    width: Option<usize>,
    fit: Fit,
    give: &[usize],
) -> String {
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        // A line break inside a cell would break the table's rows apart.
        .map(|r| {
            r.into_iter()
                .map(|c| c.replace(['\n', '\r', '\t'], " "))
                .collect()
        })
        .collect();
    let n = header.len();
    let mut widths: Vec<usize> = (0..n)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .chain([header[i].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let natural = widths.clone();
    if let Some(w) = width {
        // " a | b | c " : one space at each end, " | " between cells.
        let total = |ws: &[usize]| ws.iter().sum::<usize>() + 3 * n.saturating_sub(1) + 2;
        let all: Vec<usize> = (0..n).collect();
        let first: &[usize] = if give.is_empty() { &all } else { give };
        // A column that does not give way is never narrower than its longest word: a date, a
        // status or a number is never split across lines ("2021-10|-06", "violate|d").
        let longest_word = |c: usize| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(String::as_str)
                .chain([header[c]])
                .flat_map(str::split_whitespace)
                .map(|w| w.chars().count())
                .max()
                .unwrap_or(0)
        };
        let floor: Vec<usize> = (0..n)
            .map(|c| {
                if first.contains(&c) {
                    3
                } else {
                    longest_word(c).max(3)
                }
            })
            .collect();
        for (cols, min) in [(first, 5usize), (&all[..], 3)] {
            while total(&widths) > w {
                let Some(&widest) = cols
                    .iter()
                    .filter(|&&c| widths[c] > min.max(floor[c]))
                    .max_by_key(|&&c| (widths[c], c))
                else {
                    break;
                };
                widths[widest] -= 1;
            }
        }
        // Too narrow for a table that keeps its values whole and its text readable: one block
        // per row instead, every value whole.
        if total(&widths) > w || first.iter().any(|&c| widths[c] < natural[c] && widths[c] < 12) {
            return stacked(header, &rows, w);
        }
    }
    // A cell cut short keeps what tells it from its neighbours: the part it shares with another
    // cell of its column gives way in the middle ("Takeout/Mail/All mai…#12"), not its end.
    let rows: Vec<Vec<String>> = if fit == Fit::Shorten {
        let columns: Vec<Vec<String>> = (0..n)
            .map(|c| rows.iter().filter_map(|r| r.get(c).cloned()).collect())
            .collect();
        rows.iter()
            .map(|r| {
                r.iter()
                    .enumerate()
                    .map(|(i, c)| match widths.get(i) {
                        Some(&w) if c.chars().count() > w => {
                            shorten_shared(c, &columns[i], w).unwrap_or_else(|| c.clone())
                        }
                        _ => c.clone(),
                    })
                    .collect()
            })
            .collect()
    } else {
        rows
    };
    // Wrapped here at word breaks (a wrapped line never starts with a space); tabled lays out
    // cells of several lines.
    let rows: Vec<Vec<String>> = if fit == Fit::Wrap {
        rows.into_iter()
            .map(|r| {
                r.into_iter()
                    .enumerate()
                    .map(|(i, c)| match widths.get(i) {
                        Some(&w) if w > 10 && w < natural[i] => wrap(&c, Some(w), 0),
                        _ => c,
                    })
                    .collect()
            })
            .collect()
    } else {
        rows
    };
    let mut b = Builder::default();
    b.push_record(header.iter().map(|s| s.to_string()));
    for r in rows {
        b.push_record(r);
    }
    let mut t = b.build();
    t.with(Style::psql());
    for (i, (&w, &nat)) in widths.iter().zip(&natural).enumerate() {
        if w < nat {
            let col = Modify::new(Columns::one(i));
            match fit {
                Fit::Shorten => t.with(col.with(Width::truncate(w).suffix("…"))),
                Fit::Wrap => t.with(col.with(Width::wrap(w).keep_words(true))),
            };
        }
    }
    // The last column's padding would leave spaces at the end of every line.
    t.to_string()
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Text wrapped at word breaks to `width` characters (none: as it is); lines after the first of
/// a paragraph are indented by `indent` spaces.
pub fn wrap(text: &str, width: Option<usize>, indent: usize) -> String {
    let Some(width) = width.filter(|w| *w > indent + 10) else {
        return text.to_string();
    };
    let mut out: Vec<String> = Vec::new();
    for para in text.split('\n') {
        if para.chars().count() <= width {
            out.push(para.to_string());
            continue;
        }
        let lead = para.chars().take_while(|c| *c == ' ').count();
        let hang = lead + indent;
        // Words with the spaces before them (kept inside a line, dropped at a break).
        let mut pieces: Vec<(usize, Vec<char>)> = Vec::new();
        let mut spaces = 0;
        let mut word = Vec::new();
        for c in para.chars().skip(lead) {
            if c == ' ' {
                if !word.is_empty() {
                    pieces.push((spaces, std::mem::take(&mut word)));
                    spaces = 0;
                }
                spaces += 1;
            } else {
                word.push(c);
            }
        }
        if !word.is_empty() {
            pieces.push((spaces, word));
        }
        let mut line = " ".repeat(lead);
        let mut len = lead;
        let mut empty = true;
        for (gap, mut chars) in pieces {
            if !empty && len + gap + chars.len() > width {
                out.push(std::mem::replace(&mut line, " ".repeat(hang)));
                len = hang;
                empty = true;
            }
            if !empty {
                line.push_str(&" ".repeat(gap));
                len += gap;
            }
            // A word longer than the room left (a long path) is cut across lines.
            while !chars.is_empty() && len + chars.len() > width {
                let take = width.saturating_sub(len).max(1).min(chars.len());
                line.extend(chars.drain(..take));
                out.push(std::mem::replace(&mut line, " ".repeat(hang)));
                len = hang;
            }
            len += chars.len();
            line.extend(chars);
            empty = false;
        }
        out.push(line);
    }
    out.join("\n")
}

/// The width tables and text should fit: `COLUMNS` when set, else the terminal's, else none
/// (output to a file or a pipe is not cut).
pub fn terminal_width() -> Option<usize> {
    if let Some(c) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
    {
        return (c >= 20).then_some(c);
    }
    if !io::stdout().is_terminal() {
        return None;
    }
    tty_columns().filter(|c| *c >= 20)
}

#[cfg(unix)]
#[allow(unsafe_code)]
fn tty_columns() -> Option<usize> {
    // SAFETY: TIOCGWINSZ fills the winsize struct we own; a failure leaves it zeroed.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut ws) } == 0;
    (ok && ws.ws_col > 0).then_some(usize::from(ws.ws_col))
}

#[cfg(not(unix))]
fn tty_columns() -> Option<usize> {
    None
}

/// One CSV field, quoted when needed (RFC 4180). Cells starting with = + - @ are prefixed with
/// a quote so a spreadsheet does not run them as formulas.
pub fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

pub fn csv_line(fields: &[String]) -> String {
    fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(",")
}

/// Cuts a string to `max` characters with an ellipsis.
pub fn ellipsize(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// A byte count for people.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1000.0 && u < UNITS.len() - 1 {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_field("plain"), "plain");
    }

    #[test]
    fn tables_and_text_fit_the_width() {
        let rows = vec![vec![
            "1".into(),
            "2024-01-05".into(),
            "A very long title ".repeat(8),
        ]];
        for fit in [Fit::Shorten, Fit::Wrap] {
            let t = fit_table(&["id", "date", "document"], rows.clone(), Some(60), fit, &[2]);
            assert!(t.lines().all(|l| l.chars().count() <= 60), "{t}");
            assert!(t.contains("2024-01-05"), "short columns stay whole: {t}");
        }
        let wide = fit_table(&["id", "date", "document"], rows, None, Fit::Shorten, &[]);
        assert!(wide.lines().any(|l| l.chars().count() > 100));
        let text = "Left out (3): Emails/a-very-long-name-without-any-breaks-in-it-at-all-whatsoever-really.eml because it is a duplicate";
        let w = wrap(text, Some(40), 2);
        assert!(w.lines().all(|l| l.chars().count() <= 40), "{w}");
        assert_eq!(
            w.split_whitespace().collect::<String>(),
            text.split_whitespace().collect::<String>()
        );
        assert_eq!(wrap(text, None, 2), text);
    }

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        let mut out = Escaped::new(Vec::new());
        out.write_all("Subject: \u{1b}]0;pwned\u{7}\u{1b}[2J ok\tdone\n".as_bytes())
            .unwrap();
        out.write_all(&[b'a', 0xc2]).unwrap();
        out.write_all(&[0x9b, b'b', 0xc3, 0xa9]).unwrap();
        out.flush().unwrap();
        let text = String::from_utf8(out.inner).unwrap();
        assert_eq!(text, "Subject: \\x1b]0;pwned\\x07\\x1b[2J ok\tdone\na\\u{9b}bé");
    }

    #[test]
    fn markdown_cannot_be_injected() {
        let t = md_text("![x](https://evil.example/p.png) <img src=x> [link](http://a) a|b\nc & d");
        assert!(!t.contains("]("), "{t}");
        assert!(t.contains("\\<img") && !t.contains(" <img"), "{t}");
        assert!(!t.contains("://"), "{t}");
        assert!(t.contains("a\\|b c &amp; d"), "{t}");
    }

    #[test]
    fn bytes_for_people() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1_500_000), "1.5 MB");
    }
}
