//! `officectl search QUERY --user USER [--type T ...]`: one query across a user's documents.

use crate::cli::Context;
use crate::cli::vespa::connection::ConnectionArgs;
use anyhow::Context as _;
use officectl::vespa::search::{SearchRequest, parse};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to search for (Vespa's simple query language, over titles and text)
    #[arg(value_name = "QUERY")]
    query: String,

    /// Whose documents to search (the user id, as in events)
    #[arg(long, value_name = "USER")]
    user: String,

    /// Only these document types (repeatable) [default: all]
    #[arg(long = "type", value_name = "TYPE")]
    types: Vec<String>,

    /// Hits to return
    #[arg(long, value_name = "N", default_value_t = 10)]
    hits: u32,

    /// Rank profile to order the hits by (every generated schema defines `office`)
    #[arg(long, value_name = "PROFILE", default_value = officectl::vespa::search::RANK_PROFILE)]
    ranking: String,

    /// Extra header on the request, as `Name: Value` (repeatable)
    #[arg(long = "header", value_name = "HEADER")]
    headers: Vec<String>,
}

pub async fn run(args: Args, context: &Context) -> anyhow::Result<()> {
    let connection = ConnectionArgs {
        connections: 1,
        max_inflight: None,
        headers: args.headers.clone(),
    };
    let transport = connection.transport(&context.settings)?;
    let request = SearchRequest {
        query: args.query.clone(),
        user: args.user.clone(),
        types: args.types.clone(),
        hits: args.hits,
        ranking: args.ranking.clone(),
    };
    let endpoint = &context.settings.vespa.endpoint.value;
    let response = transport
        .get(&request.path())
        .await
        .with_context(|| format!("cannot search at `{endpoint}`"))?;
    let result = parse(response.status, &response.body, &request)
        .with_context(|| format!("search for `{}` of user `{}`", args.query, args.user))?;
    context.printer.report(&result)
}
