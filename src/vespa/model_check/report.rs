//! What a model check reports: per package, Vespa's errors and the warnings it logged, and
//! whether it would deploy; the names Vespa reserves, as the checker reads them.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::vespa_version;
use crate::report::{Report, Table};

/// A message the config model logged at WARNING or above while building a package's model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Logged {
    pub level: String,
    pub message: String,
    /// Whether it fails the package (see `ALLOWED` in ModelCheck.java for the ones that do not).
    pub fatal: bool,
    /// Why a warning does not fail the package.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_because: Option<String>,
}

/// What the config model made of one application package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageCheck {
    /// The directory, as given.
    pub app: PathBuf,
    /// The config model's own version (from its jars).
    pub vespa_version: String,
    /// No error and no fatal warning: Vespa would deploy it.
    pub passed: bool,
    /// Vespa's error messages (an exception and its causes).
    pub errors: Vec<String>,
    pub warnings: Vec<Logged>,
    pub millis: u64,
}

/// The names Vespa reserves, as the pinned config model has them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ReservedNames {
    pub vespa_version: String,
    /// Sorted.
    pub field_names: Vec<String>,
    /// Sorted.
    pub document_names: Vec<String>,
}

/// The result of checking one or more packages: what `vespa check` reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// The pinned config model ([`vespa_version`]).
    pub vespa_version: String,
    /// Every package passed.
    pub passed: bool,
    pub packages: Vec<PackageCheck>,
}

impl CheckReport {
    pub fn new(packages: Vec<PackageCheck>) -> CheckReport {
        CheckReport {
            vespa_version: vespa_version().to_string(),
            passed: packages.iter().all(|p| p.passed),
            packages,
        }
    }

    /// The packages that failed.
    pub fn failures(&self) -> impl Iterator<Item = &PackageCheck> {
        self.packages.iter().filter(|p| !p.passed)
    }
}

impl PackageCheck {
    /// The first line of the first error, or else of the first fatal warning.
    pub fn first_problem(&self) -> Option<&str> {
        let message = self.errors.first().map(String::as_str).or_else(|| {
            self.warnings
                .iter()
                .find(|w| w.fatal)
                .map(|w| w.message.as_str())
        })?;
        message.lines().next()
    }
}

impl Report for CheckReport {
    /// One row per error and fatal warning; a passed package is one row. Warnings that do not
    /// fail a package are counted there (JSON and YAML carry them with the reason).
    fn tables(&self) -> Vec<Table> {
        let mut table = Table::new(["app", "result", "message"]);
        for p in &self.packages {
            let app = p.app.display().to_string();
            if p.passed {
                let ignored = p.warnings.len();
                let note = match ignored {
                    0 => "-".to_string(),
                    1 => "1 warning ignored (`-o json` says why)".to_string(),
                    n => format!("{n} warnings ignored (`-o json` says why)"),
                };
                table.push([app, "passed".to_string(), note]);
                continue;
            }
            for error in &p.errors {
                table.push([app.as_str(), "failed", &format!("error: {error}")]);
            }
            for w in p.warnings.iter().filter(|w| w.fatal) {
                let message = format!("{}: {}", w.level.to_lowercase(), w.message);
                table.push([app.as_str(), "failed", &message]);
            }
        }
        vec![table.titled(format!("Vespa {} config model", self.vespa_version))]
    }
}
