//! The JSON Schema walk: the subset of draft 2020-12 that schemars emits, every problem collected
//! with its JSONPath (serde would stop at the first).

use super::{Problem, problem};
use chrono::{DateTime, NaiveDate};
use serde_json::{Map, Value};

/// A JSON path under construction, borrowing its keys from the value being checked; rendered
/// only when a problem is found.
pub(super) struct Path<'v>(Vec<Seg<'v>>);

enum Seg<'v> {
    Key(&'v str),
    Index(usize),
}

impl<'v> Path<'v> {
    pub(super) fn root() -> Path<'v> {
        Path(Vec::new())
    }

    fn render(&self) -> String {
        let mut out = String::from("$");
        for seg in &self.0 {
            match seg {
                Seg::Key(k) => push_key(&mut out, k),
                Seg::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }
}

/// Appends `.key`, or `["key"]` for a key that is not a plain identifier.
fn push_key(out: &mut String, key: &str) {
    if is_plain_key(key) {
        out.push('.');
        out.push_str(key);
    } else {
        out.push('[');
        out.push_str(&Value::String(key.to_string()).to_string());
        out.push(']');
    }
}

fn is_plain_key(k: &str) -> bool {
    !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

pub(super) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn type_matches(name: &str, value: &Value) -> bool {
    match name {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
    }
}

/// Depth guard: schemars schemas are not recursive here, but a hostile `$ref` loop must not
/// overflow the stack.
const MAX_DEPTH: usize = 64;

pub(super) fn check_schema<'v>(
    root: &Value,
    schema: &Value,
    value: &'v Value,
    path: &mut Path<'v>,
    out: &mut Vec<Problem>,
) {
    check_at_depth(root, schema, value, path, out, 0);
}

fn check_at_depth<'v>(
    root: &Value,
    schema: &Value,
    value: &'v Value,
    path: &mut Path<'v>,
    out: &mut Vec<Problem>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        out.push(problem(path.render(), "nested too deeply"));
        return;
    }
    let schema = match schema {
        Value::Bool(true) => return,
        Value::Bool(false) => {
            out.push(problem(path.render(), "is not allowed here"));
            return;
        }
        Value::Object(s) => s,
        _ => return,
    };
    if let Some(Value::String(reference)) = schema.get("$ref") {
        match resolve_ref(root, reference) {
            Some(target) => check_at_depth(root, target, value, path, out, depth + 1),
            None => out.push(problem(
                path.render(),
                format!("schema error: unresolved `{reference}`"),
            )),
        }
    }
    if let Some(types) = schema.get("type") {
        let ok = match types {
            Value::String(t) => type_matches(t, value),
            Value::Array(ts) => ts
                .iter()
                .any(|t| t.as_str().is_some_and(|t| type_matches(t, value))),
            _ => true,
        };
        if !ok {
            let expected = match types {
                Value::Array(ts) => ts
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(" or "),
                other => other.as_str().unwrap_or("?").to_string(),
            };
            out.push(problem(
                path.render(),
                format!("expected {expected}, found {}", kind(value)),
            ));
            // Other keywords would only repeat the type mismatch.
            return;
        }
    }
    if let Some(expected) = schema.get("const")
        && value != expected
    {
        out.push(problem(
            path.render(),
            format!("expected {expected}, found {value}"),
        ));
    }
    if let Some(Value::Array(allowed)) = schema.get("enum")
        && !allowed.contains(value)
    {
        out.push(problem(path.render(), enum_message(allowed, value)));
    }
    for keyword in ["anyOf", "oneOf"] {
        if let Some(Value::Array(branches)) = schema.get(keyword) {
            check_alternatives(root, branches, value, path, out, depth);
        }
    }
    // `if`/`then`/`else` (draft 2020-12 §10.2.2): the generated event schemas use it to relax
    // the items of a `delete` (see `schema::with_deletion_branch`).
    if let Some(condition) = schema.get("if") {
        let mut scratch = Vec::new();
        check_at_depth(root, condition, value, path, &mut scratch, depth + 1);
        let branch = if scratch.is_empty() {
            schema.get("then")
        } else {
            schema.get("else")
        };
        if let Some(branch) = branch {
            check_at_depth(root, branch, value, path, out, depth + 1);
        }
    }
    if let Some(Value::Array(all)) = schema.get("allOf") {
        for sub in all {
            check_at_depth(root, sub, value, path, out, depth + 1);
        }
    }
    match value {
        Value::Object(object) => check_object(root, schema, object, path, out, depth),
        Value::Array(items) => check_array(root, schema, items, path, out, depth),
        Value::String(s) => check_string(schema, s, path, out),
        Value::Number(n) => check_number(schema, n, path, out),
        _ => {}
    }
}

