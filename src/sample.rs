//! The bundled sample case (fixtures/case): a fictional family, embedded so `casebinder demo`
//! works from the binary alone. Everyone in it is invented.

/// The student's (fictional) name.
pub const STUDENT: &str = "Maya Rivera";

/// The sample case's settings, as a family would enter them.
pub const SETTINGS: &[(&str, &str)] = &[
    ("dob", "2014-05-12"),
    ("district", "Lakeside Unified School District"),
    ("school", "Lakeside Elementary School"),
    ("state", "CA"),
];

include!(concat!(env!("OUT_DIR"), "/sample_files.rs"));
