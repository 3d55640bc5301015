//! Writing the generated files, checking them for drift, and removing orphans.
//!
//! The generator owns exactly the files whose first line carries
//! [`GENERATED_MARKER`](crate::emit::GENERATED_MARKER); it never touches any other file.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::emit::{GENERATED_MARKER, GeneratedFile};

/// How the files on disk differ from what the spec generates.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Drift {
    /// Generated files whose content differs.
    pub stale: Vec<String>,
    /// Generated files that do not exist.
    pub missing: Vec<String>,
    /// Files with the marker that no spec generates any more.
    pub orphaned: Vec<String>,
    /// Files the generator would write but that lack the marker (hand-written).
    pub foreign: Vec<String>,
}

impl Drift {
    pub fn is_clean(&self) -> bool {
        self.stale.is_empty()
            && self.missing.is_empty()
            && self.orphaned.is_empty()
            && self.foreign.is_empty()
    }

    /// One line per differing file.
    pub fn report(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for (what, files) in [
            ("stale", &self.stale),
            ("missing", &self.missing),
            ("orphaned", &self.orphaned),
            (
                "hand-written file in the way of a generated one",
                &self.foreign,
            ),
        ] {
            lines.extend(files.iter().map(|f| format!("{what}: {f}")));
        }
        lines
    }
}

/// Compares `files` with the disk under `repo_root`; `dirs` are the generated crates'
/// folders, searched for orphans.
pub fn drift(repo_root: &Path, files: &[GeneratedFile], dirs: &[String]) -> io::Result<Drift> {
    let mut drift = Drift::default();
    for file in files {
        match fs::read_to_string(repo_root.join(&file.path)) {
            Ok(existing) if !is_generated(&existing) => drift.foreign.push(file.path.clone()),
            Ok(existing) if existing != file.contents => drift.stale.push(file.path.clone()),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => drift.missing.push(file.path.clone()),
            Err(e) => return Err(e),
        }
    }
    for dir in dirs {
        for path in walk(&repo_root.join(dir))? {
            let rel = path
                .strip_prefix(repo_root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            if files.iter().any(|f| f.path == rel) {
                continue;
            }
            if fs::read_to_string(&path).is_ok_and(|text| is_generated(&text)) {
                drift.orphaned.push(rel);
            }
        }
    }
    drift.orphaned.sort();
    Ok(drift)
}

/// Brings the disk in line with `files`: writes stale and missing files, deletes orphans.
/// Refuses (before writing anything) when a hand-written file is in the way.
pub fn apply(repo_root: &Path, files: &[GeneratedFile], drift: &Drift) -> io::Result<()> {
    if !drift.foreign.is_empty() {
        return Err(io::Error::other(format!(
            "refusing to overwrite files that lack the `{GENERATED_MARKER}` header: {}",
            drift.foreign.join(", ")
        )));
    }
    for file in files
        .iter()
        .filter(|f| drift.stale.contains(&f.path) || drift.missing.contains(&f.path))
    {
        let path = repo_root.join(&file.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, &file.contents)?;
    }
    for orphan in &drift.orphaned {
        fs::remove_file(repo_root.join(orphan))?;
    }
    Ok(())
}

/// Whether a file's first line carries the generator's marker.
pub fn is_generated(text: &str) -> bool {
    text.lines()
        .next()
        .is_some_and(|line| line.contains(GENERATED_MARKER))
}

fn walk(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            out.extend(walk(&path)?);
        } else {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}
