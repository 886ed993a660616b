//! The figures a mediator can check, read from the text of the documents themselves: the
//! minutes an IEP sets for a service and the minutes a service log shows were given, month by
//! month; the rating each goal got in each progress report; the incidents in the discipline
//! records, month by month. Each reader takes the text of one document and returns what it
//! says, as written; adding up, comparing and counting is left to the packet, which marks every
//! result "computed". A line a reader does not understand gives nothing, never a guess.

use chrono::{Datelike, NaiveDate};

use crate::classify::dates::{DateOrder, find_dates};

/// How often an IEP's minutes recur.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Per {
    Day,
    Week,
    Month,
}

impl Per {
    pub fn words(self) -> &'static str {
        match self {
            Per::Day => "daily",
            Per::Week => "weekly",
            Per::Month => "monthly",
        }
    }
}

/// A service line of an IEP: "Speech-language therapy: 60 minutes weekly".
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// The service as the IEP names it.
    pub name: String,
    /// The sort of service ("speech", "ot", "reading"…), to find its log.
    pub area: &'static str,
    /// Minutes each period, as written or (`times` > 1) the minutes of one session.
    pub minutes: u32,
    /// Sessions each period ("2 x 30 minutes weekly"); 1 when the line gives one figure.
    pub times: u32,
    pub per: Per,
}

impl Service {
    /// Minutes each period (sessions times minutes).
    pub fn total(&self) -> u32 {
        self.minutes * self.times
    }
}

/// The sort of service a name speaks of: the first service tag whose words it holds, or the
/// short forms staff write ("OT", "PT", "SLP").
pub fn area_of(name: &str) -> Option<&'static str> {
    let lower = name.to_lowercase();
    let words: Vec<&str> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    for (short, area) in [("OT", "ot"), ("PT", "pt"), ("SLP", "speech"), ("SAI", "reading")] {
        if words.contains(&short) {
            return Some(area);
        }
    }
    crate::classify::tags::SERVICE_TAGS
        .iter()
        .filter(|(tag, _)| !matches!(*tag, "placement" | "esy" | "transportation"))
        .find(|(_, phrases)| phrases.iter().any(|p| crate::classify::has_phrase(&lower, p)))
        .map(|(tag, _)| *tag)
}

/// The number just before byte `at` in `s` ("… 60 " → 60), skipping spaces.
fn number_before(s: &str, at: usize) -> Option<(u32, usize)> {
    let head = s[..at].trim_end();
    let digits = head.len() - head.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 4 {
        return None;
    }
    let start = head.len() - digits;
    Some((head[start..].parse().ok()?, start))
}

/// The period a rate's words name ("weekly", "per week", "/wk", "a month", "each day").
fn period(words: &str) -> Option<Per> {
    let w = words
        .trim_start_matches(|c: char| c.is_whitespace() || c == '/' || c == '.')
        .to_lowercase();
    let w = ["per ", "a ", "each ", "every ", "/ "]
        .iter()
        .find_map(|p| w.strip_prefix(p))
        .unwrap_or(&w)
        .trim_start();
    let word: String = w.chars().take_while(|c| c.is_alphabetic()).collect();
    match word.as_str() {
        "week" | "weekly" | "wk" | "wks" | "weeks" => Some(Per::Week),
        "month" | "monthly" | "mo" | "mos" | "months" => Some(Per::Month),
        "day" | "daily" | "days" => Some(Per::Day),
        _ => None,
    }
}

/// The rate a service line's amount gives: "60 minutes weekly", "30 min/month", "150 / week"
/// (under a "Minutes" column), "2 x 30 minutes weekly", "30 minutes, 2 times per week".
fn rate(amount: &str, minutes_column: bool) -> Option<(u32, u32, Per)> {
    let lower = amount.to_lowercase();
    // The minutes: a number before "min…", or the first number under a "Minutes" column.
    let unit = ["minutes", "minute", "mins", "min"]
        .iter()
        .filter_map(|u| lower.find(u).map(|at| (at, u.len())))
        .min_by_key(|(at, len)| (*at, std::cmp::Reverse(*len)));
    let (minutes, after) = match unit {
        Some((at, len)) => (number_before(&lower, at)?.0, at + len),
        None if minutes_column => {
            let start = lower.find(|c: char| c.is_ascii_digit())?;
            let end = lower[start..]
                .find(|c: char| !c.is_ascii_digit())
                .map_or(lower.len(), |e| start + e);
            (lower[start..end].parse().ok()?, end)
        }
        None => return None,
    };
    let rest = &lower[after..];
    // "2 times per week" / "2x weekly" after the minutes, or "2 x" before them.
    let times_word = |s: &str| -> Option<(u32, usize)> {
        for marker in [" times", "x ", "x/", " x"] {
            if let Some(at) = s.find(marker) {
                let (n, _) = number_before(s, at)?;
                return Some((n, at + marker.len()));
            }
        }
        None
    };
    if let Some((n, end)) = times_word(rest)
        && let Some(per) = period(&rest[end..])
    {
        return Some((minutes, n, per));
    }
    if let Some(per) = period(rest.trim_start_matches([',', ' ']).trim_start()) {
        let before = &lower[..unit.map_or(0, |(at, _)| at)];
        let times = before
            .trim_end()
            .trim_end_matches(|c: char| c.is_ascii_digit())
            .trim_end()
            .strip_suffix('x')
            .and_then(|b| number_before(b, b.len()))
            .map_or(1, |(n, _)| n);
        return Some((minutes, times, per));
    }
    None
}

