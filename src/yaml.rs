//! The one place that reads and writes YAML.
//!
//! `serde_yaml` is kept behind this module so the rest of the crate deals in [`YamlError`], which
//! always names the file, line and column of a problem.

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt;
use std::path::{Path, PathBuf};

/// `#[serde(with = "crate::yaml::singleton_map")]`: reads and writes enums as one-key maps
/// (`- set_flag: {...}`) rather than YAML tags (`- !set_flag {...}`), recursively.
pub use serde_yaml::with::singleton_map_recursive as singleton_map;

/// A YAML document that could not be read, with where it went wrong.
#[derive(Debug, thiserror::Error)]
pub struct YamlError {
    /// The file the text came from (or a label such as `<stdin>`).
    pub path: PathBuf,
    /// 1-based line, when the parser knows it.
    pub line: Option<usize>,
    /// 1-based column, when the parser knows it.
    pub column: Option<usize>,
    /// What was wrong.
    pub message: String,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

/// Parses `text` (read from `path`) into `T`; errors carry file, line and column.
pub fn parse<T: DeserializeOwned>(text: &str, path: &Path) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|err| {
        let location = err.location();
        YamlError {
            path: path.to_path_buf(),
            line: location.as_ref().map(|l| l.line()),
            column: location.as_ref().map(|l| l.column()),
            message: strip_location_suffix(&err.to_string()),
        }
    })
}

/// Serializes `value` as YAML.
pub fn to_string<T: Serialize>(value: &T) -> Result<String, YamlError> {
    serde_yaml::to_string(value).map_err(|err| YamlError {
        path: PathBuf::from("<output>"),
        line: None,
        column: None,
        message: err.to_string(),
    })
}

/// serde_yaml appends " at line L column C" to its messages; we print the location ourselves.
fn strip_location_suffix(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        name: String,
    }

    #[test]
    fn unknown_field_names_file_line_and_column() {
        let err = parse::<Doc>("name: a\nnmae: b\n", Path::new("x.yaml")).unwrap_err();
        assert_eq!(err.line, Some(2));
        assert_eq!(err.column, Some(1));
        let shown = err.to_string();
        assert!(
            shown.starts_with("`x.yaml`:2:1: unknown field `nmae`"),
            "{shown}"
        );
    }
}
