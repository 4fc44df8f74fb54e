//! Partial updates (vespa-api.md §4): `assign`, `add`, `remove`, `increment`, `decrement`,
//! `multiply`, `divide`, `match`, and the field paths `field{key}` and `field[index]` with
//! `assign`/`remove`.
//!
//! As in Vespa's `FieldUpdate.applyTo`, an update of a field that is not set starts from the
//! type's empty value (0 for numbers), so `increment` on a new document gives the operand.

use serde_json::{Map, Number, Value};

use crate::schema::DocType;

/// Applies the `fields` of an update body to `fields`; the error is the message of a 400.
pub fn apply(
    fields: &mut Map<String, Value>,
    update: &Map<String, Value>,
    doctype: Option<&DocType>,
    type_name: &str,
) -> Result<(), String> {
    for (name, ops) in update {
        let (field, sub) = split_path(name);
        let schema_field = match doctype {
            Some(t) => match t.fields.get(field) {
                Some(f) => Some(f),
                None => return Err(format!("No field named '{field}' in {type_name}")),
            },
            None => None,
        };
        let integer = schema_field.map(|f| f.is_integer());
        let Value::Object(ops) = ops else {
            return Err(format!(
                "Expected an object of update operations for field '{name}', got {}",
                kind(ops)
            ));
        };
        for (op, arg) in ops {
            if let Some(sub) = &sub {
                apply_path(fields, field, sub, op, arg)?;
                continue;
            }
            match op.as_str() {
                "assign" => {
                    if is_unset(arg) {
                        fields.remove(field);
                    } else {
                        fields.insert(field.to_string(), arg.clone());
                    }
                }
                "add" => add(fields, field, arg)?,
                "remove" => remove(fields, field, arg)?,
                "increment" | "decrement" | "multiply" | "divide" => {
                    let current = fields.get(field).cloned().unwrap_or_else(|| zero(integer));
                    let next = arithmetic(&current, op, arg, integer)
                        .map_err(|e| format!("{e} (field '{field}')"))?;
                    fields.insert(field.to_string(), next);
                }
                "match" => match_op(fields, field, arg, integer)?,
                "modify" => {
                    return Err(format!(
                        "Tensor 'modify' updates are not supported by vespa-double (field '{field}')"
                    ));
                }
                other => {
                    return Err(format!(
                        "Unknown update operation '{other}' for field '{field}'"
                    ));
                }
            }
        }
    }
    Ok(())
}

/// `name{key}` → (`name`, `{key}`); `name[3]` → (`name`, `[3]`).
fn split_path(name: &str) -> (&str, Option<String>) {
    match name.find(['{', '[']) {
        Some(p) => (&name[..p], Some(name[p..].to_string())),
        None => (name, None),
    }
}

