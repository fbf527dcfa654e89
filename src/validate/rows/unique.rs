//! Owns duplicate detection for `unique` columns and the primary key in bounded memory. Each value is kept as
//! a 128-bit hash and its line. The first values go into a small open-addressing table (at most 65,536 slots of
//! 24 bytes, 1.5 MiB, so it stays in cache): a duplicate there is found at once, while the caller still has the
//! value to show. A file with more distinct values switches to appending (hash, line) to a buffer of the
//! budget's size; a full buffer is sorted and written to an anonymous temporary file as a sorted run, and at
//! the end the runs and the buffer are merged: entries of one hash come out by line, so each duplicate is
//! reported against the value's first line in the whole file (without the value, which is gone by then).
//! Runs are merged as they come, log-structured: 16 runs of one level become one run of the next level, so
//! open files and merge buffers stay bounded and each entry is rewritten only once per level.
//! Disk: 24 bytes per row and tracked column (240 MB for 10 million rows).
//!
//! Hashes: SipHash-1-3 (std's `DefaultHasher`) twice, over two different prefixes of the value, for 128 bits.
//! Two distinct values collide with probability about n²/2¹²⁹ — 10⁻²¹ for a billion rows — so a reported
//! duplicate is a real one. The keys are fixed: reports are reproducible.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::collections::binary_heap::PeekMut;
use std::fs::File;
use std::hash::{DefaultHasher, Hasher};
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};

/// Hash low, hash high, line. `[0, 0, _]` is an empty slot of the table.
type Slot = [u64; 3];

const FIRST_SLOTS: usize = 1024;
/// The table's largest size; past it, values are appended and sorted instead.
pub(crate) const TABLE_SLOTS: usize = 1 << 16;
/// Runs of one level are merged into one run of the next level when there are this many.
const RUNS_PER_LEVEL: usize = 16;
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
    table: Vec<Slot>,
    len: usize,
    table_max: usize,
    /// Append mode (set once the table is full): entries since the last run.
    appending: bool,
    buffer: Vec<Slot>,
    buffer_max: usize,
    /// Sorted runs on disk with their level (0 = one buffer), oldest first.
    runs: Vec<(u32, File)>,
}

fn split(hash: u128) -> (u64, u64) {
    let (lo, hi) = (hash as u64, (hash >> 64) as u64);
    // (0, 0) marks an empty slot; the one hash that equals it is moved (a 2⁻¹²⁸ event).
    if lo == 0 && hi == 0 { (1, 0) } else { (lo, hi) }
}

fn by_hash_then_line(s: &Slot) -> (u64, u64, u64) {
    (s[1], s[0], s[2])
}

impl DupTracker {
    /// A tracker using about `bytes` of memory: the table (at most `TABLE_SLOTS`), then a buffer of
    /// `bytes / 24` entries.
    pub fn new(bytes: usize) -> Self {
        DupTracker {
            table: Vec::new(),
            len: 0,
            table_max: TABLE_SLOTS.min(slots_for(bytes)),
            appending: false,
            buffer: Vec::new(),
            buffer_max: (bytes / BYTES_PER_SLOT).max(16),
            runs: Vec::new(),
        }
    }

    /// Records `hash` seen at `line`. Returns the line of its first occurrence when the table finds it; later
    /// duplicates are reported by `finish`.
    pub fn insert(&mut self, hash: u128, line: u64) -> Option<u64> {
        let (lo, hi) = split(hash);
        if self.appending {
            self.buffer.push([lo, hi, line]);
            if self.buffer.len() >= self.buffer_max {
                self.spill();
            }
            return None;
        }
        if self.table.is_empty() {
            self.table = vec![[0; 3]; FIRST_SLOTS.min(self.table_max)];
        }
        let mask = self.table.len() - 1;
        let mut i = lo as usize & mask;
        loop {
            let s = self.table[i];
            if s[0] == 0 && s[1] == 0 {
                break;
            }
            if s[0] == lo && s[1] == hi {
                return Some(s[2]);
            }
            i = (i + 1) & mask;
        }
        if (self.len + 1) * 4 <= self.table.len() * 3 {
            self.table[i] = [lo, hi, line];
            self.len += 1;
        } else if self.table.len() < self.table_max {
            self.resize(self.table.len() * 2);
            self.put([lo, hi, line]);
        } else {
            // Switch to appending; the table's entries (first occurrences) go first.
            self.appending = true;
            self.buffer = Vec::with_capacity(self.buffer_max);
            self.buffer.extend(std::mem::take(&mut self.table).into_iter().filter(|s| s[0] != 0 || s[1] != 0));
            self.buffer.push([lo, hi, line]);
            if self.buffer.len() >= self.buffer_max {
                self.spill();
            }
        }
        None
    }

