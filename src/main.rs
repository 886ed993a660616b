//! The casebinder binary: parse, dispatch, print the error once, pick the exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(casebinder::commands::run(std::env::args_os()))
}
