//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use utx::{Entry, Options, Reader};

/// A folder of the shared corpus, or None (with a clear message) when
/// `../shared` is not beside the repository.
pub fn corpus(rel: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(rel);
    if dir.exists() {
        Some(dir)
    } else {
        eprintln!(
            "SKIP: {} not found (../shared/corpus is absent); corpus test not run",
            dir.display()
        );
        None
    }
}

/// Every entry of a file, forward, format detected.
pub fn entries(path: &Path) -> Vec<Entry> {
    read_all(path, Options::default())
}

/// Every entry of a file, newest first.
pub fn entries_rev(path: &Path) -> Vec<Entry> {
    read_all(
        path,
        Options {
            reverse: true,
            ..Options::default()
        },
    )
}

pub fn read_all(path: &Path, opts: Options) -> Vec<Entry> {
    let reader = Reader::open(path, opts).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    reader.map(|e| e.unwrap()).collect()
}

/// A fresh temporary directory, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("utx-test-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
