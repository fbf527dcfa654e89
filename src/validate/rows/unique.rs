//! Owns duplicate detection for `unique` columns and the primary key in bounded memory. Each value is kept as
//! a 128-bit hash and its line in an open-addressing table (24 bytes a slot, load ≤ 3/4), doubling from 1,024
//! slots up to a budget. A full table is sorted in place and written to an anonymous temporary file as a
//! sorted run, then cleared; at the end the runs and the table are merged, and equal hashes in different runs
//! are duplicates. More than 64 runs are merged into one as they come, so open files and merge buffers stay
//! bounded too. Duplicates inside the table are found at once (the caller still has the value to show);
//! duplicates across runs are found by the merge, with both line numbers but without the value.
//!
//! Hashes: SipHash-1-3 (std's `DefaultHasher`) twice, over two different prefixes of the value, for 128 bits.
//! Two distinct values collide with probability about n²/2¹²⁹ — 10⁻²³ for a billion rows — so a reported
//! duplicate is a real one. The keys are fixed: reports are reproducible.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::hash::{DefaultHasher, Hasher};
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};

/// Hash low, hash high, line. `[0, 0, _]` is an empty slot.
type Slot = [u64; 3];

const FIRST_SLOTS: usize = 1024;
/// Runs are merged into one when there are this many.
const MAX_RUNS: usize = 64;
const BYTES_PER_SLOT: usize = std::mem::size_of::<Slot>();

/// The largest table (a power of two, at least 8 slots) whose growth — old and new table side by side — stays
/// within `bytes`.
pub(crate) fn slots_for(bytes: usize) -> usize {
    let max = bytes / (BYTES_PER_SLOT * 3 / 2);
    if max < 16 { 8 } else { 1 << (usize::BITS - 1 - max.leading_zeros()) }
}

/// A 128-bit hasher: two SipHash-1-3 states fed the same bytes after different prefixes.
#[derive(Clone)]
pub(crate) struct Hash128 {
    a: DefaultHasher,
    b: DefaultHasher,
}

impl Hash128 {
    pub fn new() -> Self {
        let mut b = DefaultHasher::new();
        b.write_u8(0x5a);
        Hash128 { a: DefaultHasher::new(), b }
    }

    pub fn finish128(&self) -> u128 {
        (u128::from(self.b.finish()) << 64) | u128::from(self.a.finish())
    }
}

impl Hasher for Hash128 {
    fn write(&mut self, bytes: &[u8]) {
        self.a.write(bytes);
        self.b.write(bytes);
    }
    fn finish(&self) -> u64 {
        self.a.finish()
    }
}

/// The set of values seen in one column (or key) so far.
pub(crate) struct DupTracker {
    slots: Vec<Slot>,
    len: usize,
    max_slots: usize,
    runs: Vec<File>,
}

fn split(hash: u128) -> (u64, u64) {
    let (lo, hi) = (hash as u64, (hash >> 64) as u64);
    // (0, 0) marks an empty slot; the one hash that equals it is moved (a 2⁻¹²⁸ event).
    if lo == 0 && hi == 0 { (1, 0) } else { (lo, hi) }
}

impl DupTracker {
    /// `max_slots`: the table's budget, a power of two (see `slots_for`).
    pub fn new(max_slots: usize) -> Self {
        DupTracker { slots: Vec::new(), len: 0, max_slots: max_slots.max(8), runs: Vec::new() }
    }

