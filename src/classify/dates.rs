//! Finding dates in text: `3/14/2024`, `3/14/24`, `March 14, 2024`, `14 Mar 2024`, `2024-03-14`,
//! `Tuesday, Oct. 3rd, 2023`, and school years (`SY2023-24`, `2023-2024 school year`).
//!
//! Pure functions over one line at a time. A number glued to other digits or letters is not a
//! date; years outside 1970–2069 (numeric) are not believed; a numeric date whose two parts could
//! both be a month is marked ambiguous and read in the case's order (month first by default).

use chrono::{Datelike, NaiveDate};

/// How ambiguous numeric dates are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateOrder {
    #[default]
    MonthFirst,
    DayFirst,
}

impl DateOrder {
    /// As the `date-order` setting stores it.
    pub fn setting(self) -> &'static str {
        match self {
            DateOrder::MonthFirst => "month-first",
            DateOrder::DayFirst => "day-first",
        }
    }

    /// The stored setting (anything else is the US default, month first).
    pub fn from_setting(value: Option<&str>) -> DateOrder {
        if value == Some(DateOrder::DayFirst.setting()) {
            DateOrder::DayFirst
        } else {
            DateOrder::MonthFirst
        }
    }

    /// As a document's own evidence of its order is stored.
    pub fn evidence(self) -> &'static str {
        match self {
            DateOrder::MonthFirst => "month_first",
            DateOrder::DayFirst => "day_first",
        }
    }

    /// True when the documents settle the case's order: several show it (a date like 09/18/2023
    /// reads only month-first) and hardly any the other. Then a date like 04/05/2023 is read the
    /// case's way without doubt.
    pub fn settled_by(agree: i64, disagree: i64) -> bool {
        agree >= 2 && disagree * 10 <= agree
    }
}

/// A date found in a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub date: NaiveDate,
    /// Byte range in the line.
    pub start: usize,
    pub end: usize,
    /// Both readings (month/day and day/month) were valid and different.
    pub ambiguous: bool,
    /// A numeric date only one reading allows (13/05/2023) shows the order its writer used.
    pub order_hint: Option<DateOrder>,
    /// For an ambiguous date, the other reading.
    pub other_reading: Option<NaiveDate>,
}

const MONTHS: [(&str, u32); 23] = [
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sept", 9),
    ("sep", 9),
    ("oct", 10),
    ("nov", 11),
];

/// The days of the week, named and abbreviated (lower case).
pub const WEEKDAYS: [&str; 14] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
];

/// Whether a folded word is a month's or a weekday's name (or its abbreviation).
pub fn month_or_weekday(word: &str) -> Option<()> {
    (MONTHS.iter().any(|(m, _)| *m == word) || WEEKDAYS.contains(&word)).then_some(())
}

/// The month named at `b[i]` (a whole word: its full name or its abbreviation, which may end in a
/// full stop) and where the name ends. The word's first three letters say which month it can be
/// (every month's name and abbreviation starts with its own three); then, as the names are listed
/// in `MONTHS`, the full name is tried before the abbreviation ("sept" before "sep").
fn month_at(b: &[u8], i: usize) -> Option<(u32, usize)> {
    if i > 0 && b[i - 1].is_ascii_alphanumeric() {
        return None;
    }
    let three = b.get(i..i + 3)?;
    let key = [
        three[0].to_ascii_lowercase(),
        three[1].to_ascii_lowercase(),
        three[2].to_ascii_lowercase(),
    ];
    let (m, names): (u32, &[&str]) = match &key {
        b"jan" => (1, &["january", "jan"]),
        b"feb" => (2, &["february", "feb"]),
        b"mar" => (3, &["march", "mar"]),
        b"apr" => (4, &["april", "apr"]),
        b"may" => (5, &["may"]),
        b"jun" => (6, &["june", "jun"]),
        b"jul" => (7, &["july", "jul"]),
        b"aug" => (8, &["august", "aug"]),
        b"sep" => (9, &["september", "sept", "sep"]),
        b"oct" => (10, &["october", "oct"]),
        b"nov" => (11, &["november", "nov"]),
        b"dec" => (12, &["december", "dec"]),
        _ => return None,
    };
    for name in names {
        let n = name.len();
        if b.len() >= i + n && b[i..i + n].eq_ignore_ascii_case(name.as_bytes()) {
            let after = b.get(i + n).copied();
            if after.is_some_and(|c| c.is_ascii_alphabetic()) {
                continue;
            }
            let end = if after == Some(b'.') { i + n + 1 } else { i + n };
            return Some((m, end));
        }
    }
    None
}

fn digits_at(b: &[u8], i: usize, min: usize, max: usize) -> Option<(u32, usize)> {
    let mut j = i;
    while j < b.len() && b[j].is_ascii_digit() && j - i < max {
        j += 1;
    }
    if j - i < min || (j < b.len() && b[j].is_ascii_digit()) {
        return None;
    }
    let v: u32 = std::str::from_utf8(&b[i..j]).ok()?.parse().ok()?;
    Some((v, j))
}

fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
        i += 1;
    }
    i
}

fn ordinal_suffix(b: &[u8], i: usize) -> usize {
    for s in ["st", "nd", "rd", "th"] {
        if b.len() >= i + 2 && b[i..i + 2].eq_ignore_ascii_case(s.as_bytes()) {
            return i + 2;
        }
    }
    i
}

/// True when the byte after a date does not glue it to more digits or letters.
fn clean_end(b: &[u8], end: usize) -> bool {
    match b.get(end) {
        None => true,
        // Text copied from a form without its line breaks glues the next field's label on:
        // "Date of Testing: 04/20/2010School: Home School".
        Some(c) if c.is_ascii_uppercase() && b.get(end + 1).is_some_and(u8::is_ascii_lowercase) => true,
        Some(c) if c.is_ascii_alphanumeric() => false,
        Some(b'/' | b'-' | b'.') => !b.get(end + 1).is_some_and(u8::is_ascii_digit),
        Some(_) => true,
    }
}

fn clean_start(b: &[u8], start: usize) -> bool {
    if start == 0 {
        return true;
    }
    let prev = b[start - 1];
    if prev.is_ascii_alphanumeric() {
        return false;
    }
    if matches!(prev, b'/' | b'-' | b'.' | b':') && start >= 2 && b[start - 2].is_ascii_digit() {
        return false;
    }
    true
}

fn full_year(y: u32, digits: usize) -> i32 {
    if digits == 2 {
        if y < 70 { 2000 + y as i32 } else { 1900 + y as i32 }
    } else {
        y as i32
    }
}

/// An unambiguous date at `start..end`, if its year is plausible.
fn whole(date: NaiveDate, start: usize, end: usize) -> Option<Mention> {
    plausible(date).then_some(Mention {
        date,
        start,
        end,
        ambiguous: false,
        order_hint: None,
        other_reading: None,
    })
}

/// Every date in one line.
pub fn find_dates(line: &str, order: DateOrder) -> Vec<Mention> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if let Some(m) = numeric_at(b, i, order).or_else(|| named_at(b, i)) {
            i = m.end;
            out.push(m);
        } else if b[i].is_ascii_alphanumeric() {
            // No date starts inside a word or a number (each reader wants a clean start)...
            let word = i;
            while i < b.len() && b[i].is_ascii_alphanumeric() {
                i += 1;
            }
            // ...but a label that text kept without its spaces glued to its date ("Decision
            // Date28 January 2019", "Dated12/03/2021") is read as if the space were there.
            if let Some(m) = glued_to_label(line, word, i, order) {
                i = m.end;
                out.push(m);
            }
        } else {
            i += 1;
        }
    }
    out
}

/// The date glued to a "Date"/"Dated" label in the word at `start..end` of `line`, as if a
/// space stood between them (offsets in `line`).
fn glued_to_label(line: &str, start: usize, end: usize, order: DateOrder) -> Option<Mention> {
    let word = &line.as_bytes()[start..end];
    // Most words hold no digit after four letters: told apart without a look at the rest.
    if word.len() < 5
        || !word[0].is_ascii_alphabetic()
        || !word[word.len() - 1].is_ascii_digit() && !word.iter().any(u8::is_ascii_digit)
    {
        return None;
    }
    let digit = word.iter().position(u8::is_ascii_digit)?;
    let label = &word[..digit];
    let ends = |w: &[u8]| label.len() >= w.len() && label[label.len() - w.len()..].eq_ignore_ascii_case(w);
    if !(ends(b"date") || ends(b"dated")) {
        return None;
    }
    let at = start + digit;
    let spaced = format!("{} {}", line.get(..at)?, line.get(at..)?);
    let b = spaced.as_bytes();
    let m = numeric_at(b, at + 1, order).or_else(|| named_at(b, at + 1))?;
    Some(Mention {
        start: m.start - 1,
        end: m.end - 1,
        ..m
    })
}

