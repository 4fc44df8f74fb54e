//! Who runs officectl, as migration journals and locks record it: `user@host (pid N)`.
//!
//! The user is `$USER` when it is set. Where it is not (cron, systemd units, containers,
//! `env -i`), it is the name of the process's uid in `/etc/passwd`, else the uid itself, so a lock
//! never names `unknown@…` (issue 17). Reading `/etc/passwd` keeps the dependency tree as it is
//! (`getpwuid_r` would need `libc` or `nix`); users known only through NSS (LDAP, SSSD) show as
//! their uid, which `getent passwd UID` resolves.
//!
//! [`Facts::from_system`] reads the inputs; [`Operator::from_facts`] decides, and is what tests
//! drive with made-up facts.

use std::fmt;

/// The person (or job) running officectl, on which host and process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator {
    pub user: String,
    pub host: String,
    pub pid: u32,
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{} (pid {})", self.user, self.host, self.pid)
    }
}

/// What an [`Operator`] is made of.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// `$USER`, as the caller resolved it.
    pub env_user: Option<String>,
    /// The process's effective uid.
    pub uid: Option<u32>,
    /// The passwd database, in `/etc/passwd` format.
    pub passwd: Option<String>,
    pub hostname: Option<String>,
    pub pid: u32,
}

impl Facts {
    /// The facts of this process; `env_user` is `$USER` (the caller reads the environment).
    pub fn from_system(env_user: Option<String>) -> Facts {
        Facts {
            env_user,
            uid: std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|status| effective_uid(&status)),
            passwd: std::fs::read_to_string("/etc/passwd").ok(),
            hostname: std::fs::read_to_string("/proc/sys/kernel/hostname").ok(),
            pid: std::process::id(),
        }
    }
}

impl Operator {
    /// The operator these facts describe: `$USER`, else the uid's name, else the uid.
    pub fn from_facts(facts: &Facts) -> Operator {
        let non_empty = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let user = non_empty(&facts.env_user)
            .or_else(|| {
                let uid = facts.uid?;
                let name = facts.passwd.as_deref().and_then(|p| name_of_uid(p, uid));
                Some(name.unwrap_or_else(|| uid.to_string()))
            })
            .unwrap_or_else(|| "unknown".into());
        Operator {
            user,
            host: non_empty(&facts.hostname).unwrap_or_else(|| "unknown-host".into()),
            pid: facts.pid,
        }
    }
}

/// The effective uid in `/proc/self/status` (`Uid:` real, effective, saved, filesystem).
fn effective_uid(status: &str) -> Option<u32> {
    let line = status.lines().find_map(|l| l.strip_prefix("Uid:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The first user with `uid` in a passwd database (`name:password:uid:gid:…`).
fn name_of_uid(passwd: &str, uid: u32) -> Option<String> {
    passwd
        .lines()
        .filter(|l| !l.starts_with('#'))
        .find_map(|line| {
            let mut fields = line.split(':');
            let name = fields.next().filter(|n| !n.is_empty())?;
            let id = fields.nth(1)?.trim().parse::<u32>().ok()?;
            (id == uid).then(|| name.to_string())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSWD: &str = "# local users\nroot:x:0:0:root:/root:/bin/bash\n\
        broken line\nops:x:1000:1000:Ops,,,:/home/ops:/bin/bash\nalias:x:1000:1000::/:/bin/sh\n";

    fn facts(env_user: Option<&str>, uid: Option<u32>) -> Facts {
        Facts {
            env_user: env_user.map(str::to_string),
            uid,
            passwd: Some(PASSWD.into()),
            hostname: Some("build-7\n".into()),
            pid: 42,
        }
    }

    #[test]
    fn user_is_env_then_the_uids_name_then_the_uid() {
        let who = |env_user, uid| Operator::from_facts(&facts(env_user, uid)).to_string();
        assert_eq!(who(Some("dana"), Some(1000)), "dana@build-7 (pid 42)");
        // `USER` unset or empty: the uid's (first) name in the passwd database.
        assert_eq!(who(None, Some(1000)), "ops@build-7 (pid 42)");
        assert_eq!(who(Some(" "), Some(0)), "root@build-7 (pid 42)");
        // A uid the database does not know (an NSS user, a container's arbitrary uid).
        assert_eq!(who(None, Some(4242)), "4242@build-7 (pid 42)");
        let bare = Facts {
            pid: 7,
            ..Facts::default()
        };
        assert_eq!(
            Operator::from_facts(&bare).to_string(),
            "unknown@unknown-host (pid 7)"
        );
    }

    #[test]
    fn the_effective_uid_is_read_from_proc_status() {
        let status = "Name:\tofficectl\nUid:\t1000\t0\t0\t0\nGid:\t1000\t1000\t1000\t1000\n";
        assert_eq!(effective_uid(status), Some(0));
        assert_eq!(effective_uid("Name:\tx\n"), None);
    }

    /// On Linux, the facts of this process name a user (here, whoever runs the tests).
    #[cfg(target_os = "linux")]
    #[test]
    fn this_process_has_a_uid() {
        let facts = Facts::from_system(None);
        assert!(facts.uid.is_some(), "{facts:?}");
        assert_ne!(Operator::from_facts(&facts).user, "unknown");
    }
}
