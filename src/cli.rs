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
    after_help = "Start here:\n  casebinder demo                 try it on a sample case\n  cd \"My case folder\" && casebinder init && casebinder scan\n  casebinder list                 see every document\n  casebinder review               what needs a second look\n  casebinder check                missed IDEA deadlines\n  casebinder timeline --format html --out timeline.html\n\nNothing you scan ever leaves this computer, and your files are never changed."
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
    /// Correct a document's kind, date, title or author, or leave it out of binders.
    Set(SetArgs),
    /// Add or remove tags: casebinder tag 12 14 +speech -esy
    Tag(TagArgs),
    /// List what needs a human look: undated documents, unsure kinds, ambiguous dates, duplicates, unreadable files.
    Review(ReviewArgs),
    /// Show or change the case settings (student, date of birth, district, schools, state, date order).
    Config(ConfigArgs),
    /// Record events that have no document (a phone call, a verbal request); list or remove them.
    Event(EventArgs),
    /// The story in order: every dated document and event, oldest first.
    Timeline(TimelineArgs),
    /// Check the IDEA deadlines (and your state's) against the timeline.
    Check(CheckArgs),
    /// What is missing each school year, and a letter asking the district for it.
    Gaps(GapsArgs),
    /// Assemble the evidence binder: one PDF with cover, linked index, Bates numbers and bookmarks.
    Binder(BinderArgs),
    /// Check a binder against its manifest: has the PDF or any of its sources changed?
    Verify(VerifyArgs),
    /// Save a consistent copy of the catalog (safe while other commands run).
    Backup(BackupArgs),
    /// Bring back a catalog saved with `casebinder backup`.
    Restore(RestoreArgs),
    /// Export everything you said (corrections, tags, events, settings) as a small JSON file.
    Export(ExportArgs),
    /// Apply a file made by `casebinder export --corrections` to this case.
    Import(ImportArgs),
    /// Try casebinder on a bundled sample case (a fictional family).
    Demo(DemoArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Purpose {
    /// A working binder: current IEPs, latest evaluations, progress reports, notices and letters.
    Mediation,
    /// The documents of the one-year filing window, with the deadline findings.
    StateComplaint,
    /// Every document as an exhibit, with tabs and Bates numbers.
    DueProcess,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Paper {
    Letter,
    A4,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  casebinder binder --dry-run                      see the exhibits and numbering first\n  casebinder binder --purpose due-process --hearing-date 2024-06-03\n  casebinder binder kind:iep,evaluation --purpose mediation\n  casebinder binder --labels D-1 --bates-prefix LUSD   a district series\n  casebinder binder --diff                         what changed since the last build\n\nThe binder, its index (.csv, .md) and its manifest (.json) are written to the case's\n\"Binders\" folder unless --out says otherwise. Exhibit labels are kept between builds:\na new document gets a label like P-12.1 instead of renumbering the others (use --renumber\nto start over)."
)]
pub struct BinderArgs {
    /// Which documents (the same filters as `list`, e.g. kind:iep after:2023-01-01); default: chosen by --purpose.
    pub query: Vec<String>,
    /// What the binder is for; it sets the defaults below.
    #[arg(long, value_enum, default_value = "due-process")]
    pub purpose: Purpose,
    /// Where to write the PDF (default: Binders/<purpose>-binder.pdf in the case folder).
    #[arg(long, value_name = "FILE.pdf")]
    pub out: Option<PathBuf>,
    /// How exhibits are labelled: P-1 (parent), D-1 or S-1 (district), "Exhibit A", "Tab 1"…
    #[arg(long, value_name = "FIRST", default_value = "P-1")]
    pub labels: String,
    /// Bates prefix (default: the student's last name in capitals, else the folder name).
    #[arg(long, value_name = "PREFIX")]
    pub bates_prefix: Option<String>,
    /// Digits in a Bates number.
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u32).range(3..=10))]
    pub bates_digits: u32,
    /// The first Bates number.
    #[arg(long, default_value_t = 1)]
    pub bates_start: u64,
    /// Paper size of the pages casebinder makes (source PDF pages keep their own).
    #[arg(long, value_enum, default_value = "letter")]
    pub paper: Paper,
    /// A tab page before each exhibit (default: on for due process; --no-tabs leaves them out).
    #[arg(long, overrides_with = "no_tabs")]
    pub tabs: bool,
    #[arg(long, hide = true)]
    pub no_tabs: bool,
    /// A chronology after the index, each event citing its exhibit and Bates page (default: on;
    /// --no-chronology leaves it out).
    #[arg(long, overrides_with = "no_chronology")]
    pub chronology: bool,
    #[arg(long, hide = true)]
    pub no_chronology: bool,
    /// An appendix with the deadline findings (default: on for a state complaint; --no-findings).
    #[arg(long, overrides_with = "no_findings")]
    pub findings: bool,
    #[arg(long, hide = true)]
    pub no_findings: bool,
    /// The build date printed on the cover (default: today). The same date gives the same file.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// The hearing date: the cover then shows the 5-business-day disclosure deadline.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub hearing_date: Option<String>,
    /// Who prepared the binder (printed on the cover).
    #[arg(long, value_name = "NAME")]
    pub prepared_by: Option<String>,
    /// State rules for the findings (default: the case's state).
    #[arg(long, value_name = "XX")]
    pub state: Option<String>,
    /// Print the exhibits and their numbering; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Say what changed since the last build (new, removed, moved exhibits); write nothing.
    #[arg(long)]
    pub diff: bool,
    /// Number every exhibit afresh instead of keeping earlier labels.
    #[arg(long)]
    pub renumber: bool,
    /// Exit 2 when a document could not be included.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The binder PDF (its manifest, NAME-manifest.json, must be beside it).
    pub binder: PathBuf,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write it (default: .casebinder/backups/catalog-DATE-TIME.sqlite).
    pub path: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A file made by `casebinder backup`.
    pub path: PathBuf,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Export your corrections, tags, events and settings (the work a re-scan cannot redo).
    #[arg(long, required = true)]
    pub corrections: bool,
    /// Write to this file (default: the screen).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A file made by `casebinder export --corrections`.
    pub path: PathBuf,
}