fn numeric_at(b: &[u8], i: usize, order: DateOrder) -> Option<Mention> {
    if !b[i].is_ascii_digit() || !clean_start(b, i) {
        return None;
    }
    // ISO: 2024-03-14, 2024/03/14
    if let Some((y, j)) = digits_at(b, i, 4, 4)
        && let Some(&sep) = b.get(j).filter(|c| matches!(c, b'-' | b'/' | b'.'))
        && let Some((m, k)) = digits_at(b, j + 1, 1, 2)
        && b.get(k) == Some(&sep)
        && let Some((d, end)) = digits_at(b, k + 1, 1, 2)
        && clean_end(b, end)
    {
        let date = NaiveDate::from_ymd_opt(y as i32, m, d)?;
        return whole(date, i, end);
    }
    let (a, j) = digits_at(b, i, 1, 2)?;
    let sep = *b.get(j).filter(|c| matches!(c, b'/' | b'-' | b'.'))?;
    let (c, k) = digits_at(b, j + 1, 1, 2)?;
    if b.get(k) != Some(&sep) {
        return None;
    }
    // A space slipped in before a four-digit year ("04/26/ 2012", typed or read by OCR).
    let ystart = if sep == b'/' && b.get(k + 1) == Some(&b' ') && digits_at(b, k + 2, 4, 4).is_some() {
        k + 2
    } else {
        k + 1
    };
    let (y, end) = digits_at(b, ystart, 2, 4)?;
    let ydigits = end - ystart;
    if ydigits == 3 || !clean_end(b, end) {
        return None;
    }
    let year = full_year(y, ydigits);
    let md = NaiveDate::from_ymd_opt(year, a, c);
    let dm = NaiveDate::from_ymd_opt(year, c, a);
    let (date, ambiguous, order_hint, other_reading) = match (md, dm, order) {
        (Some(x), Some(y), DateOrder::MonthFirst) => (x, x != y, None, (x != y).then_some(y)),
        (Some(x), Some(y), DateOrder::DayFirst) => (y, x != y, None, (x != y).then_some(x)),
        (Some(x), None, _) => (x, false, Some(DateOrder::MonthFirst), None),
        (None, Some(x), _) => (x, false, Some(DateOrder::DayFirst), None),
        (None, None, _) => return None,
    };
    plausible(date).then_some(Mention {
        date,
        start: i,
        end,
        ambiguous,
        order_hint,
        other_reading,
    })
}

fn named_at(b: &[u8], i: usize) -> Option<Mention> {
    if b[i].is_ascii_alphabetic() {
        // March 14, 2024 / Oct. 3rd, 2023 / Mar 14 2024
        let (m, j) = month_at(b, i)?;
        let j = skip_spaces(b, j);
        let (d, k) = digits_at(b, j, 1, 2)?;
        let k = ordinal_suffix(b, k);
        let mut k2 = k;
        if b.get(k2) == Some(&b',') {
            k2 += 1;
        }
        let k2 = skip_spaces(b, k2);
        if k2 == k && b.get(k) != Some(&b',') {
            return None; // "March 14" with nothing after
        }
        let (y, end) = digits_at(b, k2, 4, 4)?;
        if !clean_end(b, end) {
            return None;
        }
        let date = NaiveDate::from_ymd_opt(y as i32, m, d)?;
        return whole(date, i, end);
    }
    if b[i].is_ascii_digit() && clean_start(b, i) {
        // 14 Mar 2024 / 3rd October 2023 / 14-Mar-2024
        let (d, j) = digits_at(b, i, 1, 2)?;
        let j = ordinal_suffix(b, j);
        let mut j2 = if b.get(j) == Some(&b'-') {
            j + 1
        } else {
            skip_spaces(b, j)
        };
        // "30th day of September, 2020": how orders and decisions are signed.
        if j2 > j && b.len() >= j2 + 7 && b[j2..j2 + 7].eq_ignore_ascii_case(b"day of ") {
            j2 = skip_spaces(b, j2 + 7);
        }
        if j2 == j {
            return None;
        }
        let (m, k) = month_at(b, j2)?;
        let k2 = if b.get(k) == Some(&b'-') {
            k + 1
        } else {
            skip_spaces(b, if b.get(k) == Some(&b',') { k + 1 } else { k })
        };
        let (y, end) = digits_at(b, k2, 4, 4)?;
        if !clean_end(b, end) {
            return None;
        }
        let date = NaiveDate::from_ymd_opt(y as i32, m, d)?;
        return whole(date, i, end);
    }
    None
}

/// A month's name or abbreviation ("march", "sept").
pub fn is_month_word(w: &str) -> bool {
    let w = w.trim_end_matches('.');
    MONTHS.iter().any(|(name, _)| *name == w) || w == "dec"
}

