//! The one place that reads the clock.
//!
//! Everything else takes the day as a value, so the same catalog and settings give the same
//! output on any day a test or a reproducible build chooses: `SOURCE_DATE_EPOCH` (seconds since
//! 1970, the reproducible-builds convention) stands in for now when it is set. A clippy rule
//! (`clippy.toml`, `disallowed-methods`) keeps every other module off the system clock.

use chrono::{DateTime, NaiveDate, NaiveDateTime};

/// `SOURCE_DATE_EPOCH`, when set to a valid time.
fn fixed_now() -> Option<NaiveDateTime> {
    let secs: i64 = std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()?;
    DateTime::from_timestamp(secs, 0).map(|t| t.naive_utc())
}

/// Today, on this computer's calendar (or `SOURCE_DATE_EPOCH`'s day).
#[allow(clippy::disallowed_methods)] // the one reader of the clock
pub fn today() -> NaiveDate {
    fixed_now().map_or_else(|| chrono::Local::now().date_naive(), |t| t.date())
}

/// Now as `YYYYMMDD-HHMMSS`, for names of files casebinder writes (backups).
#[allow(clippy::disallowed_methods)] // the one reader of the clock
pub fn stamp() -> String {
    fixed_now()
        .unwrap_or_else(|| chrono::Local::now().naive_local())
        .format("%Y%m%d-%H%M%S")
        .to_string()
}

/// Now, in UTC, as `YYYY-MM-DD HH:MM UTC` (when a scan finished).
#[allow(clippy::disallowed_methods)] // the one reader of the clock
pub fn utc_minute() -> String {
    fixed_now()
        .unwrap_or_else(|| chrono::Utc::now().naive_utc())
        .format("%Y-%m-%d %H:%M UTC")
        .to_string()
}

/// The computer's real time in nanoseconds since 1970, to compare with files' own times (which
/// the real clock stamps): never printed, so `SOURCE_DATE_EPOCH` does not stand in for it.
#[allow(clippy::disallowed_methods)] // the one reader of the clock
pub fn file_time_now_ns() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos().min(i64::MAX as u128) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_epoch_gives_its_day() {
        // Set only in this test's view: parse the same way the clock does.
        let secs: i64 = 1_700_000_000;
        let t = DateTime::from_timestamp(secs, 0).unwrap().naive_utc();
        assert_eq!(t.date(), NaiveDate::from_ymd_opt(2023, 11, 14).unwrap());
        assert_eq!(t.format("%Y%m%d-%H%M%S").to_string(), "20231114-221320");
    }
}
