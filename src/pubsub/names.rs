//! Resource names (`projects/P/topics/T`) and Pub/Sub's rules for ids.
//!
//! Ids given here are the layout's short ids; inside a [`crate::namespace`] the names carry its
//! prefix, and [`short`] takes it off again.

use crate::namespace;

/// `projects/{project}/topics/{topic}`.
pub fn topic(project: &str, id: &str) -> String {
    format!("projects/{project}/topics/{}", namespace::resource_id(id))
}

/// `projects/{project}/subscriptions/{subscription}`.
pub fn subscription(project: &str, id: &str) -> String {
    format!(
        "projects/{project}/subscriptions/{}",
        namespace::resource_id(id)
    )
}

/// `projects/{project}/snapshots/{snapshot}`.
pub fn snapshot(project: &str, id: &str) -> String {
    format!(
        "projects/{project}/snapshots/{}",
        namespace::resource_id(id)
    )
}

/// `projects/{project}`.
pub fn project(project: &str) -> String {
    format!("projects/{project}")
}

/// The short id of a resource name: `projects/p/topics/t` → `t` (inside a namespace, without
/// its prefix).
pub fn short(name: &str) -> &str {
    let last = last_segment(name);
    namespace::local_id(last).unwrap_or(last)
}

/// The last segment of a resource name, as Pub/Sub spells it.
pub fn last_segment(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

/// Whether a listed resource belongs to this process's namespace (every resource does outside
/// one).
pub fn in_namespace(name: &str) -> bool {
    namespace::local_id(last_segment(name)).is_some()
}

/// The project id inside a resource name, if it has one.
pub fn project_of(name: &str) -> Option<&str> {
    let rest = name.strip_prefix("projects/")?;
    rest.split('/').next()
}

/// An id that breaks Pub/Sub's rules for topic and subscription ids, as the `name` field of the
/// Topic resource states them (<https://cloud.google.com/pubsub/docs/reference/rest/v1/projects.topics>).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("`{0}` must be 3 to 255 characters long")]
    Length(String),
    #[error("`{0}` must start with a letter")]
    FirstCharacter(String),
    #[error("`{id}` contains `{character}`; allowed: letters, digits and - _ . ~ + %")]
    Character { id: String, character: char },
    #[error("`{0}` must not start with `goog`")]
    Reserved(String),
}

/// Checks an id against Pub/Sub's rules: 3–255 characters, starts with a letter, only
/// `[A-Za-z0-9-_.~+%]`, and not starting with `goog`.
pub fn validate_id(id: &str) -> Result<(), IdError> {
    if !(3..=255).contains(&id.len()) {
        return Err(IdError::Length(id.into()));
    }
    if !id.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err(IdError::FirstCharacter(id.into()));
    }
    if let Some(character) = id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "-_.~+%".contains(*c)))
    {
        return Err(IdError::Character {
            id: id.into(),
            character,
        });
    }
    if id.to_ascii_lowercase().starts_with("goog") {
        return Err(IdError::Reserved(id.into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_and_splits_names() {
        let name = topic("p1", "emails");
        assert_eq!(name, "projects/p1/topics/emails");
        assert_eq!(short(&name), "emails");
        assert_eq!(project_of(&name), Some("p1"));
        assert_eq!(subscription("p", "s-x"), "projects/p/subscriptions/s-x");
    }

    #[test]
    fn enforces_id_rules() {
        assert!(validate_id("vespa-loader-emails").is_ok());
        let message = |id: &str| validate_id(id).unwrap_err().to_string();
        assert!(message("ab").contains("3 to 255"));
        assert!(message("1abc").contains("start with a letter"));
        assert!(message("abc/d").contains("`/`"));
        assert!(message("google-x").contains("goog"));
        assert!(validate_id(&"a".repeat(256)).is_err());
    }
}
