//! Resolving settings: flags, then the environment, then the config file, then defaults.

use super::file::{
    ConfigFile, VespaSection, default_config_path, default_model_check_dir, read_config,
};
use super::{
    ColorChoice, DEFAULT_REDIS_URL, DEFAULT_VESPA_CONFIG_ENDPOINT, DEFAULT_VESPA_ENDPOINT,
    FeSseSettings, GOOGLE_PUBSUB_ENDPOINT, OutputFormat, Overrides, PubSubEndpoint, Settings,
    SettingsError, Source, Sourced, ValueError, VespaSettings, env,
};
use crate::redact;
use crate::run::failpoint::Failpoints;
use std::path::PathBuf;

/// Reads the environment; injected so resolution is testable.
pub type EnvLookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Resolves settings from flags, the environment, the config file and defaults, in that order.
pub fn resolve(flags: &Overrides, env_lookup: EnvLookup<'_>) -> Result<Settings, SettingsError> {
    // Empty env vars count as unset, as most tools treat them.
    let env_var = |name: &str| env_lookup(name).filter(|v| !v.is_empty());

    let config_path = match (&flags.config, env_var(env::CONFIG)) {
        (Some(path), _) => Some(path.clone()),
        (None, Some(path)) => Some(PathBuf::from(path)),
        (None, None) => default_config_path(&env_var).filter(|p| p.is_file()),
    };
    let file = match &config_path {
        Some(path) => read_config(path)?,
        None => ConfigFile::default(),
    };
    let from_file = |value: Option<&String>| -> Option<Sourced<String>> {
        let path = config_path.clone()?;
        value.map(|v| Sourced {
            value: v.clone(),
            source: Source::ConfigFile(path),
        })
    };
    let from_flag = |value: &Option<String>| {
        value.clone().map(|v| Sourced {
            value: v,
            source: Source::Flag,
        })
    };
    let from_env = |name: &str| {
        env_var(name).map(|v| Sourced {
            value: v,
            source: Source::Env(name.to_string()),
        })
    };

    let project = from_flag(&flags.project)
        .or_else(|| from_env(env::PROJECT))
        .or_else(|| from_env(env::GOOGLE_CLOUD_PROJECT))
        .or_else(|| from_file(file.project.as_ref()));

    let pubsub = resolve_pubsub(
        from_flag(&flags.pubsub_endpoint),
        from_env(env::PUBSUB_EMULATOR_HOST),
        from_file(file.pubsub.endpoint.as_ref()),
    )?;

    let redis_url = from_flag(&flags.redis_url)
        .or_else(|| from_env(env::REDIS_URL))
        .or_else(|| from_file(file.redis.url.as_ref()))
        .unwrap_or_else(|| Sourced {
            value: DEFAULT_REDIS_URL.into(),
            source: Source::Default,
        });
    check_redis_url(&redis_url)?;

    let mut vespa = resolve_vespa(flags, &from_flag, &from_env, &from_file, &file.vespa)?;
    if vespa.model_check_dir.is_none() {
        vespa.model_check_dir = default_model_check_dir(&env_var).map(|value| Sourced {
            value,
            source: Source::Default,
        });
    }

    let output = match (flags.output, env_var(env::OUTPUT), file.output) {
        (Some(value), _, _) => Sourced {
            value,
            source: Source::Flag,
        },
        (None, Some(raw), _) => {
            let source = Source::Env(env::OUTPUT.into());
            let value = raw.parse().map_err(|problem| SettingsError::Invalid {
                setting: "output",
                origin: source.clone(),
                problem,
            })?;
            Sourced { value, source }
        }
        (None, None, Some(value)) => Sourced {
            value,
            source: file_source(&config_path),
        },
        (None, None, None) => Sourced {
            value: OutputFormat::Table,
            source: Source::Default,
        },
    };

    let color = match (flags.color, env_var(env::NO_COLOR), file.color) {
        (Some(value), _, _) => Sourced {
            value,
            source: Source::Flag,
        },
        (None, Some(_), _) => Sourced {
            value: ColorChoice::Never,
            source: Source::Env(env::NO_COLOR.into()),
        },
        (None, None, Some(value)) => Sourced {
            value,
            source: file_source(&config_path),
        },
        (None, None, None) => Sourced {
            value: ColorChoice::Auto,
            source: Source::Default,
        },
    };

    file.claim_check
        .validate()
        .map_err(|err| SettingsError::Invalid {
            setting: "claim_check",
            origin: file_source(&config_path),
            problem: err.into(),
        })?;

    file.contacts
        .validate()
        .map_err(|err| SettingsError::Invalid {
            setting: "contacts",
            origin: file_source(&config_path),
            problem: err.into(),
        })?;

    let failpoints = match env_var(env::FAILPOINT) {
        Some(text) => text.parse().map_err(|err| SettingsError::Invalid {
            setting: "failpoints",
            origin: Source::Env(env::FAILPOINT.into()),
            problem: ValueError::Failpoint(err),
        })?,
        None => Failpoints::none(),
    };

    let fe_sse = FeSseSettings {
        jwt_secret: from_env(env::FE_SSE_JWT_SECRET)
            .or_else(|| from_file(file.fe_sse.jwt_secret.as_ref())),
        allow_origins: file.fe_sse.allow_origins.clone(),
    };

    let namespace = from_env(env::NAMESPACE);
    if let Some(ns) = &namespace {
        crate::namespace::validate(&ns.value).map_err(|problem| SettingsError::Invalid {
            setting: "namespace",
            origin: ns.source.clone(),
            problem: ValueError::Namespace(problem),
        })?;
    }

    Ok(Settings {
        config_file: config_path,
        project,
        namespace,
        pubsub,
        redis_url,
        vespa,
        output,
        color,
        claim_check: file.claim_check,
        contacts: file.contacts,
        user: env_var(env::USER),
        failpoints,
        source_token: env_var(env::SOURCE_TOKEN).filter(|t| !t.is_empty()),
        fe_sse,
    })
}

