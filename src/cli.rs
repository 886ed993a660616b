//! Command-line types (clap derive) and nothing else: doc comments are the help text.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

/// A date typed as YYYY-MM-DD.
fn date(typed: &str) -> Result<NaiveDate, String> {
    crate::day::parse(typed)
        .map_err(|_| format!("\"{typed}\" is not a date: write it as YYYY-MM-DD, for example 2024-05-01"))
}

/// A number of days ahead: `30` or `30d`.
fn within(typed: &str) -> Result<i64, String> {
    let t = typed.trim();
    t.strip_suffix('d')
        .unwrap_or(t)
        .parse::<i64>()
        .ok()
        .filter(|n| (0..=3650).contains(n))
        .ok_or_else(|| format!("\"{typed}\" is not a number of days: write it as 30 or 30d"))
}

/// A state casebinder has rules for (a code or a name), or `federal`: the rules' code.
fn state(typed: &str) -> Result<String, String> {
    crate::case::settings::resolve_state(typed)
        .map(|p| p.code.to_string())
        .map_err(|e| match crate::error::hint_of(&e) {
            Some(h) => format!("{e}\n  {h}"),
            None => e.to_string(),
        })
}

/// casebinder turns a family's special-education records into an organised catalog and,
/// later, an indexed evidence binder. Everything stays on this computer.
#[derive(Debug, Parser)]
#[command(
    name = "casebinder",
    version,
    max_term_width = 100,
    after_help = "Start here:\n  casebinder demo                 try it on a sample case\n  cd \"My case folder\" && casebinder init && casebinder scan\n  casebinder list                 see every document\n  casebinder review               what needs a second look\n  casebinder check                missed IDEA deadlines\n  casebinder help query           how to find documents (kind:iep OR tag:speech …)\n  casebinder timeline --format html --out timeline.html\n\nNothing you scan ever leaves this computer, and your files are never changed."
)]
pub struct Cli {
    /// The case folder (default: the case that holds the current folder).
    #[arg(long, global = true, value_name = "DIR", env = "CASEBINDER_CASE")]
    pub case: Option<PathBuf>,

    /// Print tables at full width (by default they fit the terminal, long cells cut with "…").
    #[arg(long, global = true)]
    pub wide: bool,