/// A form's own revision date ("Rev. 07/2019", "Revised July 2019", "rev 9/14", "Revised
/// 08/15/2016"), as the first of its month when no day is given. Returns the date and the byte
/// range of the whole mark.
pub fn find_revision(line: &str) -> Option<(NaiveDate, usize, usize)> {
    // Most lines have no "rev" at all: rule them out before any allocation.
    if !line.as_bytes().windows(3).any(|w| w.eq_ignore_ascii_case(b"rev")) {
        return None;
    }
    let lower = line.to_ascii_lowercase();
    let b = lower.as_bytes();
    // Inside running prose a revision names another paper's ("see OSEP's Questions and Answers
    // …, Revised June 2010; Question C-10"): a paper's own mark stands alone or at a line's end.
    let words = line.split_whitespace().count();
    for (start, _) in lower.match_indices("rev") {
        if start > 0 && b[start - 1].is_ascii_alphabetic() {
            continue;
        }
        // A mark that opens a line run on with the text ("Rev. August 2014 PART B NOTICE …")
        // is still the paper's.
        let opens = line
            .get(..start)
            .is_some_and(|r| r.split_whitespace().count() <= 2);
        let in_prose = |end: usize| {
            words > 20 && !opens && line.get(end..).is_some_and(|r| r.split_whitespace().count() > 1)
        };
        let mut i = start + 3;
        for suffix in ["ised", "ision", "."] {
            if lower[i..].starts_with(suffix) {
                i += suffix.len();
                break;
            }
        }
        if b.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue; // "review", "revenue"
        }
        while i < b.len() && matches!(b[i], b' ' | b':' | b'.' | b'\t' | b'(') {
            i += 1;
        }
        if let Some(m) = find_dates(&line[i..], DateOrder::MonthFirst)
            .into_iter()
            .find(|m| m.start == 0)
            && !in_prose(i + m.end)
        {
            return Some((m.date, start, revision_list_end(&lower, i + m.end)));
        }
        // Month and year: "07/2019", "7/19", "07.19", "July 2019", "Jul. 2019".
        if let Some((m, j)) = digits_at(b, i, 1, 2)
            && let Some(&sep) = b.get(j).filter(|c| matches!(c, b'/' | b'-' | b'.'))
            && let Some((y, end)) = digits_at(b, j + 1, 2, 4)
            && end - (j + 1) != 3
            && clean_end(b, end)
        {
            let _ = sep;
            let year = full_year(y, end - (j + 1));
            if let Some(d) = NaiveDate::from_ymd_opt(year, m, 1).filter(|d| plausible(*d) && !in_prose(end)) {
                return Some((d, start, revision_list_end(&lower, end)));
            }
        }
        if let Some((m, j)) = month_at(b, i) {
            let j = skip_spaces(b, if b.get(j) == Some(&b',') { j + 1 } else { j });
            if let Some((y, end)) = digits_at(b, j, 4, 4)
                && let Some(d) =
                    NaiveDate::from_ymd_opt(y as i32, m, 1).filter(|d| plausible(*d) && !in_prose(end))
            {
                return Some((d, start, revision_list_end(&lower, end)));
            }
        }
    }
    None
}

/// Where a list of revisions ends ("Rev. 12/17/10; July 2012; 11/14/13; 6/12/2015": a form
/// revised four times), from the end of its first date at `end`: every date that follows,
/// separated by ";" or ",", is another revision of the same form.
fn revision_list_end(line: &str, mut end: usize) -> usize {
    let b = line.as_bytes();
    loop {
        let mut i = end;
        while i < b.len() && matches!(b[i], b';' | b',' | b' ' | b'&') {
            i += 1;
        }
        if i == end || !line[end..i].contains([';', ',', '&']) {
            return end;
        }
        let next = find_dates(&line[i..], DateOrder::MonthFirst)
            .into_iter()
            .find(|m| m.start == 0)
            .map(|m| i + m.end)
            .or_else(|| {
                // Month and year alone: "July 2012", "07/2012".
                let (_, j) = month_at(b, i).or_else(|| digits_at(b, i, 1, 2))?;
                let j = skip_spaces(
                    b,
                    if matches!(b.get(j), Some(b',' | b'/' | b'-')) {
                        j + 1
                    } else {
                        j
                    },
                );
                let (_, e) = digits_at(b, j, 4, 4).or_else(|| digits_at(b, j, 2, 2))?;
                clean_end(b, e).then_some(e)
            });
        match next {
            Some(e) => end = e,
            None => return end,
        }
    }
}

