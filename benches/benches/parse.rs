//! Parsing JSON into generated structures through `WireDeserialize`: the widest request
//! (CreateClusterRequest, every member present) and the small ScaleOutCluster response.
//!
//! Run: `cargo bench -p acs-benches --bench parse`.

mod common;

use std::hint::black_box;

use acs_cs20151215::operations::create_cluster::CreateClusterRequest;
use acs_cs20151215::operations::scale_out_cluster::ScaleOutClusterResponse;
use acs_runtime::wire::WireStruct;
use criterion::{Criterion, criterion_group, criterion_main};

/// Every member of the widest request, present and `null` (all of them are optional), so that
/// the time is the walk and the key lookups.
fn wide_json() -> String {
    let members: Vec<String> = CreateClusterRequest::MEMBERS
        .iter()
        .map(|name| format!("{name:?}:null"))
        .collect();
    format!("{{{}}}", members.join(","))
}

fn parse(c: &mut Criterion) {
    let wide = wide_json();
    serde_json::from_str::<CreateClusterRequest>(&wide).expect("the wide request parses");
    let small = r#"{"cluster_id":"c82e6987e2961451182edacd74faf****","request_id":"687C5BAA-D103-4993-884B-C35E4314A1E1","task_id":"T-5a54309c80282e39ea00002f"}"#;
    let mut group = c.benchmark_group("parse");
    group.bench_function(
        format!(
            "create_cluster_request_{}_members",
            CreateClusterRequest::MEMBERS.len()
        ),
        |b| b.iter(|| serde_json::from_str::<CreateClusterRequest>(black_box(&wide))),
    );
    group.bench_function("scale_out_cluster_response", |b| {
        b.iter(|| serde_json::from_str::<ScaleOutClusterResponse>(black_box(small)))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = parse
}
criterion_main!(benches);