    /// Say less: no progress, no tips; results, warnings and errors still print.
    #[arg(short, long, global = true)]
    pub quiet: bool,

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
    /// The family's concerns about services, placement or evaluations (no deadline shows them).
    Concern(ConcernArgs),
    /// Every open deadline as calendar events (.ics) to import into any calendar.
    Calendar(CalendarArgs),
    /// The family's papers for a forum: `prepare mediation` writes the mediation packet.
    Prepare(PrepareArgs),
    /// A state complaint draft (.docx to edit, and PDF) with the state-complaint binder it cites.
    Complaint(ComplaintArgs),
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
    /// Bring back a catalog saved with `casebinder backup` (the current one is kept as a safety copy).
    Restore(RestoreArgs),
    /// Recover what a damaged catalog still holds (settings, corrections, tags, events, labels) into a new one.
    Repair(RepairArgs),
    /// Export everything you said (corrections, tags, events, settings) as a small JSON file.
    Export(ExportArgs),
    /// Apply a file made by `casebinder export --corrections` to this case.
    Import(ImportArgs),
    /// The case folders you keep (an advocate's desk): add, remove, list.
    Cases(CasesArgs),
    /// Every missed and open deadline across the cases you keep, in date order.
    Desk(DeskArgs),
    /// Try casebinder on a bundled sample case (a fictional family).
    Demo(DemoArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(CompletionsArgs),
    /// Print the manual page (roff), made from the same definitions as --help.
    Man(ManArgs),
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

impl From<Purpose> for crate::binder::Purpose {
    fn from(p: Purpose) -> Self {
        match p {
            Purpose::Mediation => crate::binder::Purpose::Mediation,
            Purpose::StateComplaint => crate::binder::Purpose::StateComplaint,
            Purpose::DueProcess => crate::binder::Purpose::DueProcess,
        }
    }
}

impl From<Paper> for crate::binder::PaperSize {
    fn from(p: Paper) -> Self {
        match p {
            Paper::Letter => crate::binder::PaperSize::Letter,
            Paper::A4 => crate::binder::PaperSize::A4,
        }
    }
}

/// The first label of an exhibit series: `P-1`, `D-1`, `Exhibit A`, `Tab 1`.
fn label_series(typed: &str) -> Result<crate::binder::labels::Style, String> {
    crate::binder::labels::Style::parse(typed).ok_or_else(|| {
        format!("\"{typed}\" is not an exhibit label casebinder understands: give the first label of the series: P-1, D-1, S-1, \"Exhibit A\" or \"Tab 1\"")
    })
}

fn bates_prefix(typed: &str) -> Result<String, String> {
    crate::binder::request::check_prefix(typed)
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  casebinder binder --dry-run                      # see the exhibits and numbering first\n  casebinder binder --purpose due-process --hearing-date 2024-06-03\n  casebinder binder kind:iep,evaluation --purpose mediation\n  casebinder binder --labels D-1 --bates-prefix LUSD --out district.pdf   # a district series\n  casebinder binder --diff                         # what changed since the last build\n\nThe binder, its index (.csv, .md) and its manifest (.json) are written to the case's\n\"Binders\" folder unless --out says otherwise. Exhibit labels are kept between builds, and a\nBates number, once given, names its page in every binder of the case: a new document gets a\nlabel like P-12.1 and Bates numbers after the highest ever given, in a supplement at the end;\nno page already numbered changes (--renumber starts over and retires the old numbers)."
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
    #[arg(long, value_name = "FIRST", default_value = "P-1", value_parser = label_series)]
    pub labels: crate::binder::labels::Style,
    /// Bates prefix (default: the student's last name in capitals, else the folder name).
    #[arg(long, value_name = "PREFIX", value_parser = bates_prefix)]
    pub bates_prefix: Option<String>,
    /// Digits in a Bates number.
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u32).range(3..=10))]
    pub bates_digits: u32,
    /// The first Bates number (at most 999999999999, so numbers never run past what a page can
    /// carry).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=crate::binder::MAX_BATES))]
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
    /// A picture of the case on a time axis as the first chronology pages, one school year a
    /// page, with the missed deadlines and the missing papers (default: on for mediation;
    /// --no-timeline-page leaves it out).
    #[arg(long, overrides_with = "no_timeline_page")]
    pub timeline_page: bool,
    #[arg(long, hide = true)]
    pub no_timeline_page: bool,
    /// An appendix with the deadline findings (default: on for a state complaint; --no-findings).
    #[arg(long, overrides_with = "no_findings")]
    pub findings: bool,
    #[arg(long, hide = true)]
    pub no_findings: bool,
    /// The build date printed on the cover (default: today). The same date gives the same file.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    pub date: Option<NaiveDate>,
    /// The hearing date: the cover then shows the 5-business-day disclosure deadline.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    pub hearing_date: Option<NaiveDate>,
    /// Who prepared the binder (printed on the cover).
    #[arg(long, value_name = "NAME")]
    pub prepared_by: Option<String>,
    /// State rules for the findings (default: the case's state).
    #[arg(long, value_name = "XX", value_parser = state)]
    pub state: Option<String>,
    /// Print the exhibits and their numbering; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Say what changed since the last build (new, removed, moved exhibits); write nothing.
    #[arg(long)]
    pub diff: bool,
    /// Label and number every exhibit afresh; the Bates numbers these documents had are retired
    /// (never given again, to any page) and listed.
    #[arg(long)]
    pub renumber: bool,
    /// Exit 2 when a document could not be included.
    #[arg(long)]
    pub strict: bool,
    /// Print as JSON: what was built (files, exhibits, pages, what was left out), the plan with
    /// --dry-run, the changes with --diff.
    #[arg(long)]
    pub json: bool,
    /// Replace the --out file even if casebinder did not make it (never a document of the case).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  casebinder verify Binders/due-process-binder.pdf\n  casebinder verify Binders/due-process-binder.pdf --json"
)]
pub struct VerifyArgs {
    /// The binder PDF (its manifest, NAME-manifest.json, must be beside it).
    pub binder: PathBuf,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  casebinder backup                          # into .casebinder/backups/\n  casebinder backup catalog-copy.sqlite"
)]
pub struct BackupArgs {
    /// Where to write it (default: .casebinder/backups/catalog-DATE-TIME.sqlite).
    pub path: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  casebinder restore catalog-copy.sqlite --yes

The backup is checked first (a damaged, foreign or newer file is refused and nothing changes);
the current catalog is kept in .casebinder/backups as a safety copy.")]
pub struct RestoreArgs {
    /// A file made by `casebinder backup` (or `casebinder repair`).
    pub path: PathBuf,
    /// Do not ask (for scripts). The current catalog is still kept as a safety copy.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Restore a backup made in another case (a sibling's, a case folder copied from another
    /// computer) on purpose: without it, such a backup is refused.
    #[arg(long)]
    pub from_other_case: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  casebinder repair\n\nThe damaged catalog is left as it is; the new one is saved in .casebinder/backups. Bring it in\nwith casebinder restore FILE --yes, then casebinder scan reads the documents again."
)]
pub struct RepairArgs {}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  casebinder export --corrections --out my-work.json")]
pub struct ExportArgs {
    /// Export your corrections, tags, events and settings (the work a re-scan cannot redo).
    #[arg(long, required = true)]
    pub corrections: bool,
    /// Write to this file (default: the screen).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace the --out file even if casebinder did not make it (never a document of the case).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  casebinder import my-work.json")]
pub struct ImportArgs {
    /// A file made by `casebinder export --corrections`.
    pub path: PathBuf,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  casebinder gaps --as-of 2024-05-01\n  casebinder gaps --letter --out records-request.txt"
)]
pub struct GapsArgs {
    /// Judge the current school year up to this day (default: today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    pub as_of: Option<NaiveDate>,
    /// Write a records request letter listing what is missing, ready to sign.
    #[arg(long)]
    pub letter: bool,
    /// Write to this file instead of the screen.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
    /// Replace the --out file even if casebinder did not make it (never a document of the case).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  casebinder event add --date 2024-04-01 --kind records_requested --verbal --title \"Asked for Maya's file at pickup\"\n  casebinder event list"
)]
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
    after_help = "Examples:\n  casebinder event add --date 2024-04-01 --kind records_requested --verbal --title \"Asked Ms. Ortiz for Maya's file at pickup\"\n  casebinder event add --date 2024-02-06 --kind phone_call --title \"Called about OT minutes\"\n\nKinds the checks understand: records_requested, records_received, iee_requested, evaluation_requested,\nmeeting_requested, consent_received, iep_meeting, evaluation_report, hearing, disclosure, state_complaint_filed,\ndue_process_filed. Any other word (phone_call, meeting, email) is kept as it is."
)]
pub struct EventAddArgs {
    /// When it happened (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    pub date: NaiveDate,
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
    /// Print the event made as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  casebinder event list\n  casebinder event list --json")]
pub struct EventListArgs {
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  casebinder event rm 1")]
pub struct EventRmArgs {
    /// The event's number (see casebinder event list).
    pub id: i64,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  casebinder cases add .\n  casebinder cases list\n\nThe list holds only the folders' paths (in your configuration folder); each case is read without changing it."
)]
pub struct CasesArgs {
    #[command(subcommand)]
    pub command: CasesCommand,
}

#[derive(Debug, Subcommand)]
pub enum CasesCommand {
    /// Add case folders (or every case folder under a folder, with --under).
    Add(CasesAddArgs),
    /// Remove case folders from the list (the folders themselves are not touched).
    Rm(CasesRmArgs),
    /// Each case: the student, the state, documents, open findings, the next deadline, files not yet scanned.
    List(CasesListArgs),
    /// Scan every case on the desk in turn (new and changed files are read), with a summary.
    Scan(CasesScanArgs),
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  casebinder cases scan\n\nThe only desk command that writes to the cases: each is scanned as casebinder scan would, one after another;\na case that cannot be scanned is said and the others go on."
)]
pub struct CasesScanArgs {}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  casebinder cases add .\n  casebinder cases add --under ..\n  casebinder cases add . --label \"J.L. (file 12)\"\n\nA case folder is one made with casebinder init. --under finds every case folder below a folder\n(for example one folder per family). A label names the case on the desk and in the desk's calendar\ninstead of the child's initials; adding a case again with --label changes it (--label \"\" clears it)."
)]
pub struct CasesAddArgs {
    /// Case folders (each made with casebinder init).
    pub dirs: Vec<PathBuf>,
    /// Add every case folder found under this folder (for example one folder per family).
    #[arg(long, value_name = "DIR")]
    pub under: Option<PathBuf>,
    /// What to call this case on the desk and in the desk's calendar (initials, a file number).
    #[arg(long, value_name = "LABEL")]
    pub label: Option<String>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  casebinder cases rm .\n\nOnly the desk's list changes: the case folder and its catalog are left as they are."
)]
pub struct CasesRmArgs {
    /// Case folders, as listed by casebinder cases list.
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  casebinder cases list\n  casebinder cases list --json\n\nA case that is missing, moved, unreadable, damaged or from another casebinder is listed with the reason."
)]
pub struct CasesListArgs {
    /// Judge the deadlines against this day (default: today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    pub as_of: Option<NaiveDate>,
    /// Look at every file's size and time for files not yet scanned, as a re-scan does (by
    /// default the folders' times are read first, which show every file added, removed or
    /// renamed since the last scan; a file rewritten in place shows only with --files).
    #[arg(long)]
    pub files: bool,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  casebinder desk\n  casebinder desk --within 30\n  casebinder desk --state CA --json\n\nExit code: 0 when no deadline was missed, 1 when one was (in any case), 2 on an error.\nCases that cannot be read are listed with the reason; the others are still read."
)]
pub struct DeskArgs {
    /// Only deadlines due within this many days (missed ones are always shown).
    #[arg(long, value_name = "DAYS", value_parser = within)]
    pub within: Option<i64>,
    /// Only the cases of this state (CA, TX, PA, IL, MA, NY, AR, AL, or federal).
    #[arg(long, value_name = "XX", value_parser = state)]
    pub state: Option<String>,
    /// Judge the deadlines against this day (default: today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    pub as_of: Option<NaiveDate>,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  casebinder concern add \"Speech therapy\" --kind service --now \"30 min/week\" --ask \"60 min/week direct\" --could-accept \"45 min/week + consult\" --docs 12,14\n  casebinder concern list\n\nA concern is a disagreement no deadline shows (services, placement, an evaluation's results). `casebinder check`\nsays which path fits each one: mediation or an IEP meeting, and a state complaint for an IEP not carried out."
)]
pub struct ConcernArgs {
    #[command(subcommand)]
    pub command: ConcernCommand,
}