/// The month a paper was issued or revised, printed without a day: a line that is only a month
/// and a year ("September 2010", "Oct. 2007", "September2010"), one that says so ("Adopted:
/// April 2007", "Effective July 2019", "Issued 03/2015"), or a month and year beside a form's
/// code ("SpEd 8 09.14", "ODE 581-5138b-P (10/2014)", "ISBE 34-57A (3/08)"). Returns the first
/// of that month and the byte range of the mark.
/// A booklet's edition printed with its title on the first line ("Notice of Procedural
/// Safeguards July 2018 Texas Education Agency …"): a month and a year (no day) after at least
/// two capitalised words of the title, within the line's first twelve words.
pub fn find_title_edition(line: &str) -> Option<(NaiveDate, usize, usize)> {
    let b = line.as_bytes();
    let mut words = 0;
    let mut capitalised = 0;
    let mut i = 0;
    while i < b.len() && words < 12 {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        if capitalised >= 2
            && let Some((m, j)) = month_at(b, i)
        {
            let j = skip_spaces(b, j);
            if let Some((y, end)) = digits_at(b, j, 4, 4)
                && clean_end(b, end)
                // "July 2018, 15" or "July 2018-19" is not a month of issue.
                && !matches!(b.get(end), Some(b'-' | b'/'))
                && let Some(d) = NaiveDate::from_ymd_opt(y as i32, m, 1).filter(|d| plausible(*d))
            {
                return Some((d, i, end));
            }
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        let w = &line[start..i];
        // A day before the month makes it a whole date, read elsewhere.
        if w.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        if w.chars().next().is_some_and(char::is_uppercase) {
            capitalised += 1;
        }
        words += 1;
    }
    None
}

pub fn find_issue_mark(line: &str) -> Option<(NaiveDate, usize, usize)> {
    // Every mark has a year: most lines have no digits at all.
    if !line.bytes().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let t = line.trim();
    let off = line.len() - line.trim_start().len();
    let b = t.as_bytes();
    let lower = t.to_ascii_lowercase();
    // "Adopted:", "Effective", "Issued", "Dated" before the month.
    let mut i = 0;
    for word in [
        "adopted",
        "effective",
        "issued",
        "approved",
        "dated",
        "date of issue",
    ] {
        if lower.starts_with(word) {
            i = skip_spaces(b, word.len());
            while i < b.len() && matches!(b[i], b':' | b' ' | b'.') {
                i += 1;
            }
            break;
        }
    }
    // A month's name and a year, alone on the line (or after its word).
    if let Some((m, j)) = month_at(b, i) {
        let j = skip_spaces(b, if b.get(j) == Some(&b',') { j + 1 } else { j });
        if let Some((y, end)) = digits_at(b, j, 4, 4)
            && end == b.len()
            && let Some(d) = NaiveDate::from_ymd_opt(y as i32, m, 1).filter(|d| plausible(*d))
        {
            return Some((d, off + i, off + end));
        }
    }
    // "Form 581-5138b-P 10/2014": a form's code and its month anywhere on a line (text kept
    // without its line breaks runs the footer into the body).
    let words: Vec<(usize, &str)> = t
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - t.as_ptr() as usize, w))
        .collect();
    for k in 0..words.len().saturating_sub(2) {
        let (_, w) = words[k];
        if !w.eq_ignore_ascii_case("form") || !words[k + 1].1.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        for &(at, v) in words.iter().skip(k + 2).take(2) {
            let v = v.trim_end_matches([':', ',', ')']).trim_start_matches('(');
            let vb = v.as_bytes();
            if let Some((m, j)) = digits_at(vb, 0, 1, 2)
                && (1..=12).contains(&m)
                && matches!(vb.get(j), Some(b'/' | b'.'))
                && let Some((y, end)) = digits_at(vb, j + 1, 2, 4)
                && end == vb.len()
                && end - (j + 1) != 3
                && let Some(d) =
                    NaiveDate::from_ymd_opt(full_year(y, end - (j + 1)), m, 1).filter(|d| plausible(*d))
            {
                let start = off + at + (t[at..].len() - t[at..].trim_start_matches('(').len());
                return Some((d, start, start + end));
            }
        }
    }
    // "MCPS Form 336-64 October 2021": a form's code and the month's name.
    for k in 0..words.len().saturating_sub(3) {
        let (_, w) = words[k];
        if !w.eq_ignore_ascii_case("form") || !words[k + 1].1.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        let (at, _) = words[k + 2];
        let tb = t.as_bytes();
        if let Some((m, j)) = month_at(tb, at) {
            let j = skip_spaces(tb, if tb.get(j) == Some(&b',') { j + 1 } else { j });
            if let Some((y, end)) = digits_at(tb, j, 4, 4)
                && clean_end(tb, end)
                && let Some(d) = NaiveDate::from_ymd_opt(y as i32, m, 1).filter(|d| plausible(*d))
            {
                return Some((d, off + at, off + end));
            }
        }
    }
    // A numeric month and year: after its word, or beside a form code on a short line.
    let words = t.split_whitespace().count();
    let coded = t.split_whitespace().any(|w| {
        let w = w.trim_matches(|c: char| matches!(c, '(' | ')' | ','));
        w.chars().any(|c| c.is_ascii_digit()) && w.chars().any(|c| c.is_ascii_alphabetic())
    }) || {
        // "SpEd 8 09.14", "Form 9 (3/08)": a short name and a number.
        let mut ws = t.split_whitespace();
        matches!((ws.next(), ws.next()), (Some(a), Some(n))
            if a.len() <= 6 && a.chars().all(|c| c.is_ascii_alphabetic()) && n.starts_with(|c: char| c.is_ascii_digit()))
    };
    if i == 0 && !(coded && words <= 6) {
        return None;
    }
    let mut k = i;
    while k < b.len() {
        let at_start = k == i || !b[k - 1].is_ascii_alphanumeric() && b[k - 1] != b'-' && b[k - 1] != b'.';
        if at_start
            && let Some((m, j)) = digits_at(b, k, 1, 2)
            && (1..=12).contains(&m)
            && let Some(&sep) = b.get(j).filter(|c| matches!(c, b'/' | b'.' | b'-'))
            && let Some((y, end)) = digits_at(b, j + 1, 2, 4)
            && end - (j + 1) != 3
            && (end == b.len() || matches!(b[end], b')' | b' ' | b','))
            && (sep != b'-' || end - (j + 1) == 4)
        {
            let year = full_year(y, end - (j + 1));
            if let Some(d) = NaiveDate::from_ymd_opt(year, m, 1).filter(|d| plausible(*d)) {
                return Some((d, off + k, off + end));
            }
        }
        k += 1;
    }
    None
}

