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
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// How problems are printed
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
}