#[derive(Debug, Subcommand)]
pub enum ConcernCommand {
    /// Add a concern: casebinder concern add "Speech therapy" --kind service --ask "60 min/week"
    Add(ConcernAddArgs),
    /// List the family's concerns.
    List(ConcernListArgs),
    /// Change a concern (an empty value clears it): casebinder concern edit 1 --could-accept ""
    Edit(ConcernEditArgs),
    /// Remove a concern, by its number.
    Rm(ConcernRmArgs),
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  casebinder concern add \"Speech therapy\" --kind service --now \"30 min/week\" --ask \"60 min/week direct\" --docs 12,14\n  casebinder concern add \"Placement in the general classroom\" --kind placement --ask \"80% of the day in general education\"\n\nKinds: service, placement, evaluation, behavior, implementation (the IEP is not carried out as written), other."
)]
pub struct ConcernAddArgs {
    /// The concern in a few words ("Speech therapy").
    pub title: String,
    /// service, placement, evaluation, behavior, implementation or other.
    #[arg(long)]
    pub kind: String,
    /// What the child gets now.
    #[arg(long)]
    pub now: Option<String>,
    /// What the family asks for.
    #[arg(long)]
    pub ask: Option<String>,
    /// What the family could accept (kept for the family: never printed in a binder).
    #[arg(long)]
    pub could_accept: Option<String>,
    /// The documents that show it: numbers or paths, separated by commas (12,14).
    #[arg(long, value_delimiter = ',')]
    pub docs: Vec<String>,
    /// Print the concern made as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  casebinder concern list\n  casebinder concern list --json")]
pub struct ConcernListArgs {
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  casebinder concern edit 1 --ask \"60 min/week direct\"\n  casebinder concern edit 1 --docs 12,14,20\n  casebinder concern edit 1 --could-accept \"\""
)]
pub struct ConcernEditArgs {
    /// The concern's number (see casebinder concern list).
    pub id: i64,
    /// A new title.
    #[arg(long)]
    pub title: Option<String>,
    /// A new kind.
    #[arg(long)]
    pub kind: Option<String>,
    /// What the child gets now ("" clears it).
    #[arg(long)]
    pub now: Option<String>,
    /// What the family asks for ("" clears it).
    #[arg(long)]
    pub ask: Option<String>,
    /// What the family could accept ("" clears it).
    #[arg(long)]
    pub could_accept: Option<String>,
    /// The documents that show it, replacing those before (numbers or paths, by commas).
    #[arg(long, value_delimiter = ',')]
    pub docs: Option<Vec<String>>,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  casebinder concern rm 1")]
pub struct ConcernRmArgs {
    /// The concern's number (see casebinder concern list).
    pub id: i64,
}

#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  casebinder calendar --out deadlines.ics\n  casebinder calendar --as-of 2024-05-01 --out deadlines.ics\n\nEach open deadline is an all-day event: the annual review, the reevaluation, answers due to a request,\nthe disclosure before a hearing, and the last day to file a state complaint or due process about each\npossible issue. Importing the file again updates the events, never doubles them. The child is named by\ninitials (a calendar is often shared or synced); --full-name names them in full."
)]
pub struct CalendarArgs {
    /// Write to this file (default: the screen).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The deadlines still open on this day (default: today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    pub as_of: Option<NaiveDate>,
    /// State rules to use (CA, TX, PA, IL, MA, NY, AR, AL, or federal); default: the case's state, else federal.
    #[arg(long, value_name = "XX", value_parser = state)]
    pub state: Option<String>,
    /// The due process hearing date, for the 5-business-day disclosure rule.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    pub hearing_date: Option<NaiveDate>,
    /// Name the child in full in the events (default: initials).
    #[arg(long)]
    pub full_name: bool,
    /// One calendar for every case on the desk (casebinder cases add), each event naming its case.
    #[arg(long)]
    pub all_cases: bool,
    /// Replace the --out file even if casebinder did not make it (never a document of the case).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  casebinder prepare mediation --date 2024-05-01\n\nThe packet is for the family to bring: each concern with the documents that show it, cited by exhibit\nand Bates number in the mediation binder built beside it, the deadlines the documents show were missed,\nthe list of documents and the chronology."
)]
pub struct PrepareArgs {
    #[command(subcommand)]
    pub command: PrepareCommand,
}