/// Years that a special-education record can carry.
pub fn plausible(date: NaiveDate) -> bool {
    (1970..=2069).contains(&date.year())
}

/// School years named in a line, as their first calendar year (`SY2023-24` → 2023).
pub fn find_school_years(line: &str) -> Vec<i32> {
    let lower = line.to_ascii_lowercase();
    let b = lower.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 7 <= b.len() {
        if b[i].is_ascii_digit()
            && (i == 0 || !b[i - 1].is_ascii_digit())
            && let Some((y1, j)) = digits_at(b, i, 4, 4)
            && matches!(b.get(j), Some(b'-' | b'/'))
            && let Some((y2, end)) = digits_at(b, j + 1, 2, 4)
            && !b
                .get(end)
                .is_some_and(|c| c.is_ascii_digit() || *c == b'-' || *c == b'/')
        {
            let y2 = if end - (j + 1) == 2 {
                (y1 / 100) * 100 + y2
            } else {
                y2
            };
            let before = &lower[..i];
            let after = &lower[end..];
            let marked = before.ends_with("sy")
                || before.ends_with("sy ")
                || before.trim_end().ends_with("school year")
                || after.trim_start().starts_with("school year")
                || after.trim_start().starts_with("sy");
            if y2 == y1 + 1 && (1990..=2069).contains(&(y1 as i32)) && marked {
                out.push(y1 as i32);
            }
            i = end;
            continue;
        }
        i += 1;
    }
    out
}

/// The school year a date falls in (July to June), as `sy2023-24`.
pub fn school_year_tag(date: NaiveDate) -> String {
    let start = if date.month() >= 7 {
        date.year()
    } else {
        date.year() - 1
    };
    format!("sy{}-{:02}", start, (start + 1) % 100)
}

#[cfg(test)]
mod tests {

    /// `month_at` as it was: every name of `MONTHS` tried in turn.
    fn month_at_by_list(b: &[u8], i: usize) -> Option<(u32, usize)> {
        if i > 0 && b[i - 1].is_ascii_alphanumeric() {
            return None;
        }
        for (name, m) in MONTHS.iter().chain([("dec", 12)].iter()) {
            let n = name.len();
            if b.len() >= i + n && b[i..i + n].eq_ignore_ascii_case(name.as_bytes()) {
                let after = b.get(i + n).copied();
                if after.is_some_and(|c| c.is_ascii_alphabetic()) {
                    continue;
                }
                return Some((*m, if after == Some(b'.') { i + n + 1 } else { i + n }));
            }
        }
        None
    }

    #[test]
    fn a_month_is_found_where_the_list_of_names_finds_it() {
        let text = "January 5, Jan. 5 jan5 FEBRUARY feb Febr March marches Mar. mar- April apr. \
                    Apri may MAY. Mayor June Jun juny July jul. jULy August aug augur September \
                    Sept. sept sep Sep. Septe October oct octet November nov. novel December dec \
                    Dec. decade xjan 5may (sept) ma ju s de j";
        let b = text.as_bytes();
        let mut found = 0;
        for i in 0..=b.len() {
            assert_eq!(
                month_at(b, i),
                month_at_by_list(b, i),
                "at {i}: {:?}",
                &text[i.min(text.len())..]
            );
            found += usize::from(month_at(b, i).is_some());
        }
        assert!(found > 30, "{found}");
        // The ends of the text.
        for t in ["ma", "se", "dec", "sept", ""] {
            assert_eq!(
                month_at(t.as_bytes(), 0),
                month_at_by_list(t.as_bytes(), 0),
                "{t:?}"
            );
        }
    }

    use super::*;

