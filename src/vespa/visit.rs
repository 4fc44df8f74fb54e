//! Visiting documents through `/document/v1` (vespa-api.md §3): what to visit and one page at
//! a time.
//!
//! Our ids are in the group form keyed by user (`id:office:<type>:g=<user>:<id>`, see
//! [`crate::model::vespa::docid`]), so a user's documents of one type are visited at
//! `/document/v1/office/<type>/group/<user>`, which Vespa restricts to that user's buckets. A
//! type for every user is `/document/v1/office/<type>/docid`. Without a type, the visit is at
//! the root, which needs `cluster`, with a selection on the namespace (and `id.group` per user).
//! Each target can be split into `slices` visited independently (`slices`/`sliceId`), each with
//! its own continuation.

use crate::retry::{Backoff, Stopped, Verdict, retry};
use crate::run::CancellationToken;
use std::time::Duration;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Deserialize;
use serde_json::Value;

use super::feed::{Request, Transport};
use crate::model::catalog::DataType;
use crate::model::vespa::docid::group_of;

/// Unreserved characters stay, everything else is escaped (path segments and query values).
const ESCAPE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn esc(text: &str) -> String {
    utf8_percent_encode(text, ESCAPE).to_string()
}

/// `text` percent-encoded for a path segment or query value of `/document/v1`.
pub fn escape_query(text: &str) -> String {
    esc(text)
}

/// One visit: a path, the content cluster, and an optional selection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitTarget {
    /// `/document/v1/…`, segments escaped.
    pub path: String,
    pub cluster: String,
    pub selection: Option<String>,
}

impl VisitTarget {
    /// How to name the target in messages and checkpoints: the path and the selection.
    pub fn describe(&self) -> String {
        match &self.selection {
            Some(selection) => format!("{} [{selection}]", self.path),
            None => self.path.clone(),
        }
    }
}

/// The visits that cover `users` (empty: all) and `types` (empty: all) in `cluster`.
pub fn plan(users: &[String], types: &[DataType], cluster: &str) -> Vec<VisitTarget> {
    let target = |path: String, selection: Option<String>| VisitTarget {
        path,
        cluster: cluster.to_string(),
        selection,
    };
    let ns = crate::namespace::document_namespace();
    let namespace = format!("id.namespace==\"{ns}\"");
    // Groups are escaped to `[A-Za-z0-9-._~%]`, so they need no quoting inside "…".
    let group = |user: &str| format!("id.group==\"{}\"", group_of(user));
    match (users.is_empty(), types.is_empty()) {
        (false, false) => users
            .iter()
            .flat_map(|user| {
                types.iter().map(move |t| {
                    target(
                        format!(
                            "/document/v1/{ns}/{}/group/{}",
                            t.vespa_type(),
                            esc(&group_of(user))
                        ),
                        None,
                    )
                })
            })
            .collect(),
        (true, false) => types
            .iter()
            .map(|t| target(format!("/document/v1/{ns}/{}/docid", t.vespa_type()), None))
            .collect(),
        (false, true) => users
            .iter()
            .map(|user| {
                target(
                    "/document/v1/".to_string(),
                    Some(format!("{namespace} and {}", group(user))),
                )
            })
            .collect(),
        (true, true) => vec![target("/document/v1/".to_string(), Some(namespace))],
    }
}

/// How to visit.
#[derive(Debug, Clone)]
pub struct VisitOptions {
    /// `wantedDocumentCount`: documents per page.
    pub page_size: u32,
    /// `slices`; each target is visited as this many slices.
    pub slices: u32,
    /// Server-side time per request (`timeout`); Vespa recommends 60 s or less.
    pub timeout: Duration,
    /// Attempts per page on 429, 503, 504 and transport errors, the first included.
    pub max_attempts: u32,
    /// First pause before a retry; grows by half per attempt (as `vespa visit` does on 429).
    pub backoff: Duration,
    pub max_backoff: Duration,
}

impl Default for VisitOptions {
    fn default() -> Self {
        VisitOptions {
            page_size: 1000,
            slices: 1,
            timeout: Duration::from_secs(60),
            max_attempts: 10,
            backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
        }
    }
}

