//! Resolution against injected environments and temporary config files.

use super::*;
use std::collections::HashMap;

fn resolve_with(flags: &Overrides, vars: &[(&str, &str)]) -> Result<Settings, SettingsError> {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    resolve(flags, &move |name| vars.get(name).cloned())
}

fn write_config(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.yaml");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

#[test]
fn defaults_apply_when_nothing_is_set() {
    let s = resolve_with(&Overrides::default(), &[]).unwrap();
    assert!(s.project.is_none());
    assert_eq!(s.pubsub.value.url, GOOGLE_PUBSUB_ENDPOINT);
    assert_eq!(s.pubsub.value.credentials, Credentials::ApplicationDefault);
    assert_eq!(s.redis_url.value, DEFAULT_REDIS_URL);
    assert_eq!(s.output.value, OutputFormat::Table);
    assert_eq!(s.color.value, ColorChoice::Auto);
    assert!(matches!(s.project(), Err(SettingsError::NoProject)));
}

#[test]
fn flags_beat_env_beat_file() {
    let (_dir, path) = write_config(
        "project: from-file\nredis:\n  url: redis://file:1\noutput: yaml\npubsub:\n  endpoint: http://file:2\n",
    );
    let vars = [
        ("OFFICECTL_PROJECT", "from-env"),
        ("OFFICECTL_REDIS_URL", "redis://env:1"),
    ];
    let flags = Overrides {
        config: Some(path.clone()),
        ..Default::default()
    };
    let s = resolve_with(&flags, &vars).unwrap();
    assert_eq!(s.project.as_ref().unwrap().value, "from-env");
    assert_eq!(
        s.project.as_ref().unwrap().source,
        Source::Env("OFFICECTL_PROJECT".into())
    );
    assert_eq!(s.redis_url.value, "redis://env:1");
    assert_eq!(s.output.value, OutputFormat::Yaml);
    assert_eq!(s.output.source, Source::ConfigFile(path.clone()));
    assert_eq!(s.pubsub.value.url, "http://file:2");

    let flags = Overrides {
        config: Some(path),
        project: Some("from-flag".into()),
        output: Some(OutputFormat::Json),
        ..Default::default()
    };
    let s = resolve_with(&flags, &vars).unwrap();
    assert_eq!(s.project.unwrap().source, Source::Flag);
    assert_eq!(s.output.value, OutputFormat::Json);
}

#[test]
fn google_cloud_project_is_the_fallback() {
    let s = resolve_with(&Overrides::default(), &[("GOOGLE_CLOUD_PROJECT", "g")]).unwrap();
    assert_eq!(s.project.unwrap().value, "g");
    let both = [("GOOGLE_CLOUD_PROJECT", "g"), ("OFFICECTL_PROJECT", "o")];
    let s = resolve_with(&Overrides::default(), &both).unwrap();
    assert_eq!(s.project.unwrap().value, "o");
}

#[test]
fn emulator_host_means_plain_http_and_anonymous() {
    let s = resolve_with(
        &Overrides::default(),
        &[("PUBSUB_EMULATOR_HOST", "127.0.0.1:8085")],
    )
    .unwrap();
    assert_eq!(s.pubsub.value.url, "http://127.0.0.1:8085");
    assert!(s.pubsub.value.is_emulator());
    let flags = Overrides {
        pubsub_endpoint: Some("https://eu-pubsub.example".into()),
        ..Default::default()
    };
    let s = resolve_with(&flags, &[("PUBSUB_EMULATOR_HOST", "127.0.0.1:8085")]).unwrap();
    assert_eq!(s.pubsub.value.credentials, Credentials::ApplicationDefault);
    assert_eq!(s.pubsub.source, Source::Flag);
}

#[test]
fn no_color_turns_colour_off_unless_a_flag_says_otherwise() {
    let s = resolve_with(&Overrides::default(), &[("NO_COLOR", "1")]).unwrap();
    assert_eq!(s.color.value, ColorChoice::Never);
    let flags = Overrides {
        color: Some(ColorChoice::Always),
        ..Default::default()
    };
    let s = resolve_with(&flags, &[("NO_COLOR", "1")]).unwrap();
    assert_eq!(s.color.value, ColorChoice::Always);
}

#[test]
fn empty_env_vars_are_unset() {
    let s = resolve_with(&Overrides::default(), &[("OFFICECTL_PROJECT", "")]).unwrap();
    assert!(s.project.is_none());
}

#[test]
fn bad_values_name_setting_and_source() {
    let err = resolve_with(&Overrides::default(), &[("OFFICECTL_OUTPUT", "xml")]).unwrap_err();
    let shown = err.to_string();
    assert!(
        shown.contains("output") && shown.contains("OFFICECTL_OUTPUT"),
        "{shown}"
    );
    assert!(shown.contains("`xml`"), "{shown}");

    let err = resolve_with(
        &Overrides::default(),
        &[("OFFICECTL_REDIS_URL", "http://x")],
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("redis url from env OFFICECTL_REDIS_URL"),
        "{err}"
    );
}

#[test]
fn config_typos_fail_with_location() {
    let (_dir, path) = write_config("project: p\nredis:\n  uri: redis://x\n");
    let flags = Overrides {
        config: Some(path),
        ..Default::default()
    };
    let err = resolve_with(&flags, &[]).unwrap_err();
    let SettingsError::ParseConfig(inner) = err else {
        panic!("wrong error: {err}")
    };
    assert_eq!(inner.line, Some(3));
    assert!(
        inner.message.contains("unknown field `uri`"),
        "{}",
        inner.message
    );
}

#[test]
fn claim_check_settings_come_from_the_file_and_are_checked() {
    let (_dir, path) =
        write_config("claim_check:\n  threshold_bytes: 1000\n  ttl:\n    email: 2d\n");
    let flags = Overrides {
        config: Some(path.clone()),
        ..Default::default()
    };
    let s = resolve_with(&flags, &[]).unwrap();
    assert_eq!(s.claim_check.threshold_bytes, 1000);
    assert_eq!(s.config_file, Some(path));

    let (_dir, path) = write_config("claim_check:\n  max_message_bytes: 20000000\n");
    let flags = Overrides {
        config: Some(path),
        ..Default::default()
    };
    let err = resolve_with(&flags, &[]).unwrap_err();
    assert!(
        err.to_string().contains("invalid claim_check from config"),
        "{err}"
    );
}

#[test]
fn missing_explicit_config_is_an_error() {
    let flags = Overrides {
        config: Some("/nonexistent/officectl.yaml".into()),
        ..Default::default()
    };
    let err = resolve_with(&flags, &[]).unwrap_err();
    assert!(
        err.to_string().contains("/nonexistent/officectl.yaml"),
        "{err}"
    );
}

#[test]
fn default_config_location_is_used_when_present() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("officectl")).unwrap();
    std::fs::write(dir.path().join("officectl/config.yaml"), "project: xdg\n").unwrap();
    let base = dir.path().to_str().unwrap();
    let s = resolve_with(&Overrides::default(), &[("XDG_CONFIG_HOME", base)]).unwrap();
    assert_eq!(s.project.unwrap().value, "xdg");
}

