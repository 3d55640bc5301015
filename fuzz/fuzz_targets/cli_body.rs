//! The CLI's body parser: `--body` text → JSON object → the typed request
//! (`acs_runtime::cli::parse_request`, with unknown keys kept or rejected), then what the
//! CLI does with the request (validate, bind path, query, headers and body, put the unknown
//! keys back); and the same text as a member flag of each kind
//! (`acs_runtime::cli::set_body_flag`). The first byte picks the operation and whether
//! unknown keys are kept.
//!
//! Invariants: nothing panics; an accepted body is a valid request or a list of violations.
#![no_main]

use acs_cs20151215::operations::{
    create_cluster_node_pool::CreateClusterNodePoolRequest,
    describe_cluster_nodes::DescribeClusterNodesRequest,
    modify_cluster_node_pool::ModifyClusterNodePoolRequest,
    scale_cluster_node_pool::ScaleClusterNodePoolRequest,
    scale_out_cluster::ScaleOutClusterRequest, tag_resources::TagResourcesRequest,
};
use acs_runtime::Operation;
use acs_runtime::cli::{self, FlagKind};
use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

fn parse<T: Operation + DeserializeOwned>(body: Map<String, Value>, keep_unknown: bool) {
    let (request, extras) = match cli::parse_request::<T>(body, keep_unknown) {
        Ok(parsed) => parsed,
        Err(failure) => {
            let _ = format!("{failure:?}");
            return;
        }
    };
    if let Err(errors) = request.validate() {
        let _ = errors.to_string();
    }
    let _ = request.path();
    let _ = request.query();
    let _ = request.headers();
    let _ = extras.paths();
    if let Ok(Some(bytes)) = request.body() {
        let mut value: Value = serde_json::from_slice(&bytes).expect("the body is JSON");
        extras.merge_into(&mut value);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    // A member flag given `text`, as the generated CLI declares and reads it.
    let command = cli::clap::Command::new("fuzz").arg(
        cli::clap::Arg::new("member")
            .long("member")
            .num_args(1)
            .allow_hyphen_values(true),
    );
    if let Ok(matches) = command.try_get_matches_from(["fuzz", "--member", text]) {
        let mut body = Map::new();
        for kind in [
            FlagKind::Text,
            FlagKind::Integer,
            FlagKind::Number,
            FlagKind::Boolean,
        ] {
            let _ = cli::set_body_flag(&mut body, &matches, "member", "member", "Member", kind);
        }
    }
    // As `cli::read_body` does.
    let body = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => map,
        Ok(Value::Null) => Map::new(),
        _ => return,
    };
    let keep_unknown = selector & 1 != 0;
    match (selector >> 1) % 6 {
        0 => parse::<ScaleOutClusterRequest>(body, keep_unknown),
        1 => parse::<ScaleClusterNodePoolRequest>(body, keep_unknown),
        2 => parse::<DescribeClusterNodesRequest>(body, keep_unknown),
        3 => parse::<CreateClusterNodePoolRequest>(body, keep_unknown),
        4 => parse::<ModifyClusterNodePoolRequest>(body, keep_unknown),
        _ => parse::<TagResourcesRequest>(body, keep_unknown),
    }
});
