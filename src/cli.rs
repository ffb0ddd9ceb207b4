//! The command line, as clap derive types: a plain mirror of the arguments.
//! `cmd` resolves them into what each command needs.

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Plain-text SEN records for SENCOs: validate, query and maintain a folder of YAML files.
#[derive(Debug, Parser)]
#[command(name = "senco", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    /// The records repository (default: the nearest folder with a senco.toml, from the current one up).
    #[arg(short = 'C', long = "repo", global = true, value_name = "DIR", help_heading = "Global options")]
    pub repo: Option<PathBuf>,

    /// Take this date as today, for every date-dependent result (YYYY-MM-DD) [env: SENCO_TODAY].
    #[arg(long, global = true, value_name = "DATE", value_parser = parse_date, help_heading = "Global options")]
    pub today: Option<NaiveDate>,

    /// When to colour output.
    #[arg(
        long,
        global = true,
        value_enum,
        default_value_t = Color::Auto,
        value_name = "WHEN",
        help_heading = "Global options"
    )]
    pub color: Color,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate every record and report all problems (exit 1 on errors).
    #[command(visible_alias = "validate")]
    Check(CheckArgs),
    /// Explain a finding or rule code: what it means and how to fix it.
    Explain(ExplainArgs),
    /// List the rules of the jurisdiction rule packs, with their sources.
    Rules(RulesArgs),
    /// Create a new records repository.
    Init(InitArgs),
    /// Create a pupil's folder with a pupil.yaml and commented skeletons (asks for what is missing on a terminal).
    NewPupil(NewPupilArgs),
    /// Reviews, targets, actions and referrals overdue or due soon.
    ReviewDue(ReviewDueArgs),
    /// Every rule of the school's rule pack, per pupil: met, due, overdue, not met, not recorded, not applicable.
    Compliance(ComplianceArgs),
    /// The SEN register (or watch list, or archive), filtered, with chosen columns.
    #[command(visible_alias = "register")]
    List(ListArgs),
    /// Counts by level, need, year group; the register's share of the roll.
    Stats(StatsArgs),
    /// Everything about one pupil on one screen.
    Show(ShowArgs),
    /// Each staff member's pupils and weekly intervention time.
    Caseload(CaseloadArgs),
    /// Provision planned against provision delivered, per pupil, provision and staff member.
    Delivery(DeliveryArgs),
    /// Staff training held, and what has lapsed or lapses soon.
    Training(TrainingArgs),
    /// The register of exam access arrangements, for the exams officer: evidence, assessor, dates, expiry.
    Access(AccessArgs),
    /// Prepare the record of a review meeting, pre-filled from the pupil's records.
    NewReview(NewReviewArgs),
    /// Add a dated entry to a pupil's log: a meeting, a contact, a concern, a progress report.
    Log(LogArgs),
    /// Move the records to the next academic year: year groups, calendar, leavers.
    Rollover(RolloverArgs),
    /// Bring data in: `import roster FILE.csv` reconciles the pupils with a roster exported from the MIS.
    #[command(subcommand)]
    Import(crate::cmd::import::ImportCommand),
    /// Move a pupil who has left to archive/, or list archived records due for deletion.
    Archive(ArchiveArgs),
    /// Bring an archived pupil back on roll, undoing `senco archive`.
    Restore(RestoreArgs),
    /// Finish (or with --undo, undo) a records change that was interrupted by a crash, a kill or a power cut.
    Recover(RecoverArgs),
    /// Render a document: plan, profile, provision map, class sheet, review pack, checklist, request or chronology.
    Render(RenderArgs),
    /// List the document templates, or export the built-in ones to customise.
    #[command(subcommand)]
    Templates(TemplatesCommand),
    /// Intervention impact: score gains per provision, need area and staff member, like with like.
    Impact(ImpactArgs),
    /// One pupil's assessment results over time and target ratings across reviews.
    Progress(ProgressArgs),
    /// England's school census SEN return: provision codes E/K/N and SEN types (exit 1 if a pupil cannot be coded).
    Census(CensusArgs),
    /// The whole repository as flat tables: a CSV folder, a JSON file or an SQLite database.
    Export(ExportArgs),
    /// JSON Schemas of the record files and senco.toml, so editors complete keys and flag mistakes as you type.
    Schema(SchemaArgs),
    /// The records in a web browser: a local web application with pages for every query and a few forms.
    Serve(ServeArgs),
    /// Move a pupil's records between schools: write a transfer pack (`out`), or read one (`in`).
    #[command(subcommand)]
    Transfer(crate::cmd::transfer::TransferCommand),
    /// Developer tools (benchmark floor).
    #[command(hide = true, subcommand)]
    Debug(DebugCommand),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port to listen on (0: any free port).
    #[arg(long, default_value_t = 8411)]
    pub port: u16,
    /// The address to listen on. Anything but a loopback address needs the printed login link, and is read-only
    /// unless `--allow-writes` is given.
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
    pub bind: std::net::IpAddr,
    /// No forms: nothing can be changed from the browser.
    #[arg(long)]
    pub readonly: bool,
    /// Initials instead of names on every page (for sharing a screen in a meeting).
    #[arg(long)]
    pub anonymise: bool,
    /// Open the address in the default browser.
    #[arg(long)]
    pub open: bool,
    /// On a non-loopback address: allow the forms too (they are off by default there).
    #[arg(long)]
    pub allow_writes: bool,
    /// Another host name the pages may be reached by (e.g. the name a school's proxy forwards); repeatable.
    #[arg(long = "allow-host", value_name = "NAME")]
    pub allow_host: Vec<String>,
    /// Make each change from a form one git commit of exactly the files it changed (the records must be in a git
    /// repository).
    #[arg(long)]
    pub commit: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Treat these severities as failures too (`warnings`).
    #[arg(long, value_enum, value_name = "WHAT")]
    pub deny: Option<Deny>,
    /// Show only errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Folder of the records relative to the repository root, put before
    /// every path in `github` and `sarif` output (default: found from the
    /// enclosing git checkout; `.` for none).
    #[arg(long, value_name = "PATH")]
    pub path_prefix: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Human,
    Json,
    Github,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    Warnings,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A finding code (e.g. `unknown-key`) or rule code (e.g. `ENG-AR-DUE`).
    pub code: Option<String>,
    /// List every code.
    #[arg(long)]
    pub list: bool,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Only this jurisdiction's rules (default: the repository's, or all outside one).
    #[arg(long, value_enum)]
    pub jurisdiction: Option<JurisdictionArg>,
    /// Every jurisdiction's rules.
    #[arg(long, conflicts_with = "jurisdiction")]
    pub all: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Table,
    Json,
    #[value(alias = "md")]
    Markdown,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Print the schema of this kind of file instead of writing them all (`--list` names the kinds).
    #[arg(value_name = "KIND")]
    pub kind: Option<String>,
    /// Write every schema into this folder (default: the repository's `schemas/` folder).
    #[arg(long, short = 'o', value_name = "DIR", conflicts_with = "kind")]
    pub out: Option<PathBuf>,
    /// Also put the editor's schema line first in every record file that lacks it (through the journaled
    /// writer, all or nothing).
    #[arg(long, conflicts_with = "kind")]
    pub modelines: bool,
    /// List the kinds of file, their schema files and the files each describes.
    #[arg(long, conflicts_with_all = ["kind", "out", "modelines"])]
    pub list: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to create the repository (default: the current folder).
    pub dir: Option<PathBuf>,
    /// The school's name.
    #[arg(long, default_value = "Our School")]
    pub name: String,
    /// The rule pack.
    #[arg(long, value_enum, default_value_t = JurisdictionArg::England)]
    pub jurisdiction: JurisdictionArg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum JurisdictionArg {
    England,
    Wales,
    UsIdea,
}

