# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_officectl_global_optspecs
    string join \n config= project= pubsub-endpoint= redis-url= o/output= v/verbose q/quiet no-progress color= h/help V/version
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
complete -c officectl -n "__fish_officectl_needs_command" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c officectl -n "__fish_officectl_needs_command" -f -a "man" -d 'Write man pages for every command'
complete -c officectl -n "__fish_officectl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c officectl -n "__fish_officectl_using_subcommand config; and not __fish_seen_subcommand_from show help" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand config; and not __fish_seen_subcommand_from show help" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand config; and not __fish_seen_subcommand_from show help" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand config; and not __fish_seen_subcommand_from show help" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
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
complete -c officectl -n "__fish_officectl_using_subcommand completions" -l out-dir -d 'Write the scripts for every shell into this directory instead' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand completions" -l config -d 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]' -r -F
complete -c officectl -n "__fish_officectl_using_subcommand completions" -l project -d 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]' -r
complete -c officectl -n "__fish_officectl_using_subcommand completions" -l pubsub-endpoint -d 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]' -r
complete -c officectl -n "__fish_officectl_using_subcommand completions" -l redis-url -d 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]' -r
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
complete -c officectl -n "__fish_officectl_using_subcommand help; and not __fish_seen_subcommand_from config doctor completions man help" -f -a "config" -d 'Show officectl\'s own settings'
complete -c officectl -n "__fish_officectl_using_subcommand help; and not __fish_seen_subcommand_from config doctor completions man help" -f -a "doctor" -d 'Check that every configured service answers'
complete -c officectl -n "__fish_officectl_using_subcommand help; and not __fish_seen_subcommand_from config doctor completions man help" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c officectl -n "__fish_officectl_using_subcommand help; and not __fish_seen_subcommand_from config doctor completions man help" -f -a "man" -d 'Write man pages for every command'
complete -c officectl -n "__fish_officectl_using_subcommand help; and not __fish_seen_subcommand_from config doctor completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c officectl -n "__fish_officectl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'Show the resolved settings and where each came from'
