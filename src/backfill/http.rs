//! The HTTP export source: pages of one user's e-mails from an export endpoint.
//!
//! Contract (documented in `docs/backfill.md`):
//!
//! `GET <url>?user_id=<user>&page_size=<n>[&page_token=<token>][&since=<rfc3339>][&until=<rfc3339>]`
//! with `Authorization: Bearer <token>` when a token is configured, answered by
//! `200 {"items": [<e-mail record>...], "next_page_token": "<token>" | "" | null}`.
//! Items are e-mail records (see [`super::record`]); `user_id` may be left out (it is the user
//! asked for) and must match when present. 429 and 5xx answers and transport errors are retried
//! with exponential backoff (a `Retry-After` in seconds is honoured); any other status fails.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Deserialize;
use serde_json::Value;

use super::source::{HttpError, Position, Reject, Source, SourceError, SourceItem};
use super::{prepared, record};
use crate::model::validate::Problem;
use crate::retry::{self, Backoff, Verdict};
use crate::run::CancellationToken;

/// How the source talks to the endpoint.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    pub url: String,
    /// Bearer token (`OFFICECTL_SOURCE_TOKEN`).
    pub token: Option<String>,
    pub page_size: usize,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// Users fetched at once.
    pub concurrency: usize,
    /// Attempts per page (first try included).
    pub max_attempts: u32,
    /// First retry delay; doubled per attempt up to 8 s.
    pub initial_backoff: Duration,
    pub timeout: Duration,
}

impl HttpOptions {
    /// Defaults for `url`.
    pub fn new(url: impl Into<String>) -> HttpOptions {
        HttpOptions {
            url: url.into(),
            token: None,
            page_size: 500,
            since: None,
            until: None,
            concurrency: 4,
            max_attempts: 6,
            initial_backoff: Duration::from_millis(500),
            timeout: Duration::from_secs(60),
        }
    }
}

#[derive(Deserialize)]
struct Page {
    #[serde(default)]
    items: Vec<Value>,
    #[serde(default)]
    next_page_token: Option<String>,
}

type Chunk = Result<Vec<SourceItem>, SourceError>;

/// Fetches each user's pages, up to `concurrency` users at once; each user's pages arrive in
/// order, which is all the batcher needs (batches are per user).
pub struct HttpSource {
    options: HttpOptions,
    users: Vec<String>,
    rx: Option<tokio::sync::mpsc::Receiver<Chunk>>,
}

impl HttpSource {
    pub fn new(options: HttpOptions, users: Vec<String>) -> HttpSource {
        HttpSource {
            options,
            users,
            rx: None,
        }
    }

    fn start(&mut self) -> Result<tokio::sync::mpsc::Receiver<Chunk>, SourceError> {
        let client = reqwest::Client::builder()
            .timeout(self.options.timeout)
            .build()
            .map_err(|e| HttpError {
                url: self.options.url.clone(),
                user: String::new(),
                page: 0,
                attempts: 0,
                status: None,
                message: format!("cannot build the HTTP client: {e}"),
            })?;
        let concurrency = self.options.concurrency.max(1);
        let (tx, rx) = tokio::sync::mpsc::channel(concurrency * 2);
        let permits = Arc::new(tokio::sync::Semaphore::new(concurrency));
        let options = Arc::new(self.options.clone());
        for user in self.users.clone() {
            let (tx, client, options, permits) =
                (tx.clone(), client.clone(), options.clone(), permits.clone());
            tokio::spawn(async move {
                let Ok(_permit) = permits.acquire_owned().await else {
                    return;
                };
                fetch_user(&client, &options, &user, &tx).await;
            });
        }
        Ok(rx)
    }
}

async fn fetch_user(
    client: &reqwest::Client,
    options: &HttpOptions,
    user: &str,
    tx: &tokio::sync::mpsc::Sender<Chunk>,
) {
    let mut token = String::new();
    let mut page = 0u64;
    loop {
        page += 1;
        let fetched = fetch_page(client, options, user, &token, page).await;
        let body = match fetched {
            Ok(body) => body,
            Err(err) => {
                let _ = tx.send(Err(SourceError::Http(err))).await;
                return;
            }
        };
        let items = page_items(user, page, &token, body.items);
        if tx.send(Ok(items)).await.is_err() {
            return;
        }
        match body.next_page_token {
            Some(next) if !next.is_empty() => token = next,
            _ => return,
        }
    }
}