/// The request path of one page of slice `slice` of `target`.
pub fn page_path(
    target: &VisitTarget,
    options: &VisitOptions,
    slice: u32,
    continuation: Option<&str>,
) -> String {
    let mut query = vec![
        format!("cluster={}", esc(&target.cluster)),
        format!("wantedDocumentCount={}", options.page_size.max(1)),
        // Every field of the document, whatever its type (root visits mix types).
        "fieldSet=%5Bdocument%5D".to_string(),
        format!("timeout={}s", options.timeout.as_secs().max(1)),
    ];
    if let Some(selection) = &target.selection {
        query.push(format!("selection={}", esc(selection)));
    }
    if options.slices > 1 {
        query.push(format!("slices={}&sliceId={slice}", options.slices));
    }
    if let Some(token) = continuation {
        query.push(format!("continuation={}", esc(token)));
    }
    format!("{}?{}", target.path, query.join("&"))
}

/// A visited document.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Visited {
    pub id: String,
    #[serde(default)]
    pub fields: Value,
}

/// One page of a visit.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub documents: Vec<Visited>,
    /// Where the visit goes on; `None` when it is finished.
    pub continuation: Option<String>,
}

/// Parses a visit response (the JSON format, not JSONL). Checks, as `vespa visit` does, that
/// `documentCount` matches the documents returned.
pub fn parse_page(body: &[u8]) -> Result<Page, String> {
    #[derive(Deserialize)]
    struct Raw {
        #[serde(default)]
        documents: Vec<Value>,
        #[serde(rename = "documentCount")]
        document_count: Option<u64>,
        continuation: Option<String>,
    }
    let raw: Raw = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    if let Some(count) = raw.document_count
        && count != raw.documents.len() as u64
    {
        return Err(format!(
            "inconsistent contents: documentCount {count} but {} documents",
            raw.documents.len()
        ));
    }
    let mut documents = Vec::with_capacity(raw.documents.len());
    for (i, doc) in raw.documents.into_iter().enumerate() {
        // `{"remove": id}` entries come only with `includeRemoves=true`, which we never send.
        if doc.get("remove").is_some() {
            continue;
        }
        let visited: Visited =
            serde_json::from_value(doc).map_err(|e| format!("document {i}: {e}"))?;
        documents.push(visited);
    }
    Ok(Page {
        documents,
        continuation: raw.continuation.filter(|t| !t.is_empty()),
    })
}

/// Every document of one slice-less visit of `target`, page by page, following the
/// continuation until the visit is finished (or `cancel`: what was seen so far is kept).
pub async fn each_document<T: Transport + ?Sized>(
    transport: &T,
    target: &VisitTarget,
    options: &VisitOptions,
    cancel: &CancellationToken,
    mut seen: impl FnMut(Visited),
) -> Result<(), VisitError> {
    let mut continuation: Option<String> = None;
    loop {
        let path = page_path(target, options, 0, continuation.as_deref());
        let Some(page) = fetch_page(transport, &path, options, cancel).await? else {
            return Ok(());
        };
        page.documents.into_iter().for_each(&mut seen);
        match page.continuation {
            Some(token) => continuation = Some(token),
            None => return Ok(()),
        }
    }
}

/// A page could not be fetched.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum VisitError {
    #[error("visiting `{path}`: Vespa answered {status}: {message}")]
    Status {
        path: String,
        status: u16,
        message: String,
    },
    #[error("visiting `{path}`: {message}")]
    Transport { path: String, message: String },
    #[error("visiting `{path}`: not a visit response: {message}")]
    Invalid { path: String, message: String },
}

