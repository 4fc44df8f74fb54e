//! The config-server port: application status, reindexing state and triggers.

use super::*;

pub(super) async fn config_api(app: &Arc<App>, req: Request<Incoming>) -> Response<Body> {
    let path = req.uri().path().to_string();
    let Some(rest) = path.strip_prefix("/application/v2/tenant/") else {
        return common_api(app, req, &path).await;
    };
    let segs: Vec<&str> = rest.split('/').collect();
    // t/application/a/environment/e/region/r/instance/i/<op>, or t/application/a/<op>.
    let (tenant, application, instance, op) = match segs.as_slice() {
        [
            t,
            "application",
            a,
            "environment",
            _,
            "region",
            _,
            "instance",
            i,
            op,
        ] => (*t, *a, *i, *op),
        [t, "application", a, op] => (*t, *a, "default", *op),
        _ => {
            return respond_json(
                404,
                &json!({"error-code": "NOT_FOUND", "message": format!("Nothing at '{path}'")}),
            );
        }
    };
    let app_id = format!("{tenant}.{application}.{instance}");
    if app_id != app.config.application {
        return respond_json(
            404,
            &json!({"error-code": "NOT_FOUND", "message": format!("Application '{app_id}' not found")}),
        );
    }
    let params = Params(parse_query(req.uri().query()));
    let method = req.method().clone();
    let result = match (op, &method) {
        ("reindexing", &Method::GET) => {
            let clusters = app.cluster_types();
            let status = app.reindexing().status(&clusters);
            return respond(200, status);
        }
        ("reindexing", &Method::POST) => {
            app.reindexing().enabled = true;
            Ok(json!({"message": "Reindexing enabled"}))
        }
        ("reindexing", &Method::DELETE) => {
            let mut r = app.reindexing();
            r.sync();
            r.enabled = false;
            Ok(json!({"message": "Reindexing disabled"}))
        }
        ("reindex", &Method::POST) => trigger_reindex(app, &params, &app_id),
        ("reindex", &Method::PUT) => reindex_speed(app, &params, &app_id),
        ("reindex" | "reindexing", _) => {
            return respond_json(
                405,
                &json!({"error-code": "METHOD_NOT_ALLOWED", "message": format!("Method '{method}' is not supported")}),
            );
        }
        _ => {
            return respond_json(
                404,
                &json!({"error-code": "NOT_FOUND", "message": format!("Nothing at '{path}'")}),
            );
        }
    };
    match result {
        Ok(v) => respond_json(200, &v),
        Err(m) => respond_json(400, &json!({"error-code": "BAD_REQUEST", "message": m})),
    }
}

/// (cluster, types) pairs a reindex request names.
pub(super) fn reindex_targets(
    app: &App,
    params: &Params,
    indexed_only: bool,
) -> Result<Vec<(String, Vec<String>)>, String> {
    let list = |name: &str| -> Result<Option<Vec<String>>, String> {
        Ok(params.get(name)?.map(|v| {
            v.split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        }))
    };
    let all = app.cluster_types();
    let clusters = list("clusterId")?;
    let types = list("documentType")?;
    let mut out = Vec::new();
    let names: Vec<String> = match &clusters {
        Some(c) => c.clone(),
        None => all.iter().map(|(c, _)| c.clone()).collect(),
    };
    for name in names {
        let Some((_, cluster_types)) = all.iter().find(|(c, _)| *c == name) else {
            return Err(format!(
                "No content cluster '{name}' in application — only: {}",
                all.iter()
                    .map(|(c, _)| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        };
        let mut chosen: Vec<String> = match &types {
            None => cluster_types.clone(),
            Some(ts) => {
                let mut v = Vec::new();
                for t in ts {
                    if cluster_types.contains(t) || app.schema.is_open() {
                        v.push(t.clone());
                    } else if clusters.is_some() {
                        return Err(format!(
                            "No document type '{t}' in cluster '{name}' — only: {}",
                            cluster_types.join(", ")
                        ));
                    }
                }
                v
            }
        };
        if indexed_only && !app.schema.is_open() {
            let cluster = app.schema.cluster(&name);
            chosen
                .retain(|t| cluster.is_some_and(|c| c.types.get(t).is_some_and(|m| m == "index")));
        }
        chosen.sort();
        if !chosen.is_empty() {
            out.push((name, chosen));
        }
    }
    if let Some(ts) = &types
        && clusters.is_none()
        && !app.schema.is_open()
    {
        for t in ts {
            if !all.iter().any(|(_, types)| types.contains(t)) {
                return Err(format!("No document type '{t}' in any content cluster"));
            }
        }
    }
    out.sort();
    Ok(out)
}

pub(super) fn describe_targets(targets: &[(String, Vec<String>)]) -> String {
    targets
        .iter()
        .map(|(c, ts)| format!("[{}] in '{c}'", ts.join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn trigger_reindex(app: &App, params: &Params, app_id: &str) -> Result<Value, String> {
    let speed = params.parse::<f64>("speed")?.unwrap_or(1.0);
    if !(speed > 0.0 && speed <= 10.0) {
        return Err(format!(
            "Reindexing speed must be in (0, 10], but was {}",
            reindex::java_double(speed)
        ));
    }
    let indexed_only = params.boolean("indexedOnly")?.unwrap_or(false);
    let cause = params
        .get("cause")?
        .unwrap_or("reindexing for an unknown reason")
        .to_string();
    let targets = reindex_targets(app, params, indexed_only)?;
    if targets.is_empty() {
        return Ok(
            json!({"message": format!("Not reindexing any document types of application {app_id}")}),
        );
    }
    let mut r = app.reindexing();
    for (cluster, types) in &targets {
        r.trigger(cluster, types, speed, &cause);
    }
    Ok(json!({"message": format!(
        "Reindexing document types {} of application {app_id}",
        describe_targets(&targets)
    )}))
}

pub(super) fn reindex_speed(app: &App, params: &Params, app_id: &str) -> Result<Value, String> {
    let Some(speed) = params.parse::<f64>("speed")? else {
        return Err("Must specify 'speed'".to_string());
    };
    if !(0.0..=10.0).contains(&speed) {
        return Err(format!(
            "Reindexing speed must be in [0, 10], but was {}",
            reindex::java_double(speed)
        ));
    }
    let indexed_only = params.boolean("indexedOnly")?.unwrap_or(false);
    let targets = reindex_targets(app, params, indexed_only)?;
    let mut r = app.reindexing();
    let mut changed = Vec::new();
    for (cluster, types) in &targets {
        let c = r.set_speed(cluster, types, speed);
        if !c.is_empty() {
            changed.push((cluster.clone(), c));
        }
    }
    r.deploy();
    let short = app_id.strip_suffix(".default").unwrap_or(app_id);
    Ok(json!({"message": format!(
        "Set reindexing speed to '{}' for document types {} of application {short}",
        reindex::java_double(speed),
        describe_targets(&changed)
    )}))
}
