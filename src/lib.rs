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

/// mimalloc's `mi_option_purge_delay` (option 15 of `mi_option_t` in the mimalloc v3 that
/// libmimalloc-sys 0.1.49 builds, pinned by Cargo.lock) and its default there, 1,000 ms
/// (`src/options.c`; the header's comment still says 10).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;
const MI_PURGE_DELAY_DEFAULT: std::ffi::c_long = 1000;

// Part of the mimalloc library libmimalloc-sys links in (its `extended` bindings would add a
// dependency for these two declarations).
unsafe extern "C" {
    fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// Keeps freed memory for reuse instead of handing it back to the system a second after it is
/// freed. A build frees and allocates again all the time, and each page handed back came again
/// as a transparent huge page the kernel zeroed: ~5% of a cold 5,000-dataset build's CPU
/// (median 2.03 → 1.91 s, issue 7). For `odp build`, which exits when done; `odp serve` keeps
/// the default so its memory goes back between edits. A `MIMALLOC_PURGE_DELAY` set in the
/// environment wins (the option is then no longer at its default).
pub fn keep_freed_memory() {
    // SAFETY: plain option accessors of the allocator this crate declares above; the value is
    // only changed from the documented default, so another option at index 15 is left alone.
    unsafe {
        if mi_option_get(MI_OPTION_PURGE_DELAY) == MI_PURGE_DELAY_DEFAULT {
            mi_option_set(MI_OPTION_PURGE_DELAY, -1);
        }
    }
}

#[cfg(test)]
mod allocator_tests {
    #[test]
    fn option_15_is_the_purge_delay_and_keeping_freed_memory_sets_it() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: as in `keep_freed_memory`.
        let get = || unsafe { super::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(get(), super::MI_PURGE_DELAY_DEFAULT, "option 15 has purge_delay's default");
        super::keep_freed_memory();
        assert_eq!(get(), -1);
    }
}

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
