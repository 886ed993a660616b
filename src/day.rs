//! Days as casebinder writes and reads them: `YYYY-MM-DD`, the one format of the catalog, the
//! command line, the settings and every output. One parser, so every stage agrees.

use chrono::NaiveDate;

/// The format of a day everywhere casebinder stores or prints one.
pub const FORMAT: &str = "%Y-%m-%d";

/// Reads `YYYY-MM-DD` (spaces around it are ignored).
pub fn parse(s: &str) -> Result<NaiveDate, chrono::ParseError> {
    NaiveDate::parse_from_str(s.trim(), FORMAT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_read_one_way() {
        assert_eq!(parse(" 2024-02-29 ").ok(), NaiveDate::from_ymd_opt(2024, 2, 29));
        assert!(parse("2023-02-29").is_err());
        assert!(parse("02/03/2024").is_err());
    }
}