    /// Puts an entry known to be absent into the table.
    fn put(&mut self, slot: Slot) {
        let mask = self.table.len() - 1;
        let mut i = slot[0] as usize & mask;
        while self.table[i][0] != 0 || self.table[i][1] != 0 {
            i = (i + 1) & mask;
        }
        self.table[i] = slot;
        self.len += 1;
    }

    fn resize(&mut self, slots: usize) {
        let old = std::mem::replace(&mut self.table, vec![[0; 3]; slots]);
        self.len = 0;
        for s in old.into_iter().filter(|s| s[0] != 0 || s[1] != 0) {
            self.put(s);
        }
    }

    /// Writes the buffer, sorted, as a run. If the disk fails the buffer grows past its budget instead:
    /// memory is the lesser evil next to a missed duplicate.
    fn spill(&mut self) {
        self.buffer.sort_unstable_by_key(by_hash_then_line);
        let written = tempfile::tempfile().and_then(|file| {
            let mut w = BufWriter::with_capacity(1 << 16, file);
            for s in &self.buffer {
                write_slot(&mut w, s)?;
            }
            w.into_inner().map_err(|e| e.into_error())
        });
        match written {
            Ok(file) => {
                self.runs.push((0, file));
                self.buffer.clear();
                self.compact();
            }
            Err(_) => self.buffer_max *= 2,
        }
    }

    /// While the newest `RUNS_PER_LEVEL` runs share a level, merges them into one run of the next level
    /// (keeping every entry: duplicates are reported by the final merge).
    fn compact(&mut self) {
        while self.runs.len() >= RUNS_PER_LEVEL {
            let first = self.runs.len() - RUNS_PER_LEVEL;
            let level = self.runs[first].0;
            if self.runs[first..].iter().any(|(l, _)| *l != level) {
                return;
            }
            let merged = tempfile::tempfile().and_then(|file| {
                let mut sources = Vec::new();
                for (_, run) in &mut self.runs[first..] {
                    sources.push(Source::file(run, 1 << 16)?);
                }
                let mut w = BufWriter::with_capacity(1 << 16, file);
                merge(sources, &mut |s| write_slot(&mut w, s))?;
                w.into_inner().map_err(|e| e.into_error())
            });
            match merged {
                Ok(file) => {
                    self.runs.truncate(first);
                    self.runs.push((level + 1, file));
                }
                // The runs stay as they are: more open files, nothing lost.
                Err(_) => return,
            }
        }
    }

    /// The levels of the runs on disk, oldest first.
    #[cfg(test)]
    pub fn levels(&self) -> Vec<u32> {
        self.runs.iter().map(|(l, _)| *l).collect()
    }

    /// Merges the runs with the buffer and reports each duplicate not reported yet as `on_dup(line,
    /// first_line)`, the first line being the value's earliest in the file.
    pub fn finish(mut self, on_dup: &mut dyn FnMut(u64, u64)) {
        if !self.appending {
            return;
        }
        self.buffer.sort_unstable_by_key(by_hash_then_line);
        let mut runs = std::mem::take(&mut self.runs);
        let buffer = ((16 << 20) / (runs.len() + 1)).clamp(4 << 10, 1 << 16);
        let mut sources = Vec::new();
        for (_, run) in &mut runs {
            // A run that cannot be re-read is skipped: its duplicates go unreported rather than invented.
            if let Ok(source) = Source::file(run, buffer) {
                sources.push(source);
            }
        }
        sources.push(Source { inner: Inner::Mem(self.buffer.iter()) });
        let mut current: Option<(u64, u64, u64)> = None;
        let _ = merge(sources, &mut |s| {
            match current {
                Some((lo, hi, first)) if lo == s[0] && hi == s[1] => on_dup(s[2], first),
                _ => current = Some((s[0], s[1], s[2])),
            }
            Ok(())
        });
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
    fn file(run: &'a mut File, buffer: usize) -> io::Result<Self> {
        run.rewind()?;
        Ok(Source { inner: Inner::File(BufReader::with_capacity(buffer, run)) })
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

/// K-way merge of sorted runs: every entry, by (hash, line), to `out`.
fn merge(mut sources: Vec<Source<'_>>, out: &mut dyn FnMut(&Slot) -> io::Result<()>) -> io::Result<()> {
    let mut heap = BinaryHeap::with_capacity(sources.len());
    for (i, src) in sources.iter_mut().enumerate() {
        if let Some(s) = src.next()? {
            heap.push(Reverse((s[1], s[0], s[2], i)));
        }
    }
    while let Some(mut top) = heap.peek_mut() {
        let Reverse((hi, lo, line, i)) = *top;
        out(&[lo, hi, line])?;
        match sources[i].next()? {
            Some(s) => *top = Reverse((s[1], s[0], s[2], i)),
            None => {
                PeekMut::pop(top);
            }
        }
    }
    Ok(())
}
