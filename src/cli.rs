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
    /// List the rules of the jurisdiction rule packs, with their sources.
    Rules(RulesArgs),
    /// Create a new records repository.
    Init(InitArgs),
    /// Create a pupil's folder with a pupil.yaml and commented skeletons.
    NewPupil(NewPupilArgs),
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
    Markdown,
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

#[derive(Debug, Subcommand)]
pub enum DebugCommand {
    /// Walk the tree and read every file without parsing (the benchmark floor).
    ReadFloor,
}

pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    crate::repo::decode::parse_date(s)
}