impl JurisdictionArg {
    pub fn resolve(self) -> crate::model::settings::Jurisdiction {
        use crate::model::settings::Jurisdiction;
        match self {
            JurisdictionArg::England => Jurisdiction::England,
            JurisdictionArg::Wales => Jurisdiction::Wales,
            JurisdictionArg::UsIdea => Jurisdiction::UsIdea,
        }
    }
}

#[derive(Debug, Args)]
pub struct NewPupilArgs {
    /// Record id: lowercase letters, digits and `-`, e.g. `ava-brown`.
    #[arg(long)]
    pub id: Option<String>,
    /// First name.
    #[arg(long)]
    pub first: Option<String>,
    /// Last name.
    #[arg(long)]
    pub last: Option<String>,
    /// Date of birth (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    pub dob: Option<NaiveDate>,
    /// Year group: `5`, `Y5`, `R` (Reception), `N1`, `N2` (nursery); stored as a number (Reception 0).
    #[arg(long, value_name = "YEAR", allow_hyphen_values = true, value_parser = parse_year)]
    pub year: Option<i64>,
    /// Support level, e.g. monitoring, sen-support, ehcp.
    #[arg(long)]
    pub level: Option<String>,
    /// Class or form.
    #[arg(long)]
    pub class: Option<String>,
    /// For a statutory level: the date the current plan was issued.
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub plan_issued: Option<NaiveDate>,
    /// The date support at this level began (`support.since`), when moving an
    /// existing register in, so review clocks run from it [default: today].
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub since: Option<NaiveDate>,
}