fn page_items(user: &str, page: u64, token: &str, items: Vec<Value>) -> Vec<SourceItem> {
    let mut out = Vec::with_capacity(items.len());
    for (item, mut value) in items.into_iter().enumerate() {
        let position = Position::Page {
            page,
            page_token: token.to_string(),
            item,
        };
        let raw = value.to_string();
        let mut problems = Vec::new();
        if let Value::Object(object) = &mut value {
            match object.get("user_id") {
                None => {
                    object.insert("user_id".into(), Value::String(user.into()));
                }
                Some(Value::String(u)) if u == user => {}
                Some(other) => problems.push(Problem {
                    path: "$.user_id".into(),
                    message: format!("is {other} but the page was asked for user `{user}`"),
                }),
            }
        }
        let parsed = if problems.is_empty() {
            record::parse_value(value).and_then(prepared::prepare)
        } else {
            Err(problems)
        };
        match parsed {
            Ok(records) => out.extend(records.into_iter().map(|record| SourceItem::Record {
                record,
                position: position.clone(),
                ack: None,
            })),
            Err(problems) => out.push(SourceItem::Reject(Reject {
                position,
                problems,
                raw,
                ack: None,
            })),
        }
    }
    out
}

async fn fetch_page(
    client: &reqwest::Client,
    options: &HttpOptions,
    user: &str,
    token: &str,
    page: u64,
) -> Result<Page, HttpError> {
    let mut query: Vec<(&str, String)> = vec![
        ("user_id", user.to_string()),
        ("page_size", options.page_size.to_string()),
    ];
    if !token.is_empty() {
        query.push(("page_token", token.to_string()));
    }
    let stamp = |t: &DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::AutoSi, true);
    if let Some(since) = &options.since {
        query.push(("since", stamp(since)));
    }
    if let Some(until) = &options.until {
        query.push(("until", stamp(until)));
    }
    let fail = |attempts: u32, status: Option<u16>, message: String| HttpError {
        url: options.url.clone(),
        user: user.to_string(),
        page,
        attempts,
        status,
        message,
    };
    // A failure of one attempt: the error, and whether (and when) to try again.
    struct Failed {
        error: HttpError,
        verdict: Verdict,
    }
    let policy = Backoff {
        initial: options.initial_backoff,
        max: Duration::from_secs(8),
        max_attempts: Some(options.max_attempts.max(1)),
        ..Backoff::default()
    };
    // The run stops a source from outside; a page under way is fetched to the end.
    let never = CancellationToken::new();
    retry::retry(
        &policy,
        &never,
        |attempt| {
            let (query, fail) = (&query, &fail);
            async move {
                let mut request = client.get(&options.url).query(query);
                if let Some(token) = &options.token {
                    request = request.bearer_auth(token);
                }
                let response = match request.send().await {
                    Ok(response) => response,
                    Err(err) => {
                        return Err(Failed {
                            error: fail(attempt, None, err.to_string()),
                            verdict: Verdict::RETRY,
                        });
                    }
                };
                let status = response.status();
                if status.is_success() {
                    let bytes = response.bytes().await.map_err(|e| Failed {
                        error: fail(attempt, Some(status.as_u16()), format!("reading body: {e}")),
                        verdict: Verdict::Fail,
                    })?;
                    return serde_json::from_slice::<Page>(&bytes).map_err(|e| Failed {
                        error: fail(
                            attempt,
                            Some(status.as_u16()),
                            format!("the page is not `{{\"items\": [...], \"next_page_token\": ...}}`: {e}"),
                        ),
                        verdict: Verdict::Fail,
                    });
                }
                // Retry-After in seconds (capped), as 429 and 503 answers may carry it.
                let after = response
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(|s| Duration::from_secs(s.min(30)));
                let text = response.text().await.unwrap_or_default();
                let error = fail(
                    attempt,
                    Some(status.as_u16()),
                    format!(
                        "HTTP {status}: {}",
                        text.chars().take(200).collect::<String>()
                    ),
                );
                let verdict = if status.as_u16() == 429 || status.is_server_error() {
                    Verdict::Retry { after }
                } else {
                    Verdict::Fail
                };
                Err(Failed { error, verdict })
            }
        },
        |failed: &Failed| failed.verdict,
    )
    .await
    .map_err(|stopped| stopped.into_error().error)
}

#[async_trait]
impl Source for HttpSource {
    fn label(&self) -> String {
        self.options.url.clone()
    }

    fn replayable(&self) -> bool {
        true
    }

    async fn next_chunk(&mut self) -> Result<Option<Vec<SourceItem>>, SourceError> {
        if self.rx.is_none() {
            self.rx = Some(self.start()?);
        }
        let Some(rx) = self.rx.as_mut() else {
            return Ok(None);
        };
        match rx.recv().await {
            Some(Ok(items)) => Ok(Some(items)),
            Some(Err(err)) => Err(err),
            None => Ok(None),
        }
    }
}
