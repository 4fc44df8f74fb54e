//! The `officectl` binary: parses the command line, resolves settings, runs one command and maps
//! its outcome to a documented exit code. Everything else lives in the library.

mod cli;

/// mimalloc instead of glibc's allocator: the feed and backfill paths allocate many small,
/// short-lived buffers across threads, and `bench/vespa-feed` measured about 28% more
/// operations per second with it. Built without transparent huge pages (`no_thp`): with them,
/// a 200,000-e-mail backfill peaked at 130–151 MB instead of 97–120 MB.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(cli::main())
}
