//! Asking before destructive steps: on a terminal only, never without one.

use super::error::with_hint;
use anyhow::anyhow;
use std::io::{BufRead, IsTerminal, Write};

/// Asks "`what`. Continue? [y/N]" on the terminal. Without one, refuses with `hint`.
pub fn confirm(what: &str, hint: String) -> anyhow::Result<()> {
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(with_hint(
            anyhow!("{what}, and there is no terminal to confirm on; nothing was changed"),
            hint,
        ));
    }
    let mut stderr = std::io::stderr().lock();
    let _ = write!(stderr, "{what}. Continue? [y/N] ");
    let _ = stderr.flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
        Ok(())
    } else {
        Err(anyhow!("not confirmed; nothing was changed"))
    }
}