    #[test]
    fn a_revision_cited_in_prose_is_another_papers() {
        let prose = "OSEP stated, however, that in such cases, the prior written notice requirements still apply \
                     (see OSEP's Questions and Answers on Individualized Education Programs, Revised June 2010; Question C-10).";
        assert!(find_revision(prose).is_none());
        assert!(find_revision("Form PWN-1 Rev. 08/2019").is_some());
        let opening = "Rev. August 2014 PART B NOTICE OF PROCEDURAL SAFEGUARDS PARENTAL RIGHTS FOR PUBLIC SCHOOL SPECIAL \
                       EDUCATION STUDENTS The material contained in this document is intended to provide general information";
        assert!(
            find_revision(opening).is_some(),
            "a mark opening a run-on line is the paper's"
        );
        let footer = "This notice must be given to the parents with a copy of the evaluation report and the IEP, Revised June 2010";
        assert!(
            find_revision(footer).is_some(),
            "at the end of a long line it is the paper's own"
        );
    }

    #[test]
    fn a_space_before_the_year_is_still_a_date() {
        let found = find_dates("IEP Date: 04/26/ 2012 Grade: K", DateOrder::MonthFirst);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].date,
            NaiveDate::from_ymd_opt(2012, 4, 26).unwrap_or_default()
        );
        // Not two numbers and a page count: "1/2/ 34" stays no date.
        assert!(find_dates("rows 1/2/ 34", DateOrder::MonthFirst).is_empty());
    }

    /// `find_dates` trying every byte, as it first did: skipping the inside of words must find
    /// the same dates.
    fn find_dates_every_byte(line: &str, order: DateOrder) -> Vec<Mention> {
        let b = line.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if let Some(m) = numeric_at(b, i, order).or_else(|| named_at(b, i)) {
                i = m.end;
                out.push(m);
            } else {
                i += 1;
            }
        }
        out
    }

    #[test]
    fn skipping_words_finds_the_same_dates() {
        for line in [
            "Meeting on March 14, 2024 and 3/4/24; signed 2024-03-14.",
            "Rev. 07/2019 form SS-12 dated 14 Mar 2024, 3rd October 2023, 14-Mar-2024",
            "abc12/03/2024 x1March 5, 2024 Dec. 3rd, 2023:4/5/2023",
            "IEP12 2023-24 school year; Sept 9 2024; sept. 9, 2024",
            "",
            "Émile 04.05.2023 — Mai 2023 Oct 3 2023",
        ] {
            for order in [DateOrder::MonthFirst, DateOrder::DayFirst] {
                let a: Vec<_> = find_dates(line, order).iter().map(|m| format!("{m:?}")).collect();
                let b: Vec<_> = find_dates_every_byte(line, order)
                    .iter()
                    .map(|m| format!("{m:?}"))
                    .collect();
                assert_eq!(a, b, "{line:?}");
            }
        }
    }

    fn one(s: &str) -> Option<(String, bool)> {
        let m = find_dates(s, DateOrder::MonthFirst);
        m.first()
            .map(|m| (m.date.format("%Y-%m-%d").to_string(), m.ambiguous))
    }

    #[test]
    fn every_format_of_the_issue() {
        assert_eq!(one("Date: 3/14/2024"), Some(("2024-03-14".into(), false)));
        assert_eq!(one("on 3/14/24 we met"), Some(("2024-03-14".into(), false)));
        assert_eq!(one("March 14, 2024"), Some(("2024-03-14".into(), false)));
        assert_eq!(one("14 Mar 2024"), Some(("2024-03-14".into(), false)));
        assert_eq!(one("2024-03-14"), Some(("2024-03-14".into(), false)));
        assert_eq!(one("Tuesday, Oct. 3rd, 2023"), Some(("2023-10-03".into(), false)));
        assert_eq!(one("Sept. 5, 2023"), Some(("2023-09-05".into(), false)));
        assert_eq!(one("3rd October 2023"), Some(("2023-10-03".into(), false)));
        assert_eq!(one("12-07-01"), Some(("2001-12-07".into(), true)));
    }

    #[test]
    fn glued_numbers_and_implausible_years_are_not_dates() {
        assert_eq!(one("ID 1234/5/2023"), None);
        assert_eq!(one("3/14/20245"), None);
        assert_eq!(one("x3/14/2024"), None);
        assert_eq!(one("1/2/1850"), None);
        assert_eq!(one("version 1.2.3"), None);
        assert_eq!(one("May 2024"), None);
        assert_eq!(one("13/13/2024"), None);
        assert_eq!(one("phone 555-12-1234"), None);
    }

    #[test]
    fn ambiguity_follows_the_case_order() {
        let m = find_dates("04/05/2023", DateOrder::DayFirst);
        assert_eq!(m[0].date, NaiveDate::from_ymd_opt(2023, 5, 4).unwrap());
        assert!(m[0].ambiguous);
        let m = find_dates("25/05/2023", DateOrder::MonthFirst);
        assert_eq!(m[0].date, NaiveDate::from_ymd_opt(2023, 5, 25).unwrap());
        assert!(!m[0].ambiguous);
    }

    #[test]
    fn several_dates_in_one_line() {
        let m = find_dates(
            "Dates of Evaluation: 05/30/2023, 06/02/2023, 06/06/2023",
            DateOrder::MonthFirst,
        );
        assert_eq!(m.len(), 3);
    }

    #[test]
    fn revision_marks_with_or_without_a_day() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(
            find_revision("Form SE-1 Rev. 07/2019").map(|r| r.0),
            Some(d(2019, 7, 1))
        );
        assert_eq!(
            find_revision("Revised July 2019").map(|r| r.0),
            Some(d(2019, 7, 1))
        );
        assert_eq!(find_revision("(rev 9/14)").map(|r| r.0), Some(d(2014, 9, 1)));
        assert_eq!(
            find_revision("Revised 08/15/2016").map(|r| r.0),
            Some(d(2016, 8, 15))
        );
        assert_eq!(find_revision("Annual review 10/03/2023"), None);
        assert_eq!(
            find_title_edition("Notice of Procedural Safeguards July 2018 State Education Agency")
                .map(|r| r.0),
            Some(d(2018, 7, 1))
        );
        assert_eq!(find_title_edition("Notice of Safeguards 12 July 2018"), None);
        assert_eq!(find_title_edition("Signed July 2018"), None);
        assert_eq!(
            find_title_edition("Parent Rights for School Year July 2018-19"),
            None
        );
        assert_eq!(find_revision("Revenue 2019"), None);
    }

    #[test]
    fn school_years() {
        assert_eq!(
            find_school_years("Reporting Period: Quarter 1, SY2023-24"),
            vec![2023]
        );
        assert_eq!(find_school_years("the 2022-2023 school year"), vec![2022]);
        assert_eq!(find_school_years("pages 2022-2023"), Vec::<i32>::new());
        assert_eq!(
            school_year_tag(NaiveDate::from_ymd_opt(2024, 3, 1).unwrap()),
            "sy2023-24"
        );
        assert_eq!(
            school_year_tag(NaiveDate::from_ymd_opt(2023, 9, 1).unwrap()),
            "sy2023-24"
        );
    }
}

