use super::*;

#[test]
fn tokens_round_trip_and_are_url_safe() {
    for (shard, after) in [
        (0, None),
        (255, Some("id:office:email:g=u%2F1:a+b/c")),
        (7, Some("x")),
    ] {
        let t = encode_token(shard, after);
        assert!(
            t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_=".contains(&b)),
            "{t}"
        );
        assert_eq!(
            decode_token(&t).unwrap(),
            (shard, after.map(str::to_string))
        );
    }
    assert!(decode_token("!!!").is_err());
    assert!(decode_token(&b64_encode(b"999\nx")).is_err());
    assert_eq!(b64_encode(b"ab"), "YWI=");
}

#[test]
fn accept_preference() {
    assert!(!prefers_jsonl("application/json, application/jsonl"));
    assert!(prefers_jsonl("application/jsonl, application/json"));
    assert!(prefers_jsonl("application/json;q=0.5, application/jsonl"));
    assert!(!prefers_jsonl(""));
}

#[test]
fn query_parameters() {
    let p = Params(parse_query(Some("a=1&b=&c=x+y%21&a=2&flag")));
    assert_eq!(p.get("a").unwrap(), Some("2"));
    assert_eq!(
        p.get("b").unwrap_err(),
        "Expected non-empty value for request property 'b'"
    );
    assert_eq!(p.get("c").unwrap(), Some("x y!"));
    assert!(p.has("flag"));
    assert_eq!(
        p.parse::<u32>("c").unwrap_err(),
        "Failed parsing 'x y!': For input string: \"x y!\""
    );
}

#[test]
fn field_sets() {
    assert!(matches!(field_set(None), FieldSet::All));
    assert!(matches!(field_set(Some("[id]")), FieldSet::None));
    assert!(matches!(field_set(Some("music:[document]")), FieldSet::All));
    assert!(matches!(field_set(Some("music:a,b")), FieldSet::Some(v) if v == ["a", "b"]));
}

#[test]
fn query_components_decode_as_a_form() {
    assert_eq!(
        parse_query(Some("a+b%3D=x%zz&&flag")),
        vec![
            ("a b=".to_string(), "x%zz".to_string()),
            ("flag".to_string(), String::new())
        ]
    );
    assert!(parse_query(None).is_empty());
}