/// Fetches one page, retrying 429, 503, 504 (no bucket visited in time) and transport errors.
/// `None` when `cancel` fired while waiting to retry. Retries go through [`crate::retry`].
pub async fn fetch_page<T: Transport + ?Sized>(
    transport: &T,
    path: &str,
    options: &VisitOptions,
    cancel: &CancellationToken,
) -> Result<Option<Page>, VisitError> {
    let request = Request {
        method: "GET",
        path: path.to_string(),
        body: None,
    };
    // 429, 503 and 504 are worth another attempt, as are transport errors that retrying can
    // fix; the pause grows by half each time, as `vespa visit` does on 429.
    let policy = Backoff {
        initial: options.backoff,
        max: options.max_backoff,
        multiplier: 1.5,
        jitter: false,
        max_attempts: Some(options.max_attempts.max(1)),
        total: None,
    };
    let attempt = |_| async {
        match transport.send(&request).await {
            Ok(response) if response.status == 200 => {
                parse_page(&response.body).map_err(|message| {
                    Failed::Final(VisitError::Invalid {
                        path: path.to_string(),
                        message,
                    })
                })
            }
            Ok(response) => {
                let error = VisitError::Status {
                    path: path.to_string(),
                    status: response.status,
                    message: message_of(&response.body),
                };
                Err(if matches!(response.status, 429 | 503 | 504) {
                    Failed::Transient(error)
                } else {
                    Failed::Final(error)
                })
            }
            Err(err) => {
                let error = VisitError::Transport {
                    path: path.to_string(),
                    message: err.message,
                };
                // A rejected certificate stays rejected: no retries.
                Err(if err.permanent {
                    Failed::Final(error)
                } else {
                    Failed::Transient(error)
                })
            }
        }
    };
    let verdict = |failed: &Failed| match failed {
        Failed::Transient(_) => Verdict::RETRY,
        Failed::Final(_) => Verdict::Fail,
    };
    match retry(&policy, cancel, attempt, verdict).await {
        Ok(page) => Ok(Some(page)),
        Err(Stopped::Cancelled { .. }) => Ok(None),
        Err(Stopped::Failed {
            error: Failed::Final(error),
            ..
        }) => Err(error),
        Err(Stopped::Failed {
            error: Failed::Transient(error),
            attempts,
        }) => Err(match error {
            VisitError::Transport { path, message } => VisitError::Transport {
                path,
                message: format!("giving up after {attempts} attempts: {message}"),
            },
            other => other,
        }),
    }
}

/// A failed attempt at a page, and whether another attempt may help.
enum Failed {
    Transient(VisitError),
    Final(VisitError),
}

