//! One integration-test binary (faster to link than many) over small fixture repositories in
//! `tests/fixtures/`. Each test copies a fixture into a temporary folder and runs the real
//! `odp` binary on it, asserting exact outputs.

mod build;
mod data;
mod errors;
mod harness;
mod infer;
mod new;
mod scope;
mod serve;
