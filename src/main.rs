//! The `officectl` binary: parses the command line, resolves settings, runs one command and maps
//! its outcome to a documented exit code. Everything else lives in the library.

mod cli;

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(cli::main())
}
