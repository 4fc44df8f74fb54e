//! What `migrate apply` and `rollback` say on stderr as each step starts and ends.

use crate::cli::Context;
use officectl::migrate::StepProgress;

/// Progress lines on stderr, one per step start and end (silent with `-q`).
pub fn progress_lines(context: &Context) -> impl Fn(StepProgress<'_>) + Sync + '_ {
    move |event| match event {
        StepProgress::Started { step, kind } => context
            .printer
            .status(format!("step `{step}` ({kind}): started")),
        StepProgress::Done { step, detail } => context.printer.status(format!(
            "step `{step}`: done{}",
            detail.map(|d| format!(" — {d}")).unwrap_or_default()
        )),
        StepProgress::Failed { step, message } => context
            .printer
            .status(format!("step `{step}`: FAILED — {message}")),
        StepProgress::RolledBack { step } => context
            .printer
            .status(format!("step `{step}`: rolled back")),
    }
}
