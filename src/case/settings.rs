//! The case's settings, typed: read, checked and stored in one place.
//!
//! Every command reads the settings through [`CaseSettings::load`] and the rules through
//! [`CaseSettings::rules`], so a state casebinder has no rules for is refused the same way by
//! `check`, `gaps`, `timeline` and `binder`, and never silently becomes federal. Values are
//! checked when they are set ([`validate`]) and typed when they are read.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::NaiveDate;

use crate::catalog::Catalog;
use crate::checks::days::Calendar;
use crate::checks::profiles::{PROFILES, Profile, profile};
use crate::classify::Settings as ClassifySettings;
use crate::classify::dates::DateOrder;
use crate::error::{suggestion, user_error};

/// Settings a user can change, with what each is for.
pub const KEYS: &[(&str, &str)] = &[
    ("name", "the student's name"),
    ("dob", "the student's date of birth"),
    ("district", "the school district's name"),
    ("school", "school names"),
    ("state", "two-letter state code, or federal"),
    ("address", "the student's home address, for a state complaint"),
    ("parent", "the parent's name, for a state complaint's signature"),
    ("contact", "the parent's phone or e-mail, for a state complaint"),
    ("date-order", "month-first or day-first"),
    ("breaks", "school breaks, for school-day deadlines"),
    (
        "soft-days",
        "days before a \"without unnecessary delay\" rule is flagged",
    ),
];

/// Days after which a soft rule is flagged, unless the case says otherwise.
pub const DEFAULT_SOFT_DAYS: i64 = 30;

/// The case's settings, typed.
#[derive(Debug, Clone)]
pub struct CaseSettings {
    /// The student's name, as it should appear on a binder.
    pub student: Option<String>,
    pub dob: Option<NaiveDate>,
    /// District names, as written.
    pub districts: Vec<String>,
    /// School names, as written.
    pub schools: Vec<String>,
    /// The state as stored (`CA`), `None` for federal rules.
    pub state: Option<String>,
    pub date_order: DateOrder,
    /// School breaks, inclusive.
    pub breaks: Vec<(NaiveDate, NaiveDate)>,
    pub soft_days: i64,
    /// The student's home address, the parent's name and contact: a state complaint's facts.
    pub address: Option<String>,
    pub parent: Option<String>,
    pub contact: Option<String>,
}

impl CaseSettings {
    /// Reads the settings of a case (a stored value that no longer reads is left out).
    pub fn load(catalog: &Catalog) -> Result<CaseSettings> {
        Ok(CaseSettings::from_map(&catalog.settings()?))
    }

