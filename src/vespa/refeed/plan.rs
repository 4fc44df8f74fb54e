//! What a re-feed is asked to do, decided before anything is read: which [`Mode`] the flags
//! name, which data types `--type` means, the checkpoint identity of the run, and whether a
//! checkpoint found can be resumed by it (same slices, same file). Every refusal is a
//! [`PlanError`]: a usage error the operator fixes on the command line.

use std::path::{Path, PathBuf};

use crate::model::catalog::DataType;
use crate::model::vespa::schema::CONTENT_CLUSTER;
use crate::pubsub::names;
use crate::vespa::checkpoint::{self, Checkpoint, FilePosition, Position, RunIdentity};

use super::{file, from_vespa};

/// What is re-fed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// The documents of one content cluster, visited.
    Visit { cluster: String },
    /// Events from a file.
    File(PathBuf),
    /// Events from stdin.
    Stdin,
    /// Events from a subscription (full name).
    Pubsub(String),
}

/// A re-feed the command line cannot ask for, or a checkpoint it cannot resume.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("`--from-vespa` visits one content cluster; more than one `--cluster` given")]
    SeveralClusters,
    #[error("`--cluster` applies to `--native` and `--from-vespa`, not to `--source`")]
    ClusterWithSource,
    #[error("`--type {name}` is not a document type of the model")]
    UnknownType { name: String },
    #[error("`--resume` and `--restart` do not apply here: {why}")]
    NoCheckpointHere { why: &'static str },
    #[error("the checkpoint `{key}` is not a {expected}'s")]
    OtherKind { key: String, expected: &'static str },
    #[error("the checkpoint `{key}` was made with `--slices {saved}`, not {asked}")]
    OtherSlices { key: String, saved: u32, asked: u32 },
    #[error("cannot resume `{key}`: {why}")]
    OtherVisit { key: String, why: String },
    #[error("cannot resume the re-feed of `{label}` from its checkpoint `{key}`: {why}")]
    FileChanged {
        key: String,
        label: String,
        why: String,
    },
}

impl Mode {
    /// The mode the flags name: `--from-vespa` (with at most one `--cluster`), or `--source`
    /// (`pubsub:SUB`, `-`, or a file).
    pub fn from_flags(
        from_vespa: bool,
        clusters: &[String],
        source: Option<&str>,
        project: impl FnOnce() -> Option<String>,
    ) -> Result<Mode, PlanError> {
        if from_vespa {
            return match clusters {
                [] => Ok(Mode::Visit {
                    cluster: CONTENT_CLUSTER.to_string(),
                }),
                [one] => Ok(Mode::Visit {
                    cluster: one.clone(),
                }),
                _ => Err(PlanError::SeveralClusters),
            };
        }
        if !clusters.is_empty() {
            return Err(PlanError::ClusterWithSource);
        }
        let source = source.unwrap_or("-");
        if let Some(name) = source.strip_prefix("pubsub:") {
            let full = if name.starts_with("projects/") {
                name.to_string()
            } else {
                names::subscription(&project().unwrap_or_default(), name)
            };
            return Ok(Mode::Pubsub(full));
        }
        if source == "-" {
            return Ok(Mode::Stdin);
        }
        Ok(Mode::File(PathBuf::from(source)))
    }

    /// The name reports use (`visit`, `file`, `stdin`, `pubsub`).
    pub fn name(&self) -> &'static str {
        match self {
            Mode::Visit { .. } => "visit",
            Mode::File(_) => "file",
            Mode::Stdin => "stdin",
            Mode::Pubsub(_) => "pubsub",
        }
    }

    /// Whether runs of this mode keep a checkpoint in Redis: a visit and a file can be
    /// continued; stdin cannot be read again, and a subscription's acknowledgements are its
    /// progress.
    pub fn checkpointed(&self) -> bool {
        matches!(self, Mode::Visit { .. } | Mode::File(_))
    }

    /// Refuses `--resume`/`--restart` where there is no checkpoint to act on.
    pub fn check_resume_flags(&self, resume: bool, restart: bool) -> Result<(), PlanError> {
        if self.checkpointed() || !(resume || restart) {
            return Ok(());
        }
        Err(PlanError::NoCheckpointHere {
            why: match self {
                Mode::Pubsub(_) => {
                    "a `pubsub:` source keeps no checkpoint: messages not acknowledged are delivered again"
                }
                _ => {
                    "stdin cannot be read again from where a run stopped, so it keeps no checkpoint"
                }
            },
        })
    }

    /// How reports name what was re-fed.
    pub fn source_name(&self) -> String {
        match self {
            Mode::Visit { cluster } => cluster.clone(),
            Mode::File(path) => path.display().to_string(),
            Mode::Stdin => "<stdin>".into(),
            Mode::Pubsub(name) => name.clone(),
        }
    }

    /// The checkpoint identity of a run of this mode over `users` and `types`; `None` for the
    /// modes without checkpoints. A file is named by its absolute path, so the same file
    /// reached another way resumes the same checkpoint.
    pub fn identity(
        &self,
        users: &[String],
        types: &[DataType],
    ) -> std::io::Result<Option<RunIdentity>> {
        let type_names: Vec<String> = types.iter().map(|t| t.vespa_type().to_string()).collect();
        Ok(match self {
            Mode::Visit { cluster } => Some(RunIdentity::new(
                checkpoint::Mode::Visit,
                cluster.clone(),
                users,
                &type_names,
            )),
            Mode::File(path) => Some(RunIdentity::new(
                checkpoint::Mode::File,
                std::fs::canonicalize(path)?.display().to_string(),
                users,
                &type_names,
            )),
            Mode::Stdin | Mode::Pubsub(_) => None,
        })
    }
}

