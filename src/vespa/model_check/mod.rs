//! Checking application packages with Vespa's own config model, the Java library a config
//! server deploys with, so that a package Vespa would refuse fails here and not at a deploy
//! (issue 18: the double took a `host` field that Vespa rejects, and with it the whole package).
//!
//! The checker is `vespa/model-check/ModelCheck.java`, run against the config model that
//! `vespa/model-check/pom.xml` pins (`vespa.version`, the one place the version is set). Both
//! files are built into officectl, so the check works from any directory. A [`ModelChecker`]
//! keeps its work under a cache directory (`vespa.model_check_dir`):
//!
//! ```text
//! <cache>/m2/                      Maven's local repository: the config model's ~110 jars
//! <cache>/<digest>/pom.xml         the embedded pom and checker source, as written
//! <cache>/<digest>/ModelCheck.java
//! <cache>/<digest>/classpath.txt   the classpath Maven resolved
//! <cache>/<digest>/classes/        the compiled checker
//! ```
//!
//! `<digest>` is taken over the pom and the source, so another version or checker resolves and
//! compiles afresh while the jars already fetched stay in `m2/`. Resolving runs `mvn` once;
//! compiling runs `javac` once; each check runs `java`, one JVM for all the packages given
//! (the first model takes a couple of seconds to build, the next ones a fraction of that).
//!
//! Nothing here prints: [`ModelChecker::prepare`] reports its slow steps through a callback.
//!
//! The parts: this file runs the checker; `tools` finds `java`, `javac` and `mvn`; `report`
//! is what a check reports.

mod report;
mod tools;

pub use report::{CheckReport, Logged, PackageCheck, ReservedNames};
pub use tools::Tools;

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use sha2::{Digest, Sha256};

/// The pom that pins the config model (`vespa/model-check/pom.xml`).
pub const POM: &str = include_str!("../../../vespa/model-check/pom.xml");
/// The checker (`vespa/model-check/ModelCheck.java`).
pub const SOURCE: &str = include_str!("../../../vespa/model-check/ModelCheck.java");
/// The checker's class name.
const MAIN_CLASS: &str = "ModelCheck";

/// The `vespa.version` property of [`POM`]: the config model the packages are checked with.
pub fn vespa_version() -> &'static str {
    const OPEN: &str = "<vespa.version>";
    POM.split_once(OPEN)
        .and_then(|(_, rest)| rest.split_once("</vespa.version>"))
        .map_or("unknown", |(version, _)| version.trim())
}

/// Why a check could not run (a package that fails the check is a [`PackageCheck`], not this).
#[derive(Debug, thiserror::Error)]
pub enum ModelCheckError {
    #[error(
        "`java` was not found (looked in $JAVA_HOME/bin and on PATH); Vespa's config model {version} needs Java 17 or newer"
    )]
    JavaMissing { version: &'static str },
    #[error(
        "`javac` was not found next to `{java}` nor on PATH; compiling the checker once needs a JDK 17 or newer, not only a JRE"
    )]
    JavacMissing { java: PathBuf },
    #[error(
        "Vespa's config model {version} is not in `{cache}` yet, and `mvn` (Maven), which fetches it once from Maven Central, was not found on PATH"
    )]
    MavenMissing {
        version: &'static str,
        cache: PathBuf,
    },
    #[error("`{0}` is not an application package (no services.xml in it)")]
    NotAPackage(PathBuf),
    #[error("cannot prepare the model check in `{path}`")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot run `{program}`")]
    Spawn {
        program: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("Maven could not fetch Vespa's config model {version} ({status}):\n{output}")]
    Resolve {
        version: &'static str,
        status: String,
        output: String,
    },
    #[error("javac could not compile the checker ({status}):\n{output}")]
    Compile { status: String, output: String },
    #[error("the checker ended ({status}) without a result for every package:\n{output}")]
    Crashed { status: String, output: String },
    #[error("the checker printed what officectl cannot read: {line}")]
    Protocol { line: String },
}

/// A slow step [`ModelChecker::prepare`] is about to take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Fetching the config model with Maven (about 110 jars, once per version).
    Resolve,
    /// Compiling the checker (once per checker).
    Compile,
}

/// Runs the checker from a cache directory.
#[derive(Debug, Clone)]
pub struct ModelChecker {
    cache: PathBuf,
    work: PathBuf,
    java: PathBuf,
    tools: Tools,
}

impl ModelChecker {
    /// A checker working under `cache`; fails when `java` is missing, which every check needs.
    pub fn new(cache: &Path, tools: Tools) -> Result<ModelChecker, ModelCheckError> {
        let java = tools.java.clone().ok_or(ModelCheckError::JavaMissing {
            version: vespa_version(),
        })?;
        Ok(ModelChecker {
            cache: cache.to_path_buf(),
            work: cache.join(work_dir_name()),
            java,
            tools,
        })
    }

    /// Where the config model and the compiled checker are kept.
    pub fn cache(&self) -> &Path {
        &self.cache
    }