/// Empty strings, empty arrays and null mean "not set".
pub fn is_unset(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn zero(integer: Option<bool>) -> Value {
    match integer {
        Some(false) => Value::from(0.0),
        _ => Value::from(0),
    }
}

fn arithmetic(
    current: &Value,
    op: &str,
    arg: &Value,
    integer: Option<bool>,
) -> Result<Value, String> {
    let (Value::Number(a), Value::Number(b)) = (current, arg) else {
        return Err(format!(
            "Arithmetic '{op}' needs a numeric field and operand, got {} and {}",
            kind(current),
            kind(arg)
        ));
    };
    let ints = match integer {
        Some(i) => i,
        None => a.is_i64() && b.is_i64(),
    };
    if ints {
        let x = a
            .as_i64()
            .unwrap_or_else(|| a.as_f64().unwrap_or(0.0) as i64);
        let fy = b.as_f64().unwrap_or(0.0);
        let r = match op {
            "increment" => x.wrapping_add(fy as i64),
            "decrement" => x.wrapping_sub(fy as i64),
            "multiply" => (x as f64 * fy) as i64,
            _ => {
                if fy == 0.0 {
                    return Err("Division by zero".to_string());
                }
                (x as f64 / fy) as i64
            }
        };
        return Ok(Value::from(r));
    }
    let x = a.as_f64().unwrap_or(0.0);
    let y = b.as_f64().unwrap_or(0.0);
    let r = match op {
        "increment" => x + y,
        "decrement" => x - y,
        "multiply" => x * y,
        _ => {
            if y == 0.0 {
                return Err("Division by zero".to_string());
            }
            x / y
        }
    };
    Number::from_f64(r)
        .map(Value::Number)
        .ok_or_else(|| "Arithmetic result is not a finite number".to_string())
}

fn add(fields: &mut Map<String, Value>, field: &str, arg: &Value) -> Result<(), String> {
    let entry = fields.entry(field.to_string());
    match arg {
        Value::Array(items) => {
            let current = entry.or_insert_with(|| Value::Array(Vec::new()));
            match current {
                Value::Array(a) => a.extend(items.iter().cloned()),
                _ => return Err(format!("'add' of an array to a non-array field '{field}'")),
            }
        }
        Value::Object(items) => {
            // A weighted set: keys with weights, or tensor cells/blocks.
            let current = entry.or_insert_with(|| Value::Object(Map::new()));
            match current {
                Value::Object(m) => {
                    for (k, v) in items {
                        m.insert(k.clone(), v.clone());
                    }
                }
                _ => {
                    return Err(format!(
                        "'add' of weighted-set keys to a non-weighted-set field '{field}'"
                    ));
                }
            }
        }
        other => {
            return Err(format!(
                "'add' for field '{field}' expects an array or an object, got {}",
                kind(other)
            ));
        }
    }
    Ok(())
}

fn remove(fields: &mut Map<String, Value>, field: &str, arg: &Value) -> Result<(), String> {
    let Some(current) = fields.get_mut(field) else {
        return Ok(());
    };
    match (current, arg) {
        (Value::Array(a), Value::Array(items)) => a.retain(|v| !items.contains(v)),
        (Value::Object(m), Value::Object(keys)) => {
            for k in keys.keys() {
                m.remove(k);
            }
        }
        (Value::Object(m), Value::Array(keys)) => {
            for k in keys {
                if let Some(k) = k.as_str() {
                    m.remove(k);
                }
            }
        }
        (_, other) => {
            return Err(format!(
                "'remove' for field '{field}' expects the elements or keys to remove, got {}",
                kind(other)
            ));
        }
    }
    if fields.get(field).is_some_and(|v| match v {
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.is_empty(),
        _ => false,
    }) {
        fields.remove(field);
    }
    Ok(())
}

fn match_op(
    fields: &mut Map<String, Value>,
    field: &str,
    arg: &Value,
    integer: Option<bool>,
) -> Result<(), String> {
    let Some(spec) = arg.as_object() else {
        return Err(format!("'match' for field '{field}' expects an object"));
    };
    let Some(element) = spec.get("element") else {
        return Err(format!("'match' for field '{field}' needs 'element'"));
    };
    let Some((op, operand)) = spec.iter().find(|(k, _)| *k != "element") else {
        return Err(format!("'match' for field '{field}' needs an operation"));
    };
    let Some(current) = fields.get_mut(field) else {
        return Ok(());
    };
    let slot = match (current, element) {
        (Value::Array(a), Value::Number(n)) => match n.as_u64().and_then(|i| a.get_mut(i as usize))
        {
            Some(slot) => slot,
            None => return Ok(()),
        },
        (Value::Object(m), key) => {
            let key = match key {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            m.entry(key).or_insert_with(|| zero(integer))
        }
        _ => return Err(format!("'match' element does not fit field '{field}'")),
    };
    *slot = match op.as_str() {
        "assign" => operand.clone(),
        "increment" | "decrement" | "multiply" | "divide" => {
            arithmetic(slot, op, operand, integer)?
        }
        other => return Err(format!("Unknown update operation '{other}' in 'match'")),
    };
    Ok(())
}

fn apply_path(
    fields: &mut Map<String, Value>,
    field: &str,
    sub: &str,
    op: &str,
    arg: &Value,
) -> Result<(), String> {
    let bad = || format!("Unsupported field path '{field}{sub}'");
    if let Some(key) = sub.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
        let key = key.trim_matches('"').to_string();
        let map = fields
            .entry(field.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(map) = map else {
            return Err(bad());
        };
        match op {
            "assign" if !arg.is_null() => {
                map.insert(key, arg.clone());
            }
            "assign" | "remove" => {
                map.remove(&key);
            }
            _ => return Err(bad()),
        }
        return Ok(());
    }
    if let Some(index) = sub.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
        let index: usize = index.parse().map_err(|_| bad())?;
        let Some(Value::Array(items)) = fields.get_mut(field) else {
            return Ok(());
        };
        if index >= items.len() {
            return Ok(());
        }
        match op {
            "assign" => items[index] = arg.clone(),
            "remove" => {
                items.remove(index);
            }
            _ => return Err(bad()),
        }
        return Ok(());
    }
    Err(bad())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(start: Value, update: Value) -> Result<Value, String> {
        let mut fields = start.as_object().unwrap().clone();
        apply(&mut fields, update.as_object().unwrap(), None, "music")?;
        Ok(Value::Object(fields))
    }

    #[test]
    fn assign_and_arithmetic() {
        assert_eq!(
            run(
                json!({"artist": "Coldplay", "year": 2015}),
                json!({"artist": {"assign": "Warmplay"}, "year": {"increment": 1}})
            )
            .unwrap(),
            json!({"artist": "Warmplay", "year": 2016})
        );
        assert_eq!(
            run(json!({"a": 1}), json!({"a": {"assign": null}})).unwrap(),
            json!({})
        );
        assert_eq!(
            run(json!({}), json!({"n": {"increment": 2}})).unwrap(),
            json!({"n": 2})
        );
        assert_eq!(
            run(json!({"n": 10}), json!({"n": {"divide": 4}})).unwrap(),
            json!({"n": 2})
        );
        assert_eq!(
            run(json!({"n": 1.5}), json!({"n": {"multiply": 2}})).unwrap(),
            json!({"n": 3.0})
        );
        assert_eq!(
            run(json!({"n": 5}), json!({"n": {"decrement": 6}})).unwrap(),
            json!({"n": -1})
        );
        assert!(run(json!({"n": 5}), json!({"n": {"divide": 0}})).is_err());
        assert!(run(json!({"s": "x"}), json!({"s": {"increment": 1}})).is_err());
        assert!(run(json!({}), json!({"s": "x"})).is_err());
        assert!(
            run(json!({}), json!({"s": {"frobnicate": 1}}))
                .unwrap_err()
                .contains("frobnicate")
        );
    }

    #[test]
    fn collections() {
        assert_eq!(
            run(json!({"tags": ["a"]}), json!({"tags": {"add": ["b", "c"]}})).unwrap(),
            json!({"tags": ["a", "b", "c"]})
        );
        assert_eq!(
            run(
                json!({"tags": ["a", "b"]}),
                json!({"tags": {"remove": ["a"]}})
            )
            .unwrap(),
            json!({"tags": ["b"]})
        );
        assert_eq!(
            run(json!({"ws": {"x": 1}}), json!({"ws": {"add": {"y": 2}}})).unwrap(),
            json!({"ws": {"x": 1, "y": 2}})
        );
        assert_eq!(
            run(json!({"ws": {"x": 1}}), json!({"ws": {"remove": {"x": 0}}})).unwrap(),
            json!({})
        );
        assert_eq!(
            run(
                json!({"arr": [1, 2]}),
                json!({"arr": {"match": {"element": 1, "increment": 5}}})
            )
            .unwrap(),
            json!({"arr": [1, 7]})
        );
        assert_eq!(
            run(json!({"m": {"a": 1}}), json!({"m{b}": {"assign": 2}})).unwrap(),
            json!({"m": {"a": 1, "b": 2}})
        );
        assert_eq!(
            run(
                json!({"arr": ["x", "y"]}),
                json!({"arr[0]": {"assign": "z"}})
            )
            .unwrap(),
            json!({"arr": ["z", "y"]})
        );
    }

    #[test]
    fn schema_types_decide_unknown_fields_and_numbers() {
        let schema = crate::schema::Schema::from_sources(
            &["schema music { document music { field year type long { indexing: attribute } field score type double { indexing: attribute } } }"],
            r#"<content id="c"><document type="music" mode="index"/></content>"#,
        )
        .unwrap();
        let t = schema.doctype("music").unwrap();
        let mut fields = Map::new();
        let err = apply(
            &mut fields,
            json!({"x": {"assign": 1}}).as_object().unwrap(),
            t,
            "music",
        )
        .unwrap_err();
        assert_eq!(err, "No field named 'x' in music");
        apply(
            &mut fields,
            json!({"year": {"increment": 1.7}, "score": {"increment": 1}})
                .as_object()
                .unwrap(),
            t,
            "music",
        )
        .unwrap();
        assert_eq!(Value::Object(fields), json!({"year": 1, "score": 1.0}));
    }
}
