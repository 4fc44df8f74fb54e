//! What resumable commands (`backfill`, `reindex`) share: the command line that resumes this
//! run, and asking on a terminal what to do with an unfinished run.

use anyhow::anyhow;
use std::io::{BufRead, IsTerminal, Write};

/// The command line that resumes this run: the same arguments without `--resume`,
/// `--restart`, `--dry-run` and the flags in `drop_with_value` (with their values), then
/// `--resume`.
pub fn resume_command(drop_with_value: &[&str]) -> String {
    let mut out = vec!["officectl".to_string()];
    let mut skip_value = false;
    for arg in std::env::args().skip(1) {
        if skip_value {
            skip_value = false;
            continue;
        }
        match arg.as_str() {
            "--resume" | "--restart" | "--dry-run" => continue,
            a if drop_with_value.contains(&a) => {
                skip_value = true;
                continue;
            }
            a if drop_with_value
                .iter()
                .any(|flag| a.starts_with(&format!("{flag}="))) =>
            {
                continue;
            }
            _ => out.push(shell_quote(&arg)),
        }
    }
    out.push("--resume".into());
    out.join(" ")
}

/// `arg` as a shell word.
pub fn shell_quote(arg: &str) -> String {
    if !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+%".contains(c))
    {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    }
}

/// Whether a person can be asked (stdin and stderr are terminals).
pub fn can_ask() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Asks on the terminal whether to resume (`true`) or start over (`false`) the unfinished run
/// described by `what`; anything else aborts with `aborted` as the error.
pub fn ask(what: &str, aborted: &str) -> anyhow::Result<bool> {
    let mut stderr = std::io::stderr().lock();
    let _ = write!(stderr, "{what}. [r]esume, [s]tart over, or [a]bort? [a] ");
    let _ = stderr.flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    match answer.trim().to_ascii_lowercase().as_str() {
        "r" | "resume" => Ok(true),
        "s" | "start over" | "restart" => Ok(false),
        _ => Err(anyhow!("{aborted}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_quoting_keeps_plain_words() {
        assert_eq!(shell_quote("--user"), "--user");
        assert_eq!(shell_quote("pubsub:sub-1"), "pubsub:sub-1");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
    }
}
