//! `odp serve`: the first build, then `serving http://…/` on stdout (tools wait for that exact
//! line, printed once the watcher is in place), then rebuilds on every change until interrupted.

use super::Outcome;
use crate::cli::ServeArgs;
use crate::serve::{ServeOptions, Server};
use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;

pub fn run(root: &Path, args: &ServeArgs) -> Result<Outcome> {
    if !root.join(crate::load::config::FILE).is_file() {
        anyhow::bail!("no `portal.toml` in `{}`: not an odp portal repository", root.display());
    }
    let root = std::fs::canonicalize(root).with_context(|| format!("cannot open `{}`", root.display()))?;
    let theme = root.join(&args.theme);
    let builds = root.join(&args.out);
    // The watcher starts before the first build: a change saved during it, or right after the
    // line below, is seen.
    let (server, watcher, _) =
        Server::start_watching(ServeOptions { root, theme, bind: args.bind, port: args.port, builds })?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "serving {}", server.url())?;
    out.flush()?;
    drop(out);
    server.run(watcher)?;
    Ok(Outcome::Clean)
}
