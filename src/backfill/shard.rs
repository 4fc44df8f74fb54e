//! Splitting a backfill's users over N runs (for example a Kubernetes Indexed Job): a user
//! belongs to shard `i` of `N` when the first 8 bytes of SHA-256 of its id (UTF-8), read as a
//! big-endian unsigned integer, modulo `N` equal `i`. Any language can compute it, e.g. Python:
//! `int.from_bytes(hashlib.sha256(user.encode()).digest()[:8], "big") % n`.
//!
//! Shards are numbered from 0, as Kubernetes numbers `JOB_COMPLETION_INDEX`. Each shard keeps
//! the per-user checkpoints of its own users, so shards resume independently.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// One shard of N.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

/// Why a shard spec is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShardError {
    #[error("`{0}` is not `INDEX/COUNT` (e.g. `0/3`, or `auto/3` with JOB_COMPLETION_INDEX set)")]
    Form(String),
    #[error("`{spec}`: the count must be at least 1")]
    NoShards { spec: String },
    #[error("`{spec}`: index {index} is not below the count {count} (shards are numbered from 0)")]
    OutOfRange {
        spec: String,
        index: u32,
        count: u32,
    },
    #[error("`{0}` takes its index from JOB_COMPLETION_INDEX, which is not set")]
    NoJobIndex(String),
    #[error("`{spec}`: JOB_COMPLETION_INDEX `{value}` is not a shard index")]
    BadJobIndex { spec: String, value: String },
}

/// The shard (0..count) of `user`.
pub fn shard_of(user: &str, count: u32) -> u32 {
    let digest = Sha256::digest(user.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    (u64::from_be_bytes(first) % u64::from(count.max(1))) as u32
}

impl Shard {
    /// Parses `INDEX/COUNT`, or `auto/COUNT` with the index from `job_index` (the value of
    /// `JOB_COMPLETION_INDEX`, read by the caller).
    pub fn parse(spec: &str, job_index: Option<&str>) -> Result<Shard, ShardError> {
        let (index, count) = spec
            .split_once('/')
            .ok_or_else(|| ShardError::Form(spec.to_string()))?;
        let number = |text: &str| -> Result<u32, ShardError> {
            let text = text.trim();
            if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ShardError::Form(spec.to_string()));
            }
            text.parse().map_err(|_| ShardError::Form(spec.to_string()))
        };
        let count = number(count)?;
        if count == 0 {
            return Err(ShardError::NoShards {
                spec: spec.to_string(),
            });
        }
        let index: u32 = match index.trim() {
            "auto" => {
                let value = job_index.ok_or_else(|| ShardError::NoJobIndex(spec.to_string()))?;
                value.trim().parse().map_err(|_| ShardError::BadJobIndex {
                    spec: spec.to_string(),
                    value: value.to_string(),
                })?
            }
            given => number(given)?,
        };
        if index >= count {
            return Err(ShardError::OutOfRange {
                spec: spec.to_string(),
                index,
                count,
            });
        }
        Ok(Shard { index, count })
    }

    /// Whether `user` belongs to this shard.
    pub fn contains(&self, user: &str) -> bool {
        shard_of(user, self.count) == self.index
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_the_documented_one() {
        // From Python: int.from_bytes(hashlib.sha256(u.encode()).digest()[:8], "big") % 5
        let python = [
            ("ann", 0),
            ("bob", 0),
            ("cem", 1),
            ("dia", 0),
            ("user-42", 4),
            ("ünï", 2),
        ];
        for (user, shard) in python {
            assert_eq!(shard_of(user, 5), shard, "{user}");
        }
        assert_eq!(shard_of("ann", 1), 0);
    }

    #[test]
    fn every_user_is_in_exactly_one_shard() {
        for n in 1..6 {
            for k in 0..200 {
                let user = format!("user-{k}");
                let owners = (0..n)
                    .filter(|&i| Shard { index: i, count: n }.contains(&user))
                    .count();
                assert_eq!(owners, 1, "{user} of {n}");
            }
        }
    }

    #[test]
    fn specs_parse_and_bad_ones_say_why() {
        assert_eq!(Shard::parse("1/3", None), Ok(Shard { index: 1, count: 3 }));
        assert_eq!(
            Shard::parse("auto/3", Some("2")),
            Ok(Shard { index: 2, count: 3 })
        );
        assert!(matches!(
            Shard::parse("3/3", None),
            Err(ShardError::OutOfRange { .. })
        ));
        assert!(matches!(
            Shard::parse("0/0", None),
            Err(ShardError::NoShards { .. })
        ));
        assert!(matches!(
            Shard::parse("auto/3", None),
            Err(ShardError::NoJobIndex(_))
        ));
        assert!(matches!(
            Shard::parse("auto/3", Some("x")),
            Err(ShardError::BadJobIndex { .. })
        ));
        assert!(matches!(
            Shard::parse("1-3", None),
            Err(ShardError::Form(_))
        ));
        assert_eq!(
            Shard::parse("5/3", None).unwrap_err().to_string(),
            "`5/3`: index 5 is not below the count 3 (shards are numbered from 0)"
        );
    }
}