    /// The settings from their stored strings.
    pub fn from_map(s: &BTreeMap<String, String>) -> CaseSettings {
        let list = |k: &str| -> Vec<String> {
            s.get(k)
                .map(|v| {
                    v.split(';')
                        .map(str::trim)
                        .filter(|x| !x.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default()
        };
        CaseSettings {
            student: s.get("name").cloned(),
            dob: s.get("dob").and_then(|d| crate::day::parse(d).ok()),
            districts: list("district"),
            schools: list("school"),
            state: s
                .get("state")
                .cloned()
                .filter(|v| !v.eq_ignore_ascii_case("federal")),
            date_order: DateOrder::from_setting(s.get("date-order").map(String::as_str)),
            breaks: s.get("breaks").and_then(|b| parse_breaks(b)).unwrap_or_default(),
            soft_days: s
                .get("soft-days")
                .and_then(|d| d.parse().ok())
                .filter(|d: &i64| *d >= 1)
                .unwrap_or(DEFAULT_SOFT_DAYS),
            address: s.get("address").cloned(),
            parent: s.get("parent").cloned(),
            contact: s.get("contact").cloned(),
        }
    }

    /// The deadline rules: `state` (typed for this command) or the case's state, else federal.
    /// A state casebinder has no rules for is an error that lists the ones it has.
    pub fn rules(&self, state: Option<&str>) -> Result<&'static Profile> {
        match state.or(self.state.as_deref()) {
            None => resolve_state("federal"),
            Some(code) => resolve_state(code),
        }
    }

    /// What the classifier uses.
    pub fn classify(&self) -> ClassifySettings {
        ClassifySettings {
            student: self.student.clone(),
            dob: self.dob,
            districts: self.districts.iter().map(|d| d.to_lowercase()).collect(),
            schools: self.schools.iter().map(|d| d.to_lowercase()).collect(),
            order: self.date_order,
        }
    }

    /// The school calendar the day counts use.
    pub fn calendar(&self) -> Calendar {
        Calendar {
            breaks: self.breaks.clone(),
        }
    }

    /// The district's name for letters, or a blank to fill in.
    pub fn district_or_blank(&self) -> String {
        self.districts
            .first()
            .cloned()
            .unwrap_or_else(|| "[the school district]".into())
    }

    /// The student's name for letters, or a blank to fill in.
    pub fn student_or_blank(&self) -> String {
        self.student
            .clone()
            .unwrap_or_else(|| "[the student's name]".into())
    }
}

/// U.S. state and territory names, for `--state California` and for suggestions.
const STATE_NAMES: &[(&str, &str)] = &[
    ("AL", "alabama"),
    ("AK", "alaska"),
    ("AZ", "arizona"),
    ("AR", "arkansas"),
    ("CA", "california"),
    ("CO", "colorado"),
    ("CT", "connecticut"),
    ("DE", "delaware"),
    ("DC", "district of columbia"),
    ("FL", "florida"),
    ("GA", "georgia"),
    ("HI", "hawaii"),
    ("ID", "idaho"),
    ("IL", "illinois"),
    ("IN", "indiana"),
    ("IA", "iowa"),
    ("KS", "kansas"),
    ("KY", "kentucky"),
    ("LA", "louisiana"),
    ("ME", "maine"),
    ("MD", "maryland"),
    ("MA", "massachusetts"),
    ("MI", "michigan"),
    ("MN", "minnesota"),
    ("MS", "mississippi"),
    ("MO", "missouri"),
    ("MT", "montana"),
    ("NE", "nebraska"),
    ("NV", "nevada"),
    ("NH", "new hampshire"),
    ("NJ", "new jersey"),
    ("NM", "new mexico"),
    ("NY", "new york"),
    ("NC", "north carolina"),
    ("ND", "north dakota"),
    ("OH", "ohio"),
    ("OK", "oklahoma"),
    ("OR", "oregon"),
    ("PA", "pennsylvania"),
    ("RI", "rhode island"),
    ("SC", "south carolina"),
    ("SD", "south dakota"),
    ("TN", "tennessee"),
    ("TX", "texas"),
    ("UT", "utah"),
    ("VT", "vermont"),
    ("VA", "virginia"),
    ("WA", "washington"),
    ("WV", "west virginia"),
    ("WI", "wisconsin"),
    ("WY", "wyoming"),
    ("PR", "puerto rico"),
];

/// The rules for a state code or name (`CA`, `california`, `federal`); the one resolver every
/// command uses. Unknown or unsupported: an error naming the supported states and how to choose
/// the federal rules on purpose.
pub fn resolve_state(typed: &str) -> Result<&'static Profile> {
    let t = typed.trim();
    let lower = t.to_lowercase();
    if matches!(lower.as_str(), "federal" | "fed" | "us" | "usa" | "idea") {
        return profile("federal")
            .ok_or_else(|| user_error("No rule profile is available.", "Reinstall casebinder."));
    }
    let code = STATE_NAMES
        .iter()
        .find(|(c, name)| c.eq_ignore_ascii_case(t) || *name == lower)
        .map(|(c, _)| *c);
    let supported: Vec<&str> = PROFILES
        .iter()
        .map(|p| p.code)
        .filter(|c| *c != "federal")
        .collect();
    let choose = format!(
        "casebinder has rules for {} and the federal rules. To use the federal rules (the floor every state must meet) on purpose, name them: --state federal (for init, check and binder), or for a case already made: casebinder config state federal",
        supported.join(", ")
    );
    match code {
        Some(c) => profile(c).ok_or_else(|| {
            user_error(
                format!("casebinder has no rules for the state {c} yet: its own deadlines would be missed."),
                choose.clone(),
            )
        }),
        None => {
            let names = STATE_NAMES.iter().map(|(_, n)| *n).chain(["federal"]);
            Err(user_error(
                format!("\"{t}\" is not a U.S. state.{}", suggestion(&lower, names)),
                format!("Use a two-letter code such as CA or TX, or a state's name. {choose}"),
            ))
        }
    }
}

/// School breaks from the `breaks` setting: `2023-12-18..2024-01-02; 2024-06-14..2024-08-20`.
pub fn parse_breaks(value: &str) -> Option<Vec<(NaiveDate, NaiveDate)>> {
    let mut out = Vec::new();
    for part in value.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (a, b) = part.split_once("..")?;
        let a = crate::day::parse(a).ok()?;
        let b = crate::day::parse(b).ok()?;
        if b < a {
            return None;
        }
        out.push((a, b));
    }
    Some(out)
}

