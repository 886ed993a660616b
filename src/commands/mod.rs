//! One file per subcommand: each wires stages together and picks a printer; no domain logic.

mod backup;
mod binder;
mod calendar;
mod check;
mod concern;
mod config;
mod demo;
mod desk;
mod event;
mod gaps;
mod init;
mod list;
mod prepare;
mod print;
mod review;
mod scan;
mod search;
mod set;
mod shell;
mod show;
mod timeline;

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Parser;

use crate::case::Case;
use crate::cli::{Cli, Command};
use crate::error::{hint_of, is_broken_pipe};

/// What every command knows: where it was started, which case was named, how wide to print
/// and whether to keep quiet.
pub struct Ctx {
    pub cwd: PathBuf,
    pub case_arg: Option<PathBuf>,
    /// Tables and long lines fit this width (none: full width).
    pub width: Option<usize>,
    /// `-q`: no progress, no tips.
    pub quiet: bool,
}

impl Ctx {
    /// Advice, a command to run next: said unless `-q` (which prints results, warnings and
    /// errors only).
    pub fn tip(&self, out: &mut dyn Write, text: &str) -> std::io::Result<()> {
        if self.quiet {
            Ok(())
        } else {
            writeln!(out, "{text}")
        }
    }

    pub fn case(&self) -> Result<Case> {
        Case::find(self.case_arg.as_deref(), &self.cwd)
    }

    /// The path typed by the user, relative to the case root (for DOC arguments).
    pub fn case_relative(&self, case: &Case, typed: &str) -> Option<String> {
        let abs = crate::case::absolute(Path::new(typed), &self.cwd);
        abs.strip_prefix(&case.root)
            .ok()
            .map(|rel| crate::case::rel_path(Path::new(""), rel))
    }
}

/// Writes what a command made to `--out` (checked: never a document, never the catalog, never a
/// file casebinder did not make unless `force`; recorded as an output, so scans leave it alone)
/// and says so with `done`, or prints it when there is no `--out`.
pub fn deliver(
    ctx: &Ctx,
    case: &Case,
    catalog: &crate::catalog::Catalog,
    out_path: Option<&Path>,
    force: bool,
    bytes: &[u8],
    done: impl FnOnce(&Path) -> String,
) -> Result<()> {
    let mut out = crate::output::stdout();
    match out_path {
        Some(p) => {
            let path = crate::case::absolute(p, &ctx.cwd);
            let target = crate::case::outputs::check(case, catalog, &path, force)?;
            crate::case::outputs::write(catalog, &target, bytes)?;
            writeln!(out, "{}", done(&path))?;
        }
        None => out.write_all(bytes)?,
    }
    out.flush()?;
    Ok(())
}