#[derive(Debug, Subcommand)]
pub enum PrepareCommand {
    /// The mediation packet (.docx to edit, and PDF) with the mediation binder it cites.
    Mediation(PrepareMediationArgs),
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  casebinder prepare mediation --date 2024-05-01\n  casebinder prepare mediation"
)]
pub struct PrepareMediationArgs {
    /// The packet's date: documents and deadlines up to this day (default: today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    pub date: Option<NaiveDate>,
    /// State rules for the deadlines (CA, TX, PA, IL, MA, NY, AR, AL, or federal); default: the case's state.
    #[arg(long, value_name = "XX", value_parser = state)]
    pub state: Option<String>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  casebinder complaint --state CA --date 2024-05-01\n  casebinder complaint\n\nThe draft has what 34 CFR 300.153(b) asks for: the statement, one allegation per deadline the documents\nshow was missed inside the one-year window with its facts cited, a proposed resolution to edit, the child\nand school (casebinder config name|address|school|district), the signature and contact block (config\nparent|contact) and the copy to the district. It states facts, never legal conclusions."
)]
pub struct ComplaintArgs {
    /// The state the complaint is filed in (CA, TX, PA, IL, MA, NY, AR, AL); default: the case's state.
    #[arg(long, value_name = "XX", value_parser = state)]
    pub state: Option<String>,
    /// The complaint's date: documents and deadlines up to this day (default: today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    pub date: Option<NaiveDate>,
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
    after_help = "Examples:\n  casebinder timeline\n  casebinder timeline date:2023-07-01..2024-06-30 --format md\n  casebinder timeline --format html --out timeline.html   # open it in a browser"
)]
pub struct TimelineArgs {
    /// Filters, as for list (kind:, tag:, date:, ...).
    pub query: Vec<String>,
    /// table (default), json, csv, md (Markdown) or html (a page to open in a browser).
    #[arg(long, value_enum, default_value_t = TimelineFormat::Table)]
    pub format: TimelineFormat,
    /// Print JSON (the same as --format json).
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Write to this file instead of the screen.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The day the checks shown on the timeline are judged against (default: today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    pub as_of: Option<NaiveDate>,
    /// Replace the --out file even if casebinder did not make it (never a document of the case).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  casebinder check --as-of 2024-05-01\n  casebinder check --state TX --all   # Texas rules, with the deadlines that were met\n  casebinder check --json\n\nExit code: 0 when no deadline was missed, 1 when a possible violation was found, 2 on an error.\nFindings are possible issues to look into, not legal conclusions."
)]
pub struct CheckArgs {
    /// State rules to use (CA, TX, PA, IL, MA, NY, AR, AL, or federal); default: the case's state, else federal.
    #[arg(long, value_name = "XX", value_parser = state)]
    pub state: Option<String>,
    /// Judge open deadlines against this day (default: today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    pub as_of: Option<NaiveDate>,
    /// Flag "without unnecessary delay" rules after this many days (default: the case's soft-days, else 30).
    #[arg(long, value_parser = clap::value_parser!(i64).range(1..=365))]
    pub soft_days: Option<i64>,
    /// The due process hearing date, for the 5-business-day disclosure rule.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    pub hearing_date: Option<NaiveDate>,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
    /// Show the deadlines that were met too.
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  casebinder set 12 --kind evaluation --date 2023-06-20\n  casebinder set \"Notes/What happened so far.md\" --exclude   # keep your own notes out of binders\n  casebinder set 12 --date none        # it really has no date\n  casebinder set 12 --kind auto        # back to what casebinder found\n  casebinder set Photos/IMG_2041.jpg --rotate 90   # a photo taken sideways\n\nWhat you set is kept by content: it survives renames, moves and new scans.\n\nKinds: iep, iep_amendment, evaluation, iee, eligibility, fba, bip, plan_504, progress_report, report_card,\nprior_written_notice, consent, meeting_notice, meeting_notes, procedural_safeguards, email, parent_letter,\ndistrict_letter, medical, test_scores, work_sample, discipline, manifestation_determination, mediation_request,\nmediation_agreement, settlement_agreement, state_complaint, due_process, decision, service_log, other."
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
    /// Leave this document out of binders (named by a path, a document kept in several places:
    /// only that copy).
    #[arg(long, conflicts_with = "include")]
    pub exclude: bool,
    /// With --exclude: the whole document, wherever it is kept, even when named by one copy's
    /// path.
    #[arg(long, requires = "exclude")]
    pub document: bool,
    /// Put an excluded document back.
    #[arg(long)]
    pub include: bool,
    /// Turn the pages in binders: 90, 180 or 270 degrees clockwise (a photo taken sideways);
    /// 0 to print them as they are.
    #[arg(long, value_name = "DEGREES", value_parser = quarter_turn)]
    pub rotate: Option<u32>,
}

