//! Command-line settings.

use std::path::PathBuf;

use serde_json::Value;

/// How the double runs.
#[derive(Debug, Clone)]
pub struct Config {
    pub host: String,
    /// Document, search and query port; 0 picks a free one.
    pub port: u16,
    /// Config-server port; 0 picks a free one.
    pub config_port: u16,
    pub port_file: Option<PathBuf>,
    pub config_port_file: Option<PathBuf>,
    /// Application package directory; `None` accepts every type and field.
    pub app: Option<PathBuf>,
    /// Content cluster name without an application package.
    pub cluster: String,
    /// `/document/v1` requests in progress beyond this get 429 (Vespa's `maxThrottled`).
    pub queue_size: usize,
    /// Largest accepted request body (Vespa: `maxDocumentOperationRequestSizeMib`, 100 MiB).
    pub max_body_bytes: usize,
    /// Fault rules given at start (`--faults JSON`).
    pub faults: Vec<Value>,
    pub reindex_rate: f64,
    pub reindex_start_delay_ms: f64,
    pub reindex_requires_deploy: bool,
    /// `tenant.application.instance` the config server knows.
    pub application: String,
    pub log_requests: bool,
    /// Tokio worker threads; default: one per core.
    pub threads: Option<usize>,
    /// Server certificate chain and key (PEM): the document/search port speaks TLS only.
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    /// CA (PEM) whose client certificates the TLS port requires (mTLS).
    pub client_ca: Option<PathBuf>,
    /// The config-server port speaks TLS too, with the same certificate, key and client CA.
    pub config_tls: bool,
    /// Bearer tokens the document/search port accepts; empty: no token needed.
    pub require_tokens: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            host: "127.0.0.1".to_string(),
            port: 0,
            config_port: 0,
            port_file: None,
            config_port_file: None,
            app: None,
            cluster: "content".to_string(),
            queue_size: 4096,
            max_body_bytes: 100 << 20,
            faults: Vec::new(),
            reindex_rate: 0.2,
            reindex_start_delay_ms: 500.0,
            reindex_requires_deploy: false,
            application: "default.default.default".to_string(),
            log_requests: false,
            threads: None,
            tls_cert: None,
            tls_key: None,
            client_ca: None,
            config_tls: false,
            require_tokens: Vec::new(),
        }
    }
}

pub const USAGE: &str = "\
vespa-double: a local Vespa stand-in for tests (/document/v1, /search/, reindexing)

