//! A data file's bytes as published (decoded text, or the raw bytes of other formats), kept from
//! the one read validation makes (`table::analyse`), so that the build's jobs publish exactly
//! the bytes that were checked and hashed, and do not open the file again.
//!
//! Why (issue 7): each data file was opened six times in a build (hash for the cache, analysis,
//! two for the format copies, the zip, the fixed URL): 20,000 opens, reads and closes of small
//! files at 5,000 datasets. And a file saved by an editor between validation and the copy was
//! published unchecked, under the checksum of its previous bytes (`odp serve` builds while people
//! edit). Only small files are kept, within a budget for the whole process: larger ones are read
//! again, streaming, and their hash is checked as they are read ([`PublishedFile::reader`]): a
//! file changed since validation fails the build instead of being published unchecked.

use super::encoding::Encoding;
use super::table::{HashingReader, open_published};
use crate::model::FileFacts;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Files up to this size are kept (a typical table of a provincial portal is far smaller).
pub const KEEP_PER_FILE: usize = 1 << 20;

/// Bytes kept at once, all files together.
pub const KEEP_TOTAL: u64 = 64 << 20;

/// Bytes kept now, all files together.
static KEPT: AtomicU64 = AtomicU64::new(0);

/// The published bytes of one file, when they were kept; shared by the jobs that publish them.
#[derive(Clone, Default)]
pub struct Published(Option<Arc<Kept>>);

/// Bytes counted against [`KEEP_TOTAL`] until dropped.
pub struct Kept(Box<[u8]>);

impl Drop for Kept {
    fn drop(&mut self) {
        KEPT.fetch_sub(self.0.len() as u64, Ordering::Relaxed);
    }
}

impl Published {
    /// The bytes, when they were kept.
    pub fn bytes(&self) -> Option<&[u8]> {
        self.0.as_deref().map(|k| &*k.0)
    }

    /// Keeps `bytes` if the budget allows; else nothing is kept.
    fn keep(bytes: Vec<u8>) -> Published {
        let len = bytes.len() as u64;
        let reserved = KEPT
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |now| (now + len <= KEEP_TOTAL).then_some(now + len));
        match reserved {
            Ok(_) => Published(Some(Arc::new(Kept(bytes.into_boxed_slice())))),
            Err(_) => Published(None),
        }
    }

    /// A reader of the kept bytes.
    fn reader(&self) -> Option<Box<dyn Read + Send>> {
        let kept = self.0.as_ref()?;
        Some(Box::new(io::Cursor::new(SharedBytes(Arc::clone(kept)))))
    }
}

/// A data file as the build publishes it (fixed URL, zip, Excel copy): the bytes validation kept,
/// else the file read again as `table::open_published` reads it, checked against the hash
/// validation computed.
#[derive(Clone, Debug)]
pub struct PublishedFile {
    pub path: PathBuf,
    encoding: Option<Encoding>,
    kept: Published,
    sha256: String,
    /// The published size (decoded text for text formats), as validation counted it.
    pub bytes: u64,
}

impl PublishedFile {
    /// The file at `path`, which validation analysed into `facts`.
    pub fn of(path: PathBuf, facts: &FileFacts) -> PublishedFile {
        PublishedFile {
            path,
            encoding: facts.encoding,
            kept: facts.published.clone(),
            sha256: facts.sha256.clone(),
            bytes: facts.bytes,
        }
    }

    /// The kept bytes, when validation kept them.
    pub fn kept(&self) -> Option<&[u8]> {
        self.kept.bytes()
    }

    /// Reads the published bytes. When they were not kept the file is read again, and at its
    /// end the reader fails (`io::ErrorKind::InvalidData`) if the bytes are not the validated ones.
    pub fn reader(&self) -> io::Result<Box<dyn Read + Send>> {
        if let Some(kept) = self.kept.reader() {
            return Ok(kept);
        }
        let file = open_published(&self.path, self.encoding)?;
        Ok(Box::new(HashingReader::expecting(file, &self.path, &self.sha256)))
    }
}

