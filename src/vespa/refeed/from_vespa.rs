//! Documents visited from Vespa (`--from-vespa`), brought to the current shape and put back.
//!
//! Every target (see [`crate::vespa::visit::plan`]) is visited as `slices` streams, each with
//! its own continuation; streams run concurrently, `slices` at a time. Each page is a unit:
//! its continuation is committed once every document of it (and of the pages before) was fed.
//! A document that cannot be brought to the current shape
//! ([`crate::model::vespa::upgrade`]) is listed with its id and fails its page, which holds its
//! slice's checkpoint back: fix or remove the document, and a resume visits it again.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use futures::StreamExt;
use tokio::sync::mpsc;

use super::convert::put_of;
use super::{Commit, Counters, Source, SourceError, Unit, bump};
use crate::model::vespa::upgrade;
use crate::run::CancellationToken;
use crate::vespa::checkpoint::SlicePosition;
use crate::vespa::feed::Transport;
use crate::vespa::visit::{self, Page, VisitOptions, VisitTarget};

/// The streams of a fresh run: every target, every slice, from the start.
pub fn fresh_streams(targets: &[VisitTarget], slices: u32) -> Vec<SlicePosition> {
    targets
        .iter()
        .flat_map(|t| {
            (0..slices.max(1)).map(move |slice| SlicePosition {
                target: t.describe(),
                slice,
                continuation: None,
                done: false,
            })
        })
        .collect()
}

/// Whether checkpointed streams belong to the same visit as `fresh` ones.
pub fn check_same_visit(saved: &[SlicePosition], fresh: &[SlicePosition]) -> Result<(), String> {
    let shape = |v: &[SlicePosition]| -> Vec<(String, u32)> {
        v.iter().map(|s| (s.target.clone(), s.slice)).collect()
    };
    if shape(saved) != shape(fresh) {
        let slices = |v: &[SlicePosition]| v.iter().map(|s| s.slice + 1).max().unwrap_or(0);
        return Err(format!(
            "the checkpoint visits {} streams ({} slices per target), this run {} ({} slices per target)",
            saved.len(),
            slices(saved),
            fresh.len(),
            slices(fresh)
        ));
    }
    Ok(())
}

/// Visits and transforms.
pub struct VisitSource<T> {
    transport: Arc<T>,
    targets: Vec<VisitTarget>,
    options: VisitOptions,
    streams: Vec<SlicePosition>,
    counters: Arc<Counters>,
}

impl<T: Transport> VisitSource<T> {
    /// Visits `targets` from `streams` (from [`fresh_streams`] or a checkpoint).
    pub fn new(
        transport: Arc<T>,
        targets: Vec<VisitTarget>,
        options: VisitOptions,
        streams: Vec<SlicePosition>,
        counters: Arc<Counters>,
    ) -> Self {
        VisitSource {
            transport,
            targets,
            options,
            streams,
            counters,
        }
    }
}

/// The test-and-set condition of a re-fed document: its `updated_at` is still what the visit
/// read (`null` when it had none). A document written or removed since the visit is then left
/// alone (412, counted as "condition not met"), so a re-feed on a live cluster never puts an
/// older version back over a newer one, nor brings back a removed document.
pub fn unchanged_since_visit(id: &str, fields: &serde_json::Value) -> String {
    let doc_type = crate::model::vespa::docid::split(id).map_or("", |p| p.doc_type);
    let value = match fields.get("updated_at") {
        Some(v @ (serde_json::Value::Number(_) | serde_json::Value::String(_))) => v.to_string(),
        _ => "null".to_string(),
    };
    format!("{doc_type}.updated_at == {value}")
}

/// The unit of one page: a put per document in the current shape, on condition that it did
/// not change since it was visited.
pub fn page_unit(page: &Page, stream: usize, index: u64, counters: &Counters) -> Unit {
    let mut ops = Vec::with_capacity(page.documents.len());
    let mut failed = false;
    for doc in &page.documents {
        bump(&counters.read);
        let put = upgrade(&doc.id, &doc.fields)
            .map_err(|err| err.to_string())
            .and_then(|up| {
                if up.changed {
                    bump(&counters.upgraded);
                }
                counters
                    .dropped_fields
                    .fetch_add(up.dropped.len() as u64, Ordering::Relaxed);
                put_of(&up.document).map(|mut op| {
                    op.condition = Some(unchanged_since_visit(&doc.id, &doc.fields));
                    op
                })
            });
        match put {
            Ok(op) => ops.push(op),
            Err(why) => {
                bump(&counters.invalid);
                counters.problem(format!("document `{}`", doc.id), why);
                failed = true;
            }
        }
    }
    Unit {
        ops,
        failed,
        commit: Commit::Page {
            stream,
            index,
            continuation: page.continuation.clone(),
        },
    }
}

