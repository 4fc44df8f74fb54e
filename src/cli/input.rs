//! Opening a command's input: a path, or `-` for stdin.

use std::io::BufRead;
use std::path::{Path, PathBuf};

/// A file named on the command line cannot be opened: a usage error (exit 2), like a bad flag.
#[derive(Debug, thiserror::Error)]
#[error("cannot open `{}`", path.display())]
pub struct OpenError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// Opens `path` for reading, naming it in the error.
pub fn open_file(path: &Path) -> Result<std::fs::File, OpenError> {
    std::fs::File::open(path).map_err(|source| OpenError {
        path: path.to_path_buf(),
        source,
    })
}

/// Opens `path` (or stdin for `-`) for buffered reading.
pub fn open(path: &Path) -> Result<Box<dyn BufRead>, OpenError> {
    if path == Path::new("-") {
        return Ok(Box::new(std::io::stdin().lock()));
    }
    let file = open_file(path)?;
    Ok(Box::new(std::io::BufReader::with_capacity(1 << 20, file)))
}

/// How to name the input in messages.
pub fn label(path: &Path) -> String {
    if path == Path::new("-") {
        "<stdin>".into()
    } else {
        path.display().to_string()
    }
}