    fn classpath_file(&self) -> PathBuf {
        self.work.join("classpath.txt")
    }

    fn classes(&self) -> PathBuf {
        self.work.join("classes")
    }

    /// The jars Maven resolved, when every one of them is still there.
    fn cached_classpath(&self) -> Option<Vec<PathBuf>> {
        let text = std::fs::read_to_string(self.classpath_file()).ok()?;
        let jars: Vec<PathBuf> = std::env::split_paths(text.trim())
            // Maven lists a few `.pom` artifacts (dependency bundles) too; only jars hold classes.
            .filter(|p| p.extension().is_some_and(|e| e == "jar"))
            .collect();
        (!jars.is_empty() && jars.iter().all(|j| j.is_file())).then_some(jars)
    }

    fn compiled(&self) -> bool {
        self.classes().join(format!("{MAIN_CLASS}.class")).is_file()
    }

    /// Fetches the config model and compiles the checker when not done yet, calling `on_step`
    /// before each slow step. Fails before doing anything when a tool it needs is missing.
    pub fn prepare(&self, on_step: &mut dyn FnMut(Step)) -> Result<(), ModelCheckError> {
        if self.cached_classpath().is_some() && self.compiled() {
            return Ok(());
        }
        // One preparation at a time per cache (parallel tests, two terminals): the others wait
        // here and then find the work done. The lock goes with the file, at the latest when the
        // process ends.
        std::fs::create_dir_all(&self.cache).map_err(self.io(&self.cache))?;
        let lock_path = self.cache.join(".prepare.lock");
        let lock = std::fs::File::create(&lock_path).map_err(self.io(&lock_path))?;
        lock.lock().map_err(self.io(&lock_path))?;
        let resolve = self.cached_classpath().is_none();
        let compile = resolve || !self.compiled();
        if resolve && self.tools.mvn.is_none() {
            return Err(ModelCheckError::MavenMissing {
                version: vespa_version(),
                cache: self.cache.clone(),
            });
        }
        let javac = match (&self.tools.javac, compile) {
            (Some(javac), _) => Some(javac.clone()),
            (None, true) => {
                return Err(ModelCheckError::JavacMissing {
                    java: self.java.clone(),
                });
            }
            (None, false) => None,
        };
        self.write_sources()?;
        if resolve {
            on_step(Step::Resolve);
            self.resolve()?;
        }
        if let (true, Some(javac)) = (compile, javac) {
            on_step(Step::Compile);
            self.compile(&javac)?;
        }
        Ok(())
    }

    fn io(&self, path: &Path) -> impl FnOnce(std::io::Error) -> ModelCheckError {
        let path = path.to_path_buf();
        move |source| ModelCheckError::Io { path, source }
    }

    fn write_sources(&self) -> Result<(), ModelCheckError> {
        std::fs::create_dir_all(&self.work).map_err(self.io(&self.work))?;
        for (name, content) in [("pom.xml", POM), ("ModelCheck.java", SOURCE)] {
            let path = self.work.join(name);
            if std::fs::read_to_string(&path).ok().as_deref() != Some(content) {
                write_atomically(&path, content.as_bytes()).map_err(self.io(&path))?;
            }
        }
        Ok(())
    }

    fn resolve(&self) -> Result<(), ModelCheckError> {
        let Some(mvn) = &self.tools.mvn else {
            return Err(ModelCheckError::MavenMissing {
                version: vespa_version(),
                cache: self.cache.clone(),
            });
        };
        // Written aside and renamed, so a check running meanwhile never reads half a file.
        let partial = self
            .work
            .join(format!("classpath.txt.{}.partial", std::process::id()));
        let mut repo = std::ffi::OsString::from("-Dmaven.repo.local=");
        repo.push(self.cache.join("m2"));
        let mut out_file = std::ffi::OsString::from("-Dmdep.outputFile=");
        out_file.push(&partial);
        let output = run(Command::new(mvn)
            .args(["--batch-mode", "--quiet", "--file"])
            .arg(self.work.join("pom.xml"))
            .arg(repo)
            .arg("dependency:build-classpath")
            .arg(out_file))
        .map_err(|source| ModelCheckError::Spawn {
            program: mvn.clone(),
            source,
        })?;
        if !output.status.success() || !partial.is_file() {
            let _ = std::fs::remove_file(&partial);
            return Err(ModelCheckError::Resolve {
                version: vespa_version(),
                status: output.status.to_string(),
                output: tail(&output, 40),
            });
        }
        let target = self.classpath_file();
        std::fs::rename(&partial, &target).map_err(self.io(&target))?;
        if self.cached_classpath().is_none() {
            return Err(ModelCheckError::Resolve {
                version: vespa_version(),
                status: output.status.to_string(),
                output: format!("`{}` lists no jar that exists", target.display()),
            });
        }
        Ok(())
    }