/// A turn in degrees clockwise: 0, 90, 180 or 270 (-90 is 270).
fn quarter_turn(typed: &str) -> Result<u32, String> {
    match typed.trim().trim_end_matches('°').parse::<i64>() {
        Ok(d) if d % 90 == 0 => Ok((d.rem_euclid(360)) as u32),
        _ => Err(format!(
            "\"{typed}\" is not a turn casebinder can make: use 90, 180 or 270 (degrees clockwise), or 0 to undo"
        )),
    }
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  casebinder tag 12 14 +speech -esy\n  casebinder tag \"Emails/RE_ OT minutes.eml\" +ot"
)]
pub struct TagArgs {
    /// Documents (ids, paths or SHA-256 prefixes) and tags to add (+tag) or remove (-tag).
    #[arg(required = true, num_args = 1.., allow_hyphen_values = true)]
    pub items: Vec<String>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  casebinder review\n  casebinder review --json           # each item with the command that fixes it"
)]
pub struct ReviewArgs {
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Settings:\n  name        the student's name (for the binder; never sent anywhere)\n  dob         the student's date of birth, YYYY-MM-DD (never taken as a document date)\n  district    the school district's name (several: separate with ;)\n  school      school names (separate with ;)\n  state       the state, for its deadlines: a code or a name (CA, Texas), or federal\n  date-order  month-first (US, default) or day-first\n  breaks      school breaks, for school-day deadlines: 2023-12-18..2024-01-02; 2024-06-14..2024-08-20\n  soft-days   days before a \"without unnecessary delay\" rule is flagged (default 30)\n\nExamples:\n  casebinder config dob 2014-05-12\n  casebinder config district \"Lakeside Unified School District\"\n  casebinder config date-order day-first\n  casebinder config school --unset"
)]
pub struct ConfigArgs {
    /// The setting to show or change (none: show all).
    pub key: Option<String>,
    /// The new value.
    pub value: Option<String>,
    /// Remove the setting.
    #[arg(long, conflicts_with = "value")]
    pub unset: bool,
    /// Print the settings (or the one named) as JSON; a setting not set is null.
    #[arg(long, conflicts_with_all = ["value", "unset"])]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  casebinder init --name \"Maya Rivera\" --state CA\n  casebinder init --dob 2014-05-12 --district \"Lakeside Unified School District\"\n\nRun it in the folder that holds the documents (or name the folder). Your files are never changed."
)]
pub struct InitArgs {
    /// The folder that holds the documents (default: the current folder).
    pub dir: Option<PathBuf>,
    /// The student's name, as it should appear on the binder.
    #[arg(long)]
    pub name: Option<String>,
    /// The state, for its deadlines: a code or a name (CA, Texas), or federal.
    #[arg(long, value_name = "XX", value_parser = state)]
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
    /// Keep the catalog (and binders) in this folder instead of beside the documents: for
    /// documents on a CD, a USB stick or any disk casebinder should not write to. Then run
    /// commands from this folder, or with --case DIR.
    #[arg(long, value_name = "DIR")]
    pub catalog: Option<PathBuf>,
    /// Make a case inside another case on purpose (the outer case keeps what it read there).
    #[arg(long)]
    pub nested: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  casebinder scan\n  casebinder scan --json             # the summary for scripts\n\nOnly new or changed files are read; a file that cannot be read gets a status and a reason."
)]
pub struct ScanArgs {
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
    /// Do not draw a progress bar.
    #[arg(long)]
    pub no_progress: bool,
    /// Also read what links lead to outside the case folder (by default they are skipped).
    #[arg(long)]
    pub follow_links: bool,
    /// Files written per transaction (advanced).
    #[arg(long, hide = true, default_value_t = 64)]
    pub batch_files: usize,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  casebinder list kind:iep,evaluation\n  casebinder list tag:speech date:2023-01-01..2024-06-30\n  casebinder list 'kind:iep OR kind:evaluation' --sort kind\n  casebinder list 'NOT kind:email' after:-90d\n  casebinder list status:encrypted,corrupt\n  casebinder list path:Emails \"occupational therapy\"\n  casebinder list after:2023-09-01 -kind:email --json\n\nFilters: kind: tag: date: after: before: status: author: title: path: format:; combine with\nOR, NOT (or -) and brackets. Other words search the text. All of it: casebinder help query"
)]
pub struct ListArgs {
    /// Filters and words, e.g. kind:iep date:2023 "speech therapy" (see: casebinder help query).
    pub query: Vec<String>,
    /// The order: date (oldest first, undated last), kind, path, or added (as scanned).
    #[arg(long, value_enum, default_value_t = ListSort::Date)]
    pub sort: ListSort,
    /// Print JSON (the stable format for scripts).
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print CSV (for a spreadsheet).
    #[arg(long)]
    pub csv: bool,
    /// Include documents whose files are all gone.
    #[arg(long)]
    pub missing: bool,
    /// Every case on the desk (casebinder cases add), each row with its case.
    #[arg(long)]
    pub all_cases: bool,
}