#[test]
fn the_model_check_dir_resolves_env_file_then_the_cache_default() {
    let s = resolve_with(&Overrides::default(), &[]).unwrap();
    assert!(s.vespa.model_check_dir.is_none(), "no HOME, no default");
    let s = resolve_with(&Overrides::default(), &[("HOME", "/home/sre")]).unwrap();
    let dir = s.vespa.model_check_dir.unwrap();
    assert_eq!(
        dir.value,
        PathBuf::from("/home/sre/.cache/officectl/vespa-model-check")
    );
    assert_eq!(dir.source, Source::Default);
    let vars = [("HOME", "/home/sre"), ("XDG_CACHE_HOME", "/xdg")];
    let s = resolve_with(&Overrides::default(), &vars).unwrap();
    assert_eq!(
        s.vespa.model_check_dir.unwrap().value,
        PathBuf::from("/xdg/officectl/vespa-model-check")
    );

    let (_dir, path) = write_config("vespa:\n  model_check_dir: /from-file\n");
    let flags = Overrides {
        config: Some(path.clone()),
        ..Default::default()
    };
    let s = resolve_with(&flags, &vars).unwrap();
    let dir = s.vespa.model_check_dir.unwrap();
    assert_eq!(dir.value, PathBuf::from("/from-file"));
    assert_eq!(dir.source, Source::ConfigFile(path));
    let vars = [("OFFICECTL_VESPA_MODEL_CHECK_DIR", "/from-env")];
    let s = resolve_with(&flags, &vars).unwrap();
    let dir = s.vespa.model_check_dir.unwrap();
    assert_eq!(dir.value, PathBuf::from("/from-env"));
    assert_eq!(
        dir.source,
        Source::Env("OFFICECTL_VESPA_MODEL_CHECK_DIR".into())
    );
}