/// The service lines of an IEP: a service's name, then (after a tab, a colon or two spaces)
/// its minutes and how often.
pub fn iep_services(text: &str) -> Vec<Service> {
    let mut out: Vec<Service> = Vec::new();
    let mut minutes_column = false;
    for line in text.lines() {
        let cells: Vec<&str> = line
            .split('\t')
            .flat_map(|c| c.split("  "))
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        if cells.len() >= 2
            && cells
                .iter()
                .skip(1)
                .any(|c| matches!(c.to_lowercase().as_str(), "minutes" | "min" | "amount" | "time"))
        {
            minutes_column = true;
            continue;
        }
        let (name, amount) = match (cells.len(), line.split_once(':')) {
            (n, _) if n >= 2 => (cells[0], cells[1..].join(" ")),
            (_, Some((name, amount))) => (name.trim(), amount.trim().to_string()),
            _ => continue,
        };
        let words = name.split_whitespace().count();
        if words == 0 || words > 8 || name.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        let Some(area) = area_of(name) else { continue };
        let Some((minutes, times, per)) = rate(&amount, minutes_column) else {
            continue;
        };
        if minutes == 0 || times == 0 {
            continue;
        }
        out.push(Service {
            name: name.to_string(),
            area,
            minutes,
            times,
            per,
        });
    }
    out
}

/// One dated entry of a service log: its day, its minutes (none when it gives none), and
/// whether the session was cancelled or missed.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub day: NaiveDate,
    pub minutes: Option<u32>,
    pub missed: bool,
}

const MISSED: &[&str] = &["cancel", "missed", "absent", "no show", "no-show", "not held"];

/// A service log's dated entries: lines that begin with a date and give minutes ("09/06/2023
/// consultation with teacher, 30 min"; under a "Minutes" column, the number in that column) or
/// say the session did not happen ("11/01/2023 session cancelled"). None unless two or more.
pub fn log_entries(text: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut column: Option<usize> = None;
    for line in text.lines().map(str::trim) {
        let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
        if cells.len() >= 2 && cells.iter().all(|c| !c.chars().any(|ch| ch.is_ascii_digit())) {
            if let Some(i) = cells.iter().position(|c| {
                let c = c.to_lowercase();
                c == "minutes" || c == "min" || c == "mins" || c == "minutes delivered"
            }) {
                column = Some(i);
            }
            continue;
        }
        let Some(first) = find_dates(line, DateOrder::MonthFirst).into_iter().next() else {
            continue;
        };
        if first.start != 0 {
            continue;
        }
        let lower = line.to_lowercase();
        let missed = MISSED.iter().any(|w| lower.contains(w));
        let in_column = column
            .filter(|_| cells.len() >= 2)
            .and_then(|i| cells.get(i))
            .and_then(|c| c.parse::<u32>().ok());
        let words: Vec<&str> = lower.split(|c: char| c.is_whitespace() || c == ',').collect();
        let minutes = in_column.or_else(|| {
            words
                .windows(2)
                .find(|w| matches!(w[1], "min" | "mins" | "min." | "minutes"))
                .and_then(|w| w[0].parse::<u32>().ok())
        });
        if minutes.is_none() && !missed {
            continue;
        }
        out.push(Entry {
            day: first.date,
            minutes: if missed { Some(0) } else { minutes },
            missed,
        });
    }
    if out.len() < 2 { Vec::new() } else { out }
}

/// A month of a service log, added up.
#[derive(Debug, PartialEq)]
pub struct Month {
    /// The month's first day.
    pub first: NaiveDate,
    pub minutes: u32,
    pub entries: u32,
    pub missed: u32,
}

