//! The bundled sample case (fixtures/case): a fictional family, embedded so `casebinder demo`
//! works from the binary alone. Everyone in it is invented.

/// The student's (fictional) name.
pub const STUDENT: &str = "Maya Rivera";

include!(concat!(env!("OUT_DIR"), "/sample_files.rs"));
