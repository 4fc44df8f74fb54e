
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'officectl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'officectl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'officectl' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show officectl''s own settings')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check that every configured service answers')
            [CompletionResult]::new('events', 'events', [CompletionResultType]::ParameterValue, 'Validate, convert, describe and publish events')
            [CompletionResult]::new('vespa', 'vespa', [CompletionResultType]::ParameterValue, 'Vespa application package and documents')
            [CompletionResult]::new('topics', 'topics', [CompletionResultType]::ParameterValue, 'Lay out topics and subscriptions from `plans/topology.yaml` and verify them')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Migrate from the legacy topics with reviewed, resumable plans')
            [CompletionResult]::new('backfill', 'backfill', [CompletionResultType]::ParameterValue, 'Replay users'' mail as `EmailEvent` batches, resumably')
            [CompletionResult]::new('reindex', 'reindex', [CompletionResultType]::ParameterValue, 'Reindex Vespa: natively, or by re-feeding events or the stored documents')
            [CompletionResult]::new('consume', 'consume', [CompletionResultType]::ParameterValue, 'Run a consumer of the platform''s events (`vespa-loader`, `contact-discovery`, `shipments`, `meetings`, `fe-sse`), or `--list` them')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Search one user''s documents of every type with one query')
            [CompletionResult]::new('contacts', 'contacts', [CompletionResultType]::ParameterValue, 'What contact discovery knows about a user''s contacts')
            [CompletionResult]::new('tail', 'tail', [CompletionResultType]::ParameterValue, 'Watch events on topics as they arrive, through temporary filtered subscriptions')
            [CompletionResult]::new('trace', 'trace', [CompletionResultType]::ParameterValue, 'Follow a correlation id, batch or event through publishing, consumers and Vespa')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script to stdout')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write man pages for every command')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'officectl;config' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the resolved settings and where each came from')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'officectl;config;show' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('--sources', '--sources', [CompletionResultType]::ParameterName, 'Also show where each value came from (flag, env, config file, default)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'officectl;config;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the resolved settings and where each came from')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'officectl;config;help;show' {
            break
        }
        'officectl;config;help;help' {
            break
        }
        'officectl;doctor' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a service after this long (e.g. 500ms, 5s)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'officectl;events' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Validate NDJSON events (new or legacy format, detected per line)')
            [CompletionResult]::new('convert', 'convert', [CompletionResultType]::ParameterValue, 'Convert legacy events to the current format (NDJSON on stdout)')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of an event type (all types without TYPE)')
            [CompletionResult]::new('publish', 'publish', [CompletionResultType]::ParameterValue, 'Validate events and publish them with attributes and claim checks')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'officectl;events;validate' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'officectl;events;convert' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'officectl;events;schema' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'officectl;events;publish' {
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Publish every event to this topic, ignoring the data type''s topic and the migration''s publish-mode flags')
            [CompletionResult]::new('--max-in-flight', '--max-in-flight', [CompletionResultType]::ParameterName, 'Most messages awaiting the server''s acknowledgement at once')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Validate and plan (sizes, claim checks), publish nothing, write nothing')
            [CompletionResult]::new('--no-ordering', '--no-ordering', [CompletionResultType]::ParameterName, 'Do not set the per-user ordering key')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'officectl;events;help' {
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Validate NDJSON events (new or legacy format, detected per line)')
            [CompletionResult]::new('convert', 'convert', [CompletionResultType]::ParameterValue, 'Convert legacy events to the current format (NDJSON on stdout)')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of an event type (all types without TYPE)')
            [CompletionResult]::new('publish', 'publish', [CompletionResultType]::ParameterValue, 'Validate events and publish them with attributes and claim checks')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'officectl;events;help;validate' {
            break
        }
        'officectl;events;help;convert' {
            break
        }
        'officectl;events;help;schema' {
            break
        }
        'officectl;events;help;publish' {
            break
        }
        'officectl;events;help;help' {
            break
        }
        'officectl;vespa' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Write the Vespa application package (services.xml and one schema per data type)')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check application packages with Vespa''s own config model before a deploy')
            [CompletionResult]::new('feed', 'feed', [CompletionResultType]::ParameterValue, 'Feed documents (Vespa JSON/JSONL feed format) over HTTP/2 with adaptive throttling')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'officectl;vespa;schema' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Directory to write the application package into (created if missing)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Check the package with Vespa''s own config model (Java 17; Maven the first time); without --out, the one this officectl generates')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'officectl;vespa;check' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'officectl;vespa;feed' {
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'HTTP/2 connections to the endpoint')
            [CompletionResult]::new('--max-inflight', '--max-inflight', [CompletionResultType]::ParameterName, 'Largest number of operations in flight (the throttle adapts below it) [default: 512 × connections]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Extra header on every request, as `Name: Value` (repeatable)')
            [CompletionResult]::new('--rejects', '--rejects', [CompletionResultType]::ParameterName, 'Write operations that failed to FILE, in the feed format, to feed again later')
            [CompletionResult]::new('--route', '--route', [CompletionResultType]::ParameterName, 'Route for the operations (`?route=`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Server-side timeout per operation, in seconds (`?timeout=`)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per operation on 503 and transport errors (429 is always retried)')
            [CompletionResult]::new('--deadline', '--deadline', [CompletionResultType]::ParameterName, 'Give up when no operation has succeeded for this many seconds')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Stop reading at the first line that is not an operation (default: list it and go on)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'officectl;vespa;help' {
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Write the Vespa application package (services.xml and one schema per data type)')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check application packages with Vespa''s own config model before a deploy')
            [CompletionResult]::new('feed', 'feed', [CompletionResultType]::ParameterValue, 'Feed documents (Vespa JSON/JSONL feed format) over HTTP/2 with adaptive throttling')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'officectl;vespa;help;schema' {
            break
        }
        'officectl;vespa;help;check' {
            break
        }
        'officectl;vespa;help;feed' {
            break
        }
        'officectl;vespa;help;help' {
            break
        }
        'officectl;topics' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Show how the live topics and subscriptions differ from the layout')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Create and update topics and subscriptions until they match the layout')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check that the live topics and subscriptions match the layout (exit 2 on drift)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the live topics and subscriptions of the project')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'officectl;topics;plan' {
            [CompletionResult]::new('--layout', '--layout', [CompletionResultType]::ParameterName, 'Layout file declaring the topics and subscriptions')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Apply the overlay for this environment: `<layout>.<ENV>.yaml` beside the layout (e.g. `--env staging` reads `plans/topology.staging.yaml`)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'Show live resources the layout does not declare as deletes, as `apply --prune` would')
            [CompletionResult]::new('--detailed-exitcode', '--detailed-exitcode', [CompletionResultType]::ParameterName, 'Exit 2 when apply would change something (0: nothing to do, 1: error)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'officectl;topics;apply' {
            [CompletionResult]::new('--layout', '--layout', [CompletionResultType]::ParameterName, 'Layout file declaring the topics and subscriptions')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Apply the overlay for this environment: `<layout>.<ENV>.yaml` beside the layout (e.g. `--env staging` reads `plans/topology.staging.yaml`)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Pub/Sub calls in flight at once')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and change nothing')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask before deleting or replacing (needed without a terminal)')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'Delete live topics and subscriptions the layout does not declare')
            [CompletionResult]::new('--allow-replace', '--allow-replace', [CompletionResultType]::ParameterName, 'Delete and re-create subscriptions whose filter, ordering or topic differ (drops their backlog)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'officectl;topics;verify' {
            [CompletionResult]::new('--layout', '--layout', [CompletionResultType]::ParameterName, 'Layout file declaring the topics and subscriptions')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Apply the overlay for this environment: `<layout>.<ENV>.yaml` beside the layout (e.g. `--env staging` reads `plans/topology.staging.yaml`)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('--ignore-undeclared', '--ignore-undeclared', [CompletionResultType]::ParameterName, 'Do not count live topics and subscriptions the layout does not declare as drift')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'officectl;topics;list' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'officectl;topics;help' {
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Show how the live topics and subscriptions differ from the layout')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Create and update topics and subscriptions until they match the layout')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check that the live topics and subscriptions match the layout (exit 2 on drift)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the live topics and subscriptions of the project')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'officectl;topics;help;plan' {
            break
        }
        'officectl;topics;help;apply' {
            break
        }
        'officectl;topics;help;verify' {
            break
        }
        'officectl;topics;help;list' {
            break
        }
        'officectl;topics;help;help' {
            break
        }
        'officectl;migrate' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Show each step of a plan with its state, what applying would change, and whether it can be undone')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Run a plan''s pending steps in order (resumes where the last run stopped)')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Undo completed steps in reverse order')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the state of every known plan, or of one plan''s steps')
            [CompletionResult]::new('drill', 'drill', [CompletionResultType]::ParameterValue, 'Run a plan against a throwaway copy of the platform under synthetic traffic, and report what was lost or duplicated')
            [CompletionResult]::new('unlock', 'unlock', [CompletionResultType]::ParameterValue, 'Remove a lock left by a crashed run')
            [CompletionResult]::new('relay', 'relay', [CompletionResultType]::ParameterValue, 'Forward messages from a legacy subscription to a new topic, upcasting legacy events')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'officectl;migrate;plan' {
            [CompletionResult]::new('--layout', '--layout', [CompletionResultType]::ParameterName, 'Layout file declaring the topics and subscriptions')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Apply the overlay for this environment: `<layout>.<ENV>.yaml` beside the layout (e.g. `--env staging` reads `plans/topology.staging.yaml`)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('--detailed-exitcode', '--detailed-exitcode', [CompletionResultType]::ParameterName, 'Exit 2 when steps are pending (0 when everything is done)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'officectl;migrate;apply' {
            [CompletionResult]::new('--layout', '--layout', [CompletionResultType]::ParameterName, 'Layout file declaring the topics and subscriptions')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Apply the overlay for this environment: `<layout>.<ENV>.yaml` beside the layout (e.g. `--env staging` reads `plans/topology.staging.yaml`)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Stop after this step')
            [CompletionResult]::new('--approve', '--approve', [CompletionResultType]::ParameterName, 'Pass this gate (repeatable)')
            [CompletionResult]::new('--lock-ttl', '--lock-ttl', [CompletionResultType]::ParameterName, 'Lease of the plan''s lock; renewed while the run is alive')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be done; change nothing')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask before irreversible steps')
            [CompletionResult]::new('--allow-changed', '--allow-changed', [CompletionResultType]::ParameterName, 'Apply even though steps already applied have changed in the file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'officectl;migrate;rollback' {
            [CompletionResult]::new('--layout', '--layout', [CompletionResultType]::ParameterName, 'Layout file declaring the topics and subscriptions')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Apply the overlay for this environment: `<layout>.<ENV>.yaml` beside the layout (e.g. `--env staging` reads `plans/topology.staging.yaml`)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Undo the steps after this one (default: all)')
            [CompletionResult]::new('--lock-ttl', '--lock-ttl', [CompletionResultType]::ParameterName, 'Lease of the plan''s lock; renewed while the run is alive')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'officectl;migrate;status' {
            [CompletionResult]::new('--layout', '--layout', [CompletionResultType]::ParameterName, 'Layout file declaring the topics and subscriptions')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Apply the overlay for this environment: `<layout>.<ENV>.yaml` beside the layout (e.g. `--env staging` reads `plans/topology.staging.yaml`)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'officectl;migrate;drill' {
            [CompletionResult]::new('--layout', '--layout', [CompletionResultType]::ParameterName, 'Layout file declaring the topics and subscriptions')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Apply the overlay for this environment: `<layout>.<ENV>.yaml` beside the layout (e.g. `--env staging` reads `plans/topology.staging.yaml`)')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Synthetic events per second, published through the shared publisher')
            [CompletionResult]::new('--step-traffic', '--step-traffic', [CompletionResultType]::ParameterName, 'Traffic before the first step and after each step')
            [CompletionResult]::new('--rollback-at', '--rollback-at', [CompletionResultType]::ParameterName, 'After applying this step, roll the plan back completely, then apply it again')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed of the chaos decisions [default: from the clock; the report shows it]')
            [CompletionResult]::new('--clean-up', '--clean-up', [CompletionResultType]::ParameterName, 'Run no drill: remove what drill NAMESPACE left (after `--keep`, or a clean-up that failed), then exit')
            [CompletionResult]::new('--allow-project', '--allow-project', [CompletionResultType]::ParameterName, 'A project the drill may run in besides the plan''s `drill.projects` (repeatable)')
            [CompletionResult]::new('--drain-timeout', '--drain-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the loader to index what was published, after the traffic stops (a killed loader''s messages come back only when their lease expires: the drill''s loaders extend leases by 10 s)')
            [CompletionResult]::new('--users', '--users', [CompletionResultType]::ParameterName, 'Synthetic users the traffic is spread over')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'HTTP/2 connections to the endpoint')
            [CompletionResult]::new('--max-inflight', '--max-inflight', [CompletionResultType]::ParameterName, 'Largest number of operations in flight (the throttle adapts below it) [default: 512 × connections]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Extra header on every request, as `Name: Value` (repeatable)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('--chaos', '--chaos', [CompletionResultType]::ParameterName, 'Kill the loader and `migrate apply` at random points (from `--seed`) and resume each')
            [CompletionResult]::new('--keep', '--keep', [CompletionResultType]::ParameterName, 'Leave the drill''s topics, subscriptions, Redis keys and documents in place')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'officectl;migrate;unlock' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'officectl;migrate;relay' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Subscription to drain (id or full name)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Topic to publish to (id or full name)')
            [CompletionResult]::new('--max-messages', '--max-messages', [CompletionResultType]::ParameterName, 'Stop after this many messages')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Stop once nothing arrives for this long')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'officectl;migrate;help' {
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Show each step of a plan with its state, what applying would change, and whether it can be undone')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Run a plan''s pending steps in order (resumes where the last run stopped)')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Undo completed steps in reverse order')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the state of every known plan, or of one plan''s steps')
            [CompletionResult]::new('drill', 'drill', [CompletionResultType]::ParameterValue, 'Run a plan against a throwaway copy of the platform under synthetic traffic, and report what was lost or duplicated')
            [CompletionResult]::new('unlock', 'unlock', [CompletionResultType]::ParameterValue, 'Remove a lock left by a crashed run')
            [CompletionResult]::new('relay', 'relay', [CompletionResultType]::ParameterValue, 'Forward messages from a legacy subscription to a new topic, upcasting legacy events')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'officectl;migrate;help;plan' {
            break
        }
        'officectl;migrate;help;apply' {
            break
        }
        'officectl;migrate;help;rollback' {
            break
        }
        'officectl;migrate;help;status' {
            break
        }
        'officectl;migrate;help;drill' {
            break
        }
        'officectl;migrate;help;unlock' {
            break
        }
        'officectl;migrate;help;relay' {
            break
        }
        'officectl;migrate;help;help' {
            break
        }
        'officectl;backfill' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Backfill this user (repeat for more)')
            [CompletionResult]::new('--users-file', '--users-file', [CompletionResultType]::ParameterName, 'Backfill the users listed in FILE (one per line; blank lines and `#` comments ignored)')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Only the users of shard INDEX of COUNT (from 0; `auto/COUNT` takes INDEX from JOB_COMPLETION_INDEX, as in a Kubernetes Indexed Job); needs --correlation-id, so all shards'' batches share it. The hash is documented in docs/backfill.md')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'NDJSON file or `-` (stdin), `pubsub:SUBSCRIPTION`, or an `https://` export endpoint')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only e-mails received at or after T (RFC 3339 or YYYY-MM-DD)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only e-mails received before T (RFC 3339 or YYYY-MM-DD)')
            [CompletionResult]::new('--batch-size', '--batch-size', [CompletionResultType]::ParameterName, 'Most e-mails per `EmailEvent` batch (1-1000)')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Publish at most this many e-mails per second')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Users fetched at once from an HTTP export endpoint')
            [CompletionResult]::new('--max-in-flight', '--max-in-flight', [CompletionResultType]::ParameterName, 'Most batches awaiting Pub/Sub''s acknowledgement at once')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Publish to this topic only, whatever the migration''s publish mode for e-mail says (default: `emails`, `email-backfill` or both, as `office:flags:publish_mode:email` says)')
            [CompletionResult]::new('--correlation-id', '--correlation-id', [CompletionResultType]::ParameterName, 'Correlation id of the run (default: a fresh one; `--resume` reuses the checkpoint''s)')
            [CompletionResult]::new('--rejects', '--rejects', [CompletionResultType]::ParameterName, 'Write invalid records to FILE (NDJSON: line or position, reason, problems, record)')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Stop reading a `pubsub:` source after no new message for this long')
            [CompletionResult]::new('--retry-for', '--retry-for', [CompletionResultType]::ParameterName, 'Keep retrying a batch that Pub/Sub refuses with a transient error for this long')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('--ordering', '--ordering', [CompletionResultType]::ParameterName, 'Set the user id as ordering key (in-order delivery per user on ordered subscriptions)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Read, validate and count everything; publish nothing, write nothing')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue after the last acknowledged batch of the checkpointed run')
            [CompletionResult]::new('--restart', '--restart', [CompletionResultType]::ParameterName, 'Discard existing checkpoints and start over with a new correlation id')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Stop at the first invalid record')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'officectl;reindex' {
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Re-feed documents built from events: an NDJSON file, `-` for stdin, or `pubsub:SUBSCRIPTION`')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Content cluster (repeatable) [default: all]')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Document type (repeatable) [default: all]')
            [CompletionResult]::new('--application', '--application', [CompletionResultType]::ParameterName, 'Application on the config server, as tenant.application.instance')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Re-feed only this user''s documents or events (repeatable) [default: all]')
            [CompletionResult]::new('--speed', '--speed', [CompletionResultType]::ParameterName, 'Reindexing speed in (0, 10]; 0 halts what is marked (`--native`)')
            [CompletionResult]::new('--cause', '--cause', [CompletionResultType]::ParameterName, 'Why, recorded by the config server (`--native`)')
            [CompletionResult]::new('--poll-interval', '--poll-interval', [CompletionResultType]::ParameterName, 'Seconds between status polls with `--wait`')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'Give up waiting after this many seconds (exit 1)')
            [CompletionResult]::new('--slices', '--slices', [CompletionResultType]::ParameterName, 'With `--from-vespa`: visit each selection as N slices, concurrently')
            [CompletionResult]::new('--page-size', '--page-size', [CompletionResultType]::ParameterName, 'With `--from-vespa`: documents per visit request (`wantedDocumentCount`)')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'With a `pubsub:` source: stop after no new message for this long')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Send at most this many operations per second')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'HTTP/2 connections to the endpoint')
            [CompletionResult]::new('--max-inflight', '--max-inflight', [CompletionResultType]::ParameterName, 'Largest number of operations in flight (the throttle adapts below it) [default: 512 × connections]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Extra header on every request, as `Name: Value` (repeatable)')
            [CompletionResult]::new('--rejects', '--rejects', [CompletionResultType]::ParameterName, 'Write operations that failed to FILE in the feed format (re-feeds)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('--native', '--native', [CompletionResultType]::ParameterName, 'Use Vespa''s own reindexing: mark the types ready on the config server')
            [CompletionResult]::new('--from-vespa', '--from-vespa', [CompletionResultType]::ParameterName, 'Re-feed the documents stored in Vespa, visited and brought to the current shape')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until the marked types are `successful` (or one `failed`), with progress (`--native`)')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the checkpointed re-feed with the same source and selection')
            [CompletionResult]::new('--restart', '--restart', [CompletionResultType]::ParameterName, 'Discard the re-feed''s checkpoint and start over')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be done without changing anything: read or visit and count, feed nothing, write no checkpoint')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show native reindexing state and progress per cluster and document type')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'officectl;reindex;status' {
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Content cluster (repeatable) [default: all]')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Document type (repeatable) [default: all]')
            [CompletionResult]::new('--application', '--application', [CompletionResultType]::ParameterName, 'Application on the config server, as tenant.application.instance')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'officectl;reindex;help' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show native reindexing state and progress per cluster and document type')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'officectl;reindex;help;status' {
            break
        }
        'officectl;reindex;help;help' {
            break
        }
        'officectl;consume' {
            [CompletionResult]::new('--layout', '--layout', [CompletionResultType]::ParameterName, 'Layout file declaring the topics and subscriptions')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Apply the overlay for this environment: `<layout>.<ENV>.yaml` beside the layout (e.g. `--env staging` reads `plans/topology.staging.yaml`)')
            [CompletionResult]::new('--types', '--types', [CompletionResultType]::ParameterName, 'Only these data types (comma-separated doc types, e.g. `email,calendar`) [default: every type the consumer reads]')
            [CompletionResult]::new('--max-outstanding-messages', '--max-outstanding-messages', [CompletionResultType]::ParameterName, 'Messages each subscription stream keeps unacknowledged at most (flow control)')
            [CompletionResult]::new('--max-outstanding-bytes', '--max-outstanding-bytes', [CompletionResultType]::ParameterName, 'Bytes each subscription stream keeps unacknowledged at most (flow control)')
            [CompletionResult]::new('--lease-extension', '--lease-extension', [CompletionResultType]::ParameterName, 'How far each lease extension holds a received message (10s to 600s): a process that dies holding messages delays them by about this long')
            [CompletionResult]::new('--shutdown-timeout', '--shutdown-timeout', [CompletionResultType]::ParameterName, 'How long to wait for in-flight messages after SIGTERM or Ctrl-C before exiting')
            [CompletionResult]::new('--flag-refresh', '--flag-refresh', [CompletionResultType]::ParameterName, 'How often the read flags are read again')
            [CompletionResult]::new('--claim-timeout', '--claim-timeout', [CompletionResultType]::ParameterName, 'How long a message''s idempotency claim holds while it is loaded; a loader that dies holding claims delays those messages by at most this long (longer than one message takes to feed)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Messages decoded, deduplicated and turned into documents at once (feeding is concurrent beyond this, up to `--max-inflight` operations)')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Serve `/healthz`, `/readyz` and `/metrics` (Prometheus) on this address, e.g. `0.0.0.0:9464`')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How the worker''s log lines on stderr are written: `text`, or `json` (one object per line)')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'HTTP/2 connections to the endpoint')
            [CompletionResult]::new('--max-inflight', '--max-inflight', [CompletionResultType]::ParameterName, 'Largest number of operations in flight (the throttle adapts below it) [default: 512 × connections]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Extra header on every request, as `Name: Value` (repeatable)')
            [CompletionResult]::new('--allow-origin', '--allow-origin', [CompletionResultType]::ParameterName, 'Let pages of this origin read event streams (CORS), e.g. `https://app.example.com`; repeat for more (added to `fe_sse.allow_origins` of the config file)')
            [CompletionResult]::new('--stream-max-len', '--stream-max-len', [CompletionResultType]::ParameterName, 'Notifications each user''s stream keeps at least (`XADD MAXLEN ~`)')
            [CompletionResult]::new('--stream-ttl', '--stream-ttl', [CompletionResultType]::ParameterName, 'How long a user''s stream lives after its last notification')
            [CompletionResult]::new('--heartbeat', '--heartbeat', [CompletionResultType]::ParameterName, 'Silence after which an event stream gets a heartbeat comment')
            [CompletionResult]::new('--client-retry', '--client-retry', [CompletionResultType]::ParameterName, 'The reconnection delay advised to clients (`retry:`)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'Print every consumer of the layout with its subscriptions and topics')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Decode, dedupe-check and build documents; feed nothing, ack nothing')
            [CompletionResult]::new('--record-feeds', '--record-feeds', [CompletionResultType]::ParameterName, 'vespa-loader: count every feed per idempotency key, with the time of the first, for `migrate drill` (two Redis writes per message, pipelined)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'officectl;search' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Whose documents to search (the user id, as in events)')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Only these document types (repeatable) [default: all]')
            [CompletionResult]::new('--hits', '--hits', [CompletionResultType]::ParameterName, 'Hits to return')
            [CompletionResult]::new('--ranking', '--ranking', [CompletionResultType]::ParameterName, 'Rank profile to order the hits by (every generated schema defines `office`)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Extra header on the request, as `Name: Value` (repeatable)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'officectl;contacts' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a user''s contacts ranked by relevance, with counts, first and last seen, and why')
            [CompletionResult]::new('forget', 'forget', [CompletionResultType]::ParameterValue, 'Erase contacts of a user (a GDPR request): records, ranking, Vespa documents; they are not rediscovered unless allowed')
            [CompletionResult]::new('rebuild', 'rebuild', [CompletionResultType]::ParameterValue, 'Recompute contacts from history (a file, stdin or a subscription), write them, push them')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove contacts without interaction for longer than the retention (`contacts.retention`)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'officectl;contacts;show' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Whose contacts (the user id, as in events)')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'How many of the most relevant contacts')
            [CompletionResult]::new('--address', '--address', [CompletionResultType]::ParameterName, 'Only the contact at this address, with its rank')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'officectl;contacts;forget' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Whose contacts (the user id, as in events)')
            [CompletionResult]::new('--address', '--address', [CompletionResultType]::ParameterName, 'The contact at this address')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every contact of the user (and every one forgotten before, again in Vespa)')
            [CompletionResult]::new('--allow-rediscovery', '--allow-rediscovery', [CompletionResultType]::ParameterName, 'Let contact discovery find them again (events counted before now count them again when replayed)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm the erasure (required without a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'officectl;contacts;rebuild' {
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Events: an NDJSON file, `-` (stdin), or `pubsub:SUBSCRIPTION`')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Whose contacts (repeatable; default: every user in the source)')
            [CompletionResult]::new('--checkpoint-every', '--checkpoint-every', [CompletionResultType]::ParameterName, 'Events between checkpoints')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Stop reading a `pubsub:` source after no new message for this long')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Compute and report; write and publish nothing')
            [CompletionResult]::new('--no-push', '--no-push', [CompletionResultType]::ParameterName, 'Write the records, but publish no ContactEvents (Vespa keeps its documents)')
            [CompletionResult]::new('--skip-invalid', '--skip-invalid', [CompletionResultType]::ParameterName, 'Skip events that are not valid (counted, the first listed) instead of stopping at the first')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue the checkpointed rebuild of this source and these users')
            [CompletionResult]::new('--restart', '--restart', [CompletionResultType]::ParameterName, 'Discard the checkpoint of this source and these users and start over')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'officectl;contacts;prune' {
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, 'Remove contacts without interaction for longer than this [default: contacts.retention]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only this user''s contacts (default: every user''s)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Count what would be removed; change nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'officectl;contacts;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a user''s contacts ranked by relevance, with counts, first and last seen, and why')
            [CompletionResult]::new('forget', 'forget', [CompletionResultType]::ParameterValue, 'Erase contacts of a user (a GDPR request): records, ranking, Vespa documents; they are not rediscovered unless allowed')
            [CompletionResult]::new('rebuild', 'rebuild', [CompletionResultType]::ParameterValue, 'Recompute contacts from history (a file, stdin or a subscription), write them, push them')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove contacts without interaction for longer than the retention (`contacts.retention`)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'officectl;contacts;help;show' {
            break
        }
        'officectl;contacts;help;forget' {
            break
        }
        'officectl;contacts;help;rebuild' {
            break
        }
        'officectl;contacts;help;prune' {
            break
        }
        'officectl;contacts;help;help' {
            break
        }
        'officectl;tail' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only this user''s events (a server-side filter on the `user_id` attribute)')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Only events of this type: `email`, `EmailEvent`, ... (repeatable)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'First replay what the topics retained since this long ago (topics with retention)')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Stop after this many events')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('--show-bodies', '--show-bodies', [CompletionResultType]::ParameterName, 'Show bodies, subjects'' content and notes (redacted by default)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'officectl;trace' {
            [CompletionResult]::new('--correlation-id', '--correlation-id', [CompletionResultType]::ParameterName, 'Follow everything published under this correlation id')
            [CompletionResult]::new('--batch-id', '--batch-id', [CompletionResultType]::ParameterName, 'Follow one batch (a backfill batch id, or an event''s `batch_id`)')
            [CompletionResult]::new('--event-id', '--event-id', [CompletionResultType]::ParameterName, 'Follow one event')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only this user''s events')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'HTTP/2 connections to the endpoint')
            [CompletionResult]::new('--max-inflight', '--max-inflight', [CompletionResultType]::ParameterName, 'Largest number of operations in flight (the throttle adapts below it) [default: 512 × connections]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Extra header on every request, as `Name: Value` (repeatable)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('--no-vespa', '--no-vespa', [CompletionResultType]::ParameterName, 'Do not ask Vespa which documents carry the events')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'officectl;completions' {
            [CompletionResult]::new('--out-dir', '--out-dir', [CompletionResultType]::ParameterName, 'Write the scripts for every shell into this directory instead')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'officectl;man' {
            [CompletionResult]::new('--out-dir', '--out-dir', [CompletionResultType]::ParameterName, 'Directory to write the pages into (created if missing)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
            [CompletionResult]::new('--vespa-endpoint', '--vespa-endpoint', [CompletionResultType]::ParameterName, 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]')
            [CompletionResult]::new('--vespa-config-endpoint', '--vespa-config-endpoint', [CompletionResultType]::ParameterName, 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]')
            [CompletionResult]::new('--vespa-ca-cert', '--vespa-ca-cert', [CompletionResultType]::ParameterName, 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only data and errors: no status lines, no progress')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'officectl;help' {
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show officectl''s own settings')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check that every configured service answers')
            [CompletionResult]::new('events', 'events', [CompletionResultType]::ParameterValue, 'Validate, convert, describe and publish events')
            [CompletionResult]::new('vespa', 'vespa', [CompletionResultType]::ParameterValue, 'Vespa application package and documents')
            [CompletionResult]::new('topics', 'topics', [CompletionResultType]::ParameterValue, 'Lay out topics and subscriptions from `plans/topology.yaml` and verify them')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Migrate from the legacy topics with reviewed, resumable plans')
            [CompletionResult]::new('backfill', 'backfill', [CompletionResultType]::ParameterValue, 'Replay users'' mail as `EmailEvent` batches, resumably')
            [CompletionResult]::new('reindex', 'reindex', [CompletionResultType]::ParameterValue, 'Reindex Vespa: natively, or by re-feeding events or the stored documents')
            [CompletionResult]::new('consume', 'consume', [CompletionResultType]::ParameterValue, 'Run a consumer of the platform''s events (`vespa-loader`, `contact-discovery`, `shipments`, `meetings`, `fe-sse`), or `--list` them')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Search one user''s documents of every type with one query')
            [CompletionResult]::new('contacts', 'contacts', [CompletionResultType]::ParameterValue, 'What contact discovery knows about a user''s contacts')
            [CompletionResult]::new('tail', 'tail', [CompletionResultType]::ParameterValue, 'Watch events on topics as they arrive, through temporary filtered subscriptions')
            [CompletionResult]::new('trace', 'trace', [CompletionResultType]::ParameterValue, 'Follow a correlation id, batch or event through publishing, consumers and Vespa')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script to stdout')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write man pages for every command')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'officectl;help;config' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the resolved settings and where each came from')
            break
        }
        'officectl;help;config;show' {
            break
        }
        'officectl;help;doctor' {
            break
        }
        'officectl;help;events' {
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Validate NDJSON events (new or legacy format, detected per line)')
            [CompletionResult]::new('convert', 'convert', [CompletionResultType]::ParameterValue, 'Convert legacy events to the current format (NDJSON on stdout)')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of an event type (all types without TYPE)')
            [CompletionResult]::new('publish', 'publish', [CompletionResultType]::ParameterValue, 'Validate events and publish them with attributes and claim checks')
            break
        }
        'officectl;help;events;validate' {
            break
        }
        'officectl;help;events;convert' {
            break
        }
        'officectl;help;events;schema' {
            break
        }
        'officectl;help;events;publish' {
            break
        }
        'officectl;help;vespa' {
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Write the Vespa application package (services.xml and one schema per data type)')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check application packages with Vespa''s own config model before a deploy')
            [CompletionResult]::new('feed', 'feed', [CompletionResultType]::ParameterValue, 'Feed documents (Vespa JSON/JSONL feed format) over HTTP/2 with adaptive throttling')
            break
        }
        'officectl;help;vespa;schema' {
            break
        }
        'officectl;help;vespa;check' {
            break
        }
        'officectl;help;vespa;feed' {
            break
        }
        'officectl;help;topics' {
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Show how the live topics and subscriptions differ from the layout')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Create and update topics and subscriptions until they match the layout')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check that the live topics and subscriptions match the layout (exit 2 on drift)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the live topics and subscriptions of the project')
            break
        }
        'officectl;help;topics;plan' {
            break
        }
        'officectl;help;topics;apply' {
            break
        }
        'officectl;help;topics;verify' {
            break
        }
        'officectl;help;topics;list' {
            break
        }
        'officectl;help;migrate' {
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Show each step of a plan with its state, what applying would change, and whether it can be undone')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Run a plan''s pending steps in order (resumes where the last run stopped)')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Undo completed steps in reverse order')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the state of every known plan, or of one plan''s steps')
            [CompletionResult]::new('drill', 'drill', [CompletionResultType]::ParameterValue, 'Run a plan against a throwaway copy of the platform under synthetic traffic, and report what was lost or duplicated')
            [CompletionResult]::new('unlock', 'unlock', [CompletionResultType]::ParameterValue, 'Remove a lock left by a crashed run')
            [CompletionResult]::new('relay', 'relay', [CompletionResultType]::ParameterValue, 'Forward messages from a legacy subscription to a new topic, upcasting legacy events')
            break
        }
        'officectl;help;migrate;plan' {
            break
        }
        'officectl;help;migrate;apply' {
            break
        }
        'officectl;help;migrate;rollback' {
            break
        }
        'officectl;help;migrate;status' {
            break
        }
        'officectl;help;migrate;drill' {
            break
        }
        'officectl;help;migrate;unlock' {
            break
        }
        'officectl;help;migrate;relay' {
            break
        }
        'officectl;help;backfill' {
            break
        }
        'officectl;help;reindex' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show native reindexing state and progress per cluster and document type')
            break
        }
        'officectl;help;reindex;status' {
            break
        }
        'officectl;help;consume' {
            break
        }
        'officectl;help;search' {
            break
        }
        'officectl;help;contacts' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a user''s contacts ranked by relevance, with counts, first and last seen, and why')
            [CompletionResult]::new('forget', 'forget', [CompletionResultType]::ParameterValue, 'Erase contacts of a user (a GDPR request): records, ranking, Vespa documents; they are not rediscovered unless allowed')
            [CompletionResult]::new('rebuild', 'rebuild', [CompletionResultType]::ParameterValue, 'Recompute contacts from history (a file, stdin or a subscription), write them, push them')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove contacts without interaction for longer than the retention (`contacts.retention`)')
            break
        }
        'officectl;help;contacts;show' {
            break
        }
        'officectl;help;contacts;forget' {
            break
        }
        'officectl;help;contacts;rebuild' {
            break
        }
        'officectl;help;contacts;prune' {
            break
        }
        'officectl;help;tail' {
            break
        }
        'officectl;help;trace' {
            break
        }
        'officectl;help;completions' {
            break
        }
        'officectl;help;man' {
            break
        }
        'officectl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