/// Runs casebinder with these arguments; returns the process exit code.
pub fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    restrict_permissions();
    ignore_file_size_signal();
    say_so_on_interrupt();
    crate::panic_guard::install_hook();
    let args: Vec<OsString> = args
        .into_iter()
        .map(|a| crate::query::shield_negated_filter(a.into()))
        .collect();
    // `casebinder help query`: the query language (a topic, not a command).
    let words: Vec<&str> = args
        .iter()
        .skip(1)
        .filter_map(|a| a.to_str())
        .filter(|a| !a.starts_with('-'))
        .collect();
    if matches!(words.as_slice(), ["help", "query" | "queries"]) {
        let mut out = crate::output::stdout();
        let _ = out
            .write_all(crate::query::HELP.as_bytes())
            .and_then(|()| out.flush());
        return 0;
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let ctx = Ctx {
        cwd,
        case_arg: cli.case.clone(),
        width: if cli.wide {
            None
        } else {
            crate::output::terminal_width()
        },
        quiet: cli.quiet,
    };
    crate::output::set_quiet(cli.quiet);
    let result = match cli.command {
        Command::Init(a) => init::run(&ctx, a),
        Command::Scan(a) => scan::run(&ctx, a),
        Command::List(a) => list::run(&ctx, a),
        Command::Show(a) => show::run(&ctx, a),
        Command::Search(a) => search::run(&ctx, a),
        Command::Set(a) => set::run_set(&ctx, a),
        Command::Tag(a) => set::run_tag(&ctx, a),
        Command::Review(a) => review::run(&ctx, a),
        Command::Config(a) => config::run(&ctx, a),
        Command::Event(a) => event::run(&ctx, a),
        Command::Concern(a) => concern::run(&ctx, a),
        Command::Calendar(a) => calendar::run(&ctx, a),
        Command::Prepare(a) => prepare::run(&ctx, a),
        Command::Complaint(a) => prepare::run_complaint(&ctx, a),
        Command::Timeline(a) => timeline::run(&ctx, a),
        Command::Check(a) => check::run(&ctx, a),
        Command::Gaps(a) => gaps::run(&ctx, a),
        Command::Binder(a) => binder::run(&ctx, a),
        Command::Verify(a) => binder::run_verify(&ctx, a),
        Command::Backup(a) => backup::run_backup(&ctx, a),
        Command::Restore(a) => backup::run_restore(&ctx, a),
        Command::Repair(_) => backup::run_repair(&ctx),
        Command::Export(a) => backup::run_export(&ctx, a),
        Command::Import(a) => backup::run_import(&ctx, a),
        Command::Cases(a) => desk::run_cases(&ctx, a),
        Command::Desk(a) => desk::run_desk(&ctx, a),
        Command::Demo(a) => demo::run(&ctx, a),
        Command::Completions(a) => shell::completions(a),
        Command::Man(_) => shell::man(),
    };
    match result {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => 0,
        Err(err) if crate::error::is_damaged_catalog(&err) => {
            // Paths and titles from documents are shown, never obeyed.
            let mut stderr = crate::output::Escaped::new(std::io::stderr().lock());
            let _ = writeln!(stderr, "error: the case's catalog is damaged ({err:#}).");
            let _ = writeln!(stderr, "hint: {}", damaged_hint(&ctx));
            2
        }
        Err(err) => {
            // Paths and titles from documents are shown, never obeyed.
            let mut stderr = crate::output::Escaped::new(std::io::stderr().lock());
            let plain = crate::error::explain(&err).filter(|_| hint_of(&err).is_none());
            match plain {
                Some((message, _)) => {
                    let _ = writeln!(stderr, "error: {message}");
                    for cause in err.chain() {
                        let _ = writeln!(stderr, "  because: {cause}");
                    }
                }
                None => {
                    let _ = writeln!(stderr, "error: {err}");
                    for cause in err.chain().skip(1) {
                        let _ = writeln!(stderr, "  because: {cause}");
                    }
                }
            }
            if let Some(hint) = hint_of(&err).or(plain.map(|p| p.1)) {
                let _ = writeln!(stderr, "hint: {hint}");
            }
            2
        }
    }
}

/// What to do about a damaged catalog: the newest backup and the command that brings it back,
/// and the repair that recovers what the catalog still holds.
pub(crate) fn damaged_hint(ctx: &Ctx) -> String {
    let repair = "or recover what it still holds into a new catalog: casebinder repair";
    let Ok(case) = ctx.case() else {
        return format!("Bring back a backup with casebinder restore FILE --yes, {repair}");
    };
    let dir = case.private_dir().join("backups");
    let newest = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        // A backup the person made (or the copy kept before a restore), never a repair's
        // result, which may hold little.
        .filter(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            name.ends_with(".sqlite") && !name.starts_with("repaired-") && !name.starts_with('.')
        })
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .max_by_key(|(t, p)| (*t, p.clone()))
        .map(|(_, p)| p);
    match newest {
        Some(p) => format!(
            "Bring back the newest backup: casebinder restore \"{}\" --yes (the damaged catalog is kept as a safety copy), {repair}",
            p.display()
        ),
        None => format!("There is no backup in {}; {repair}", dir.display()),
    }
}

/// A file-size limit (`ulimit -f`) makes a write fail with "file too large" instead of killing
/// the process, so casebinder can say the disk is full and leave the catalog sound.
#[allow(unsafe_code)]
fn ignore_file_size_signal() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to SIG_IGN installs no handler code.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

/// Ctrl-C: what is finished is kept (every write to the catalog is one transaction, a binder is
/// written under another name and renamed when whole, sources are never written), so the
/// process stops at once and says so, and how to go on.
#[allow(unsafe_code)]
fn say_so_on_interrupt() {
    #[cfg(unix)]
    {
        extern "C" fn on_interrupt(_: libc::c_int) {
            const MESSAGE: &[u8] =
                b"\nStopped (Ctrl-C). What was finished is kept and your files were not changed; \
run the same command again to go on (a scan does not read again what it already read).\n";
            // SAFETY: write(2) and _exit(2) are async-signal-safe; MESSAGE is a static buffer.
            unsafe {
                libc::write(2, MESSAGE.as_ptr().cast(), MESSAGE.len());
                libc::_exit(130);
            }
        }
        // SAFETY: installs a handler that only calls async-signal-safe functions.
        unsafe {
            libc::signal(libc::SIGINT, on_interrupt as *const () as libc::sighandler_t);
        }
    }
}

/// Everything casebinder creates (catalog, lock, exports, binders) is readable by the owner only.
#[allow(unsafe_code)]
fn restrict_permissions() {
    #[cfg(unix)]
    // SAFETY: umask only sets the process file-mode creation mask; it cannot fail or touch memory.
    unsafe {
        libc::umask(0o077);
    }
}
