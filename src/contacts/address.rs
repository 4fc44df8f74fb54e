//! Addresses as contact identities: one person's variants of an address become one key.
//!
//! - Case is dropped everywhere (local parts are case-insensitive at every provider we serve).
//! - `googlemail.com` is `gmail.com`, and for those consumer Gmail addresses the dots of the local
//!   part are dropped (Gmail ignores them).
//! - A `+tag` is dropped for `gmail.com` and, where the event's provider is Google, for any
//!   domain (Google Workspace delivers `ann+x@corp.com` to `ann@corp.com`). Other providers'
//!   domains keep it: a `+` may be part of a real mailbox there.

use crate::model::fields::Provider;

/// A normalised address, or `None` for text that is not an address (no `@`, empty local part
/// or domain, whitespace inside).
pub fn normalise(address: &str, provider: Option<Provider>) -> Option<String> {
    let address = address.trim().to_lowercase();
    let (local, domain) = address.rsplit_once('@')?;
    if local.is_empty() || domain.is_empty() || address.contains(char::is_whitespace) {
        return None;
    }
    let domain = if domain == "googlemail.com" {
        "gmail.com"
    } else {
        domain
    };
    let gmail = domain == "gmail.com";
    let mut local = local.to_string();
    if (gmail || provider == Some(Provider::Google))
        && let Some((base, _tag)) = local.split_once('+')
        && !base.is_empty()
    {
        local = base.to_string();
    }
    if gmail {
        local.retain(|c| c != '.');
        if local.is_empty() {
            return None;
        }
    }
    Some(format!("{local}@{domain}"))
}

/// The local part without `-`, `_`, `.` and any `+tag`, for matching automated senders.
pub fn squashed_local_part(normalised: &str) -> String {
    let local = normalised.rsplit_once('@').map_or(normalised, |(l, _)| l);
    let local = local.split_once('+').map_or(local, |(l, _)| l);
    local
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | '.'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_per_provider() {
        let google = Some(Provider::Google);
        let microsoft = Some(Provider::Microsoft);
        let cases: &[(&str, Option<Provider>, Option<&str>)] = &[
            ("Dana@Example.com", None, Some("dana@example.com")),
            ("  dana@example.com ", microsoft, Some("dana@example.com")),
            ("Da.Na+news@GoogleMail.com", None, Some("dana@gmail.com")),
            ("da.na+news@gmail.com", microsoft, Some("dana@gmail.com")),
            // Dots only matter at consumer Gmail; plus tags at Google-hosted domains too.
            ("da.na+x@corp.com", google, Some("da.na@corp.com")),
            ("da.na+x@corp.com", microsoft, Some("da.na+x@corp.com")),
            ("da.na+x@corp.com", None, Some("da.na+x@corp.com")),
            ("+x@corp.com", google, Some("+x@corp.com")),
            ("not an address", None, None),
            ("@example.com", None, None),
            ("dana@", None, None),
            ("da na@example.com", None, None),
            ("...@gmail.com", None, None),
        ];
        for (input, provider, expected) in cases {
            assert_eq!(
                normalise(input, *provider).as_deref(),
                *expected,
                "{input} ({provider:?})"
            );
        }
    }

    #[test]
    fn squashes_local_parts() {
        assert_eq!(squashed_local_part("no-reply@x.com"), "noreply");
        assert_eq!(squashed_local_part("no_reply.bot+7@x.com"), "noreplybot");
        assert_eq!(squashed_local_part("mailer-daemon@x.com"), "mailerdaemon");
    }
}