#[cfg(test)]
mod issue_marks {
    use super::*;

    #[test]
    fn a_label_glued_to_its_date_is_read_as_if_spaced() {
        let line = "Decision Date28 January 2019";
        let found = find_dates(line, DateOrder::MonthFirst);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].date, NaiveDate::from_ymd_opt(2019, 1, 28).unwrap());
        assert_eq!(&line[found[0].start..found[0].end], "28 January 2019");
        let found = find_dates("Dated12/03/2021 by the team", DateOrder::MonthFirst);
        assert_eq!(found[0].date, NaiveDate::from_ymd_opt(2021, 12, 3).unwrap());
        // Other words glued to numbers are not labels.
        assert!(find_dates("Form28 January 2019", DateOrder::MonthFirst).is_empty());
    }

    fn mark(s: &str) -> Option<String> {
        find_issue_mark(s).map(|(d, _, _)| d.to_string())
    }

    #[test]
    fn months_a_paper_was_issued_or_revised_in() {
        assert_eq!(mark("September 2010").as_deref(), Some("2010-09-01"));
        assert_eq!(mark("  Oct. 2007 ").as_deref(), Some("2007-10-01"));
        assert_eq!(mark("Adopted: April 2007").as_deref(), Some("2007-04-01"));
        assert_eq!(mark("SpEd 8 09.14").as_deref(), Some("2014-09-01"));
        assert_eq!(
            mark("ODE form 581-5138b-P (10/2014)").as_deref(),
            Some("2014-10-01")
        );
        assert_eq!(mark("ISBE 34-57A (3/08)").as_deref(), Some("2008-03-01"));
        assert_eq!(mark("Effective 07/2019").as_deref(), Some("2019-07-01"));
        assert_eq!(
            mark("MCPS Form 336-64 October 2021 Page 1 of 3").as_deref(),
            Some("2021-10-01")
        );
        assert_eq!(
            mark("Re-Evaluation Due Date Grade: _____ Form 581-5138b-P 10/2014: Oregon Standard IEP 1")
                .as_deref(),
            Some("2014-10-01")
        );
        // Not marks: a sentence, a whole date, a number that is not a month.
        assert_eq!(
            mark("The meeting was held in September 2010 at the school."),
            None
        );
        assert_eq!(mark("Meeting Date 09/14/2023"), None);
        assert_eq!(mark("Grade 10 room 14.22"), None);
        assert_eq!(mark("Form 9"), None);
    }
}

#[cfg(test)]
mod signed_dates {
    use super::*;

    #[test]
    fn orders_are_signed_on_the_nth_day_of_a_month() {
        let m = find_dates("DATED this 30th day of September, 2020.", DateOrder::MonthFirst);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].date.to_string(), "2020-09-30");
        let m = find_dates(
            "Entered on the 1st day of May 2019 at Denver",
            DateOrder::MonthFirst,
        );
        assert_eq!(m[0].date.to_string(), "2019-05-01");
    }
}
