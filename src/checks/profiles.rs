//! State profiles: the numbers that change by state (shared/domain.md, "State variations").
//! Federal is the default; a state profile overrides only what its rules change.

use serde::Serialize;

use super::days::DayType;

/// A clock: how many days of which type, under which rule.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Clock {
    pub days: i64,
    pub day_type: DayType,
    pub citation: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    /// `federal` or a state code.
    pub code: &'static str,
    pub name: &'static str,
    /// Consent received → evaluation complete.
    pub evaluation: Clock,
    /// Eligibility determined → IEP meeting.
    pub initial_iep: Clock,
    /// Records request → access.
    pub records: Clock,
}

const fn clock(days: i64, day_type: DayType, citation: &'static str) -> Clock {
    Clock {
        days,
        day_type,
        citation,
    }
}

const FED_EVAL: Clock = clock(60, DayType::Calendar, "34 CFR 300.301(c)(1)");
const FED_IEP: Clock = clock(30, DayType::Calendar, "34 CFR 300.323(c)(1)");
const FED_RECORDS: Clock = clock(45, DayType::Calendar, "34 CFR 300.613(a)");

pub const PROFILES: &[Profile] = &[
    Profile {
        code: "federal",
        name: "Federal (IDEA, 34 CFR Part 300)",
        evaluation: FED_EVAL,
        initial_iep: FED_IEP,
        records: FED_RECORDS,
    },
    Profile {
        code: "CA",
        name: "California",
        evaluation: clock(60, DayType::Calendar, "Cal. Ed. Code 56344(a)"),
        initial_iep: FED_IEP,
        records: clock(5, DayType::Business, "Cal. Ed. Code 56504"),
    },
    Profile {
        code: "TX",
        name: "Texas",
        evaluation: clock(45, DayType::School, "Tex. Educ. Code 29.004; 19 TAC 89.1011"),
        initial_iep: clock(30, DayType::Calendar, "19 TAC 89.1011"),
        records: FED_RECORDS,
    },
    Profile {
        code: "PA",
        name: "Pennsylvania",
        evaluation: clock(60, DayType::Calendar, "22 Pa. Code 14.123"),
        initial_iep: clock(30, DayType::Calendar, "22 Pa. Code 14.123"),
        records: FED_RECORDS,
    },
    Profile {
        code: "IL",
        name: "Illinois",
        evaluation: clock(60, DayType::School, "23 Ill. Admin. Code 226.110"),
        initial_iep: FED_IEP,
        records: FED_RECORDS,
    },
    Profile {
        code: "MA",
        name: "Massachusetts",
        evaluation: clock(30, DayType::School, "603 CMR 28.05(1)"),
        initial_iep: FED_IEP,
        records: FED_RECORDS,
    },
    Profile {
        code: "NY",
        name: "New York",
        evaluation: clock(60, DayType::Calendar, "8 NYCRR 200.4"),
        initial_iep: FED_IEP,
        records: FED_RECORDS,
    },
    Profile {
        code: "AR",
        name: "Arkansas",
        evaluation: clock(60, DayType::Calendar, "Arkansas Special Education Rules"),
        initial_iep: FED_IEP,
        records: FED_RECORDS,
    },
    Profile {
        code: "AL",
        name: "Alabama",
        evaluation: clock(60, DayType::Calendar, "Ala. Admin. Code r. 290-8-9-.04(1)"),
        initial_iep: FED_IEP,
        records: FED_RECORDS,
    },
];

/// The profile for a state code (case-insensitive); `None` for one casebinder does not have.
pub fn profile(code: &str) -> Option<&'static Profile> {
    PROFILES.iter().find(|p| p.code.eq_ignore_ascii_case(code))
}
