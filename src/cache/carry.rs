//! What `odp serve` carries from one build to the next (issue 7): every dataset as the last
//! build validated it, the messages its data files' analysis gave, and its input hashes.
//!
//! A rebuild takes the datasets whose folders the load memo found unchanged from here (moved,
//! not cloned), keeps their file facts instead of looking each file up in the analysis cache
//! (whose key formats the whole resource description), and keeps their input hashes instead
//! of serialising them again. At 10,000 datasets those three were about 60% of the time from
//! saving a file to the reload.
//!
//! Why reuse is sound: a dataset is taken only for a folder the load memo found unchanged, so
//! its parse is the one the last build validated (the carry is emptied at the start of every
//! build and refilled only by a build that got through validation; a build that stops earlier
//! leaves it empty and the next one starts from the files). Its facts are kept only when the
//! code lists are equal to the last build's (the only other input of an analysis), and its
//! hashes only when its facts were kept and its freshness and history are equal too (the
//! other parts of `Input::Dataset`).

use crate::cache::fingerprint::{DatasetHashes, InputHashes};
use crate::diag::Diagnostics;
use crate::freshness::Freshness;
use crate::history::Entry;
use crate::model::{Dataset, Portal, ResourceKind};
use crate::pipeline::Job;
use crate::validate::codelist::CodeLists;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// The carry between `odp serve`'s builds; see the module docs.
#[derive(Default)]
pub struct Carry {
    /// What the last build left; taken whole by the next build's [`Carry::begin`], so a build
    /// that stops early leaves nothing behind.
    last: Option<Last>,
    /// During a build: the last build's datasets not taken (yet).
    pool: Mutex<HashMap<String, Carried>>,
    /// During a build: the code lists the last build's datasets were checked against.
    codelists: Option<CodeLists>,
    /// During a build: the last build's input hashes, jobs and their fingerprints.
    before: Option<Before>,
    /// During a build: what came with the datasets taken from `pool`.
    taken: Mutex<HashMap<String, Taken>>,
    /// During a build: the code lists are the last build's (decided once per build).
    same_codelists: OnceLock<bool>,
}

struct Last {
    datasets: HashMap<String, Carried>,
    codelists: CodeLists,
    before: Option<Before>,
}

/// A build's input hashes, its jobs and their fingerprints (in job order).
pub struct Before {
    pub hashes: InputHashes,
    pub jobs: Vec<Job>,
    pub fingerprints: Vec<String>,
}

struct Carried {
    /// Validated (file facts filled), format copies detached.
    dataset: Dataset,
    analysis: Diagnostics,
    hashes: Option<Hashed>,
}

struct Taken {
    analysis: Diagnostics,
    hashes: Option<Hashed>,
    /// Validation kept its facts (the code lists were the last build's).
    kept: bool,
}

/// A dataset's input hashes with the freshness and history they were computed with.
struct Hashed {
    freshness: Option<Freshness>,
    history: Vec<Entry>,
    hashes: DatasetHashes,
}

impl std::fmt::Debug for Carry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Carry({} datasets)", self.last.as_ref().map_or(0, |l| l.datasets.len()))
    }
}

impl Carry {
    /// Starts a build with what the last one carried.
    pub fn begin(&mut self) {
        let last = self.last.take();
        let (pool, codelists, before) = match last {
            Some(l) => (l.datasets, Some(l.codelists), l.before),
            None => (HashMap::new(), None, None),
        };
        *self.pool.get_mut().expect("carry lock") = pool;
        self.codelists = codelists;
        self.before = before;
        self.taken.get_mut().expect("carry lock").clear();
        self.same_codelists = OnceLock::new();
    }

    /// The dataset `id` as the last build validated it, if it carried it (for a folder the load
    /// memo found unchanged).
    pub fn take(&self, id: &str) -> Option<Dataset> {
        let c = self.pool.lock().expect("carry lock").remove(id)?;
        self.taken
            .lock()
            .expect("carry lock")
            .insert(id.to_string(), Taken { analysis: c.analysis, hashes: c.hashes, kept: false });
        Some(c.dataset)
    }

    /// For a taken dataset whose file facts still hold against `codelists`: the messages of
    /// their analysis (validation then keeps the facts instead of analysing again).
    pub fn analysis(&self, id: &str, codelists: &CodeLists) -> Option<Diagnostics> {
        let same = *self.same_codelists.get_or_init(|| self.codelists.as_ref().is_some_and(|c| c == codelists));
        if !same {
            return None;
        }
        let mut taken = self.taken.lock().expect("carry lock");
        let t = taken.get_mut(id)?;
        t.kept = true;
        Some(t.analysis.clone())
    }

    /// The input hashes of a dataset whose facts were kept, when its freshness and history are
    /// those they were computed with.
    pub fn hashes(&self, d: &Dataset, freshness: Option<&Freshness>, history: &[Entry]) -> Option<DatasetHashes> {
        let taken = self.taken.lock().expect("carry lock");
        let h = taken.get(&d.id).filter(|t| t.kept)?.hashes.as_ref()?;
        (h.freshness.as_ref() == freshness && h.history == history).then(|| h.hashes.clone())
    }

    /// The last build's input hashes, jobs and fingerprints, when it got as far.
    pub fn before(&self) -> Option<&Before> {
        self.before.as_ref()
    }

    /// Ends a build that got through validation: carries its datasets (moved out of `portal`)
    /// into the next. `analysis`: per dataset, in portal order, its files' messages; `before`:
    /// its input hashes, jobs and fingerprints, when the build computed them.
    pub fn end(
        &mut self,
        portal: &mut Portal,
        analysis: Vec<Diagnostics>,
        codelists: CodeLists,
        before: Option<Before>,
    ) {
        let hashes = before.as_ref().map(|b| &b.hashes);
        let datasets = std::mem::take(&mut portal.datasets);
        let mut pool = HashMap::with_capacity(datasets.len());
        for (mut dataset, analysis) in datasets.into_iter().zip(analysis) {
            // The copies are attached during execution; the next build attaches them again.
            // The kept bytes were this build's: the next reads a reused file from the disk.
            for r in &mut dataset.resources {
                if let ResourceKind::File(f) = &mut r.kind
                    && let Some(x) = &mut f.facts
                {
                    x.copies.clear();
                    x.published = Default::default();
                }
            }
            let hashes = hashes.and_then(|h| h.of_dataset(&dataset)).map(|hashes| Hashed {
                freshness: portal.timeline.of(&dataset.id).cloned(),
                history: portal.timeline.history.of(&dataset.id).to_vec(),
                hashes,
            });
            pool.insert(dataset.id.clone(), Carried { dataset, analysis, hashes });
        }
        self.last = Some(Last { datasets: pool, codelists, before });
        self.before = None;
        self.pool.get_mut().expect("carry lock").clear();
        self.taken.get_mut().expect("carry lock").clear();
    }
}