#[derive(Debug, Args)]
pub struct GapsArgs {
    /// Judge the current school year up to this day (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// Write a records request letter listing what is missing, ready to sign.
    #[arg(long)]
    pub letter: bool,
    /// Write to this file instead of the screen.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EventArgs {
    #[command(subcommand)]
    pub command: EventCommand,
}

#[derive(Debug, Subcommand)]
pub enum EventCommand {
    /// Add an event: casebinder event add --date 2024-02-06 --kind phone_call --title "Asked about OT; told no"
    Add(EventAddArgs),
    /// List the events you added.
    List(EventListArgs),
    /// Remove an event you added, by its number.
    Rm(EventRmArgs),
}

#[derive(Debug, Args)]
#[command(
    after_help = "Kinds the checks understand: records_requested, records_received, iee_requested, evaluation_requested,\nmeeting_requested, consent_received, iep_meeting, evaluation_report, hearing, disclosure, state_complaint_filed,\ndue_process_filed. Any other word (phone_call, meeting, email) is kept as it is.\n\nExample: casebinder event add --date 2024-04-01 --kind records_requested --verbal --title \"Asked Ms. Ortiz for Maya's file at pickup\""
)]
pub struct EventAddArgs {
    /// When it happened (YYYY-MM-DD).
    #[arg(long)]
    pub date: String,
    /// What kind of event (e.g. phone_call, records_requested).
    #[arg(long)]
    pub kind: String,
    /// What happened, in a few words.
    #[arg(long)]
    pub title: String,
    /// A document that goes with it (repeat for several).
    #[arg(long = "doc")]
    pub docs: Vec<String>,
    /// A tag (repeat for several).
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// A longer note.
    #[arg(long)]
    pub note: Option<String>,
    /// It was said, not written (a verbal request or promise).
    #[arg(long)]
    pub verbal: bool,
}