usage: vespa-double [options]

  --host ADDR                  listen address (default 127.0.0.1)
  --port N                     document/search port, 0 = any free port (default 0)
  --config-port N              config-server port (reindexing), 0 = any free port (default 0)
  --port-file FILE             write the chosen document port to FILE once listening
  --config-port-file FILE      write the chosen config-server port to FILE
  --app DIR                    application package (services.xml, schemas/*.sd); without it
                               every document type and field is accepted
  --cluster NAME               content cluster name without --app (default content)
  --queue-size N               /document/v1 requests in progress before 429 (default 4096)
  --max-body-bytes N           largest request body, else 413 (default 104857600)
  --faults JSON                a fault rule, e.g. '{\"429\":0.2,\"latency_ms\":5}' (repeatable)
  --reindex-rate R             reindexing progress per second at speed 1 (default 0.2)
  --reindex-start-delay-ms N   delay before a ready type starts (default 500)
  --reindex-requires-deploy    ready types start only after a deployment (a speed change
                               or POST /_double/deploy), as on a real config server
  --application T.A.I          application the config server knows (default default.default.default)
  --threads N                  worker threads (default: one per core)
  --log-requests               print one line per request (and failed TLS handshake) on stderr
  --tls-cert FILE              serve the document/search port over TLS with this certificate
                               chain (PEM); ALPN offers h2 and http/1.1. Needs --tls-key
  --tls-key FILE               the private key (PEM) of --tls-cert
  --client-ca FILE             require a client certificate signed by this CA (PEM), as
                               Vespa Cloud's mTLS data plane does. Needs --tls-cert
  --config-tls                 serve the config-server port over TLS too, with the same
                               --tls-cert, --tls-key and --client-ca (as a self-hosted Vespa
                               with mTLS on every port). Needs --tls-cert
  --require-token TOKEN        require `Authorization: Bearer TOKEN` on the document/search
                               port (401 without a token, 403 with another); repeatable
  -h, --help                   this text
";

impl Config {
    /// Parses arguments (without the program name).
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Result<Config, String> {
        let mut c = Config::default();
        let mut it = args.into_iter();
        while let Some(arg) = it.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
                _ => (arg.clone(), None),
            };
            let mut value = || -> Result<String, String> {
                match &inline {
                    Some(v) => Ok(v.clone()),
                    None => it.next().ok_or_else(|| format!("{flag} needs a value")),
                }
            };
            fn num<T: std::str::FromStr>(flag: &str, v: String) -> Result<T, String> {
                v.parse()
                    .map_err(|_| format!("{flag}: '{v}' is not a valid number"))
            }
            match flag.as_str() {
                "--host" => c.host = value()?,
                "--port" => c.port = num(&flag, value()?)?,
                "--config-port" => c.config_port = num(&flag, value()?)?,
                "--port-file" => c.port_file = Some(value()?.into()),
                "--config-port-file" => c.config_port_file = Some(value()?.into()),
                "--app" => c.app = Some(value()?.into()),
                "--cluster" => c.cluster = value()?,
                "--queue-size" => c.queue_size = num(&flag, value()?)?,
                "--max-body-bytes" => c.max_body_bytes = num(&flag, value()?)?,
                "--faults" => {
                    let v = value()?;
                    let rule: Value =
                        serde_json::from_str(&v).map_err(|e| format!("--faults: not JSON: {e}"))?;
                    crate::faults::Rule::from_json(&rule).map_err(|e| format!("--faults: {e}"))?;
                    c.faults.push(rule);
                }
                "--reindex-rate" => c.reindex_rate = num(&flag, value()?)?,
                "--reindex-start-delay-ms" => c.reindex_start_delay_ms = num(&flag, value()?)?,
                "--reindex-requires-deploy" => c.reindex_requires_deploy = true,
                "--application" => {
                    let v = value()?;
                    if v.split('.').count() != 3 {
                        return Err(format!(
                            "--application: '{v}' is not tenant.application.instance"
                        ));
                    }
                    c.application = v;
                }
                "--threads" => c.threads = Some(num(&flag, value()?)?),
                "--log-requests" => c.log_requests = true,
                "--tls-cert" => c.tls_cert = Some(value()?.into()),
                "--tls-key" => c.tls_key = Some(value()?.into()),
                "--client-ca" => c.client_ca = Some(value()?.into()),
                "--config-tls" => c.config_tls = true,
                "--require-token" => {
                    let v = value()?;
                    if v.trim().is_empty() || v.trim() != v {
                        return Err(format!(
                            "--require-token: '{v}' is empty or has surrounding spaces"
                        ));
                    }
                    c.require_tokens.push(v);
                }
                "-h" | "--help" => return Err(String::new()),
                other => return Err(format!("unknown argument '{other}'")),
            }
        }
        if c.tls_cert.is_some() != c.tls_key.is_some() {
            return Err("--tls-cert and --tls-key go together".to_string());
        }
        if c.client_ca.is_some() && c.tls_cert.is_none() {
            return Err("--client-ca needs --tls-cert and --tls-key".to_string());
        }
        if c.config_tls && c.tls_cert.is_none() {
            return Err("--config-tls needs --tls-cert and --tls-key".to_string());
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Result<Config, String> {
        Config::from_args(a.iter().map(|s| s.to_string()))
    }

    #[test]
    fn flags_parse() {
        let c = args(&[
            "--port=8080",
            "--config-port",
            "19071",
            "--app",
            "vespa/app",
            "--faults",
            r#"{"429":0.5}"#,
            "--reindex-requires-deploy",
        ])
        .unwrap();
        assert_eq!((c.port, c.config_port), (8080, 19071));
        assert_eq!(c.app.unwrap().to_str(), Some("vespa/app"));
        assert_eq!(c.faults.len(), 1);
        assert!(c.reindex_requires_deploy);
        assert!(args(&["--port", "x"]).is_err());
        assert!(args(&["--faults", r#"{"999":1}"#]).is_err());
        assert!(args(&["--bogus"]).is_err());
        assert!(args(&["--application", "a.b"]).is_err());
    }

    #[test]
    fn tls_flags_parse_and_go_together() {
        let c = args(&[
            "--tls-cert",
            "s.pem",
            "--tls-key=s.key",
            "--client-ca",
            "ca.pem",
            "--require-token",
            "t1",
            "--require-token",
            "t2",
        ])
        .unwrap();
        assert_eq!(c.tls_cert.unwrap().to_str(), Some("s.pem"));
        assert_eq!(c.tls_key.unwrap().to_str(), Some("s.key"));
        assert_eq!(c.client_ca.unwrap().to_str(), Some("ca.pem"));
        assert_eq!(c.require_tokens, ["t1", "t2"]);
        let plain = args(&[]).unwrap();
        assert!(plain.tls_cert.is_none() && plain.require_tokens.is_empty());
        assert!(!plain.config_tls);
        let both = args(&["--tls-cert", "s.pem", "--tls-key", "s.key", "--config-tls"]).unwrap();
        assert!(both.config_tls);
        for bad in [
            &["--tls-cert", "s.pem"][..],
            &["--tls-key", "s.key"],
            &["--client-ca", "ca.pem"],
            &["--config-tls"],
            &["--require-token", ""],
            &["--require-token", " t"],
        ] {
            assert!(args(bad).is_err(), "{bad:?}");
        }
    }
}