#[async_trait]
impl<T: Transport> Source for VisitSource<T> {
    async fn run(
        &mut self,
        units: mpsc::Sender<Unit>,
        cancel: &CancellationToken,
    ) -> Result<(), SourceError> {
        let slices = self.options.slices.max(1) as usize;
        let failure: Mutex<Option<visit::VisitError>> = Mutex::new(None);
        let stop = AtomicBool::new(false);

        let (transport, targets, options, counters) = (
            &self.transport,
            &self.targets,
            &self.options,
            &self.counters,
        );
        let (failure_ref, stop_ref) = (&failure, &stop);
        let todo: Vec<(usize, SlicePosition)> = self
            .streams
            .iter()
            .cloned()
            .enumerate()
            .filter(|(_, s)| !s.done)
            .collect();
        futures::stream::iter(todo)
            .for_each_concurrent(slices, |(stream, position)| {
                let units = units.clone();
                async move {
                    let Some(target) = targets.get(stream / slices) else {
                        return;
                    };
                    let mut continuation = position.continuation;
                    let mut index = 0u64;
                    loop {
                        if cancel.is_cancelled() || stop_ref.load(Ordering::Relaxed) {
                            return;
                        }
                        let path = visit::page_path(
                            target,
                            options,
                            position.slice,
                            continuation.as_deref(),
                        );
                        let page =
                            match visit::fetch_page(transport.as_ref(), &path, options, cancel)
                                .await
                            {
                                Ok(Some(page)) => page,
                                Ok(None) => return,
                                Err(err) => {
                                    if let Ok(mut f) = failure_ref.lock() {
                                        f.get_or_insert(err);
                                    }
                                    stop_ref.store(true, Ordering::Relaxed);
                                    return;
                                }
                            };
                        bump(&counters.pages);
                        let unit = page_unit(&page, stream, index, counters);
                        index += 1;
                        if units.send(unit).await.is_err() {
                            return;
                        }
                        match page.continuation {
                            Some(token) => continuation = Some(token),
                            None => return,
                        }
                    }
                }
            })
            .await;
        match failure.into_inner().ok().flatten() {
            Some(err) => Err(err.into()),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::catalog::DataType;

    #[test]
    fn fresh_streams_cover_every_target_and_slice() {
        let targets = visit::plan(&["a".into(), "b".into()], &[DataType::Email], "office");
        let streams = fresh_streams(&targets, 3);
        assert_eq!(streams.len(), 6);
        assert_eq!(streams[4].target, "/document/v1/office/email/group/b");
        assert_eq!(streams[4].slice, 1);
        assert!(check_same_visit(&streams, &fresh_streams(&targets, 3)).is_ok());
        let err = check_same_visit(&streams, &fresh_streams(&targets, 2)).unwrap_err();
        assert!(
            err.contains("3 slices") && err.contains("2 slices"),
            "{err}"
        );
    }

    #[test]
    fn re_fed_documents_are_conditional_on_the_visited_update_time() {
        let id = "id:office:email:g=u1:m-1";
        assert_eq!(
            unchanged_since_visit(id, &serde_json::json!({"updated_at": 1714464900})),
            "email.updated_at == 1714464900"
        );
        assert_eq!(
            unchanged_since_visit(
                id,
                &serde_json::json!({"updated_at": "2024-04-30T08:15:00Z"})
            ),
            "email.updated_at == \"2024-04-30T08:15:00Z\""
        );
        assert_eq!(
            unchanged_since_visit(id, &serde_json::json!({"title": "no time"})),
            "email.updated_at == null"
        );
    }

    #[test]
    fn a_page_with_a_broken_document_fails_but_feeds_the_others() {
        let counters = Counters::default();
        let page = Page {
            documents: vec![
                visit::Visited {
                    id: "id:office:email:g=u1:m-1".into(),
                    fields: serde_json::json!({"title": "ok", "from_address": "a@x"}),
                },
                visit::Visited {
                    id: "id:office:email:g=u1:m-2".into(),
                    fields: serde_json::json!({"is_read": "perhaps"}),
                },
            ],
            continuation: Some("T".into()),
        };
        let unit = page_unit(&page, 2, 7, &counters);
        assert!(unit.failed);
        assert_eq!(unit.ops.len(), 1);
        assert!(matches!(
            unit.commit,
            Commit::Page { stream: 2, index: 7, continuation: Some(ref t) } if t == "T"
        ));
        let fields: serde_json::Value =
            serde_json::from_str(unit.ops[0].fields.as_ref().unwrap().get()).unwrap();
        assert_eq!(fields["participants"], serde_json::json!(["a@x"]));
        assert_eq!(fields["user_id"], "u1");
        let problems = counters.problems();
        assert_eq!(problems[0].at, "document `id:office:email:g=u1:m-2`");
        assert!(problems[0].message.contains("`is_read`"), "{problems:?}");
        assert_eq!(Counters::get(&counters.read), 2);
        assert_eq!(Counters::get(&counters.invalid), 1);
        assert_eq!(Counters::get(&counters.upgraded), 1);
    }
}