    /// Records `hash` seen at `line`. Returns the line of its first occurrence when that is still in memory.
    /// Duplicates found while compacting runs are reported to `on_dup(line, first_line)`.
    pub fn insert(&mut self, hash: u128, line: u64, on_dup: &mut dyn FnMut(u64, u64)) -> Option<u64> {
        let (lo, hi) = split(hash);
        if self.slots.is_empty() {
            self.slots = vec![[0; 3]; FIRST_SLOTS.min(self.max_slots)];
        }
        let mask = self.slots.len() - 1;
        let mut i = lo as usize & mask;
        loop {
            let s = self.slots[i];
            if s[0] == 0 && s[1] == 0 {
                break;
            }
            if s[0] == lo && s[1] == hi {
                return Some(s[2]);
            }
            i = (i + 1) & mask;
        }
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            if self.slots.len() < self.max_slots {
                self.resize(self.slots.len() * 2);
            } else {
                self.spill(on_dup);
            }
            self.put([lo, hi, line]);
        } else {
            self.slots[i] = [lo, hi, line];
            self.len += 1;
        }
        None
    }

    /// Puts an entry known to be absent.
    fn put(&mut self, slot: Slot) {
        let mask = self.slots.len() - 1;
        let mut i = slot[0] as usize & mask;
        while self.slots[i][0] != 0 || self.slots[i][1] != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = slot;
        self.len += 1;
    }

    fn resize(&mut self, slots: usize) {
        let old = std::mem::replace(&mut self.slots, vec![[0; 3]; slots]);
        self.len = 0;
        for s in old.into_iter().filter(|s| s[0] != 0 || s[1] != 0) {
            self.put(s);
        }
    }

    /// Sorts the table in place (empty slots first) by hash.
    fn sort(&mut self) -> &[Slot] {
        self.slots.sort_unstable_by_key(|s| (s[1], s[0]));
        let empty = self.slots.len() - self.len;
        &self.slots[empty..]
    }

    /// Writes the table as a sorted run and clears it. If the disk fails, the table grows past its budget
    /// instead: memory is the lesser evil next to a missed duplicate.
    fn spill(&mut self, on_dup: &mut dyn FnMut(u64, u64)) {
        let written = tempfile::tempfile().and_then(|file| {
            let mut w = BufWriter::with_capacity(1 << 16, file);
            for s in self.sort() {
                write_slot(&mut w, s)?;
            }
            w.into_inner().map_err(|e| e.into_error())
        });
        match written {
            Ok(file) => {
                self.runs.push(file);
                self.slots.fill([0; 3]);
                self.len = 0;
                if self.runs.len() >= MAX_RUNS {
                    self.compact(on_dup);
                }
            }
            Err(_) => {
                self.max_slots *= 2;
                let n = self.slots.len() * 2;
                self.resize(n);
            }
        }
    }

    /// Merges all runs into one, reporting the duplicates found between them.
    fn compact(&mut self, on_dup: &mut dyn FnMut(u64, u64)) {
        let merged = tempfile::tempfile().and_then(|file| {
            let mut sources = Vec::new();
            for run in &mut self.runs {
                sources.push(Source::file(run)?);
            }
            let mut w = BufWriter::with_capacity(1 << 16, file);
            merge(sources, Some(&mut w), on_dup)?;
            w.into_inner().map_err(|e| e.into_error())
        });
        // On failure the runs stay as they are (more open files, nothing lost).
        if let Ok(file) = merged {
            self.runs = vec![file];
        }
    }

    /// Merges the runs with what is in memory and reports every duplicate not reported yet.
    pub fn finish(mut self, on_dup: &mut dyn FnMut(u64, u64)) {
        if self.runs.is_empty() {
            return;
        }
        let mut runs = std::mem::take(&mut self.runs);
        let buffer = ((16 << 20) / (runs.len() + 1)).clamp(4 << 10, 1 << 16);
        let mut sources = Vec::new();
        for run in &mut runs {
            // A run that cannot be re-read is skipped: its duplicates go unreported rather than invented.
            if run.rewind().is_ok() {
                sources.push(Source { inner: Inner::File(BufReader::with_capacity(buffer, run)) });
            }
        }
        let table = self.sort();
        sources.push(Source { inner: Inner::Mem(table.iter()) });
        let _ = merge(sources, None, on_dup);
    }
}

fn write_slot(w: &mut impl Write, s: &Slot) -> io::Result<()> {
    let mut b = [0u8; BYTES_PER_SLOT];
    for (chunk, v) in b.chunks_exact_mut(8).zip(s) {
        chunk.copy_from_slice(&v.to_le_bytes());
    }
    w.write_all(&b)
}

struct Source<'a> {
    inner: Inner<'a>,
}

enum Inner<'a> {
    File(BufReader<&'a mut File>),
    Mem(std::slice::Iter<'a, Slot>),
}

impl<'a> Source<'a> {
    fn file(run: &'a mut File) -> io::Result<Self> {
        run.rewind()?;
        Ok(Source { inner: Inner::File(BufReader::with_capacity(1 << 16, run)) })
    }

    fn next(&mut self) -> io::Result<Option<Slot>> {
        match &mut self.inner {
            Inner::Mem(it) => Ok(it.next().copied()),
            Inner::File(r) => {
                let mut b = [0u8; BYTES_PER_SLOT];
                match r.read_exact(&mut b) {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
                    Err(e) => return Err(e),
                }
                let word = |i: usize| u64::from_le_bytes(b[i * 8..i * 8 + 8].try_into().unwrap_or_default());
                Ok(Some([word(0), word(1), word(2)]))
            }
        }
    }
}

/// K-way merge of sorted runs (each free of duplicates). Entries of one hash come out by line, so the first is
/// the earliest occurrence; every later one is reported as its duplicate. `out` receives the deduplicated run.
fn merge(
    mut sources: Vec<Source<'_>>,
    mut out: Option<&mut BufWriter<File>>,
    on_dup: &mut dyn FnMut(u64, u64),
) -> io::Result<()> {
    let mut heap = BinaryHeap::with_capacity(sources.len());
    for (i, src) in sources.iter_mut().enumerate() {
        if let Some(s) = src.next()? {
            heap.push(Reverse((s[1], s[0], s[2], i)));
        }
    }
    let mut current: Option<(u64, u64, u64)> = None;
    while let Some(Reverse((hi, lo, line, i))) = heap.pop() {
        if let Some(s) = sources[i].next()? {
            heap.push(Reverse((s[1], s[0], s[2], i)));
        }
        match current {
            Some((h, l, first)) if h == hi && l == lo => on_dup(line, first),
            _ => {
                current = Some((hi, lo, line));
                if let Some(w) = out.as_deref_mut() {
                    write_slot(w, &[lo, hi, line])?;
                }
            }
        }
    }
    Ok(())
}
