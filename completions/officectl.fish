# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_officectl_global_optspecs
    string join \n config= project= pubsub-endpoint= redis-url= vespa-endpoint= vespa-config-endpoint= vespa-ca-cert= o/output= v/verbose q/quiet no-progress color= h/help V/version
end

function __fish_officectl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_officectl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_officectl_using_subcommand
    set -l cmd (__fish_officectl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c officectl -n "__fish_officectl_needs_command" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_needs_command" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_needs_command" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_needs_command" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_needs_command" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_needs_command" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_needs_command" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_needs_command" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_needs_command" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_needs_command" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_needs_command" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_needs_command" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_needs_command" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_needs_command" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_needs_command" -f -a "config" -d 'Show officectl\'s own settings'
complete -c officectl -n "__fish_officectl_needs_command" -f -a "doctor" -d 'Check that every configured service answers'
complete -c officectl -n "__fish_officectl_needs_command" -f -a "events" -d 'Validate, convert, describe and publish events'
complete -c officectl -n "__fish_officectl_needs_command" -f -a "vespa" -d 'Vespa application package and documents'
complete -c officectl -n "__fish_officectl_needs_command" -f -a "topics" -d 'Lay out topics and subscriptions from `plans/topology.yaml` and verify them'
complete -c officectl -n "__fish_officectl_needs_command" -f -a "migrate" -d 'Migrate from the legacy topics with reviewed, resumable plans'
complete -c officectl -n "__fish_officectl_needs_command" -f -a "backfill" -d 'Replay users\' mail as `EmailEvent` batches, resumably'
complete -c officectl -n "__fish_officectl_needs_command" -f -a "reindex" -d 'Reindex Vespa: natively, or by re-feeding events or the stored documents'
complete -c officectl -n "__fish_officectl_needs_command" -f -a "consume" -d 'Run a consumer of the platform\'s events (`vespa-loader`, `contact-discovery`, `shipments`, `meetings`, `fe-sse`), or `--list` them'
complete -c officectl -n "__fish_officectl_needs_command" -f -a "search" -d 'Search one user\'s documents of every type with one query'
complete -c officectl -n "__fish_officectl_needs_command" -f -a "contacts" -d 'What contact discovery knows about a user\'s contacts'
complete -c officectl -n "__fish_officectl_needs_command" -f -a "tail" -d 'Watch events on topics as they arrive, through temporary filtered subscriptions'
complete -c officectl -n "__fish_officectl_needs_command" -f -a "trace" -d 'Follow a correlation id, batch or event through publishing, consumers and Vespa'
complete -c officectl -n "__fish_officectl_needs_command" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c officectl -n "__fish_officectl_needs_command" -f -a "man" -d 'Write man pages for every command'
complete -c officectl -n "__fish_officectl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c officectl -n "__fish_officectl_using_subcommand config; and not __fish_seen_subcommand_from show help" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand config; and not __fish_seen_subcommand_from show help" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand config; and not __fish_seen_subcommand_from show help" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand config; and not __fish_seen_subcommand_from show help" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand config; and not __fish_seen_subcommand_from show help" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand config; and not __fish_seen_subcommand_from show help" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand config; and not __fish_seen_subcommand_from show help" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand config; and not __fish_seen_subcommand_from show help" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand config; and not __fish_seen_subcommand_from show help" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand config; and not __fish_seen_subcommand_from show help" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand config; and not __fish_seen_subcommand_from show help" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand config; and not __fish_seen_subcommand_from show help" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand config; and not __fish_seen_subcommand_from show help" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand config; and not __fish_seen_subcommand_from show help" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand config; and not __fish_seen_subcommand_from show help" -f -a "show" -d 'Show the resolved settings and where each came from'
complete -c officectl -n "__fish_officectl_using_subcommand config; and not __fish_seen_subcommand_from show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c officectl -n "__fish_officectl_using_subcommand config; and __fish_seen_subcommand_from show" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand config; and __fish_seen_subcommand_from show" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand config; and __fish_seen_subcommand_from show" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand config; and __fish_seen_subcommand_from show" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand config; and __fish_seen_subcommand_from show" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand config; and __fish_seen_subcommand_from show" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand config; and __fish_seen_subcommand_from show" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand config; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand config; and __fish_seen_subcommand_from show" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand config; and __fish_seen_subcommand_from show" -l sources -d 'Also show where each value came from (flag, env, config file, default)'
complete -c officectl -n "__fish_officectl_using_subcommand config; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand config; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand config; and __fish_seen_subcommand_from show" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand config; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show the resolved settings and where each came from'
complete -c officectl -n "__fish_officectl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c officectl -n "__fish_officectl_using_subcommand doctor" -l timeout -d 'Give up on a service after this long (e.g. 500ms, 5s)' -r
complete -c officectl -n "__fish_officectl_using_subcommand doctor" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand doctor" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand doctor" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand doctor" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand doctor" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand doctor" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand doctor" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand doctor" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand doctor" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand doctor" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand doctor" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand doctor" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand doctor" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand events; and not __fish_seen_subcommand_from validate convert schema publish help" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand events; and not __fish_seen_subcommand_from validate convert schema publish help" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand events; and not __fish_seen_subcommand_from validate convert schema publish help" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand events; and not __fish_seen_subcommand_from validate convert schema publish help" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand events; and not __fish_seen_subcommand_from validate convert schema publish help" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand events; and not __fish_seen_subcommand_from validate convert schema publish help" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand events; and not __fish_seen_subcommand_from validate convert schema publish help" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand events; and not __fish_seen_subcommand_from validate convert schema publish help" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand events; and not __fish_seen_subcommand_from validate convert schema publish help" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand events; and not __fish_seen_subcommand_from validate convert schema publish help" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand events; and not __fish_seen_subcommand_from validate convert schema publish help" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand events; and not __fish_seen_subcommand_from validate convert schema publish help" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand events; and not __fish_seen_subcommand_from validate convert schema publish help" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand events; and not __fish_seen_subcommand_from validate convert schema publish help" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand events; and not __fish_seen_subcommand_from validate convert schema publish help" -f -a "validate" -d 'Validate NDJSON events (new or legacy format, detected per line)'
complete -c officectl -n "__fish_officectl_using_subcommand events; and not __fish_seen_subcommand_from validate convert schema publish help" -f -a "convert" -d 'Convert legacy events to the current format (NDJSON on stdout)'
complete -c officectl -n "__fish_officectl_using_subcommand events; and not __fish_seen_subcommand_from validate convert schema publish help" -f -a "schema" -d 'Print the JSON Schema of an event type (all types without TYPE)'
complete -c officectl -n "__fish_officectl_using_subcommand events; and not __fish_seen_subcommand_from validate convert schema publish help" -f -a "publish" -d 'Validate events and publish them with attributes and claim checks'
complete -c officectl -n "__fish_officectl_using_subcommand events; and not __fish_seen_subcommand_from validate convert schema publish help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from validate" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from validate" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from validate" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from validate" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from validate" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from validate" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from validate" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from validate" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from validate" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from validate" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from validate" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from validate" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from validate" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from validate" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from convert" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from convert" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from convert" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from convert" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from convert" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from convert" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from convert" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from convert" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from convert" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from convert" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from convert" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from convert" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from convert" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from convert" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from schema" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from schema" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from schema" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from schema" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from schema" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from schema" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from schema" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from schema" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from schema" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from schema" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from schema" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from schema" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from schema" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from schema" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from publish" -l topic -d 'Publish every event to this topic, ignoring the data type\'s topic and the migration\'s publish-mode flags' -r
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from publish" -l max-in-flight -d 'Most messages awaiting the server\'s acknowledgement at once' -r
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from publish" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from publish" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from publish" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from publish" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from publish" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from publish" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from publish" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from publish" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from publish" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from publish" -l dry-run -d 'Validate and plan (sizes, claim checks), publish nothing, write nothing'
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from publish" -l no-ordering -d 'Do not set the per-user ordering key'
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from publish" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from publish" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from publish" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from publish" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from publish" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "validate" -d 'Validate NDJSON events (new or legacy format, detected per line)'
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "convert" -d 'Convert legacy events to the current format (NDJSON on stdout)'
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "schema" -d 'Print the JSON Schema of an event type (all types without TYPE)'
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "publish" -d 'Validate events and publish them with attributes and claim checks'
complete -c officectl -n "__fish_officectl_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and not __fish_seen_subcommand_from schema check feed help" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and not __fish_seen_subcommand_from schema check feed help" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and not __fish_seen_subcommand_from schema check feed help" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and not __fish_seen_subcommand_from schema check feed help" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and not __fish_seen_subcommand_from schema check feed help" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and not __fish_seen_subcommand_from schema check feed help" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and not __fish_seen_subcommand_from schema check feed help" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and not __fish_seen_subcommand_from schema check feed help" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and not __fish_seen_subcommand_from schema check feed help" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and not __fish_seen_subcommand_from schema check feed help" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and not __fish_seen_subcommand_from schema check feed help" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and not __fish_seen_subcommand_from schema check feed help" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and not __fish_seen_subcommand_from schema check feed help" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and not __fish_seen_subcommand_from schema check feed help" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and not __fish_seen_subcommand_from schema check feed help" -f -a "schema" -d 'Write the Vespa application package (services.xml and one schema per data type)'
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and not __fish_seen_subcommand_from schema check feed help" -f -a "check" -d 'Check application packages with Vespa\'s own config model before a deploy'
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and not __fish_seen_subcommand_from schema check feed help" -f -a "feed" -d 'Feed documents (Vespa JSON/JSONL feed format) over HTTP/2 with adaptive throttling'
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and not __fish_seen_subcommand_from schema check feed help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from schema" -l out -d 'Directory to write the application package into (created if missing)' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from schema" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from schema" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from schema" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from schema" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from schema" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from schema" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from schema" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from schema" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from schema" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from schema" -l check -d 'Check the package with Vespa\'s own config model (Java 17; Maven the first time); without --out, the one this officectl generates'
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from schema" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from schema" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from schema" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from schema" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from schema" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from check" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from check" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from check" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from check" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from check" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from check" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from check" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from check" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from check" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from check" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from check" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from feed" -l connections -d 'HTTP/2 connections to the endpoint' -r
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from feed" -l max-inflight -d 'Largest number of operations in flight (the throttle adapts below it) [default: 512 × connections]' -r
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from feed" -l header -d 'Extra header on every request, as `Name: Value` (repeatable)' -r
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from feed" -l rejects -d 'Write operations that failed to FILE, in the feed format, to feed again later' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from feed" -l route -d 'Route for the operations (`?route=`)' -r
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from feed" -l timeout -d 'Server-side timeout per operation, in seconds (`?timeout=`)' -r
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from feed" -l max-attempts -d 'Attempts per operation on 503 and transport errors (429 is always retried)' -r
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from feed" -l deadline -d 'Give up when no operation has succeeded for this many seconds' -r
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from feed" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from feed" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from feed" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from feed" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from feed" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from feed" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from feed" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from feed" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from feed" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from feed" -l strict -d 'Stop reading at the first line that is not an operation (default: list it and go on)'
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from feed" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from feed" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from feed" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from feed" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from feed" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from help" -f -a "schema" -d 'Write the Vespa application package (services.xml and one schema per data type)'
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from help" -f -a "check" -d 'Check application packages with Vespa\'s own config model before a deploy'
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from help" -f -a "feed" -d 'Feed documents (Vespa JSON/JSONL feed format) over HTTP/2 with adaptive throttling'
complete -c officectl -n "__fish_officectl_using_subcommand vespa; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and not __fish_seen_subcommand_from plan apply verify list help" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand topics; and not __fish_seen_subcommand_from plan apply verify list help" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand topics; and not __fish_seen_subcommand_from plan apply verify list help" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand topics; and not __fish_seen_subcommand_from plan apply verify list help" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand topics; and not __fish_seen_subcommand_from plan apply verify list help" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand topics; and not __fish_seen_subcommand_from plan apply verify list help" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand topics; and not __fish_seen_subcommand_from plan apply verify list help" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand topics; and not __fish_seen_subcommand_from plan apply verify list help" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand topics; and not __fish_seen_subcommand_from plan apply verify list help" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand topics; and not __fish_seen_subcommand_from plan apply verify list help" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and not __fish_seen_subcommand_from plan apply verify list help" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and not __fish_seen_subcommand_from plan apply verify list help" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and not __fish_seen_subcommand_from plan apply verify list help" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and not __fish_seen_subcommand_from plan apply verify list help" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and not __fish_seen_subcommand_from plan apply verify list help" -f -a "plan" -d 'Show how the live topics and subscriptions differ from the layout'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and not __fish_seen_subcommand_from plan apply verify list help" -f -a "apply" -d 'Create and update topics and subscriptions until they match the layout'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and not __fish_seen_subcommand_from plan apply verify list help" -f -a "verify" -d 'Check that the live topics and subscriptions match the layout (exit 2 on drift)'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and not __fish_seen_subcommand_from plan apply verify list help" -f -a "list" -d 'List the live topics and subscriptions of the project'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and not __fish_seen_subcommand_from plan apply verify list help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from plan" -l layout -d 'Layout file declaring the topics and subscriptions' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from plan" -l env -d 'Apply the overlay for this environment: `<layout>.<ENV>.yaml` beside the layout (e.g. `--env staging` reads `plans/topology.staging.yaml`)' -r
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from plan" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from plan" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from plan" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from plan" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from plan" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from plan" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from plan" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from plan" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from plan" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from plan" -l prune -d 'Show live resources the layout does not declare as deletes, as `apply --prune` would'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from plan" -l detailed-exitcode -d 'Exit 2 when apply would change something (0: nothing to do, 1: error)'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from plan" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from plan" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from plan" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from plan" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from plan" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from apply" -l layout -d 'Layout file declaring the topics and subscriptions' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from apply" -l env -d 'Apply the overlay for this environment: `<layout>.<ENV>.yaml` beside the layout (e.g. `--env staging` reads `plans/topology.staging.yaml`)' -r
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from apply" -l concurrency -d 'Pub/Sub calls in flight at once' -r
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from apply" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from apply" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from apply" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from apply" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from apply" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from apply" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from apply" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from apply" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from apply" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from apply" -l dry-run -d 'Show what would change and change nothing'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from apply" -l yes -d 'Do not ask before deleting or replacing (needed without a terminal)'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from apply" -l prune -d 'Delete live topics and subscriptions the layout does not declare'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from apply" -l allow-replace -d 'Delete and re-create subscriptions whose filter, ordering or topic differ (drops their backlog)'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from apply" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from apply" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from apply" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from apply" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from apply" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from verify" -l layout -d 'Layout file declaring the topics and subscriptions' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from verify" -l env -d 'Apply the overlay for this environment: `<layout>.<ENV>.yaml` beside the layout (e.g. `--env staging` reads `plans/topology.staging.yaml`)' -r
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from verify" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from verify" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from verify" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from verify" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from verify" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from verify" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from verify" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from verify" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from verify" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from verify" -l ignore-undeclared -d 'Do not count live topics and subscriptions the layout does not declare as drift'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from verify" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from verify" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from list" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from list" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from list" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from list" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from list" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from list" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from list" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from list" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from list" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from help" -f -a "plan" -d 'Show how the live topics and subscriptions differ from the layout'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from help" -f -a "apply" -d 'Create and update topics and subscriptions until they match the layout'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Check that the live topics and subscriptions match the layout (exit 2 on drift)'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the live topics and subscriptions of the project'
complete -c officectl -n "__fish_officectl_using_subcommand topics; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and not __fish_seen_subcommand_from plan apply rollback status drill unlock relay help" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and not __fish_seen_subcommand_from plan apply rollback status drill unlock relay help" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and not __fish_seen_subcommand_from plan apply rollback status drill unlock relay help" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and not __fish_seen_subcommand_from plan apply rollback status drill unlock relay help" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and not __fish_seen_subcommand_from plan apply rollback status drill unlock relay help" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and not __fish_seen_subcommand_from plan apply rollback status drill unlock relay help" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and not __fish_seen_subcommand_from plan apply rollback status drill unlock relay help" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and not __fish_seen_subcommand_from plan apply rollback status drill unlock relay help" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and not __fish_seen_subcommand_from plan apply rollback status drill unlock relay help" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and not __fish_seen_subcommand_from plan apply rollback status drill unlock relay help" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and not __fish_seen_subcommand_from plan apply rollback status drill unlock relay help" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and not __fish_seen_subcommand_from plan apply rollback status drill unlock relay help" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and not __fish_seen_subcommand_from plan apply rollback status drill unlock relay help" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and not __fish_seen_subcommand_from plan apply rollback status drill unlock relay help" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and not __fish_seen_subcommand_from plan apply rollback status drill unlock relay help" -f -a "plan" -d 'Show each step of a plan with its state, what applying would change, and whether it can be undone'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and not __fish_seen_subcommand_from plan apply rollback status drill unlock relay help" -f -a "apply" -d 'Run a plan\'s pending steps in order (resumes where the last run stopped)'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and not __fish_seen_subcommand_from plan apply rollback status drill unlock relay help" -f -a "rollback" -d 'Undo completed steps in reverse order'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and not __fish_seen_subcommand_from plan apply rollback status drill unlock relay help" -f -a "status" -d 'Show the state of every known plan, or of one plan\'s steps'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and not __fish_seen_subcommand_from plan apply rollback status drill unlock relay help" -f -a "drill" -d 'Run a plan against a throwaway copy of the platform under synthetic traffic, and report what was lost or duplicated'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and not __fish_seen_subcommand_from plan apply rollback status drill unlock relay help" -f -a "unlock" -d 'Remove a lock left by a crashed run'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and not __fish_seen_subcommand_from plan apply rollback status drill unlock relay help" -f -a "relay" -d 'Forward messages from a legacy subscription to a new topic, upcasting legacy events'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and not __fish_seen_subcommand_from plan apply rollback status drill unlock relay help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from plan" -l layout -d 'Layout file declaring the topics and subscriptions' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from plan" -l env -d 'Apply the overlay for this environment: `<layout>.<ENV>.yaml` beside the layout (e.g. `--env staging` reads `plans/topology.staging.yaml`)' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from plan" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from plan" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from plan" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from plan" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from plan" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from plan" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from plan" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from plan" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from plan" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from plan" -l detailed-exitcode -d 'Exit 2 when steps are pending (0 when everything is done)'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from plan" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from plan" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from plan" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from plan" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from plan" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from apply" -l layout -d 'Layout file declaring the topics and subscriptions' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from apply" -l env -d 'Apply the overlay for this environment: `<layout>.<ENV>.yaml` beside the layout (e.g. `--env staging` reads `plans/topology.staging.yaml`)' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from apply" -l to -d 'Stop after this step' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from apply" -l approve -d 'Pass this gate (repeatable)' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from apply" -l lock-ttl -d 'Lease of the plan\'s lock; renewed while the run is alive' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from apply" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from apply" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from apply" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from apply" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from apply" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from apply" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from apply" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from apply" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from apply" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from apply" -l dry-run -d 'Show what would be done; change nothing'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from apply" -l yes -d 'Do not ask before irreversible steps'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from apply" -l allow-changed -d 'Apply even though steps already applied have changed in the file'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from apply" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from apply" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from apply" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from apply" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from apply" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from rollback" -l layout -d 'Layout file declaring the topics and subscriptions' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from rollback" -l env -d 'Apply the overlay for this environment: `<layout>.<ENV>.yaml` beside the layout (e.g. `--env staging` reads `plans/topology.staging.yaml`)' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from rollback" -l to -d 'Undo the steps after this one (default: all)' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from rollback" -l lock-ttl -d 'Lease of the plan\'s lock; renewed while the run is alive' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from rollback" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from rollback" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from rollback" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from rollback" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from rollback" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from rollback" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from rollback" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from rollback" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from rollback" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from rollback" -l yes -d 'Do not ask for confirmation'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from rollback" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from rollback" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from rollback" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from rollback" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from rollback" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from status" -l layout -d 'Layout file declaring the topics and subscriptions' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from status" -l env -d 'Apply the overlay for this environment: `<layout>.<ENV>.yaml` beside the layout (e.g. `--env staging` reads `plans/topology.staging.yaml`)' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from status" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from status" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from status" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from status" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from status" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from status" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from status" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from status" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from status" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from status" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from drill" -l layout -d 'Layout file declaring the topics and subscriptions' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from drill" -l env -d 'Apply the overlay for this environment: `<layout>.<ENV>.yaml` beside the layout (e.g. `--env staging` reads `plans/topology.staging.yaml`)' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from drill" -l rate -d 'Synthetic events per second, published through the shared publisher' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from drill" -l step-traffic -d 'Traffic before the first step and after each step' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from drill" -l rollback-at -d 'After applying this step, roll the plan back completely, then apply it again' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from drill" -l seed -d 'Seed of the chaos decisions [default: from the clock; the report shows it]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from drill" -l clean-up -d 'Run no drill: remove what drill NAMESPACE left (after `--keep`, or a clean-up that failed), then exit' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from drill" -l allow-project -d 'A project the drill may run in besides the plan\'s `drill.projects` (repeatable)' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from drill" -l drain-timeout -d 'Longest wait for the loader to index what was published, after the traffic stops (a killed loader\'s messages come back only when their lease expires: the drill\'s loaders extend leases by 10 s)' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from drill" -l users -d 'Synthetic users the traffic is spread over' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from drill" -l connections -d 'HTTP/2 connections to the endpoint' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from drill" -l max-inflight -d 'Largest number of operations in flight (the throttle adapts below it) [default: 512 × connections]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from drill" -l header -d 'Extra header on every request, as `Name: Value` (repeatable)' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from drill" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from drill" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from drill" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from drill" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from drill" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from drill" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from drill" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from drill" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from drill" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from drill" -l chaos -d 'Kill the loader and `migrate apply` at random points (from `--seed`) and resume each'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from drill" -l keep -d 'Leave the drill\'s topics, subscriptions, Redis keys and documents in place'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from drill" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from drill" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from drill" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from drill" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from drill" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from unlock" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from unlock" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from unlock" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from unlock" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from unlock" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from unlock" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from unlock" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from unlock" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from unlock" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from unlock" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from unlock" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from unlock" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from unlock" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from unlock" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from relay" -l from -d 'Subscription to drain (id or full name)' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from relay" -l to -d 'Topic to publish to (id or full name)' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from relay" -l max-messages -d 'Stop after this many messages' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from relay" -l idle-timeout -d 'Stop once nothing arrives for this long' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from relay" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from relay" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from relay" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from relay" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from relay" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from relay" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from relay" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from relay" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from relay" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from relay" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from relay" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from relay" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from relay" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from relay" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from help" -f -a "plan" -d 'Show each step of a plan with its state, what applying would change, and whether it can be undone'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from help" -f -a "apply" -d 'Run a plan\'s pending steps in order (resumes where the last run stopped)'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from help" -f -a "rollback" -d 'Undo completed steps in reverse order'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show the state of every known plan, or of one plan\'s steps'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from help" -f -a "drill" -d 'Run a plan against a throwaway copy of the platform under synthetic traffic, and report what was lost or duplicated'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from help" -f -a "unlock" -d 'Remove a lock left by a crashed run'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from help" -f -a "relay" -d 'Forward messages from a legacy subscription to a new topic, upcasting legacy events'
complete -c officectl -n "__fish_officectl_using_subcommand migrate; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -l user -d 'Backfill this user (repeat for more)' -r
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -l users-file -d 'Backfill the users listed in FILE (one per line; blank lines and `#` comments ignored)' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -l shard -d 'Only the users of shard INDEX of COUNT (from 0; `auto/COUNT` takes INDEX from JOB_COMPLETION_INDEX, as in a Kubernetes Indexed Job); needs --correlation-id, so all shards\' batches share it. The hash is documented in docs/backfill.md' -r
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -l source -d 'NDJSON file or `-` (stdin), `pubsub:SUBSCRIPTION`, or an `https://` export endpoint' -r
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -l since -d 'Only e-mails received at or after T (RFC 3339 or YYYY-MM-DD)' -r
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -l until -d 'Only e-mails received before T (RFC 3339 or YYYY-MM-DD)' -r
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -l batch-size -d 'Most e-mails per `EmailEvent` batch (1-1000)' -r
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -l rate -d 'Publish at most this many e-mails per second' -r
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -l concurrency -d 'Users fetched at once from an HTTP export endpoint' -r
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -l max-in-flight -d 'Most batches awaiting Pub/Sub\'s acknowledgement at once' -r
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -l topic -d 'Publish to this topic only, whatever the migration\'s publish mode for e-mail says (default: `emails`, `email-backfill` or both, as `office:flags:publish_mode:email` says)' -r
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -l correlation-id -d 'Correlation id of the run (default: a fresh one; `--resume` reuses the checkpoint\'s)' -r
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -l rejects -d 'Write invalid records to FILE (NDJSON: line or position, reason, problems, record)' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -l idle-timeout -d 'Stop reading a `pubsub:` source after no new message for this long' -r
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -l retry-for -d 'Keep retrying a batch that Pub/Sub refuses with a transient error for this long' -r
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -l ordering -d 'Set the user id as ordering key (in-order delivery per user on ordered subscriptions)'
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -l dry-run -d 'Read, validate and count everything; publish nothing, write nothing'
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -l resume -d 'Continue after the last acknowledged batch of the checkpointed run'
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -l restart -d 'Discard existing checkpoints and start over with a new correlation id'
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -l strict -d 'Stop at the first invalid record'
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand backfill" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -l source -d 'Re-feed documents built from events: an NDJSON file, `-` for stdin, or `pubsub:SUBSCRIPTION`' -r
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -l cluster -d 'Content cluster (repeatable) [default: all]' -r
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -l type -d 'Document type (repeatable) [default: all]' -r
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -l application -d 'Application on the config server, as tenant.application.instance' -r
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -l user -d 'Re-feed only this user\'s documents or events (repeatable) [default: all]' -r
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -l speed -d 'Reindexing speed in (0, 10]; 0 halts what is marked (`--native`)' -r
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -l cause -d 'Why, recorded by the config server (`--native`)' -r
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -l poll-interval -d 'Seconds between status polls with `--wait`' -r
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -l wait-timeout -d 'Give up waiting after this many seconds (exit 1)' -r
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -l slices -d 'With `--from-vespa`: visit each selection as N slices, concurrently' -r
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -l page-size -d 'With `--from-vespa`: documents per visit request (`wantedDocumentCount`)' -r
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -l idle-timeout -d 'With a `pubsub:` source: stop after no new message for this long' -r
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -l rate -d 'Send at most this many operations per second' -r
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -l connections -d 'HTTP/2 connections to the endpoint' -r
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -l max-inflight -d 'Largest number of operations in flight (the throttle adapts below it) [default: 512 × connections]' -r
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -l header -d 'Extra header on every request, as `Name: Value` (repeatable)' -r
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -l rejects -d 'Write operations that failed to FILE in the feed format (re-feeds)' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -l native -d 'Use Vespa\'s own reindexing: mark the types ready on the config server'
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -l from-vespa -d 'Re-feed the documents stored in Vespa, visited and brought to the current shape'
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -l wait -d 'Wait until the marked types are `successful` (or one `failed`), with progress (`--native`)'
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -l resume -d 'Continue the checkpointed re-feed with the same source and selection'
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -l restart -d 'Discard the re-feed\'s checkpoint and start over'
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -l dry-run -d 'Show what would be done without changing anything: read or visit and count, feed nothing, write no checkpoint'
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -f -a "status" -d 'Show native reindexing state and progress per cluster and document type'
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and not __fish_seen_subcommand_from status help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and __fish_seen_subcommand_from status" -l cluster -d 'Content cluster (repeatable) [default: all]' -r
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and __fish_seen_subcommand_from status" -l type -d 'Document type (repeatable) [default: all]' -r
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and __fish_seen_subcommand_from status" -l application -d 'Application on the config server, as tenant.application.instance' -r
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and __fish_seen_subcommand_from status" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and __fish_seen_subcommand_from status" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and __fish_seen_subcommand_from status" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and __fish_seen_subcommand_from status" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and __fish_seen_subcommand_from status" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and __fish_seen_subcommand_from status" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and __fish_seen_subcommand_from status" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and __fish_seen_subcommand_from status" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and __fish_seen_subcommand_from status" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and __fish_seen_subcommand_from status" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show native reindexing state and progress per cluster and document type'
complete -c officectl -n "__fish_officectl_using_subcommand reindex; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c officectl -n "__fish_officectl_using_subcommand consume" -l layout -d 'Layout file declaring the topics and subscriptions' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand consume" -l env -d 'Apply the overlay for this environment: `<layout>.<ENV>.yaml` beside the layout (e.g. `--env staging` reads `plans/topology.staging.yaml`)' -r
complete -c officectl -n "__fish_officectl_using_subcommand consume" -l types -d 'Only these data types (comma-separated doc types, e.g. `email,calendar`) [default: every type the consumer reads]' -r
complete -c officectl -n "__fish_officectl_using_subcommand consume" -l max-outstanding-messages -d 'Messages each subscription stream keeps unacknowledged at most (flow control)' -r
complete -c officectl -n "__fish_officectl_using_subcommand consume" -l max-outstanding-bytes -d 'Bytes each subscription stream keeps unacknowledged at most (flow control)' -r
complete -c officectl -n "__fish_officectl_using_subcommand consume" -l lease-extension -d 'How far each lease extension holds a received message (10s to 600s): a process that dies holding messages delays them by about this long' -r
complete -c officectl -n "__fish_officectl_using_subcommand consume" -l shutdown-timeout -d 'How long to wait for in-flight messages after SIGTERM or Ctrl-C before exiting' -r
complete -c officectl -n "__fish_officectl_using_subcommand consume" -l flag-refresh -d 'How often the read flags are read again' -r
complete -c officectl -n "__fish_officectl_using_subcommand consume" -l claim-timeout -d 'How long a message\'s idempotency claim holds while it is loaded; a loader that dies holding claims delays those messages by at most this long (longer than one message takes to feed)' -r
complete -c officectl -n "__fish_officectl_using_subcommand consume" -l concurrency -d 'Messages decoded, deduplicated and turned into documents at once (feeding is concurrent beyond this, up to `--max-inflight` operations)' -r
complete -c officectl -n "__fish_officectl_using_subcommand consume" -l listen -d 'Serve `/healthz`, `/readyz` and `/metrics` (Prometheus) on this address, e.g. `0.0.0.0:9464`' -r
complete -c officectl -n "__fish_officectl_using_subcommand consume" -l log-format -d 'How the worker\'s log lines on stderr are written: `text`, or `json` (one object per line)' -r -f -a "text\t''
json\t''"
complete -c officectl -n "__fish_officectl_using_subcommand consume" -l connections -d 'HTTP/2 connections to the endpoint' -r
complete -c officectl -n "__fish_officectl_using_subcommand consume" -l max-inflight -d 'Largest number of operations in flight (the throttle adapts below it) [default: 512 × connections]' -r
complete -c officectl -n "__fish_officectl_using_subcommand consume" -l header -d 'Extra header on every request, as `Name: Value` (repeatable)' -r
complete -c officectl -n "__fish_officectl_using_subcommand consume" -l allow-origin -d 'Let pages of this origin read event streams (CORS), e.g. `https://app.example.com`; repeat for more (added to `fe_sse.allow_origins` of the config file)' -r
complete -c officectl -n "__fish_officectl_using_subcommand consume" -l stream-max-len -d 'Notifications each user\'s stream keeps at least (`XADD MAXLEN ~`)' -r
complete -c officectl -n "__fish_officectl_using_subcommand consume" -l stream-ttl -d 'How long a user\'s stream lives after its last notification' -r
complete -c officectl -n "__fish_officectl_using_subcommand consume" -l heartbeat -d 'Silence after which an event stream gets a heartbeat comment' -r
complete -c officectl -n "__fish_officectl_using_subcommand consume" -l client-retry -d 'The reconnection delay advised to clients (`retry:`)' -r
complete -c officectl -n "__fish_officectl_using_subcommand consume" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand consume" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand consume" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand consume" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand consume" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand consume" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand consume" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand consume" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand consume" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand consume" -l list -d 'Print every consumer of the layout with its subscriptions and topics'
complete -c officectl -n "__fish_officectl_using_subcommand consume" -l dry-run -d 'Decode, dedupe-check and build documents; feed nothing, ack nothing'
complete -c officectl -n "__fish_officectl_using_subcommand consume" -l record-feeds -d 'vespa-loader: count every feed per idempotency key, with the time of the first, for `migrate drill` (two Redis writes per message, pipelined)'
complete -c officectl -n "__fish_officectl_using_subcommand consume" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand consume" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand consume" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand consume" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand consume" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand search" -l user -d 'Whose documents to search (the user id, as in events)' -r
complete -c officectl -n "__fish_officectl_using_subcommand search" -l type -d 'Only these document types (repeatable) [default: all]' -r
complete -c officectl -n "__fish_officectl_using_subcommand search" -l hits -d 'Hits to return' -r
complete -c officectl -n "__fish_officectl_using_subcommand search" -l ranking -d 'Rank profile to order the hits by (every generated schema defines `office`)' -r
complete -c officectl -n "__fish_officectl_using_subcommand search" -l header -d 'Extra header on the request, as `Name: Value` (repeatable)' -r
complete -c officectl -n "__fish_officectl_using_subcommand search" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand search" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand search" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand search" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand search" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand search" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand search" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand search" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand search" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand search" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand search" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand search" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand search" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand search" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and not __fish_seen_subcommand_from show forget rebuild prune help" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and not __fish_seen_subcommand_from show forget rebuild prune help" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and not __fish_seen_subcommand_from show forget rebuild prune help" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and not __fish_seen_subcommand_from show forget rebuild prune help" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and not __fish_seen_subcommand_from show forget rebuild prune help" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and not __fish_seen_subcommand_from show forget rebuild prune help" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and not __fish_seen_subcommand_from show forget rebuild prune help" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and not __fish_seen_subcommand_from show forget rebuild prune help" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and not __fish_seen_subcommand_from show forget rebuild prune help" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and not __fish_seen_subcommand_from show forget rebuild prune help" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and not __fish_seen_subcommand_from show forget rebuild prune help" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and not __fish_seen_subcommand_from show forget rebuild prune help" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and not __fish_seen_subcommand_from show forget rebuild prune help" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and not __fish_seen_subcommand_from show forget rebuild prune help" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and not __fish_seen_subcommand_from show forget rebuild prune help" -f -a "show" -d 'Show a user\'s contacts ranked by relevance, with counts, first and last seen, and why'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and not __fish_seen_subcommand_from show forget rebuild prune help" -f -a "forget" -d 'Erase contacts of a user (a GDPR request): records, ranking, Vespa documents; they are not rediscovered unless allowed'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and not __fish_seen_subcommand_from show forget rebuild prune help" -f -a "rebuild" -d 'Recompute contacts from history (a file, stdin or a subscription), write them, push them'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and not __fish_seen_subcommand_from show forget rebuild prune help" -f -a "prune" -d 'Remove contacts without interaction for longer than the retention (`contacts.retention`)'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and not __fish_seen_subcommand_from show forget rebuild prune help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from show" -l user -d 'Whose contacts (the user id, as in events)' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from show" -l top -d 'How many of the most relevant contacts' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from show" -l address -d 'Only the contact at this address, with its rank' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from show" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from show" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from show" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from show" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from show" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from show" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from show" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from show" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from show" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from forget" -l user -d 'Whose contacts (the user id, as in events)' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from forget" -l address -d 'The contact at this address' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from forget" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from forget" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from forget" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from forget" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from forget" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from forget" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from forget" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from forget" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from forget" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from forget" -l all -d 'Every contact of the user (and every one forgotten before, again in Vespa)'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from forget" -l allow-rediscovery -d 'Let contact discovery find them again (events counted before now count them again when replayed)'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from forget" -l yes -d 'Confirm the erasure (required without a terminal)'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from forget" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from forget" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from forget" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from forget" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from forget" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from rebuild" -l source -d 'Events: an NDJSON file, `-` (stdin), or `pubsub:SUBSCRIPTION`' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from rebuild" -l user -d 'Whose contacts (repeatable; default: every user in the source)' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from rebuild" -l checkpoint-every -d 'Events between checkpoints' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from rebuild" -l idle-timeout -d 'Stop reading a `pubsub:` source after no new message for this long' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from rebuild" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from rebuild" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from rebuild" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from rebuild" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from rebuild" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from rebuild" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from rebuild" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from rebuild" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from rebuild" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from rebuild" -l dry-run -d 'Compute and report; write and publish nothing'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from rebuild" -l no-push -d 'Write the records, but publish no ContactEvents (Vespa keeps its documents)'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from rebuild" -l skip-invalid -d 'Skip events that are not valid (counted, the first listed) instead of stopping at the first'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from rebuild" -l resume -d 'Continue the checkpointed rebuild of this source and these users'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from rebuild" -l restart -d 'Discard the checkpoint of this source and these users and start over'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from rebuild" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from rebuild" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from rebuild" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from rebuild" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from rebuild" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from prune" -l older-than -d 'Remove contacts without interaction for longer than this [default: contacts.retention]' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from prune" -l user -d 'Only this user\'s contacts (default: every user\'s)' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from prune" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from prune" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from prune" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from prune" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from prune" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from prune" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from prune" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from prune" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from prune" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from prune" -l dry-run -d 'Count what would be removed; change nothing'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from prune" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from prune" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from prune" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from prune" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show a user\'s contacts ranked by relevance, with counts, first and last seen, and why'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from help" -f -a "forget" -d 'Erase contacts of a user (a GDPR request): records, ranking, Vespa documents; they are not rediscovered unless allowed'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from help" -f -a "rebuild" -d 'Recompute contacts from history (a file, stdin or a subscription), write them, push them'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove contacts without interaction for longer than the retention (`contacts.retention`)'
complete -c officectl -n "__fish_officectl_using_subcommand contacts; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c officectl -n "__fish_officectl_using_subcommand tail" -l user -d 'Only this user\'s events (a server-side filter on the `user_id` attribute)' -r
complete -c officectl -n "__fish_officectl_using_subcommand tail" -l type -d 'Only events of this type: `email`, `EmailEvent`, ... (repeatable)' -r
complete -c officectl -n "__fish_officectl_using_subcommand tail" -l since -d 'First replay what the topics retained since this long ago (topics with retention)' -r
complete -c officectl -n "__fish_officectl_using_subcommand tail" -l count -d 'Stop after this many events' -r
complete -c officectl -n "__fish_officectl_using_subcommand tail" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand tail" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand tail" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand tail" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand tail" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand tail" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand tail" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand tail" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand tail" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand tail" -l show-bodies -d 'Show bodies, subjects\' content and notes (redacted by default)'
complete -c officectl -n "__fish_officectl_using_subcommand tail" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand tail" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand tail" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand tail" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand tail" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand trace" -l correlation-id -d 'Follow everything published under this correlation id' -r
complete -c officectl -n "__fish_officectl_using_subcommand trace" -l batch-id -d 'Follow one batch (a backfill batch id, or an event\'s `batch_id`)' -r
complete -c officectl -n "__fish_officectl_using_subcommand trace" -l event-id -d 'Follow one event' -r
complete -c officectl -n "__fish_officectl_using_subcommand trace" -l user -d 'Only this user\'s events' -r
complete -c officectl -n "__fish_officectl_using_subcommand trace" -l connections -d 'HTTP/2 connections to the endpoint' -r
complete -c officectl -n "__fish_officectl_using_subcommand trace" -l max-inflight -d 'Largest number of operations in flight (the throttle adapts below it) [default: 512 × connections]' -r
complete -c officectl -n "__fish_officectl_using_subcommand trace" -l header -d 'Extra header on every request, as `Name: Value` (repeatable)' -r
complete -c officectl -n "__fish_officectl_using_subcommand trace" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand trace" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand trace" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand trace" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand trace" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand trace" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand trace" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand trace" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand trace" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand trace" -l no-vespa -d 'Do not ask Vespa which documents carry the events'
complete -c officectl -n "__fish_officectl_using_subcommand trace" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand trace" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand trace" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand trace" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand trace" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand completions" -l out-dir -d 'Write the scripts for every shell into this directory instead' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand completions" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand completions" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand completions" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand completions" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand completions" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand completions" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand completions" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand completions" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand completions" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand completions" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand completions" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand completions" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand completions" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand man" -l out-dir -d 'Directory to write the pages into (created if missing)' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand man" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand man" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand man" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand man" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
complete -c officectl -n "__fish_officectl_using_subcommand man" -l vespa-endpoint -d 'Vespa container endpoint (/document/v1, /search/) [env: OFFICECTL_VESPA_ENDPOINT] [default: http://127.0.0.1:8080]' -r
complete -c officectl -n "__fish_officectl_using_subcommand man" -l vespa-config-endpoint -d 'Vespa config server endpoint (reindexing) [env: OFFICECTL_VESPA_CONFIG_ENDPOINT] [default: http://127.0.0.1:19071]' -r
complete -c officectl -n "__fish_officectl_using_subcommand man" -l vespa-ca-cert -d 'CA certificate(s) (PEM) to trust for an https:// Vespa endpoint, besides the system roots [env: OFFICECTL_VESPA_CA_CERT]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand man" -s o -l output -d 'Output format for reports on stdout [env: OFFICECTL_OUTPUT] [default: table]' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c officectl -n "__fish_officectl_using_subcommand man" -l color -d 'When to use colour on stderr [env: NO_COLOR turns it off] [default: auto]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c officectl -n "__fish_officectl_using_subcommand man" -s v -l verbose -d 'More detail on stderr (repeat for more)'
complete -c officectl -n "__fish_officectl_using_subcommand man" -s q -l quiet -d 'Only data and errors: no status lines, no progress'
complete -c officectl -n "__fish_officectl_using_subcommand man" -l no-progress -d 'Never draw progress bars'
complete -c officectl -n "__fish_officectl_using_subcommand man" -s h -l help -d 'Print help'
complete -c officectl -n "__fish_officectl_using_subcommand man" -s V -l version -d 'Print version'
complete -c officectl -n "__fish_officectl_using_subcommand help; and not __fish_seen_subcommand_from config doctor events vespa topics migrate backfill reindex consume search contacts tail trace completions man help" -f -a "config" -d 'Show officectl\'s own settings'
complete -c officectl -n "__fish_officectl_using_subcommand help; and not __fish_seen_subcommand_from config doctor events vespa topics migrate backfill reindex consume search contacts tail trace completions man help" -f -a "doctor" -d 'Check that every configured service answers'
complete -c officectl -n "__fish_officectl_using_subcommand help; and not __fish_seen_subcommand_from config doctor events vespa topics migrate backfill reindex consume search contacts tail trace completions man help" -f -a "events" -d 'Validate, convert, describe and publish events'
complete -c officectl -n "__fish_officectl_using_subcommand help; and not __fish_seen_subcommand_from config doctor events vespa topics migrate backfill reindex consume search contacts tail trace completions man help" -f -a "vespa" -d 'Vespa application package and documents'
complete -c officectl -n "__fish_officectl_using_subcommand help; and not __fish_seen_subcommand_from config doctor events vespa topics migrate backfill reindex consume search contacts tail trace completions man help" -f -a "topics" -d 'Lay out topics and subscriptions from `plans/topology.yaml` and verify them'
complete -c officectl -n "__fish_officectl_using_subcommand help; and not __fish_seen_subcommand_from config doctor events vespa topics migrate backfill reindex consume search contacts tail trace completions man help" -f -a "migrate" -d 'Migrate from the legacy topics with reviewed, resumable plans'
complete -c officectl -n "__fish_officectl_using_subcommand help; and not __fish_seen_subcommand_from config doctor events vespa topics migrate backfill reindex consume search contacts tail trace completions man help" -f -a "backfill" -d 'Replay users\' mail as `EmailEvent` batches, resumably'
complete -c officectl -n "__fish_officectl_using_subcommand help; and not __fish_seen_subcommand_from config doctor events vespa topics migrate backfill reindex consume search contacts tail trace completions man help" -f -a "reindex" -d 'Reindex Vespa: natively, or by re-feeding events or the stored documents'
complete -c officectl -n "__fish_officectl_using_subcommand help; and not __fish_seen_subcommand_from config doctor events vespa topics migrate backfill reindex consume search contacts tail trace completions man help" -f -a "consume" -d 'Run a consumer of the platform\'s events (`vespa-loader`, `contact-discovery`, `shipments`, `meetings`, `fe-sse`), or `--list` them'
complete -c officectl -n "__fish_officectl_using_subcommand help; and not __fish_seen_subcommand_from config doctor events vespa topics migrate backfill reindex consume search contacts tail trace completions man help" -f -a "search" -d 'Search one user\'s documents of every type with one query'
complete -c officectl -n "__fish_officectl_using_subcommand help; and not __fish_seen_subcommand_from config doctor events vespa topics migrate backfill reindex consume search contacts tail trace completions man help" -f -a "contacts" -d 'What contact discovery knows about a user\'s contacts'
complete -c officectl -n "__fish_officectl_using_subcommand help; and not __fish_seen_subcommand_from config doctor events vespa topics migrate backfill reindex consume search contacts tail trace completions man help" -f -a "tail" -d 'Watch events on topics as they arrive, through temporary filtered subscriptions'
complete -c officectl -n "__fish_officectl_using_subcommand help; and not __fish_seen_subcommand_from config doctor events vespa topics migrate backfill reindex consume search contacts tail trace completions man help" -f -a "trace" -d 'Follow a correlation id, batch or event through publishing, consumers and Vespa'
complete -c officectl -n "__fish_officectl_using_subcommand help; and not __fish_seen_subcommand_from config doctor events vespa topics migrate backfill reindex consume search contacts tail trace completions man help" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c officectl -n "__fish_officectl_using_subcommand help; and not __fish_seen_subcommand_from config doctor events vespa topics migrate backfill reindex consume search contacts tail trace completions man help" -f -a "man" -d 'Write man pages for every command'
complete -c officectl -n "__fish_officectl_using_subcommand help; and not __fish_seen_subcommand_from config doctor events vespa topics migrate backfill reindex consume search contacts tail trace completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c officectl -n "__fish_officectl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'Show the resolved settings and where each came from'
complete -c officectl -n "__fish_officectl_using_subcommand help; and __fish_seen_subcommand_from events" -f -a "validate" -d 'Validate NDJSON events (new or legacy format, detected per line)'
complete -c officectl -n "__fish_officectl_using_subcommand help; and __fish_seen_subcommand_from events" -f -a "convert" -d 'Convert legacy events to the current format (NDJSON on stdout)'
complete -c officectl -n "__fish_officectl_using_subcommand help; and __fish_seen_subcommand_from events" -f -a "schema" -d 'Print the JSON Schema of an event type (all types without TYPE)'
complete -c officectl -n "__fish_officectl_using_subcommand help; and __fish_seen_subcommand_from events" -f -a "publish" -d 'Validate events and publish them with attributes and claim checks'
complete -c officectl -n "__fish_officectl_using_subcommand help; and __fish_seen_subcommand_from vespa" -f -a "schema" -d 'Write the Vespa application package (services.xml and one schema per data type)'
complete -c officectl -n "__fish_officectl_using_subcommand help; and __fish_seen_subcommand_from vespa" -f -a "check" -d 'Check application packages with Vespa\'s own config model before a deploy'
complete -c officectl -n "__fish_officectl_using_subcommand help; and __fish_seen_subcommand_from vespa" -f -a "feed" -d 'Feed documents (Vespa JSON/JSONL feed format) over HTTP/2 with adaptive throttling'
complete -c officectl -n "__fish_officectl_using_subcommand help; and __fish_seen_subcommand_from topics" -f -a "plan" -d 'Show how the live topics and subscriptions differ from the layout'
complete -c officectl -n "__fish_officectl_using_subcommand help; and __fish_seen_subcommand_from topics" -f -a "apply" -d 'Create and update topics and subscriptions until they match the layout'
complete -c officectl -n "__fish_officectl_using_subcommand help; and __fish_seen_subcommand_from topics" -f -a "verify" -d 'Check that the live topics and subscriptions match the layout (exit 2 on drift)'
complete -c officectl -n "__fish_officectl_using_subcommand help; and __fish_seen_subcommand_from topics" -f -a "list" -d 'List the live topics and subscriptions of the project'
complete -c officectl -n "__fish_officectl_using_subcommand help; and __fish_seen_subcommand_from migrate" -f -a "plan" -d 'Show each step of a plan with its state, what applying would change, and whether it can be undone'
complete -c officectl -n "__fish_officectl_using_subcommand help; and __fish_seen_subcommand_from migrate" -f -a "apply" -d 'Run a plan\'s pending steps in order (resumes where the last run stopped)'
complete -c officectl -n "__fish_officectl_using_subcommand help; and __fish_seen_subcommand_from migrate" -f -a "rollback" -d 'Undo completed steps in reverse order'
complete -c officectl -n "__fish_officectl_using_subcommand help; and __fish_seen_subcommand_from migrate" -f -a "status" -d 'Show the state of every known plan, or of one plan\'s steps'
complete -c officectl -n "__fish_officectl_using_subcommand help; and __fish_seen_subcommand_from migrate" -f -a "drill" -d 'Run a plan against a throwaway copy of the platform under synthetic traffic, and report what was lost or duplicated'
complete -c officectl -n "__fish_officectl_using_subcommand help; and __fish_seen_subcommand_from migrate" -f -a "unlock" -d 'Remove a lock left by a crashed run'
complete -c officectl -n "__fish_officectl_using_subcommand help; and __fish_seen_subcommand_from migrate" -f -a "relay" -d 'Forward messages from a legacy subscription to a new topic, upcasting legacy events'
complete -c officectl -n "__fish_officectl_using_subcommand help; and __fish_seen_subcommand_from reindex" -f -a "status" -d 'Show native reindexing state and progress per cluster and document type'
complete -c officectl -n "__fish_officectl_using_subcommand help; and __fish_seen_subcommand_from contacts" -f -a "show" -d 'Show a user\'s contacts ranked by relevance, with counts, first and last seen, and why'
complete -c officectl -n "__fish_officectl_using_subcommand help; and __fish_seen_subcommand_from contacts" -f -a "forget" -d 'Erase contacts of a user (a GDPR request): records, ranking, Vespa documents; they are not rediscovered unless allowed'
complete -c officectl -n "__fish_officectl_using_subcommand help; and __fish_seen_subcommand_from contacts" -f -a "rebuild" -d 'Recompute contacts from history (a file, stdin or a subscription), write them, push them'
complete -c officectl -n "__fish_officectl_using_subcommand help; and __fish_seen_subcommand_from contacts" -f -a "prune" -d 'Remove contacts without interaction for longer than the retention (`contacts.retention`)'