/// Why a build stops when a data file it reads again is not the one validated.
pub fn changed_since_validation(path: &Path) -> String {
    format!(
        "`{}` changed while the site was being built: its bytes are no longer those validated; build again / tệp \
         đã thay đổi trong khi dựng trang: hãy dựng lại",
        path.display()
    )
}

/// Kept bytes as `AsRef<[u8]>`, for a `Cursor` that owns a share of them.
struct SharedBytes(Arc<Kept>);

impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0.0
    }
}

/// Not the bytes: `Debug` of a dataset is part of some cache keys and messages.
impl std::fmt::Debug for Published {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.bytes() {
            Some(b) => write!(f, "Published({} bytes kept)", b.len()),
            None => f.write_str("Published(not kept)"),
        }
    }
}

/// Gathers the bytes of one read, giving up past [`KEEP_PER_FILE`].
#[derive(Default)]
pub struct Keeper(Option<Vec<u8>>);

impl Keeper {
    pub fn new() -> Keeper {
        Keeper(Some(Vec::new()))
    }

    pub fn push(&mut self, bytes: &[u8]) {
        if let Some(buf) = &mut self.0 {
            if buf.len() + bytes.len() > KEEP_PER_FILE {
                self.0 = None;
            } else {
                buf.extend_from_slice(bytes);
            }
        }
    }

    /// What was gathered, if the file was small enough and the budget allows.
    pub fn finish(self) -> Published {
        self.0.map_or_else(Published::default, Published::keep)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_keeper_gives_up_past_the_limit_and_the_budget_comes_back_on_drop() {
        let mut small = Keeper::new();
        small.push(b"ma,ten\n");
        small.push(b"1,H\xc3\xa0 N\xe1\xbb\x99i\n");
        let kept = small.finish();
        assert_eq!(kept.bytes(), Some("ma,ten\n1,Hà Nội\n".as_bytes()));
        assert_eq!(format!("{kept:?}"), "Published(19 bytes kept)");
        let mut text = String::new();
        kept.reader().unwrap().read_to_string(&mut text).unwrap();
        assert_eq!(text, "ma,ten\n1,Hà Nội\n", "kept bytes are read without opening the file");

        let mut big = Keeper::new();
        big.push(&vec![b'a'; KEEP_PER_FILE]);
        big.push(b"one byte too many");
        let none = big.finish();
        assert!(none.bytes().is_none());
        assert_eq!(format!("{none:?}"), "Published(not kept)");
        assert!(none.reader().is_none());

        // Other tests may keep bytes meanwhile; the total never passes the budget.
        let shares: Vec<Published> = (0..KEEP_TOTAL / KEEP_PER_FILE as u64 + 2)
            .map(|_| {
                let mut k = Keeper::new();
                k.push(&vec![0; KEEP_PER_FILE]);
                k.finish()
            })
            .collect();
        let kept_now = shares.iter().filter(|p| p.bytes().is_some()).count() as u64;
        assert!(kept_now <= KEEP_TOTAL / KEEP_PER_FILE as u64);
        assert!(shares.last().unwrap().bytes().is_none(), "past the budget nothing more is kept");
        drop(shares);
        let mut again = Keeper::new();
        again.push(&vec![0; KEEP_PER_FILE]);
        assert!(again.finish().bytes().is_some(), "dropped bytes return to the budget");
    }

    #[test]
    fn a_file_read_again_must_still_be_the_one_validated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, "ma,ten\n1,A\n").unwrap();
        let facts = FileFacts {
            sha256: crate::package::sha256_hex(b"ma,ten\n1,A\n"),
            bytes: 11,
            encoding: Some(Encoding::Utf8),
            ..FileFacts::default()
        };
        let file = PublishedFile::of(path.clone(), &facts);
        let mut read = Vec::new();
        file.reader().unwrap().read_to_end(&mut read).unwrap();
        assert_eq!(read, b"ma,ten\n1,A\n");

        std::fs::write(&path, "ma,ten\n1,B\n").unwrap();
        let err = file.reader().unwrap().read_to_end(&mut Vec::new()).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert_eq!(
            err.to_string(),
            format!(
                "`{}` changed while the site was being built: its bytes are no longer those validated; build \
                 again / tệp đã thay đổi trong khi dựng trang: hãy dựng lại",
                path.display()
            )
        );
    }
}
