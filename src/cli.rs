//! The command line: what the user typed, as typed values (clap derive).

use crate::diag::render::Format;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "odp", version, about = "Static open-data portal generator / Trình tạo cổng dữ liệu mở tĩnh")]
pub struct Cli {
    /// The portal repository (the folder with portal.toml)
    #[arg(long, global = true, default_value = ".")]
    pub root: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate everything, then write the site; writes nothing if there is any error
    Build(BuildArgs),
    /// Validate only (what agencies run before a pull request)
    Check(CheckArgs),
    /// Create a dataset folder with a commented dataset.toml and a README.md
    New(NewArgs),
    /// Propose a data dictionary ([[resources]] block) for a CSV/TSV file
    Infer(InferArgs),
    /// Per-agency figures (datasets, formats, freshness, updates) for the quarterly report
    Report(ReportArgs),
    /// Search the datasets (accents optional, old province names and abbreviations understood)
    Search(SearchArgs),
    /// Build, serve the site locally and rebuild on every change (the browser reloads itself)
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port to listen on (0: any free port; the address is printed)
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// Address to listen on (127.0.0.1: only this computer; 0.0.0.0: the local network too)
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Theme folder, relative to --root
    #[arg(long, default_value = "themes/default")]
    pub theme: PathBuf,
    /// Folder for the preview, relative to --root (one subfolder per running server, updated in
    /// place after the first build). Not `site/`: `odp build`'s output is left alone
    #[arg(long, default_value = ".odp/serve")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Output folder, relative to --root
    #[arg(long, default_value = "site")]
    pub out: PathBuf,
    /// Theme folder, relative to --root
    #[arg(long, default_value = "themes/default")]
    pub theme: PathBuf,
    /// Override portal.toml's base_url (e.g. for a preview deploy under another address)
    #[arg(long)]
    pub base_url: Option<String>,
    /// The date freshness and notices are computed at (default: SOURCE_DATE_EPOCH, else the
    /// last commit's date); keeps builds reproducible
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::timeline::parse_as_of)]
    pub as_of: Option<String>,
    /// How problems are printed
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Ignore what the build cache in .odp/cache/ holds: analyse every file, run every job (the
    /// cache is then rewritten from this build)
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Report only the problems of these dataset folders or files (the whole portal is still
    /// loaded, so references resolve); a file inside a dataset folder selects the whole dataset
    pub paths: Vec<PathBuf>,
    /// Report only the problems of what changed since this git revision (committed, staged,
    /// unstaged and untracked), and of the datasets that depend on it; e.g. `origin/main`
    #[arg(long, value_name = "GIT-REF")]
    pub changed_since: Option<String>,
    /// How problems are printed
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The dataset id: the folder name under datasets/ and the permanent URL
    /// (lowercase ASCII letters, digits and `-`)
    pub id: String,
    /// The publisher id (a file content/publishers/<id>.md)
    #[arg(long)]
    pub publisher: Option<String>,
    /// The Vietnamese title
    #[arg(long)]
    pub title: Option<String>,
    /// A theme id from portal.toml (repeat for several)
    #[arg(long = "theme", value_name = "THEME")]
    pub themes: Vec<String>,
    /// The update frequency: daily weekly monthly quarterly semiannual annual irregular never
    #[arg(long)]
    pub frequency: Option<String>,
}

#[derive(Debug, Args)]
pub struct InferArgs {
    /// The data file (CSV or TSV)
    pub file: PathBuf,
    /// The resource id (default: from the file name)
    #[arg(long)]
    pub resource_id: Option<String>,
}

/// `odp report` (issue 6).
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The quarter whose updates are counted, e.g. 2026-Q3 (default: the quarter before the
    /// build date's)
    #[arg(long, value_name = "YYYY-QN", value_parser = parse_quarter)]
    pub quarter: Option<String>,
    /// The date freshness is computed at (default: SOURCE_DATE_EPOCH, else the last commit's date)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::timeline::parse_as_of)]
    pub as_of: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value = "table")]
    pub format: ReportFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Table,
    Csv,
    Json,
}

fn parse_quarter(s: &str) -> Result<String, String> {
    crate::freshness::parse_quarter(s)
        .map(crate::freshness::quarter_label)
        .ok_or_else(|| format!("`{s}` is not a quarter like 2026-Q3"))
}

/// `odp search` (issue 4).
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What to look for, e.g. `ha noi`, `dân số`, `tphcm`, `soc trang` (empty: every dataset)
    pub query: Vec<String>,
    /// Only datasets of this publisher id (repeat: any of them)
    #[arg(long)]
    pub publisher: Vec<String>,
    /// Only datasets in this theme id (repeat: any of them)
    #[arg(long)]
    pub theme: Vec<String>,
    /// Only datasets with a resource in this format: CSV, JSON, XLSX, API… (repeat: any of them)
    #[arg(long)]
    pub format: Vec<String>,
    /// Only datasets with this keyword (as written or as its slug; repeat: any of them)
    #[arg(long)]
    pub keyword: Vec<String>,
    /// Only datasets under this licence id (repeat: any of them)
    #[arg(long)]
    pub licence: Vec<String>,
    /// How many results to print
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Print JSON (for tools) instead of text
    #[arg(long)]
    pub json: bool,
}
