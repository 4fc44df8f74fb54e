//! `vespa-double`: serve the Vespa stand-in until SIGTERM or Ctrl-C.

use vespa_double::Config;
use vespa_double::config::USAGE;
use vespa_double::tls::ConfigFront;

fn main() {
    let config = match Config::from_args(std::env::args().skip(1)) {
        Ok(c) => c,
        Err(m) if m.is_empty() => {
            print!("{USAGE}");
            return;
        }
        Err(m) => {
            eprintln!("error: {m}\n\n{USAGE}");
            std::process::exit(2);
        }
    };
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    runtime.enable_all();
    if let Some(n) = config.threads {
        runtime.worker_threads(n.max(1));
    }
    let runtime = match runtime.build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: starting the runtime: {e}");
            std::process::exit(1);
        }
    };
    let code = runtime.block_on(async move {
        let mut config = config;
        // With --config-tls the config-server port is a TLS front to the double's own.
        let started = match ConfigFront::bind(&mut config).await {
            Ok(front) => vespa_double::start(config).await.and_then(|running| {
                let config_addr = match front {
                    Some(front) => front.serve(running.config_addr)?,
                    None => running.config_addr,
                };
                Ok((running, config_addr))
            }),
            Err(m) => Err(m),
        };
        let (running, config_addr) = match started {
            Ok(r) => r,
            Err(m) => {
                eprintln!("error: {m}");
                return 1;
            }
        };
        let app = &running.app;
        let (scheme, mtls) = match &app.tls {
            Some(tls) if tls.mtls => ("https", " (client certificate required)"),
            Some(_) => ("https", ""),
            None => ("http", ""),
        };
        let config_scheme = if app.config.config_tls { "https" } else { "http" };
        eprintln!(
            "vespa-double: document/search on {scheme}://{}{mtls}, config server on {config_scheme}://{}, {} ({} document types), queue {}",
            running.addr,
            config_addr,
            app.config
                .app
                .as_ref()
                .map_or_else(|| "no application package: open schema".to_string(), |p| format!("app {}", p.display())),
            app.schema.types.as_ref().map_or(0, |t| t.len()),
            app.config.queue_size,
        );
        wait_for_signal().await;
        eprintln!("vespa-double: stopping");
        0
    });
    std::process::exit(code);
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
