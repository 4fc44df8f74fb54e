
use builtin;
use str;

set edit:completion:arg-completer[officectl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'officectl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'officectl'= {
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand config 'Show officectl''s own settings'
            cand doctor 'Check that every configured service answers'
            cand events 'Validate, convert, describe and publish events'
            cand vespa 'Vespa application package and documents'
            cand topics 'Lay out topics and subscriptions from `plans/topology.yaml` and verify them'
            cand migrate 'Migrate from the legacy topics with reviewed, resumable plans'
            cand backfill 'Replay users'' mail as `EmailEvent` batches, resumably'
            cand reindex 'Reindex Vespa: natively, or by re-feeding events or the stored documents'
            cand consume 'Run a consumer of the platform''s events (`vespa-loader`, `contact-discovery`, `shipments`, `fe-sse`), or `--list` them'
            cand search 'Search one user''s documents of every type with one query'
            cand contacts 'What contact discovery knows about a user''s contacts'
            cand tail 'Watch events on topics as they arrive, through temporary filtered subscriptions'
            cand completions 'Print a shell completion script to stdout'
            cand man 'Write man pages for every command'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'officectl;config'= {
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand show 'Show the resolved settings and where each came from'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'officectl;config;show'= {
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand --sources 'Also show where each value came from (flag, env, config file, default)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'officectl;config;help'= {
            cand show 'Show the resolved settings and where each came from'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'officectl;config;help;show'= {
        }
        &'officectl;config;help;help'= {
        }
        &'officectl;doctor'= {
            cand --timeout 'Give up on a service after this long (e.g. 500ms, 5s)'
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'officectl;events'= {
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand validate 'Validate NDJSON events (new or legacy format, detected per line)'
            cand convert 'Convert legacy events to the current format (NDJSON on stdout)'
            cand schema 'Print the JSON Schema of an event type (all types without TYPE)'
            cand publish 'Validate events and publish them with attributes and claim checks'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'officectl;events;validate'= {
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'officectl;events;convert'= {
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'officectl;events;schema'= {
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'officectl;events;publish'= {
            cand --topic 'Publish every event to this topic, ignoring the data type''s topic and the migration''s publish-mode flags'
            cand --max-in-flight 'Most messages awaiting the server''s acknowledgement at once'
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand --dry-run 'Validate and plan (sizes, claim checks), publish nothing, write nothing'
            cand --no-ordering 'Do not set the per-user ordering key'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'officectl;events;help'= {
            cand validate 'Validate NDJSON events (new or legacy format, detected per line)'
            cand convert 'Convert legacy events to the current format (NDJSON on stdout)'
            cand schema 'Print the JSON Schema of an event type (all types without TYPE)'
            cand publish 'Validate events and publish them with attributes and claim checks'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'officectl;events;help;validate'= {
        }
        &'officectl;events;help;convert'= {
        }
        &'officectl;events;help;schema'= {
        }
        &'officectl;events;help;publish'= {
        }
        &'officectl;events;help;help'= {
        }
        &'officectl;vespa'= {
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand schema 'Write the Vespa application package (services.xml and one schema per data type)'
            cand check 'Check application packages with Vespa''s own config model before a deploy'
            cand feed 'Feed documents (Vespa JSON/JSONL feed format) over HTTP/2 with adaptive throttling'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'officectl;vespa;schema'= {
            cand --out 'Directory to write the application package into (created if missing)'
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand --check 'Check the package with Vespa''s own config model (Java 17; Maven the first time); without --out, the one this officectl generates'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'officectl;vespa;check'= {
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'officectl;vespa;feed'= {
            cand --connections 'HTTP/2 connections to the endpoint'
            cand --max-inflight 'Largest number of operations in flight (the throttle adapts below it) [default: 512 × connections]'
            cand --header 'Extra header on every request, as `Name: Value` (repeatable)'
            cand --rejects 'Write operations that failed to FILE, in the feed format, to feed again later'
            cand --route 'Route for the operations (`?route=`)'
            cand --timeout 'Server-side timeout per operation, in seconds (`?timeout=`)'
            cand --max-attempts 'Attempts per operation on 503 and transport errors (429 is always retried)'
            cand --deadline 'Give up when no operation has succeeded for this many seconds'
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand --strict 'Stop reading at the first line that is not an operation (default: list it and go on)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'officectl;vespa;help'= {
            cand schema 'Write the Vespa application package (services.xml and one schema per data type)'
            cand check 'Check application packages with Vespa''s own config model before a deploy'
            cand feed 'Feed documents (Vespa JSON/JSONL feed format) over HTTP/2 with adaptive throttling'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'officectl;vespa;help;schema'= {
        }
        &'officectl;vespa;help;check'= {
        }
        &'officectl;vespa;help;feed'= {
        }
        &'officectl;vespa;help;help'= {
        }
        &'officectl;topics'= {
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand plan 'Show how the live topics and subscriptions differ from the layout'
            cand apply 'Create and update topics and subscriptions until they match the layout'
            cand verify 'Check that the live topics and subscriptions match the layout (exit 2 on drift)'
            cand list 'List the live topics and subscriptions of the project'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'officectl;topics;plan'= {
            cand --layout 'Layout file declaring the topics and subscriptions'
            cand --env 'Apply the overlay for this environment: `<layout>.<ENV>.yaml` beside the layout (e.g. `--env staging` reads `plans/topology.staging.yaml`)'
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand --prune 'Show live resources the layout does not declare as deletes, as `apply --prune` would'
            cand --detailed-exitcode 'Exit 2 when apply would change something (0: nothing to do, 1: error)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'officectl;topics;apply'= {
            cand --layout 'Layout file declaring the topics and subscriptions'
            cand --env 'Apply the overlay for this environment: `<layout>.<ENV>.yaml` beside the layout (e.g. `--env staging` reads `plans/topology.staging.yaml`)'
            cand --concurrency 'Pub/Sub calls in flight at once'
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand --dry-run 'Show what would change and change nothing'
            cand --yes 'Do not ask before deleting or replacing (needed without a terminal)'
            cand --prune 'Delete live topics and subscriptions the layout does not declare'
            cand --allow-replace 'Delete and re-create subscriptions whose filter, ordering or topic differ (drops their backlog)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'officectl;topics;verify'= {
            cand --layout 'Layout file declaring the topics and subscriptions'
            cand --env 'Apply the overlay for this environment: `<layout>.<ENV>.yaml` beside the layout (e.g. `--env staging` reads `plans/topology.staging.yaml`)'
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand --ignore-undeclared 'Do not count live topics and subscriptions the layout does not declare as drift'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'officectl;topics;list'= {
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'officectl;topics;help'= {
            cand plan 'Show how the live topics and subscriptions differ from the layout'
            cand apply 'Create and update topics and subscriptions until they match the layout'
            cand verify 'Check that the live topics and subscriptions match the layout (exit 2 on drift)'
            cand list 'List the live topics and subscriptions of the project'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'officectl;topics;help;plan'= {
        }
        &'officectl;topics;help;apply'= {
        }
        &'officectl;topics;help;verify'= {
        }
        &'officectl;topics;help;list'= {
        }
        &'officectl;topics;help;help'= {
        }
        &'officectl;migrate'= {
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand plan 'Show each step of a plan with its state, what applying would change, and whether it can be undone'
            cand apply 'Run a plan''s pending steps in order (resumes where the last run stopped)'
            cand rollback 'Undo completed steps in reverse order'
            cand status 'Show the state of every known plan, or of one plan''s steps'
            cand unlock 'Remove a lock left by a crashed run'
            cand relay 'Forward messages from a legacy subscription to a new topic, upcasting legacy events'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'officectl;migrate;plan'= {
            cand --layout 'Layout file declaring the topics and subscriptions'
            cand --env 'Apply the overlay for this environment: `<layout>.<ENV>.yaml` beside the layout (e.g. `--env staging` reads `plans/topology.staging.yaml`)'
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand --detailed-exitcode 'Exit 2 when steps are pending (0 when everything is done)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'officectl;migrate;apply'= {
            cand --layout 'Layout file declaring the topics and subscriptions'
            cand --env 'Apply the overlay for this environment: `<layout>.<ENV>.yaml` beside the layout (e.g. `--env staging` reads `plans/topology.staging.yaml`)'
            cand --to 'Stop after this step'
            cand --approve 'Pass this gate (repeatable)'
            cand --lock-ttl 'Lease of the plan''s lock; renewed while the run is alive'
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand --dry-run 'Show what would be done; change nothing'
            cand --yes 'Do not ask before irreversible steps'
            cand --allow-changed 'Apply even though steps already applied have changed in the file'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'officectl;migrate;rollback'= {
            cand --layout 'Layout file declaring the topics and subscriptions'
            cand --env 'Apply the overlay for this environment: `<layout>.<ENV>.yaml` beside the layout (e.g. `--env staging` reads `plans/topology.staging.yaml`)'
            cand --to 'Undo the steps after this one (default: all)'
            cand --lock-ttl 'Lease of the plan''s lock; renewed while the run is alive'
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand --yes 'Do not ask for confirmation'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'officectl;migrate;status'= {
            cand --layout 'Layout file declaring the topics and subscriptions'
            cand --env 'Apply the overlay for this environment: `<layout>.<ENV>.yaml` beside the layout (e.g. `--env staging` reads `plans/topology.staging.yaml`)'
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'officectl;migrate;unlock'= {
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'officectl;migrate;relay'= {
            cand --from 'Subscription to drain (id or full name)'
            cand --to 'Topic to publish to (id or full name)'
            cand --max-messages 'Stop after this many messages'
            cand --idle-timeout 'Stop once nothing arrives for this long'
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'officectl;migrate;help'= {
            cand plan 'Show each step of a plan with its state, what applying would change, and whether it can be undone'
            cand apply 'Run a plan''s pending steps in order (resumes where the last run stopped)'
            cand rollback 'Undo completed steps in reverse order'
            cand status 'Show the state of every known plan, or of one plan''s steps'
            cand unlock 'Remove a lock left by a crashed run'
            cand relay 'Forward messages from a legacy subscription to a new topic, upcasting legacy events'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'officectl;migrate;help;plan'= {
        }
        &'officectl;migrate;help;apply'= {
        }
        &'officectl;migrate;help;rollback'= {
        }
        &'officectl;migrate;help;status'= {
        }
        &'officectl;migrate;help;unlock'= {
        }
        &'officectl;migrate;help;relay'= {
        }
        &'officectl;migrate;help;help'= {
        }
        &'officectl;backfill'= {
            cand --user 'Backfill this user (repeat for more)'
            cand --users-file 'Backfill the users listed in FILE (one per line; blank lines and `#` comments ignored)'
            cand --shard 'Only the users of shard INDEX of COUNT (from 0; `auto/COUNT` takes INDEX from JOB_COMPLETION_INDEX, as in a Kubernetes Indexed Job); needs --correlation-id, so all shards'' batches share it. The hash is documented in docs/backfill.md'
            cand --source 'NDJSON file or `-` (stdin), `pubsub:SUBSCRIPTION`, or an `https://` export endpoint'
            cand --since 'Only e-mails received at or after T (RFC 3339 or YYYY-MM-DD)'
            cand --until 'Only e-mails received before T (RFC 3339 or YYYY-MM-DD)'
            cand --batch-size 'Most e-mails per `EmailEvent` batch (1-1000)'
            cand --rate 'Publish at most this many e-mails per second'
            cand --concurrency 'Users fetched at once from an HTTP export endpoint'
            cand --max-in-flight 'Most batches awaiting Pub/Sub''s acknowledgement at once'
            cand --topic 'Publish to this topic only, whatever the migration''s publish mode for e-mail says (default: `emails`, `email-backfill` or both, as `office:flags:publish_mode:email` says)'
            cand --correlation-id 'Correlation id of the run (default: a fresh one; `--resume` reuses the checkpoint''s)'
            cand --rejects 'Write invalid records to FILE (NDJSON: line or position, reason, problems, record)'
            cand --idle-timeout 'Stop reading a `pubsub:` source after no new message for this long'
            cand --retry-for 'Keep retrying a batch that Pub/Sub refuses with a transient error for this long'
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand --ordering 'Set the user id as ordering key (in-order delivery per user on ordered subscriptions)'
            cand --dry-run 'Read, validate and count everything; publish nothing, write nothing'
            cand --resume 'Continue after the last acknowledged batch of the checkpointed run'
            cand --restart 'Discard existing checkpoints and start over with a new correlation id'
            cand --strict 'Stop at the first invalid record'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'officectl;reindex'= {
            cand --source 'Re-feed documents built from events: an NDJSON file, `-` for stdin, or `pubsub:SUBSCRIPTION`'
            cand --cluster 'Content cluster (repeatable) [default: all]'
            cand --type 'Document type (repeatable) [default: all]'
            cand --application 'Application on the config server, as tenant.application.instance'
            cand --user 'Re-feed only this user''s documents or events (repeatable) [default: all]'
            cand --speed 'Reindexing speed in (0, 10]; 0 halts what is marked (`--native`)'
            cand --cause 'Why, recorded by the config server (`--native`)'
            cand --poll-interval 'Seconds between status polls with `--wait`'
            cand --wait-timeout 'Give up waiting after this many seconds (exit 1)'
            cand --slices 'With `--from-vespa`: visit each selection as N slices, concurrently'
            cand --page-size 'With `--from-vespa`: documents per visit request (`wantedDocumentCount`)'
            cand --idle-timeout 'With a `pubsub:` source: stop after no new message for this long'
            cand --rate 'Send at most this many operations per second'
            cand --connections 'HTTP/2 connections to the endpoint'
            cand --max-inflight 'Largest number of operations in flight (the throttle adapts below it) [default: 512 × connections]'
            cand --header 'Extra header on every request, as `Name: Value` (repeatable)'
            cand --rejects 'Write operations that failed to FILE in the feed format (re-feeds)'
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand --native 'Use Vespa''s own reindexing: mark the types ready on the config server'
            cand --from-vespa 'Re-feed the documents stored in Vespa, visited and brought to the current shape'
            cand --wait 'Wait until the marked types are `successful` (or one `failed`), with progress (`--native`)'
            cand --resume 'Continue the checkpointed re-feed with the same source and selection'
            cand --restart 'Discard the re-feed''s checkpoint and start over'
            cand --dry-run 'Show what would be done without changing anything: read or visit and count, feed nothing, write no checkpoint'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand status 'Show native reindexing state and progress per cluster and document type'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'officectl;reindex;status'= {
            cand --cluster 'Content cluster (repeatable) [default: all]'
            cand --type 'Document type (repeatable) [default: all]'
            cand --application 'Application on the config server, as tenant.application.instance'
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'officectl;reindex;help'= {
            cand status 'Show native reindexing state and progress per cluster and document type'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'officectl;reindex;help;status'= {
        }
        &'officectl;reindex;help;help'= {
        }
        &'officectl;consume'= {
            cand --layout 'Layout file declaring the topics and subscriptions'
            cand --env 'Apply the overlay for this environment: `<layout>.<ENV>.yaml` beside the layout (e.g. `--env staging` reads `plans/topology.staging.yaml`)'
            cand --types 'Only these data types (comma-separated doc types, e.g. `email,calendar`) [default: every type the consumer reads]'
            cand --max-outstanding-messages 'Messages each subscription stream keeps unacknowledged at most (flow control)'
            cand --max-outstanding-bytes 'Bytes each subscription stream keeps unacknowledged at most (flow control)'
            cand --shutdown-timeout 'How long to wait for in-flight messages after SIGTERM or Ctrl-C before exiting'
            cand --flag-refresh 'How often the read flags are read again'
            cand --claim-timeout 'How long a message''s idempotency claim holds while it is loaded; a loader that dies holding claims delays those messages by at most this long (longer than one message takes to feed)'
            cand --concurrency 'Messages decoded, deduplicated and turned into documents at once (feeding is concurrent beyond this, up to `--max-inflight` operations)'
            cand --listen 'Serve `/healthz`, `/readyz` and `/metrics` (Prometheus) on this address, e.g. `0.0.0.0:9464`'
            cand --log-format 'How the worker''s log lines on stderr are written: `text`, or `json` (one object per line)'
            cand --connections 'HTTP/2 connections to the endpoint'
            cand --max-inflight 'Largest number of operations in flight (the throttle adapts below it) [default: 512 × connections]'
            cand --header 'Extra header on every request, as `Name: Value` (repeatable)'
            cand --allow-origin 'Let pages of this origin read event streams (CORS), e.g. `https://app.example.com`; repeat for more (added to `fe_sse.allow_origins` of the config file)'
            cand --stream-max-len 'Notifications each user''s stream keeps at least (`XADD MAXLEN ~`)'
            cand --stream-ttl 'How long a user''s stream lives after its last notification'
            cand --heartbeat 'Silence after which an event stream gets a heartbeat comment'
            cand --client-retry 'The reconnection delay advised to clients (`retry:`)'
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand --list 'Print every consumer of the layout with its subscriptions and topics'
            cand --dry-run 'Decode, dedupe-check and build documents; feed nothing, ack nothing'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'officectl;search'= {
            cand --user 'Whose documents to search (the user id, as in events)'
            cand --type 'Only these document types (repeatable) [default: all]'
            cand --hits 'Hits to return'
            cand --ranking 'Rank profile to order the hits by (every generated schema defines `office`)'
            cand --header 'Extra header on the request, as `Name: Value` (repeatable)'
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'officectl;contacts'= {
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand show 'Show a user''s contacts ranked by relevance, with counts, first and last seen, and why'
            cand forget 'Erase contacts of a user (a GDPR request): records, ranking, Vespa documents; they are not rediscovered unless allowed'
            cand rebuild 'Recompute contacts from history (a file, stdin or a subscription), write them, push them'
            cand prune 'Remove contacts without interaction for longer than the retention (`contacts.retention`)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'officectl;contacts;show'= {
            cand --user 'Whose contacts (the user id, as in events)'
            cand --top 'How many of the most relevant contacts'
            cand --address 'Only the contact at this address, with its rank'
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'officectl;contacts;forget'= {
            cand --user 'Whose contacts (the user id, as in events)'
            cand --address 'The contact at this address'
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand --all 'Every contact of the user (and every one forgotten before, again in Vespa)'
            cand --allow-rediscovery 'Let contact discovery find them again (events counted before now count them again when replayed)'
            cand --yes 'Confirm the erasure (required without a terminal)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'officectl;contacts;rebuild'= {
            cand --source 'Events: an NDJSON file, `-` (stdin), or `pubsub:SUBSCRIPTION`'
            cand --user 'Whose contacts (repeatable; default: every user in the source)'
            cand --checkpoint-every 'Events between checkpoints'
            cand --idle-timeout 'Stop reading a `pubsub:` source after no new message for this long'
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand --dry-run 'Compute and report; write and publish nothing'
            cand --no-push 'Write the records, but publish no ContactEvents (Vespa keeps its documents)'
            cand --skip-invalid 'Skip events that are not valid (counted, the first listed) instead of stopping at the first'
            cand --resume 'Continue the checkpointed rebuild of this source and these users'
            cand --restart 'Discard the checkpoint of this source and these users and start over'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'officectl;contacts;prune'= {
            cand --older-than 'Remove contacts without interaction for longer than this [default: contacts.retention]'
            cand --user 'Only this user''s contacts (default: every user''s)'
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand --dry-run 'Count what would be removed; change nothing'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'officectl;contacts;help'= {
            cand show 'Show a user''s contacts ranked by relevance, with counts, first and last seen, and why'
            cand forget 'Erase contacts of a user (a GDPR request): records, ranking, Vespa documents; they are not rediscovered unless allowed'
            cand rebuild 'Recompute contacts from history (a file, stdin or a subscription), write them, push them'
            cand prune 'Remove contacts without interaction for longer than the retention (`contacts.retention`)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'officectl;contacts;help;show'= {
        }
        &'officectl;contacts;help;forget'= {
        }
        &'officectl;contacts;help;rebuild'= {
        }
        &'officectl;contacts;help;prune'= {
        }
        &'officectl;contacts;help;help'= {
        }
        &'officectl;tail'= {
            cand --user 'Only this user''s events (a server-side filter on the `user_id` attribute)'
            cand --type 'Only events of this type: `email`, `EmailEvent`, ... (repeatable)'
            cand --since 'First replay what the topics retained since this long ago (topics with retention)'
            cand --count 'Stop after this many events'
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand --show-bodies 'Show bodies, subjects'' content and notes (redacted by default)'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'officectl;completions'= {
            cand --out-dir 'Write the scripts for every shell into this directory instead'
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'officectl;man'= {
            cand --out-dir 'Directory to write the pages into (created if missing)'
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
            cand --vespa-endpoint 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]'
            cand --vespa-config-endpoint 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]'
            cand --vespa-ca-cert 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]'
            cand -o 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --output 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]'
            cand --color 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]'
            cand -v 'More detail on stderr (repeat for more)'
            cand --verbose 'More detail on stderr (repeat for more)'
            cand -q 'Only data and errors: no status lines, no progress'
            cand --quiet 'Only data and errors: no status lines, no progress'
            cand --no-progress 'Never draw progress bars'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'officectl;help'= {
            cand config 'Show officectl''s own settings'
            cand doctor 'Check that every configured service answers'
            cand events 'Validate, convert, describe and publish events'
            cand vespa 'Vespa application package and documents'
            cand topics 'Lay out topics and subscriptions from `plans/topology.yaml` and verify them'
            cand migrate 'Migrate from the legacy topics with reviewed, resumable plans'
            cand backfill 'Replay users'' mail as `EmailEvent` batches, resumably'
            cand reindex 'Reindex Vespa: natively, or by re-feeding events or the stored documents'
            cand consume 'Run a consumer of the platform''s events (`vespa-loader`, `contact-discovery`, `shipments`, `fe-sse`), or `--list` them'
            cand search 'Search one user''s documents of every type with one query'
            cand contacts 'What contact discovery knows about a user''s contacts'
            cand tail 'Watch events on topics as they arrive, through temporary filtered subscriptions'
            cand completions 'Print a shell completion script to stdout'
            cand man 'Write man pages for every command'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'officectl;help;config'= {
            cand show 'Show the resolved settings and where each came from'
        }
        &'officectl;help;config;show'= {
        }
        &'officectl;help;doctor'= {
        }
        &'officectl;help;events'= {
            cand validate 'Validate NDJSON events (new or legacy format, detected per line)'
            cand convert 'Convert legacy events to the current format (NDJSON on stdout)'
            cand schema 'Print the JSON Schema of an event type (all types without TYPE)'
            cand publish 'Validate events and publish them with attributes and claim checks'
        }
        &'officectl;help;events;validate'= {
        }
        &'officectl;help;events;convert'= {
        }
        &'officectl;help;events;schema'= {
        }
        &'officectl;help;events;publish'= {
        }
        &'officectl;help;vespa'= {
            cand schema 'Write the Vespa application package (services.xml and one schema per data type)'
            cand check 'Check application packages with Vespa''s own config model before a deploy'
            cand feed 'Feed documents (Vespa JSON/JSONL feed format) over HTTP/2 with adaptive throttling'
        }
        &'officectl;help;vespa;schema'= {
        }
        &'officectl;help;vespa;check'= {
        }
        &'officectl;help;vespa;feed'= {
        }
        &'officectl;help;topics'= {
            cand plan 'Show how the live topics and subscriptions differ from the layout'
            cand apply 'Create and update topics and subscriptions until they match the layout'
            cand verify 'Check that the live topics and subscriptions match the layout (exit 2 on drift)'
            cand list 'List the live topics and subscriptions of the project'
        }
        &'officectl;help;topics;plan'= {
        }
        &'officectl;help;topics;apply'= {
        }
        &'officectl;help;topics;verify'= {
        }
        &'officectl;help;topics;list'= {
        }
        &'officectl;help;migrate'= {
            cand plan 'Show each step of a plan with its state, what applying would change, and whether it can be undone'
            cand apply 'Run a plan''s pending steps in order (resumes where the last run stopped)'
            cand rollback 'Undo completed steps in reverse order'
            cand status 'Show the state of every known plan, or of one plan''s steps'
            cand unlock 'Remove a lock left by a crashed run'
            cand relay 'Forward messages from a legacy subscription to a new topic, upcasting legacy events'
        }
        &'officectl;help;migrate;plan'= {
        }
        &'officectl;help;migrate;apply'= {
        }
        &'officectl;help;migrate;rollback'= {
        }
        &'officectl;help;migrate;status'= {
        }
        &'officectl;help;migrate;unlock'= {
        }
        &'officectl;help;migrate;relay'= {
        }
        &'officectl;help;backfill'= {
        }
        &'officectl;help;reindex'= {
            cand status 'Show native reindexing state and progress per cluster and document type'
        }
        &'officectl;help;reindex;status'= {
        }
        &'officectl;help;consume'= {
        }
        &'officectl;help;search'= {
        }
        &'officectl;help;contacts'= {
            cand show 'Show a user''s contacts ranked by relevance, with counts, first and last seen, and why'
            cand forget 'Erase contacts of a user (a GDPR request): records, ranking, Vespa documents; they are not rediscovered unless allowed'
            cand rebuild 'Recompute contacts from history (a file, stdin or a subscription), write them, push them'
            cand prune 'Remove contacts without interaction for longer than the retention (`contacts.retention`)'
        }
        &'officectl;help;contacts;show'= {
        }
        &'officectl;help;contacts;forget'= {
        }
        &'officectl;help;contacts;rebuild'= {
        }
        &'officectl;help;contacts;prune'= {
        }
        &'officectl;help;tail'= {
        }
        &'officectl;help;completions'= {
        }
        &'officectl;help;man'= {
        }
        &'officectl;help;help'= {
        }
    ]
    $completions[$command]
}
