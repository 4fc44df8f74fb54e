//! Finding the programs the check needs: `java` and `javac` (a JDK 17 or newer) and `mvn`.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// The programs the check needs, found on `PATH` (or under `JAVA_HOME` for Java).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tools {
    pub java: Option<PathBuf>,
    pub javac: Option<PathBuf>,
    pub mvn: Option<PathBuf>,
}

impl Tools {
    /// Finds `java` and `javac` in `$JAVA_HOME/bin`, else on `path`, and `mvn` on `path` (the
    /// value of `PATH`), as a shell and Maven would.
    pub fn find(path: Option<&OsStr>, java_home: Option<&OsStr>) -> Tools {
        let java_bin = java_home.map(|home| Path::new(home).join("bin"));
        let find = |name: &str, first: Option<&Path>| {
            first
                .map(|dir| dir.join(name))
                .filter(|p| is_executable(p))
                .or_else(|| {
                    std::env::split_paths(path?)
                        .map(|dir| dir.join(name))
                        .find(|p| is_executable(p))
                })
        };
        Tools {
            java: find("java", java_bin.as_deref()),
            javac: find("javac", java_bin.as_deref()),
            mvn: find("mvn", None),
        }
    }
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}
