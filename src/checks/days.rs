//! Counting days the way the rules do: calendar days, business days (weekdays that are not federal
//! holidays, 34 CFR 300.11) and school days (weekdays minus holidays and the breaks the case
//! declares; approximate when no school calendar is given).

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayType {
    Calendar,
    Business,
    School,
}

impl DayType {
    pub fn words(self) -> &'static str {
        match self {
            DayType::Calendar => "calendar days",
            DayType::Business => "business days",
            DayType::School => "school days",
        }
    }
}

fn nth_weekday(year: i32, month: u32, weekday: Weekday, n: u8) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, month, weekday, n)
}

fn last_weekday(year: i32, month: u32, weekday: Weekday) -> Option<NaiveDate> {
    (1..=5).rev().find_map(|n| nth_weekday(year, month, weekday, n))
}

/// Saturday holidays are observed on Friday, Sunday ones on Monday.
fn observed(d: NaiveDate) -> NaiveDate {
    match d.weekday() {
        Weekday::Sat => d - Duration::days(1),
        Weekday::Sun => d + Duration::days(1),
        _ => d,
    }
}

/// Federal holidays (as observed) of a year.
pub fn federal_holidays(year: i32) -> Vec<NaiveDate> {
    let fixed = |m, d| NaiveDate::from_ymd_opt(year, m, d).map(observed);
    let mut v: Vec<NaiveDate> = [
        fixed(1, 1),
        nth_weekday(year, 1, Weekday::Mon, 3),
        nth_weekday(year, 2, Weekday::Mon, 3),
        last_weekday(year, 5, Weekday::Mon),
        if year >= 2021 { fixed(6, 19) } else { None },
        fixed(7, 4),
        nth_weekday(year, 9, Weekday::Mon, 1),
        nth_weekday(year, 10, Weekday::Mon, 2),
        fixed(11, 11),
        nth_weekday(year, 11, Weekday::Thu, 4),
        fixed(12, 25),
    ]
    .into_iter()
    .flatten()
    .collect();
    v.sort();
    v
}

/// The days a case counts by.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    /// School breaks the case declared (inclusive ranges).
    pub breaks: Vec<(NaiveDate, NaiveDate)>,
}

impl Calendar {
    /// The summer break of a calendar year: a declared break of at least 30 days that covers
    /// July 15, else July 1 to August 31.
    pub fn summer_of(&self, year: i32) -> (NaiveDate, NaiveDate) {
        let day = |m, d| NaiveDate::from_ymd_opt(year, m, d).unwrap_or(NaiveDate::MIN);
        let mid = day(7, 15);
        if let Some(&(a, b)) = self
            .breaks
            .iter()
            .find(|(a, b)| *a <= mid && mid <= *b && (*b - *a).num_days() >= 30)
        {
            return (a, b);
        }
        (day(7, 1), day(8, 31))
    }

    /// `days` calendar days after `from`, not counting the summers in between (the days of the
    /// school year: a schedule "quarterly" is kept while school is in session).
    pub fn add_school_days_of_year(&self, from: NaiveDate, days: i64) -> NaiveDate {
        let mut at = from;
        let mut left = days.max(0);
        // Each turn passes one summer; a few hundred years is far beyond any schedule.
        for _ in 0..400 {
            let (mut start, mut end) = self.summer_of(at.year());
            if at > end {
                (start, end) = self.summer_of(at.year() + 1);
            }
            if at >= start {
                at = end + Duration::days(1);
                continue;
            }
            let before = (start - at).num_days();
            if left < before {
                return at + Duration::days(left);
            }
            left -= before;
            at = end + Duration::days(1);
        }
        at
    }

    /// True when school days are counted without a declared calendar (approximate).
    pub fn approximate(&self) -> bool {
        self.breaks.is_empty()
    }

    pub fn is_business_day(&self, d: NaiveDate) -> bool {
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !federal_holidays(d.year()).contains(&d)
    }

    pub fn is_school_day(&self, d: NaiveDate) -> bool {
        self.is_business_day(d) && !self.breaks.iter().any(|(a, b)| *a <= d && d <= *b)
    }

    fn counts(&self, d: NaiveDate, t: DayType) -> bool {
        match t {
            DayType::Calendar => true,
            DayType::Business => self.is_business_day(d),
            DayType::School => self.is_school_day(d),
        }
    }

    /// The day `n` days of type `t` after `start` (the deadline).
    pub fn add(&self, start: NaiveDate, n: i64, t: DayType) -> NaiveDate {
        if t == DayType::Calendar {
            return start + Duration::days(n);
        }
        let step = if n >= 0 { 1 } else { -1 };
        let mut d = start;
        let mut left = n.abs();
        while left > 0 {
            d += Duration::days(step);
            if self.counts(d, t) {
                left -= 1;
            }
        }
        d
    }

    /// Days of type `t` after `from` up to and including `to` (0 when `to` is not later).
    pub fn between(&self, from: NaiveDate, to: NaiveDate, t: DayType) -> i64 {
        if to <= from {
            return 0;
        }
        if t == DayType::Calendar {
            return (to - from).num_days();
        }
        let mut n = 0;
        let mut d = from;
        while d < to {
            d += Duration::days(1);
            if self.counts(d, t) {
                n += 1;
            }
        }
        n
    }
}

#[cfg(test)]
mod summer_tests {
    use super::*;

    #[test]
    fn the_summer_is_not_counted() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let cal = Calendar::default();
        // 23 days to June 30, then 98 from September 1.
        assert_eq!(cal.add_school_days_of_year(d(2024, 6, 7), 121), d(2024, 12, 7));
        assert_eq!(cal.add_school_days_of_year(d(2024, 1, 10), 30), d(2024, 2, 9));
        // From inside the summer: counting starts in September.
        assert_eq!(cal.add_school_days_of_year(d(2024, 7, 10), 10), d(2024, 9, 11));
        let declared = Calendar {
            breaks: vec![(d(2024, 6, 14), d(2024, 8, 26))],
        };
        assert_eq!(
            declared.add_school_days_of_year(d(2024, 6, 7), 10),
            d(2024, 8, 30)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn holidays_and_business_days() {
        let h = federal_holidays(2023);
        assert!(h.contains(&d(2023, 11, 23))); // Thanksgiving
        assert!(h.contains(&d(2023, 1, 2))); // New Year's Day observed (Sunday)
        let c = Calendar::default();
        // Wednesday 2023-11-22 + 5 business days skips Thanksgiving and the weekend.
        assert_eq!(c.add(d(2023, 11, 22), 5, DayType::Business), d(2023, 11, 30));
        assert_eq!(c.add(d(2023, 3, 1), 60, DayType::Calendar), d(2023, 4, 30));
        assert_eq!(c.between(d(2023, 11, 22), d(2023, 11, 30), DayType::Business), 5);
        // Five business days before a Monday hearing.
        assert_eq!(c.add(d(2024, 6, 17), -5, DayType::Business), d(2024, 6, 10));
    }

    #[test]
    fn school_days_skip_declared_breaks() {
        let c = Calendar {
            breaks: vec![(d(2023, 12, 18), d(2024, 1, 1))],
        };
        assert_eq!(c.add(d(2023, 12, 15), 1, DayType::School), d(2024, 1, 2));
        assert!(!c.approximate());
    }
}
