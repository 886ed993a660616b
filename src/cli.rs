//! Command-line types (clap derive) and nothing else: doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// casebinder turns a family's special-education records into an organised catalog and,
/// later, an indexed evidence binder. Everything stays on this computer.
#[derive(Debug, Parser)]
#[command(
    name = "casebinder",
    version,
    max_term_width = 100,
    after_help = "Start here:\n  casebinder demo                 try it on a sample case\n  cd \"My case folder\" && casebinder init && casebinder scan\n  casebinder list                 see every document\n\nNothing you scan ever leaves this computer, and your files are never changed."
)]
pub struct Cli {
    /// The case folder (default: the case that holds the current folder).
    #[arg(long, global = true, value_name = "DIR", env = "CASEBINDER_CASE")]
    pub case: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Make a folder of documents into a case (creates its private .casebinder folder).
    Init(InitArgs),
    /// Read every document in the case folder into the catalog (only new or changed files are read).
    Scan(ScanArgs),
    /// List the documents in the catalog.
    #[command(alias = "ls")]
    List(ListArgs),
    /// Show everything known about one document: where it is, what was read, and why.
    Show(ShowArgs),
    /// Search the text of every document.
    Search(SearchArgs),
    /// Try casebinder on a bundled sample case (a fictional family).
    Demo(DemoArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder that holds the documents (default: the current folder).
    pub dir: Option<PathBuf>,
    /// The student's name, as it should appear on the binder.
    #[arg(long)]
    pub name: Option<String>,
    /// Two-letter state code (e.g. CA, TX), for state deadlines.
    #[arg(long, value_name = "XX")]
    pub state: Option<String>,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
    /// Do not draw a progress bar.
    #[arg(long)]
    pub no_progress: bool,
    /// Files written per transaction (advanced).
    #[arg(long, hide = true, default_value_t = 64)]
    pub batch_files: usize,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Query examples:\n  casebinder list kind:iep,evaluation\n  casebinder list tag:speech date:2023-01-01..2024-06-30\n  casebinder list status:encrypted,corrupt\n  casebinder list path:Emails \"occupational therapy\"\n\nFilters: kind: tag: date: status: author: title: path: format: (put - before one to exclude).\nOther words search the text."
)]
pub struct ListArgs {
    /// Filters and words, e.g. kind:iep date:2023 "speech therapy".
    pub query: Vec<String>,
    /// Print JSON (the stable format for scripts).
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print CSV (for a spreadsheet).
    #[arg(long)]
    pub csv: bool,
    /// Include documents whose files are all gone.
    #[arg(long)]
    pub missing: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The document: its id, its path, or the first characters of its SHA-256.
    pub doc: String,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
    /// Also print the text that was read, page by page.
    #[arg(long)]
    pub text: bool,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words or a "quoted phrase"; any characters are safe to type.
    #[arg(required = true)]
    pub text: Vec<String>,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
    /// At most this many documents.
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where to write the sample case (default: ./casebinder-demo).
    pub dir: Option<PathBuf>,
}