/// Checks a setting; returns the value as it will be stored.
pub fn validate(key: &str, value: Option<&str>) -> Result<String> {
    let key = key.to_ascii_lowercase().replace('_', "-");
    if !KEYS.iter().any(|(k, _)| *k == key) {
        let names: Vec<&str> = KEYS.iter().map(|(k, _)| *k).collect();
        return Err(user_error(
            format!(
                "There is no setting called \"{key}\".{}",
                suggestion(&key, names.iter().copied())
            ),
            format!("The settings are: {}.", names.join(", ")),
        ));
    }
    let Some(value) = value.map(str::trim) else {
        return Ok(String::new());
    };
    let value = match key.as_str() {
        "dob" => crate::day::parse(value)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .map_err(|_| {
                user_error(
                    format!("\"{value}\" is not a date."),
                    "Write the date of birth as YYYY-MM-DD, e.g. 2014-05-12.",
                )
            })?,
        "state" => {
            let p = resolve_state(value)?;
            if p.code == "federal" {
                "federal".to_string()
            } else {
                p.code.to_string()
            }
        }
        "date-order" => match value.to_ascii_lowercase().as_str() {
            "month-first" | "mdy" | "us" => DateOrder::MonthFirst.setting().to_string(),
            "day-first" | "dmy" => DateOrder::DayFirst.setting().to_string(),
            other => {
                return Err(user_error(
                    format!(
                        "\"{value}\" is not a date order.{}",
                        suggestion(other, ["month-first", "day-first"])
                    ),
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
        "soft-days" => match value.parse::<i64>() {
            Ok(d) if (1..=365).contains(&d) => d.to_string(),
            _ => {
                return Err(user_error(
                    format!("\"{value}\" is not a number of days from 1 to 365."),
                    "For example: casebinder config soft-days 30",
                ));
            }
        },
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_resolve_by_code_or_name_and_others_are_refused_with_the_list() {
        assert_eq!(resolve_state("ca").unwrap().code, "CA");
        assert_eq!(resolve_state("Texas").unwrap().code, "TX");
        assert_eq!(resolve_state("federal").unwrap().code, "federal");
        let wa = resolve_state("WA").unwrap_err();
        assert!(wa.to_string().contains("no rules for the state WA"), "{wa}");
        assert!(crate::error::hint_of(&wa).unwrap().contains("CA, TX"));
        let typo = resolve_state("Califronia").unwrap_err();
        assert!(typo.to_string().contains("Did you mean \"california\""), "{typo}");
        assert!(resolve_state("ZZ").is_err());
    }

    #[test]
    fn stored_values_are_typed() {
        let mut m = BTreeMap::new();
        m.insert("district".to_string(), "Lakeside USD; Bayside USD".to_string());
        m.insert("soft-days".to_string(), "45".to_string());
        m.insert("state".to_string(), "federal".to_string());
        let s = CaseSettings::from_map(&m);
        assert_eq!(s.districts, vec!["Lakeside USD", "Bayside USD"]);
        assert_eq!(s.soft_days, 45);
        assert_eq!(s.state, None);
        assert_eq!(s.rules(None).unwrap().code, "federal");
        assert_eq!(s.classify().districts[1], "bayside usd");
        assert!(
            validate("sofd-days", Some("3"))
                .unwrap_err()
                .to_string()
                .contains("soft-days")
        );
    }
}
