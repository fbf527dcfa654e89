//! One integration-test binary (faster to link than many) over small fixture repositories in
//! `tests/fixtures/`. Each test copies a fixture into a temporary folder and runs the real
//! `odp` binary on it, asserting exact outputs.

mod api;
mod build;
mod data;
mod errors;
mod harness;
mod history;
mod infer;
mod new;
mod scope;
mod search;
mod serve;