impl Month {
    /// "September 2023".
    pub fn name(&self) -> String {
        self.first.format("%B %Y").to_string()
    }
}

/// A log's entries added up month by month.
pub fn by_month(entries: &[Entry]) -> Vec<Month> {
    let mut months: std::collections::BTreeMap<NaiveDate, (u32, u32, u32)> = Default::default();
    for e in entries {
        let Some(first) = e.day.with_day(1) else { continue };
        let m = months.entry(first).or_default();
        m.0 += e.minutes.unwrap_or(0);
        m.1 += 1;
        m.2 += u32::from(e.missed);
    }
    months
        .into_iter()
        .map(|(first, (minutes, entries, missed))| Month {
            first,
            minutes,
            entries,
            missed,
        })
        .collect()
}

/// The weeks (Monday to Sunday) that begin in the month starting on `first`.
pub fn weeks_beginning_in(first: NaiveDate) -> u32 {
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    };
    let Some(next) = next else { return 0 };
    first
        .iter_days()
        .take_while(|d| *d < next)
        .filter(|d| d.weekday() == chrono::Weekday::Mon)
        .count() as u32
}

/// One goal's rating in one progress report, as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Rating {
    /// The goal as the report names it ("Goal 1 (reading fluency)", "Reading fluency").
    pub goal: String,
    /// What the goal is known by across reports (its number, or its name in lower case).
    pub key: String,
    /// The rating as written ("2 - Partial progress"; a code with the legend's words for it:
    /// "S (sufficient progress to meet the goal)").
    pub rating: String,
}

/// Words that say how far a goal has come: a line holds a rating only if it has one.
const PROGRESS_WORDS: &[&str] = &[
    "no progress",
    "progress",
    "progressing",
    "goal met",
    "met",
    "not met",
    "mastered",
    "achieved",
    "emerging",
    "not introduced",
    "not yet introduced",
    "regress",
    "maintained",
    "partial",
    "substantial",
    "insufficient",
    "sufficient",
    "adequate",
    "minimal",
    "limited",
];

fn rates_progress(text: &str) -> bool {
    let lower = text.to_lowercase();
    PROGRESS_WORDS
        .iter()
        .any(|w| crate::classify::has_phrase(&lower, w))
}

/// A report's legend of progress codes: "M = goal met; S = sufficient progress …" or
/// "1 No Progress / 2 Partial / 3 Substantial / 4 Goal met".
fn legend(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let lower = text.to_lowercase();
    let Some(at) = lower.find("progress code").or_else(|| lower.find("codes:")) else {
        return out;
    };
    // The legend: from its label to the end of its paragraph (it may wrap onto a second line).
    let rest = &text[at..];
    let rest = rest.split_once(':').map_or(rest, |(_, r)| r);
    let end = rest.find("\n\n").unwrap_or(rest.len()).min(400);
    let body = rest[..end].replace('\n', " ");
    for part in body.split([';', '/', ',']) {
        let part = part.trim().trim_end_matches('.');
        let (code, meaning) = match part.split_once('=') {
            Some((c, m)) => (c.trim(), m.trim()),
            None => match part.split_once(' ') {
                Some((c, m)) if c.chars().all(|ch| ch.is_ascii_digit()) => (c, m.trim()),
                _ => continue,
            },
        };
        if code.is_empty()
            || code.len() > 3
            || meaning.is_empty()
            || !rates_progress(meaning) && !code.chars().all(|c| c.is_ascii_digit())
        {
            continue;
        }
        out.push((code.to_string(), meaning.to_string()));
    }
    out
}

