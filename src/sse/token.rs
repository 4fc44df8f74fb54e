//! The bearer tokens fe-sse accepts: HS256 JWTs signed with the shared secret
//! (`fe_sse.jwt_secret`), whose `sub` is the user id and whose `exp` (required) ends the
//! connection. Only HS256 is accepted, so a token with `alg: none` or another algorithm is
//! refused before any signature is looked at; no leeway is given on `exp`.

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;

/// The shortest secret accepted: RFC 7518 §3.2 asks for a key of at least the hash's size.
pub const MIN_SECRET_BYTES: usize = 32;

/// The claims fe-sse reads.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Claims {
    /// The user whose notifications the bearer may read.
    pub sub: String,
    /// Expiry, seconds since the Unix epoch.
    pub exp: u64,
}

impl Claims {
    /// Whether the bearer may read `user`'s notifications: only its own.
    pub fn may_read(&self, user: &str) -> bool {
        self.sub == user
    }
}

/// Why a token was refused; `reason` is the metric label.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the token has expired")]
    Expired,
    #[error("invalid token: {0}")]
    Invalid(String),
}

impl TokenError {
    /// The `reason` label of `officectl_sse_auth_failures_total`.
    pub fn reason(&self) -> &'static str {
        match self {
            TokenError::Expired => "expired",
            TokenError::Invalid(_) => "invalid",
        }
    }
}

/// A secret that cannot sign tokens safely.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("is {0} bytes long; HS256 needs at least {MIN_SECRET_BYTES}")]
pub struct WeakSecret(pub usize);

/// Verifies tokens with one secret.
pub struct TokenVerifier {
    key: DecodingKey,
    validation: Validation,
}

impl TokenVerifier {
    pub fn new(secret: &[u8]) -> Result<TokenVerifier, WeakSecret> {
        if secret.len() < MIN_SECRET_BYTES {
            return Err(WeakSecret(secret.len()));
        }
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.validate_exp = true;
        validation.set_required_spec_claims(&["exp", "sub"]);
        Ok(TokenVerifier {
            key: DecodingKey::from_secret(secret),
            validation,
        })
    }

    /// The claims of a valid, unexpired token.
    pub fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        match jsonwebtoken::decode::<Claims>(token.trim(), &self.key, &self.validation) {
            Ok(data) => Ok(data.claims),
            Err(err) => match err.kind() {
                ErrorKind::ExpiredSignature => Err(TokenError::Expired),
                _ => Err(TokenError::Invalid(err.to_string())),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{EncodingKey, Header, encode};

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef-test";

    fn now() -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
    }

    fn token(alg: Algorithm, secret: &[u8], claims: &serde_json::Value) -> String {
        encode(&Header::new(alg), claims, &EncodingKey::from_secret(secret)).unwrap()
    }

    fn b64url(bytes: &[u8]) -> String {
        const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
            for i in 0..=chunk.len() {
                out.push(ABC[((n >> (18 - 6 * i)) & 63) as usize] as char);
            }
        }
        out
    }

    #[test]
    fn a_good_token_gives_its_user() {
        let v = TokenVerifier::new(SECRET).unwrap();
        let claims = v
            .verify(&token(
                Algorithm::HS256,
                SECRET,
                &serde_json::json!({"sub": "user-1", "exp": now() + 60}),
            ))
            .unwrap();
        assert_eq!(claims.sub, "user-1");
    }

    #[test]
    fn an_expired_token_is_refused_as_expired() {
        let v = TokenVerifier::new(SECRET).unwrap();
        let t = token(
            Algorithm::HS256,
            SECRET,
            &serde_json::json!({"sub": "user-1", "exp": now() - 1}),
        );
        assert_eq!(v.verify(&t), Err(TokenError::Expired));
        assert_eq!(TokenError::Expired.reason(), "expired");
    }

    #[test]
    fn alg_none_other_algorithms_and_other_keys_are_refused() {
        let v = TokenVerifier::new(SECRET).unwrap();
        let claims = serde_json::json!({"sub": "user-1", "exp": now() + 60});
        let unsigned = format!(
            "{}.{}.",
            b64url(br#"{"alg":"none","typ":"JWT"}"#),
            b64url(claims.to_string().as_bytes())
        );
        assert!(matches!(v.verify(&unsigned), Err(TokenError::Invalid(_))));
        let hs384 = token(Algorithm::HS384, SECRET, &claims);
        assert!(matches!(v.verify(&hs384), Err(TokenError::Invalid(_))));
        let other_key = token(
            Algorithm::HS256,
            b"another-secret-another-secret-xx!",
            &claims,
        );
        assert!(matches!(v.verify(&other_key), Err(TokenError::Invalid(_))));
        // A good token with its signature altered.
        let mut good = token(Algorithm::HS256, SECRET, &claims);
        let last = good.pop().unwrap();
        good.push(if last == 'A' { 'B' } else { 'A' });
        assert!(matches!(v.verify(&good), Err(TokenError::Invalid(_))));
        assert!(matches!(
            v.verify("not.a.token"),
            Err(TokenError::Invalid(_))
        ));
    }

    #[test]
    fn sub_and_exp_are_required() {
        let v = TokenVerifier::new(SECRET).unwrap();
        let no_exp = token(Algorithm::HS256, SECRET, &serde_json::json!({"sub": "u"}));
        assert!(matches!(v.verify(&no_exp), Err(TokenError::Invalid(_))));
        let no_sub = token(
            Algorithm::HS256,
            SECRET,
            &serde_json::json!({"exp": now() + 60}),
        );
        assert!(matches!(v.verify(&no_sub), Err(TokenError::Invalid(_))));
    }

    #[test]
    fn a_token_reads_only_its_own_users_stream() {
        let v = TokenVerifier::new(SECRET).unwrap();
        let claims = v
            .verify(&token(
                Algorithm::HS256,
                SECRET,
                &serde_json::json!({"sub": "user-1", "exp": now() + 60}),
            ))
            .unwrap();
        assert!(claims.may_read("user-1"));
        assert!(!claims.may_read("user-2"));
        assert!(!claims.may_read("user-1 "));
    }

    #[test]
    fn a_short_secret_is_refused() {
        assert_eq!(TokenVerifier::new(b"short").err(), Some(WeakSecret(5)));
    }
}
