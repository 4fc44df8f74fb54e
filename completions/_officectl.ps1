
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
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'officectl;vespa;schema' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Directory to write the application package into (created if missing)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
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
        'officectl;vespa;help' {
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Write the Vespa application package (services.xml and one schema per data type)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'officectl;vespa;help;schema' {
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
        'officectl;completions' {
            [CompletionResult]::new('--out-dir', '--out-dir', [CompletionResultType]::ParameterName, 'Write the scripts for every shell into this directory instead')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]')
            [CompletionResult]::new('--pubsub-endpoint', '--pubsub-endpoint', [CompletionResultType]::ParameterName, 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]')
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
            break
        }
        'officectl;help;vespa;schema' {
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
