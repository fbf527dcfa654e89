//! The `odp` binary: parse the command line, run the command, map the outcome to an exit code
//! (0 clean, 1 problems in the input, 2 could not run).

use clap::Parser;
use odp::cli::{Cli, Command};
use odp::cmd::{self, Outcome};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Build(args) => cmd::build::run(&cli.root, args),
        Command::Check(args) => cmd::check::run(&cli.root, args),
        Command::New(args) => cmd::new::run(&cli.root, args),
        Command::Infer(args) => cmd::infer::run(&cli.root, args),
        Command::Report(args) => cmd::report::run(&cli.root, args),
        Command::Search(args) => cmd::search::run(&cli.root, args),
        Command::Serve(args) => cmd::serve::run(&cli.root, args),
    };
    match result {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Problems) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(2)
        }
    }
}
