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
    /// Folder for the preview builds, relative to --root (one subfolder per build; the server
    /// switches between them). Not `site/`: `odp build`'s output is left alone
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