#[test]
fn vespa_endpoints_resolve_flags_env_file_defaults() {
    let s = resolve_with(&Overrides::default(), &[]).unwrap();
    assert_eq!(s.vespa.endpoint.value, DEFAULT_VESPA_ENDPOINT);
    assert_eq!(s.vespa.config_endpoint.source, Source::Default);
    assert!(s.vespa.token.is_none());

    let (_dir, path) = write_config(
        "vespa:\n  endpoint: https://file:1/\n  config_endpoint: http://file:2\n  token: t0k\n  cert: /c.pem\n  key: /k.pem\n  ca_cert: /ca-file.pem\n",
    );
    let flags = Overrides {
        config: Some(path.clone()),
        ..Default::default()
    };
    let s = resolve_with(&flags, &[]).unwrap();
    assert_eq!(s.vespa.endpoint.value, "https://file:1");
    assert_eq!(s.vespa.config_endpoint.value, "http://file:2");
    assert_eq!(s.vespa.token.as_ref().unwrap().value, "t0k");
    assert_eq!(
        s.vespa.cert.as_ref().unwrap().value,
        PathBuf::from("/c.pem")
    );
    assert_eq!(
        s.vespa.key.as_ref().unwrap().source,
        Source::ConfigFile(path.clone())
    );
    assert_eq!(
        s.vespa.ca_cert.as_ref().unwrap().value,
        PathBuf::from("/ca-file.pem")
    );

    let vars = [
        ("OFFICECTL_VESPA_ENDPOINT", "http://env:1"),
        ("OFFICECTL_VESPA_CONFIG_ENDPOINT", "http://env:2"),
        ("OFFICECTL_VESPA_TOKEN", "secret"),
        ("OFFICECTL_VESPA_CA_CERT", "/ca-env.pem"),
    ];
    let s = resolve_with(&flags, &vars).unwrap();
    assert_eq!(s.vespa.endpoint.value, "http://env:1");
    assert_eq!(
        s.vespa.ca_cert.as_ref().unwrap().value,
        PathBuf::from("/ca-env.pem")
    );
    assert_eq!(
        s.vespa.ca_cert.as_ref().unwrap().source,
        Source::Env("OFFICECTL_VESPA_CA_CERT".into())
    );
    assert_eq!(
        s.vespa.config_endpoint.source,
        Source::Env("OFFICECTL_VESPA_CONFIG_ENDPOINT".into())
    );
    let flags = Overrides {
        config: Some(path),
        vespa_endpoint: Some("http://flag:1".into()),
        vespa_config_endpoint: Some("http://flag:2".into()),
        vespa_ca_cert: Some("/ca-flag.pem".into()),
        ..Default::default()
    };
    let s = resolve_with(&flags, &vars).unwrap();
    assert_eq!(s.vespa.endpoint.value, "http://flag:1");
    assert_eq!(
        s.vespa.ca_cert.as_ref().unwrap().value,
        PathBuf::from("/ca-flag.pem")
    );
    assert_eq!(s.vespa.config_endpoint.source, Source::Flag);
    let token = s.vespa.token.as_ref().unwrap();
    assert_eq!(token.value, "secret");
    assert_eq!(token.source, Source::Env("OFFICECTL_VESPA_TOKEN".into()));
    assert_eq!(s.vespa.ca_cert.as_ref().unwrap().source, Source::Flag);
    assert_eq!(s.vespa.endpoint.source, Source::Flag);
    assert!(!serde_json::to_string(&s).unwrap().contains("secret"));

    let err = resolve_with(
        &Overrides::default(),
        &[("OFFICECTL_VESPA_ENDPOINT", "vespa:8080")],
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("invalid vespa endpoint from env OFFICECTL_VESPA_ENDPOINT"),
        "{err}"
    );
}

