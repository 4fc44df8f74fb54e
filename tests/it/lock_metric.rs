//! `officectl_migration_lock_age_seconds`: a running Vespa loader reads the migration plans'
//! locks from Redis at each flag refresh and exports how long each has been held, so a stuck
//! lock alerts (deploy/prometheus/alerts.yaml, OfficectlMigrationLockStuck) without anyone
//! running `migrate status`. Against the real local Redis (database 58) and Pub/Sub.

use crate::consume::{Loader, get_text, lay_out};
use crate::support::{redis_db, unique};
use std::time::{Duration, Instant};

/// The database of this test: it writes a plan's lock, a global key.
const DB: u8 = 58;

fn redis() -> redis::Connection {
    redis::Client::open(redis_db(DB))
        .unwrap()
        .get_connection()
        .unwrap()
}

/// The gauge's value for `plan` in `/metrics` at `addr`, if the series is there.
fn lock_age(addr: &str, plan: &str) -> Option<f64> {
    let (status, text) = get_text(addr, "/metrics");
    assert_eq!(status, 200, "{text}");
    let series = format!("officectl_migration_lock_age_seconds{{plan=\"{plan}\"}}");
    text.lines()
        .find_map(|line| line.strip_prefix(&series)?.trim().parse().ok())
}

/// Polls `/metrics` until `done` holds for the gauge of `plan` (20 s at most).
fn wait_for(addr: &str, plan: &str, done: impl Fn(Option<f64>) -> bool) -> Option<f64> {
    let started = Instant::now();
    loop {
        let age = lock_age(addr, plan);
        if done(age) {
            return age;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "`{plan}`: gauge still {age:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn the_loader_exports_how_long_each_migration_lock_is_held() {
    let project = unique("lock-metric");
    lay_out(&project, DB);
    let plan = unique("stuck-plan");
    let lock = format!("office:migrate:{plan}:lock");
    let since = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now())
        - chrono::Duration::hours(2);
    let holder = serde_json::json!({
        "lock_id": "4242-feed",
        "by": "ops@bastion (pid 4242)",
        "command": "migrate apply",
        "since": since.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    });
    let mut conn = redis();
    let () = redis::cmd("SADD")
        .arg("office:migrate:plans")
        .arg(&plan)
        .query(&mut conn)
        .unwrap();
    // A lease as `migrate apply` takes it (`SET NX PX`), long enough for the test.
    let () = redis::cmd("SET")
        .arg(&lock)
        .arg(holder.to_string())
        .arg("PX")
        .arg(120_000)
        .query(&mut conn)
        .unwrap();

    let mut loader = Loader::start_consumer(
        DB,
        &project,
        "vespa-loader",
        "email",
        &[
            "--listen",
            "127.0.0.1:0",
            "--log-format",
            "json",
            "--flag-refresh",
            "1s",
        ],
    );
    let addr = loader.listen_address();
    let age = wait_for(&addr, &plan, |age| age.is_some()).unwrap();
    assert!(
        (7200.0..7300.0).contains(&age),
        "held two hours: {age} seconds"
    );

    // Released: the series goes at the next refresh.
    let _: u64 = redis::cmd("DEL").arg(&lock).query(&mut conn).unwrap();
    wait_for(&addr, &plan, |age| age.is_none());

    let (code, _, stderr) = loader.stop();
    assert_eq!(code, Some(0), "{stderr}");
    let _: u64 = redis::cmd("SREM")
        .arg("office:migrate:plans")
        .arg(&plan)
        .query(&mut conn)
        .unwrap();
}
