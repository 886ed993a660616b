//! `casebinder config`: the case settings, validated, and what changing them re-reads.

use std::io::Write;

use anyhow::Result;

use super::Ctx;
use crate::catalog::Catalog;
use crate::cli::ConfigArgs;
use crate::error::user_error;
use crate::output;

/// Settings a user can change, with what each is for.
pub const KEYS: &[(&str, &str)] = &[
    ("name", "the student's name"),
    ("dob", "the student's date of birth"),
    ("district", "the school district's name"),
    ("school", "school names"),
    ("state", "two-letter state code"),
    ("date-order", "month-first or day-first"),
    ("breaks", "school breaks, for school-day deadlines"),
];

/// School breaks from the `breaks` setting: `2023-12-18..2024-01-02; 2024-06-14..2024-08-20`.
pub fn parse_breaks(value: &str) -> Option<Vec<(chrono::NaiveDate, chrono::NaiveDate)>> {
    let mut out = Vec::new();
    for part in value.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (a, b) = part.split_once("..")?;
        let a = chrono::NaiveDate::parse_from_str(a.trim(), "%Y-%m-%d").ok()?;
        let b = chrono::NaiveDate::parse_from_str(b.trim(), "%Y-%m-%d").ok()?;
        if b < a {
            return None;
        }
        out.push((a, b));
    }
    Some(out)
}

/// Checks and stores one setting (`None`: remove it).
pub fn apply(catalog: &Catalog, key: &str, value: Option<&str>) -> Result<()> {
    let key = key.to_ascii_lowercase().replace('_', "-");
    match value {
        None => {
            validate(&key, None)?;
            catalog.delete_setting(&key)
        }
        Some(v) => catalog.set_setting(&key, &validate(&key, Some(v))?),
    }
}

/// Checks a setting; returns the value as stored.
pub fn validate(key: &str, value: Option<&str>) -> Result<String> {
    let key = key.to_ascii_lowercase().replace('_', "-");
    if !KEYS.iter().any(|(k, _)| *k == key) {
        let names: Vec<&str> = KEYS.iter().map(|(k, _)| *k).collect();
        return Err(user_error(
            format!("There is no setting called \"{key}\"."),
            format!("The settings are: {}.", names.join(", ")),
        ));
    }
    let Some(value) = value.map(str::trim) else {
        return Ok(String::new());
    };
    let value = match key.as_str() {
        "dob" => chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d")
            .map(|d| d.format("%Y-%m-%d").to_string())
            .map_err(|_| {
                user_error(
                    format!("\"{value}\" is not a date."),
                    "Write the date of birth as YYYY-MM-DD, e.g. 2014-05-12.",
                )
            })?,
        "state" => {
            if value.len() != 2 || !value.chars().all(|c| c.is_ascii_alphabetic()) {
                return Err(user_error(
                    format!("\"{value}\" is not a two-letter state code."),
                    "Use the postal code, e.g. CA or TX.",
                ));
            }
            value.to_ascii_uppercase()
        }
        "date-order" => match value.to_ascii_lowercase().as_str() {
            "month-first" | "mdy" | "us" => "month-first".to_string(),
            "day-first" | "dmy" => "day-first".to_string(),
            _ => {
                return Err(user_error(
                    format!("\"{value}\" is not a date order."),
                    "Use month-first (04/05/2023 is April 5, the US way) or day-first (4 May).",
                ));
            }
        },
        "breaks" => {
            if parse_breaks(value).is_none() {
                return Err(user_error(
                    format!("\"{value}\" is not a list of breaks."),
                    "Write each break as FIRST..LAST, separated by ;  e.g. 2023-12-18..2024-01-02; 2024-06-14..2024-08-20",
                ));
            }
            value.to_string()
        }
        _ if value.is_empty() => {
            return Err(user_error(
                format!("The {key} cannot be empty."),
                "Use --unset to remove a setting.",
            ));
        }
        _ => value.to_string(),
    };
    Ok(value)
}

pub fn run(ctx: &Ctx, args: ConfigArgs) -> Result<u8> {
    let case = ctx.case()?;
    let mut catalog = case.open_catalog()?;
    let mut out = output::stdout();
    match (&args.key, &args.value, args.unset) {
        (None, _, _) => {
            let settings = catalog.settings()?;
            let rows = KEYS
                .iter()
                .map(|(k, what)| {
                    vec![
                        k.to_string(),
                        settings.get(*k).cloned().unwrap_or_else(|| "-".into()),
                        what.to_string(),
                    ]
                })
                .collect();
            writeln!(
                out,
                "{}",
                output::table(&["setting", "value", "what it is"], rows)
            )?;
            writeln!(
                out,
                "Change one: casebinder config KEY VALUE (see casebinder config --help)"
            )?;
        }
        (Some(key), None, false) => {
            let settings = catalog.settings()?;
            writeln!(
                out,
                "{}",
                settings
                    .get(&key.to_ascii_lowercase())
                    .cloned()
                    .unwrap_or_default()
            )?;
        }
        (Some(key), value, _) => {
            apply(&catalog, key, value.as_deref())?;
            let n = crate::scan::classify_pending(&mut catalog)?;
            match value {
                Some(v) => writeln!(out, "Set {key} to {v}.")?,
                None => writeln!(out, "Removed {key}.")?,
            }
            if n > 0 {
                writeln!(out, "Read {n} document(s) again with the new settings.")?;
            }
        }
    }
    out.flush()?;
    Ok(0)
}
