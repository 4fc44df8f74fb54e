//! One error type for every Pub/Sub call, naming the operation and the resource.

use std::fmt;

/// What kind of failure a Pub/Sub call met, after Google's canonical codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    NotFound,
    AlreadyExists,
    InvalidArgument,
    FailedPrecondition,
    PermissionDenied,
    Unauthenticated,
    ResourceExhausted,
    Unavailable,
    DeadlineExceeded,
    Aborted,
    Unimplemented,
    Internal,
    /// Could not reach the service at all (connection refused, DNS, TLS).
    Connect,
    /// Ordering key paused after an earlier failure; resume it before publishing again.
    OrderingKeyPaused,
    Other,
}

impl ErrorKind {
    /// Whether retrying the same call later may succeed.
    pub fn is_transient(self) -> bool {
        matches!(
            self,
            ErrorKind::Unavailable
                | ErrorKind::DeadlineExceeded
                | ErrorKind::ResourceExhausted
                | ErrorKind::Aborted
                | ErrorKind::Internal
                | ErrorKind::Connect
        )
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            ErrorKind::NotFound => "NOT_FOUND",
            ErrorKind::AlreadyExists => "ALREADY_EXISTS",
            ErrorKind::InvalidArgument => "INVALID_ARGUMENT",
            ErrorKind::FailedPrecondition => "FAILED_PRECONDITION",
            ErrorKind::PermissionDenied => "PERMISSION_DENIED",
            ErrorKind::Unauthenticated => "UNAUTHENTICATED",
            ErrorKind::ResourceExhausted => "RESOURCE_EXHAUSTED",
            ErrorKind::Unavailable => "UNAVAILABLE",
            ErrorKind::DeadlineExceeded => "DEADLINE_EXCEEDED",
            ErrorKind::Aborted => "ABORTED",
            ErrorKind::Unimplemented => "UNIMPLEMENTED",
            ErrorKind::Internal => "INTERNAL",
            ErrorKind::Connect => "CONNECT",
            ErrorKind::OrderingKeyPaused => "ORDERING_KEY_PAUSED",
            ErrorKind::Other => "ERROR",
        };
        f.write_str(name)
    }
}

/// A failed Pub/Sub call: `<operation> `<resource>`: <KIND>: <message>`.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{operation} `{resource}` failed: {kind}: {message}")]
pub struct PubSubError {
    /// What was attempted, e.g. `create topic`.
    pub operation: &'static str,
    /// Full resource name or endpoint.
    pub resource: String,
    pub kind: ErrorKind,
    /// The service's (or transport's) own words.
    pub message: String,
}

impl PubSubError {
    /// Builds an error.
    pub fn new(
        operation: &'static str,
        resource: impl Into<String>,
        kind: ErrorKind,
        message: impl Into<String>,
    ) -> Self {
        Self {
            operation,
            resource: resource.into(),
            kind,
            message: message.into(),
        }
    }

    /// Whether the resource did not exist.
    pub fn is_not_found(&self) -> bool {
        self.kind == ErrorKind::NotFound
    }

    /// Whether the resource already existed.
    pub fn is_already_exists(&self) -> bool {
        self.kind == ErrorKind::AlreadyExists
    }
}
