//! A namespace: one prefix on everything officectl names, so a `migrate drill` can run the real
//! commands and consumers against a throwaway copy of the platform in the same project, Redis
//! and Vespa without touching the real resources.
//!
//! A namespace is always spelled `drill-` and 8 lowercase hex digits (`drill-1a2b3c4d`), so no
//! namespace can collide with a real id or with the platform's own prefixes. Inside
//! `drill-1a2b3c4d`:
//! - Pub/Sub ids gain the prefix `drill-1a2b3c4d-` (`emails` → `drill-1a2b3c4d-emails`), and
//!   listings see only ids that carry it;
//! - Redis keys start `drill-1a2b3c4d:office:` instead of `office:`;
//! - Vespa document ids use the document namespace `drill-1a2b3c4d` instead of `office`.
//!
//! Outside any namespace, listings skip ids that carry a namespace's prefix, so `topics verify`
//! and `topics apply --prune` never see (or delete) the resources of a drill running next to
//! them.
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

/// Every namespace starts with this, followed by [`HEX_DIGITS`] lowercase hex digits.
pub const PREFIX: &str = "drill-";
/// Hex digits after [`PREFIX`].
pub const HEX_DIGITS: usize = 8;

/// A namespace that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NamespaceError {
    #[error(
        "namespace `{0}` must be `{PREFIX}` followed by {HEX_DIGITS} lowercase hex digits (e.g. `drill-1a2b3c4d`)"
    )]
    Invalid(String),
    #[error("the namespace is already `{current}`; it cannot become `{wanted}`")]
    AlreadySet { current: String, wanted: String },
}

/// Whether `name` is spelled like a namespace: `drill-` and 8 lowercase hex digits.
fn is_namespace(name: &str) -> bool {
    name.strip_prefix(PREFIX).is_some_and(|hex| {
        hex.len() == HEX_DIGITS
            && hex
                .chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
    })
}

/// Checks a namespace's spelling without setting it.
pub fn validate(namespace: &str) -> Result<(), NamespaceError> {
    if is_namespace(namespace) {
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

/// The id as the layout knows it: the namespace's prefix removed. `None` for an id that is
/// not this process's: a real resource seen from inside a drill, or a drill's resource seen
/// from outside.
pub fn local_id(id: &str) -> Option<&str> {
    match current() {
        Some(ns) => namespaced(id)
            .filter(|(owner, _)| *owner == ns)
            .map(|(_, rest)| rest),
        None => namespaced(id).is_none().then_some(id),
    }
}

/// Whether `id` carries a namespace's prefix (`drill-1a2b3c4d-…`): such an id is a drill's,
/// never the platform's, and a layout cannot declare it.
pub fn is_namespaced(id: &str) -> bool {
    namespaced(id).is_some()
}

/// `(namespace, rest)` when `id` carries a namespace's prefix (`drill-1a2b3c4d-emails`).
fn namespaced(id: &str) -> Option<(&str, &str)> {
    let split = PREFIX.len() + HEX_DIGITS;
    let owner = id.get(..split)?;
    let rest = id.get(split..)?.strip_prefix('-')?;
    (is_namespace(owner) && !rest.is_empty()).then_some((owner, rest))
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
        // A drill's resources are not the platform's.
        assert_eq!(local_id("drill-1a2b3c4d-emails"), None);
        // Ids that only look similar are.
        assert_eq!(local_id("drill-emails"), Some("drill-emails"));
        assert_eq!(local_id("drill-1a2b3c4d"), Some("drill-1a2b3c4d"));
        assert_eq!(
            local_id("drill-1A2B3C4D-emails"),
            Some("drill-1A2B3C4D-emails")
        );
        assert_eq!(key_prefix(), "office");
        assert_eq!(document_namespace(), "office");
    }

    #[test]
    fn spelling_rules() {
        assert!(validate("drill-1a2b3c4d").is_ok());
        for bad in [
            "",
            "office",
            "vespa",
            "drill",
            "drill-1a2b",
            "drill-1a2b3c4d5",
            "drill-1A2B3C4D",
            "drill-1a2b3c4g",
            "drill-nested",
            "drill_1a2b3c4d",
        ] {
            assert!(validate(bad).is_err(), "{bad}");
        }
    }
}
