//! Writing generated files (schemas, the Vespa package) and checking committed copies are fresh.

use std::path::{Path, PathBuf};

/// Environment variable that makes freshness tests rewrite the committed files.
pub const UPDATE_SNAPSHOTS_ENV: &str = "OFFICECTL_UPDATE_SNAPSHOTS";

/// Writes `(relative path, content)` pairs under `dir`, creating directories.
pub fn write_files(dir: &Path, files: &[(String, String)]) -> std::io::Result<Vec<PathBuf>> {
    let mut written = Vec::with_capacity(files.len());
    for (name, content) in files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, content)?;
        written.push(path);
    }
    Ok(written)
}

/// Lists files under `dir`, relative, with `/` separators, sorted.
#[cfg(test)]
fn list_files(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(base, &path, out);
            } else if let Ok(rel) = path.strip_prefix(base) {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Panics with the list of stale, missing and extra files unless `dir` holds exactly `files`.
/// With `OFFICECTL_UPDATE_SNAPSHOTS=1` it rewrites the directory instead.
#[cfg(test)]
pub fn assert_fresh(dir: &Path, files: &[(String, String)]) {
    if std::env::var(UPDATE_SNAPSHOTS_ENV).is_ok_and(|v| v == "1") {
        let _ = std::fs::remove_dir_all(dir);
        if let Err(err) = write_files(dir, files) {
            panic!("cannot write {}: {err}", dir.display());
        }
        return;
    }
    let mut problems = Vec::new();
    for (name, content) in files {
        match std::fs::read_to_string(dir.join(name)) {
            Ok(committed) if &committed == content => {}
            Ok(_) => problems.push(format!("stale: {name}")),
            Err(_) => problems.push(format!("missing: {name}")),
        }
    }
    for existing in list_files(dir) {
        if !files.iter().any(|(name, _)| *name == existing) {
            problems.push(format!("extra: {existing}"));
        }
    }
    assert!(
        problems.is_empty(),
        "{} is not fresh ({}); regenerate with {UPDATE_SNAPSHOTS_ENV}=1 cargo test --lib",
        dir.display(),
        problems.join(", ")
    );
}