/// `--type` names as data types: the Vespa document type (`office_document`) or the model's
/// name (`document`); sorted, without repeats.
pub fn data_types(names: &[String]) -> Result<Vec<DataType>, PlanError> {
    let mut types = Vec::new();
    for name in names {
        let t = DataType::from_vespa_type(name)
            .or_else(|| DataType::from_doc_type(name))
            .ok_or_else(|| PlanError::UnknownType { name: name.clone() })?;
        if !types.contains(&t) {
            types.push(t);
        }
    }
    types.sort();
    Ok(types)
}

/// Where a resumed visit goes on: the checkpoint's slices, if they belong to this visit.
pub fn resumed_streams(
    c: &Checkpoint,
    slices: u32,
    fresh: &[checkpoint::SlicePosition],
) -> Result<Vec<checkpoint::SlicePosition>, PlanError> {
    let key = c.identity.key();
    let Position::Visit {
        slices: saved,
        streams,
    } = &c.position
    else {
        return Err(PlanError::OtherKind {
            key,
            expected: "visit",
        });
    };
    if *saved != slices {
        return Err(PlanError::OtherSlices {
            key,
            saved: *saved,
            asked: slices,
        });
    }
    from_vespa::check_same_visit(streams, fresh).map_err(|why| PlanError::OtherVisit {
        key: key.clone(),
        why,
    })?;
    Ok(streams.clone())
}

/// Where a resumed file re-feed goes on: the checkpoint's position, if the file did not change.
pub fn resumed_file(
    c: &Checkpoint,
    now: &FilePosition,
    label: &str,
) -> Result<FilePosition, PlanError> {
    let key = c.identity.key();
    let Position::File(saved) = &c.position else {
        return Err(PlanError::OtherKind {
            key,
            expected: "file",
        });
    };
    file::check_unchanged(saved, now).map_err(|why| PlanError::FileChanged {
        key: key.clone(),
        label: label.to_string(),
        why,
    })?;
    Ok(saved.clone())
}

/// Users and types in words, for the line a run starts with.
pub fn describe_selection(users: &[String], types: &[DataType]) -> String {
    let list = |items: Vec<String>| {
        if items.is_empty() {
            "(all)".to_string()
        } else {
            items
                .iter()
                .map(|i| format!("`{i}`"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    format!(
        "users {} and types {}",
        list(users.to_vec()),
        list(types.iter().map(|t| t.vespa_type().to_string()).collect())
    )
}

/// The label of a file in messages (`<stdin>` for `-`).
pub fn label(path: &Path) -> String {
    if path == Path::new("-") {
        "<stdin>".into()
    } else {
        path.display().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flags_name_one_mode() {
        let none = || None;
        assert_eq!(
            Mode::from_flags(true, &[], None, none),
            Ok(Mode::Visit {
                cluster: "office".into()
            })
        );
        assert_eq!(
            Mode::from_flags(true, &["a".into(), "b".into()], None, none),
            Err(PlanError::SeveralClusters)
        );
        assert_eq!(
            Mode::from_flags(false, &["a".into()], Some("x"), none),
            Err(PlanError::ClusterWithSource)
        );
        assert_eq!(
            Mode::from_flags(false, &[], Some("pubsub:s"), || Some("p".into())),
            Ok(Mode::Pubsub("projects/p/subscriptions/s".into()))
        );
        assert_eq!(
            Mode::from_flags(false, &[], Some("-"), none),
            Ok(Mode::Stdin)
        );
        assert!(Mode::Stdin.check_resume_flags(true, false).is_err());
        assert!(Mode::Stdin.check_resume_flags(false, false).is_ok());
        assert!(
            Mode::File("f".into())
                .check_resume_flags(true, false)
                .is_ok()
        );
    }

    #[test]
    fn types_are_vespa_or_model_names() {
        let types =
            data_types(&["office_document".into(), "document".into(), "email".into()]).unwrap();
        assert_eq!(types, [DataType::Email, DataType::Document]);
        let err = data_types(&["music".into()]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`--type music` is not a document type of the model"
        );
    }
}