/// The goals a progress report rates, each with its rating as written: "Goal 1 (reading
/// fluency): 2 - Partial progress. 48 wcpm", "Goal 2 - Written expression: progressing
/// slowly", or a table row whose last cell is one of the legend's codes.
pub fn goal_ratings(text: &str) -> Vec<Rating> {
    let codes = legend(text);
    let mut out: Vec<Rating> = Vec::new();
    for line in text.lines().map(str::trim) {
        let lower = line.to_lowercase();
        if let Some(rest) = lower
            .strip_prefix("goal")
            .or_else(|| lower.strip_prefix("annual goal"))
        {
            let rest = rest.trim_start_matches([' ', '#']);
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            if digits.is_empty() {
                continue;
            }
            let Some(colon) = line.find(':') else { continue };
            let goal = line[..colon].trim().to_string();
            let said = line[colon + 1..].trim();
            // The rating: to the end of its sentence or clause.
            let end = [said.find(". "), said.find(';')]
                .into_iter()
                .flatten()
                .min()
                .unwrap_or(said.len());
            let mut rating = said[..end].trim().trim_end_matches('.').to_string();
            if !rates_progress(&rating) {
                // "2" alone (a code) with the legend's words.
                let code: String = rating.chars().take_while(|c| !c.is_whitespace()).collect();
                match codes.iter().find(|(c, _)| *c == code) {
                    Some((_, meaning)) if rating.len() <= code.len() + 1 => {
                        rating = format!("{code} ({meaning})");
                    }
                    _ => continue,
                }
            }
            if rating.len() > 90 {
                continue;
            }
            out.push(Rating {
                goal,
                key: format!("goal {digits}"),
                rating,
            });
            continue;
        }
        // A table row: the goal, then its code in the last cell.
        let cells: Vec<&str> = line
            .split('\t')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        if cells.len() < 2 || codes.is_empty() {
            continue;
        }
        let last = cells[cells.len() - 1];
        let Some((code, meaning)) = codes.iter().find(|(c, _)| c == last) else {
            continue;
        };
        let goal = cells[0].split(':').next().unwrap_or(cells[0]).trim();
        if goal.is_empty() || goal.len() > 80 || goal.to_lowercase().contains("progress code") {
            continue;
        }
        out.push(Rating {
            goal: goal.to_string(),
            key: goal.to_lowercase(),
            rating: format!("{code} ({meaning})"),
        });
    }
    // A goal rated twice in one report is not understood: neither is kept.
    let keys: Vec<String> = out.iter().map(|r| r.key.clone()).collect();
    out.retain(|r| keys.iter().filter(|k| **k == r.key).count() == 1);
    out
}