/// Safety options shared by the commands that change existing records.
#[derive(Debug, Args)]
pub struct SafetyArgs {
    /// Refuse to change files that have uncommitted changes in git (default: warn and go on).
    #[arg(long)]
    pub require_clean: bool,
}

#[derive(Debug, Args)]
pub struct NewReviewArgs {
    /// The pupil's id (or a unique prefix of it).
    pub id: String,
    /// The date of the meeting (default: today).
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub date: Option<NaiveDate>,
    /// The kind of review (default: annual for a statutory plan, else termly).
    #[arg(long, value_parser = ["termly", "annual", "interim", "transition", "initial"])]
    pub kind: Option<String>,
    /// A word or two added to the file name, e.g. `annual` gives DATE-annual.yaml.
    #[arg(long, value_name = "SLUG")]
    pub slug: Option<String>,
    #[command(flatten)]
    pub safety: SafetyArgs,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// The pupil's id (or a unique prefix of it).
    pub id: String,
    /// What the entry records.
    #[arg(long, value_parser = ["meeting", "parent-contact", "phone", "email", "parents-informed", "observation", "concern", "agency-contact", "progress-report", "other"])]
    pub kind: String,
    /// A sentence or two: what happened, what was agreed.
    pub summary: String,
    /// Who was involved: `parent`, `carer`, `pupil`, staff ids, a service (repeat, or separate with commas).
    #[arg(long = "with", value_name = "WHO", value_delimiter = ',')]
    pub with: Vec<String>,
    /// The date of the entry (default: today).
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub date: Option<NaiveDate>,
    /// A date to follow up by; it shows in `senco review-due` until `followed_up` is recorded.
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub follow_up: Option<NaiveDate>,
    #[command(flatten)]
    pub safety: SafetyArgs,
}

#[derive(Debug, Args)]
pub struct RolloverArgs {
    /// Show every change as a unified diff and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// First day of the new academic year (default: the old one + 52 weeks, flagged to confirm).
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub year_start: Option<NaiveDate>,
    /// Last day of the new academic year (default: the old one + 52 weeks, flagged to confirm).
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub year_end: Option<NaiveDate>,
    /// A TOML file holding `terms = [...]` for the new year, shaped as in senco.toml.
    #[arg(long, value_name = "FILE")]
    pub terms: Option<PathBuf>,
    /// Archive the leavers (pupils in `school.last_year_group`), with `left` = the old year_end.
    #[arg(long)]
    pub archive_leavers: bool,
    /// A TOML file renaming classes in the same change, old = "new", e.g. `3S = "4S"` (docs/upkeep.md).
    #[arg(long, value_name = "FILE")]
    pub classes: Option<PathBuf>,
    /// Roll over even though the current academic year is not near its end.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub safety: SafetyArgs,
}

#[derive(Debug, Args)]
pub struct ArchiveArgs {
    /// The pupil's id (or a unique prefix of it).
    #[arg(required_unless_present = "due_for_deletion", conflicts_with = "due_for_deletion")]
    pub id: Option<String>,
    /// The date the pupil left.
    #[arg(long, value_parser = parse_date, value_name = "DATE", required_unless_present = "due_for_deletion")]
    pub left: Option<NaiveDate>,
    /// Where the pupil went, e.g. the next school.
    #[arg(long, value_name = "TEXT")]
    pub destination: Option<String>,
    /// List archived records past their retention date instead (date of birth + jurisdiction.retention_years).
    #[arg(long, conflicts_with_all = ["left", "destination"])]
    pub due_for_deletion: bool,
    /// Archive even though `--left` is after today (a pupil leaving at the end of term).
    #[arg(long, conflicts_with = "due_for_deletion")]
    pub force: bool,
    #[command(flatten)]
    pub safety: SafetyArgs,
}

