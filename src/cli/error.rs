//! Turning errors into what the operator sees: `error:`, the cause chain, a `hint:`, and the
//! exit code. This is the one place that maps errors to exit codes.

use officectl::doctor::Unhealthy;
use officectl::exit::{self, Failure};
use officectl::migrate::MigrateError;
use officectl::migrate::lock::LockError;
use officectl::migrate::plan::PlanError;
use officectl::pubsub::{ErrorKind, PubSubError};
use officectl::settings::SettingsError;
use officectl::topics::{ChangesPresent, Drifted, Incomplete, LayoutError};
use officectl::vespa::refeed::plan::PlanError as RefeedPlanError;
use std::fmt;

/// An error with a suggested next step.
#[derive(Debug)]
pub struct Hinted {
    error: anyhow::Error,
    hint: String,
}

impl fmt::Display for Hinted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl std::error::Error for Hinted {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error.source()
    }
}

/// Attaches a hint to an error.
pub fn with_hint(error: impl Into<anyhow::Error>, hint: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Hinted {
        error: error.into(),
        hint: hint.into(),
    })
}

/// Calls `visit` on every error in the chain, looking inside [`Hinted`] wrappers too.
fn each_cause<'a>(
    err: &'a anyhow::Error,
    visit: &mut dyn FnMut(&'a (dyn std::error::Error + 'static)),
) {
    for cause in err.chain() {
        visit(cause);
        if let Some(hinted) = cause.downcast_ref::<Hinted>() {
            each_cause(&hinted.error, visit);
        }
    }
}

/// The exit code for an error: a typed [`Failure`] decides; settings errors and files named on
/// the command line that cannot be opened or are invalid as a whole (config, layout, plan,
/// users file, inputs) are usage errors (2), as the README's table says; everything else is 1.
/// Input read line by line with some bad lines is not a bad file: those lines are reported and
/// the command fails with 1.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    let mut code = None;
    each_cause(err, &mut |cause| {
        if code.is_some() {
            return;
        }
        if let Some(failure) = cause.downcast_ref::<Failure>() {
            code = Some(failure.exit_code());
        } else if let Some(plan) = cause.downcast_ref::<RefeedPlanError>() {
            // A checkpoint of the wrong kind is an error of the data, not of the command line.
            code = Some(match plan {
                RefeedPlanError::OtherKind { .. } => exit::ERROR,
                _ => exit::USAGE_OR_DRIFT,
            });
        } else if let Some(failure) = typed_failure(cause) {
            code = Some(failure.exit_code());
        } else if is_bad_file(cause) {
            code = Some(exit::USAGE_OR_DRIFT);
        }
    });
    code.unwrap_or(exit::ERROR)
}

