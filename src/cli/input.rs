//! Opening a command's input: a path, or `-` for stdin.

use anyhow::Context as _;
use std::io::BufRead;
use std::path::Path;

/// Opens `path` (or stdin for `-`) for buffered reading.
pub fn open(path: &Path) -> anyhow::Result<Box<dyn BufRead>> {
    if path == Path::new("-") {
        return Ok(Box::new(std::io::stdin().lock()));
    }
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open `{}`", path.display()))?;
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
