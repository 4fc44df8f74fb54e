//! The decisions a backfill makes before it publishes anything, kept out of the command so they
//! are the same for every caller and tested without a terminal: what the `--source` names, which
//! users, whether checkpoints found can be resumed by this run, which correlation id it runs
//! under, and which topics its publish mode needs.

use std::collections::{BTreeMap, BTreeSet};

use super::checkpoint::{Checkpoint, RunIdentity};
use crate::migrate::flags::PublishMode;
use crate::migrate::publish;
use crate::model::catalog::DataType;
use crate::pubsub::names;

/// What `--source` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceSpec {
    /// An NDJSON file, or `-` for stdin.
    File(std::path::PathBuf),
    /// A subscription's full name (`pubsub:SUB` or `pubsub:projects/P/subscriptions/SUB`).
    Subscription(String),
    /// An HTTP export endpoint.
    Http(String),
}

impl SourceSpec {
    /// Reads `--source` for a run in `project`.
    pub fn parse(text: &str, project: &str) -> SourceSpec {
        if let Some(name) = text.strip_prefix("pubsub:") {
            let full = if name.starts_with("projects/") {
                name.to_string()
            } else {
                names::subscription(project, name)
            };
            SourceSpec::Subscription(full)
        } else if text.starts_with("https://") || text.starts_with("http://") {
            SourceSpec::Http(text.to_string())
        } else {
            SourceSpec::File(std::path::PathBuf::from(text))
        }
    }

    /// What checkpoints record as the source: a resume must name the same one.
    pub fn identity(&self) -> String {
        match self {
            SourceSpec::File(path) if path.as_os_str() == "-" => "<stdin>".into(),
            SourceSpec::File(path) => path.display().to_string(),
            SourceSpec::Subscription(name) => format!("pubsub:{name}"),
            SourceSpec::Http(url) => url.clone(),
        }
    }
}

/// The users of a users file: one per line; blank lines and `#` comments are skipped.
pub fn users_of(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines()
        .map(|line| line.split('#').next().unwrap_or("").trim())
        .filter(|user| !user.is_empty())
        .map(str::to_string)
}

/// Why the checkpoints found cannot be resumed by this run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResumeRefusal {
    #[error("the checkpoints of these users belong to {} different runs ({}); one resume continues one run", ids.len(), ids.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", "))]
    SeveralRuns { ids: Vec<String> },
    #[error("`--correlation-id {asked}` differs from the checkpointed run's `{found}`")]
    OtherCorrelationId { asked: String, found: String },
    #[error(
        "user `{user}` was checkpointed with source `{}`, batch size {}, since {:?}, until {:?}; this run has `{}`, {}, {:?}, {:?}",
        checkpointed.source, checkpointed.batch_size, checkpointed.since, checkpointed.until,
        now.source, now.batch_size, now.since, now.until
    )]
    OtherSelection {
        user: String,
        checkpointed: Box<RunIdentity>,
        now: Box<RunIdentity>,
    },
}

/// Whether `found` (the users' checkpoints) is one run that this run (`identity`, and the
/// `--correlation-id` if one was given) can continue.
pub fn check_resumable(
    found: &BTreeMap<String, Checkpoint>,
    asked: Option<&str>,
    identity: &RunIdentity,
) -> Result<(), ResumeRefusal> {
    let ids: BTreeSet<&str> = found.values().map(|c| c.correlation_id.as_str()).collect();
    if ids.len() > 1 {
        return Err(ResumeRefusal::SeveralRuns {
            ids: ids.into_iter().map(str::to_string).collect(),
        });
    }
    if let (Some(asked), Some(found)) = (asked, ids.iter().next())
        && asked != *found
    {
        return Err(ResumeRefusal::OtherCorrelationId {
            asked: asked.to_string(),
            found: found.to_string(),
        });
    }
    if let Some((user, c)) = found.iter().find(|(_, c)| c.identity != *identity) {
        return Err(ResumeRefusal::OtherSelection {
            user: user.clone(),
            checkpointed: Box::new(c.identity.clone()),
            now: Box::new(identity.clone()),
        });
    }
    Ok(())
}

/// The correlation id of the run: the resumed run's, else the one asked for, else a new one.
pub fn correlation_id(resumed: &BTreeMap<String, Checkpoint>, asked: Option<&str>) -> String {
    match resumed.values().next() {
        Some(checkpoint) => checkpoint.correlation_id.clone(),
        None => asked
            .map(str::to_string)
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
    }
}

/// The topics (full names) a run publishes to under `mode`: `email-backfill`, `topic`, or both.
pub fn topics_for(mode: PublishMode, project: &str, topic: &str) -> Vec<String> {
    let mut topics = Vec::new();
    if mode.publishes_legacy()
        && let Some(legacy) = publish::legacy_topic(DataType::Email)
    {
        topics.push(names::topic(project, legacy));
    }
    if mode.publishes_new() {
        topics.push(topic.to_string());
    }
    topics
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity(source: &str) -> RunIdentity {
        RunIdentity {
            source: source.into(),
            batch_size: 10,
            since: None,
            until: None,
        }
    }

    fn checkpoint(id: &str, source: &str) -> Checkpoint {
        Checkpoint {
            correlation_id: id.into(),
            identity: identity(source),
            acked_batches: 1,
            last_batch_id: None,
            chain: String::new(),
            position: None,
            emails: 10,
            complete: false,
            updated_at: chrono::DateTime::<chrono::Utc>::UNIX_EPOCH,
        }
    }

    #[test]
    fn sources_users_and_topics_are_read_as_the_flags_say() {
        assert_eq!(
            SourceSpec::parse("pubsub:legacy", "p"),
            SourceSpec::Subscription("projects/p/subscriptions/legacy".into())
        );
        assert_eq!(SourceSpec::parse("-", "p").identity(), "<stdin>");
        assert!(matches!(
            SourceSpec::parse("https://x/export", "p"),
            SourceSpec::Http(_)
        ));
        let users: Vec<String> = users_of("a\n# nobody\n\n b # trailing\n").collect();
        assert_eq!(users, ["a", "b"]);
        assert_eq!(
            topics_for(PublishMode::Dual, "p", "projects/p/topics/emails"),
            [
                "projects/p/topics/email-backfill",
                "projects/p/topics/emails"
            ]
        );
        assert_eq!(topics_for(PublishMode::New, "p", "t"), ["t"]);
    }

    #[test]
    fn only_one_run_with_the_same_selection_resumes() {
        let one = BTreeMap::from([
            ("u1".to_string(), checkpoint("c1", "mail")),
            ("u2".to_string(), checkpoint("c1", "mail")),
        ]);
        assert_eq!(check_resumable(&one, None, &identity("mail")), Ok(()));
        assert_eq!(correlation_id(&one, None), "c1");
        let two = BTreeMap::from([
            ("u1".to_string(), checkpoint("c1", "mail")),
            ("u2".to_string(), checkpoint("c2", "mail")),
        ]);
        let err = check_resumable(&two, None, &identity("mail")).unwrap_err();
        assert!(
            err.to_string().contains("2 different runs (`c1`, `c2`)"),
            "{err}"
        );
        let err = check_resumable(&one, Some("c9"), &identity("mail")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`--correlation-id c9` differs from the checkpointed run's `c1`"
        );
        let err = check_resumable(&one, None, &identity("other")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("user `u1` was checkpointed with source `mail`")
        );
        let fresh = correlation_id(&BTreeMap::new(), None);
        assert_eq!(fresh.len(), 36);
        assert_ne!(fresh, correlation_id(&BTreeMap::new(), None));
    }
}
