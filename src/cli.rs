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
    #[arg(short = 'C', long = "repo", global = true, value_name = "DIR")]
    pub repo: Option<PathBuf>,

    /// Take this date as today, for every date-dependent result (YYYY-MM-DD).
    #[arg(long, global = true, env = "SENCO_TODAY", value_name = "DATE", value_parser = parse_date)]
    pub today: Option<NaiveDate>,

    /// When to colour output.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto, value_name = "WHEN")]
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
    /// Create a new records repository.
    Init(InitArgs),
    /// Create a pupil's folder with a pupil.yaml and commented skeletons.
    NewPupil(NewPupilArgs),
    /// Render a document: plan, profile, provision map, class sheet, review pack or checklist.
    Render(RenderArgs),
    /// List the document templates, or export the built-in ones to customise.
    #[command(subcommand)]
    Templates(TemplatesCommand),
    /// Developer tools (benchmark floor).
    #[command(hide = true, subcommand)]
    Debug(DebugCommand),
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
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Human,
    Json,
    Github,
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

#[derive(Debug, Args)]
pub struct NewPupilArgs {
    /// Record id: lowercase letters, digits and `-`, e.g. `ava-brown`.
    #[arg(long)]
    pub id: String,
    /// First name.
    #[arg(long)]
    pub first: String,
    /// Last name.
    #[arg(long)]
    pub last: String,
    /// Date of birth (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    pub dob: NaiveDate,
    /// Year group (Reception = 0, nursery = -1).
    #[arg(long, allow_hyphen_values = true)]
    pub year: i64,
    /// Support level, e.g. monitoring, sen-support, ehcp.
    #[arg(long)]
    pub level: String,
    /// Class or form.
    #[arg(long)]
    pub class: Option<String>,
    /// For a statutory level: the date the current plan was issued.
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub plan_issued: Option<NaiveDate>,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The document to render.
    #[arg(value_enum)]
    pub kind: RenderKind,
    /// The pupil id (or a unique prefix) for plan, profile, review and checklist; the class for `class`.
    #[arg(value_name = "ID|CLASS")]
    pub target: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DocFormat::Md)]
    pub format: DocFormat,
    /// Write to this file instead of standard output.
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
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
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
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DocFormat {
    Md,
    Html,
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
