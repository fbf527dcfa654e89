//! odp: a static open-data portal generator for Vietnamese provincial and city governments.
//!
//! The build is a chain of functions over owned values:
//! `load` (files → [`model::Portal`] + diagnostics) → `validate` (cross-references, data files;
//! fills [`model::FileFacts`]) → `plan` (every output file as a job) → `execute` (writes into a
//! staging folder that replaces `site/` only when everything succeeded).
//! Problems in the input are [`diag::Diagnostic`] values, collected in full; `anyhow` errors are
//! reserved for the environment (I/O, templates).

// A build makes and drops millions of small strings and tera values across two threads; glibc's
// malloc took about a fifth of a 5,000-dataset build's CPU in `perf` (issue 7). mimalloc (Microsoft,
// MIT, used by e.g. Deno and Polars) is faster at exactly that. Declared here so the binary, the
// tests and the benchmarks all measure the same allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod accountability;
pub mod cache;
pub mod catalog;
pub mod cli;
pub mod cmd;
pub mod copies;
pub mod deploy;
pub mod diag;
pub mod freshness;
pub mod history;
pub mod infer;
pub mod load;
pub mod model;
pub mod notices;
pub mod output;
pub mod package;
pub mod pipeline;
pub mod render;
pub mod scope;
pub mod search;
pub mod serve;
pub mod text;
pub mod timeline;
pub mod timings;
pub mod urls;
pub mod validate;