type Lookup<'a> = &'a dyn Fn(&str) -> Option<Sourced<String>>;

fn resolve_vespa(
    flags: &Overrides,
    from_flag: &dyn Fn(&Option<String>) -> Option<Sourced<String>>,
    from_env: Lookup<'_>,
    from_file: &dyn Fn(Option<&String>) -> Option<Sourced<String>>,
    file: &VespaSection,
) -> Result<VespaSettings, SettingsError> {
    let url = |setting: &'static str,
               flag: &Option<String>,
               env_name: &str,
               in_file: Option<&String>,
               default: &str|
     -> Result<Sourced<String>, SettingsError> {
        let value = from_flag(flag)
            .or_else(|| from_env(env_name))
            .or_else(|| from_file(in_file))
            .unwrap_or_else(|| Sourced {
                value: default.into(),
                source: Source::Default,
            });
        let trimmed = value.value.trim_end_matches('/');
        let ok = ["http://", "https://"].iter().any(|scheme| {
            trimmed
                .strip_prefix(scheme)
                .is_some_and(|host| !host.is_empty())
        });
        if !ok {
            return Err(SettingsError::Invalid {
                setting,
                origin: value.source,
                problem: ValueError::NotHttpWithHost(redact::url(&value.value)),
            });
        }
        Ok(Sourced {
            value: trimmed.to_string(),
            source: value.source,
        })
    };
    let endpoint = url(
        "vespa endpoint",
        &flags.vespa_endpoint,
        env::VESPA_ENDPOINT,
        file.endpoint.as_ref(),
        DEFAULT_VESPA_ENDPOINT,
    )?;
    let config_endpoint = url(
        "vespa config endpoint",
        &flags.vespa_config_endpoint,
        env::VESPA_CONFIG_ENDPOINT,
        file.config_endpoint.as_ref(),
        DEFAULT_VESPA_CONFIG_ENDPOINT,
    )?;
    let token = from_env(env::VESPA_TOKEN).or_else(|| from_file(file.token.as_ref()));
    let path = |env_name: &str, in_file: &Option<PathBuf>| {
        from_env(env_name)
            .map(|s| Sourced {
                value: PathBuf::from(s.value),
                source: s.source,
            })
            .or_else(|| {
                let text = in_file.as_ref().map(|p| p.display().to_string());
                from_file(text.as_ref()).map(|s| Sourced {
                    value: PathBuf::from(s.value),
                    source: s.source,
                })
            })
    };
    // Not a secret, so unlike the token and the client key it also has a flag.
    let ca_cert = flags
        .vespa_ca_cert
        .clone()
        .map(|value| Sourced {
            value,
            source: Source::Flag,
        })
        .or_else(|| path(env::VESPA_CA_CERT, &file.ca_cert));
    Ok(VespaSettings {
        endpoint,
        config_endpoint,
        token,
        cert: path(env::VESPA_CERT, &file.cert),
        key: path(env::VESPA_KEY, &file.key),
        ca_cert,
        model_check_dir: path(env::VESPA_MODEL_CHECK_DIR, &file.model_check_dir),
    })
}

fn file_source(path: &Option<PathBuf>) -> Source {
    path.clone()
        .map(Source::ConfigFile)
        .unwrap_or(Source::Default)
}

fn resolve_pubsub(
    flag: Option<Sourced<String>>,
    emulator_host: Option<Sourced<String>>,
    file: Option<Sourced<String>>,
) -> Result<Sourced<PubSubEndpoint>, SettingsError> {
    let (parsed, source) = if let Some(s) = flag {
        (PubSubEndpoint::from_url(&s.value), s.source)
    } else if let Some(s) = emulator_host {
        (PubSubEndpoint::from_emulator_host(&s.value), s.source)
    } else if let Some(s) = file {
        (PubSubEndpoint::from_url(&s.value), s.source)
    } else {
        (
            PubSubEndpoint::from_url(GOOGLE_PUBSUB_ENDPOINT),
            Source::Default,
        )
    };
    match parsed {
        Ok(value) => Ok(Sourced { value, source }),
        Err(problem) => Err(SettingsError::Invalid {
            setting: "pubsub endpoint",
            origin: source,
            problem: problem.into(),
        }),
    }
}

fn check_redis_url(url: &Sourced<String>) -> Result<(), SettingsError> {
    let ok = ["redis://", "rediss://", "unix://", "redis+unix://"]
        .iter()
        .any(|scheme| url.value.starts_with(scheme));
    if ok {
        Ok(())
    } else {
        Err(SettingsError::Invalid {
            setting: "redis url",
            origin: url.source.clone(),
            problem: ValueError::NotRedis(redact::url(&url.value)),
        })
    }
}
