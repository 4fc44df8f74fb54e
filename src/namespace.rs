//! A namespace: one prefix on everything officectl names, so a `migrate drill` can run the real
//! commands and consumers against a throwaway copy of the platform in the same project, Redis
//! and Vespa without touching the real resources.
//!
//! Inside namespace `drill-1a2b`:
//! - Pub/Sub ids gain the prefix `drill-1a2b-` (`emails` → `drill-1a2b-emails`), and listings
//!   see only ids that carry it;
//! - Redis keys start `drill-1a2b:office:` instead of `office:`;
//! - Vespa document ids use the document namespace `drill-1a2b` instead of `office`.
//!
//! The namespace is fixed for the life of a process: set once at start
//! (`OFFICECTL_NAMESPACE`, see [`crate::settings`]) before any name is built, so every module
//! that builds names ([`crate::pubsub::names`], [`crate::keys`],
//! [`crate::model::vespa::docid`]) agrees without passing it around. Outside a namespace every
//! name is exactly what it was.

use std::sync::OnceLock;

static CURRENT: OnceLock<String> = OnceLock::new();

/// The platform's own prefix of Redis keys and its Vespa document namespace, outside any
/// namespace ([`crate::keys::PREFIX`], [`crate::model::vespa::docid::NAMESPACE`]).
pub const PLATFORM: &str = "office";

/// Longest namespace accepted: it is part of every Pub/Sub id (at most 255 characters).
pub const MAX_LEN: usize = 32;

/// A namespace that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NamespaceError {
    #[error(
        "namespace `{0}` must be 1 to {MAX_LEN} characters: lowercase letters, digits and `-`, starting with a letter"
    )]
    Invalid(String),
    #[error("the namespace is already `{current}`; it cannot become `{wanted}`")]
    AlreadySet { current: String, wanted: String },
}

/// Checks a namespace's spelling without setting it.
pub fn validate(namespace: &str) -> Result<(), NamespaceError> {
    let ok = (1..=MAX_LEN).contains(&namespace.len())
        && namespace.starts_with(|c: char| c.is_ascii_lowercase())
        && namespace
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !namespace.starts_with("goog");
    if ok {
        Ok(())
    } else {
        Err(NamespaceError::Invalid(namespace.to_string()))
    }
}

/// Enters `namespace` for the rest of the process. Setting the same one again is harmless.
pub fn enter(namespace: &str) -> Result<(), NamespaceError> {
    validate(namespace)?;
    let current = CURRENT.get_or_init(|| namespace.to_string());
    if current == namespace {
        Ok(())
    } else {
        Err(NamespaceError::AlreadySet {
            current: current.clone(),
            wanted: namespace.to_string(),
        })
    }
}

/// The namespace this process is in, if any.
pub fn current() -> Option<&'static str> {
    CURRENT.get().map(String::as_str)
}

/// The Pub/Sub id of `id` here: `{namespace}-{id}` inside a namespace, else `id`.
pub fn resource_id(id: &str) -> std::borrow::Cow<'_, str> {
    match current() {
        Some(ns) => std::borrow::Cow::Owned(format!("{ns}-{id}")),
        None => std::borrow::Cow::Borrowed(id),
    }
}

/// The id as the layout knows it: the namespace's prefix removed. `None` for an id outside the
/// namespace (a real resource seen from inside a drill).
pub fn local_id(id: &str) -> Option<&str> {
    match current() {
        Some(ns) => id
            .strip_prefix(ns)
            .and_then(|rest| rest.strip_prefix('-'))
            .filter(|rest| !rest.is_empty()),
        None => Some(id),
    }
}

/// The first part of every Redis key: `office`, or `{namespace}:office`.
pub fn key_prefix() -> std::borrow::Cow<'static, str> {
    match current() {
        Some(ns) => std::borrow::Cow::Owned(format!("{ns}:{PLATFORM}")),
        None => std::borrow::Cow::Borrowed(PLATFORM),
    }
}

/// The Vespa document namespace: `office`, or the namespace.
pub fn document_namespace() -> &'static str {
    current().unwrap_or(PLATFORM)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The process-wide value is never set in unit tests: these check the outside view and the
    // spelling rules; tests/it/drill.rs runs the binary inside one.
    #[test]
    fn outside_a_namespace_names_are_unchanged() {
        assert_eq!(current(), None);
        assert_eq!(resource_id("emails"), "emails");
        assert_eq!(local_id("emails"), Some("emails"));
        assert_eq!(key_prefix(), "office");
        assert_eq!(document_namespace(), "office");
    }

    #[test]
    fn spelling_rules() {
        assert!(validate("drill-1a2b").is_ok());
        for bad in [
            "",
            "Drill",
            "1drill",
            "drill_x",
            "drill:x",
            "google",
            &"d".repeat(33),
        ] {
            assert!(validate(bad).is_err(), "{bad}");
        }
    }
}