fn enum_message(allowed: &[Value], value: &Value) -> String {
    let names: Vec<String> = allowed.iter().map(Value::to_string).collect();
    format!("expected one of {}, found {value}", names.join(", "))
}

fn check_alternatives<'v>(
    root: &Value,
    branches: &[Value],
    value: &'v Value,
    path: &mut Path<'v>,
    out: &mut Vec<Problem>,
    depth: usize,
) {
    // Enumerations with documented variants come out as `oneOf` of `const`s.
    if branches.iter().all(|b| b.get("const").is_some()) {
        if !branches.iter().any(|b| b.get("const") == Some(value)) {
            let consts: Vec<Value> = branches
                .iter()
                .filter_map(|b| b.get("const").cloned())
                .collect();
            out.push(problem(path.render(), enum_message(&consts, value)));
        }
        return;
    }
    let mut best: Option<Vec<Problem>> = None;
    // Rendered once a branch has failed: most values match their first branch.
    let mut here: Option<String> = None;
    for branch in branches {
        let mut found = Vec::new();
        check_at_depth(root, branch, value, path, &mut found, depth + 1);
        if found.is_empty() {
            return;
        }
        let here = here.get_or_insert_with(|| path.render()).as_str();
        // Prefer the branch whose type matched (its problems are deeper or about content),
        // then the one with the fewest problems.
        let type_mismatch = found
            .iter()
            .any(|p| p.path == here && p.message.starts_with("expected "));
        let better = match &best {
            None => true,
            Some(current) => {
                let current_mismatch = current
                    .iter()
                    .any(|p| p.path == here && p.message.starts_with("expected "));
                (current_mismatch && !type_mismatch)
                    || (current_mismatch == type_mismatch && found.len() < current.len())
            }
        };
        if better {
            best = Some(found);
        }
    }
    if let Some(found) = best {
        out.extend(found);
    }
}

fn resolve_ref<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    // schemars refers to `#/$defs/Name`: two lookups, without the unescaping allocations of a
    // general JSON pointer.
    if let Some(name) = pointer.strip_prefix("/$defs/")
        && !name.contains(['/', '~'])
    {
        return root.get("$defs")?.get(name);
    }
    root.pointer(pointer)
}

fn check_object<'v>(
    root: &Value,
    schema: &Map<String, Value>,
    object: &'v Map<String, Value>,
    path: &mut Path<'v>,
    out: &mut Vec<Problem>,
    depth: usize,
) {
    let properties = schema.get("properties").and_then(Value::as_object);
    if let Some(Value::Array(required)) = schema.get("required") {
        for name in required.iter().filter_map(Value::as_str) {
            if !object.contains_key(name) {
                let mut at = path.render();
                push_key(&mut at, name);
                out.push(problem(at, "required field is missing"));
            }
        }
    }
    let additional = schema.get("additionalProperties");
    for (key, child) in object {
        path.0.push(Seg::Key(key));
        match properties.and_then(|p| p.get(key)) {
            Some(sub) => check_at_depth(root, sub, child, path, out, depth + 1),
            None => match additional {
                Some(Value::Bool(false)) => {
                    out.push(problem(path.render(), format!("unknown field `{key}`")));
                }
                Some(sub @ Value::Object(_)) => {
                    check_at_depth(root, sub, child, path, out, depth + 1)
                }
                _ => {}
            },
        }
        path.0.pop();
    }
}

