//! Hides secrets that may sit inside URLs before they are shown or logged.

/// Replaces the password (and a lone user token) of a `scheme://user:pass@host` URL with `***`.
///
/// Redis URLs carry their password as `redis://:pass@host` or `redis://user:pass@host`; both are
/// shown with the secret part replaced. URLs without credentials are returned unchanged.
pub fn url(raw: &str) -> String {
    let Some(scheme_end) = raw.find("://") else {
        return raw.to_string();
    };
    let rest = &raw[scheme_end + 3..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let Some(at) = authority.rfind('@') else {
        return raw.to_string();
    };
    let userinfo = &authority[..at];
    let masked = match userinfo.split_once(':') {
        Some((user, _)) => format!("{user}:***"),
        None => "***".to_string(),
    };
    format!("{}://{}@{}", &raw[..scheme_end], masked, &rest[at + 1..])
}

#[cfg(test)]
mod tests {
    use super::url;

    #[test]
    fn hides_passwords() {
        assert_eq!(
            url("redis://:s3cret@host:6379/0"),
            "redis://:***@host:6379/0"
        );
        assert_eq!(url("redis://bob:s3cret@host"), "redis://bob:***@host");
        assert_eq!(
            url("https://token@example.com/x"),
            "https://***@example.com/x"
        );
    }

    #[test]
    fn leaves_plain_urls_alone() {
        assert_eq!(url("redis://127.0.0.1:6379"), "redis://127.0.0.1:6379");
        assert_eq!(url("http://h/p?q=a@b"), "http://h/p?q=a@b");
        assert_eq!(url("not a url"), "not a url");
    }
}