/// The incidents a discipline record holds: the dated lines of a log of incidents (two or
/// more), or else the one incident it is about, on the day labelled "date of incident" (or the
/// record's own date).
pub fn incidents(text: &str, own_date: Option<NaiveDate>) -> Vec<NaiveDate> {
    let mut logged = Vec::new();
    for line in text.lines().map(str::trim) {
        if let Some(first) = find_dates(line, DateOrder::MonthFirst).into_iter().next()
            && first.start == 0
            && line.len() > first.end + 3
        {
            logged.push(first.date);
        }
    }
    if logged.len() >= 2 {
        return logged;
    }
    for line in text.lines() {
        let lower = line.to_lowercase();
        if let Some(at) = lower
            .find("date of incident")
            .or_else(|| lower.find("incident date"))
            && let Some(d) = find_dates(&line[at..], DateOrder::MonthFirst).into_iter().next()
        {
            return vec![d.date];
        }
    }
    own_date.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn an_ieps_service_lines_are_read_in_several_layouts() {
        let text = "Special Education and Related Services\nSpecialized academic instruction (reading): 240 minutes weekly\nSpeech-language therapy: 60 minutes weekly\nOccupational therapy (consultation): 30 minutes monthly\nProgress reports: quarterly, with report cards.\nMaya reads 48 words correct per minute.\n";
        let s = iep_services(text);
        assert_eq!(s.len(), 3, "{s:?}");
        assert_eq!((s[0].area, s[0].total(), s[0].per), ("reading", 240, Per::Week));
        assert_eq!((s[1].area, s[1].total(), s[1].per), ("speech", 60, Per::Week));
        assert_eq!((s[2].area, s[2].total(), s[2].per), ("ot", 30, Per::Month));
        // A table under a "Minutes" column, and other spellings of the rate.
        let table = "Service\tMinutes\tSetting\tProvider\nSpecialized reading instruction\t150 / week\tResource room\tSpecial education teacher\n";
        let s = iep_services(table);
        assert_eq!((s.len(), s[0].total(), s[0].per), (1, 150, Per::Week), "{s:?}");
        let s = iep_services("Occupational therapy (consult)\t30 min/month\t03/29/2024\t03/27/2025\n");
        assert_eq!(
            (s[0].area, s[0].total(), s[0].per),
            ("ot", 30, Per::Month),
            "{s:?}"
        );
        let s = iep_services(
            "Speech/Language Therapy: 2 x 30 minutes weekly\nOT: 30 minutes, 2 times per week\n",
        );
        assert_eq!((s[0].minutes, s[0].times, s[0].total()), (30, 2, 60), "{s:?}");
        assert_eq!((s[1].area, s[1].times, s[1].total()), ("ot", 2, 60), "{s:?}");
        // A goal that counts words per minute is no service.
        assert!(iep_services("Reading fluency: 80 words correct per minute weekly probes\n").is_empty());
    }

    #[test]
    fn a_service_log_adds_up_month_by_month() {
        let log = "Occupational Therapy Service Log\nStudent: M.\n09/06/2023 consultation with teacher, 30 min\n09/20/2023 direct session 25 minutes\n10/04/2023 consultation with teacher, 30 min\n11/01/2023 session cancelled (therapist absent)\nNext review 12/01/2023\n";
        let m = by_month(&log_entries(log));
        assert_eq!(m.len(), 3, "{m:?}");
        assert_eq!(
            m[0],
            Month {
                first: day("2023-09-01"),
                minutes: 55,
                entries: 2,
                missed: 0
            }
        );
        assert_eq!(m[0].name(), "September 2023");
        assert_eq!((m[2].minutes, m[2].missed), (0, 1));
        // One dated line is no log.
        assert!(log_entries("09/06/2023 consultation, 30 min").is_empty());
        // A log kept as a table: the minutes are the "Minutes" column's.
        let table = "OCCUPATIONAL THERAPY SERVICE LOG\nDate\tMinutes\tType\tNotes\n12/07/2022\t30\tconsult\tmet with teacher: slant board\n01/11/2023\t30\tconsult\tkeyboarding\n02/15/2023\t0\tmissed\ttherapist absent\n";
        let m = by_month(&log_entries(table));
        assert_eq!(m.len(), 3, "{m:?}");
        assert_eq!((m[0].minutes, m[2].minutes, m[2].missed), (30, 0, 1));
    }

    #[test]
    fn weeks_are_counted_by_the_monday_they_begin_on() {
        assert_eq!(weeks_beginning_in(day("2023-10-01")), 5); // 2, 9, 16, 23, 30
        assert_eq!(weeks_beginning_in(day("2024-02-01")), 4);
        assert_eq!(weeks_beginning_in(day("2023-12-01")), 4);
    }

    #[test]
    fn each_goals_rating_is_read_as_written() {
        let q1 = "Progress Codes: 1 No Progress / 2 Partial / 3 Substantial / 4 Goal met\nGoal 1 (reading fluency): 2 - Partial progress. 48 wcpm (goal 60).\nGoal 2 (articulation /r/): 2 - Partial progress. 62% accuracy.\nProgress sufficient to meet annual goal? No\n";
        let r = goal_ratings(q1);
        assert_eq!(r.len(), 2, "{r:?}");
        assert_eq!(r[0].goal, "Goal 1 (reading fluency)");
        assert_eq!(r[0].key, "goal 1");
        assert_eq!(r[0].rating, "2 - Partial progress");
        let other = "Goal 1 - Reading: progressing (sufficient progress to meet the goal).\nGoal 2 - Written expression: progressing slowly; keyboarding helps.\n";
        let r = goal_ratings(other);
        assert_eq!(r[0].rating, "progressing (sufficient progress to meet the goal)");
        assert_eq!(r[1].rating, "progressing slowly");
        // A table with a legend of codes.
        let table = "Annual Goal\tProgress Code\nReading fluency: 80 words correct per minute\tS\nSpelling of taught vowel patterns: 80% accuracy\tI\nProgress codes: M = goal met; S = sufficient progress to meet the goal; I = insufficient progress; N = not yet\nintroduced.\n";
        let r = goal_ratings(table);
        assert_eq!(r.len(), 2, "{r:?}");
        assert_eq!(r[0].goal, "Reading fluency");
        assert_eq!(r[0].rating, "S (sufficient progress to meet the goal)");
        assert_eq!(r[1].rating, "I (insufficient progress)");
        // A goal's statement is no rating.
        assert!(
            goal_ratings("Goal 1 (reading): By 02/02/2023, Theo will read 80 words correct per minute.\n")
                .is_empty()
        );
    }

    #[test]
    fn a_discipline_record_gives_its_incidents() {
        let notice = "NOTICE OF SUSPENSION\nDate of notice\t12/03/2024\nDate of incident\t12/02/2024\nDates of suspension\t12/03/2024 through 12/05/2024\n";
        assert_eq!(
            incidents(notice, Some(day("2024-12-03"))),
            vec![day("2024-12-02")]
        );
        let log = "Behavior incident log\n01/09/2024 left the classroom during writing\n01/23/2024 refused to start the task\n02/02/2024 left the classroom\n";
        assert_eq!(incidents(log, None).len(), 3);
        assert_eq!(
            incidents("Referral to the office.", Some(day("2024-03-01"))),
            vec![day("2024-03-01")]
        );
    }
}