/// The `message` of an error body, or the body (shortened).
fn message_of(body: &[u8]) -> String {
    #[derive(Deserialize)]
    struct Body {
        message: Option<String>,
    }
    match serde_json::from_slice::<Body>(body) {
        Ok(Body {
            message: Some(message),
        }) => message,
        _ => {
            let text = String::from_utf8_lossy(body);
            text.trim().chars().take(200).collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vespa::fake::{Answer, FakeVespa};

    #[test]
    fn users_and_types_visit_group_paths() {
        let targets = plan(
            &["u1".into(), "a b".into()],
            &[DataType::Email, DataType::Document],
            "office",
        );
        let paths: Vec<&str> = targets.iter().map(|t| t.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "/document/v1/office/email/group/u1",
                "/document/v1/office/office_document/group/u1",
                // The group is `a%20b` in the id, escaped once more in the path.
                "/document/v1/office/email/group/a%2520b",
                "/document/v1/office/office_document/group/a%2520b",
            ]
        );
        assert!(targets.iter().all(|t| t.selection.is_none()));
    }

    #[test]
    fn types_alone_visit_docid_and_users_alone_the_root_with_a_selection() {
        let targets = plan(&[], &[DataType::Todo], "office");
        assert_eq!(targets[0].path, "/document/v1/office/todo/docid");
        let targets = plan(&["u:1".into()], &[], "office");
        assert_eq!(targets[0].path, "/document/v1/");
        assert_eq!(
            targets[0].selection.as_deref(),
            Some("id.namespace==\"office\" and id.group==\"u%3A1\"")
        );
        let targets = plan(&[], &[], "c2");
        assert_eq!(
            targets[0].describe(),
            "/document/v1/ [id.namespace==\"office\"]"
        );
        assert_eq!(targets[0].cluster, "c2");
    }

    #[test]
    fn page_paths_carry_cluster_count_slices_and_continuation() {
        let target = &plan(&["u1".into()], &[], "office")[0];
        let options = VisitOptions {
            page_size: 50,
            slices: 3,
            ..VisitOptions::default()
        };
        assert_eq!(
            page_path(target, &options, 2, Some("AAE=")),
            "/document/v1/?cluster=office&wantedDocumentCount=50&fieldSet=%5Bdocument%5D\
             &timeout=60s&selection=id.namespace%3D%3D%22office%22%20and%20id.group%3D%3D%22u1%22\
             &slices=3&sliceId=2&continuation=AAE%3D"
        );
        let one = VisitOptions::default();
        let path = page_path(target, &one, 0, None);
        assert!(
            !path.contains("slices") && !path.contains("continuation"),
            "{path}"
        );
    }

    #[test]
    fn pages_parse_and_inconsistent_counts_fail() {
        let page = parse_page(
            br#"{"pathId":"/x","documents":[{"id":"id:office:email:g=u:1","fields":{"a":1}},
                {"remove":"id:office:email:g=u:2"}],"documentCount":2,"continuation":"T"}"#,
        )
        .unwrap();
        assert_eq!(page.documents.len(), 1);
        assert_eq!(page.documents[0].fields["a"], 1);
        assert_eq!(page.continuation.as_deref(), Some("T"));
        let last = parse_page(br#"{"documents":[],"documentCount":0}"#).unwrap();
        assert_eq!(last.continuation, None);
        let err = parse_page(br#"{"documents":[],"documentCount":3}"#).unwrap_err();
        assert!(err.contains("inconsistent"), "{err}");
        assert!(parse_page(br#"{"documents":[{"fields":{}}]}"#).is_err());
    }

    /// A page of user u1's e-mails; the fake answers what a test scripts for it, then visits
    /// its (empty) store.
    const PAGE: &str = "/document/v1/office/email/group/u1?wantedDocumentCount=10";
    const PAGE_PATH: &str = "/document/v1/office/email/group/u1";

    /// A fake whose first requests on [`PAGE`] get `answers`.
    fn scripted(answers: &[Answer]) -> FakeVespa {
        let fake = FakeVespa::default();
        for (n, answer) in (1..).zip(answers) {
            fake.answer(PAGE_PATH, n, *answer);
        }
        fake
    }

    fn quick() -> VisitOptions {
        VisitOptions {
            backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(2),
            max_attempts: 4,
            ..VisitOptions::default()
        }
    }

    #[tokio::test(start_paused = true)]
    async fn overload_and_transient_errors_are_retried_a_bounded_number_of_times() {
        let cancel = CancellationToken::new();
        let t = scripted(&[429.into(), 503.into(), Answer::Reset]);
        let page = fetch_page(&t, PAGE, &quick(), &cancel).await.unwrap();
        assert!(page.unwrap().documents.is_empty());
        assert_eq!(t.attempts(PAGE_PATH), 4);
        let t = scripted(&[503.into(); 4]);
        let err = fetch_page(&t, PAGE, &quick(), &cancel).await.unwrap_err();
        assert!(
            matches!(err, VisitError::Status { status: 503, .. }),
            "{err}"
        );
        let t = scripted(&[Answer::Reset; 4]);
        let err = fetch_page(&t, PAGE, &quick(), &cancel)
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("giving up after 4 attempts"), "{err}");
    }

    #[tokio::test(start_paused = true)]
    async fn pauses_grow_by_half_up_to_the_cap() {
        let cancel = CancellationToken::new();
        let t = scripted(&[429.into(); 4]);
        let options = VisitOptions {
            backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(200),
            max_attempts: 5,
            ..VisitOptions::default()
        };
        let started = tokio::time::Instant::now();
        fetch_page(&t, PAGE, &options, &cancel).await.unwrap();
        // 100 + 150 + 200 + 200 ms of pauses, and 5 requests of the fake's 1 ms.
        assert_eq!(started.elapsed(), Duration::from_millis(655));
    }

    #[tokio::test(start_paused = true)]
    async fn a_permanent_transport_error_is_not_retried() {
        let cancel = CancellationToken::new();
        let t = scripted(&[Answer::Permanent, Answer::Permanent]);
        let err = fetch_page(&t, PAGE, &quick(), &cancel)
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("TLS handshake"), "{err}");
        assert!(!err.contains("giving up after"), "{err}");
        assert_eq!(t.attempts(PAGE_PATH), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn other_statuses_fail_at_once_naming_the_path() {
        let cancel = CancellationToken::new();
        let t = FakeVespa::default();
        t.answer("/document/v1/office/x/docid", 1, 400);
        let err = fetch_page(&t, "/document/v1/office/x/docid", &quick(), &cancel)
            .await
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "visiting `/document/v1/office/x/docid`: Vespa answered 400: status 400"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn cancelling_stops_retrying() {
        let cancel = CancellationToken::new();
        cancel.cancel();
        let t = scripted(&[429.into(); 10]);
        let options = VisitOptions {
            backoff: Duration::from_secs(5),
            ..quick()
        };
        assert_eq!(fetch_page(&t, PAGE, &options, &cancel).await.unwrap(), None);
        assert_eq!(t.attempts(PAGE_PATH), 1);
    }
}