#[test]
fn user_and_failpoints_come_from_the_environment() {
    let s = resolve_with(&Overrides::default(), &[("USER", "ops")]).unwrap();
    assert_eq!(s.user.as_deref(), Some("ops"));
    assert_eq!(s.failpoints, crate::run::failpoint::Failpoints::none());
    let vars = [("OFFICECTL_FAILPOINT", "verify-parity:before")];
    let s = resolve_with(&Overrides::default(), &vars).unwrap();
    assert_eq!(s.failpoints.arg("verify-parity"), Some("before"));
    let err = resolve_with(&Overrides::default(), &[("OFFICECTL_FAILPOINT", "x")]).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("invalid failpoints from env OFFICECTL_FAILPOINT: "),
        "{err}"
    );
}

#[test]
fn contacts_settings_come_from_the_file_and_are_checked() {
    let (_dir, path) = write_config(
        "contacts:\n  half_life: 30d\n  own_addresses:\n    user-1: [me@corp.com]\n  push:\n    top_n: 5\n",
    );
    let flags = Overrides {
        config: Some(path),
        ..Default::default()
    };
    let s = resolve_with(&flags, &[]).unwrap();
    assert_eq!(
        s.contacts.half_life,
        std::time::Duration::from_secs(30 * 86_400)
    );
    assert_eq!(s.contacts.push.top_n, 5);
    assert_eq!(
        s.contacts.max_group_size, 100,
        "unset fields keep their defaults"
    );

    let (_dir, path) = write_config("contacts:\n  weights:\n    email_inbound: -1\n");
    let flags = Overrides {
        config: Some(path),
        ..Default::default()
    };
    let err = resolve_with(&flags, &[]).unwrap_err();
    let text = format!(
        "{err}: {}",
        std::error::Error::source(&err)
            .map(|s| s.to_string())
            .unwrap_or_default()
    );
    assert!(text.contains("contacts"), "{text}");

    let (_dir, path) = write_config("contacts:\n  half_lfe: 30d\n");
    let flags = Overrides {
        config: Some(path),
        ..Default::default()
    };
    let err = resolve_with(&flags, &[]).unwrap_err();
    let text = format!("{err:?}");
    assert!(text.contains("half_lfe") && text.contains("line"), "{text}");
}

#[test]
fn the_fe_sse_secret_comes_from_env_before_the_file_and_is_never_serialized() {
    let (_dir, path) = write_config(
        "fe_sse:\n  jwt_secret: from-file-0123456789abcdef0123456789\n  allow_origins: [\"https://app.example.com\"]\n",
    );
    let flags = Overrides {
        config: Some(path.clone()),
        ..Default::default()
    };
    let s = resolve_with(&flags, &[]).unwrap();
    let secret = s.fe_sse.jwt_secret.clone().unwrap();
    assert_eq!(secret.value, "from-file-0123456789abcdef0123456789");
    assert_eq!(secret.source, Source::ConfigFile(path.clone()));
    assert_eq!(s.fe_sse.allow_origins, ["https://app.example.com"]);
    let shown = serde_json::to_string(&s).unwrap();
    assert!(!shown.contains("from-file-0123"), "{shown}");

    let s = resolve_with(
        &flags,
        &[(
            "OFFICECTL_FE_SSE_JWT_SECRET",
            "from-env-0123456789abcdef0123456789",
        )],
    )
    .unwrap();
    let secret = s.fe_sse.jwt_secret.unwrap();
    assert_eq!(secret.value, "from-env-0123456789abcdef0123456789");
    assert_eq!(
        secret.source,
        Source::Env("OFFICECTL_FE_SSE_JWT_SECRET".into())
    );

    let (_dir, typo) = write_config("fe_sse:\n  jwt_secrte: x\n");
    let err = resolve_with(
        &Overrides {
            config: Some(typo),
            ..Default::default()
        },
        &[],
    )
    .unwrap_err();
    assert!(err.to_string().contains("jwt_secrte"), "{err}");
}