    fn compile(&self, javac: &Path) -> Result<(), ModelCheckError> {
        let classpath = self.classpath(false)?;
        let partial = self
            .work
            .join(format!("classes.{}.partial", std::process::id()));
        let _ = std::fs::remove_dir_all(&partial);
        let output = run(Command::new(javac)
            .args(["--release", "17", "-nowarn", "-encoding", "UTF-8", "-d"])
            .arg(&partial)
            .arg("-cp")
            .arg(classpath)
            .arg(self.work.join("ModelCheck.java")))
        .map_err(|source| ModelCheckError::Spawn {
            program: javac.to_path_buf(),
            source,
        })?;
        if !output.status.success() {
            let _ = std::fs::remove_dir_all(&partial);
            return Err(ModelCheckError::Compile {
                status: output.status.to_string(),
                output: tail(&output, 40),
            });
        }
        let classes = self.classes();
        let _ = std::fs::remove_dir_all(&classes);
        if let Err(err) = std::fs::rename(&partial, &classes) {
            let _ = std::fs::remove_dir_all(&partial);
            // Another run compiled the same source and got there first.
            if !self.compiled() {
                return Err(self.io(&classes)(err));
            }
        }
        Ok(())
    }

    /// The classpath: the checker's classes (when `with_classes`), then the config model's jars.
    fn classpath(&self, with_classes: bool) -> Result<std::ffi::OsString, ModelCheckError> {
        let jars = self
            .cached_classpath()
            .ok_or_else(|| ModelCheckError::MavenMissing {
                version: vespa_version(),
                cache: self.cache.clone(),
            })?;
        let entries = with_classes.then(|| self.classes()).into_iter().chain(jars);
        std::env::join_paths(entries).map_err(|err| ModelCheckError::Io {
            path: self.classpath_file(),
            source: std::io::Error::other(err),
        })
    }

    fn java(&self, args: &[&OsStr]) -> Result<Output, ModelCheckError> {
        run(Command::new(&self.java)
            // A short-lived JVM: the C1 compiler alone and the serial collector start faster
            // and, on a small machine, leave the cores to whatever else runs.
            .args(["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp"])
            .arg(self.classpath(true)?)
            .arg(MAIN_CLASS)
            .args(args))
        .map_err(|source| ModelCheckError::Spawn {
            program: self.java.clone(),
            source,
        })
    }

    /// Checks every package in `apps` with one JVM, in order. Call [`prepare`](Self::prepare)
    /// first.
    pub fn check(&self, apps: &[PathBuf]) -> Result<Vec<PackageCheck>, ModelCheckError> {
        for app in apps {
            if !app.join("services.xml").is_file() {
                return Err(ModelCheckError::NotAPackage(app.clone()));
            }
        }
        let args: Vec<&OsStr> = apps.iter().map(|a| a.as_os_str()).collect();
        let output = self.java(&args)?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let mut checks = Vec::with_capacity(apps.len());
        for line in stdout.lines().filter(|l| l.starts_with('{')) {
            let check: PackageCheck =
                serde_json::from_str(line).map_err(|_| ModelCheckError::Protocol {
                    line: line.to_string(),
                })?;
            checks.push(check);
        }
        // Exit 1 means "a package failed"; anything else, or a missing result, is a crash.
        let code = output.status.code();
        if checks.len() != apps.len() || !matches!(code, Some(0 | 1)) {
            return Err(ModelCheckError::Crashed {
                status: output.status.to_string(),
                output: tail(&output, 40),
            });
        }
        Ok(checks)
    }

    /// The names the pinned config model reserves, read from its classes.
    pub fn reserved_names(&self) -> Result<ReservedNames, ModelCheckError> {
        let output = self.java(&[OsStr::new("--reserved-names")])?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let Some(line) = stdout.lines().find(|l| l.starts_with('{')) else {
            return Err(ModelCheckError::Crashed {
                status: output.status.to_string(),
                output: tail(&output, 40),
            });
        };
        serde_json::from_str(line).map_err(|_| ModelCheckError::Protocol {
            line: line.to_string(),
        })
    }
}

/// `<version>-<first 12 hex digits of SHA-256 over the pom and the source>`.
fn work_dir_name() -> String {
    let mut hash = Sha256::new();
    hash.update(POM.as_bytes());
    hash.update([0]);
    hash.update(SOURCE.as_bytes());
    let digest = hash.finalize();
    let mut name = format!("{}-", vespa_version());
    for byte in &digest[..6] {
        let _ = write!(name, "{byte:02x}");
    }
    name
}

/// Runs `command` with no stdin (CI has none; Maven must never wait for input).
fn run(command: &mut Command) -> std::io::Result<Output> {
    command.stdin(Stdio::null()).output()
}

/// The last `lines` lines of stdout and stderr together.
fn tail(output: &Output, lines: usize) -> String {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let all: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

fn write_atomically(path: &Path, content: &[u8]) -> std::io::Result<()> {
    let partial = path.with_extension(format!("{}.partial", std::process::id()));
    std::fs::write(&partial, content)?;
    std::fs::rename(&partial, path)
}

#[cfg(test)]
mod tests;
