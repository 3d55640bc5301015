//! The response parser: a 2xx body → the typed output of an operation, the way the client
//! reads it (`client::call::parse_success`: blank → every field absent, else JSON → request
//! id from the body → the output type), for every operation's output type that has a field
//! of each kind the generator emits (string-encoded numbers, enums that keep unknown values,
//! lists, maps, nested structures, free-form JSON).
//!
//! Invariants: nothing panics; a parsed output serializes again and parses to the same value.
#![no_main]

use std::fmt::Debug;

use acs_cs20151215::operations::{
    describe_cluster_detail::DescribeClusterDetailResponse,
    describe_cluster_node_pools::DescribeClusterNodePoolsResponse,
    describe_cluster_nodes::DescribeClusterNodesResponse,
    describe_clusters_v1::DescribeClustersV1Response, describe_events::DescribeEventsResponse,
    describe_task_info::DescribeTaskInfoResponse, list_addons::ListAddonsResponse,
    scale_out_cluster::ScaleOutClusterResponse,
};
use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use serde::de::DeserializeOwned;

fn parse<T: DeserializeOwned + Serialize + Default + Debug + PartialEq>(body: &[u8]) {
    if body.iter().all(u8::is_ascii_whitespace) {
        let _ = T::default();
        return;
    }
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        let _ = String::from_utf8_lossy(body);
        return;
    };
    let _request_id = ["request_id", "RequestId", "requestId"]
        .iter()
        .find_map(|key| value.get(*key).and_then(serde_json::Value::as_str));
    let Ok(data) = serde_json::from_value::<T>(value) else {
        return;
    };
    let _ = format!("{data:?}");
    let again = serde_json::to_vec(&data).expect("a parsed output serializes");
    let reparsed: T = serde_json::from_slice(&again).expect("a serialized output parses");
    assert_eq!(reparsed, data, "the output changed in a round trip");
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    match selector % 8 {
        0 => parse::<ScaleOutClusterResponse>(body),
        1 => parse::<DescribeTaskInfoResponse>(body),
        2 => parse::<DescribeClusterNodesResponse>(body),
        3 => parse::<DescribeClusterDetailResponse>(body),
        4 => parse::<DescribeClusterNodePoolsResponse>(body),
        5 => parse::<DescribeClustersV1Response>(body),
        6 => parse::<DescribeEventsResponse>(body),
        _ => parse::<ListAddonsResponse>(body),
    }
});
