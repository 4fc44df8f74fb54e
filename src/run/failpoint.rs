//! Test-only failure injection, one grammar for every command: `OFFICECTL_FAILPOINT` holds
//! `NAME:ARG[,NAME:ARG...]`. The pipelines' [`Site`]s take a count (`backfill-after-batch:3`:
//! act when the 3rd batch passes); `migrate apply` names a plan step and `before` or `after`.
//!
//! The sites are what the crash and interrupt tests need: abort like a killed process right
//! after the `N`th unit's side effect and before its checkpoint is written, or stop as Ctrl-C
//! would once it is written. Production code never sets them; a run is handed a
//! [`Failpoints`] (empty unless a test asked) and asks it at the sites.

use std::fmt;
use std::str::FromStr;

/// Where a run can be made to fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Site {
    /// `backfill-after-batch`: abort once N batches are acknowledged, the Nth's checkpoint
    /// unwritten.
    BackfillAfterBatch,
    /// `reindex-abort-after-units`: abort when the Nth re-feed unit settles, before its
    /// checkpoint is written.
    ReindexAbortAfterUnits,
    /// `reindex-interrupt-after-units`: stop as on Ctrl-C once the Nth unit's checkpoint is
    /// written.
    ReindexInterruptAfterUnits,
    /// `contacts-rebuild-abort-after-checkpoints`: abort once the Nth checkpoint is written.
    ContactsRebuildAbortAfterCheckpoints,
}

impl Site {
    pub fn name(self) -> &'static str {
        match self {
            Site::BackfillAfterBatch => "backfill-after-batch",
            Site::ReindexAbortAfterUnits => "reindex-abort-after-units",
            Site::ReindexInterruptAfterUnits => "reindex-interrupt-after-units",
            Site::ContactsRebuildAbortAfterCheckpoints => {
                "contacts-rebuild-abort-after-checkpoints"
            }
        }
    }
}

/// The failpoints a run was given: `(name, argument)` pairs in the order written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Failpoints(Vec<(String, String)>);

/// `OFFICECTL_FAILPOINT` is not `NAME:ARG[,NAME:ARG...]`, or names a site this command does not
/// have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`OFFICECTL_FAILPOINT` must be {expected}, not `{value}`")]
pub struct FailpointError {
    pub value: String,
    pub expected: String,
}

impl FromStr for Failpoints {
    type Err = FailpointError;

    fn from_str(value: &str) -> Result<Failpoints, FailpointError> {
        let mut points = Vec::new();
        for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, arg) = part.split_once(':').ok_or_else(|| FailpointError {
                value: value.to_string(),
                expected: "`NAME:ARG[,NAME:ARG...]`".into(),
            })?;
            points.push((name.to_string(), arg.to_string()));
        }
        Ok(Failpoints(points))
    }
}

impl fmt::Display for Failpoints {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|(n, a)| format!("{n}:{a}")).collect();
        f.write_str(&parts.join(","))
    }
}

impl Failpoints {
    /// None set.
    pub fn none() -> Failpoints {
        Failpoints::default()
    }

    /// Keeps these failpoints only if every one is one of `sites` with a count; a command
    /// calls this with the sites it has, so a typo fails the test instead of being ignored.
    pub fn only(self, sites: &[Site]) -> Result<Failpoints, FailpointError> {
        let valid = self.0.iter().all(|(name, arg)| {
            sites.iter().any(|s| s.name() == name) && arg.parse::<u64>().is_ok()
        });
        if valid {
            Ok(self)
        } else {
            let names: Vec<String> = sites.iter().map(|s| format!("`{}:N`", s.name())).collect();
            Err(FailpointError {
                value: self.to_string(),
                expected: names.join(" or "),
            })
        }
    }

    /// Whether the `count`th pass of `site` is where the run was told to fail.
    pub fn hit(&self, site: Site, count: u64) -> bool {
        self.0
            .iter()
            .any(|(name, arg)| name == site.name() && arg.parse() == Ok(count))
    }

    /// The argument given to `name` (for sites named by the run itself, e.g. a plan's steps).
    pub fn arg(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, a)| a.as_str())
    }
}

/// Ends the process like a crash (no destructors, no flushing): what a `kill -9` would do to a
/// run at this point.
pub fn crash() -> ! {
    std::process::abort()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grammar_reads_sites_and_arguments() {
        let points: Failpoints = "backfill-after-batch:3".parse().unwrap();
        let points = points.only(&[Site::BackfillAfterBatch]).unwrap();
        assert!(points.hit(Site::BackfillAfterBatch, 3));
        assert!(!points.hit(Site::BackfillAfterBatch, 2));
        let both: Failpoints = "reindex-abort-after-units:1, reindex-interrupt-after-units:2"
            .parse()
            .unwrap();
        assert_eq!(
            both.to_string(),
            "reindex-abort-after-units:1,reindex-interrupt-after-units:2"
        );
        let err = both
            .only(&[Site::BackfillAfterBatch])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`backfill-after-batch:N`") && err.contains("reindex-abort"),
            "{err}"
        );
        let step: Failpoints = "publish-dual:after".parse().unwrap();
        assert_eq!(step.arg("publish-dual"), Some("after"));
        assert!("no-colon".parse::<Failpoints>().is_err());
        assert_eq!("".parse::<Failpoints>().unwrap(), Failpoints::none());
    }
}
