
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
            cand completions 'Print a shell completion script to stdout'
            cand man 'Write man pages for every command'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'officectl;config'= {
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
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
        &'officectl;completions'= {
            cand --out-dir 'Write the scripts for every shell into this directory instead'
            cand --config 'Config file (YAML) [env: OFFICECTL_CONFIG] [default: ~/.config/officectl/config.yaml]'
            cand --project 'Google Cloud project id [env: OFFICECTL_PROJECT, then GOOGLE_CLOUD_PROJECT]'
            cand --pubsub-endpoint 'Pub/Sub endpoint; http:// means an emulator with anonymous credentials [env: PUBSUB_EMULATOR_HOST as host:port]'
            cand --redis-url 'Redis URL [env: OFFICECTL_REDIS_URL] [default: redis://127.0.0.1:6379]'
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
        &'officectl;help;completions'= {
        }
        &'officectl;help;man'= {
        }
        &'officectl;help;help'= {
        }
    ]
    $completions[$command]
}
