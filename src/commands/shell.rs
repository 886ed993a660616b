//! `casebinder completions SHELL` and `casebinder man`: generated from the same clap definitions
//! as `--help`, so they can never disagree with it.

use std::io::Write;

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::output;

pub fn completions(args: CompletionsArgs) -> Result<u8> {
    let mut cmd = Cli::command();
    // Made in memory first: the generator panics on a write error (`| head` closing the pipe),
    // where a write here is an error like any other.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "casebinder", &mut script);
    let mut out = output::stdout();
    out.write_all(&script)?;
    out.flush()?;
    Ok(0)
}

pub fn man() -> Result<u8> {
    let cmd = Cli::command();
    let mut page = Vec::new();
    let man = clap_mangen::Man::new(cmd.clone());
    man.render(&mut page)?;
    // Each subcommand's own page, as sections of the one page (`man casebinder` shows them all).
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = sub.get_name().to_string();
        let sub = sub.clone();
        let mut part = Vec::new();
        clap_mangen::Man::new(sub).render(&mut part)?;
        // Drop the per-page header (.TH) so it reads as a section of this page.
        let text = String::from_utf8_lossy(&part);
        page.extend_from_slice(format!(".SH \"CASEBINDER {}\"\n", name.to_uppercase()).as_bytes());
        for line in text
            .lines()
            .filter(|l| !l.starts_with(".TH ") && !l.starts_with(".ie ") && !l.starts_with(".el "))
        {
            let line = line
                .strip_prefix(".SH ")
                .map_or_else(|| line.to_string(), |rest| format!(".SS {rest}"));
            page.extend_from_slice(line.as_bytes());
            page.push(b'\n');
        }
    }
    let mut out = output::stdout();
    out.write_all(&page)?;
    out.flush()?;
    Ok(0)
}