#[derive(Debug, Args)]
pub struct EventListArgs {
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EventRmArgs {
    /// The event's number (see casebinder event list).
    pub id: i64,
}

/// Output formats of the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TimelineFormat {
    Table,
    Json,
    Csv,
    Md,
    Html,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  casebinder timeline\n  casebinder timeline date:2023-07-01..2024-06-30 --format md\n  casebinder timeline --format html --out timeline.html   (open it in a browser)"
)]
pub struct TimelineArgs {
    /// Filters, as for list (kind:, tag:, date:, ...).
    pub query: Vec<String>,
    /// table (default), json, csv, md (Markdown) or html (a page to open in a browser).
    #[arg(long, value_enum, default_value_t = TimelineFormat::Table)]
    pub format: TimelineFormat,
    /// Write to this file instead of the screen.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The day the checks shown on the timeline are judged against (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit code: 0 when no deadline was missed, 1 when a possible violation was found, 2 on an error.\nFindings are possible issues to look into, not legal conclusions."
)]
pub struct CheckArgs {
    /// State rules to use (CA, TX, PA, IL, MA, NY, AR, AL); default: the case's state, else federal.
    #[arg(long, value_name = "XX")]
    pub state: Option<String>,
    /// Judge open deadlines against this day (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// Flag "without unnecessary delay" rules after this many days.
    #[arg(long, default_value_t = 30)]
    pub soft_days: i64,
    /// The due process hearing date, for the 5-business-day disclosure rule.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub hearing_date: Option<String>,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
    /// Show the deadlines that were met too.
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  casebinder set 12 --kind evaluation --date 2023-06-20\n  casebinder set \"IEPs/draft.pdf\" --exclude\n  casebinder set 12 --date none        # it really has no date\n  casebinder set 12 --kind auto        # back to what casebinder found\n\nWhat you set is kept by content: it survives renames, moves and new scans.\n\nKinds: iep, iep_amendment, evaluation, iee, eligibility, fba, bip, plan_504, progress_report, report_card,\nprior_written_notice, consent, meeting_notice, meeting_notes, procedural_safeguards, email, parent_letter,\ndistrict_letter, medical, test_scores, work_sample, discipline, manifestation_determination, mediation_request,\nmediation_agreement, settlement_agreement, state_complaint, due_process, decision, service_log, other."
)]
pub struct SetArgs {
    /// The document: its id, its path, or the first characters of its SHA-256.
    pub doc: String,
    /// The kind (the list is below), or `auto`.
    #[arg(long)]
    pub kind: Option<String>,
    /// The document date, YYYY-MM-DD; `none` when it has no date; `auto` to use what was found.
    #[arg(long)]
    pub date: Option<String>,
    /// The title, or `auto`.
    #[arg(long)]
    pub title: Option<String>,
    /// The author, or `auto`.
    #[arg(long)]
    pub author: Option<String>,
    /// Leave this document out of binders.
    #[arg(long, conflicts_with = "include")]
    pub exclude: bool,
    /// Put an excluded document back.
    #[arg(long)]
    pub include: bool,
}

#[derive(Debug, Args)]
pub struct TagArgs {
    /// Documents (ids, paths or SHA-256 prefixes) and tags to add (+tag) or remove (-tag).
    #[arg(required = true, num_args = 1.., allow_hyphen_values = true)]
    pub items: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Settings:\n  name        the student's name (for the binder; never sent anywhere)\n  dob         the student's date of birth, YYYY-MM-DD (never taken as a document date)\n  district    the school district's name (several: separate with ;)\n  school      school names (separate with ;)\n  state       two-letter state code, for state deadlines\n  date-order  month-first (US, default) or day-first\n\nExamples:\n  casebinder config dob 2014-05-12\n  casebinder config district \"Lakeside Unified School District\"\n  casebinder config date-order day-first\n  casebinder config school --unset"
)]
pub struct ConfigArgs {
    /// The setting to show or change (none: show all).
    pub key: Option<String>,
    /// The new value.
    pub value: Option<String>,
    /// Remove the setting.
    #[arg(long, conflicts_with = "value")]
    pub unset: bool,
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
    /// The student's date of birth (YYYY-MM-DD): never taken as a document date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub dob: Option<String>,
    /// The school district's name (several: separate with ;).
    #[arg(long)]
    pub district: Option<String>,
    /// School names (separate with ;).
    #[arg(long)]
    pub school: Option<String>,
    /// How to read dates like 04/05/2023: month-first (US, default) or day-first.
    #[arg(long, value_name = "ORDER")]
    pub date_order: Option<String>,
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

#[cfg(test)]
mod tests {
    /// The kinds listed in `set --help` are exactly the vocabulary.
    #[test]
    fn set_help_lists_every_kind() {
        use clap::CommandFactory;
        let mut cmd = super::Cli::command();
        let help = cmd
            .find_subcommand_mut("set")
            .map(|c| c.render_long_help().to_string())
            .unwrap_or_default();
        let listed = help
            .split("Kinds: ")
            .nth(1)
            .unwrap_or("")
            .replace(['\n', '.'], " ");
        let listed: Vec<&str> = listed.split([',', ' ']).filter(|w| !w.is_empty()).collect();
        assert_eq!(listed, crate::classify::kinds::KINDS);
    }
}
