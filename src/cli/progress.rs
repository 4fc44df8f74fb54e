//! The one progress display of every long command (backfill, re-feed, feed): the run core's
//! [`Reporter`] drawn as the printer allows. On a terminal a bar (by input bytes, with an ETA,
//! when the total is known; a spinner otherwise); elsewhere a plain status line every few
//! seconds, for logs and CI; nothing with `-q`.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use officectl::run::progress::Reporter;

use super::printer::Printer;

/// What one snapshot looks like on screen.
pub struct Shown {
    /// The bar's message.
    pub bar: String,
    /// The plain line printed off a terminal.
    pub line: String,
    /// Input read and its total, when the run can tell: the bar's position and length.
    pub position: Option<(u64, Option<u64>)>,
}

/// A reporter that draws snapshots of type `S`.
pub struct ProgressView<S> {
    printer: Printer,
    bar: Option<indicatif::ProgressBar>,
    every: Duration,
    last: Mutex<Instant>,
    show: Box<dyn Fn(&S) -> Shown + Send + Sync>,
    stopping: String,
}

impl<S> ProgressView<S> {
    /// Draws with `show`; off a terminal a line every `every`. `stopping` is said once on the
    /// first Ctrl-C.
    pub fn new(
        printer: &Printer,
        every: Duration,
        stopping: impl Into<String>,
        show: impl Fn(&S) -> Shown + Send + Sync + 'static,
    ) -> ProgressView<S> {
        ProgressView {
            printer: printer.clone(),
            bar: bar(printer, None),
            every,
            last: Mutex::new(Instant::now()),
            show: Box::new(show),
            stopping: stopping.into(),
        }
    }
}

impl<S> Reporter<S> for ProgressView<S> {
    fn update(&self, snapshot: &S) {
        let shown = (self.show)(snapshot);
        match &self.bar {
            Some(bar) => {
                if let Some((read, total)) = shown.position {
                    if let Some(total) = total
                        && bar.length() != Some(total)
                    {
                        bar.set_length(total);
                        bar.set_style(style("{bar:30} {percent:>3}% ETA {eta}  {msg}"));
                    }
                    bar.set_position(read);
                }
                bar.set_message(shown.bar);
                bar.tick();
            }
            None => {
                let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
                if last.elapsed() >= self.every {
                    *last = Instant::now();
                    self.printer.status(shown.line);
                }
            }
        }
    }

    fn finish(&self, _: &S) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    fn stopping(&self) {
        self.printer.status(&self.stopping);
    }
}

/// A progress bar drawn through the printer (so it never tears its lines and honours `-q`), with
/// `template` as its style; `None` where the printer draws no progress (not a terminal, `-q`).
/// The one place commands make a bar.
pub fn bar(printer: &Printer, template: Option<&str>) -> Option<indicatif::ProgressBar> {
    printer.progress_visible().then(|| {
        let bar = indicatif::ProgressBar::with_draw_target(None, printer.progress_target());
        if let Some(template) = template {
            bar.set_style(style(template));
        }
        bar
    })
}

fn style(template: &str) -> indicatif::ProgressStyle {
    indicatif::ProgressStyle::with_template(template)
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
}