#[derive(Debug, Args)]
pub struct RecoverArgs {
    /// Put every record back as it was before the interrupted command, instead of finishing it.
    #[arg(long)]
    pub undo: bool,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The archived pupil's id (or a unique prefix of it).
    pub id: String,
    #[command(flatten)]
    pub safety: SafetyArgs,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The document to render.
    #[arg(value_enum)]
    pub kind: RenderKind,
    /// The pupil id (or a unique prefix) for plan, profile, review and checklist; the class for `class`.
    #[arg(value_name = "ID|CLASS")]
    pub target: Option<String>,
    /// Output format [default: from the `-o` file's extension (`.html`, `.md`, `.docx`), else md].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<DocFormat>,
    /// Write to this file instead of standard output; `.html`, `.md` or `.docx` chooses the format.
    #[arg(short = 'o', long = "output", value_name = "FILE", conflicts_with = "out_dir")]
    pub output: Option<PathBuf>,
    /// Write into this folder, one file per document, named after the pupil or class.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Every pupil on the register, one file each into --out-dir (plan, profile and review).
    #[arg(long, conflicts_with = "target")]
    pub all: bool,
    /// Replace output files that already exist.
    #[arg(long)]
    pub force: bool,
    /// provision-map: only interventions that overlap this term of senco.toml.
    #[arg(long, value_name = "NAME")]
    pub term: Option<String>,
    /// provision-map: only pupils in this year group.
    #[arg(long, value_name = "YEAR", allow_hyphen_values = true, value_parser = parse_year)]
    pub year: Option<i64>,
    /// provision-map: only pupils in this class.
    #[arg(long, value_name = "CLASS")]
    pub class: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RenderKind {
    /// The pupil's support plan (SEN support plan, EHC plan outcomes summary, IDP, IEP).
    Plan,
    /// The one-page profile, in the pupil's voice.
    Profile,
    /// The whole-school provision map with costs.
    ProvisionMap,
    /// The class strategy sheet for a teacher.
    Class,
    /// The pack for the pupil's next review meeting.
    Review,
    /// The compliance checklist of review deadlines.
    Checklist,
    /// The pack for a request for an EHC needs assessment, for the local authority.
    Request,
    /// The pupil's dated chronology for a local authority or a tribunal.
    Chronology,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DocFormat {
    /// Markdown (also `markdown`).
    #[value(alias = "markdown")]
    Md,
    /// A self-contained HTML page, ready to print.
    #[value(alias = "htm")]
    Html,
    /// A Word document (made from the HTML template), A4, with heading styles and bordered tables.
    #[value(alias = "word")]
    Docx,
}

#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// Show every template and whether it is built in or the school's own.
    List,
    /// Copy the built-in templates into DIR to customise (never overwrites).
    Export {
        /// The folder to write them to, e.g. `templates` in the records repository.
        dir: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum DebugCommand {
    /// Walk the tree and read every file without parsing (the benchmark floor).
    ReadFloor,
}

pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    crate::repo::decode::parse_date(s)
}

/// A year group as schools write it (`model::year`).
pub fn parse_year(s: &str) -> Result<i64, String> {
    crate::model::year::parse(s)
        .filter(|y| (-2..=15).contains(y))
        .ok_or_else(|| format!("`{s}` is not a year group; write {}", crate::model::year::EXAMPLES))
}

/// A number of days: `14`, `14d`, `2w` (weeks).
pub fn parse_days(s: &str) -> Result<u32, String> {
    let t = s.trim().to_ascii_lowercase();
    let (n, unit) = match t.strip_suffix('w').or_else(|| t.strip_suffix("weeks")).or_else(|| t.strip_suffix("week")) {
        Some(n) => (n, 7),
        None => {
            (t.strip_suffix('d').or_else(|| t.strip_suffix("days")).or_else(|| t.strip_suffix("day")).unwrap_or(&t), 1)
        }
    };
    n.trim()
        .parse::<u32>()
        .ok()
        .and_then(|n| n.checked_mul(unit))
        .filter(|d| *d <= 3660)
        .ok_or_else(|| format!("`{s}` is not a number of days; write e.g. `14`, `14d` or `2w`"))
}

// ------------------------------------------------------------------ queries

/// Output options shared by every query (docs/queries.md).
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format [default: table, or from the `-o` file's extension].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<QueryFormat>,
    /// Write to FILE (atomically) instead of stdout; `.json`, `.csv`, `.md`, `.txt` choose the format.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace FILE if it already exists.
    #[arg(long)]
    pub force: bool,
    /// CSV only: start with a UTF-8 byte-order mark, for older versions of Excel.
    #[arg(long)]
    pub bom: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum QueryFormat {
    Table,
    Json,
    Csv,
    /// GitHub-flavoured Markdown (also `md`).
    #[value(alias = "md")]
    Markdown,
    /// A self-contained HTML page with charts (`impact` and `progress` only).
    #[value(alias = "htm")]
    Html,
}

/// `--year` and `--class`, as `list`, `review-due` and `compliance` take them.
#[derive(Debug, Args)]
pub struct YearClassArgs {
    /// Only pupils in these year groups (`5`, `Y5`, `R`, `N2`; repeat or separate with commas).
    #[arg(long, value_name = "YEAR", value_delimiter = ',', allow_hyphen_values = true, value_parser = parse_year)]
    pub year: Vec<i64>,
    /// Only pupils in these classes (case-insensitive).
    #[arg(long, value_name = "CLASS", value_delimiter = ',')]
    pub class: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ReviewDueArgs {
    /// Show items due within this many days of today: `14`, `14d` or `2w` (overdue items always show) [default: reviews.warn_days].
    #[arg(long, value_name = "DAYS", value_parser = parse_days)]
    pub within: Option<u32>,
    /// Only pupils at these support levels (repeat or separate with commas).
    #[arg(long, value_name = "LEVEL", value_delimiter = ',')]
    pub level: Vec<String>,
    #[command(flatten)]
    pub groups: YearClassArgs,
    /// Only these kinds of item.
    #[arg(long, value_enum, value_name = "KIND", value_delimiter = ',')]
    pub kind: Vec<DueKind>,
    /// Exit 0 even when some pupils could not be read (they are still named on stderr and in the output).
    #[arg(long)]
    pub partial: bool,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Args)]
pub struct ComplianceArgs {
    /// Only this pupil: the id, or any unique prefix of it (on roll, else in the archive).
    pub id: Option<String>,
    /// Only these rules, e.g. US-REEVAL (repeat or separate with commas).
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub rule: Vec<String>,
    /// Only outcomes with these statuses (repeat or separate with commas).
    #[arg(long, value_enum, value_name = "STATUS", value_delimiter = ',')]
    pub status: Vec<ComplianceStatus>,
    /// Only pupils at these support levels.
    #[arg(long, value_name = "LEVEL", value_delimiter = ',')]
    pub level: Vec<String>,
    #[command(flatten)]
    pub groups: YearClassArgs,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// A rule outcome's status, as `senco compliance --status` takes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ComplianceStatus {
    Met,
    Due,
    Overdue,
    NotMet,
    NotRecorded,
    NotApplicable,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DueKind {
    SupportReview,
    AnnualReview,
    Reevaluation,
    Deadline,
    Target,
    Action,
    Referral,
    FollowUp,
    Access,
    Training,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only these support levels; `monitoring` is the watch list (repeat or separate with commas).
    #[arg(long, value_name = "LEVEL", value_delimiter = ',')]
    pub level: Vec<String>,
    /// Every level: the register and the watch list.
    #[arg(long, conflicts_with = "level")]
    pub all_levels: bool,
    /// Only pupils with a need in this area, e.g. cognition-and-learning.
    #[arg(long, value_name = "AREA", value_delimiter = ',')]
    pub area: Vec<String>,
    /// Only pupils with a need of this type code, e.g. SPLD, ASD.
    #[arg(long, value_name = "TYPE", value_delimiter = ',')]
    pub need: Vec<String>,
    #[command(flatten)]
    pub groups: YearClassArgs,
    /// Only pupils this staff member is key worker for or runs a current intervention with.
    #[arg(long, value_name = "STAFF", value_delimiter = ',')]
    pub staff: Vec<String>,
    /// Only pupils with a statutory plan (EHC plan, LA IDP, IEP).
    #[arg(long)]
    pub with_ehcp: bool,
    /// List pupils in the archive (leavers) instead of those on roll.
    #[arg(long)]
    pub archived: bool,
    /// Columns to show, comma-separated (see docs/queries.md) [default: id,name,year,class,level,primary-need,primary-area,key-worker,since].
    #[arg(long, value_name = "LIST")]
    pub columns: Option<String>,
    /// Include UPNs (the `upn` column and JSON field).
    #[arg(long)]
    pub show_upn: bool,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The pupil's id, or any unique prefix of it.
    pub id: String,
    /// Look in the archive (leavers) instead of pupils on roll.
    #[arg(long)]
    pub archived: bool,
    /// Include the UPN.
    #[arg(long)]
    pub show_upn: bool,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Args)]
pub struct CaseloadArgs {
    /// One staff member's id (or unique prefix) for their full caseload; all staff when absent.
    pub staff: Option<String>,
    /// Weekly hours of intervention time above which staff are marked `over`.
    #[arg(long, value_name = "HOURS", default_value_t = crate::query::caseload::DEFAULT_MAX_HOURS)]
    pub max_hours: f64,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Args)]
pub struct DeliveryArgs {
    /// One term of senco.toml's calendar, by name (default: the academic year so far).
    #[arg(long, value_name = "TERM")]
    pub term: Option<String>,
    /// Only this pupil (id or unique prefix).
    #[arg(long, value_name = "ID")]
    pub pupil: Option<String>,
    /// Only this provision (a catalogue id, or an intervention id without one).
    #[arg(long, value_name = "ID")]
    pub provision: Option<String>,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Args)]
pub struct TrainingArgs {
    /// Only training lapsed or lapsing within DAYS (the status window; default 60).
    #[arg(long, value_name = "DAYS")]
    pub expiring: Option<i64>,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Args)]
