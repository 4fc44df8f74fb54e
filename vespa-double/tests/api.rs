//! The double in-process, over real sockets: HTTP/1.1 and h2c on one port, gzip bodies, status
//! codes and bodies of /document/v1, visiting with continuations, faults, search, reindexing.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::rt::{TokioExecutor, TokioIo};
use serde_json::{Value, json};
use vespa_double::{Config, Running};

async fn start(extra: impl FnOnce(&mut Config)) -> Running {
    let mut config = Config {
        app: Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../vespa/app")),
        ..Config::default()
    };
    extra(&mut config);
    vespa_double::start(config).await.expect("double starts")
}

/// One HTTP/1.1 request on a fresh connection.
async fn h1(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: Option<Vec<u8>>,
    headers: &[(&str, &str)],
) -> (u16, Value) {
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut send, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(conn);
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header("host", "127.0.0.1");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = req
        .body(Full::new(Bytes::from(body.unwrap_or_default())))
        .unwrap();
    let resp = send.send_request(req).await.unwrap();
    let status = resp.status().as_u16();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

async fn h1_json(addr: SocketAddr, method: &str, path: &str, body: Value) -> (u16, Value) {
    h1(
        addr,
        method,
        path,
        Some(body.to_string().into_bytes()),
        &[("content-type", "application/json; charset=utf-8")],
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn h2c_prior_knowledge_and_http1_share_the_port() {
    let d = start(|_| {}).await;
    let stream = tokio::net::TcpStream::connect(d.addr).await.unwrap();
    let (mut send, conn) =
        hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(stream))
            .await
            .unwrap();
    tokio::spawn(conn);
    // Many concurrent streams on one connection, gzip bodies among them.
    let mut tasks = Vec::new();
    for i in 0..200 {
        let mut send = send.clone();
        tasks.push(tokio::spawn(async move {
            let body = json!({"fields": {"title": format!("doc {i}"), "text": "x".repeat(600)}})
                .to_string();
            let mut req = Request::builder()
                .method("POST")
                .uri(format!(
                    "http://127.0.0.1/document/v1/office/todo/group/h2/d{i}"
                ))
                .header("content-type", "application/json; charset=utf-8");
            let payload = if i % 2 == 0 {
                req = req.header("content-encoding", "gzip");
                let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                gz.write_all(body.as_bytes()).unwrap();
                gz.finish().unwrap()
            } else {
                body.into_bytes()
            };
            let resp = send
                .send_request(req.body(Full::new(Bytes::from(payload))).unwrap())
                .await
                .unwrap();
            assert_eq!(resp.version(), hyper::Version::HTTP_2);
            resp.status().as_u16()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 200);
    }
    let req = Request::builder()
        .uri("http://127.0.0.1/document/v1/office/todo/group/h2/d7")
        .body(Full::new(Bytes::new()))
        .unwrap();
    let resp = send.send_request(req).await.unwrap();
    let body: Value =
        serde_json::from_slice(&resp.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert_eq!(body["fields"]["title"], "doc 7");
    let (status, body) = h1(
        d.addr,
        "GET",
        "/document/v1/office/todo/group/h2/d8",
        None,
        &[],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["id"], "id:office:todo:g=h2:d8");
    assert_eq!(body["fields"]["text"].as_str().unwrap().len(), 600);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn document_status_codes_and_bodies() {
    let d = start(|_| {}).await;
    let a = d.addr;
    let p = "/document/v1/office/email/group/u1/m1";
    let (s, b) = h1_json(
        a,
        "POST",
        p,
        json!({"fields": {"title": "Hi", "updated_at": 5}}),
    )
    .await;
    assert_eq!(
        (s, b.clone()),
        (200, json!({"pathId": p, "id": "id:office:email:g=u1:m1"}))
    );
    // Key order as Vespa writes it.
    let (_, raw) = h1(a, "GET", p, None, &[]).await;
    assert_eq!(raw["fields"], json!({"title": "Hi", "updated_at": 5}));

    let (s, b) = h1(
        a,
        "GET",
        "/document/v1/office/email/group/u1/nope",
        None,
        &[],
    )
    .await;
    assert_eq!(
        (s, b),
        (
            404,
            json!({"pathId": "/document/v1/office/email/group/u1/nope", "id": "id:office:email:g=u1:nope"})
        )
    );
    // Update and remove of a missing document are successful no-ops.
    let (s, _) = h1_json(
        a,
        "PUT",
        "/document/v1/office/email/group/u1/nope",
        json!({"fields": {"title": {"assign": "x"}}}),
    )
    .await;
    assert_eq!(s, 200);
    let (s, _) = h1(
        a,
        "DELETE",
        "/document/v1/office/email/group/u1/nope",
        None,
        &[],
    )
    .await;
    assert_eq!(s, 200);
    let (s, _) = h1(
        a,
        "GET",
        "/document/v1/office/email/group/u1/nope",
        None,
        &[],
    )
    .await;
    assert_eq!(s, 404);
    // create=true makes it an upsert; arithmetic starts from 0.
    let (s, _) = h1_json(
        a,
        "PUT",
        "/document/v1/office/email/group/u1/up?create=true",
        json!({"fields": {"updated_at": {"increment": 3}}}),
    )
    .await;
    assert_eq!(s, 200);
    let (_, b) = h1(a, "GET", "/document/v1/office/email/group/u1/up", None, &[]).await;
    assert_eq!(b["fields"]["updated_at"], 3);

    // Conditions: 412 on mismatch and on a missing document, in the query or the body.
    let (s, b) = h1_json(
        a,
        "PUT",
        &format!("{p}?condition=email.updated_at%3E5"),
        json!({"fields": {"title": {"assign": "No"}}}),
    )
    .await;
    assert_eq!(s, 412);
    assert!(
        b["message"]
            .as_str()
            .unwrap()
            .contains("TEST_AND_SET_CONDITION_FAILED")
    );
    let (s, _) = h1_json(
        a,
        "PUT",
        p,
        json!({"condition": "email.updated_at==5", "fields": {"title": {"assign": "Yes"}}}),
    )
    .await;
    assert_eq!(s, 200);
    let (s, _) = h1(
        a,
        "DELETE",
        "/document/v1/office/email/group/u1/nope?condition=email.updated_at%3E0",
        None,
        &[],
    )
    .await;
    assert_eq!(s, 412);
    let (s, _) = h1_json(
        a,
        "POST",
        "/document/v1/office/email/group/u1/nope?condition=email.title%3D%3D%27x%27&create=true",
        json!({"fields": {}}),
    )
    .await;
    assert_eq!(s, 200);

    // 400s with Vespa's messages.
    let cases: &[(&str, &str, Value, &str)] = &[
        (
            "POST",
            "/document/v1/office/house/group/u1/x",
            json!({"fields": {}}),
            "Document type house does not exist",
        ),
        (
            "POST",
            p,
            json!({"fields": {"nope": 1}}),
            "No field 'nope' in the structure of type 'email'",
        ),
        (
            "PUT",
            p,
            json!({"fields": {"nope": {"assign": 1}}}),
            "No field named 'nope' in email",
        ),
        (
            "POST",
            &format!("{p}?route="),
            json!({"fields": {}}),
            "Expected non-empty value for request property 'route'",
        ),
        (
            "GET",
            "/document/v1/?cluster=blargh",
            Value::Null,
            "Your Vespa deployment has no content cluster 'blargh', only 'office'",
        ),
        (
            "GET",
            "/document/v1/",
            Value::Null,
            "Must set 'cluster' parameter to a valid content cluster id when visiting at a root /document/v1/ level",
        ),
        (
            "GET",
            "/document/v1/office/email/docid?slices=2",
            Value::Null,
            "None or both of 'slices' and 'sliceId' must be set",
        ),
        (
            "GET",
            "/document/v1/office/email/docid?wantedDocumentCount=0",
            Value::Null,
            "wantedDocumentCount must be positive",
        ),
        (
            "DELETE",
            "/document/v1/office/email/docid?selection=true",
            Value::Null,
            "Must specify 'cluster' at '/document/v1/office/email/docid'",
        ),
    ];
    for (method, path, body, message) in cases {
        let (s, b) = if body.is_null() {
            h1(a, method, path, None, &[]).await
        } else {
            h1_json(a, method, path, body.clone()).await
        };
        assert_eq!(
            (s, b["message"].as_str()),
            (400, Some(*message)),
            "{method} {path}"
        );
    }
    let (s, b) = h1(a, "POST", p, Some(Vec::new()), &[]).await;
    assert_eq!(
        (s, b["message"].as_str()),
        (400, Some("expected start of root object, got null"))
    );
    let (s, b) = h1(a, "POST", p, Some(b"{nope".to_vec()), &[]).await;
    assert_eq!(s, 400);
    assert!(
        b["message"]
            .as_str()
            .unwrap()
            .starts_with("failed parsing document")
    );
    let (s, b) = h1(a, "GET", "/document/v1/not-found", None, &[]).await;
    assert_eq!(s, 404);
    assert!(
        b["message"].as_str().unwrap().starts_with(
            "Nothing at '/document/v1/not-found'. Available paths are:\n/document/v1/\n"
        )
    );
    // The Java client's handshake.
    let (s, _) = h1(
        a,
        "POST",
        "/document/v1/feeder/handshake/docid/dummy?dryRun=true",
        None,
        &[],
    )
    .await;
    assert_eq!(s, 200);
    let (s, _) = h1(a, "OPTIONS", p, None, &[]).await;
    assert_eq!(s, 204);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn visiting_pages_with_continuations_slices_and_selections() {
    let d = start(|_| {}).await;
    let a = d.addr;
    for i in 0..25 {
        let (s, _) = h1_json(
            a,
            "POST",
            &format!("/document/v1/office/todo/group/g{}/t{i}", i % 5),
            json!({"fields": {"title": format!("t{i}"), "updated_at": i}}),
        )
        .await;
        assert_eq!(s, 200);
    }
    // Paging with wantedDocumentCount=4 visits everything exactly once.
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let path = match &token {
            Some(t) => {
                format!("/document/v1/?cluster=office&wantedDocumentCount=4&continuation={t}")
            }
            None => "/document/v1/?cluster=office&wantedDocumentCount=4".to_string(),
        };
        let (s, b) = h1(a, "GET", &path, None, &[]).await;
        assert_eq!(s, 200, "{b}");
        let docs = b["documents"].as_array().unwrap();
        assert_eq!(b["documentCount"].as_u64().unwrap() as usize, docs.len());
        seen.extend(docs.iter().map(|d| d["id"].as_str().unwrap().to_string()));
        match b.get("continuation") {
            Some(t) => token = Some(t.as_str().unwrap().to_string()),
            None => break,
        }
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 25);
    // A group path, a selection, and the global bucket space (no global types: empty).
    let (_, b) = h1(
        a,
        "GET",
        "/document/v1/office/todo/group/g1?wantedDocumentCount=100",
        None,
        &[],
    )
    .await;
    assert_eq!(b["documentCount"], 5);
    let (_, b) = h1(a, "GET", "/document/v1/office/todo/docid?wantedDocumentCount=100&selection=todo.updated_at%3C10%20and%20id.group%3D%3D%27g1%27", None, &[]).await;
    assert_eq!(b["documentCount"], 2);
    let (_, b) = h1(
        a,
        "GET",
        "/document/v1/?cluster=office&bucketSpace=global&wantedDocumentCount=100",
        None,
        &[],
    )
    .await;
    assert_eq!(
        (b["documentCount"].clone(), b.get("continuation")),
        (json!(0), None)
    );
    let mut total = 0;
    for slice in 0..3 {
        let (_, b) = h1(
            a,
            "GET",
            &format!(
                "/document/v1/office/todo/docid?wantedDocumentCount=100&slices=3&sliceId={slice}"
            ),
            None,
            &[],
        )
        .await;
        total += b["documentCount"].as_u64().unwrap();
    }
    assert_eq!(total, 25);
    // Delete-where and update-where.
    let (s, b) = h1_json(
        a,
        "PUT",
        "/document/v1/office/todo/group/g2?cluster=office&selection=true",
        json!({"fields": {"status": {"assign": "done"}}}),
    )
    .await;
    assert_eq!((s, b["documentCount"].clone()), (200, json!(5)));
    let (_, b) = h1(a, "GET", "/document/v1/office/todo/group/g2/t2", None, &[]).await;
    assert_eq!(b["fields"]["status"], "done");
    let (s, b) = h1(
        a,
        "DELETE",
        "/document/v1/office/todo/group/g2?cluster=office&selection=todo.updated_at%3E10",
        None,
        &[],
    )
    .await;
    assert_eq!((s, b["documentCount"].clone()), (200, json!(3)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_queue_limit_and_admin() {
    let d = start(|c| c.queue_size = 4).await;
    let a = d.addr;
    let (s, _) = h1_json(
        a,
        "POST",
        "/_double/faults",
        json!({"doctype": "contact", "503": 1.0, "limit": 2}),
    )
    .await;
    assert_eq!(s, 200);
    let p = "/document/v1/office/contact/group/u/c1";
    let body = json!({"fields": {"title": "x"}});
    assert_eq!(h1_json(a, "POST", p, body.clone()).await.0, 503);
    assert_eq!(h1_json(a, "POST", p, body.clone()).await.0, 503);
    assert_eq!(h1_json(a, "POST", p, body.clone()).await.0, 200);
    // Other types are not affected by a scoped rule.
    assert_eq!(
        h1_json(
            a,
            "POST",
            "/document/v1/office/todo/group/u/t",
            body.clone()
        )
        .await
        .0,
        200
    );
    h1_json(
        a,
        "POST",
        "/_double/faults",
        json!({"header": "X-Test: slow", "latency_ms": 300}),
    )
    .await;
    let mut tasks = Vec::new();
    for i in 0..8 {
        tasks.push(tokio::spawn(async move {
            h1_json(
                a,
                "POST",
                &format!("/document/v1/office/todo/group/u/q{i}"),
                json!({"fields": {}}),
            )
            .await;
            h1(
                a,
                "POST",
                &format!("/document/v1/office/todo/group/u/q{i}"),
                Some(b"{}".to_vec()),
                &[("x-test", "slow")],
            )
            .await
        }));
    }
    let mut codes = Vec::new();
    for t in tasks {
        let (s, b) = t.await.unwrap();
        if s == 429 {
            assert_eq!(
                b["message"],
                "Rejecting execution due to overload: 4 requests already enqueued"
            );
        }
        codes.push(s);
    }
    assert!(codes.contains(&429) && codes.contains(&200), "{codes:?}");
    let (_, stats) = h1(a, "GET", "/_double/stats", None, &[]).await;
    assert!(stats["responses"]["429"].as_u64().unwrap() >= 1);
    let (s, b) = h1(a, "DELETE", "/_double/faults", None, &[]).await;
    assert_eq!((s, b), (200, json!({"rules": []})));
    let (s, b) = h1(a, "POST", "/_double/reset", None, &[]).await;
    assert_eq!(s, 200);
    assert!(b["removed"].as_u64().unwrap() >= 2);
    let (s, _) = h1_json(a, "POST", "/_double/faults", json!({"418": 0.5})).await;
    assert_eq!(s, 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_with_streaming_groups_and_restrict() {
    let d = start(|_| {}).await;
    let a = d.addr;
    let docs = [
        ("email", "alice", "e1", "Quarterly plan", "plan plan plan"),
        ("email", "alice", "e2", "Lunch", "no plan here"),
        ("todo", "alice", "t1", "Write the plan", ""),
        ("email", "bob", "e3", "Plan for bob", ""),
    ];
    for (t, user, id, title, text) in docs {
        let (s, _) = h1_json(
            a,
            "POST",
            &format!("/document/v1/office/{t}/group/{user}/{id}"),
            json!({"fields": {"title": title, "text": text, "user_id": user}}),
        )
        .await;
        assert_eq!(s, 200);
    }
    let yql = "select * from sources * where default contains \"plan\" and user_id = \"alice\"";
    let path = format!(
        "/search/?yql={}&streaming.groupname=alice",
        yql.replace(' ', "%20").replace('"', "%22")
    );
    let (s, b) = h1(a, "GET", &path, None, &[]).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["root"]["fields"]["totalCount"], 3);
    let hits = b["root"]["children"].as_array().unwrap();
    assert_eq!(
        hits[0]["id"], "id:office:email:g=alice:e1",
        "most occurrences first"
    );
    assert_eq!(hits[0]["fields"]["sddocname"], "email");
    assert!(hits[0]["relevance"].as_f64().unwrap() > hits[1]["relevance"].as_f64().unwrap());
    let (_, b) = h1_json(a, "POST", "/search/", json!({"yql": yql, "hits": 1, "model": {"restrict": "todo"}, "streaming": {"groupname": "alice"}})).await;
    assert_eq!(b["root"]["fields"]["totalCount"], 1);
    assert_eq!(b["root"]["children"][0]["fields"]["sddocname"], "todo");
    let (s, b) = h1(
        a,
        "GET",
        "/search/?yql=select%20*%20from%20sources%20*%20where%20title%20contains%20%22zzz%22",
        None,
        &[],
    )
    .await;
    assert_eq!(
        (s, b),
        (
            200,
            json!({"root": {"id": "toplevel", "relevance": 1.0, "fields": {"totalCount": 0},
        "coverage": {"coverage": 100, "documents": 4, "full": true, "nodes": 1, "results": 1, "resultsFull": 1}}})
        )
    );
    let (s, b) = h1(
        a,
        "GET",
        "/search/?yql=select%20*%20from%20sources%20*%20where%20nofield%20contains%20%22x%22",
        None,
        &[],
    )
    .await;
    assert_eq!(s, 400);
    assert_eq!(b["root"]["errors"][0]["code"], 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reindexing_state_machine_over_http() {
    let d = start(|c| {
        c.reindex_rate = 0.01;
        c.reindex_start_delay_ms = 100.0;
    })
    .await;
    let c = d.config_addr;
    let base = "/application/v2/tenant/default/application/default/environment/prod/region/default/instance/default";
    let (s, b) = h1(
        c,
        "POST",
        &format!("{base}/reindex?clusterId=office&documentType=todo,email&cause=schema%20change"),
        None,
        &[],
    )
    .await;
    assert_eq!(
        (s, b["message"].as_str()),
        (
            200,
            Some(
                "Reindexing document types [email, todo] in 'office' of application default.default.default"
            )
        )
    );
    let (_, b) = h1(c, "GET", &format!("{base}/reindexing"), None, &[]).await;
    assert_eq!(b["enabled"], true);
    assert_eq!(b["clusters"]["office"]["pending"], json!({}));
    assert_eq!(b["clusters"]["office"]["ready"]["todo"]["state"], "pending");
    assert_eq!(
        b["clusters"]["office"]["ready"]["todo"]["cause"],
        "schema change"
    );
    assert_eq!(b["clusters"]["office"]["ready"]["contact"], json!({}));
    let (s, _) = h1(c, "POST", "/_double/clock?advance_ms=50200", None, &[]).await;
    assert_eq!(s, 200);
    let (_, b) = h1(c, "GET", &format!("{base}/reindexing"), None, &[]).await;
    let email = &b["clusters"]["office"]["ready"]["email"];
    assert_eq!(email["state"], "running", "{b}");
    let progress = email["progress"].as_f64().unwrap();
    assert!((0.49..0.52).contains(&progress), "{progress}");
    assert_eq!(
        b["clusters"]["office"]["ready"]["todo"]["state"], "pending",
        "one type at a time"
    );
    let (s, b) = h1(
        c,
        "PUT",
        &format!("{base}/reindex?clusterId=office&documentType=email&speed=0"),
        None,
        &[],
    )
    .await;
    assert_eq!(
        (s, b["message"].as_str()),
        (
            200,
            Some(
                "Set reindexing speed to '0.0' for document types [email] in 'office' of application default.default"
            )
        )
    );
    // The double's clock is the wall clock plus an offset, so a little more progress may be
    // made between the read above and the halt: compare against the halted value.
    let (_, b) = h1(c, "GET", &format!("{base}/reindexing"), None, &[]).await;
    let halted = b["clusters"]["office"]["ready"]["email"]["progress"]
        .as_f64()
        .unwrap();
    assert!(
        (progress..0.52).contains(&halted),
        "{progress} then {halted}"
    );
    h1(c, "POST", "/_double/clock?advance_ms=100000", None, &[]).await;
    let (_, b) = h1(c, "GET", &format!("{base}/reindexing"), None, &[]).await;
    assert_eq!(
        b["clusters"]["office"]["ready"]["email"]["progress"]
            .as_f64()
            .unwrap(),
        halted,
        "a halted reindexing makes no progress"
    );
    h1(c, "PUT", &format!("{base}/reindex?speed=10"), None, &[]).await;
    h1(c, "POST", "/_double/clock?advance_ms=20000", None, &[]).await;
    let (_, b) = h1(c, "GET", &format!("{base}/reindexing"), None, &[]).await;
    for t in ["email", "todo"] {
        let e = &b["clusters"]["office"]["ready"][t];
        assert_eq!(
            (e["state"].as_str(), e["progress"].as_f64()),
            (Some("successful"), Some(1.0)),
            "{t}: {e}"
        );
    }
    for (method, query, message) in [
        (
            "POST",
            "clusterId=nope",
            "No content cluster 'nope' in application — only: office",
        ),
        (
            "POST",
            "clusterId=office&documentType=house",
            "No document type 'house' in cluster 'office' — only: booking, calendar, contact, email, llm_chat, meeting_poll, office_document, shipment, todo",
        ),
        (
            "POST",
            "speed=11",
            "Reindexing speed must be in (0, 10], but was 11.0",
        ),
    ] {
        let (s, b) = h1(c, method, &format!("{base}/reindex?{query}"), None, &[]).await;
        assert_eq!(
            (s, b["error-code"].as_str(), b["message"].as_str()),
            (400, Some("BAD_REQUEST"), Some(message))
        );
    }
    let (s, b) = h1(
        c,
        "POST",
        &format!("{base}/reindex?indexedOnly=true"),
        None,
        &[],
    )
    .await;
    assert_eq!(
        (s, b["message"].as_str()),
        (
            200,
            Some("Not reindexing any document types of application default.default.default")
        )
    );
    let (s, _) = h1(c, "GET", "/application/v2/tenant/other/application/default/environment/prod/region/default/instance/default/reindexing", None, &[]).await;
    assert_eq!(s, 404);
    let (s, b) = h1(c, "DELETE", &format!("{base}/reindexing"), None, &[]).await;
    assert_eq!(
        (s, b["message"].as_str()),
        (200, Some("Reindexing disabled"))
    );
}