/// How `list` orders its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListSort {
    Date,
    Kind,
    Path,
    Added,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  casebinder show 12\n  casebinder show \"IEPs/IEP 2023 annual review.pdf\" --text"
)]
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
#[command(
    after_help = "Examples:\n  casebinder search \"occupational therapy\"\n  casebinder search reevaluation --json"
)]
pub struct SearchArgs {
    /// Words or a "quoted phrase"; any characters are safe to type.
    #[arg(required = true)]
    pub text: Vec<String>,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
    /// At most this many documents (in each case, with --all-cases).
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    /// Search every case on the desk (casebinder cases add), each hit with its case.
    #[arg(long)]
    pub all_cases: bool,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  casebinder demo\n  casebinder demo sample-case")]
pub struct DemoArgs {
    /// Where to write the sample case (default: ./casebinder-demo).
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  casebinder completions bash\n  casebinder completions zsh\n\nTo install (bash): casebinder completions bash > ~/.local/share/bash-completion/completions/casebinder\nzsh: casebinder completions zsh > ~/.zfunc/_casebinder (with fpath+=~/.zfunc before compinit in ~/.zshrc)\nfish: casebinder completions fish > ~/.config/fish/completions/casebinder.fish"
)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  casebinder man\n\nTo read it: casebinder man | man -l -\nTo install it: casebinder man > ~/.local/share/man/man1/casebinder.1"
)]
pub struct ManArgs {}

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
