//! The processes a drill runs: this same binary, inside the drill's namespace, with the
//! drill's resolved settings passed on in the environment (not as flags: a Redis URL may hold
//! a password, and a process's arguments are visible to every user of the machine). Each child
//! is its own process group, so a Ctrl-C in the terminal reaches only the drill, which stops
//! them in order.

use officectl::settings::{Settings, env};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};

/// A child that is replaced while the drill runs (the loader, restarted by the chaos): whoever
/// holds the lock holds the current one.
pub type LoaderSlot = std::sync::Arc<tokio::sync::Mutex<Child>>;

/// How to start `officectl` as a child of the drill.
#[derive(Debug, Clone)]
pub struct Officectl {
    exe: PathBuf,
    namespace: String,
    global: Vec<String>,
    /// The resolved settings, as the environment variables the children read.
    settings: Vec<(&'static str, std::ffi::OsString)>,
    logs: PathBuf,
}

impl Officectl {
    /// Children that run in `namespace` against the services `settings` names and write their
    /// output under `logs`.
    pub fn new(settings: &Settings, namespace: &str, logs: &Path) -> anyhow::Result<Officectl> {
        let exe = std::env::current_exe()?;
        // The Pub/Sub endpoint has no variable of its own (`PUBSUB_EMULATOR_HOST` means plain
        // HTTP); a URL carries no secret.
        let mut global = vec![
            "--pubsub-endpoint".to_string(),
            settings.pubsub.value.url.clone(),
            "--no-progress".to_string(),
            "--color".to_string(),
            "never".to_string(),
        ];
        if let Some(config) = &settings.config_file {
            global.push("--config".to_string());
            global.push(config.display().to_string());
        }
        let vespa = &settings.vespa;
        let mut passed: Vec<(&'static str, std::ffi::OsString)> = vec![
            (env::PROJECT, settings.project()?.into()),
            (env::REDIS_URL, settings.redis_url.value.clone().into()),
            (env::VESPA_ENDPOINT, vespa.endpoint.value.clone().into()),
            (
                env::VESPA_CONFIG_ENDPOINT,
                vespa.config_endpoint.value.clone().into(),
            ),
        ];
        let files = [
            (env::VESPA_CA_CERT, &vespa.ca_cert),
            (env::VESPA_CERT, &vespa.cert),
            (env::VESPA_KEY, &vespa.key),
        ];
        for (name, file) in files {
            if let Some(file) = file {
                passed.push((name, file.value.clone().into_os_string()));
            }
        }
        if let Some(token) = &vespa.token {
            passed.push((env::VESPA_TOKEN, token.value.clone().into()));
        }
        std::fs::create_dir_all(logs)?;
        Ok(Officectl {
            exe,
            namespace: namespace.to_string(),
            global,
            settings: passed,
            logs: logs.to_path_buf(),
        })
    }

    /// Starts `officectl <args>`, its stdout and stderr appended to `<logs>/<log>.log`.
    pub fn spawn(&self, args: &[String], log: &str) -> anyhow::Result<Child> {
        let path = self.logs.join(format!("{log}.log"));
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)?;
        let mut command = Command::new(&self.exe);
        command
            .args(&self.global)
            .args(args)
            .envs(self.settings.iter().map(|(name, value)| (*name, value)))
            .env(env::NAMESPACE, &self.namespace)
            .stdin(Stdio::null())
            .stdout(file.try_clone()?)
            .stderr(file)
            .process_group(0)
            .kill_on_drop(true);
        Ok(command.spawn()?)
    }

    /// The last lines of a child's log, for an error message.
    pub fn tail(&self, log: &str, lines: usize) -> String {
        let text =
            std::fs::read_to_string(self.logs.join(format!("{log}.log"))).unwrap_or_default();
        let all: Vec<&str> = text.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }
}

/// Asks a child to stop (SIGTERM), and kills it when it has not exited within `grace`.
pub async fn terminate(child: &mut Child, grace: Duration) {
    if let Some(pid) = child.id().and_then(|pid| i32::try_from(pid).ok()) {
        // SAFETY: `kill` only sends a signal to a process id this drill started and still owns
        // (the child has not been reaped, so the id cannot have been reused).
        unsafe {
            libc::kill(pid, libc::SIGTERM);
        }
    }
    if tokio::time::timeout(grace, child.wait()).await.is_err() {
        let _ = child.kill().await;
    }
}
