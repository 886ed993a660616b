//! The casebinder binary: parse, dispatch, print the error once, pick the exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    sqlite_without_memory_statistics();
    ExitCode::from(casebinder::commands::run(std::env::args_os()))
}

/// SQLite keeps no statistics of its memory use (casebinder reads none): without them, each
/// allocation SQLite makes skips a lock shared by every thread of the process.
fn sqlite_without_memory_statistics() {
    #[allow(unsafe_code)]
    // SAFETY: called first thing in `main`, before any thread or connection exists, as
    // sqlite3_config requires; were SQLite already initialized it would refuse (SQLITE_MISUSE)
    // and change nothing.
    unsafe {
        rusqlite::ffi::sqlite3_config(rusqlite::ffi::SQLITE_CONFIG_MEMSTATUS, 0 as std::ffi::c_int);
    }
}
