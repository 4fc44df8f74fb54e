use super::*;

#[test]
fn parses_the_officectl_subset() {
    let q = parse(
        r#"select * from sources * where title contains "Quarterly plan" and user_id = "u1""#,
    )
    .unwrap();
    assert_eq!(q.sources, None);
    assert_eq!(
        q.cond,
        Cond::And(vec![
            Cond::Contains("title".into(), vec!["quarterly".into(), "plan".into()]),
            Cond::Cmp("user_id".into(), "=", Lit::Str("u1".into())),
        ])
    );
    let q = parse("select title, text from email, todo where !(is_read = true) or range(received_at, 1, 2) order by received_at desc limit 5 offset 2;").unwrap();
    assert_eq!(q.fields, Some(vec!["title".into(), "text".into()]));
    assert_eq!(q.sources, Some(vec!["email".into(), "todo".into()]));
    assert_eq!(q.order, vec![("received_at".into(), false)]);
    assert_eq!((q.limit, q.offset), (Some(5), Some(2)));
    let q = parse(r#"select * from sources email where text contains ({stem: false}"x") and default contains phrase("a", "b")"#).unwrap();
    assert!(matches!(q.cond, Cond::And(_)));
    assert!(parse("select * from sources * where title contains").is_err());
    assert!(parse("select * where x").is_err());
    assert!(parse("select * from sources * where title = ").is_err());
    assert!(parse("select * from sources * where a contains \"x\" junk").is_err());
}

#[test]
fn term_frequency_and_phrases() {
    let words = tokenize("The plan, the PLAN and the plan-b");
    assert_eq!(phrase_count(&words, &["plan".to_string()]), 3);
    assert_eq!(
        phrase_count(&words, &["the".to_string(), "plan".to_string()]),
        3
    );
    assert_eq!(
        phrase_count(&words, &["plan".to_string(), "the".to_string()]),
        1
    );
}