pub struct AccessArgs {
    /// Only arrangements expired, expiring within DAYS (the `expires-soon` window; default 60), or with no date
    /// to count from.
    #[arg(long, value_name = "DAYS", allow_hyphen_values = true)]
    pub expiring: Option<i64>,
    #[command(flatten)]
    pub out: OutputArgs,
}

// ----------------------------------------------------------------- evidence

#[derive(Debug, Args)]
pub struct ImpactArgs {
    /// Only this catalogue entry (its id, or a unique prefix).
    #[arg(long, value_name = "ID")]
    pub provision: Option<String>,
    /// Only interventions in this area of need (the catalogue's, else the need of its first target).
    #[arg(long, value_name = "AREA")]
    pub area: Option<String>,
    /// Only pupils in this year group.
    #[arg(long, value_name = "YEAR", allow_hyphen_values = true, value_parser = parse_year)]
    pub year: Option<i64>,
    /// Only interventions still running on or after this date.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub from: Option<NaiveDate>,
    /// Only interventions started on or before this date.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub to: Option<NaiveDate>,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Args)]
pub struct ProgressArgs {
    /// The pupil's id, or any unique prefix of it.
    pub id: String,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Args)]
pub struct CensusArgs {
    /// The census reference date [default: today].
    #[arg(long, value_name = "DATE", value_parser = parse_date, conflicts_with = "term")]
    pub date: Option<NaiveDate>,
    /// The census day of this term: autumn, the first Thursday in October; spring, the third Thursday in
    /// January; summer, the third Thursday in May (of the current academic year unless --year).
    #[arg(long, value_enum, value_name = "TERM")]
    pub term: Option<CensusTerm>,
    /// With --term: the academic year, by the year of its September (2026 for 2026-27).
    #[arg(long, value_name = "YEAR", requires = "term", value_parser = clap::value_parser!(i32).range(1900..=9998))]
    pub year: Option<i32>,
    /// Include UPNs (the `upn` column and JSON field).
    #[arg(long)]
    pub show_upn: bool,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CensusTerm {
    Autumn,
    Spring,
    Summer,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Where to write: a folder for csv (one file per table), a file for json and sqlite.
    pub out: PathBuf,
    /// What to write [default: from OUT's extension: .json, .sqlite/.sqlite3/.db].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<ExportFormat>,
    /// Replace an existing file, or write into a folder that is not empty.
    #[arg(long)]
    pub force: bool,
    /// CSV only: start each file with a UTF-8 byte-order mark, for older versions of Excel.
    #[arg(long)]
    pub bom: bool,
    /// CSV only: put an apostrophe before text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`), for
    /// opening the files in Excel or Calc. Off by default, so the CSV holds the same values as JSON and SQLite.
    #[arg(long)]
    pub for_spreadsheet: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
    Sqlite,
}