/// The documented failure of a `migrate` or `topics` error (a failed step, a held lock, an
/// interruption, drift).
fn typed_failure(cause: &(dyn std::error::Error + 'static)) -> Option<Failure> {
    if let Some(err) = cause.downcast_ref::<MigrateError>() {
        return err.failure();
    }
    if let Some(err) = cause.downcast_ref::<Incomplete>() {
        return Some(err.failure());
    }
    if let Some(err) = cause.downcast_ref::<Drifted>() {
        return Some(err.failure());
    }
    if let Some(err) = cause.downcast_ref::<ChangesPresent>() {
        return Some(err.failure());
    }
    if let Some(err) = cause.downcast_ref::<Unhealthy>() {
        return Some(Failure::Unhealthy(err.to_string()));
    }
    cause
        .downcast_ref::<LockError>()
        .and_then(LockError::failure)
}

/// A settings error, or a file named on the command line that cannot be used.
fn is_bad_file(cause: &(dyn std::error::Error + 'static)) -> bool {
    cause.downcast_ref::<SettingsError>().is_some()
        || cause
            .downcast_ref::<crate::cli::input::OpenError>()
            .is_some()
        || cause.downcast_ref::<LayoutError>().is_some()
        || cause.downcast_ref::<PlanError>().is_some()
        || cause.downcast_ref::<officectl::yaml::YamlError>().is_some()
}

/// The causes below the top-level message, one line per distinct cause: a cause whose text
/// an earlier line already contains (`invalid layout X:2:3: …` above `X:2:3: …`) says nothing
/// new and is left out.
pub fn causes(err: &anyhow::Error) -> Vec<String> {
    let top = err.to_string();
    let mut seen = vec![top];
    for cause in err.chain().skip(1) {
        let text = cause.to_string();
        if !text.is_empty() && !seen.iter().any(|s| s.contains(&text)) {
            seen.push(text);
        }
    }
    seen.split_off(1)
}

/// The hint for an error: an explicit one, or one derived from a known error type.
pub fn hint(err: &anyhow::Error) -> Option<String> {
    let mut found = None;
    each_cause(err, &mut |cause| {
        if found.is_some() {
            return;
        }
        if let Some(hinted) = cause.downcast_ref::<Hinted>() {
            found = Some(hinted.hint.clone());
        } else if let Some(settings) = cause.downcast_ref::<SettingsError>() {
            found = settings_hint(settings);
        } else if let Some(pubsub) = cause.downcast_ref::<PubSubError>() {
            found = pubsub_hint(pubsub);
        } else if let Some(plan) = cause.downcast_ref::<RefeedPlanError>() {
            found = refeed_plan_hint(plan);
        } else if let Some(stopped) = cause.downcast_ref::<crate::cli::migrate::stopped::Stopped>()
        {
            found = stopped.hint();
        } else if let Some(stopped) = cause.downcast_ref::<crate::cli::topics::stopped::Stopped>() {
            found = Some(stopped.hint());
        } else if let Some(migrate) = cause.downcast_ref::<MigrateError>() {
            found = migrate_hint(migrate);
        } else if let Some(lock) = cause.downcast_ref::<LockError>() {
            found = lock_hint(lock);
        } else if let Some(unhealthy) = cause.downcast_ref::<Unhealthy>() {
            found = unhealthy.hint.clone();
        } else if cause.downcast_ref::<LayoutError>().is_some() {
            found = Some("fix the layout; docs/topology.md describes the format".into());
        } else if cause.downcast_ref::<PlanError>().is_some() {
            found = Some("fix the plan; docs/migrations.md describes the format".into());
        } else if cause
            .downcast_ref::<officectl::redis_connection::ConnectError>()
            .is_some()
        {
            found = Some(
                "check Redis with `officectl doctor`; for local services run `scripts/services up`"
                    .into(),
            );
        }
    });
    found
}

fn refeed_plan_hint(err: &RefeedPlanError) -> Option<String> {
    Some(match err {
        RefeedPlanError::SeveralClusters => "run once per cluster".into(),
        RefeedPlanError::ClusterWithSource => "leave out `--cluster`".into(),
        RefeedPlanError::UnknownType { .. } => {
            let known: Vec<String> = officectl::model::catalog::DataType::all()
                .map(|t| format!("`{}`", t.vespa_type()))
                .collect();
            format!("use one of {}", known.join(", "))
        }
        RefeedPlanError::NoCheckpointHere { .. } => "leave them out".into(),
        RefeedPlanError::OtherKind { .. } => return None,
        RefeedPlanError::OtherSlices { saved, .. } => {
            format!("resume with `--slices {saved}`, or start over with `--restart`")
        }
        RefeedPlanError::OtherVisit { .. } | RefeedPlanError::FileChanged { .. } => {
            "start over with `--restart`".into()
        }
    })
}

fn settings_hint(err: &SettingsError) -> Option<String> {
    match err {
        SettingsError::NoProject => Some("pass `--project ID` or set `OFFICECTL_PROJECT`".into()),
        SettingsError::ParseConfig(_) | SettingsError::ReadConfig { .. } => {
            Some("fix the config file, or name another with `--config FILE`".into())
        }
        SettingsError::Invalid { .. } => None,
    }
}

fn migrate_hint(err: &MigrateError) -> Option<String> {
    match err {
        MigrateError::ChangedStep { .. } => Some(
            "restore the applied step, roll back, or pass `--allow-changed` if the change is safe"
                .into(),
        ),
        MigrateError::Irreversible { step, .. } => Some(format!(
            "roll back to the irreversible step instead: `--to {step}`"
        )),
        _ => None,
    }
}

fn lock_hint(err: &LockError) -> Option<String> {
    match err {
        LockError::Held { holder, .. } => Some(format!(
            "wait for that run, or if it crashed: `officectl migrate unlock {}` (or let its lease expire)",
            holder.lock_id
        )),
        LockError::NoSuchLock(_) => {
            Some("`officectl migrate status` lists the plans and their locks".into())
        }
        LockError::Store(_) => None,
    }
}

fn pubsub_hint(err: &PubSubError) -> Option<String> {
    match err.kind {
        ErrorKind::Connect | ErrorKind::Unavailable | ErrorKind::DeadlineExceeded => Some(
            "is Pub/Sub reachable? Check with `officectl doctor`; for local services run `scripts/services up` and `. target/services.env`".into(),
        ),
        ErrorKind::Unauthenticated | ErrorKind::PermissionDenied => Some(
            "check credentials: `gcloud auth application-default login`, or set `PUBSUB_EMULATOR_HOST` for an emulator".into(),
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_failures_decide_the_exit_code_even_when_wrapped() {
        let err =
            anyhow::Error::new(Failure::Partial("2 of 5 steps failed".into())).context("apply");
        assert_eq!(exit_code(&err), 4);
        let err = with_hint(
            Failure::LockHeld {
                what: "plan `p`".into(),
                by: "h".into(),
                since: "t".into(),
                lock_id: "l".into(),
            },
            "wait",
        );
        assert_eq!(exit_code(&err), 3);
        assert_eq!(hint(&err).as_deref(), Some("wait"));
        assert_eq!(exit_code(&anyhow::anyhow!("plain")), 1);
        assert_eq!(exit_code(&anyhow::Error::new(SettingsError::NoProject)), 2);
        assert_eq!(exit_code(&anyhow::Error::new(Failure::Interrupted)), 130);
    }

    #[test]
    fn hints_come_from_known_errors() {
        let err = anyhow::Error::new(PubSubError::new(
            "list topics in",
            "projects/p",
            ErrorKind::Connect,
            "connection refused",
        ));
        assert!(hint(&err).unwrap().contains("officectl doctor"));
        assert!(hint(&anyhow::anyhow!("x")).is_none());
    }

    #[test]
    fn causes_skip_repeats() {
        let err = anyhow::anyhow!("root").context("middle").context("top");
        assert_eq!(causes(&err), vec!["middle".to_string(), "root".to_string()]);
    }
}
