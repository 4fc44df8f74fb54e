//! The one way officectl writes to the terminal: data on stdout, status and warnings and errors
//! on stderr, progress only where a person is watching.
//!
//! Commands never write to stdout or stderr themselves: they hand data and messages to the
//! [`Printer`], and progress to a reporter made by [`Printer::progress`]
//! ([`super::progress`]), which draws through the printer's draw target. A closed pipe on
//! either stream ends that stream's output quietly; it never panics.

use super::{error, global::GlobalArgs, render};
use officectl::report::Report;
use officectl::settings::{ColorChoice, OutputFormat, Settings};
use std::fmt::Display;
use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Writes every kind of output. Clones share the same streams and settings.
#[derive(Clone)]
pub struct Printer {
    inner: Arc<Inner>,
}

struct Inner {
    output: OutputFormat,
    quiet: bool,
    verbose: u8,
    color: bool,
    progress: bool,
    /// Set once stdout's reader has gone away (`officectl … | head`): stop writing data.
    stdout_closed: AtomicBool,
    /// The same for stderr (`officectl … 2>&1 | head`).
    stderr_closed: AtomicBool,
}

impl Printer {
    /// The printer for resolved settings.
    pub fn new(global: &GlobalArgs, settings: &Settings) -> Self {
        Self::build(global, settings.output.value, settings.color.value)
    }

    /// A printer for errors that happen before settings are resolved.
    pub fn fallback(global: &GlobalArgs) -> Self {
        let overrides = global.overrides();
        let color = if std::env::var_os(officectl::settings::env::NO_COLOR).is_some() {
            ColorChoice::Never
        } else {
            overrides.color.unwrap_or(ColorChoice::Auto)
        };
        Self::build(
            global,
            overrides.output.unwrap_or(OutputFormat::Table),
            color,
        )
    }

    fn build(global: &GlobalArgs, output: OutputFormat, color: ColorChoice) -> Self {
        let stderr_tty = std::io::stderr().is_terminal();
        let color = match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => stderr_tty,
        };
        let progress =
            stderr_tty && !global.quiet && !global.no_progress && output == OutputFormat::Table;
        Self {
            inner: Arc::new(Inner {
                output,
                quiet: global.quiet,
                verbose: global.verbose,
                color,
                progress,
                stdout_closed: AtomicBool::new(false),
                stderr_closed: AtomicBool::new(false),
            }),
        }
    }

    /// `-q`, the count of `-v`, and whether stderr gets colour: what a worker's logs follow.
    pub fn verbosity(&self) -> (bool, u8, bool) {
        (self.inner.quiet, self.inner.verbose, self.inner.color)
    }

    /// Whether progress bars may be drawn (stderr is a terminal, not quiet, not JSON/YAML).
    pub fn progress_visible(&self) -> bool {
        self.inner.progress
    }

    /// Where progress bars draw: stderr when [`Printer::progress_visible`], else nowhere.
    pub fn progress_target(&self) -> indicatif::ProgressDrawTarget {
        if self.inner.progress {
            indicatif::ProgressDrawTarget::stderr_with_hz(5)
        } else {
            indicatif::ProgressDrawTarget::hidden()
        }
    }

    /// The chosen output format (for commands that stream records, one per line).
    pub fn output(&self) -> OutputFormat {
        self.inner.output
    }

    /// Writes a report to stdout in the chosen format.
    pub fn report<R: Report>(&self, report: &R) -> anyhow::Result<()> {
        let text = render::render(report, self.inner.output)?;
        self.data(&text)
    }

    /// Writes data to stdout. A closed pipe ends output quietly, as `head` expects.
    pub fn data(&self, text: &str) -> anyhow::Result<()> {
        if self.inner.stdout_closed.load(Ordering::Relaxed) {
            return Ok(());
        }
        let mut stdout = std::io::stdout().lock();
        match stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
        {
            Ok(()) => Ok(()),
            Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => {
                self.inner.stdout_closed.store(true, Ordering::Relaxed);
                Ok(())
            }
            Err(err) => Err(anyhow::Error::new(err).context("cannot write to stdout")),
        }
    }

    /// A status line on stderr, unless `--quiet`.
    pub fn status(&self, message: impl Display) {
        if !self.inner.quiet {
            self.stderr(&format!("{message}\n"));
        }
    }

    /// A detail line on stderr at `-v` (level 1) or `-vv` (level 2).
    pub fn detail(&self, level: u8, message: impl Display) {
        if self.inner.verbose >= level {
            self.stderr(&format!("{message}\n"));
        }
    }

    /// A warning on stderr (shown even with `--quiet`).
    pub fn warn(&self, message: impl Display) {
        self.stderr(&format!("{} {message}\n", self.label("warning:", "33")));
    }

    /// Writes to stderr; a closed stderr ends its output quietly.
    fn stderr(&self, text: &str) {
        if self.inner.stderr_closed.load(Ordering::Relaxed) {
            return;
        }
        let mut stderr = std::io::stderr().lock();
        if stderr
            .write_all(text.as_bytes())
            .and_then(|()| stderr.flush())
            .is_err()
        {
            self.inner.stderr_closed.store(true, Ordering::Relaxed);
        }
    }

    /// Prints an error with its causes and hint to stderr and returns the exit code.
    pub fn fail(&self, err: &anyhow::Error) -> u8 {
        let mut text = format!("{} {err}\n", self.label("error:", "31"));
        for cause in error::causes(err) {
            text.push_str(&format!("  caused by: {cause}\n"));
        }
        if let Some(hint) = error::hint(err) {
            text.push_str(&format!("{} {hint}\n", self.label("hint:", "36")));
        }
        self.stderr(&text);
        error::exit_code(err)
    }

    fn label(&self, label: &str, ansi: &str) -> String {
        if self.inner.color {
            format!("\x1b[1;{ansi}m{label}\x1b[0m")
        } else {
            label.to_string()
        }
    }
}