fn check_array<'v>(
    root: &Value,
    schema: &Map<String, Value>,
    items: &'v [Value],
    path: &mut Path<'v>,
    out: &mut Vec<Problem>,
    depth: usize,
) {
    if let Some(min) = schema.get("minItems").and_then(Value::as_u64)
        && (items.len() as u64) < min
    {
        out.push(problem(
            path.render(),
            format!("needs at least {min} item(s), has {}", items.len()),
        ));
    }
    if let Some(max) = schema.get("maxItems").and_then(Value::as_u64)
        && (items.len() as u64) > max
    {
        out.push(problem(
            path.render(),
            format!("allows at most {max} item(s), has {}", items.len()),
        ));
    }
    if let Some(item_schema) = schema.get("items") {
        for (i, item) in items.iter().enumerate() {
            path.0.push(Seg::Index(i));
            check_at_depth(root, item_schema, item, path, out, depth + 1);
            path.0.pop();
        }
    }
}

fn check_string(schema: &Map<String, Value>, s: &str, path: &mut Path, out: &mut Vec<Problem>) {
    // JSON Schema counts characters (code points), not bytes.
    let len = || s.chars().count() as u64;
    if let Some(min) = schema.get("minLength").and_then(Value::as_u64)
        && len() < min
    {
        let message = if min == 1 {
            "must not be empty".to_string()
        } else {
            format!("must be at least {min} characters, is {}", len())
        };
        out.push(problem(path.render(), message));
    }
    if let Some(max) = schema.get("maxLength").and_then(Value::as_u64)
        && len() > max
    {
        out.push(problem(
            path.render(),
            format!("must be at most {max} characters, is {}", len()),
        ));
    }
    let message = match schema.get("format").and_then(Value::as_str) {
        Some("date-time") => DateTime::parse_from_rfc3339(s)
            .err()
            .map(|err| format!("not an RFC 3339 date-time ({err}): {s:?}")),
        Some("date") => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .is_err()
            .then(|| format!("not a date (YYYY-MM-DD): {s:?}")),
        Some("email") => s
            .rsplit_once('@')
            .is_none_or(|(local, domain)| local.is_empty() || domain.is_empty())
            .then(|| format!("not an e-mail address: {s:?}")),
        _ => None,
    };
    if let Some(message) = message {
        out.push(problem(path.render(), message));
    }
}

fn check_number(
    schema: &Map<String, Value>,
    n: &serde_json::Number,
    path: &mut Path,
    out: &mut Vec<Problem>,
) {
    let as_f64 = n.as_f64().unwrap_or(f64::NAN);
    if let Some(min) = schema.get("minimum").and_then(Value::as_f64)
        && as_f64 < min
    {
        out.push(problem(
            path.render(),
            format!("must be at least {min}, is {n}"),
        ));
    }
    if let Some(max) = schema.get("maximum").and_then(Value::as_f64)
        && as_f64 > max
    {
        out.push(problem(
            path.render(),
            format!("must be at most {max}, is {n}"),
        ));
    }
    let limit = match schema.get("format").and_then(Value::as_str) {
        Some("uint8") => Some(u64::from(u8::MAX)),
        Some("uint16") => Some(u64::from(u16::MAX)),
        Some("uint32") => Some(u64::from(u32::MAX)),
        _ => None,
    };
    if let Some(limit) = limit
        && n.as_u64().is_none_or(|v| v > limit)
    {
        out.push(problem(
            path.render(),
            format!("must be an integer from 0 to {limit}, is {n}"),
        ));
    }
}
